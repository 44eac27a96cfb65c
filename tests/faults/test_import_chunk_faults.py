"""Issue 11, point 17: an import written a chunk at a time, killed between two chunks.

The import plans into a temporary file and writes 2,000 records a chunk, all
in one transaction. A child process importing a file of three chunks is
killed (SIGKILL, at the fault point ``import-chunk-written``) after the first
and after the second chunk: the database must be exactly as before, pass
SQLite's integrity check, open again without leftovers, and take the same
file afterwards.
"""

from __future__ import annotations

import pytest
from faultkit import cli, integrity, leftovers, was_killed
from helpers.db import db_state
from sqlalchemy import func, select

from chinadialog_desktop.persistence.database import Database
from chinadialog_desktop.persistence.models import Actor
from chinadialog_desktop.services.datasets.merge import SPILL_CHUNK

ROWS = 2 * SPILL_CHUNK + 300


def _actors(path) -> None:
    lines = ["Name;Chinesischer Name;Provinz"]
    lines += [f"Akteur {n} (Beispiel);名称{n};Provinz {n % 31}" for n in range(ROWS)]
    path.write_text("\r\n".join(lines) + "\r\n", encoding="utf-8")


def _actor_count(path) -> int:
    db = Database.open(path)
    try:
        with db.session() as s:
            return int(s.scalar(select(func.count()).select_from(Actor)) or 0)
    finally:
        db.close()


@pytest.mark.parametrize("chunk", [1, 2])
def test_killed_between_chunks_leaves_the_database_as_it_was(tmp_path, chunk):
    db_path = tmp_path / "Partnerschaften #1.sqlite3"
    src = tmp_path / "akteure.csv"
    _actors(src)
    first = tmp_path / "vorher.csv"
    first.write_text("Name\r\nAkteur vorher (Beispiel)\r\n", encoding="utf-8")
    assert cli(db_path, "import", str(first), "--kind", "actors").returncode == 0
    db = Database.open(db_path)
    before = db_state(db)
    db.close()

    killed = cli(
        db_path, "import", str(src), "--kind", "actors", fault=f"import-chunk-written:{chunk}"
    )
    assert was_killed(killed), killed.stderr

    assert integrity(db_path) == "ok"
    db = Database.open(db_path)  # the next start succeeds
    try:
        assert db_state(db) == before
    finally:
        db.close()
    assert leftovers(db_path) == []
    assert _actor_count(db_path) == 1

    again = cli(db_path, "import", str(src), "--kind", "actors")
    assert again.returncode == 0, again.stdout + again.stderr
    assert _actor_count(db_path) == ROWS + 1
