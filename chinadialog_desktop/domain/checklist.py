"""Checklist templates as plain values: sections, items, answer scales, references."""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from datetime import date
from enum import StrEnum
from typing import Any

from chinadialog_desktop.domain.enums import Severity

FORMAT_ID = "chinadialog-checklist/1"


class SectionKind(StrEnum):
    """Which side of the assessment a section scores: risks or chances (opportunities)."""

    RISK = "risk"  # risk points, blockers and traffic lights (the default)
    CHANCE = "chance"  # chance points and a chance level; never a blocker


@dataclass(frozen=True)
class LocalText:
    """A text in German and English; German is the product's first language."""

    de: str
    en: str

    def get(self, lang: str) -> str:
        return self.en if lang == "en" and self.en else self.de

    def as_dict(self) -> dict[str, str]:
        return {"de": self.de, "en": self.en}


@dataclass(frozen=True)
class AnswerOption:
    code: str
    label: LocalText
    applicable: bool = True

    def as_dict(self) -> dict[str, Any]:
        d: dict[str, Any] = {"code": self.code, "label": self.label.as_dict()}
        if not self.applicable:
            d["applicable"] = False
        return d


@dataclass(frozen=True)
class Reference:
    """A public source that items cite (study, guideline, law)."""

    id: str
    title: str
    publisher: str | None = None
    year: int | None = None
    url: str | None = None

    def as_dict(self) -> dict[str, Any]:
        d: dict[str, Any] = {"id": self.id, "title": self.title}
        for key in ("publisher", "year", "url"):
            value = getattr(self, key)
            if value is not None:
                d[key] = value
        return d


@dataclass(frozen=True)
class Dependency:
    """Ask an item only if ``item`` was answered with one of ``answers``."""

    item: str
    answers: tuple[str, ...]

    def as_dict(self) -> dict[str, Any]:
        return {"item": self.item, "answers": list(self.answers)}


@dataclass(frozen=True)
class Item:
    id: str
    section: str
    question: LocalText
    guidance: LocalText
    severity: Severity = Severity.MEDIUM
    blocker: bool = False
    risk: Mapping[str, int] = field(default_factory=dict)
    applies_to: tuple[str, ...] = ()
    depends_on: Dependency | None = None
    sources: tuple[str, ...] = ()
    scale: tuple[AnswerOption, ...] | None = None  # None: the template's scale
    chance: Mapping[str, int] = field(default_factory=dict)  # only in chance sections
    # A blocker excludes on every answer with risk points, or only on these answers.
    blocker_answers: tuple[str, ...] = ()

    @property
    def max_points(self) -> int:
        return max(self.risk.values(), default=0)

    def points_for(self, code: str) -> int:
        return int(self.risk.get(code, 0))

    def excludes(self, code: str) -> bool:
        """Whether the answer is an exclusion criterion (a blocker hit)."""
        if not self.blocker or self.points_for(code) <= 0:
            return False
        return not self.blocker_answers or code in self.blocker_answers

    @property
    def max_chance_points(self) -> int:
        return max(self.chance.values(), default=0)

    def chance_points_for(self, code: str) -> int:
        return int(self.chance.get(code, 0))

    def as_dict(self) -> dict[str, Any]:
        d: dict[str, Any] = {
            "id": self.id,
            "question": self.question.as_dict(),
            "guidance": self.guidance.as_dict(),
            "severity": self.severity.value,
            "blocker": list(self.blocker_answers) if self.blocker_answers else self.blocker,
            "risk": dict(self.risk),
        }
        if self.applies_to:
            d["applies_to"] = list(self.applies_to)
        if self.depends_on is not None:
            d["depends_on"] = self.depends_on.as_dict()
        if self.sources:
            d["sources"] = list(self.sources)
        if self.scale is not None:
            d["scale"] = [o.as_dict() for o in self.scale]
        if self.chance:  # absent for risk items: older editions keep their fingerprint
            d["chance"] = dict(self.chance)
        return d


@dataclass(frozen=True)
class Section:
    """A field of action (Handlungsfeld)."""

    id: str
    title: LocalText
    items: tuple[Item, ...]
    kind: SectionKind = SectionKind.RISK

    def as_dict(self) -> dict[str, Any]:
        d: dict[str, Any] = {"id": self.id, "title": self.title.as_dict()}
        if self.kind is not SectionKind.RISK:  # absent = risk: older fingerprints stay
            d["kind"] = self.kind.value
        d["items"] = [i.as_dict() for i in self.items]
        return d


@dataclass(frozen=True)
class Template:
    """One version of a checklist template, exactly as published."""

    id: str
    version: int
    title: LocalText
    description: LocalText
    publisher: str
    published: date
    licence: str
    references: tuple[Reference, ...]
    answer_scale: tuple[AnswerOption, ...]
    sections: tuple[Section, ...]

    def items(self) -> Iterator[Item]:
        for section in self.sections:
            yield from section.items

    def item(self, item_id: str) -> Item:
        for item in self.items():
            if item.id == item_id:
                return item
        raise KeyError(item_id)

    def item_ids(self) -> list[str]:
        return [i.id for i in self.items()]

    def scale_for(self, item: Item) -> tuple[AnswerOption, ...]:
        return item.scale if item.scale is not None else self.answer_scale

    def option(self, item: Item, code: str) -> AnswerOption | None:
        for option in self.scale_for(item):
            if option.code == code:
                return option
        return None

    def option_named(self, item: Item, word: str) -> AnswerOption | None:
        """The answer a user typed: its code or its label in either language ("Ja", "yes")."""
        wanted = " ".join(word.split()).casefold()
        for option in self.scale_for(item):
            names = (option.code, option.label.de, option.label.en)
            if any(wanted == " ".join(name.split()).casefold() for name in names if name):
                return option
        return None

    def reference(self, ref_id: str) -> Reference | None:
        for ref in self.references:
            if ref.id == ref_id:
                return ref
        return None

    def as_document(self) -> dict[str, Any]:
        """The template as a plain JSON-compatible document in the published format."""
        return {
            "format": FORMAT_ID,
            "id": self.id,
            "version": self.version,
            "title": self.title.as_dict(),
            "description": self.description.as_dict(),
            "publisher": self.publisher,
            "published": self.published.isoformat(),
            "licence": self.licence,
            "references": [r.as_dict() for r in self.references],
            "answer_scale": [o.as_dict() for o in self.answer_scale],
            "sections": [s.as_dict() for s in self.sections],
        }

    def sha256(self) -> str:
        """Fingerprint of the content, independent of YAML/JSON layout and comments."""
        canonical = json.dumps(
            self.as_document(), ensure_ascii=False, sort_keys=True, separators=(",", ":")
        )
        return hashlib.sha256(canonical.encode("utf-8")).hexdigest()


def scale_signature(options: tuple[AnswerOption, ...]) -> tuple[tuple[str, str, str, bool], ...]:
    """What must stay equal for an old answer to mean the same under a new template version."""
    return tuple((o.code, o.label.de, o.label.en, o.applicable) for o in options)


__all__ = [
    "FORMAT_ID",
    "AnswerOption",
    "Dependency",
    "Item",
    "LocalText",
    "Reference",
    "Section",
    "SectionKind",
    "Template",
    "scale_signature",
]
