"""Half-written files and staging folders of killed or failed runs, and their cleaning.

Every file the app writes to a user's folder is written as a ``.part`` beside
the target and renamed when complete (:func:`write_atomically`). Before the
``.part`` is made, a small note in ``pending/`` of the user data folder records
where it is and which process writes it; the note is removed when the write
ends either way. A kill leaves the note, so the next start finds the ``.part``
wherever it was, without scanning disks.

:func:`clean` runs at every start and removes only the app's own leftovers:
those named by a note (or matching the app's name patterns beside the database,
in ``backups/`` and in the temp folder), last changed before this process
started, and not held open by another live process. Staging folders in the
temp folder name no owner; they are only removed when no other instance of the
app is running (see :func:`register_instance`).
"""

from __future__ import annotations

import hashlib
import json
import os
import re
import shutil
import signal
import tempfile
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager, suppress
from pathlib import Path

# Staging folders in the temp folder: the tempfile prefixes used by the services and the
# window (mkdtemp adds 8 characters), and the folder of briefings opened in a viewer.
TEMP_NAME = re.compile(
    r"^chinadialog-(?:(?:ftm|package|template)-)?[a-z0-9_]{8}$|^chinadialog-briefings$"
)


# When this process began its work (leftovers is imported before anything is written).
# /proc's start time is not used: its boot-time base is rounded to whole seconds.
PROCESS_START = time.time()


def pending_dir() -> Path:
    from chinadialog_desktop.paths import user_data_dir

    return user_data_dir() / "pending"


def part_name(path: Path) -> Path:
    """``/x/.NAME.part`` for ``/x/NAME``: hidden, and never taken for the finished file."""
    return path.with_name(f".{path.name}.part")


def _note_for(part: Path) -> Path:
    key = hashlib.sha256(str(part).encode("utf-8", "surrogateescape")).hexdigest()[:32]
    return pending_dir() / f"{key}.json"


@contextmanager
def pending(part: Path) -> Iterator[Path]:
    """Note ``part`` as being written by this process for as long as the block runs."""
    note = _note_for(part)
    try:
        note.parent.mkdir(parents=True, exist_ok=True)
        note.write_text(
            json.dumps({"part": os.fsdecode(part), "pid": os.getpid(), "started": PROCESS_START}),
            encoding="utf-8",
        )
    except OSError:  # no user data folder: the write itself must still work
        note = None  # type: ignore[assignment]
    try:
        yield part
    finally:
        if note is not None:
            note.unlink(missing_ok=True)


def write_atomically(
    path: Path, data: bytes | Callable[[Path], None], *, make_folders: bool = False
) -> None:
    """Write ``data`` (or let ``data(part)`` write) to ``.NAME.part``, sync, rename to ``path``.

    A failure or cancel removes the ``.part``; a kill leaves it to the next start.
    """
    path = Path(path)
    if make_folders:
        path.parent.mkdir(parents=True, exist_ok=True)
    part = part_name(path)
    with pending(part):
        try:
            if callable(data):
                data(part)
            else:
                with open(part, "wb") as fh:
                    fh.write(data)
                    fh.flush()
                    os.fsync(fh.fileno())
            fault_point("part-written")
            os.replace(part, path)
        except BaseException:
            part.unlink(missing_ok=True)
            raise


def fault_point(name: str) -> None:
    """Fault injection for the fault suite: ``CHINADIALOG_KILL_AT=name`` kills the process here.

    Nothing happens unless that variable names this point; it lets a test stop a
    child process exactly between two steps, as a power cut would.
    """
    if os.environ.get("CHINADIALOG_KILL_AT") == name:
        os.kill(os.getpid(), getattr(signal, "SIGKILL", signal.SIGTERM))


# -- cleaning -------------------------------------------------------------------------


def _alive(pid: int) -> bool:
    if pid <= 0:
        return False
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:  # exists, another user's
        return True
    except OSError:
        return False
    return True


def _held_by_another_process(target: Path) -> bool:
    """Whether a live process other than this one has ``target`` (or a file in it) open.

    Linux: from /proc. Elsewhere the age rule alone applies (and Windows refuses to
    delete open files anyway).
    """
    proc = Path("/proc")
    if not (proc / "self" / "fd").is_dir():
        return False
    me = str(os.getpid())
    prefix = os.fsdecode(target)
    for entry in proc.iterdir():
        if not entry.name.isdigit() or entry.name == me:
            continue
        try:
            links = [os.readlink(entry / "cwd")]
            links += [os.readlink(fd) for fd in (entry / "fd").iterdir()]
        except OSError:  # gone, or not ours to look at
            continue
        for link in links:
            if link == prefix or link.startswith(prefix + os.sep):
                return True
    return False


def _older_than_this_process(target: Path) -> bool:
    try:
        newest = target.lstat().st_mtime
        if target.is_dir() and not target.is_symlink():
            for sub in target.rglob("*"):
                newest = max(newest, sub.lstat().st_mtime)
    except OSError:
        return False
    return newest < PROCESS_START


def _remove(target: Path) -> bool:
    if not _older_than_this_process(target) or _held_by_another_process(target):
        return False
    try:
        if target.is_dir() and not target.is_symlink():
            shutil.rmtree(target)
        else:
            target.unlink()
    except OSError:
        return False
    return True


def _from_notes() -> list[Path]:
    removed: list[Path] = []
    folder = pending_dir()
    if not folder.is_dir():
        return removed
    for note in folder.glob("*.json"):
        try:
            info = json.loads(note.read_text(encoding="utf-8"))
            part, pid = Path(info["part"]), int(info["pid"])
        except (OSError, ValueError, KeyError, TypeError):
            note.unlink(missing_ok=True)
            continue
        if pid != os.getpid() and _alive(pid) and float(info.get("started", 0)) < PROCESS_START:
            continue  # an older instance still running: perhaps writing it right now
        if part.exists() and _remove(part):
            removed.append(part)
        if not part.exists():
            note.unlink(missing_ok=True)
    return removed


def _beside_database(db_path: Path) -> list[Path]:
    found = [db_path.with_name(db_path.name + ".part"), part_name(db_path)]
    backups = db_path.parent / "backups"
    if backups.is_dir():
        found += backups.glob("*.sqlite3.part")
    return [p for p in found if p.exists()]


def _in_temp_folder() -> list[Path]:
    temp = Path(tempfile.gettempdir())
    try:
        names = [p for p in temp.iterdir() if TEMP_NAME.match(p.name)]
    except OSError:
        return []
    return [p for p in names if p.is_dir() and not p.is_symlink() and _owned_by_me(p)]


def _owned_by_me(path: Path) -> bool:
    if not hasattr(os, "getuid"):
        return True
    try:
        return path.lstat().st_uid == os.getuid()
    except OSError:
        return False


_INSTANCE_LOCK: int | None = None


def register_instance() -> bool:
    """Whether no other instance of the app is running (for this account); stay registered.

    Every instance holds a shared lock on ``instances.lock`` in the user data folder
    for as long as it runs; taking it exclusively succeeds only when no other holds
    it. Staging folders carry no owner, so they are only removed by an instance
    that is alone. Without ``fcntl`` (Windows) the answer is "no": open files there
    cannot be deleted anyway, and nothing is taken from a running instance.
    """
    global _INSTANCE_LOCK
    try:
        import fcntl
    except ImportError:
        return False
    if _INSTANCE_LOCK is not None:
        return False  # asked before: the answer was given then
    lock = pending_dir().parent / "instances.lock"
    try:
        lock.parent.mkdir(parents=True, exist_ok=True)
        fd = os.open(lock, os.O_RDWR | os.O_CREAT, 0o600)
    except OSError:
        return False
    _INSTANCE_LOCK = fd
    try:
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except OSError:
        alone = False
    else:
        alone = True
    with suppress(OSError):
        fcntl.flock(fd, fcntl.LOCK_SH | fcntl.LOCK_NB)
    return alone


def clean(db_path: Path | None = None) -> list[Path]:
    """Remove this app's leftovers from earlier runs; returns what was removed."""
    removed = _from_notes()
    candidates = _in_temp_folder() if register_instance() else []
    if db_path is not None:
        candidates += _beside_database(Path(db_path))
    for target in candidates:
        if _remove(target):
            removed.append(target)
    return removed
