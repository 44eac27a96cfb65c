"""Switching the language re-translates the whole window: menus, lists, filters, editors."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLabel, QListWidget, QMenu

from chinadialog_desktop.i18n import _, language, set_language
from chinadialog_desktop.ui import app as ui_app
from chinadialog_desktop.ui.preferences.settings import switch_language


@pytest.fixture
def window(qtbot, tmp_path):
    before = language()
    set_language("de")
    session = ui_app.start(tmp_path / "x.sqlite3")
    qtbot.addWidget(session.window)
    with qtbot.waitSignal(session.window.sig_list_filled, timeout=20000):
        pass
    qtbot.waitUntil(session.window.attached, timeout=20000)  # the database took over
    yield session.window
    session.close()
    switch_language(before)


def _caption(window, object_name):
    """The form label whose buddy is the field ``object_name``."""
    field = window.findChild(object, object_name)
    for label in window.findChildren(QLabel):
        if label.buddy() is field:
            return label.text()
    raise AssertionError(object_name)


def test_switching_to_english_and_back(window):
    window.action_new.trigger()
    switch_language("en")
    sidebar = window.findChild(QListWidget, "sidebar")
    assert sidebar.item(0).text() == "Partnerships"
    assert window.findChild(QMenu, "editMenu").title() == "&Edit"
    assert window.action_new.text() == "&New record"
    page = window.pages["partnership"]
    assert page.filter_boxes["status"].itemText(0) == "Status: all"
    assert page.model.headerData(1, Qt.Orientation.Horizontal) == "Ger. party"
    assert _caption(window, "partnershipStartDate") == "Start"
    assert window.pages["partnership"].editor.uuid is not None  # still shows the record
    assert "1 partnership" in window.findChild(QLabel, "countLabel").text()

    switch_language("de")
    assert sidebar.item(0).text() == _("Partnerships")
    assert window.action_new.text() == _("&New record")
    assert _caption(window, "partnershipStartDate") == _("Start")
    if _("Partnerships") != "Partnerships":  # the German catalogue is compiled
        assert sidebar.item(0).text() == "Partnerschaften"


def test_the_checklists_page_keeps_its_buttons_after_a_language_switch(window):
    from PySide6.QtWidgets import QPushButton

    switch_language("en")
    details = window.pages["assessment"].editor
    for name in ("openAssessmentButton", "newAssessmentButton"):
        buttons = details.findChildren(QPushButton, name)
        assert len(buttons) == 1, name
        assert buttons[0].text().endswith("…")
    hint = window.findChild(QLabel, "assessmentDetailsHint")
    assert "chinadialog assessment" not in hint.text()  # answered in the app, not the CLI
