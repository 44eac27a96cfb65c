"""The change notifications of a team server (issue 17, point 5): a database set up by an
older version, whose notifications named tables and records, gets the new trigger from
``db upgrade``; its payload names nothing (what a listener may see: test_team_rights.py)."""

from __future__ import annotations

import json

import psycopg

from chinadialog_desktop.persistence.database import Database
from chinadialog_desktop.persistence.server import parse_target
from chinadialog_desktop.persistence.server_notify import CHANNEL, Watcher
from chinadialog_desktop.persistence.server_upgrade import upgrade_server
from chinadialog_desktop.services.records import edit

OLD_FUNCTION = """
CREATE OR REPLACE FUNCTION chinadialog_notify() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    PERFORM pg_notify('chinadialog', (
        SELECT json_build_object('tables', json_agg(DISTINCT table_name),
                                 'uuids', json_agg(DISTINCT record_uuid))::text
        FROM added));
    RETURN NULL;
END
$$
"""


def test_db_upgrade_replaces_a_notification_that_named_records(pg_server, pg_database):
    name = pg_database.rsplit("/", 1)[1]
    pg_server.sql(OLD_FUNCTION, name)
    upgrade_server(parse_target(pg_database))
    source = pg_server.sql("SELECT prosrc FROM pg_proc WHERE proname = 'chinadialog_notify'", name)
    assert "record_uuid" not in str(source[0][0]) and "'first'" in str(source[0][0])

    database = Database.open(pg_database)
    listener = psycopg.connect(pg_database, autocommit=True)
    watcher = Watcher(parse_target(pg_database))
    try:
        listener.execute(f"LISTEN {CHANNEL}")
        with database.session() as s:
            edit.create(s, "actor", {"name_de": "Stadtwerke Musterstadt (Beispiel)"})
        (note,) = list(listener.notifies(timeout=10, stop_after=1))
        assert set(json.loads(note.payload)) == {"first", "last"}
        assert "actor" not in note.payload
        changes = watcher.poll(timeout=10)
        # The superuser of this test server sees every event it points at.
        assert changes and "actor" in changes[0].tables and changes[0].uuids
    finally:
        watcher.close()
        listener.close()
        database.close()


def test_a_large_change_is_read_only_in_part(pg_database, monkeypatch):
    """A listener reads at most READ_LIMIT events of one notification (a 100,000-row import
    would otherwise hold the window for seconds): tables and user from its start, its count
    a lower bound, no records named, so an open editor checks its own record."""
    from chinadialog_desktop.persistence import server_notify

    monkeypatch.setattr(server_notify, "READ_LIMIT", 5)
    watcher = Watcher(parse_target(pg_database))
    try:
        with psycopg.connect(pg_database) as writer:  # 20 events in one statement, as a
            writer.execute(  # bulk import writes them
                'INSERT INTO audit_event (at, "user", action, table_name, record_uuid) '
                "SELECT now(), 'x', 'insert', 'partnership', md5(g::text) "
                "FROM generate_series(1, 20) AS g"
            )
        (change,) = watcher.poll(timeout=10)
        assert change.more and change.count == 5 and change.uuids is None
        assert change.tables == ("partnership",) and change.user == "postgres"
    finally:
        watcher.close()
