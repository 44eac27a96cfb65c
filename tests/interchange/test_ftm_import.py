"""Importing FtM files as reference lists: all or nothing, versions, cancel, no-op re-imports."""

from __future__ import annotations

import gzip
import hashlib
import json
import os
import sqlite3
from datetime import date
from pathlib import Path

import pytest
from sqlalchemy import func, select

from chinadialog_desktop.errors import NotFound, UserError
from chinadialog_desktop.persistence.backup import list_backups
from chinadialog_desktop.persistence.database import Database
from chinadialog_desktop.persistence.models_reference import ReferenceEntity, ReferenceList
from chinadialog_desktop.persistence.models_system import ImportRun
from chinadialog_desktop.services.screening.reference_lists import (
    delete_reference_list,
    import_reference_list,
    list_reference_lists,
)

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "ftm"
V1 = FIXTURES / "china_v1.ftm.json"
V2 = FIXTURES / "china_v2.ftm.json"
HOSTILE = sorted((FIXTURES / "hostile").iterdir())


def fingerprint(path: Path) -> tuple[str, str, dict[str, list[tuple[object, ...]]]]:
    """File hash, integrity check and every table's rows; call with all connections closed."""
    assert not Path(f"{path}-wal").exists() or Path(f"{path}-wal").stat().st_size == 0
    file_hash = hashlib.sha256(path.read_bytes()).hexdigest()
    con = sqlite3.connect(path)
    try:
        tables = [
            r[0]
            for r in con.execute("SELECT name FROM sqlite_master WHERE type='table' ORDER BY name")
        ]
        rows = {t: sorted(con.execute(f'SELECT * FROM "{t}"').fetchall(), key=repr) for t in tables}
        integrity = con.execute("PRAGMA integrity_check").fetchone()[0]
    finally:
        con.close()
    return file_hash, integrity, rows


def run_import(path: Path, file: Path, **kwargs):  # type: ignore[no-untyped-def]
    db = Database.open(path)
    try:
        return import_reference_list(db, file, **kwargs)
    finally:
        db.close()


@pytest.fixture
def seeded(tmp_path: Path) -> Path:
    """A database file holding version 1 of the test list; closed."""
    path = tmp_path / "seeded.sqlite3"
    result = run_import(path, V1)
    assert result.status == "committed", result.problems.format()
    return path


def entity_rows(path: Path) -> dict[str, tuple[object, ...]]:
    con = sqlite3.connect(path)
    try:
        return {
            r[0]: r[1:]
            for r in con.execute(
                "SELECT entity_key, id, uuid, version, modified_at, content_hash, properties "
                "FROM reference_entity"
            )
        }
    finally:
        con.close()


def test_round_trip_of_a_good_file(db: Database):
    result = import_reference_list(db, V1)
    assert result.status == "committed"
    assert result.counts == {"total": 7, "new": 7, "updated": 0, "unchanged": 0, "removed": 0}
    assert result.list_key == "test_china_controls"  # from the entities' datasets
    assert result.list_date == date(2025, 9, 15)  # the latest last_change
    assert result.category == "designation"
    given = {
        e["id"]: e for e in (json.loads(x) for x in V1.read_text(encoding="utf-8").splitlines())
    }
    with db.session() as s:
        ref = s.scalar(select(ReferenceList))
        assert ref is not None
        assert (ref.name, ref.entity_count, ref.file_name) == ("test_china_controls", 7, V1.name)
        assert ref.file_sha256 == hashlib.sha256(V1.read_bytes()).hexdigest()
        stored = {e.entity_key: e for e in s.scalars(select(ReferenceEntity))}
        assert set(stored) == set(given)
        for key, entity in stored.items():
            assert entity.properties == given[key]["properties"]
            assert entity.schema == given[key]["schema"]
            assert entity.caption == given[key]["caption"]
            assert entity.last_change == given[key]["last_change"]
            assert len(entity.uuid) == 36 and entity.uuid[14] == "4"
        hit = stored["cn-hit"]
        assert hit.names[:2] == ["哈尔滨工业大学", "Harbin Institute of Technology"]
        assert "哈工大" in hit.names
        assert hit.topics == ["export.control"]
        assert stored["cn-hikvision"].identifiers == {"uscCode": ["91330000733796106P"]}
        assert stored["cn-nudt"].weak_aliases == ["Guofang Keji Daxue"]
        assert stored["cn-cetc"].properties["notes"] == ["NULL"]  # "NULL" stays a string
        assert "DROP TABLE actor" in stored["cn-person-zhang"].properties["notes"][0]
        run = s.scalar(select(ImportRun))
        assert run is not None and run.id == result.import_run_id
        assert (run.status, run.format, run.file_name) == ("committed", "ftm-jsonl", V1.name)
        assert run.sha256 == result.sha256
        assert run.counts["new"] == 7 and run.user
        assert run.finished_at is not None
    assert result.backup_path is not None and result.backup_path.exists()


def test_gzip_file_imports_the_same_entities(tmp_path: Path):
    packed = tmp_path / "china_v1.ftm.json.gz"
    packed.write_bytes(gzip.compress(V1.read_bytes()))
    a, b = tmp_path / "a.sqlite3", tmp_path / "b.sqlite3"
    assert run_import(a, V1).status == "committed"
    assert run_import(b, packed).status == "committed"
    strip = lambda rows: {k: (v[4], v[5]) for k, v in rows.items()}  # noqa: E731
    assert strip(entity_rows(a)) == strip(entity_rows(b))


def test_dry_run_counts_and_writes_nothing(seeded: Path):
    before = fingerprint(seeded)
    backups = len(list_backups(seeded))
    result = run_import(seeded, V2, dry_run=True)
    assert result.status == "dry-run"
    assert result.counts == {"total": 7, "new": 1, "updated": 2, "unchanged": 4, "removed": 1}
    assert result.new_keys == ["cn-nwpu"]
    assert fingerprint(seeded) == before
    assert len(list_backups(seeded)) == backups


def test_reimporting_the_same_file_changes_nothing(seeded: Path):
    con = sqlite3.connect(seeded)
    list_before = con.execute("SELECT * FROM reference_list").fetchall()
    con.close()
    entities_before = entity_rows(seeded)
    result = run_import(seeded, V1)
    assert result.status == "committed"
    assert result.counts == {"total": 7, "new": 0, "updated": 0, "unchanged": 7, "removed": 0}
    assert result.changed_keys == [] and result.removed_keys == []
    assert entity_rows(seeded) == entities_before
    con = sqlite3.connect(seeded)
    assert con.execute("SELECT * FROM reference_list").fetchall() == list_before
    assert con.execute("SELECT count(*) FROM import_run").fetchone()[0] == 2  # the run is recorded
    con.close()


def test_new_version_updates_in_place_keeps_unchanged_and_removes_vanished(seeded: Path):
    before = entity_rows(seeded)
    result = run_import(seeded, V2)
    assert result.status == "committed"
    assert result.counts == {"total": 7, "new": 1, "updated": 2, "unchanged": 4, "removed": 1}
    assert result.new_keys == ["cn-nwpu"]
    assert sorted(result.updated_keys) == ["cn-hikvision", "cn-sanction-zhang"]
    assert result.removed_keys == ["cn-person-zhang"]
    assert sorted(result.changed_keys) == ["cn-hikvision", "cn-nwpu", "cn-sanction-zhang"]
    after = entity_rows(seeded)
    assert set(after) == set(before) - {"cn-person-zhang"} | {"cn-nwpu"}
    for key in ("cn-hit", "cn-nudt", "cn-own-hik", "cn-cetc"):  # only last_seen moved
        assert after[key] == before[key]
    for key in ("cn-hikvision", "cn-sanction-zhang"):
        old_id, old_uuid, old_version, _m, old_hash, _p = before[key]
        new_id, new_uuid, new_version, _m2, new_hash, props = after[key]
        assert (new_id, new_uuid) == (old_id, old_uuid)  # updated in place
        assert new_version == old_version + 1 and new_hash != old_hash
    assert "HIKVISION" in json.loads(after["cn-hikvision"][5])["alias"]
    con = sqlite3.connect(seeded)
    ref = con.execute("SELECT entity_count, list_date, file_name FROM reference_list").fetchone()
    con.close()
    assert ref == (7, "2026-11-20", V2.name)


@pytest.mark.parametrize("hostile", HOSTILE, ids=lambda p: p.name)
def test_hostile_file_is_rejected_and_nothing_is_written(seeded: Path, hostile: Path):
    before = fingerprint(seeded)
    backups = len(list_backups(seeded))
    result = run_import(seeded, hostile)
    assert result.status == "rejected"
    assert not result.ok
    errors = result.problems.errors()
    assert errors and all(p.file == hostile.name and p.line == 3 for p in errors)
    assert fingerprint(seeded) == before
    assert before[1] == "ok"
    assert len(list_backups(seeded)) == backups  # rejected before any backup or write


def test_gzip_bomb_is_rejected_and_nothing_is_written(seeded: Path, tmp_path: Path):
    bomb = tmp_path / "bomb.ftm.json.gz"
    with gzip.open(bomb, "wb") as f:
        f.write(b'{"id": "a", "schema": "Company", "properties": {}}\n')
        f.write(b" " * 50_000_000)
    before = fingerprint(seeded)
    result = run_import(seeded, bomb)
    assert result.status == "rejected"
    assert {p.code for p in result.problems.errors()} & {"gzip.ratio", "gzip.too_large"}
    assert fingerprint(seeded) == before


def test_empty_and_missing_files_are_rejected(tmp_path: Path, db: Database):
    empty = tmp_path / "empty.jsonl"
    empty.write_text("\n\n")
    result = import_reference_list(db, empty)
    assert result.status == "rejected" and result.problems.errors()[0].code == "ftm.empty"
    result = import_reference_list(db, tmp_path / "nope.jsonl")
    assert result.status == "rejected" and result.problems.has_errors
    with db.session() as s:
        assert s.scalar(select(func.count()).select_from(ReferenceList)) == 0


def test_cancel_at_any_point_leaves_the_database_as_it_was(seeded: Path):
    before = fingerprint(seeded)
    for allowed in range(50):
        calls = {"n": 0}

        def cancel(calls=calls, allowed=allowed) -> bool:
            calls["n"] += 1
            return calls["n"] > allowed

        result = run_import(seeded, V2, cancel=cancel)
        if result.status == "committed":
            break
        assert result.status == "cancelled"
        assert result.import_run_id is None
        assert fingerprint(seeded) == before, f"cancelled after {allowed} checks"
    else:
        pytest.fail("the import never completed")
    assert allowed >= 5  # cancel points while reading, adding, updating, removing, recording
    assert fingerprint(seeded) != before


def test_progress_is_reported_for_reading_and_writing(db: Database):
    seen: list[tuple[int, int, str]] = []
    result = import_reference_list(db, V1, progress=lambda d, t, m: seen.append((d, t, m)))
    assert result.status == "committed"
    assert any(t == V1.stat().st_size and d == t for d, t, _m in seen)  # the whole file read
    assert (7, 7) in [(d, t) for d, t, _m in seen]  # all seven entities written


def test_arguments_override_derived_metadata(db: Database):
    result = import_reference_list(
        db,
        V1,
        list_key="bis-entity-list",
        name="BIS Entity List (Test)",
        source="https://www.bis.gov",
        list_date=date(2026, 1, 31),
        category="assessment",
    )
    assert result.status == "committed"
    with db.session() as s:
        rows = list_reference_lists(s)
    assert [(r.list_key, r.name, r.source, r.list_date, r.category) for r in rows] == [
        (
            "bis-entity-list",
            "BIS Entity List (Test)",
            "https://www.bis.gov",
            date(2026, 1, 31),
            "assessment",
        )
    ]
    with pytest.raises(UserError):
        import_reference_list(db, V1, category="gossip")


def test_two_lists_may_share_entity_ids(db: Database):
    assert import_reference_list(db, V1, list_key="a").status == "committed"
    assert import_reference_list(db, V1, list_key="b").status == "committed"
    with db.session() as s:
        assert s.scalar(select(func.count()).select_from(ReferenceEntity)) == 14
        assert [r.list_key for r in list_reference_lists(s)] == ["a", "b"]


def test_import_inside_a_callers_session(db: Database):
    with db.session() as s:
        result = import_reference_list(s, V1)
        assert result.status == "committed"
    with db.session() as s:
        assert s.scalar(select(func.count()).select_from(ReferenceEntity)) == 7
    with db.session() as s:
        result = import_reference_list(s, V2, cancel=lambda: everything_written(s))
        assert result.status == "cancelled"
        keys = set(s.scalars(select(ReferenceEntity.entity_key)))  # rolled back to the savepoint
        assert "cn-nwpu" not in keys and "cn-person-zhang" in keys
        assert s.scalar(select(func.count()).select_from(ImportRun)) == 1
    with db.session() as s:
        keys = set(s.scalars(select(ReferenceEntity.entity_key)))
        assert "cn-nwpu" not in keys and "cn-person-zhang" in keys


def everything_written(session) -> bool:  # type: ignore[no-untyped-def]
    """Cancel at the very last moment: the second import's run is already flushed."""
    return session.scalar(select(func.count()).select_from(ImportRun)) == 2


def test_delete_reference_list(seeded: Path):
    db = Database.open(seeded)
    try:
        assert delete_reference_list(db, "test_china_controls") == 7
        with db.session() as s:
            assert s.scalar(select(func.count()).select_from(ReferenceEntity)) == 0
            assert list_reference_lists(s) == []
        with pytest.raises(NotFound):
            delete_reference_list(db, "test_china_controls")
    finally:
        db.close()
    assert any(b.reason == "delete" for b in list_backups(seeded))


def test_unreadable_file_is_a_problem_not_a_crash(tmp_path: Path, db: Database):
    folder = tmp_path / "folder.ftm.json"
    folder.mkdir()
    result = import_reference_list(db, folder)
    assert result.status == "rejected" and result.problems.has_errors
    if os.geteuid() != 0:  # root reads files without permission
        locked = tmp_path / "locked.ftm.json"
        locked.write_bytes(V1.read_bytes())
        locked.chmod(0)
        result = import_reference_list(db, locked)
        assert result.status == "rejected"
        assert result.problems.errors()[0].code == "file.unreadable"


def test_display_name_and_no_backup_for_package_members(db: Database):
    result = import_reference_list(db, V1, display_name="paket.zip/entities.ftm.json", backup=False)
    assert result.status == "committed" and result.backup_path is None
    assert list_backups(db.path) == []
    with db.session() as s:
        run = s.scalar(select(ImportRun))
        assert run is not None and run.file_name == "paket.zip/entities.ftm.json"
    bad = import_reference_list(
        db, FIXTURES / "hostile" / "nan.jsonl", display_name="paket.zip/nan.jsonl"
    )
    assert bad.problems.errors()[0].file == "paket.zip/nan.jsonl"
