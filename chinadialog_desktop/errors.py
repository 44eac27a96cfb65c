"""Errors meant for the user: their message is shown as is, without a traceback."""

from __future__ import annotations


class UserError(Exception):
    """Something the user can understand and act on; the message is already translated."""


class DatabaseRefused(UserError):
    """The file is not a database we may open (corrupt, foreign, or from a newer version)."""


class DatabaseNewer(DatabaseRefused):
    pass


class DatabaseEmptyFile(DatabaseRefused):
    """A zero-byte file the app did not create: only made a database when the user says so."""


class DatabaseDamaged(DatabaseRefused):
    """SQLite's check found damage: nothing is written to it; ``db recover`` can save the rest."""

    problems: list[str] = []  # SQLite's own findings, for the record


class MigrationFailed(UserError):
    pass


class NotFound(UserError):
    pass


class ConcurrentEdit(UserError):
    """Someone else saved the record since it was loaded (optimistic lock)."""
