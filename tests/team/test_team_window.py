"""The window on a team server: the connect dialog, switching, recent connections, outages."""

from __future__ import annotations

import socket

import pytest
from PySide6.QtWidgets import QLabel, QWidget

from chinadialog_desktop.cli import main
from chinadialog_desktop.persistence.server import parse_target
from chinadialog_desktop.ui import app as ui_app
from chinadialog_desktop.ui.files import file_actions
from chinadialog_desktop.ui.files.team_dialog import TeamServerDialog


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


def test_the_dialog_builds_the_address_and_names_what_is_missing(qtbot):
    dialog = TeamServerDialog()
    qtbot.addWidget(dialog)
    assert dialog.tls.currentData() == "verify-full"  # the safe mode is the default
    dialog.fill("", 5433, "chinadialog", "m.muster", "verify-full")
    dialog.accept()
    assert dialog.result() != dialog.DialogCode.Accepted and dialog.address == ""
    assert "host" in dialog.findChild(QLabel, "teamProblem").text()
    dialog.fill("db.stadt.example", 5433, "chinadialog", "m.muster", "require")
    dialog.accept()
    assert (
        dialog.address == "postgresql://m.muster@db.stadt.example:5433/chinadialog?sslmode=require"
    )
    target = parse_target(dialog.address)
    assert (target.host, target.port, target.user, target.sslmode) == (
        "db.stadt.example",
        5433,
        "m.muster",
        "require",
    )


def test_the_window_switches_to_a_team_server_and_back(pg_server, pg_database, tmp_path, started):
    address = f"{pg_database}?sslmode=disable"  # the test server speaks no TLS
    assert main(["--db", address, "demo", "load"]) == 0
    first = tmp_path / "lokal.sqlite3"
    session = started(first)
    window = session.window

    assert file_actions.switch_to(window, address)
    assert window.workspace.database.location.startswith(pg_database.split("?")[0])
    assert window.findChild(QLabel, "databasePathLabel").text().startswith("postgresql://")
    page = window.show_page("partnership")
    titles = {page.model.index(r, 0).data() for r in range(page.model.rowCount())}
    assert "Braunschweig–Zhuhai" in titles

    # An edit in the window goes to the server.
    window.show_page("actor")
    before = pg_server.sql("SELECT count(*) FROM actor", parse_target(pg_database).database)
    window.action_new.trigger()
    after = pg_server.sql("SELECT count(*) FROM actor", parse_target(pg_database).database)
    assert after[0][0] == before[0][0] + 1

    # The connection is remembered (without a password) and offered again.
    recent = window.recent_menu.recent
    assert address in recent.entries()
    window.recent_menu.rebuild()
    shown = [a.text() for a in window.recent_menu.actions()]
    database = parse_target(pg_database).database
    assert any(f"postgres@127.0.0.1:{pg_server.port}/{database}" in text for text in shown), shown

    # Backups of a server are the server's: one sentence, no file dialog.
    file_actions.show_backups(window)
    assert "pg_dump" in window.findChild(QLabel, "messageBarText").text()

    # Back to the file; the window's file folder was kept meanwhile.
    assert file_actions.switch_to(window, first)
    assert session.database.path == first.resolve()
    assert window.database_path == first.resolve()


def test_an_unreachable_server_keeps_the_current_database(tmp_path, started):
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    session = started(tmp_path / "lokal.sqlite3")
    window = session.window
    address = f"postgresql://m.muster@127.0.0.1:{port}/chinadialog?sslmode=disable"
    assert not file_actions.switch_to(window, address)
    assert window.workspace is not None
    assert session.database.path == (tmp_path / "lokal.sqlite3").resolve()
    assert window.findChild(QWidget, "messageBar").isVisibleTo(window)
    text = window.findChild(QLabel, "messageBarText").text()
    assert str(port) in text and "Traceback" not in text and "psycopg" not in text
    assert "cannot be reached" in text or "nicht erreichbar" in text
    assert "postgresql://" not in text and "sslmode" not in text  # the server, said once


def test_the_lists_follow_another_officials_change(pg_database, tmp_path, started, qtbot):
    """Another process (another client) adds a partnership; the window's list shows it."""
    import os
    import subprocess
    import sys
    from pathlib import Path

    address = f"{pg_database}?sslmode=disable"
    session = started(tmp_path / "lokal.sqlite3")
    window = session.window
    assert file_actions.switch_to(window, address)
    page = window.show_page("partnership")
    assert page.model.rowCount() == 0
    root = Path(__file__).resolve().parents[2]
    other = subprocess.run(
        [sys.executable, "-m", "chinadialog_desktop", "--db", address, "demo", "load"],
        env=dict(os.environ, PYTHONPATH=str(root)),
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert other.returncode == 0, other.stderr
    with qtbot.waitSignal(window.change_follower.sig_changed):
        pass
    qtbot.waitUntil(lambda: page.model.rowCount() == 17)
    # Who, as the server's audit trail says: the login role of the other client.
    assert "postgres" in window.statusBar().currentMessage()


def test_the_windows_own_changes_are_not_reported_as_someone_elses(pg_database, tmp_path, started):
    session = started(tmp_path / "lokal.sqlite3")
    window = session.window
    assert file_actions.switch_to(window, f"{pg_database}?sslmode=disable")
    window.show_page("actor")
    window.action_new.trigger()
    changes = window.change_follower.watcher.poll(timeout=5)
    assert changes and all(c.own for c in changes)


def test_the_dialog_remembers_the_last_fields_but_never_the_password(qtbot, tmp_path):
    """Review finding: the fields entered last time were forgotten."""
    from PySide6.QtCore import QSettings

    from chinadialog_desktop.services import team
    from chinadialog_desktop.ui.preferences.settings import Settings

    store_path = tmp_path / "settings.ini"
    prefs = Settings(QSettings(str(store_path), QSettings.Format.IniFormat))
    first = TeamServerDialog(preferences=prefs)
    qtbot.addWidget(first)
    first.fill("db.stadt.example", 5433, "partner_db", "m.muster", "verify-ca")
    first.accept()
    assert first.address
    prefs.store.sync()

    again = TeamServerDialog(
        preferences=Settings(QSettings(str(store_path), QSettings.Format.IniFormat))
    )
    qtbot.addWidget(again)
    assert (again.host.text(), again.port.value(), again.database.text(), again.user.text()) == (
        "db.stadt.example",
        5433,
        "partner_db",
        "m.muster",
    )
    assert again.tls.currentData() == "verify-ca"
    assert again.password.text() == ""
    stored = store_path.read_text(encoding="utf-8")
    assert "m.muster@db.stadt.example:5433/partner_db" in stored
    assert "password" not in stored.lower()  # what is kept is the address, which has none
    assert team.describe(first.address) == "m.muster@db.stadt.example:5433/partner_db"


def test_a_new_dialog_starts_with_the_defaults(qtbot, tmp_path):
    from PySide6.QtCore import QSettings

    from chinadialog_desktop.ui.preferences.settings import Settings

    prefs = Settings(QSettings(str(tmp_path / "empty.ini"), QSettings.Format.IniFormat))
    dialog = TeamServerDialog(preferences=prefs)
    qtbot.addWidget(dialog)
    assert (dialog.host.text(), dialog.port.value(), dialog.database.text()) == (
        "",
        5432,
        "chinadialog",
    )
    assert dialog.tls.currentData() == "verify-full"


@pytest.mark.parametrize("lang", ["de", "en"])
def test_the_password_placeholder_is_shown_whole(qtbot, lang):
    """Review finding: the placeholder text was cut."""
    from PySide6.QtWidgets import QStyle, QStyleOptionFrame

    from chinadialog_desktop.i18n import set_language

    set_language(lang)  # the autouse fixture sets English back afterwards
    dialog = TeamServerDialog()
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.waitExposed(dialog)
    edit = dialog.password
    option = QStyleOptionFrame()
    edit.initStyleOption(option)
    contents = edit.style().subElementRect(QStyle.SubElement.SE_LineEditContents, option, edit)
    margins = edit.textMargins()
    room = contents.width() - margins.left() - margins.right() - 4  # QLineEdit's own margin
    assert edit.fontMetrics().horizontalAdvance(edit.placeholderText()) <= room
