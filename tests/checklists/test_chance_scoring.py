"""Both sides of an assessment: the worked example of docs/checklist-format.md
("Scoring: both sides"), computed by hand from tests/checklists/fixtures/chances.yaml.

  purpose-01  high      no 3, unknown 2, partly 1                 max 3
  purpose-02  medium    no 2, unknown 1, partly 1                 max 2
  partner-01  critical  blocker only on "listed": listed 5, unchecked 3   max 5
  partner-02  medium    no 3, unknown 2, partly 1                 max 3
  chance_exchange-01/-02, chance_climate-01: realised 3, planned 2, potential 1  max 3
"""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from chinadialog_desktop.domain.checklist import SectionKind
from chinadialog_desktop.domain.scoring import (
    CHANCE_HIGH_FROM_PERCENT,
    CHANCE_MEDIUM_FROM_PERCENT,
    RED_FROM_PERCENT,
    YELLOW_FROM_PERCENT,
    AnswerState,
    ChanceLevel,
    Light,
    chance_level,
    evaluate,
)
from chinadialog_desktop.interchange.checklist_yaml import check_file, load_template

FIXTURE = Path(__file__).parent / "fixtures" / "chances.yaml"
TODAY = date(2026, 12, 8)
TWIN = frozenset({"twin_city"})

WORKED = {
    "purpose-01": "partly",
    "purpose-02": "unknown",
    "partner-01": "unchecked",
    "partner-02": "partly",
    "chance_exchange-01": "realised",
    "chance_exchange-02": "planned",
    "chance_climate-01": "potential",
}


@pytest.fixture
def template():
    return load_template(FIXTURE)


def states(codes):
    return {k: AnswerState(v) for k, v in codes.items()}


def test_the_thresholds_are_the_documented_ones():
    text = (Path(__file__).parents[2] / "docs" / "checklist-format.md").read_text("utf-8")
    for name, value in (
        ("YELLOW_FROM_PERCENT", YELLOW_FROM_PERCENT),
        ("RED_FROM_PERCENT", RED_FROM_PERCENT),
        ("CHANCE_MEDIUM_FROM_PERCENT", CHANCE_MEDIUM_FROM_PERCENT),
        ("CHANCE_HIGH_FROM_PERCENT", CHANCE_HIGH_FROM_PERCENT),
    ):
        assert f"{name} = {value}" in text, name


def test_worked_example_risk_side(template):
    ev = evaluate(template, states(WORKED), TWIN, TODAY)
    purpose, partner = ev.sections["purpose"], ev.sections["partner"]
    assert (purpose.points, purpose.max_points) == (2, 5)  # 1 + 1
    assert purpose.risk_percent == pytest.approx(40.0)
    assert purpose.light is Light.YELLOW
    assert (partner.points, partner.max_points) == (4, 8)  # 3 + 1
    assert partner.risk_percent == pytest.approx(50.0)
    # "Nicht abgeglichen" is an open risk, not an exclusion: no blocker, and 50 % < 60 %.
    assert partner.blockers == () and partner.light is Light.YELLOW
    o = ev.overall
    assert (o.points, o.max_points, o.answered, o.applicable) == (6, 13, 4, 4)
    assert o.risk_percent == pytest.approx(46.15, abs=0.01)
    assert o.light is Light.YELLOW
    # the chance sections are not fields of action of the risk side
    assert set(ev.sections) == {"purpose", "partner"}


def test_worked_example_chance_side(template):
    ev = evaluate(template, states(WORKED), TWIN, TODAY)
    exchange, climate = ev.chance_sections["chance_exchange"], ev.chance_sections["chance_climate"]
    assert (exchange.points, exchange.max_points) == (5, 6)
    assert exchange.chance_percent == pytest.approx(83.33, abs=0.01)
    assert exchange.level is ChanceLevel.HIGH
    assert (climate.points, climate.max_points, climate.level) == (1, 3, ChanceLevel.MEDIUM)
    c = ev.chances
    assert (c.points, c.max_points, c.answered, c.applicable) == (6, 9, 3, 3)
    assert c.chance_percent == pytest.approx(66.67, abs=0.01)
    assert c.level is ChanceLevel.HIGH
    # chances never offset risks: the risk side is the same with or without them
    without = {k: v for k, v in WORKED.items() if not k.startswith("chance")}
    assert evaluate(template, states(without), TWIN, TODAY).overall == ev.overall


def test_a_confirmed_listing_still_excludes_whatever_the_chances(template):
    answers = dict(WORKED, **{"partner-01": "listed", "chance_climate-01": "realised"})
    ev = evaluate(template, states(answers), TWIN, TODAY)
    assert ev.overall.blockers == ("partner-01",)
    assert ev.overall.light is Light.RED
    assert ev.chances.level is ChanceLevel.HIGH  # shown beside it, never instead of it


def test_under_the_old_rule_the_same_answers_would_have_been_red(template):
    """Why blockers name their answers: a blanket blocker (blocker: true) fires on
    "Nicht abgeglichen" too, and the honest assessment turns red."""
    from dataclasses import replace

    blanket = replace(
        template,
        sections=tuple(
            replace(s, items=tuple(replace(i, blocker_answers=()) for i in s.items))
            for s in template.sections
        ),
    )
    ev = evaluate(blanket, states(WORKED), TWIN, TODAY)
    assert ev.overall.blockers == ("partner-01",) and ev.overall.light is Light.RED


def test_chance_levels_at_their_limits():
    assert chance_level(0, 0, 0) is ChanceLevel.NONE
    assert chance_level(1, 0, 3) is ChanceLevel.LOW  # "Nein" or "Unklar"
    assert chance_level(10, 3, 10) is ChanceLevel.MEDIUM  # exactly 30 %
    assert chance_level(10, 2, 10) is ChanceLevel.LOW
    assert chance_level(10, 6, 10) is ChanceLevel.HIGH  # exactly 60 %
    assert chance_level(10, 5, 10) is ChanceLevel.MEDIUM


def test_open_and_not_applicable_chance_items(template):
    ev = evaluate(template, states({"chance_exchange-01": "na"}), TWIN, TODAY)
    assert ev.chance_sections["chance_exchange"].applicable == 1
    assert ev.chances.open_items == ("chance_exchange-02", "chance_climate-01")
    assert ev.chances.level is ChanceLevel.NONE
    # sign-off counts the open items of both sides
    assert ev.open_items == (
        "purpose-01",
        "purpose-02",
        "partner-01",
        "partner-02",
        "chance_exchange-02",
        "chance_climate-01",
    )


def test_a_template_without_chance_sections_scores_as_before(minimal_path):
    t = load_template(minimal_path)
    assert all(s.kind is SectionKind.RISK for s in t.sections)
    ev = evaluate(t, states({"purpose-01": "yes"}), TWIN, TODAY)
    assert ev.chance_sections == {} and ev.chances.level is ChanceLevel.NONE
    assert ev.chances.applicable == 0


@pytest.mark.parametrize(
    ("snippet", "message"),
    [
        ('risk: {"no": 3}\n        chance: {"yes": 2}', "chance points belong in a section"),
    ],
)
def test_chance_points_in_a_risk_section_are_refused(tmp_path, snippet, message):
    text = FIXTURE.read_text("utf-8").replace('risk: {"no": 2, unknown: 1, partly: 1}', snippet, 1)
    path = tmp_path / "bad.yaml"
    path.write_text(text, encoding="utf-8")
    issues = [str(i) for i in check_file(path).issues]
    assert any(message in i and "purpose-02" in i for i in issues), issues


def test_a_chance_item_cannot_be_a_blocker_or_carry_risk(tmp_path):
    text = FIXTURE.read_text("utf-8").replace(
        "chance: {realised: 3, planned: 2, potential: 1}",
        'chance: {realised: 3}\n        blocker: true\n        risk: {"no": 2}',
        1,
    )
    path = tmp_path / "bad.yaml"
    path.write_text(text, encoding="utf-8")
    issues = [str(i) for i in check_file(path).issues]
    assert any("cannot be a blocker" in i for i in issues), issues
    assert any("not risk points" in i for i in issues), issues


def test_blocker_answers_must_carry_risk_points(tmp_path):
    text = FIXTURE.read_text("utf-8").replace("blocker: [listed]", "blocker: [clear]")
    path = tmp_path / "bad.yaml"
    path.write_text(text, encoding="utf-8")
    issues = [str(i) for i in check_file(path).issues]
    assert any("'clear'" in i and "partner-01" in i for i in issues), issues


def test_export_and_reimport_keep_kind_chance_and_blocker_answers(template, tmp_path):
    from chinadialog_desktop.interchange.checklist_yaml import write_template

    for name in ("again.yaml", "again.json"):
        path = tmp_path / name
        write_template(template, path)
        again = load_template(path)
        assert again.sha256() == template.sha256()
        assert again.sections[2].kind is SectionKind.CHANCE
        assert again.item("partner-01").blocker_answers == ("listed",)
        assert dict(again.item("chance_climate-01").chance) == {
            "realised": 3,
            "planned": 2,
            "potential": 1,
        }
