"""What the dossier editor reads and proposes: linked partnerships, citations, texts."""

from __future__ import annotations

from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from chinadialog_desktop.domain.enums import DeliberationRole
from chinadialog_desktop.errors import UserError
from chinadialog_desktop.i18n import _
from chinadialog_desktop.persistence.models import (
    Dossier,
    DossierPartnership,
    DossierSection,
    DossierSource,
    Partnership,
    Source,
)
from chinadialog_desktop.persistence.models_dossier import Deliberation
from chinadialog_desktop.services.records import edit as records


def new_link(session: Session, dossier_id: int) -> dict[str, Any]:
    """The first partnership not yet linked to the dossier."""
    taken = set(
        session.scalars(
            select(DossierPartnership.partnership_id).where(
                DossierPartnership.dossier_id == dossier_id
            )
        )
    )
    for pid in session.scalars(select(Partnership.id).order_by(Partnership.title)):
        if pid not in taken:
            return {"partnership_id": pid, "position": len(taken)}
    raise UserError(_("Every partnership is already linked. Create the partnership first."))


def new_citation(session: Session, dossier_id: int) -> dict[str, Any]:
    """The first source not yet cited, with the next free number."""
    taken = set(
        session.scalars(
            select(DossierSource.source_id).where(DossierSource.dossier_id == dossier_id)
        )
    )
    for sid in session.scalars(select(Source.id).order_by(Source.title)):
        if sid not in taken:
            return {"source_id": sid, "number": records.next_source_number(session, dossier_id)}
    raise UserError(_("Every source is already cited. Create the source first (page Sources)."))


def new_deliberation(session: Session, dossier_id: int) -> dict[str, Any]:
    """A new step of the Beratungsfolge: the council, deciding, at the end."""
    count = session.scalar(
        select(func.count(Deliberation.id)).where(Deliberation.dossier_id == dossier_id)
    )
    return {"body": _("Council"), "position": count or 0, "role": DeliberationRole.DECISION.value}


def partnership_choices(session: Session) -> list[tuple[int, str]]:
    """Every partnership as (id, title), by title."""
    stmt = select(Partnership.id, Partnership.title).order_by(Partnership.title)
    return [(i, t) for i, t in session.execute(stmt)]


def source_choices(session: Session) -> list[tuple[int, str]]:
    """Every source as (id, title), by title."""
    stmt = select(Source.id, Source.title).order_by(Source.title)
    return [(i, t) for i, t in session.execute(stmt)]


def section_texts(session: Session, dossier_id: int) -> dict[str, tuple[str, str]]:
    """The dossier's texts: section key → (uuid, body)."""
    stmt = select(DossierSection.key, DossierSection.uuid, DossierSection.body).where(
        DossierSection.dossier_id == dossier_id
    )
    return {key: (uuid, body) for key, uuid, body in session.execute(stmt)}


def dossier_choices(session: Session) -> list[tuple[int, str]]:
    """Every dossier as (id, title), by title."""
    stmt = select(Dossier.id, Dossier.title).order_by(Dossier.title)
    return [(i, t) for i, t in session.execute(stmt)]
