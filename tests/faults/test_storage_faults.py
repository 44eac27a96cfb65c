"""Issue 11, point 9: a locked database and a full disk are one plain German sentence.

Nothing partial is written, the next start works, and no SQL, parameters or
record data ever reach the message. The full disk is a real, small ext4 file
system in a loop-mounted image, filled up by a filler file.
"""

from __future__ import annotations

import sqlite3
from pathlib import Path

from storage_support import (
    assert_plain,
    count_rows,
    fill_disk,
    loop_filesystem,
    one_line,
    run_cli,
)


def test_locked_database_is_one_sentence_and_nothing_is_written(tmp_path: Path) -> None:
    db = tmp_path / "gesperrt.sqlite3"
    made = run_cli(db, "checklist", "install-bundled")
    assert made.returncode == 0, made.stderr
    templates = count_rows(db, "checklist_template")

    holder = sqlite3.connect(db, isolation_level=None)  # another program holding the write lock
    try:
        holder.execute("BEGIN IMMEDIATE")
        out = run_cli(db, "demo", "load")
    finally:
        holder.execute("ROLLBACK")
        holder.close()
    assert out.returncode == 1
    line = one_line(out.stderr)
    assert line.startswith("Fehler: Ein anderes Programm schreibt gerade in die Datenbank")
    assert str(db) in line
    assert_plain(line, forbidden=("Bayern", "INSERT", "database is locked"))
    assert count_rows(db, "partnership") == 0
    assert count_rows(db, "checklist_template") == templates

    again = run_cli(db, "demo", "load")  # the lock is gone: it works now
    assert again.returncode == 0, again.stderr
    assert count_rows(db, "partnership") > 0


def test_full_disk_is_one_sentence_and_the_file_stays_intact(tmp_path: Path) -> None:
    with loop_filesystem(tmp_path, size_mb=6) as mnt:
        db = mnt / "voll" / "dossiers.sqlite3"
        db.parent.mkdir()
        made = run_cli(db, "checklist", "install-bundled")
        assert made.returncode == 0, made.stderr
        templates = count_rows(db, "checklist_template")
        filler = fill_disk(mnt)
        try:
            out = run_cli(db, "demo", "load")
        finally:
            filler.unlink()
        assert out.returncode == 1
        line = one_line(out.stderr)
        assert line.startswith("Fehler: Der Datenträger mit")
        assert "voll" in line
        assert_plain(line, forbidden=("Bayern", "INSERT", "disk is full"))

        checked = run_cli(db, "db", "check")
        assert checked.returncode == 0, checked.stdout + checked.stderr
        assert count_rows(db, "partnership") == 0  # all or nothing
        assert count_rows(db, "checklist_template") == templates
        again = run_cli(db, "demo", "load")  # space again: it works
        assert again.returncode == 0, again.stderr
        assert count_rows(db, "partnership") > 0


def test_window_does_not_wait_seconds_for_a_lock(tmp_path: Path, qtbot) -> None:  # type: ignore[no-untyped-def]
    """The window's connections give up quickly and the edit bar says why (no freeze)."""
    from sqlalchemy import text

    from chinadialog_desktop.persistence.database import WINDOW_BUSY_TIMEOUT_MS, Database
    from chinadialog_desktop.persistence.engine import BUSY_TIMEOUT_MS
    from chinadialog_desktop.persistence.models import Actor
    from chinadialog_desktop.ui.window.workspace import Workspace

    db_path = tmp_path / "fenster.sqlite3"
    database = Database.open(db_path, busy_timeout_ms=WINDOW_BUSY_TIMEOUT_MS)
    try:
        with database.engine.connect() as conn:
            waits = conn.execute(text("PRAGMA busy_timeout")).scalar()
        assert waits == WINDOW_BUSY_TIMEOUT_MS < BUSY_TIMEOUT_MS / 10
        workspace = Workspace(database)
        holder = sqlite3.connect(db_path, isolation_level=None)
        try:
            holder.execute("BEGIN IMMEDIATE")
            with qtbot.waitSignal(workspace.sig_error, timeout=60000) as signal:
                result = workspace.run(
                    lambda s: s.add(Actor(name_de="Gesperrt (Beispiel)", country="CN"))
                )
        finally:
            holder.execute("ROLLBACK")
            holder.close()
        assert result is None
        (message,) = signal.args
        assert "Another program is writing to the database" in message
        assert_plain(message, forbidden=("Gesperrt", "INSERT"))
        assert count_rows(db_path, "actor") == 0
    finally:
        database.close()
