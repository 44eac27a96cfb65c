"""Editions before the chance side keep opening and scoring as published; an
assessment moves to an edition with chances by upgrade (real SQLite database)."""

from __future__ import annotations

from datetime import date
from pathlib import Path

from sqlalchemy import select, text

from chinadialog_desktop.interchange.checklist_yaml import load_template
from chinadialog_desktop.persistence.models import ChecklistTemplate, Partnership
from chinadialog_desktop.services.assessment import workflow as svc
from chinadialog_desktop.services.assessment.checklists import import_template, to_domain

CHANCES = Path(__file__).parent / "fixtures" / "chances.yaml"
TODAY = date(2026, 12, 8)


def _old_edition(tmp_path: Path) -> Path:
    """Version 1 as it would have been published before the chance side: the same risk
    questions, a blanket blocker (``blocker: true``), no chance sections."""
    body = CHANCES.read_text(encoding="utf-8")
    body = body[: body.index("  - id: chance_exchange")]
    body = body.replace(
        "blocker: [listed]          # only a confirmed listing excludes", "blocker: true"
    )
    path = tmp_path / "old.yaml"
    path.write_text(body, encoding="utf-8")
    return path


def _new_edition(tmp_path: Path) -> Path:
    path = tmp_path / "new.yaml"
    path.write_text(
        CHANCES.read_text(encoding="utf-8").replace("version: 1\n", "version: 2\n"),
        encoding="utf-8",
    )
    return path


def test_rows_of_an_old_edition_carry_no_chance_data_and_rebuild_the_same_fingerprint(db, tmp_path):
    with db.session() as s:
        old = import_template(s, load_template(_old_edition(tmp_path))).template_id
        new = import_template(s, load_template(_new_edition(tmp_path))).template_id
    with db.session() as s:
        # the rows of every edition stored before schema 0007, after the migration: SQL NULL
        s.execute(
            text(
                "UPDATE checklist_item SET chance_points = NULL, blocker_answers = NULL "
                "WHERE template_id = :t"
            ),
            {"t": old},
        )
        s.execute(
            text("UPDATE checklist_section SET kind = NULL WHERE template_id = :t"), {"t": old}
        )
    with db.session() as s:
        for record_id in (old, new):
            record = s.get(ChecklistTemplate, record_id)
            assert to_domain(record).sha256() == record.sha256


def test_an_assessment_on_an_old_edition_scores_as_published_and_upgrades_to_the_chances(
    db, tmp_path, make_partnership
):
    pid = make_partnership()
    with db.session() as s:
        import_template(s, load_template(_old_edition(tmp_path)))
        template = s.scalars(select(ChecklistTemplate)).one()
        a = svc.start_assessment(s, template, partnership=s.get(Partnership, pid))
        for item, code in (
            ("purpose-01", "partly"),
            ("purpose-02", "unknown"),
            ("partner-01", "unchecked"),
            ("partner-02", "partly"),
        ):
            svc.answer_item(s, a, item, svc.AnswerUpdate(answer=code))
        aid = a.id
    with db.session() as s:
        report = svc.assessment_report(s, svc.get_assessment(s, aid), TODAY)
        # the old edition's blanket blocker still fires on "Nicht abgeglichen"
        assert report["overall"]["blockers"] == ["partner-01"]
        assert report["overall"]["light"] == "red"
        assert report["chance_sections"] == [] and report["chances"]["level"] == "none"
    with db.session() as s:
        import_template(s, load_template(_new_edition(tmp_path)))
        upgraded = svc.upgrade(s, svc.get_assessment(s, aid))
        assert upgraded.new == ["chance_exchange-01", "chance_exchange-02", "chance_climate-01"]
        assert upgraded.changed == []  # same questions, same scales: answers carried as they are
    with db.session() as s:
        report = svc.assessment_report(s, svc.get_assessment(s, upgraded.assessment_id), TODAY)
        assert report["template"]["version"] == 2
        assert report["overall"]["blockers"] == [] and report["overall"]["light"] == "yellow"
        assert report["chances"]["open_items"] == [
            "chance_exchange-01",
            "chance_exchange-02",
            "chance_climate-01",
        ]
        with_open = svc.get_assessment(s, upgraded.assessment_id)
        try:
            svc.sign(s, with_open, "M. Beispiel", today=TODAY)
        except svc.OpenItems as exc:  # the open chance questions count for sign-off
            assert "chance_climate-01" in str(exc)
        else:
            raise AssertionError("sign-off with open chance questions was not refused")
