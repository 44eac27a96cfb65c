"""How names and headers compare: one key per text, the same in every script.

``fold`` is the rule (a record's name, a column header, a vocabulary word); ``name_key``
is the rule for matching records by name, where an empty key must match nothing. The
import of datasets, the record validation and the kinds' vocabularies all use these.
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

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
