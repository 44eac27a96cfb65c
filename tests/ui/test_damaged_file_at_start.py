"""A damaged database file at start: the window says so in one sentence of the user's
language and offers its own way out (File → Backups …), never a command-line command or
SQLite's English words; a restore from there opens the file in the same window."""

from __future__ import annotations

import sqlite3

import pytest
from helpers.damage import damaged_database
from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication, QDialog, QMessageBox, QPushButton

from chinadialog_desktop.i18n import set_language
from chinadialog_desktop.ui import app as ui_app

ENGLISH_FRAGMENTS = ("malformed", "database disk image", "chinadialog db", "recover")


def _restore_first_backup(dialog_name: str) -> dict:
    """Once the backups dialog ``dialog_name`` is up: restore its newest backup and say yes
    to the question; returns what it saw (``backups_of``: the file the dialog was for)."""
    seen: dict = {}

    def in_backups() -> None:
        dialog = QApplication.activeModalWidget()
        if not isinstance(dialog, QDialog) or dialog.objectName() != dialog_name:
            QTimer.singleShot(10, in_backups)
            return
        seen["dialog"] = True
        seen["backups_of"] = dialog.database_path
        dialog.list.setCurrentItem(dialog.list.topLevelItem(0))
        QTimer.singleShot(0, confirm)
        dialog.findChild(QPushButton, "restoreButton").click()
        dialog.accept()

    def confirm() -> None:
        question = QApplication.activeModalWidget()
        if not isinstance(question, QMessageBox) or question.objectName() != "confirmRestoreBox":
            QTimer.singleShot(10, confirm)
            return
        question.findChild(QPushButton, "confirmRestoreYes").click()

    QTimer.singleShot(0, in_backups)
    return seen


@pytest.fixture
def start(qtbot):
    sessions = []

    def run(path):
        session = ui_app.start(path)
        sessions.append(session)
        qtbot.addWidget(session.window)
        qtbot.waitUntil(lambda: session.error is not None, timeout=20000)
        box = session.window.findChild(QMessageBox, "databaseErrorBox")
        assert box is not None and box.isVisible()
        return session, box

    yield run
    for session in sessions:
        session.close()


def test_german_sentence_names_the_backups_and_no_command(tmp_path, start):
    set_language("de")  # the autouse fixture of tests/conftest.py sets it back
    path = tmp_path / "Städte #1 (Beispiel).sqlite3"
    damaged_database(path)
    size = path.stat().st_size
    session, box = start(path)
    text = box.text()
    assert str(path) in text
    assert "beschädigt" in text and "Sicherungen" in text
    assert not any(f in text for f in ENGLISH_FRAGMENTS), text
    rest = text.replace(str(path), "")
    assert rest.endswith(".") and rest.count(".") == 1  # one sentence
    button = box.findChild(QPushButton, "damagedBackupsButton")
    assert button is not None and button.text() == "Sicherungen …"
    assert session.exit_code == 1
    assert path.stat().st_size == size  # nothing written


def test_english_sentence_when_the_ui_is_english(tmp_path, start):
    path = tmp_path / "Städte #2 (Beispiel).sqlite3"
    damaged_database(path)
    _session, box = start(path)
    text = box.text()
    assert "is damaged" in text and "Backups …" in text
    assert "beschädigt" not in text
    assert not any(f in text for f in ENGLISH_FRAGMENTS[:2] + ("chinadialog db",)), text


def test_no_backup_no_button_and_a_sentence_that_says_so(tmp_path, start):
    set_language("de")
    path = tmp_path / "ohne Sicherung (Beispiel).sqlite3"
    damaged_database(path, with_backup=False)
    session, box = start(path)
    assert "keine Sicherung" in box.text()
    assert not any(f in box.text() for f in ENGLISH_FRAGMENTS)
    assert box.findChild(QPushButton, "damagedBackupsButton") is None
    box.button(QMessageBox.StandardButton.Close).click()
    assert not session.window.isVisible()


def test_a_restore_from_the_box_opens_the_file_in_the_window(tmp_path, start, qtbot):
    path = tmp_path / "Städte #3 (Beispiel).sqlite3"
    damaged_database(path)
    session, box = start(path)
    seen = _restore_first_backup("startBackupsDialog")
    with qtbot.waitSignal(session.window.sig_list_filled, timeout=20000):
        box.findChild(QPushButton, "damagedBackupsButton").click()
    assert seen["dialog"]
    assert session.error is None and session.exit_code == 0
    assert session.window.isVisible()
    assert session.window.model.rowCount() == 1
    conn = sqlite3.connect(path)
    assert conn.execute("PRAGMA quick_check").fetchone()[0] == "ok"
    conn.close()


def test_opening_a_damaged_file_from_the_window_says_so_and_offers_its_backups(
    tmp_path, qtbot, german
):
    from helpers.window import started_window

    from chinadialog_desktop.persistence.database import Database
    from chinadialog_desktop.ui.files.file_actions import switch_to

    good = tmp_path / "gut (Beispiel).sqlite3"
    Database.open(good).close()
    damaged = tmp_path / "Städte #4 (Beispiel).sqlite3"
    damaged_database(damaged)
    with started_window(qtbot, good) as window:
        assert switch_to(window, damaged) is False
        assert window.database_path == good  # the open file stays open
        bar = window.message_bar
        text = bar.label.text()
        assert str(damaged) in text and "beschädigt" in text and "Sicherungen" in text
        assert not any(f in text for f in ENGLISH_FRAGMENTS), text
        choice = bar.findChild(QPushButton, "damagedBackupsChoice")
        assert choice is not None and choice.text() == "Sicherungen …"

        seen = _restore_first_backup("backupsDialog")
        choice.click()
        qtbot.waitUntil(lambda: window.database_path == damaged)
        assert seen["backups_of"] == damaged  # the damaged file's backups
        assert window.model.rowCount() == 1  # the restored partnership


def test_a_file_whose_table_list_is_damaged_gets_the_same_sentence(tmp_path, start):
    """Damage SQLite finds before any check (its list of tables unreadable)."""
    from chinadialog_desktop.persistence.database import Database

    set_language("de")
    path = tmp_path / "Kopf (Beispiel).sqlite3"
    Database.open(path).close()
    with open(path, "r+b") as fh:
        fh.seek(100)  # the first page after the file header: the table list
        fh.write(b"\xab" * 3000)
    _session, box = start(path)
    assert "beschädigt" in box.text() and "keine Sicherung" in box.text()
    assert not any(f in box.text() for f in ENGLISH_FRAGMENTS), box.text()
