"""The Screening menu (“&Abgleich”): opens the screening window on the window's database."""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import QMenu

from chinadialog_desktop.i18n import N_, _

if TYPE_CHECKING:
    from chinadialog_desktop.ui.screening.view import ScreeningDialog
    from chinadialog_desktop.ui.window.main_window import MainWindow

MENU_NAME = "screeningMenu"


def install(window: MainWindow) -> None:
    """Add the menu “&Abgleich” with “Screening …” (Ctrl+Shift+S); does nothing twice."""
    if window.menuBar().findChild(QMenu, MENU_NAME) is not None:
        return
    menu = window._menu(MENU_NAME, N_("&Screening"), N_("Screening"))
    # Before Help, where users look for it.
    window.menuBar().insertMenu(window.help_menu.menuAction(), menu)
    action = QAction(window)
    action.setObjectName("actionScreening")
    window.texts.set(action, "setText", N_("Screening …"))
    window.texts.set(
        action,
        "setStatusTip",
        N_("Check actors and contact persons against sanctions and export-control lists"),
    )
    action.setShortcut(QKeySequence("Ctrl+Shift+S"))
    action.triggered.connect(lambda _checked=False: open_screening(window))
    menu.addAction(action)
    window.addAction(action)
    window.sig_database_changed.connect(lambda database: _database_changed(window, database))


def current_dialog(window: MainWindow) -> ScreeningDialog | None:
    from chinadialog_desktop.ui.screening.view import ScreeningDialog

    return window.findChild(ScreeningDialog, "screeningDialog")


def open_screening(window: MainWindow) -> ScreeningDialog | None:
    """Show the screening window (one per main window) on the open database."""
    from chinadialog_desktop.ui.screening.view import ScreeningDialog, StopOnClose

    if window.workspace is None:
        window.show_error(_("Open a database first."))
        return None
    dialog = current_dialog(window)
    if dialog is None:
        dialog = ScreeningDialog(window.workspace.database, window, window.workspace)
        dialog.sig_open_record.connect(
            lambda kind, record_id: _show_record(window, kind, record_id)
        )
        window.installEventFilter(StopOnClose(dialog))
    elif dialog.database is not window.workspace.database:
        dialog.set_database(window.workspace.database)
        dialog.set_workspace(window.workspace)
    if dialog.isMinimized():  # stepped aside for "Show record"
        dialog.showNormal()
    dialog.show()
    dialog.raise_()
    dialog.activateWindow()
    return dialog


def _show_record(window: MainWindow, kind: str, record_id: int) -> None:
    """Show our record in the main window; the screening window, which stays on top of it,
    steps aside (minimised) so the record can be seen. Screening brings it back."""
    window.open_record(kind, record_id)
    dialog = current_dialog(window)
    if dialog is not None:
        dialog.showMinimized()
    window.raise_()
    window.activateWindow()


def _database_changed(window: MainWindow, database: object) -> None:
    dialog = current_dialog(window)
    if dialog is not None:
        dialog.set_database(database)
