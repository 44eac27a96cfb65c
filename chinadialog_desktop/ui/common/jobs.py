"""The one way the window runs work in the background: ``run_task``.

Modelled on Picard's ``run_task``: hand over a job ``work(progress, cancelled)``
(see :mod:`chinadialog_desktop.jobs`) and what to do with its result; the job
runs on a worker thread, progress reaches the GUI thread by signal (optionally
into a progress dialog whose Cancel cancels the job), and ``on_done(result)``
or ``on_failed(message)`` runs on the GUI thread afterwards. ``message`` is one
sentence for the user (never a traceback); ``task.cancelled`` says whether the
user cancelled. ``synchronous=True`` runs the same job on the calling thread,
with the same callbacks in the same order (tests, scripted use).

The task belongs to ``parent`` and goes with it; ``stop()`` cancels and waits
for the thread (a window that closes calls it, so no thread outlives its data);
``wait()`` waits for the job without cancelling it and hands on its outcome at once.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QObject, QThread, Signal
from PySide6.QtWidgets import QProgressDialog

from chinadialog_desktop.jobs import Control, Outcome, Work, execute

# Progress signals per job at most about this many times (a 100k-row import
# reports every row; the GUI thread needs far fewer).
PROGRESS_STEPS = 200


class _Worker(QThread):
    """Runs one job under its control; the outcome comes back by signal."""

    sig_progress = Signal(int, int, str)
    sig_outcome = Signal(object)

    def __init__(self, work: Work[Any], control: Control, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.work = work
        self.control = control
        self.outcome: Outcome[Any] | None = None  # set before the thread ends

    def run(self) -> None:
        self.outcome = execute(self.work, self.control)
        self.sig_outcome.emit(self.outcome)


class Task(QObject):
    """One background job: ``sig_progress(done, total, message)``, then ``sig_finished``."""

    sig_progress = Signal(int, int, str)
    sig_finished = Signal(object)  # chinadialog_desktop.jobs.Outcome

    def __init__(
        self,
        parent: QObject | None,
        work: Work[Any],
        *,
        dialog: QProgressDialog | None = None,
        label: str = "",
    ) -> None:
        super().__init__(parent)
        self.work = work
        self.control = Control(self._report)
        self.progress_dialog = dialog
        self.label = label
        self.outcome: Outcome[Any] | None = None
        self.worker: _Worker | None = None
        self._last: tuple[int, int | str] | None = None
        self.sig_progress.connect(self._show_progress)
        if dialog is not None:
            dialog.canceled.connect(self.cancel)

    # -- state -----------------------------------------------------------------
    @property
    def cancelled(self) -> bool:
        return self.control.cancelled()

    @property
    def running(self) -> bool:
        return self.outcome is None and self.worker is not None and self.worker.isRunning()

    @property
    def finished(self) -> bool:
        return self.outcome is not None

    # -- control ---------------------------------------------------------------
    def start(self, *, synchronous: bool = False) -> Task:
        if synchronous:
            self._finish(execute(self.work, self.control))
            return self
        self.worker = _Worker(self.work, self.control, self)
        self.worker.sig_progress.connect(self.sig_progress)
        self.worker.sig_outcome.connect(self._finish)
        self.worker.start()
        return self

    def cancel(self) -> None:
        """Ask the job to stop; it does at its next progress call (or cancel check)."""
        self.control.cancel()

    def wait(self) -> Outcome[Any] | None:
        """Wait for the job and hand on its outcome now (``sig_finished``), not with a
        later turn of the event loop: for a caller that cannot go on without it."""
        if self.worker is not None and self.outcome is None:
            self.worker.wait()
            if self.worker.outcome is not None:
                self._finish(self.worker.outcome)
        return self.outcome

    def stop(self) -> None:
        """Cancel and wait for the thread (the view or the window is closing)."""
        self.control.cancel()
        if self.worker is not None and self.worker.isRunning():
            self.worker.wait()

    # -- on the job's thread -------------------------------------------------------
    def _report(self, done: int, total: int, message: str) -> None:
        # Known total: once per step and at the end; unknown (0): when the message changes.
        key = (total, done // max(total // PROGRESS_STEPS, 1)) if total > 0 else (0, message)
        if key != self._last or (total > 0 and done >= total):
            self._last = key
            if self.worker is None:  # synchronous: straight to the GUI
                self.sig_progress.emit(done, total, message)
            else:
                self.worker.sig_progress.emit(done, total, message)

    # -- on the GUI thread ---------------------------------------------------------
    def _show_progress(self, done: int, total: int, message: str) -> None:
        # A window-modal QProgressDialog processes events in setValue: the outcome may
        # arrive in there and close it, so it is looked up again after each call.
        dialog = self.progress_dialog
        if dialog is None or self.finished:
            return
        if message or self.label:
            text = f"{self.label}\n{message}" if self.label and message else message or self.label
            dialog.setLabelText(text)
        dialog.setMaximum(max(total, 0))
        if self.progress_dialog is dialog and not self.finished:
            dialog.setValue(min(done, total) if total else 0)

    def _finish(self, outcome: Outcome[Any]) -> None:
        if self.outcome is not None:
            return
        self.outcome = outcome
        if self.worker is not None:
            # The outcome arrives while run() returns; let the thread end before anyone
            # may delete its parent (a QThread destroyed while running aborts the program).
            self.worker.wait()
        dialog, self.progress_dialog = self.progress_dialog, None
        if dialog is not None:
            dialog.canceled.disconnect(self.cancel)
            dialog.reset()
            dialog.hide()
            dialog.deleteLater()
        self.sig_finished.emit(outcome)


def run_task(
    parent: QObject | None,
    work: Work[Any],
    on_done: Callable[[Any], None] | None = None,
    on_failed: Callable[[str], None] | None = None,
    *,
    on_progress: Callable[[int, int, str], None] | None = None,
    dialog: QProgressDialog | None = None,
    label: str = "",
    synchronous: bool = False,
) -> Task:
    """Run ``work(progress, cancelled)`` in the background; returns the started task.

    ``on_done(result)`` or ``on_failed(message)`` follows on the GUI thread (a job
    that notices the cancel and returns normally still ends in ``on_done``);
    ``on_progress`` hears every progress report there. ``dialog`` (from
    ``ui.common.progress_dialog``) shows the progress, its Cancel cancels the job, and it
    closes when the job has ended; its text is ``label`` plus the latest message.
    """
    task = Task(parent, work, dialog=dialog, label=label)
    if on_progress is not None:
        task.sig_progress.connect(on_progress)

    def finished(outcome: Outcome[Any]) -> None:
        if outcome.error:
            if on_failed is not None:
                on_failed(outcome.error)
        elif on_done is not None:
            on_done(outcome.result)

    task.sig_finished.connect(finished)
    return task.start(synchronous=synchronous)


__all__ = ["PROGRESS_STEPS", "Task", "run_task"]
