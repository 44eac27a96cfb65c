"""Which actor or contact was screened against which list version, and when.

Screening runs call ``record_checks`` for every subject they screened, also when
nothing matched; the briefing reads ``checks_of`` to say who was checked against
what, and the checks before export compare them with the lists' current versions.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from chinadialog_desktop.persistence.base import utcnow
from chinadialog_desktop.persistence.models_reference import ReferenceList, ScreeningCheck


def record_checks(
    session: Session,
    subject_uuids: Iterable[str],
    list_keys: Iterable[str] | None = None,
    when: datetime | None = None,
) -> int:
    """Note that these subjects were screened against these lists (``None``: every list)."""
    subjects = list(dict.fromkeys(subject_uuids))
    if not subjects:
        return 0
    stmt = select(ReferenceList.list_key, ReferenceList.list_date, ReferenceList.file_sha256)
    if list_keys is not None:
        stmt = stmt.where(ReferenceList.list_key.in_(list(list_keys)))
    lists = list(session.execute(stmt))
    if not lists:
        return 0
    moment = when or utcnow()
    existing = {
        (c.subject_uuid, c.list_key): c
        for i in range(0, len(subjects), 500)
        for c in session.scalars(
            select(ScreeningCheck).where(ScreeningCheck.subject_uuid.in_(subjects[i : i + 500]))
        )
    }
    for uuid in subjects:
        for key, day, sha in lists:
            row = existing.get((uuid, key))
            if row is None:
                session.add(
                    ScreeningCheck(
                        subject_uuid=uuid,
                        list_key=key,
                        list_date=day,
                        list_sha256=sha,
                        checked_at=moment,
                    )
                )
            else:
                row.list_date, row.list_sha256, row.checked_at = day, sha, moment
    session.flush()
    return len(subjects) * len(lists)


def checks_of(session: Session, subject_uuids: Iterable[str]) -> dict[str, list[ScreeningCheck]]:
    """The recorded checks of each subject, by list key."""
    uuids = list(dict.fromkeys(subject_uuids))
    out: dict[str, list[ScreeningCheck]] = {u: [] for u in uuids}
    for i in range(0, len(uuids), 500):
        for c in session.scalars(
            select(ScreeningCheck)
            .where(ScreeningCheck.subject_uuid.in_(uuids[i : i + 500]))
            .order_by(ScreeningCheck.list_key)
        ):
            out[c.subject_uuid].append(c)
    return out
