"""The one background-job helper: progress in order, cancel at the next progress call,
failures as one sentence, the same on a worker thread and synchronously."""

from __future__ import annotations

import threading

import pytest
from PySide6.QtCore import QThread
from PySide6.QtWidgets import QAbstractButton, QProgressDialog, QWidget

from chinadialog_desktop.errors import UserError
from chinadialog_desktop.jobs import Cancelled, Control, run_sync
from chinadialog_desktop.ui.common.jobs import run_task
from chinadialog_desktop.ui.common.progress_dialog import progress_dialog


@pytest.fixture
def parent(qtbot):
    widget = QWidget()
    qtbot.addWidget(widget)
    widget.show()
    return widget


def _counting(steps: int, seen_threads: list[QThread] | None = None):
    def work(progress, cancelled):
        if seen_threads is not None:
            seen_threads.append(QThread.currentThread())
        for n in range(steps):
            progress(n, steps, f"Schritt {n} (Beispiel)")
        return "fertig"

    return work


@pytest.mark.parametrize("synchronous", [False, True])
def test_progress_arrives_in_order_then_the_result(qtbot, parent, synchronous):
    seen: list[tuple[int, int, str]] = []
    done: list[object] = []
    threads: list[QThread] = []
    task = run_task(
        parent,
        _counting(5, threads),
        done.append,
        pytest.fail,
        on_progress=lambda *args: seen.append(args),
        synchronous=synchronous,
    )
    if not synchronous:
        qtbot.waitUntil(lambda: done == ["fertig"], timeout=60000)
    assert done == ["fertig"]
    assert seen == [(n, 5, f"Schritt {n} (Beispiel)") for n in range(5)]
    assert task.finished and not task.running and not task.cancelled
    gui = QThread.currentThread()
    assert (threads[0] is gui) == synchronous


def test_cancel_stops_at_the_next_progress_call_with_the_one_exception(qtbot, parent, german):
    reached = threading.Event()
    release = threading.Event()
    after_cancel: list[str] = []
    raised: list[BaseException] = []

    def work(progress, cancelled):
        progress(1, 3, "eins")
        reached.set()
        release.wait(60)
        after_cancel.append("before the checkpoint")
        try:
            progress(2, 3, "zwei")
        except BaseException as exc:
            raised.append(exc)
            raise
        after_cancel.append("after the checkpoint")  # never reached
        return "fertig"

    failed: list[str] = []
    task = run_task(parent, work, pytest.fail, failed.append)
    assert reached.wait(60)
    task.cancel()
    release.set()
    qtbot.waitUntil(lambda: failed != [], timeout=60000)
    assert after_cancel == ["before the checkpoint"]
    assert len(raised) == 1 and type(raised[0]) is Cancelled
    assert failed == ["Abgebrochen."]
    assert task.cancelled and task.outcome is not None and task.outcome.cancelled


def test_an_error_in_the_job_reaches_the_caller_as_one_german_sentence(qtbot, parent, german):
    def work(progress, cancelled):
        progress(0, 1, "")
        return 1 // 0

    failed: list[str] = []
    task = run_task(parent, work, pytest.fail, failed.append)
    qtbot.waitUntil(lambda: failed != [], timeout=60000)
    (message,) = failed
    assert message.startswith("Unerwarteter Fehler: ZeroDivisionError")
    assert "Traceback" not in message and "\n" not in message
    assert not task.cancelled

    def refused(progress, cancelled):
        raise UserError("Die Datei x.csv (Beispiel) ist leer.")

    failed.clear()
    run_task(parent, refused, pytest.fail, failed.append, synchronous=True)
    assert failed == ["Die Datei x.csv (Beispiel) ist leer."]


def test_the_progress_dialog_follows_the_job_and_its_cancel_cancels_it(qtbot, parent):
    release = threading.Event()
    failed: list[str] = []

    def work(progress, cancelled):
        progress(1, 4, "Zeile 1 (Beispiel)")
        release.wait(60)
        progress(2, 4, "Zeile 2 (Beispiel)")
        return "fertig"

    dialog = progress_dialog(
        parent, name="jobProgress", title="Job", label="Lesen …", accessible_name="Job"
    )
    task = run_task(parent, work, pytest.fail, failed.append, dialog=dialog)
    dialog.show()
    qtbot.waitUntil(lambda: dialog.value() == 1 and dialog.maximum() == 4, timeout=60000)
    assert dialog.labelText() == "Zeile 1 (Beispiel)"
    dialog.findChild(QAbstractButton, "jobProgressCancelButton").click()
    release.set()
    qtbot.waitUntil(lambda: failed != [], timeout=60000)
    assert task.cancelled and task.progress_dialog is None
    assert not [d for d in parent.findChildren(QProgressDialog) if d.isVisible()]


def test_stop_cancels_and_waits_for_the_thread(qtbot, parent):
    started = threading.Event()

    def work(progress, cancelled):
        started.set()
        while True:
            progress(0, 0, "")

    task = run_task(parent, work)
    assert started.wait(60)
    task.stop()
    assert task.worker is not None and not task.worker.isRunning()
    assert task.cancelled


def test_run_sync_without_qt(german):
    seen: list[tuple[int, int, str]] = []
    assert run_sync(_counting(3), lambda *a: seen.append(a)) == "fertig"
    assert [s[0] for s in seen] == [0, 1, 2]

    control = Control()
    control.cancel()
    with pytest.raises(Cancelled):
        run_sync(_counting(3), control=control)

    def broken(progress, cancelled):
        raise KeyError("x")

    with pytest.raises(UserError) as info:
        run_sync(broken)
    assert type(info.value) is UserError
    assert str(info.value).startswith("Unerwarteter Fehler: KeyError")


def test_progress_is_thinned_out_for_the_gui(qtbot, parent):
    seen: list[tuple[int, int, str]] = []

    def work(progress, cancelled):
        for n in range(10_000):
            progress(n, 10_000, "Zeile (Beispiel)")
        for _n in range(1000):
            progress(0, 0, "Warten (Beispiel)")
        progress(10_000, 10_000, "fertig")

    run_task(parent, work, on_progress=lambda *a: seen.append(a), synchronous=True)
    assert 200 <= len(seen) <= 203
    assert [s[0] for s in seen] == sorted(s[0] for s in seen[:-2]) + [0, 10_000]
    assert seen[-2] == (0, 0, "Warten (Beispiel)") and seen[-1] == (10_000, 10_000, "fertig")


def test_no_other_module_runs_its_own_thread():
    """The one way to run work in the background (``ui.common.jobs``): no other QThread."""
    import re
    from pathlib import Path

    import chinadialog_desktop

    package = Path(chinadialog_desktop.__file__).parent
    pattern = re.compile(r"class \w+\((?:QtCore\.)?QThread\)|threading\.Thread\(")
    found = sorted(
        str(path.relative_to(package))
        for path in package.rglob("*.py")
        if pattern.search(path.read_text(encoding="utf-8"))
    )
    assert found == ["ui/common/jobs.py"]
