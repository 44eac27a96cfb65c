"""Sorting the partnership list by a header click opens no record.

Seen under X11: the click that brings the window back to the front first gives the list
its keyboard focus again, and Qt marks the first row as current (without selecting it);
the page took that for a choice and opened the first partnership. Offscreen the same
happens when the window is activated again and the header clicked, as here.
"""

from __future__ import annotations

import pytest
from helpers.window import started_window
from PySide6.QtCore import QPoint, Qt
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication, QWidget

from chinadialog_desktop.ui.records.partnership_model import COLUMNS


@pytest.fixture
def window(qtbot, demo_db):
    with started_window(qtbot, demo_db.path) as window:
        yield window


def _away_and_back(qtbot, window) -> None:
    """Another window in front, then this one activated again (what a click does on X11)."""
    other = QWidget()
    qtbot.addWidget(other)
    other.show()
    other.activateWindow()
    qtbot.waitUntil(lambda: QApplication.activeWindow() is other)
    window.activateWindow()
    qtbot.waitUntil(lambda: QApplication.activeWindow() is window)


def _click_header(qtbot, table, key: str) -> None:
    column = next(n for n, (k, _h) in enumerate(COLUMNS) if k == key)
    header = table.horizontalHeader()
    x = header.sectionViewportPosition(column) + header.sectionSize(column) // 2
    QTest.mouseClick(header.viewport(), Qt.MouseButton.LeftButton, pos=QPoint(x, 5))
    qtbot.waitUntil(lambda: header.sortIndicatorSection() == column)


def test_a_header_click_sorts_and_opens_nothing(qtbot, window):
    page = window.current_page()
    table = page.table
    assert page.editor.record_id is None
    first_before = table.model().index(0, 0).data()
    _away_and_back(qtbot, window)
    _click_header(qtbot, table, "since")
    assert table.model().index(0, 0).data() != first_before  # sorted by "Seit"
    assert page.editor.record_id is None
    assert table.selectionModel().selectedRows() == []


def test_a_header_click_keeps_the_open_record_open(qtbot, window):
    page = window.current_page()
    table = page.table
    rect = table.visualRect(table.model().index(3, 0))
    QTest.mouseClick(table.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    opened = page.editor.record_id
    assert opened is not None
    _away_and_back(qtbot, window)
    _click_header(qtbot, table, "since")
    assert page.editor.record_id == opened
    assert page.current_id() == opened  # still the selected row, wherever it went


def test_the_first_row_marked_by_focus_opens_on_a_click_or_space(qtbot, window):
    """Qt's focus mark on the first row is no choice; choosing that row still opens it."""
    page = window.current_page()
    table = page.table
    _away_and_back(qtbot, window)
    assert page.editor.record_id is None
    marked = table.currentIndex()
    if marked.isValid():  # the focus mark (X11 and offscreen alike set it on focus-in)
        QTest.keyClick(table, Qt.Key.Key_Space)
        assert page.editor.record_id == page.model.record_id(marked.row())
    rect = table.visualRect(table.model().index(0, 0))
    QTest.mouseClick(table.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    assert page.editor.record_id == page.model.record_id(0)
