"""``chinadialog import``, ``export`` and ``imports``: exit codes, problems, conflicts."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from helpers.paths import DATASET_FIXTURES as FIXTURES

from chinadialog_desktop.cli import main

REGISTER = FIXTURES / "good_register_utf8.csv"


def cli(db: Path, *args: str) -> int:
    return main(["--lang", "en", "--db", str(db), *args])


def test_import_dry_run_then_commit_then_list(tmp_path, capsys):
    db = tmp_path / "c.sqlite3"
    assert cli(db, "import", str(REGISTER), "--dry-run") == 0
    out = capsys.readouterr().out
    assert "Kommune → German party (german_party)" in out
    assert "Ansprechpartner → kept with the record" in out
    assert "Dry run" in out
    assert cli(db, "import", str(REGISTER)) == 0
    assert "run 1 recorded" in capsys.readouterr().out
    assert cli(db, "imports", "--json") == 0
    runs = json.loads(capsys.readouterr().out)
    assert [r["file_name"] for r in runs] == [REGISTER.name]
    assert runs[0]["counts"]["total"]["new"] == 9
    assert "records" not in runs[0]["counts"]


def test_rejected_import_exits_1_and_lists_problems(tmp_path, capsys):
    db = tmp_path / "c.sqlite3"
    assert cli(db, "import", str(FIXTURES / "bad_date.csv")) == 1
    err = capsys.readouterr().err
    assert "Rejected: bad_date.csv was not imported" in err
    assert "bad_date.csv, line 2, column 3" in err
    assert "31.02.1982" in err


def test_conflict_exits_1_until_resolved(tmp_path, capsys):
    db = tmp_path / "c.sqlite3"
    assert cli(db, "import", str(FIXTURES / "good_actors.json")) == 0
    edited = tmp_path / "edited.csv"
    edited.write_text(
        "name_de;country\r\nNULL;DE\r\n", encoding="utf-8"
    )  # same actor by name, a new country
    assert cli(db, "import", str(edited), "--kind", "actors") == 0  # untouched: an update
    mine = tmp_path / "mine.sqlite3"
    assert cli(mine, "import", str(FIXTURES / "good_actors.json")) == 0
    from chinadialog_desktop.persistence.database import Database
    from chinadialog_desktop.persistence.models import Actor

    database = Database.open(mine)
    try:
        with database.session() as s:
            s.query(Actor).one().region = "lokal bearbeitet"
    finally:
        database.close()
    capsys.readouterr()
    assert cli(mine, "import", str(edited), "--kind", "actors") == 1
    captured = capsys.readouterr()
    assert "Conflict: NULL" in captured.out
    assert "country: mine 'CN', theirs 'DE'" in captured.out
    assert cli(mine, "import", str(edited), "--kind", "actors", "--keep-mine") == 0


def test_mapping_option(tmp_path, capsys):
    db = tmp_path / "c.sqlite3"
    src = tmp_path / "ort.csv"
    src.write_text("Ort;Gegenüber\r\nBremen;Dalian\r\n", encoding="utf-8")
    assert cli(db, "import", str(src), "--kind", "partnerships") == 1
    assert (
        cli(
            db,
            "import",
            str(src),
            "--kind",
            "partnerships",
            "--map",
            "Ort=german_party",
            "--map",
            "Gegenüber=chinese_party",
        )
        == 0
    )
    assert cli(db, "import", str(src), "--map", "Ort") == 2


@pytest.mark.parametrize(
    ("fmt", "ext"), [("package", "zip"), ("csv", "csv"), ("xlsx", "xlsx"), ("json", "json")]
)
def test_export_and_reimport(tmp_path, capsys, fmt, ext):
    db = tmp_path / "c.sqlite3"
    assert cli(db, "import", str(REGISTER)) == 0
    out = tmp_path / f"out.{ext}"
    assert cli(db, "export", fmt, str(out)) == 0
    assert out.is_file()
    other = tmp_path / "other.sqlite3"
    assert cli(other, "import", str(out)) == 0
    capsys.readouterr()
    assert cli(db, "import", str(out), "--json") == 0
    totals = json.loads(capsys.readouterr().out)["counts"]["total"]
    assert totals["new"] == totals["updated"] == totals["conflict"] == 0


def test_export_unknown_dossier_exits_1(tmp_path, capsys):
    assert (
        cli(tmp_path / "c.sqlite3", "export", "json", str(tmp_path / "x.json"), "--dossier", "99")
        == 1
    )
    assert "99" in capsys.readouterr().err


def test_ftm_file_goes_to_the_reference_lists(tmp_path, capsys):
    ftm = Path(__file__).resolve().parents[1] / "fixtures" / "ftm" / "china_v1.ftm.json"
    assert cli(tmp_path / "c.sqlite3", "import", str(ftm)) == 0
    assert "Reference list" in capsys.readouterr().out


def test_cli_names_every_record_kind():
    from chinadialog_desktop.cli.datasets import KIND_NAMES
    from chinadialog_desktop.services.datasets.kinds import KINDS

    assert tuple(KINDS) == KIND_NAMES
