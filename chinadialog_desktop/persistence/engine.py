"""Engines and sessions: every SQLite file is opened through a creator.

The path goes to ``sqlite3.connect`` unparsed (see ``sqlite_files``), so no
character in a file name has a meaning; pragmas for durability are set on every
new connection.
"""

from __future__ import annotations

import sqlite3
from pathlib import Path
from typing import Any

from sqlalchemy import URL, Engine, create_engine, event, make_url
from sqlalchemy.orm import Session, sessionmaker

from chinadialog_desktop.persistence.sqlite_files import (  # re-exported for callers
    BUSY_TIMEOUT_MS,
    DIR_MODE,
    FILE_MODE,
    connect,
    connect_readonly,
    create_private_file,
    file_uri,
    is_writable,
    make_private_dirs,
)

__all__ = [
    "BUSY_TIMEOUT_MS",
    "DIR_MODE",
    "FILE_MODE",
    "connect",
    "connect_readonly",
    "create_private_file",
    "file_uri",
    "is_writable",
    "make_engine",
    "make_private_dirs",
    "make_session_factory",
    "sqlite_url",
]


def sqlite_url(path: Path) -> URL:
    """A URL object naming the file; built, never parsed, so no character is special."""
    return URL.create("sqlite", database=str(Path(path).resolve()))


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
            from chinadialog_desktop.persistence import collation

            collation.install(dbapi_conn)  # ORDER BY names and titles as Python sorts them

    return engine


def make_session_factory(engine: Engine) -> sessionmaker[Session]:
    from chinadialog_desktop.persistence import audit

    factory = sessionmaker(bind=engine, expire_on_commit=False)
    audit.install(factory)
    return factory
