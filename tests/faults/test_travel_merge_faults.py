"""A travel copy's merge killed (SIGKILL) on its way (issue 17.6): all or nothing.

A real child process runs ``db merge`` and kills itself at a fault point:
while the records are written (``import-chunk-written``), just before the
commit (``merge-before-commit``), and after the commit but before the copy is
marked as merged (``merge-before-mark``). Before the commit the target is
exactly as it was and the copy can be merged again; after it the next merge
finds the run in the target's history, says "already merged", and marks the copy.
"""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest
from faultkit import cli, was_killed
from helpers.db import db_state
from sqlalchemy import select

from chinadialog_desktop.persistence.database import Database
from chinadialog_desktop.persistence.models import Partnership
from chinadialog_desktop.services import travel
from chinadialog_desktop.services.records import edit


def _prepare(demo_db: Database, db_url: str, tmp_path: Path) -> tuple[Path, list[str]]:
    with demo_db.session() as s:
        uuids = list(s.scalars(select(Partnership.uuid).order_by(Partnership.id)))
    copy = tmp_path / "Reise ä#1.sqlite3"
    # Taken by another process, as an official does: a copy taken in this process would
    # look at the open file with a plain open()/close() (lifecycle.inspect_file), which
    # drops this process's SQLite locks on it (POSIX) and lets the child's writes damage it.
    taken = cli(db_url, "db", "copy", db_url, str(copy))
    assert taken.returncode == 0, taken.stderr
    offline = Database.open(copy)
    try:
        with offline.session() as s:
            for n, uuid in enumerate(uuids[:3]):
                edit.update(s, "partnership", uuid, "description", f"Unterwegs {n} (Beispiel)")
            edit.create(s, "actor", {"name_de": "Reisestadt (Beispiel)", "country": "DE"})
    finally:
        offline.close()
    with demo_db.session() as s:
        edit.update(s, "partnership", uuids[0], "description", "Im Amt (Beispiel)")
    return copy, uuids


def _merged_mark(copy: Path) -> object:
    with sqlite3.connect(copy) as conn:
        return conn.execute("SELECT merged_at FROM copy_origin").fetchone()[0]


@pytest.mark.both_engines
@pytest.mark.parametrize("point", ["import-chunk-written", "merge-before-commit"])
def test_a_merge_killed_before_its_commit_changes_nothing(demo_db, db_url, tmp_path, point):
    copy, uuids = _prepare(demo_db, db_url, tmp_path)
    before = db_state(demo_db)

    killed = cli(db_url, "db", "merge", str(copy), "--take-theirs", fault=point)

    assert was_killed(killed), killed.stderr
    assert db_state(demo_db) == before
    assert _merged_mark(copy) is None
    # The copy is merged whole afterwards.
    result = travel.merge_copy(demo_db, copy, on_conflict="theirs")
    assert result.status == travel.MERGED
    assert result.totals() == {"new": 1, "updated": 3, "unchanged": result.untouched, "conflict": 0}
    assert result.decisions == {uuids[0]: "theirs"}


@pytest.mark.both_engines
def test_a_merge_killed_after_its_commit_is_not_merged_twice(demo_db, db_url, tmp_path):
    copy, uuids = _prepare(demo_db, db_url, tmp_path)

    killed = cli(db_url, "db", "merge", str(copy), "--take-theirs", fault="merge-before-mark")

    assert was_killed(killed), killed.stderr
    assert _merged_mark(copy) is None  # the copy was not marked ...
    with demo_db.session() as s:
        edit.update(s, "partnership", uuids[1], "description", "Danach im Amt (Beispiel)")
    after = db_state(demo_db)
    again = travel.merge_copy(demo_db, copy)
    assert again.status == travel.ALREADY  # ... but the target's history knows the merge
    assert db_state(demo_db) == after
    assert _merged_mark(copy) is not None
