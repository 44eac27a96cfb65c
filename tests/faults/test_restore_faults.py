"""Issue 11, points 3 and 4: restoring a backup, killed, under an open window, from a hot journal.

Restore copies the backup next to the database and switches with one rename,
under the set-up lock; it refuses while another process has the file open
(every open database holds a shared lock), so no edit goes into a replaced
file. A hot journal left by a kill is rolled back by SQLite before the file
is judged.
"""

from __future__ import annotations

import sqlite3
import subprocess
import sys

import pytest
from faultkit import child_env, cli, integrity, leftovers, revision_of, was_killed
from sqlalchemy import text

from chinadialog_desktop.persistence import backup, lifecycle
from chinadialog_desktop.persistence.database import Database
from chinadialog_desktop.persistence.schema import HEAD_REVISION


def _db_with_title(path, title: str):
    db = Database.open(path)
    with db.engine.begin() as conn:
        conn.execute(text("DELETE FROM source"))
        conn.execute(
            text(
                "INSERT INTO source (uuid, created_at, modified_at, version, title) "
                "VALUES ('s-1', '2024-01-01', '2024-01-01', 1, :t)"
            ),
            {"t": title},
        )
    db.close()


def _title(path) -> str:
    conn = lifecycle.connect(path)
    try:
        return str(conn.execute("SELECT title FROM source").fetchone()[0])
    finally:
        conn.close()


@pytest.fixture
def live_and_saved(tmp_path):
    live = tmp_path / "Partnerschaften.sqlite3"
    _db_with_title(live, "gesichert (Beispiel)")
    saved = backup.make_backup(live, reason="manual")
    _db_with_title(live, "aktuell (Beispiel)")
    return live, saved


RESTORE_POINTS = [
    "backup-before-rename:1",  # the backup of the current state, half written
    "restore-after-backup:1",
    "backup-before-rename:2",  # the staged copy of the backup, half written
    "restore-before-switch:1",
    "restore-after-switch:1",
]


@pytest.mark.parametrize("point", RESTORE_POINTS)
def test_kill_during_restore(live_and_saved, point):
    live, saved = live_and_saved
    result = cli(live, "db", "restore", str(saved), fault=point)
    assert was_killed(result), (result.returncode, result.stdout, result.stderr)
    assert integrity(live) == "ok"
    assert _title(live) in ("gesichert (Beispiel)", "aktuell (Beispiel)")  # one or the other
    Database.open(live).close()  # the next start
    assert revision_of(live) == HEAD_REVISION and integrity(live) == "ok"
    assert leftovers(live) == []
    assert _title(saved) == "gesichert (Beispiel)"  # the backup itself is untouched
    # And the restore, tried again, goes through.
    again = cli(live, "db", "restore", str(saved))
    assert again.returncode == 0, again.stderr
    assert _title(live) == "gesichert (Beispiel)"
    assert leftovers(live) == []


HOLDER = """
import sys
from sqlalchemy import text
from chinadialog_desktop.persistence.database import Database
db = Database.open(sys.argv[1])
print("open", flush=True)
sys.stdin.readline()  # the test restores meanwhile
with db.engine.begin() as conn:
    conn.execute(text("UPDATE source SET title = 'nach dem Versuch bearbeitet (Beispiel)'"))
print("saved", flush=True)
sys.stdin.readline()
db.close()
print("closed", flush=True)
"""


def test_restore_is_refused_while_another_process_has_the_file_open(live_and_saved):
    live, saved = live_and_saved
    holder = subprocess.Popen(
        [sys.executable, "-c", HOLDER, str(live)],
        env=child_env(),
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    assert holder.stdin and holder.stdout
    try:
        assert holder.stdout.readline().strip() == "open"
        refused = cli(live, "db", "restore", str(saved))
        assert refused.returncode == 1
        assert "geöffnet" in refused.stderr and len(refused.stderr.strip().splitlines()) == 1
        assert _title(live) == "aktuell (Beispiel)"
        assert not [b for b in backup.list_backups(live) if b.reason == "restore"]

        holder.stdin.write("edit\n")
        holder.stdin.flush()
        assert holder.stdout.readline().strip() == "saved"
        # The edit made after the refused restore is in the file, not lost.
        assert _title(live) == "nach dem Versuch bearbeitet (Beispiel)"

        holder.stdin.write("close\n")
        holder.stdin.flush()
        assert holder.stdout.readline().strip() == "closed"
    finally:
        holder.stdin.close()
        holder.wait(timeout=600)
    assert holder.returncode == 0, holder.stderr.read() if holder.stderr else ""
    done = cli(live, "db", "restore", str(saved))
    assert done.returncode == 0, done.stderr
    assert _title(live) == "gesichert (Beispiel)"
    (before,) = [b for b in backup.list_backups(live) if b.reason == "restore"]
    assert _title(before.path) == "nach dem Versuch bearbeitet (Beispiel)"


def test_restore_in_the_same_process_after_closing_works(live_and_saved):
    """The window closes its own database before it restores (backups dialog)."""
    live, saved = live_and_saved
    db = Database.open(live)
    with pytest.raises(lifecycle.DatabaseRefused, match="open in another"):
        lifecycle.restore(saved, live)
    db.close()
    lifecycle.restore(saved, live)
    assert _title(live) == "gesichert (Beispiel)"


HOT_JOURNAL = """
import os, signal, sqlite3, sys
conn = sqlite3.connect(sys.argv[1], isolation_level=None)
conn.execute("PRAGMA cache_size = 5")
conn.execute("BEGIN")
conn.execute("UPDATE source SET title = 'halb geschrieben', note = hex(randomblob(600))")
os.kill(os.getpid(), signal.SIGKILL)
"""


def _file_with_hot_journal(tmp_path):
    """A copied database (rollback journal) whose writer died mid-transaction."""
    live = tmp_path / "quelle.sqlite3"
    db = Database.open(live)
    with db.engine.begin() as conn:
        for i in range(400):
            conn.execute(
                text(
                    "INSERT INTO source (uuid, created_at, modified_at, version, title, note) "
                    "VALUES (:u, '2024-01-01', '2024-01-01', 1, 'Quelle (Beispiel)', :n)"
                ),
                {"u": f"s-{i}", "n": "x" * 500},
            )
    db.close()
    copy = tmp_path / "kopie.sqlite3"
    backup.copy_database(live, copy)  # a copy is in rollback-journal mode
    killed = subprocess.run(
        [sys.executable, "-c", HOT_JOURNAL, str(copy)], env=child_env(), timeout=600
    )
    assert killed.returncode < 0
    journal = tmp_path / "kopie.sqlite3-journal"
    assert journal.exists() and journal.stat().st_size > 0
    # A read-only look cannot roll it back: this is what used to read as "damaged".
    with pytest.raises(sqlite3.DatabaseError):
        ro = sqlite3.connect(f"file:{copy}?mode=ro", uri=True)
        try:
            ro.execute("SELECT count(*) FROM source").fetchone()
        finally:
            ro.close()
    return copy


def test_hot_journal_is_rolled_back_before_the_file_is_judged(tmp_path):
    copy = _file_with_hot_journal(tmp_path)
    check = cli(copy, "db", "check")
    assert check.returncode == 0, check.stderr
    assert not (tmp_path / "kopie.sqlite3-journal").exists()
    conn = lifecycle.connect(copy)
    titles = {r[0] for r in conn.execute("SELECT DISTINCT title FROM source")}
    conn.close()
    assert titles == {"Quelle (Beispiel)"}  # the unfinished transaction is gone


def test_restore_from_a_copy_with_a_hot_journal(tmp_path):
    copy = _file_with_hot_journal(tmp_path)
    live = tmp_path / "live.sqlite3"
    Database.open(live).close()
    result = cli(live, "db", "restore", str(copy))
    assert result.returncode == 0, result.stderr
    conn = lifecycle.connect(live)
    assert conn.execute("SELECT count(*) FROM source").fetchone()[0] == 400
    conn.close()
