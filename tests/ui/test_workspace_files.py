"""Database files in the window: switch to another file, a refused file, the welcome offer."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDialog, QLabel, QLineEdit, QPushButton, QWidget
from sqlalchemy import select

from chinadialog_desktop.persistence.database import Database
from chinadialog_desktop.persistence.models import Actor, Dossier
from chinadialog_desktop.ui import app as ui_app
from chinadialog_desktop.ui.files import file_actions
from chinadialog_desktop.ui.preferences.settings import AUTHOR_NAME, DEFAULT_CLASSIFICATION


@pytest.fixture
def started(qtbot):
    sessions = []

    def start(path, **kwargs):
        session = ui_app.start(path, **kwargs)
        sessions.append(session)
        qtbot.addWidget(session.window)
        with qtbot.waitSignal(session.window.sig_list_filled, timeout=20000):
            pass
        qtbot.waitUntil(session.window.attached, timeout=20000)  # the database took over
        return session

    yield start
    for session in sessions:
        session.close()


def test_switching_files_shows_the_other_file_and_closes_the_first(tmp_path, started, qtbot):
    first, second = tmp_path / "a.sqlite3", tmp_path / "b.sqlite3"
    other = Database.open(second)
    with other.session() as s:
        s.add(Actor(name_de="Wuhan", name_zh="武汉", country="CN"))
    other.close()
    session = started(first)
    window = session.window
    window.show_page("actor")
    window.action_new.trigger()
    assert window.pages["actor"].model.rowCount() == 1
    assert window.workspace.undo_stack.canUndo()

    assert file_actions.switch_to(window, second)
    assert session.database.path == second.resolve()
    assert window.findChild(QLabel, "databasePathLabel").text() == str(second.resolve())
    page = window.pages["actor"]
    assert page.model.rowCount() == 1
    assert page.model.index(0, 0).data() == "Wuhan"
    assert not window.workspace.undo_stack.canUndo()  # history belongs to the other file
    page.select_id(page.model.record_id(0))
    assert window.findChild(QLineEdit, "actorNameZh").text() == "武汉"
    assert str(second.resolve()) in [str(p) for p in window.recent_menu.recent.paths()]


def test_a_file_that_cannot_be_opened_keeps_the_current_one(tmp_path, started):
    session = started(tmp_path / "good.sqlite3")
    window = session.window
    bad = tmp_path / "bad.sqlite3"
    bad.write_bytes(b"no database")
    assert not file_actions.switch_to(window, bad)
    assert window.workspace is not None
    assert session.database.path == (tmp_path / "good.sqlite3").resolve()
    assert window.findChild(QWidget, "messageBar").isVisibleTo(window)
    assert str(bad) in window.findChild(QLabel, "messageBarText").text()
    assert bad.read_bytes() == b"no database"


def test_new_dossiers_take_author_and_classification_from_the_preferences(tmp_path, started):
    session = started(tmp_path / "x.sqlite3")
    window = session.window
    window.preferences.set(AUTHOR_NAME, "Frau Dr. Weber")
    window.preferences.set(DEFAULT_CLASSIFICATION, "internal")
    window.show_page("dossier")
    window.action_new.trigger()
    with session.database.sessions() as s:
        dossier = s.scalars(select(Dossier)).one()
        assert (dossier.author, dossier.classification) == ("Frau Dr. Weber", "internal")


def test_an_empty_file_offers_the_demo_data_once_asked_to_welcome(tmp_path, started, qtbot):
    session = started(tmp_path / "x.sqlite3", welcome=True)
    window = session.window
    qtbot.waitUntil(lambda: window.findChild(QDialog, "welcomeDialog") is not None)
    dialog = window.findChild(QDialog, "welcomeDialog")
    assert dialog.isVisible()
    qtbot.mouseClick(dialog.findChild(QPushButton, "loadDemoButton"), Qt.MouseButton.LeftButton)
    assert not dialog.isVisible()
    assert window.model.rowCount() > 10
    assert window.pages["actor"].model.rowCount() > 10
    # The place filters now know the provinces of the demo data.
    box = window.pages["partnership"].filter_boxes["province"]
    assert box.findData("Guangdong") >= 0


def test_without_the_welcome_flag_no_dialog_appears(tmp_path, started):
    window = started(tmp_path / "x.sqlite3").window
    assert window.findChild(QDialog, "welcomeDialog") is None


def test_restoring_a_backup_closes_and_reopens_the_file_in_the_window(
    tmp_path, started, qtbot, monkeypatch
):
    from chinadialog_desktop.persistence import backup
    from chinadialog_desktop.ui.files import backups_dialog

    path = tmp_path / "x.sqlite3"
    session = started(path)
    window = session.window
    window.show_page("actor")
    window.action_new.trigger()
    name = window.findChild(QLineEdit, "actorNameDe")
    name.setText("Kiel")
    name.editingFinished.emit()
    backup.make_backup(path, "manual")
    name.setText("Hamburg")
    name.editingFinished.emit()
    closed_first = []

    def run_dialog(dialog):
        dialog.list.topLevelItem(0).setSelected(True)
        monkeypatch.setattr(dialog, "confirm", lambda _chosen: True)
        closed_first.append(window.workspace is None)  # before: still open
        dialog.sig_about_to_restore.connect(lambda _p: closed_first.append(window.workspace))
        assert dialog.restore_selected()
        return 0

    monkeypatch.setattr(backups_dialog.BackupsDialog, "exec", run_dialog)
    window.commands["actionBackups"].trigger()
    assert closed_first == [False, None]  # the file was closed before it was replaced
    assert window.workspace is not None
    page = window.pages["actor"]
    assert [page.model.index(r, 0).data() for r in range(page.model.rowCount())] == ["Kiel"]
    assert not window.workspace.undo_stack.canUndo()


def test_help_about_shows_the_about_dialog_with_the_database_path(tmp_path, started, monkeypatch):
    from chinadialog_desktop.ui.help import about_dialog

    shown = []
    monkeypatch.setattr(about_dialog.AboutDialog, "exec", lambda dialog: shown.append(dialog) or 0)
    window = started(tmp_path / "x.sqlite3").window
    window.action_about.trigger()
    assert len(shown) == 1
    texts = " ".join(label.text() for label in shown[0].findChildren(QLabel))
    assert "x.sqlite3" in texts


def test_ctrl_p_exports_the_selected_dossier_as_a_pdf_and_records_it(tmp_path, started, qtbot):
    from chinadialog_desktop.persistence.models import BriefingExport
    from chinadialog_desktop.services import demo

    path = tmp_path / "x.sqlite3"
    database = Database.open(path)
    with database.session() as s:
        demo.load_demo(s)
    database.close()
    session = started(path)
    window = session.window
    assert window.commands["actionExportBriefing"].shortcut().toString() == "Ctrl+P"
    assert window.export_briefing() is None  # not on the dossier page: says what to do
    assert window.findChild(QWidget, "messageBar").isVisibleTo(window)
    page = window.show_page("dossier")
    page.select_id(page.model.record_id(0))
    target = tmp_path / "out" / "vorlage.pdf"
    exporter = window.export_briefing(path=target)
    assert exporter is not None
    with qtbot.waitSignal(exporter.sig_finished, timeout=60000) as finished:
        pass
    assert finished.args == [target]
    assert target.read_bytes().startswith(b"%PDF")
    with session.database.sessions() as s:
        export = s.scalars(select(BriefingExport)).one()
        assert export.file_name == "vorlage.pdf"


def test_closing_the_window_during_an_export_cancels_it_cleanly(tmp_path, started, qtbot):
    from chinadialog_desktop.services import demo

    path = tmp_path / "x.sqlite3"
    database = Database.open(path)
    with database.session() as s:
        demo.load_demo(s)
    database.close()
    window = started(path).window
    page = window.show_page("dossier")
    page.select_id(page.model.record_id(0))
    target = tmp_path / "b.pdf"
    exporter = window.export_briefing(path=target)
    window.close()
    assert exporter.task is not None and exporter.task.cancelled
    assert exporter.task.worker is not None and not exporter.task.worker.isRunning()
    qtbot.wait(50)  # the queued result (or cancellation) arrives without harm
