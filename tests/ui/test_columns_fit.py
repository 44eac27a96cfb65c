"""Columns of a list started empty are fitted when data arrives (issue 15, point 9)."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication

from chinadialog_desktop.services.demo import load_demo
from chinadialog_desktop.ui import app as ui_app


@pytest.fixture
def window(qtbot, tmp_path):
    session = ui_app.start(tmp_path / "leer.sqlite3")
    qtbot.addWidget(session.window)
    with qtbot.waitSignal(session.window.sig_list_filled, timeout=20000):
        pass
    qtbot.waitUntil(session.window.attached, timeout=20000)  # the database took over
    session.window.resize(1280, 720)
    yield session.window
    session.close()


def _widths(page) -> list[int]:
    header = page.table.horizontalHeader()
    return [header.sectionSize(c) for c in range(header.count())]


def test_demo_data_loaded_into_an_empty_window_gets_fitted_columns(qtbot, window):
    page = window.pages["partnership"]
    assert page.model.rowCount() == 0
    empty = _widths(page)
    with window.workspace.database.session() as s:
        load_demo(s)
    window.reload_all()  # what the welcome dialog's "load demo data" does afterwards
    qtbot.waitUntil(lambda: page.model.rowCount() > 0)
    # The titles of the demo partnerships are longer than the header "Title".
    qtbot.waitUntil(lambda: _widths(page)[0] > empty[0])
    header = page.table.horizontalHeader()
    last = header.count() - 1
    assert header.sectionViewportPosition(last) < page.table.viewport().width()
    # A page that was hidden meanwhile (its list not even bound yet: pages read their
    # records when first shown) is fitted to its data when it is shown, not to its header.
    actors = window.pages["actor"]
    window.show_page("actor")
    qtbot.waitUntil(lambda: actors.model.rowCount() > 0)
    header = actors.table.horizontalHeader()
    name_header = header.fontMetrics().horizontalAdvance(str(actors.model.headerData(0, 1)))
    qtbot.waitUntil(lambda: _widths(actors) and _widths(actors)[0] > name_header + 40)


def test_a_column_the_user_sized_keeps_its_width(qtbot, window):
    page = window.pages["partnership"]
    header = page.table.horizontalHeader()
    header.resizeSection(0, 61)  # by hand
    with window.workspace.database.session() as s:
        load_demo(s)
    window.reload_all()
    qtbot.waitUntil(lambda: page.model.rowCount() > 0)
    QApplication.processEvents()  # a (wrongly) queued refit would run now
    assert header.sectionSize(0) == 61


def _ends(page) -> int:
    header = page.table.horizontalHeader()
    last = header.count() - 1
    return header.sectionViewportPosition(last) + header.sectionSize(last)


@pytest.mark.parametrize("key", ["partnership", "actor", "dossier"])
def test_at_1024_pixels_the_lists_do_not_scroll_sideways(qtbot, tmp_path, key):
    """The window a 1024×768 screen gets (1008 px wide): every column fits the list."""
    from chinadialog_desktop.persistence.database import Database

    path = tmp_path / "demo.sqlite3"
    database = Database.open(path)
    with database.session() as s:
        load_demo(s)
    database.close()
    session = ui_app.start(path)
    window = session.window
    qtbot.addWidget(window)
    try:
        qtbot.waitUntil(lambda: window.workspace is not None, timeout=20000)
        window.resize(1008, 728)
        page = window.show_page(key)
        qtbot.waitUntil(lambda: page.model is not None and page.model.rowCount() > 0)
        table = page.table
        qtbot.waitUntil(lambda: table.horizontalScrollBar().maximum() == 0, timeout=20000)
        QApplication.processEvents()
        assert table.horizontalScrollBar().maximum() == 0
        assert _ends(page) <= table.viewport().width()
        # The name keeps a fair share; a cut name is readable in full in its tooltip.
        header = table.horizontalHeader()
        assert header.sectionSize(0) >= int(table.viewport().width() * 0.25)
        index = page.model.index(0, 0)
        assert index.data(Qt.ItemDataRole.ToolTipRole) == index.data()
        assert table.textElideMode() == Qt.TextElideMode.ElideRight
    finally:
        session.close()


def test_fitted_widths_sum_to_the_room_and_keep_the_name_readable():
    from chinadialog_desktop.ui.common.column_fit import FLOOR, fitted_widths

    assert fitted_widths([100, 50, 60], 400) == [100, 50, 60]  # all fit: unchanged
    widths = fitted_widths([300, 150, 170, 90, 70, 80], 433)
    assert sum(widths) <= 433
    assert widths[0] >= 129  # 30 % for the name
    assert min(widths) >= FLOOR
    assert widths[4] == 60 or widths[4] <= 70  # a narrow column is never widened
    # The name column of the screening hits is the second one.
    widths = fitted_widths([33, 400, 199, 138, 49, 107, 245, 118], 980, name_column=1)
    assert sum(widths) <= 980 and widths[0] == 33 and widths[1] >= 294
    # Too narrow even for the floor: the name gives way, nothing goes below the floor.
    widths = fitted_widths([300, 150, 170], 120)
    assert widths == [FLOOR, FLOOR, FLOOR]


def test_short_columns_stay_whole_beside_long_names():
    """The partnership list at 1024 px (natural widths of the demo data): the status, the
    date and the file reference show whole; the long names give way, down to the floor."""
    from chinadialog_desktop.ui.common.column_fit import FLOOR, NAME_SHARE_SHORT, fitted_widths

    widths = fitted_widths([349, 870, 269, 170, 68, 76, 45], 447)
    assert widths[4:] == [68, 76, 45]
    assert min(widths[1:4]) >= FLOOR and sum(widths) <= 447
    assert widths[0] >= int(447 * NAME_SHARE_SHORT)
    # Too little room for that: all shrink evenly as before, nothing below the floor.
    widths = fitted_widths([349, 870, 269, 170, 68, 76, 45], 400)
    assert widths[4] == FLOOR and widths[5] == FLOOR and sum(widths) <= 400


def test_a_shortened_header_names_the_field_in_full_in_its_tooltip(qtbot):
    from chinadialog_desktop.i18n import set_language
    from chinadialog_desktop.services.records.rows import ListQuery
    from chinadialog_desktop.ui.records.partnership_model import PartnershipTableModel

    model = PartnershipTableModel(lambda _query: [], lambda _ids: [], ListQuery(sort="title"))
    column = next(n for n, (key, _h) in enumerate(model.columns) if key == "file_reference")
    set_language("de")
    try:
        horizontal = Qt.Orientation.Horizontal
        assert model.headerData(column, horizontal) == "Az."
        assert model.headerData(column, horizontal, Qt.ItemDataRole.ToolTipRole) == "Aktenzeichen"
        assert model.headerData(0, horizontal, Qt.ItemDataRole.ToolTipRole) == "Titel"
    finally:
        set_language("en")
