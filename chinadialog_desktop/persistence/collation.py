"""``sort_key(column)``: ``domain.collation.sort_key`` as an SQL expression.

On SQLite every connection gets the Python function as ``cd_sort``
(``install``, called by the engine's connect hook); on PostgreSQL the same rule
is written in SQL (umlauts and accented Latin letters to their base letter, ß to
ss, lower case) and compared by code point (``COLLATE "C"``), as Python and
SQLite compare. Used for every ORDER BY of a name or title.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import String
from sqlalchemy.ext.compiler import compiles
from sqlalchemy.sql.functions import GenericFunction

from chinadialog_desktop.domain.collation import sort_key as _python_key
from chinadialog_desktop.persistence.sqlite_files import SORT_FUNCTION as SQLITE_FUNCTION
from chinadialog_desktop.persistence.sqlite_files import install_sort_key as install

_ACCENTED = "ÄÖÜäöüÀÁÂÃÅÈÉÊËÌÍÎÏÒÓÔÕÙÚÛÝÇÑàáâãåèéêëìíîïòóôõùúûýÿçñ"
_BASE = "".join(_python_key(c) for c in _ACCENTED)  # the rule itself: ä → a, É → e
assert len(_BASE) == len(_ACCENTED)


class sort_key(GenericFunction[str]):  # noqa: N801 — an SQL function, named like one
    """The sort key of a text column (see the module docstring)."""

    type = String()
    name = "cd_sort_key"
    inherit_cache = True


@compiles(sort_key, "sqlite")
def _sqlite(element: Any, compiler: Any, **kw: Any) -> str:
    return f"{SQLITE_FUNCTION}({compiler.process(element.clauses, **kw)})"


@compiles(sort_key)
def _other(element: Any, compiler: Any, **kw: Any) -> str:
    inner = compiler.process(element.clauses, **kw)
    return f"lower(replace(translate({inner}, '{_ACCENTED}', '{_BASE}'), 'ß', 'ss')) COLLATE \"C\""


__all__ = ["SQLITE_FUNCTION", "install", "sort_key"]
