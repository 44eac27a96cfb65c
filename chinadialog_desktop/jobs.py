"""Long work with progress and cancel: the types every layer shares, declared once.

A *job* is a function ``work(progress, cancelled)``:

- ``progress(done, total, message)`` reports how far it is (``total`` 0: not
  known yet). It is also the job's checkpoint: once the user has cancelled,
  the next call raises :class:`Cancelled` — a job that reports progress needs
  no cancel logic of its own.
- ``cancelled()`` says whether the user has cancelled, for loops that want to
  stop somewhere else than at a progress call (or end with a partial result).

Services take these two callables as optional arguments and raise
:class:`Cancelled` — the one cancellation exception of the app — when they
stop early. The window runs jobs through ``ui.common.jobs.run_task`` (a worker
thread and a progress dialog); the command line and tests run them here with
:func:`run_sync`, on the calling thread. Either way the caller gets the result,
or one plain sentence saying why there is none (never a traceback).
"""

from __future__ import annotations

import sys
import threading
import traceback
from collections.abc import Callable
from dataclasses import dataclass
from typing import Generic, TypeVar

from chinadialog_desktop.errors import UserError, plain_exception_text

T = TypeVar("T")

Progress = Callable[[int, int, str], None]
"""``progress(done, total, message)``; raises :class:`Cancelled` once cancelled."""

CancelCheck = Callable[[], bool]
"""``cancelled()``: True once the user has asked to stop."""

Work = Callable[[Progress, CancelCheck], T]
"""A job: ``work(progress, cancelled)`` returns its result."""


class Cancelled(UserError):
    """The user cancelled a long operation; what it would have changed stays unchanged."""

    def __init__(self, message: str | None = None) -> None:
        if message is None:
            from chinadialog_desktop.i18n import _

            message = _("Cancelled.")
        super().__init__(message)


def check(cancelled: CancelCheck | None, message: str | None = None) -> None:
    """Raise :class:`Cancelled` when ``cancelled`` (if given) says the user has cancelled."""
    if cancelled is not None and cancelled():
        raise Cancelled(message)


class Control:
    """The cancel flag and progress checkpoint of one job; safe to use from any thread.

    ``report`` receives every progress call that is let through (on the job's
    thread); a cancelled control raises :class:`Cancelled` at the next one.
    """

    def __init__(self, report: Progress | None = None) -> None:
        self._cancel = threading.Event()
        self._report = report

    def cancel(self) -> None:
        self._cancel.set()

    def cancelled(self) -> bool:
        return self._cancel.is_set()

    def progress(self, done: int, total: int, message: str = "") -> None:
        if self._cancel.is_set():
            raise Cancelled()
        if self._report is not None:
            self._report(done, total, message)


@dataclass(frozen=True)
class Outcome(Generic[T]):
    """How a job ended: its ``result``, or ``error`` (one sentence) and whether it was cancelled."""

    result: T | None = None
    error: str = ""
    cancelled: bool = False

    @property
    def ok(self) -> bool:
        return not self.error and not self.cancelled


def failure_message(exc: BaseException) -> str:
    """What the user reads when a job failed: one sentence, never a traceback.

    A :class:`UserError` says it itself; anything else is a bug, shown by its
    plain text (no SQL, no record data) with the hint where the details are.
    """
    if isinstance(exc, UserError):
        return str(exc)
    from chinadialog_desktop.i18n import _

    return _("Unexpected error: {message} (run with --debug for details)").format(
        message=plain_exception_text(exc)
    )


def execute(work: Work[T], control: Control) -> Outcome[T]:
    """Run ``work`` on this thread under ``control``; never raises (but for BaseException).

    An unexpected error's traceback goes to stderr, for the log and bug reports;
    the outcome carries only its one sentence.
    """
    try:
        result = work(control.progress, control.cancelled)
    except Cancelled as exc:
        return Outcome(error=str(exc), cancelled=True)
    except UserError as exc:
        return Outcome(error=str(exc), cancelled=control.cancelled())
    except Exception as exc:  # a bug: told in one sentence, the traceback to stderr
        traceback.print_exc(file=sys.stderr)
        return Outcome(error=failure_message(exc), cancelled=False)
    return Outcome(result=result)


def run_sync(work: Work[T], report: Progress | None = None, control: Control | None = None) -> T:
    """Run ``work`` on the calling thread (the command line, tests); returns its result.

    Raises :class:`Cancelled` when it was cancelled and :class:`UserError` with
    one sentence when it failed — an unexpected error included, chained to it.
    """
    control = control or Control(report)
    if report is not None and control._report is None:
        control._report = report
    try:
        return work(control.progress, control.cancelled)
    except UserError:
        raise
    except Exception as exc:
        raise UserError(failure_message(exc)) from exc


__all__ = [
    "CancelCheck",
    "Cancelled",
    "Control",
    "Outcome",
    "Progress",
    "Work",
    "check",
    "execute",
    "failure_message",
    "run_sync",
]
