"""Several clients on one team database: optimistic locking and one unbroken audit chain."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from sqlalchemy import func, select

from chinadialog_desktop.errors import ConcurrentEdit
from chinadialog_desktop.persistence.audit import verify_chain
from chinadialog_desktop.persistence.database import Database
from chinadialog_desktop.persistence.models import Actor
from chinadialog_desktop.services.records import edit as records

ROOT = Path(__file__).resolve().parents[2]

WRITER = """
import sys
from chinadialog_desktop.persistence.database import Database
from chinadialog_desktop.services.records import edit as records
database = Database.open(sys.argv[1])
name, count = sys.argv[2], int(sys.argv[3])
for n in range(count):
    with database.session() as s:
        change = records.create(s, "actor", {"name_de": f"{name} {n} (Beispiel)"})
    with database.session() as s:
        records.update(s, "actor", change.uuid, "notes", f"bearbeitet von {name}")
database.close()
"""


def test_a_concurrent_edit_on_the_server_is_a_conflict_not_a_lost_update(pg_database):
    """Two clients (two connections) edit the same record; the later save is refused."""
    first, second = Database.open(pg_database), Database.open(pg_database)
    try:
        with first.session() as s:
            created = records.create(s, "actor", {"name_de": "Kiel"})
        with second.session() as s:
            records.update(s, "actor", created.uuid, "notes", "Stand B", expected_version=1)
        with pytest.raises(ConcurrentEdit), first.session() as s:
            records.update(s, "actor", created.uuid, "notes", "Stand A", expected_version=1)
        with first.sessions() as s:
            assert s.scalars(select(Actor.notes)).one() == "Stand B"
    finally:
        first.close()
        second.close()


def test_writers_in_several_processes_keep_one_unbroken_audit_chain(pg_database):
    """The audit writers take turns (advisory lock): ids follow commit order, the chain holds."""
    env = dict(os.environ, PYTHONPATH=str(ROOT))
    writers = [
        subprocess.Popen(
            [sys.executable, "-c", WRITER, pg_database, name, "15"],
            env=env,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        for name in ("Rechtsamt", "Wirtschaftsförderung", "Büro OB")
    ]
    for writer in writers:
        _out, err = writer.communicate(timeout=300)
        assert writer.returncode == 0, err
    database = Database.open(pg_database)
    try:
        with database.engine.connect() as conn:
            report = verify_chain(conn)
        assert report.intact, report.breaks[:3]
        assert report.events == 3 * 15 * 2
        with database.sessions() as s:
            assert s.scalar(select(func.count()).select_from(Actor)) == 45
    finally:
        database.close()
