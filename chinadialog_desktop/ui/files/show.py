"""Put an opened database into the main window (shared by opening and the offline copy)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from chinadialog_desktop.ui.window.main_window import MainWindow


def show_database(window: MainWindow, database: Any) -> None:
    """Put the opened ``database`` into ``window`` in place of the current one."""
    window.close_database()
    window.set_database_path(database.path, database.location)
    window.open_workspace(database)
    window.sig_database_changed.emit(database)
    if database.notice:  # an automatic repair (an interrupted update put back)
        window.message_bar.show_error(database.notice)
