"""No cyclic garbage collection while the window starts (no Qt here: paused before PySide6 loads).

Start-up builds hundreds of long-lived objects (modules, Qt types and their
enums, SQLAlchemy's classes and mappers) and almost no garbage, yet every
700 new container objects make Python's collector look through all of them
again: about 65 collections and 20–25 ms of CPU before the first frame, some
220 and 80 ms before the list is filled (``benchmarks/startup.py``). The window's start pauses the
collector (``pause``) and switches it back on (``resume``) once the list is on
screen and the rest of the workspace is attached, or when the start failed,
or after ``FALLBACK_MS`` whatever happened. Reference counting frees objects
as always meanwhile; only cycles wait for the next collection.
"""

from __future__ import annotations

import gc

# The collector is back on after this long at the latest (a window that never
# paints, e.g. started minimised, must not run without it).
FALLBACK_MS = 10_000

_paused = False


def pause() -> None:
    """Switch automatic collection off, if it is on (otherwise someone else owns it)."""
    global _paused
    if gc.isenabled():
        gc.disable()
        _paused = True


def resume() -> None:
    """Switch it back on if ``pause`` switched it off; harmless to call more than once."""
    global _paused
    if _paused:
        _paused = False
        gc.enable()


def paused() -> bool:
    return _paused
