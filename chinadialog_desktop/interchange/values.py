"""Turn cell text into typed values: German and ISO dates, decimal commas, vocabularies."""

from __future__ import annotations

import re
from datetime import date, datetime

_ISO = re.compile(r"(\d{4})(?:-(\d{1,2})(?:-(\d{1,2}))?)?(?:[T ]\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?)?")
_GERMAN = re.compile(r"(?:(\d{1,2})\.)?(\d{1,2})\.(\d{4})")
_NUMBER_DE = re.compile(r"[-+]?\d{1,3}(?:\.\d{3})*(?:,\d+)?|[-+]?\d+(?:,\d+)?")
_NUMBER_EN = re.compile(r"[-+]?\d+(?:\.\d+)?(?:[eE][-+]?\d+)?")


def parse_partial_date(value: object) -> tuple[date, str] | None:
    """``19.02.2026``, ``2.2026``, ``2026-02-19``, ``2026-02``, ``2026`` or a datetime.

    Returns the date and its precision (day, month, year); None for an empty cell.
    Raises ValueError for anything else, including impossible dates.
    """
    if value is None:
        return None
    if isinstance(value, datetime):
        return value.date(), "day"
    if isinstance(value, date):
        return value, "day"
    if isinstance(value, int) and not isinstance(value, bool) and 1000 <= value <= 9999:
        return date(value, 1, 1), "year"
    text = str(value).strip()
    if not text:
        return None
    m = _GERMAN.fullmatch(text)
    if m:
        day, month, year = m.group(1), int(m.group(2)), int(m.group(3))
        if day is None:
            return date(year, month, 1), "month"
        return date(year, month, int(day)), "day"
    m = _ISO.fullmatch(text)
    if m:
        year = int(m.group(1))
        if m.group(3):
            return date(year, int(m.group(2)), int(m.group(3))), "day"
        if m.group(2):
            return date(year, int(m.group(2)), 1), "month"
        return date(year, 1, 1), "year"
    raise ValueError(text)


def parse_number(value: object) -> float | int | None:
    """A number written the German way (``1.234,5``) or the English way (``1234.5``)."""
    if value is None:
        return None
    if isinstance(value, bool):
        raise ValueError(str(value))
    if isinstance(value, int | float):
        return value
    text = str(value).strip().replace("\u00a0", "").replace(" ", "")
    if not text:
        return None
    if _NUMBER_DE.fullmatch(text) and ("," in text or text.count(".") > 1):
        text = text.replace(".", "").replace(",", ".")
    elif not _NUMBER_EN.fullmatch(text):
        raise ValueError(text)
    number = float(text)
    if number.is_integer() and "." not in text and "e" not in text.lower():
        return int(text)
    return number


_INT = re.compile(r"[-+]?\d+")


def parse_int(value: object) -> int | None:
    """A whole number: a number cell, or text of digits only.

    Exponents (``1e3``), decimals and grouped digits (``2.023``: a year? two
    thousand and twenty-three?) are refused: a cell that says ``1e3`` is not
    the year 1000.
    """
    if value is None:
        return None
    if isinstance(value, bool):
        raise ValueError(str(value))
    if isinstance(value, float):
        if not value.is_integer():
            raise ValueError(str(value))
        return int(value)
    if isinstance(value, int):
        return value
    text = str(value).strip().replace("\u00a0", "").replace(" ", "")
    if not text:
        return None
    if not _INT.fullmatch(text):
        raise ValueError(text)
    return int(text)


def as_text(value: object) -> str | None:
    """Cell content as text, exactly as given; only an empty cell is no value."""
    if value is None:
        return None
    if isinstance(value, datetime):
        return value.isoformat()
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    text = str(value)
    return text if text.strip() else None
