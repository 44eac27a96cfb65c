"""``sort_key(column)``: ``domain.collation.sort_key`` as an SQL expression.

On SQLite every connection gets the Python function as ``cd_sort``
(``install``, called by the engine's connect hook); on PostgreSQL the same rule
is written in SQL (umlauts and accented Latin letters to their base letter, ß to
ss, lower case) and compared by code point (``COLLATE "C"``), as Python and
SQLite compare. Used for every ORDER BY of a name or title.

The default orders (partnerships and assessments by title, actors by name) have
an index on exactly this expression (``SORT_INDEXES``, migration 0014), so the
database reads them in order instead of computing and sorting every key: on
SQLite an index on ``cd_sort(…)`` (a deterministic function, see
``sqlite_files.add_functions``), on PostgreSQL one on the IMMUTABLE expression.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import Index, String
from sqlalchemy.ext.compiler import compiles
from sqlalchemy.sql.functions import GenericFunction

from chinadialog_desktop.domain.collation import sort_key as _python_key
from chinadialog_desktop.persistence.sqlite_files import SORT_FUNCTION, add_functions

SQLITE_FUNCTION = SORT_FUNCTION
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


def sort_index(column: Any) -> Index:
    """The index that keeps ``column``'s rows in the one sort order (ties by id).

    Named ``ix_<table>_<column>_sort``; the ORDER BY of the lists is the same
    expression (``sort_key(column), id``), so the database walks the index instead
    of sorting. Built by migration 0014 with the same SQL.
    """
    table = column.class_.__table__
    return Index(f"ix_{table.name}_{column.key}_sort", sort_key(column), table.c.id)


def install(dbapi_connection: Any) -> None:
    """Give an SQLite connection the sort key function (``sqlite_files.add_functions``)."""
    add_functions(dbapi_connection)
