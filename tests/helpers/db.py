"""Looking at a database (file or team server) from outside the application."""

from __future__ import annotations

import hashlib
import os
import shutil
import stat
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pytest

from chinadialog_desktop.persistence.database import Database
from chinadialog_desktop.persistence.sqlite_files import connect_readonly


def db_state(db: Database) -> dict[str, Any]:
    """Every table's rows (counted and hashed) and the integrity check.

    A rejected import writes nothing but its own entry in the import history
    (a failed run, with the audit event of that entry); those are left out, so
    ``db_state`` before and after a rejection must be equal. Everything else is
    compared row by row, not by file bytes (a history entry moves pages).
    """
    if db.path is None:  # a team database on a server: read through its own connection
        return _server_state(db)
    conn = connect_readonly(db.path)
    try:
        tables = [
            r[0]
            for r in conn.execute(
                "SELECT name FROM sqlite_master WHERE type='table' AND name != 'sqlite_sequence' "
                "ORDER BY name"
            )
        ]
        failed = {r[0] for r in conn.execute("SELECT uuid FROM import_run WHERE status = 'failed'")}
        counts: dict[str, int] = {}
        digest = hashlib.sha256()
        for table in tables:
            cursor = conn.execute(f'SELECT * FROM "{table}"')
            names = [d[0] for d in cursor.description]
            rows = cursor.fetchall()
            if table == "import_run":
                at = names.index("uuid")
                rows = [r for r in rows if r[at] not in failed]
            elif table == "audit_event" and "record_uuid" in names:
                at = names.index("record_uuid")
                rows = [r for r in rows if r[at] not in failed]
            counts[table] = len(rows)
            digest.update(table.encode())
            for line in sorted(repr(r) for r in rows):
                digest.update(line.encode("utf-8", "surrogatepass"))
        integrity = conn.execute("PRAGMA integrity_check").fetchone()[0]
    finally:
        conn.close()
    return {"counts": counts, "integrity": integrity, "sha256": digest.hexdigest()}


def _server_state(db: Database) -> dict[str, Any]:
    """``db_state`` of a PostgreSQL database: the same counts and hash, read with SQL."""
    from sqlalchemy import text

    with db.engine.connect() as conn:
        tables = [
            str(r[0])
            for r in conn.execute(
                text(
                    "SELECT tablename FROM pg_tables WHERE schemaname = current_schema() "
                    "ORDER BY tablename"
                )
            )
        ]
        failed = {
            r[0] for r in conn.execute(text("SELECT uuid FROM import_run WHERE status = 'failed'"))
        }
        counts: dict[str, int] = {}
        digest = hashlib.sha256()
        for table in tables:
            result = conn.execute(text(f'SELECT * FROM "{table}"'))
            names = list(result.keys())
            rows = [tuple(r) for r in result]
            if table == "import_run":
                at = names.index("uuid")
                rows = [r for r in rows if r[at] not in failed]
            elif table == "audit_event" and "record_uuid" in names:
                at = names.index("record_uuid")
                rows = [r for r in rows if r[at] not in failed]
            counts[table] = len(rows)
            digest.update(table.encode())
            for line in sorted(repr(r) for r in rows):
                digest.update(line.encode("utf-8", "surrogatepass"))
    # PostgreSQL checks every page as it reads it; there is no separate integrity check.
    return {"counts": counts, "integrity": "ok", "sha256": digest.hexdigest()}


def failed_runs(db: Database) -> list[tuple[str, str, str]]:
    """The rejected attempts in the import history: (file name, sha256, message)."""
    if db.path is None:
        from sqlalchemy import text

        with db.engine.connect() as sconn:
            return [
                (r[0], r[1], r[2] or "")
                for r in sconn.execute(
                    text(
                        "SELECT file_name, sha256, message FROM import_run "
                        "WHERE status = 'failed' ORDER BY id"
                    )
                )
            ]
    conn = connect_readonly(db.path)
    try:
        return [
            (r[0], r[1], r[2] or "")
            for r in conn.execute(
                "SELECT file_name, sha256, message FROM import_run WHERE status = 'failed' "
                "ORDER BY id"
            )
        ]
    finally:
        conn.close()


def query(db: Database, sql: str, **params: Any) -> list[tuple[Any, ...]]:
    """Rows of one SQL statement (``:name`` parameters), read beside the app on either
    engine through the database's own engine, in a transaction of its own."""
    from sqlalchemy import text

    with db.engine.connect() as conn:
        return [tuple(r) for r in conn.execute(text(sql), params)]


def execute(db: Database, sql: str, **params: Any) -> None:
    """Run one changing SQL statement beside the app (committed), on either engine."""
    from sqlalchemy import text

    with db.engine.begin() as conn:
        conn.execute(text(sql), params)


def copy_database_file(template: Path, dest: Path | str) -> None:
    """A new database file at ``dest`` holding what the closed file ``template`` holds.

    Written now (a fresh modification time) and private like a file the app creates.
    """
    if Path(f"{template}-wal").exists():
        raise RuntimeError(f"{template} still has a write-ahead log; close it before copying")
    shutil.copyfile(template, dest)
    os.chmod(dest, stat.S_IMODE(template.stat().st_mode))


@contextmanager
def building_template(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    """A folder for a session-wide template database, built with English active and
    HOME/XDG_* in a folder of its own, whatever test first asked for it.

    (No Qt here: nothing that builds a database may touch QSettings.)
    """
    from chinadialog_desktop.i18n import language, set_language
    from helpers.isolation import XDG

    folder = tmp_path_factory.mktemp("template")
    before = language()
    with pytest.MonkeyPatch.context() as mp:
        for name, sub in {"HOME": ".", **XDG}.items():
            (folder / "home" / sub).mkdir(parents=True, exist_ok=True)
            mp.setenv(name, str(folder / "home" / sub))
        set_language("en")
        try:
            yield folder
        finally:
            set_language(before)
