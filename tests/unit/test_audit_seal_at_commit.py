"""Events of changes that are only flushed by the commit itself are sealed too."""

from __future__ import annotations

from chinadialog_desktop.persistence import audit
from chinadialog_desktop.persistence.database import Database
from chinadialog_desktop.persistence.models_core import Actor


def test_change_without_explicit_flush_is_sealed(tmp_path):
    database = Database.open(tmp_path / "a.sqlite3")
    try:
        with database.session() as s:
            s.add(Actor(name_de="Stadt (Beispiel)", kind="municipality", country="DE"))
        with database.engine.connect() as conn:
            report = audit.verify_chain(conn)
        assert report.events == 1
        assert report.intact, report.breaks
    finally:
        database.close()
