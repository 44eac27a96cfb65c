"""The header of the Vorlage (issue 12, point 6): Stadt and Dezernat/Amt lines, and the
Datum der Vorlage from the dossier, not the export day. Read back from real PDFs; the
checks come through the real CLI."""

from __future__ import annotations

import json

from helpers.briefing_sample import CITY, DEPARTMENT, EPOCH
from helpers.pdf import flat, page_texts

from chinadialog_desktop.cli import main
from chinadialog_desktop.persistence.models import Dossier


def _header(data: bytes) -> str:
    """The text of the first page up to the title."""
    return flat(page_texts(data)[0]).split("Städtepartnerschaft")[0]


def test_city_department_and_date_of_the_paper_head_the_briefing(export):
    data = export().data  # exported on AS_OF (25.11.2026), SOURCE_DATE_EPOCH 18.11.2026
    head = _header(data)
    assert head.startswith(f"{CITY} {DEPARTMENT} Information")
    assert CITY == "Stadt Braunschweig (Beispiel)"  # as prepare() sets them
    assert "Datum 16.11.2026" in head
    assert "25.11.2026" not in head and "18.11.2026" not in head
    text = flat("\n".join(page_texts(data)))
    assert "Stand: 25.11.2026" in text  # the data stand at the export day, as before


def test_without_a_date_the_export_day_stands_in_and_the_checks_say_so(
    db, dossier_id, export, tmp_path, monkeypatch, capsys
):
    with db.session() as s:
        dossier = s.get(Dossier, dossier_id)
        dossier.document_date = None
        dossier.city = None
        dossier.department = "  "
    head = _header(export().data)
    assert "Datum 25.11.2026" in head  # the export's "as of" day
    assert "Braunschweig (Beispiel)" not in head and "Dezernat" not in head
    assert head.startswith("Information")  # no empty letterhead lines
    monkeypatch.setenv("SOURCE_DATE_EPOCH", EPOCH)
    out = tmp_path / "ohne-datum.pdf"
    capsys.readouterr()
    code = main(
        ["--lang", "de", "--db", str(db.path), "briefing", str(dossier_id), "-o", str(out)]
        + ["--no-record", "--json"]
    )
    assert code == 0
    checks = [c["text"] for c in json.loads(capsys.readouterr().out)["checks"]]
    assert any("kein Datum (Datum der Vorlage)" in c for c in checks), checks
    assert "Datum 18.11.2026" in _header(out.read_bytes())  # today = the SOURCE_DATE_EPOCH day


def test_a_set_date_is_no_gap(db, dossier_id, tmp_path, monkeypatch, capsys):
    monkeypatch.setenv("SOURCE_DATE_EPOCH", EPOCH)
    out = tmp_path / "mit-datum.pdf"
    code = main(
        ["--lang", "de", "--db", str(db.path), "briefing", str(dossier_id), "-o", str(out)]
        + ["--no-record", "--json"]
    )
    assert code == 0
    checks = [c["text"] for c in json.loads(capsys.readouterr().out)["checks"]]
    assert not any("Datum der Vorlage" in c for c in checks)
    assert "Datum 16.11.2026" in _header(out.read_bytes())
