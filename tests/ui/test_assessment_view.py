"""The assessment window (Prüfung) offscreen on a real database, driven by objectName."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
from PySide6.QtCore import QDate, Qt
from PySide6.QtGui import QPalette
from PySide6.QtWidgets import (
    QApplication,
    QCheckBox,
    QComboBox,
    QLabel,
    QLineEdit,
    QListWidget,
    QMenu,
    QMessageBox,
    QPlainTextEdit,
    QPushButton,
    QToolButton,
    QTreeView,
)
from sqlalchemy import select

from chinadialog_desktop.interchange.checklist_yaml import load_template
from chinadialog_desktop.persistence.models import (
    Assessment,
    AssessmentAnswer,
    Partnership,
    Source,
)
from chinadialog_desktop.services.assessment import workflow as svc
from chinadialog_desktop.services.assessment.checklists import bundled_files, import_template
from chinadialog_desktop.ui.assessment.model import FLAGS_ROLE, ITEM_ID_ROLE, AssessmentTreeModel
from chinadialog_desktop.ui.assessment.view import AssessmentView

MINIMAL = Path(__file__).parents[1] / "checklists" / "fixtures" / "minimal.yaml"
TODAY = date(2026, 12, 1)


def _partnership(db, title="Braunschweig – Zhuhai", type_="twin_city") -> int:
    with db.session() as s:
        p = Partnership(title=title, type=type_)
        s.add(p)
        s.flush()
        return p.id


def _import(db, path: Path = MINIMAL) -> int:
    with db.session() as s:
        return import_template(s, load_template(path)).template_id


def _v2(tmp_path: Path) -> Path:
    """purpose-01 reworded, partner-02 removed, purpose-03 new."""
    text = MINIMAL.read_text(encoding="utf-8").replace("version: 1\n", "version: 2\n")
    text = text.replace(
        '"Sind die Ziele schriftlich festgehalten?"',
        '"Sind die Ziele schriftlich festgehalten und beschlossen?"',
    )
    text = text[: text.index("      - id: partner-02")]
    text = text.replace(
        "  - id: partner\n",
        """      - id: purpose-03
        question: {de: "Gibt es einen Bericht an den Rat?", en: "Is there a report to the council?"}
        guidance: {de: "Vorlagen prüfen.", en: "Check the council papers."}
        severity: low
        risk: {"no": 1}
        sources: [fes-kommunen]
  - id: partner
""",
    )
    path = tmp_path / "minimal-v2.yaml"
    path.write_text(text, encoding="utf-8")
    return path


def _answers(db, assessment_id: int) -> dict[str, AssessmentAnswer]:
    with db.session() as s:
        rows = s.scalars(
            select(AssessmentAnswer).where(AssessmentAnswer.assessment_id == assessment_id)
        )
        result = {r.item_key: r for r in rows}
        for r in result.values():
            s.expunge(r)
        return result


@pytest.fixture
def view(qtbot, db):
    def make(**kwargs) -> AssessmentView:
        v = AssessmentView(db, today=TODAY, **kwargs)
        qtbot.addWidget(v)
        v.show()
        qtbot.waitExposed(v)
        return v

    return make


@pytest.fixture
def started(db, view):
    """A twin-city partnership assessed with the minimal template, started through the view."""
    pid = _partnership(db)
    _import(db)
    v = view(partnership_id=pid)
    v.findChild(QPushButton, "startAssessmentButton").click()
    assert v.assessment_id is not None
    return v


def _tree(v) -> QTreeView:
    return v.findChild(QTreeView, "assessmentTree")


def _select(v, item_id: str) -> None:
    _tree(v).setCurrentIndex(v.model.index_of(item_id))


# --------------------------------------------------------------------------- model


def test_tree_model_passes_the_model_tester(qtmodeltester, started):
    qtmodeltester.check(started.model)
    started.answer_current("yes")
    qtmodeltester.check(started.model)
    fresh = AssessmentTreeModel()
    qtmodeltester.check(fresh)
    fresh.set_report(started.report)
    qtmodeltester.check(fresh)
    assert fresh.rowCount() == 2
    assert fresh.item_ids() == ["purpose-01", "purpose-02", "partner-01", "partner-02"]


# --------------------------------------------------------------------------- choosing


def test_without_templates_one_click_installs_the_bundled_ones(qtbot, db, view):
    pid = _partnership(db)
    v = view(partnership_id=pid)
    install = v.findChild(QPushButton, "installBundledButton")
    start = v.findChild(QPushButton, "startAssessmentButton")
    assert install.isVisible() and not start.isEnabled()
    install.click()
    templates = v.findChild(QComboBox, "templateCombo")
    assert templates.count() == len(bundled_files())  # every bundled template
    assert templates.currentText().startswith("Guardrails for municipal partnerships")
    assert not install.isVisible() and start.isEnabled()
    start.click()
    assert v.report["template"]["key"] == "urn:chinadialog:checklist:leitplanken-kommunal"
    # progress counts both sides: the risk questions and the chance questions
    applicable = v.report["overall"]["applicable"] + v.report["chances"]["applicable"]
    assert v.report["overall"]["applicable"] >= 40 and v.report["chances"]["applicable"] == 6
    assert v.findChild(QLabel, "progressLabel").text().startswith(f"0 of {applicable} answered")
    # The first question is selected, the list has the focus: answering by key can begin.
    assert v.current_item_id() == v.model.item_ids()[0]
    assert v.findChild(QLabel, "questionLabel").text()


def test_existing_assessments_of_the_partnership_can_be_opened(db, view):
    pid = _partnership(db)
    other = _partnership(db, "Kiel – Qingdao")
    tid = _import(db)
    with db.session() as s:
        from chinadialog_desktop.persistence.models import ChecklistTemplate

        a = svc.start_assessment(
            s, s.get(ChecklistTemplate, tid), partnership=s.get(Partnership, pid)
        )
        svc.answer_item(s, a, "purpose-01", svc.AnswerUpdate(answer="no"))
        assessment_id = a.id
    v = view(partnership_id=other)
    combo = v.findChild(QComboBox, "assessmentCombo")
    assert combo.findData(assessment_id) < 0  # only the chosen partnership's assessments
    partnerships = v.findChild(QComboBox, "partnershipCombo")
    partnerships.setCurrentIndex(partnerships.findData(pid))
    row = combo.findData(assessment_id)
    assert row > 0
    combo.setCurrentIndex(row)
    combo.activated.emit(row)
    assert v.assessment_id == assessment_id
    assert v.model.item("purpose-01")["answer"] == "no"


# --------------------------------------------------------------------------- answering


def test_answering_a_whole_section_by_keyboard(qtbot, db, started):
    v = started
    tree = _tree(v)
    tree.setFocus()
    assert v.current_item_id() == "purpose-01"
    with qtbot.waitSignal(v.sig_assessment_changed, timeout=1000) as changed:
        qtbot.keyClick(tree, Qt.Key.Key_1)  # Ja → purpose-02 now applies and is next
    assert changed.args == [v.assessment_id]
    assert v.current_item_id() == "purpose-02"
    qtbot.keyClick(tree, Qt.Key.Key_3)  # Nein
    assert v.current_item_id() == "partner-01"
    answers = _answers(db, v.assessment_id)
    assert answers["purpose-01"].answer == "yes"
    assert answers["purpose-02"].answer == "no"
    section = v.model.section_index("purpose")
    assert section.siblingAtColumn(2).data() == "2 of 2 answered"
    # purpose: 2 of 5 points = 40 % → yellow; shown as a word next to a colour square
    assert section.siblingAtColumn(1).data() == "yellow"
    assert section.siblingAtColumn(1).data(Qt.ItemDataRole.DecorationRole) is not None
    fields = v.findChild(QComboBox, "assessmentFieldCombo")
    row = fields.findData("purpose")
    assert fields.itemData(row, Qt.ItemDataRole.ToolTipRole).endswith("yellow")


def test_german_letter_keys_answer_and_move_on(qtbot, db, started, german):
    v = started
    v.refresh()
    tree = _tree(v)
    tree.setFocus()
    qtbot.keyClick(tree, Qt.Key.Key_T)  # Teilweise
    qtbot.keyClick(tree, Qt.Key.Key_U)  # Unklar
    answers = _answers(db, v.assessment_id)
    assert answers["purpose-01"].answer == "partly"
    assert answers["purpose-02"].answer == "unknown"
    # A custom scale: its own labels give the letters (N is ambiguous there: digits only).
    assert v.current_item_id() == "partner-01"
    qtbot.keyClick(tree, Qt.Key.Key_G)  # Gelistet
    assert _answers(db, v.assessment_id)["partner-01"].answer == "listed"


def test_the_editor_saves_every_field_at_once(qtbot, db, started):
    v = started
    with db.session() as s:
        s.add(Source(title="Kommunen – Kernstück deutscher China-Politik", author="FES", year=2023))
    v.refresh()
    _select(v, "purpose-01")
    v.findChild(QPushButton, "answerButton_partly").click()
    assert _answers(db, v.assessment_id)["purpose-01"].answer == "partly"
    evidence = v.findChild(QPlainTextEdit, "evidenceEdit")
    evidence.setPlainText("Ratsbeschluss 2019/114")
    v.editor.flush()  # what leaving the box or the typing pause does
    responsible = v.findChild(QLineEdit, "responsibleEdit")
    responsible.setText("Frau Özdemir")
    responsible.editingFinished.emit()
    v.findChild(QCheckBox, "dueFieldSet").setChecked(True)
    v.editor.due_field.edit.setDate(QDate(2027, 1, 31))
    v.findChild(QCheckBox, "reviewByFieldSet").setChecked(True)
    v.editor.review_field.edit.setDate(QDate(2027, 6, 30))
    v.findChild(QCheckBox, "reconfirmCheck").setChecked(True)
    sources = v.findChild(QListWidget, "sourcesList")
    assert sources.count() == 1
    sources.item(0).setCheckState(Qt.CheckState.Checked)
    row = _answers(db, v.assessment_id)["purpose-01"]
    with db.session() as s:
        source_uuid = s.scalars(select(Source.uuid)).one()
    assert row.answer == "partly"
    assert row.evidence == "Ratsbeschluss 2019/114"
    assert row.responsible == "Frau Özdemir"
    assert row.due_on == date(2027, 1, 31)
    assert row.review_by == date(2027, 6, 30)
    assert row.reconfirm is True
    assert row.source_ids == [source_uuid]
    # Clicking the chosen answer again takes it back.
    v.findChild(QPushButton, "answerButton_partly").click()
    assert _answers(db, v.assessment_id)["purpose-01"].answer is None
    # Typed text was never replaced while saving.
    assert evidence.toPlainText() == "Ratsbeschluss 2019/114"


def test_not_applicable_items_are_greyed_and_cannot_be_answered(qtbot, db, started):
    v = started
    disabled = QApplication.palette().color(QPalette.ColorGroup.Disabled, QPalette.ColorRole.Text)
    for item_id in ("purpose-02", "partner-02"):  # depends on purpose-01; for universities
        index = v.model.index_of(item_id)
        assert "na" in index.data(FLAGS_ROLE)
        assert index.data(Qt.ItemDataRole.ForegroundRole).color() == disabled
    _select(v, "partner-02")
    assert not v.findChild(QLabel, "notApplicableLabel").isHidden()
    assert not v.findChild(QPushButton, "answerButton_yes").isEnabled()
    _tree(v).setFocus()
    qtbot.keyClick(_tree(v), Qt.Key.Key_1)
    assert "partner-02" not in _answers(db, v.assessment_id)
    assert v.findChild(QLabel, "progressLabel").text().startswith("0 of 2 answered")


def test_blockers_open_and_stale_items_are_marked_and_filtered(qtbot, db, started):
    v = started
    _select(v, "partner-01")
    v.findChild(QPushButton, "answerButton_listed").click()
    _select(v, "purpose-01")
    v.findChild(QPushButton, "answerButton_yes").click()
    v.findChild(QCheckBox, "reviewByFieldSet").setChecked(True)
    v.editor.review_field.edit.setDate(QDate(2026, 11, 1))  # before TODAY: stale
    assert "BLOCKER" in v.model.index_of("partner-01").siblingAtColumn(2).data()
    assert v.model.index_of("partner-01").data(Qt.ItemDataRole.BackgroundRole) is not None
    assert "stale" in v.model.index_of("purpose-01").data(FLAGS_ROLE)
    assert "open" in v.model.index_of("purpose-02").data(FLAGS_ROLE)
    overall = v.findChild(QLabel, "overallLightLabel").text()
    assert overall == "Overall: red · 1 blocker"
    assert "1 stale" in v.findChild(QLabel, "progressLabel").text()
    tree = _tree(v)
    combo = v.findChild(QComboBox, "assessmentFilter")

    def shown() -> list[str]:
        ids = []
        for s_row in range(v.model.rowCount()):
            section = v.model.index(s_row, 0)
            for i_row in range(v.model.rowCount(section)):
                if not tree.isRowHidden(i_row, section):
                    ids.append(v.model.index(i_row, 0, section).data(ITEM_ID_ROLE))
        return ids

    combo.setCurrentIndex(combo.findData("blocker"))
    assert shown() == ["partner-01"]
    combo.setCurrentIndex(combo.findData("stale"))
    assert shown() == ["purpose-01"]
    assert tree.isRowHidden(1, v.model.index(1, 0).parent())  # the partner field has none
    combo.setCurrentIndex(combo.findData("open"))
    assert shown() == ["purpose-02"]
    combo.setCurrentIndex(combo.findData("all"))
    assert len(shown()) == 4


# --------------------------------------------------------------------------- sign-off


def _sign(qtbot, v, name="Dr. Weber", allow_open=True):
    v.findChild(QPushButton, "signOffButton").click()
    dialog = v.sign_dialog
    assert dialog is not None and dialog.isVisible()
    ok = dialog.findChild(QPushButton, "signOffOk")
    assert not ok.isEnabled()  # no name yet
    dialog.findChild(QLineEdit, "reviewerEdit").setText(name)
    if allow_open:
        assert not ok.isEnabled()  # open items must be allowed explicitly
        dialog.findChild(QCheckBox, "allowOpenCheck").setChecked(True)
    assert ok.isEnabled()
    ok.click()


def test_sign_off_freezes_and_a_change_opens_a_new_revision(qtbot, db, started):
    v = started
    signed_id = v.assessment_id
    _select(v, "purpose-01")
    v.findChild(QPushButton, "answerButton_yes").click()
    _sign(qtbot, v)
    status = v.findChild(QLabel, "assessmentStatusLabel").text()
    assert "Signed by Dr. Weber" in status and "read-only" in status
    assert v.findChild(QPlainTextEdit, "evidenceEdit").isReadOnly()
    assert not v.findChild(QPushButton, "answerButton_yes").isEnabled()
    assert not v.findChild(QPushButton, "signOffButton").isEnabled()
    _tree(v).setFocus()
    _select(v, "purpose-01")
    qtbot.keyClick(_tree(v), Qt.Key.Key_3)  # keys do nothing on a signed assessment
    assert _answers(db, signed_id)["purpose-01"].answer == "yes"

    revise = v.findChild(QPushButton, "newRevisionButton")
    assert revise.isVisible()
    revise.click()
    assert v.assessment_id != signed_id
    assert v.report["revision"] == 2 and v.report["status"] == "open"
    assert "signed revision 1 stays" in v.findChild(QLabel, "assessmentMessageLabel").text()
    _select(v, "purpose-01")
    v.findChild(QPushButton, "answerButton_no").click()
    assert _answers(db, v.assessment_id)["purpose-01"].answer == "no"
    assert _answers(db, signed_id)["purpose-01"].answer == "yes"
    with db.session() as s:
        old = s.get(Assessment, signed_id)
        assert (old.status, old.reviewed_by) == ("superseded", "Dr. Weber")
    # The superseded revision is shown read-only and leads to the newest one.
    combo = v.findChild(QComboBox, "assessmentCombo")
    row = combo.findData(signed_id)
    combo.setCurrentIndex(row)
    combo.activated.emit(row)
    assert "superseded" in v.findChild(QLabel, "assessmentStatusLabel").text()
    newest = v.findChild(QPushButton, "newestRevisionButton")
    assert newest.isVisible()
    newest.click()
    assert v.report["revision"] == 2


def test_cancelled_sign_off_changes_nothing(qtbot, db, started):
    v = started
    v.findChild(QPushButton, "signOffButton").click()
    v.sign_dialog.findChild(QLineEdit, "reviewerEdit").setText("Dr. Weber")
    v.sign_dialog.findChild(QPushButton, "signOffCancel").click()
    with db.session() as s:
        assert s.get(Assessment, v.assessment_id).status == "open"
    assert v.findChild(QPushButton, "signOffButton").isEnabled()


# --------------------------------------------------------------------------- cycles and upgrades


def _confirm(v, name: str, answer: str = "Yes") -> None:
    box = v.findChild(QMessageBox, name)
    assert box is not None and box.isVisible()
    box.findChild(QPushButton, f"{name}{answer}").click()


def test_next_assessment_carries_the_answers_to_reconfirm(qtbot, db, started):
    v = started
    first = v.assessment_id
    _select(v, "purpose-01")
    v.findChild(QPushButton, "answerButton_partly").click()
    v.findChild(QCheckBox, "reconfirmCheck").setChecked(True)
    _select(v, "partner-01")
    v.findChild(QPushButton, "answerButton_clear").click()
    v.findChild(QPushButton, "nextCycleButton").click()
    _confirm(v, "nextCycleConfirm", "No")
    assert v.assessment_id == first
    v.findChild(QPushButton, "nextCycleButton").click()
    _confirm(v, "nextCycleConfirm")
    assert v.assessment_id != first
    answers = _answers(db, v.assessment_id)
    assert set(answers) == {"purpose-01"}
    assert answers["purpose-01"].answer == "partly"
    assert "re-confirmed" in (answers["purpose-01"].note or "")
    assert "New assessment" in v.findChild(QLabel, "assessmentMessageLabel").text()


def test_switching_to_a_newer_template_version_marks_changed_and_new_items(
    qtbot, db, started, tmp_path
):
    v = started
    upgrade = v.findChild(QPushButton, "upgradeButton")
    assert not upgrade.isVisible()
    _select(v, "purpose-01")
    v.findChild(QPushButton, "answerButton_yes").click()
    _select(v, "purpose-02")
    v.findChild(QPushButton, "answerButton_yes").click()
    _import(db, _v2(tmp_path))
    v.refresh()
    assert upgrade.isVisible() and "2" in upgrade.text()
    assert "Version 2 of the template" in v.findChild(QLabel, "assessmentStatusLabel").text()
    upgrade.click()
    _confirm(v, "upgradeConfirm")
    assert v.report["template"]["version"] == 2
    assert not upgrade.isVisible()
    assert "changed" in v.model.index_of("purpose-01").data(FLAGS_ROLE)
    assert "changed" not in v.model.index_of("purpose-02").data(FLAGS_ROLE)
    assert "open" in v.model.index_of("purpose-03").data(FLAGS_ROLE)
    assert not v.model.index_of("partner-02").isValid()
    message = v.findChild(QLabel, "assessmentMessageLabel").text()
    assert "1 questions changed" in message and "1 new" in message
    combo = v.findChild(QComboBox, "assessmentFilter")
    combo.setCurrentIndex(combo.findData("changed"))
    tree = _tree(v)
    purpose = v.model.section_index("purpose")
    assert not tree.isRowHidden(0, purpose) and tree.isRowHidden(1, purpose)
    archive = v.findChild(QPushButton, "archiveNoteButton")
    assert archive.isVisible()
    archive.click()
    note = v.findChild(QMessageBox, "archiveNoteBox")
    assert "version 1 → 2" in note.text()
    note.button(QMessageBox.StandardButton.Close).click()
    # Answering the flagged item again clears the mark.
    _select(v, "purpose-01")
    v.findChild(QPushButton, "answerButton_yes").click()
    assert "changed" not in v.model.index_of("purpose-01").data(FLAGS_ROLE)


# --------------------------------------------------------------------------- main window


def test_install_adds_the_assessment_menu_once_and_opens_the_selected_partnership(qtbot, filled_db):
    from chinadialog_desktop.ui import app as ui_app
    from chinadialog_desktop.ui.assessment.actions import install

    session = ui_app.start(filled_db.path)
    try:
        window = session.window
        qtbot.addWidget(window)
        with qtbot.waitSignal(window.sig_list_filled, timeout=20000):
            pass
        qtbot.waitUntil(window.attached, timeout=20000)  # the database took over
        install(window)
        install(window)
        menus = [
            m for m in window.menuBar().findChildren(QMenu) if m.objectName() == "assessmentMenu"
        ]
        assert len(menus) == 1
        titles = [a.text() for a in window.menuBar().actions()]
        assert "&Assessment" in titles
        assert titles.index("&Assessment") < titles.index("&Help")
        page = window.pages["partnership"]
        with filled_db.session() as s:
            kiel = s.scalars(
                select(Partnership.id).where(Partnership.title == "Kiel – Qingdao")
            ).one()
        page.select_id(kiel)
        action = menus[0].actions()[0]
        assert action.objectName() == "actionAssessment"
        action.trigger()
        view = window.findChild(AssessmentView, "assessmentView")
        assert view is not None and view.isVisible()
        assert view.findChild(QComboBox, "partnershipCombo").currentData() == kiel
        assert view.findChild(QPushButton, "installBundledButton").isVisible()
        action.trigger()  # the same window again, not a second one
        assert len(window.findChildren(AssessmentView)) == 1
    finally:
        session.close()


def test_every_interactive_widget_of_the_view_is_named(qtbot, db, started):
    from PySide6.QtWidgets import (
        QAbstractButton,
        QAbstractItemView,
        QAbstractScrollArea,
        QAbstractSpinBox,
        QScrollArea,
        QWidget,
    )

    v = started
    _select(v, "purpose-01")
    v.findChild(QPushButton, "signOffButton").click()
    interactive = (
        QAbstractButton,
        QAbstractItemView,
        QAbstractSpinBox,
        QComboBox,
        QLineEdit,
        QPlainTextEdit,
    )
    unnamed = []
    for widget in [*v.findChildren(QWidget), *v.sign_dialog.findChildren(QWidget)]:
        if not (widget.focusPolicy() & Qt.FocusPolicy.TabFocus or isinstance(widget, interactive)):
            continue
        if widget.objectName().startswith("qt_"):
            continue
        parent, inside = widget.parentWidget(), False
        while parent is not None:
            if isinstance(parent, (*interactive, QAbstractScrollArea)) and not isinstance(
                parent, QScrollArea
            ):
                inside = True
            parent = parent.parentWidget()
        if not inside and (not widget.objectName() or not widget.accessibleName()):
            unnamed.append((type(widget).__name__, widget.objectName()))
    assert unnamed == []
    assert len(v.findChildren(QPushButton)) >= 10


@pytest.mark.skipif(__import__("sys").version_info >= (3, 12), reason="True is immortal from 3.12")
def test_signal_emits_drain_true_and_the_guard_tops_it_up(qtbot, started, monkeypatch):
    """Each answer emits a dozen signals from Python; PySide6 6.12 drops a reference to
    True per emit, so a long session needs the guard (or dies with bool_dealloc)."""
    import sys

    from chinadialog_desktop.ui.common import none_guard

    v = started
    before = sys.getrefcount(True)
    for _n in range(100):
        v.model.headerDataChanged.emit(Qt.Orientation.Horizontal, 0, 2)
    assert sys.getrefcount(True) <= before  # if a release fixes this, the guard can go
    monkeypatch.setattr(none_guard, "LOW_WATER", sys.getrefcount(True) + 10)
    monkeypatch.setattr(none_guard, "TOP_UP", 5000)
    level = sys.getrefcount(True)
    none_guard.top_up()
    assert sys.getrefcount(True) >= level + 1000


def test_a_language_switch_shows_the_template_texts_in_the_new_language(qtbot, started):
    from PySide6.QtCore import QCoreApplication, QEvent

    from chinadialog_desktop.i18n import language, set_language

    v = started
    _select(v, "purpose-01")
    question = v.findChild(QLabel, "questionLabel")
    assert question.text() == "Are the goals written down?"
    assert v.findChild(QPushButton, "answerButton_yes").text() == "1/Y  Yes"
    before = language()
    set_language("de")
    try:
        QCoreApplication.sendEvent(v, QEvent(QEvent.Type.LanguageChange))
        assert question.text() == "Sind die Ziele schriftlich festgehalten?"
        assert v.findChild(QPushButton, "answerButton_yes").text() == "1/J  Ja"
        assert v.model.section_index("purpose").data() == "1 · Zweck"
        assert v.current_item_id() == "purpose-01"
    finally:
        set_language(before)


def test_a_bundled_section_answered_by_keyboard_turns_green(qtbot, db, view):
    pid = _partnership(db)
    v = view(partnership_id=pid)
    v.findChild(QPushButton, "installBundledButton").click()
    v.findChild(QPushButton, "startAssessmentButton").click()
    tree = _tree(v)
    first_section = v.report["sections"][0]
    ids = [i["id"] for i in v.report["items"] if i["section"] == first_section["id"]]
    assert v.current_item_id() == ids[0]
    for _item in ids:
        qtbot.keyClick(tree, Qt.Key.Key_1)  # Ja: no risk points in the bundled scale
    answers = _answers(db, v.assessment_id)
    assert {i: answers[i].answer for i in ids} == dict.fromkeys(ids, "yes")
    section = v.model.section_index(first_section["id"])
    assert section.siblingAtColumn(2).data() == f"{len(ids)} of {len(ids)} answered"
    assert section.siblingAtColumn(1).data() == "green"
    # ... and the selection moved on to the first question of the next field of action
    assert v.model.item(v.current_item_id())["section"] == v.report["sections"][1]["id"]


def test_an_assessment_deleted_elsewhere_is_reported_not_raised(qtbot, db, started):
    v = started
    with db.session() as s:
        s.delete(s.get(Assessment, v.assessment_id))
    v.refresh()
    assert v.assessment_id is None and v.report is None
    assert "No assessment" in v.findChild(QLabel, "assessmentMessageLabel").text()
    assert not v.findChild(QPushButton, "signOffButton").isEnabled()
    assert v.model.rowCount() == 0


def test_ctrl_down_jumps_to_the_next_open_question(qtbot, db, started):
    v = started
    _select(v, "partner-01")
    v.findChild(QPushButton, "answerButton_clear").click()
    _select(v, "purpose-01")
    v.findChild(QPushButton, "answerButton_yes").click()
    _select(v, "purpose-01")
    tree = _tree(v)
    tree.setFocus()
    qtbot.keyClick(tree, Qt.Key.Key_Down, Qt.KeyboardModifier.ControlModifier)
    assert v.current_item_id() == "purpose-02"  # open now that purpose-01 is "yes"
    qtbot.keyClick(tree, Qt.Key.Key_Down, Qt.KeyboardModifier.ControlModifier)
    assert v.current_item_id() == "purpose-02"  # the only open one: it stays


def test_questions_are_numbered_as_people_cite_them_never_by_internal_id(started):
    """Found in review: every row and the detail pane showed ids like ``purpose-01``."""
    v = started
    ids = v.model.item_ids()
    texts = []
    for s_row in range(v.model.rowCount()):
        section = v.model.index(s_row, 0)
        for i_row in range(v.model.rowCount(section)):
            text = v.model.index(i_row, 0, section).data()
            assert text.startswith(f"{s_row + 1}.{i_row + 1}  "), text
            texts.append(text)
    assert v.editor.item_id is not None  # starting selects the first open question
    info = v.editor.info_label.text()
    assert info.startswith(f"Question {v.model.number(v.editor.item_id)} · "), info
    shown = " ".join(texts) + " " + info
    assert not [i for i in ids if i in shown]


def test_the_fields_of_action_are_chosen_by_number_and_name(qtbot, started):
    """No bare numbers: the field-of-action choice reads "2 · Partner" as the tree does,
    choosing a field shows its first question, and it follows the question shown."""
    v = started
    strip = [
        w.text()
        for w in v.findChildren(QToolButton) + v.findChildren(QLabel)
        if w.isVisible() and w.text().strip().isdigit()
    ]
    assert strip == []  # no control labelled with a bare number
    combo = v.findChild(QComboBox, "assessmentFieldCombo")
    assert combo is not None and combo.isVisible()
    titles = [title for _sid, title, _light in v.model.overview()]
    assert [combo.itemText(i) for i in range(combo.count())] == [
        f"{n} · {title}" for n, title in enumerate(titles, start=1)
    ]
    assert v.model.index(1, 0).data() == combo.itemText(1)  # the tree says it the same way
    tip = combo.itemData(1, Qt.ItemDataRole.ToolTipRole)
    assert tip.startswith(combo.itemText(1) + ": ")  # and the light in words
    combo.setFocus()
    combo.setCurrentIndex(1)
    combo.activated.emit(1)
    assert v.model.number(v.current_item_id()) == "2.1"
    _select(v, "purpose-01")
    assert combo.currentIndex() == 0
    # The label's mnemonic leads to the choice.
    label = next(lb for lb in v.findChildren(QLabel) if lb.buddy() is combo)
    assert "&" in label.text()


# --------------------------------------------------------------------------- classification


def _choose_classification(qtbot, v, key: Qt.Key) -> None:
    """Pick a classification with the keyboard, as a user does (End: the last, VS-NfD;
    Home: the first, open) on the closed combo box."""
    combo = v.findChild(QComboBox, "assessmentClassificationCombo")
    combo.setFocus()
    qtbot.keyClick(combo, key)


def test_the_classification_is_set_in_the_window_also_of_a_signed_one(qtbot, german, db, started):
    v = started
    combo = v.findChild(QComboBox, "assessmentClassificationCombo")
    assert combo.isEnabled() and combo.currentData() == "open"
    assert [combo.itemText(i) for i in range(combo.count())] == [
        "Offen",
        "Nur für den internen Gebrauch",
        "VS – Nur für den Dienstgebrauch",
    ]
    _choose_classification(qtbot, v, Qt.Key.Key_End)
    with db.session() as s:
        assert s.get(Assessment, v.assessment_id).classification == "vs_nfd"
    assert (
        v.findChild(QLabel, "assessmentStatusLabel")
        .text()
        .startswith("VS – Nur für den Dienstgebrauch. ")
    )
    message = v.findChild(QLabel, "assessmentMessageLabel").text()
    assert message == "Die Prüfung ist jetzt eingestuft: VS – Nur für den Dienstgebrauch."

    # Signed, it stays classifiable (who may read it, not what was signed), not answerable.
    _select(v, "purpose-01")
    v.findChild(QPushButton, "answerButton_yes").click()
    _sign(qtbot, v)
    assert combo.isEnabled()
    _choose_classification(qtbot, v, Qt.Key.Key_Home)
    with db.session() as s:
        a = s.get(Assessment, v.assessment_id)
        assert (a.classification, a.status) == ("open", "signed")
    assert not v.findChild(QLabel, "assessmentStatusLabel").text().startswith("VS")


def test_a_message_about_one_assessment_goes_when_another_is_opened(db, started):
    """Classifying one assessment says so; choosing another one in the list must not leave
    that sentence standing above it (it would claim the other one is VS-NfD)."""
    from chinadialog_desktop.domain.enums import Classification
    from chinadialog_desktop.persistence.models import ChecklistTemplate

    v = started
    tid = v.report["template"]["id"]
    other = _partnership(db, "Kiel – Qingdao (Beispiel)")
    with db.session() as s:
        second = svc.start_assessment(
            s, s.get(ChecklistTemplate, tid), partnership=s.get(Partnership, other)
        ).id
    v.reload_choices()  # the new partnership appears in the choice (as on reopening)
    combo = v.findChild(QComboBox, "assessmentClassificationCombo")
    combo.setCurrentIndex(combo.findData(Classification.VS_NFD.value))
    combo.activated.emit(combo.currentIndex())
    message = v.findChild(QLabel, "assessmentMessageLabel")
    said = message.text()
    assert message.isVisible() and v.report["classification"] == "vs_nfd" and said

    partnerships = v.findChild(QComboBox, "partnershipCombo")
    partnerships.setCurrentIndex(partnerships.findData(other))
    assessments = v.findChild(QComboBox, "assessmentCombo")
    row = assessments.findData(second)
    assessments.setCurrentIndex(row)
    assessments.activated.emit(row)
    assert v.assessment_id == second and v.report["classification"] == "open"
    assert combo.currentData() == Classification.OPEN.value
    assert not message.isVisible() or message.text() != said


def test_the_status_line_of_an_open_assessment_does_not_read_as_its_classification(
    db, view, german
):
    """Beside "Einstufung: Offen" the status line must not start the sentence about the
    assessment's state with the same word "Offen:" (a second, different fact)."""
    from chinadialog_desktop.domain.enums import Classification
    from chinadialog_desktop.domain.labels import label

    pid = _partnership(db)
    _import(db)
    v = view(partnership_id=pid)
    v.findChild(QPushButton, "startAssessmentButton").click()
    combo = v.findChild(QComboBox, "assessmentClassificationCombo")
    word = label(Classification, Classification.OPEN.value)
    assert combo.currentText() == word == "Offen"
    status = v.findChild(QLabel, "assessmentStatusLabel").text()
    assert "gespeichert" in status  # the sentence about saving is there
    assert f"{word}:" not in status and f"{word}." not in status, status
