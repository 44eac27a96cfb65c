"""A screening job (full run, or list import plus delta run) on a QThread with a progress dialog."""

from __future__ import annotations

import sys
import traceback
from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QObject, QThread, Signal
from PySide6.QtWidgets import QWidget

from chinadialog_desktop.errors import UserError
from chinadialog_desktop.i18n import _
from chinadialog_desktop.ui.progress_dialog import progress_dialog

Progress = Callable[[int, int, str], None]
Cancel = Callable[[], bool]
JobFn = Callable[[Progress, Cancel], Any]


class JobThread(QThread):
    """Runs ``fn(progress, cancel)`` off the GUI thread; the outcome arrives by signal."""

    sig_progress = Signal(int, int, str)
    sig_done = Signal(object)
    sig_failed = Signal(str)

    def __init__(self, fn: JobFn, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.fn = fn
        self.cancelled = False

    def cancel(self) -> None:
        self.cancelled = True

    def run(self) -> None:
        try:
            result = self.fn(
                lambda done, total, message: self.sig_progress.emit(done, total, message),
                lambda: self.cancelled,
            )
        except UserError as exc:  # Cancelled too
            self.sig_failed.emit(str(exc))
            return
        except Exception as exc:  # shown to the user, never lost on a thread
            traceback.print_exc(file=sys.stderr)
            self.sig_failed.emit(f"{type(exc).__name__}: {exc}")
            return
        self.sig_done.emit(result)


class Job(QObject):
    """One job with its progress dialog; ``sig_finished(result or None, error message)``."""

    sig_finished = Signal(object, str)

    def __init__(self, parent: QWidget, title: str, label: str, fn: JobFn) -> None:
        super().__init__(parent)
        self.label = label
        self.thread = JobThread(fn, self)
        self.dialog = progress_dialog(
            parent,
            name="screeningProgress",
            title=title,
            label=label,
            accessible_name=_("Progress of the screening"),
            minimum_duration=300,
        )
        self.dialog.canceled.connect(self.thread.cancel)
        self.thread.sig_progress.connect(self._progress)
        self.thread.sig_done.connect(lambda result: self._finish(result, ""))
        self.thread.sig_failed.connect(lambda message: self._finish(None, message))
        self.finished = False

    @property
    def cancelled(self) -> bool:
        return self.thread.cancelled

    def start(self) -> None:
        self.thread.start()

    def cancel(self) -> None:
        self.thread.cancel()

    def stop(self) -> None:
        """Cancel and wait for the thread (the view or the window is closing)."""
        if self.thread.isRunning():
            self.thread.cancel()
            self.thread.wait()

    def _progress(self, done: int, total: int, message: str) -> None:
        if self.finished:
            return
        self.dialog.setMaximum(max(total, 1))
        self.dialog.setValue(min(done, max(total, 1)))
        self.dialog.setLabelText(f"{self.label}\n{message}" if message else self.label)

    def _finish(self, result: Any, message: str) -> None:
        self.finished = True
        self.thread.wait()
        self.dialog.reset()
        self.dialog.hide()
        self.dialog.deleteLater()
        self.sig_finished.emit(result, message)
