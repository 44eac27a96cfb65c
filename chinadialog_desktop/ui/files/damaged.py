"""A damaged database file in the window: what it says and the way out it offers.

The command line names its repair commands; the window names its own place for them,
the file's backups (File → Backups …), and never SQLite's English findings.
"""

from __future__ import annotations

from pathlib import Path

from chinadialog_desktop.i18n import _
from chinadialog_desktop.services import dbadmin


def backups_word() -> str:
    """The window's name for the backups (its File menu entry, without the accelerator)."""
    return _("&Backups …").replace("&", "")


def has_backups(path: Path) -> bool:
    return bool(dbadmin.list_backups(path))


def damaged_file_sentence(path: Path) -> str:
    """One sentence: the file is damaged, nothing was changed, and where to go from here."""
    if has_backups(path):
        return _(
            "The database file {path} is damaged, so it was not opened and nothing was "
            "changed in it; with {backups} you can restore an earlier backup, and the "
            "damaged file is kept."
        ).format(path=path, backups=backups_word())
    return _(
        "The database file {path} is damaged, so it was not opened and nothing was changed "
        "in it; there is no backup of it, so please ask your IT support, who can save what "
        "can still be read."
    ).format(path=path)
