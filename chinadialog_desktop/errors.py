"""Errors meant for the user: their message is shown as is, without a traceback."""

from __future__ import annotations

import shutil
from pathlib import Path


class UserError(Exception):
    """Something the user can understand and act on; the message is already translated."""


class DatabaseRefused(UserError):
    """The file is not a database we may open (corrupt, foreign, or from a newer version)."""


class DatabaseNewer(DatabaseRefused):
    pass


class DatabaseEmptyFile(DatabaseRefused):
    """A zero-byte file the app did not create: only made a database when the user says so."""


class MigrationFailed(UserError):
    pass


class NotFound(UserError):
    pass


class ConcurrentEdit(UserError):
    """Someone else saved the record since it was loaded (optimistic lock)."""


class DatabaseUnavailable(UserError):
    """SQLite could not do what was asked just now; nothing was changed."""


class DatabaseBusy(DatabaseUnavailable):
    """Another process holds the write lock longer than we wait."""


class DiskFull(DatabaseUnavailable):
    pass


class DatabaseReadOnly(DatabaseUnavailable):
    """The file, its folder or its drive may not be written."""


class DiskError(DatabaseUnavailable):
    pass


class DatabaseDamaged(DatabaseRefused, DatabaseUnavailable):
    """SQLite found damage (a check, or an error while working): nothing more is written
    to the file; ``db recover`` can save the rest."""

    problems: list[str] = []  # SQLite's own findings, for the record


def sqlite_error_name(exc: BaseException) -> str:
    """SQLite's error name (``SQLITE_BUSY`` …) of ``exc`` or the error it wraps, else ""."""
    seen: set[int] = set()
    current: BaseException | None = exc
    while current is not None and id(current) not in seen:
        seen.add(id(current))
        name = getattr(current, "sqlite_errorname", None)
        if isinstance(name, str) and name:
            return name
        orig = getattr(current, "orig", None)  # SQLAlchemy's DBAPIError
        current = orig if isinstance(orig, BaseException) else current.__cause__
    return ""


def _low_on_space(path: Path) -> bool:
    try:
        return shutil.disk_usage(path.parent).free < 1024 * 1024
    except OSError:
        return False


def translate_database_error(
    exc: BaseException, path: Path, readonly_reason: str | None = None
) -> UserError | None:
    """One plain sentence for a failed SQLite operation: what happened and what to do.

    Never contains SQL, parameters or record data. None when ``exc`` is not one
    of the conditions a user can act on (then it is a bug and stays one).
    """
    from chinadialog_desktop.i18n import _

    name = sqlite_error_name(exc)
    if not name:
        return None
    if name.startswith(("SQLITE_BUSY", "SQLITE_LOCKED")):
        return DatabaseBusy(
            _(
                "Another program is writing to the database {path} right now (an import or a "
                "second window, for example); nothing was saved. Please try again in a moment."
            ).format(path=path)
        )
    if name == "SQLITE_FULL" or (name.startswith("SQLITE_IOERR") and _low_on_space(path)):
        return DiskFull(
            _(
                "The disk holding {path} is full; nothing was saved. "
                "Please free some space and try again."
            ).format(path=path)
        )
    if name.startswith("SQLITE_READONLY"):
        return DatabaseReadOnly(read_only_message(path, readonly_reason))
    if name.startswith("SQLITE_IOERR"):
        return DiskError(
            _(
                "Reading or writing {path} failed (a disk or drive error); nothing was saved. "
                "Please check the drive and try again."
            ).format(path=path)
        )
    if name.startswith("SQLITE_CANTOPEN"):
        return DatabaseUnavailable(
            _("The database {path} cannot be opened or created; is its folder writable?").format(
                path=path
            )
        )
    if name in ("SQLITE_CORRUPT", "SQLITE_NOTADB") or name.startswith("SQLITE_CORRUPT"):
        return DatabaseDamaged(
            _(
                "The database {path} is damaged; nothing was saved. Check it with "
                "'chinadialog db check' and restore a backup if needed."
            ).format(path=path)
        )
    return None


def read_only_message(path: Path, reason: str | None = None) -> str:
    """Why ``path`` cannot be changed, and what the user can do about it."""
    from chinadialog_desktop.i18n import _

    return _(
        "{path} is open read-only ({reason}); nothing can be changed. To edit it, "
        "copy it into a folder you may write to and open the copy."
    ).format(path=path, reason=reason or _("the file cannot be written"))


def plain_exception_text(exc: BaseException) -> str:
    """``Type: message`` of an unexpected error, without SQL statements or parameters.

    SQLAlchemy appends the statement and its parameters (record data, up to many
    kilobytes) to its messages; only the database driver's own message is kept.
    """
    orig = getattr(exc, "orig", None)
    if isinstance(orig, BaseException):
        exc = orig
    text = str(exc).split("\n[SQL:", 1)[0].split("\n(Background on this error", 1)[0]
    if len(text) > 300:
        text = text[:300] + " …"
    return f"{type(exc).__name__}: {text}"
