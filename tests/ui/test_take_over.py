"""The database's take-over after the start's first list (issue 16): work in steps with
the event loop turning in between, the opening on a worker thread, and what happens
when someone cannot wait for it or closes the window meanwhile."""

from __future__ import annotations

import builtins
import threading
from datetime import date

import pytest
from PySide6.QtCore import QTimer

from chinadialog_desktop.persistence.database import Database
from chinadialog_desktop.persistence.models import Partnership
from chinadialog_desktop.ui import app as ui_app
from chinadialog_desktop.ui.common.jobs import Task
from chinadialog_desktop.ui.window import plain_import
from chinadialog_desktop.ui.window.steps import Steps


def _turns(qtbot):
    """A zero-interval timer counting the turns of the event loop."""
    count = {"n": 0}
    timer = QTimer()
    timer.setInterval(0)
    timer.timeout.connect(lambda: count.__setitem__("n", count["n"] + 1))
    timer.start()
    return timer, count


def test_steps_run_one_per_turn_of_the_event_loop(qtbot):
    steps = Steps()
    timer, count = _turns(qtbot)
    at: list[int] = []
    for _ in range(5):
        steps.then(lambda: at.append(count["n"]))
    assert at == []  # nothing before start
    with qtbot.waitSignal(steps.sig_done, timeout=10000):
        steps.start()
    timer.stop()
    assert len(at) == 5
    assert len(set(at)) == 5, at  # the event loop turned between every two steps
    later: list[str] = []
    steps.then(lambda: later.append("now"))  # all done: at once
    assert later == ["now"]


def test_finish_now_runs_what_is_left_at_once_and_a_failing_step_stops_nothing(qtbot):
    steps = Steps()
    ran: list[int] = []

    def fail() -> None:
        ran.append(0)
        raise RuntimeError("a bug in a step (Beispiel)")

    steps.then(fail)
    for n in (1, 2, 3):
        steps.then(lambda n=n: ran.append(n))
    done: list[bool] = []
    steps.sig_done.connect(lambda: done.append(True))
    steps.start()
    with pytest.raises(RuntimeError):
        steps.finish_now()  # the failing step reports its error to the caller ...
    steps.finish_now()  # ... and the rest still runs
    assert ran == [0, 1, 2, 3] and done == [True] and steps.done and steps.pending == 0


def test_a_task_waited_for_hands_on_its_outcome_at_once(qtbot):
    started = threading.Event()
    go = threading.Event()

    def work(_progress, _cancelled):
        started.set()
        go.wait(30)
        return threading.current_thread() is threading.main_thread()

    outcomes = []
    task = Task(None, work)
    task.sig_finished.connect(outcomes.append)
    task.start()
    assert started.wait(30)
    go.set()
    outcome = task.wait()  # no turn of the event loop needed
    assert outcome is not None and outcome.ok and outcome.result is False
    assert outcomes == [outcome]
    qtbot.wait(50)  # the queued outcome arriving later is not handed on twice
    assert outcomes == [outcome]


def test_plain_imports_on_a_worker_thread_leave_other_threads_imports_hooked(monkeypatch):
    """Only the thread inside plain_imports skips the import hook (PySide6's, here a
    recording one); an import on another thread meanwhile still goes through it."""
    hooked: list[tuple[str, bool]] = []
    original = builtins.__import__

    def hook(name, globals=None, locals=None, fromlist=(), level=0):
        hooked.append((name, threading.current_thread() is threading.main_thread()))
        return original(name, globals, locals, fromlist, level)

    monkeypatch.setattr(builtins, "__import__", hook)
    inside = threading.Event()
    leave = threading.Event()

    def worker() -> None:
        with plain_import.plain_imports():
            import json  # noqa: F401 - on the worker, inside

            inside.set()
            leave.wait(30)

    thread = threading.Thread(target=worker)
    thread.start()
    assert inside.wait(30)
    import csv  # noqa: F401 - on this thread meanwhile

    leave.set()
    thread.join(30)
    assert ("csv", True) in hooked
    assert not any(name == "json" for name, _gui in hooked)
    assert builtins.__import__ is hook  # put back once no thread is inside


def _file(tmp_path, n):
    path = tmp_path / "Übernahme #1 (Beispiel).sqlite3"
    database = Database.open(path)
    with database.session() as s:
        s.add_all(
            Partnership(title=f"Partnerschaft {i:03d} (Beispiel)", start_date=date(2000 + i, 1, 1))
            for i in range(n)
        )
    database.close()
    return path


def test_the_database_is_opened_on_a_worker_thread_and_attached_in_steps(tmp_path, qtbot):
    path = _file(tmp_path, 5)
    session = ui_app.start(path)
    qtbot.addWidget(session.window)
    try:
        with qtbot.waitSignal(session.window.sig_list_filled, timeout=20000):
            pass
        assert session.opening is not None or session.window.workspace is not None
        with qtbot.waitSignal(session.window.sig_attached, timeout=20000):
            pass
        assert session.window.attached() and session.opening is None
        assert all(page.model is not None for page in session.window.pages.values())
        assert session.window.pages["partnership"].editor is not None
    finally:
        session.close()


def test_a_page_asked_for_during_the_opening_waits_for_it_and_gets_everything(tmp_path, qtbot):
    path = _file(tmp_path, 5)
    session = ui_app.start(path)
    qtbot.addWidget(session.window)
    try:
        ui_app.open_database(session)  # what the first frame's timer does
        model = session.window.model
        ui_app._open_in_background(session, model)  # what the list's frame does
        assert session.opening is not None
        page = session.window.show_page("actor")  # cannot wait
        assert session.opening is None and session.window.attached()
        assert page.model is not None and page.editor is not None
    finally:
        session.close()


def test_closing_during_the_opening_closes_the_database_and_lets_go_of_the_file(tmp_path, qtbot):
    from chinadialog_desktop.persistence.lifecycle import restore

    path = _file(tmp_path, 3)
    copy = tmp_path / "Kopie (Beispiel).sqlite3"
    copy.write_bytes(path.read_bytes())
    session = ui_app.start(path)
    qtbot.addWidget(session.window)
    ui_app.open_database(session)
    ui_app._open_in_background(session, session.window.model)
    assert session.opening is not None
    session.close()
    assert session.opening is None and session.database is None
    assert session.window.workspace is None  # its database never reached the window
    restore(copy, path)  # refused while anything still holds the file open
