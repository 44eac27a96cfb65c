"""Units of work on an open database: the one road from the window to the data.

The window never opens a session itself: it hands a function of the session
(always a function from ``services/``) to :func:`read` or :func:`write`.
"""

from __future__ import annotations

from collections.abc import Callable
from contextlib import AbstractContextManager
from pathlib import Path
from typing import TYPE_CHECKING, TypeVar

# Whether a --db names a team server: cheap, for the window's start too.
from chinadialog_desktop.persistence.server_url import is_server_url

if TYPE_CHECKING:
    from sqlalchemy.orm import Session

    from chinadialog_desktop.persistence.database import Database
    from chinadialog_desktop.persistence.lifecycle import ReadyFile

T = TypeVar("T")


def read(database: Database, fn: Callable[[Session], T]) -> T:
    """``fn(session)`` in a session that commits nothing.

    On a team server a failed read (the server away, a right missing) raises the
    same one-sentence UserError as a failed write.
    """
    if getattr(database, "server", None) is None:
        with database.sessions() as session:
            return fn(session)
    return _on_server(database, database.sessions, fn)


def read_page(database: Database, fn: Callable[[Session], T]) -> T:
    """``read`` for a list's page of rows (a statement or two of plain SELECTs): on a team
    server outside a transaction (``Database.reading``), one round trip instead of three."""
    if getattr(database, "server", None) is None:
        return read(database, fn)
    return _on_server(database, database.reading, fn)


def _on_server(
    database: Database,
    sessions: Callable[[], AbstractContextManager[Session]],
    fn: Callable[[Session], T],
) -> T:
    """``fn`` in a session from ``sessions``; a failure the server reported as one sentence."""
    from sqlalchemy.exc import DBAPIError

    try:
        with sessions() as session:
            return fn(session)
    except DBAPIError as exc:
        translated = database.translate_error(exc)
        if translated is None:
            raise
        raise translated from exc


def write(database: Database, fn: Callable[[Session], T]) -> T:
    """``fn(session)`` as one unit of work: committed at the end, rolled back on error."""
    with database.session() as session:
        return fn(session)


def open_database(
    path: Path | str, keep_backups: int | None = None, *, for_window: bool = False
) -> Database:
    """Open ``path`` (create or migrate it as needed) or a team server address
    (``postgresql://…``); raises DatabaseRefused/UserError.

    ``for_window``: wait only briefly for a lock another program holds, so the
    window never freezes (the command line waits longer), and leave an outdated
    search index to :func:`chinadialog_desktop.services.search.upgrade_index`.
    """
    # Imported here: SQLAlchemy is the heaviest import of the start-up.
    from chinadialog_desktop.persistence.backup import DEFAULT_KEEP
    from chinadialog_desktop.persistence.database import WINDOW_BUSY_TIMEOUT_MS, Database
    from chinadialog_desktop.persistence.sqlite_files import BUSY_TIMEOUT_MS

    if is_server_url(path):  # a team server: nothing created or migrated by opening
        return Database.open(str(path))
    return Database.open(
        Path(path),
        keep_backups=DEFAULT_KEEP if keep_backups is None else keep_backups,
        # the window waits only briefly and upgrades an outdated search index in the
        # background afterwards
        busy_timeout_ms=WINDOW_BUSY_TIMEOUT_MS if for_window else BUSY_TIMEOUT_MS,
        defer_index_upgrade=for_window,
    )


def check_file(path: Path, keep_backups: int | None = None) -> ReadyFile:
    """Everything :func:`open_database` does to a file before it opens it (the checks,
    creation, repair of an interrupted update, backup and migration), without SQLAlchemy
    unless the file must be created or migrated; raises DatabaseRefused/UserError.

    The window shows the first list from the file checked (``services.records.first_page``)
    and then opens it with :func:`open_ready`.
    """
    from chinadialog_desktop.persistence import lifecycle
    from chinadialog_desktop.persistence.backup import DEFAULT_KEEP

    return lifecycle.make_ready(Path(path), DEFAULT_KEEP if keep_backups is None else keep_backups)


def open_ready(ready: ReadyFile) -> Database:
    """Open a file :func:`check_file` made ready, for the window (as ``for_window=True``)."""
    from chinadialog_desktop.persistence.database import WINDOW_BUSY_TIMEOUT_MS, Database

    return Database.from_ready(
        ready, busy_timeout_ms=WINDOW_BUSY_TIMEOUT_MS, defer_index_upgrade=True
    )


def release_unopened(ready: ReadyFile) -> None:
    """Let go of a file :func:`check_file` made ready that will not be opened after all."""
    ready.release()


def load_database_code() -> None:
    """Import what :func:`open_database` needs (SQLAlchemy, the models), opening nothing:
    the window does this after its first frame (see ``ui/window/plain_import.py``)."""
    import chinadialog_desktop.persistence.database  # noqa: F401


def default_backups_kept() -> int:
    """How many rotating backups are kept unless the user chose otherwise."""
    from chinadialog_desktop.persistence.backup_keep import DEFAULT_KEEP

    return DEFAULT_KEEP


__all__ = [
    "check_file",
    "default_backups_kept",
    "is_server_url",
    "open_database",
    "open_ready",
    "read",
    "release_unopened",
    "write",
]
