"""The audit writers' turn is held only for writing the events and the commit (issue 17, 9).

On a team server a transaction's audit events wait in memory until its commit and are
written, in the writers' turn, just before it (``audit.write_last``); a savepoint rolled
back takes its events with it. The chain stays whole and the trail matches the records.
"""

from __future__ import annotations

from collections.abc import Iterator

import psycopg
import pytest
from sqlalchemy import select, text

from chinadialog_desktop.persistence.audit import verify_chain, verify_records
from chinadialog_desktop.persistence.database import Database
from chinadialog_desktop.persistence.models import Actor, AuditEvent
from chinadialog_desktop.persistence.server import AUDIT_LOCK_KEY, parse_target
from chinadialog_desktop.services.records import edit as records


@pytest.fixture
def team(pg_database: str) -> Iterator[Database]:
    database = Database.open(pg_database)
    try:
        yield database
    finally:
        database.close()


def _other_connection(address: str) -> psycopg.Connection[tuple[object, ...]]:
    target = parse_target(address)
    return psycopg.connect(
        host=target.host, port=target.port, user=target.user, dbname=target.database
    )


def _trail(database: Database, uuid: str) -> list[tuple[str, str | None, str | None]]:
    with database.sessions() as s:
        return [
            (e.action, e.field, e.new_value)
            for e in s.scalars(
                select(AuditEvent).where(AuditEvent.record_uuid == uuid).order_by(AuditEvent.id)
            )
        ]


def test_a_save_flushed_but_not_committed_does_not_hold_the_turn(team, pg_database):
    """Another official may take the turn while this save's change is already flushed."""
    with team.session() as s:
        created = records.create(s, "actor", {"name_de": "Stadt Kiel (Beispiel)"})
    other = _other_connection(pg_database)
    try:
        with team.session() as s:
            records.update(s, "actor", created.uuid, "notes", "Stand A (Beispiel)")
            s.flush()
            taken = other.execute("SELECT pg_try_advisory_xact_lock(%s)", (AUDIT_LOCK_KEY,))
            assert taken.fetchone() == (True,)
            other.rollback()  # the turn given back before this save commits
    finally:
        other.close()
    assert _trail(team, created.uuid)[-1] == ("update", "notes", "Stand A (Beispiel)")
    with team.engine.connect() as conn:
        assert verify_chain(conn).intact


def test_the_save_committed_first_has_the_lower_id(team, pg_database):
    """Ids follow commit order: a save that flushed first but commits last comes last."""
    with team.session() as s:
        a = records.create(s, "actor", {"name_de": "Stadt Lübeck (Beispiel)"})
        b = records.create(s, "actor", {"name_de": "Stadt Würzburg (Beispiel)"})
    second = Database.open(pg_database)
    try:
        with team.session() as s:
            records.update(s, "actor", a.uuid, "notes", "zuerst gespeichert (Beispiel)")
            s.flush()
            with second.session() as s2:  # would wait for the first's turn before
                s2.execute(text("SET LOCAL lock_timeout = '60s'"))  # a safety net, not a timer
                records.update(s2, "actor", b.uuid, "notes", "zuerst übernommen (Beispiel)")
    finally:
        second.close()
    with team.sessions() as s:
        first_flushed = s.scalar(
            select(AuditEvent.id).where(
                AuditEvent.record_uuid == a.uuid, AuditEvent.field == "notes"
            )
        )
        first_committed = s.scalar(
            select(AuditEvent.id).where(
                AuditEvent.record_uuid == b.uuid, AuditEvent.field == "notes"
            )
        )
    assert first_committed < first_flushed
    with team.engine.connect() as conn:
        assert verify_chain(conn).intact


@pytest.mark.both_engines
def test_a_savepoint_rolled_back_takes_its_events_with_it(db):
    with db.session() as s:
        created = records.create(s, "actor", {"name_de": "Stadt Göttingen (Beispiel)"})
        try:
            with s.begin_nested():
                records.update(s, "actor", created.uuid, "notes", "verworfen (Beispiel)")
                raise LookupError("the user cancelled")
        except LookupError:
            pass
        with s.begin_nested():
            records.update(s, "actor", created.uuid, "region", "Niedersachsen")
        records.update(s, "actor", created.uuid, "notes", "behalten (Beispiel)")
    trail = _trail(db, created.uuid)
    assert [a for a, _f, _v in trail] == ["insert", "update", "update"]
    assert trail[1:] == [
        ("update", "region", "Niedersachsen"),
        ("update", "notes", "behalten (Beispiel)"),
    ]
    with db.engine.connect() as conn:
        report = verify_chain(conn)
    assert report.intact, report.breaks[:3]  # none left unsealed before the savepoints
    with db.sessions() as s:
        assert verify_records(s) == []
        assert s.scalars(select(Actor.notes)).one() == "behalten (Beispiel)"


@pytest.mark.both_engines
def test_a_transaction_rolled_back_writes_no_events(db):
    with db.session() as s:
        created = records.create(s, "actor", {"name_de": "Stadt Tübingen (Beispiel)"})
    with pytest.raises(LookupError), db.session() as s:
        records.update(s, "actor", created.uuid, "notes", "nie gespeichert (Beispiel)")
        s.flush()
        raise LookupError("closed without saving")
    with db.session() as s:  # the next transaction on the same connection writes only its own
        records.update(s, "actor", created.uuid, "region", "Baden-Württemberg")
    assert [f for _a, f, _v in _trail(db, created.uuid)] == [None, "region"]
    with db.engine.connect() as conn:
        assert verify_chain(conn).intact
