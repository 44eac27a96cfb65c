"""Raw SQLite files: connect read-write or read-only, create them owner-only.

No SQLAlchemy here (this is imported before the window's first paint). A file
name is never parsed as a URL: ``#``, ``?``, ``%``, ``&``, ``;``, quotes,
umlauts and CJK are legal in paths and must reach SQLite unchanged.
:func:`connect` hands the path straight to ``sqlite3.connect``;
:func:`connect_readonly` uses a URI with the path percent-encoded, as SQLite's
URI syntax requires.
"""

from __future__ import annotations

import os
import sqlite3
from pathlib import Path
from typing import Any
from urllib.parse import quote

BUSY_TIMEOUT_MS = 5000
# The window waits this long for another process's write lock, then says so
# instead of freezing (a command-line run waits BUSY_TIMEOUT_MS).
WINDOW_BUSY_TIMEOUT_MS = 300
# The SQL name of the one sort key of names and titles (``domain.collation.sort_key``).
SORT_FUNCTION = "cd_sort"
# New database files and their folders: readable by their owner only (VS-NfD material).
FILE_MODE = 0o600
DIR_MODE = 0o700


def file_uri(path: Path, **params: str) -> str:
    """A correctly quoted ``file:`` URI for ``sqlite3.connect(..., uri=True)``."""
    uri = "file:" + quote(str(Path(path).resolve()), safe="/")
    if params:
        uri += "?" + "&".join(f"{k}={quote(v, safe='')}" for k, v in params.items())
    return uri


def create_private_file(path: Path) -> None:
    """Create ``path`` empty with owner-only permissions unless it exists (any umask)."""
    path = Path(path)
    try:
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, FILE_MODE)
    except OSError:  # exists already, or cannot be made: then SQLite says why
        return
    os.close(fd)
    if os.name == "posix":
        os.chmod(path, FILE_MODE)


def make_private_dirs(folder: Path) -> None:
    """``mkdir -p`` where the folders this creates are owner-only (existing ones are left)."""
    folder = Path(folder)
    missing = []
    probe = folder
    while not probe.exists() and probe != probe.parent:
        missing.append(probe)
        probe = probe.parent
    for part in reversed(missing):
        try:
            part.mkdir(mode=DIR_MODE)
        except FileExistsError:
            continue
        if os.name == "posix":
            os.chmod(part, DIR_MODE)


def connect(path: Path, *, timeout_ms: int = BUSY_TIMEOUT_MS, **kwargs: Any) -> sqlite3.Connection:
    """A read-write connection; a file that does not exist yet is created owner-only."""
    path = Path(path)
    if not path.exists() and path.parent.is_dir():
        create_private_file(path)
    conn: sqlite3.Connection = sqlite3.connect(str(path), timeout=timeout_ms / 1000, **kwargs)
    return conn


def _readonly_needs_immutable(exc: sqlite3.Error) -> bool:
    """SQLite cannot open a WAL file read-only when it may not create the ``-shm`` file."""
    name = getattr(exc, "sqlite_errorname", "")
    return name.startswith("SQLITE_READONLY") or name.startswith("SQLITE_CANTOPEN")


def connect_readonly(
    path: Path, *, timeout_ms: int = BUSY_TIMEOUT_MS, **kwargs: Any
) -> sqlite3.Connection:
    """A read-only connection that never creates or changes anything.

    On a read-only folder or mount SQLite cannot make the ``-shm`` file a WAL
    database needs; then the file is opened as immutable (nobody can write
    there, so nothing changes underneath us).
    """
    conn: sqlite3.Connection = sqlite3.connect(
        file_uri(path, mode="ro"), uri=True, timeout=timeout_ms / 1000, **kwargs
    )
    try:
        conn.execute("SELECT count(*) FROM sqlite_master").fetchone()
    except sqlite3.OperationalError as exc:
        conn.close()
        if not _readonly_needs_immutable(exc) or is_writable(path):
            raise
        conn = sqlite3.connect(
            file_uri(path, mode="ro", immutable="1"),
            uri=True,
            timeout=timeout_ms / 1000,
            **kwargs,
        )
    return conn


def install_sort_key(conn: Any) -> None:
    """Give an SQLite connection the sort key function ``cd_sort`` (every connection that
    orders names or titles: the engine's, and the first list's plain one)."""
    from chinadialog_desktop.domain.collation import sort_key

    conn.create_function(SORT_FUNCTION, 1, sort_key, deterministic=True)


def is_writable(path: Path) -> bool:
    """Whether this process may change ``path`` (and create its journal beside it)."""
    path = Path(path)
    folder = path.parent
    if path.exists() and not os.access(path, os.W_OK):
        return False
    return folder.is_dir() and os.access(folder, os.W_OK | os.X_OK)
