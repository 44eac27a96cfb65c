"""The exchangeable state of local dossiers and assessments, and the templates in the database."""

from __future__ import annotations

from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload

from chinadialog_desktop.domain.enums import SessionPublicity
from chinadialog_desktop.persistence.models import (
    Assessment,
    ChecklistTemplate,
    Dossier,
    DossierPartnership,
    DossierSource,
    Partnership,
    Source,
)
from chinadialog_desktop.services.datasets.nested import (
    ASSESSMENT_FIELDS,
    DOSSIER_FIELDS,
    plain_date,
    plain_datetime,
    plain_value,
)


def dossier_state(dossier: Dossier) -> dict[str, Any]:
    """A dossier as exchanged: header fields, sections, Beratungsfolge, linked UUIDs."""
    state: dict[str, Any] = {
        name: plain_value(shape, getattr(dossier, name)) for name, shape in DOSSIER_FIELDS.items()
    }
    state["sections"] = [
        {"key": s.key, "body": s.body or "", "internal": bool(s.internal)}
        for s in sorted(dossier.sections, key=lambda s: (s.position, s.id))
    ]
    state["deliberations"] = [
        {
            "body": d.body,
            "meeting_on": plain_date(d.meeting_on),
            "role": d.role,
            "status": d.status,
            "publicity": d.publicity or SessionPublicity.AS_DOSSIER.value,
        }
        for d in sorted(dossier.deliberations, key=lambda d: (d.position, d.id))
    ]
    state["partnerships"] = [
        link.partnership.uuid
        for link in sorted(dossier.partnership_links, key=lambda x: (x.position, x.id))
    ]
    state["sources"] = [
        {"number": link.number, "source_uuid": link.source.uuid}
        for link in sorted(dossier.source_links, key=lambda x: x.number)
    ]
    return state


def load_dossiers(session: Session, only: set[str] | None = None) -> dict[str, dict[str, Any]]:
    query = select(Dossier).options(
        selectinload(Dossier.sections),
        selectinload(Dossier.deliberations),
        selectinload(Dossier.partnership_links).selectinload(DossierPartnership.partnership),
        selectinload(Dossier.source_links).selectinload(DossierSource.source),
    )
    if only is not None:
        query = query.where(Dossier.uuid.in_(only))
    return {d.uuid: dossier_state(d) for d in session.scalars(query.order_by(Dossier.id))}


def assessment_state(
    a: Assessment,
    partnerships: dict[int, str],
    dossiers: dict[int, str],
    assessments: dict[int, str],
) -> dict[str, Any]:
    """An assessment as exchanged: template by id and version, links and answers by UUID."""
    state: dict[str, Any] = {name: getattr(a, name, None) for name in ASSESSMENT_FIELDS}
    state["partnership_uuid"] = partnerships.get(a.partnership_id) if a.partnership_id else None
    state["dossier_uuid"] = dossiers.get(a.dossier_id) if a.dossier_id else None
    state["previous_uuid"] = assessments.get(a.previous_id) if a.previous_id else None
    state["reviewed_on"] = plain_date(a.reviewed_on)
    state["signed_at"] = plain_datetime(a.signed_at)
    state["template"] = {"id": a.template.template_key, "version": a.template.template_version}
    state["answers"] = {
        ans.item_key: {
            "answer": ans.answer,
            "evidence": ans.evidence,
            "responsible": ans.responsible,
            "due_on": plain_date(ans.due_on),
            "review_by": plain_date(ans.review_by),
            "reconfirm": bool(ans.reconfirm),
            "changed_item": bool(ans.changed_item),
            "answered_by": ans.answered_by,
            "answered_at": plain_datetime(ans.answered_at),
            "source_uuids": list(ans.source_ids or []),
            "note": ans.note,
        }
        for ans in sorted(a.answers, key=lambda x: x.item_key)
    }
    return state


def load_assessments(
    session: Session, only: set[str] | None = None
) -> tuple[dict[str, dict[str, Any]], dict[str, str]]:
    """uuid → state, and uuid → local status (open, signed, superseded)."""
    partnerships = {i: u for i, u in session.execute(select(Partnership.id, Partnership.uuid))}
    dossiers = {i: u for i, u in session.execute(select(Dossier.id, Dossier.uuid))}
    ids = {i: u for i, u in session.execute(select(Assessment.id, Assessment.uuid))}
    query = select(Assessment).options(
        selectinload(Assessment.answers), selectinload(Assessment.template)
    )
    if only is not None:
        query = query.where(Assessment.uuid.in_(only))
    states: dict[str, dict[str, Any]] = {}
    statuses: dict[str, str] = {}
    for a in session.scalars(query.order_by(Assessment.id)):
        states[a.uuid] = assessment_state(a, partnerships, dossiers, ids)
        statuses[a.uuid] = a.status
    return states, statuses


def template_versions(session: Session) -> dict[str, dict[int, str | None]]:
    """Template URN → version → sha256 of what is in the database."""
    out: dict[str, dict[int, str | None]] = {}
    rows = session.execute(
        select(
            ChecklistTemplate.template_key,
            ChecklistTemplate.template_version,
            ChecklistTemplate.sha256,
        )
    )
    for key, version, sha in rows:
        out.setdefault(key, {})[version] = sha
    return out


def uuids(session: Session, model: type[Partnership] | type[Source] | type[Dossier]) -> set[str]:
    return set(session.scalars(select(model.uuid)))
