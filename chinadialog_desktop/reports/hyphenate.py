"""Soft hyphens for words too wide for their table column (German syllable rules).

ReportLab breaks a word wider than its cell anywhere and without a hyphen
("Informationssicherheit" / "sbeauftragte"). Hyphenation dictionaries (pyphen)
are not among the dependencies, so a word that cannot fit is given soft hyphens
(U+00AD) at its likely syllable boundaries, and ReportLab breaks at the last one
that fits and prints a visible hyphen there (it drops the soft hyphens it does
not use). Only words wider than their column are touched: everything else wraps
between words as before.

Where a word may break, in this order of trust:

1. after a compound's linking ending: Delegations-, Sicherheits-, Partnerschafts-;
2. after a prefix at the start: Ver-ein, be-ob-, auf-, Aus-, Ein-;
3. the German rule for the rest: of the consonants between two vowels the last
   goes to the next line (Bür-ger, meis-ter, Zu-cker); ch, ck, sch, ph, th stay
   together; nothing is cut between two vowels, and no piece is shorter than
   two letters at the start or three at the end.

A rule of thumb, not a dictionary: it may miss a boundary inside a compound,
but its breaks carry a visible hyphen and fall between syllables.
"""

from __future__ import annotations

import re
from collections.abc import Callable

SHY = "\u00ad"
_VOWELS = frozenset("aeiouyäöüàáâéèêíìîóòôúùû")
_UNITS = ("sch", "ch", "ck", "ph", "th")  # consonant groups that are never cut
# A consonant with r or l begins a syllable together: Pro-gramm, Ver-trag, be-glei-ten.
# So does sch with the consonant after it, after another consonant: Braun-schweig.
_ONSETS = (frozenset(a + b for a in "bdfgkpt" for b in "rl") - {"dl", "tl"}) | {
    "sch" + c for c in "lmnrw"
}
_LINKING = re.compile(
    r"(?:tions|sions|heits|keits|ungs|schafts|täts|ings|lings)(?=[a-zäöüß]{4})", re.IGNORECASE
)
_PREFIXES = (  # longest first
    "gegen", "durch", "unter", "über", "miss", "nach", "ver", "zer", "ent", "emp",
    "auf", "aus", "ein", "bei", "mit", "vor", "be", "ge", "er", "an", "ab", "zu", "un",
)  # fmt: skip
_WORD = re.compile(r"[A-Za-zÄÖÜäöüßÀ-ÖØ-öø-ÿ]+")
MIN_HEAD = 2
MIN_TAIL = 3


def _syllable_breaks(word: str) -> list[int]:
    """Positions inside ``word`` by the consonant rule (3. above)."""
    low = word.lower()
    units: list[tuple[int, str]] = []  # (start, unit)
    i = 0
    while i < len(low):
        unit = next((u for u in _UNITS if low.startswith(u, i)), low[i])
        units.append((i, unit))
        i += len(unit)
    out: list[int] = []
    last_vowel = None
    for n, (_start, unit) in enumerate(units):
        if unit in _VOWELS:
            if last_vowel is not None and n - last_vowel > 1:
                cut = n - 1  # before the last consonant (group) ...
                onset = units[n - 2][1] + units[n - 1][1]
                # (sch with a consonant only after another consonant: Tisch-ler)
                if n - last_vowel > (3 if onset.startswith("sch") else 2) and onset in _ONSETS:
                    cut = n - 2  # ... or before a consonant with r or l
                out.append(units[cut][0])
            last_vowel = n
    return out


def breaks(word: str) -> list[int]:
    """Where ``word`` may be hyphenated (positions, ascending)."""
    if len(word) < MIN_HEAD + MIN_TAIL or not _WORD.fullmatch(word):
        return []
    low = word.lower()
    joints = {m.end() for m in _LINKING.finditer(word)}
    found = set(joints)
    edges = sorted({0, *joints, len(word)})
    for a, b in zip(edges, edges[1:], strict=False):  # each part of a compound
        part = low[a:b]
        start = 0
        prefix = next((p for p in _PREFIXES if part.startswith(p)), None)
        if prefix is not None and any(c in _VOWELS for c in part[len(prefix) :]):
            start = len(prefix)
            found.add(a + start)
        # The consonant rule inside the rest (after the prefix).
        found.update(a + start + p for p in _syllable_breaks(part[start:]))
    kept: list[int] = []
    for p in sorted(found):  # no piece of a single letter
        if MIN_HEAD <= p <= len(word) - MIN_TAIL and p - (kept[-1] if kept else 0) >= 2:
            kept.append(p)
    return kept


def soft_hyphenate(word: str) -> str:
    """``word`` with a soft hyphen at each place it may break."""
    positions = breaks(word)
    if not positions:
        return word
    parts = [word[a:b] for a, b in zip([0, *positions], [*positions, len(word)], strict=False)]
    return SHY.join(parts)


_TAG = re.compile(r"(<[^>]*>|&[#\w]+;)")


def hyphenate_markup(xml: str, too_wide: Callable[[str], bool]) -> str:
    """Paragraph markup with soft hyphens in the words for which ``too_wide`` says so.

    Tags and entities are left alone; a word joined by hyphens is looked at part by
    part (it may already break after its own hyphen).
    """
    pieces = _TAG.split(xml)
    for n, piece in enumerate(pieces):
        if n % 2 or not piece:
            continue
        pieces[n] = _WORD.sub(
            lambda m: soft_hyphenate(m.group(0)) if too_wide(m.group(0)) else m.group(0), piece
        )
    return "".join(pieces)
