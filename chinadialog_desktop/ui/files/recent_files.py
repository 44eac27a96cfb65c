"""Open, create and switch database files: File → New…, Open…, the recent files menu.

Wiring (main window)::

    recent = RecentFiles(settings)                       # ui.preferences.settings.Settings
    menu = RecentFilesMenu(recent, file_menu)            # a QMenu "Recent files"
    menu.sig_open_path.connect(window.switch_to)         # Path chosen from the list
    path = choose_new_database(window)                   # File → New…  (None: cancelled)
    path = choose_database_to_open(window)               # File → Open… (None: cancelled)
    database = open_database(path, settings)             # then close the old one, show this

``open_database`` opens (creating or migrating as needed) with the number of
backups kept from the settings, remembers the file in the recent list and as
the last database, and raises ``errors.UserError`` (DatabaseRefused …) with
a message for people when the file cannot be used — the old database stays
open then. ``RecentFiles.add`` is also what to call after a switch made
another way.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

from PySide6.QtCore import Signal
from PySide6.QtGui import QAction
from PySide6.QtWidgets import QFileDialog, QMenu, QMessageBox, QWidget

from chinadialog_desktop.i18n import _
from chinadialog_desktop.services.unit import is_server_url
from chinadialog_desktop.ui.preferences.settings import (
    BACKUPS_KEPT,
    LAST_DATABASE,
    MAX_RECENT,
    RECENT_FILES,
    Settings,
)

SUFFIX = ".sqlite3"


def _filter() -> str:
    return _("ChinaDialog databases (*.sqlite3 *.sqlite *.db);;All files (*)")


def _key(path: Path) -> str:
    return os.path.normcase(str(Path(path).expanduser().resolve()))


def _team() -> Any:
    """``services.team`` on first use: its server code is not needed for the first frame."""
    from chinadialog_desktop.services import team

    return team


class RecentFiles:
    """The recent database files, newest first, at most ``MAX_RECENT``, no duplicates."""

    def __init__(self, settings: Settings) -> None:
        self.settings = settings

    def paths(self, existing_only: bool = True) -> list[Path]:
        """The recent database files (team server connections are in ``entries``)."""
        out = [Path(p) for p in self.settings.get(RECENT_FILES) if not is_server_url(p)]
        return [p for p in out if p.is_file()] if existing_only else out

    def entries(self) -> list[Path | str]:
        """Files that still exist and team server addresses, newest first."""
        out: list[Path | str] = []
        for value in self.settings.get(RECENT_FILES):
            if is_server_url(value):
                out.append(value)
            elif Path(value).is_file():
                out.append(Path(value))
        return out

    def add(self, path: Path | str) -> None:
        if is_server_url(path):  # an address without a password (parse_target refuses one)
            kept = [p for p in self.settings.get(RECENT_FILES) if p != path]
            self.settings.set(RECENT_FILES, [str(path), *kept][:MAX_RECENT])
            return
        path = Path(path).expanduser().resolve()
        kept = [p for p in self.settings.get(RECENT_FILES) if _key(Path(p)) != _key(path)]
        self.settings.set(RECENT_FILES, [str(path), *kept][:MAX_RECENT])
        self.settings.set(LAST_DATABASE, str(path))

    def remove(self, path: Path) -> None:
        kept = [p for p in self.settings.get(RECENT_FILES) if _key(Path(p)) != _key(path)]
        self.settings.set(RECENT_FILES, kept)

    def clear(self) -> None:
        self.settings.set(RECENT_FILES, [])

    def last(self) -> Path | None:
        value = self.settings.get(LAST_DATABASE)
        return Path(value) if value and Path(value).is_file() else None


class RecentFilesMenu(QMenu):
    """A "Recent files" submenu, rebuilt each time it opens; Alt+1…9 for the first nine."""

    sig_open_path = Signal(object)  # pathlib.Path

    def __init__(self, recent: RecentFiles, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.recent = recent
        self.setObjectName("recentFilesMenu")
        self.setTitle(_("Recent &files"))
        self.setAccessibleName(_("Recent files"))
        self.aboutToShow.connect(self.rebuild)
        self.rebuild()

    def rebuild(self) -> None:
        self.clear()
        paths = self.recent.entries()
        for n, path in enumerate(paths):
            prefix = f"&{n + 1} " if n < 9 else ""
            if isinstance(path, str):  # a team server connection
                shown = _("Team server {server}").format(server=_team().describe(path))
            else:
                shown = f"{path.name}  —  {path.parent}"
            action = QAction(f"{prefix}{shown}", self)
            action.setObjectName(f"actionRecentFile{n}")
            action.setToolTip(str(path))
            action.setStatusTip(str(path))
            action.setData(str(path))
            action.triggered.connect(lambda _c=False, p=path: self.sig_open_path.emit(p))
            self.addAction(action)
        if not paths:
            empty = QAction(_("No recent files"), self)
            empty.setObjectName("actionRecentEmpty")
            empty.setEnabled(False)
            self.addAction(empty)
        self.addSeparator()
        clear = QAction(_("Clear list"), self)
        clear.setObjectName("actionRecentClear")
        clear.setEnabled(bool(paths))
        clear.triggered.connect(self._clear)
        self.addAction(clear)
        self.setEnabled(True)

    def _clear(self) -> None:
        self.recent.clear()
        self.rebuild()


def with_suffix(path: Path) -> Path:
    """Add ``.sqlite3`` when the user typed a name without an extension."""
    return path if path.suffix else path.with_suffix(SUFFIX)


def choose_new_database(parent: QWidget | None, folder: Path | None = None) -> Path | None:
    """Ask where to create a new database file; refuses to reuse an existing file."""
    name, _chosen = QFileDialog.getSaveFileName(
        parent,
        _("New database"),
        str((folder or Path.home()) / (_("partnerships") + SUFFIX)),
        _filter(),
        options=QFileDialog.Option.DontConfirmOverwrite,
    )
    if not name:
        return None
    path = with_suffix(Path(name))
    if path.exists():
        QMessageBox.warning(
            parent,
            _("New database"),
            _("{path} already exists. Use File → Open to open it; nothing was changed.").format(
                path=path
            ),
        )
        return None
    return path


def choose_database_to_open(parent: QWidget | None, folder: Path | None = None) -> Path | None:
    name, _chosen = QFileDialog.getOpenFileName(
        parent, _("Open database"), str(folder or Path.home()), _filter()
    )
    return Path(name) if name else None


def open_database(path: Path | str, settings: Settings, parent: QWidget | None = None) -> Any:
    """Open ``path`` (create/migrate as needed) or a team server, and remember it;
    raises UserError."""
    if is_server_url(path):
        database = open_asking(path, settings.get(BACKUPS_KEPT), parent)
        RecentFiles(settings).add(str(path))
        return database
    database = open_asking(Path(path), settings.get(BACKUPS_KEPT), parent)
    RecentFiles(settings).add(database.path)
    return database


def open_asking(path: Path | str, keep_backups: int, parent: QWidget | None) -> Any:
    """Open ``path``; a zero-byte file becomes a database only if the user says so."""
    from chinadialog_desktop.errors import DatabaseEmptyFile
    from chinadialog_desktop.services.dbadmin import initialise_empty
    from chinadialog_desktop.services.unit import open_database as open_file

    if isinstance(path, str) and is_server_url(path):
        return open_file(path, keep_backups, for_window=True)
    path = Path(path)

    try:
        return open_file(path, keep_backups, for_window=True)
    except DatabaseEmptyFile:
        if not confirm_initialise_empty(parent, path):
            raise
    initialise_empty(path, keep_backups)
    return open_file(path, keep_backups, for_window=True)


def check_asking(path: Path, keep_backups: int, parent: QWidget | None) -> Any:
    """``services.unit.check_file(path)`` (a ``ReadyFile``); a zero-byte file becomes a
    database only if the user says so (as ``open_asking``)."""
    from chinadialog_desktop.errors import DatabaseEmptyFile
    from chinadialog_desktop.services.unit import check_file

    try:
        return check_file(path, keep_backups)
    except DatabaseEmptyFile:
        if not confirm_initialise_empty(parent, path):
            raise
    from chinadialog_desktop.services.dbadmin import initialise_empty

    initialise_empty(path, keep_backups)
    return check_file(path, keep_backups)


def confirm_initialise_empty(parent: QWidget | None, path: Path) -> bool:
    box = QMessageBox(
        QMessageBox.Icon.Question,
        _("Empty file"),
        _("{path} is empty (it contains no data). Create a new ChinaDialog database in it?").format(
            path=path
        ),
        QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No,
        parent,
    )
    box.setObjectName("confirmInitialiseEmpty")
    box.setDefaultButton(QMessageBox.StandardButton.No)
    return box.exec() == QMessageBox.StandardButton.Yes
