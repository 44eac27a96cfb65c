"""Shortcuts do what their hint says (issue 15, point 7): Ctrl+Shift+A, F11, undo texts."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLabel, QLineEdit, QPushButton, QToolButton
from sqlalchemy import select

from chinadialog_desktop.persistence.models import Assessment, Partnership
from chinadialog_desktop.services.assessment import workflow as svc
from chinadialog_desktop.services.assessment.checklists import install_bundled
from chinadialog_desktop.ui import app as ui_app
from chinadialog_desktop.ui.assessment.view import AssessmentView


@pytest.fixture
def started(qtbot):
    sessions = []

    def start(path):
        session = ui_app.start(path)
        sessions.append(session)
        qtbot.addWidget(session.window)
        with qtbot.waitSignal(session.window.sig_list_filled, timeout=20000):
            pass
        qtbot.waitUntil(session.window.attached, timeout=20000)  # the database took over
        session.window.activateWindow()
        return session.window

    yield start
    for session in sessions:
        session.close()


def _assess(db, title: str) -> int:
    """An assessment of partnership ``title`` with the municipal guardrails, one answer given."""
    from chinadialog_desktop.persistence.models import ChecklistTemplate

    with db.session() as s:
        install_bundled(s)
        template = s.scalars(
            select(ChecklistTemplate).where(
                ChecklistTemplate.template_key.like("%leitplanken-kommunal")
            )
        ).first()
        partnership = s.scalars(select(Partnership).where(Partnership.title == title)).one()
        assessment = svc.start_assessment(s, template, partnership=partnership)
        svc.answer_item(s, assessment, "purpose-01", svc.AnswerUpdate(answer="yes"))
        return assessment.id


def _id(db, title: str) -> int:
    with db.session() as s:
        return s.scalars(select(Partnership.id).where(Partnership.title == title)).one()


def test_ctrl_shift_a_opens_the_selected_partnerships_assessment(qtbot, filled_db, started):
    assessment_id = _assess(filled_db, "Kiel – Qingdao")
    window = started(filled_db.path)
    page = window.pages["partnership"]
    page.select_id(_id(filled_db, "Kiel – Qingdao"))
    page.table.setFocus()
    qtbot.keyClick(
        page.table,
        Qt.Key.Key_A,
        Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier,
    )
    view = window.findChild(AssessmentView, "assessmentView")
    assert view is not None and view.isVisible()
    assert view.assessment_id == assessment_id
    assert view.model.item("purpose-01")["answer"] == "yes"
    assert view.current_item_id() != "purpose-01"  # on the first open question
    # Another partnership without an assessment: not the previous one, an offer to start.
    page.select_id(_id(filled_db, "Wolfsburg – Changchun"))
    page.table.setFocus()
    qtbot.keyClick(
        page.table,
        Qt.Key.Key_A,
        Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier,
    )
    assert window.findChildren(AssessmentView) == [view]
    assert view.assessment_id is None and view.model.rowCount() == 0
    assert view.partnership_combo.currentText() == "Wolfsburg – Changchun"
    message = view.findChild(QLabel, "assessmentMessageLabel").text()
    assert message.startswith("“Wolfsburg – Changchun” has no assessment yet")
    assert view.focusWidget() is view.findChild(QPushButton, "startAssessmentButton")


def test_ctrl_shift_a_on_the_checklists_page_opens_the_selected_assessment(
    qtbot, filled_db, started
):
    first = _assess(filled_db, "Kiel – Qingdao")
    second = _assess(filled_db, "Braunschweig – Zhuhai")
    window = started(filled_db.path)
    page = window.show_page("assessment")
    for wanted in (first, second):
        assert page.select_id(wanted)
        page.table.setFocus()
        qtbot.keyClick(
            page.table,
            Qt.Key.Key_A,
            Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier,
        )
        view = window.findChild(AssessmentView, "assessmentView")
        assert view.assessment_id == wanted
    with filled_db.session() as s:
        assert s.get(Assessment, second).partnership_id == view.partnership_combo.currentData()


def test_f11_toggles_full_screen_and_back(qtbot, db, started):
    window = started(db.path)
    action = window.action_full_screen
    assert Qt.Key.Key_F11 in [k[0].key() for k in action.shortcuts()]
    assert (
        action in window.findChild(type(window.menuBar().actions()[0].menu()), "viewMenu").actions()
    )
    qtbot.keyClick(window, Qt.Key.Key_F11)
    qtbot.waitUntil(window.isFullScreen)
    assert action.isChecked()
    qtbot.keyClick(window, Qt.Key.Key_F11)
    qtbot.waitUntil(lambda: not window.isFullScreen())
    assert not action.isChecked()


def test_undo_and_redo_say_what_they_undo(qtbot, db, started, german):
    window = started(db.path)
    window.show_page("source")
    window.action_new.trigger()
    title = window.findChild(QLineEdit, "sourceTitle")
    title.setText("Jahresbericht (Beispiel)")
    title.editingFinished.emit()
    assert window.action_undo.text() == "&Rückgängig: Titel bearbeiten"
    assert window.action_undo.toolTip() == "Rückgängig: Titel bearbeiten"
    assert "source" not in window.action_undo.text() and "title" not in window.action_undo.text()
    undo_button = window.toolbar.widgetForAction(window.action_undo)
    assert isinstance(undo_button, QToolButton) and undo_button.text() == "Rückgängig"
    window.action_undo.trigger()
    assert window.action_redo.text() == "&Wiederholen: Titel bearbeiten"
    assert window.action_undo.text().startswith("&Rückgängig: ")  # the new record itself
    window.action_redo.trigger()
    assert window.action_redo.text() == "&Wiederholen"
