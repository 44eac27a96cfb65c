"""The command line's basics on both engines: the same commands on a file and on a team server."""

from __future__ import annotations

import json
import shutil
import subprocess

import pytest

from chinadialog_desktop.cli import main
from chinadialog_desktop.persistence.schema import HEAD_REVISION

pytestmark = pytest.mark.both_engines


def cli(db_url: str, *args: str) -> int:
    return main(["--lang", "en", "--db", db_url, *args])


def test_upgrade_demo_list_search_verify_info(db_url, capsys):
    assert cli(db_url, "db", "upgrade") == 0
    capsys.readouterr()
    assert cli(db_url, "demo", "load") == 0
    assert "Demo data loaded into" in capsys.readouterr().out
    assert cli(db_url, "list", "partnerships", "--json") == 0
    rows = json.loads(capsys.readouterr().out)
    assert any(r["chinese_names_zh"] == "珠海市" for r in rows)
    assert any("Braunschweig" in r["title"] for r in rows)
    assert cli(db_url, "search", "Zhuhai", "--json") == 0
    found = json.loads(capsys.readouterr().out)
    kinds = {g["kind"] for g in found["groups"]}
    assert {"partnership", "actor"} <= kinds
    assert cli(db_url, "db", "verify") == 0
    assert "Audit trail intact" in capsys.readouterr().out
    assert cli(db_url, "db", "info", "--json") == 0
    info = json.loads(_json_tail(capsys))
    assert info["revision"] == HEAD_REVISION
    assert info["counts"]["partnership"] == len(rows)


def _json_tail(capsys) -> str:
    # db info may print "Created a new database" before the JSON on a new file
    out = capsys.readouterr().out
    return out[out.index("{") :]


def test_db_check_says_ok(db_url, capsys):
    assert cli(db_url, "db", "upgrade") == 0
    assert cli(db_url, "db", "check") == 0
    assert "Database is OK" in capsys.readouterr().out


def test_a_second_upgrade_changes_nothing(db_url, capsys):
    assert cli(db_url, "db", "upgrade") == 0
    capsys.readouterr()
    assert cli(db_url, "db", "upgrade") == 0
    assert "already up to date" in capsys.readouterr().out


def test_db_backup_writes_a_backup_that_reads_back(db_url, engine_kind, tmp_path, capsys):
    assert cli(db_url, "db", "upgrade") == 0
    assert cli(db_url, "demo", "load") == 0
    capsys.readouterr()
    out = tmp_path / ("copy.dump" if engine_kind == "postgresql" else "copy.sqlite3")
    assert cli(db_url, "db", "backup", str(out)) == 0
    assert str(out) in capsys.readouterr().out
    assert out.is_file() and out.stat().st_size > 0
    if engine_kind == "postgresql":
        pg_restore = shutil.which("pg_restore")
        if pg_restore is None:
            pytest.skip("pg_restore not installed")
        listing = subprocess.run([pg_restore, "--list", str(out)], capture_output=True, text=True)
        assert listing.returncode == 0
        assert "TABLE DATA public partnership" in listing.stdout
        assert "TABLE DATA public audit_event" in listing.stdout
    assert not list(tmp_path.glob(".*.part"))


def test_a_dataset_package_moves_between_a_file_and_the_database(db_url, tmp_path, capsys):
    """A package exported from a file is imported into either engine; again, it adds nothing."""
    source = str(tmp_path / "quelle.sqlite3")
    package = tmp_path / "paket.zip"
    assert cli(source, "demo", "load") == 0
    assert cli(source, "export", "package", str(package)) == 0
    assert cli(source, "list", "partnerships", "--json") == 0
    capsys.readouterr()
    assert cli(source, "list", "partnerships", "--json") == 0
    expected = json.loads(capsys.readouterr().out)
    assert cli(db_url, "db", "upgrade") == 0
    assert cli(db_url, "import", str(package)) == 0
    capsys.readouterr()
    assert cli(db_url, "list", "partnerships", "--json") == 0
    imported = json.loads(capsys.readouterr().out)
    assert [(r["uuid"], r["title"], r["chinese_names_zh"]) for r in imported] == [
        (r["uuid"], r["title"], r["chinese_names_zh"]) for r in expected
    ]
    assert cli(db_url, "import", str(package), "--json") == 0
    again = json.loads(_json_tail(capsys))
    assert again["status"] in ("committed", "unchanged") and not again.get("backup_path")
    assert cli(db_url, "db", "verify") == 0


def test_reference_lists_and_screening_work_the_same_on_both_engines(db_url, capsys):
    """A list imported and screened on a server gives what it gives on a file (issue 17)."""
    from pathlib import Path

    ftm = Path(__file__).resolve().parents[1] / "fixtures" / "ftm" / "china_v1.ftm.json"
    assert cli(db_url, "db", "upgrade") == 0
    assert cli(db_url, "demo", "load") == 0
    capsys.readouterr()
    code = main(["--lang", "de", "--db", db_url, "import", str(ftm)])
    err = capsys.readouterr().err
    assert code == 0, err
    assert "Traceback" not in err
    assert cli(db_url, "reflist", "list", "--json") == 0
    lists = json.loads(capsys.readouterr().out)
    assert [(r["list_key"], r["entity_count"]) for r in lists] == [("test_china_controls", 7)]
    assert cli(db_url, "screen", "--json") == 0
    run = json.loads(capsys.readouterr().out)
    assert run["run"]["entities"] == 7 and run["run"]["subjects"] > 0
    assert cli(db_url, "db", "verify") == 0
