"""A travel copy merged back by an official without VS-NfD clearance (issue 17.6 with 17.4).

The copy is taken by the owner role (a copy must hold every record), so it holds
a VS-NfD dossier. The official who merges it is held to the server's row-level
security: an offline change to the classified dossier is neither written nor
reveals the server's version, and a new dossier marked VS-NfD offline is refused
by the server as a whole; a cleared official merges the same kind of change.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from helpers.pg_server import PgServer, team_server_with_logins
from sqlalchemy import select

from chinadialog_desktop.cli import main
from chinadialog_desktop.errors import UserError
from chinadialog_desktop.persistence.database import Database
from chinadialog_desktop.persistence.models import Dossier, Partnership
from chinadialog_desktop.persistence.server_rights import APP_ROLES, CLEARED_ROLE
from chinadialog_desktop.services import travel
from chinadialog_desktop.services.dbcopy import copy_database
from chinadialog_desktop.services.records import edit

LOGINS = {
    "reisender": [APP_ROLES["Bearbeiten"]],
    "reisende_vs": [APP_ROLES["Bearbeiten"], CLEARED_ROLE],
}


@pytest.fixture(scope="module")
def server() -> Iterator[PgServer]:
    """A server of its own: the team roles are cluster-wide and have fixed names."""
    yield from team_server_with_logins(LOGINS)


@pytest.fixture
def team(server: PgServer, capsys: pytest.CaptureFixture[str]) -> Iterator[str]:
    """A team database with the demo data; dossier 1 marked VS-NfD by a cleared official."""
    name = server.create_database("reise")
    try:
        url = server.plain_url(name, user="postgres")
        assert main(["--lang", "en", "--db", url, "team", "init"]) == 0
        assert (
            main(["--lang", "en", "--db", server.plain_url(name, "reisende_vs"), "demo", "load"])
            == 0
        )
        database = Database.open(server.plain_url(name, "reisende_vs"))
        try:
            with database.session() as s:
                edit.update(s, "dossier", 1, "classification", "vs_nfd")
        finally:
            database.close()
        capsys.readouterr()
        yield name
    finally:
        server.drop_database(name)


def _offline(copy: Path, secret: str, uuid_of_partnership: str) -> str:
    db = Database.open(copy)
    try:
        with db.session() as s:
            dossier = s.scalars(select(Dossier).where(Dossier.id == 1)).one()
            edit.update(s, "dossier", dossier.uuid, "title", secret)
            edit.update(
                s, "partnership", uuid_of_partnership, "description", "Unterwegs (Beispiel)"
            )
            return dossier.uuid
    finally:
        db.close()


def _as(server: PgServer, team: str, user: str) -> Database:
    return Database.open(server.plain_url(team, user))


def _owner_sees(server: PgServer, team: str, sql: str) -> list[tuple[object, ...]]:
    return server.sql(sql, team)


def _take(server: PgServer, team: str, tmp_path: Path, name: str) -> tuple[Path, str]:
    copy = tmp_path / name
    copy_database(server.plain_url(team, "postgres"), str(copy))
    [(partnership,)] = _owner_sees(server, team, "SELECT uuid FROM partnership ORDER BY id LIMIT 1")
    return copy, str(partnership)


def test_without_clearance_a_classified_change_is_neither_merged_nor_revealed(
    server, team, tmp_path
):
    copy, partnership = _take(server, team, tmp_path, "ohne Freigabe.sqlite3")
    [(title,)] = _owner_sees(server, team, "SELECT title FROM dossier WHERE id = 1")
    dossier = _offline(copy, "Geheim unterwegs (Beispiel)", partnership)

    db = _as(server, team, "reisender")
    try:
        result = travel.merge_copy(db, copy)
        assert result.status == travel.MERGED, result.problems
        assert result.totals()["updated"] == 1  # the open partnership only
        assert [(x.kind, x.key) for x in result.gone_on_source] == [("dossiers", dossier)]
        # What the list names comes from the copy (which this official holds), never the server.
        assert result.gone_on_source[0].label == "Geheim unterwegs (Beispiel)"
        assert all(title not in str(c.changes) for c in result.conflicts())
        with db.session() as s:
            assert s.scalars(select(Partnership.description).where(
                Partnership.uuid == partnership)).one() == "Unterwegs (Beispiel)"  # fmt: skip
    finally:
        db.close()
    assert _owner_sees(server, team, "SELECT title FROM dossier WHERE id = 1") == [(title,)]


def test_with_clearance_the_classified_change_is_merged(server, team, tmp_path):
    copy, partnership = _take(server, team, tmp_path, "mit Freigabe.sqlite3")
    _offline(copy, "Unterwegs ergänzt (Beispiel)", partnership)
    db = _as(server, team, "reisende_vs")
    try:
        result = travel.merge_copy(db, copy)
    finally:
        db.close()
    assert result.status == travel.MERGED and not result.gone_on_source
    assert result.totals()["updated"] == 2
    assert _owner_sees(server, team, "SELECT title FROM dossier WHERE id = 1") == [
        ("Unterwegs ergänzt (Beispiel)",)
    ]
    # The audit trail names the official of the database session for the run and the records.
    users = _owner_sees(
        server,
        team,
        'SELECT DISTINCT "user" FROM audit_event WHERE id > (SELECT max(id) FROM audit_event '
        "WHERE table_name = 'copy_origin') - 20 AND table_name IN ('copy_origin', 'dossier')",
    )
    assert ("reisende_vs",) in users


def test_without_clearance_a_new_classified_dossier_is_refused_whole(server, team, tmp_path):
    copy, partnership = _take(server, team, tmp_path, "neues Dossier.sqlite3")
    offline = Database.open(copy)
    try:
        with offline.session() as s:
            new = edit.create(s, "dossier", {"title": "Neu und vertraulich (Beispiel)"}).uuid
            edit.update(s, "dossier", new, "classification", "vs_nfd")
            edit.update(s, "partnership", partnership, "description", "Unterwegs (Beispiel)")
    finally:
        offline.close()
    before = _owner_sees(server, team, "SELECT count(*), max(id) FROM audit_event")
    db = _as(server, team, "reisender")
    try:
        with pytest.raises(UserError) as refused:
            travel.merge_copy(db, copy)
    finally:
        db.close()
    assert "not cleared for VS-NfD" in str(refused.value)
    assert "SELECT" not in str(refused.value) and "INSERT" not in str(refused.value)
    assert _owner_sees(server, team, "SELECT count(*), max(id) FROM audit_event") == before
    assert _owner_sees(
        server, team, "SELECT count(*) FROM partnership WHERE description = 'Unterwegs (Beispiel)'"
    ) == [(0,)]
