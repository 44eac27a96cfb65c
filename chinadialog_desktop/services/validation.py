"""Field checks for the editors: required fields, partial dates, an end before its start."""

from __future__ import annotations

import re
from datetime import date
from typing import Any

from chinadialog_desktop.domain import finance
from chinadialog_desktop.domain.enums import DatePrecision
from chinadialog_desktop.domain.identifiers import uscc_valid
from chinadialog_desktop.domain.registers import REGISTERS
from chinadialog_desktop.i18n import _

# Fields that must not be empty, per record kind.
REQUIRED: dict[str, tuple[str, ...]] = {
    "actor": ("name_de",),
    "partnership": ("title",),
    "activity": ("title", "date"),
    "contact": ("name",),
    "source": ("title",),
    "dossier": ("title",),
    "deliberation": ("body",),
    **{r.record_kind: r.required for r in REGISTERS},
}

# The name a record is shown by, and what stands in for it when a list gives none: a
# row named only in Chinese characters (or only in English or pinyin) is enough, and the
# first of these names becomes its display name, so that the stored record has the name
# the editor requires.
DISPLAY_NAMES: dict[str, tuple[str, ...]] = {
    "actor": ("name_de", "name_en", "name_pinyin", "name_zh"),
    "contact": ("name", "name_zh"),
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


_AGS = re.compile(r"^\d{8}$")
_USCC = re.compile(r"^[0-9A-HJ-NPQRTUWXY]{2}\d{6}[0-9A-HJ-NPQRTUWXY]{10}$")
_COUNTRY = re.compile(r"^[A-Z]{2}$")
_EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")
_URL = re.compile(r"^https?://[^\s/$.?#][^\s]*$", re.IGNORECASE)


# Fields whose filled-in value must have a form (checked by ``format_error``), in the
# editor and the import alike.
FORMAT_FIELDS = frozenset({"ags", "uscc", "country", "email", "url", "website"})


def format_error(kind: str, name: str, value: Any) -> str | None:
    """A message when a filled-in identifier, code or address has the wrong form."""
    if value is None or value == "":
        return None
    text = str(value).strip()
    if name == "ags" and not _AGS.match(text):
        return _("The municipality key (AGS) has exactly 8 digits, e.g. 03101000.")
    if name == "uscc" and not _USCC.match(text.upper()):
        return _("A unified social credit code has 18 characters (digits and capital letters).")
    if name == "uscc" and not uscc_valid(text):
        return _(
            "The check character (the last one) of this unified social credit code does not fit "
            "the seventeen before it (GB 32100-2015); please compare it with the source."
        )
    if name == "country" and not _COUNTRY.match(text):
        return _("Use the two-letter country code in capitals, e.g. DE or CN.")
    if name == "email" and not _EMAIL.match(text):
        return _("This is not an e-mail address.")
    if name in ("url", "website") and not _URL.match(text):
        return _("Web addresses start with https:// or http://.")
    return None


def field_error(kind: str, name: str, value: Any) -> str | None:
    """The first problem of one field's value, or None: what the editor shows under it."""
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


def _end(value: date, precision: str) -> date:
    """The last day a partial date may mean (2011 → 31.12.2011), for the order check."""
    if precision == DatePrecision.YEAR:
        return date(value.year, 12, 31)
    if precision == DatePrecision.MONTH:
        following = date(value.year + value.month // 12, value.month % 12 + 1, 1)
        return date.fromordinal(following.toordinal() - 1)
    return value


def order_error(
    start: date | None, start_precision: str, end: date | None, end_precision: str
) -> str | None:
    """An end date before the start date is an error; partial dates are read generously."""
    if start is None or end is None:
        return None
    if _end(end, end_precision) < start:
        return _("The end lies before the start.")
    return None


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
    if kind == "visit":
        message = order_error(record.get("start_date"), "day", record.get("end_date"), "day")
        if message:
            found["end_date"] = message
    if kind == "partnership":
        message = order_error(
            record.get("start_date"),
            record.get("start_precision") or DatePrecision.DAY.value,
            record.get("end_date"),
            record.get("end_precision") or DatePrecision.DAY.value,
        )
        if message:
            found["end_date"] = message
    return found


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
    "parse_amount",
    "parse_partial_date",
    "parse_year",
    "problems",
    "required_error",
]
