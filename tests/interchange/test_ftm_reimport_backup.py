"""Re-importing an unchanged reference list makes no backup: it would rotate a useful one out."""

from __future__ import annotations

from pathlib import Path

from chinadialog_desktop.persistence.backup import list_backups
from chinadialog_desktop.persistence.database import Database
from chinadialog_desktop.services.screening.reference_lists import import_reference_list

FTM = Path(__file__).parents[1] / "fixtures" / "ftm"


def _import(path: Path, file: Path, **kwargs):  # type: ignore[no-untyped-def]
    db = Database.open(path)
    try:
        return import_reference_list(db, file, **kwargs)
    finally:
        db.close()


def test_same_file_again_makes_no_backup(tmp_path):
    path = tmp_path / "r.sqlite3"
    first = _import(path, FTM / "china_v1.ftm.json")
    assert first.backup_path is not None
    assert len(list_backups(path)) == 1
    again = _import(path, FTM / "china_v1.ftm.json")
    assert again.status == "committed" and again.backup_path is None
    assert len(list_backups(path)) == 1


def test_a_new_version_still_makes_one(tmp_path):
    path = tmp_path / "r.sqlite3"
    _import(path, FTM / "china_v1.ftm.json")
    update = _import(path, FTM / "china_v2.ftm.json", list_key="test_china_controls")
    assert update.updated or update.new or update.removed
    assert update.backup_path is not None and update.backup_path.exists()
    assert len(list_backups(path)) == 2


def test_a_new_name_alone_still_makes_one(tmp_path):
    path = tmp_path / "r.sqlite3"
    _import(path, FTM / "china_v1.ftm.json")
    renamed = _import(path, FTM / "china_v1.ftm.json", name="Umbenannt")
    assert renamed.backup_path is not None
