"""``chinadialog reflist``: exit codes, the problem list on stderr, JSON output."""

from __future__ import annotations

import json
from pathlib import Path

from chinadialog_desktop.cli import main

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "ftm"


def cli(*args: str) -> int:
    return main(["--lang", "en", *args])


def test_import_list_remove(tmp_path: Path, capsys):
    db = str(tmp_path / "c.sqlite3")
    v1 = str(FIXTURES / "china_v1.ftm.json")
    assert cli("--db", db, "reflist", "import", v1, "--dry-run") == 0
    out = capsys.readouterr().out
    assert "Dry run" in out and "7 new" in out
    assert cli("--db", db, "reflist", "list", "--json") == 0
    assert json.loads(capsys.readouterr().out) == []

    assert cli("--db", db, "reflist", "import", v1, "--name", "Exportkontrolle Test") == 0
    assert "7 new, 0 updated, 0 unchanged, 0 removed" in capsys.readouterr().out
    assert cli("--db", db, "reflist", "import", v1) == 0
    assert "0 new, 0 updated, 7 unchanged, 0 removed" in capsys.readouterr().out

    assert cli("--db", db, "reflist", "list", "--json") == 0
    (row,) = json.loads(capsys.readouterr().out)
    assert (row["list_key"], row["name"], row["entity_count"]) == (
        "test_china_controls",
        "Exportkontrolle Test",
        7,
    )
    assert cli("--db", db, "reflist", "list") == 0
    assert "Exportkontrolle Test" in capsys.readouterr().out

    assert cli("--db", db, "reflist", "remove", "test_china_controls") == 0
    assert "7" in capsys.readouterr().out
    assert cli("--db", db, "reflist", "remove", "test_china_controls") == 1
    assert "test_china_controls" in capsys.readouterr().err


def test_rejected_file_exits_1_with_the_problems(tmp_path: Path, capsys):
    db = str(tmp_path / "c.sqlite3")
    bad = str(FIXTURES / "hostile" / "duplicate_id.jsonl")
    assert cli("--db", db, "reflist", "import", bad) == 1
    err = capsys.readouterr().err
    assert "duplicate_id.jsonl, line 3, key 'id'" in err
    assert "nothing was changed" in err
    assert cli("--db", db, "reflist", "import", bad, "--json") == 1
    data = json.loads(capsys.readouterr().out)
    assert data["status"] == "rejected"
    assert data["problems"][0]["line"] == 3
    assert cli("--db", db, "reflist", "list", "--json") == 0
    assert json.loads(capsys.readouterr().out) == []


def test_bad_date_is_wrong_usage(tmp_path: Path, capsys):
    db = str(tmp_path / "c.sqlite3")
    v1 = str(FIXTURES / "china_v1.ftm.json")
    try:
        cli("--db", db, "reflist", "import", v1, "--date", "19.02.2026")
    except SystemExit as exc:
        assert exc.code == 2
    else:
        raise AssertionError("expected a usage error")
    assert "YYYY-MM-DD" in capsys.readouterr().err
