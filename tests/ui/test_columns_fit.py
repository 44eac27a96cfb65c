"""Columns of a list started empty are fitted when data arrives (issue 15, point 9)."""

from __future__ import annotations

import pytest
from PySide6.QtWidgets import QApplication

from chinadialog_desktop.services.demo import load_demo
from chinadialog_desktop.ui import app as ui_app


@pytest.fixture
def window(qtbot, tmp_path):
    session = ui_app.start(tmp_path / "leer.sqlite3")
    qtbot.addWidget(session.window)
    with qtbot.waitSignal(session.window.sig_list_filled, timeout=20000):
        pass
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
