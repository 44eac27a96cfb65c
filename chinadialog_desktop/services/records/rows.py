"""The partnership list's row and query types, without SQLAlchemy.

``PartnershipRow`` is the row the command line prints and the window shows;
``ListQuery`` what a list asks for. Both are read by ``services.records.listing``
(through the ORM) and by ``services.records.first_page`` (the window's first page,
straight from the file before SQLAlchemy is loaded), so the two build the same rows
from the same columns, in the order ``PARTNERSHIP_RESULT`` gives.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, fields
from datetime import date, datetime
from itertools import groupby
from operator import itemgetter
from typing import Any

from chinadialog_desktop.domain.enums import PartyRole
from chinadialog_desktop.domain.kinds import REGISTRY, Field, Kind


def jsonable(value: Any) -> Any:
    if isinstance(value, (date, datetime)):
        return value.isoformat()
    if isinstance(value, tuple):
        return list(value)
    return value


@dataclass(frozen=True)
class ListQuery:
    """What a list shows: a text filter, choice filters and one sort column."""

    text: str = ""
    sort: str = ""
    descending: bool = False
    filters: tuple[tuple[str, str], ...] = ()

    def filter(self, name: str) -> str | None:
        return dict(self.filters).get(name) or None


@dataclass(frozen=True)
class PartnershipRow:
    id: int
    uuid: str
    title: str
    german_parties: str
    chinese_parties: str
    chinese_names_zh: str
    type: str
    status: str
    start_date: date | None
    start_precision: str
    end_date: date | None
    fields_of_action: tuple[str, ...]
    extra: tuple[tuple[str, Any], ...] = ()  # the registry's further list columns

    def as_json(self) -> dict[str, Any]:
        # By hand, not ``asdict``: its deep copies cost more than the query at 50,000 rows.
        d = {name: getattr(self, name) for name in _PARTNERSHIP_FIELDS}
        d["start_date"] = self.start_date.isoformat() if self.start_date else None
        d["end_date"] = self.end_date.isoformat() if self.end_date else None
        d["fields_of_action"] = list(self.fields_of_action)
        d.update((k, jsonable(v)) for k, v in self.extra)
        return d


_PARTNERSHIP_FIELDS = tuple(f.name for f in fields(PartnershipRow) if f.name != "extra")


def registry_extras(kind: Kind, row_type: type) -> tuple[Field, ...]:
    """The registry's stored list fields that ``row_type`` does not build by hand: their
    values travel in the row's ``extra`` (a new field is listed without touching this)."""
    known = {f.name for f in fields(row_type)}
    return tuple(
        f
        for f in REGISTRY[kind].list_fields()
        if f.stored and f.name not in known and f.list_column not in known
    )


PARTNERSHIP_EXTRAS = registry_extras(Kind.PARTNERSHIP, PartnershipRow)

# One result row of the partnership list: a partnership joined with one of its parties
# (outer joins: a partnership without parties gives one row of NULLs there), as
# (table, column) in order; the registry's further list columns follow at the end.
PARTNERSHIP_RESULT: tuple[tuple[str, str], ...] = (
    ("partnership", "id"),
    ("partnership", "uuid"),
    ("partnership", "title"),
    ("partnership", "type"),
    ("partnership", "status"),
    ("partnership", "start_date"),
    ("partnership", "start_precision"),
    ("partnership", "end_date"),
    ("partnership", "fields_of_action"),  # the stored JSON text, decoded once per partnership
    ("partnership_party", "role"),
    ("actor", "name_de"),
    ("actor", "name_zh"),
    *(("partnership", f.name) for f in PARTNERSHIP_EXTRAS),
)
_AT = {column: n for n, (_table, column) in enumerate(PARTNERSHIP_RESULT[:12])}
_EXTRA_AT = 12


def json_list(value: Any) -> list[Any]:
    """The stored JSON: text on SQLite (decoded here), already decoded by psycopg on a server."""
    if isinstance(value, str):
        value = json.loads(value or "null")
    return list(value or ())


_ID, _UUID, _TITLE, _TYPE, _STATUS = (_AT[c] for c in ("id", "uuid", "title", "type", "status"))
_START, _PRECISION, _END = _AT["start_date"], _AT["start_precision"], _AT["end_date"]
_FIELDS, _ROLE, _NAME_DE, _NAME_ZH = (
    _AT[c] for c in ("fields_of_action", "role", "name_de", "name_zh")
)
_EXTRA_KEYS = tuple(str(f.list_column) for f in PARTNERSHIP_EXTRAS)
_GERMAN, _CHINESE = PartyRole.GERMAN.value, PartyRole.CHINESE.value


def _partnership_row(parties: list[Any]) -> PartnershipRow:
    """One partnership from its result rows (a row per party, in order).

    By position, with the positions looked up once: at 50,000 partnerships the
    lookups on the result rows cost as much as the query.
    """
    p = parties[0]
    chinese = [r for r in parties if r[_ROLE] == _CHINESE]
    return PartnershipRow(
        id=p[_ID],
        uuid=p[_UUID],
        title=p[_TITLE],
        german_parties=", ".join(
            [r[_NAME_DE] for r in parties if r[_ROLE] == _GERMAN and r[_NAME_DE]]
        ),
        chinese_parties=", ".join([r[_NAME_DE] for r in chinese if r[_NAME_DE]]),
        chinese_names_zh=", ".join([r[_NAME_ZH] for r in chinese if r[_NAME_ZH]]),
        type=p[_TYPE],
        status=p[_STATUS],
        start_date=p[_START],
        start_precision=p[_PRECISION],
        end_date=p[_END],
        fields_of_action=tuple(json_list(p[_FIELDS])),
        extra=tuple(zip(_EXTRA_KEYS, p[_EXTRA_AT:], strict=True)),
    )


def grouped_partnership_rows(result: Iterable[Any]) -> Iterator[PartnershipRow]:
    """Partnership rows from result rows laid out as ``PARTNERSHIP_RESULT``, ordered by
    partnership (then party position)."""
    for _id, rows in groupby(result, key=itemgetter(_ID)):
        yield _partnership_row(list(rows))


__all__ = [
    "PARTNERSHIP_EXTRAS",
    "PARTNERSHIP_RESULT",
    "ListQuery",
    "PartnershipRow",
    "grouped_partnership_rows",
    "json_list",
    "jsonable",
    "registry_extras",
]
