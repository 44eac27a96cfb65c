"""Recorded exports, "Änderungen seit der letzten Vorlage" and the comparison of two exports."""

from __future__ import annotations

from datetime import date

import pytest
from helpers.pdf import all_text, flat
from sqlalchemy import select

from chinadialog_desktop.persistence.models import (
    Activity,
    Assessment,
    BriefingExport,
    Partnership,
)
from chinadialog_desktop.reports.errors import BuildCancelled
from chinadialog_desktop.services.assessment import workflow as svc
from chinadialog_desktop.services.briefing.export import (
    compare_exports,
    export_rows,
    resolve_dossier,
)

pytestmark = pytest.mark.both_engines


def _change_something(db) -> None:
    with db.session() as s:
        assessment = s.scalars(select(Assessment)).one()
        svc.answer_item(
            s,
            assessment,
            "purpose-03",
            svc.AnswerUpdate(answer="yes", evidence="Ausstiegsklausel 2026 ergänzt."),
        )
        p = s.scalars(select(Partnership).where(Partnership.title == "Braunschweig–Zhuhai")).one()
        p.activities.append(
            Activity(
                date=date(2026, 11, 3),
                kind="delegation",
                title="Fachdelegation Stadtplanung aus Zhuhai",
            )
        )


def test_first_briefing_with_changes_says_there_is_no_earlier_version(export):
    text = flat(all_text(export(changes=True).data))
    assert "Änderungen seit der letzten Vorlage" in text
    assert "erste Vorlage zu diesem Dossier" in text


def test_change_section_lists_a_changed_answer_and_a_new_activity(db, export):
    first = export()
    unchanged = export(changes=True)
    assert unchanged.changes == []
    assert "hat sich inhaltlich nichts geändert" in flat(all_text(unchanged.data))
    _change_something(db)
    second = export(changes=True)
    text = flat(all_text(second.data))
    assert any("Nutzen für die eigene Kommune" in c and "Nein → Ja" in c for c in second.changes)
    assert "Antwort Nein → Ja" in text
    assert "Neue Aktivität (Braunschweig–Zhuhai): 03.11.2026 Fachdelegation Stadtplanung" in text
    assert "Ampel" in text or "Risikoanteil" in text  # the score moved with the answer
    # the GUI's comparison of any two exports gives the same list
    with db.session() as s:
        lines = compare_exports(s, first.export_id, second.export_id)
    assert lines == second.changes
    with db.session() as s:
        assert compare_exports(s, first.export_id, unchanged.export_id) == []


def test_changed_section_text_is_listed(db, dossier_id, export):
    from chinadialog_desktop.persistence.models import DossierSection

    first = export()
    with db.session() as s:
        summary = s.scalars(
            select(DossierSection).where(
                DossierSection.dossier_id == dossier_id, DossierSection.key == "summary"
            )
        ).one()
        summary.body += "\n\nNeuer Absatz."
    second = export()
    with db.session() as s:
        lines = compare_exports(s, first.export_id, second.export_id)
    assert lines == ["Abschnitt „Zusammenfassung“ überarbeitet"]


def test_exports_are_listed_newest_first(db, dossier_id, export):
    a = export()
    b = export(public=True)
    with db.session() as s:
        rows = export_rows(s, resolve_dossier(s, "Zhuhai: Sachstand"))
    assert [r["id"] for r in rows] == [b.export_id, a.export_id]
    assert rows[0]["options"]["public"] is True


def test_cancelled_export_writes_and_records_nothing(db, dossier_id, tmp_path, monkeypatch):
    from chinadialog_desktop.persistence.models import Dossier
    from chinadialog_desktop.services.briefing.export import BriefingOptions, export_briefing

    out = tmp_path / "cancelled.pdf"
    seen = []

    def progress(done, total, message):
        seen.append(done)

    with pytest.raises(BuildCancelled), db.session() as s:
        export_briefing(
            s,
            s.get(Dossier, dossier_id),
            BriefingOptions(),
            out,
            progress=progress,
            cancel=lambda: len(seen) > 3,
        )
    assert not out.exists()
    with db.session() as s:
        assert s.scalars(select(BriefingExport)).all() == []


def test_progress_is_reported(db, dossier_id, tmp_path):
    from chinadialog_desktop.persistence.models import Dossier
    from chinadialog_desktop.services.briefing.export import BriefingOptions, export_briefing

    calls = []
    with db.session() as s:
        export_briefing(
            s,
            s.get(Dossier, dossier_id),
            BriefingOptions(),
            None,
            progress=lambda d, t, m: calls.append((d, t)),
            record=False,
        )
    assert calls and all(0 <= d <= t for d, t in calls)
    assert calls[-1][0] == calls[-1][1] or calls[-1][0] >= calls[-1][1] - 1


def test_a_title_substring_matching_several_dossiers_is_refused(db, dossier_id):
    from chinadialog_desktop.errors import UserError

    with db.session() as s, pytest.raises(UserError, match="Kiel.*Braunschweig"):
        resolve_dossier(s, "–")  # both demo dossiers have a dash in the title


def test_preview_then_save_records_the_previewed_bytes(db, dossier_id):
    """The GUI renders on a worker thread (no session there), then records what was saved."""
    import hashlib

    from chinadialog_desktop.persistence.models import Dossier
    from chinadialog_desktop.services.briefing.export import (
        BriefingOptions,
        prepare_content,
        record_export,
        render_pdf,
    )

    options = BriefingOptions(lang="en")
    with db.session() as s:
        content = prepare_content(s, s.get(Dossier, dossier_id), options)
    data, pages = render_pdf(content)  # what a worker thread runs
    with db.session() as s:
        row = record_export(
            s, s.get(Dossier, dossier_id), options, content, data, pages, "preview.pdf"
        )
        assert row.sha256 == hashlib.sha256(data).hexdigest()
        assert row.page_count == pages and row.options["lang"] == "en"
        assert row.snapshot["lang"] == "en"


def test_changes_are_read_against_the_last_version_for_the_same_audience(db, dossier_id, export):
    from chinadialog_desktop.persistence.models import DossierSection

    with db.session() as s:
        s.scalars(
            select(DossierSection).where(
                DossierSection.dossier_id == dossier_id, DossierSection.key == "risks"
            )
        ).one().internal = True
    export(lang="de")
    export(lang="en")
    export(public=True)
    again = export(changes=True)  # German, internal: compared with the first export
    assert again.changes == []
    first_public = export(public=True, changes=True, lang="en")
    text = flat(all_text(first_public.data))  # a German public version exists: not "first"
    assert "first briefing" not in text and "exists only in the other language" in text


def test_a_new_department_is_listed_and_a_new_date_alone_is_no_change(db, dossier_id, export):
    from chinadialog_desktop.persistence.models import Dossier

    first = export()
    with db.session() as s:
        dossier = s.get(Dossier, dossier_id)
        dossier.department = "Dezernat II – Amt für Städtepartnerschaften (Beispiel)"
        dossier.document_date = date(2026, 11, 20)  # a new date makes no new content
    second = export(changes=True)
    assert second.changes == [
        "Kopfangabe „Dezernat/Amt“: Dezernat I – Referat für Internationales (Beispiel) → "
        "Dezernat II – Amt für Städtepartnerschaften (Beispiel)"
    ]
    with db.session() as s:
        assert compare_exports(s, first.export_id, second.export_id) == second.changes
