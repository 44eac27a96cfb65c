"""Other clients hear of changes at once: LISTEN/NOTIFY on a PostgreSQL team server.

Every statement that writes audit events (that is, every change made through the
app, and bulk imports) sends one notification on the channel ``chinadialog``
when its transaction commits, from a statement trigger on ``audit_event``
(created by ``db upgrade``). PostgreSQL delivers it only after the commit, so a
listener never sees a change that was rolled back.

The notification itself names nothing: every role that may log in receives it,
also one not cleared for VS-NfD, so it carries only the range of the audit
events' ids the statement wrote (``{"first": …, "last": …}``), which says no
more than the gaps between the ids a role can read in the audit trail. The
listener then reads those events itself, with its own rights: the audit trail's
row-level security (db/team/policies.sql) hides the events of records the role
may not see, so it learns tables, records and user only of what it may see. A
change of which it sees nothing still arrives, as an anonymous one (no table, no
record, no user): the lists refresh (a record may have become VS-NfD and
vanished for it) and an open editor checks its record.

``Watcher`` holds one extra connection that only listens; ``poll()`` returns the
changes that arrived, without waiting unless asked to. The window polls it a few
times a second and refreshes its lists when another client changed something.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from sqlalchemy import Connection

    from chinadialog_desktop.persistence.server import ServerTarget

CHANNEL = "chinadialog"
MAX_UUIDS = 50  # records named per change; more: "any record may have changed"
# The events a listener reads of one notification, at most: reading 100,000 events of a
# large import through the audit trail's row-level security takes seconds, and the
# window polls on its UI thread. A larger change is read from its start (tables,
# user), its records not named, its count a lower bound (``more``).
READ_LIMIT = 200

# The body of the trigger function, as the server stores it (``ensure`` compares it).
_BODY = f"""
BEGIN
    PERFORM pg_notify('{CHANNEL}', (
        SELECT json_build_object('first', min(id), 'last', max(id))::text FROM added));
    RETURN NULL;
END
"""
_FUNCTION = (
    "CREATE OR REPLACE FUNCTION chinadialog_notify() RETURNS trigger LANGUAGE plpgsql "
    f"AS $${_BODY}$$"
)
_TRIGGER = (
    "CREATE TRIGGER chinadialog_notify AFTER INSERT ON audit_event "
    "REFERENCING NEW TABLE AS added FOR EACH STATEMENT EXECUTE FUNCTION chinadialog_notify()"
)


def ensure(conn: Connection) -> None:
    """Create the notification trigger or bring an older one up to date (``db upgrade``)."""
    from sqlalchemy import text

    found = conn.execute(
        text(
            "SELECT p.prosrc FROM pg_trigger t JOIN pg_proc p ON p.oid = t.tgfoid "
            "WHERE t.tgname = 'chinadialog_notify'"
        )
    ).scalar()
    if found == _BODY:
        return  # an up-to-date database is left as it is (any role may run db upgrade then)
    conn.execute(text(_FUNCTION))
    conn.execute(text("DROP TRIGGER IF EXISTS chinadialog_notify ON audit_event"))
    conn.execute(text(_TRIGGER))


# What a listener reads of the events a notification points at, with its own rights (the
# audit trail's row-level security); one row per notification, in the order they came.
_READ = f"""
SELECT r.k, count(e.id), max(e."user"),
       COALESCE(json_agg(DISTINCT e.table_name) FILTER (WHERE e.id IS NOT NULL), '[]'),
       CASE WHEN count(DISTINCT e.record_uuid) <= {MAX_UUIDS}
            THEN COALESCE(json_agg(DISTINCT e.record_uuid)
                          FILTER (WHERE e.record_uuid IS NOT NULL), '[]') END
FROM unnest(%s::bigint[], %s::bigint[]) WITH ORDINALITY AS r(lo, hi, k)
LEFT JOIN audit_event e ON e.id BETWEEN r.lo AND r.hi
GROUP BY r.k ORDER BY r.k
"""


@dataclass(frozen=True)
class RemoteChange:
    """What another client committed, as far as this role may see it: tables, how many
    changes, records (if few; None: any record may have changed), by whom. Nothing
    visible: no tables, ``count`` 0, no user, ``uuids`` None."""

    tables: tuple[str, ...]
    count: int
    user: str
    uuids: tuple[str, ...] | None
    own: bool  # sent by a connection of this process
    more: bool = False  # a large change read only in part: ``count`` is at least that many


class Watcher:
    """Listens on the team server for changes; ``poll()`` never blocks unless told to."""

    def __init__(self, target: ServerTarget, own_pids: set[int] | None = None) -> None:
        import psycopg

        from chinadialog_desktop.persistence.server import CONNECT_TIMEOUT_S, stored_password

        params: dict[str, Any] = dict(target.parameters)
        self.conn = psycopg.connect(
            host=target.host,
            port=target.port,
            dbname=target.database,
            user=target.user,
            password=stored_password(target),
            autocommit=True,
            connect_timeout=int(params.pop("connect_timeout", CONNECT_TIMEOUT_S)),
            application_name="ChinaDialog Desktop (changes)",
            **params,
        )
        self.conn.execute(f"LISTEN {CHANNEL}")
        # Backends of this process's own engine: its changes are not "another client's".
        self.own_pids = own_pids if own_pids is not None else set()

    def poll(self, timeout: float = 0.0) -> list[RemoteChange]:
        """The changes that arrived (waiting up to ``timeout`` seconds for the first one)."""
        notes = list(self.conn.notifies(timeout=timeout, stop_after=None if timeout == 0 else 1))
        if timeout:  # after the first one, take whatever else is already there
            notes.extend(self.conn.notifies(timeout=0))
        out: list[RemoteChange | None] = []
        ranges: list[tuple[int, int, bool]] = []  # ids to read, and whether there are more
        for note in notes:
            if note.pid in self.own_pids:  # this process's own change: nothing to read
                out.append(RemoteChange((), 0, "", None, True))
                continue
            span = _span(note.payload)
            if span is None:
                out.append(RemoteChange((), 0, "", None, False))
            else:
                out.append(None)  # read below
                first, last = span
                end = min(last, first + READ_LIMIT - 1)
                ranges.append((first, end, end < last))
        if ranges:
            rows = self.conn.execute(
                _READ, ([r[0] for r in ranges], [r[1] for r in ranges])
            ).fetchall()
            read = iter(zip(rows, (r[2] for r in ranges), strict=True))
            out = [c if c is not None else _change(*next(read)) for c in out]
        return [c for c in out if c is not None]

    def close(self) -> None:
        self.conn.close()


def _span(payload: str) -> tuple[int, int] | None:
    """The range of audit-event ids a notification points at (None: not one of ours)."""
    try:
        data = json.loads(payload or "{}")
        return int(data["first"]), int(data["last"])
    except (ValueError, TypeError, KeyError):
        return None


def _change(row: Any, more: bool) -> RemoteChange:
    """What the listener may see of one notification's events: tables, count, user, records;
    an anonymous change when it may see none of them."""
    _k, count, user, tables, uuids = row
    return RemoteChange(
        tuple(tables or ()),
        int(count or 0),
        str(user or ""),
        tuple(uuids) if uuids is not None and count and not more else None,
        False,
        more,
    )


def track_own_backends(engine: Any, pids: set[int]) -> None:
    """Note the server process of each connection ``engine`` opens (to tell own changes apart)."""
    from sqlalchemy import event

    @event.listens_for(engine, "connect")
    def _note(dbapi_conn: Any, _record: Any) -> None:
        pids.add(int(dbapi_conn.info.backend_pid))
