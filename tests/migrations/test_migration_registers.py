"""Migration 0011: the four register tables appear, keep what is written, and go again."""

from __future__ import annotations

from alembic import command
from sqlalchemy import create_engine, text

from chinadialog_desktop.persistence import migrate
from chinadialog_desktop.persistence.database import Database
from chinadialog_desktop.persistence.engine import make_engine, sqlite_url
from chinadialog_desktop.services.records import edit as records
from chinadialog_desktop.services.records import registers

TABLES = {"visit", "gift", "counterpart", "incident"}


def _upgrade_to(path, target: str) -> None:
    engine = make_engine(sqlite_url(path), foreign_keys=False)
    with engine.begin() as conn:
        migrate.upgrade(conn, target)
    engine.dispose()


def _tables(path) -> set[str]:
    engine = create_engine(sqlite_url(path))
    with engine.connect() as conn:
        names = {r[0] for r in conn.execute(text("SELECT name FROM sqlite_master"))}
    engine.dispose()
    return names


def test_a_file_of_0010_is_upgraded_with_its_partnerships_and_gets_empty_registers(tmp_path):
    path = tmp_path / "alt #ä 登记.sqlite3"
    _upgrade_to(path, "0010_import_fingerprints")
    assert not TABLES & _tables(path)
    engine = create_engine(sqlite_url(path))
    with engine.begin() as conn:
        conn.execute(
            text(
                "INSERT INTO partnership (uuid, created_at, modified_at, version, title, type, "
                "status, start_precision, end_precision, fields_of_action) VALUES "
                "('6f1c0c52-8f57-4a56-9d1b-6a8f0f2b2a11', '2026-01-01', '2026-01-01', 1, "
                "'Alt–Partnerschaft (Beispiel)', 'twin_city', 'active', 'day', 'day', '[]')"
            )
        )
    engine.dispose()

    db = Database.open(path)  # backs the file up and upgrades it to the head
    try:
        assert db.opened.migrated_from == "0010_import_fingerprints"
        with db.session() as s:
            gift = registers.register_of("gift")
            assert registers.entries(s, gift) == []
            records.create(
                s,
                "gift",
                {"partnership_id": 1, "date": "2026-02-19", "title": "Tee (Beispiel)"},
            )
        with db.session() as s:
            (row,) = registers.entries(s, gift)
            assert (row["partnership"], row["decision"], row["direction"]) == (
                "Alt–Partnerschaft (Beispiel)",
                "pending",
                "received",
            )
    finally:
        db.close()


def test_downgrade_to_0010_drops_the_registers_and_upgrade_brings_them_back(tmp_path):
    path = tmp_path / "m.sqlite3"
    _upgrade_to(path, "head")
    assert _tables(path) >= TABLES
    cfg = migrate.alembic_config(sqlite_url(path))
    command.downgrade(cfg, "0010_import_fingerprints")
    assert not TABLES & _tables(path)
    assert "partnership" in _tables(path)
    command.upgrade(cfg, "head")
    assert _tables(path) >= TABLES
    command.check(cfg)
