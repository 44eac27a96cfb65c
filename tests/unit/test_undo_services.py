"""The services behind the undo steps of answers and screening decisions, without Qt."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import select

from chinadialog_desktop.errors import ConcurrentEdit
from chinadialog_desktop.persistence.models import (
    Actor,
    ChecklistTemplate,
    Partnership,
    ScreeningDecision,
)
from chinadialog_desktop.services import unit
from chinadialog_desktop.services.assessment import answer_changes
from chinadialog_desktop.services.assessment import workflow as svc
from chinadialog_desktop.services.assessment.checklists import install_bundled
from chinadialog_desktop.services.screening import decisions as screening_decisions
from chinadialog_desktop.services.screening import reference_lists
from chinadialog_desktop.services.screening import runs as screening

FTM = Path(__file__).parents[1] / "fixtures" / "ftm" / "china_v1.ftm.json"


@pytest.fixture
def assessment_id(db) -> int:
    with db.session() as s:
        install_bundled(s)
        template = s.scalars(
            select(ChecklistTemplate).where(
                ChecklistTemplate.template_key.like("%leitplanken-kommunal")
            )
        ).first()
        partnership = Partnership(title="Kiel – Qingdao (Beispiel)", type="twin_city")
        s.add(partnership)
        s.flush()
        return svc.start_assessment(s, template, partnership=partnership).id


def _saved(db, assessment_id, item="purpose-01"):
    return unit.read(
        db, lambda s: answer_changes.saved_answer(svc.get_assessment(s, assessment_id), item)
    )


def test_an_answer_with_its_details_comes_back_whole(db, assessment_id):
    first = svc.AnswerUpdate(
        answer="yes", evidence="Ratsbeschluss (Beispiel)", responsible="Amt 10"
    )
    unit.write(db, lambda s: answer_changes.change_answer(s, assessment_id, "purpose-01", first))
    before = _saved(db, assessment_id)
    step = unit.write(
        db,
        lambda s: answer_changes.change_answer(
            s, assessment_id, "purpose-01", svc.AnswerUpdate(answer="no", evidence=None)
        ),
    )
    assert step.before == before and step.after.answer == "no" and step.after.evidence is None
    assert step.change.kind == "assessment" and step.change.id == assessment_id
    unit.write(
        db,
        lambda s: answer_changes.restore_answer(
            s, assessment_id, "purpose-01", step.before, expected=step.after
        ),
    )
    assert _saved(db, assessment_id) == before  # who and when too


def test_a_signed_assessment_is_not_changed_by_an_undo(db, assessment_id):
    step = unit.write(
        db,
        lambda s: answer_changes.change_answer(
            s, assessment_id, "purpose-01", svc.AnswerUpdate(answer="yes")
        ),
    )
    with db.session() as s:
        assessment = svc.get_assessment(s, assessment_id)
        template = svc.to_domain(assessment.template)
        for item in template.items():
            code = template.scale_for(item)[0].code
            svc.answer_item(s, assessment, item.id, svc.AnswerUpdate(answer=code))
        svc.sign(s, assessment, "Prüferin (Beispiel)")
    with pytest.raises(svc.AssessmentFrozen):
        unit.write(
            db,
            lambda s: answer_changes.restore_answer(
                s, assessment_id, "purpose-01", None, expected=step.after
            ),
        )
    assert _saved(db, assessment_id).answer == "yes"


@pytest.fixture
def hit_id(db) -> int:
    with db.session() as s:
        s.add(
            Actor(
                name_de="Hikvision GmbH",
                kind="company",
                country="CN",
                uscc="91330000733796106P",
            )
        )
    reference_lists.import_reference_list(db, FTM, backup=False)
    unit.write(db, screening.run_everyone)
    rows = unit.read(db, screening.hit_rows)
    return next(r.id for r in rows if r.subject_label == "Hikvision GmbH")


def _decisions(db) -> int:
    return unit.read(db, lambda s: len(list(s.scalars(select(ScreeningDecision)))))


def test_a_decision_taken_back_leaves_no_trace_and_comes_back_with_its_reason(db, hit_id):
    step = unit.write(
        db, lambda s: screening_decisions.decide_step(s, hit_id, "confirmed", "Gleiche USCC")
    )
    assert _decisions(db) == 1
    unit.write(db, lambda s: screening_decisions.undo_decision(s, step))
    assert _decisions(db) == 0
    row = next(r for r in unit.read(db, screening.hit_rows) if r.id == hit_id)
    assert row.status == "open" and row.reason is None
    again = unit.write(db, lambda s: screening_decisions.redo_decision(s, step))
    row = next(r for r in unit.read(db, screening.hit_rows) if r.id == hit_id)
    assert (row.status, row.reason) == ("confirmed", "Gleiche USCC")
    assert again.decision_uuid != step.decision_uuid and _decisions(db) == 1


def test_a_decision_changed_meanwhile_is_kept(db, hit_id):
    step = unit.write(
        db, lambda s: screening_decisions.decide_step(s, hit_id, "confirmed", "Gleiche USCC")
    )
    unit.write(db, lambda s: screening.decide(s, hit_id, "dismissed", "Andere Firma"))
    with pytest.raises(ConcurrentEdit):
        unit.write(db, lambda s: screening_decisions.undo_decision(s, step))
    row = next(r for r in unit.read(db, screening.hit_rows) if r.id == hit_id)
    assert (row.status, row.reason) == ("dismissed", "Andere Firma")
    assert _decisions(db) == 2
