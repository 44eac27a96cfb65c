"""The main window offscreen on a real temporary database, driven through its widgets."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QFont
from PySide6.QtWidgets import (
    QAbstractButton,
    QAbstractItemView,
    QAbstractScrollArea,
    QAbstractSpinBox,
    QApplication,
    QComboBox,
    QLabel,
    QLineEdit,
    QMenu,
    QMenuBar,
    QMessageBox,
    QScrollArea,
    QWidget,
)

from chinadialog_desktop.ui import app as ui_app
from chinadialog_desktop.ui.common import fonts as ui_fonts
from chinadialog_desktop.ui.records.partnership_model import COLUMNS

INTERACTIVE = (
    QAbstractButton,
    QAbstractItemView,
    QAbstractSpinBox,
    QComboBox,
    QLineEdit,
    QMenu,
    QMenuBar,
)


@pytest.fixture
def started(qtbot):
    """``started(path)`` shows the window on ``path`` and waits until the list is filled."""
    sessions = []

    def start(path, wait_for="list"):
        session = ui_app.start(path)
        sessions.append(session)
        qtbot.addWidget(session.window)
        if wait_for == "list":
            with qtbot.waitSignal(session.window.sig_list_filled, timeout=20000):
                pass
            qtbot.waitUntil(session.window.attached, timeout=20000)  # the database took over
        return session

    yield start
    for session in sessions:
        session.close()


def _cell_texts(model):
    return [
        str(model.index(r, c).data() or "")
        for r in range(model.rowCount())
        for c in range(model.columnCount())
    ]


def test_window_lists_the_partnerships_from_the_database(filled_db, started, samples):
    session = started(filled_db.path)
    window = session.window
    assert window.objectName() == "mainWindow"
    assert window.isVisible()
    assert window.windowTitle()
    table = window.findChild(QWidget, "partnershipTable")
    assert table is not None and table.model() is window.model
    model = table.model()
    assert model.rowCount() == len(samples)
    assert model.columnCount() == len(COLUMNS)
    texts = _cell_texts(model)
    for title, german, chinese, zh, *_rest in samples:
        assert title in texts
        assert german in texts
        assert f"{chinese} ({zh})" in texts
    # The header is translated text, not the internal column ids.
    headers = [model.headerData(c, Qt.Orientation.Horizontal) for c in range(model.columnCount())]
    assert "german" not in headers and all(headers)


def test_status_bar_shows_database_path_and_count(filled_db, started, samples):
    window = started(filled_db.path).window
    path_label = window.findChild(QLabel, "databasePathLabel")
    assert path_label.text() == str(filled_db.path)
    count = window.findChild(QLabel, "countLabel").text()
    assert str(len(samples)) in count
    assert window.findChild(QLabel, "emptyHint").isHidden()


def test_empty_database_shows_a_hint(db, started):
    window = started(db.path).window
    assert window.model.rowCount() == 0
    hint = window.findChild(QLabel, "emptyHint")
    assert not hint.isHidden()
    assert "first steps" in hint.text()  # a window action, not a command line


def test_new_database_file_is_created_after_the_first_paint(tmp_path, started):
    path = tmp_path / "new" / "fresh.sqlite3"
    window = started(path).window
    assert path.is_file()
    assert window.model.rowCount() == 0


def unnamed_widgets(window):
    """Interactive widgets without objectName or accessible name.

    The parts of a compound widget (a line edit's clear button, a combo box's
    popup, a list's viewport and scroll bars) belong to it; a plain scroll area
    around an editor is only a container, so the fields inside it count.
    """
    unnamed = []
    for widget in [window, *window.findChildren(QWidget)]:
        interactive = bool(widget.focusPolicy() & Qt.FocusPolicy.TabFocus) or isinstance(
            widget, INTERACTIVE
        )
        if not interactive or widget.objectName().startswith("qt_"):  # Qt's own internals
            continue
        parent = widget.parentWidget()
        part_of_compound = False
        while parent is not None:
            if isinstance(parent, (*INTERACTIVE, QAbstractScrollArea)) and not isinstance(
                parent, (QScrollArea, QMenuBar, QMenu)
            ):
                part_of_compound = True
            parent = parent.parentWidget()
        if part_of_compound:
            continue
        if not widget.objectName() or not widget.accessibleName():
            unnamed.append((type(widget).__name__, widget.objectName()))
    return unnamed


def test_every_interactive_widget_has_object_and_accessible_name(filled_db, started):
    window = started(filled_db.path).window
    qtbot_wait_workspace(window)
    assert unnamed_widgets(window) == []
    checked = [w for w in window.findChildren(QWidget) if isinstance(w, INTERACTIVE)]
    assert len(checked) >= 50  # lists, filters and every editor's fields
    for name in (
        "menuBar",
        "fileMenu",
        "editMenu",
        "partnershipTable",
        "sidebar",
        "partnershipFilter",
        "partnershipTitle",
        "partnershipStartDate",
        "activityTable",
        "actorNameZh",
        "dossierTitle",
        "section_summary_text",
        "sourceUrl",
    ):
        child = window.findChild(QWidget, name)
        assert child is not None and child.accessibleName(), name
    assert window.action_quit.objectName() == "actionQuit"


def qtbot_wait_workspace(window):
    assert window.workspace is not None


def test_quit_closes_the_window(filled_db, started):
    window = started(filled_db.path).window
    window.action_quit.trigger()
    assert not window.isVisible()


def test_a_file_that_is_no_database_is_refused_with_a_dialog(tmp_path, started, qtbot):
    path = tmp_path / "notes.sqlite3"
    path.write_bytes(b"not a database at all")
    session = started(path, wait_for=None)
    qtbot.waitUntil(lambda: session.error is not None, timeout=20000)
    box = session.window.findChild(QMessageBox, "databaseErrorBox")
    assert box is not None and box.isVisible()
    assert str(path) in box.text()
    assert session.exit_code == 1
    assert session.window.model is None
    assert path.read_bytes() == b"not a database at all"
    box.button(QMessageBox.StandardButton.Close).click()
    assert not session.window.isVisible()


def test_pages_are_built_when_first_needed_in_the_place_of_their_stand_ins(
    tmp_path, started, qtbot
):
    """The first frame builds only the partnership list (PageMap); a page shown before the
    database is there is built then, in its place, and the list follows for all."""
    from PySide6.QtWidgets import QTabWidget

    from chinadialog_desktop.ui.window.list_page import ListPage
    from chinadialog_desktop.ui.window.pages import DATASET_PAGES, PAGES

    session = started(tmp_path / "Leer #3 (Beispiel).sqlite3", wait_for=None)
    window = session.window
    assert [key for key, _page in window.pages.built()] == ["partnership"]
    assert "dossier" in window.pages and window.pages.peek("dossier") is None
    page = window.show_page("dossier")
    assert isinstance(page, ListPage) and page.kind == "dossier"
    assert window.stack.currentWidget() is page and window.current_page() is page
    assert window.stack.count() == len(PAGES) + 1  # its stand-in is gone, nothing added
    assert window.windowTitle().startswith(page.heading.text())
    runs = window.show_page("datasets")  # the Datasets row: both of its lists, as tabs
    assert window.stack.currentWidget() is window.datasets_tabs
    assert window.datasets_tabs.currentWidget() is runs and runs.kind == "import_run"
    assert window.pages.peek("reference_list") is not None
    window.show_page("partnership")
    with qtbot.waitSignal(window.sig_list_filled, timeout=20000):
        pass
    qtbot.waitUntil(window.attached, timeout=20000)  # the database took over
    keys = [key for key, _page in window.pages.built()]
    assert sorted(keys) == sorted(spec.key for spec in (*PAGES, *DATASET_PAGES))
    shown = [window.stack.widget(i) for i in range(window.stack.count())]
    assert all(isinstance(w, ListPage | QTabWidget) for w in shown)
    assert [w.kind for w in shown if isinstance(w, ListPage)] == [spec.key for spec in PAGES]
    assert all(p.model is not None for p in window.pages.values())


def test_recent_files_and_leftovers_are_seen_to_once_the_list_is_there(tmp_path, started):
    """Bookkeeping that waits for the list's first frame (ui/app.py, ``tidy``) still
    happens: the file joins the recent list, a killed run's half-written copy beside it
    is removed."""
    import os

    from chinadialog_desktop.leftovers import part_name
    from chinadialog_desktop.persistence.database import Database
    from chinadialog_desktop.ui.files.recent_files import RecentFiles

    path = tmp_path / "Städte #2 (Beispiel).sqlite3"
    Database.open(path).close()
    half = part_name(path)
    half.write_bytes(b"half a copy")
    os.utime(half, (1_000_000_000, 1_000_000_000))  # from a run long before this one
    session = started(path)
    assert not half.exists()
    assert path.resolve() in [p.resolve() for p in RecentFiles(session.window.preferences).paths()]
    assert path.read_bytes()[:16] == b"SQLite format 3\x00"


def test_a_refused_file_switches_the_paused_garbage_collector_back_on(tmp_path, started, qtbot):
    """The window's start pauses the collector (ui/window/startup_gc.py); a start that
    ends in the error dialog, with no list ever coming, must not leave it off."""
    import gc

    from chinadialog_desktop.ui.window import startup_gc

    path = tmp_path / "Notizen #1 (Beispiel).sqlite3"
    path.write_bytes(b"not a database at all")
    startup_gc.pause()
    try:
        assert not gc.isenabled()
        session = started(path, wait_for=None)
        qtbot.waitUntil(lambda: session.error is not None, timeout=20000)
        assert gc.isenabled() and not startup_gc.paused()
        box = session.window.findChild(QMessageBox, "databaseErrorBox")
        box.button(QMessageBox.StandardButton.Close).click()
    finally:
        startup_gc.resume()
        gc.enable()


def test_startup_gc_leaves_a_collector_alone_that_someone_else_switched_off():
    import gc

    from chinadialog_desktop.ui.window import startup_gc

    gc.disable()
    try:
        startup_gc.pause()
        assert not startup_gc.paused()
        startup_gc.resume()
        assert not gc.isenabled()  # not ours to switch on
    finally:
        gc.enable()
    startup_gc.pause()
    assert startup_gc.paused() and not gc.isenabled()
    startup_gc.resume()
    startup_gc.resume()
    assert gc.isenabled() and not startup_gc.paused()


def test_bundled_font_becomes_application_font_without_system_cjk_font(qapp):
    before = QFont(qapp.font())
    try:
        setup = ui_fonts.install_fonts(qapp, system_cjk=())
        assert setup.bundled_families, "the bundled font file did not load"
        assert setup.bundled_is_application_font
        assert setup.bundled_families[0] in qapp.font().families()
    finally:
        qapp.setFont(before)


def test_system_cjk_font_keeps_the_application_font(qapp):
    before = QFont(qapp.font())
    try:
        setup = ui_fonts.install_fonts(qapp, system_cjk=("Some CJK Sans",))
        assert setup.bundled_families
        assert not setup.bundled_is_application_font
        assert qapp.font() == before
    finally:
        qapp.setFont(before)


def test_application_is_reused(qapp):
    assert ui_app.application() is QApplication.instance()


def test_columns_fit_into_the_window():
    from chinadialog_desktop.ui.window.main_window import fitting_cap

    assert fitting_cap([100, 200, 300], 700, 50) is None
    cap = fitting_cap([100, 400, 500], 700, 50)
    assert cap == 300 and 100 + 2 * cap == 700
    assert fitting_cap([100, 400, 500], 200, 90) == 90  # never narrower than the minimum


def test_wide_contents_do_not_push_columns_out_of_view(qtbot, db, started, add_partnership):
    long = "Sehr lange Bezeichnung einer Hochschulkooperation " * 4
    add_partnership(db, (long, long, long, "长" * 40, "university", "active", None, "day"))
    window = started(db.path).window
    # The offscreen test screen is 800×600, where the window now fits the screen; the list
    # is measured at the width of a common laptop window.
    window.resize(1280, 720)
    header = window.table.horizontalHeader()
    last = header.count() - 1
    qtbot.waitUntil(lambda: header.sectionViewportPosition(last) < window.table.viewport().width())
