"""The one sort order of names and titles, in the window, the command line and files.

German dictionary order (DIN 5007, variant 1): case does not count, an umlaut
sorts as its base letter (ä as a, ö as o, ü as u), ß as ss, and accents are
ignored (é as e). "Hamburg" and "HHLA" sort as "hamburg" and "hhla": Hamburg
first, as in a German index, and not "HHLA" first because capitals come
before small letters in the code table. Equal keys keep the record order
(the callers break ties by id).

``sort_key`` is the rule; ``persistence.collation.sort_key`` is the same rule
in SQL (SQLite calls this function, PostgreSQL an equivalent expression), so a
list sorted by the database and one sorted in Python agree.
"""

from __future__ import annotations

import unicodedata


class _BaseLetters(dict[int, str]):
    """``str.translate`` table filled on demand: each character to its letter without marks."""

    def __missing__(self, code: int) -> str:
        decomposed = unicodedata.normalize("NFKD", chr(code))
        base = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
        self[code] = base
        return base


_BASE = _BaseLetters()


def sort_key(value: str | None) -> str:
    """The text a name or title is ordered by (see the module docstring)."""
    if not value:
        return ""
    if value.isascii():  # most titles: nothing to strip, and casefold is lower here
        return value.lower()
    return unicodedata.normalize("NFC", value).translate(_BASE).casefold()
