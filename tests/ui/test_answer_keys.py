"""Keys mean one thing in the whole assessment (issue 15, point 3), driven by real key presses."""

from __future__ import annotations

from datetime import date

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLabel, QPushButton, QTreeView
from sqlalchemy import select

from chinadialog_desktop.persistence.models import AssessmentAnswer, Partnership
from chinadialog_desktop.ui.assessment.view import AssessmentView

KEYS = {
    "j": Qt.Key.Key_J,
    "t": Qt.Key.Key_T,
    "n": Qt.Key.Key_N,
    "u": Qt.Key.Key_U,
    "a": Qt.Key.Key_A,
    "b": Qt.Key.Key_B,
    "c": Qt.Key.Key_C,
    "d": Qt.Key.Key_D,
    "1": Qt.Key.Key_1,
    "2": Qt.Key.Key_2,
    "3": Qt.Key.Key_3,
}


def _answers(db, assessment_id: int) -> dict[str, str | None]:
    with db.session() as s:
        rows = s.scalars(
            select(AssessmentAnswer).where(AssessmentAnswer.assessment_id == assessment_id)
        )
        return {r.item_key: r.answer for r in rows}


@pytest.fixture
def bundled(qtbot, db, german):
    """A twin-city partnership, the bundled municipal guardrails started through the window."""
    with db.session() as s:
        p = Partnership(title="Musterstadt – Beispielstadt (Beispiel)", type="twin_city")
        s.add(p)
        s.flush()
        pid = p.id
    view = AssessmentView(db, partnership_id=pid, today=date(2026, 12, 1))
    qtbot.addWidget(view)
    view.show()
    qtbot.waitExposed(view)
    view.findChild(QPushButton, "installBundledButton").click()
    combo = view.template_combo
    combo.setCurrentIndex(
        next(n for n in range(combo.count()) if "Leitplanken kommunale" in combo.itemText(n))
    )
    view.findChild(QPushButton, "startAssessmentButton").click()
    return view


def _press(qtbot, view, keys: str) -> None:
    tree = view.findChild(QTreeView, "assessmentTree")
    tree.setFocus()
    for key in keys:
        qtbot.keyClick(tree, KEYS[key])


def test_j_t_n_j_u_1_2_3_never_records_a_confirmed_sanctions_hit(qtbot, db, bundled):
    view = bundled
    assert view.current_item_id() == "purpose-01"
    _press(qtbot, view, "jtnju12")
    assert view.current_item_id() == "partner-03"  # the question with its own scale
    message = view.findChild(QLabel, "assessmentMessageLabel")
    _press(qtbot, view, "3")
    answers = _answers(db, view.assessment_id)
    assert answers.get("partner-03") is None  # not "listed" (Treffer bestätigt)
    assert view.current_item_id() == "partner-03"  # nothing recorded, nothing skipped
    assert message.isVisible()
    assert message.text().startswith("Taste 3 („Nein“) passt nicht zu dieser Frage")
    assert "Treffer bestätigt" in message.text()
    # The keys before it meant what the legend said, on every question.
    recorded = [answers[i] for i in view.model.item_ids() if answers.get(i)]
    assert recorded == ["yes", "partly", "no", "yes", "unknown", "yes", "partly"]


def test_the_legend_shows_what_each_key_records_on_the_current_question(qtbot, db, bundled):
    view = bundled
    legend = view.findChild(QLabel, "answerKeysLabel")
    assert legend.text() == "Tasten: 1/J Ja · 2/T Teilweise · 3/N Nein · 4/U Unklar · 5/E Entfällt"
    assert view.findChild(QPushButton, "answerButton_no").text() == "3/N  Nein"
    view.tree.setCurrentIndex(view.model.index_of("partner-03"))
    assert legend.text() == (
        "Diese Frage hat eigene Antworten. Tasten: A Abgeglichen, kein Treffer · "
        "B Treffer geprüft und ausgeräumt · C Treffer bestätigt · D Nicht abgeglichen"
    )
    buttons = {
        code: view.findChild(QPushButton, f"answerButton_{code}").text()
        for code in ("clear", "resolved", "listed", "unchecked")
    }
    assert buttons == {
        "clear": "A  Abgeglichen, kein Treffer",
        "resolved": "B  Treffer geprüft und ausgeräumt",
        "listed": "C  Treffer bestätigt",
        "unchecked": "D  Nicht abgeglichen",
    }
    # Each key the legend names records exactly that answer, and moves on.
    for key, code in (("a", "clear"), ("b", "resolved"), ("c", "listed"), ("d", "unchecked")):
        view.tree.setCurrentIndex(view.model.index_of("partner-03"))
        _press(qtbot, view, key)
        assert _answers(db, view.assessment_id)["partner-03"] == code
        assert view.current_item_id() != "partner-03"


def test_a_general_key_on_an_answer_button_of_an_own_scale_question_is_refused(qtbot, db, bundled):
    view = bundled
    view.tree.setCurrentIndex(view.model.index_of("partner-03"))
    button = view.findChild(QPushButton, "answerButton_clear")
    button.setFocus()
    for key in (Qt.Key.Key_1, Qt.Key.Key_3, Qt.Key.Key_N, Qt.Key.Key_J):
        qtbot.keyClick(button, key)
    assert _answers(db, view.assessment_id).get("partner-03") is None
    assert "eigene Antworten" in view.findChild(QLabel, "assessmentMessageLabel").text()
    qtbot.keyClick(button, Qt.Key.Key_A)
    assert _answers(db, view.assessment_id)["partner-03"] == "clear"
