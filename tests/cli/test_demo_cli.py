"""``chinadialog demo load``: output, exit codes, idempotence and a broken data file."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from sqlalchemy import func, select

from chinadialog_desktop.cli import main
from chinadialog_desktop.persistence.database import Database
from chinadialog_desktop.persistence.models import Partnership
from chinadialog_desktop.services.demo import default_demo_path, read_demo


def test_demo_load_prints_a_summary_and_exits_0(tmp_path: Path, capsys) -> None:
    db_path = tmp_path / "demo.sqlite3"
    total = len(read_demo().records)

    assert main(["--db", str(db_path), "--lang", "en", "demo", "load"]) == 0
    out = capsys.readouterr().out
    assert "Demo data loaded" in out
    assert "Partnerships" in out and " 17" in out
    assert f"{total} records added in one transaction." in out

    db = Database.open(db_path)
    try:
        with db.session() as s:
            assert s.scalar(select(func.count()).select_from(Partnership)) == 17
    finally:
        db.close()

    assert main(["--db", str(db_path), "--lang", "en", "demo", "load"]) == 0
    out = capsys.readouterr().out
    assert "already in" in out and "nothing was changed" in out


def test_demo_load_in_german_by_default(tmp_path: Path, capsys) -> None:
    assert main(["--db", str(tmp_path / "d.sqlite3"), "demo", "load"]) == 0
    out = capsys.readouterr().out
    assert "17" in out and str(tmp_path) in out


def test_broken_file_exits_1_with_one_line_naming_the_record(tmp_path: Path, capsys) -> None:
    text = default_demo_path().read_text(encoding="utf-8")
    kiel = text.index("  - key: kiel_qingdao\n")
    status = text.index("    status: active\n", kiel)
    broken = tmp_path / "broken.yaml"
    broken.write_text(
        text[:status] + "    status: paused\n" + text[status + len("    status: active\n") :],
        "utf-8",
    )
    db_path = tmp_path / "untouched.sqlite3"

    code = main(["--db", str(db_path), "--lang", "en", "demo", "load", "--file", str(broken)])
    captured = capsys.readouterr()
    assert code == 1
    assert captured.out == ""
    lines = captured.err.strip().splitlines()
    assert len(lines) == 1
    assert "kiel_qingdao" in lines[0] and "paused" in lines[0]
    assert "Traceback" not in captured.err
    assert not db_path.exists()  # the file is checked before the database is opened


def test_demo_without_subcommand_is_wrong_usage(tmp_path: Path) -> None:
    with pytest.raises(SystemExit) as info:
        main(["--db", str(tmp_path / "x.sqlite3"), "demo"])
    assert info.value.code == 2


def test_demo_load_as_a_process(tmp_path: Path) -> None:
    env = dict(os.environ, CHINADIALOG_LANG="en")
    proc = subprocess.run(
        [
            sys.executable,
            "-m",
            "chinadialog_desktop",
            "--db",
            str(tmp_path / "p.sqlite3"),
            "demo",
            "load",
        ],
        cwd=tmp_path,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert proc.returncode == 0, proc.stderr
    assert "Demo data loaded" in proc.stdout
