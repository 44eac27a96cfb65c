"""Opening a database file: create, check, back up and migrate, or refuse."""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass
from enum import Enum
from pathlib import Path

from chinadialog_desktop.errors import DatabaseNewer, DatabaseRefused, MigrationFailed
from chinadialog_desktop.i18n import _
from chinadialog_desktop.persistence import backup
from chinadialog_desktop.persistence.schema import HEAD_REVISION, KNOWN_REVISIONS
from chinadialog_desktop.persistence.sqlite_files import connect_readonly, make_private_dirs

SQLITE_MAGIC = b"SQLite format 3\x00"


class FileState(Enum):
    MISSING = "missing"
    EMPTY = "empty"  # a valid SQLite file without tables
    CURRENT = "current"
    OLDER = "older"


@dataclass(frozen=True)
class Inspection:
    state: FileState
    revision: str | None


def inspect_file(path: Path) -> Inspection:
    """Look at a file without changing it; raise DatabaseRefused if we must not open it."""
    path = Path(path)
    if not path.exists():
        return Inspection(FileState.MISSING, None)
    if path.is_dir():
        raise DatabaseRefused(_("{path} is a folder, not a database file.").format(path=path))
    with path.open("rb") as fh:
        head = fh.read(16)
    if len(head) == 0:
        return Inspection(FileState.EMPTY, None)
    if head != SQLITE_MAGIC:
        raise DatabaseRefused(
            _(
                "{path} is not a ChinaDialog database (not an SQLite file). It was left unchanged."
            ).format(path=path)
        )
    try:
        conn = connect_readonly(path)
        try:
            tables = {
                r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type='table'")
            }
            revision = None
            if "alembic_version" in tables:
                row = conn.execute("SELECT version_num FROM alembic_version").fetchone()
                revision = row[0] if row else None
        finally:
            conn.close()
    except sqlite3.DatabaseError as exc:
        raise DatabaseRefused(
            _("{path} is damaged and cannot be opened ({reason}). It was left unchanged.").format(
                path=path, reason=exc
            )
        ) from exc
    if not tables:
        return Inspection(FileState.EMPTY, None)
    if revision is None:
        raise DatabaseRefused(
            _(
                "{path} is an SQLite file of another program, not a ChinaDialog database. "
                "It was left unchanged."
            ).format(path=path)
        )
    if revision == HEAD_REVISION:
        return Inspection(FileState.CURRENT, revision)
    if revision in KNOWN_REVISIONS:
        return Inspection(FileState.OLDER, revision)
    raise DatabaseNewer(
        _(
            "{path} was written by a newer version of ChinaDialog (schema {revision}). "
            "Please update the app; the file was left unchanged."
        ).format(path=path, revision=revision)
    )


def create_schema(path: Path) -> None:
    """Create a new database at the current schema and stamp it, without Alembic."""
    from sqlalchemy import text

    from chinadialog_desktop.persistence.engine import make_engine, sqlite_url
    from chinadialog_desktop.persistence.models import Base

    make_private_dirs(path.parent)
    engine = make_engine(sqlite_url(path))
    try:
        with engine.begin() as conn:
            Base.metadata.create_all(conn)
            conn.execute(
                text(
                    "CREATE TABLE alembic_version (version_num VARCHAR(32) NOT NULL, "
                    "CONSTRAINT alembic_version_pkc PRIMARY KEY (version_num))"
                )
            )
            conn.execute(text("INSERT INTO alembic_version VALUES (:r)"), {"r": HEAD_REVISION})
    finally:
        engine.dispose()


def check_integrity(path: Path) -> list[str]:
    """``quick_check`` and ``foreign_key_check``; returns the problems found, in words."""
    problems: list[str] = []
    conn = connect_readonly(path)
    try:
        for (msg,) in conn.execute("PRAGMA quick_check"):
            if msg != "ok":
                problems.append(msg)
        for table, rowid, parent, _fk in conn.execute("PRAGMA foreign_key_check"):
            problems.append(
                _("row {rowid} of {table} refers to a missing record in {parent}").format(
                    rowid=rowid, table=table, parent=parent
                )
            )
    finally:
        conn.close()
    return problems


def migrate(path: Path, keep_backups: int = backup.DEFAULT_KEEP) -> Path:
    """Back up, then upgrade to head with foreign keys off; restore if checks fail."""
    from chinadialog_desktop.persistence import migrate as alembic_runner
    from chinadialog_desktop.persistence.engine import make_engine, sqlite_url

    saved = backup.make_backup(path, reason="upgrade", keep=keep_backups)
    engine = make_engine(sqlite_url(path), foreign_keys=False)
    try:
        with engine.begin() as conn:
            alembic_runner.upgrade(conn)
        problems = []
    except Exception as exc:  # any failure must leave the original in place
        problems = [str(exc)]
    finally:
        engine.dispose()
    if not problems:
        problems = check_integrity(path)
    if problems:
        _remove_wal(path)
        backup.copy_database(saved, path)
        raise MigrationFailed(
            _(
                "Upgrading {path} failed; the previous state was restored from {backup}: {why}"
            ).format(path=path, backup=saved, why="; ".join(problems[:5]))
        )
    return saved


def _remove_wal(path: Path) -> None:
    for suffix in ("-wal", "-shm"):
        Path(str(path) + suffix).unlink(missing_ok=True)


@dataclass(frozen=True)
class Opened:
    path: Path
    created: bool
    migrated_from: str | None
    backup: Path | None


def prepare(path: Path, keep_backups: int = backup.DEFAULT_KEEP) -> Opened:
    """Make ``path`` ready to open at the current schema, or raise DatabaseRefused."""
    path = Path(path)
    info = inspect_file(path)
    if info.state in (FileState.MISSING, FileState.EMPTY):
        create_schema(path)
        return Opened(path, True, None, None)
    if info.state is FileState.OLDER:
        saved = migrate(path, keep_backups)
        return Opened(path, False, info.revision, saved)
    return Opened(path, False, None, None)


def restore(backup_file: Path, db_path: Path, keep_backups: int = backup.DEFAULT_KEEP) -> Path:
    """Replace the database with a backup; the current state is backed up first."""
    inspect_file(backup_file)  # refuses foreign, damaged or newer files
    saved = None
    if Path(db_path).exists() and inspect_file(db_path).state is not FileState.EMPTY:
        saved = backup.make_backup(db_path, reason="restore", keep=keep_backups)
    _remove_wal(db_path)
    backup.copy_database(Path(backup_file), Path(db_path))
    prepare(db_path, keep_backups)
    return saved or Path(db_path)
