"""Finanzielle Auswirkungen as councils print them (issue 12, point 6): ja/nein, Haushaltsjahr,
Produkt/Kostenstelle, einmalig/laufend and Betrag as a small table before the Sachverhalt, the
free text as "Erläuterung"; the checks before export name a missing ja/nein and
contradictions. Read back from real PDFs; the checks come through the real CLI."""

from __future__ import annotations

import json

from helpers.briefing_sample import EPOCH
from helpers.pdf import flat, page_texts

from chinadialog_desktop.cli import main
from chinadialog_desktop.persistence.models import Dossier

EXPLANATION = "Keine unmittelbaren Auswirkungen auf den Haushalt."  # prepare()'s text begins so


def _set(db, dossier_id, **fields) -> None:
    with db.session() as s:
        dossier = s.get(Dossier, dossier_id)
        for name, value in fields.items():
            setattr(dossier, name, value)


def _body(data: bytes) -> str:
    """The text after the table of contents (or the whole text when there is none)."""
    text = flat("\n".join(page_texts(data))).replace("\u00a0", " ")
    return text.split("Inhalt", 1)[-1]


def _checks(db, dossier_id, tmp_path, monkeypatch, capsys, *extra: str) -> list[str]:
    monkeypatch.setenv("SOURCE_DATE_EPOCH", EPOCH)
    capsys.readouterr()
    code = main(
        ["--lang", "de", "--db", str(db.path), "briefing", str(dossier_id)]
        + ["-o", str(tmp_path / "checks.pdf"), "--no-record", "--json", *extra]
    )
    assert code == 0
    return [c["text"] for c in json.loads(capsys.readouterr().out)["checks"]]


def test_yes_prints_the_table_before_the_facts_with_the_explanation(db, dossier_id, export):
    _set(
        db,
        dossier_id,
        financial_impact="yes",
        financial_year=2027,
        financial_item="Produkt 1.11.01 Städtepartnerschaften (Beispiel)",
        financial_recurrence="recurring",
        financial_amount=1_250_000,
    )
    body = _body(export().data)
    table = (
        "Finanzielle Auswirkungen Finanzielle Auswirkungen ja Haushaltsjahr 2027 "
        "Produkt/Kostenstelle Produkt 1.11.01 Städtepartnerschaften (Beispiel) "
        "Einmalig/laufend laufend (jährlich) Betrag 12.500,00 € Erläuterung: " + EXPLANATION
    )
    assert table in body
    assert body.index(table) < body.index("Sachverhalt 2.1")


def test_yes_in_english_writes_the_amount_the_english_way(db, dossier_id, export):
    _set(db, dossier_id, financial_impact="yes", financial_amount=123_456_789)
    body = _body(export(lang="en").data)
    assert "Amount EUR 1,234,567.89" in body
    assert "Financial effects yes" in body
    assert "Budget year" not in body  # rows without a value are left out


def test_no_prints_one_sentence_and_keeps_the_explanation(db, dossier_id, export):
    _set(db, dossier_id, financial_impact="no")
    body = _body(export().data)
    assert (
        "Finanzielle Auswirkungen Keine finanziellen Auswirkungen. Erläuterung: " + EXPLANATION
    ) in body
    assert "Haushaltsjahr" not in body and "Betrag" not in body


def test_no_with_only_the_sentence(db, dossier_id, export):
    _set(db, dossier_id, financial_impact="no", financial_effects=None)
    body = _body(export().data)
    assert "Finanzielle Auswirkungen Keine finanziellen Auswirkungen." in body
    assert "Erläuterung" not in body


def test_an_unstated_effect_is_a_gap_and_a_stated_one_is_none(
    db, dossier_id, tmp_path, monkeypatch, capsys
):
    gap = "ob sie finanzielle Auswirkungen hat"
    checks = _checks(db, dossier_id, tmp_path, monkeypatch, capsys)
    assert any(gap in c for c in checks), checks
    _set(db, dossier_id, financial_impact="no")
    checks = _checks(db, dossier_id, tmp_path, monkeypatch, capsys)
    assert not any(gap in c or "Finanzielle" in c for c in checks), checks


def test_contradictions_are_listed_and_strict_refuses(
    db, dossier_id, tmp_path, monkeypatch, capsys
):
    _set(db, dossier_id, financial_impact="no", financial_amount=500_000)
    checks = _checks(db, dossier_id, tmp_path, monkeypatch, capsys)
    assert any("„nein“" in c and "Betrag" in c for c in checks), checks
    _set(db, dossier_id, financial_impact="yes", financial_amount=None, financial_effects=" ")
    checks = _checks(db, dossier_id, tmp_path, monkeypatch, capsys)
    assert any("„ja“" in c and "Erläuterung" in c for c in checks), checks
    out = tmp_path / "strict.pdf"
    code = main(
        ["--lang", "de", "--db", str(db.path), "briefing", str(dossier_id)]
        + ["-o", str(out), "--no-record", "--strict"]
    )
    assert code == 1 and not out.exists()


def test_changes_between_exports_name_the_amount(db, dossier_id, export):
    _set(db, dossier_id, financial_impact="yes", financial_amount=1_000_000)
    export()
    _set(db, dossier_id, financial_amount=1_250_000)
    second = export(changes=True)
    assert "Finanzielle Auswirkungen, Betrag: 10.000,00 € → 12.500,00 €" in [
        c.replace("\u00a0", " ") for c in second.changes
    ]
    _set(db, dossier_id, financial_impact="no", financial_amount=None)
    third = export(changes=True)
    assert "Finanzielle Auswirkungen: ja → nein" in third.changes
