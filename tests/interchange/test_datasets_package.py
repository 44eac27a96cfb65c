"""Packages with FollowTheMoney members and FtM files given directly go to the reference lists."""

from __future__ import annotations

import hashlib
import io
import json
import zipfile
from pathlib import Path

import pytest
from helpers.db import db_state
from sqlalchemy import func, select

from chinadialog_desktop.persistence.models import Actor, ImportRun, ReferenceList
from chinadialog_desktop.services.datasets.importing import (
    COMMITTED,
    DRY_RUN,
    REJECTED,
    import_dataset,
)

# A package with a reference list imports the same on a file and on a team server.
pytestmark = pytest.mark.both_engines

FTM = Path(__file__).resolve().parents[1] / "fixtures" / "ftm" / "china_v1.ftm.json"
ACTORS = b"name_de;country\r\nTeststadt;DE\r\n"


def _package(tmp_path: Path, ftm_bytes: bytes, records: int) -> Path:
    files = [
        {
            "path": "actors.csv",
            "format": "csv",
            "kind": "actors",
            "records": 1,
            "sha256": hashlib.sha256(ACTORS).hexdigest(),
        },
        {
            "path": "lists/china.ftm.json",
            "format": "ftm-jsonl",
            "kind": "reference_entities",
            "records": records,
            "sha256": hashlib.sha256(ftm_bytes).hexdigest(),
        },
    ]
    manifest = {
        "schema_version": "1.0",
        "package_id": "p1",
        "title": "Liste",
        "publisher": "Kreis",
        "created": "2026-02-19T10:00:00Z",
        "licence": "CC-BY-4.0",
        "description": "",
        "files": files,
    }
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr("manifest.json", json.dumps(manifest))
        z.writestr("actors.csv", ACTORS)
        z.writestr("lists/china.ftm.json", ftm_bytes)
    path = tmp_path / "with-list.zip"
    path.write_bytes(out.getvalue())
    return path


def _entities() -> int:
    return sum(1 for line in FTM.read_bytes().splitlines() if line.strip())


def test_package_with_reference_list_is_one_transaction(db, tmp_path):
    path = _package(tmp_path, FTM.read_bytes(), _entities())
    dry = import_dataset(db, path, dry_run=True)
    assert dry.status == DRY_RUN, dry.problems.format()
    result = import_dataset(db, path)
    assert result.status == COMMITTED, result.problems.format()
    if db.path is not None:  # a file is backed up once; a server's backups are its own job
        assert result.backup_path is not None
        assert [p.name for p in result.backup_path.parent.iterdir()] == [result.backup_path.name]
    else:
        assert result.backup_path is None
    with db.session() as s:
        assert s.scalar(select(func.count()).select_from(ReferenceList)) == 1
        assert s.scalar(select(func.count()).select_from(Actor)) == 1
        assert s.scalar(select(func.count()).select_from(ImportRun)) >= 1


def test_broken_reference_list_in_package_writes_nothing(db, tmp_path):
    broken = FTM.read_bytes() + b'{"id": "x", "schema": "Company", "properties": NaN}\n'
    path = _package(tmp_path, broken, _entities() + 1)
    before = db_state(db)
    result = import_dataset(db, path)
    assert result.status == REJECTED
    assert any(p.member == "lists/china.ftm.json" for p in result.problems)
    assert db_state(db) == before


def test_ftm_file_is_handed_to_the_reference_list_importer(db):
    result = import_dataset(db, FTM)
    assert result.format == "ftm-jsonl"
    assert result.status == COMMITTED, result.problems.format()
    assert result.reference_results and result.reference_results[0].total == _entities()


def test_gzip_bomb_inside_a_package_is_counted_in_chunks(db, tmp_path):
    import gzip

    from chinadialog_desktop.interchange.limits import Limits
    from chinadialog_desktop.services.datasets.importing import ImportOptions

    bomb = gzip.compress(b"x" * (8 * 1024 * 1024))  # one endless line
    path = _package(tmp_path, bomb, 1)
    before = db_state(db)
    result = import_dataset(db, path, ImportOptions(limits=Limits(max_file_bytes=4 * 1024 * 1024)))
    assert result.status == REJECTED
    assert any(p.code == "zip.bomb" and p.member == "lists/china.ftm.json" for p in result.problems)
    assert db_state(db) == before
