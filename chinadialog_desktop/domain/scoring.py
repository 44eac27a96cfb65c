"""Pure scoring of an assessment: applicability, risk points, traffic lights, blockers,
and, on their own side, chance points and chance levels.

The rules are documented in docs/checklist-format.md ("Scoring and traffic
lights"); a change here must change that text too.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from enum import StrEnum

from chinadialog_desktop.domain.chance_level import ChanceLevel as ChanceLevel
from chinadialog_desktop.domain.checklist import Item, SectionKind, Template
from chinadialog_desktop.domain.enums import Severity

# Risk share (points / maximum points of the answered applicable items), in percent.
# Why these values (docs/checklist-format.md, "Why the thresholds are where they
# are"): on the usual scale (Nein 3, Unklar 2, Teilweise 1) a field answered
# "Teilweise" throughout scores 33 % and is yellow; red needs more than "Unklar" on
# half of the field and "Teilweise" on the rest (50 %) — on average the answers must
# lean towards "Nein".
YELLOW_FROM_PERCENT = 25
RED_FROM_PERCENT = 60

# Chance share (chance points / maximum chance points of the answered applicable
# chance items), in percent: on the chance scale (nachweisbar 3, in Vorbereitung 2,
# möglich 1) "hoch" needs more than "in Vorbereitung" on average, "mittel" at
# least about "möglich" throughout.
CHANCE_MEDIUM_FROM_PERCENT = 30
CHANCE_HIGH_FROM_PERCENT = 60


class Light(StrEnum):
    GREEN = "green"  # grün
    YELLOW = "yellow"  # gelb
    RED = "red"  # rot
    GREY = "grey"  # nothing answered yet that could be judged


class Applicability(StrEnum):
    APPLICABLE = "applicable"
    TYPE = "not_for_type"  # applies_to excludes the partnership type
    DEPENDENCY = "dependency"  # depends_on not (yet) met
    ANSWERED_NA = "answered_na"  # answered with a non-applicable code ("Entfällt")


@dataclass(frozen=True)
class AnswerState:
    """What scoring needs to know about one answer."""

    code: str | None
    review_by: date | None = None
    changed_item: bool = False


@dataclass(frozen=True)
class ItemResult:
    item_id: str
    section: str
    applicability: Applicability
    answer: str | None
    points: int
    max_points: int
    blocker_hit: bool
    stale: bool
    changed: bool
    serious: bool  # severity critical or high
    kind: SectionKind = SectionKind.RISK
    chance_points: int = 0
    max_chance_points: int = 0

    @property
    def applicable(self) -> bool:
        return self.applicability is Applicability.APPLICABLE

    @property
    def open(self) -> bool:
        return self.applicable and self.answer is None

    @property
    def is_risk(self) -> bool:
        return self.applicable and self.points > 0


@dataclass(frozen=True)
class Tally:
    """Score of one field of action, or of the whole assessment."""

    applicable: int
    answered: int
    points: int
    max_points: int
    risk_items: int
    serious_risk_items: int  # risk answers on critical or high items
    blockers: tuple[str, ...]
    open_items: tuple[str, ...]
    stale_items: tuple[str, ...]
    changed_items: tuple[str, ...]
    light: Light

    @property
    def risk_percent(self) -> float:
        return 100.0 * self.points / self.max_points if self.max_points else 0.0

    @property
    def progress_percent(self) -> float:
        return 100.0 * self.answered / self.applicable if self.applicable else 100.0


@dataclass(frozen=True)
class ChanceTally:
    """Chance score of one chance section, or of all chance items together."""

    applicable: int
    answered: int
    points: int
    max_points: int
    open_items: tuple[str, ...]
    stale_items: tuple[str, ...]
    changed_items: tuple[str, ...]
    level: ChanceLevel

    @property
    def chance_percent(self) -> float:
        return 100.0 * self.points / self.max_points if self.max_points else 0.0

    @property
    def progress_percent(self) -> float:
        return 100.0 * self.answered / self.applicable if self.applicable else 100.0


@dataclass(frozen=True)
class Evaluation:
    items: Mapping[str, ItemResult]
    sections: Mapping[str, Tally]  # risk sections, in template order
    overall: Tally  # the risk side: risk sections only
    chance_sections: Mapping[str, ChanceTally]  # chance sections, in template order
    chances: ChanceTally  # the chance side: chance sections only (empty template: NONE)

    @property
    def open_items(self) -> tuple[str, ...]:
        """Open applicable items of both sides, in template order."""
        open_ids = set(self.overall.open_items) | set(self.chances.open_items)
        return tuple(i for i in self.items if i in open_ids)


def _applies_to_type(item: Item, partnership_types: frozenset[str] | None) -> bool:
    if not item.applies_to or partnership_types is None:
        return True
    return bool(partnership_types.intersection(item.applies_to))


def _applicability(
    template: Template,
    answers: Mapping[str, AnswerState],
    partnership_types: frozenset[str] | None,
) -> dict[str, Applicability]:
    result: dict[str, Applicability] = {}
    items = {i.id: i for i in template.items()}

    def resolve(item_id: str) -> Applicability:
        if item_id in result:
            return result[item_id]
        item = items[item_id]
        state = answers.get(item_id)
        code = state.code if state else None
        if not _applies_to_type(item, partnership_types):
            value = Applicability.TYPE
        elif item.depends_on is not None and (
            resolve(item.depends_on.item) is not Applicability.APPLICABLE
            or (answers.get(item.depends_on.item) or AnswerState(None)).code
            not in item.depends_on.answers
        ):
            value = Applicability.DEPENDENCY
        elif code is not None and (opt := template.option(item, code)) and not opt.applicable:
            value = Applicability.ANSWERED_NA
        else:
            value = Applicability.APPLICABLE
        result[item_id] = value
        return value

    for item_id in items:
        resolve(item_id)
    return result


def _light(
    answered: int,
    applicable: int,
    points: int,
    max_points: int,
    blockers: int,
    serious: int,
    to_review: int,
) -> Light:
    if blockers or (max_points and 100 * points >= RED_FROM_PERCENT * max_points):
        return Light.RED
    if answered == 0:
        return Light.GREY
    if (
        answered < applicable
        or serious
        or to_review
        or (max_points and 100 * points >= YELLOW_FROM_PERCENT * max_points)
    ):
        return Light.YELLOW
    return Light.GREEN


def _tally(results: list[ItemResult], sections: list[Tally] | None = None) -> Tally:
    applicable = [r for r in results if r.applicable]
    answered = [r for r in applicable if r.answer is not None]
    points = sum(r.points for r in answered)
    max_points = sum(r.max_points for r in answered)
    blockers = tuple(r.item_id for r in answered if r.blocker_hit)
    serious = sum(1 for r in answered if r.points > 0 and r.serious)
    stale = tuple(r.item_id for r in answered if r.stale)
    to_review = sum(1 for r in answered if r.stale or r.changed)
    light = _light(
        len(answered), len(applicable), points, max_points, len(blockers), serious, to_review
    )
    if sections is not None and light is not Light.RED:
        # The overall light is never better than the worst field of action.
        if any(t.light is Light.RED for t in sections):
            light = Light.RED
        elif light is Light.GREEN and any(t.light is Light.YELLOW for t in sections):
            light = Light.YELLOW
    return Tally(
        applicable=len(applicable),
        answered=len(answered),
        points=points,
        max_points=max_points,
        risk_items=sum(1 for r in answered if r.points > 0),
        serious_risk_items=serious,
        blockers=blockers,
        open_items=tuple(r.item_id for r in applicable if r.answer is None),
        stale_items=stale,
        changed_items=tuple(r.item_id for r in results if r.changed),
        light=light,
    )


def chance_level(answered: int, points: int, max_points: int) -> ChanceLevel:
    """The chance level of answered chance items (no traffic light: chances are no risk)."""
    if answered == 0:
        return ChanceLevel.NONE
    if max_points and 100 * points >= CHANCE_HIGH_FROM_PERCENT * max_points:
        return ChanceLevel.HIGH
    if max_points and 100 * points >= CHANCE_MEDIUM_FROM_PERCENT * max_points:
        return ChanceLevel.MEDIUM
    return ChanceLevel.LOW


def _chance_tally(results: list[ItemResult]) -> ChanceTally:
    applicable = [r for r in results if r.applicable]
    answered = [r for r in applicable if r.answer is not None]
    points = sum(r.chance_points for r in answered)
    max_points = sum(r.max_chance_points for r in answered)
    return ChanceTally(
        applicable=len(applicable),
        answered=len(answered),
        points=points,
        max_points=max_points,
        open_items=tuple(r.item_id for r in applicable if r.answer is None),
        stale_items=tuple(r.item_id for r in answered if r.stale),
        changed_items=tuple(r.item_id for r in results if r.changed),
        level=chance_level(len(answered), points, max_points),
    )


def evaluate(
    template: Template,
    answers: Mapping[str, AnswerState],
    partnership_types: frozenset[str] | None,
    today: date,
) -> Evaluation:
    """Score ``answers`` against ``template`` for a partnership of the given types.

    ``partnership_types`` None means the type is unknown: every item applies.
    """
    applicability = _applicability(template, answers, partnership_types)
    kinds = {i.id: s.kind for s in template.sections for i in s.items}
    items: dict[str, ItemResult] = {}
    for item in template.items():
        state = answers.get(item.id) or AnswerState(None)
        appl = applicability[item.id]
        code = state.code if appl is Applicability.APPLICABLE else None
        points = item.points_for(code) if code is not None else 0
        items[item.id] = ItemResult(
            item_id=item.id,
            section=item.section,
            applicability=appl,
            answer=state.code,
            points=points,
            max_points=item.max_points,
            blocker_hit=code is not None and item.excludes(code),
            stale=(
                state.code is not None and state.review_by is not None and state.review_by < today
            ),
            changed=state.changed_item,
            serious=item.severity in (Severity.CRITICAL, Severity.HIGH),
            kind=kinds[item.id],
            chance_points=item.chance_points_for(code) if code is not None else 0,
            max_chance_points=item.max_chance_points,
        )
    risk = [s for s in template.sections if s.kind is SectionKind.RISK]
    chance = [s for s in template.sections if s.kind is SectionKind.CHANCE]
    sections = {s.id: _tally([items[i.id] for i in s.items]) for s in risk}
    overall = _tally([items[i.id] for s in risk for i in s.items], list(sections.values()))
    chance_sections = {s.id: _chance_tally([items[i.id] for i in s.items]) for s in chance}
    chances = _chance_tally([items[i.id] for s in chance for i in s.items])
    return Evaluation(
        items=items,
        sections=sections,
        overall=overall,
        chance_sections=chance_sections,
        chances=chances,
    )
