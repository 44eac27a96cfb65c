"""Counted nouns agree with their number: "1 new hit", "1 problem"."""

from __future__ import annotations

from pathlib import Path

from chinadialog_desktop.cli import main

FTM = Path(__file__).parents[1] / "fixtures" / "ftm" / "china_v1.ftm.json"


def test_one_new_hit_is_singular(tmp_path, capsys):
    db = str(tmp_path / "s.sqlite3")
    sheet = tmp_path / "a.csv"
    sheet.write_bytes("\ufeffName;Land;Art\r\nHarbin Institute of Technology;CN;Hochschule\r\n"
                      .encode())
    for argv in (["import", str(sheet)], ["reflist", "import", str(FTM)]):
        assert main(["--lang", "en", "--db", db, *argv]) == 0
    reflist_out = capsys.readouterr().out
    assert "Screening of what changed: 1 new hit, 0 reopened" in reflist_out
    assert main(["--lang", "en", "--db", db, "screen"]) == 0
    assert ": 0 new hits, " in capsys.readouterr().out


def test_one_problem_is_singular(tmp_path, capsys):
    template = tmp_path / "t.yaml"
    template.write_text("just text\n", encoding="utf-8")
    assert main(["--lang", "en", "--db", str(tmp_path / "c.sqlite3"), "checklist", "import",
                 str(template)]) == 1
    err = capsys.readouterr().err
    assert "invalid (1 problem):" in err
