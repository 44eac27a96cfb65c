"""Dossiers, checklist templates and assessments: export → import round trips and merge rules."""

from __future__ import annotations

import json
import zipfile
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from helpers.db import db_state
from sqlalchemy import func, select

from chinadialog_desktop.persistence.database import Database
from chinadialog_desktop.persistence.models import (
    Assessment,
    ChecklistTemplate,
    Deliberation,
    Dossier,
    DossierSection,
    Partnership,
    Source,
)
from chinadialog_desktop.services.assessment import workflow as svc
from chinadialog_desktop.services.assessment.checklists import install_bundled, to_domain
from chinadialog_desktop.services.datasets.export import export_dataset
from chinadialog_desktop.services.datasets.importing import (
    COMMITTED,
    DRY_RUN,
    NEEDS_DECISION,
    REJECTED,
    ImportOptions,
    import_dataset,
)
from chinadialog_desktop.services.datasets.nested_state import load_assessments, load_dossiers
from chinadialog_desktop.services.demo import load_demo


def _fill(db: Database) -> dict[str, Any]:
    """Demo data, the bundled templates, a dossier with every header field, two assessments
    (one signed) whose answers cite sources."""
    with db.session() as s:
        load_demo(s)
        install_bundled(s)
        dossier = s.scalars(select(Dossier).order_by(Dossier.id)).first()
        assert dossier is not None
        dossier.file_number = "DS 2026/0815"
        dossier.lead_office = "Büro für Internationales"
        dossier.document_date = date(2026, 2, 12)
        dossier.city = "Stadt Überlingen (Beispiel)"
        dossier.department = "Dezernat II – Amt für Städtepartnerschaften (Beispiel)"
        dossier.proposed_resolution = "Der Rat nimmt zur Kenntnis.\r\nZeile 2"
        dossier.is_public = False
        dossier.financial_impact, dossier.financial_year = "yes", 2027
        dossier.financial_item = "Produkt 1.11.01 Städtepartnerschaften (Beispiel)"
        dossier.financial_recurrence, dossier.financial_amount = "recurring", 1_250_005
        risks = next((sec for sec in dossier.sections if sec.key == "risks"), None)
        if risks is None:
            risks = DossierSection(key="risks", position=len(dossier.sections))
            dossier.sections.append(risks)
        risks.body, risks.internal = "=nur intern\n\n- **Risiko**", True
        dossier.deliberations.append(
            Deliberation(position=5, body="Hauptausschuss", meeting_on=date(2026, 3, 4))
        )
        template = s.scalars(select(ChecklistTemplate).order_by(ChecklistTemplate.id)).first()
        assert template is not None
        partnership = dossier.partnership_links[0].partnership
        source = s.scalars(select(Source).order_by(Source.id)).first()
        assert source is not None
        items = to_domain(template).item_ids()
        open_one = svc.start_assessment(s, template, dossier=dossier, title="Prüfung offen")
        svc.answer_item(
            s,
            open_one,
            items[0],
            svc.AnswerUpdate(answer="yes", evidence="Beleg", source_ids=[source.uuid]),
        )
        signed = svc.start_assessment(s, template, partnership=partnership, title="Prüfung fertig")
        svc.answer_item(s, signed, items[1], svc.AnswerUpdate(answer="no", due_on=date(2026, 5, 1)))
        svc.sign(s, signed, "Frau Prüferin", date(2026, 2, 19), allow_open=True)
        return {
            "dossier_id": dossier.id,
            "dossier": dossier.uuid,
            "signed": signed.uuid,
            "open": open_one.uuid,
            "items": items,
            "source": source.uuid,
        }


def _content(db: Database) -> dict[str, Any]:
    """Dossiers, templates and assessments by content (UUIDs are the exchanged keys)."""
    with db.session() as s:
        templates = sorted(
            (to_domain(t).sha256() for t in s.scalars(select(ChecklistTemplate))),
        )
        return {
            "dossiers": load_dossiers(s),
            "assessments": load_assessments(s)[0],
            "templates": templates,
        }


def _counts(result: Any) -> dict[str, dict[str, int]]:
    return result.plan.counts() if result.plan else {}


@pytest.mark.parametrize("fmt", ["package", "json"])
def test_round_trip_into_empty_database(tmp_path: Path, fmt: str) -> None:
    source = Database.open(tmp_path / "a.sqlite3")
    _fill(source)
    out = tmp_path / ("export.zip" if fmt == "package" else "export.json")
    with source.session() as s:
        result = export_dataset(s, fmt, out, kinds=["all"])
    assert result.counts["dossiers"] >= 1
    assert result.counts["assessments"] == 2
    target = Database.open(tmp_path / "b.sqlite3")
    imported = import_dataset(target, out)
    assert imported.status == COMMITTED, imported.problems.format()
    before = _content(source)
    after = _content(target)
    assert after == before
    assert after["dossiers"] and after["assessments"] and after["templates"]
    sections = [sec for d in after["dossiers"].values() for sec in d["sections"]]
    assert {"key": "risks", "body": "=nur intern\n\n- **Risiko**", "internal": True} in sections
    assert any(d["deliberations"] and d["file_number"] for d in after["dossiers"].values())
    header = [
        (d["document_date"], d["city"], d["department"])
        for d in after["dossiers"].values()
        if d["document_date"]
    ]
    assert header == [
        (
            "2026-02-12",
            "Stadt Überlingen (Beispiel)",
            "Dezernat II – Amt für Städtepartnerschaften (Beispiel)",
        )
    ]
    finance = [
        tuple(d[k] for k in ("financial_impact", "financial_year", "financial_item"))
        + (d["financial_recurrence"], d["financial_amount"])
        for d in after["dossiers"].values()
        if d["financial_impact"]
    ]
    assert finance == [
        ("yes", 2027, "Produkt 1.11.01 Städtepartnerschaften (Beispiel)", "recurring", "12500.05")
    ]
    if fmt == "json":  # the file carries the day as an ISO date, the amount as exact euros
        text = out.read_text(encoding="utf-8")
        assert '"document_date": "2026-02-12"' in text
        assert '"financial_amount": "12500.05"' in text
    with target.session() as s:  # stored as cents, never as a float
        assert (
            s.scalars(select(Dossier.financial_amount).where(Dossier.financial_year == 2027)).one()
            == 1_250_005
        )
    assert any(a["status"] == "signed" for a in after["assessments"].values())
    # Re-import is a no-op: everything unchanged, only the run itself is recorded.
    state = db_state(target)
    again = import_dataset(target, out)
    assert again.status == COMMITTED
    assert again.plan is not None
    assert again.plan.totals()["new"] == again.plan.totals()["updated"] == 0
    assert again.plan.totals()["conflict"] == 0
    counts = {k: v for k, v in db_state(target)["counts"].items() if k != "import_run"}
    assert counts == {k: v for k, v in state["counts"].items() if k != "import_run"}
    assert _content(target) == after


def test_package_lists_template_members_in_their_own_format(tmp_path: Path) -> None:
    db = Database.open(tmp_path / "a.sqlite3")
    _fill(db)
    out = tmp_path / "p.zip"
    with db.session() as s:
        export_dataset(s, "package", out, kinds=["checklist_template", "dossier", "assessment"])
    with zipfile.ZipFile(out) as z:
        manifest = json.loads(z.read("manifest.json"))
        kinds = {f["kind"]: f for f in manifest["files"]}
        template_files = [f for f in manifest["files"] if f["kind"] == "checklist_template"]
        assert template_files and all(f["format"] == "yaml" for f in template_files)
        assert all(f["records"] == 1 for f in template_files)
        assert z.read(template_files[0]["path"]).startswith(b"# ")
        assert kinds["dossiers"]["format"] == "json"
        assert kinds["assessments"]["records"] == 2


def test_dossier_export_brings_what_it_links(tmp_path: Path) -> None:
    db = Database.open(tmp_path / "a.sqlite3")
    ids = _fill(db)
    out = tmp_path / "d.json"
    with db.session() as s:
        export_dataset(s, "json", out, dossier_id=ids["dossier_id"])
        dossier = s.get(Dossier, ids["dossier_id"])
        assert dossier is not None
        linked = {link.partnership.uuid for link in dossier.partnership_links}
    doc = json.loads(out.read_text("utf-8"))
    records = doc["records"]
    assert [d["uuid"] for d in records["dossiers"]] == [ids["dossier"]]
    assert {a["uuid"] for a in records["assessments"]} == {ids["signed"], ids["open"]}
    assert {p["uuid"] for p in records["partnerships"]} == linked
    assert ids["source"] in {src["uuid"] for src in records["sources"]}
    used = {(a["template"]["id"], a["template"]["version"]) for a in records["assessments"]}
    assert {(t["id"], t["version"]) for t in records["checklist_templates"]} == used
    # The dossier alone imports into an empty database: nothing it links is missing.
    target = Database.open(tmp_path / "b.sqlite3")
    result = import_dataset(target, out)
    assert result.status == COMMITTED, result.problems.format()
    with target.session() as s:
        assert s.scalar(select(func.count()).select_from(Dossier)) == 1
        assert s.scalar(select(func.count()).select_from(Partnership)) == len(linked)


def _json_export(db: Database, path: Path) -> dict[str, Any]:
    with db.session() as s:
        export_dataset(s, "json", path, kinds=["all"])
    return json.loads(path.read_text("utf-8"))


def _dump(doc: dict[str, Any], path: Path) -> Path:
    path.write_text(json.dumps(doc, ensure_ascii=False, indent=2), "utf-8")
    return path


def test_locally_edited_dossier_against_changed_file_is_a_conflict(tmp_path: Path) -> None:
    source = Database.open(tmp_path / "a.sqlite3")
    ids = _fill(source)
    doc = _json_export(source, tmp_path / "v1.json")
    target = Database.open(tmp_path / "b.sqlite3")
    assert import_dataset(target, _dump(doc, tmp_path / "v1.json")).status == COMMITTED
    # A newer file for a dossier nobody edited here: an update.
    dossier = next(d for d in doc["records"]["dossiers"] if d["uuid"] == ids["dossier"])
    dossier["purpose"] = "Neuer Zweck aus der Koordinierungsstelle"
    result = import_dataset(target, _dump(doc, tmp_path / "v2.json"))
    assert result.status == COMMITTED
    assert _counts(result)["dossiers"]["updated"] == 1
    # Edited here, changed in the file: a conflict; nothing written until decided.
    with target.session() as s:
        row = s.scalars(select(Dossier).where(Dossier.uuid == ids["dossier"])).one()
        row.file_number = "LOKAL 1"
        summary = next(sec for sec in row.sections if sec.key == "risks")
        summary.body = "meine Fassung"
    dossier["file_number"] = "DATEI 2"
    for section in dossier["sections"]:
        if section["key"] == "risks":
            section["body"] = "ihre Fassung"
    v3 = _dump(doc, tmp_path / "v3.json")
    state = db_state(target)
    dry = import_dataset(target, v3, dry_run=True)
    assert dry.status == DRY_RUN
    [conflict] = dry.plan.conflicts()  # type: ignore[union-attr]
    assert conflict.uuid == ids["dossier"]
    fields = {c.field for c in conflict.changes}
    assert {"file_number", "sections.risks"} <= fields
    undecided = import_dataset(target, v3)
    assert undecided.status == NEEDS_DECISION
    assert db_state(target) == state
    kept = import_dataset(target, v3, ImportOptions(on_conflict="mine"))
    assert kept.status == COMMITTED
    with target.session() as s:
        row = s.scalars(select(Dossier).where(Dossier.uuid == ids["dossier"])).one()
        assert row.file_number == "LOKAL 1"
    # The same file again is unchanged now; a newer one is still a conflict → take theirs.
    dossier["file_number"] = "DATEI 3"
    v4 = _dump(doc, tmp_path / "v4.json")
    taken = import_dataset(target, v4, ImportOptions(resolutions={ids["dossier"]: "theirs"}))
    assert taken.status == COMMITTED, taken.problems.format()
    with target.session() as s:
        row = s.scalars(select(Dossier).where(Dossier.uuid == ids["dossier"])).one()
        assert row.file_number == "DATEI 3"
        bodies = {sec.key: (sec.body, sec.internal) for sec in row.sections}
        assert bodies["risks"] == ("ihre Fassung", True)


def test_signed_assessment_is_never_overwritten(tmp_path: Path) -> None:
    source = Database.open(tmp_path / "a.sqlite3")
    ids = _fill(source)
    doc = _json_export(source, tmp_path / "v1.json")
    target = Database.open(tmp_path / "b.sqlite3")
    assert import_dataset(target, _dump(doc, tmp_path / "v1.json")).status == COMMITTED
    with target.session() as s:
        before = load_assessments(s, {ids["signed"]})[0][ids["signed"]]
    signed = next(a for a in doc["records"]["assessments"] if a["uuid"] == ids["signed"])
    signed["answers"][ids["items"][1]]["answer"] = "yes"
    signed["reviewed_by"] = "Jemand anderes"
    v2 = _dump(doc, tmp_path / "v2.json")
    # Nobody edited it here, yet a signed assessment is not updated: a conflict.
    result = import_dataset(target, v2, dry_run=True)
    [conflict] = result.plan.conflicts()  # type: ignore[union-attr]
    assert conflict.uuid == ids["signed"]
    assert import_dataset(target, v2).status == NEEDS_DECISION
    kept = import_dataset(target, v2, ImportOptions(on_conflict="mine"))
    assert kept.status == COMMITTED
    with target.session() as s:
        assert load_assessments(s, {ids["signed"]})[0][ids["signed"]] == before
    # Take theirs: the file's version becomes the next revision; the signed one stays.
    signed["answers"][ids["items"][1]]["answer"] = "unknown"
    v3 = _dump(doc, tmp_path / "v3.json")
    taken = import_dataset(target, v3, ImportOptions(on_conflict="theirs"))
    assert taken.status == COMMITTED, taken.problems.format()
    with target.session() as s:
        states, statuses = load_assessments(s)
        old = states[ids["signed"]]
        assert {k: v for k, v in old.items() if k != "status"} == {
            k: v for k, v in before.items() if k != "status"
        }
        assert statuses[ids["signed"]] == "superseded"
        [newer] = [st for u, st in states.items() if st["previous_uuid"] == ids["signed"]]
        assert newer["answers"][ids["items"][1]]["answer"] == "unknown"
        assert newer["revision"] == before["revision"] + 1
    # Importing the same file again changes nothing.
    again = import_dataset(target, v3, ImportOptions(on_conflict="theirs"))
    assert again.plan is not None and again.plan.totals()["conflict"] == 0
    with target.session() as s:
        assert s.scalar(select(func.count()).select_from(Assessment)) == 3


def test_unknown_source_in_dossier_is_reported_and_nothing_written(tmp_path: Path) -> None:
    source = Database.open(tmp_path / "a.sqlite3")
    ids = _fill(source)
    doc = _json_export(source, tmp_path / "v1.json")
    missing = "0b6f3a8e-1d9c-4c5e-9a57-3f0f1d2b7c11"
    dossier = next(d for d in doc["records"]["dossiers"] if d["uuid"] == ids["dossier"])
    dossier["sources"].append({"number": 99, "source_uuid": missing})
    path = _dump(doc, tmp_path / "broken.json")
    text = path.read_text("utf-8")
    expected_line = text[: text.index(f'"{missing}"')].count("\n") + 1
    target = Database.open(tmp_path / "b.sqlite3")
    state = db_state(target)
    result = import_dataset(target, path)
    assert result.status == REJECTED
    [problem] = [p for p in result.problems if p.code == "record.unknown_reference"]
    assert problem.file == "broken.json"
    assert problem.line == expected_line
    n = len(dossier["sources"]) - 1
    assert problem.key.endswith(f"records.dossiers[0].sources[{n}].source_uuid")  # type: ignore[union-attr]
    assert missing in problem.message
    assert db_state(target) == state


def test_a_german_date_of_the_paper_is_refused_by_line_and_key(tmp_path: Path) -> None:
    source = Database.open(tmp_path / "a.sqlite3")
    ids = _fill(source)
    doc = _json_export(source, tmp_path / "v1.json")
    dossier = next(d for d in doc["records"]["dossiers"] if d["uuid"] == ids["dossier"])
    dossier["document_date"] = "12.02.2026"
    path = _dump(doc, tmp_path / "datum.json")
    expected_line = path.read_text("utf-8").split('"12.02.2026"')[0].count("\n") + 1
    state = db_state(source)
    result = import_dataset(source, path)
    assert result.status == REJECTED
    [problem] = [p for p in result.problems if p.code == "value.invalid"]
    assert problem.file == "datum.json" and problem.line == expected_line
    assert problem.key.endswith("records.dossiers[0].document_date")  # type: ignore[union-attr]
    assert "'12.02.2026' is not a date like 2026-02-19." in problem.message
    assert db_state(source) == state


@pytest.mark.parametrize(
    ("key", "value", "message"),
    [
        ("financial_amount", "-12.50", "The amount cannot be negative."),
        ("financial_amount", "12.500,00", "write it with a decimal point"),
        ("financial_amount", 0.125, "Not an amount in euros"),
        ("financial_year", 27, "A budget year (Haushaltsjahr) between 1999 and 2100"),
        ("financial_year", "2027", "is not a year like 2027."),
        ("financial_impact", "ja", "is not one of the known values: yes, no."),
    ],
)
def test_a_bad_financial_value_is_refused_by_line_and_key(
    tmp_path: Path, key: str, value: Any, message: str
) -> None:
    source = Database.open(tmp_path / "a.sqlite3")
    ids = _fill(source)
    doc = _json_export(source, tmp_path / "v1.json")
    dossier = next(d for d in doc["records"]["dossiers"] if d["uuid"] == ids["dossier"])
    dossier[key] = value
    path = _dump(doc, tmp_path / "finanzen.json")
    state = db_state(source)
    result = import_dataset(source, path)
    assert result.status == REJECTED
    [problem] = [p for p in result.problems if p.code == "value.invalid"]
    assert problem.file == "finanzen.json" and problem.line is not None
    assert f'"{key}"' in path.read_text("utf-8").splitlines()[problem.line - 1]
    assert problem.key.endswith(f"records.dossiers[0].{key}")  # type: ignore[union-attr]
    assert message in problem.message
    assert db_state(source) == state


def test_broken_reference_in_a_package_names_the_member(tmp_path: Path) -> None:
    source = Database.open(tmp_path / "a.sqlite3")
    ids = _fill(source)
    out = tmp_path / "p.zip"
    with source.session() as s:
        # Assessments without the partnerships, dossiers and sources they refer to.
        export_dataset(s, "package", out, kinds=["checklist_template", "assessment"])
    target = Database.open(tmp_path / "b.sqlite3")
    state = db_state(target)
    result = import_dataset(target, out)
    assert result.status == REJECTED
    unknown = [p for p in result.problems if p.code == "record.unknown_reference"]
    assert unknown and all(p.member == "assessments.json" for p in unknown)
    assert all(p.line is not None and p.key for p in unknown)
    assert any(ids["source"] in p.message for p in unknown)
    assert db_state(target) == state


def test_template_versions_must_rise(tmp_path: Path) -> None:
    source = Database.open(tmp_path / "a.sqlite3")
    _fill(source)
    doc = _json_export(source, tmp_path / "v1.json")
    target = Database.open(tmp_path / "b.sqlite3")
    only_templates = {
        "format": doc["format"],
        "format_version": doc["format_version"],
        "records": {"checklist_templates": doc["records"]["checklist_templates"]},
    }
    first = import_dataset(target, _dump(only_templates, tmp_path / "t1.json"))
    assert first.status == COMMITTED
    assert _counts(first)["checklist_templates"]["new"] >= 1
    again = import_dataset(target, _dump(only_templates, tmp_path / "t1.json"))
    assert _counts(again)["checklist_templates"]["new"] == 0
    # Same version, different content: refused, nothing written.
    changed = json.loads(json.dumps(only_templates))
    changed["records"]["checklist_templates"][0]["title"]["de"] = "Geänderter Titel"
    state = db_state(target)
    refused = import_dataset(target, _dump(changed, tmp_path / "t2.json"))
    assert refused.status == REJECTED
    assert any(p.code == "template.version" for p in refused.problems)
    assert db_state(target) == state
    # A higher version goes in beside the old one.
    changed["records"]["checklist_templates"][0]["version"] += 1
    raised = import_dataset(target, _dump(changed, tmp_path / "t3.json"))
    assert raised.status == COMMITTED, raised.problems.format()
    assert _counts(raised)["checklist_templates"]["new"] == 1


def test_csv_and_xlsx_refuse_nested_kinds(tmp_path: Path) -> None:
    from chinadialog_desktop.errors import UserError

    db = Database.open(tmp_path / "a.sqlite3")
    with db.session() as s:
        for fmt in ("csv", "xlsx"):
            with pytest.raises(UserError, match="package"):
                export_dataset(s, fmt, tmp_path / f"x.{fmt}", kinds=["dossier"])


def test_answers_must_fit_the_template(tmp_path: Path) -> None:
    source = Database.open(tmp_path / "a.sqlite3")
    ids = _fill(source)
    doc = _json_export(source, tmp_path / "v1.json")
    target = Database.open(tmp_path / "b.sqlite3")
    state = db_state(target)
    open_one = next(a for a in doc["records"]["assessments"] if a["uuid"] == ids["open"])
    open_one["answers"][ids["items"][0]]["answer"] = "vielleicht"
    open_one["answers"]["no-such-item"] = {"answer": "yes"}
    result = import_dataset(target, _dump(doc, tmp_path / "bad.json"))
    assert result.status == REJECTED
    keys = {p.key for p in result.problems if p.is_error}
    n = doc["records"]["assessments"].index(open_one)
    assert f"records.assessments[{n}].answers.{ids['items'][0]}.answer" in keys
    assert f"records.assessments[{n}].answers.no-such-item" in keys
    assert db_state(target) == state


def test_locally_edited_open_assessment_is_a_conflict_by_answer(tmp_path: Path) -> None:
    source = Database.open(tmp_path / "a.sqlite3")
    ids = _fill(source)
    doc = _json_export(source, tmp_path / "v1.json")
    target = Database.open(tmp_path / "b.sqlite3")
    assert import_dataset(target, _dump(doc, tmp_path / "v1.json")).status == COMMITTED
    item = ids["items"][0]
    with target.session() as s:
        mine = s.scalars(select(Assessment).where(Assessment.uuid == ids["open"])).one()
        svc.answer_item(s, mine, item, svc.AnswerUpdate(evidence="meine Begründung"))
    theirs = next(a for a in doc["records"]["assessments"] if a["uuid"] == ids["open"])
    theirs["answers"][item]["evidence"] = "ihre Begründung"
    path = _dump(doc, tmp_path / "v2.json")
    dry = import_dataset(target, path, dry_run=True)
    [conflict] = dry.plan.conflicts()  # type: ignore[union-attr]
    assert conflict.uuid == ids["open"]
    assert [c.field for c in conflict.changes] == [f"answers.{item}"]
    taken = import_dataset(target, path, ImportOptions(resolutions={ids["open"]: "theirs"}))
    assert taken.status == COMMITTED
    with target.session() as s:
        state = load_assessments(s, {ids["open"]})[0][ids["open"]]
        assert state["answers"][item]["evidence"] == "ihre Begründung"
        assert s.scalar(select(func.count()).select_from(Assessment)) == 2
