"""Backups with SQLite's online backup API, kept in a rotating ``backups/`` folder."""

from __future__ import annotations

import os
import re
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from chinadialog_desktop.persistence import faultpoint
from chinadialog_desktop.persistence.sqlite_files import (
    connect,
    connect_readonly,
    make_private_dirs,
)

DEFAULT_KEEP = 10
# Never rotated out by later backups: the state before a program update, and
# a half-upgraded file that was replaced automatically.
PROTECTED_REASONS = frozenset({"upgrade", "interrupted"})
_NAME = re.compile(r"^(?P<stem>.+)-(?P<stamp>\d{8}-\d{6}(?:-\d+)?)-(?P<reason>[a-z]+)\.sqlite3$")


@dataclass(frozen=True)
class BackupInfo:
    path: Path
    created: datetime
    reason: str
    size: int


def backups_dir(db_path: Path) -> Path:
    return Path(db_path).resolve().parent / "backups"


def copy_database(src: Path, dst: Path) -> None:
    """Copy a live database consistently (WAL content included) into a single file."""
    make_private_dirs(dst.parent)
    tmp = dst.with_name(dst.name + ".part")
    tmp.unlink(missing_ok=True)
    source = connect_readonly(src)
    try:
        target = connect(tmp)
        try:
            source.backup(target)
            target.execute("PRAGMA journal_mode = DELETE")
        finally:
            target.close()
    finally:
        source.close()
    fd = os.open(tmp, os.O_RDONLY)
    try:
        os.fsync(fd)  # the copy is on disk before anything relies on it
    finally:
        os.close(fd)
    faultpoint.hit("backup-before-rename")
    tmp.replace(dst)


def make_backup(
    db_path: Path, reason: str = "manual", keep: int = DEFAULT_KEEP, out: Path | None = None
) -> Path:
    """Back up ``db_path``; with no ``out``, into ``backups/`` and rotate to ``keep`` files."""
    db_path = Path(db_path)
    if out is not None:
        copy_database(db_path, Path(out))
        return Path(out)
    target = backup_name(db_path, reason)
    copy_database(db_path, target)
    rotate(db_path, keep)
    return target


def backup_name(db_path: Path, reason: str) -> Path:
    """A new, unused name in ``backups/`` for a backup made now for ``reason``."""
    folder = backups_dir(db_path)
    stamp = datetime.now().strftime("%Y%m%d-%H%M%S")
    target = folder / f"{Path(db_path).stem}-{stamp}-{reason}.sqlite3"
    n = 1
    while target.exists():  # two backups within one second
        target = folder / f"{Path(db_path).stem}-{stamp}-{n}-{reason}.sqlite3"
        n += 1
    return target


def list_backups(db_path: Path) -> list[BackupInfo]:
    """Backups of this database, newest first."""
    folder = backups_dir(db_path)
    if not folder.is_dir():
        return []
    found = []
    for p in folder.iterdir():
        m = _NAME.match(p.name)
        if not m or m["stem"] != Path(db_path).stem:
            continue
        stamp = m["stamp"][:15]
        found.append(
            BackupInfo(p, datetime.strptime(stamp, "%Y%m%d-%H%M%S"), m["reason"], p.stat().st_size)
        )
    found.sort(key=lambda b: (b.created, b.path.name), reverse=True)
    return found


def rotate(db_path: Path, keep: int) -> None:
    """Keep the newest ``keep`` backups; PROTECTED_REASONS are neither counted nor removed."""
    rotating = [b for b in list_backups(db_path) if b.reason not in PROTECTED_REASONS]
    for old in rotating[max(keep, 1) :]:
        old.path.unlink(missing_ok=True)
