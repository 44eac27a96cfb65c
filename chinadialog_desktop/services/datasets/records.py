"""Turn mapped rows (or JSON objects) into typed incoming records, reporting every bad value."""

from __future__ import annotations

import uuid as uuidlib
from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from functools import cache, partial
from typing import Any

from chinadialog_desktop.domain.kinds import REGISTRY
from chinadialog_desktop.domain.labels import label
from chinadialog_desktop.i18n import _
from chinadialog_desktop.interchange.injection import restore
from chinadialog_desktop.interchange.problems import ProblemList
from chinadialog_desktop.interchange.table import Row, Table
from chinadialog_desktop.interchange.values import as_text, parse_int, parse_partial_date
from chinadialog_desktop.services.datasets.kinds import FieldSpec, KindSpec, country_code, enum_code
from chinadialog_desktop.services.datasets.mapping import ColumnMapping

EXTRAS_HEADING = "[Weitere Spalten aus dem Import / Additional imported columns]"


@dataclass(slots=True)
class Incoming:
    """One record as the file gives it: only the fields the file provides."""

    kind: KindSpec
    place: dict[str, Any]
    uuid: str | None = None
    values: dict[str, Any] = field(default_factory=dict)
    parties: dict[str, tuple[str | None, str | None]] = field(default_factory=dict)
    refs: dict[str, tuple[str | None, str | None]] = field(default_factory=dict)  # name, uuid
    extras: dict[str, str] = field(default_factory=dict)
    # Values the import supplies itself (not the file) for a record that is new here.
    defaults: dict[str, Any] = field(default_factory=dict)


class BadValue(ValueError):
    """A cell whose content does not fit its field; the message is for people."""


def _split_list(raw: object) -> list[str]:
    if isinstance(raw, list):
        return [str(x) for x in raw]
    text = as_text(raw) or ""
    for sep in (";", "|", ","):
        if sep in text:
            return [p.strip() for p in text.split(sep) if p.strip()]
    return [text.strip()] if text.strip() else []


def _plain_text(spec: FieldSpec, raw: object) -> Any:
    """The common case, a text cell for a text field, without the general checks."""
    if type(raw) is str:
        if not raw or raw.isspace():
            return None
        if spec.max_length is not None and len(raw) > spec.max_length:
            return type_value(spec, raw)  # raises with the reason
        return raw
    return type_value(spec, raw)


def converter(spec: FieldSpec) -> Callable[[object], Any]:
    if (
        spec.value_type in ("text", "party", "ref")
        and not spec.name.endswith("uuid")
        and (spec.source is None or spec.source.rule is None)
    ):
        return partial(_plain_text, spec)
    return partial(type_value, spec)


def type_value(spec: FieldSpec, raw: object) -> Any:
    """The stored value for one cell; raises BadValue with a reason for people."""
    if spec.value_type == "date":
        try:
            return parse_partial_date(raw)
        except ValueError:
            raise BadValue(
                _(
                    "'{value}' is not a date; write it as 19.02.2026, 02.2026, 2026 or 2026-02-19."
                ).format(value=raw)
            ) from None
    if spec.value_type == "int":
        try:
            number = parse_int(raw)
        except ValueError:
            raise BadValue(_("'{value}' is not a whole number.").format(value=raw)) from None
        if spec.name == "year" and number is not None and not 1000 <= number <= 9999:
            raise BadValue(
                _("'{value}' is not a year; write it with four digits, such as 2024.").format(
                    value=raw
                )
            )
        return number
    if spec.value_type == "list":
        assert spec.enum is not None
        codes = []
        for part in _split_list(raw):
            code = enum_code(spec.enum, part)
            if code is None:
                raise BadValue(_unknown_code(part, spec))
            codes.append(code)
        return codes
    if isinstance(raw, list | dict):
        raise BadValue(_("A list or object is not allowed here."))
    text = as_text(raw)
    if text is None:
        return None
    if spec.value_type == "enum":
        assert spec.enum is not None
        code = enum_code(spec.enum, text)
        if code is None:
            raise BadValue(_unknown_code(text, spec))
        return code
    if spec.value_type == "country":
        code = country_code(text)
        if code is None:  # read generously (Deutschland, de), then refused as the editor does
            fallback = _("'{value}' is not a country; write a two-letter code such as DE or CN.")
            raise BadValue(spec.check(text) or fallback.format(value=text))
        return code
    if spec.name.endswith("uuid"):
        try:
            return str(uuidlib.UUID(text.strip()))
        except ValueError:
            raise BadValue(_("'{value}' is not a UUID.").format(value=text)) from None
    if message := spec.check(text):
        raise BadValue(message)  # the registry's check: the editor's own rule and words
    return text


def record_error(rec: Incoming) -> tuple[str, str] | None:
    """A problem of the whole record that the editor would refuse too: (field, message)."""
    if rec.kind.kind is None:
        return None
    for name, message in REGISTRY[rec.kind.kind].record_errors(rec.values).items():
        return name, message
    return None


def _unknown_code(value: str, spec: FieldSpec) -> str:
    assert spec.enum is not None
    # The column is named before this sentence; the values are the window's own words.
    return _("'{value}' is not one of the known values: {known}.").format(
        value=value, known=", ".join(label(spec.enum, m) for m in spec.enum)
    )


def _assign(rec: Incoming, spec: FieldSpec, value: Any) -> None:
    assigner(spec)(rec, value)


Assign = Callable[[Incoming, Any], None]


def _assign_ref(base: str, by_name: bool) -> Assign:
    def assign(rec: Incoming, value: Any) -> None:
        name, ref = rec.refs.get(base, (None, None))
        rec.refs[base] = (value, ref) if by_name else (name, value)

    return assign


def _assign_party(role: str, by_name: bool) -> Assign:
    def assign(rec: Incoming, value: Any) -> None:
        name, ref = rec.parties.get(role, (None, None))
        rec.parties[role] = (value, ref) if by_name else (name, value)

    return assign


def _assign_uuid(rec: Incoming, value: Any) -> None:
    rec.uuid = value


def _assign_date(name: str, precision: str | None) -> Assign:
    def assign(rec: Incoming, value: Any) -> None:
        rec.values[name] = value[0] if value else None
        if precision and precision not in rec.values:
            rec.values[precision] = value[1] if value else "day"

    return assign


def _assign_code(name: str) -> Assign:
    def assign(rec: Incoming, value: Any) -> None:
        if value is not None:  # an empty cell keeps the default (or the local value)
            rec.values[name] = value

    return assign


def _assign_value(name: str) -> Assign:
    def assign(rec: Incoming, value: Any) -> None:
        rec.values[name] = value

    return assign


@cache
def assigner(spec: FieldSpec) -> Assign:
    """How a typed value of ``spec`` enters a record: decided once per field, not per cell."""
    if spec.ref is not None:
        return _assign_ref(spec.name.removesuffix("_uuid"), spec.value_type == "ref")
    if spec.value_type == "party":
        return _assign_party(spec.name.removesuffix("_party"), True)
    if spec.name.endswith("_party_uuid"):
        return _assign_party(spec.name.removesuffix("_party_uuid"), False)
    if spec.name == "uuid":
        return _assign_uuid
    if spec.value_type == "date":
        return _assign_date(spec.name, spec.precision)
    if spec.value_type in ("enum", "country"):
        return _assign_code(spec.name)
    return _assign_value(spec.name)


def records_from_table(
    table: Table, mapping: ColumnMapping, problems: ProblemList
) -> list[Incoming]:
    # Each row is let go as soon as it is converted: rows and records never all coexist.
    rows = table.rows
    table.rows = []
    rows.reverse()

    def popped() -> Iterator[Row]:
        while rows:
            yield rows.pop()

    return list(iter_records(table, popped(), mapping, problems))


def iter_records(
    table: Table, rows: Iterable[Row], mapping: ColumnMapping, problems: ProblemList
) -> Iterator[Incoming]:
    """The typed records of ``rows`` (of ``table``), one at a time; bad values are reported."""
    kind = mapping.kind
    # Explicit precision columns are assigned before dates, so they win over the guess.
    order = sorted(
        range(len(mapping.fields)),
        key=lambda i: 0 if (mapping.fields[i] or "").endswith("_precision") else 1,
    )
    specs = [kind.field(name) if name else None for name in mapping.fields]
    converters = [converter(spec) if spec else None for spec in specs]
    assigners = [assigner(spec) if spec else None for spec in specs]
    own_export = mapping.own_export
    for row in rows:
        rec = Incoming(kind, table.where(row.line))
        ok = True
        cells = row.cells
        width = len(cells)
        for index in order:
            raw = cells[index] if index < width else None
            if own_export and isinstance(raw, str):
                raw = restore(raw)
            assign = assigners[index]
            if assign is None:
                text = as_text(raw)
                if text is not None:
                    rec.extras[table.headers[index] or f"#{index + 1}"] = text
                continue
            try:
                assign(rec, converters[index](raw))  # type: ignore[misc]
            except BadValue as exc:
                problems.error(
                    str(exc),
                    code="value.invalid",
                    header=table.headers[index],
                    **table.where(row.line, index + 1),
                )
                ok = False
        if ok and (found := record_error(rec)):
            name, message = found
            column = mapping.fields.index(name) + 1 if name in mapping.fields else None
            spec = kind.field(name)
            caption = _(spec.caption) if spec is not None and spec.caption else name
            problems.error(
                message,
                code="value.invalid",
                header=table.headers[column - 1] if column else caption,
                **table.where(row.line, column),
            )
            ok = False
        if ok:
            yield rec


def records_from_json(
    kind: KindSpec, items: list[Any], problems: ProblemList, place: Mapping[str, Any]
) -> list[Incoming]:
    """Records of our own JSON export shape: one object per record, keys are field names."""
    records: list[Incoming] = []
    for n, item in enumerate(items):
        key = f"records.{kind.key}[{n}]"
        if not isinstance(item, dict):
            problems.error(_("A record must be an object."), key=key, code="json.shape", **place)
            continue
        rec = Incoming(kind, {**place, "key": key})
        ok = True
        precision_first = sorted(
            item.items(), key=lambda kv: 0 if kv[0].endswith("_precision") else 1
        )
        for name, raw in precision_first:
            spec = kind.field(name)
            if spec is None:
                if raw is not None:
                    rec.extras[name] = raw if isinstance(raw, str) else repr(raw)
                continue
            try:
                _assign(rec, spec, type_value(spec, raw))
            except BadValue as exc:
                problems.error(str(exc), key=f"{key}.{name}", code="value.invalid", **place)
                ok = False
        if ok and (found := record_error(rec)):
            name, message = found
            problems.error(message, key=f"{key}.{name}", code="value.invalid", **place)
            ok = False
        if ok:
            records.append(rec)
    return records


def extras_block(extras: Mapping[str, str]) -> str:
    lines = [EXTRAS_HEADING]
    for header, value in extras.items():
        lines.append(f"{header}: " + value.replace("\n", "\n  "))
    return "\n".join(lines)


def strip_extras(text: str | None) -> str | None:
    if not text:
        return text
    at = text.find(EXTRAS_HEADING)
    if at < 0:
        return text
    kept = text[:at].rstrip("\n")
    return kept or None


def with_extras(text: str | None, extras: Mapping[str, str]) -> str | None:
    """``text`` with its extras block replaced by one for ``extras``."""
    base = strip_extras(text)
    if not extras:
        return base
    block = extras_block(extras)
    return f"{base}\n\n{block}" if base else block
