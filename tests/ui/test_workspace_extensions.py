"""The other parts' menus and the assessment window, plugged into the main window."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDialog, QMenu, QPushButton

from chinadialog_desktop.persistence.database import Database
from chinadialog_desktop.ui import app as ui_app
from chinadialog_desktop.ui.window import extensions


@pytest.fixture
def window(qtbot, tmp_path):
    path = tmp_path / "x.sqlite3"
    from chinadialog_desktop.services import demo
    from chinadialog_desktop.services.assessment import checklists
    from chinadialog_desktop.services.assessment import workflow as assessments
    from chinadialog_desktop.services.records import edit as records

    database = Database.open(path)
    with database.session() as s:
        demo.load_demo(s)
        checklists.install_bundled(s)
        key = checklists.template_rows(s)[0].key
        assessments.start_assessment(
            s, checklists.newest_version(s, key), partnership=records.get(s, "partnership", 1)
        )
    database.close()
    session = ui_app.start(path)
    qtbot.addWidget(session.window)
    with qtbot.waitSignal(session.window.sig_list_filled, timeout=20000):
        pass
    qtbot.waitUntil(session.window.attached, timeout=20000)  # the database took over
    yield session.window
    session.close()


@pytest.mark.parametrize(
    ("module", "menu"),
    [
        ("chinadialog_desktop.ui.briefing.actions", "briefingMenu"),
        ("chinadialog_desktop.ui.datasets.actions", "datasetsMenu"),
        ("chinadialog_desktop.ui.screening.actions", "screeningMenu"),
        ("chinadialog_desktop.ui.assessment.actions", "assessmentMenu"),
    ],
)
def test_each_part_gets_its_menu_once(window, module, menu):
    assert module in extensions.PARTS
    assert len(window.menuBar().findChildren(QMenu, menu)) == 1
    assert extensions.install_menus(window) == list(extensions.PARTS)  # again: nothing new
    assert len(window.menuBar().findChildren(QMenu, menu)) == 1
    titles = [a.text() for a in window.menuBar().actions()]
    assert titles[-1] == window.help_menu.title()  # Help stays last


def test_every_named_command_is_in_the_registry_under_its_name(window):
    """The window's own commands, the File menu's and every part's: one registry, by name."""
    from PySide6.QtGui import QAction

    named = {a.objectName() for a in window.findChildren(QAction) if a.objectName()}
    for name in (
        "actionQuit",
        "actionBackups",
        "actionExportBriefing",
        "actionBriefingPreview",
        "actionImportDataset",
        "actionImportRuns",
        "actionScreening",
        "actionAssessment",
        "actionFirstSteps",
        "actionHandbook",
    ):
        assert name in window.commands and window.commands[name].objectName() == name
    assert set(window.commands) <= named
    assert window.commands.shortcut_clashes == []


def test_the_registry_refuses_a_second_command_of_the_same_name(qtbot):
    from PySide6.QtGui import QAction

    from chinadialog_desktop.ui.window.action_registry import ActionRegistry

    registry = ActionRegistry()
    first, second, unnamed = QAction(), QAction(), QAction()
    first.setObjectName("actionX")
    second.setObjectName("actionX")
    assert registry.register(first) is first
    registry.register(first)  # the same action again: nothing changes
    assert len(registry) == 1 and registry.get("actionY") is None
    with pytest.raises(ValueError, match="actionX"):
        registry.register(second)
    with pytest.raises(ValueError):
        registry.register(unnamed)
    assert registry["actionX"] is first


def test_the_checklists_page_opens_the_assessment_window(window, qtbot):
    page = window.show_page("assessment")
    page.select_id(page.model.record_id(0))
    qtbot.mouseClick(
        window.findChild(QPushButton, "openAssessmentButton"), Qt.MouseButton.LeftButton
    )
    view = window.findChild(QDialog, "assessmentView")
    assert view is not None and view.isVisible()
    assert view.assessment_id == page.model.record_id(0)
    view.close()
    window.action_new.trigger()  # Ctrl+N on this page: the window to start one
    assert len(window.findChildren(QDialog, "assessmentView")) == 2


def test_no_two_actions_share_a_shortcut(window):
    from PySide6.QtGui import QAction

    seen: dict[str, str] = {}
    for action in window.findChildren(QAction):
        for key in action.shortcuts():
            text = key.toString()
            if text:
                assert text not in seen, (text, seen.get(text), action.objectName())
                seen[text] = action.objectName()
    for expected in ("Ctrl+N", "Ctrl+Z", "Ctrl+F", "Ctrl+P", "F2", "Del"):
        assert expected in seen
