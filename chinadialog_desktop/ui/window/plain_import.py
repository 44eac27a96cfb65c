"""Load the database layer without PySide6's per-module import check.

PySide6 (6.12) replaces ``builtins.__import__`` with a hook that, for every
module imported after it, reads the module's source text to see whether it
mentions PySide6 (for the opt-in ``from __feature__ import …`` syntax). The
window loads SQLAlchemy and the persistence and service code (some 300
modules, none of which uses Qt) only after its first frame; with the check
that costs 60–90 ms of CPU time (``benchmarks/startup.py``). These modules are
imported here with the interpreter's own import function instead. Modules that
use Qt are never imported inside ``plain_imports``.

The window's start imports them on a worker thread (``ui/window/take_over.py``)
while the GUI thread goes on handling input and paints: only imports made on a
thread inside ``plain_imports`` skip the check; the other threads' imports keep it.
"""

from __future__ import annotations

import builtins
import importlib
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from chinadialog_desktop import BUILTIN_IMPORT

# The services the window needs to open a file and fill its first list (with SQLAlchemy
# and the models below them); none of them imports Qt.
DATABASE_LAYER = (
    "chinadialog_desktop.services.unit",
    "chinadialog_desktop.services.dbadmin",
    "chinadialog_desktop.services.records.lists",
    "chinadialog_desktop.services.records.listing",
)

_lock = threading.Lock()
_plain: set[int] = set()  # the threads inside plain_imports
_hooked: Any = None  # PySide6's hook, put back when no thread is inside any more


def _dispatch(
    name: str,
    globals: Any = None,  # noqa: A002 - the signature of builtins.__import__
    locals: Any = None,  # noqa: A002
    fromlist: Any = (),
    level: int = 0,
) -> Any:
    """``builtins.__import__`` while a thread is inside ``plain_imports``."""
    importer = BUILTIN_IMPORT if threading.get_ident() in _plain else _hooked
    return importer(name, globals, locals, fromlist, level)


@contextmanager
def plain_imports() -> Iterator[None]:
    """Imports inside, on this thread, use the interpreter's import function (see the
    module text); imports on other threads meanwhile go through the hook as before."""
    global _hooked
    me = threading.get_ident()
    with _lock:
        current = builtins.__import__
        if me in _plain or (current is BUILTIN_IMPORT and not _plain):
            entered = False  # nested, or nothing replaced the import function
        else:
            if current is not _dispatch:
                _hooked = current
                builtins.__import__ = _dispatch
            _plain.add(me)
            entered = True
    try:
        yield
    finally:
        if entered:
            with _lock:
                _plain.discard(me)
                if not _plain and builtins.__import__ is _dispatch:
                    builtins.__import__ = _hooked


def import_plainly(names: tuple[str, ...]) -> None:
    """Import the Qt-free modules ``names`` without the check; cheap when loaded."""
    with plain_imports():
        for name in names:
            importlib.import_module(name)


def load_database_layer() -> None:
    """Import ``DATABASE_LAYER`` (and so SQLAlchemy) without the check; cheap when loaded."""
    with plain_imports():
        import_plainly(DATABASE_LAYER)
        from chinadialog_desktop.services.unit import load_database_code

        load_database_code()
