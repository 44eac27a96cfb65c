"""Issue 11, points 6 and 11: creating a database, alone or two at once, killed or not.

A new database is built under a temporary name and moved into place only when
complete; creation and migration hold a lock between processes. Each test
runs real child processes (``chinadialog db upgrade``), kills or holds them at
named points through ``CHINADIALOG_FAULT`` and looks at what is on disk.
"""

from __future__ import annotations

import os
import signal
import sqlite3

import pytest
from faultkit import (
    EXAMPLE_BODY,
    EXAMPLE_TITLE,
    STRACE,
    Child,
    cli,
    example_data,
    integrity,
    leftovers,
    make_old_database,
    revision_of,
    sync_calls,
    was_killed,
)

from chinadialog_desktop.persistence import backup, lifecycle
from chinadialog_desktop.persistence.database import Database
from chinadialog_desktop.persistence.schema import HEAD_REVISION, KNOWN_REVISIONS

# Creating the schema runs about 60 statements; a kill after a spread of them,
# and at the steps around the final rename.
CREATION_POINTS = [f"creation-statement:{n}" for n in (1, 15, 30, 45)] + [
    "creation-before-rename:1",
    "creation-after-rename:1",
]


def _assert_complete_or_absent(db) -> None:
    if db.exists():  # the rename happened: then the file is whole
        assert integrity(db) == "ok"
        assert revision_of(db) == HEAD_REVISION


def _assert_next_start_works(db) -> None:
    Database.open(db).close()  # the next start, as the window and every command do it
    assert integrity(db) == "ok" and revision_of(db) == HEAD_REVISION
    assert lifecycle.schema_problems(db, HEAD_REVISION) == []
    assert leftovers(db) == []


@pytest.mark.parametrize("point", CREATION_POINTS)
def test_kill_during_first_creation(tmp_path, point):
    db = tmp_path / "Neu" / "Partnerschaften.sqlite3"
    result = cli(db, "db", "upgrade", fault=point)
    assert was_killed(result), (result.returncode, result.stdout, result.stderr)
    _assert_complete_or_absent(db)
    _assert_next_start_works(db)


@pytest.mark.skipif(STRACE is None, reason="needs strace for fault injection")
def test_power_cut_at_syncs_of_a_first_creation(tmp_path):
    calls = sync_calls(tmp_path / "count" / "c.sqlite3", "db", "upgrade")
    assert calls
    for n, call in enumerate({calls[0], calls[len(calls) // 2], calls[-1]}):
        db = tmp_path / f"case{n}" / "Partnerschaften.sqlite3"
        result = cli(db, "db", "upgrade", kill_at_sync=call)
        assert was_killed(result), (call, result.returncode, result.stderr)
        _assert_complete_or_absent(db)
        _assert_next_start_works(db)


def test_full_disk_during_first_creation_leaves_nothing(tmp_path):
    db = tmp_path / "voll.sqlite3"
    result = cli(db, "db", "upgrade", file_size_limit=64 * 1024)
    assert result.returncode == 1, result.stdout
    assert "nicht angelegt" in result.stderr and "Traceback" not in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1
    assert not db.exists()
    assert leftovers(db) == []
    _assert_next_start_works(db)  # once there is room again


def test_file_left_by_an_older_version_killed_while_creating_is_made_anew(tmp_path):
    """Before the fix, tables were created one by one in place and the file refused forever."""
    from chinadialog_desktop.persistence.models import Base

    db = tmp_path / "halb.sqlite3"
    conn = sqlite3.connect(db)
    for table in list(Base.metadata.sorted_tables)[:5]:
        conn.execute(f'CREATE TABLE "{table.name}" (id INTEGER PRIMARY KEY)')
    conn.commit()
    conn.close()
    assert lifecycle.inspect_file(db).state is lifecycle.FileState.UNFINISHED
    check = cli(db, "db", "check")
    assert check.returncode == 1 and "nicht fertig" in check.stderr
    result = cli(db, "db", "upgrade")
    assert result.returncode == 0, result.stderr
    assert "neu angelegt" in result.stdout
    assert revision_of(db) == HEAD_REVISION and integrity(db) == "ok"


def test_a_file_with_data_but_no_stamp_is_still_refused(tmp_path):
    db = tmp_path / "fremd.sqlite3"
    conn = sqlite3.connect(db)
    conn.execute("CREATE TABLE source (id INTEGER PRIMARY KEY, title TEXT)")
    conn.execute("INSERT INTO source VALUES (1, 'fremde Daten')")
    conn.commit()
    conn.close()
    before = db.read_bytes()
    result = cli(db, "db", "upgrade")
    assert result.returncode == 1 and "anderen Programms" in result.stderr
    assert db.read_bytes() == before


def test_two_first_starts_at_once(tmp_path):
    """The second start waits for the first one's lock, then finds the file made."""
    db = tmp_path / "gemeinsam.sqlite3"
    first = Child(db, "db", "upgrade", fault="creation-before-rename:1:pause",
                  workdir=tmp_path / "a")  # fmt: skip
    first.wait_reached("creation-before-rename")  # holds the lock, file not yet in place
    second = Child(db, "db", "upgrade", fault="lock-busy:1:pause", workdir=tmp_path / "b")
    second.wait_reached("lock-busy")  # it found the lock taken
    second.release("lock-busy")
    first.release("creation-before-rename")
    one, two = first.finish(), second.finish()
    assert one.returncode == 0 and two.returncode == 0, (one.stderr, two.stderr)
    assert "Neue Datenbank angelegt" in one.stdout
    assert "bereits auf dem neuesten Stand" in two.stdout
    assert integrity(db) == "ok" and revision_of(db) == HEAD_REVISION
    assert leftovers(db) == []


def test_first_start_killed_while_another_waits(tmp_path):
    db = tmp_path / "gemeinsam.sqlite3"
    first = Child(db, "db", "upgrade", fault="creation-statement:10:pause",
                  workdir=tmp_path / "a")  # fmt: skip
    first.wait_reached("creation-statement")
    second = Child(db, "db", "upgrade", fault="lock-busy:1:pause", workdir=tmp_path / "b")
    second.wait_reached("lock-busy")
    second.release("lock-busy")
    os.kill(first.proc.pid, signal.SIGKILL)  # the power goes in the first one
    assert first.finish().returncode == -signal.SIGKILL
    two = second.finish()
    assert two.returncode == 0, two.stderr
    assert "Neue Datenbank angelegt" in two.stdout
    assert integrity(db) == "ok" and revision_of(db) == HEAD_REVISION
    assert leftovers(db) == []


def test_two_starts_on_an_older_database(tmp_path):
    """Before the fix both migrated and one reverted the other; now one waits."""
    db = tmp_path / "alt.sqlite3"
    make_old_database(db, KNOWN_REVISIONS[0])
    first = Child(db, "db", "upgrade", fault="upgrade-step:1:pause", workdir=tmp_path / "a")
    first.wait_reached("upgrade-step")  # in the middle of the upgrade transaction
    second = Child(db, "db", "upgrade", fault="lock-busy:1:pause", workdir=tmp_path / "b")
    second.wait_reached("lock-busy")
    second.release("lock-busy")
    first.release("upgrade-step")
    one, two = first.finish(), second.finish()
    assert one.returncode == 0 and two.returncode == 0, (one.stderr, two.stderr)
    assert "aktualisiert" in one.stdout and "bereits auf dem neuesten Stand" in two.stdout
    assert revision_of(db) == HEAD_REVISION and integrity(db) == "ok"
    assert example_data(db) == (EXAMPLE_TITLE, EXAMPLE_BODY)
    assert len([b for b in backup.list_backups(db) if b.reason == "upgrade"]) == 1
    assert leftovers(db) == []


# --- point 11: checking never creates; an empty file is only filled when asked ---------


def test_db_check_on_a_missing_path_creates_nothing(tmp_path):
    db = tmp_path / "gibt" / "es" / "nicht.sqlite3"
    result = cli(db, "db", "check")
    assert result.returncode == 1
    assert "gibt es nicht" in result.stderr and len(result.stderr.strip().splitlines()) == 1
    assert not (tmp_path / "gibt").exists()


@pytest.mark.parametrize(
    "command", [("db", "check"), ("db", "upgrade"), ("db", "info"), ("list", "partnerships")]
)
def test_a_zero_byte_file_is_not_silently_initialised(tmp_path, command):
    db = tmp_path / "leer.sqlite3"
    db.touch()
    result = cli(db, *command)
    assert result.returncode == 1, result.stdout
    assert "leer" in result.stderr and len(result.stderr.strip().splitlines()) == 1
    assert db.stat().st_size == 0
    assert sorted(p.name for p in tmp_path.iterdir()) == ["leer.sqlite3"]


def test_init_turns_a_zero_byte_file_into_a_database(tmp_path):
    db = tmp_path / "leer.sqlite3"
    db.touch()
    result = cli(db, "db", "upgrade", "--init")
    assert result.returncode == 0, result.stderr
    assert revision_of(db) == HEAD_REVISION
    database = Database.open(db)  # and from now on it opens without asking
    database.close()
