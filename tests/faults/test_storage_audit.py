"""Issue 11, point 13: the audit trail names the real account, is hash-chained, and
``db verify`` says where it breaks; a reference-list import is one event per run."""

from __future__ import annotations

import hashlib
import json
import os
import sqlite3
from pathlib import Path

import pytest
from storage_support import ROOT, run_cli

FTM = ROOT / "tests" / "fixtures" / "ftm"


def os_account() -> str:
    import pwd

    return pwd.getpwuid(os.geteuid()).pw_name


def audit_rows(db: Path) -> list[tuple]:  # type: ignore[type-arg]
    conn = sqlite3.connect(db)
    try:
        return conn.execute(
            "SELECT id, user, action, table_name, new_value, chain_hash "
            "FROM audit_event ORDER BY id"
        ).fetchall()
    finally:
        conn.close()


@pytest.mark.skipif(os.name != "posix", reason="POSIX account database")
def test_user_is_the_os_account_not_the_environment(tmp_path: Path) -> None:
    db = tmp_path / "wer.sqlite3"
    forged = {"USER": "gefaelscht", "LOGNAME": "gefaelscht", "USERNAME": "gefaelscht"}
    out = run_cli(db, "demo", "load", env=forged)
    assert out.returncode == 0, out.stderr
    users = {row[1] for row in audit_rows(db)}
    assert users == {os_account()}


def test_verify_says_where_the_chain_breaks(tmp_path: Path) -> None:
    db = tmp_path / "kette.sqlite3"
    assert run_cli(db, "demo", "load").returncode == 0
    intact = run_cli(db, "db", "verify")
    assert intact.returncode == 0, intact.stderr
    rows = audit_rows(db)
    assert len(rows) > 20 and all(row[5] for row in rows)
    assert f"{len(rows)} Einträge" in intact.stdout

    conn = sqlite3.connect(db)  # another tool changes the trail behind the app's back
    conn.execute("UPDATE audit_event SET new_value = 'manipuliert' WHERE id = 5")
    conn.execute("DELETE FROM audit_event WHERE id = 12")
    conn.execute(
        "INSERT INTO audit_event (at, user, action, table_name, record_uuid) "
        "VALUES ('2026-12-07 09:00:00.000000', 'x', 'update', 'actor', 'u')"
    )
    conn.commit()
    conn.close()

    broken = run_cli(db, "db", "verify")
    assert broken.returncode == 1
    assert "bricht bei Eintrag 5 " in broken.stderr

    def events(out: str) -> list[str]:
        return [line.split(" ")[1] for line in out.splitlines() if line.startswith("Eintrag ")]

    listed = events(broken.stdout)
    assert listed == ["5", "13", str(len(rows) + 1)]

    # The app goes on writing: its new events are chained, the old breaks stay visible.
    assert run_cli(db, "checklist", "install-bundled").returncode == 0
    again = run_cli(db, "db", "verify")
    assert events(again.stdout) == listed


def test_reference_list_import_is_one_event_per_run(tmp_path: Path) -> None:
    db = tmp_path / "listen.sqlite3"
    for name in ("china_v1.ftm.json", "china_v2.ftm.json"):
        out = run_cli(db, "reflist", "import", str(FTM / name))
        assert out.returncode == 0, out.stderr
    conn = sqlite3.connect(db)
    entities = conn.execute("SELECT count(*) FROM reference_entity").fetchone()[0]
    conn.close()
    assert entities > 2
    rows = audit_rows(db)
    runs = [json.loads(row[4]) for row in rows if row[2] == "import"]
    assert [r["file_name"] for r in runs] == ["china_v1.ftm.json", "china_v2.ftm.json"]
    assert runs[0]["sha256"] == hashlib.sha256((FTM / "china_v1.ftm.json").read_bytes()).hexdigest()
    assert runs[0]["new"] == 7 and runs[1]["total"] == 7
    assert not any(row[3] == "reference_entity" for row in rows)  # no event per entity
    assert run_cli(db, "db", "verify").returncode == 0


def test_upgrade_seals_the_events_already_in_the_file(tmp_path: Path) -> None:
    from chinadialog_desktop.persistence import migrate
    from chinadialog_desktop.persistence.database import Database
    from chinadialog_desktop.persistence.engine import make_engine

    db = tmp_path / "alt.sqlite3"
    engine = make_engine(db, foreign_keys=False)
    with engine.begin() as conn:
        migrate.upgrade(conn, "0003_reference_lists")
        conn.exec_driver_sql(
            "INSERT INTO audit_event (at, user, action, table_name, record_uuid, new_value) "
            "VALUES ('2026-01-02 03:04:05.000000', 'alt', 'insert', 'actor', 'a', '{}'), "
            "('2026-01-02 03:04:06.000000', 'alt', 'update', 'actor', 'a', 'x')"
        )
    engine.dispose()
    Database.open(db).close()  # backs up and upgrades
    rows = audit_rows(db)
    assert [row[0] for row in rows] == [1, 2] and all(row[5] for row in rows)
    out = run_cli(db, "db", "verify")
    assert out.returncode == 0, out.stdout + out.stderr


def test_verify_finds_records_changed_with_another_tool(tmp_path: Path) -> None:
    db = tmp_path / "daten.sqlite3"
    assert run_cli(db, "demo", "load").returncode == 0
    edited = run_cli(db, "import", str(ROOT / "tests/fixtures/datasets/good_actors.json"))
    assert edited.returncode == 0, edited.stderr
    assert run_cli(db, "db", "verify").returncode == 0  # the app's own writes all match

    conn = sqlite3.connect(db)
    uuid = conn.execute("SELECT uuid FROM actor ORDER BY id LIMIT 1").fetchone()[0]
    conn.execute("UPDATE actor SET name_de = 'Geändert (Beispiel)' WHERE uuid = ?", (uuid,))
    conn.execute(
        "INSERT INTO source (uuid, title, created_at, modified_at, version) "
        "VALUES ('00000000-0000-4000-8000-000000000001', 'Untergeschoben (Beispiel)', "
        "'2026-12-07 09:00:00', '2026-12-07 09:00:00', 1)"
    )
    conn.commit()
    conn.close()

    out = run_cli(db, "db", "verify")
    assert out.returncode == 1
    assert "außerhalb der App geändert" in out.stderr
    assert f"Akteure {uuid}: Feld „name_de“ weicht vom Änderungsprotokoll ab" in out.stdout
    assert "00000000-0000-4000-8000-000000000001: nicht im Änderungsprotokoll" in out.stdout
    assert len(out.stdout.splitlines()) == 2
