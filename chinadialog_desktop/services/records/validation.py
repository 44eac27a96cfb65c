"""Field checks for the editors: required fields, partial dates, an end before its start."""

from __future__ import annotations

import re
from collections.abc import Iterable
from datetime import date
from typing import Any

from chinadialog_desktop.domain import finance, kinds
from chinadialog_desktop.domain.enums import DatePrecision
from chinadialog_desktop.domain.kinds import REGISTRY, Rule, order_error
from chinadialog_desktop.i18n import _

# Fields that must not be empty, per record kind: the registry's (registers included), and
# the dossier's own.
REQUIRED: dict[str, tuple[str, ...]] = {
    **{
        entry.kind.value: tuple(f.name for f in entry.fields if f.required)
        for entry in REGISTRY.values()
    },
    "dossier": ("title",),
    "deliberation": ("body",),
}

# The name a record is shown by, and what stands in for it when a list gives none: a
# row named only in Chinese characters (or only in English or pinyin) is enough, and the
# first of these names becomes its display name, so that the stored record has the name
# the editor requires (the registry's ``name_fields``).
DISPLAY_NAMES: dict[str, tuple[str, ...]] = {
    entry.kind.value: entry.name_fields for entry in REGISTRY.values() if entry.name_fields
}


def display_name(kind: str, values: dict[str, Any]) -> str | None:
    """The first filled-in name of ``DISPLAY_NAMES[kind]`` (``values`` as an import reads them)."""
    for name in DISPLAY_NAMES[kind]:
        value = values.get(name)
        if isinstance(value, str) and value.strip():
            return value
    return None


_DAY_DE = re.compile(r"^(\d{1,2})\.(\d{1,2})\.(\d{4})$")
_MONTH_DE = re.compile(r"^(\d{1,2})\.(\d{4})$")
_DAY_ISO = re.compile(r"^(\d{4})-(\d{1,2})-(\d{1,2})$")
_MONTH_ISO = re.compile(r"^(\d{4})-(\d{1,2})$")
_YEAR = re.compile(r"^(\d{4})$")


class InvalidValue(ValueError):
    """A value the user typed that cannot be stored; the message is translated."""


def date_error() -> str:
    return _("Not a valid date: write DD.MM.YYYY, MM.YYYY or YYYY.")


def parse_partial_date(text: str) -> tuple[date | None, str]:
    """``03.05.2011`` → day, ``05.2011`` → month, ``2011`` → year (ISO forms too); empty → None."""
    text = text.strip()
    if not text:
        return None, DatePrecision.DAY.value
    try:
        if m := _DAY_DE.match(text):
            return date(int(m[3]), int(m[2]), int(m[1])), DatePrecision.DAY.value
        if m := _DAY_ISO.match(text):
            return date(int(m[1]), int(m[2]), int(m[3])), DatePrecision.DAY.value
        if m := _MONTH_DE.match(text):
            return date(int(m[2]), int(m[1]), 1), DatePrecision.MONTH.value
        if m := _MONTH_ISO.match(text):
            return date(int(m[1]), int(m[2]), 1), DatePrecision.MONTH.value
        if m := _YEAR.match(text):
            return date(int(m[1]), 1, 1), DatePrecision.YEAR.value
    except ValueError:  # 31.02.2020, month 13 …
        pass
    raise InvalidValue(date_error())


def parse_year(text: str) -> int | None:
    text = text.strip()
    if not text:
        return None
    if not _YEAR.match(text):
        raise InvalidValue(_("Not a valid year: write four digits, e.g. 2024."))
    return int(text)


# Fields whose filled-in value must have a form (the registry's rules), in the editor and
# the import alike; a name means the same rule in every kind.
RULES: dict[str, Rule] = {
    f.name: f.rule for entry in REGISTRY.values() for f in entry.fields if f.rule is not None
}
FORMAT_FIELDS = frozenset(RULES)


def format_error(kind: str, name: str, value: Any) -> str | None:
    """A message when a filled-in identifier, code or address has the wrong form."""
    rule = RULES.get(name)
    return kinds.format_error(rule, value) if rule is not None else None


def field_error(kind: str, name: str, value: Any) -> str | None:
    """The first problem of one field's value, or None: what the editor shows under it.

    For a kind of the registry this is the field's own check (``Field.check``), the one
    the import and the command line apply too.
    """
    spec = _registry_field(kind, name)
    if spec is not None:
        return spec.check(value)
    return (
        required_error(kind, name, value)
        or format_error(kind, name, value)
        or (finance.field_error(name, value) if kind == "dossier" else None)
    )


def parse_amount(text: str) -> int | None:
    """A Betrag typed in the editor (``12.500,00 €``) → euro cents; empty → None."""
    try:
        return finance.parse_amount(text)
    except finance.FinanceValueError as exc:
        raise InvalidValue(str(exc)) from None


def finance_warning(record: dict[str, Any]) -> str | None:
    """A contradiction between the financial fields of a dossier (shown, not blocking)."""
    found = finance.consistency_problems(record)
    return found[0][1] if found else None


def required_error(kind: str, name: str, value: Any) -> str | None:
    if name in REQUIRED.get(kind, ()) and (value is None or str(value).strip() == ""):
        return _("Required field – please fill in.")
    return None


def _registry_field(kind: str, name: str) -> kinds.Field | None:
    found = kinds.lookup_kind(kind) if kind else None
    return REGISTRY[found].field(name) if found is not None else None


def problems(kind: str, record: dict[str, Any]) -> dict[str, str]:
    """Every problem of a whole record by field name (for lists and exports)."""
    found: dict[str, str] = {}
    for name in REQUIRED.get(kind, ()):
        message = required_error(kind, name, record.get(name))
        if message:
            found[name] = message
    for name, value in record.items():
        message = format_error(kind, name, value)
        if message and name not in found:
            found[name] = message
    if kind == "dossier":
        for name in finance.DETAILS:
            message = finance.field_error(name, record.get(name))
            if message and name not in found:
                found[name] = message
    for name, message in order_errors(kind, record).items():
        found.setdefault(name, message)
    return found


def order_errors(kind: str, record: dict[str, Any]) -> dict[str, str]:
    """The kind's declared date orders (``KindInfo.date_order``) a record breaks, by the
    field that lies too early: the same sentence in the editor, the import and the CLI."""
    entry = kinds.lookup_kind(kind) if kind else None
    return REGISTRY[entry].record_errors(record) if entry is not None else {}


def same_name_error(name: str) -> str:
    """The one sentence for a name another record of the kind has already (editor, import)."""
    return _(
        "Another actor already has the name '{name}'; two actors with one name could not be "
        "told apart. Add what distinguishes them (e.g. the district or the province)."
    ).format(name=name)


def name_clash(kind: str, value: Any, others: Iterable[tuple[Any, ...]]) -> str | None:
    """The one rule against duplicate names: ``value`` (a name of a record of ``kind``) is
    refused when one of the names of another record (``others``, their name fields) folds
    to the same key. None for kinds whose names may repeat, and for an empty name."""
    entry = kinds.lookup_kind(kind) if kind else None
    if entry is None or not REGISTRY[entry].unique_names:
        return None
    # Imported here: the window's start loads validation, not the import code (test_gui_start).
    from chinadialog_desktop.domain.folding import name_key

    key = name_key(value)
    if key is None:
        return None
    for names in others:
        if any(name_key(n) == key for n in names):
            return same_name_error(str(value).strip())
    return None


def order_fields(kind: str) -> tuple[str, ...]:
    """The date fields of ``kind`` that must not lie before another (their error's place)."""
    entry = kinds.lookup_kind(kind) if kind else None
    return tuple(o.second for o in REGISTRY[entry].date_order) if entry is not None else ()


__all__ = [
    "DISPLAY_NAMES",
    "display_name",
    "FORMAT_FIELDS",
    "REQUIRED",
    "field_error",
    "finance_warning",
    "format_error",
    "InvalidValue",
    "order_error",
    "order_errors",
    "name_clash",
    "same_name_error",
    "order_fields",
    "parse_amount",
    "parse_partial_date",
    "parse_year",
    "problems",
    "required_error",
]
