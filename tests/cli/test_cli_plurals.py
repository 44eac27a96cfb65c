"""Numbers in messages and options: "1 new hit", "1 problem", a threshold of 0,9."""

from __future__ import annotations

from pathlib import Path

import pytest

from chinadialog_desktop.cli import main

FTM = Path(__file__).parents[1] / "fixtures" / "ftm" / "china_v1.ftm.json"


def test_one_new_hit_is_singular(tmp_path, capsys):
    db = str(tmp_path / "s.sqlite3")
    sheet = tmp_path / "a.csv"
    sheet.write_bytes(
        "\ufeffName;Land;Art\r\nHarbin Institute of Technology;CN;Hochschule\r\n".encode()
    )
    for argv in (["import", str(sheet)], ["reflist", "import", str(FTM)]):
        assert main(["--lang", "en", "--db", db, *argv]) == 0
    reflist_out = capsys.readouterr().out
    assert "Screening of what changed: 1 new hit, 0 reopened" in reflist_out
    assert main(["--lang", "en", "--db", db, "screen"]) == 0
    assert ": 0 new hits, " in capsys.readouterr().out


def test_one_problem_is_singular(tmp_path, capsys):
    template = tmp_path / "t.yaml"
    template.write_text("just text\n", encoding="utf-8")
    assert (
        main(
            [
                "--lang",
                "en",
                "--db",
                str(tmp_path / "c.sqlite3"),
                "checklist",
                "import",
                str(template),
            ]
        )
        == 1
    )
    err = capsys.readouterr().err
    assert "invalid (1 problem):" in err


def test_threshold_takes_a_decimal_comma(tmp_path, capsys):
    from chinadialog_desktop.cli.screening import _score

    assert _score("0,8") == 0.8 and _score("0.85") == 0.85
    db = str(tmp_path / "t.sqlite3")
    assert main(["--lang", "en", "--db", db, "demo", "load"]) == 0
    assert main(["--lang", "en", "--db", db, "reflist", "import", str(FTM)]) == 0
    capsys.readouterr()
    assert main(["--lang", "en", "--db", db, "screen", "--threshold", "0,9"]) == 0
    with pytest.raises(SystemExit) as exc:
        main(["--lang", "en", "--db", db, "screen", "--threshold", "abc"])
    assert exc.value.code == 2
    assert "invalid float value: 'abc'" in capsys.readouterr().err
