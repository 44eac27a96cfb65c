"""Checks before export: listed by the CLI and the preview; ``--strict`` makes them fatal.

Each case exports through the real CLI into a real PDF (or, with --strict, into
nothing) and reads the PDF back.
"""

from __future__ import annotations

import json
from datetime import UTC, datetime

import pytest
from helpers.briefing_sample import AS_OF, CITY, DEPARTMENT, EPOCH
from helpers.pdf import all_text, flat
from sqlalchemy import select

from chinadialog_desktop.cli import main
from chinadialog_desktop.persistence.models import (
    Actor,
    Assessment,
    AssessmentAnswer,
    Dossier,
    ReferenceEntity,
    ReferenceList,
    ScreeningHit,
)
from chinadialog_desktop.services.screening import runs as screening


@pytest.fixture
def cli(db, dossier_id, tmp_path, monkeypatch, capsys):
    """cli(*args) → (exit code, stdout JSON or text, stderr, PDF text or None)."""
    monkeypatch.setenv("SOURCE_DATE_EPOCH", EPOCH)
    counter = iter(range(1, 100))

    def run(*args: str, lang: str = "en"):
        out = tmp_path / f"checks-{next(counter)}.pdf"
        capsys.readouterr()
        code = main(
            [
                "--lang",
                lang,
                "--db",
                str(db.path),
                "briefing",
                str(dossier_id),
                "-o",
                str(out),
                "--no-record",
                *args,
            ]
        )
        captured = capsys.readouterr()
        text = flat(all_text(out.read_bytes())) if out.exists() else None
        return code, captured.out, captured.err, text

    return run


def _dossier(db, dossier_id, **values):
    with db.session() as s:
        dossier = s.get(Dossier, dossier_id)
        for key, value in values.items():
            setattr(dossier, key, value)


def test_a_decision_paper_without_resolution_and_no_deciding_body(db, dossier_id, cli):
    _dossier(db, dossier_id, document_kind="decision", proposed_resolution=None)
    code, out, _err, text = cli("--json")
    assert code == 0 and text is not None
    assert "Ein Beschlussvorschlag ist im Dossier noch nicht formuliert" in text
    checks = [c["text"] for c in json.loads(out)["checks"]]
    assert any("without a proposed resolution" in c for c in checks)
    assert any(
        "no body in the order of deliberation decides" in c and "Rat der Stadt (Beispiel)" in c
        for c in checks
    )
    code, _out, err, text = cli("--strict")
    assert code == 1 and text is None  # nothing written
    assert "not exported" in err and "without a proposed resolution" in err
    code, out, err, text = cli("--strict", lang="de")  # in German, as the CLI speaks by default
    assert code == 1 and text is None
    assert "nicht exportiert" in err and "ohne Beschlussvorschlag" in err


def test_an_information_paper_that_a_body_decides(db, dossier_id, cli):
    with db.session() as s:
        s.get(Dossier, dossier_id).deliberations[-1].role = "decision"
    code, out, _err, text = cli()
    assert code == 0 and "Entscheidung" in text
    assert "An information paper, but „Rat der Stadt (Beispiel)“ is to decide" in out


def test_no_hit_answer_beside_a_confirmed_hit_and_red_while_carrying_on(db, dossier_id, cli):
    with db.session() as s:
        lst = ReferenceList(list_key="t", name="Testliste (Beispiel)", entity_count=1)
        lst.entities.append(
            ReferenceEntity(
                entity_key="o",
                schema="Company",
                caption="Zhuhai Beispiel Holding",
                names=["Zhuhai Beispiel Holding"],
                topics=["sanction"],
                content_hash="h",
            )
        )
        s.add(lst)
        zhuhai = s.scalars(select(Actor).where(Actor.name_de.like("Zhuhai%"))).first()
        hit = ScreeningHit(
            subject_kind="actor",
            subject_uuid=zhuhai.uuid,
            list_key="t",
            entity_key="o",
            entity_hash="h",
            score=0.9,
            status="open",
            screened_at=datetime(2026, 11, 20, tzinfo=UTC),
            explanation={
                "entity": {"caption": "Zhuhai Beispiel Holding", "schema": "Company"},
                "designations": ["sanction"],
            },
        )
        s.add(hit)
        s.flush()
        screening.confirm(s, hit.id, "Registernummer (Beispiel).")
    code, out, _err, text = cli()
    assert "Abgeglichen, kein Treffer" in text and "Zhuhai Beispiel Holding (sanktioniert)" in text
    assert "contradicts the confirmed screening hit" in out
    # The answer now says what the screening found: a blocker, red overall; the
    # recommendation still says "fortführen".
    with db.session() as s:
        answer = s.scalars(
            select(AssessmentAnswer).where(AssessmentAnswer.item_key == "partner-03")
        ).one()
        answer.answer = "listed"
    code, out, _err, text = cli()
    assert "Die Partnerschaft fortführen" in text and "rot" in text
    assert "contradicts the confirmed screening hit" not in out
    assert (
        "the overall rating is red with 1 blocker hit, yet the recommendation is to carry on" in out
    )


def test_gaps_unsigned_no_number_unreviewed_hits_old_screening(db, dossier_id, cli):
    _dossier(db, dossier_id, file_number=None)
    with db.session() as s:
        lst = ReferenceList(
            list_key="t", name="Testliste (Beispiel)", entity_count=1, file_sha256="a" * 64
        )
        lst.entities.append(
            ReferenceEntity(
                entity_key="o",
                schema="Company",
                caption="Zhuhai",
                names=["Zhuhai"],
                topics=["sanction"],
                content_hash="h",
            )
        )
        s.add(lst)
        s.flush()
        screening.run_screening(s)  # Zhuhai matches: an open, unreviewed hit
        s.scalars(select(ReferenceList)).one().file_sha256 = "b" * 64  # a newer version
    code, out, _err, text = cli("--json")
    assert code == 0 and "Drucksachen-Nr. –" in text
    checks = [c["text"] for c in json.loads(out)["checks"]]
    for part in (
        "no document number",
        "is not signed off",
        "not reviewed yet",
        "not screened against the current version",
    ):
        assert any(part in c for c in checks), part
    # Signed, numbered: those two gaps go away.
    _dossier(db, dossier_id, file_number="26-1 (Beispiel)")
    with db.session() as s:
        a = s.scalars(select(Assessment)).one()
        a.status, a.reviewed_by, a.reviewed_on = "signed", "A. Prüfer (Beispiel)", AS_OF
    code, out, _err, text = cli("--json")
    checks = [c["text"] for c in json.loads(out)["checks"]]
    assert not any("document number" in c or "signed off" in c for c in checks)
    assert "26-1 (Beispiel)" in text


@pytest.mark.parametrize(
    "word, label",
    [
        ("Beschlussvorlage", "Beschlussvorlage"),
        ("informationsvorlage", "Informationsvorlage"),
        ("Mitteilungsvorlage", "Informationsvorlage"),
        ("decision", "Beschlussvorlage"),
        ("Internes Briefing", "Internes Briefing"),
    ],
)
def test_kind_takes_the_german_words(cli, word, label):
    code, _out, _err, text = cli("--kind", word)
    assert code == 0 and text.startswith(f"{CITY} {DEPARTMENT} {label}")


def test_an_unknown_kind_and_a_public_vs_nfd_are_refused_clearly(cli):
    with pytest.raises(SystemExit) as exc:
        cli("--kind", "Vorlage")
    assert exc.value.code == 2
    code, _out, err, text = cli("--public", "--classification", "vs_nfd")
    assert code == 1 and text is None
    assert "public version cannot carry a classification marking" in err
