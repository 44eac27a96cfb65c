"""Screening matcher: candidates from an in-memory index, then explained scores per pair."""

from __future__ import annotations

import heapq
import math
import re
from collections.abc import Collection, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date
from functools import lru_cache
from typing import Any, Protocol

from rapidfuzz.distance import OSA

from chinadialog_desktop.domain.identifiers import uscc_valid
from chinadialog_desktop.domain.names import (
    GENERIC_WORDS,
    INSTITUTION_WORDS,
    PLACE_WORDS,
    NameParts,
    NormName,
    name_parts,
    normalize,
    normalize_identifier,
    primary_reading,
    readings_of,
    segment_pinyin,
    surname_readings,
    syllables,
    syllables_of,
)
from chinadialog_desktop.domain.screening_terms import DEFAULT_THRESHOLD as DEFAULT_THRESHOLD

CANDIDATE_LIMIT = 100
CANDIDATE_RELATIVE_FLOOR = 0.05  # of the best candidate's key weight
WEAK_ALIAS_WEIGHT = 0.85  # a weak alias ("Huawei") alone is less sure than a name
IDENTIFIER_SCORE = 1.0
PINYIN_MISMATCH_CAP = 0.70  # two pinyin names of people differing in a syllable: different names
EDIT_BUDGET_CAP = 0.75  # more typos than the length allows
HANZI_SAME_READING = 0.95  # same pronunciation, other characters (traditional/simplified)
HANZI_RARE_READING = 0.75  # alike only in a rare reading of a character: likely another name
# The same syllables of a person's name in another order ("Gang Lan" / "Lan Gang"): shown
# on request (below the default threshold), as it is more likely another name.
SYLLABLES_REORDERED = 0.78
# Two organisations whose distinctive parts differ (another city's bureau, a firm one
# character apart) are two organisations, however alike the rest of their names.
DISTINCTIVE_MISMATCH_CAP = 0.60
COUNTRY_MISMATCH = -0.10
KIND_MISMATCH = -0.25
IDENTIFIER_CONFLICT = -0.30
# Unmatched words: ours count almost fully, theirs little (nomenklatura's 0.8 / 0.2);
# for people both count fully, as Chinese names are short and every syllable is telling.
UNMATCHED_OURS = 0.8
UNMATCHED_THEIRS_ORG = 0.2
GENERIC_WEIGHT = 0.3
# Keys in more than 1 % of the entities (at least 2,000) are only used if nothing rarer is.
_COMMON_KEY_MIN = 2_000
_COMMON_KEY_SHARE = 100
_NEAR_LIMIT = 30  # spelling neighbours of one query word looked up at most

PERSON_SCHEMAS = frozenset({"Person"})
NEUTRAL_SCHEMAS = frozenset({"Thing", "LegalEntity", "", "Vessel", "Airplane"})
# Topics that stand for a legal act, as opposed to an assessment by someone.
DESIGNATION_TOPICS = frozenset(
    {
        "sanction",
        "sanction.linked",
        "sanction.counter",
        "export.control",
        "export.control.linked",
        "debarment",
        "invest.ban",
        "reg.action",
        "reg.warn",
        "crime.terror",
        "wanted",
    }
)
STRONG_IDENTIFIER_KEYS = frozenset(
    {
        "uscCode",
        "registrationNumber",
        "leiCode",
        "taxNumber",
        "innCode",
        "ogrnCode",
        "vatCode",
        "idNumber",
        "passportNumber",
        "swiftBic",
        "imoNumber",
        "uscc",
    }
)


def allowed_edits(length: int) -> int:
    """Typos tolerated in a name of this many letters (more for longer names)."""
    if length <= 3:
        return 0
    if length <= 7:
        return 1
    if length <= 14:
        return 2
    return 3


def split_topics(topics: Iterable[str], list_category: str) -> tuple[list[str], list[str]]:
    """(designations, assessments): legal listings apart from ratings such as ``mil``."""
    designations = [t for t in topics if t in DESIGNATION_TOPICS]
    assessments = [t for t in topics if t not in DESIGNATION_TOPICS]
    if not designations and not assessments:
        return (
            ([], [])
            if not list_category
            else ((["list"], []) if list_category == "designation" else ([], ["list"]))
        )
    return designations, assessments


@dataclass(frozen=True, slots=True)
class Subject:
    """One of our actors or contacts, as the matcher sees it."""

    uuid: str
    kind: str  # actor | contact
    label: str
    names: tuple[str, ...]
    person: bool
    country: str | None = None
    identifiers: tuple[tuple[str, str], ...] = ()  # (scheme, value), e.g. ("uscc", "9111…")

    def normalized(self) -> list[NormName]:
        seen: set[tuple[str, ...]] = set()
        out = []
        for raw in _with_variants(self.names):
            n = normalize(raw, self.person)
            key = (n.joined, n.hanzi)
            if n.tokens and key not in seen:
                seen.add(key)
                out.append(n)
        return out


def _with_variants(names: Iterable[str]) -> list[str]:
    """Non-empty names, plus each without its bracketed part ("Liu Yang (Jack)" → "Liu Yang")."""
    out = []
    for raw in names:
        if not raw or not raw.strip():
            continue
        out.append(raw)
        if "(" in raw or "（" in raw:
            bare = re.sub(r"[(（][^)）]*[)）]", " ", raw).strip()
            if bare:
                out.append(bare)
    return out


@dataclass(slots=True)
class Entity:
    """A reference entity prepared for matching."""

    list_key: str
    entity_key: str
    schema: str
    caption: str
    names: list[str]
    weak_aliases: list[str]
    countries: list[str]
    topics: list[str]
    identifiers: dict[str, list[str]]
    content_hash: str
    list_name: str = ""
    list_date: date | None = None
    list_category: str = "designation"
    norm: list[NormName] = field(default_factory=list)
    norm_weak: list[NormName] = field(default_factory=list)

    @property
    def person(self) -> bool:
        return self.schema in PERSON_SCHEMAS

    def prepare(self) -> None:
        person = self.person
        self.norm = normalized_names(self.names, person)
        self.norm_weak = normalized_names(self.weak_aliases, person)


def normalized_names(names: Iterable[str], person: bool) -> list[NormName]:
    """An entity's names (or weak aliases) as the matcher compares them: each normalised,
    empty ones and repeats (the same words and characters) left out, in their order."""
    return _unique(normalize(n, person) for n in names if n and n.strip())


def _unique(names: Iterable[NormName]) -> list[NormName]:
    seen: set[tuple[str, str]] = set()
    out = []
    for n in names:
        key = (n.joined, n.hanzi)
        if n.tokens and key not in seen:
            seen.add(key)
            out.append(n)
    return out


@dataclass(frozen=True, slots=True)
class NameScore:
    score: float
    method: str  # exact | hanzi_exact | hanzi_reading | hanzi_fuzzy | joined | tokens
    edits: int = 0
    order_swapped: bool = False
    notes: tuple[str, ...] = ()
    # What tells the two names apart: ("place" | "name" | "body", ours, theirs)
    differs: tuple[str, str, str] | None = None


def _rotations(tokens: Sequence[str]) -> list[tuple[tuple[str, ...], bool]]:
    """Family name first or last: every rotation, the original first."""
    t = tuple(tokens)
    return [(t[i:] + t[:i], i != 0) for i in range(len(t))] or [(t, False)]


def _weight(token: str, discount: bool = True) -> float:
    return len(token) * (GENERIC_WEIGHT if discount and token in GENERIC_WORDS else 1.0)


def _token_alignment(
    q: NormName, c: NormName, person: bool, relaxed: bool = False
) -> tuple[float, int]:
    """Word by word: each of our words against the closest unused word of theirs.

    Their extra words count little ("Huawei" / "Huawei Technologies") only when a distinctive
    word matched; for people and institutions every extra word counts in full.
    """
    used: set[int] = set()
    pairs: list[tuple[str, float]] = []
    unmatched_q: list[str] = []
    edits = 0
    strict = person and q.pinyin and c.pinyin  # a changed pinyin syllable is another name
    for qt in q.tokens:
        qt_pinyin = segment_pinyin(qt) is not None
        best, best_i, best_d = 0.0, -1, 0
        for i, ct in enumerate(c.tokens):
            if i in used:
                continue
            if qt == ct:
                best, best_i, best_d = 1.0, i, 0
                break
            if strict or (not relaxed and qt_pinyin and segment_pinyin(ct) is not None):
                continue  # "Xinglian" / "Minglian": another syllable, another name
            longest = max(len(qt), len(ct))
            budget = allowed_edits(longest)
            d = int(OSA.distance(qt, ct, score_cutoff=budget))
            if d <= budget and 1.0 - d / longest > best:
                best, best_i, best_d = 1.0 - d / longest, i, d
        if best_i >= 0:
            used.add(best_i)
            pairs.append((qt, best))
            edits += best_d
        else:
            unmatched_q.append(qt)
    unmatched_c = [ct for i, ct in enumerate(c.tokens) if i not in used]
    distinctive = any(
        sim >= 0.8 and len(t) >= 3 and t not in GENERIC_WORDS and t not in PLACE_WORDS
        for t, sim in pairs
    )
    institution = any(t in INSTITUTION_WORDS for t in (*q.tokens, *c.tokens))
    cheap = distinctive and not person and not institution
    ours_w = 1.0 if person else UNMATCHED_OURS
    theirs_w = UNMATCHED_THEIRS_ORG if cheap else (1.0 if person or institution else ours_w)
    matched = sum(sim * _weight(t, cheap) for t, sim in pairs)
    denominator = sum(_weight(t, cheap) for t, _ in pairs)
    denominator += ours_w * sum(_weight(t, cheap) for t in unmatched_q)
    ours_place = any(t in PLACE_WORDS for t in unmatched_q)
    for ct in unmatched_c:
        if ct in PLACE_WORDS and not person:
            if ours_place:  # "Jinan Xingsheng" / "Nanjing Xingsheng": two places, two firms
                denominator += _weight(ct, False)
                continue
            if cheap:  # "Hangzhou Hikvision" for our "Hikvision"
                denominator += theirs_w * _weight(ct) * GENERIC_WEIGHT
                continue
        denominator += theirs_w * _weight(ct, cheap)
    return (matched / denominator if denominator > 0 else 0.0), edits


def _read_alike(a: str, b: str) -> bool:
    """Two characters of a firm's name read alike: the same usual reading, tones aside
    (興 xìng / 兴 xīng), or the same readings."""
    return {r.rstrip("012345") for r in primary_reading(a)} == {
        r.rstrip("012345") for r in primary_reading(b)
    } or readings_of(a) == readings_of(b)


def _rare_reading_only(q: NormName, c: NormName) -> bool:
    """Characters that read alike only in a rare reading (盛 as chéng like 诚)."""
    return len(q.hanzi) == len(c.hanzi) and any(
        a != b and not _read_alike(a, b) for a, b in zip(q.hanzi, c.hanzi, strict=True)
    )


def _reading_distance(q: NormName, c: NormName, person: bool = False) -> int:
    """Characters that cannot be read alike: in a firm's name by their usual reading (長/长
    both zhǎng; 盛 is no 诚 though it may be read chéng), in a person's given name by any
    reading, and the surname only as a surname reads (沈 is Shěn, never tán like 谭)."""
    if len(q.hanzi) == len(c.hanzi):
        return sum(
            1
            for i, (a, b) in enumerate(zip(q.hanzi, c.hanzi, strict=True))
            if a != b
            and not (
                surname_readings(a) & surname_readings(b)
                if person and i == 0
                else (readings_of(a) & readings_of(b) if person else _read_alike(a, b))
            )
        )
    return int(OSA.distance(q.readings, c.readings))


@lru_cache(maxsize=100_000)
def _syllable_runs(c: NormName) -> frozenset[str]:
    """Their words and every run of up to five of their syllables ("xiao ming" → "xiaoming")."""
    theirs = set(c.tokens)
    syl = syllables(c)
    for i in range(len(syl)):
        for j in range(i + 1, min(i + 5, len(syl)) + 1):
            theirs.add("".join(syl[i:j]))
    return frozenset(theirs)


def _differs_in_pinyin_only(q: NormName, c: NormName) -> bool:
    """True if every word of ours that theirs lacks is good pinyin: then the names differ in
    a syllable, not by a typo (typos rarely make valid pinyin)."""
    theirs = _syllable_runs(c)
    residual = False
    for t in q.tokens:
        if t in theirs:
            continue
        if segment_pinyin(t) is None:
            return False  # a word that is no pinyin: may be a typo
        residual = True
    return residual


def _shown(parts: NameParts) -> str:
    """The distinctive part as words: pinyin syllables joined ("Xihai"), other words apart."""
    words: list[str] = []
    joined = False
    for t in parts.distinctive:
        pinyin = segment_pinyin(t) is not None
        if pinyin and joined and words:
            words[-1] += t
        else:
            words.append(t.capitalize())
        joined = pinyin
    return " ".join(words)


def distinctive_verdict(q: NormName, c: NormName) -> tuple[str | None, tuple[str, str, str] | None]:
    """(typo, difference) for two organisations' names, judged on what tells names of one
    template apart: the public body named, then the place or trade name.

    ``typo`` is None (no typo, or not judged), "typo" or "pinyin_typo" (one letter off,
    both spellings good pinyin: "Huawai"). A name in characters has no typos: any other
    syllable there is another name; a place name one letter off is another place.
    """
    pq, pc = name_parts(q), name_parts(c)
    if pq.bodies != pc.bodies and (pq.bodies or pc.bodies):
        if pq.distinctive and pc.distinctive:
            ours = ", ".join(sorted(pq.bodies)) or _shown(pq)
            theirs = ", ".join(sorted(pc.bodies)) or _shown(pc)
            return None, ("body", ours, theirs)
        return None, None
    kind = "place" if pq.place_like else "name"
    verdicts = [
        _part_verdict(x, y, pq.place_like, not q.only_hanzi)
        for x, y in ((pq.distinctive, pc.distinctive), (pq.full, pc.full))
    ]
    if any(v == "unjudged" for v in verdicts):
        return None, None
    if "same" in verdicts:
        return None, None
    shown = (kind, _shown(pq), _shown(pc))
    for v in ("typo", "pinyin_typo"):
        if v in verdicts:
            return v, shown
    return None, shown


def _part_verdict(dq_t: tuple[str, ...], dc_t: tuple[str, ...], place: bool, typed: bool) -> str:
    """same | typo | pinyin_typo | differs | unjudged (a part is empty)."""
    dq, dc = "".join(dq_t), "".join(dc_t)
    if not dq or not dc:
        return "unjudged"
    if dq == dc:
        return "same"
    if not place:
        small, big = sorted((dq_t, dc_t), key=len)
        inside = any(big[i : i + len(small)] == small for i in range(len(big) - len(small) + 1))
        if inside and len("".join(small)) >= 3:
            return "same"  # "DJI" / "SZ DJI"
    if not typed or min(len(dq), len(dc)) < 4:
        return "differs"
    a, b = list(dq_t), list(dc_t)
    while a and b and a[0] == b[0]:
        a, b = a[1:], b[1:]
    while a and b and a[-1] == b[-1]:
        a, b = a[:-1], b[:-1]
    pa, pb = "".join(a), "".join(b)
    if not pa or not pb:
        return "differs"  # a word more or less
    if not all(segment_pinyin(t) is not None for t in (*a, *b)):
        budget = allowed_edits(max(len(pa), len(pb)))
        if OSA.distance(pa, pb, score_cutoff=budget) <= budget:
            return "typo"  # "Polytechnic" / "Polytechnical", "Xignyuan"
    elif not place and OSA.distance(pa, pb, score_cutoff=1) <= 1:
        return "pinyin_typo"
    return "differs"


def compare_names(q: NormName, c: NormName, person: bool) -> NameScore:
    """How close our name ``q`` is to their name ``c`` (0…1), and how it was decided."""
    if (
        not person
        and q.joined != c.joined
        and not (q.hanzi and q.hanzi == c.hanzi)
        and not (q.only_hanzi and c.only_hanzi and _reading_distance(q, c) == 0)
    ):
        # Most candidates differ in their distinctive part: settle those cheaply, without
        # the word-by-word comparison (the score stays below the cap either way).
        typo, differs = distinctive_verdict(q, c)
        if differs is not None and typo is None:
            sim = min(
                float(OSA.normalized_similarity(q.joined, c.joined)), DISTINCTIVE_MISMATCH_CAP
            )
            return NameScore(sim, "joined", notes=(f"{differs[0]}_differs",), differs=differs)
    ns = _compare_names(q, c, person, relaxed=False)
    if person or ns.method in ("hanzi_exact", "hanzi_reading", "exact"):
        return ns
    typo, differs = distinctive_verdict(q, c)
    if differs is not None and typo is None:
        if ns.score <= DISTINCTIVE_MISMATCH_CAP:
            return ns
        return NameScore(
            DISTINCTIVE_MISMATCH_CAP,
            ns.method,
            edits=ns.edits,
            order_swapped=ns.order_swapped,
            notes=(*ns.notes, f"{differs[0]}_differs"),
            differs=differs,
        )
    if typo is not None:
        relaxed = _compare_names(q, c, person, relaxed=True)
        best = relaxed if relaxed.score > ns.score else ns
        notes = tuple(n for n in best.notes if n != "pinyin_syllable_differs")
        return NameScore(
            best.score,
            best.method,
            edits=best.edits,
            order_swapped=best.order_swapped,
            notes=(*notes, typo),
            differs=differs,
        )
    return ns


def _compare_names(q: NormName, c: NormName, person: bool, relaxed: bool) -> NameScore:
    if q.only_hanzi and c.only_hanzi:
        if q.hanzi == c.hanzi:
            return NameScore(1.0, "hanzi_exact")
        d = _reading_distance(q, c, person)
        if d == 0:
            if _rare_reading_only(q, c):
                return NameScore(HANZI_RARE_READING, "hanzi_reading", notes=("rare_reading",))
            return NameScore(HANZI_SAME_READING, "hanzi_reading")
        longest = max(len(q.readings), len(c.readings))
        sim = 1.0 - d / longest
        if person or d > allowed_edits(longest) // 2:
            sim = min(sim, PINYIN_MISMATCH_CAP)
        return NameScore(sim, "hanzi_fuzzy", edits=d)
    best = NameScore(0.0, "joined")
    syllable_change: bool | None = None  # worked out when first needed
    cj = c.joined
    for rot, swapped in _rotations(q.tokens):
        qj = "".join(rot)
        if qj == cj:
            method = "exact" if q.tokens == c.tokens or swapped else "joined"
            return NameScore(1.0, method, order_swapped=swapped)
        longest = max(len(qj), len(cj))
        d = int(OSA.distance(qj, cj))
        sim = 1.0 - d / longest
        notes: list[str] = []
        if syllable_change is None:
            syllable_change = not relaxed and _differs_in_pinyin_only(q, c)
        if syllable_change:
            sim = min(sim, PINYIN_MISMATCH_CAP)
            notes.append("pinyin_syllable_differs")
        elif d > allowed_edits(longest):
            sim = min(sim, EDIT_BUDGET_CAP)
        if sim > best.score:
            best = NameScore(sim, "joined", edits=d, order_swapped=swapped, notes=tuple(notes))
    # Same syllables, other grouping ("Wang Xiao Ming" / "Ming Wang Xiao"): a reordering we
    # cannot vouch for; keep it below an exact match but report it.
    if (
        person
        and q.pinyin
        and c.pinyin
        and best.score < SYLLABLES_REORDERED
        and "".join(sorted(syllables(q))) == "".join(sorted(syllables(c)))
    ):
        best = NameScore(
            SYLLABLES_REORDERED, "joined", order_swapped=True, notes=("syllables_reordered",)
        )
    if len(q.tokens) > 1 or len(c.tokens) > 1:
        sim, edits = _token_alignment(q, c, person, relaxed)
        if sim > best.score:
            best = NameScore(sim, "tokens", edits=edits)
    if (
        person
        and best.method == "tokens"
        and best.score > SYLLABLES_REORDERED
        and sorted(q.tokens) == sorted(c.tokens)
        and all(rot != c.tokens for rot, _swapped in _rotations(q.tokens))
    ):
        # 卢刚兰 / 卢兰刚: the same syllables in another order are another given name.
        best = NameScore(
            SYLLABLES_REORDERED, "tokens", order_swapped=True, notes=("syllables_reordered",)
        )
    if person and q.pinyin and c.pinyin and best.score > PINYIN_MISMATCH_CAP:
        ours, theirs = sorted(syllables(q)), sorted(syllables(c))
        if (
            ours != theirs
        ):  # every syllable of a person's name counts: "Song Liang" is no "Song Liangyu"
            missing = len(ours) != len(theirs)
            best = NameScore(
                PINYIN_MISMATCH_CAP,
                best.method,
                edits=best.edits,
                order_swapped=best.order_swapped,
                notes=(*best.notes, "syllable_missing" if missing else "pinyin_syllable_differs"),
            )
    return best


@dataclass(slots=True)
class Match:
    """A scored pair of one subject and one entity, with everything the explanation needs."""

    entity: Entity
    score: float
    explanation: dict[str, Any]


def identifier_values(entity: Entity) -> dict[str, str]:
    return identifier_values_of(entity.identifiers)


def identifier_values_of(identifiers: Mapping[str, Sequence[str]]) -> dict[str, str]:
    """The normalised identifiers (six characters or more) → their scheme."""
    out: dict[str, str] = {}
    for scheme, values in identifiers.items():
        for v in values:
            norm = normalize_identifier(v)
            if len(norm) >= 6:
                out[norm] = scheme
    return out


def score_pair(subject: Subject, entity: Entity, ours: list[NormName] | None = None) -> Match:
    """Score one subject against one entity and explain the score."""
    ours = subject.normalized() if ours is None else ours
    best: tuple[float, NormName | None, NormName | None, NameScore | None, bool] = (
        0.0,
        None,
        None,
        None,
        False,
    )
    for q in ours:
        for c, weak in [(n, False) for n in entity.norm] + [(n, True) for n in entity.norm_weak]:
            ns = compare_names(q, c, subject.person or entity.person)
            s = ns.score * (WEAK_ALIAS_WEIGHT if weak else 1.0)
            if s > best[0]:
                best = (s, q, c, ns, weak)
    name_score, q_best, c_best, ns_best, weak_best = best
    agreed: list[dict[str, Any]] = []
    lowered: list[dict[str, Any]] = []
    identifier: dict[str, Any] | None = None
    theirs_ids = identifier_values(entity)
    for scheme, value in subject.identifiers:
        norm = normalize_identifier(value)
        if norm and norm in theirs_ids:
            identifier = {"ours_scheme": scheme, "theirs_scheme": theirs_ids[norm], "value": value}
            break
    score = max(name_score, IDENTIFIER_SCORE if identifier else 0.0)
    if identifier:
        agreed.append({"code": "identifier", **identifier})
    else:
        their_uscc = {normalize_identifier(v) for v in entity.identifiers.get("uscCode", [])}
        ours_all = {normalize_identifier(v) for s, v in subject.identifiers if s == "uscc"}
        # A code with a wrong check character proves nothing: names decide, and we say so.
        ours_uscc = {v for v in ours_all if uscc_valid(v)}
        their_uscc = {v for v in their_uscc if uscc_valid(v)}
        invalid = sorted(ours_all - ours_uscc)
        if invalid:
            lowered.append({"code": "identifier_invalid", "delta": 0.0, "ours": invalid})
        if their_uscc and ours_uscc and not their_uscc & ours_uscc:
            score += IDENTIFIER_CONFLICT
            lowered.append(
                {
                    "code": "identifier_conflict",
                    "delta": IDENTIFIER_CONFLICT,
                    "ours": sorted(ours_uscc),
                    "theirs": sorted(their_uscc),
                }
            )
    if entity.schema not in NEUTRAL_SCHEMAS:
        if subject.person == entity.person:
            agreed.append({"code": "kind", "theirs": entity.schema})
        elif not identifier:
            score += KIND_MISMATCH
            lowered.append(
                {
                    "code": "kind_mismatch",
                    "delta": KIND_MISMATCH,
                    "ours": "person" if subject.person else "organisation",
                    "theirs": entity.schema,
                }
            )
    if subject.country and entity.countries:
        countries = [c.lower() for c in entity.countries]
        if subject.country.lower() in countries:
            agreed.append({"code": "country", "ours": subject.country.upper()})
        elif not identifier:
            score += COUNTRY_MISMATCH
            lowered.append(
                {
                    "code": "country_mismatch",
                    "delta": COUNTRY_MISMATCH,
                    "ours": subject.country.upper(),
                    "theirs": [c.upper() for c in entity.countries],
                }
            )
    score = round(min(1.0, max(0.0, score)), 4)
    designations, assessments = split_topics(entity.topics, entity.list_category)
    name_part: dict[str, Any] | None = None
    if q_best is not None and c_best is not None and ns_best is not None:
        name_part = {
            "ours": q_best.original,
            "theirs": c_best.original,
            "ours_normalised": " ".join(q_best.tokens),
            "theirs_normalised": " ".join(c_best.tokens),
            "similarity": round(ns_best.score, 4),
            "score": round(name_score, 4),
            "method": ns_best.method,
            "edits": ns_best.edits,
            "order_swapped": ns_best.order_swapped,
            "weak_alias": weak_best,
            "transliterated": q_best.transliterated or c_best.transliterated,
            "removed": sorted(set(q_best.removed) | set(c_best.removed)),
            "notes": list(ns_best.notes),
            "differs": list(ns_best.differs) if ns_best.differs else None,
        }
    explanation = {
        "score": score,
        "name": name_part,
        "identifier": identifier,
        "agreed": agreed,
        "lowered": lowered,
        "list": {
            "key": entity.list_key,
            "name": entity.list_name,
            "date": entity.list_date.isoformat() if entity.list_date else None,
            "category": entity.list_category,
        },
        "entity": {
            "key": entity.entity_key,
            "caption": entity.caption,
            "schema": entity.schema,
            "countries": list(entity.countries),
            "topics": list(entity.topics),
        },
        "designations": designations,
        "assessments": assessments,
    }
    return Match(entity, score, explanation)


class KeySource(Protocol):
    """Where the candidate search looks keys up: the in-memory ``MatchIndex`` or the index
    stored in the database (``services.screening.index``). Both answer the same questions,
    so both find the same candidates, in the same order, with the same weights.

    Entity references are ints ascending in the order the entities were indexed."""

    def __len__(self) -> int: ...

    def key_counts(self, keys: Collection[str]) -> dict[str, int]:
        """How many entities carry each key (keys no entity carries are left out)."""
        ...

    def near_words(self, variants: Collection[str]) -> dict[str, set[str]]:
        """Indexed words that become ``variant`` when one letter is dropped."""
        ...

    def postings(self, keys: Collection[str]) -> dict[str, Sequence[int]]:
        """The entities carrying each key, ascending."""
        ...

    def by_identifier(self, values: Collection[str]) -> dict[str, Sequence[int]]:
        """The entities holding each normalised identifier, ascending."""
        ...

    def fetch(self, refs: Sequence[int]) -> list[Entity]:
        """The entities themselves, prepared, in the order asked."""
        ...


def name_keys(n: NormName) -> set[str]:
    """The lookup keys of one of their names."""
    return _name_keys(n, rotations=False)


def entity_keys(entity: Entity) -> set[str]:
    """The lookup keys of one (prepared) entity's names."""
    keys: set[str] = set()
    for n in (*entity.norm, *entity.norm_weak):
        keys.update(name_keys(n))
    return keys


def entity_words(entity: Entity) -> Iterator[str]:
    """The words of an entity's names, whose one-letter deletions find typos."""
    for n in (*entity.norm, *entity.norm_weak):
        yield from n.tokens


def deletions(word: str) -> list[str]:
    """``word`` with one letter dropped, each way (words of three letters or more)."""
    if len(word) < 3:
        return []
    return [word[:i] + word[i + 1 :] for i in range(len(word))]


def _near_tokens(token: str, counts: Mapping[str, int], near: Mapping[str, set[str]]) -> list[str]:
    """Indexed words within one edit (drop, add, change or swap a letter) of ``token``,
    longest first (then alphabetically, so the choice never depends on set order)."""
    if len(token) < 2:
        return []
    out: set[str] = set(near.get(token, ()))  # one letter added on our side
    if len(token) >= 4:
        for variant in _drop_one(token):
            if counts.get(variant):
                out.add(variant)  # one letter missing on our side
            out.update(near.get(variant, ()))  # changed or swapped letter
    out.discard(token)
    return sorted(out, key=lambda t: (-len(t), t))[:_NEAR_LIMIT]


def _drop_one(token: str) -> list[str]:
    return [token[:i] + token[i + 1 :] for i in range(len(token))]


def query_keys(source: KeySource, ours: list[NormName]) -> dict[str, float]:
    """Our names' lookup keys with their weight factor: 1 for our own spelling, 0.8 for a
    word of the list one typo away (and the joined keys rebuilt with it)."""
    words = {t for q in ours for t in q.tokens}
    counts = source.key_counts(words)
    # A word the lists use is far likelier right than a typo: only the others look near.
    rare = [t for t in words if counts.get(t, 0) <= 1 and len(t) >= 2]
    variants = {v for t in rare if len(t) >= 4 for v in _drop_one(t)}
    counts.update(source.key_counts(variants))
    near = source.near_words({*rare, *variants})
    keys: dict[str, float] = {}
    for q in ours:
        for key in _name_keys(q, rotations=True):
            keys[key] = 1.0
        toks = list(q.tokens)
        for i, tok in enumerate(toks):
            if counts.get(tok, 0) > 1:
                continue
            for alt in _near_tokens(tok, counts, near):
                keys.setdefault(alt, 0.8)
                # The typo also spoils the joined keys: rebuild them with the correction.
                fixed = NormName(
                    q.original, (*toks[:i], alt, *toks[i + 1 :]), "", (), False, (), False
                )
                for key in _name_keys(fixed, rotations=True):
                    keys.setdefault(key, 0.8)
    return keys


def find_candidates(source: KeySource, subject: Subject, ours: list[NormName]) -> list[int]:
    """Entities sharing the most (and rarest) keys with our names, identifiers first."""
    n_total = max(len(source), 1)
    values = [normalize_identifier(value) for _scheme, value in subject.identifiers]
    id_postings = source.by_identifier(values) if values else {}
    by_id: list[int] = [i for v in values for i in id_postings.get(v, ())]
    wanted = query_keys(source, ours)
    counts = source.key_counts(wanted)
    found = [(key, factor, counts[key]) for key, factor in wanted.items() if counts.get(key)]
    found.sort(key=lambda kfc: kfc[2])
    common = max(_COMMON_KEY_MIN, n_total // _COMMON_KEY_SHARE)
    used: list[tuple[str, float, int]] = []
    for n, (key, factor, df) in enumerate(found):
        if n and df > common:
            break  # the rarer keys already found the candidates; "xin" adds nothing
        used.append((key, factor, df))
    exact_keys = _exact_keys(ours)
    postings = source.postings({*(k for k, _f, _d in used), *exact_keys})
    weights: dict[int, float] = {}
    for key, factor, df in used:
        w = factor * math.log(1.0 + n_total / df)
        for i in postings[key]:
            weights[i] = weights.get(i, 0.0) + w
    ranked = heapq.nlargest(CANDIDATE_LIMIT, weights, key=weights.__getitem__)
    if ranked:
        # Entities that share only a common word ("technology", "wang") with us while
        # others share rare keys are not worth scoring.
        floor = weights[ranked[0]] * CANDIDATE_RELATIVE_FLOOR
        ranked = [i for i in ranked if weights[i] >= floor]
    # Whatever carries one of our names exactly is scored, however many there are: the
    # cap must never drop a true hit behind a hundred namesakes.
    exact = [i for key in exact_keys for i in postings.get(key, ())]
    return list(dict.fromkeys([*by_id, *exact, *ranked]))


def _exact_keys(ours: list[NormName]) -> list[str]:
    keys = []
    for q in ours:
        keys.append("=" + q.joined)
        if q.hanzi:
            keys.append("#" + q.hanzi)
    return keys


def screen_source(
    source: KeySource, subject: Subject, threshold: float = DEFAULT_THRESHOLD
) -> list[Match]:
    """Entities of ``source`` that match ``subject`` at ``threshold`` or above, best first."""
    ours = subject.normalized()
    matches = []
    for entity in source.fetch(find_candidates(source, subject, ours)):
        m = score_pair(subject, entity, ours)
        if m.score >= threshold:
            m.explanation["threshold"] = threshold
            matches.append(m)
    matches.sort(key=lambda m: m.score, reverse=True)
    # One letter off a listed name, both spellings good pinyin: a typo only if the list
    # holds no name we spelt better ("Jinyuan" hits Jinyuan, not Jiayuan as well).
    if any("pinyin_typo" not in _notes(m) for m in matches[:1]):
        matches = [m for m in matches if "pinyin_typo" not in _notes(m)]
    return matches


class MatchIndex:
    """Reference entities with lookup keys, in memory: tokens, joined names, syllable
    sets, identifiers.

    A query only scores the entities that share keys with it (at most ``CANDIDATE_LIMIT``
    of them, the ones sharing the rarest keys first), never every entity. The database
    keeps the same index per list (``services.screening.index``), so screening need not
    build this one; tests and benchmarks compare the two.
    """

    def __init__(self, entities: Iterable[Entity] = ()) -> None:
        self.entities: list[Entity] = []
        self._postings: dict[str, list[int]] = {}
        self._ids: dict[str, list[int]] = {}
        self._deletions: dict[str, set[str]] = {}  # token with one letter dropped → tokens
        self._vocab: set[str] = set()
        for e in entities:
            self.add(e)

    def __len__(self) -> int:
        return len(self.entities)

    def add(self, entity: Entity) -> None:
        if not entity.norm and (entity.names or entity.weak_aliases):
            entity.prepare()
        idx = len(self.entities)
        self.entities.append(entity)
        for tok in entity_words(entity):
            if tok not in self._vocab:  # words only; joined pairs are too many
                self._vocab.add(tok)
                for variant in deletions(tok):
                    self._deletions.setdefault(variant, set()).add(tok)
        for key in entity_keys(entity):
            posting = self._postings.get(key)
            if posting is None:
                self._postings[key] = [idx]
            else:
                posting.append(idx)
        for norm in identifier_values(entity):
            self._ids.setdefault(norm, []).append(idx)

    # KeySource
    def key_counts(self, keys: Collection[str]) -> dict[str, int]:
        return {k: len(p) for k in keys if (p := self._postings.get(k))}

    def near_words(self, variants: Collection[str]) -> dict[str, set[str]]:
        return {v: w for v in variants if (w := self._deletions.get(v))}

    def postings(self, keys: Collection[str]) -> dict[str, Sequence[int]]:
        return {k: p for k in keys if (p := self._postings.get(k))}

    def by_identifier(self, values: Collection[str]) -> dict[str, Sequence[int]]:
        return {v: p for v in values if (p := self._ids.get(v))}

    def fetch(self, refs: Sequence[int]) -> list[Entity]:
        return [self.entities[i] for i in refs]

    def candidates(self, subject: Subject, ours: list[NormName]) -> list[int]:
        """Entities sharing the most (and rarest) keys with our names, identifiers first."""
        return find_candidates(self, subject, ours)

    def screen(self, subject: Subject, threshold: float = DEFAULT_THRESHOLD) -> list[Match]:
        """Entities that match ``subject`` at ``threshold`` or above, best first."""
        return screen_source(self, subject, threshold)


def _notes(m: Match) -> list[str]:
    name = m.explanation.get("name") or {}
    return list(name.get("notes", ()))


def _name_keys(n: NormName, rotations: bool) -> set[str]:
    toks = n.tokens
    keys = {t for t in toks if len(t) >= 2}
    keys.update(map(str.__add__, toks, toks[1:]))  # neighbours joined
    if rotations:
        keys.update("=" + "".join(rot) for rot, _ in _rotations(toks))
    else:
        keys.add("=" + "".join(toks))
    # not ``syllables(n)``: its cache would hash every name of a list being indexed
    keys.add("~" + "|".join(sorted(syllables_of(toks))))
    if n.hanzi:
        keys.add("#" + n.hanzi)
        keys.add("%" + _reading_key(n.hanzi))
    return keys


@lru_cache(maxsize=200_000)
def _reading_key(hanzi: str) -> str:
    """The characters by their readings, so 長春 and 长春 (zhang/chang) share one key."""
    return "|".join(min(readings_of(ch), default=ch) for ch in hanzi)


# --- the version of the stored index ---------------------------------------------------

# Raise when what the index stores changes in a way the probes below might not show.
INDEX_FORMAT = 1
# Names run through normalisation and key making to fingerprint the matcher: a change to
# either (or to the pinyin data) gives another version, and stored indexes are rebuilt.
_PROBES = (
    ("Huawei Technologies Co., Ltd.", False),
    ("华为技术有限公司", False),
    ("深圳市大疆创新科技有限公司", False),
    ("Jiyuan Municipal Public Security Bureau", False),
    ("济源市公安局", False),
    ("Harbin Institute of Technology (HIT)", False),
    ("長春光學精密機械與物理研究所", False),
    ("China Electronics Technology Group Corporation 14th Research Institute", False),
    ("Hikvision Digital Technology (joint-stock) Company Limited", False),
    ("中兴通讯（香港）有限公司", False),
    ("Wang Xiaoming", True),
    ("王晓明", True),
    ("沈梦", True),
    ("Lǚ Zhìqiáng", True),
    ("Liu Yang (Jack)", True),
    ("Stadtwerke München GmbH", False),
)


@lru_cache(maxsize=1)
def index_version() -> str:
    """Names the matcher that builds an index: its format, the pinyin data's version and
    a fingerprint of normalisation and keys on probe names."""
    import hashlib
    from importlib.metadata import version

    digest = hashlib.sha256()
    for name, person in _PROBES:
        entity = Entity(
            "p", "p", "Person" if person else "Company", name, [name], [], [], [], {}, ""
        )
        entity.prepare()
        digest.update(repr((entity.norm, sorted(entity_keys(entity)))).encode())
        for word in entity_words(entity):
            digest.update(repr(deletions(word)).encode())
    try:
        pinyin = version("pypinyin")
    except Exception:  # noqa: BLE001 - a frozen build may lack the metadata
        pinyin = "?"
    return f"{INDEX_FORMAT}-{pinyin}-{digest.hexdigest()[:16]}"
