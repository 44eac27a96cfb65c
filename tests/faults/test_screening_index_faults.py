"""The stored screening index under kill -9 and across the upgrade to 0008 (issue 13,
point 5): never half an index; a list imported before the index gets one on first use."""

from __future__ import annotations

import sqlite3
from pathlib import Path

from chinadialog_desktop.persistence import lifecycle
from chinadialog_desktop.persistence.database import Database
from chinadialog_desktop.persistence.models_core import Actor
from chinadialog_desktop.persistence.schema import HEAD_REVISION
from chinadialog_desktop.services.screening import runs as screening
from tests.faults.faultkit import cli, integrity, revision_of, was_killed
from tests.helpers.screening_lists import dump_index, load_eval, subject_of, write_ftm

TABLES = ("screening_index", "screening_key", "screening_near", "screening_entity")
EVAL = load_eval()
ENTITIES = EVAL["entities"][:300]


def _rows(db: Path) -> dict[str, int]:
    conn = lifecycle.connect(db)
    try:
        names = (*TABLES, "reference_list", "reference_entity")
        return {t: conn.execute(f"SELECT count(*) FROM {t}").fetchone()[0] for t in names}
    finally:
        conn.close()


def _db_with_actor(path: Path) -> None:
    database = Database.open(path)
    with database.session() as s:
        s.add(Actor(name_de="Jiyuan Municipal Public Security Bureau", kind="authority"))
    database.close()


def _same_as_memory(path: Path) -> None:
    database = Database.open(path)
    try:
        with database.session() as s:
            stored, memory = screening.build_index(s), screening.build_memory_index(s)
            for q in EVAL["queries"][::80]:
                subject = subject_of(q)
                ours = [(m.entity.entity_key, m.score) for m in stored.screen(subject, 0.6)]
                assert ours == [(m.entity.entity_key, m.score) for m in memory.screen(subject, 0.6)]
    finally:
        database.close()


def test_kill_while_the_import_builds_the_index_leaves_no_list_and_no_index(tmp_path):
    db = tmp_path / "Abgleich #1.sqlite3"
    _db_with_actor(db)
    ftm = write_ftm(tmp_path / "liste.ftm.json", ENTITIES, "kill_test")
    result = cli(db, "reflist", "import", str(ftm), fault="screening-index-chunk:1")
    assert was_killed(result), (result.returncode, result.stdout, result.stderr)
    assert integrity(db) == "ok"
    assert _rows(db) == dict.fromkeys((*TABLES, "reference_list", "reference_entity"), 0)
    again = cli(db, "reflist", "import", str(ftm))
    assert again.returncode == 0, again.stderr
    rows = _rows(db)
    assert rows["screening_index"] == 1 and rows["screening_entity"] == len(ENTITIES)
    _same_as_memory(db)


def test_upgrade_to_0009_then_the_first_screening_builds_the_index_kill_safe(tmp_path):
    db = tmp_path / "alt.sqlite3"
    _db_with_actor(db)
    ftm = write_ftm(tmp_path / "liste.ftm.json", ENTITIES, "old_list")
    assert cli(db, "reflist", "import", str(ftm), "--no-screen").returncode == 0
    # As a file of the version before: no index tables, schema 0008.
    conn = sqlite3.connect(db)
    for table in reversed(TABLES):
        conn.execute(f"DROP TABLE {table}")
    conn.execute("DROP INDEX ix_reference_entity_list_changed")
    conn.execute("DROP TABLE import_fingerprint")  # what 0010 adds after the index
    for register in ("visit", "gift", "counterpart", "incident"):  # what 0011 adds
        conn.execute(f"DROP TABLE {register}")
    conn.execute("ALTER TABLE assessment DROP COLUMN classification")  # what 0013 adds
    for table in ("copy_base", "copy_origin"):  # what 0014 adds
        conn.execute(f"DROP TABLE {table}")
    conn.execute("ALTER TABLE partnership DROP COLUMN file_reference")  # what 0012 adds
    conn.execute("UPDATE alembic_version SET version_num = '0008_financial_effects'")
    conn.commit()
    conn.close()
    upgraded = cli(db, "db", "upgrade")
    assert upgraded.returncode == 0, upgraded.stderr
    assert revision_of(db) == HEAD_REVISION
    assert _rows(db)["screening_index"] == 0 and _rows(db)["reference_entity"] == len(ENTITIES)
    # Killed while screening builds the index: the list stays, no half index.
    killed = cli(db, "screen", fault="screening-index-chunk:1")
    assert was_killed(killed), (killed.returncode, killed.stdout, killed.stderr)
    assert integrity(db) == "ok"
    rows = _rows(db)
    assert rows["reference_entity"] == len(ENTITIES)
    assert {t: rows[t] for t in TABLES} == dict.fromkeys(TABLES, 0)
    done = cli(db, "screen")
    assert done.returncode == 0, done.stderr
    assert _rows(db)["screening_entity"] == len(ENTITIES)
    _same_as_memory(db)


def _entity_rows(db: Path) -> list[tuple[str, str]]:
    conn = lifecycle.connect(db)
    try:
        return conn.execute(
            "SELECT entity_key, content_hash FROM reference_entity ORDER BY entity_key"
        ).fetchall()
    finally:
        conn.close()


def test_kill_while_a_new_version_updates_the_index_keeps_the_old_version(tmp_path):
    """A monthly update (a few entities changed) patches the index in the import's
    transaction: killed in between, the old version and its index stay as they were."""
    db = tmp_path / "Abgleich %1 ü.sqlite3"
    _db_with_actor(db)
    v1 = write_ftm(tmp_path / "v1.ftm.json", ENTITIES, "monthly")
    assert cli(db, "reflist", "import", str(v1)).returncode == 0
    changed = [dict(e, names=[*e["names"], e["names"][0] + " Holding"]) for e in ENTITIES[:10]]
    v2 = write_ftm(
        tmp_path / "v2.ftm.json",
        [*changed, *ENTITIES[10:290], *EVAL["entities"][300:310]],
        "monthly",
    )
    index, entities = dump_index(db), _entity_rows(db)
    killed = cli(db, "reflist", "import", str(v2), fault="screening-index-chunk:1")
    assert was_killed(killed), (killed.returncode, killed.stdout, killed.stderr)
    assert integrity(db) == "ok"
    assert dump_index(db) == index and _entity_rows(db) == entities
    again = cli(db, "reflist", "import", str(v2))
    assert again.returncode == 0, again.stderr
    assert "10 neu, 10 aktualisiert, 280 unverändert, 10 entfernt" in again.stdout
    assert _rows(db)["screening_entity"] == len(ENTITIES)
    _same_as_memory(db)
