"""First steps in the empty state, each step a button opening its editor (issue 15, point 1)."""

from __future__ import annotations

import re

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QAction
from PySide6.QtWidgets import QApplication, QLabel, QPushButton, QWidget

from chinadialog_desktop.ui import app as ui_app
from chinadialog_desktop.ui.assessment.view import AssessmentView

CLI = re.compile(r"\bchinadialog [a-z]+|\brun:", re.IGNORECASE)


@pytest.fixture
def window(qtbot, tmp_path):
    session = ui_app.start(tmp_path / "Neu (Beispiel).sqlite3")
    qtbot.addWidget(session.window)
    with qtbot.waitSignal(session.window.sig_list_filled, timeout=20000):
        pass
    qtbot.waitUntil(session.window.attached, timeout=20000)  # the database took over
    yield session.window
    session.close()


def _step(window, key) -> QPushButton:
    button = window.findChild(QPushButton, f"firstStep_{key}")
    assert button is not None, key
    return button


def _click(qtbot, button: QPushButton) -> None:
    assert button.isEnabled(), button.objectName()
    qtbot.mouseClick(button, Qt.MouseButton.LeftButton)


def test_the_empty_state_points_to_window_actions_never_to_commands(window):
    steps = window.findChild(QWidget, "firstSteps")
    assert steps.isVisibleTo(window)
    texts = [label.text() for label in window.findChildren(QLabel) if label.isVisibleTo(window)]
    texts += [b.text() for b in window.findChildren(QPushButton) if b.isVisibleTo(window)]
    assert not [t for t in texts if CLI.search(t)]
    # Steps that need an earlier one say which.
    assert not _step(window, "dossier").isEnabled()
    hint = window.findChild(QLabel, "firstStepHint_dossier").text()
    assert "step 2" in hint


def test_each_step_opens_its_editor_in_order(qtbot, window):
    _click(qtbot, _step(window, "actors"))
    assert window.current_page().kind == "actor"
    assert window.current_page().editor.uuid is not None  # a new actor, ready to type
    _click(qtbot, _step(window, "partnership"))
    assert window.current_page().kind == "partnership"
    assert window.current_page().editor.uuid is not None
    assert _step(window, "partnership").text().startswith("✓ ")
    # The panel stays after the list stopped being empty, so the next steps can follow.
    assert window.findChild(QWidget, "firstSteps").isVisibleTo(window)
    _click(qtbot, _step(window, "dossier"))
    assert window.current_page().kind == "dossier"
    assert window.current_page().editor.uuid is not None
    _click(qtbot, _step(window, "assessment"))
    view = window.findChild(AssessmentView, "assessmentView")
    assert view is not None and view.isVisible()
    assert view.partnership_combo.currentData() is not None
    view.close()
    _click(qtbot, _step(window, "screening"))
    screening = window.findChild(QWidget, "screeningDialog")
    assert screening is not None and screening.isVisible()
    screening.close()
    _click(qtbot, _step(window, "briefing"))
    preview = window.findChild(QWidget, "briefingPreview")
    assert preview is not None and preview.isVisible()
    preview.close()


def test_hidden_steps_come_back_from_the_help_menu(qtbot, window):
    steps = window.findChild(QWidget, "firstSteps")
    _click(qtbot, window.findChild(QPushButton, "firstStepsHide"))
    assert not steps.isVisibleTo(window)
    action = window.findChild(QAction, "actionFirstSteps")
    assert action in window.help_menu.actions()
    action.trigger()
    assert steps.isVisibleTo(window)


def test_the_sample_data_button_fills_the_lists(qtbot, window):
    _click(qtbot, window.findChild(QPushButton, "firstStepsDemo"))
    assert window.pages["partnership"].model.rowCount() > 0
    assert _step(window, "actors").text().startswith("✓ ")
    assert not window.findChild(QPushButton, "firstStepsDemo").isVisibleTo(window)


def test_tab_goes_from_the_filters_through_the_steps_to_the_list(qtbot, window):
    window.show()
    window.activateWindow()
    qtbot.waitUntil(lambda: QApplication.activeWindow() is window)
    page = window.pages["partnership"]
    last_filter = list(page.filter_boxes.values())[-1]
    last_filter.setFocus()
    seen = []
    for _ in range(4):
        qtbot.keyClick(QApplication.focusWidget(), Qt.Key.Key_Tab)
        seen.append(QApplication.focusWidget().objectName())
    # Disabled steps are skipped; the sample-data and hide buttons follow, then the list.
    assert seen == ["firstStep_actors", "firstStep_partnership", "firstStepsDemo", "firstStepsHide"]
    qtbot.keyClick(QApplication.focusWidget(), Qt.Key.Key_Tab)
    assert QApplication.focusWidget() is page.table
