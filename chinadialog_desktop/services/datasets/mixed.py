"""A list of persons and organisations in one table: each row read as a contact or an actor.

A partner city's delegation list names organisations and the people who work there
in one table; its column "Art" says which each row is. Organisations become actors,
persons contacts — read with the fields, limits and checks of their own kind, so that
the import of a mixed list says exactly what an actors or contacts import would say,
at the same line and column. Both halves are planned and written in one run (actors
first, so that a person can name an organisation of the same file).

A contact is shown in the window under its organisation (or partnership), so every
person must name one: a row of the file or an actor in the database, by any of its
names (``Organisation``, ``gehört zu``); a person without one is an error.
"""

from __future__ import annotations

from collections.abc import Collection, Iterable
from dataclasses import dataclass, field
from typing import Any

from chinadialog_desktop.domain.enums import ActorKind
from chinadialog_desktop.domain.folding import fold
from chinadialog_desktop.i18n import _
from chinadialog_desktop.interchange.problems import ProblemList
from chinadialog_desktop.interchange.table import Row, Table
from chinadialog_desktop.interchange.values import as_text
from chinadialog_desktop.services.datasets.kinds import (
    ACTORS,
    CONTACTS,
    MIXED,
    ORGANISATION,
    PERSON,
    RECORD_TYPE,
    RECORD_TYPE_WORDS,
    KindSpec,
    record_type,
)
from chinadialog_desktop.services.datasets.mapping import ColumnMapping, lookup
from chinadialog_desktop.services.datasets.records import (
    BadValue,
    Incoming,
    records_from_table,
    type_value,
)

# The mixed list's field → the field of each kind ("name" is an actor's display name).
_AS_ACTOR = {"name": "name_de"}
_LINKS = ("actor", "actor_uuid", "partnership", "partnership_uuid")


@dataclass
class MixedRows:
    """What a mixed table holds: its organisations as actors, its persons as contacts."""

    actors: list[Incoming] = field(default_factory=list)
    contacts: list[Incoming] = field(default_factory=list)


def has_type_column(headers: list[str]) -> bool:
    """Whether a column could be the mixed list's "Art" (its values decide, see below)."""
    table_lookup = lookup(MIXED)
    return any(table_lookup.get(fold(h)) == RECORD_TYPE for h in headers)


def looks_mixed(table: Table) -> bool:
    """Whether a column the mixed list calls "Art" says "Person" or "Organisation" somewhere.

    Only these words decide it: a column "Art" of actor kinds alone (Kommune,
    Unternehmen) is an actors list, as it always was.
    """
    table_lookup = lookup(MIXED)
    columns = [i for i, h in enumerate(table.headers) if table_lookup.get(fold(h)) == RECORD_TYPE]
    seen: set[str] = set()  # such a column repeats a few values: fold each once
    for index in columns:
        for row in table.rows:
            cell = row.cells[index] if index < len(row.cells) else None
            if isinstance(cell, str) and cell not in seen:
                if fold(cell) in RECORD_TYPE_WORDS:
                    return True
                seen.add(cell)
    return False


def _half(mapping: ColumnMapping, kind: KindSpec) -> ColumnMapping:
    """The mixed mapping as one kind reads it: fields that kind lacks are kept as extras."""
    fields: list[str | None] = []
    for name in mapping.fields:
        target = _AS_ACTOR.get(name or "", name) if kind is ACTORS else name
        fields.append(target if target is not None and kind.field(target) else None)
    return ColumnMapping(kind, mapping.headers, tuple(fields), False)


def split_mixed(table: Table, mapping: ColumnMapping, problems: ProblemList) -> MixedRows | None:
    """Each row read as an actor or a contact; None when the table cannot be read as mixed."""
    where = {"file": table.file, "member": table.member}
    if RECORD_TYPE not in mapping.fields:
        problems.error(
            _(
                'No column says whether a row is a person or an organisation; add a column "Art" '
                'or map one with --map "Column=record_type".'
            ),
            code="mapping.missing",
            **where,
        )
        return None
    type_column = mapping.fields.index(RECORD_TYPE)
    header = table.headers[type_column]
    type_key = header or f"#{type_column + 1}"  # how records_from_table keeps the column
    links = [i for i, f in enumerate(mapping.fields) if f in _LINKS]
    kinds: dict[int, str | None] = {}  # line → actor kind the "Art" gave (Unternehmen …)
    persons: list[Row] = []
    organisations: list[Row] = []
    for row in table.rows:
        raw = row.cells[type_column] if type_column < len(row.cells) else None
        text = as_text(raw) or ""
        found = record_type(text)
        if found is None:
            problems.error(
                _(
                    "Column '{header}': '{value}' is neither Person nor Organisation (nor a kind "
                    "of organisation such as Unternehmen or Behörde)."
                ).format(header=header, value=text)
                if text.strip()
                else _("Column '{header}' is empty: write Person or Organisation.").format(
                    header=header
                ),
                code="value.invalid",
                **table.where(row.line, type_column + 1),
            )
            continue
        if found[0] == PERSON:
            persons.append(row)
        else:
            organisations.append(row)
            kinds[row.line] = found[1]
    if persons and not links:
        problems.error(
            _(
                "The list names persons, but no column says which organisation they belong to; "
                'add a column "Organisation" (or "gehört zu") naming an organisation of the list '
                "or of the database."
            ),
            code="mapping.missing",
            **where,
        )
        return None
    result = MixedRows()
    result.actors = _read(table, organisations, _half(mapping, ACTORS), type_key, problems)
    for rec in result.actors:
        kind = kinds.get(rec.place.get("line", -1))
        if kind is not None and "kind" not in rec.values:
            rec.values["kind"] = kind
        elif "kind" not in rec.values:
            rec.defaults["kind"] = ActorKind.OTHER.value  # "Organisation" says no more
        if "country" not in rec.values and rec.values.get("name_zh"):
            rec.defaults["country"] = "CN"  # named in Chinese characters, no country given
    contacts = _read(table, persons, _half(mapping, CONTACTS), type_key, problems)
    pinyin = [table.headers[i] for i, f in enumerate(mapping.fields) if f == "name_pinyin"]
    for rec in contacts:
        if _person(rec, pinyin, links, table, problems):
            result.contacts.append(rec)
    return result


def _read(
    table: Table, rows: list[Row], mapping: ColumnMapping, type_key: str, problems: ProblemList
) -> list[Incoming]:
    half = Table(
        table.file,
        table.headers,
        rows,
        table.format,
        table.encoding,
        table.delimiter,
        table.sheet,
        table.member,
        table.header_line,
    )
    records = records_from_table(half, mapping, problems)
    for rec in records:
        rec.extras.pop(type_key, None)  # "Art" made the row what it is: nothing to keep
    return records


def _person(
    rec: Incoming, pinyin: list[str], links: list[int], table: Table, problems: ProblemList
) -> bool:
    """A person's name in pinyin is its name when no other is given; it must name its link."""
    line = rec.place.get("line", 0)
    for header in pinyin:
        value = rec.extras.get(header)
        if value is None:
            continue
        if not rec.values.get("name"):
            spec = CONTACTS.field("name")
            assert spec is not None
            try:
                rec.values["name"] = type_value(spec, value)
            except BadValue as exc:
                problems.error(
                    str(exc),
                    code="value.invalid",
                    header=header,
                    **table.where(line, table.headers.index(header) + 1),
                )
                return False
            del rec.extras[header]
    if any(name or ref for name, ref in rec.refs.values()):
        return True
    shown = rec.values.get("name") or rec.values.get("name_zh") or ""
    problems.error(
        _(
            "The person '{name}' belongs to no organisation; name one of the list or of the "
            "database in the column '{header}'."
        ).format(name=shown, header=table.headers[links[0]]),
        code="record.no_link",
        **table.where(line, links[0] + 1),
    )
    return False


def mixed_counts(batches: Iterable[tuple[KindSpec, Iterable[Any]]]) -> dict[str, int]:
    """Persons and organisations read from a file (for the preview).

    A mixed file's two batches are lists; rows still streamed (an iterator) are not counted.
    """
    counts = {PERSON: 0, ORGANISATION: 0}
    for kind, records in batches:
        if not isinstance(records, Collection):
            continue
        if kind is CONTACTS:
            counts[PERSON] += len(records)
        elif kind is ACTORS:
            counts[ORGANISATION] += len(records)
    return counts
