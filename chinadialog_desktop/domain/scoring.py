"""Pure scoring of an assessment: applicability, risk points, traffic lights, blockers.

The rules are documented in docs/checklist-format.md ("Scoring and traffic
lights"); a change here must change that text too.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from enum import StrEnum

from chinadialog_desktop.domain.checklist import Item, Template
from chinadialog_desktop.domain.enums import Severity

# Risk share (points / maximum points of the answered applicable items), in percent.
YELLOW_FROM_PERCENT = 20
RED_FROM_PERCENT = 50


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
class Evaluation:
    items: Mapping[str, ItemResult]
    sections: Mapping[str, Tally]  # in template order
    overall: Tally


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
            blocker_hit=item.blocker and points > 0,
            stale=(
                state.code is not None and state.review_by is not None and state.review_by < today
            ),
            changed=state.changed_item,
            serious=item.severity in (Severity.CRITICAL, Severity.HIGH),
        )
    sections = {s.id: _tally([items[i.id] for i in s.items]) for s in template.sections}
    overall = _tally(list(items.values()), list(sections.values()))
    return Evaluation(items=items, sections=sections, overall=overall)
