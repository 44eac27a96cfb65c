"""The public version of a briefing: one filter over the whole content model.

Every writer (PDF, its metadata and bookmarks, a future DOCX) renders a
``Briefing``; so the public version is made here, once, from the finished
model, and nothing a renderer does can bring back what was taken out:

* sections marked internal, the internal notes of answers and the reasons of
  screening decisions (a reviewer's working notes) are dropped;
* passages the author marked ``[intern]…[/intern]`` in any text are dropped
  (the internal version shows them as "[intern: …]");
* a sentence elsewhere that repeats an internal passage verbatim (the same
  fact copied into the evidence column) is dropped too;
* the registers keep only their public columns (no one who led, decided or was
  told); counterpart contacts and incidents are given only as a number, and their
  accounts count as internal passages (``briefing_registers``);
* names of private persons (every contact and counterpart, every listed person a hit names)
  are replaced by their role ("eine Kontaktperson des Partners"), in every
  text, also inside running text;
* names of staff (who answered, signed off, decided, is responsible, wrote the
  paper) are left out unless they are released for the public version: the
  "Verantwortlich" and "Federführende Stelle" lines of the header, and the
  names given in ``BriefingOptions.public_names``.

``leaks`` checks a finished model for any of these strings; ``build_content``
refuses to hand out a public version for which it finds one.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field, fields, is_dataclass, replace
from typing import Any, TypeVar

from chinadialog_desktop.domain.briefing_model import Briefing
from chinadialog_desktop.domain.briefing_terms import term

T = TypeVar("T")

# ``[intern]…[/intern]`` (also ``[internal]``, any case); an unclosed marker runs to the end.
_INTERNAL_SPAN = re.compile(
    r"\[(?:intern|internal)\](.*?)(?:\[/(?:intern|internal)\]|\Z)", re.IGNORECASE | re.DOTALL
)
_SENTENCE_END = re.compile(r"(?<=[.!?;])\s+")
_HONORIFICS = r"(?:Herrn?|Frau|Hr\.|Fr\.|Dr\.|Prof\.|Mr\.?|Mrs\.?|Ms\.?)"
# Fields that hold codes, hashes or dates, never prose: left as they are.
_CODE_FIELDS = frozenset(
    {
        "uuid",
        "dossier_uuid",
        "sha256",
        "day",
        "key",
        "id",
        "kind",
        "light",
        "answer",
        "severity",
        "classification",
        "lang",
        "subject_kind",
        "entity_schema",
        "field_names",
        "public_fields",
    }
)
MIN_PHRASE = 12  # shorter internal passages ("Ja.") are too common to search for

ROLES: dict[str, tuple[str, str]] = {
    "contact_partner": ("eine Kontaktperson des Partners", "a contact person of the partner"),
    "contact_german": (
        "eine Kontaktperson der deutschen Seite",
        "a contact person on the German side",
    ),
    "contact": ("eine Kontaktperson", "a contact person"),
    "listed_person": ("eine gelistete Person", "a listed person"),
    "counterpart": ("eine Gesprächsperson der Partnerseite", "a counterpart on the partner's side"),
    "staff": ("die Verwaltung", "the administration"),
}
INTERNAL_LABEL = {"de": "intern", "en": "internal"}


def role(key: str, lang: str) -> str:
    pair = ROLES[key]
    return pair[1] if lang == "en" else pair[0]


@dataclass
class People:
    """Who must not be named in the public version, and what stands in their place."""

    private: dict[str, str] = field(default_factory=dict)  # name → role phrase
    staff: set[str] = field(default_factory=set)
    released: set[str] = field(default_factory=set)  # staff names marked public

    def add_private(self, name: str | None, role_phrase: str) -> None:
        for variant in name_variants(name):
            self.private.setdefault(variant, role_phrase)

    def add_staff(self, name: str | None) -> None:
        for variant in name_variants(name):
            self.staff.add(variant)

    def is_released(self, name: str) -> bool:
        """Marked public: a released name, or a part of one ("Referat 0150" in "… Referat 0150")."""
        pattern = re.compile(rf"(?<!\w){re.escape(' '.join(name.split()))}(?!\w)", re.IGNORECASE)
        return any(pattern.search(" ".join(r.split())) for r in self.released)

    def protected(self, lang: str) -> dict[str, str]:
        """Every name that must not appear, with what stands in its place."""
        names = {n: r for n, r in self.private.items() if not self.is_released(n)}
        for variant in self.staff:
            if not self.is_released(variant):
                names.setdefault(variant, role("staff", lang))
        return names


def _norm(text: str) -> str:
    return " ".join(text.replace("*", "").split()).casefold().strip(" .,;:!?")


def name_variants(name: str | None) -> list[str]:
    """The ways a name is written: as given, without an office in brackets, turned around."""
    if not name or not name.strip():
        return []
    full = " ".join(name.split())
    out = [full]
    bare = re.sub(r"\s*\([^)]*\)\s*$", "", full).strip()
    if bare and bare != full:
        out.append(bare)
    for text in list(out):
        parts = text.replace(",", " ").split()
        if len(parts) == 2 and all(len(p) > 1 for p in parts):
            out.append(f"{parts[1]} {parts[0]}")
            if "," in text:  # "Wang, Wei" → "Wang Wei"
                out.append(f"{parts[0]} {parts[1]}")
    minimum = 2 if any(ord(c) > 0x2E80 for c in full) else 4  # CJK names are short
    return [v for v in dict.fromkeys(out) if len(v) >= minimum]


def _surnames(name: str) -> list[str]:
    """Name parts that follow a form of address ("Frau Li", "Herrn Müller")."""
    parts = [p for p in re.split(r"[\s,]+", re.sub(r"\([^)]*\)", "", name)) if len(p) >= 2]
    return [p for p in parts if not p.endswith(".")]


_SEPARATORS = r"[\s_.\-]+"  # "Wang Wei", "Wang_Wei", "wang-wei" in a file name
_BEFORE, _AFTER = r"(?<![^\W_])", r"(?![^\W_])"  # a name is not part of a longer word


def _name_pattern(name: str) -> str:
    """The regular expression for a name, bounded unless written in CJK characters
    (Chinese text has no spaces between words, so 王小明 is found inside a sentence)."""
    body = _SEPARATORS.join(re.escape(part) for part in name.split())
    if any(ord(c) > 0x2E80 for c in name):
        return f"(?:{body})"
    return f"(?:{_BEFORE}{body}{_AFTER})"


def _name_key(text: str) -> str:
    return re.sub(_SEPARATORS, " ", text).strip(" .").casefold()


class _Replacer:
    """Replaces every known name in a text, longest first, ignoring case.

    A form of address goes with the name ("Herrn Wang Wei" → the role); a form of
    address with a surname alone ("Frau Li") is replaced too.
    """

    def __init__(self, names: dict[str, str]) -> None:
        self.names = {_name_key(k): v for k, v in names.items()}
        self.addressed: dict[str, str] = {}
        for name, phrase in names.items():
            for part in _surnames(name):
                self.addressed.setdefault(part.casefold(), phrase)
        parts = []
        if names:
            full = "|".join(_name_pattern(v) for v in sorted(names, key=len, reverse=True))
            parts.append(rf"(?:{_HONORIFICS}\s+)?(?P<full>{full})")
        if self.addressed:
            alts = "|".join(re.escape(p) for p in sorted(self.addressed, key=len, reverse=True))
            parts.append(rf"{_HONORIFICS}\s+(?P<surname>{alts})(?!\w)")
        self.pattern = re.compile("|".join(parts), re.IGNORECASE) if parts else None
        self.count = 0

    def __call__(self, text: str) -> str:
        if self.pattern is None or not text:
            return text

        def sub(m: re.Match[str]) -> str:
            self.count += 1
            full = m.groupdict().get("full")
            if full is not None:
                return self.names.get(_name_key(full), self.names.get(full.casefold(), full))
            return self.addressed[m.group("surname").casefold()]

        out = self.pattern.sub(sub, text)
        for phrase in set(self.names.values()):  # "Wang Wei (王伟)" → one role, not two
            out = out.replace(f"{phrase} ({phrase})", phrase)
        return out


def _walk(obj: T, fn: Callable[[str, str], str], name: str = "") -> T:
    """A copy of a dataclass tree with ``fn(field_name, text)`` applied to every text."""
    if isinstance(obj, str):
        return fn(name, obj)  # type: ignore[return-value]
    if isinstance(obj, list):
        return [_walk(x, fn, name) for x in obj]  # type: ignore[return-value]
    if is_dataclass(obj) and not isinstance(obj, type):
        changes = {f.name: _walk(getattr(obj, f.name), fn, f.name) for f in fields(obj)}
        return replace(obj, **changes)
    return obj


def _texts(obj: Any, name: str = "") -> Iterable[tuple[str, str]]:
    if isinstance(obj, str):
        yield name, obj
    elif isinstance(obj, list):
        for x in obj:
            yield from _texts(x, name)
    elif is_dataclass(obj) and not isinstance(obj, type):
        for f in fields(obj):
            yield from _texts(getattr(obj, f.name), f.name)


def internal_spans(text: str) -> list[str]:
    return [m.group(1).strip() for m in _INTERNAL_SPAN.finditer(text) if m.group(1).strip()]


def show_internal_marks(briefing: Briefing) -> Briefing:
    """The internal version: marked passages stay, visibly labelled "[intern: …]"."""
    label = INTERNAL_LABEL.get(briefing.lang, "intern")

    def mark(name: str, text: str) -> str:
        if name in _CODE_FIELDS or "[" not in text:
            return text
        return _INTERNAL_SPAN.sub(lambda m: f"[{label}: {m.group(1).strip()}]", text)

    return _walk(briefing, mark)


def _phrases(text: str) -> list[str]:
    """The sentences of an internal text, normalised, long enough to search for."""
    out = []
    for line in text.splitlines():
        line = re.sub(r"^\s*(?:[-•]|\d{1,3}[.)])\s+", "", line)
        for sentence in _SENTENCE_END.split(line):
            norm = _norm(re.sub(r"\[\d{1,4}\]", "", sentence))
            if len(norm) >= MIN_PHRASE:
                out.append(norm)
    return out


_LIST_ITEM = re.compile(r"^\s*(?:[-•]|\d{1,3}[.)])\s+")


def _logical_lines(text: str) -> list[str]:
    """Lines as the reader sees them: a paragraph typed over several lines is one line
    (so a sentence that wraps in the source is still one sentence); list items stay."""
    out: list[str] = []
    for line in text.split("\n"):
        continues = (
            out
            and line.strip()
            and out[-1].strip()
            and not _LIST_ITEM.match(line)
            and not _LIST_ITEM.match(out[-1])
        )
        if continues:
            out[-1] = out[-1].rstrip() + " " + line.strip()
        else:
            out.append(line)
    return out


def _drop_sentences(text: str, phrases: list[str]) -> tuple[str, int]:
    """``text`` without every sentence that contains one of ``phrases``."""
    if not phrases:
        return text, 0
    dropped = 0
    lines = []
    for line in _logical_lines(text):
        prefix = re.match(r"^\s*(?:[-•]|\d{1,3}[.)])\s+", line)
        head = prefix.group(0) if prefix else ""
        body = line[len(head) :]
        if not body.strip():
            lines.append(line)
            continue
        kept = []
        for sentence in _SENTENCE_END.split(body):
            norm = _norm(sentence)
            if norm and any(p in norm for p in phrases):
                dropped += 1
            else:
                kept.append(sentence)
        if kept:
            lines.append(head + " ".join(kept))
    if not dropped:
        return text, 0
    return re.sub(r"\n{3,}", "\n\n", "\n".join(lines)).strip(), dropped


def public_version(briefing: Briefing, people: People) -> tuple[Briefing, list[str]]:
    """The briefing without anything internal and without names that are not public.

    Returns the public content and the internal passages it was cleaned of (for
    ``leaks``); the passages are not part of the content, so no writer sees them.
    """
    lang = briefing.lang
    omitted = 0
    internal_texts: list[str] = []

    # 1. What is internal as a whole: sections, notes, screening reasons.
    sections = []
    for s in briefing.sections:
        if s.internal:
            omitted += 1
            internal_texts.append(s.body)
        else:
            sections.append(s)
    assessments = []
    for a in briefing.assessments:
        ratings = []
        for r in a.ratings:
            if r.note.strip():
                omitted += 1
                internal_texts.append(r.note)
            ratings.append(replace(r, note=""))
        blocker_ids = {r.item for r in a.blockers}
        assessments.append(
            replace(a, ratings=ratings, blockers=[r for r in ratings if r.item in blocker_ids])
        )
    screening = None
    if briefing.screening is not None:
        screening = []
        for row in briefing.screening:
            if row.reason.strip():
                omitted += 1
                internal_texts.append(row.reason)
            entry = row.entry
            if row.entity_schema == "Person":  # the listed person by role, never by name
                entry = role("listed_person", lang) + (
                    f" ({', '.join(row.designations)})" if row.designations else ""
                )
            screening.append(replace(row, entry=entry, reason="", decided_by=""))
    # The registers are not counted as omitted: their chapter says itself what it leaves out.
    registers = []
    for table in briefing.registers:
        # The account of an incident or a conversation is internal as a whole.
        internal_texts.extend(table.internal_texts)
        if table.public_rows:
            keep = [i for i, n in enumerate(table.field_names) if n in table.public_fields]
            registers.append(
                replace(
                    table,
                    columns=[table.columns[i] for i in keep],
                    field_names=[table.field_names[i] for i in keep],
                    rows=[[row[i] for i in keep] for row in table.rows],
                    internal_texts=[],
                )
            )
        else:  # counterpart contacts, incidents: how many, nothing more
            key = "register_count_one" if table.count == 1 else "register_count_only"
            registers.append(
                replace(
                    table,
                    columns=[],
                    field_names=[],
                    rows=[],
                    note=term(key, lang, count=table.count),
                    internal_texts=[],
                )
            )
    content = replace(
        briefing,
        sections=sections,
        assessments=assessments,
        screening=screening,
        registers=registers,
    )

    # 2. Passages marked [intern]…[/intern] anywhere.
    def strip_marked(name: str, text: str) -> str:
        nonlocal omitted
        if name in _CODE_FIELDS or "[" not in text:
            return text
        spans = internal_spans(text)
        if not spans:
            return text
        omitted += len(spans)
        internal_texts.extend(spans)
        cleaned = _INTERNAL_SPAN.sub("", text)
        return re.sub(r"[ \t]{2,}", " ", cleaned).strip()

    content = _walk(content, strip_marked)

    # 3. Sentences that repeat an internal passage.
    phrases = sorted({p for t in internal_texts for p in _phrases(t)}, key=len, reverse=True)

    def strip_repeated(name: str, text: str) -> str:
        nonlocal omitted
        if name in _CODE_FIELDS:
            return text
        cleaned, dropped = _drop_sentences(text, phrases)
        omitted += dropped
        return cleaned

    content = _walk(content, strip_repeated)

    # 4. Staff fields: left empty unless the name is released.
    def staff(value: str) -> str:
        return value if value and people.is_released(value) else ""

    content = replace(
        content,
        header=replace(
            content.header, author=staff(content.header.author), editor=staff(content.header.editor)
        ),
        assessments=[
            replace(
                a,
                reviewed_by=staff(a.reviewed_by),
                ratings=[replace(r, answered_by=staff(r.answered_by)) for r in a.ratings],
                blockers=[replace(r, answered_by=staff(r.answered_by)) for r in a.blockers],
                open_items=[replace(o, responsible=staff(o.responsible)) for o in a.open_items],
            )
            for a in content.assessments
        ],
    )

    # 5. Names in any text: private persons by their role, staff by "die Verwaltung".
    replacer = _Replacer(people.protected(lang))
    content = _walk(content, lambda name, text: text if name in _CODE_FIELDS else replacer(text))
    return replace(content, omitted_internal=omitted, names_replaced=replacer.count), phrases


def leaks(briefing: Briefing, people: People, phrases: Iterable[str] = ()) -> list[str]:
    """Every private name, unreleased staff name or internal passage still in the model."""
    phrases_in_roles = " ".join(p for pair in ROLES.values() for p in pair)
    names = {
        n
        for n in people.protected(briefing.lang)
        if not re.search(rf"(?<!\w){re.escape(n)}(?!\w)", phrases_in_roles, re.IGNORECASE)
    }
    patterns = [re.compile(_name_pattern(n), re.IGNORECASE) for n in names]
    phrases = list(phrases)
    found: list[str] = []
    for name, text in _texts(briefing):
        if name in _CODE_FIELDS or not text:
            continue
        for pattern in patterns:
            if pattern.search(text):
                found.append(pattern.pattern)
        norm = _norm(text)
        found.extend(p for p in phrases if p in norm)
        if _INTERNAL_SPAN.search(text):
            found.append(text)
    return sorted(set(found))


def public_lines(lines: list[str], people: People, phrases: list[str], lang: str) -> list[str]:
    """Lines added to a public version later (the list of changes), cleaned the same way."""
    replacer = _Replacer(people.protected(lang))
    out = []
    for line in lines:
        line = _INTERNAL_SPAN.sub("", line)
        if any(p in _norm(line) for p in phrases):
            continue
        out.append(replacer(line))
    return out


STAFF_FIELDS = frozenset(
    {"answered_by", "reviewed_by", "decided_by", "responsible", "author", "editor"}
)


def without_login(briefing: Briefing, login: str, editor: str) -> Briefing:
    """People by the name set in the app: a field holding the OS login gets ``editor``.

    Answers and screening decisions record the login when no name was set; a
    briefing names the person as the app knows them ("Bearbeitet von"), or no one.
    """
    login_key = login.strip().casefold()

    def fix(name: str, text: str) -> str:
        if name in STAFF_FIELDS and text.strip().casefold() == login_key:
            return editor
        return text

    return _walk(briefing, fix) if login_key else briefing
