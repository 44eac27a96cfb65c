"""A screening decision as an undoable step: confirm or dismiss a hit, and take it back.

``decide_step`` saves the decision through ``screening.decide`` and keeps what
undo needs; ``undo_decision`` deletes that decision again and gives the hit
its earlier status; ``redo_decision`` decides once more with the same reason.
Each returns the ``records.Change`` the window's change signal carries. A hit
decided meanwhile in another window is reported, never overwritten.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from chinadialog_desktop.errors import ConcurrentEdit, NotFound
from chinadialog_desktop.i18n import _
from chinadialog_desktop.persistence.models import ScreeningDecision, ScreeningHit
from chinadialog_desktop.services.records.edit import Change
from chinadialog_desktop.services.screening import runs as screening


@dataclass(frozen=True)
class DecisionStep:
    change: Change
    hit_id: int
    decision: str  # confirmed | dismissed
    reason: str
    previous: str  # the hit's status before
    decision_uuid: str  # the ScreeningDecision row this step wrote
    by: str = ""  # the name set in the app, if any (else the OS login was recorded)


def _hit(session: Session, hit_id: int) -> ScreeningHit:
    hit = session.get(ScreeningHit, hit_id)
    if hit is None:
        raise NotFound(_("No screening hit with ID {id}.").format(id=hit_id))
    return hit


def _change(hit: ScreeningHit, old: str, new: str) -> Change:
    return Change(
        action="update",
        kind="screening_hit",
        id=hit.id,
        uuid=hit.uuid,
        version=hit.version,
        field="status",
        old=old,
        new=new,
    )


def decide_step(
    session: Session, hit_id: int, decision: str, reason: str, by: str = ""
) -> DecisionStep:
    """Confirm or dismiss hit ``hit_id`` (as ``screening.decide``), keeping what undo needs."""
    previous = _hit(session, hit_id).status
    record = screening.decide(session, hit_id, decision, reason, by)
    hit = _hit(session, hit_id)
    return DecisionStep(
        _change(hit, previous, decision),
        hit_id,
        decision,
        record.reason,
        previous,
        record.uuid,
        by,
    )


def _meanwhile() -> ConcurrentEdit:
    return ConcurrentEdit(
        _("The hit was decided meanwhile in another window; that decision stays. Please check it.")
    )


def undo_decision(session: Session, step: DecisionStep) -> Change:
    """The hit as before ``step``: its decision deleted, its earlier status back."""
    hit = _hit(session, step.hit_id)
    if hit.status != step.decision:
        raise _meanwhile()
    record = session.scalars(
        select(ScreeningDecision).where(ScreeningDecision.uuid == step.decision_uuid)
    ).one_or_none()
    if record is not None:
        session.delete(record)
    hit.status = step.previous
    session.flush()
    return _change(hit, step.decision, step.previous)


def redo_decision(session: Session, step: DecisionStep) -> DecisionStep:
    """The same decision with the same reason once more (who and when: now)."""
    if _hit(session, step.hit_id).status != step.previous:
        raise _meanwhile()
    return decide_step(session, step.hit_id, step.decision, step.reason, step.by)


__all__ = ["DecisionStep", "decide_step", "redo_decision", "undo_decision"]
