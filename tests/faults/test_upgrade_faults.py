"""Issue 11, point 1: an upgrade cut off at any point leaves a file that opens.

A real child process runs ``chinadialog db upgrade`` on a database of the
oldest schema and is killed with SIGKILL at a named point of the upgrade, at
the N-th SQL statement, or at the N-th disk sync (strace). After each kill:
the file passes SQLite's integrity check, it is either wholly old or wholly
new with the data intact, the next start succeeds, and nothing is left over.
"""

from __future__ import annotations

import sqlite3

import pytest
from faultkit import (
    EXAMPLE_BODY,
    EXAMPLE_TITLE,
    STRACE,
    cli,
    example_data,
    integrity,
    leftovers,
    make_old_database,
    revision_of,
    sync_calls,
    was_killed,
)
from sqlalchemy import event

from chinadialog_desktop.errors import DatabaseRefused
from chinadialog_desktop.persistence import backup, lifecycle, migrate
from chinadialog_desktop.persistence.database import Database
from chinadialog_desktop.persistence.engine import make_engine, sqlite_url
from chinadialog_desktop.persistence.schema import HEAD_REVISION, KNOWN_REVISIONS

OLDEST = KNOWN_REVISIONS[0]

NAMED_POINTS = [
    "backup-before-rename:1",  # the pre-upgrade backup half written
    "upgrade-after-marker:1",  # marker written, backup not yet
    "upgrade-after-backup:1",
    "upgrade-step:1",  # after the first migration script, inside the transaction
    "upgrade-step:2",
    "upgrade-before-commit:1",  # all steps and checks done
    "upgrade-after-commit:1",  # committed, marker not yet removed
]
# The upgrade from the oldest schema runs about 20 statements; every third one.
STATEMENT_POINTS = [f"upgrade-statement:{n}" for n in (1, 4, 7, 10, 13, 16, 19)]
# A power cut at six syncs spread over a normal upgrade's (about 15): the first,
# the last and four between.
SYNC_SHARES = [0, 1, 2, 3, 4, 5]


@pytest.fixture(scope="module")
def syncs_in_an_upgrade(tmp_path_factory):
    db = tmp_path_factory.mktemp("count") / "c.sqlite3"
    make_old_database(db, OLDEST)
    return sync_calls(db, "db", "upgrade")


def _assert_recovered(db, capsys=None) -> None:
    """After the kill: intact, all-or-nothing; the next start works and tidies up."""
    assert integrity(db) == "ok"
    assert revision_of(db) in (OLDEST, HEAD_REVISION)
    assert example_data(db) == (EXAMPLE_TITLE, EXAMPLE_BODY)

    opened = Database.open(db)  # the next start, as the window and every command do it
    try:
        assert opened.opened.notice is None  # nothing had to be put back
    finally:
        opened.close()
    assert revision_of(db) == HEAD_REVISION
    assert integrity(db) == "ok"
    assert example_data(db) == (EXAMPLE_TITLE, EXAMPLE_BODY)
    assert lifecycle.schema_problems(db, HEAD_REVISION) == []
    assert leftovers(db) == []
    upgrades = [b for b in backup.list_backups(db) if b.reason == "upgrade"]
    assert len(upgrades) == 1  # one backup of the old state, however often it was tried
    assert revision_of(upgrades[0].path) == OLDEST
    assert example_data(upgrades[0].path) == (EXAMPLE_TITLE, EXAMPLE_BODY)


@pytest.mark.parametrize("point", NAMED_POINTS + STATEMENT_POINTS)
def test_kill_during_upgrade_at_a_named_point(tmp_path, point):
    db = tmp_path / "Partnerschaften.sqlite3"
    make_old_database(db, OLDEST)
    result = cli(db, "db", "upgrade", fault=point)
    assert was_killed(result), (result.returncode, result.stdout, result.stderr)
    _assert_recovered(db)


@pytest.mark.skipif(STRACE is None, reason="needs strace for fault injection")
@pytest.mark.parametrize("share", SYNC_SHARES)
def test_power_cut_at_a_disk_sync_during_upgrade(tmp_path, share, syncs_in_an_upgrade):
    calls = syncs_in_an_upgrade
    nth_sync = calls[share * (len(calls) - 1) // (len(SYNC_SHARES) - 1)]
    db = tmp_path / "Partnerschaften.sqlite3"
    make_old_database(db, OLDEST)
    result = cli(db, "db", "upgrade", kill_at_sync=nth_sync)
    assert was_killed(result), (result.returncode, result.stdout, result.stderr)
    _assert_recovered(db)


def test_full_disk_during_upgrade_changes_nothing(tmp_path):
    db = tmp_path / "voll.sqlite3"
    make_old_database(db, OLDEST)
    # The backup was written, then the disk filled up: a first attempt killed
    # right after its backup, a second one with no room for the upgrade's log.
    assert was_killed(cli(db, "db", "upgrade", fault="upgrade-after-backup:1"))
    result = cli(db, "db", "upgrade", file_size_limit=64 * 1024)
    assert result.returncode == 1, (result.stdout, result.stderr)
    assert "Traceback" not in result.stderr and "SQL" not in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1
    assert "unverändert" in result.stderr
    assert revision_of(db) == OLDEST and integrity(db) == "ok"
    _assert_recovered(db)


def test_full_disk_before_the_upgrade_backup_changes_nothing(tmp_path):
    db = tmp_path / "voll.sqlite3"
    make_old_database(db, OLDEST)
    before = db.read_bytes()
    result = cli(db, "db", "upgrade", file_size_limit=db.stat().st_size // 2)
    assert result.returncode == 1, result.stdout
    assert "Sicherung" in result.stderr and "Traceback" not in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1
    assert db.read_bytes() == before
    _assert_recovered(db)


def _half_migrate_like_older_versions(db, stop_after: int) -> None:
    """What versions before the fix did: DDL autocommitted statement by statement."""

    class Cut(Exception):
        pass

    engine = make_engine(sqlite_url(db), foreign_keys=False)
    count = 0

    def cut(*_args: object) -> None:
        nonlocal count
        count += 1
        if count == stop_after:
            raise Cut

    event.listen(engine, "after_cursor_execute", cut)
    with pytest.raises(Cut), engine.begin() as conn:
        migrate.upgrade(conn)
    engine.dispose()


def test_half_migrated_file_from_an_older_version_is_repaired_at_the_next_start(tmp_path):
    db = tmp_path / "alt.sqlite3"
    make_old_database(db, OLDEST)
    good = backup.make_backup(db, reason="upgrade")
    _half_migrate_like_older_versions(db, stop_after=8)
    assert revision_of(db) == OLDEST
    assert lifecycle.schema_problems(db, OLDEST)  # it is half-migrated indeed
    # The old behaviour: every failed start saved another backup, of the broken file.
    for _ in range(3):
        backup.make_backup(db, reason="upgrade")
    for _ in range(12):
        backup.make_backup(db, reason="manual", keep=10)

    check = cli(db, "db", "check")
    assert check.returncode == 1
    assert "unterbrochen" in check.stderr and len(check.stderr.strip().splitlines()) == 1

    result = cli(db, "db", "upgrade")
    assert result.returncode == 0, result.stderr
    assert "wurde automatisch" in result.stdout and good.name in result.stdout
    assert revision_of(db) == HEAD_REVISION and integrity(db) == "ok"
    assert example_data(db) == (EXAMPLE_TITLE, EXAMPLE_BODY)
    assert cli(db, "db", "check").returncode == 0
    # The broken state is kept, not thrown away.
    kept = [b for b in backup.list_backups(db) if b.reason == "interrupted"]
    assert len(kept) == 1 and lifecycle.schema_problems(kept[0].path, OLDEST)
    assert good.exists()
    assert leftovers(db) == []


def test_half_migrated_file_without_a_good_backup_is_refused_unchanged(tmp_path):
    db = tmp_path / "alt.sqlite3"
    make_old_database(db, OLDEST)
    _half_migrate_like_older_versions(db, stop_after=8)
    before = db.read_bytes()
    with pytest.raises(DatabaseRefused, match="no backup"):
        lifecycle.prepare(db)
    assert db.read_bytes() == before
    assert not backup.list_backups(db)  # no backup of the broken file either


def test_pre_upgrade_backup_is_never_rotated_out(tmp_path):
    db = tmp_path / "r.sqlite3"
    make_old_database(db, OLDEST)
    Database.open(db).close()
    (pre,) = [b.path for b in backup.list_backups(db) if b.reason == "upgrade"]
    for _ in range(15):
        backup.make_backup(db, reason="manual", keep=3)
    found = backup.list_backups(db)
    assert pre in [b.path for b in found]
    assert len([b for b in found if b.reason == "manual"]) == 3


def test_failed_upgrade_is_undone_and_leaves_no_second_backup(tmp_path, monkeypatch):
    db = tmp_path / "f.sqlite3"
    make_old_database(db, OLDEST)
    real = migrate.upgrade

    def broken(conn, target="head", on_step=None):
        real(conn, target, on_step)  # every step done, inside the transaction ...
        conn.exec_driver_sql("DROP TABLE dossier_section")
        raise RuntimeError("Schritt fehlgeschlagen")  # ... then the upgrade fails

    monkeypatch.setattr(migrate, "upgrade", broken)
    for _ in range(2):
        with pytest.raises(lifecycle.MigrationFailed, match="unchanged|unverändert"):
            Database.open(db)
        assert revision_of(db) == OLDEST
        assert example_data(db) == (EXAMPLE_TITLE, EXAMPLE_BODY)  # the table is back
    monkeypatch.setattr(migrate, "upgrade", real)
    Database.open(db).close()
    assert revision_of(db) == HEAD_REVISION
    assert len([b for b in backup.list_backups(db) if b.reason == "upgrade"]) == 1
    assert leftovers(db) == []


def test_sqlite_sees_no_half_state_inside_the_upgrade(tmp_path):
    """Another process reading during the upgrade sees the old or the new schema only."""
    db = tmp_path / "t.sqlite3"
    make_old_database(db, OLDEST)
    engine = migrate.transactional_engine(db)
    seen: list[set[str]] = []

    def look(*_args: object) -> None:
        other = sqlite3.connect(db)
        seen.append({r[0] for r in other.execute("SELECT name FROM sqlite_master")})
        other.close()

    event.listen(engine, "after_cursor_execute", look)
    with engine.begin() as conn:
        migrate.upgrade(conn)
    engine.dispose()
    assert len({frozenset(s) for s in seen}) == 1  # never changed until the commit
    assert "deliberation" not in seen[0]


def test_half_migrated_file_newer_than_every_backup_is_not_replaced(tmp_path):
    """The right backup rotated out long ago: an older one would lose work, so none is used."""
    db = tmp_path / "alt.sqlite3"
    make_old_database(db, OLDEST)
    backup.make_backup(db, reason="upgrade")  # from before later work
    conn = sqlite3.connect(db)
    conn.execute(
        "INSERT INTO source (uuid, created_at, modified_at, version, title) "
        "VALUES ('s-neu', '2025-06-01', '2025-06-01', 1, 'Später erfasst (Beispiel)')"
    )
    conn.commit()
    conn.close()
    _half_migrate_like_older_versions(db, stop_after=8)
    before = db.read_bytes()
    with pytest.raises(DatabaseRefused, match="lacks some of its records|fehlen"):
        lifecycle.prepare(db)
    assert db.read_bytes() == before


def test_a_backup_left_by_an_interrupted_attempt_is_not_reused_once_the_file_changed(tmp_path):
    db = tmp_path / "alt.sqlite3"
    make_old_database(db, OLDEST)
    assert was_killed(cli(db, "db", "upgrade", fault="upgrade-after-backup:1"))
    conn = sqlite3.connect(db)  # an older version of the app edits the file meanwhile
    conn.execute(
        "UPDATE dossier SET title = 'Danach geändert (Beispiel)', modified_at = '2025-01-01'"
    )
    conn.commit()
    conn.close()
    Database.open(db).close()
    upgrades = [b for b in backup.list_backups(db) if b.reason == "upgrade"]
    assert len(upgrades) == 2
    newest = lifecycle.connect(upgrades[0].path)
    assert newest.execute("SELECT title FROM dossier").fetchone()[0] == "Danach geändert (Beispiel)"
    newest.close()
    assert leftovers(db) == []


def test_backups_made_within_one_second_are_listed_newest_first(tmp_path):
    db = tmp_path / "x.sqlite3"
    folder = tmp_path / "backups"
    folder.mkdir()
    names = [
        "x-20261207-113000-upgrade.sqlite3",
        "x-20261207-113000-1-upgrade.sqlite3",
        "x-20261207-113000-2-manual.sqlite3",
        "x-20261207-113000-10-manual.sqlite3",
    ]
    for name in names:
        (folder / name).write_bytes(b"")
    listed = [b.path.name for b in backup.list_backups(db)]
    assert listed == [names[3], names[2], names[1], names[0]]
