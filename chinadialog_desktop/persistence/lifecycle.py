"""Opening a database file: create, check, back up and migrate, or refuse.

Nothing here may leave a file the app cannot open again:

* A new database is built under a temporary name and moved into place when
  complete, so a kill or full disk during the first start leaves no file.
* An upgrade runs in one SQLite transaction (DDL included, see
  ``persistence/migrate.py``): it commits completely or not at all. Before it,
  a backup is taken and a marker file written; the marker goes when the
  upgrade has committed. A marker found at the next start means the upgrade
  was cut off: the file is checked against the schema its version stamp
  promises, and if it does not match (a half-migrated file, also one left by
  older versions of the app) the backup is put back automatically.
* Creation, migration and restore hold an exclusive lock between processes
  (``persistence/filelock.py``); a second process waits and then finds the
  work done.
* Before a file is judged, SQLite gets the chance to roll back a hot journal
  or recover its write-ahead log, as it would on any normal open.
"""

from __future__ import annotations

import errno
import glob
import json
import os
import shutil
import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from enum import Enum
from pathlib import Path
from typing import Any

from chinadialog_desktop.errors import (
    DatabaseDamaged,
    DatabaseEmptyFile,
    DatabaseNewer,
    DatabaseRefused,
    MigrationFailed,
    read_only_message,
)
from chinadialog_desktop.i18n import _
from chinadialog_desktop.persistence import backup, faultpoint
from chinadialog_desktop.persistence.filelock import (
    FileLock,
    LockBusy,
    setup_lock_path,
    users_lock_path,
)
from chinadialog_desktop.persistence.schema import HEAD_REVISION, KNOWN_REVISIONS
from chinadialog_desktop.persistence.sqlite_files import (
    connect_readonly,
    file_uri,
    is_writable,
    make_private_dirs,
)

SQLITE_MAGIC = b"SQLite format 3\x00"
# Files up to this size get SQLite's quick_check every time they are opened
# (benchmarks/RESULTS.md, "Checking for damage"); larger ones before every
# backup, import and restore, which read the whole file anyway.
QUICK_CHECK_AT_OPEN_MAX_BYTES = 4 * 1024 * 1024
_SIDE_FILES = ("-journal", "-wal", "-shm")


class FileState(Enum):
    MISSING = "missing"
    EMPTY = "empty"  # zero bytes, or a valid SQLite file without tables
    UNFINISHED = "unfinished"  # an interrupted first creation: some of our tables, no rows
    CURRENT = "current"
    OLDER = "older"


@dataclass(frozen=True)
class Inspection:
    state: FileState
    revision: str | None


def sqlite_uri(path: Path, mode: str) -> str:
    """A ``file:`` URI for sqlite3 that keeps ``#``, ``?`` and ``%`` in the name."""
    return file_uri(path, mode=mode)


def connect(path: Path, mode: str = "ro") -> sqlite3.Connection:
    """A plain sqlite3 connection that never creates the file (``ro`` or ``rw``).

    ``ro`` on a writable file opens it for writing with ``query_only`` set:
    SQL cannot change it, but as the last connection to close it can tidy up
    SQLite's ``-wal``/``-shm`` files, which a read-only one leaves behind.
    """
    path = Path(path)
    if mode == "ro" and os.access(path, os.W_OK) and os.access(path.parent, os.W_OK):
        conn = sqlite3.connect(sqlite_uri(path, "rw"), uri=True)
        conn.execute("PRAGMA query_only = 1")
        return conn
    if mode == "ro":  # a read-only file, folder or drive (immutable where it must be)
        return connect_readonly(path)
    return sqlite3.connect(sqlite_uri(path, mode), uri=True)


def let_sqlite_recover(path: Path) -> None:
    """Roll back a hot journal / recover a WAL, as SQLite does when a file is opened.

    A read-only look cannot do that and reports the file as unreadable, so we
    first open it for writing (never creating it) when a journal lies beside it.
    """
    path = Path(path)
    if not path.is_file() or not any(Path(str(path) + s).exists() for s in _SIDE_FILES[:2]):
        return
    try:
        conn = connect(path, "rw")
    except sqlite3.Error:
        return  # read-only folder or file: the read-only look will say what it can
    try:
        conn.execute("PRAGMA schema_version").fetchone()
    except sqlite3.DatabaseError:
        pass  # damaged: inspect_file says so
    finally:
        conn.close()


def _describe_db_error(exc: BaseException) -> str:
    """A SQLite error in words, without SQL or record data."""
    text = str(getattr(exc, "orig", None) or exc).lower()
    if "full" in text:
        return _("the disk is full")
    if "locked" in text or "busy" in text:
        return _("another program is using the file")
    if "readonly" in text or "read-only" in text:
        return _("the file cannot be written")
    if "malformed" in text or "not a database" in text or "corrupt" in text:
        return _("the file is damaged")
    if "disk i/o" in text:
        return _("the drive reported a write or read error; is it full?")
    if "unable to open" in text:
        return _("the file cannot be opened")
    if isinstance(exc, sqlite3.Error) or hasattr(exc, "orig"):
        return _("the database reported an error")
    return str(exc)


def inspect_file(path: Path) -> Inspection:
    """Look at a file without changing its content; raise DatabaseRefused if we must not open it."""
    path = Path(path)
    if not path.exists():
        return Inspection(FileState.MISSING, None)
    if path.is_dir():
        raise DatabaseRefused(_("{path} is a folder, not a database file.").format(path=path))
    let_sqlite_recover(path)
    # The file is never opened and closed by hand while SQLite may hold it: on POSIX,
    # closing any descriptor of a file drops every lock this process holds on it, and an
    # open Database of the same file in this process would then write unprotected. Its
    # size comes from stat; its first bytes are read only when SQLite calls it no database.
    if path.stat().st_size == 0:
        return Inspection(FileState.EMPTY, None)
    try:
        conn = connect(path)
        try:
            tables = {
                r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type='table'")
            }
            revision = None
            if "alembic_version" in tables:
                row = conn.execute("SELECT version_num FROM alembic_version").fetchone()
                revision = row[0] if row else None
            unfinished = revision is None and tables and _unfinished_creation(conn, tables)
        finally:
            conn.close()
    except sqlite3.DatabaseError as exc:
        code = getattr(exc, "sqlite_errorname", "")
        if code.startswith("SQLITE_NOTADB") and not _has_sqlite_header(path):
            raise DatabaseRefused(
                _(
                    "{path} is not a ChinaDialog database (not an SQLite file). "
                    "It was left unchanged."
                ).format(path=path)
            ) from exc
        if code.startswith(("SQLITE_CORRUPT", "SQLITE_NOTADB")):
            raise DatabaseDamaged(
                _(
                    "{path} is damaged and cannot be opened; it was left unchanged. "
                    "'chinadialog db restore' puts back a backup."
                ).format(path=path)
            ) from exc
        raise DatabaseRefused(
            _("{path} cannot be read at the moment ({reason}). It was left unchanged.").format(
                path=path, reason=_describe_db_error(exc)
            )
        ) from exc
    if not tables:
        return Inspection(FileState.EMPTY, None)
    if unfinished:
        return Inspection(FileState.UNFINISHED, None)
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


def _has_sqlite_header(path: Path) -> bool:
    """Whether the file starts as every SQLite file does (read only after SQLite refused it)."""
    with path.open("rb") as fh:
        return fh.read(16) == SQLITE_MAGIC


def _unfinished_creation(conn: sqlite3.Connection, tables: set[str]) -> bool:
    """Only our own tables, all empty, no version stamp: a first start that was cut off.

    Older versions created the tables one by one in place; a kill in between
    left such a file, which was then refused forever as another program's.
    """
    from chinadialog_desktop.persistence.models import Base

    ours = set(Base.metadata.tables) | {"alembic_version"}
    mine = {t for t in tables if not t.startswith("search_") and not t.startswith("sqlite_")}
    if not mine <= ours:
        return False
    for table in mine:
        quoted = table.replace('"', '""')
        if conn.execute(f'SELECT 1 FROM "{quoted}" LIMIT 1').fetchone():
            return False
    return True


# --- locks -------------------------------------------------------------------------------


@contextmanager
def setup_lock(path: Path) -> Iterator[None]:
    """Exclusive between processes while a file is created, migrated or restored."""
    lock = FileLock(setup_lock_path(path))
    try:
        lock.acquire()
    except LockBusy:
        raise DatabaseRefused(
            _(
                "{path} is being set up by another ChinaDialog process that does not finish; "
                "please close it and try again."
            ).format(path=path)
        ) from None
    try:
        yield
    finally:
        lock.release()


# --- creation ----------------------------------------------------------------------------


def _creation_name(path: Path) -> Path:
    return path.with_name(path.name + "-new")


def _staging_name(path: Path) -> Path:
    return path.with_name(path.name + "-restore")


def _remove_with_side_files(path: Path) -> None:
    for suffix in ("", *_SIDE_FILES):
        Path(str(path) + suffix).unlink(missing_ok=True)


def _fsync_file(path: Path) -> None:
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def fsync_dir(folder: Path) -> None:
    """Make a rename in ``folder`` durable (POSIX; a no-op where folders cannot be opened)."""
    try:
        fd = os.open(folder, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)


def create_schema(path: Path) -> None:
    """Create a new database at the current schema and stamp it, without Alembic.

    It is built as ``NAME-new`` and renamed to ``NAME`` only when complete.
    All tables are written in one transaction: one sync at its end instead of
    one per statement (Python's sqlite3 commits each CREATE on its own).
    Call with the set-up lock held (``prepare`` does).
    """
    from sqlalchemy import event, text

    from chinadialog_desktop.persistence.migrate import transactional_engine
    from chinadialog_desktop.persistence.models import Base

    path = Path(path)
    make_private_dirs(path.parent)
    tmp = _creation_name(path)
    _remove_with_side_files(tmp)  # left by a process killed while creating
    engine = transactional_engine(tmp)
    event.listen(engine, "after_cursor_execute", lambda *_a: faultpoint.hit("creation-statement"))
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
    except Exception as exc:
        engine.dispose()
        _remove_with_side_files(tmp)
        said = str(getattr(exc, "orig", None) or exc).lower()
        if "full" in said or "disk i/o" in said or getattr(exc, "errno", None) == errno.ENOSPC:
            # A folder that cannot be written keeps the command line's own sentence.
            raise DatabaseRefused(
                _("{path} could not be created ({reason}); nothing was left behind.").format(
                    path=path, reason=_describe_db_error(exc)
                )
            ) from exc
        raise
    engine.dispose()  # the last connection checkpoints and removes the WAL
    _fsync_file(tmp)
    faultpoint.hit("creation-before-rename")
    os.replace(tmp, path)
    fsync_dir(path.parent)
    faultpoint.hit("creation-after-rename")


# --- checks ------------------------------------------------------------------------------


def check_integrity(path: Path) -> list[str]:
    """``quick_check`` and ``foreign_key_check``; returns the problems found, in words."""
    conn = connect(path)
    try:
        return _integrity_problems(conn)
    finally:
        conn.close()


def check_structure(path: Path) -> list[str]:
    """SQLite's ``quick_check`` alone: its own findings, in English (empty: sound)."""
    conn = connect(path)
    try:
        return backup.quick_check(conn)
    finally:
        conn.close()


def check_references(path: Path) -> list[str]:
    """``foreign_key_check``: records that refer to missing ones, in words (empty: none)."""
    conn = connect(path)
    try:
        return _reference_problems(conn)
    finally:
        conn.close()


def _integrity_problems(conn: Any) -> list[str]:
    problems = backup.quick_check(conn)
    if problems:
        return problems
    return _reference_problems(conn)


def _reference_problems(conn: Any) -> list[str]:
    problems: list[str] = []
    for table, rowid, parent, _fk in conn.execute("PRAGMA foreign_key_check"):
        problems.append(
            _("row {rowid} of {table} refers to a missing record in {parent}").format(
                rowid=rowid, table=table, parent=parent
            )
        )
    return problems


def schema_problems(path: Path, revision: str | None) -> list[str]:
    """Where the file's tables differ from what its version stamp promises (empty: none)."""
    conn = connect(path)
    try:
        return _schema_problems(conn, revision)
    finally:
        conn.close()


def _schema_problems(conn: Any, revision: str | None) -> list[str]:
    from chinadialog_desktop.persistence import migrate as alembic_runner

    expected = alembic_runner.expected_signatures().get(revision or "")
    if expected is None:
        return []
    (want_tables, want_indexes) = expected
    (have_tables, have_indexes) = alembic_runner.read_signature(conn)
    problems: list[str] = []
    for table in sorted(set(have_tables) - set(want_tables)):
        problems.append(
            _("table {table} does not belong to this schema version").format(table=table)
        )
    for table in sorted(set(want_tables) - set(have_tables)):
        problems.append(_("table {table} is missing").format(table=table))
    for table in sorted(set(want_tables) & set(have_tables)):
        missing = sorted(want_tables[table] - have_tables[table])
        extra = sorted(have_tables[table] - want_tables[table])
        if missing:
            problems.append(
                _("table {table} lacks the columns {columns}").format(
                    table=table, columns=", ".join(missing)
                )
            )
        if extra:
            problems.append(
                _("table {table} has columns of another schema version: {columns}").format(
                    table=table, columns=", ".join(extra)
                )
            )
    for index in sorted(want_indexes - have_indexes):
        problems.append(_("index {index} is missing").format(index=index))
    return problems


# --- the upgrade marker ------------------------------------------------------------------


def _marker_path(path: Path) -> Path:
    return backup.backups_dir(path) / (Path(path).name + ".upgrade-pending")


def _write_marker(path: Path, saved: Path, revision: str | None) -> None:
    marker = _marker_path(path)
    tmp = marker.with_name(marker.name + ".part")
    tmp.write_text(
        json.dumps({"backup": saved.name, "from": revision, "to": HEAD_REVISION}),
        encoding="utf-8",
    )
    _fsync_file(tmp)
    os.replace(tmp, marker)
    fsync_dir(marker.parent)


def _marked_backup(path: Path) -> Path | None:
    """The pre-upgrade backup a marker names (it may not have been written yet)."""
    marker = _marker_path(path)
    try:
        data = json.loads(marker.read_text(encoding="utf-8"))
        return marker.parent / Path(str(data["backup"])).name
    except (OSError, ValueError, KeyError, TypeError):
        return None


def _read_marker(path: Path) -> Path | None:
    """The pre-upgrade backup named by a marker left by an unfinished upgrade, if usable."""
    saved = _marked_backup(path)
    return saved if saved is not None and _usable_backup(saved) else None


def _clear_marker(path: Path) -> None:
    marker = _marker_path(path)
    marker.unlink(missing_ok=True)
    marker.with_name(marker.name + ".part").unlink(missing_ok=True)


def _usable_backup(saved: Path) -> bool:
    """An intact ChinaDialog file whose schema matches its version stamp."""
    if not saved.is_file():
        return False
    try:
        info = inspect_file(saved)
        if info.state not in (FileState.CURRENT, FileState.OLDER):
            return False
        return not check_integrity(saved) and not schema_problems(saved, info.revision)
    except (DatabaseRefused, sqlite3.Error):
        return False


def _newest_usable_upgrade_backup(path: Path) -> Path | None:
    for found in backup.list_backups(path):
        if found.reason == "upgrade" and _usable_backup(found.path):
            return found.path
    return None


def _keep_raw(path: Path, reason: str) -> Path:
    """A byte-for-byte copy of ``path`` in backups/ (for files the backup API must not read)."""
    keep = backup.backup_name(path, reason)
    make_private_dirs(keep.parent)
    part = keep.with_name(keep.name + ".part")
    wal = Path(str(path) + "-wal")
    if wal.is_file() and wal.stat().st_size:  # committed data may still be in the log
        shutil.copyfile(wal, Path(str(keep) + "-wal"))
    shutil.copyfile(path, part)
    _fsync_file(part)
    os.replace(part, keep)
    fsync_dir(keep.parent)
    return keep


def _table_extent(conn: sqlite3.Connection) -> dict[str, tuple[int, str]]:
    """Per table with rows: how many, and the latest change (for comparing two states)."""
    extent: dict[str, tuple[int, str]] = {}
    names = [r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type='table'")]
    for name in names:
        if name.startswith(("sqlite_", "search_", "_alembic_tmp_")) or name == "alembic_version":
            continue
        quoted = '"' + name.replace('"', '""') + '"'
        columns = {r[1] for r in conn.execute(f"PRAGMA table_info({quoted})")}
        latest = "max(modified_at)" if "modified_at" in columns else "''"
        count, last = conn.execute(f"SELECT count(*), {latest} FROM {quoted}").fetchone()
        if count:
            extent[name] = (int(count), str(last or ""))
    return extent


def _holds_all_data_of(saved: Path, path: Path) -> bool:
    """True if ``saved`` has at least every table's rows and latest change that ``path`` has.

    A half-upgraded file was never opened for editing, so its pre-upgrade
    backup holds the same records; an older backup (the right one rotated
    out) would not, and putting it back would lose work.
    """
    try:
        new, old = connect(path), connect(saved)
        try:
            have, kept = _table_extent(new), _table_extent(old)
        finally:
            new.close()
            old.close()
    except sqlite3.DatabaseError:
        return False
    for table, (count, last) in have.items():
        if table not in kept or count > kept[table][0] or last > kept[table][1]:
            return False
    return True


def _put_back(saved: Path, path: Path) -> None:
    """Replace a half-migrated ``path`` by ``saved``; the broken file is kept in backups/."""
    _keep_raw(path, "interrupted")
    faultpoint.hit("put-back-kept-broken")
    for suffix in _SIDE_FILES:
        Path(str(path) + suffix).unlink(missing_ok=True)
    backup.copy_database(saved, path)
    faultpoint.hit("put-back-done")


# --- migration ---------------------------------------------------------------------------


class _Rollback(Exception):
    def __init__(self, problems: list[str]) -> None:
        super().__init__("; ".join(problems))
        self.problems = problems


def migrate(path: Path, keep_backups: int = backup.DEFAULT_KEEP) -> Path:
    """Back up, then upgrade to head in one transaction; checked before it commits.

    Call with the set-up lock held. Returns the pre-upgrade backup.
    """
    from sqlalchemy import event

    from chinadialog_desktop.persistence import migrate as alembic_runner

    path = Path(path)
    revision = inspect_file(path).revision
    # The marker names the backup first; an earlier, interrupted attempt's backup
    # of this very state is used again, so retries never pile up copies.
    saved = _marked_backup(path)
    stale = saved is not None and saved.exists() and not _holds_all_data_of(saved, path)
    if saved is None or stale:  # none yet, or made of a state the file has moved on from
        saved = backup.backup_name(path, "upgrade")
        make_private_dirs(saved.parent)
        _write_marker(path, saved, revision)
    faultpoint.hit("upgrade-after-marker")
    if not _usable_backup(saved):
        try:
            backup.copy_database(path, saved)
        except (OSError, sqlite3.Error) as exc:
            Path(str(saved) + ".part").unlink(missing_ok=True)
            raise MigrationFailed(
                _(
                    "{path} needs an upgrade, but the backup before it could not be written "
                    "({reason}); nothing was changed."
                ).format(path=path, reason=_describe_db_error(exc))
            ) from exc
        backup.rotate(path, keep_backups)
    faultpoint.hit("upgrade-after-backup")
    engine = alembic_runner.transactional_engine(path)
    event.listen(engine, "after_cursor_execute", lambda *_a: faultpoint.hit("upgrade-statement"))
    problems: list[str] = []
    try:
        with engine.begin() as conn:
            alembic_runner.upgrade(conn, on_step=lambda: faultpoint.hit("upgrade-step"))
            raw = conn.connection.dbapi_connection
            found = _integrity_problems(raw) + _schema_problems(raw, HEAD_REVISION)
            if found:
                raise _Rollback(found)
            faultpoint.hit("upgrade-before-commit")
        faultpoint.hit("upgrade-after-commit")
    except _Rollback as exc:
        problems = exc.problems
    except Exception as exc:  # rolled back: the file is as it was
        problems = [_describe_db_error(exc)]
    finally:
        engine.dispose()
    if problems:
        raise MigrationFailed(
            _(
                "Upgrading {path} failed and was undone; the file is unchanged "
                "(backup: {backup}): {why}"
            ).format(path=path, backup=saved, why="; ".join(problems[:5]))
        )
    _clear_marker(path)
    return saved


def _recover_interrupted_upgrade(path: Path, info: Inspection) -> tuple[Inspection, str | None]:
    """Put back the pre-upgrade backup if ``path`` was left half-migrated; else nothing.

    Returns the new inspection and, when something was restored, one sentence
    for the user.
    """
    marked = _marker_path(path).exists()
    if info.state not in (FileState.OLDER, FileState.CURRENT):
        return info, None
    if info.state is FileState.CURRENT and not marked:
        return info, None  # the stamp moves to head only after the last step: complete
    # Only the schema decides: rows that break a rule are a matter for 'db check',
    # never a reason to put back an older state.
    if not schema_problems(path, info.revision):
        if info.state is FileState.CURRENT:
            _clear_marker(path)  # killed after the commit, before the marker went
        return info, None
    saved = _read_marker(path) or _newest_usable_upgrade_backup(path)
    if saved is None:
        raise DatabaseRefused(
            _(
                "{path} was left half-upgraded by an interrupted program update, and no "
                "backup from before the update was found in {folder}. The file was left "
                "unchanged; please restore a backup with 'chinadialog db restore'."
            ).format(path=path, folder=backup.backups_dir(path))
        )
    if not _holds_all_data_of(saved, path):
        raise DatabaseRefused(
            _(
                "{path} was left half-upgraded by an interrupted program update, but the "
                "newest backup from before an update ({backup}) lacks some of its records, so "
                "it was not put back automatically. The file was left unchanged; 'chinadialog "
                "db recover' saves its records into a new file."
            ).format(path=path, backup=saved)
        )
    _put_back(saved, path)
    # The marker stays until the upgrade that follows has committed.
    if not _marker_path(path).exists():
        _write_marker(path, saved, inspect_file(saved).revision)
    notice = _(
        "The last program update of {path} was interrupted; the state before it was "
        "restored automatically from {backup}."
    ).format(path=path, backup=saved)
    return inspect_file(path), notice


# --- opening -----------------------------------------------------------------------------


@dataclass(frozen=True)
class Opened:
    path: Path
    created: bool
    migrated_from: str | None
    backup: Path | None
    notice: str | None = None  # one sentence the user should read (an automatic repair)
    lease: FileLock | None = field(default=None, compare=False, repr=False)

    def release(self) -> None:
        """Let go of the 'this file is open' lock (see ``prepare(hold_open=True)``)."""
        if self.lease is not None:
            self.lease.release()


def prepare(
    path: Path,
    keep_backups: int = backup.DEFAULT_KEEP,
    *,
    init_empty: bool = False,
    hold_open: bool = False,
) -> Opened:
    """Make ``path`` ready to open at the current schema, or raise DatabaseRefused.

    ``init_empty`` allows turning a zero-byte file into a database (the user
    was asked). ``hold_open`` keeps a shared lock that tells a restore in
    another process that the file is in use; release it with
    ``Opened.release()``.
    """
    path = Path(path)
    with setup_lock(path):
        opened = _prepare_locked(path, keep_backups, init_empty)
        if not hold_open:
            return opened
        lease = FileLock(users_lock_path(path), shared=True).acquire()
        return Opened(
            opened.path, opened.created, opened.migrated_from, opened.backup, opened.notice, lease
        )


def _remove_own_leftovers(path: Path) -> None:
    """Half-written files of a killed process; only a holder of the set-up lock makes these."""
    for leftover in (_creation_name(path), _staging_name(path)):
        _remove_with_side_files(leftover)
    Path(str(_staging_name(path)) + ".part").unlink(missing_ok=True)  # see copy_database
    folder = backup.backups_dir(path)
    if folder.is_dir():
        for reason in ("upgrade", "interrupted", "restore", "damaged"):
            for part in folder.glob(f"{glob.escape(path.stem)}-*-{reason}.sqlite3.part"):
                part.unlink(missing_ok=True)
        _marker_path(path).with_name(_marker_path(path).name + ".part").unlink(missing_ok=True)


def _prepare_locked(path: Path, keep_backups: int, init_empty: bool) -> Opened:
    _remove_own_leftovers(path)
    info = inspect_file(path)
    info, notice = _recover_interrupted_upgrade(path, info)
    if info.state is FileState.EMPTY and not init_empty:
        raise DatabaseEmptyFile(
            _(
                "{path} is empty (it contains no data). To create a new database in it, "
                "confirm in the window or run 'chinadialog --db \"{path}\" db upgrade --init'."
            ).format(path=path)
        )
    if info.state in (FileState.MISSING, FileState.EMPTY, FileState.UNFINISHED):
        if info.state is FileState.UNFINISHED:
            notice = _(
                "{path} was left unfinished when it was first created; it was created anew."
            ).format(path=path)
        create_schema(path)
        return Opened(path, True, None, None, notice)
    _refuse_if_damaged(path)
    if info.state is FileState.OLDER:
        saved = migrate(path, keep_backups)
        return Opened(path, False, info.revision, saved, notice)
    return Opened(path, False, None, None, notice)


def _refuse_if_damaged(path: Path) -> None:
    """No writing to a file known to be damaged; small files are checked on every open."""
    marker = backup.damage_marker(path)
    if not marker.exists() and path.stat().st_size <= QUICK_CHECK_AT_OPEN_MAX_BYTES:
        conn = connect(path)
        try:
            problems = backup.quick_check(conn)
        finally:
            conn.close()
        if problems:
            backup.mark_damaged(path, problems)
            if not marker.exists():  # could not be noted (read-only folder): refuse anyway
                raise DatabaseDamaged(backup.damaged_message(path))
    if marker.exists():
        raise DatabaseDamaged(backup.damaged_message(path))


# --- ready to open ------------------------------------------------------------------------


def readonly_reason(path: Path) -> str | None:
    """Why this process cannot write ``path`` (in words), or None when it can."""
    path = Path(path)
    if is_writable(path):
        return None
    folder = path.parent
    try:
        if os.statvfs(folder).f_flag & os.ST_RDONLY:
            return _("the drive is read-only")
    except (OSError, AttributeError):  # no statvfs on Windows
        pass
    if path.exists() and not os.access(path, os.W_OK):
        return _("you have no permission to change the file")
    return _("you have no permission to write in its folder")


@dataclass(frozen=True)
class ReadyFile:
    """A database file checked (created, migrated, repaired) and ready to be read, before
    any engine exists: ``persistence.database.Database.from_ready`` opens it; until then
    ``opened.lease`` tells a restore elsewhere that the file is in use."""

    path: Path
    opened: Opened
    readonly_reason: str | None = None  # set: it is read only, and why

    def read_only_message(self) -> str | None:
        """The read-only banner's sentence (None: the file can be edited)."""
        if self.readonly_reason is None:
            return None
        return read_only_message(self.path, readonly_reason(self.path) or self.readonly_reason)

    def release(self) -> None:
        """Let go of the file when no database will be opened on it after all."""
        self.opened.release()


def make_ready(path: Path, keep_backups: int = backup.DEFAULT_KEEP) -> ReadyFile:
    """Every check, creation, repair and migration opening a file takes (``prepare``), or
    the read-only look at a file this process may not write; raises DatabaseRefused."""
    path = Path(path).expanduser().resolve()
    reason = readonly_reason(path) if path.exists() and path.stat().st_size else None
    if reason is not None:
        return ready_read_only(path, reason)
    return ReadyFile(path, prepare(path, keep_backups, hold_open=True))


def ready_read_only(path: Path, reason: str) -> ReadyFile:
    """A current file to be read only (``reason`` says why); refuses damaged, foreign and
    newer files, and those that would need setting up or upgrading."""
    path = Path(path).expanduser().resolve()
    info = inspect_file(path)
    if info.state is not FileState.CURRENT:
        raise DatabaseRefused(
            _(
                "{path} cannot be opened: it needs to be set up or upgraded to this "
                "version, but {reason}. Copy it into a folder you may write to and open "
                "the copy."
            ).format(path=path, reason=reason)
        )
    return ReadyFile(path, Opened(path, False, None, None), reason)


def restore(backup_file: Path, db_path: Path, keep_backups: int = backup.DEFAULT_KEEP) -> Path:
    """Replace the database with a backup; the current state is backed up first.

    Refused while another process has the file open: its later edits would
    go into the replaced file and be lost.
    """
    backup_file, db_path = Path(backup_file), Path(db_path)
    with setup_lock(db_path):
        users = FileLock(users_lock_path(db_path))
        try:
            users.acquire(wait=0)
        except LockBusy:
            raise DatabaseRefused(
                _(
                    "{path} is open in another ChinaDialog window or command. Close it there, "
                    "then restore again; nothing was changed."
                ).format(path=db_path)
            ) from None
        try:
            inspect_file(backup_file)  # refuses foreign, damaged or newer files
            saved = None
            if db_path.exists():
                try:
                    state: FileState | None = inspect_file(db_path).state
                except DatabaseRefused:
                    state = None  # damaged (or not ours): kept byte for byte
                if state is None:
                    saved = _keep_raw(db_path, "damaged")
                elif state not in (FileState.EMPTY, FileState.UNFINISHED):
                    try:
                        saved = backup.make_backup(db_path, reason="restore", keep=keep_backups)
                    except DatabaseDamaged:
                        saved = _keep_raw(db_path, "damaged")
            faultpoint.hit("restore-after-backup")
            # Copy next to the target first; the switch itself is one rename.
            staged = _staging_name(db_path)
            _remove_with_side_files(staged)
            backup.copy_database(backup_file, staged)
            faultpoint.hit("restore-before-switch")
            for suffix in _SIDE_FILES:
                Path(str(db_path) + suffix).unlink(missing_ok=True)
            _clear_marker(db_path)  # an unfinished upgrade of the state being replaced
            backup.clear_damaged(db_path)  # the copy in place passed its check
            os.replace(staged, db_path)
            fsync_dir(db_path.parent)
            faultpoint.hit("restore-after-switch")
            _prepare_locked(db_path, keep_backups, init_empty=False)  # an older backup: upgrade
        finally:
            users.release()
    return saved or db_path
