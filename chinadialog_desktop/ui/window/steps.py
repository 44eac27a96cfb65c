"""Work the GUI thread does in short steps, with the event loop running between them.

The window's start attaches a large part of itself once the list is on screen
(every page, its editor and list model, the place filters, the parts' menus).
Done in one go that blocked the GUI thread for the better part of a second on a
large file, just when the user may begin to scroll or click. ``Steps`` runs such
work one step per turn of the event loop instead (a zero-interval timer: input,
paints and other timers are handled in between), and ``finish_now()`` runs what
is left at once when someone needs all of it before going on (a page asked for,
the file closed).
"""

from __future__ import annotations

from collections import deque
from collections.abc import Callable

from PySide6.QtCore import QObject, QTimer, Signal


class Steps(QObject):
    """A queue of steps run one per turn of the event loop; ``sig_done`` after the last.

    ``then(fn)`` adds a step; once everything has run, ``then`` runs ``fn`` at once.
    """

    sig_done = Signal()

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._queue: deque[Callable[[], None]] = deque()
        self._running = False  # inside a step (one that processes events must not nest)
        self._started = False
        self._done = False
        self._timer = QTimer(self)
        self._timer.setObjectName("stepTimer")
        self._timer.setSingleShot(True)
        self._timer.setInterval(0)  # after the events already waiting, paints included
        self._timer.timeout.connect(self._next)

    @property
    def done(self) -> bool:
        return self._done

    @property
    def pending(self) -> int:
        """How many steps have not run yet."""
        return len(self._queue)

    def then(self, step: Callable[[], None]) -> None:
        """Run ``step`` after the steps added before it (at once when all are done)."""
        if self._done:
            step()
            return
        self._queue.append(step)
        if self._started and not self._running and not self._timer.isActive():
            self._timer.start()

    def start(self) -> None:
        """Run the steps from the next turn of the event loop on, one per turn."""
        if self._started or self._done:
            return
        self._started = True
        self._timer.start()

    def finish_now(self) -> None:
        """Run every step not run yet, now (they are needed before going on)."""
        self._timer.stop()
        self._started = True
        while self._queue:
            self._run(self._queue.popleft())
        self._finish()

    def _next(self) -> None:
        if self._running:  # a step processing events: the next one after it
            self._timer.start()
            return
        try:
            if self._queue:
                self._run(self._queue.popleft())
        finally:  # a step that failed (a bug, reported as such) does not stop the others
            if self._queue:
                self._timer.start()
            else:
                self._finish()

    def _run(self, step: Callable[[], None]) -> None:
        was_running, self._running = self._running, True
        try:
            step()
        finally:
            self._running = was_running

    def _finish(self) -> None:
        if self._done or self._running or self._queue:
            return
        self._done = True
        self.sig_done.emit()
