"""Other clients hear of changes at once: LISTEN/NOTIFY on a PostgreSQL team server.

Every statement that writes audit events (that is, every change made through the
app, and bulk imports) sends one notification on the channel ``chinadialog``
when its transaction commits, from a statement trigger on ``audit_event``
(created by ``db upgrade``): which tables, how many changes, which records
(up to 50) and who (the audit trail's user). PostgreSQL delivers it only after
the commit, so a listener never sees a change that was rolled back.

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
MAX_UUIDS = 50  # a notification's payload must stay under 8,000 bytes

_FUNCTION = f"""
CREATE OR REPLACE FUNCTION chinadialog_notify() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    PERFORM pg_notify('{CHANNEL}', (
        SELECT json_build_object(
            'tables', json_agg(DISTINCT table_name),
            'count', count(*),
            'user', max("user"),
            'pid', pg_backend_pid(),
            'uuids', CASE WHEN count(DISTINCT record_uuid) <= {MAX_UUIDS}
                          THEN json_agg(DISTINCT record_uuid) END
        )::text
        FROM added));
    RETURN NULL;
END
$$
"""
_TRIGGER = (
    "CREATE TRIGGER chinadialog_notify AFTER INSERT ON audit_event "
    "REFERENCING NEW TABLE AS added FOR EACH STATEMENT EXECUTE FUNCTION chinadialog_notify()"
)


def ensure(conn: Connection) -> None:
    """Create the notification trigger if it is missing; ``db upgrade`` calls it."""
    from sqlalchemy import text

    found = conn.execute(
        text("SELECT count(*) FROM pg_trigger WHERE tgname = 'chinadialog_notify'")
    ).scalar()
    if found:
        return  # an up-to-date database is left as it is (any role may run db upgrade then)
    conn.execute(text(_FUNCTION))
    conn.execute(text("DROP TRIGGER IF EXISTS chinadialog_notify ON audit_event"))
    conn.execute(text(_TRIGGER))


@dataclass(frozen=True)
class RemoteChange:
    """What another client committed: tables, how many changes, records (if few), by whom."""

    tables: tuple[str, ...]
    count: int
    user: str
    uuids: tuple[str, ...] | None
    own: bool  # sent by a connection of this process


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
        out: list[RemoteChange] = []
        for note in self.conn.notifies(timeout=timeout, stop_after=None if timeout == 0 else 1):
            out.append(_parse(note.payload, note.pid in self.own_pids))
        if timeout:  # after the first one, take whatever else is already there
            out.extend(
                _parse(n.payload, n.pid in self.own_pids) for n in self.conn.notifies(timeout=0)
            )
        return out

    def close(self) -> None:
        self.conn.close()


def _parse(payload: str, own: bool) -> RemoteChange:
    data = json.loads(payload or "{}")
    uuids = data.get("uuids")
    return RemoteChange(
        tuple(data.get("tables") or ()),
        int(data.get("count") or 0),
        str(data.get("user") or ""),
        tuple(uuids) if uuids is not None else None,
        own,
    )


def track_own_backends(engine: Any, pids: set[int]) -> None:
    """Note the server process of each connection ``engine`` opens (to tell own changes apart)."""
    from sqlalchemy import event

    @event.listens_for(engine, "connect")
    def _note(dbapi_conn: Any, _record: Any) -> None:
        pids.add(int(dbapi_conn.info.backend_pid))
