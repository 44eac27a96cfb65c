"""Migrations: empty → head, models match, upgrades keep data, refusals change nothing."""

from __future__ import annotations

import hashlib
import sqlite3
from pathlib import Path

import pytest
from alembic import command
from sqlalchemy import create_engine, text

from chinadialog_desktop.errors import DatabaseNewer, DatabaseRefused, MigrationFailed
from chinadialog_desktop.persistence import backup, lifecycle, migrate
from chinadialog_desktop.persistence.database import Database
from chinadialog_desktop.persistence.engine import make_engine, sqlite_url
from chinadialog_desktop.persistence.schema import HEAD_REVISION, KNOWN_REVISIONS


def _digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def _upgrade_to(path: Path, target: str) -> None:
    engine = make_engine(sqlite_url(path), foreign_keys=False)
    with engine.begin() as conn:
        migrate.upgrade(conn, target)
    engine.dispose()


def test_known_revisions_match_the_migration_scripts():
    assert list(KNOWN_REVISIONS) == migrate.script_revisions()
    assert migrate.script_heads() == [HEAD_REVISION]


def test_empty_to_head_and_models_match_migrations(tmp_path):
    path = tmp_path / "m.sqlite3"
    _upgrade_to(path, "head")
    cfg = migrate.alembic_config(sqlite_url(path))
    command.check(cfg)  # raises when the models drifted from the migrations


def test_created_schema_equals_migrated_schema(tmp_path):
    """A new file is made with create_all + stamp; it must equal the migrated one."""
    created, migrated = tmp_path / "c.sqlite3", tmp_path / "m.sqlite3"
    lifecycle.create_schema(created)
    _upgrade_to(migrated, "head")

    def columns(path):
        conn = sqlite3.connect(path)
        tables = [
            r[0]
            for r in conn.execute("SELECT name FROM sqlite_master WHERE type='table' ORDER BY name")
        ]
        out = {
            t: sorted((r[1], r[2], r[3]) for r in conn.execute(f'PRAGMA table_info("{t}")'))
            for t in tables
        }
        out["__fks__"] = sorted(
            (t, r[2], r[3], r[4], r[6])
            for t in tables
            for r in conn.execute(f'PRAGMA foreign_key_list("{t}")')
        )
        conn.close()
        return out

    assert columns(created) == columns(migrated)
    cfg = migrate.alembic_config(sqlite_url(created))
    command.check(cfg)


def test_older_database_is_backed_up_and_upgraded_with_data_intact(tmp_path):
    path = tmp_path / "old.sqlite3"
    _upgrade_to(path, KNOWN_REVISIONS[0])
    engine = create_engine(sqlite_url(path))
    with engine.begin() as conn:
        conn.execute(
            text(
                "INSERT INTO dossier (id, uuid, created_at, modified_at, version, title, audience, "
                "classification, status) VALUES (1, 'd-1', '2024-01-01', '2024-01-01', 1, "
                "'Sachstand Zhuhai 珠海', 'council', 'open', 'draft')"
            )
        )
        conn.execute(
            text(
                "INSERT INTO dossier_section (id, uuid, created_at, modified_at, version, "
                "dossier_id, key, position, body, internal) VALUES "
                "(1, 's-1', '2024-01-01', '2024-01-01', 1, 1, 'summary', 0, 'Grüße', 0)"
            )
        )
    engine.dispose()
    assert lifecycle.inspect_file(path).state is lifecycle.FileState.OLDER

    db = Database.open(path)
    try:
        assert db.opened.migrated_from == KNOWN_REVISIONS[0]
        assert db.opened.backup is not None and db.opened.backup.exists()
        with db.engine.connect() as conn:
            row = conn.execute(text("SELECT title, document_kind, is_public FROM dossier")).one()
            assert row == ("Sachstand Zhuhai 珠海", "information", 1)
            assert conn.execute(text("SELECT body FROM dossier_section")).scalar() == "Grüße"
    finally:
        db.close()
    assert lifecycle.inspect_file(path).state is lifecycle.FileState.CURRENT
    # The backup holds the old schema and the old data.
    old = lifecycle.inspect_file(db.opened.backup)
    assert old.revision == KNOWN_REVISIONS[0]
    assert backup.list_backups(path)[0].reason == "upgrade"


def test_failed_migration_restores_the_original(tmp_path, monkeypatch):
    path = tmp_path / "old.sqlite3"
    _upgrade_to(path, KNOWN_REVISIONS[0])

    def broken(conn, target="head", on_step=None):
        conn.exec_driver_sql("DROP TABLE dossier_section")
        raise RuntimeError("migration step failed")

    monkeypatch.setattr(migrate, "upgrade", broken)
    with pytest.raises(MigrationFailed, match="migration step failed"):
        Database.open(path)
    assert lifecycle.inspect_file(path).revision == KNOWN_REVISIONS[0]
    conn = sqlite3.connect(path)
    tables = {r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type='table'")}
    conn.close()
    assert "dossier_section" in tables  # the dropped table is back
    assert list(tmp_path.glob("backups/*-upgrade.sqlite3"))


def test_newer_database_is_refused_and_left_untouched(tmp_path):
    path = tmp_path / "new.sqlite3"
    Database.open(path).close()
    conn = sqlite3.connect(path)
    conn.execute("UPDATE alembic_version SET version_num = '9999_from_the_future'")
    conn.commit()
    conn.close()
    before = _digest(path)
    with pytest.raises(DatabaseNewer, match="newer version"):
        Database.open(path)
    assert _digest(path) == before
    assert not (tmp_path / "backups").exists()


@pytest.mark.parametrize(
    "content",
    [
        b"Dies ist kein Datenbankinhalt, sondern Text.\n" * 10,
        b"SQLite format 3\x00" + b"\xff" * 4000,
    ],
    ids=["text-file", "damaged-sqlite"],
)
def test_corrupt_or_foreign_file_is_refused_and_never_overwritten(tmp_path, content):
    path = tmp_path / "kaputt.sqlite3"
    path.write_bytes(content)
    with pytest.raises(DatabaseRefused):
        Database.open(path)
    assert path.read_bytes() == content


def test_sqlite_file_of_another_program_is_refused(tmp_path):
    path = tmp_path / "other.sqlite3"
    conn = sqlite3.connect(path)
    conn.execute("CREATE TABLE notes (x)")
    conn.commit()
    conn.close()
    before = _digest(path)
    with pytest.raises(DatabaseRefused, match="another program"):
        Database.open(path)
    assert _digest(path) == before


def test_backups_rotate(tmp_path):
    path = tmp_path / "r.sqlite3"
    Database.open(path).close()
    for _ in range(5):
        backup.make_backup(path, keep=3)
    found = backup.list_backups(path)
    assert len(found) == 3
    assert all(lifecycle.inspect_file(b.path).revision == HEAD_REVISION for b in found)


def test_restore_backs_up_the_current_state_first(tmp_path):
    path = tmp_path / "live.sqlite3"
    db = Database.open(path)
    with db.engine.begin() as conn:
        conn.execute(
            text(
                "INSERT INTO source (uuid, created_at, modified_at, version, title) "
                "VALUES ('s1', '2024-01-01', '2024-01-01', 1, 'vorher')"
            )
        )
    db.close()
    saved = backup.make_backup(path, reason="manual")
    db = Database.open(path)
    with db.engine.begin() as conn:
        conn.execute(text("UPDATE source SET title = 'nachher'"))
    db.close()
    pre_restore = lifecycle.restore(saved, path)
    conn = sqlite3.connect(path)
    assert conn.execute("SELECT title FROM source").fetchone() == ("vorher",)
    conn.close()
    conn = sqlite3.connect(pre_restore)
    assert conn.execute("SELECT title FROM source").fetchone() == ("nachher",)
    conn.close()


def test_alembic_check_passes_on_a_file_the_app_has_opened(tmp_path):
    """The search index lives outside the migrations; autogenerate must ignore it."""
    path = tmp_path / "opened.sqlite3"
    Database.open(path).close()
    conn = sqlite3.connect(path)
    names = {r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type='table'")}
    conn.close()
    assert any(n.startswith("search_") for n in names)
    command.check(migrate.alembic_config(sqlite_url(path)))
