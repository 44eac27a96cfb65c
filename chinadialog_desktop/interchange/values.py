"""Turn cell text into typed values: German and ISO dates, decimal commas, vocabularies."""

from __future__ import annotations

import re
import unicodedata
from datetime import date, datetime
from functools import lru_cache

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


_ASCII_SEPARATORS = re.compile(r"[^0-9a-z]+")
_UMLAUTS = str.maketrans({"ä": "ae", "ö": "oe", "ü": "ue"})


class _KeyTable(dict[int, str]):
    """Per character: kept, dropped (joiners, variation selectors) or a word break.

    Kept are letters, combining marks and digits of every script, and the
    pictographs (emoji with their skin-tone modifiers); everything else
    (punctuation, spaces, other symbols, control characters) separates words.
    """

    def __missing__(self, code: int) -> str:
        char = chr(code)
        category = unicodedata.category(char)
        if category == "Cf" or 0xFE00 <= code <= 0xFE0F or 0xE0100 <= code <= 0xE01EF:
            value = ""  # joiners, soft hyphen, BOM, direction marks, tags, variation selectors
        elif category[0] in "LMN" or category == "So" or 0x1F3FB <= code <= 0x1F3FF:
            value = char
        else:
            value = " "
        self[code] = value
        return value


_KEY_TABLE = _KeyTable()


# Names repeat (actors, places); titles and descriptions hardly ever. A cache of 65,536
# entries held ~15 MB of distinct activity titles through a 100,000-row import.
@lru_cache(maxsize=4096)
def fold(text: str) -> str:
    """A comparison key for names and headers.

    NFKC and case folding, umlauts spelled out ("München" = "Muenchen", ß = ss),
    and every run of punctuation or spaces made one space. Letters of every
    script are kept (Cyrillic, Hangul, kana, Arabic, all CJK ideographs incl.
    Extensions and compatibility forms) as are digits and emoji, so different
    names keep different keys. A text with no letter, digit or pictograph folds
    to "" — and an empty key must never match anything (see ``name_key``).
    """
    if text.isascii():
        return _ASCII_SEPARATORS.sub(" ", text.lower()).strip()
    text = unicodedata.normalize("NFKC", unicodedata.normalize("NFKC", text).casefold())
    return " ".join(text.translate(_UMLAUTS).translate(_KEY_TABLE).split())


def name_key(text: object) -> str | None:
    """``fold`` for matching records by name: None when nothing is left to compare."""
    if text is None:
        return None
    return fold(str(text)) or None
