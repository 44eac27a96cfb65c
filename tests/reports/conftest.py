"""Fixtures for the briefing tests: the prepared demo dossier and PDF read-back helpers."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
from helpers.briefing_sample import AS_OF, EPOCH, prepare

from chinadialog_desktop.persistence.database import Database
from chinadialog_desktop.services.briefing.export import (
    BriefingOptions,
    ExportResult,
    export_briefing,
)


@pytest.fixture
def dossier_id(db: Database) -> int:
    with db.session() as s:
        return prepare(s).id


@pytest.fixture
def export(
    db: Database, dossier_id: int, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> Callable[..., ExportResult]:
    """export(**options) → ExportResult, with a fixed SOURCE_DATE_EPOCH and as-of date.

    ``fmt="docx"`` (and ``docx_template=``) export the Word document instead of the PDF.
    """
    monkeypatch.setenv("SOURCE_DATE_EPOCH", EPOCH)
    counter = iter(range(1, 1000))

    def run(
        record: bool = True, fmt: str = "pdf", docx_template: Path | None = None, **options: object
    ) -> ExportResult:
        options.setdefault("as_of", AS_OF)
        from chinadialog_desktop.persistence.models import Dossier

        with db.session() as s:
            dossier = s.get(Dossier, dossier_id)
            assert dossier is not None
            out = tmp_path / f"briefing-{next(counter)}.{fmt}"
            return export_briefing(
                s,
                dossier,
                BriefingOptions(**options),
                out,  # type: ignore[arg-type]
                record=record,
                fmt=fmt,
                docx_template=docx_template,
            )

    return run
