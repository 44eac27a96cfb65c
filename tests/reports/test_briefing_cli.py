"""``chinadialog briefing``: export, list exports, compare two exports."""

from __future__ import annotations

import json
import subprocess
import sys

from pypdf import PdfReader

from chinadialog_desktop.cli import main


def _demo(tmp_path):
    db = str(tmp_path / "cli.sqlite3")
    assert main(["--db", db, "demo", "load"]) == 0
    return db


def test_export_list_and_diff(tmp_path, capsys, monkeypatch):
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1795000000")
    db = _demo(tmp_path)
    capsys.readouterr()
    out1 = tmp_path / "a.pdf"
    assert main(["--db", db, "briefing", "Zhuhai", "-o", str(out1)]) == 0
    assert "Seite 1 von" in PdfReader(out1).pages[0].extract_text()
    assert str(out1) in capsys.readouterr().out
    out2 = tmp_path / "b.pdf"
    assert (
        main(
            [
                "--db",
                db,
                "briefing",
                "Zhuhai",
                "-o",
                str(out2),
                "--lang",
                "en",
                "--classification",
                "vs_nfd",
                "--kind",
                "decision",
                "--changes",
                "--json",
            ]
        )
        == 0
    )
    result = json.loads(capsys.readouterr().out)
    assert result["page_count"] == len(PdfReader(out2).pages)
    assert result["changes"] == []  # no earlier English briefing to compare with
    whole = " ".join(" ".join(p.extract_text().split()) for p in PdfReader(out2).pages)
    assert "exists only in the other language" in whole  # a German one was exported
    text = PdfReader(out2).pages[0].extract_text()
    assert "Decision paper" in text and "DIENSTGEBRAUCH" in text
    assert main(["--db", db, "briefing", "exports", "Zhuhai", "--json"]) == 0
    rows = json.loads(capsys.readouterr().out)
    assert [r["options"]["lang"] for r in rows] == ["en", "de"]
    assert rows[0]["options"]["classification"] == "vs_nfd"
    assert main(["--db", db, "briefing", "diff", str(rows[1]["id"]), str(rows[0]["id"])]) == 0
    diff = capsys.readouterr().out
    assert "Vorlageart" in diff or "Type of paper" in diff


def test_missing_output_and_unknown_dossier(tmp_path, capsys):
    db = _demo(tmp_path)
    assert main(["--db", db, "briefing", "Zhuhai"]) == 2
    assert main(["--db", db, "briefing", "Gibt es nicht", "-o", str(tmp_path / "x.pdf")]) == 1
    assert "Gibt es nicht" in capsys.readouterr().err
    assert not (tmp_path / "x.pdf").exists()


def test_reportlab_stays_off_the_start_up_path():
    code = (
        "import sys; import chinadialog_desktop.cli as c; c.build_parser();"
        "import chinadialog_desktop.services.briefing.export;"
        "import chinadialog_desktop.cli.briefing;"
        "print('reportlab' in ' '.join(sys.modules))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "False"


def test_wrong_usage_of_the_sub_actions_exits_2(tmp_path):
    db = str(tmp_path / "u.sqlite3")
    assert main(["--db", db, "briefing", "exports"]) == 2
    assert main(["--db", db, "briefing", "diff", "1"]) == 2
    assert main(["--db", db, "briefing", "Zhuhai", "extra", "-o", str(tmp_path / "x.pdf")]) == 2
