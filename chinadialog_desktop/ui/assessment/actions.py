"""The main window's Assessment menu (Prüfung): opens the assessment view for a partnership."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import QMenu

from chinadialog_desktop.i18n import N_, _

if TYPE_CHECKING:
    from chinadialog_desktop.ui.assessment.view import AssessmentView
    from chinadialog_desktop.ui.window.main_window import MainWindow

MENU_NAME = "assessmentMenu"
SHORTCUT = "Ctrl+Shift+A"  # A for assessment (Ctrl+Shift+P is the briefing preview)


def install(window: MainWindow) -> None:
    """Add the Assessment menu before Help; does nothing if the window has it already."""
    bar = window.menuBar()
    if bar.findChild(QMenu, MENU_NAME) is not None:
        return
    menu = window._menu(MENU_NAME, N_("&Assessment"), N_("Assessment"))
    # Keep Help last.
    bar.removeAction(menu.menuAction())
    bar.insertMenu(window.help_menu.menuAction(), menu)
    action = QAction(window)
    action.setObjectName("actionAssessment")
    window.texts.set(action, "setText", N_("&Start/open assessment …"))
    window.texts.set(
        action,
        "setStatusTip",
        N_("Assess the selected partnership with a guardrail checklist, or open its assessments"),
    )
    action.setShortcut(QKeySequence(SHORTCUT))
    action.triggered.connect(lambda _checked=False: open_assessment_view(window))
    menu.addAction(action)
    window.addAction(action)
    window.sig_database_changed.connect(lambda _db: _close_view(window))


def _selected_on(window: MainWindow, key: str) -> int | None:
    """The record selected in list ``key``, if that list is shown."""
    pages = getattr(window, "pages", {})
    page = pages.get(key)
    if page is None or page.model is None:
        return None
    try:
        if window.current_page() is not page:
            return None
    except (AttributeError, KeyError):
        return None
    record_id = page.current_id()
    return int(record_id) if record_id is not None else None


def selected_partnership(window: MainWindow) -> int | None:
    """The partnership selected in the partnership list, if that list is shown."""
    return _selected_on(window, "partnership")


def selected_assessment(window: MainWindow) -> int | None:
    """The assessment selected in the checklist list (page Checklisten), if that is shown."""
    return _selected_on(window, "assessment")


def _dialogs(window: MainWindow) -> dict[str, Any]:
    return window._dialogs


def _close_view(window: MainWindow) -> None:
    view = _dialogs(window).pop("assessment", None)
    if view is not None:
        view.close()
        view.deleteLater()


def open_assessment_view(window: MainWindow) -> AssessmentView | None:
    """Show the assessment window on the current database, on the selected partnership."""
    if window.workspace is None:
        window.show_error(_("Open a database first."))
        return None
    from chinadialog_desktop.ui.assessment.view import AssessmentView
    from chinadialog_desktop.ui.preferences.settings import AUTHOR_NAME

    partnership_id = selected_partnership(window)
    assessment_id = selected_assessment(window)
    view: AssessmentView | None = _dialogs(window).get("assessment")
    if view is not None and view.database is not window.workspace.database:
        _close_view(window)
        view = None
    if view is None:
        view = AssessmentView(
            window.workspace.database,
            window,
            partnership_id=partnership_id,
            reviewer=window.preferences.get(AUTHOR_NAME),
            workspace=window.workspace,
        )
        _dialogs(window)["assessment"] = view
    view.show_partnership(partnership_id, assessment_id)
    view.show()
    view.raise_()
    view.activateWindow()
    return view


__all__ = [
    "MENU_NAME",
    "install",
    "open_assessment_view",
    "selected_assessment",
    "selected_partnership",
]
