"""Events a bulk writer seals as it writes them chain exactly as if sealed at commit."""

from __future__ import annotations

from sqlalchemy import text

from chinadialog_desktop.persistence import audit
from chinadialog_desktop.persistence.database import Database
from chinadialog_desktop.persistence.models_core import Actor
from chinadialog_desktop.services.datasets.apply import _insert_rows
from chinadialog_desktop.services.datasets.uuid7 import uuid7


def _rows(n: int, label: str) -> list[dict[str, object]]:
    return [
        {
            "uuid": uuid7(),
            "name_de": f"{label} {i} (Beispiel)",
            "kind": "municipality",
            "country": "DE",
        }
        for i in range(n)
    ]


def _unsealed_before_commit(session) -> int:
    return int(
        session.connection()
        .execute(text("SELECT count(*) FROM audit_event WHERE chain_hash IS NULL"))
        .scalar()
    )


def test_bulk_events_between_orm_events_are_sealed_as_written(tmp_path):
    database = Database.open(tmp_path / "a.sqlite3")
    try:
        with database.session() as s:
            s.add(Actor(name_de="Vorher (Beispiel)", kind="municipality", country="DE"))
        with database.session() as s:
            s.add(Actor(name_de="Erste (Beispiel)", kind="municipality", country="DE"))
            s.flush()  # an unsealed event of this transaction before the bulk ones
            _insert_rows(s, Actor, _rows(5, "Masse"))
            # the ORM event before them was sealed first, the bulk ones as they were written
            assert _unsealed_before_commit(s) == 0
            s.add(Actor(name_de="Danach (Beispiel)", kind="municipality", country="DE"))
            s.flush()
            _insert_rows(s, Actor, _rows(3, "Zweite Masse"))
            assert _unsealed_before_commit(s) == 0
            s.add(Actor(name_de="Zuletzt (Beispiel)", kind="municipality", country="DE"))
        with database.engine.connect() as conn:
            report = audit.verify_chain(conn)
            unsealed = conn.execute(
                text("SELECT count(*) FROM audit_event WHERE chain_hash IS NULL")
            ).scalar()
        assert report.events == 12
        assert report.intact, report.breaks
        assert unsealed == 0
    finally:
        database.close()


def test_bulk_events_rolled_back_with_a_savepoint_leave_no_gap(tmp_path):
    """Ids freed by a rolled-back savepoint are used again: those events are sealed too."""
    database = Database.open(tmp_path / "a.sqlite3")
    try:
        with database.session() as s:
            _insert_rows(s, Actor, _rows(2, "Bleibt"))
            nested = s.begin_nested()
            _insert_rows(s, Actor, _rows(4, "Verworfen"))
            nested.rollback()
            s.add(Actor(name_de="Nach dem Verwerfen (Beispiel)", kind="municipality", country="DE"))
            s.flush()
            _insert_rows(s, Actor, _rows(2, "Neu"))
        with database.engine.connect() as conn:
            report = audit.verify_chain(conn)
            names = conn.execute(text("SELECT count(*) FROM actor")).scalar()
        assert names == 5
        assert report.events == 5
        assert report.intact, report.breaks
    finally:
        database.close()
