"""Backups with SQLite's online backup API, kept in a rotating ``backups/`` folder."""

from __future__ import annotations

import os
import re
import sqlite3
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from chinadialog_desktop.errors import DatabaseDamaged
from chinadialog_desktop.i18n import N_, _
from chinadialog_desktop.persistence import faultpoint
from chinadialog_desktop.persistence.backup_keep import DEFAULT_KEEP as DEFAULT_KEEP
from chinadialog_desktop.persistence.sqlite_files import (
    connect,
    connect_readonly,
    make_private_dirs,
)

# Why a backup was made: the reason ends its file name; these are the words people read
# (every view takes them from here). A reason without words here cannot be used.
REASONS: dict[str, str] = {
    "manual": N_("Made by hand"),
    "upgrade": N_("Before a program update"),
    "restore": N_("Before a restore"),
    "import": N_("Before an import"),
    "delete": N_("Before a reference list was removed"),
    "interrupted": N_("Half-upgraded file, replaced automatically"),
    "damaged": N_("Damaged file, replaced by a restore"),
}
# What a backup of this reason is for, where that needs saying.
NOTES: dict[str, str] = {
    "upgrade": N_(
        "The state before a program update. It is never removed automatically, however "
        "many backups are made later."
    ),
    "interrupted": N_(
        "The file as an interrupted program update left it. The state before the update was "
        "put back automatically, so you need not restore this copy; it is never removed "
        "automatically."
    ),
    "damaged": N_(
        "The damaged file as it was before a restore replaced it. Restore a newer backup "
        "rather than this one; it is kept so that records can still be rescued from it."
    ),
}
# Never rotated out by later backups: the state before a program update, a
# half-upgraded file that was replaced automatically, a damaged file replaced
# by a restore.
PROTECTED_REASONS = frozenset({"upgrade", "interrupted", "damaged"})  # all in REASONS
_NAME = re.compile(r"^(?P<stem>.+)-(?P<stamp>\d{8}-\d{6}(?:-\d+)?)-(?P<reason>[a-z]+)\.sqlite3$")


@dataclass(frozen=True)
class BackupInfo:
    path: Path
    created: datetime
    reason: str
    size: int


def reason_label(reason: str) -> str:
    """The occasion of a backup in words (a name not made by this program: "Other")."""
    return _(REASONS[reason]) if reason in REASONS else _("Other")


def reason_note(reason: str) -> str:
    """What a backup of this reason is for, in one or two sentences; '' for the usual ones."""
    return _(NOTES[reason]) if reason in NOTES else ""


def backups_dir(db_path: Path) -> Path:
    return Path(db_path).resolve().parent / "backups"


def copy_database(src: Path, dst: Path, *, check: bool = True) -> None:
    """Copy a live database consistently (WAL content included) into a single file.

    With ``check`` the copy passes ``PRAGMA quick_check`` before it is put in
    place; a damaged source raises DatabaseDamaged and leaves no copy, so a
    backup of a damaged file never pushes a good one out of the rotation
    (benchmarks/RESULTS.md: the check costs about as much as the copy).
    """
    make_private_dirs(dst.parent)
    tmp = dst.with_name(dst.name + ".part")
    tmp.unlink(missing_ok=True)
    source = connect_readonly(src)
    try:
        target = connect(tmp)
        try:
            source.backup(target)
            target.execute("PRAGMA journal_mode = DELETE")
            problems = quick_check(target) if check else []
        finally:
            target.close()
    finally:
        source.close()
    if problems:
        tmp.unlink(missing_ok=True)
        damaged = DatabaseDamaged(damaged_message(Path(src)))
        damaged.problems = problems
        raise damaged
    fd = os.open(tmp, os.O_RDONLY)
    try:
        os.fsync(fd)  # the copy is on disk before anything relies on it
    finally:
        os.close(fd)
    faultpoint.hit("backup-before-rename")
    tmp.replace(dst)


def quick_check(conn: sqlite3.Connection) -> list[str]:
    """SQLite's ``quick_check``: its complaints (empty when the file is sound)."""
    try:
        return [r[0] for r in conn.execute("PRAGMA quick_check") if r[0] != "ok"]
    except sqlite3.DatabaseError as exc:  # too damaged even to list the damage
        return [str(exc)]


def damaged_message(path: Path) -> str:
    """The command line's sentence for a damaged file (SQLite's own findings, in English,
    stay in the damage marker beside it; ``db check --debug`` shows them)."""
    return _(
        "{path} is damaged, so nothing is written to it. 'chinadialog db recover' saves "
        "what can still be read into a new file; 'chinadialog db restore' puts back a backup."
    ).format(path=path)


def make_backup(
    db_path: Path, reason: str = "manual", keep: int = DEFAULT_KEEP, out: Path | None = None
) -> Path:
    """Back up ``db_path``; with no ``out``, into ``backups/`` and rotate to ``keep`` files."""
    db_path = Path(db_path)
    if out is not None:
        copy_database(db_path, Path(out))
        return Path(out)
    target = backup_name(db_path, reason)
    try:
        copy_database(db_path, target)
    except DatabaseDamaged as exc:
        mark_damaged(db_path, exc.problems)  # no more writing to it until repaired
        raise
    rotate(db_path, keep)
    return target


def damage_marker(db_path: Path) -> Path:
    """Left in backups/ when a check found ``db_path`` damaged; gone when a check passes."""
    return backups_dir(db_path) / (Path(db_path).name + ".damaged")


def mark_damaged(db_path: Path, problems: list[str]) -> None:
    marker = damage_marker(db_path)
    try:
        make_private_dirs(marker.parent)
        marker.write_text("; ".join(problems[:3]) + "\n", encoding="utf-8")
    except OSError:
        pass  # a read-only folder: nothing can be written there anyway


def clear_damaged(db_path: Path) -> None:
    damage_marker(db_path).unlink(missing_ok=True)


def backup_name(db_path: Path, reason: str) -> Path:
    """A new, unused name in ``backups/`` for a backup made now for ``reason``."""
    if reason not in REASONS:
        raise ValueError(f"no words for the backup reason {reason!r} in backup.REASONS")
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
        n = int(m["stamp"][16:] or 0)  # the second, third … backup within one second
        found.append(
            (
                n,
                BackupInfo(
                    p, datetime.strptime(stamp, "%Y%m%d-%H%M%S"), m["reason"], p.stat().st_size
                ),
            )
        )
    found.sort(key=lambda nb: (nb[1].created, nb[0]), reverse=True)
    return [b for _n, b in found]


def rotate(db_path: Path, keep: int) -> None:
    """Keep the newest ``keep`` backups; PROTECTED_REASONS are neither counted nor removed."""
    rotating = [b for b in list_backups(db_path) if b.reason not in PROTECTED_REASONS]
    for old in rotating[max(keep, 1) :]:
        old.path.unlink(missing_ok=True)
