"""The File menu's database commands: new, open, recent files, backups; switching the window.

The dialogs themselves live in ``recent_files`` and ``backups_dialog``; this
module puts them into the main window's menu and moves the window from one
database file to another (the old file stays open when the new one fails).
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any

from PySide6.QtGui import QAction, QKeySequence

from chinadialog_desktop.errors import DatabaseDamaged, UserError
from chinadialog_desktop.i18n import N_, _
from chinadialog_desktop.ui.files.recent_files import (
    RecentFiles,
    RecentFilesMenu,
    choose_database_to_open,
    choose_new_database,
)
from chinadialog_desktop.ui.files.show import show_database
from chinadialog_desktop.ui.preferences.settings import BACKUPS_KEPT

if TYPE_CHECKING:
    from chinadialog_desktop.ui.window.main_window import MainWindow


def build_file_menu(window: MainWindow) -> None:
    """New…, Open…, Recent files and Backups… above Quit in ``window.file_menu``."""
    menu = window.file_menu
    first = menu.actions()[0]  # Quit: the window puts it into the menu first

    def add(name: str, text: str, keys: Any, slot: Any, tip: str) -> QAction:
        action = QAction(window)
        window.texts.set(action, "setText", text)
        action.setObjectName(name)
        if keys is not None:
            action.setShortcut(QKeySequence(keys))
        window.texts.set(action, "setStatusTip", tip)
        action.triggered.connect(slot)
        menu.insertAction(first, action)
        return window.commands.register(action)

    add(
        "actionNewDatabase",
        N_("&New database …"),
        "Ctrl+Shift+N",
        lambda: new_database(window),
        N_("Create an empty database file, e.g. one per project"),
    )
    add(
        "actionOpenDatabase",
        N_("&Open database …"),
        QKeySequence.StandardKey.Open,
        lambda: open_database(window),
        N_("Open another database file"),
    )
    add(
        "actionConnectTeamServer",
        N_("Connect to &team server …"),
        None,
        lambda: connect_team_server(window),
        N_("Work on a shared ChinaDialog database on a PostgreSQL server"),
    )
    add(
        "actionTakeLocalCopy",
        N_("Take a &local copy of the team server …"),
        None,
        lambda: take_local_copy(window),
        N_("Copy the team database into a file, to read when the server cannot be reached"),
    )
    add(
        "actionMergeTravelCopy",
        N_("&Merge a travel copy back …"),
        None,
        lambda: merge_travel_copy(window),
        N_(
            "Take back into this database what was changed offline in a copy made with "
            "'Take a local copy' or 'db copy'; conflicts are decided as in imports"
        ),
    )
    recent = RecentFilesMenu(RecentFiles(window.preferences), menu)
    recent.sig_open_path.connect(lambda path: switch_to(window, path))
    menu.insertMenu(first, recent)
    window.texts.set(recent, "setTitle", N_("Recent &files"))
    window.recent_menu = recent
    menu.insertSeparator(first)
    add(
        "actionExportBriefing",
        N_("&Export briefing as PDF …"),
        QKeySequence.StandardKey.Print,
        window.export_briefing,
        N_("The selected dossier as a PDF briefing for council or committee"),
    )
    add(
        "actionExportBriefingWord",
        N_("Export briefing as &Word document …"),
        None,
        window.export_briefing_word,
        N_(
            "The selected dossier as a Word document (.docx) for the council information "
            "system, filling the Word template set in the settings"
        ),
    )
    menu.insertSeparator(first)
    add(
        "actionBackups",
        N_("&Backups …"),
        None,
        lambda: show_backups(window),
        N_("List the backups of this database, make one, restore one"),
    )
    menu.insertSeparator(first)


def new_database(window: MainWindow) -> bool:
    path = choose_new_database(window, window.database_path.parent)
    return path is not None and switch_to(window, path)


def open_database(window: MainWindow) -> bool:
    path = choose_database_to_open(window, window.database_path.parent)
    return path is not None and switch_to(window, path)


def connect_team_server(window: MainWindow) -> bool:
    """File → Connect to team server …: ask for the connection, then switch to it."""
    from PySide6.QtWidgets import QDialog

    from chinadialog_desktop.ui.files.team_dialog import TeamServerDialog

    dialog = TeamServerDialog(window)
    if dialog.exec() != QDialog.DialogCode.Accepted:
        return False
    return switch_to(window, dialog.address)


def take_local_copy(
    window: MainWindow, path: Path | None = None, *, synchronous: bool = False
) -> Any:
    """File → Take a local copy …: the team database into a new file (``db copy``), in the
    background; it is the copy offered read-only while the server cannot be reached."""
    from chinadialog_desktop.ui.common.jobs import run_task

    database = window.workspace.database if window.workspace is not None else None
    server = getattr(database, "server", None)
    if server is None:
        window.message_bar.show_error(
            _(
                "A local copy is taken of a team server connection; a database file is "
                "saved with File → Backups."
            )
        )
        return None
    if path is None:
        path = choose_new_database(window, window.database_path.parent)
        if path is None:
            return None
    address = server.display()

    def work(_progress: Any, _cancelled: Any) -> Any:
        from chinadialog_desktop.services.dbcopy import copy_database

        return copy_database(address, str(path))

    def done(_report: Any) -> None:
        window.message_bar.show_error(
            _(
                "The local copy of {server} is in {path}; it is offered read-only whenever "
                "the server cannot be reached."
            ).format(server=server.spoken(), path=path)
        )

    window.statusBar().showMessage(_("Taking a local copy of the team server …"))
    return run_task(window, work, done, window.message_bar.show_error, synchronous=synchronous)


def merge_travel_copy(window: MainWindow, copy: Path | None = None) -> Any:
    """File → Merge a travel copy back … (``ui/files/travel_merge.py``)."""
    from chinadialog_desktop.ui.files.travel_merge import merge_travel_copy as start

    return start(window, copy)


def switch_to(window: MainWindow, path: Path | str) -> bool:
    """Show ``path`` (a file or a team server address) in ``window``; on failure say why
    and keep the current database."""
    from chinadialog_desktop.services.team import is_server_url
    from chinadialog_desktop.ui.files.recent_files import open_database as open_file

    target: Path | str = path if is_server_url(path) else Path(path)
    try:
        database = open_file(target, window.preferences, window)
    except UserError as exc:  # a server's sentence names the server itself
        if isinstance(target, str):
            from chinadialog_desktop.ui.files.offline import copy_choices

            # The server away: its last local copy can still be read.
            window.message_bar.show_choices(str(exc), copy_choices(window, target))
        elif isinstance(exc, DatabaseDamaged):  # the window's sentence, its backups a click away
            from chinadialog_desktop.ui.files.damaged import (
                backups_word,
                damaged_file_sentence,
                has_backups,
            )

            damaged = Path(target)
            choices = (
                [("damagedBackupsChoice", backups_word(), lambda: show_backups(window, damaged))]
                if has_backups(damaged)
                else []
            )
            window.message_bar.show_choices(damaged_file_sentence(damaged), choices)
        else:
            window.message_bar.show_error(
                _("{path} could not be opened: {reason}").format(path=path, reason=exc)
            )
        return False
    show_database(window, database)
    return True


def show_backups(window: MainWindow, path: Path | None = None) -> None:
    """File → Backups …: of the open file, or of ``path`` (a damaged file that was not
    opened: a restore opens it in the window, the open file staying open otherwise)."""
    from chinadialog_desktop.ui.files.backups_dialog import BackupsDialog

    if path is not None:
        other = BackupsDialog(path, window, keep_backups=window.preferences.get(BACKUPS_KEPT))
        other.sig_restored.connect(
            lambda restored, saved: switch_to(window, Path(restored)) if saved else None
        )
        other.exec()
        return
    if window.workspace is None:
        return
    if window.workspace.database.path is None:  # a team server: its backups are the IT's job
        window.message_bar.show_error(
            _(
                "Backups of the team server are made on the server (pg_dump, replication); "
                "see docs/team-mode.md."
            )
        )
        return
    path = window.database_path
    dialog = BackupsDialog(path, window, keep_backups=window.preferences.get(BACKUPS_KEPT))
    dialog.sig_about_to_restore.connect(lambda _p: window.close_database())
    dialog.sig_restored.connect(lambda restored, _saved: switch_to(window, Path(restored)))
    dialog.exec()
    if window.workspace is None:  # the restore failed after the file was closed: reopen it
        switch_to(window, path)
