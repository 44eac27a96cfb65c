"""When the team server is away (issue 17, point 8): one sentence, the last local copy
read-only, and no edit lost: kept on this computer and offered again once it is back.

The server is stopped as a crash or a cut network looks to the clients
(``pg_ctl stop -m immediate``) and started again on the same port and data. These
tests stop their own server, so the session's shared one is never disturbed.
"""

from __future__ import annotations

import json

import pytest
from helpers.pg_server import PgServer, missing_reason
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLabel, QLineEdit, QMessageBox, QPushButton, QWidget

from chinadialog_desktop.paths import user_data_dir
from chinadialog_desktop.persistence.database import Database
from chinadialog_desktop.persistence.server import parse_target
from chinadialog_desktop.services import team_offline, unit
from chinadialog_desktop.services.dbcopy import copy_database
from chinadialog_desktop.services.records import edit as records
from chinadialog_desktop.ui import app as ui_app
from chinadialog_desktop.ui.files import file_actions


@pytest.fixture(scope="module")
def own_server():
    reason = missing_reason()
    if reason is not None:
        pytest.skip(reason)
    from chinadialog_desktop.persistence.server_upgrade import upgrade_server

    server = PgServer.start()
    try:
        template = server.create_database("template")
        upgrade_server(parse_target(server.plain_url(template)))
        server.template = template
        yield server
    finally:
        server.stop()


@pytest.fixture
def server(own_server):
    """The module's server, running, with a fresh team database (``server.address``)."""
    if not (own_server.data / "postmaster.pid").exists():
        own_server.resume()  # a test that failed while it was stopped
    name = own_server.create_database("t", template=own_server.template)
    own_server.address = f"{own_server.plain_url(name)}?sslmode=disable"
    own_server.dbname = name
    yield own_server
    if not (own_server.data / "postmaster.pid").exists():
        own_server.resume()
    own_server.drop_database(name)


@pytest.fixture
def started(qtbot):
    sessions = []

    def start(path, wait=True):
        session = ui_app.start(path)
        sessions.append(session)
        qtbot.addWidget(session.window)
        if wait:
            with qtbot.waitSignal(session.window.sig_list_filled):
                pass
            qtbot.waitUntil(session.window.attached, timeout=20000)  # the database took over
        return session

    yield start
    for session in sessions:
        session.close()


def find(window, cls, name):
    widget = window.findChild(cls, name)
    assert widget is not None, name
    return widget


def bar_text(window):
    return find(window, QLabel, "messageBarText").text()


def type_title(qtbot, window, text):
    line = find(window, QLineEdit, "partnershipTitle")
    line.setFocus()
    line.selectAll()
    qtbot.keyClicks(line, text)
    qtbot.keyClick(line, Qt.Key.Key_Return)
    return line


def stored_title(server, uuid):
    rows = server.sql(f"SELECT title FROM partnership WHERE uuid = '{uuid}'", server.dbname)
    return rows[0][0] if rows else None


def on_server(qtbot, started, server, tmp_path):
    """A window on the team database showing a new partnership; a local copy taken."""
    session = started(tmp_path / "lokal.sqlite3")
    window = session.window
    assert file_actions.switch_to(window, server.address)
    window.show_page("partnership")
    window.action_new.trigger()
    type_title(qtbot, window, "Kiel-Qingdao (Beispiel)")
    copy = tmp_path / "Kopie #1 Büro.sqlite3"
    copy_database(server.address, str(copy))  # what a travelling official does (db copy)
    return session, window, window.pages["partnership"].editor.uuid, copy


def test_an_edit_while_the_server_is_away_is_kept_and_saved_when_it_is_back(
    server, started, qtbot, tmp_path
):
    session, window, uuid, _copy = on_server(qtbot, started, server, tmp_path)
    server.halt()

    line = type_title(qtbot, window, "Kiel-Qingdao 2027 (Beispiel)")
    # One sentence, naming the server once; the typed text stays where it was typed.
    assert find(window, QWidget, "messageBar").isVisibleTo(window)
    text = bar_text(window)
    assert "cannot be reached" in text and str(server.port) in text and "kept" in text
    assert "Traceback" not in text and "psycopg" not in text and "postgresql://" not in text
    assert line.text() == "Kiel-Qingdao 2027 (Beispiel)"
    kept = json.loads((user_data_dir() / team_offline.PENDING_FILE).read_text("utf-8"))
    assert [(k["uuid"], k["values"]) for k in kept] == [
        (uuid, {"title": "Kiel-Qingdao 2027 (Beispiel)"})
    ]
    assert "password" not in json.dumps(kept)
    # The window notices that the server is away, and later that it is back.
    follower = window.change_follower
    qtbot.waitUntil(lambda: follower.away)
    server.resume()
    with qtbot.waitSignal(follower.sig_back):
        pass
    assert stored_title(server, uuid) == "Kiel-Qingdao (Beispiel)"  # not saved behind one's back
    assert "1 change kept" in bar_text(window)
    qtbot.mouseClick(find(window, QPushButton, "messageBarSaveKept"), Qt.MouseButton.LeftButton)
    assert stored_title(server, uuid) == "Kiel-Qingdao 2027 (Beispiel)"
    assert team_offline.pending_edits(server.address) == []
    # Undo works on the saved edit as on any other.
    window.workspace.undo_stack.undo()
    assert stored_title(server, uuid) == "Kiel-Qingdao (Beispiel)"


def test_the_last_local_copy_opens_read_only_while_the_server_is_away(
    server, started, qtbot, tmp_path
):
    session, window, _uuid, copy = on_server(qtbot, started, server, tmp_path)
    server.halt()
    follower = window.change_follower
    qtbot.waitUntil(lambda: follower.away)
    assert "cannot be reached" in bar_text(window)
    button = find(window, QPushButton, "messageBarOpenCopy")
    assert "read-only" in button.text()
    qtbot.mouseClick(button, Qt.MouseButton.LeftButton)
    database = window.workspace.database
    assert database.path == copy.resolve() and database.readonly
    banner = window.readonly_banner
    assert banner.isVisibleTo(window) and "local copy" in banner.text()
    assert f"127.0.0.1:{server.port}" in banner.text() and "postgresql://" not in banner.text()
    page = window.show_page("partnership")
    qtbot.waitUntil(lambda: page.model.rowCount() == 1)
    assert not window.action_new.isEnabled()


def test_at_start_the_app_says_the_server_is_away_and_offers_the_local_copy(
    server, started, qtbot, tmp_path
):
    copy = tmp_path / "kopie.sqlite3"
    session = started(server.address)
    unit.write(session.database, lambda s: records.create(s, "actor", {"name_de": "A (Beispiel)"}))
    session.close()
    copy_database(server.address, str(copy))
    server.halt()

    session = started(server.address, wait=False)
    window = session.window
    qtbot.waitUntil(lambda: window.findChild(QMessageBox, "serverAwayBox") is not None)
    box = window.findChild(QMessageBox, "serverAwayBox")
    assert "cannot be reached" in box.text() and "Traceback" not in box.text()
    qtbot.mouseClick(find(box, QPushButton, "serverAwayOpenCopy"), Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: session.database is not None)
    assert session.database.path == copy.resolve() and session.database.readonly
    page = window.show_page("actor")
    qtbot.waitUntil(lambda: page.model.rowCount() == 1)
    assert session.error is None


def test_without_a_local_copy_the_sentence_stands_alone(server, started, qtbot, tmp_path):
    session = started(tmp_path / "lokal.sqlite3")
    window = session.window
    server.halt()
    assert not file_actions.switch_to(window, server.address)
    assert "cannot be reached" in bar_text(window)
    assert window.findChild(QPushButton, "messageBarOpenCopy") is None
    assert session.database.path == (tmp_path / "lokal.sqlite3").resolve()


def test_an_edit_kept_in_one_session_is_offered_in_the_next(server, started, qtbot, tmp_path):
    session, window, uuid, _copy = on_server(qtbot, started, server, tmp_path)
    server.halt()
    type_title(qtbot, window, "Gesichert (Beispiel)")
    session.close()  # the app ends while the server is away
    server.resume()
    session = started(server.address)
    window = session.window
    qtbot.waitUntil(lambda: find(window, QWidget, "messageBar").isVisibleTo(window))
    assert "1 change kept" in bar_text(window)
    qtbot.mouseClick(find(window, QPushButton, "messageBarSaveKept"), Qt.MouseButton.LeftButton)
    assert stored_title(server, uuid) == "Gesichert (Beispiel)"


def test_a_kept_edit_does_not_overwrite_what_another_official_saved_meanwhile(
    server, started, qtbot, tmp_path
):
    session, window, uuid, _copy = on_server(qtbot, started, server, tmp_path)
    server.halt()
    type_title(qtbot, window, "Meine Fassung (Beispiel)")
    follower = window.change_follower
    qtbot.waitUntil(lambda: follower.away)
    server.resume()
    other = Database.open(server.address)  # another official, as soon as the server is back
    try:
        unit.write(
            other,
            lambda s: records.update(s, "partnership", uuid, "title", "Andere Fassung (Beispiel)"),
        )
    finally:
        other.close()
    with qtbot.waitSignal(follower.sig_back):
        pass
    qtbot.mouseClick(find(window, QPushButton, "messageBarSaveKept"), Qt.MouseButton.LeftButton)
    assert stored_title(server, uuid) == "Andere Fassung (Beispiel)"
    assert "changed on the server meanwhile" in bar_text(window)
    assert "Meine Fassung (Beispiel)" in bar_text(window)
    assert len(team_offline.pending_edits(server.address)) == 1  # still kept


def test_the_window_takes_the_local_copy_itself(server, started, qtbot, tmp_path):
    session = started(tmp_path / "lokal.sqlite3")
    window = session.window
    # On a file there is nothing to copy from: one sentence.
    assert file_actions.take_local_copy(window, tmp_path / "x.sqlite3") is None
    assert "team server" in bar_text(window)
    assert file_actions.switch_to(window, server.address)
    window.show_page("actor")
    window.action_new.trigger()
    copy = tmp_path / "Reise Qingdao 2027.sqlite3"
    assert window.findChild(object, "actionTakeLocalCopy") is not None
    task = file_actions.take_local_copy(window, copy, synchronous=True)
    assert task.finished
    assert "Reise Qingdao 2027.sqlite3" in bar_text(window)
    assert team_offline.last_copy(server.address).path == copy.resolve()
    server.halt()
    qtbot.waitUntil(lambda: window.change_follower.away)
    qtbot.mouseClick(find(window, QPushButton, "messageBarOpenCopy"), Qt.MouseButton.LeftButton)
    page = window.show_page("actor")
    qtbot.waitUntil(lambda: page.model.rowCount() == 1)
    assert window.workspace.database.readonly


def test_text_typed_while_away_is_kept_when_the_window_closes(server, started, qtbot, tmp_path):
    from chinadialog_desktop.ui.records.rich_text import RichTextEdit

    session, window, uuid, _copy = on_server(qtbot, started, server, tmp_path)
    server.halt()
    description = find(window, RichTextEdit, "partnershipDescription")
    description.setFocus()
    qtbot.keyClicks(description, "Notiz unterwegs (Beispiel)")
    # Closing saves what was typed last (or the pause ended first): either way, with the
    # server away, it is kept.
    window.close()
    kept = team_offline.pending_edits(server.address)
    assert [(e.uuid, list(e.values)) for e in kept] == [(uuid, ["description"])]
    assert "Notiz unterwegs (Beispiel)" in kept[0].values["description"]


def test_discarding_the_kept_edits_asks_first(server, started, qtbot, tmp_path, german):
    """ "Verwerfen" loses what was typed for good: one question first; "Abbrechen" (the
    default) keeps the edit and offers it again, "Verwerfen" forgets it."""
    session, window, uuid, _copy = on_server(qtbot, started, server, tmp_path)
    server.halt()
    type_title(qtbot, window, "Fast verworfen (Beispiel)")
    session.close()
    server.resume()
    session = started(server.address)
    window = session.window
    qtbot.waitUntil(lambda: find(window, QWidget, "messageBar").isVisibleTo(window))

    def ask() -> QMessageBox:
        button = find(window, QPushButton, "messageBarDiscardKept")
        assert button.text() == "Verwerfen"
        qtbot.mouseClick(button, Qt.MouseButton.LeftButton)

        def shown() -> list[QMessageBox]:  # (an earlier, answered one may not be gone yet)
            return [b for b in window.findChildren(QMessageBox, "discardKeptBox") if b.isVisible()]

        qtbot.waitUntil(lambda: len(shown()) == 1)
        (box,) = shown()
        assert box.text() == (
            "Soll die 1 auf diesem Rechner aufbewahrte Änderung verworfen werden, sodass sie nie "
            "auf dem Teamserver gespeichert wird?"
        )
        assert box.defaultButton() is find(box, QPushButton, "discardKeptNo")
        return box

    box = ask()
    qtbot.mouseClick(find(box, QPushButton, "discardKeptNo"), Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: find(window, QWidget, "messageBar").isVisibleTo(window))
    assert len(team_offline.pending_edits(server.address)) == 1  # nothing lost
    assert "1 Änderung" in bar_text(window)  # offered again

    box = ask()
    qtbot.mouseClick(find(box, QPushButton, "discardKeptYes"), Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: team_offline.pending_edits(server.address) == [])
    assert stored_title(server, uuid) == "Kiel-Qingdao (Beispiel)"
    assert "verworfen" in window.statusBar().currentMessage()


def test_switching_the_language_while_the_server_is_away_says_so_in_the_assessment_window(
    server, qtbot
):
    """A language switch reloads the assessment window's choices; with the server away
    that is one sentence in the window, not an error escaping into Qt's event loop."""
    from PySide6.QtCore import QCoreApplication, QEvent

    from chinadialog_desktop.ui.assessment.view import AssessmentView

    database = Database.open(server.address)
    view = AssessmentView(database)
    qtbot.addWidget(view)
    server.halt()
    try:
        QCoreApplication.sendEvent(view, QEvent(QEvent.Type.LanguageChange))
        assert view.message_label.isVisibleTo(view)
        text = view.message_label.text()
        assert "cannot be reached" in text and str(server.port) in text
        assert "psycopg" not in text and "Traceback" not in text
    finally:
        server.resume()
        database.close()
