"""Looking at a file this process has open keeps SQLite's locks on it.

On POSIX, closing any descriptor of a file drops every lock the process holds on
that file. When the app opened and closed the database file by hand (to read its
first bytes) while a Database of the same file was open, the next process to
close the file took itself for the last one and deleted the write-ahead log
under the open Database: its later edits went into a deleted file and were lost
at a crash. ``lifecycle.inspect_file`` is called on files that are open (``db
copy``, the window opening the same file again).
"""

from __future__ import annotations

import signal
import subprocess
import sys
from pathlib import Path

from faultkit import child_env, integrity

from chinadialog_desktop.persistence import lifecycle

OFFICIAL = """
import os, signal, subprocess, sys
from pathlib import Path
from sqlalchemy import text
from chinadialog_desktop.persistence import lifecycle
from chinadialog_desktop.persistence.database import Database

path = Path(sys.argv[1])
insert = text(
    "INSERT INTO source (uuid, created_at, modified_at, version, title) "
    "VALUES (:u, '2024-01-01', '2024-01-01', 1, :t)"
)
db = Database.open(path)
with db.engine.begin() as conn:
    conn.execute(insert, {"u": "s-1", "t": "vor dem Blick (Beispiel)"})
lifecycle.inspect_file(path)
other = (
    "import sqlite3, sys; c = sqlite3.connect(sys.argv[1]); "
    "c.execute(\\"UPDATE source SET title = 'vom anderen Prozess (Beispiel)'\\"); "
    "c.commit(); c.close()"
)
subprocess.run([sys.executable, "-c", other, str(path)], check=True)
print("wal after the other process:", Path(str(path) + "-wal").exists(), flush=True)
with db.engine.begin() as conn:
    conn.execute(insert, {"u": "s-2", "t": "nach dem Blick (Beispiel)"})
os.kill(os.getpid(), signal.SIGKILL)  # a crash after the commit: the edit must be on disk
"""


def test_an_edit_after_inspecting_the_open_file_survives_a_crash(tmp_path: Path) -> None:
    path = tmp_path / "Partnerschaften #1 ö.sqlite3"
    result = subprocess.run(
        [sys.executable, "-c", OFFICIAL, str(path)],
        env=child_env(),
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert result.returncode == -signal.SIGKILL, result.stderr
    assert "wal after the other process: True" in result.stdout
    assert integrity(path) == "ok"
    conn = lifecycle.connect(path)
    try:
        titles = dict(conn.execute("SELECT uuid, title FROM source").fetchall())
    finally:
        conn.close()
    assert titles == {
        "s-1": "vom anderen Prozess (Beispiel)",
        "s-2": "nach dem Blick (Beispiel)",
    }


def test_a_file_that_is_not_sqlite_is_still_told_apart_from_a_damaged_one(tmp_path) -> None:
    text_file = tmp_path / "notizen.sqlite3"
    text_file.write_text("Nur ein Text (Beispiel)\n", encoding="utf-8")
    try:
        lifecycle.inspect_file(text_file)
    except lifecycle.DatabaseRefused as exc:
        assert "not an SQLite file" in str(exc)
    else:
        raise AssertionError("a text file was taken for a database")
    assert text_file.read_text(encoding="utf-8") == "Nur ein Text (Beispiel)\n"
