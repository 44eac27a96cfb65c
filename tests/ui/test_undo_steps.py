"""Answers and screening decisions are undo steps of the main window (issue 10, §2).

Each test drives the real windows on a real file: a change made in the
assessment or screening window shows in the Edit menu with what it would undo,
Ctrl+Z in that window puts the database back (read back through the
services), Ctrl+Shift+Z does it again.
"""

from __future__ import annotations

import warnings
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QLineEdit, QTableView
from sqlalchemy import select

from chinadialog_desktop.persistence.models import Actor, Partnership
from chinadialog_desktop.services import unit
from chinadialog_desktop.services.assessment import answer_changes
from chinadialog_desktop.services.assessment import workflow as svc
from chinadialog_desktop.services.assessment.checklists import install_bundled
from chinadialog_desktop.services.screening import reference_lists
from chinadialog_desktop.services.screening import runs as screening
from chinadialog_desktop.ui import app as ui_app
from chinadialog_desktop.ui.assessment.actions import open_assessment_view
from chinadialog_desktop.ui.screening.actions import open_screening
from chinadialog_desktop.ui.screening.model import HIT_ID_ROLE

FTM = Path(__file__).parents[1] / "fixtures" / "ftm" / "china_v1.ftm.json"
CTRL = Qt.KeyboardModifier.ControlModifier
SHIFT = Qt.KeyboardModifier.ShiftModifier


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


def _assessed(db) -> tuple[int, int]:
    """A partnership with the municipal guardrails started, purpose-01 answered “yes”."""
    from chinadialog_desktop.persistence.models import ChecklistTemplate

    with db.session() as s:
        install_bundled(s)
        template = s.scalars(
            select(ChecklistTemplate).where(
                ChecklistTemplate.template_key.like("%leitplanken-kommunal")
            )
        ).first()
        partnership = Partnership(title="Kiel – Qingdao (Beispiel)", type="twin_city")
        s.add(partnership)
        s.flush()
        assessment = svc.start_assessment(s, template, partnership=partnership)
        svc.answer_item(s, assessment, "purpose-01", svc.AnswerUpdate(answer="yes"))
        return partnership.id, assessment.id


def _answer(db, assessment_id: int, item: str) -> str | None:
    saved = unit.read(
        db, lambda s: answer_changes.saved_answer(svc.get_assessment(s, assessment_id), item)
    )
    return None if saved is None else saved.answer


def _active(qtbot, widget) -> None:
    """Make ``widget``'s window the active one, as the user's click on it would.

    The offscreen platform does not hand activation from the main window to a second
    window on ``activateWindow()``, so the application is told directly.
    """
    qtbot.waitExposed(widget)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", DeprecationWarning)
        QApplication.setActiveWindow(widget)
    qtbot.waitUntil(widget.isActiveWindow, timeout=10000)


def test_ctrl_z_in_the_assessment_window_takes_an_answer_back(qtbot, db, started, german):
    partnership_id, assessment_id = _assessed(db)
    window = started(db.path)
    window.pages["partnership"].select_id(partnership_id)
    view = open_assessment_view(window)
    assert view is not None and view.assessment_id == assessment_id
    number = view.model.number("purpose-01")
    view.tree.setCurrentIndex(view.model.index_of("purpose-01"))
    view.editor.choose("no")
    assert _answer(db, assessment_id, "purpose-01") == "no"
    assert window.action_undo.text() == f"&Rückgängig: Antwort zu Frage {number} ändern"

    # A question answered for the first time: undo leaves it unanswered again.
    view.tree.setCurrentIndex(view.model.index_of("purpose-02"))
    view.editor.choose("yes")
    assert _answer(db, assessment_id, "purpose-02") == "yes"
    _active(qtbot, view)
    view.tree.setFocus()
    qtbot.keyClick(view.tree, Qt.Key.Key_Z, CTRL)
    assert _answer(db, assessment_id, "purpose-02") is None
    assert view.model.item("purpose-02")["answer"] is None  # the window shows it at once
    qtbot.keyClick(view.tree, Qt.Key.Key_Z, CTRL)
    assert _answer(db, assessment_id, "purpose-01") == "yes"
    assert view.model.item("purpose-01")["answer"] == "yes"
    assert window.action_redo.text() == f"&Wiederholen: Antwort zu Frage {number} ändern"
    qtbot.keyClick(view.tree, Qt.Key.Key_Z, CTRL | SHIFT)
    assert _answer(db, assessment_id, "purpose-01") == "no"


def test_undo_keeps_an_answer_changed_meanwhile_elsewhere(qtbot, db, started):
    partnership_id, assessment_id = _assessed(db)
    window = started(db.path)
    window.pages["partnership"].select_id(partnership_id)
    view = open_assessment_view(window)
    view.tree.setCurrentIndex(view.model.index_of("purpose-01"))
    view.editor.choose("no")
    with db.session() as s:  # another window or program answers again
        assessment = svc.get_assessment(s, assessment_id)
        svc.answer_item(s, assessment, "purpose-01", svc.AnswerUpdate(answer="partly"))
    view.undo()
    assert _answer(db, assessment_id, "purpose-01") == "partly"
    assert "another window" in view.message_label.text()


def _screened(db) -> None:
    with db.session() as s:
        s.add(
            Actor(
                name_de="Hikvision GmbH",
                name_zh="海康威视",
                kind="company",
                country="CN",
                uscc="91330000733796106P",
            )
        )
    reference_lists.import_reference_list(db, FTM, backup=False)
    unit.write(db, screening.run_everyone)


def _status(db, hit_id: int) -> str:
    rows = unit.read(db, screening.hit_rows)
    return next(r.status for r in rows if r.id == hit_id)


def test_ctrl_z_in_the_screening_window_takes_a_decision_back(qtbot, db, started, german):
    _screened(db)
    window = started(db.path)
    dialog = open_screening(window)
    table = dialog.findChild(QTableView, "screeningHits")
    model = table.model()
    row = next(
        r
        for r in range(model.rowCount())
        if "Hikvision GmbH" in str(model.index(r, 0).data()) + str(model.index(r, 1).data())
    )
    table.setFocus()
    table.setCurrentIndex(model.index(row, 1))
    hit = dialog.selected_hit()
    dialog.findChild(QLineEdit, "reasonEdit").setText("Gleiche Kreditkennziffer (Beispiel)")
    assert dialog.decide(screening.CONFIRMED)
    assert _status(db, hit.id) == "confirmed"
    label = f"Treffer „{hit.entity_caption}“ für {hit.subject_label} bestätigen"
    assert window.action_undo.text() == "&Rückgängig: " + label

    _active(qtbot, dialog)
    table.setFocus()
    qtbot.keyClick(table, Qt.Key.Key_Z, CTRL)
    assert _status(db, hit.id) == "open"
    rows = unit.read(db, screening.hit_rows)
    assert next(r for r in rows if r.id == hit.id).reason is None  # the decision is gone
    assert model.index(model.row_of(hit.id), 0).data(HIT_ID_ROLE) == hit.id
    assert dialog.hit_model.hit(model.row_of(hit.id)).status == "open"  # shown at once
    assert window.action_redo.text() == "&Wiederholen: " + label
    qtbot.keyClick(table, Qt.Key.Key_Z, CTRL | SHIFT)
    assert _status(db, hit.id) == "confirmed"
    rows = unit.read(db, screening.hit_rows)
    assert next(r for r in rows if r.id == hit.id).reason == "Gleiche Kreditkennziffer (Beispiel)"


def test_dossier_edits_say_which_dossier_they_change(qtbot, db, started, german):
    from chinadialog_desktop.persistence.models import Dossier
    from chinadialog_desktop.services.records import dossier_links
    from chinadialog_desktop.services.records import edit as records

    with db.session() as s:
        dossier = records.create(s, "dossier", {"title": "Ratsvorlage Kiel (Beispiel)"})
    window = started(db.path)
    page = window.show_page("dossier")
    assert page.select_id(dossier.id)
    editor = page.editor
    editor.sections["risks"].text.setPlainText("Abhängigkeit von einem Lieferanten (Beispiel)")
    editor.sections["risks"].text.flush()  # as leaving the field does

    def risks() -> str:
        return unit.read(db, lambda s: dossier_links.section_texts(s, dossier.id))["risks"][1]

    assert risks() == "Abhängigkeit von einem Lieferanten (Beispiel)"
    assert window.action_undo.text() == (
        "&Rückgängig: Dossier „Ratsvorlage Kiel (Beispiel)“ ändern (Risiken)"
    )
    title = window.findChild(QLineEdit, "dossierTitle")
    title.setText("Ratsvorlage Kiel 2027 (Beispiel)")
    title.editingFinished.emit()
    assert window.action_undo.text() == (
        "&Rückgängig: Dossier „Ratsvorlage Kiel (Beispiel)“ ändern (Titel)"
    )
    window.undo()
    window.undo()
    assert risks() == ""
    with db.session() as s:
        assert s.get(Dossier, dossier.id).title == "Ratsvorlage Kiel (Beispiel)"


def test_answers_and_decisions_record_the_name_set_in_the_app_not_the_login(qtbot, db, started):
    """With an author set (Settings → Author of briefings) the window records that name,
    as the briefing shows it; redo records it again. Without one, the login stands in."""
    from chinadialog_desktop.persistence.audit import current_user
    from chinadialog_desktop.ui.preferences.settings import AUTHOR_NAME

    _screened(db)
    _partnership_id, assessment_id = _assessed(db)
    window = started(db.path)
    workspace = window.workspace
    window.preferences.set(AUTHOR_NAME, "M. Beispiel")

    update = svc.AnswerUpdate(answer="partly")
    assert workspace.answer(assessment_id, "purpose-02", update, "Antwort") is not None
    saved = unit.read(
        db,
        lambda s: answer_changes.saved_answer(svc.get_assessment(s, assessment_id), "purpose-02"),
    )
    assert saved is not None and saved.answered_by == "M. Beispiel"

    hit = unit.read(db, screening.hit_rows)[0]
    assert workspace.decide(hit.id, screening.CONFIRMED, "Gleicher Name (Beispiel)", "Treffer")
    by = next(r for r in unit.read(db, screening.hit_rows) if r.id == hit.id).decided_by
    assert by == "M. Beispiel"
    workspace.undo_stack.undo()
    workspace.undo_stack.redo()
    by = next(r for r in unit.read(db, screening.hit_rows) if r.id == hit.id).decided_by
    assert by == "M. Beispiel"

    workspace.undo_stack.undo()  # open again; now without a name set: the login stands in
    window.preferences.set(AUTHOR_NAME, "")
    assert workspace.decide(hit.id, screening.DISMISSED, "Anderer Ort (Beispiel)", "Treffer")
    by = next(r for r in unit.read(db, screening.hit_rows) if r.id == hit.id).decided_by
    assert by == current_user()
