"""Load the database layer without PySide6's per-module import check.

PySide6 (6.12) replaces ``builtins.__import__`` with a hook that, for every
module imported after it, reads the module's source text to see whether it
mentions PySide6 (for the opt-in ``from __feature__ import …`` syntax). The
window loads SQLAlchemy and the persistence and service code (some 300
modules, none of which uses Qt) only after its first frame; with the check
that costs 60–90 ms of CPU time before the list can be filled
(``benchmarks/startup.py``). These modules are imported here with the
interpreter's own import function instead. Modules that use Qt are never
imported inside ``plain_imports``.
"""

from __future__ import annotations

import builtins
import importlib
from collections.abc import Iterator
from contextlib import contextmanager

from chinadialog_desktop import BUILTIN_IMPORT

# The services the window needs to open a file and fill its first list (with SQLAlchemy
# and the models below them); none of them imports Qt.
DATABASE_LAYER = (
    "chinadialog_desktop.services.unit",
    "chinadialog_desktop.services.dbadmin",
    "chinadialog_desktop.services.records.lists",
    "chinadialog_desktop.services.records.listing",
)


@contextmanager
def plain_imports() -> Iterator[None]:
    """Imports inside use the interpreter's import function (see the module text)."""
    hooked = builtins.__import__
    if hooked is BUILTIN_IMPORT:
        yield
        return
    builtins.__import__ = BUILTIN_IMPORT
    try:
        yield
    finally:
        builtins.__import__ = hooked


def load_database_layer() -> None:
    """Import ``DATABASE_LAYER`` (and so SQLAlchemy) without the check; cheap when loaded."""
    with plain_imports():
        for name in DATABASE_LAYER:
            importlib.import_module(name)
        from chinadialog_desktop.services.unit import load_database_code

        load_database_code()
