"""Keep ``None`` alive under PySide6 6.12 on CPython 3.11, where void calls drop a reference.

Every call of a PySide6 method that returns nothing (``widget.update()``,
``label.setText()`` …) lowers the reference count of ``None`` by one on
CPython 3.11 (measured with PySide6 6.12.0: 100 calls, −100). After some
tens of thousands of such calls a long-running window would end with
"Fatal Python error: none_dealloc". From CPython 3.12 on, ``None`` is
immortal and this module does nothing.

The guard tops the count up from a ballast list whenever it runs low. The
list itself is given one extra reference that is never released, so it
outlives the interpreter's shutdown too (there, every object that dies
releases its references to ``None``, and the debt would fall due).
"""

from __future__ import annotations

import sys

from PySide6.QtCore import QObject, QTimer

LOW_WATER = 200_000
TOP_UP = 1_000_000  # one million references cost 8 MB of list slots
# What ``install`` adds at once: enough for the window's start (a few thousand void calls,
# a few signals) at a twentieth of the cost; the full top-up follows at the first check
# or when the start calls ``top_up`` after its first frame.
START_TOP_UP = 50_000
CHECK_MS = 2_000

_chunks = 0


def needed() -> bool:
    return sys.version_info < (3, 12)


def _keep_forever(chunk: list[object]) -> None:
    import ctypes  # here: loading ctypes is not needed for the window's first frame

    ctypes.pythonapi.Py_IncRef(ctypes.py_object(chunk))  # never freed, on purpose


def _top_up_bools(amount: int) -> None:
    """The same for ``True`` and ``False``: every ``signal.emit()`` from Python drops one
    reference to ``True`` (measured with PySide6 6.12.0; ends in "bool_dealloc")."""
    global _chunks
    for value in (True, False):
        if sys.getrefcount(value) < LOW_WATER:
            _keep_forever([value] * (amount // 5))
            _chunks += 1


def top_up(amount: int | None = None) -> int:
    """Add ``amount`` (default TOP_UP) references to ``None`` when fewer than LOW_WATER
    remain; returns how many were added.

    ``True`` and ``False`` are topped up as well, by a fifth of it (not counted in the result).
    """
    global _chunks
    if not needed():
        return 0
    amount = TOP_UP if amount is None else amount
    _top_up_bools(amount)
    if sys.getrefcount(None) >= LOW_WATER:
        return 0
    _keep_forever([None] * amount)
    _chunks += 1
    return amount


def install(parent: QObject) -> QTimer | None:
    """Top up now (by START_TOP_UP) and every few seconds while ``parent`` lives."""
    if not needed():
        return None
    top_up(START_TOP_UP)
    timer = QTimer(parent)
    timer.setObjectName("noneGuardTimer")
    timer.setInterval(CHECK_MS)
    timer.timeout.connect(lambda: top_up())
    timer.start()
    return timer
