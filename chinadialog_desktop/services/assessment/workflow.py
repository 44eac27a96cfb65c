"""Assessments (Prüfungen): start, answer, score, sign off, revise, next cycle, upgrade."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime
from enum import Enum
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from chinadialog_desktop.domain.checklist import Template, scale_signature
from chinadialog_desktop.domain.enums import AssessmentStatus, Classification
from chinadialog_desktop.domain.scoring import AnswerState, ChanceTally, Evaluation, Tally, evaluate
from chinadialog_desktop.errors import NotFound, UserError
from chinadialog_desktop.i18n import _, language
from chinadialog_desktop.persistence.audit import current_user
from chinadialog_desktop.persistence.base import utcnow
from chinadialog_desktop.persistence.models import (
    Assessment,
    AssessmentAnswer,
    Attachment,
    ChecklistTemplate,
    Dossier,
    Partnership,
    Source,
)
from chinadialog_desktop.services.assessment.checklists import UUID_RE, newest_version, to_domain


class OpenItems(UserError):
    """Signing was refused because applicable items are still unanswered."""


class AssessmentFrozen(UserError):
    """A superseded revision cannot be changed."""


class _Unset(Enum):
    UNSET = "unset"


UNSET = _Unset.UNSET


@dataclass
class AnswerUpdate:
    """The fields to change on one answer; UNSET leaves a field as it is."""

    answer: str | None | _Unset = UNSET
    evidence: str | None | _Unset = UNSET
    responsible: str | None | _Unset = UNSET
    due_on: date | None | _Unset = UNSET
    review_by: date | None | _Unset = UNSET
    reconfirm: bool | _Unset = UNSET
    source_ids: list[str] | _Unset = UNSET
    attachment_ids: list[str] | _Unset = UNSET
    note: str | None | _Unset = UNSET
    answered_by: str | None = None  # default: the logged-in user


@dataclass(frozen=True)
class ChangeOutcome:
    """Where a change went: a signed assessment is never changed, a new revision is."""

    assessment_id: int
    revision: int
    new_revision: bool


@dataclass(frozen=True)
class UpgradeReport:
    assessment_id: int
    from_version: int
    to_version: int
    new_revision: bool
    carried: list[str] = field(default_factory=list)
    changed: list[str] = field(default_factory=list)
    new: list[str] = field(default_factory=list)
    removed: list[str] = field(default_factory=list)


# --------------------------------------------------------------------------- lookups


def resolve_partnership(session: Session, ref: str) -> Partnership:
    """By id, UUID, or a title substring that matches exactly one partnership."""
    ref = ref.strip()
    found: Partnership | None = None
    if ref.isdigit():
        found = session.get(Partnership, int(ref))
    elif UUID_RE.match(ref):
        found = session.scalars(select(Partnership).where(Partnership.uuid == ref.lower())).first()
    else:
        escaped = ref.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
        matches = list(
            session.scalars(
                select(Partnership)
                .where(Partnership.title.ilike(f"%{escaped}%", escape="\\"))
                .order_by(Partnership.title)
                .limit(6)
            )
        )
        exact = [p for p in matches if p.title.casefold() == ref.casefold()]
        if len(exact) == 1 or len(matches) == 1:
            found = (exact or matches)[0]
        elif len(matches) > 1:
            raise UserError(
                _(
                    "{ref!r} matches several partnerships: {titles}. "
                    "Give the id or more of the title."
                ).format(ref=ref, titles="; ".join(f"{p.id} {p.title}" for p in matches))
            )
    if found is None:
        raise NotFound(_("No partnership {ref!r}.").format(ref=ref))
    return found


def resolve_dossier(session: Session, ref: str) -> Dossier:
    ref = ref.strip()
    found: Dossier | None = None
    if ref.isdigit():
        found = session.get(Dossier, int(ref))
    elif UUID_RE.match(ref):
        found = session.scalars(select(Dossier).where(Dossier.uuid == ref.lower())).first()
    if found is None:
        raise NotFound(_("No dossier {ref!r}.").format(ref=ref))
    return found


def get_assessment(session: Session, ref: str | int) -> Assessment:
    text = str(ref).strip()
    found: Assessment | None = None
    if text.isdigit():
        found = session.get(Assessment, int(text))
    elif UUID_RE.match(text):
        found = session.scalars(select(Assessment).where(Assessment.uuid == text.lower())).first()
    if found is None:
        raise NotFound(_("No assessment {ref!r}.").format(ref=text))
    return found


def successor(session: Session, assessment: Assessment) -> Assessment | None:
    """The next revision of a superseded assessment."""
    return session.scalars(
        select(Assessment).where(
            Assessment.previous_id == assessment.id,
            Assessment.revision == assessment.revision + 1,
        )
    ).first()


def partnership_types(session: Session, assessment: Assessment) -> frozenset[str] | None:
    """Types the template's ``applies_to`` is checked against; None = unknown, all apply."""
    if assessment.partnership_id is not None:
        p = session.get(Partnership, assessment.partnership_id)
        return frozenset({p.type}) if p else None
    if assessment.dossier_id is not None:
        d = session.get(Dossier, assessment.dossier_id)
        types = {link.partnership.type for link in d.partnership_links} if d else set()
        return frozenset(types) or None
    return None


# --------------------------------------------------------------------------- changes


def start_assessment(
    session: Session,
    template: ChecklistTemplate,
    *,
    partnership: Partnership | None = None,
    dossier: Dossier | None = None,
    title: str | None = None,
    classification: Classification | None = None,
) -> Assessment:
    """A new, open assessment; classified as given, else as its dossier (else open)."""
    if (partnership is None) == (dossier is None):
        raise UserError(_("An assessment is of one partnership or one dossier."))
    subject = partnership.title if partnership is not None else dossier.title  # type: ignore[union-attr]
    if classification is None:
        classification = Classification(dossier.classification if dossier else "open")
    assessment = Assessment(
        classification=classification.value,
        title=title or f"{template.title_de} – {subject}",
        template_id=template.id,
        partnership_id=partnership.id if partnership is not None else None,
        dossier_id=dossier.id if dossier is not None else None,
        revision=1,
        status=AssessmentStatus.OPEN.value,
    )
    session.add(assessment)
    session.flush()
    return assessment


def _copy_answer(src: AssessmentAnswer) -> AssessmentAnswer:
    return AssessmentAnswer(
        item_key=src.item_key,
        answer=src.answer,
        evidence=src.evidence,
        responsible=src.responsible,
        due_on=src.due_on,
        review_by=src.review_by,
        reconfirm=src.reconfirm,
        changed_item=src.changed_item,
        answered_by=src.answered_by,
        answered_at=src.answered_at,
        source_ids=list(src.source_ids or []),
        attachment_ids=list(src.attachment_ids or []),
        note=src.note,
    )


def open_revision(session: Session, signed: Assessment) -> Assessment:
    """Copy a signed assessment into a new, open revision; the signed one stays as it was."""
    if signed.status != AssessmentStatus.SIGNED.value:
        raise UserError(_("Only a signed assessment gets a new revision."))
    revision = Assessment(
        title=signed.title,
        template_id=signed.template_id,
        partnership_id=signed.partnership_id,
        dossier_id=signed.dossier_id,
        revision=signed.revision + 1,
        previous_id=signed.id,
        status=AssessmentStatus.OPEN.value,
        classification=signed.classification,  # a VS-NfD assessment's revision stays VS-NfD
        archive_note=signed.archive_note,
        answers=[_copy_answer(a) for a in signed.answers],
    )
    signed.status = AssessmentStatus.SUPERSEDED.value
    session.add(revision)
    session.flush()
    return revision


def editable(session: Session, assessment: Assessment) -> tuple[Assessment, bool]:
    """The assessment a change may go into: itself, or a new revision if it is signed."""
    if assessment.status == AssessmentStatus.SUPERSEDED.value:
        newer = successor(session, assessment)
        raise AssessmentFrozen(
            _(
                "Assessment {id} (revision {rev}) was superseded{by}; it stays as it was signed."
            ).format(
                id=assessment.id,
                rev=assessment.revision,
                by=_(" by assessment {id}").format(id=newer.id) if newer else "",
            )
        )
    if assessment.status == AssessmentStatus.SIGNED.value:
        return open_revision(session, assessment), True
    return assessment, False


def _check_ids(
    session: Session, model: type[Source] | type[Attachment], ids: list[str], what: str
) -> list[str]:
    wanted = [i.strip().lower() for i in ids if i.strip()]
    if not wanted:
        return []
    found = set(session.scalars(select(model.uuid).where(model.uuid.in_(wanted))))
    missing = [i for i in wanted if i not in found]
    if missing:
        raise NotFound(_("No {what} with the id {ids}.").format(what=what, ids=", ".join(missing)))
    return wanted


def answer_item(
    session: Session, assessment: Assessment, item_key: str, update: AnswerUpdate
) -> ChangeOutcome:
    """Set the answer and its details for one item."""
    template = to_domain(assessment.template)
    try:
        item = template.item(item_key)
    except KeyError:
        raise NotFound(_("The template has no item {item!r}.").format(item=item_key)) from None
    if not isinstance(update.answer, _Unset) and update.answer is not None:
        chosen = template.option_named(item, update.answer)  # the code, or its label typed
        if chosen is None:
            lang = language()
            raise UserError(
                _("“{answer}” is not an answer to {item}; possible: {answers}").format(
                    answer=update.answer,
                    item=item_key,
                    answers=", ".join(
                        _("“{text}”").format(text=o.label.get(lang))
                        for o in template.scale_for(item)
                    ),
                )
            )
        update.answer = chosen.code
    sources = (
        None
        if isinstance(update.source_ids, _Unset)
        else _check_ids(session, Source, update.source_ids, _("source"))
    )
    attachments = (
        None
        if isinstance(update.attachment_ids, _Unset)
        else _check_ids(session, Attachment, update.attachment_ids, _("attachment"))
    )
    target, new_revision = editable(session, assessment)
    row = next((a for a in target.answers if a.item_key == item_key), None)
    if row is None:
        row = AssessmentAnswer(item_key=item_key, source_ids=[], attachment_ids=[])
        target.answers.append(row)
    if not isinstance(update.answer, _Unset):
        row.answer = update.answer
        row.answered_by = update.answered_by or current_user()
        row.answered_at = utcnow()
        row.changed_item = False  # answered again under the current wording
    for name in ("evidence", "responsible", "due_on", "review_by", "reconfirm", "note"):
        value = getattr(update, name)
        if not isinstance(value, _Unset):
            setattr(row, name, value)
    if sources is not None:
        row.source_ids = sources
    if attachments is not None:
        row.attachment_ids = attachments
    session.flush()
    return ChangeOutcome(target.id, target.revision, new_revision)


def sign(
    session: Session,
    assessment: Assessment,
    reviewed_by: str,
    reviewed_on: date | None = None,
    *,
    allow_open: bool = False,
    today: date | None = None,
) -> Assessment:
    """Sign off: record who reviewed it and when, and freeze it."""
    if assessment.status != AssessmentStatus.OPEN.value:
        raise UserError(_("Assessment {id} is already signed.").format(id=assessment.id))
    if not reviewed_by.strip():
        raise UserError(_("Sign-off needs the name of the reviewer."))
    evaluation = evaluate_assessment(session, assessment, today or date.today())
    open_items = evaluation.open_items  # both sides
    if open_items and not allow_open:
        raise OpenItems(
            _(
                "{n} applicable items are still open ({items}). Answer them, or sign explicitly "
                "with open items."
            ).format(
                n=len(open_items),
                items=", ".join(open_items[:8]) + (", …" if len(open_items) > 8 else ""),
            )
        )
    assessment.status = AssessmentStatus.SIGNED.value
    assessment.reviewed_by = reviewed_by.strip()
    assessment.reviewed_on = reviewed_on or date.today()
    assessment.signed_at = utcnow()
    session.flush()
    return assessment


def classify(session: Session, assessment: Assessment, classification: Classification) -> None:
    """Set the classification (also of a signed one: it says who may see it, not what was
    signed). On a team server only a cleared role may set or keep VS-NfD."""
    assessment.classification = classification.value
    session.flush()


def next_cycle(
    session: Session, previous: Assessment, template: ChecklistTemplate | None = None
) -> Assessment:
    """A new assessment for the same subject, carrying over the answers marked to re-confirm."""
    target = template or previous.template
    if target.template_key != previous.template.template_key:
        raise UserError(_("The next cycle uses the same template (a newer version is fine)."))
    items = set(to_domain(target).item_ids())
    carried = [
        _copy_answer(a)
        for a in previous.answers
        if a.reconfirm and a.item_key in items and a.answer is not None
    ]
    for answer in carried:
        answer.changed_item = False
        answer.note = _(
            "Carried over from assessment {id} (revision {rev}) to be re-confirmed."
        ).format(id=previous.id, rev=previous.revision) + (
            f"\n{answer.note}" if answer.note else ""
        )
    new = Assessment(
        title=previous.title,
        template_id=target.id,
        partnership_id=previous.partnership_id,
        dossier_id=previous.dossier_id,
        revision=1,
        previous_id=previous.id,
        status=AssessmentStatus.OPEN.value,
        classification=previous.classification,
        answers=carried,
    )
    session.add(new)
    session.flush()
    if target.id != previous.template_id:
        _migrate_answers(new, to_domain(previous.template), to_domain(target))
        session.flush()
    return new


def _label(template: Template, item_key: str, code: str | None) -> str:
    if code is None:
        return "—"
    option = template.option(template.item(item_key), code)
    return f"{code} ({option.label.de})" if option else code


def _migrate_answers(assessment: Assessment, old: Template, new: Template) -> UpgradeReport:
    old_ids = set(old.item_ids())
    new_ids = set(new.item_ids())
    report = UpgradeReport(assessment.id, old.version, new.version, False)
    archive: list[str] = []
    for answer in list(assessment.answers):
        if answer.item_key not in new_ids:
            item = old.item(answer.item_key) if answer.item_key in old_ids else None
            question = item.question.de if item else answer.item_key
            when = answer.answered_at.date().isoformat() if answer.answered_at else "—"
            archive.append(
                _(
                    "- {item}: {question} — answer: {answer}; evidence: {evidence}; "
                    "answered by {by} on {on}"
                ).format(
                    item=answer.item_key,
                    question=question,
                    answer=_label(old, answer.item_key, answer.answer) if item else answer.answer,
                    evidence=answer.evidence or "—",
                    by=answer.answered_by or "—",
                    on=when,
                )
            )
            report.removed.append(answer.item_key)
            assessment.answers.remove(answer)
            continue
        new_item = new.item(answer.item_key)
        old_item = old.item(answer.item_key) if answer.item_key in old_ids else None
        wording = old_item is None or old_item.question != new_item.question
        scale = old_item is None or scale_signature(old.scale_for(old_item)) != scale_signature(
            new.scale_for(new_item)
        )
        if answer.answer is not None and new.option(new_item, answer.answer) is None:
            answer.note = _("Previous answer {code!r} no longer exists in the scale.").format(
                code=answer.answer
            ) + (f"\n{answer.note}" if answer.note else "")
            answer.answer = None
        if wording or scale:
            answer.changed_item = True
            report.changed.append(answer.item_key)
        else:
            report.carried.append(answer.item_key)
    report.new.extend(i for i in new.item_ids() if i not in old_ids)
    header = _("Template upgrade {key} version {old} → {new} on {on}.").format(
        key=new.id, old=old.version, new=new.version, on=date.today().isoformat()
    )
    lines = [header]
    if archive:
        lines.append(_("Answers to items removed from the template:"))
        lines.extend(archive)
    note = "\n".join(lines)
    assessment.archive_note = (
        f"{assessment.archive_note}\n\n{note}" if assessment.archive_note else note
    )
    return report


def upgrade(
    session: Session, assessment: Assessment, target: ChecklistTemplate | None = None
) -> UpgradeReport:
    """Move an assessment to a newer version of its template, keeping answers by item id."""
    current = assessment.template
    target = target or newest_version(session, current.template_key)
    if target.template_key != current.template_key:
        raise UserError(_("An assessment can only move to another version of its own template."))
    if target.template_version <= current.template_version:
        raise UserError(
            _(
                "Assessment {id} already uses version {v} of {key}; there is no newer "
                "one to upgrade to."
            ).format(id=assessment.id, v=current.template_version, key=current.template_key)
        )
    work, new_revision = editable(session, assessment)
    report = _migrate_answers(work, to_domain(current), to_domain(target))
    work.template = target
    session.flush()
    return UpgradeReport(
        work.id,
        report.from_version,
        report.to_version,
        new_revision,
        report.carried,
        report.changed,
        report.new,
        report.removed,
    )


# --------------------------------------------------------------------------- reading


def evaluate_assessment(session: Session, assessment: Assessment, today: date) -> Evaluation:
    answers = {
        a.item_key: AnswerState(a.answer, a.review_by, a.changed_item) for a in assessment.answers
    }
    return evaluate(
        to_domain(assessment.template), answers, partnership_types(session, assessment), today
    )


def _iso(value: date | datetime | None) -> str | None:
    return value.isoformat() if value else None


def _tally_json(t: Tally) -> dict[str, Any]:
    return {
        "light": t.light.value,
        "applicable": t.applicable,
        "answered": t.answered,
        "progress_percent": round(t.progress_percent, 1),
        "points": t.points,
        "max_points": t.max_points,
        "risk_percent": round(t.risk_percent, 1),
        "risk_items": t.risk_items,
        "blockers": list(t.blockers),
        "open_items": list(t.open_items),
        "stale_items": list(t.stale_items),
        "changed_items": list(t.changed_items),
    }


def _chance_json(t: ChanceTally) -> dict[str, Any]:
    return {
        "level": t.level.value,
        "applicable": t.applicable,
        "answered": t.answered,
        "progress_percent": round(t.progress_percent, 1),
        "points": t.points,
        "max_points": t.max_points,
        "chance_percent": round(t.chance_percent, 1),
        "open_items": list(t.open_items),
        "stale_items": list(t.stale_items),
        "changed_items": list(t.changed_items),
    }


def assessment_report(
    session: Session, assessment: Assessment, today: date, lang: str = "de"
) -> dict[str, Any]:
    """Everything about one assessment as plain JSON-compatible data (CLI, GUI, reports)."""
    template = to_domain(assessment.template)
    ev = evaluate_assessment(session, assessment, today)
    rows = {a.item_key: a for a in assessment.answers}
    newest = newest_version(session, template.id)
    newer = successor(session, assessment) if assessment.status == "superseded" else None
    partnership = (
        session.get(Partnership, assessment.partnership_id) if assessment.partnership_id else None
    )
    items = []
    for item in template.items():
        r = ev.items[item.id]
        row = rows.get(item.id)
        option = template.option(item, row.answer) if row and row.answer else None
        items.append(
            {
                "id": item.id,
                "section": item.section,
                "question": item.question.get(lang),
                "severity": item.severity.value,
                "blocker": item.blocker,
                "applicability": r.applicability.value,
                "answer": r.answer,
                "answer_label": option.label.get(lang) if option else None,
                "points": r.points,
                "max_points": r.max_points,
                "risk": r.is_risk,
                "blocker_hit": r.blocker_hit,
                "kind": r.kind.value,
                "chance_points": r.chance_points,
                "max_chance_points": r.max_chance_points,
                "open": r.open,
                "stale": r.stale,
                "changed_item": r.changed,
                "evidence": row.evidence if row else None,
                "responsible": row.responsible if row else None,
                "due_on": _iso(row.due_on) if row else None,
                "review_by": _iso(row.review_by) if row else None,
                "reconfirm": row.reconfirm if row else False,
                "answered_by": row.answered_by if row else None,
                "answered_at": _iso(row.answered_at) if row else None,
                "source_ids": list(row.source_ids or []) if row else [],
                "attachment_ids": list(row.attachment_ids or []) if row else [],
                "note": row.note if row else None,
            }
        )
    return {
        "id": assessment.id,
        "uuid": assessment.uuid,
        "title": assessment.title,
        "revision": assessment.revision,
        "previous_id": assessment.previous_id,
        "superseded_by": newer.id if newer else None,
        "status": assessment.status,
        "classification": assessment.classification,
        "reviewed_by": assessment.reviewed_by,
        "reviewed_on": _iso(assessment.reviewed_on),
        "signed_at": _iso(assessment.signed_at),
        "template": {
            "id": assessment.template.id,
            "key": template.id,
            "version": template.version,
            "title": template.title.get(lang),
            "newer_version": newest.template_version
            if newest.template_version > template.version
            else None,
        },
        "partnership": {"id": partnership.id, "title": partnership.title, "type": partnership.type}
        if partnership
        else None,
        "dossier_id": assessment.dossier_id,
        "as_of": today.isoformat(),
        "overall": _tally_json(ev.overall),
        # the risk side: fields of action (kind risk), in template order
        "sections": [
            {"id": s.id, "title": s.title.get(lang), "kind": s.kind.value}
            | _tally_json(ev.sections[s.id])
            for s in template.sections
            if s.id in ev.sections
        ],
        # the chance side, scored apart (docs/checklist-format.md, "Scoring: both sides")
        "chances": _chance_json(ev.chances),
        "chance_sections": [
            {"id": s.id, "title": s.title.get(lang), "kind": s.kind.value}
            | _chance_json(ev.chance_sections[s.id])
            for s in template.sections
            if s.id in ev.chance_sections
        ],
        "items": items,
        "archive_note": assessment.archive_note,
    }


def assessment_rows(
    session: Session, partnership: Partnership | None = None, today: date | None = None
) -> list[dict[str, Any]]:
    stmt = select(Assessment).order_by(Assessment.id)
    if partnership is not None:
        stmt = stmt.where(Assessment.partnership_id == partnership.id)
    rows = []
    for a in session.scalars(stmt):
        ev = evaluate_assessment(session, a, today or date.today())
        rows.append(
            {
                "id": a.id,
                "uuid": a.uuid,
                "title": a.title,
                "revision": a.revision,
                "status": a.status,
                "template": a.template.template_key,
                "template_version": a.template.template_version,
                "partnership_id": a.partnership_id,
                "dossier_id": a.dossier_id,
                "light": ev.overall.light.value,
                # progress over both sides; the light is the risk side's
                "answered": ev.overall.answered + ev.chances.answered,
                "applicable": ev.overall.applicable + ev.chances.applicable,
                "chance_level": ev.chances.level.value,
                "chance_percent": round(ev.chances.chance_percent, 1),
                "reviewed_by": a.reviewed_by,
                "reviewed_on": _iso(a.reviewed_on),
            }
        )
    return rows


__all__ = [
    "UNSET",
    "AnswerUpdate",
    "AssessmentFrozen",
    "ChangeOutcome",
    "UpgradeReport",
    "answer_item",
    "assessment_report",
    "assessment_rows",
    "editable",
    "evaluate_assessment",
    "get_assessment",
    "next_cycle",
    "open_revision",
    "partnership_types",
    "resolve_dossier",
    "resolve_partnership",
    "sign",
    "classify",
    "start_assessment",
    "successor",
    "upgrade",
]
