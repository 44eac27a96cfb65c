"""Engines and sessions: SQLite pragmas for durability, portable everywhere else."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from sqlalchemy import Engine, create_engine, event
from sqlalchemy.orm import Session, sessionmaker

BUSY_TIMEOUT_MS = 5000


def sqlite_url(path: Path) -> str:
    return f"sqlite:///{Path(path).resolve()}"


def make_engine(url: str, *, foreign_keys: bool = True, echo: bool = False) -> Engine:
    """Create an engine; for SQLite set the pragmas on every new connection.

    WAL lets readers and one writer work side by side; ``synchronous=FULL``
    makes a committed edit survive a power cut, not only a crash.
    ``foreign_keys=False`` is for migrations only (batch table rebuilds would
    otherwise cascade-delete child rows).
    """
    engine = create_engine(url, echo=echo)
    if engine.dialect.name == "sqlite":

        @event.listens_for(engine, "connect")
        def _pragmas(dbapi_conn: Any, _record: Any) -> None:
            # pysqlite opens implicit transactions; pragmas must run outside one.
            level = dbapi_conn.isolation_level
            dbapi_conn.isolation_level = None
            cur = dbapi_conn.cursor()
            cur.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
            cur.execute(f"PRAGMA foreign_keys = {'ON' if foreign_keys else 'OFF'}")
            cur.execute("PRAGMA journal_mode = WAL")
            cur.execute("PRAGMA synchronous = FULL")
            cur.close()
            dbapi_conn.isolation_level = level

    return engine


def make_session_factory(engine: Engine) -> sessionmaker[Session]:
    from chinadialog_desktop.persistence import audit

    factory = sessionmaker(bind=engine, expire_on_commit=False)
    audit.install(factory)
    return factory
