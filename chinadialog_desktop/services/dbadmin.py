"""Facts about an open database file, for ``db info`` and the GUI's about box."""

from __future__ import annotations

import sqlite3
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

from chinadialog_desktop.domain.registers import REGISTERS
from chinadialog_desktop.persistence import backup, lifecycle
from chinadialog_desktop.persistence.sqlite_files import (
    connect,
    make_private_dirs,
)

COUNTED_TABLES = (
    "actor",
    "partnership",
    "activity",
    "contact",
    *(r.record_kind for r in REGISTERS),  # the tables of the registers
    "source",
    "attachment",
    "dossier",
    "checklist_template",
    "assessment",
    "audit_event",
    "import_run",
)


@dataclass
class DatabaseInfo:
    path: str
    size_bytes: int
    revision: str | None
    state: str
    sqlite_version: str
    journal_mode: str
    counts: dict[str, int] = field(default_factory=dict)
    backups: int = 0

    def as_json(self) -> dict[str, Any]:
        return asdict(self)


def server_info(database: Any) -> dict[str, Any]:
    """``db info`` of a team database: where, which schema, which server, how many records."""
    from sqlalchemy import text

    with database.engine.connect() as conn:
        revision = conn.execute(text("SELECT version_num FROM alembic_version")).scalar()
        version = conn.execute(text("SHOW server_version")).scalar()
        user = conn.execute(text("SELECT current_user")).scalar()
        counts = {
            table: int(conn.execute(text(f'SELECT count(*) FROM "{table}"')).scalar() or 0)  # noqa: S608
            for table in COUNTED_TABLES
        }
    return {
        "server": database.location,
        "revision": revision,
        "server_version": str(version),
        "user": str(user),
        "counts": counts,
    }


def database_info(path: Path) -> DatabaseInfo:
    path = Path(path)
    inspection = lifecycle.inspect_file(path)
    counts: dict[str, int] = {}
    journal = ""
    conn = lifecycle.connect(path)
    try:
        tables = {r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type='table'")}
        for table in COUNTED_TABLES:
            if table in tables:
                counts[table] = conn.execute(f'SELECT count(*) FROM "{table}"').fetchone()[0]
        journal = conn.execute("PRAGMA journal_mode").fetchone()[0]
    finally:
        conn.close()
    return DatabaseInfo(
        path=str(path),
        size_bytes=path.stat().st_size,
        revision=inspection.revision,
        state=inspection.state.value,
        sqlite_version=sqlite3.sqlite_version,
        journal_mode=journal,
        counts=counts,
        backups=len(backup.list_backups(path)),
    )


def initialise_empty(path: Path, keep_backups: int = backup.DEFAULT_KEEP) -> None:
    """Make a database in an existing zero-byte file, once the user has agreed."""
    lifecycle.prepare(Path(path), keep_backups, init_empty=True)


# --- saving what can be read from a damaged file ------------------------------------------


@dataclass
class TableRescue:
    table: str
    saved: int
    expected: int | None  # the damaged file's own count, when it could still say
    gaps: int = 0  # stretches of unreadable rows that were skipped


@dataclass
class RecoveryReport:
    source: str
    target: str
    revision: str | None
    tables: list[TableRescue] = field(default_factory=list)
    lost_tables: list[str] = field(default_factory=list)  # not readable at all
    problems_after: list[str] = field(default_factory=list)  # the new file's own check

    def as_json(self) -> dict[str, Any]:
        return asdict(self)


_SKIPPED_PREFIXES = ("sqlite_", "search_")  # SQLite's own; the search index is rebuilt


def recover(path: Path, out: Path) -> RecoveryReport:
    """Copy every row that can still be read from ``path`` into the new file ``out``.

    SQLite's own ``.recover`` needs the ``sqlite_dbpage`` extension, which the
    SQLite in Python and in Debian's ``sqlite3`` shell lack; so the rows are
    read table by table in rowid order, and where a damaged page stops the
    reading, it goes on after the gap. The new file gets the original schema
    (without the search index, which is rebuilt when it is opened), is checked
    and only then appears under ``out``. The damaged file is not changed.
    """
    from chinadialog_desktop.errors import DatabaseRefused, UserError
    from chinadialog_desktop.i18n import _

    path, out = Path(path), Path(out)
    if out.exists():
        raise UserError(_("{path} already exists; choose a new file name.").format(path=out))
    src = lifecycle.connect(path)
    try:
        try:
            schema = src.execute(
                "SELECT type, name, tbl_name, sql FROM sqlite_master WHERE sql IS NOT NULL"
            ).fetchall()
        except sqlite3.DatabaseError:
            raise DatabaseRefused(
                _(
                    "Even the table list of {path} is unreadable; nothing can be saved from it "
                    "with this tool. Restore a backup instead ('chinadialog db backups')."
                ).format(path=path)
            ) from None
        tables = [
            (name, sql)
            for kind, name, _tbl, sql in schema
            if kind == "table"
            and not name.startswith(_SKIPPED_PREFIXES)
            and not sql.upper().startswith("CREATE VIRTUAL")
        ]
        indexes = [
            sql
            for kind, name, tbl, sql in schema
            if kind == "index" and not tbl.startswith(_SKIPPED_PREFIXES)
        ]
        make_private_dirs(out.parent)
        part = out.with_name(out.name + ".part")
        part.unlink(missing_ok=True)
        dst = connect(part, isolation_level=None)  # created owner-only
        report = RecoveryReport(str(path), str(out), None)
        try:
            dst.execute("BEGIN")
            for name, sql in tables:
                dst.execute(sql)
                rescue = _copy_rows(src, dst, name)
                if rescue is None:
                    report.lost_tables.append(name)
                else:
                    report.tables.append(rescue)
            for sql in indexes:
                try:
                    dst.execute(sql)
                except sqlite3.IntegrityError:
                    report.problems_after.append(sql.split(" ON ")[0])
            dst.execute("COMMIT")
            dst.execute("PRAGMA journal_mode = WAL")
            report.problems_after += lifecycle._integrity_problems(dst)
            try:
                row = dst.execute("SELECT version_num FROM alembic_version").fetchone()
                report.revision = row[0] if row else None
            except sqlite3.DatabaseError:
                report.revision = None
        finally:
            dst.close()
    finally:
        src.close()
    lifecycle._fsync_file(part)
    part.replace(out)
    lifecycle.fsync_dir(out.parent)
    return report


def _copy_rows(src: sqlite3.Connection, dst: sqlite3.Connection, table: str) -> TableRescue | None:
    quoted = '"' + table.replace('"', '""') + '"'
    try:
        columns = [r[1] for r in src.execute(f"PRAGMA table_info({quoted})")]
    except sqlite3.DatabaseError:
        return None
    try:
        expected: int | None = src.execute(f"SELECT count(*) FROM {quoted}").fetchone()[0]
    except sqlite3.DatabaseError:
        expected = None
    names = ", ".join('"' + c.replace('"', '""') + '"' for c in columns)
    insert = (
        f"INSERT OR IGNORE INTO {quoted} (rowid, {names}) "
        f"VALUES ({', '.join('?' * (len(columns) + 1))})"
    )
    rescue = TableRescue(table, 0, expected)
    after: int | None = None  # the last rowid copied; None: from the start
    skip_from = 0  # where the last probe found readable rows again
    while True:
        where = "" if after is None else f"WHERE rowid > {after}"
        progressed = False
        try:
            for row in src.execute(f"SELECT rowid, {names} FROM {quoted} {where} ORDER BY rowid"):
                dst.execute(insert, row)
                rescue.saved += 1
                after = row[0]
                progressed = True
            return rescue
        except sqlite3.DatabaseError:
            base = after if after is not None else 0
            if not progressed:  # failed again at once: look further on than last time
                base = max(base, skip_from)
            resume = _next_readable_rowid(src, quoted, base)
            if resume is None:
                return rescue if rescue.saved else None
            if progressed or rescue.gaps == 0:
                rescue.gaps += 1
            skip_from = resume
            after = resume - 1


def _next_readable_rowid(src: sqlite3.Connection, quoted: str, start: int) -> int | None:
    """The first rowid after ``start`` (past a damaged stretch) where reading works again."""
    step = 1
    while step < 1 << 40:
        probe = start + step
        try:
            row = src.execute(
                f"SELECT rowid FROM {quoted} WHERE rowid >= ? ORDER BY rowid LIMIT 1", (probe,)
            ).fetchone()
        except sqlite3.DatabaseError:
            step *= 2
            continue
        return None if row is None else int(row[0])
    return None


# -- backups and restore, as the window and the command line offer them ------


def backups_folder(db_path: Path) -> Path:
    """Where the backups of ``db_path`` are kept (``backups/`` beside it)."""
    return backup.backups_dir(db_path)


def list_backups(db_path: Path) -> list[backup.BackupInfo]:
    """The backups of ``db_path``, newest first."""
    return backup.list_backups(db_path)


def backup_occasion(reason: str) -> str:
    """Why a backup was made, in words ("Vor einem Programm-Update"), never its code."""
    return backup.reason_label(reason)


def backup_note(reason: str) -> str:
    """What a kept backup of this occasion is for and whether to restore it; '' if usual."""
    return backup.reason_note(reason)


def make_backup(db_path: Path, reason: str, keep: int = backup.DEFAULT_KEEP) -> Path:
    """A consistent copy of ``db_path`` in its backups folder; old ones rotate out."""
    return backup.make_backup(db_path, reason, keep=keep)


def restore(backup_file: Path, db_path: Path, keep_backups: int = backup.DEFAULT_KEEP) -> Path:
    """Put ``backup_file`` in place of ``db_path`` (the current state is backed up first)."""
    return lifecycle.restore(backup_file, db_path, keep_backups)
