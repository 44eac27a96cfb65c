"""A screening job (full run, or list import plus delta run) with a progress dialog."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QObject, Signal
from PySide6.QtWidgets import QWidget

from chinadialog_desktop.i18n import _
from chinadialog_desktop.jobs import Outcome, Work
from chinadialog_desktop.ui.common.jobs import Task
from chinadialog_desktop.ui.common.progress_dialog import progress_dialog


class Job(QObject):
    """One job with its progress dialog; ``sig_finished(result or None, error message)``."""

    sig_finished = Signal(object, str)

    def __init__(self, parent: QWidget, title: str, label: str, fn: Work[Any]) -> None:
        super().__init__(parent)
        self.label = label
        self.dialog = progress_dialog(
            parent,
            name="screeningProgress",
            title=title,
            label=label,
            accessible_name=_("Progress of the screening"),
            minimum_duration=300,
        )
        self.task = Task(self, fn, dialog=self.dialog, label=label)
        self.task.sig_finished.connect(self._finish)

    @property
    def cancelled(self) -> bool:
        return self.task.cancelled

    @property
    def running(self) -> bool:
        return self.task.running

    @property
    def finished(self) -> bool:
        return self.task.finished

    def start(self) -> None:
        self.task.start()

    def cancel(self) -> None:
        self.task.cancel()

    def stop(self) -> None:
        """Cancel and wait for the thread (the view or the window is closing)."""
        self.task.stop()

    def _finish(self, outcome: Outcome[Any]) -> None:
        self.sig_finished.emit(outcome.result if not outcome.error else None, outcome.error)
