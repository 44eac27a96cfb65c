"""At 1024×768 the partnership editor shows every tab and the lists' captions end in "…".

Review findings: the register tabs hid behind scroll arrows, and the "Aktenzeichen"
column's caption was clipped mid-word. Real widgets on the demo data, offscreen.
"""

from __future__ import annotations

import pytest
from helpers.window import demo_window_at_1024
from PySide6.QtCore import QPoint, QRect, Qt
from PySide6.QtWidgets import QTabWidget, QToolButton

from chinadialog_desktop.domain.registers import REGISTERS


@pytest.fixture
def window(qtbot, tmp_path, german):
    with demo_window_at_1024(qtbot, tmp_path / "klein.sqlite3") as window:
        yield window


def test_every_partnership_tab_is_in_sight_and_switches(qtbot, window):
    page = window.show_page("partnership")
    page.select_id(page.model.record_id(0))
    editor = page.editor
    tabs = editor.findChild(QTabWidget, "partnershipTabs")
    qtbot.waitUntil(lambda: tabs.isVisible())
    assert not tabs.tabBar().isVisible()  # no bar, so no scroll arrows
    buttons = sorted(
        (
            b
            for b in editor.findChildren(QToolButton)
            if b.objectName().startswith("partnershipTabsButton")
        ),
        key=lambda b: int(b.objectName().removeprefix("partnershipTabsButton")),
    )
    assert [b.text() for b in buttons] == [tabs.tabText(i) for i in range(tabs.count())]
    assert {"Delegationsreisen", "Geschenke und Bewirtungen", "Gesprächskontakte", "Vorfälle"} <= {
        b.text() for b in buttons
    }
    column = QRect(editor.viewport().mapToGlobal(QPoint(0, 0)), editor.viewport().size())
    for button in buttons:
        assert button.isVisibleTo(editor), button.text()
        where = QRect(button.mapToGlobal(QPoint(0, 0)), button.size())
        assert column.left() <= where.left() and where.right() <= column.right(), button.text()
        assert button.width() >= button.sizeHint().width()  # the whole text, not cut
    rows = {b.mapTo(editor.widget(), QPoint(0, 0)).y() for b in buttons}
    assert len(rows) > 1  # they wrapped: the eight do not fit one row here

    gifts = next(b for b in buttons if b.text() == "Geschenke und Bewirtungen")
    qtbot.mouseClick(gifts, Qt.MouseButton.LeftButton)
    assert tabs.tabText(tabs.currentIndex()) == "Geschenke und Bewirtungen"
    assert tabs.currentWidget() is editor.registers[REGISTERS[1].key]
    tabs.setCurrentIndex(0)  # Ctrl+Tab and the code switch tabs too: the buttons follow
    assert buttons[0].isChecked() and not gifts.isChecked()


def test_a_caption_too_long_for_its_column_ends_in_an_ellipsis(qtbot, window):
    page = window.show_page("partnership")
    header = page.table.horizontalHeader()
    model = page.table.model()
    assert header.textElideMode() == Qt.TextElideMode.ElideRight
    captions = [
        model.headerData(c, Qt.Orientation.Horizontal, Qt.ItemDataRole.DisplayRole)
        for c in range(header.count())
    ]
    tips = [
        model.headerData(c, Qt.Orientation.Horizontal, Qt.ItemDataRole.ToolTipRole)
        for c in range(header.count())
    ]
    # Every caption is named in full in its tooltip where the column cuts it; the file
    # reference's and the parties' list captions are short already ("Az.", "Dt. Partner"),
    # their tooltips the whole words.
    assert all(tip for tip in tips) and tips[3:5] == captions[3:5] and tips[0] == captions[0]
    assert (captions[1], tips[1]) == ("Dt. Partner", "Deutscher Partner")
    assert (captions[2], tips[2]) == ("Chin. Partner", "Chinesischer Partner")
    column = tips.index("Aktenzeichen")
    assert captions[column] == "Az."
