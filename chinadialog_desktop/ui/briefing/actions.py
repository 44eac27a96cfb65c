"""The Briefing menu: preview and print the selected dossier's briefing, compare its exports."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QEvent, QObject
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import QMenu

from chinadialog_desktop.i18n import N_, _

if TYPE_CHECKING:
    from chinadialog_desktop.ui.window.main_window import MainWindow

MENU_NAME = "briefingMenu"


class BriefingActions(QObject):
    """Keeps the open preview and comparison dialogs of one window; stops layouts on close."""

    def __init__(self, window: MainWindow) -> None:
        super().__init__(window)
        self.setObjectName("briefingActions")
        self.window = window
        self.previews: list[Any] = []
        self.comparisons: list[Any] = []
        window.installEventFilter(self)
        window.sig_database_changed.connect(lambda _db: self.close_all())

    def selected_dossier(self) -> int | None:
        """The dossier shown on the Dossiers page, like Ctrl+P uses; says what to do if none."""
        window = self.window
        if window.workspace is None:
            return None
        page = window.pages.get("dossier")
        dossier_id = page.editor.record_id if page is not None and page.editor else None
        if page is None or window.current_page() is not page or dossier_id is None:
            window.message_bar.show_error(
                _("Select a dossier first (page Dossiers); its briefing is shown.")
            )
            return None
        if hasattr(window, "_flush"):
            window._flush()  # text typed a moment ago belongs in the briefing
        return int(dossier_id)

    def preview(self) -> Any:
        from chinadialog_desktop.ui.briefing.preview import open_preview

        dossier_id = self.selected_dossier()
        if dossier_id is None:
            return None
        dialog = open_preview(self.window, dossier_id)
        self.previews.append(dialog)
        dialog.finished.connect(lambda _r: self._forget(self.previews, dialog))
        dialog.sig_recorded.connect(lambda _id: self._reload_comparisons(dialog.dossier_id))
        return dialog

    def compare(self) -> Any:
        from chinadialog_desktop.ui.briefing.export_compare import ExportCompareDialog

        dossier_id = self.selected_dossier()
        if dossier_id is None:
            return None
        dialog = ExportCompareDialog(self.window, dossier_id)
        self.comparisons.append(dialog)
        dialog.finished.connect(lambda _r: self._forget(self.comparisons, dialog))
        dialog.show()
        if dialog.model.rowCount() >= 2:
            dialog.select(0, 1)  # the latest change at once
            dialog.compare()
        return dialog

    def _reload_comparisons(self, dossier_id: int) -> None:
        for dialog in self.comparisons:
            if dialog.dossier_id == dossier_id:
                dialog.reload()

    @staticmethod
    def _forget(dialogs: list[Any], dialog: Any) -> None:
        if dialog in dialogs:
            dialogs.remove(dialog)
        dialog.deleteLater()

    def close_all(self) -> None:
        """Close every dialog (another database file was opened, or the window closes)."""
        for dialog in [*self.previews, *self.comparisons]:
            dialog.close()
            if hasattr(dialog, "stop"):
                dialog.stop()
        self.previews.clear()
        self.comparisons.clear()

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802
        if watched is self.window and event.type() == QEvent.Type.Close:
            self.close_all()  # a layout still running is cancelled, not cut off
        return super().eventFilter(watched, event)


def install(window: MainWindow) -> None:
    """Add the Briefing menu to ``window`` (once; a second call does nothing)."""
    if window.menuBar().findChild(QMenu, MENU_NAME) is not None:
        return
    actions = BriefingActions(window)
    menu = window._menu(MENU_NAME, N_("&Briefing"), N_("Briefing"))
    # Before Help, where menus of commands belong.
    window.menuBar().insertMenu(window.help_menu.menuAction(), menu)

    def add(name: str, text: str, keys: Any, slot: Any, tip: str) -> QAction:
        action = QAction(window)
        window.texts.set(action, "setText", text)
        action.setObjectName(name)
        if keys is not None:
            action.setShortcut(QKeySequence(keys))
        window.texts.set(action, "setStatusTip", tip)
        action.triggered.connect(lambda _c=False: slot())
        menu.addAction(action)
        window.addAction(action)
        return action

    add(
        "actionBriefingPreview",
        N_("&Preview and print …"),
        "Ctrl+Shift+P",
        actions.preview,
        N_("Preview the selected dossier's briefing, print it or save it as PDF"),
    )
    add(
        "actionCompareExports",
        N_("&Compare earlier exports …"),
        None,
        actions.compare,
        N_("What changed between two recorded exports of the selected dossier"),
    )
    window.briefing_actions = actions
