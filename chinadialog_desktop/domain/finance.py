"""Finanzielle Auswirkungen of a paper: the one place of their rules.

The dossier holds ja/nein (``FinancialImpact``), the Haushaltsjahr, the
Produkt/Kostenstelle, einmalig/laufend (``CostRecurrence``), the Betrag in
euro cents (an integer: no rounding, ever) and the free text as "Erläuterung".
The editor, the dataset import and the checks before export all ask these
functions; nothing else knows the limits.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from decimal import Decimal, InvalidOperation
from typing import Any

from chinadialog_desktop.domain.enums import FinancialImpact
from chinadialog_desktop.i18n import _

# The dossier fields, in the order a paper shows them (the free text last, as Erläuterung).
FIELDS = (
    "financial_impact",
    "financial_year",
    "financial_item",
    "financial_recurrence",
    "financial_amount",
    "financial_effects",
)
# The details that only a "ja" can have.
DETAILS = ("financial_year", "financial_item", "financial_recurrence", "financial_amount")
# A Haushaltsjahr a municipal paper may plausibly name (euro budgets, a planning horizon).
FIRST_YEAR, LAST_YEAR = 1999, 2100
# One hundred billion euro: above any municipal budget; keeps the number exact in SQLite.
MAX_CENTS = 100_000_000_000 * 100

_THOUSANDS_DE = re.compile(r"^\d{1,3}(\.\d{3})+(,\d{1,2})?$")
_DECIMAL_COMMA = re.compile(r"^\d+(,\d{1,2})?$")
_DECIMAL_POINT = re.compile(r"^\d+(\.\d{1,2})?$")
# English thousands only with the decimals: "12,345" alone could be 12,345 € typed in German.
_THOUSANDS_EN = re.compile(r"^\d{1,3}(,\d{3})+\.\d{1,2}$")


class FinanceValueError(ValueError):
    """A value that cannot be a Betrag or Haushaltsjahr; the message is translated."""


def _amount_error_text() -> str:
    return _("Not an amount in euros: write it like 12.500,00 (at most two decimal places).")


def parse_amount(text: str) -> int | None:
    """``12.500,00 €``, ``12500``, ``12 500,5`` or ``12500.00`` → cents; empty → None.

    A point followed by groups of three digits separates thousands (German), a
    comma decimals; a lone point with one or two digits after it is read as
    decimals, as an English keyboard types them.
    """
    raw = text.strip().replace("€", "").replace("EUR", "").replace("Euro", "")
    raw = raw.replace("\u00a0", "").replace("\u202f", "").replace(" ", "").replace("'", "")
    if not raw:
        return None
    if raw.startswith("-"):
        raise FinanceValueError(_("The amount cannot be negative."))
    if _THOUSANDS_DE.match(raw) or _DECIMAL_COMMA.match(raw):
        plain = raw.replace(".", "").replace(",", ".")
    elif _DECIMAL_POINT.match(raw):
        plain = raw
    elif _THOUSANDS_EN.match(raw):
        plain = raw.replace(",", "")
    else:
        raise FinanceValueError(_amount_error_text())
    return _cents(Decimal(plain))


def amount_from_plain(raw: Any) -> int | None:
    """The cents of a dataset package's amount: a decimal with a point, as text or number."""
    if raw is None:
        return None
    if isinstance(raw, bool) or not isinstance(raw, str | int | float):
        raise FinanceValueError(_amount_error_text())
    text = str(raw).strip()
    if isinstance(raw, str) and not _DECIMAL_POINT.match(text.lstrip("-")):
        raise FinanceValueError(
            _('Not an amount in euros: write it with a decimal point, e.g. "12500.00".')
        )
    try:
        value = Decimal(text)
    except InvalidOperation:
        raise FinanceValueError(_amount_error_text()) from None
    if value < 0:
        raise FinanceValueError(_("The amount cannot be negative."))
    if value != value.quantize(Decimal("0.01")):
        raise FinanceValueError(_amount_error_text())
    return _cents(value)


def _cents(value: Decimal) -> int:
    cents = int((value * 100).to_integral_value())
    message = amount_error(cents)
    if message:
        raise FinanceValueError(message)
    return cents


def amount_plain(cents: int | None) -> str | None:
    """The amount as a dataset package writes it: ``"12500.00"``."""
    if cents is None:
        return None
    return f"{cents // 100}.{cents % 100:02d}"


def format_amount(cents: int, lang: str) -> str:
    """``12.500,00 €`` in German, ``EUR 12,500.00`` in English (no break inside)."""
    euros = f"{cents // 100:,}"
    rest = f"{cents % 100:02d}"
    if lang == "en":
        return f"EUR\u00a0{euros}.{rest}"
    return f"{euros.replace(',', '.')},{rest}\u00a0€"


def amount_error(cents: int | None) -> str | None:
    """Betrag ≥ 0 and below any municipal budget."""
    if cents is None:
        return None
    if cents < 0:
        return _("The amount cannot be negative.")
    if cents > MAX_CENTS:
        return _("The amount is larger than any municipal budget; please check it.")
    return None


def year_error(year: int | None) -> str | None:
    """A Haushaltsjahr has four digits and lies in a plausible range."""
    if year is None:
        return None
    if not FIRST_YEAR <= year <= LAST_YEAR:
        return _("A budget year (Haushaltsjahr) between {first} and {last}, please.").format(
            first=FIRST_YEAR, last=LAST_YEAR
        )
    return None


def field_error(name: str, value: Any) -> str | None:
    """The problem of one filled-in financial field, or None (editor and import alike)."""
    if name == "financial_year":
        return year_error(value)
    if name == "financial_amount":
        return amount_error(value)
    return None


def consistency_problems(values: Mapping[str, Any]) -> list[tuple[str, str]]:
    """(field, sentence) for each contradiction between the financial fields.

    "ja" needs at least a Betrag or an Erläuterung; "nein" has no Betrag,
    Haushaltsjahr, Produkt or einmalig/laufend. Not stating ja/nein at all is a
    gap, not a contradiction (see ``stated``).
    """
    impact = values.get("financial_impact")
    out: list[tuple[str, str]] = []
    if impact == FinancialImpact.YES.value:
        if values.get("financial_amount") is None and not _text(values.get("financial_effects")):
            out.append(
                (
                    "financial_impact",
                    _(
                        "Financial effects are marked 'yes', but neither an amount nor an "
                        "explanation says which."
                    ),
                )
            )
    elif impact == FinancialImpact.NO.value:
        given = [
            name
            for name in DETAILS
            if values.get(name) not in (None, "", 0) and _text(values.get(name)) != ""
        ]
        if given:
            out.append(
                (
                    "financial_impact",
                    _(
                        "Financial effects are marked 'no', but a budget year, product, "
                        "recurrence or amount is given."
                    ),
                )
            )
    return out


def stated(values: Mapping[str, Any]) -> bool:
    """Whether the paper says ja or nein."""
    return values.get("financial_impact") in {m.value for m in FinancialImpact}


def values_of(record: Any) -> dict[str, Any]:
    """The financial fields of a dossier (or any object with those attributes)."""
    return {name: getattr(record, name, None) for name in FIELDS}


def _text(value: Any) -> str:
    return str(value).strip() if value is not None else ""


__all__ = [
    "DETAILS",
    "FIELDS",
    "FIRST_YEAR",
    "FinanceValueError",
    "LAST_YEAR",
    "amount_error",
    "amount_from_plain",
    "amount_plain",
    "consistency_problems",
    "field_error",
    "format_amount",
    "parse_amount",
    "stated",
    "values_of",
    "year_error",
]
