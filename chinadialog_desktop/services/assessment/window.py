"""What the assessment window reads: choices, one assessment's report and the sources to cite."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from chinadialog_desktop.domain.checklist import Template
from chinadialog_desktop.errors import NotFound
from chinadialog_desktop.i18n import _
from chinadialog_desktop.persistence.models import ChecklistTemplate, Partnership, Source
from chinadialog_desktop.services.assessment import checklists
from chinadialog_desktop.services.assessment import workflow as assessments


@dataclass
class Choices:
    partnerships: list[tuple[int, str]]
    templates: list[Any]  # checklists.template_rows


@dataclass
class AssessmentView:
    report: dict[str, Any]
    template_id: int
    template: Template | None  # None: the caller's template (same id) still holds
    sources: list[tuple[str, str]]  # (uuid, "title · author · year")


def choices(session: Session) -> Choices:
    """Every partnership as (id, title) and every installed checklist template."""
    rows = session.execute(select(Partnership.id, Partnership.title).order_by(Partnership.title))
    return Choices([(i, t) for i, t in rows], list(checklists.template_rows(session)))


def assessments_of(session: Session, partnership_id: int, today: date) -> list[dict[str, Any]]:
    """The assessments of one partnership, oldest first (empty when it is gone)."""
    partnership = session.get(Partnership, partnership_id)
    return assessments.assessment_rows(session, partnership, today) if partnership else []


def start(session: Session, template_id: int, partnership_id: int) -> int:
    """Start an assessment of the partnership with the template; returns its id."""
    template = session.get(ChecklistTemplate, template_id)
    partnership = session.get(Partnership, partnership_id)
    if template is None or partnership is None:
        raise NotFound(_("The partnership or the checklist template was deleted meanwhile."))
    return assessments.start_assessment(session, template, partnership=partnership).id


def source_choices(session: Session) -> list[tuple[str, str]]:
    """Every source as (uuid, "title · author · year"), by title."""
    stmt = select(Source.uuid, Source.title, Source.author, Source.year).order_by(Source.title)
    return [
        (uuid, " · ".join(str(p) for p in (title, author, year) if p))
        for uuid, title, author, year in session.execute(stmt)
    ]


def view(
    session: Session, assessment_id: int, today: date, lang: str, known_template_id: int | None
) -> AssessmentView:
    """One assessment as the window shows it; the template only when it changed."""
    assessment = assessments.get_assessment(session, assessment_id)
    report = assessments.assessment_report(session, assessment, today, lang)
    template = None
    if assessment.template_id != known_template_id:
        template = checklists.to_domain(assessment.template)
    return AssessmentView(report, assessment.template_id, template, source_choices(session))
