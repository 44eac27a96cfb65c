"""The partnership list's first page straight from the file, before SQLAlchemy is loaded.

The window shows its first list about 0.35 s sooner this way: importing SQLAlchemy
and the models takes longer than everything else up to the filled list. So the
start reads the ids of the list in its default order and the rows of the first
batch through a plain ``sqlite3`` connection, and opens the ORM session right
after that frame (``ui/app.py``); from then on every list is read through
``services.records.lists`` as always.

Nothing is defined twice: the sort column is the registry's default sort
(``domain.kinds``), ordered by the one sort key function ``cd_sort`` registered on
the connection as on the engine's (``persistence.sqlite_files.install_sort_key``);
the columns and the row building are ``services.records.rows``, which the ORM
listing uses too. A unit test checks that both give the same ids and rows.
"""

from __future__ import annotations

import json
import sqlite3
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from chinadialog_desktop.domain.kinds import REGISTRY, Field, Kind
from chinadialog_desktop.persistence.lifecycle import ReadyFile, connect
from chinadialog_desktop.persistence.sqlite_files import (
    SORT_FUNCTION,
    WINDOW_BUSY_TIMEOUT_MS,
    install_sort_key,
)
from chinadialog_desktop.services.records.rows import (
    PARTNERSHIP_EXTRAS,
    PARTNERSHIP_RESULT,
    ListQuery,
    PartnershipRow,
    grouped_partnership_rows,
)


def _default_sort() -> Field:
    kind = REGISTRY[Kind.PARTNERSHIP]
    found = kind.field(kind.default_sort[0])
    assert found is not None and found.stored and found.list_column is not None
    return found


_SORT = _default_sort()
# The list's default query, as the window asks it (the sort key is the list column's).
FIRST_QUERY = ListQuery(sort=str(_SORT.list_column))


def _sort_expression() -> str:
    column = f"partnership.{_SORT.name}"
    # Texts by the one sort key, anything else as stored (``listing.sortable``).
    return f"{SORT_FUNCTION}({column})" if _SORT.value_type == "text" else column


IDS_SQL = f"SELECT partnership.id FROM partnership ORDER BY {_sort_expression()}, partnership.id"
ROWS_SQL = (
    "SELECT "
    + ", ".join(f"{table}.{column}" for table, column in PARTNERSHIP_RESULT)
    + " FROM partnership"
    " LEFT OUTER JOIN partnership_party ON partnership_party.partnership_id = partnership.id"
    " LEFT OUTER JOIN actor ON actor.id = partnership_party.actor_id"
    " WHERE partnership.id IN ({marks})"
    " ORDER BY partnership.id, partnership_party.position, partnership_party.id"
)


def _as_date(value: Any) -> Any:
    return date.fromisoformat(value) if isinstance(value, str) else value


# Stored values the ORM's column types convert on reading: converted alike here.
_CONVERT: dict[int, Any] = {
    PARTNERSHIP_RESULT.index(("partnership", "start_date")): _as_date,
    PARTNERSHIP_RESULT.index(("partnership", "end_date")): _as_date,
    **{
        PARTNERSHIP_RESULT.index(("partnership", f.name)): _as_date
        for f in PARTNERSHIP_EXTRAS
        if f.value_type == "date"
    },
    **{
        PARTNERSHIP_RESULT.index(("partnership", f.name)): lambda v: json.loads(v) if v else v
        for f in PARTNERSHIP_EXTRAS
        if f.value_type == "list"
    },
}


def _converted(row: tuple[Any, ...]) -> tuple[Any, ...]:
    values = list(row)
    for at, convert in _CONVERT.items():
        values[at] = convert(values[at])
    return tuple(values)


@dataclass(frozen=True)
class FirstPage:
    """The ids of the list in ``query``'s order and the rows of the first ``len(rows)``."""

    query: ListQuery
    ids: list[int]
    rows: dict[int, PartnershipRow] = field(default_factory=dict)


def first_partnership_page(ready: ReadyFile, count: int) -> FirstPage | None:
    """The partnership list of a file ``services.unit.check_file`` made ready, in its
    default order, with the rows of its first ``count`` ids; one read-only connection.

    None when the file cannot be read this way at the moment (locked, or any SQLite
    error): the window then reads the list through the ORM, whose messages say why.
    """
    try:
        conn = connect(ready.path, "ro")
    except sqlite3.Error:
        return None
    try:
        conn.execute(f"PRAGMA busy_timeout = {WINDOW_BUSY_TIMEOUT_MS}")
        install_sort_key(conn)
        ids = [row[0] for row in conn.execute(IDS_SQL).fetchall()]
        first = ids[:count]
        rows: dict[int, PartnershipRow] = {}
        if first:
            sql = ROWS_SQL.format(marks=", ".join("?" * len(first)))
            result = (_converted(r) for r in conn.execute(sql, first))
            rows = {row.id: row for row in grouped_partnership_rows(result)}
    except (sqlite3.Error, ValueError):  # ValueError: a stored date that is no date
        return None
    finally:
        conn.close()
    return FirstPage(FIRST_QUERY, ids, rows)


__all__ = ["FIRST_QUERY", "IDS_SQL", "ROWS_SQL", "FirstPage", "first_partnership_page"]
