"""A damaged file on the command line: one German line naming the command that helps,
without SQLite's English words (those only with --debug)."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from helpers.damage import damaged_database

ROOT = Path(__file__).resolve().parents[2]


def run(path: Path, *args: str) -> subprocess.CompletedProcess[str]:
    env = dict(os.environ, CHINADIALOG_LANG="de", PYTHONPATH=str(ROOT))
    env.pop("QT_QPA_PLATFORM", None)
    return subprocess.run(
        [sys.executable, "-m", "chinadialog_desktop", "--db", str(path), *args],
        capture_output=True,
        text=True,
        env=env,
        timeout=120,
        check=False,
    )


@pytest.mark.parametrize("argv", [["list", "partnerships"], ["db", "check"], ["db", "backup"]])
def test_damaged_file_is_one_german_line_without_english_fragments(tmp_path, argv):
    path = tmp_path / "Städte #1 (Beispiel).sqlite3"
    damaged_database(path)
    for _time in ("first", "marked"):  # found by the check, then by the damage marker
        result = run(path, *argv)
        assert result.returncode == 1
        line = result.stderr.strip()
        assert len(line.splitlines()) == 1, line
        assert "beschädigt" in line and "chinadialog db recover" in line
        assert "malformed" not in line and "database disk image" not in line, line


def test_debug_shows_sqlites_own_findings(tmp_path):
    path = tmp_path / "d.sqlite3"
    damaged_database(path)
    result = run(path, "--debug", "db", "check")
    assert result.returncode == 1
    assert "SQLite: " in result.stderr
