"""The registers on the partnership editor: real widgets, real file, edits undone and redone."""

from __future__ import annotations

import pytest
from helpers.window import started_window, type_line, w
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QComboBox, QLabel, QPushButton, QTableView, QTabWidget
from sqlalchemy import select

from chinadialog_desktop.domain.registers import REGISTERS
from chinadialog_desktop.persistence.models import Gift, Incident, Partnership


@pytest.fixture
def window(qtbot, tmp_path, german):
    with started_window(qtbot, tmp_path / "register #ä 登记.sqlite3") as started:
        yield started


def choose(window, name, data):
    combo = w(window, QComboBox, name)
    index = combo.findData(data)
    assert index >= 0, (name, data)
    combo.setCurrentIndex(index)
    combo.activated.emit(index)


def new_partnership(qtbot, window, title):
    window.show_page("partnership")
    window.action_new.trigger()
    type_line(qtbot, window, "partnershipTitle", title)


def test_each_register_has_its_tab_with_a_german_title(window, qtbot):
    new_partnership(qtbot, window, "Braunschweig–Zhuhai (Beispiel)")
    tabs = w(window, QTabWidget, "partnershipTabs")
    titles = [tabs.tabText(i) for i in range(tabs.count())]
    for title in (
        "Delegationsreisen",
        "Geschenke und Bewirtungen",
        "Gesprächskontakte",
        "Vorfälle",
    ):
        assert title in titles
    for register in REGISTERS:
        assert w(window, QPushButton, f"{register.record_kind}Add").isEnabled()


def test_a_gift_is_entered_with_value_and_decision_and_undone(window, qtbot):
    new_partnership(qtbot, window, "Braunschweig–Zhuhai (Beispiel)")
    qtbot.mouseClick(w(window, QPushButton, "giftAdd"), Qt.MouseButton.LeftButton)
    type_line(qtbot, window, "giftTitle", "Porzellanvase (Beispiel)")
    type_line(qtbot, window, "giftDate", "16.04.2024")
    type_line(qtbot, window, "giftValueCents", "1.250,50")
    choose(window, "giftDecision", "handed_over")
    type_line(qtbot, window, "giftDecidedBy", "Personalamt (Beispiel)")
    database = window.workspace.database
    with database.sessions() as s:
        gift = s.scalars(select(Gift)).one()
        partnership = s.scalars(select(Partnership)).one()
        assert (gift.title, gift.date.isoformat(), gift.value_cents, gift.decision) == (
            "Porzellanvase (Beispiel)",
            "2024-04-16",
            125050,
            "handed_over",
        )
        assert gift.partnership_id == partnership.id
    table = w(window, QTableView, "giftTable")
    model = table.model()
    shown = [model.index(0, c).data() for c in range(model.columnCount())]
    assert (
        "16.04.2024" in shown and "1.250,50\u00a0€" in shown and "An die Kommune abgegeben" in shown
    )
    window.action_undo.trigger()  # decided by
    window.action_undo.trigger()  # the decision
    with database.sessions() as s:
        assert s.scalars(select(Gift)).one().decision == "pending"
    window.action_redo.trigger()
    with database.sessions() as s:
        assert s.scalars(select(Gift)).one().decision == "handed_over"


def test_a_wrong_amount_or_date_is_refused_in_german_and_nothing_is_stored(window, qtbot):
    new_partnership(qtbot, window, "Kiel–Qingdao (Beispiel)")
    qtbot.mouseClick(w(window, QPushButton, "giftAdd"), Qt.MouseButton.LeftButton)
    type_line(qtbot, window, "giftValueCents", "zwölf Euro")
    type_line(qtbot, window, "giftDate", "31.02.2024")
    with window.workspace.database.sessions() as s:
        gift = s.scalars(select(Gift)).one()
        assert gift.value_cents is None and gift.date.isoformat() != "2024-02-31"
    money = w(window, QLabel, "giftValueCentsError").text()
    day = w(window, QLabel, "giftDateError").text()
    assert money.startswith("Kein Eurobetrag") and "Datum" in day, (money, day)


def test_an_incident_is_removed_and_the_removal_undone(window, qtbot, monkeypatch):
    from chinadialog_desktop.ui.common import confirm

    monkeypatch.setattr(confirm, "ask_delete", lambda _parent, _what: True)
    new_partnership(qtbot, window, "Braunschweig–Zhuhai (Beispiel)")
    qtbot.mouseClick(w(window, QPushButton, "incidentAdd"), Qt.MouseButton.LeftButton)
    type_line(qtbot, window, "incidentTitle", "Phishing-E-Mail (Beispiel)")
    choose(window, "incidentKind", "cyber")
    type_line(qtbot, window, "incidentReportedTo", "Informationssicherheit (Beispiel)")
    table = w(window, QTableView, "incidentTable")
    assert table.model().rowCount() == 1
    table.selectRow(0)
    qtbot.mouseClick(w(window, QPushButton, "incidentRemove"), Qt.MouseButton.LeftButton)
    with window.workspace.database.sessions() as s:
        assert s.scalars(select(Incident)).all() == []
    assert table.model().rowCount() == 0
    window.action_undo.trigger()
    with window.workspace.database.sessions() as s:
        incident = s.scalars(select(Incident)).one()
        assert (incident.kind, incident.reported_to) == (
            "cyber",
            "Informationssicherheit (Beispiel)",
        )
    assert table.model().rowCount() == 1


def test_a_visit_ending_before_it_starts_is_shown_under_the_end(window, qtbot):
    new_partnership(qtbot, window, "Braunschweig–Zhuhai (Beispiel)")
    qtbot.mouseClick(w(window, QPushButton, "visitAdd"), Qt.MouseButton.LeftButton)
    type_line(qtbot, window, "visitStartDate", "10.03.2025")
    type_line(qtbot, window, "visitEndDate", "01.03.2025")
    assert w(window, QLabel, "visitEndDateError").text() == "Das Ende liegt vor dem Beginn."
    table = w(window, QTableView, "visitTable")
    assert table.model().index(0, 0).data() == "10.03.2025"


def test_the_import_wizard_names_register_fields_by_their_captions(german):
    from chinadialog_desktop.services.datasets.field_labels import field_label

    assert field_label("gifts", "value_cents") == "Wert (geschätzt) (value_cents)"
    assert field_label("incidents", "reported_to") == "Meldung an (reported_to)"
