"""What the search index holds, on either engine: records, rowids, analysed text.

Engine-neutral, and shared by the SQLite index (``search_index``), the
PostgreSQL one (``search_index_pg``) and the query side (``services/search``):
the kinds of record and their codes in the rowid (``kind code << 40 | record
id``), the tables whose writes make a record stale, the SQL that reads a record's
texts, and the analysis of those texts — folding (diacritics, ß, tone marks),
``ae/oe/ue`` variants of umlauts, pinyin of Chinese characters and Chinese
bigrams — so both engines index and find exactly the same.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

from chinadialog_desktop.domain.kinds import REGISTRY, Kind
from chinadialog_desktop.domain.names import segment_pinyin, strip_marks

# 2: two-letter prefix index on search_words; 3: one- and two-letter; 4: the four registers
INDEX_VERSION = 4
KIND_SHIFT = 40
# Records re-read and written per batch while draining.
DRAIN_BATCH = 2000

# Dossiers are no kind of the registry; every other kind has its code in its entry
# (``KindInfo.search_code``). Never renumber: the index stores them.
_DOSSIER = "dossier"
_DOSSIER_CODE = 6
# Kind → code in the rowid, in the order the search shows its groups.
KIND_CODES: dict[str, int] = dict(
    sorted(
        [
            *((k.value, e.search_code) for k, e in REGISTRY.items() if e.search_code is not None),
            (_DOSSIER, _DOSSIER_CODE),
        ],
        key=lambda pair: pair[1],
    )
)
assert len(set(KIND_CODES.values())) == len(KIND_CODES), "two kinds share a code"
KINDS = tuple(KIND_CODES)
# The index version that first held each kind: an older index is brought up to date
# by indexing only the kinds it lacks (``search_index.upgrade``), not by a rebuild.
KIND_SINCE: dict[str, int] = {
    kind: REGISTRY[Kind(kind)].search_since if kind in REGISTRY else 1 for kind in KINDS
}

# Source table → (kind, column holding the record id of that kind): each kind's own
# table (it has the kind's name), and the tables partnerships and dossiers read beside.
WATCHED: dict[str, tuple[str, str]] = {
    **{kind: (kind, "id") for kind in KINDS},
    "partnership_party": (Kind.PARTNERSHIP.value, "partnership_id"),
    "dossier_section": (_DOSSIER, "dossier_id"),
}

_CJK = r"\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\U00020000-\U0002ebef"
CJK_RUN = re.compile(f"[{_CJK}]+")
_LATIN_WORD = re.compile(f"[^\\W_{_CJK}]+")
_UMLAUTS = str.maketrans({"ä": "ae", "ö": "oe", "ü": "ue", "Ä": "Ae", "Ö": "Oe", "Ü": "Ue"})

_HAS_UMLAUT = re.compile("[" + "".join(map(chr, _UMLAUTS)) + "]").search


def rowid(kind: str, record_id: int) -> int:
    return (KIND_CODES[kind] << KIND_SHIFT) | record_id


def rowid_range(kind: str) -> tuple[int, int]:
    lo = KIND_CODES[kind] << KIND_SHIFT
    return lo, lo + (1 << KIND_SHIFT) - 1


def split_rowid(value: int) -> tuple[str, int]:
    code = value >> KIND_SHIFT
    kind = next(k for k, c in KIND_CODES.items() if c == code)
    return kind, value & ((1 << KIND_SHIFT) - 1)


# -- text analysis (shared with the query side in services/search.py) -------


class _FoldTable(dict[int, str]):
    """``str.translate`` table filled on demand: each character folded once per process."""

    def __missing__(self, code: int) -> str:
        folded = strip_marks(chr(code))
        self[code] = folded
        return folded


_FOLD = _FoldTable()


def fold(value: str) -> str:
    """Casefold, drop diacritics and tone marks, ß → ss, full-width → normal."""
    if value.isascii():
        return value.lower()
    return unicodedata.normalize("NFKC", value).translate(_FOLD)


@lru_cache(maxsize=50_000)
def hanzi_pinyin(run: str) -> tuple[str, ...]:
    """Toneless pinyin syllables of a run of Chinese characters."""
    from pypinyin import lazy_pinyin

    return tuple(fold(p).replace("v", "u") for p in lazy_pinyin(run, v_to_u=True))


def cjk_tokens(run: str) -> list[str]:
    """Overlapping bigrams, then the last character: 珠海市 → 珠海 海市 市."""
    if len(run) == 1:
        return [run]
    return [run[i : i + 2] for i in range(len(run) - 1)] + [run[-1]]


@dataclass(frozen=True)
class Analysed:
    grams: str  # folded text and its variants, for the trigram table
    words: str  # space-separated tokens, for the unicode61 table


def analyse(parts: Iterable[str | None], pinyin_parts: Iterable[str | None] = ()) -> Analysed:
    """The index text of one record; ``pinyin_parts`` also get their syllables joined."""
    return Analysed(*_analysed(parts, pinyin_parts))


def _analysed(parts: Iterable[str | None], pinyin_parts: Iterable[str | None]) -> tuple[str, str]:
    """``analyse`` as a pair (grams, words): what a bulk writer needs, without an object."""
    grams: list[str] = []
    words: list[str] = []
    plain: list[str] = []  # consecutive ASCII parts, analysed together
    for part in parts:
        if not part:
            continue
        if part.isascii():  # most parts: no variants, no Chinese
            plain.append(part)
            continue
        if plain:
            _add_ascii(plain, grams, words)
            plain = []
        folded = fold(part)
        grams.append(folded)
        # Looked for first: ``translate`` of a text without umlauts costs more than the
        # rest of its analysis (each character it leaves alone is a failed lookup).
        variant = fold(part.translate(_UMLAUTS)) if _HAS_UMLAUT(part) else folded
        if variant != folded:
            grams.append(variant)
            words.extend(_LATIN_WORD.findall(variant))
        words.extend(_LATIN_WORD.findall(folded))
        for run in CJK_RUN.findall(folded):
            words.extend(cjk_tokens(run))
            syllables = hanzi_pinyin(run)
            grams.append(" ".join(syllables) + " " + "".join(syllables))
            words.extend(syllables)
            words.append("".join(syllables))
    if plain:
        _add_ascii(plain, grams, words)
    for part in pinyin_parts:
        if not part:
            continue
        folded = fold(part)
        latin = _LATIN_WORD.findall(folded)
        grams.append(folded)
        grams.append("".join(latin))
        words.extend(latin)
        words.append("".join(latin))
        for token in latin:
            words.extend(segment_pinyin(token) or ())
    return _GRAMS_SEPARATOR.join(grams), " ".join(words)


_GRAMS_SEPARATOR = " \u2022 "


def _add_ascii(parts: list[str], grams: list[str], words: list[str]) -> None:
    """ASCII parts in one go: folding them is lowercasing, and no word runs across the
    separator, so their joined text and its words are those of each part in turn."""
    joined = _GRAMS_SEPARATOR.join(parts).lower()
    grams.append(joined)
    words.extend(_LATIN_WORD.findall(joined))


# -- what each kind of record contributes -----------------------------------


def _registry_sql(kind: Kind) -> tuple[str, int]:
    """The SQL of a kind the registry describes: its title, its search subtitle, the fields
    it marks as searched (``Field.search``), then those whose pinyin syllables are joined."""
    entry = REGISTRY[kind]
    table = kind.value  # the kind's table has the kind's name
    assert entry.search_subtitle is not None, kind
    body = [f.name for f in entry.searched_fields()]
    pinyin = [f.name for f in entry.searched_fields() if f.search == "pinyin"]
    columns = ", ".join(
        f"{table}.{name}"
        for name in ("id", entry.title_field, entry.search_subtitle, *body, *pinyin)
    )
    return f"SELECT {columns} FROM {table}", len(pinyin)


# The kinds whose records the registry alone describes for the search: those with a
# search subtitle (partnerships are found by their parties too, dossiers by their
# sections: written below by hand). In the order of ``KINDS``.
REGISTRY_SEARCHED: tuple[Kind, ...] = tuple(
    Kind(kind) for kind in KINDS if kind in REGISTRY and REGISTRY[Kind(kind)].search_subtitle
)

# kind → SQL returning (id, title, subtitle, body parts…, pinyin parts…) for ids in :ids
# (or all when the filter is dropped). Body parts are shown in snippets; the pinyin
# parts are indexed only.
RECORD_SQL: dict[str, tuple[str, int]] = {
    **{kind.value: _registry_sql(kind) for kind in REGISTRY_SEARCHED},
    "partnership": (
        "SELECT p.id, p.title, p.status, p.description, "
        "(SELECT group_concat(coalesce(a.name_de, '') || ' ' || coalesce(a.name_zh, ''), ' · ') "
        " FROM partnership_party pp JOIN actor a ON a.id = pp.actor_id "
        " WHERE pp.partnership_id = p.id), "
        "(SELECT group_concat(coalesce(a.name_en, ''), ' ') FROM partnership_party pp "
        " JOIN actor a ON a.id = pp.actor_id WHERE pp.partnership_id = p.id), "
        "(SELECT group_concat(coalesce(a.name_pinyin, ''), ' ') FROM partnership_party pp "
        " JOIN actor a ON a.id = pp.actor_id WHERE pp.partnership_id = p.id) "
        "FROM partnership p",
        1,
    ),
    "dossier": (
        "SELECT d.id, d.title, d.status, d.purpose, d.author, d.file_number, d.lead_office, "
        "d.proposed_resolution, d.financial_effects, "
        "(SELECT group_concat(body, char(10)) FROM "
        " (SELECT body FROM dossier_section s WHERE s.dossier_id = d.id ORDER BY s.position)) "
        "FROM dossier d",
        0,
    ),
}
assert set(RECORD_SQL) == set(KINDS), "a searched kind without its SQL"
ID_COLUMN = {
    **{kind.value: f"{kind.value}.id" for kind in REGISTRY_SEARCHED},
    "partnership": "p.id",
    "dossier": "d.id",
}


# One record as indexed: (record id, title, subtitle, body, grams, words).
IndexRow = tuple[int, str, str, str, str, str]


def index_row(row: Sequence[Any], n_pinyin: int) -> IndexRow:
    """A row of ``RECORD_SQL`` (id, title, subtitle, body parts…, pinyin parts…) as indexed.

    The body shown in snippets joins the distinct body parts; the analysed texts cover
    the title and every body part, plus the pinyin parts with their syllables joined.
    """
    record_id, title, subtitle, *rest = row
    cut = len(rest) - n_pinyin
    body_parts = [str(v) for v in rest[:cut] if v not in (None, "")]
    title = str(title or "")
    grams, words = _analysed([title, *body_parts], [str(v) for v in rest[cut:] if v])
    body = " · ".join(dict.fromkeys(body_parts))
    return int(record_id), title, str(subtitle or ""), body, grams, words


@dataclass(frozen=True)
class Document:
    kind: str
    record_id: int
    title: str
    subtitle: str
    body: str
    analysed: Analysed
