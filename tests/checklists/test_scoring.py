"""Scoring against hand-computed expectations (tests/checklists/fixtures/minimal.yaml).

The fixture's items and their maximum risk points:
  purpose-01  high      no 3, unknown 2, partly 1           max 3
  purpose-02  medium    no 2, unknown 1; only if purpose-01 is yes/partly   max 2
  partner-01  critical  blocker, own scale: listed 5, unchecked 2          max 5
  partner-02  low       yes 4, unknown 2; only for universities            max 4
"""

from __future__ import annotations

from dataclasses import replace
from datetime import date

import pytest

from chinadialog_desktop.domain.enums import Severity
from chinadialog_desktop.domain.scoring import (
    AnswerState,
    Applicability,
    Light,
    evaluate,
)
from chinadialog_desktop.interchange.checklist_yaml import load_template

TODAY = date(2026, 12, 1)
TWIN = frozenset({"twin_city"})


@pytest.fixture
def template(minimal_path):
    return load_template(minimal_path)


def answers(**codes):
    return {k.replace("_", "-"): AnswerState(v) for k, v in codes.items()}


def test_twenty_percent_is_green_unless_a_serious_item_carries_the_risk(template):
    # RED_FROM_PERCENT / YELLOW_FROM_PERCENT recalibrated (docs/checklist-format.md):
    # one "Unklar" on a medium item, 20 %, no longer turns a field yellow …
    ev = evaluate(
        template, answers(purpose_01="yes", purpose_02="unknown", partner_01="clear"), TWIN, TODAY
    )
    purpose = ev.sections["purpose"]
    assert (purpose.points, purpose.max_points) == (1, 5)  # 0 + 1 of 3 + 2
    assert purpose.risk_percent == pytest.approx(20.0)
    assert purpose.light is Light.GREEN
    assert ev.overall.light is Light.GREEN
    # … but the same 20 % from a "high" item does, and the overall follows the worst field.
    ev = evaluate(
        template, answers(purpose_01="partly", purpose_02="yes", partner_01="clear"), TWIN, TODAY
    )
    purpose, partner = ev.sections["purpose"], ev.sections["partner"]
    assert (purpose.points, purpose.max_points, purpose.light) == (1, 5, Light.YELLOW)
    assert (partner.points, partner.max_points, partner.light) == (0, 5, Light.GREEN)
    o = ev.overall
    assert (o.points, o.max_points, o.answered, o.applicable) == (1, 10, 3, 3)
    assert o.risk_percent == pytest.approx(10.0)  # green by itself …
    assert o.light is Light.YELLOW  # … but never better than its worst field
    assert ev.items["partner-02"].applicability is Applicability.TYPE
    assert o.open_items == () and o.blockers == ()


def test_all_green(template):
    ev = evaluate(
        template, answers(purpose_01="yes", purpose_02="yes", partner_01="clear"), TWIN, TODAY
    )
    assert ev.overall.light is Light.GREEN
    assert ev.overall.progress_percent == 100.0


def test_forty_percent_is_yellow_sixty_is_red(template):
    ev = evaluate(template, answers(purpose_01="partly", purpose_02="unknown"), TWIN, TODAY)
    assert (ev.sections["purpose"].points, ev.sections["purpose"].max_points) == (2, 5)
    assert ev.sections["purpose"].light is Light.YELLOW
    ev = evaluate(template, answers(purpose_01="partly", purpose_02="no"), TWIN, TODAY)
    assert (ev.sections["purpose"].points, ev.sections["purpose"].max_points) == (3, 5)
    assert ev.sections["purpose"].light is Light.RED
    assert ev.overall.light is Light.RED


def test_depends_on_hides_the_follow_up_question(template):
    # purpose-01 "no": purpose-02 is not asked, so its (stored) answer does not count.
    ev = evaluate(template, answers(purpose_01="no", purpose_02="no"), TWIN, TODAY)
    assert ev.items["purpose-02"].applicability is Applicability.DEPENDENCY
    assert (ev.sections["purpose"].points, ev.sections["purpose"].max_points) == (3, 3)
    assert ev.sections["purpose"].applicable == 1
    # Unanswered purpose-01: the follow-up is not open either.
    ev = evaluate(template, {}, TWIN, TODAY)
    assert ev.items["purpose-02"].applicability is Applicability.DEPENDENCY
    assert ev.overall.open_items == ("purpose-01", "partner-01")
    assert ev.overall.light is Light.GREY


def test_not_applicable_answer_leaves_progress_and_score(template):
    ev = evaluate(template, answers(purpose_01="na", partner_01="clear"), TWIN, TODAY)
    assert ev.items["purpose-01"].applicability is Applicability.ANSWERED_NA
    assert ev.items["purpose-02"].applicability is Applicability.DEPENDENCY
    assert ev.sections["purpose"].applicable == 0
    assert ev.sections["purpose"].light is Light.GREY
    assert (ev.overall.answered, ev.overall.applicable) == (1, 1)
    assert ev.overall.light is Light.GREEN


def test_blocker_turns_everything_red(template):
    ev = evaluate(
        template, answers(purpose_01="yes", purpose_02="yes", partner_01="listed"), TWIN, TODAY
    )
    assert ev.overall.blockers == ("partner-01",)
    assert ev.sections["partner"].light is Light.RED
    assert ev.sections["purpose"].light is Light.GREEN
    # 5 of 10 points is also 50 %, so check with a low-risk blocker answer too:
    ev = evaluate(
        template, answers(purpose_01="yes", purpose_02="yes", partner_01="unchecked"), TWIN, TODAY
    )
    assert (ev.overall.points, ev.overall.max_points) == (2, 10)
    assert ev.overall.blockers == ("partner-01",)
    assert ev.overall.light is Light.RED


def test_custom_scale_points(template):
    ev = evaluate(template, answers(partner_01="unchecked"), TWIN, TODAY)
    assert (ev.items["partner-01"].points, ev.items["partner-01"].max_points) == (2, 5)


def test_applies_to_by_partnership_type(template):
    uni = frozenset({"university"})
    ev = evaluate(
        template, answers(purpose_01="yes", purpose_02="yes", partner_01="clear"), uni, TODAY
    )
    assert ev.items["partner-02"].applicable
    assert ev.overall.open_items == ("partner-02",)
    assert ev.overall.light is Light.YELLOW  # incomplete is never green
    ev = evaluate(
        template,
        answers(purpose_01="yes", purpose_02="yes", partner_01="clear", partner_02="yes"),
        uni,
        TODAY,
    )
    # low severity, 4 of 4 points in the field partner: 4/9 = 44 % overall, field 4/9 too
    assert (ev.sections["partner"].points, ev.sections["partner"].max_points) == (4, 9)
    assert ev.sections["partner"].light is Light.YELLOW
    # Unknown type (e.g. a dossier without partnerships): every item applies.
    ev = evaluate(template, {}, None, TODAY)
    assert ev.items["partner-02"].applicable


def test_stale_and_changed_answers_are_never_green(template):
    base = answers(purpose_01="yes", purpose_02="yes", partner_01="clear")
    base["partner-01"] = AnswerState("clear", review_by=date(2026, 11, 30))
    ev = evaluate(template, base, TWIN, TODAY)
    assert ev.overall.stale_items == ("partner-01",)
    assert ev.sections["partner"].light is Light.YELLOW
    base["partner-01"] = AnswerState("clear", review_by=TODAY)  # due today: not yet stale
    assert evaluate(template, base, TWIN, TODAY).overall.light is Light.GREEN
    base["purpose-01"] = AnswerState("yes", changed_item=True)
    ev = evaluate(template, base, TWIN, TODAY)
    assert ev.overall.changed_items == ("purpose-01",)
    assert ev.sections["purpose"].light is Light.YELLOW


def test_serious_risk_answer_is_at_least_yellow(template):
    # Give purpose-01 (severity high) a large maximum so "partly" stays below 20 %.
    item = replace(template.item("purpose-01"), risk={"no": 10, "partly": 1})
    section = replace(template.sections[0], items=(item, template.sections[0].items[1]))
    t = replace(template, sections=(section, template.sections[1]))
    ev = evaluate(
        t, answers(purpose_01="partly", purpose_02="yes", partner_01="clear"), TWIN, TODAY
    )
    purpose = ev.sections["purpose"]
    assert (purpose.points, purpose.max_points) == (1, 12)  # 8.3 %: green by the ratio alone
    assert purpose.serious_risk_items == 1
    assert purpose.light is Light.YELLOW
    # The same answer on a low-severity item would be green.
    low = replace(item, severity=Severity.LOW)
    section = replace(section, items=(low, section.items[1]))
    t = replace(t, sections=(section, t.sections[1]))
    ev = evaluate(
        t, answers(purpose_01="partly", purpose_02="yes", partner_01="clear"), TWIN, TODAY
    )
    assert ev.sections["purpose"].light is Light.GREEN
    assert ev.overall.light is Light.GREEN
