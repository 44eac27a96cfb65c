"""Engines, sessions and raw connections: every SQLite file is opened through here.

A file name is never parsed as a URL: ``#``, ``?``, ``%``, ``&``, ``;``, quotes,
umlauts and CJK are legal in paths and must reach SQLite unchanged. Connections
for writing are made by :func:`connect` (the path goes straight to
``sqlite3.connect``); read-only ones by :func:`connect_readonly` (a URI with the
path percent-encoded, as SQLite's URI syntax requires).
"""

from __future__ import annotations

import os
import sqlite3
from pathlib import Path
from typing import Any
from urllib.parse import quote

from sqlalchemy import URL, Engine, create_engine, event, make_url
from sqlalchemy.orm import Session, sessionmaker

BUSY_TIMEOUT_MS = 5000
# New database files and their folders: readable by their owner only (VS-NfD material).
FILE_MODE = 0o600
DIR_MODE = 0o700


def sqlite_url(path: Path) -> URL:
    """A URL object naming the file; built, never parsed, so no character is special."""
    return URL.create("sqlite", database=str(Path(path).resolve()))


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
    except FileExistsError:
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


def is_writable(path: Path) -> bool:
    """Whether this process may change ``path`` (and create its journal beside it)."""
    path = Path(path)
    folder = path.parent
    if path.exists() and not os.access(path, os.W_OK):
        return False
    return folder.is_dir() and os.access(folder, os.W_OK | os.X_OK)


def make_engine(
    url: str | URL | Path,
    *,
    foreign_keys: bool = True,
    echo: bool = False,
    readonly: bool = False,
    busy_timeout_ms: int = BUSY_TIMEOUT_MS,
) -> Engine:
    """Create an engine; for SQLite set the pragmas on every new connection.

    A path (or a URL object naming a file) is connected through a ``creator``
    that hands the path to ``sqlite3.connect`` unparsed. WAL lets readers and
    one writer work side by side; ``synchronous=FULL`` makes a committed edit
    survive a power cut, not only a crash. ``foreign_keys=False`` is for
    migrations only (batch table rebuilds would otherwise cascade-delete child
    rows). ``readonly`` opens the file without ever writing to it.
    """
    if isinstance(url, Path):
        url = sqlite_url(url)
    elif isinstance(url, str):
        url = make_url(url)  # as rendered by URL.render_as_string: the path percent-quoted
    if url.drivername.startswith("sqlite") and url.database not in (None, "", ":memory:"):
        path = Path(url.database or "")

        def creator() -> sqlite3.Connection:
            if readonly:
                return connect_readonly(path, timeout_ms=busy_timeout_ms, check_same_thread=False)
            return connect(path, timeout_ms=busy_timeout_ms, check_same_thread=False)

        engine = create_engine(url, echo=echo, creator=creator)
    else:
        engine = create_engine(url, echo=echo)
    if engine.dialect.name == "sqlite":

        @event.listens_for(engine, "connect")
        def _pragmas(dbapi_conn: Any, _record: Any) -> None:
            # pysqlite opens implicit transactions; pragmas must run outside one.
            level = dbapi_conn.isolation_level
            dbapi_conn.isolation_level = None
            cur = dbapi_conn.cursor()
            cur.execute(f"PRAGMA busy_timeout = {int(busy_timeout_ms)}")
            cur.execute(f"PRAGMA foreign_keys = {'ON' if foreign_keys else 'OFF'}")
            if not readonly:
                cur.execute("PRAGMA journal_mode = WAL")
                cur.execute("PRAGMA synchronous = FULL")
            else:
                cur.execute("PRAGMA query_only = ON")
            cur.close()
            dbapi_conn.isolation_level = level

    return engine


def make_session_factory(engine: Engine) -> sessionmaker[Session]:
    from chinadialog_desktop.persistence import audit

    factory = sessionmaker(bind=engine, expire_on_commit=False)
    audit.install(factory)
    return factory
