"""A file with a version 1 search index: the window upgrades it off the GUI thread.

The upgrade is held at a gate (the real upgrade runs once the gate opens), so
the state "upgrade running" is always there, however fast or slow the machine.
"""

from __future__ import annotations

import threading
from pathlib import Path

import pytest
from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QAbstractButton, QProgressDialog
from sqlalchemy import text

from chinadialog_desktop.persistence import search_index
from chinadialog_desktop.persistence.database import Database
from chinadialog_desktop.persistence.models import Source
from chinadialog_desktop.services.search import search
from chinadialog_desktop.ui import app as ui_app

TITLE = "Städtepartnerschaft Köln–Peking (Beispiel)"


def _file_with_a_version_1_index(path: Path) -> None:
    db = Database.open(path)
    with db.session() as s:
        s.add(Source(title=TITLE))
    with db.engine.begin() as conn:  # the word table as version 1 made it: no prefix index
        conn.execute(
            text(
                "CREATE VIRTUAL TABLE old_words USING fts5(words, "
                "tokenize='unicode61 remove_diacritics 2', detail='none')"
            )
        )
        conn.execute(
            text("INSERT INTO old_words (rowid, words) SELECT rowid, words FROM search_words")
        )
        conn.execute(text("DROP TABLE search_words"))
        conn.execute(text("ALTER TABLE old_words RENAME TO search_words"))
        conn.execute(text("UPDATE search_meta SET value = '1' WHERE key = 'version'"))
    db.close()


def _status_only(path: Path) -> str:
    from sqlalchemy import create_engine

    engine = create_engine(f"sqlite:///{path}")
    try:
        with engine.connect() as conn:
            return search_index.status(conn)
    finally:
        engine.dispose()


@pytest.fixture
def gated_upgrade(monkeypatch):
    """The real upgrade, held until ``gate`` opens; records the thread it ran on."""
    gate = threading.Event()
    arrived = threading.Event()
    threads: list[threading.Thread] = []
    real = search_index._upgrade_words

    def gated(conn):
        threads.append(threading.current_thread())
        arrived.set()
        gate.wait(60)
        return real(conn)

    monkeypatch.setattr(search_index, "_upgrade_words", gated)
    yield gate, arrived, threads
    gate.set()


@pytest.fixture
def started(qtbot):
    sessions = []

    def start(path):
        session = ui_app.start(path)
        sessions.append(session)
        qtbot.addWidget(session.window)
        # Opened and taken over: the upgrade starts with the take-over's last step.
        qtbot.waitUntil(session.window.attached, timeout=60000)
        return session

    yield start
    for session in sessions:
        session.close()


def _progress(window) -> QProgressDialog:
    dialog = window.findChild(QProgressDialog, "searchIndexProgress")
    assert dialog is not None
    return dialog


def test_the_upgrade_runs_off_the_gui_thread_and_the_window_stays_responsive(
    tmp_path, started, gated_upgrade, qtbot
):
    gate, arrived, threads = gated_upgrade
    path = tmp_path / "alt #1 Köln.sqlite3"
    _file_with_a_version_1_index(path)

    session = started(path)
    window = session.window
    task = window.index_task
    assert task is not None
    assert arrived.wait(60)  # the upgrade has begun and is held
    assert task.running and _progress(window).isVisible()  # clearly busy, and says why

    fired: list[bool] = []
    QTimer.singleShot(0, lambda: fired.append(True))  # the GUI thread's event loop runs
    qtbot.waitUntil(lambda: fired == [True], timeout=60000)
    assert task.running

    gate.set()
    qtbot.waitUntil(lambda: task.finished, timeout=60000)
    assert threads and threads[0] is not threading.main_thread()
    assert task.outcome.ok
    assert window.statusBar().currentMessage() == "Search index updated."
    assert window.findChild(QProgressDialog, "searchIndexProgress") is None or not (
        window.findChild(QProgressDialog, "searchIndexProgress").isVisible()
    )
    assert _status_only(path) == "current"
    with session.database.sessions() as s:
        groups = search(s, "kö").groups
    assert [row.title for g in groups for row in g.hits] == [TITLE]


def test_cancel_leaves_the_old_index_and_search_still_finds(
    tmp_path, started, gated_upgrade, qtbot
):
    gate, arrived, _threads = gated_upgrade
    path = tmp_path / "alt.sqlite3"
    _file_with_a_version_1_index(path)

    session = started(path)
    window = session.window
    task = window.index_task
    assert arrived.wait(60)
    _progress(window).findChild(QAbstractButton, "searchIndexProgressCancelButton").click()
    gate.set()
    qtbot.waitUntil(lambda: task.finished, timeout=60000)
    assert task.cancelled and task.outcome.cancelled
    assert "cancelled" in window.statusBar().currentMessage()
    assert _status_only(path) == "outdated"  # rolled back: still version 1
    with session.database.sessions() as s:
        groups = search(s, "Köln").groups
    assert [row.title for g in groups for row in g.hits] == [TITLE]


def test_closing_the_window_during_the_upgrade_rolls_it_back(
    tmp_path, started, gated_upgrade, qtbot
):
    gate, arrived, _threads = gated_upgrade
    path = tmp_path / "alt.sqlite3"
    _file_with_a_version_1_index(path)

    session = started(path)
    window = session.window
    task = window.index_task
    assert arrived.wait(60)
    releaser = threading.Timer(0.05, gate.set)
    releaser.start()
    window.close()  # cancels the upgrade and waits for its thread
    releaser.join()
    assert task.cancelled
    assert task.worker is not None and not task.worker.isRunning()
    qtbot.waitUntil(lambda: task.finished, timeout=60000)
    assert _status_only(path) == "outdated"


def test_a_current_index_starts_no_job(tmp_path, started):
    path = tmp_path / "neu.sqlite3"
    Database.open(path).close()
    session = started(path)
    assert session.window.index_task is None
    assert _status_only(path) == "current"
