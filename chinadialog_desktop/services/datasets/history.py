"""The import history as the window lists it: one row per import run, newest first."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from chinadialog_desktop.persistence.models import ImportRun


@dataclass(frozen=True)
class ImportRunRow:
    file_name: str
    sha256: str
    counts: dict[str, Any]
    user: str
    started_at: datetime
    status: str  # ImportStatus code


def import_runs(session: Session) -> list[ImportRunRow]:
    """Every import run, newest first."""
    stmt = select(ImportRun).order_by(ImportRun.started_at.desc(), ImportRun.id)
    return [
        ImportRunRow(
            run.file_name, run.sha256, dict(run.counts or {}), run.user, run.started_at, run.status
        )
        for run in session.scalars(stmt)
    ]
