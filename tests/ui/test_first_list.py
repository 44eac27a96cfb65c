"""The window's first list, read before the database is opened (ui/window/first_list.py):
whatever it cannot answer itself opens the database first, then reads through it."""

from __future__ import annotations

from datetime import date

from PySide6.QtCore import Qt

from chinadialog_desktop.persistence.database import Database
from chinadialog_desktop.persistence.models import Partnership
from chinadialog_desktop.services import unit
from chinadialog_desktop.services.records.lists import ListQuery, list_ids
from chinadialog_desktop.ui import app as ui_app
from chinadialog_desktop.ui.records.table_model import BATCH_SIZE


def _file(tmp_path, n):
    path = tmp_path / "Partnerschaften #3 (Beispiel).sqlite3"
    database = Database.open(path)
    with database.session() as s:
        s.add_all(
            Partnership(title=f"Partnerschaft {i:03d} (Beispiel)", start_date=date(2020 - i, 1, 1))
            for i in range(n)
        )
    database.close()
    return path


def _orm_ids(path, query):
    database = Database.open(path)
    try:
        return unit.read(database, lambda s: list_ids(s, "partnership", query))
    finally:
        database.close()


def _first_list_only(qtbot, path):
    """The window with the first list shown and the database not yet opened."""
    session = ui_app.start(path)
    qtbot.addWidget(session.window)
    ui_app.open_database(session)  # what the first frame's timer does
    assert session.ready is not None and session.database is None
    assert session.window.workspace is None and session.window.model is not None
    return session


def test_another_sort_asked_for_first_opens_the_database(tmp_path, qtbot):
    path = _file(tmp_path, 30)
    session = _first_list_only(qtbot, path)
    try:
        model = session.window.model
        since = next(n for n, (key, _h) in enumerate(model.columns) if key == "since")
        model.sort(since, Qt.SortOrder.AscendingOrder)
        assert session.database is not None and session.window.workspace is not None
        assert model.ids() == _orm_ids(path, ListQuery(sort="since"))
        with qtbot.waitSignal(session.window.sig_list_filled, timeout=20000):
            pass
        assert session.window.pages["actor"].model is not None  # the rest is attached
    finally:
        session.close()


def test_rows_beyond_the_first_page_are_read_through_the_database(tmp_path, qtbot):
    path = _file(tmp_path, BATCH_SIZE + 20)
    session = _first_list_only(qtbot, path)
    try:
        model = session.window.model
        assert model.ids() == _orm_ids(path, ListQuery(sort="title"))
        first = model.row_at(0)
        assert session.database is None  # the first page answered that itself
        last = model.row_at(BATCH_SIZE + 19)
        assert session.database is not None  # this one needed the database
        assert first.title == "Partnerschaft 000 (Beispiel)"
        assert last.title == f"Partnerschaft {BATCH_SIZE + 19:03d} (Beispiel)"
    finally:
        session.close()


def test_closing_before_the_database_is_opened_lets_go_of_the_file(tmp_path, qtbot):
    from chinadialog_desktop.persistence.lifecycle import restore

    path = _file(tmp_path, 3)
    copy = tmp_path / "Kopie (Beispiel).sqlite3"
    copy.write_bytes(path.read_bytes())
    session = _first_list_only(qtbot, path)
    ready = session.ready  # held here: only its release lets go of the file
    session.close()
    assert session.ready is None and ready is not None
    restore(copy, path)  # refused while another window holds the file open


def test_a_window_that_never_paints_its_list_still_opens_the_database(tmp_path, qtbot):
    """Minimised or hidden before the list's frame: the database is opened all the same,
    at the latest when the start-up's collector pause ends (startup_gc.FALLBACK_MS)."""
    path = _file(tmp_path, 3)
    session = _first_list_only(qtbot, path)
    try:
        session.window.hide()
        qtbot.waitUntil(lambda: session.database is not None, timeout=30000)
        assert session.window.workspace is not None
        assert session.window.pages["actor"].model is not None
    finally:
        session.close()
