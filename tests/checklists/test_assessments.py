"""Templates in the database and assessments: versions, answers, sign-off, cycles, upgrades."""

from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import func, select

from chinadialog_desktop.domain.enums import AssessmentStatus
from chinadialog_desktop.errors import NotFound, UserError
from chinadialog_desktop.interchange.checklist_yaml import load_template
from chinadialog_desktop.persistence.models import (
    Assessment,
    AssessmentAnswer,
    ChecklistTemplate,
    Dossier,
    DossierPartnership,
    Source,
)
from chinadialog_desktop.services.assessment import workflow as svc
from chinadialog_desktop.services.assessment.checklists import (
    TemplateVersionRefused,
    export_template,
    find_template,
    import_template,
    install_bundled,
    template_rows,
    to_domain,
)

KEY = "urn:chinadialog:checklist:test-minimal"
TODAY = date(2026, 12, 1)

pytestmark = pytest.mark.both_engines


def _v2_text(minimal_path) -> str:
    """Version 2: purpose-01 reworded, partner-01's scale relabelled and a code dropped,
    partner-02 removed, purpose-03 added; purpose-02 unchanged."""
    text = minimal_path.read_text(encoding="utf-8")
    text = text.replace("version: 1\n", "version: 2\n")
    text = text.replace(
        '"Sind die Ziele schriftlich festgehalten?"',
        '"Sind die Ziele schriftlich festgehalten und beschlossen?"',
    )
    text = text.replace(
        "{code: unchecked, label: {de: Nicht geprüft, en: Not checked}}",
        "{code: pending, label: {de: Abgleich läuft, en: Screening pending}}",
    )
    text = text.replace("risk: {listed: 5, unchecked: 2}", "risk: {listed: 5, pending: 2}")
    cut = text.index("      - id: partner-02")
    text = text[:cut]
    text = text.replace(
        "  - id: partner\n",
        """      - id: purpose-03
        question: {de: "Gibt es einen Bericht an den Rat?", en: "Is there a report to the council?"}
        guidance: {de: "Vorlagen prüfen.", en: "Check the council papers."}
        severity: low
        risk: {"no": 1}
        sources: [fes-kommunen]
  - id: partner
""",
    )
    return text


@pytest.fixture
def v2_path(minimal_path, tmp_path):
    path = tmp_path / "minimal-v2.yaml"
    path.write_text(_v2_text(minimal_path), encoding="utf-8")
    return path


@pytest.fixture
def imported(db, minimal_path):
    with db.session() as s:
        return import_template(s, load_template(minimal_path)).template_id


# --------------------------------------------------------------------------- templates


def test_import_version_rules(db, minimal_path, v2_path, tmp_path):
    t1 = load_template(minimal_path)
    t2 = load_template(v2_path)
    v3_path = tmp_path / "minimal-v3.yaml"
    v3_path.write_text(
        v2_path.read_text(encoding="utf-8").replace("version: 2\n", "version: 3\n"),
        encoding="utf-8",
    )
    with db.session() as s:
        first = import_template(s, t1)
        assert first.status == "imported" and first.items == 4
        assert import_template(s, t1).status == "unchanged"
        # Same version, different content: refused.
        changed = tmp_path / "changed.yaml"
        changed.write_text(
            minimal_path.read_text(encoding="utf-8").replace("Testliste", "Andere Liste"),
            encoding="utf-8",
        )
        with pytest.raises(TemplateVersionRefused, match="higher version"):
            import_template(s, load_template(changed))
        # A dry run changes nothing.
        assert import_template(s, load_template(v3_path), dry_run=True).template_id is None
        third = import_template(s, load_template(v3_path))
        assert (third.status, third.installed_version) == ("imported", 1)
        # Version 2 is lower than the newest (3): refused, or skipped for bundled installs.
        with pytest.raises(TemplateVersionRefused, match="older than version 3"):
            import_template(s, t2)
        assert import_template(s, t2, skip_older=True).status == "older"
        assert import_template(s, t1).status == "unchanged"  # v1 itself is still there
        rows = template_rows(s)
        assert [(r.version, r.latest) for r in rows] == [(1, False), (3, True)]
        assert find_template(s, KEY).template_version == 3
        assert find_template(s, KEY, 1).template_version == 1
        with pytest.raises(NotFound):
            find_template(s, KEY, 2)
        with pytest.raises(NotFound):
            find_template(s, "urn:x:y")


def test_database_copy_is_the_published_template(db, minimal_path, tmp_path):
    template = load_template(minimal_path)
    with db.session() as s:
        record_id = import_template(s, template).template_id
    with db.session() as s:
        record = s.get(ChecklistTemplate, record_id)
        assert to_domain(record) == template
        assert record.sha256 == template.sha256()
        out = export_template(s, str(record_id), tmp_path / "export.json")
    assert load_template(out).sha256() == template.sha256()


def test_install_bundled_is_idempotent(db):
    with db.session() as s:
        first = install_bundled(s)
        assert first and {o.status for o in first} == {"imported"}
        assert "urn:chinadialog:checklist:leitplanken-kommunal" in {o.key for o in first}
    with db.session() as s:
        assert {o.status for o in install_bundled(s)} == {"unchanged"}
        assert s.scalar(select(func.count()).select_from(ChecklistTemplate)) == len(first)


# --------------------------------------------------------------------------- assessments


def _start(db, imported, make_partnership, type_="twin_city") -> int:
    pid = make_partnership(type_=type_)
    with db.session() as s:
        a = svc.start_assessment(
            s, s.get(ChecklistTemplate, imported), partnership=svc.resolve_partnership(s, str(pid))
        )
        return a.id


def _answer(db, aid, item, code, **fields) -> svc.ChangeOutcome:
    with db.session() as s:
        return svc.answer_item(
            s,
            svc.get_assessment(s, aid),
            item,
            svc.AnswerUpdate(answer=code, answered_by="Test", **fields),
        )


def _report(db, aid):
    with db.session() as s:
        return svc.assessment_report(s, svc.get_assessment(s, aid), TODAY, "de")


def test_answers_scores_and_report(db, imported, make_partnership):
    aid = _start(db, imported, make_partnership)
    with db.session() as s:
        src = Source(title="Ratsbeschluss 2011")
        s.add(src)
        s.flush()
        src_uuid = src.uuid
    _answer(
        db,
        aid,
        "purpose-01",
        "yes",
        evidence="Beschluss 23-20838",
        source_ids=[src_uuid],
        review_by=date(2026, 11, 1),
        responsible="Amt 10",
        due_on=date(2027, 1, 31),
    )
    _answer(db, aid, "purpose-02", "unknown")
    r = _report(db, aid)
    assert r["overall"]["answered"] == 2 and r["overall"]["applicable"] == 3
    assert r["overall"]["open_items"] == ["partner-01"]
    assert r["overall"]["stale_items"] == ["purpose-01"]
    assert r["sections"][0]["points"] == 1 and r["sections"][0]["max_points"] == 5
    assert r["sections"][0]["light"] == "yellow"
    item = next(i for i in r["items"] if i["id"] == "purpose-01")
    assert item["evidence"] == "Beschluss 23-20838" and item["source_ids"] == [src_uuid]
    assert item["answered_by"] == "Test" and item["responsible"] == "Amt 10"
    assert next(i for i in r["items"] if i["id"] == "partner-02")["applicability"] == "not_for_type"

    with pytest.raises(UserError, match="not an answer"):
        _answer(db, aid, "purpose-01", "vielleicht")
    with pytest.raises(NotFound):
        _answer(db, aid, "purpose-77", "yes")
    with pytest.raises(NotFound):
        _answer(db, aid, "purpose-01", "yes", source_ids=["00000000-0000-0000-0000-000000000000"])
    # Editing details only keeps the answer.
    with db.session() as s:
        svc.answer_item(
            s, svc.get_assessment(s, aid), "purpose-02", svc.AnswerUpdate(evidence="nachgefragt")
        )
    item = next(i for i in _report(db, aid)["items"] if i["id"] == "purpose-02")
    assert (item["answer"], item["evidence"]) == ("unknown", "nachgefragt")


def test_dossier_assessment_uses_the_types_of_its_partnerships(db, imported, make_partnership):
    pid = make_partnership(title="Uni-Kooperation", type_="university")
    with db.session() as s:
        d = Dossier(title="Dossier Hefei")
        s.add(d)
        s.flush()
        s.add(DossierPartnership(dossier_id=d.id, partnership_id=pid))
        s.flush()
        a = svc.start_assessment(s, s.get(ChecklistTemplate, imported), dossier=d)
        r = svc.assessment_report(s, a, TODAY)
    assert "partner-02" in r["overall"]["open_items"]


def test_sign_off_freezes_and_a_change_opens_a_new_revision(db, imported, make_partnership):
    aid = _start(db, imported, make_partnership)
    _answer(db, aid, "purpose-01", "yes")
    with db.session() as s, pytest.raises(UserError, match="still open"):
        svc.sign(s, svc.get_assessment(s, aid), "Dr. Prüfer")
    _answer(db, aid, "purpose-02", "yes")
    _answer(db, aid, "partner-01", "clear")
    with db.session() as s:
        svc.sign(s, svc.get_assessment(s, aid), "Dr. Prüfer", date(2026, 11, 30))
    with db.session() as s, pytest.raises(UserError, match="already signed"):
        svc.sign(s, svc.get_assessment(s, aid), "Jemand")

    outcome = _answer(db, aid, "partner-01", "listed")
    assert outcome.new_revision and outcome.revision == 2 and outcome.assessment_id != aid
    with db.session() as s:
        signed = svc.get_assessment(s, aid)
        assert signed.status == AssessmentStatus.SUPERSEDED.value
        assert (signed.reviewed_by, signed.reviewed_on) == ("Dr. Prüfer", date(2026, 11, 30))
        assert {a.item_key: a.answer for a in signed.answers}["partner-01"] == "clear"
        new = svc.get_assessment(s, outcome.assessment_id)
        assert (new.previous_id, new.status, new.reviewed_by) == (aid, "open", None)
        assert {a.item_key: a.answer for a in new.answers}["partner-01"] == "listed"
    assert _report(db, aid)["overall"]["light"] == "green"
    assert _report(db, aid)["superseded_by"] == outcome.assessment_id
    assert _report(db, outcome.assessment_id)["overall"]["light"] == "red"
    with pytest.raises(svc.AssessmentFrozen):
        _answer(db, aid, "purpose-01", "no")
    # The next change goes into the open revision, not yet another one.
    again = _answer(db, outcome.assessment_id, "purpose-01", "partly")
    assert (again.assessment_id, again.new_revision) == (outcome.assessment_id, False)


def test_next_cycle_copies_only_answers_to_reconfirm(db, imported, make_partnership):
    aid = _start(db, imported, make_partnership)
    _answer(db, aid, "purpose-01", "yes", reconfirm=True, evidence="Ratsbeschluss")
    _answer(db, aid, "purpose-02", "no")
    _answer(db, aid, "partner-01", "clear", reconfirm=False)
    with db.session() as s:
        svc.sign(s, svc.get_assessment(s, aid), "Dr. Prüfer")
        new = svc.next_cycle(s, svc.get_assessment(s, aid))
        nid = new.id
        assert (new.revision, new.previous_id) == (1, aid)
        copied = {a.item_key: a for a in new.answers}
        assert set(copied) == {"purpose-01"}
        assert copied["purpose-01"].evidence == "Ratsbeschluss"
        assert copied["purpose-01"].reconfirm and "re-confirmed" in copied["purpose-01"].note
        assert svc.get_assessment(s, aid).status == AssessmentStatus.SIGNED.value
    assert _report(db, nid)["overall"]["open_items"] == ["purpose-02", "partner-01"]


def test_upgrade_carries_answers_and_flags_changes(db, imported, make_partnership, v2_path):
    make_partnership(title="Hochschule", type_="university")
    with db.session() as s:
        aid = svc.start_assessment(
            s,
            s.get(ChecklistTemplate, imported),
            partnership=svc.resolve_partnership(s, "Hochschule"),
        ).id
    _answer(db, aid, "purpose-01", "yes")
    _answer(db, aid, "purpose-02", "no", evidence="keine Klausel")
    _answer(db, aid, "partner-01", "unchecked")
    _answer(db, aid, "partner-02", "unknown", evidence="ASPI: nicht gelistet")
    with db.session() as s:
        import_template(s, load_template(v2_path))
        assert (
            svc.assessment_report(s, svc.get_assessment(s, aid), TODAY)["template"]["newer_version"]
            == 2
        )
        report = svc.upgrade(s, svc.get_assessment(s, aid))
    assert not report.new_revision and report.assessment_id == aid
    assert (report.from_version, report.to_version) == (1, 2)
    assert report.carried == ["purpose-02"]
    assert sorted(report.changed) == ["partner-01", "purpose-01"]
    assert report.new == ["purpose-03"]
    assert report.removed == ["partner-02"]
    with db.session() as s:
        a = svc.get_assessment(s, aid)
        assert a.template.template_version == 2
        rows = {r.item_key: r for r in a.answers}
        assert set(rows) == {"purpose-01", "purpose-02", "partner-01"}
        assert rows["purpose-01"].changed_item and rows["purpose-01"].answer == "yes"
        assert not rows["purpose-02"].changed_item
        assert rows["purpose-02"].evidence == "keine Klausel"
        # "unchecked" no longer exists in the new scale: the item is open again, but flagged.
        assert rows["partner-01"].changed_item and rows["partner-01"].answer is None
        assert "unchecked" in rows["partner-01"].note
        assert "partner-02" in a.archive_note and "ASPI: nicht gelistet" in a.archive_note
        assert "Hat die Hochschule Verbindungen zum Militär?" in a.archive_note
    r = _report(db, aid)
    assert r["overall"]["open_items"] == ["purpose-03", "partner-01"]
    assert r["overall"]["changed_items"] == ["purpose-01", "partner-01"]
    _answer(db, aid, "purpose-01", "yes")  # confirming under the new wording clears the flag
    assert _report(db, aid)["overall"]["changed_items"] == ["partner-01"]
    with db.session() as s, pytest.raises(UserError, match="no newer"):
        svc.upgrade(s, svc.get_assessment(s, aid))


def test_upgrading_a_signed_assessment_keeps_the_signed_one(
    db, imported, make_partnership, v2_path
):
    aid = _start(db, imported, make_partnership)
    _answer(db, aid, "purpose-01", "yes")
    with db.session() as s:
        svc.sign(s, svc.get_assessment(s, aid), "Dr. Prüfer", allow_open=True)
        import_template(s, load_template(v2_path))
        report = svc.upgrade(s, svc.get_assessment(s, aid))
    assert report.new_revision and report.assessment_id != aid
    with db.session() as s:
        assert svc.get_assessment(s, aid).template.template_version == 1
        assert svc.get_assessment(s, report.assessment_id).template.template_version == 2
        assert s.scalar(select(func.count()).select_from(Assessment)) == 2
        assert s.scalar(select(func.count()).select_from(AssessmentAnswer)) == 2


def test_partnership_lookup_by_title_substring(db, make_partnership):
    make_partnership(title="Duisburg – Wuhan")
    make_partnership(title="Wolfsburg – Changchun")
    make_partnership(title="Wolfsburg – Jiading")
    with db.session() as s:
        assert svc.resolve_partnership(s, "wuhan").title == "Duisburg – Wuhan"
        with pytest.raises(UserError, match="several"):
            svc.resolve_partnership(s, "Wolfsburg")
        with pytest.raises(NotFound):
            svc.resolve_partnership(s, "Qingdao")
