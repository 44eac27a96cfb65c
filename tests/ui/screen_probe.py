"""Opens every window and dialog on the screen the Qt platform offers; prints what does not fit.

Usage: ``screen_probe.py <folder> <de|en>``. Run in its own process by
``test_small_screens.py`` with ``QT_QPA_PLATFORM=offscreen:configfile=<json>``: the
offscreen platform then has exactly the configured screen (one process, one screen size).
Prints one JSON object: the screen's free area and, per window, the problems found (a
window or a button outside the screen). A button inside a scroll area counts as reachable
when the scroll area's visible part is on the screen.
"""

from __future__ import annotations

import json
import sys
import time
from pathlib import Path
from typing import Any

from PySide6.QtCore import QPoint, QRect
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import QAbstractButton, QApplication, QScrollArea, QWidget

from chinadialog_desktop.i18n import set_language
from chinadialog_desktop.persistence.database import Database
from chinadialog_desktop.services.demo import load_demo
from chinadialog_desktop.ui import app as ui_app


def _global(widget: QWidget) -> QRect:
    return QRect(widget.mapToGlobal(QPoint(0, 0)), widget.size())


def _scroll_parent(widget: QWidget) -> QScrollArea | None:
    parent = widget.parentWidget()
    while parent is not None:
        if isinstance(parent, QScrollArea):
            return parent
        parent = parent.parentWidget()
    return None


def problems(window: QWidget) -> list[str]:
    area = (window.screen() or QGuiApplication.primaryScreen()).availableGeometry()
    found = []
    frame = window.frameGeometry()
    if not area.contains(frame):
        found.append(f"window {frame.width()}×{frame.height()} at {frame.x()},{frame.y()}")
    for button in window.findChildren(QAbstractButton):
        if not button.isVisibleTo(window) or button.objectName().startswith("qt_"):
            continue
        scroll = _scroll_parent(button)
        rect = _global(scroll.viewport()) if scroll is not None else _global(button)
        if not area.contains(rect) or not _global(window).contains(rect):
            name = button.objectName() or button.text() or type(button).__name__
            found.append(f"button {name!r} at {rect.x()},{rect.y()} {rect.width()}×{rect.height()}")
    return found


def _wait_attached(app: QApplication, window: Any) -> None:
    """Until the database has taken over (opened on a worker thread, attached in steps)."""
    deadline = time.monotonic() + 120  # a bound for a hung start, not a measurement
    while not window.attached() and time.monotonic() < deadline:
        app.processEvents()
        time.sleep(0.005)


def _settle(app: QApplication, widget: QWidget) -> None:
    widget.show()
    for _ in range(5):
        app.processEvents()


def _empty_window(folder: Path) -> list[str]:
    """The main window on a new database: the first steps above the empty list."""
    session = ui_app.start(folder / "empty.sqlite3")
    app, window = session.app, session.window
    _wait_attached(app, window)
    _settle(app, window)
    found = problems(window)
    steps = window.findChild(QWidget, "firstSteps")
    if steps is None or not steps.isVisible():
        found.append("first steps not shown")
    session.close()
    window.close()
    window.deleteLater()
    return found


def main(folder: Path, lang: str) -> dict[str, Any]:
    set_language(lang)
    empty = _empty_window(folder)
    path = folder / "probe.sqlite3"
    database = Database.open(path)
    with database.session() as s:
        load_demo(s)
    database.close()
    session = ui_app.start(path)
    app, window = session.app, session.window
    _wait_attached(app, window)
    report: dict[str, Any] = {}
    area = QGuiApplication.primaryScreen().availableGeometry()
    report["screen"] = [area.width(), area.height()]
    windows: dict[str, list[str]] = {"main window, empty database": empty}
    _settle(app, window)
    for key in window.pages:
        page = window.show_page(key)
        if page.model is not None and page.model.rowCount() > 0:
            page.table.selectRow(0)
        _settle(app, window)
        found = problems(window)
        editor = page.editor
        if isinstance(editor, QScrollArea) and editor.horizontalScrollBar().maximum() > 0:
            found.append(f"editor {editor.objectName()!r} scrolls sideways")  # cut-off fields
        if page.table.horizontalScrollBar().maximum() > 0:
            found.append(f"list {page.table.objectName()!r} scrolls sideways")  # a column off
        windows[f"main window, page {key}"] = found
    db = window.workspace.database
    partnerships = window.show_page("partnership")
    partnerships.select_id(partnerships.model.record_id(0))
    _settle(app, window)
    panel = window.findChild(QWidget, "partyPanel")
    panel.add_button.click()
    picker = panel.picker
    _settle(app, picker)
    windows["add party picker"] = problems(picker)
    picker.reject()
    from chinadialog_desktop.ui.assessment import actions as assessment_actions
    from chinadialog_desktop.ui.screening import actions as screening_actions

    window.show_page("partnership")
    view = assessment_actions.open_assessment_view(window)
    if view is not None:
        if view.install_button.isVisible():
            view.install_button.click()
        view.start_button.click()
        _settle(app, view)
        windows["assessment"] = problems(view)
        dialog = view.request_sign_off()
        if dialog is not None:
            _settle(app, dialog)
            windows["assessment sign-off"] = problems(dialog)
            dialog.reject()
        view.close()
    screening = screening_actions.open_screening(window)
    if screening is not None:
        _settle(app, screening)
        windows["screening"] = problems(screening)
        screening.close()
    dialogs: list[tuple[str, Any]] = []
    from chinadialog_desktop.ui.datasets.actions import ExportDialog, ImportRunsDialog
    from chinadialog_desktop.ui.datasets.import_wizard import ImportWizard
    from chinadialog_desktop.ui.files.backups_dialog import BackupsDialog
    from chinadialog_desktop.ui.help.about_dialog import AboutDialog
    from chinadialog_desktop.ui.help.handbook import HandbookWindow
    from chinadialog_desktop.ui.preferences.dialog import SettingsDialog
    from chinadialog_desktop.ui.search.dialog import SearchDialog
    from chinadialog_desktop.ui.window.welcome import WelcomeDialog

    dialogs += [
        ("search", lambda: SearchDialog(db, window)),
        ("about", lambda: AboutDialog(path, window)),
        ("backups", lambda: BackupsDialog(path, window)),
        ("settings", lambda: SettingsDialog(window.preferences, window)),
        ("import", lambda: ImportWizard(db, window)),
        ("import runs", lambda: ImportRunsDialog(db, window)),
        ("export", lambda: ExportDialog(db, window)),
        ("welcome", lambda: WelcomeDialog(db, window)),
        ("handbook", lambda: HandbookWindow()),
    ]
    dossiers = window.pages["dossier"]
    window.show_page("dossier")
    dossiers.table.selectRow(0)
    _settle(app, window)
    dossier_id = dossiers.current_id()
    if dossier_id is not None:
        from chinadialog_desktop.ui.briefing.export_compare import ExportCompareDialog
        from chinadialog_desktop.ui.briefing.preview import BriefingPreview

        dialogs += [
            ("briefing preview", lambda: BriefingPreview(window, int(dossier_id))),
            ("export compare", lambda: ExportCompareDialog(window, int(dossier_id))),
        ]
    for name, make in dialogs:
        try:
            dialog = make()
        except Exception as exc:  # a dialog that cannot open is a finding too
            windows[name] = [f"cannot open: {exc}"]
            continue
        _settle(app, dialog)
        windows[name] = problems(dialog)
        dialog.close()
        dialog.deleteLater()
    report["windows"] = windows
    session.close()
    return report


if __name__ == "__main__":
    print(json.dumps(main(Path(sys.argv[1]), sys.argv[2]), ensure_ascii=False))
