"""Start-up milestones (first paint, list filled) that selftest and benchmarks listen to."""

from __future__ import annotations

import time
from collections.abc import Callable

FIRST_PAINT = "first_paint"
LIST_FILLED = "list_filled"

Listener = Callable[[str, float], None]
_listeners: list[Listener] = []


def subscribe(listener: Listener) -> Callable[[], None]:
    """Call ``listener(name, time.perf_counter())`` at each milestone; returns an unsubscribe."""
    _listeners.append(listener)

    def unsubscribe() -> None:
        if listener in _listeners:
            _listeners.remove(listener)

    return unsubscribe


def reached(name: str) -> None:
    now = time.perf_counter()
    for listener in list(_listeners):
        listener(name, now)
