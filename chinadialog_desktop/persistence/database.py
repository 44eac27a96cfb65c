"""One open database: its path, engine and session factory."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

from sqlalchemy import Engine, event
from sqlalchemy.exc import DBAPIError
from sqlalchemy.orm import Session, sessionmaker

from chinadialog_desktop.errors import (
    UserError,
    read_only_message,
    translate_database_error,
)
from chinadialog_desktop.persistence import audit, backup, lifecycle, search_index
from chinadialog_desktop.persistence import server as teamserver
from chinadialog_desktop.persistence.engine import (
    BUSY_TIMEOUT_MS,
    make_engine,
    make_session_factory,
)
from chinadialog_desktop.persistence.lifecycle import readonly_reason
from chinadialog_desktop.persistence.sqlite_files import WINDOW_BUSY_TIMEOUT_MS

__all__ = ["WINDOW_BUSY_TIMEOUT_MS", "Database", "readonly_reason"]


def _refuse_writes(session: Session, _context: object, _instances: object) -> None:
    if session.new or session.dirty or session.deleted:
        raise RuntimeError("a session for reads only was asked to write (Database.reading)")


@dataclass
class Database:
    """An open database: a file (``path``) or a team server (``server``, then ``path`` is None)."""

    path: Path | None
    engine: Engine
    sessions: sessionmaker[Session]
    opened: lifecycle.Opened | None
    readonly_reason: str | None = None
    server: teamserver.ServerTarget | None = None
    # The server processes of this database's own connections (team mode): their
    # notifications are this client's own changes, not another official's.
    server_pids: set[int] = field(default_factory=set)
    # Said instead of the usual read-only sentence (a team server's local copy, opened
    # read-only on purpose while the server is away).
    readonly_note: str | None = None
    # Sessions outside a transaction (team server): see ``reading``. Made when first used.
    _plain_reads: sessionmaker[Session] | None = field(default=None, init=False, repr=False)

    @property
    def readonly(self) -> bool:
        return self.readonly_reason is not None

    @property
    def location(self) -> str:
        """The file path or the server address (without a password): for messages and titles."""
        if self.server is not None:
            return self.server.display()
        return str(self.path)

    @property
    def notice(self) -> str | None:
        """One sentence about an automatic repair made while opening (files only), or None."""
        return self.opened.notice if self.opened is not None else None

    @property
    def is_server(self) -> bool:
        return self.server is not None

    def read_only_message(self) -> str | None:
        """Why this file cannot be edited and what to do, in the active language (None: it can)."""
        if self.readonly_reason is None or self.path is None:
            return None
        if self.readonly_note is not None:
            return self.readonly_note
        return read_only_message(self.path, readonly_reason(self.path) or self.readonly_reason)

    @classmethod
    def open(
        cls,
        path: Path | str,
        keep_backups: int = backup.DEFAULT_KEEP,
        *,
        busy_timeout_ms: int = BUSY_TIMEOUT_MS,
        defer_index_upgrade: bool = False,
    ) -> Database:
        """Create, migrate or simply open ``path``; raises DatabaseRefused when it must not.

        ``path`` may also be a server address (``postgresql://user@host:port/db``,
        see ``persistence/server.py``): then nothing is created or migrated, the
        schema must already be current.
        A file that may not be written (read-only file, folder or drive) is opened
        read-only: it can be read, and every attempt to change it says why not.
        ``defer_index_upgrade``: an outdated search index is left for
        ``services.search.upgrade_index`` (the window runs it in the background).
        """
        if teamserver.is_server_url(path):
            return cls.open_server(teamserver.parse_target(str(path)))
        return cls.from_ready(
            lifecycle.make_ready(Path(path), keep_backups),
            busy_timeout_ms=busy_timeout_ms,
            defer_index_upgrade=defer_index_upgrade,
        )

    @classmethod
    def from_ready(
        cls,
        ready: lifecycle.ReadyFile,
        *,
        busy_timeout_ms: int = BUSY_TIMEOUT_MS,
        defer_index_upgrade: bool = False,
    ) -> Database:
        """Open a file ``lifecycle.make_ready`` checked: engine, search index, sessions.

        The window's start checks the file and shows its first list before SQLAlchemy
        is loaded, then opens it here (``services.unit.open_ready``).
        """
        path = ready.path
        try:
            if ready.readonly_reason is not None:
                engine = make_engine(path, readonly=True, busy_timeout_ms=busy_timeout_ms)
                return cls(
                    path, engine, make_session_factory(engine), ready.opened, ready.readonly_reason
                )
            engine = make_engine(path, busy_timeout_ms=busy_timeout_ms)
            search_index.ensure(engine, defer_upgrade=defer_index_upgrade)
            sessions = make_session_factory(engine)
            search_index.keep_current(sessions)  # the index is written with each commit
            audit.write_last(sessions)  # the audit events last, just before the commit
        except BaseException:
            ready.release()  # nobody will close a database that never came to be
            raise
        return cls(path, engine, sessions, ready.opened)

    @classmethod
    def open_server(cls, target: teamserver.ServerTarget) -> Database:
        """Connect to a team database whose schema is current; refuse (one sentence) otherwise."""
        from chinadialog_desktop.persistence.server_notify import track_own_backends

        engine = teamserver.make_server_engine(target)
        pids: set[int] = set()
        track_own_backends(engine, pids)  # before the first connection is made
        try:
            revision = teamserver.inspect_server(engine, target)
            teamserver.check_revision(target, revision, [])
        except BaseException:
            engine.dispose()
            raise
        sessions = make_session_factory(engine)
        search_index.keep_current(sessions)  # the server's index, when db upgrade built it
        audit.write_last(sessions)  # the audit turn only for the events and the commit
        return cls(None, engine, sessions, None, server=target, server_pids=pids)

    @classmethod
    def open_read_only(cls, path: Path, note: str) -> Database:
        """Open a current database file only for reading, whatever its permissions;
        ``note`` says why (the window's banner)."""
        ready = lifecycle.ready_read_only(path, note)
        database = cls.from_ready(ready, busy_timeout_ms=WINDOW_BUSY_TIMEOUT_MS)
        database.readonly_note = note
        return database

    @contextmanager
    def session(self) -> Iterator[Session]:
        """A unit of work: committed when the block ends, rolled back on error.

        A locked, full, read-only or failing file raises a UserError with one
        plain sentence (never SQL or record data); the transaction is rolled back.
        """
        try:
            with self.sessions() as s, s.begin():
                yield s
        except DBAPIError as exc:
            translated = self.translate_error(exc)
            if translated is None:
                raise
            raise translated from exc

    @contextmanager
    def reading(self) -> Iterator[Session]:
        """A session for reads only, on a team server outside any transaction.

        Each statement then runs on its own, in its own snapshot, as it does in a READ
        COMMITTED transaction anyway; what goes is the transaction around it: BEGIN
        and ROLLBACK, two of the three round trips of a list page. The connection is
        the pool's, in autocommit mode while lent (set in the driver, not sent).
        Nothing may be written here: the session never flushes on its own, and one
        told to flush raises instead (autocommit would keep what it wrote). On a file
        it is a session that commits nothing. Failures are not translated (``unit``).
        """
        if self.server is None:
            with self.sessions() as s:
                yield s
            return
        if self._plain_reads is None:
            self._plain_reads = sessionmaker(
                bind=self.engine.execution_options(isolation_level="AUTOCOMMIT"),
                autoflush=False,
                expire_on_commit=False,
            )
            event.listen(self._plain_reads, "before_flush", _refuse_writes)
        with self._plain_reads() as s:
            yield s

    def translate_error(self, exc: BaseException) -> UserError | None:
        """A failed database operation as one plain sentence, or None (a bug stays one)."""
        if self.server is not None:
            return teamserver.describe_server_error(
                exc, self.server
            ) or teamserver.describe_concurrent_insert(exc)
        assert self.path is not None
        return translate_database_error(exc, self.path, self.readonly_reason)

    def close(self) -> None:
        self.engine.dispose()
        if self.opened is not None:
            self.opened.release()  # a restore in another process may go ahead now
