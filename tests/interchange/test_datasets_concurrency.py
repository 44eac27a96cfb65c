"""Two processes on one database: two imports at once, an edit while an import plans.

Real child processes, lined up through the import's checkpoints (pipes, no
sleeps): planning and writing happen in one transaction under the write lock,
so a second import waits and then finds everything unchanged, and an edit is
either seen by the plan (a conflict) or cannot be saved over the import
without being told.
"""

from __future__ import annotations

import os
import sqlite3
import sys
from pathlib import Path

import pytest
from dataset_processes import editor_child, import_child
from sqlalchemy import func, select

from chinadialog_desktop.persistence.database import Database
from chinadialog_desktop.persistence.models import Actor, ImportRun, Partnership
from chinadialog_desktop.services.datasets.importing import COMMITTED, ImportOptions, import_dataset

pytestmark = pytest.mark.skipif(
    sys.platform == "win32" or not hasattr(os, "pipe"), reason="POSIX pipes line the processes up"
)

ROWS = 2000
REGISTER = (
    "Kommune;Partnerstadt;Status\r\n"
    "Duisburg;Wuhan;aktiv\r\n"
    "Köln;Peking;aktiv\r\n"
    "Kiel;Qingdao;ausgesetzt\r\n"
)


def _actors_file(path: Path) -> Path:
    rows = "".join(f"Ort {i:05d} (Beispiel);DE\r\n" for i in range(ROWS))
    path.write_text("Name;Land\r\n" + rows, encoding="utf-8")
    return path


def _integrity(db_path: Path) -> str:
    conn = sqlite3.connect(db_path)
    try:
        return str(conn.execute("PRAGMA integrity_check").fetchone()[0])
    finally:
        conn.close()


def _count(db_path: Path, model) -> int:
    db = Database.open(db_path)
    try:
        with db.session() as s:
            return int(s.scalar(select(func.count()).select_from(model)) or 0)
    finally:
        db.close()


def _status(db_path: Path, title: str) -> str:
    db = Database.open(db_path)
    try:
        with db.session() as s:
            return s.scalars(select(Partnership.status).where(Partnership.title == title)).one()
    finally:
        db.close()


def test_two_imports_of_one_file_at_once_do_not_double_the_rows(tmp_path):
    db_path = tmp_path / "Partnerschaften.sqlite3"
    Database.open(db_path).close()
    file = _actors_file(tmp_path / "orte.csv")
    first = import_child(db_path, file, tmp_path / "first.txt")
    first.expect("read")
    first.go()
    first.expect("planned")  # the first import holds the write lock with its plan made
    second = import_child(db_path, file, tmp_path / "second.txt")
    second.expect("read")
    second.go()
    second.expect("waiting")  # the second finds the lock taken and waits
    second.go()
    first.go()
    assert first.finish() == 0, first.output()
    second.expect("planned")  # planned only after the first committed
    second.go()
    assert second.finish() == 0, second.output()
    assert _count(db_path, Actor) == ROWS
    assert _count(db_path, ImportRun) == 2
    out = second.output()
    assert f"Actors  0    0        {ROWS}" in out, out  # new, updated, unchanged
    assert _integrity(db_path) == "ok"


def test_an_edit_saved_before_the_import_plans_is_a_conflict(tmp_path):
    db_path = tmp_path / "db.sqlite3"
    v1, v2 = tmp_path / "v1.csv", tmp_path / "v2.csv"
    v1.write_text(REGISTER, encoding="utf-8")
    v2.write_text(REGISTER.replace("ausgesetzt", "beendet"), encoding="utf-8")
    db = Database.open(db_path)
    try:
        assert import_dataset(db, v1).status == COMMITTED
    finally:
        db.close()
    importer = import_child(db_path, v2, tmp_path / "import.txt")
    importer.expect("read")  # the file is read, nothing planned yet
    editor = editor_child(db_path, "Kiel – Qingdao", "dormant", tmp_path / "edit.txt")
    editor.expect("loaded")
    editor.go()
    assert editor.finish() == 0, editor.output()
    importer.go()
    importer.expect("planned")
    importer.go()
    assert importer.finish() == 1  # the plan saw the edit: a conflict to decide
    out = importer.output()
    assert "Kiel – Qingdao" in out and "--keep-mine" in out and "--resolve" in out, out
    assert _status(db_path, "Kiel – Qingdao") == "dormant"


def test_an_edit_cannot_be_saved_over_an_import_that_is_planning(tmp_path):
    """The fault: the edit was saved while the import planned, then silently overwritten."""
    db_path = tmp_path / "db.sqlite3"
    v1, v2 = tmp_path / "v1.csv", tmp_path / "v2.csv"
    v1.write_text(REGISTER, encoding="utf-8")
    v2.write_text(REGISTER.replace("ausgesetzt", "beendet"), encoding="utf-8")
    db = Database.open(db_path)
    try:
        assert import_dataset(db, v1).status == COMMITTED
    finally:
        db.close()
    importer = import_child(db_path, v2, tmp_path / "import.txt")
    importer.expect("read")
    importer.go()
    importer.expect("planned")  # holds the write lock
    editor = editor_child(db_path, "Kiel – Qingdao", "dormant", tmp_path / "edit.txt")
    editor.expect("loaded")  # the editor has read the record as it was before the import
    editor.go()  # ... and tries to save while the import holds the lock
    importer.go()
    assert importer.finish() == 0, importer.output()
    edited = editor.finish()
    # The edit was never reported saved and then overwritten: either it was refused
    # (changed meanwhile, or the database was busy), and the import's value stands.
    assert edited in (3, 4), editor.output()
    assert _status(db_path, "Kiel – Qingdao") == "ended"
    assert _integrity(db_path) == "ok"


def test_a_second_import_gives_up_with_a_sentence_when_the_lock_is_held_too_long(tmp_path):
    from chinadialog_desktop.services.datasets.importing import DatabaseBusy, write_lock

    db_path = tmp_path / "db.sqlite3"
    db = Database.open(db_path)
    other = sqlite3.connect(db_path)
    try:
        other.execute("BEGIN IMMEDIATE")  # another program writing
        with db.sessions() as session, session.begin(), pytest.raises(DatabaseBusy) as raised:
            write_lock(session, wait_seconds=0)
        assert "Another program has been writing to the database" in str(raised.value)
        other.rollback()
        csv = tmp_path / "a.csv"
        csv.write_text("Name\r\nBonn\r\n", encoding="utf-8")
        assert import_dataset(db, csv, ImportOptions(kind="actors")).status == COMMITTED
    finally:
        other.close()
        db.close()
