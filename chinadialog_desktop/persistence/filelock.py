"""Locks between processes, in small files beside the database.

``NAME-lock`` is held exclusively while a file is created, checked, migrated
or restored, so two first starts (or two starts on an older file) take turns:
the second one waits and then finds the work done. ``NAME-users`` is held
shared by every process that has the database open; a restore takes it
exclusively and refuses when another process holds it.

The lock files are removed by whoever releases them last. The standard
pattern keeps that safe: after locking, a process checks that the name
still points at the file it locked, and starts over if not.

POSIX only (``flock``). On Windows the set-up lock uses ``msvcrt.locking``
and the users lock is not taken (a restore there relies on the window
closing the file first, as the backups dialog does).
"""

from __future__ import annotations

import os
import sys
import time
from pathlib import Path
from types import TracebackType

from chinadialog_desktop.persistence import faultpoint

WAIT_SECONDS = 300.0
_POLL = 0.05


def setup_lock_path(db_path: Path) -> Path:
    return Path(str(db_path) + "-lock")


def users_lock_path(db_path: Path) -> Path:
    return Path(str(db_path) + "-users")


class LockBusy(Exception):
    """The lock is held by another process (and we were not to wait, or waited too long)."""


class FileLock:
    def __init__(self, path: Path, *, shared: bool = False) -> None:
        self.path = Path(path)
        self.shared = shared
        self._fd: int | None = None

    @property
    def held(self) -> bool:
        return self._fd is not None

    def acquire(self, wait: float = WAIT_SECONDS) -> FileLock:
        """Take the lock, waiting up to ``wait`` seconds; raise LockBusy after that.

        A folder we cannot write to gets no lock file: nothing can be created
        or changed there anyway, so there is nothing to serialise.
        """
        deadline = time.monotonic() + wait
        waited = False
        while True:
            try:
                fd = os.open(self.path, os.O_RDWR | os.O_CREAT, 0o600)
            except OSError:
                return self
            try:
                got = _try_lock(fd, self.shared)
            except OSError:
                os.close(fd)
                return self
            if got and _same_file(fd, self.path):
                self._fd = fd
                return self
            os.close(fd)
            if got:
                continue  # locked a file that was removed meanwhile: start over at once
            if time.monotonic() >= deadline:
                raise LockBusy(str(self.path))
            if not waited:
                waited = True
                faultpoint.hit("lock-busy")  # the fault tests see that we wait
            time.sleep(_POLL)

    def release(self) -> None:
        fd, self._fd = self._fd, None
        if fd is None:
            return
        try:
            if not self.shared or _try_lock(fd, shared=False):
                # Nobody else holds it: remove the file while still locked.
                self.path.unlink(missing_ok=True)
        except OSError:
            pass
        finally:
            os.close(fd)  # closing drops the lock

    def __enter__(self) -> FileLock:
        return self.acquire()

    def __exit__(
        self,
        _t: type[BaseException] | None,
        _e: BaseException | None,
        _tb: TracebackType | None,
    ) -> None:
        self.release()

    def __del__(self) -> None:
        if self._fd is not None:
            os.close(self._fd)


def _same_file(fd: int, path: Path) -> bool:
    try:
        st = os.stat(path)
    except OSError:
        return False
    mine = os.fstat(fd)
    return (st.st_ino, st.st_dev) == (mine.st_ino, mine.st_dev)


if sys.platform == "win32":  # pragma: no cover - exercised on Windows only
    import msvcrt

    def _try_lock(fd: int, shared: bool) -> bool:
        if shared:
            return True
        try:
            msvcrt.locking(fd, msvcrt.LK_NBLCK, 1)
        except OSError:
            return False
        return True

else:
    import errno
    import fcntl

    def _try_lock(fd: int, shared: bool) -> bool:
        try:
            fcntl.flock(fd, (fcntl.LOCK_SH if shared else fcntl.LOCK_EX) | fcntl.LOCK_NB)
        except OSError as exc:
            if exc.errno in (errno.EWOULDBLOCK, errno.EAGAIN, errno.EACCES):
                return False
            raise
        return True
