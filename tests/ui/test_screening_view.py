"""The screening window offscreen on the demo data and a small FollowTheMoney list."""

from __future__ import annotations

import threading
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLabel, QLineEdit, QMenu, QPushButton, QTableView
from sqlalchemy import select

from chinadialog_desktop.persistence.models_core import Actor, Contact
from chinadialog_desktop.persistence.models_reference import ScreeningDecision, ScreeningHit
from chinadialog_desktop.services.demo import load_demo
from chinadialog_desktop.services.screening import reference_lists
from chinadialog_desktop.services.screening import runs as screening
from chinadialog_desktop.ui.screening.model import HIT_ID_ROLE, HitTableModel, ReferenceListModel
from chinadialog_desktop.ui.screening.view import ScreeningDialog

FTM = Path(__file__).parents[1] / "fixtures" / "ftm"
V1, V2 = FTM / "china_v1.ftm.json", FTM / "china_v2.ftm.json"


@pytest.fixture
def demo(demo_db):
    """The demo data plus three actors that are on the test list and one contact."""
    db = demo_db
    with db.session() as s:
        hit = Actor(
            name_de="Harbin Institute of Technology",
            name_zh="哈尔滨工业大学",
            name_pinyin="Ha'erbin Gongye Daxue",
            kind="university",
            country="CN",
        )
        s.add(hit)
        s.add(
            Actor(
                name_de="Hikvision GmbH",
                name_zh="海康威视",
                kind="company",
                country="CN",
                uscc="91330000733796106P",
            )
        )
        s.add(
            Actor(
                name_de="Nordwestliche Polytechnische Universität",
                name_en="Northwestern Polytechnical University",
                kind="university",
                country="CN",
            )
        )
        s.flush()
        s.add(Contact(name="Beate Beispiel", actor_id=hit.id))
    return db


@pytest.fixture
def dialog(qtbot, demo):
    d = ScreeningDialog(demo)
    qtbot.addWidget(d)
    d.show()
    qtbot.waitExposed(d)
    yield d
    d.stop()


def w(dialog, cls, name):
    widget = dialog.findChild(cls, name)
    assert widget is not None, name
    assert widget.accessibleName() or isinstance(widget, QLabel), name
    return widget


def run_job(qtbot, dialog, start):
    with qtbot.waitSignal(dialog.sig_job_finished, timeout=30000):
        job = start()
        assert job is not None
    assert dialog.job is None


def cells(table: QTableView, row: int) -> list[str]:
    model = table.model()
    return [str(model.index(row, c).data() or "") for c in range(model.columnCount())]


def headers(table: QTableView) -> list[str]:
    model = table.model()
    return [model.headerData(c, Qt.Orientation.Horizontal) for c in range(model.columnCount())]


def hit_row_of(table: QTableView, caption_part: str) -> int:
    for row in range(table.model().rowCount()):
        if any(caption_part in text for text in cells(table, row)):
            return row
    raise AssertionError(caption_part)


def pick(dialog, row: int) -> None:
    table = w(dialog, QTableView, "screeningHits")
    table.setFocus()
    table.setCurrentIndex(table.model().index(row, 1))


def test_empty_database_asks_for_a_list_first(dialog):
    assert w(dialog, QTableView, "referenceListsTable").model().rowCount() == 0
    assert w(dialog, QTableView, "screeningHits").model().rowCount() == 0
    assert not w(dialog, QPushButton, "startScreeningButton").isEnabled()
    assert "import" in w(dialog, QLabel, "referenceListsHint").text().lower()
    assert not w(dialog, QPushButton, "confirmHitButton").isEnabled()


def test_import_screens_the_new_list_and_marks_hits_new(qtbot, dialog, demo):
    run_job(qtbot, dialog, lambda: dialog.import_list(V1))
    lists = w(dialog, QTableView, "referenceListsTable")
    assert lists.model().rowCount() == 1
    row = cells(lists, 0)
    assert row[0] == "test_china_controls"
    assert row[2] == "7"
    assert row[3] == "legal designation"
    assert w(dialog, QPushButton, "startScreeningButton").isEnabled()

    table = w(dialog, QTableView, "screeningHits")
    assert headers(table) == [
        "New",
        "Our record",
        "Their name",
        "Reference list",
        "Score",
        "Status",
        "Legal designation",
        "Risk assessment",
    ]
    subjects = {cells(table, r)[1] for r in range(table.model().rowCount())}
    assert {"Harbin Institute of Technology", "Hikvision GmbH"} <= subjects
    for r in range(table.model().rowCount()):
        texts = cells(table, r)
        assert texts[0] == "new"
        assert texts[5] == "undecided"
    hik = cells(table, hit_row_of(table, "Hikvision GmbH"))
    assert hik[4] == "100 %"
    assert hik[6] == "export control, investment ban"
    assert hik[7] == ""
    with demo.sessions() as s:
        stored = set(s.scalars(select(ScreeningHit.id)))
    assert set(table.model().ids()) == stored
    assert dialog.last_run is not None and set(dialog.last_run.new_hit_ids) == stored
    assert "new" in w(dialog, QLabel, "screeningSummary").text()


def test_side_by_side_shows_both_records_and_the_explanation(qtbot, dialog):
    run_job(qtbot, dialog, lambda: dialog.import_list(V1))
    table = w(dialog, QTableView, "screeningHits")
    pick(dialog, hit_row_of(table, "Hikvision GmbH"))
    ours = dialog.findChild(object, "compareOurs").toPlainText()
    theirs = dialog.findChild(object, "compareTheirs").toPlainText()
    why = dialog.findChild(object, "compareExplanation").toPlainText()
    assert "Hikvision GmbH" in ours and "海康威视" in ours
    assert "91330000733796106P" in ours and "CN" in ours
    assert "杭州海康威视数字技术股份有限公司" in theirs
    assert "Hangzhou Hikvision Digital Technology Co., Ltd." in theirs
    assert "Unified social credit code: 91330000733796106P" in theirs
    assert "export control" in theirs and "test_china_controls" in theirs
    assert "identifier 91330000733796106P" in why
    assert "Legal designation: export control, investment ban." in why

    pick(dialog, hit_row_of(table, "Harbin Institute of Technology"))
    ours = dialog.findChild(object, "compareOurs").toPlainText()
    assert "哈尔滨工业大学" in ours and "Ha'erbin Gongye Daxue" in ours
    assert "Harbin" in dialog.findChild(object, "compareTheirs").toPlainText()


def test_a_decision_needs_a_reason(qtbot, dialog, demo):
    run_job(qtbot, dialog, lambda: dialog.import_list(V1))
    pick(dialog, 0)
    message = w(dialog, QLabel, "reasonMessage")
    assert message.isHidden()
    qtbot.mouseClick(w(dialog, QPushButton, "confirmHitButton"), Qt.MouseButton.LeftButton)
    assert message.isVisible()
    assert message.text() == "Please give a reason for the decision."
    assert w(dialog, QLineEdit, "reasonEdit").hasFocus() or not dialog.isActiveWindow()
    with demo.sessions() as s:
        assert s.scalars(select(ScreeningDecision)).all() == []
        assert set(s.scalars(select(ScreeningHit.status))) == {"open"}
    w(dialog, QLineEdit, "reasonEdit").setText("x")
    assert message.isHidden()


def test_confirm_and_dismiss_by_keyboard_record_who_when_why(qtbot, dialog, demo):
    run_job(qtbot, dialog, lambda: dialog.import_list(V1))
    dialog.activateWindow()
    qtbot.waitUntil(dialog.isActiveWindow)
    table = w(dialog, QTableView, "screeningHits")
    model = table.model()
    first = hit_row_of(table, "Hikvision GmbH")
    pick(dialog, first)
    hik_id = model.index(first, 0).data(HIT_ID_ROLE)
    reason = w(dialog, QLineEdit, "reasonEdit")
    reason.setFocus()
    reason.setText("Same credit code as in our file")
    qtbot.keyClick(reason, Qt.Key.Key_Return, Qt.KeyboardModifier.ControlModifier)
    with demo.sessions() as s:
        hit = s.get(ScreeningHit, hik_id)
        assert hit.status == "confirmed"
        d = s.scalars(select(ScreeningDecision)).one()
        assert (d.decision, d.reason) == ("confirmed", "Same credit code as in our file")
        assert d.decided_by
    assert reason.text() == ""
    # The confirmed hit moved below the undecided ones; the next undecided one is selected.
    row = model.row_of(hik_id)
    assert cells(table, row)[5] == "confirmed"
    assert all(cells(table, r)[5] == "undecided" for r in range(row))
    assert "Confirmed by" in (model.index(row, 5).data(Qt.ItemDataRole.ToolTipRole) or "")
    current = dialog.selected_hit()
    assert current is not None and current.status == "open"

    other_id = current.id
    reason.setText("Different institution, same city")
    qtbot.keyClick(reason, Qt.Key.Key_Backspace, Qt.KeyboardModifier.ControlModifier)
    with demo.sessions() as s:
        assert s.get(ScreeningHit, other_id).status == "dismissed"
    assert reason.text() == ""

    pick(dialog, model.row_of(other_id))
    why = dialog.findChild(object, "compareExplanation").toPlainText()
    assert "Dismissed by" in why and "Different institution, same city" in why


def test_d_on_the_list_dismisses_once_a_reason_is_typed(qtbot, dialog, demo):
    run_job(qtbot, dialog, lambda: dialog.import_list(V1))
    dialog.activateWindow()
    qtbot.waitUntil(dialog.isActiveWindow)
    table = w(dialog, QTableView, "screeningHits")
    pick(dialog, 0)
    hit_id = dialog.selected_hit().id
    qtbot.keyClick(table, Qt.Key.Key_D)
    assert w(dialog, QLabel, "reasonMessage").isVisible()
    w(dialog, QLineEdit, "reasonEdit").setText("Namensgleichheit, andere Stadt")
    pick(dialog, table.model().row_of(hit_id))
    qtbot.keyClick(table, Qt.Key.Key_D)
    with demo.sessions() as s:
        assert s.get(ScreeningHit, hit_id).status == "dismissed"


def test_full_run_after_a_decision_keeps_it_and_finds_nothing_new(qtbot, dialog, demo):
    run_job(qtbot, dialog, lambda: dialog.import_list(V1))
    pick(dialog, 0)
    hit_id = dialog.selected_hit().id
    w(dialog, QLineEdit, "reasonEdit").setText("checked")
    assert dialog.decide(screening.DISMISSED)
    run_job(qtbot, dialog, dialog.start_full_run)
    assert dialog.last_run is not None and not dialog.last_run.cancelled
    assert dialog.last_run.new_hit_ids == []
    with demo.sessions() as s:
        assert s.get(ScreeningHit, hit_id).status == "dismissed"


def test_new_version_of_the_list_screens_the_delta(qtbot, dialog, demo):
    run_job(qtbot, dialog, lambda: dialog.import_list(V1))
    with demo.sessions() as s:
        before = set(s.scalars(select(ScreeningHit.id)))
    run_job(qtbot, dialog, lambda: dialog.import_list(V2))
    result = dialog.last_import
    assert result is not None and result.status == reference_lists.COMMITTED
    assert dialog.last_run is not None
    # Only what the new version changed or removed was screened again.
    assert 0 < dialog.last_run.entities <= len(result.changed_keys)
    table = w(dialog, QTableView, "screeningHits")
    with demo.sessions() as s:
        after = set(s.scalars(select(ScreeningHit.id)))
    added = after - before
    assert added == set(dialog.last_run.new_hit_ids)
    rows = [cells(table, table.model().row_of(i)) for i in added]
    assert [r[1] for r in rows] == ["Nordwestliche Polytechnische Universität"]
    assert rows[0][0] == "new"


def test_rejected_file_says_why_inline(qtbot, dialog, tmp_path):
    bad = tmp_path / "bad.ftm.json"
    bad.write_text("{not json\n", encoding="utf-8")
    run_job(qtbot, dialog, lambda: dialog.import_list(bad))
    message = w(dialog, QLabel, "reasonMessage")
    assert message.isVisible() and message.text().startswith("The list was not imported")
    assert w(dialog, QTableView, "referenceListsTable").model().rowCount() == 0


def test_cancel_during_a_full_run_stops_it(qtbot, dialog, demo, monkeypatch):
    run_job(qtbot, dialog, lambda: dialog.import_list(V1))
    with demo.session() as s:
        s.execute(ScreeningHit.__table__.delete())
    dialog.reload()
    gate = threading.Event()
    real = screening.build_index

    def gated(*args, **kwargs):
        gate.wait(20)
        return real(*args, **kwargs)

    monkeypatch.setattr(screening, "build_index", gated)
    with qtbot.waitSignal(dialog.sig_job_finished, timeout=30000):
        job = dialog.start_full_run()
        assert job is not None
        assert not w(dialog, QPushButton, "importListButton").isEnabled()
        cancel = job.dialog.findChild(QPushButton)  # the progress dialog's Cancel button
        assert cancel is not None
        cancel.click()
        gate.set()
    assert w(dialog, QLabel, "reasonMessage").text() == "Screening cancelled."
    with demo.sessions() as s:
        assert s.scalars(select(ScreeningHit)).all() == []
    assert w(dialog, QPushButton, "importListButton").isEnabled()


def test_show_record_asks_the_window_for_our_actor(qtbot, dialog, demo):
    run_job(qtbot, dialog, lambda: dialog.import_list(V1))
    table = w(dialog, QTableView, "screeningHits")
    pick(dialog, hit_row_of(table, "Hikvision GmbH"))
    with demo.sessions() as s:
        actor_id = s.scalars(select(Actor.id).where(Actor.name_de == "Hikvision GmbH")).one()
    with qtbot.waitSignal(dialog.sig_open_record) as blocker:
        qtbot.mouseClick(w(dialog, QPushButton, "openRecordButton"), Qt.MouseButton.LeftButton)
    assert blocker.args == ["actor", actor_id]


def test_every_interactive_widget_is_named(dialog):
    from PySide6.QtWidgets import QAbstractButton, QAbstractItemView

    for cls in (QAbstractButton, QAbstractItemView, QLineEdit):
        for widget in dialog.findChildren(cls):
            if widget.parent() is not None and widget.parent().inherits("QScrollBar"):
                continue
            if widget.inherits("QTextBrowser") or widget.objectName().startswith("qt_"):
                continue
            assert widget.objectName(), widget
            assert widget.accessibleName(), widget.objectName()


def test_models_pass_the_qt_model_tester(qtbot, demo, qtmodeltester):
    reference_lists.import_reference_list(demo, V1)
    with demo.session() as s:
        run = screening.run_screening(s)
    with demo.sessions() as s:
        rows = screening.hit_rows(s)
        lists = reference_lists.list_reference_lists(s)
    assert rows and lists
    hits = HitTableModel()
    hits.set_rows(rows)
    hits.mark_new(run.new_hit_ids)
    qtmodeltester.check(hits)
    list_model = ReferenceListModel()
    list_model.set_rows(lists)
    qtmodeltester.check(list_model)
    qtmodeltester.check(HitTableModel())


def test_install_adds_the_menu_once_and_opens_the_view(qtbot, demo):
    from chinadialog_desktop.ui import app as ui_app
    from chinadialog_desktop.ui.screening import actions as screening_actions

    session = ui_app.start(demo.path)
    window = session.window
    qtbot.addWidget(window)
    try:
        qtbot.waitUntil(lambda: window.workspace is not None, timeout=20000)
        screening_actions.install(window)
        screening_actions.install(window)
        menus = [
            m for m in window.menuBar().findChildren(QMenu) if m.objectName() == "screeningMenu"
        ]
        assert len(menus) == 1
        assert menus[0].title() == "&Screening"
        titles = [a.text() for a in window.menuBar().actions()]
        assert titles.index("&Screening") < titles.index("&Help")
        action = menus[0].actions()[0]
        assert action.objectName() == "actionScreening"
        assert action.shortcut().toString() == "Ctrl+Shift+S"
        action.trigger()
        view = screening_actions.current_dialog(window)
        assert view is not None and view.isVisible()
        assert view.database is window.workspace.database
        action.trigger()
        assert window.findChildren(ScreeningDialog) == [view]
    finally:
        session.close()


def test_status_filter_shows_one_kind_of_hit(qtbot, dialog):
    from PySide6.QtWidgets import QComboBox

    run_job(qtbot, dialog, lambda: dialog.import_list(V1))
    table = w(dialog, QTableView, "screeningHits")
    total = table.model().rowCount()
    assert total >= 2
    pick(dialog, 0)
    decided = dialog.selected_hit().id
    w(dialog, QLineEdit, "reasonEdit").setText("same")
    assert dialog.decide(screening.CONFIRMED)
    box = w(dialog, QComboBox, "statusFilter")
    box.setCurrentIndex(box.findData("confirmed"))
    assert table.model().ids() == [decided]
    box.setCurrentIndex(box.findData("open"))
    assert table.model().rowCount() == total - 1 and decided not in table.model().ids()
    # The summary counts every hit, whatever is shown.
    assert w(dialog, QLabel, "screeningSummary").text().startswith(f"{total} hits")
    box.setCurrentIndex(box.findData(None))
    assert table.model().rowCount() == total


def test_switching_the_language_rewrites_the_explanation(qtbot, dialog):
    from PySide6.QtCore import QEvent
    from PySide6.QtWidgets import QApplication

    from chinadialog_desktop.i18n import set_language

    run_job(qtbot, dialog, lambda: dialog.import_list(V1))
    table = w(dialog, QTableView, "screeningHits")
    pick(dialog, hit_row_of(table, "Hikvision GmbH"))
    why = dialog.findChild(object, "compareExplanation")
    assert "Legal designation: export control" in why.toPlainText()
    set_language("de")
    QApplication.sendEvent(dialog, QEvent(QEvent.Type.LanguageChange))
    assert "Rechtliche Listung: Exportkontrolle" in why.toPlainText()
    assert dialog.selected_hit().subject_label == "Hikvision GmbH"


def test_the_view_follows_the_window_to_another_file_and_stops_on_close(qtbot, demo, tmp_path):
    from chinadialog_desktop.persistence.database import Database
    from chinadialog_desktop.ui import app as ui_app
    from chinadialog_desktop.ui.files import file_actions
    from chinadialog_desktop.ui.screening import actions as screening_actions

    reference_lists.import_reference_list(demo, V1)
    other = Database.open(tmp_path / "other.sqlite3")
    other.close()
    session = ui_app.start(demo.path)
    window = session.window
    qtbot.addWidget(window)
    try:
        qtbot.waitUntil(lambda: window.workspace is not None, timeout=20000)
        screening_actions.install(window)
        view = screening_actions.open_screening(window)
        assert view is not None
        assert w(view, QTableView, "referenceListsTable").model().rowCount() == 1
        assert file_actions.switch_to(window, tmp_path / "other.sqlite3")
        assert view.database is window.workspace.database
        assert w(view, QTableView, "referenceListsTable").model().rowCount() == 0

        assert file_actions.switch_to(window, demo.path)
        gate = threading.Event()
        real = screening.build_index

        def gated(*args, **kwargs):
            gate.wait(20)
            return real(*args, **kwargs)

        with pytest.MonkeyPatch.context() as mp:
            mp.setattr(screening, "build_index", gated)
            job = view.start_full_run()
            assert job is not None and job.running
            releaser = threading.Timer(0.05, gate.set)
            releaser.start()
            window.close()  # cancels the run and waits for its thread
            releaser.join()
            assert job.cancelled
            assert not job.running
    finally:
        session.close()
    with demo.sessions() as s:
        assert s.scalars(select(ScreeningHit)).all() == []


def test_a_list_without_hits_does_not_ask_to_import_a_list(qtbot, db):
    with db.session() as s:
        load_demo(s)  # nobody in the demo data is on the test list
    d = ScreeningDialog(db)
    qtbot.addWidget(d)
    try:
        run_job(qtbot, d, lambda: d.import_list(V1))
        assert w(d, QTableView, "screeningHits").model().rowCount() == 0
        text = w(d, QLabel, "screeningSummary").text()
        assert text.startswith("No hits.")
        assert "after importing a list" not in text
    finally:
        d.stop()


def test_show_record_steps_the_screening_window_aside_and_screening_brings_it_back(qtbot, demo):
    from chinadialog_desktop.ui import app as ui_app
    from chinadialog_desktop.ui.screening import actions as screening_actions

    with demo.sessions() as s:
        actor_id = s.scalars(select(Actor.id).where(Actor.name_de == "Hikvision GmbH")).one()
    session = ui_app.start(demo.path)
    window = session.window
    qtbot.addWidget(window)
    try:
        qtbot.waitUntil(lambda: window.workspace is not None, timeout=20000)
        view = screening_actions.open_screening(window)
        assert view is not None
        view.sig_open_record.emit("actor", actor_id)
        assert view.isMinimized()  # it stays on top of the main window otherwise
        assert window.pages["actor"].current_id() == actor_id
        assert screening_actions.open_screening(window) is view
        assert not view.isMinimized()
    finally:
        session.close()


def test_names_are_never_cut_on_the_left_at_1024_pixels(qtbot, dialog, demo):
    """At the 1008 px a 1024×768 screen gives the window, the hits fit without sideways
    scrolling: moving to the last column cannot push "Our record" off to the left; a name
    too long for its column ends in "…" and is whole in the tooltip."""
    from PySide6.QtTest import QTest

    with demo.session() as s:
        s.add(
            Actor(
                name_de="Harbin Institute of Technology – Außenstelle für deutsch-chinesische "
                "Hochschulzusammenarbeit (Beispiel)",
                name_zh="哈尔滨工业大学",
                kind="university",
                country="CN",
            )
        )
    dialog.resize(1008, 728)
    run_job(qtbot, dialog, lambda: dialog.import_list(V1))
    table = w(dialog, QTableView, "screeningHits")
    qtbot.waitUntil(lambda: table.horizontalScrollBar().maximum() == 0, timeout=20000)
    header = table.horizontalHeader()
    last = header.count() - 1
    assert header.sectionViewportPosition(last) + header.sectionSize(last) <= (
        table.viewport().width()
    )
    long_row = hit_row_of(table, "Außenstelle")
    pick(dialog, long_row)
    for _ in range(header.count()):
        QTest.keyClick(table, Qt.Key.Key_Right)
    assert table.currentIndex().column() == last
    assert table.horizontalScrollBar().value() == 0
    assert header.sectionViewportPosition(1) >= 0
    assert table.textElideMode() == Qt.TextElideMode.ElideRight
    index = table.model().index(long_row, 1)
    assert table.fontMetrics().horizontalAdvance(index.data()) > header.sectionSize(1)
    assert index.data(Qt.ItemDataRole.ToolTipRole) == index.data()


def test_a_reopened_hit_shows_the_earlier_decision_in_words(qtbot, german, dialog, demo):
    """Dismissed, then the entry changed on the list (v2): the hit is open again, and the
    window says what was decided before and why, with no codes of the list's format."""
    run_job(qtbot, dialog, lambda: dialog.import_list(V1))
    table = w(dialog, QTableView, "screeningHits")
    pick(dialog, hit_row_of(table, "Hikvision GmbH"))
    dialog.reason_edit.setText("Deutsche Vertriebsgesellschaft, nicht gelistet (Beispiel)")
    assert dialog.decide(screening.DISMISSED)
    run_job(qtbot, dialog, lambda: dialog.import_list(V2))
    assert dialog.last_run.reopened_hit_ids
    row = hit_row_of(table, "Hikvision GmbH")
    pick(dialog, row)
    hit = dialog.selected_hit()
    assert hit.status == screening.OPEN
    shown = dialog.compare.text()
    assert "Früher verworfen von" in shown, shown
    assert "Deutsche Vertriebsgesellschaft, nicht gelistet (Beispiel)" in shown
    assert "erneut" in shown  # decide again
    status_tip = table.model().index(row, 5).data(Qt.ItemDataRole.ToolTipRole)
    assert "Deutsche Vertriebsgesellschaft" in status_tip
    # The kind and the identifier of the listed entity in German words.
    assert "Unternehmen" in shown and "Einheitlicher Sozialkreditcode" in shown
    for code in ("Company", "Organization", "uscCode", "actor", "contact", "dismissed"):
        assert code not in shown, code
