"""One answer changed as an undoable step: what it was, what it became, and putting it back.

``change_answer`` saves a change through ``assessments.answer_item`` and
returns the ``records.Change`` the window's change signal carries, with the
answer before and after (``SavedAnswer``); ``restore_answer`` puts either back
(undo, redo). A restore checks that the answer is still what this step left,
so a change made meanwhile in another window is reported, not overwritten.
"""

from __future__ import annotations

from dataclasses import dataclass, fields
from datetime import date, datetime

from sqlalchemy.orm import Session

from chinadialog_desktop.domain.enums import AssessmentStatus
from chinadialog_desktop.errors import ConcurrentEdit
from chinadialog_desktop.i18n import _
from chinadialog_desktop.persistence.models import Assessment, AssessmentAnswer
from chinadialog_desktop.services.assessment import workflow as assessments
from chinadialog_desktop.services.records.edit import Change


@dataclass(frozen=True)
class SavedAnswer:
    """Everything one answer row holds besides its keys."""

    answer: str | None
    evidence: str | None
    responsible: str | None
    due_on: date | None
    review_by: date | None
    reconfirm: bool
    changed_item: bool
    answered_by: str | None
    answered_at: datetime | None
    source_ids: tuple[str, ...]
    attachment_ids: tuple[str, ...]
    note: str | None

    def content(self) -> tuple[object, ...]:
        """What the user wrote (not who or when): compared to tell a change made meanwhile."""
        return (
            self.answer,
            self.evidence,
            self.responsible,
            self.due_on,
            self.review_by,
            bool(self.reconfirm),
            self.source_ids,
            self.attachment_ids,
            self.note,
        )


_FIELDS = tuple(f.name for f in fields(SavedAnswer))


def _row(assessment: Assessment, item_key: str) -> AssessmentAnswer | None:
    return next((a for a in assessment.answers if a.item_key == item_key), None)


def saved_answer(assessment: Assessment, item_key: str) -> SavedAnswer | None:
    """The answer to ``item_key`` as stored (None: never answered)."""
    row = _row(assessment, item_key)
    if row is None:
        return None
    values = {name: getattr(row, name) for name in _FIELDS}
    values["source_ids"] = tuple(row.source_ids or ())
    values["attachment_ids"] = tuple(row.attachment_ids or ())
    values["reconfirm"] = bool(row.reconfirm)
    values["changed_item"] = bool(row.changed_item)
    return SavedAnswer(**values)


def _content(state: SavedAnswer | None) -> tuple[object, ...] | None:
    return None if state is None else state.content()


def _change(assessment: Assessment, item_key: str, old: object, new: object) -> Change:
    return Change(
        action="update",
        kind="assessment",
        id=assessment.id,
        uuid=assessment.uuid,
        version=assessment.version,
        field=f"answer:{item_key}",
        old=old,
        new=new,
    )


@dataclass(frozen=True)
class AnswerStep:
    """A saved change: where it went (a signed assessment gets a new revision) and both states."""

    change: Change
    outcome: assessments.ChangeOutcome
    before: SavedAnswer | None
    after: SavedAnswer | None


def change_answer(
    session: Session, assessment_id: int, item_key: str, update: assessments.AnswerUpdate
) -> AnswerStep:
    """Save ``update`` to one answer, as ``assessments.answer_item`` does, keeping the old state."""
    assessment = assessments.get_assessment(session, assessment_id)
    before = saved_answer(assessment, item_key)
    outcome = assessments.answer_item(session, assessment, item_key, update)
    target = assessments.get_assessment(session, outcome.assessment_id)
    after = saved_answer(target, item_key)
    return AnswerStep(_change(target, item_key, before, after), outcome, before, after)


def restore_answer(
    session: Session,
    assessment_id: int,
    item_key: str,
    state: SavedAnswer | None,
    *,
    expected: SavedAnswer | None,
) -> Change:
    """Put the answer to ``item_key`` back to ``state`` (None: no answer at all).

    ``expected`` is what the answer must hold now (what the step being undone
    or redone left); anything else was changed meanwhile and is kept, with a
    ``ConcurrentEdit``. A signed assessment is never changed.
    """
    assessment = assessments.get_assessment(session, assessment_id)
    if assessment.status != AssessmentStatus.OPEN.value:
        raise assessments.AssessmentFrozen(
            _(
                "Assessment {id} (revision {rev}) was signed meanwhile; its answers stay "
                "as they were signed."
            ).format(id=assessment.id, rev=assessment.revision)
        )
    current = saved_answer(assessment, item_key)
    if _content(current) != _content(expected):
        raise ConcurrentEdit(
            _(
                "The answer was changed meanwhile in another window; it stays as it is "
                "now. Please check it."
            )
        )
    row = _row(assessment, item_key)
    if state is None:
        if row is not None:
            assessment.answers.remove(row)
    else:
        if row is None:
            row = AssessmentAnswer(item_key=item_key, source_ids=[], attachment_ids=[])
            assessment.answers.append(row)
        for name in _FIELDS:
            setattr(row, name, getattr(state, name))
        row.source_ids = list(state.source_ids)
        row.attachment_ids = list(state.attachment_ids)
    session.flush()
    return _change(assessment, item_key, current, state)


__all__ = ["AnswerStep", "SavedAnswer", "change_answer", "restore_answer", "saved_answer"]
