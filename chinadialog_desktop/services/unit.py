"""Units of work on an open database: the one road from the window to the data.

The window never opens a session itself: it hands a function of the session
(always a function from ``services/``) to :func:`read` or :func:`write`.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, TypeVar

if TYPE_CHECKING:
    from sqlalchemy.orm import Session

    from chinadialog_desktop.persistence.database import Database

T = TypeVar("T")


def read(database: Database, fn: Callable[[Session], T]) -> T:
    """``fn(session)`` in a session that commits nothing."""
    with database.sessions() as session:
        return fn(session)


def write(database: Database, fn: Callable[[Session], T]) -> T:
    """``fn(session)`` as one unit of work: committed at the end, rolled back on error."""
    with database.session() as session:
        return fn(session)


def open_database(
    path: Path, keep_backups: int | None = None, *, for_window: bool = False
) -> Database:
    """Open ``path`` (create or migrate it as needed); raises DatabaseRefused/UserError.

    ``for_window``: wait only briefly for a lock another program holds, so the
    window never freezes; the command line waits longer.
    """
    # Imported here: SQLAlchemy is the heaviest import of the start-up.
    from chinadialog_desktop.persistence.database import WINDOW_BUSY_TIMEOUT_MS, Database

    options: dict[str, int] = {}
    if keep_backups is not None:
        options["keep_backups"] = keep_backups
    if for_window:
        options["busy_timeout_ms"] = WINDOW_BUSY_TIMEOUT_MS
    return Database.open(Path(path), **options)


def default_backups_kept() -> int:
    """How many rotating backups are kept unless the user chose otherwise."""
    from chinadialog_desktop.persistence.backup import DEFAULT_KEEP

    return DEFAULT_KEEP


__all__ = ["default_backups_kept", "open_database", "read", "write"]
