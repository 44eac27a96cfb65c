"""What a save and a list page cost on a team server, in statements (issue 17, point 9).

Under load every round trip to the server waits for a CPU, so a save and a list page
send as few statements as they can: a page is read outside a transaction (one
statement), a save claims the search index's noted records in one statement and writes
and chains its audit events in three; a pooled connection is not pinged on every
checkout, yet one the server ended is replaced unnoticed; a bulk copy leaves the
planner statistics behind. Counted with SQLAlchemy's statement events and the server's
own view of the session, never timed.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from sqlalchemy import event, select, text

from chinadialog_desktop.persistence.audit import verify_chain
from chinadialog_desktop.persistence.database import Database
from chinadialog_desktop.persistence.models import AuditEvent, Partnership
from chinadialog_desktop.persistence.server import ANALYZE_AFTER_ROWS, analyze_after_bulk
from chinadialog_desktop.services import search, unit
from chinadialog_desktop.services.records import edit as records
from chinadialog_desktop.services.records import lists


@pytest.fixture
def team(pg_database: str) -> Iterator[Database]:
    database = Database.open(pg_database)
    try:
        with database.session() as s:
            for n in range(3):
                records.create(s, "partnership", {"title": f"Kiel–Qingdao {n} (Beispiel)"})
        yield database
    finally:
        database.close()


class Statements:
    """The statements SQLAlchemy sends on ``database``'s engine while counting."""

    def __init__(self, database: Database) -> None:
        self.sent: list[str] = []
        event.listen(database.engine, "before_cursor_execute", self._note)
        self.database = database

    def _note(self, _conn: Any, _cursor: Any, statement: str, *_rest: Any) -> None:
        self.sent.append(" ".join(statement.split())[:60])

    def stop(self) -> list[str]:
        event.remove(self.database.engine, "before_cursor_execute", self._note)
        return self.sent


def _ids(database: Database) -> list[int]:
    with database.session() as s:
        return list(s.scalars(select(Partnership.id).order_by(Partnership.id)))


def test_a_list_page_is_one_statement_outside_a_transaction(team):
    ids = _ids(team)
    unit.read_page(team, lambda s: lists.list_rows(s, "partnership", ids))  # warm
    counted = Statements(team)
    rows = unit.read_page(team, lambda s: lists.list_rows(s, "partnership", ids))
    assert counted.stop() == [counted.sent[0]] and counted.sent[0].startswith("SELECT")
    assert [r.id for r in rows] == ids
    # Outside a transaction: the statement's own moment is its transaction's start.
    with team.reading() as s:
        assert s.execute(text("SELECT now() = statement_timestamp()")).scalar() is True
    with team.session() as s:
        s.execute(text("SELECT 1"))
        assert s.execute(text("SELECT now() = statement_timestamp()")).scalar() is False


def test_a_session_for_reading_refuses_to_write_and_writes_nothing(team):
    pid = _ids(team)[0]
    with pytest.raises(RuntimeError, match="reads only"), team.reading() as s:
        s.get(Partnership, pid).title = "Umbenannt (Beispiel)"  # type: ignore[union-attr]
        s.flush()
    with team.session() as s:
        assert s.get(Partnership, pid).title == "Kiel–Qingdao 0 (Beispiel)"  # type: ignore[union-attr]
    # Changed but never flushed: gone with the session, as in a read that rolls back.
    with team.reading() as s:
        s.get(Partnership, pid).title = "Umbenannt (Beispiel)"  # type: ignore[union-attr]
    with team.session() as s:
        assert s.get(Partnership, pid).title == "Kiel–Qingdao 0 (Beispiel)"  # type: ignore[union-attr]


def test_a_save_sends_few_statements_and_its_events_are_chained(team):
    pid = _ids(team)[1]
    with team.session() as s:  # warm: what is asked once per connection is asked now
        records.update(s, "partnership", pid, "description", "Erste Fassung (Beispiel)")
    with team.session() as s:  # what the editor read when it opened the record
        version = s.get(Partnership, pid).version  # type: ignore[union-attr]
    counted = Statements(team)
    with team.session() as s:
        records.update(
            s, "partnership", pid, "description", "Zweite Fassung (Beispiel)",
            expected_version=version,
        )  # fmt: skip
    sent = counted.stop()
    # read, update; claim the noted records, read them, index them; turn, events, seal
    assert len(sent) == 8, "\n".join(sent)
    assert sum("search_dirty" in s for s in sent) == 1
    assert sum("audit_event" in s for s in sent) == 2
    with team.engine.connect() as conn:
        assert verify_chain(conn).intact
        user = conn.execute(text("SELECT session_user")).scalar()
        last = conn.execute(
            select(AuditEvent.user, AuditEvent.new_value).order_by(AuditEvent.id.desc())
        ).first()
        assert tuple(last) == (user, "Zweite Fassung (Beispiel)")  # type: ignore[arg-type]
        assert conn.execute(text("SELECT count(*) FROM search_dirty")).scalar() == 0
    with team.session() as s:  # the search index followed the save
        found = search.search(s, "Zweite Fassung")
        assert pid in {h.record_id for g in found.groups if g.kind == "partnership" for h in g.hits}


def test_a_connection_the_server_ended_is_replaced_without_a_word(team, pg_server):
    ids = _ids(team)
    with team.engine.connect() as conn:
        pid = conn.execute(text("SELECT pg_backend_pid()")).scalar()
    # ended, and waited for until it is gone (its socket closed)
    assert pg_server.sql(f"SELECT pg_terminate_backend({int(pid)}, 60000)") == [(True,)]  # type: ignore[arg-type]
    # Checked out again at once (not idle long enough for a ping): the socket tells.
    rows = unit.read_page(team, lambda s: lists.list_rows(s, "partnership", ids))
    assert [r.id for r in rows] == ids
    with team.engine.connect() as conn:
        assert conn.execute(text("SELECT pg_backend_pid()")).scalar() != pid


def test_a_large_bulk_write_leaves_planner_statistics_a_small_one_not(team, pg_server):
    # a small change, or a small share of a large table, keeps the statistics there are
    name = team.engine.url.database

    def analysed() -> object:
        return pg_server.sql(
            "SELECT last_analyze FROM pg_stat_user_tables WHERE relname = 'partnership'", name
        )[0][0]

    few, many = ANALYZE_AFTER_ROWS - 1, ANALYZE_AFTER_ROWS
    assert analyze_after_bulk(team.engine, ["partnership"], changed=few, total=few) is False
    assert analyze_after_bulk(team.engine, ["partnership"], changed=many, total=10 * many) is False
    assert analysed() is None
    assert analyze_after_bulk(team.engine, ["partnership"], changed=many, total=many) is True
    assert analysed() is not None
