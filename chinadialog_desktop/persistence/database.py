"""One open database: its path, engine and session factory."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import Engine
from sqlalchemy.orm import Session, sessionmaker

from chinadialog_desktop.persistence import backup, lifecycle, search_index
from chinadialog_desktop.persistence.engine import make_engine, make_session_factory, sqlite_url


@dataclass
class Database:
    path: Path
    engine: Engine
    sessions: sessionmaker[Session]
    opened: lifecycle.Opened

    @classmethod
    def open(cls, path: Path, keep_backups: int = backup.DEFAULT_KEEP) -> Database:
        """Create, migrate or simply open ``path``; raises DatabaseRefused when it must not."""
        path = Path(path).expanduser().resolve()
        opened = lifecycle.prepare(path, keep_backups, hold_open=True)
        engine = make_engine(sqlite_url(path))
        search_index.ensure(engine)
        sessions = make_session_factory(engine)
        search_index.keep_current(sessions)  # the index is written with each commit
        return cls(path, engine, sessions, opened)

    @contextmanager
    def session(self) -> Iterator[Session]:
        """A unit of work: committed when the block ends, rolled back on error."""
        with self.sessions() as s, s.begin():
            yield s

    def close(self) -> None:
        self.engine.dispose()
        self.opened.release()  # a restore in another process may go ahead now
