"""Migration 0014: the sort indexes appear on an older file, survive a kill, and go again.

The indexes are on ``cd_sort(…)``, a function the app gives each of its SQLite
connections. What a program without it (the sqlite3 shell) can still do is
pinned down here too: read everything, ``quick_check``, write other tables; a
write to partnership, actor or assessment is refused and changes nothing.
"""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest
from alembic import command
from faults.faultkit import cli, integrity, revision_of, was_killed

from chinadialog_desktop.persistence import lifecycle, migrate
from chinadialog_desktop.persistence.database import Database
from chinadialog_desktop.persistence.engine import make_engine, sqlite_url
from chinadialog_desktop.persistence.schema import HEAD_REVISION
from chinadialog_desktop.services.records.lists import list_ids, list_rows

BEFORE = "0013_assessment_classification"
INDEXES = {"ix_partnership_title_sort", "ix_actor_name_de_sort", "ix_assessment_title_sort"}
TITLES = ["Zürich (Beispiel)", "HHLA (Beispiel)", "Äbtissin (Beispiel)", "Hamburg (Beispiel)"]
IN_ORDER = ["Äbtissin (Beispiel)", "Hamburg (Beispiel)", "HHLA (Beispiel)", "Zürich (Beispiel)"]


def _upgrade_to(path: Path, target: str) -> None:
    engine = make_engine(sqlite_url(path), foreign_keys=False)
    with engine.begin() as conn:
        migrate.upgrade(conn, target)
    engine.dispose()


def _old_file(path: Path) -> None:
    """A file at 0012 with partnerships and actors, written by a plain sqlite3 connection."""
    _upgrade_to(path, BEFORE)
    conn = sqlite3.connect(path)
    for n, title in enumerate(TITLES, start=1):
        conn.execute(
            "INSERT INTO partnership (uuid, created_at, modified_at, version, title, type, "
            "status, start_precision, end_precision, fields_of_action) VALUES "
            "(?, '2026-01-01', '2026-01-01', 1, ?, 'twin_city', 'active', 'day', 'day', '[]')",
            (f"00000000-0000-4000-8000-00000000000{n}", title),
        )
        conn.execute(
            "INSERT INTO actor (uuid, created_at, modified_at, version, name_de, kind, country) "
            "VALUES (?, '2026-01-01', '2026-01-01', 1, ?, 'city', 'DE')",
            (f"00000000-0000-4000-9000-00000000000{n}", title),
        )
    conn.commit()
    conn.close()


def _indexes(path: Path) -> set[str]:
    conn = sqlite3.connect(path)  # reading the schema needs no function
    try:
        return {r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type='index'")}
    finally:
        conn.close()


def _titles(path: Path) -> tuple[list[str], list[str]]:
    db = Database.open(path)
    try:
        with db.session() as s:
            partnerships = [
                r.title for r in list_rows(s, "partnership", list_ids(s, "partnership"))
            ]
            actors = [r.name_de for r in list_rows(s, "actor", list_ids(s, "actor"))]
    finally:
        db.close()
    return partnerships, actors


def test_a_file_of_0012_gets_the_sort_indexes_and_keeps_its_order(tmp_path):
    path = tmp_path / "alt #ä 排序.sqlite3"
    _old_file(path)
    assert not INDEXES & _indexes(path)
    db = Database.open(path)  # backs up and upgrades
    assert db.opened.migrated_from == BEFORE
    db.close()
    assert _indexes(path) >= INDEXES
    assert _titles(path) == (IN_ORDER, IN_ORDER)
    assert integrity(path) == "ok"  # the full check computes every index entry again
    assert lifecycle.schema_problems(path, HEAD_REVISION) == []


def test_downgrade_drops_the_sort_indexes_and_upgrade_builds_them_again(tmp_path):
    path = tmp_path / "m.sqlite3"
    _old_file(path)
    _upgrade_to(path, "head")
    cfg = migrate.alembic_config(sqlite_url(path))  # the alembic command's own engine
    command.downgrade(cfg, BEFORE)
    assert not INDEXES & _indexes(path)
    command.upgrade(cfg, "head")
    assert _indexes(path) >= INDEXES
    command.check(cfg)
    assert _titles(path) == (IN_ORDER, IN_ORDER)


def test_a_program_without_cd_sort_reads_the_file_but_cannot_change_the_sorted_tables(tmp_path):
    path = tmp_path / "m.sqlite3"
    _old_file(path)
    Database.open(path).close()
    shell = sqlite3.connect(path)  # what the sqlite3 shell or another tool has
    try:
        assert len(shell.execute("SELECT title FROM partnership").fetchall()) == len(TITLES)
        assert shell.execute("PRAGMA quick_check").fetchone() == ("ok",)
        for sql in (
            "UPDATE partnership SET title = 'Anders (Beispiel)'",
            "DELETE FROM actor",
            "INSERT INTO assessment (uuid) VALUES ('x')",
            "PRAGMA integrity_check",
        ):
            with pytest.raises(sqlite3.OperationalError, match="cd_sort"):
                shell.execute(sql)
        shell.rollback()
        # Columns outside the sort key and other tables stay writable.
        shell.execute("UPDATE partnership SET description = 'Notiz (Beispiel)'")
        shell.commit()
    finally:
        shell.close()
    assert _titles(path) == (IN_ORDER, IN_ORDER)
    assert integrity(path) == "ok"


@pytest.mark.parametrize(
    "point", ["upgrade-step:1", "upgrade-before-commit:1", "upgrade-statement:3"]
)
def test_a_kill_during_the_index_build_leaves_a_file_that_opens(tmp_path, point):
    path = tmp_path / "Partnerschaften.sqlite3"
    _old_file(path)
    result = cli(path, "db", "upgrade", fault=point)
    assert was_killed(result), (result.returncode, result.stdout, result.stderr)
    assert integrity(path) == "ok"
    assert revision_of(path) in (BEFORE, HEAD_REVISION)
    assert _titles(path) == (IN_ORDER, IN_ORDER)  # the next start upgrades and lists
    assert revision_of(path) == HEAD_REVISION
    assert _indexes(path) >= INDEXES


def _index_sql(path: Path) -> dict[str, str]:
    conn = sqlite3.connect(path)
    try:
        rows = conn.execute("SELECT name, sql FROM sqlite_master WHERE name LIKE 'ix_%_sort'")
        return {name: sql for name, sql in rows}
    finally:
        conn.close()


def test_the_migrated_indexes_are_those_a_new_file_gets(tmp_path):
    """Migration 0014 writes the SQL out; it must equal the models' (create_all) index,
    whose use by the lists tests/unit/test_sort_order.py checks on both engines."""
    created, migrated = tmp_path / "c.sqlite3", tmp_path / "m.sqlite3"
    lifecycle.create_schema(created)
    _old_file(migrated)
    _upgrade_to(migrated, "head")
    assert set(_index_sql(migrated)) == INDEXES
    assert _index_sql(migrated) == _index_sql(created)


def test_a_team_database_of_0012_gets_the_same_indexes_as_a_new_one(pg_server, pg_template):
    from sqlalchemy import text

    from chinadialog_desktop.persistence.server import make_server_engine, parse_target
    from chinadialog_desktop.persistence.server_upgrade import upgrade_server

    def index_sql(database: str) -> dict[str, str]:
        engine = make_server_engine(parse_target(pg_server.plain_url(database)))
        try:
            with engine.connect() as conn:
                rows = conn.execute(
                    text(
                        "SELECT indexname, indexdef FROM pg_indexes "
                        "WHERE indexname LIKE 'ix_%_sort'"
                    )
                )
                return {name: sql for name, sql in rows}
        finally:
            engine.dispose()

    name = pg_server.create_database("m")
    try:
        target = parse_target(pg_server.plain_url(name))
        engine = make_server_engine(target)
        try:
            with engine.begin() as conn:
                migrate.upgrade(conn, BEFORE)
            assert index_sql(name) == {}
            upgrade_server(target, engine)  # the team's upgrade: alembic from 0012 to the head
        finally:
            engine.dispose()
        assert set(index_sql(name)) == INDEXES
        assert index_sql(name) == index_sql(pg_template)
    finally:
        pg_server.drop_database(name)
