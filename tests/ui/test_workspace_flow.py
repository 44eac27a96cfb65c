"""A user's day in the workspace, driven through the real window's widgets by objectName.

Creates an actor pair, a partnership with three activities, a source and a
dossier linking them; edits, undoes and redoes; deletes and undoes the
delete; quits; and finds everything again after a restart on the same file.
"""

from __future__ import annotations

from datetime import date

import pytest
from PySide6.QtCore import QPoint, Qt
from PySide6.QtTest import QTest
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QLabel,
    QLineEdit,
    QPushButton,
    QTableView,
    QWidget,
)
from sqlalchemy import func, select

from chinadialog_desktop.persistence.database import Database
from chinadialog_desktop.persistence.models import (
    Activity,
    Actor,
    Dossier,
    DossierPartnership,
    DossierSection,
    DossierSource,
    Partnership,
    PartnershipParty,
    Source,
)
from chinadialog_desktop.ui import app as ui_app
from chinadialog_desktop.ui.common import confirm
from chinadialog_desktop.ui.records.rich_text import RichTextEdit


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
        assert session.window.workspace is not None
        return session

    yield start
    for session in sessions:
        session.close()


@pytest.fixture
def always_confirm(monkeypatch):
    asked = []

    def ask(_parent, what):
        asked.append(what)
        return True

    monkeypatch.setattr(confirm, "ask_delete", ask)
    return asked


def w(window, cls, name):
    widget = window.findChild(cls, name)
    assert widget is not None, name
    return widget


def type_line(qtbot, window, name, text):
    """Type into a line edit and leave it (Return), as a user finishes a field."""
    line = w(window, QLineEdit, name)
    line.setFocus()
    line.selectAll()
    if not text:
        line.clear()
    elif text.isascii():
        qtbot.keyClicks(line, text)  # ASCII only: QtTest aborts on other characters
    else:
        line.setText(text)
    qtbot.keyClick(line, Qt.Key.Key_Return)
    return line


def choose(window, name, data):
    combo = w(window, QComboBox, name)
    index = combo.findData(data)
    assert index >= 0, (name, data)
    combo.setCurrentIndex(index)
    combo.activated.emit(index)


def write_text(window, name, text):
    """A plain text field gets ``text``; a rich-text field gets it as Markdown."""
    edit = w(window, QWidget, name)
    if isinstance(edit, RichTextEdit):
        edit.setMarkdown(text)
    else:
        edit.setPlainText(text)
    edit.flush()


def click(qtbot, window, name):
    button = w(window, QPushButton, name)
    assert button.isEnabled(), name
    qtbot.mouseClick(button, Qt.MouseButton.LeftButton)


def pick_actor(qtbot, window, search=""):
    """In the picker "Add party" opened: type ``search`` and take the first match (Return)."""
    picker = w(window, QWidget, "partyPanel").picker
    assert picker.isVisible()
    if search:
        qtbot.keyClicks(picker.search, search)
    qtbot.keyClick(picker.search, Qt.Key.Key_Return)
    assert not picker.isVisible()


def count(database, model):
    with database.sessions() as s:
        return s.scalar(select(func.count()).select_from(model))


def new_record(window, page):
    window.show_page(page)
    assert window.action_new.isEnabled()
    window.action_new.trigger()
    editor = window.current_page().editor
    assert editor.uuid is not None
    return editor


def test_a_working_day_survives_undo_delete_and_restart(tmp_path, started, qtbot, always_confirm):
    path = tmp_path / "arbeit.sqlite3"
    session = started(path)
    window = session.window
    database = session.database

    # -- two actors ------------------------------------------------------------
    new_record(window, "actor")
    type_line(qtbot, window, "actorNameDe", "Braunschweig")
    new_record(window, "actor")
    type_line(qtbot, window, "actorNameDe", "Zhuhai")
    type_line(qtbot, window, "actorNameZh", "珠海市")
    type_line(qtbot, window, "actorCountry", "CN")
    choose(window, "actorKind", "city")
    assert window.pages["actor"].model.rowCount() == 2

    # -- a partnership with parties and three activities ------------------------
    editor = new_record(window, "partnership")
    assert w(window, QLineEdit, "partnershipTitle").hasFocus()  # ready to type the title
    type_line(qtbot, window, "partnershipTitle", "Braunschweig-Zhuhai")
    choose(window, "partnershipType", "twin_city")
    type_line(qtbot, window, "partnershipStartDate", "2011")
    w(window, QCheckBox, "partnershipFieldsOfAction_education_culture").setChecked(True)
    click(qtbot, window, "partyAdd")
    pick_actor(qtbot, window)  # the first one listed
    click(qtbot, window, "partyAdd")
    pick_actor(qtbot, window)
    for n, (when, title) in enumerate(
        [("12.09.2011", "Signing"), ("05.2015", "Delegation"), ("2019", "Student exchange")]
    ):
        click(qtbot, window, "activityAdd")
        type_line(qtbot, window, "activityTitle", title)
        type_line(qtbot, window, "activityDate", when)
        choose(window, "activityKind", ["agreement", "delegation", "exchange"][n])
    write_text(window, "activityOutcome", "Austausch von 20 Schülerinnen und Schülern")
    assert w(window, QTableView, "activityTable").model().rowCount() == 3

    with database.sessions() as s:
        p = s.scalars(select(Partnership)).one()
        assert (p.title, p.type, p.start_date, p.start_precision) == (
            "Braunschweig-Zhuhai",
            "twin_city",
            date(2011, 1, 1),
            "year",
        )
        assert p.fields_of_action == ["education_culture"]
        assert sorted((x.actor.name_de, x.role) for x in p.parties) == [
            ("Braunschweig", "german"),
            ("Zhuhai", "chinese"),
        ]
        assert [(a.date, a.date_precision, a.title) for a in p.activities] == [
            (date(2011, 9, 12), "day", "Signing"),
            (date(2015, 5, 1), "month", "Delegation"),
            (date(2019, 1, 1), "year", "Student exchange"),
        ]
        assert p.activities[2].outcome.startswith("Austausch")
    # The list shows the parties the editor added.
    model = window.pages["partnership"].model
    assert "Zhuhai (珠海市)" in [model.index(r, 2).data() for r in range(model.rowCount())]
    partnership_uuid = editor.uuid

    # -- a source ----------------------------------------------------------------
    new_record(window, "source")
    type_line(qtbot, window, "sourceTitle", "Partnerschaftsvertrag")
    type_line(qtbot, window, "sourceAuthor", "Stadt Braunschweig")
    type_line(qtbot, window, "sourceYear", "2011")
    type_line(qtbot, window, "sourceUrl", "https://www.braunschweig.de/")

    # -- a dossier linking them ---------------------------------------------------
    new_record(window, "dossier")
    type_line(qtbot, window, "dossierTitle", "Vorlage Zhuhai")
    choose(window, "dossierAudience", "committee")
    write_text(window, "section_summary_text", "Die Partnerschaft ist **aktiv**.")
    click(qtbot, window, "dossierPartnershipAdd")
    click(qtbot, window, "dossierSourceAdd")
    with database.sessions() as s:
        d = s.scalars(select(Dossier)).one()
        assert d.audience == "committee"
        summary = [x.body for x in d.sections if x.key == "summary"]
        assert summary == ["Die Partnerschaft ist **aktiv**."]
        assert [link.partnership.title for link in d.partnership_links] == ["Braunschweig-Zhuhai"]
        assert [(c.number, c.source.title) for c in d.source_links] == [
            (1, "Partnerschaftsvertrag")
        ]

    # -- edit, undo, redo (across records) -----------------------------------------
    window.open_record("partnership", p.id)
    type_line(qtbot, window, "partnershipTitle", "Braunschweig-Zhuhai 2011")
    window.show_page("dossier")
    type_line(qtbot, window, "dossierTitle", "Vorlage")
    window.action_undo.trigger()  # the dossier title
    window.action_undo.trigger()  # the partnership title, on another page
    with database.sessions() as s:
        assert s.scalars(select(Partnership.title)).one() == "Braunschweig-Zhuhai"
        assert s.scalars(select(Dossier.title)).one() == "Vorlage Zhuhai"
    assert w(window, QLineEdit, "dossierTitle").text() == "Vorlage Zhuhai"
    window.action_redo.trigger()
    with database.sessions() as s:
        assert s.scalars(select(Partnership.title)).one() == "Braunschweig-Zhuhai 2011"
    window.open_record("partnership", p.id)
    assert w(window, QLineEdit, "partnershipTitle").text() == "Braunschweig-Zhuhai 2011"

    # -- delete (asks first) and undo the delete ---------------------------------
    window.pages["partnership"].table.setFocus()
    window.action_delete.trigger()
    assert always_confirm == ["Braunschweig-Zhuhai 2011"]
    assert count(database, Partnership) == 0
    assert count(database, Activity) == 0
    assert count(database, DossierPartnership) == 0
    assert window.pages["partnership"].model.rowCount() == 0
    window.action_undo.trigger()
    assert count(database, Partnership) == 1
    assert count(database, Activity) == 3
    assert count(database, PartnershipParty) == 2
    assert count(database, DossierPartnership) == 1
    with database.sessions() as s:
        assert s.scalars(select(Partnership.uuid)).one() == partnership_uuid
    assert window.pages["partnership"].model.rowCount() == 1
    assert window.pages["partnership"].editor.uuid == partnership_uuid

    # -- quit and start again on the same file ------------------------------------
    window.action_quit.trigger()
    assert not window.isVisible()
    session.close()

    again = started(path).window
    assert again.model.rowCount() == 1
    again.pages["partnership"].select_id(again.model.record_id(0))
    assert w(again, QLineEdit, "partnershipTitle").text() == "Braunschweig-Zhuhai 2011"
    assert w(again, QLineEdit, "partnershipStartDate").text() in ("2011",)
    assert w(again, QTableView, "activityTable").model().rowCount() == 3
    assert w(again, QTableView, "partyTable").model().rowCount() == 2
    assert again.pages["actor"].model.rowCount() == 2
    assert again.pages["source"].model.rowCount() == 1
    dossiers = again.pages["dossier"]
    assert dossiers.model.rowCount() == 1
    again.show_page("dossier")
    dossiers.select_id(dossiers.model.record_id(0))
    assert (
        w(again, RichTextEdit, "section_summary_text").toPlainText().startswith("Die Partnerschaft")
    )
    assert w(again, QTableView, "dossierSourceTable").model().rowCount() == 1
    database2 = Database.open(path)
    try:
        assert count(database2, DossierSource) == 1
        assert count(database2, DossierSection) == 5
        assert count(database2, Source) == 1
        assert count(database2, Actor) == 2
    finally:
        database2.close()


def test_invalid_and_missing_values_are_shown_inline_and_not_saved(tmp_path, started, qtbot):
    from chinadialog_desktop.services.records import validation

    session = started(tmp_path / "x.sqlite3")
    window = session.window
    new_record(window, "partnership")
    type_line(qtbot, window, "partnershipStartDate", "31.02.2020")
    error = w(window, QLabel, "partnershipStartDateError")
    assert error.isVisibleTo(window) and error.text().startswith(validation.date_error())
    type_line(qtbot, window, "partnershipTitle", "")
    assert w(window, QLabel, "partnershipTitleError").isVisibleTo(window)
    # Nothing else is blocked: the status still saves.
    choose(window, "partnershipStatus", "planned")
    with session.database.sessions() as s:
        p = s.scalars(select(Partnership)).one()
        assert p.start_date is None and p.title and p.status == "planned"
    # An end before the start is saved, but flagged.
    type_line(qtbot, window, "partnershipStartDate", "2020")
    assert not w(window, QLabel, "partnershipStartDateError").isVisibleTo(window)
    type_line(qtbot, window, "partnershipEndDate", "03.2019")
    assert w(window, QLabel, "partnershipEndDateError").isVisibleTo(window)
    with session.database.sessions() as s:
        assert s.scalars(select(Partnership.end_date)).one() == date(2019, 3, 1)


def test_a_concurrent_edit_in_a_second_app_is_detected_and_can_be_reloaded(
    tmp_path, started, qtbot
):
    path = tmp_path / "shared.sqlite3"
    first = started(path).window
    new_record(first, "actor")
    type_line(qtbot, first, "actorNameDe", "Kiel")
    second = started(path).window  # another app instance on the same file
    second.show_page("actor")
    second.pages["actor"].select_id(second.pages["actor"].model.record_id(0))
    type_line(qtbot, second, "actorRegion", "Schleswig-Holstein")

    type_line(qtbot, first, "actorRegion", "Holstein")  # based on the old version
    bar = w(first, QWidget, "messageBar")
    assert bar.isVisibleTo(first)
    reload_button = w(first, QPushButton, "messageBarReload")
    assert reload_button.isVisibleTo(first)
    with second.workspace.database.sessions() as s:
        assert s.scalars(select(Actor.region)).one() == "Schleswig-Holstein"
    qtbot.mouseClick(reload_button, Qt.MouseButton.LeftButton)
    assert not bar.isVisibleTo(first)
    assert w(first, QLineEdit, "actorRegion").text() == "Schleswig-Holstein"
    type_line(qtbot, first, "actorRegion", "SH")  # after the reload, saving works again
    with second.workspace.database.sessions() as s:
        assert s.scalars(select(Actor.region)).one() == "SH"
    assert not first.workspace.undo_stack.canRedo()


def test_an_actor_still_in_a_partnership_is_not_deleted(tmp_path, started, qtbot, always_confirm):
    session = started(tmp_path / "x.sqlite3")
    window = session.window
    new_record(window, "actor")
    new_record(window, "partnership")
    click(qtbot, window, "partyAdd")
    pick_actor(qtbot, window)
    window.show_page("actor")
    window.pages["actor"].select_id(window.pages["actor"].model.record_id(0))
    window.pages["actor"].table.setFocus()
    window.action_delete.trigger()
    assert count(session.database, Actor) == 1
    assert w(window, QWidget, "messageBar").isVisibleTo(window)
    assert w(window, QLabel, "messageBarText").text()
    assert not w(window, QPushButton, "messageBarReload").isVisibleTo(window)


def test_delete_key_in_the_timeline_removes_the_activity_only(
    tmp_path, started, qtbot, always_confirm
):
    session = started(tmp_path / "x.sqlite3")
    window = session.window
    new_record(window, "partnership")
    click(qtbot, window, "activityAdd")
    click(qtbot, window, "activityAdd")
    table = w(window, QTableView, "activityTable")
    table.setFocus()
    window.action_delete.trigger()
    assert count(session.database, Activity) == 1
    assert count(session.database, Partnership) == 1
    window.action_undo.trigger()
    assert count(session.database, Activity) == 2


def test_window_layout_is_remembered(tmp_path, started, qtbot):
    path = tmp_path / "x.sqlite3"
    window = started(path).window
    window.resize(760, 560)  # inside the offscreen platform's 800×600 screen
    window.show_page("source")
    splitter = window.pages["source"].splitter
    before = splitter.sizes()
    # The user's hand: the handle dragged 60 pixels to the left.
    handle = splitter.handle(1)
    middle = handle.rect().center()
    QTest.mousePress(handle, Qt.MouseButton.LeftButton, pos=middle)
    QTest.mouseMove(handle, middle - QPoint(60, 0))
    QTest.mouseRelease(handle, Qt.MouseButton.LeftButton, pos=middle - QPoint(60, 0))
    sizes = splitter.sizes()
    assert sizes != before
    window.close()
    assert window.settings.value("window/geometry") is not None
    again = started(path).window
    assert again.size().width() == 760
    again.show_page("source")  # a hidden splitter has no sizes to compare yet
    qtbot.waitUntil(lambda: again.pages["source"].splitter.sizes() == sizes)


def test_ctrl_f_opens_the_search_and_a_hit_opens_its_record(tmp_path, started, qtbot):
    from PySide6.QtWidgets import QDialog

    session = started(tmp_path / "x.sqlite3")
    window = session.window
    editor = new_record(window, "partnership")
    type_line(qtbot, window, "partnershipTitle", "Kiel-Qingdao")
    target = editor.record_id
    window.show_page("actor")
    window.action_find.trigger()
    dialog = window.findChild(QDialog, "searchDialog")
    assert dialog is not None and dialog.isVisible()
    dialog.sig_open.emit("partnership", target)
    assert window.current_page().kind == "partnership"
    assert window.current_page().editor.record_id == target


def test_filter_box_narrows_the_list_and_the_count_follows(tmp_path, started, qtbot):
    session = started(tmp_path / "x.sqlite3")
    window = session.window
    for name in ("Kiel", "Aachen", "Zhuhai"):
        new_record(window, "actor")
        type_line(qtbot, window, "actorNameDe", name)
    page = window.show_page("actor")
    qtbot.keyClicks(w(window, QLineEdit, "actorFilter"), "ach")
    assert page.model.rowCount() == 1
    assert page.model.index(0, 0).data() == "Aachen"
    assert "1" in w(window, QLabel, "countLabel").text()
    choose(window, "actorFilterKind", "university")
    assert page.model.rowCount() == 0
    w(window, QLineEdit, "actorFilter").clear()
    choose(window, "actorFilterKind", "")
    assert page.model.rowCount() == 3
    assert "3" in w(window, QLabel, "countLabel").text()


def test_editing_a_record_another_app_deleted_offers_a_reload(
    tmp_path, started, qtbot, always_confirm
):
    path = tmp_path / "shared.sqlite3"
    first = started(path).window
    new_record(first, "source")
    type_line(qtbot, first, "sourceTitle", "Bericht")
    second = started(path).window
    page = second.show_page("source")
    page.select_id(page.model.record_id(0))
    second.pages["source"].table.setFocus()
    second.action_delete.trigger()
    assert always_confirm == ["Bericht"]
    type_line(qtbot, first, "sourceAuthor", "Stadt Kiel")
    assert w(first, QPushButton, "messageBarReload").isVisibleTo(first)
    qtbot.mouseClick(w(first, QPushButton, "messageBarReload"), Qt.MouseButton.LeftButton)
    assert first.pages["source"].model.rowCount() == 0
    assert first.pages["source"].editor.uuid is None


def test_sorting_by_a_header_keeps_the_selected_record(tmp_path, started, qtbot):
    session = started(tmp_path / "x.sqlite3")
    window = session.window
    for title in ("Bonn-Wuhan", "Aachen-Ningbo", "Celle-Hefei"):
        new_record(window, "partnership")
        type_line(qtbot, window, "partnershipTitle", title)
    page = window.pages["partnership"]
    chosen = page.current_id()
    header = page.table.horizontalHeader()
    header.setSortIndicator(0, Qt.SortOrder.DescendingOrder)  # as a click on the header does
    titles = [page.model.index(r, 0).data() for r in range(page.model.rowCount())]
    assert titles == ["Celle-Hefei", "Bonn-Wuhan", "Aachen-Ningbo"]
    assert page.current_id() == chosen
    assert page.editor.record_id == chosen


def test_identifiers_in_the_wrong_form_are_flagged_and_not_saved(tmp_path, started, qtbot):
    session = started(tmp_path / "x.sqlite3")
    window = session.window
    new_record(window, "actor")
    type_line(qtbot, window, "actorAgs", "0310")
    assert w(window, QLabel, "actorAgsError").isVisibleTo(window)
    type_line(qtbot, window, "actorWebsite", "https://www.braunschweig.de")
    assert not w(window, QLabel, "actorWebsiteError").isVisibleTo(window)
    with session.database.sessions() as s:
        actor = s.scalars(select(Actor)).one()
        assert (actor.ags, actor.website) == (None, "https://www.braunschweig.de")
    type_line(qtbot, window, "actorAgs", "03101000")
    assert not w(window, QLabel, "actorAgsError").isVisibleTo(window)
    with session.database.sessions() as s:
        assert s.scalars(select(Actor.ags)).one() == "03101000"


def test_a_register_hit_opens_its_partnership_at_the_register_tab(tmp_path, started, qtbot):
    """Search finds the registers (review finding); a gift opens on the gifts tab."""
    from PySide6.QtWidgets import QDialog, QTabWidget

    from chinadialog_desktop.persistence.models_registers import Gift
    from chinadialog_desktop.services.demo import load_demo

    path = tmp_path / "demo.sqlite3"
    database = Database.open(path)
    with database.session() as s:
        load_demo(s)
        gift = s.scalars(select(Gift).where(Gift.title.like("Porzellanvase%"))).one()
        gift_id, partnership_id = gift.id, gift.partnership_id
    database.close()
    window = started(path).window
    window.show_page("actor")
    window.action_find.trigger()
    dialog = window.findChild(QDialog, "searchDialog")
    dialog.set_query("Porzellanvase")
    assert dialog.open_current()
    page = window.current_page()
    assert page.kind == "partnership" and page.editor.record_id == partnership_id
    tabs = page.editor.findChild(QTabWidget, "partnershipTabs")
    assert tabs.currentWidget() is page.editor.registers["gifts"]
    assert dialog.results.groups[0].hits[0].record_id == gift_id  # the hit was the gift
