"""Issue 11, point 7: a file with a corrupt page in the middle.

The damage is real: one leaf page of the activity table is overwritten on
disk. Backups (and with them imports and restores, which back up first)
refuse to copy it — so a damaged copy never pushes a good backup out of the
rotation — ``db recover`` saves every readable row into a new, checked file,
and a restore can replace the damaged file, which is kept byte for byte.
"""

from __future__ import annotations

import json

import pytest
from faultkit import cli, integrity, revision_of
from helpers.damage import damaged_database

from chinadialog_desktop.errors import DatabaseDamaged
from chinadialog_desktop.persistence import backup, lifecycle
from chinadialog_desktop.persistence.database import Database
from chinadialog_desktop.persistence.schema import HEAD_REVISION

ROWS = 3000


def _damaged_database(tmp_path):
    path = tmp_path / "beschädigt.sqlite3"
    good = damaged_database(path, rows=ROWS)
    assert integrity(path) != "ok"
    return path, good


def test_a_backup_of_a_damaged_file_is_refused_and_rotates_nothing_out(tmp_path):
    path, good = _damaged_database(tmp_path)
    before = sorted((tmp_path / "backups").glob("*.sqlite3"))
    with pytest.raises(DatabaseDamaged):
        backup.make_backup(path, reason="manual", keep=1)
    assert sorted((tmp_path / "backups").glob("*.sqlite3")) == before
    assert good.exists()
    result = cli(path, "db", "backup")
    assert result.returncode == 1
    assert "beschädigt" in result.stderr and "db recover" in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1


def test_db_recover_saves_the_readable_rows_into_a_checked_new_file(tmp_path):
    path, _good = _damaged_database(tmp_path)
    damaged_bytes = path.read_bytes()
    out = tmp_path / "gerettet.sqlite3"
    result = cli(path, "db", "recover", str(out), "--json")
    assert result.returncode == 0, result.stderr
    report = json.loads(result.stdout)
    activity = next(t for t in report["tables"] if t["table"] == "activity")
    assert 0 < activity["saved"] < ROWS  # one page of rows is gone, the rest is there
    assert activity["gaps"] >= 1
    assert report["problems_after"] == []
    assert report["revision"] == HEAD_REVISION
    assert path.read_bytes() == damaged_bytes  # the damaged file is left as it was
    assert integrity(out) == "ok" and revision_of(out) == HEAD_REVISION
    # The new file is a full ChinaDialog database again.
    Database.open(out).close()
    assert cli(out, "db", "check").returncode == 0

    text_report = cli(path, "db", "recover", str(tmp_path / "zweite.sqlite3"))
    assert text_report.returncode == 0
    assert "Aktivitäten" in text_report.stdout and f"von {ROWS:,}".replace(",", ".") in (
        text_report.stdout
    )


def test_restore_replaces_a_damaged_file_and_keeps_it(tmp_path):
    path, good = _damaged_database(tmp_path)
    damaged_bytes = path.read_bytes()
    result = cli(path, "db", "restore", str(good))
    assert result.returncode == 0, result.stderr
    assert integrity(path) == "ok"
    (kept,) = [b for b in backup.list_backups(path) if b.reason == "damaged"]
    assert kept.path.read_bytes() == damaged_bytes
    conn = lifecycle.connect(path)
    assert conn.execute("SELECT count(*) FROM activity").fetchone()[0] == ROWS
    conn.close()


def test_a_damaged_file_is_not_opened_for_writing(tmp_path):
    """Small files are checked at every open; larger ones at the first backup or import."""
    path, good = _damaged_database(tmp_path)
    assert path.stat().st_size <= lifecycle.QUICK_CHECK_AT_OPEN_MAX_BYTES
    size = path.stat().st_size
    with pytest.raises(DatabaseDamaged, match="db recover"):
        Database.open(path)
    result = cli(path, "list", "partnerships")
    assert result.returncode == 1 and "beschädigt" in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1
    assert path.stat().st_size == size
    # After a restore the file is sound and opens again.
    assert cli(path, "db", "restore", str(good)).returncode == 0
    Database.open(path).close()


def test_a_large_damaged_file_is_marked_at_the_first_backup(tmp_path, monkeypatch):
    path, _good = _damaged_database(tmp_path)
    monkeypatch.setattr(lifecycle, "QUICK_CHECK_AT_OPEN_MAX_BYTES", 0)  # as if it were large
    lifecycle.prepare(path)  # not checked at open: too costly for a large file
    with pytest.raises(DatabaseDamaged):
        backup.make_backup(path, reason="import")  # what every import does first
    with pytest.raises(DatabaseDamaged, match="db recover"):
        lifecycle.prepare(path)  # from now on it is refused at once
