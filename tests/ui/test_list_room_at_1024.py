"""At 1024×768 the partnership list's captions can be read whole while no record is open.

Review finding: beside an empty editor (one hint sentence) the list got ~450 pixels and
cut "Deutscher Partner" and "Chinesischer Partner" to "Deut…" and "Chin…". Decided: the
empty editor side keeps only the room its hint needs and the list takes the rest; the
party columns are captioned "Dt. Partner" and "Chin. Partner" (in full in the tooltip);
a narrowed column keeps its caption whole where the title can spare the room. Opening a
record gives the editor its width back (the one saved for the next start).
"""

from __future__ import annotations

import pytest
from helpers.window import demo_window_at_1024
from PySide6.QtCore import Qt
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QPushButton

from chinadialog_desktop.ui.common.column_fit import caption_width
from chinadialog_desktop.ui.window.list_page import EMPTY_EDITOR_WIDTH


@pytest.fixture
def window(qtbot, tmp_path, german):
    with demo_window_at_1024(qtbot, tmp_path / "Städte #1 (Beispiel).sqlite3") as window:
        yield window


def _captions_whole(page) -> list[str]:
    """The captions cut in the list (empty: all can be read)."""
    header = page.table.horizontalHeader()
    model = page.table.model()
    return [
        model.headerData(c, Qt.Orientation.Horizontal)
        for c in range(header.count())
        if header.sectionSize(c) < caption_width(page.table, c)
    ]


def test_no_caption_is_cut_while_no_record_is_open(qtbot, window):
    page = window.show_page("partnership")
    qtbot.waitUntil(lambda: page.splitter.sizes()[1] <= EMPTY_EDITOR_WIDTH)
    page.size_columns()  # as the list's resize does on the next turn of the event loop
    assert _captions_whole(page) == []
    model = page.table.model()
    tips = {
        model.headerData(c, Qt.Orientation.Horizontal): model.headerData(
            c, Qt.Orientation.Horizontal, Qt.ItemDataRole.ToolTipRole
        )
        for c in range(model.columnCount())
    }
    assert tips["Dt. Partner"] == "Deutscher Partner"
    assert tips["Chin. Partner"] == "Chinesischer Partner"


def test_opening_a_record_gives_the_editor_its_width_back(qtbot, window):
    page = window.show_page("partnership")
    qtbot.waitUntil(lambda: page.splitter.sizes()[1] <= EMPTY_EDITOR_WIDTH)
    saved = page.layout_state()  # what is saved: the layout for working on a record
    table = page.table
    rect = table.visualRect(table.model().index(1, 0))
    QTest.mouseClick(table.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    assert page.editor.record_id is not None
    list_side, editor_side = page.splitter.sizes()
    assert editor_side > EMPTY_EDITOR_WIDTH + 100  # the editor's own width, not the hint's
    assert page.layout_state() == saved
    # Restored at the next start while no record is open: narrow again.
    page.editor.load(None)
    assert page.splitter.sizes()[1] <= EMPTY_EDITOR_WIDTH
    page.restore_layout(saved)
    assert page.splitter.sizes()[1] <= EMPTY_EDITOR_WIDTH
    page.editor.load(page.model.record_id(1))
    assert page.splitter.sizes() == [list_side, editor_side]


def test_a_details_page_gives_its_list_the_room_too(qtbot, window):
    """The Checklisten page (assessments): its details side shows the hint and its buttons."""
    page = window.show_page("assessment")
    qtbot.waitUntil(lambda: page.splitter.sizes()[1] < 320)
    page.size_columns()
    assert _captions_whole(page) == []
    buttons = page.editor.findChildren(QPushButton)
    assert buttons  # Prüfung öffnen …, Neue Prüfung …
    assert all(
        b.visibleRegion().boundingRect().width() == b.width() for b in buttons if b.isVisible()
    )
