"""The audit trail: every insert, update and delete writes events in the same transaction."""

from __future__ import annotations

import hashlib
import json
import os
import weakref
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, date, datetime
from functools import cache
from typing import Any

from sqlalchemy import Connection, event, insert, inspect, select, text
from sqlalchemy.orm import ColumnProperty, RelationshipProperty, Session, sessionmaker

from chinadialog_desktop.domain.enums import AuditAction
from chinadialog_desktop.errors import UserError
from chinadialog_desktop.i18n import _, format_number
from chinadialog_desktop.persistence.base import Record, utcnow
from chinadialog_desktop.persistence.models_system import AuditEvent, ImportRun
from chinadialog_desktop.persistence.server import (
    audit_turn_after,
    holds_audit_turn,
    lock_audit_writers,
    take_audit_turn,
)

# Bookkeeping columns change on every write; recording them would only add noise.
_SKIPPED = {"id", "modified_at", "version", "created_at"}
_NOT_AUDITED = (ImportRun,)


@cache
def current_user() -> str:
    """The operating system account this process runs as (never $USER, $LOGNAME …).

    Environment variables can be set to anything by whoever starts the program;
    the account behind the process cannot.
    """
    try:
        if os.name == "posix":
            import pwd

            uid = os.geteuid()
            try:
                return pwd.getpwuid(uid).pw_name
            except KeyError:  # no passwd entry (some containers): the number is still true
                return f"uid {uid}"
        return _windows_account()
    except Exception:  # the account cannot be read at all
        return "unbekannt"


def _windows_account() -> str:
    import ctypes

    size = ctypes.c_ulong(257)
    buffer = ctypes.create_unicode_buffer(size.value)
    if not ctypes.windll.advapi32.GetUserNameW(buffer, ctypes.byref(size)):  # type: ignore[attr-defined]
        raise OSError("GetUserNameW failed")
    return str(buffer.value)


# -- the hash chain ---------------------------------------------------------------------
# Each event carries the SHA-256 of (the previous event's hash + its own fields as stored),
# so changing, deleting or inserting an event outside the app breaks the chain from there.
# Events are written without a hash (by the ORM hook below or by bulk inserts) and sealed
# in order just before their transaction commits, while SQLite's write lock is held (on a
# PostgreSQL server an advisory lock taken before the first event plays that part).

# "user" quoted: unquoted, PostgreSQL reads it as the keyword (the current role), not the column.
_CHAINED = (
    "at",
    '"user"',
    "action",
    "table_name",
    "record_uuid",
    "field",
    "old_value",
    "new_value",
)
_SELECT_UNSEALED = text(
    f"SELECT id, {', '.join(_CHAINED)} FROM audit_event "  # noqa: S608 - fixed column names
    "WHERE chain_hash IS NULL AND id > :after ORDER BY id LIMIT :n"
)
_SEAL_BATCH = 5000
# session.info: the last event id before this transaction, and the last one a bulk writer
# sealed as it wrote (``bulk_chain_head``); events after the larger are sealed at commit.
_AFTER, _SEALED = "audit_after_id", "audit_sealed_through"
_ENCODE = json.JSONEncoder(ensure_ascii=False, separators=(",", ":")).encode


def _chained_text(value: Any) -> str:
    """A stored value as hashed: times as SQLite stores them (UTC, no zone), on both engines.

    A file returns ``at`` as that text, a server as a time with its session's
    zone; so an event hashes alike in a file and in a team database it was
    copied to (``db copy``).
    """
    if isinstance(value, datetime):
        if value.tzinfo is not None:
            value = value.astimezone(UTC).replace(tzinfo=None)
        return str(value.strftime("%Y-%m-%d %H:%M:%S.%f"))
    return str(value)


def event_hash(previous: str, values: Sequence[Any]) -> str:
    """The chain hash of one event from the previous hash and its stored column values."""
    payload = _ENCODE([previous, *(None if v is None else _chained_text(v) for v in values)])
    return hashlib.sha256(payload.encode("utf-8")).hexdigest()


def text_event_hash(previous: str, values: Sequence[str | None]) -> str:
    """``event_hash`` of values that are already stored text (or None): a bulk writer's events."""
    return hashlib.sha256(_ENCODE([previous, *values]).encode("utf-8")).hexdigest()


def _legacy_event_hash(previous: str, values: Sequence[Any]) -> str:
    """The hash as team databases sealed it before times were normalised (still accepted)."""
    payload = _ENCODE([previous, *(None if v is None else str(v) for v in values)])
    return hashlib.sha256(payload.encode("utf-8")).hexdigest()


def _last_hash_before(conn: Connection, event_id: int) -> str:
    if conn.dialect.name == "postgresql":
        # Through a function with the owner's rights: row-level security may hide the
        # event before from this role (VS-NfD), its hash is all sealing needs.
        found = conn.execute(
            text("SELECT chinadialog_audit_last_hash(:id)"), {"id": event_id}
        ).scalar()
        return str(found) if found else ""
    found = conn.execute(
        text(
            "SELECT chain_hash FROM audit_event WHERE id < :id AND chain_hash IS NOT NULL "
            "ORDER BY id DESC LIMIT 1"
        ),
        {"id": event_id},
    ).scalar()
    return str(found) if found else ""


def seal(conn: Connection, after_id: int = 0) -> int:
    """Give every unsealed event with an id above ``after_id`` its chain hash; returns how many.

    Works on a server whose audit functions do not exist yet (a migration seals before
    ``db upgrade`` creates them); a commit on a current server uses ``_seal_server``.
    """
    sealed = 0
    previous: str | None = None
    while rows := conn.execute(_SELECT_UNSEALED, {"after": after_id, "n": _SEAL_BATCH}).all():
        if previous is None:
            previous = _last_hash_before(conn, rows[0][0])
        updates: list[tuple[str, int]] = []
        for row in rows:
            previous = event_hash(previous, row[1:])
            updates.append((previous, row[0]))
        if conn.dialect.paramstyle == "qmark":  # SQLite: the driver's executemany, fastest
            conn.exec_driver_sql("UPDATE audit_event SET chain_hash = ? WHERE id = ?", updates)
        else:
            conn.execute(
                _UPDATE_SEALED_SERVER,
                {"ids": [i for _h, i in updates], "hashes": [h for h, _i in updates]},
            )
        sealed += len(rows)
        after_id = rows[-1][0]
        if len(rows) < _SEAL_BATCH:
            break
    return sealed


# On a server, while the audit writers' turn is held: the unsealed events and the hash
# before the first of them in one round trip, then all their hashes in one UPDATE.
_SELECT_UNSEALED_SERVER = text(
    f"WITH unsealed AS (SELECT id, {', '.join(_CHAINED)} FROM audit_event "  # noqa: S608
    "WHERE chain_hash IS NULL AND id > :after ORDER BY id LIMIT :n), "
    # MATERIALIZED: the function runs once, not once per event
    "before AS MATERIALIZED "
    "(SELECT chinadialog_audit_last_hash((SELECT min(id) FROM unsealed)) AS h) "
    "SELECT unsealed.*, before.h FROM unsealed CROSS JOIN before ORDER BY unsealed.id"
)
_UPDATE_SEALED_SERVER = text(
    "UPDATE audit_event SET chain_hash = sealed.h "
    "FROM unnest(CAST(:ids AS BIGINT[]), CAST(:hashes AS TEXT[])) AS sealed(i, h) "
    "WHERE audit_event.id = sealed.i"
)


def _seal_server(conn: Connection, after_id: int) -> int:
    """``seal`` on a current server in the audit turn: two round trips for a save's events."""
    sealed = 0
    previous: str | None = None
    while rows := conn.execute(
        _SELECT_UNSEALED_SERVER, {"after": after_id, "n": _SEAL_BATCH}
    ).all():
        if previous is None:
            found = rows[0][-1]
            previous = str(found) if found else ""
        previous = _seal_rows_server(conn, rows, previous)
        sealed += len(rows)
        after_id = rows[-1][0]
        if len(rows) < _SEAL_BATCH:
            break
    return sealed


# A transaction's queued events on a server in one statement, after the turn is taken
# (``take_audit_turn``, a statement of its own: this one's snapshot must see the events
# the writers before in the turn committed): inserted in queue order, returned as stored
# (the trigger sets "user"), with the chain hash before the first of them.
_INSERT_QUEUE_SERVER = text(
    "WITH added AS (INSERT INTO audit_event "  # noqa: S608 - fixed column names
    f"(at, {', '.join(_CHAINED[1:])}) "
    "SELECT q.at, q.u, q.a, q.t, q.r, q.f, q.o, q.n FROM unnest("
    "CAST(:at AS TIMESTAMPTZ[]), CAST(:u AS TEXT[]), CAST(:a AS TEXT[]), CAST(:t AS TEXT[]), "
    "CAST(:r AS TEXT[]), CAST(:f AS TEXT[]), CAST(:o AS TEXT[]), CAST(:n AS TEXT[])) "
    "WITH ORDINALITY AS q(at, u, a, t, r, f, o, n, i) ORDER BY q.i "
    f"RETURNING id, {', '.join(_CHAINED)}), "
    "before AS MATERIALIZED "
    "(SELECT chinadialog_audit_last_hash((SELECT min(id) FROM added)) AS h) "
    "SELECT added.*, before.h FROM added CROSS JOIN before ORDER BY added.id"
)
_QUEUE_COLUMNS = (
    ("at", "at"),
    ("u", "user"),
    ("a", "action"),
    ("t", "table_name"),
    ("r", "record_uuid"),
    ("f", "field"),
    ("o", "old_value"),
    ("n", "new_value"),
)


def write_queue_server(conn: Connection, queue: list[dict[str, Any]]) -> int:
    """A transaction's events on a current server, written and sealed in three round trips
    (take the turn; insert, read back and find the hash before; seal), when it has written
    none before (``holds_audit_turn`` is False); returns how many."""
    take_audit_turn(conn)
    rows = conn.execute(
        _INSERT_QUEUE_SERVER, {key: [e[name] for e in queue] for key, name in _QUEUE_COLUMNS}
    ).all()
    _seal_rows_server(conn, rows, str(rows[0][-1] or ""))
    return len(rows)


def _seal_rows_server(conn: Connection, rows: Sequence[Any], previous: str) -> str:
    """Chain ``rows`` (id, the chained columns…, anything last) to ``previous`` and store
    their hashes in one statement; returns the last hash."""
    ids: list[int] = []
    hashes: list[str] = []
    for row in rows:
        previous = event_hash(previous, row[1:-1])
        ids.append(row[0])
        hashes.append(previous)
    conn.execute(_UPDATE_SEALED_SERVER, {"ids": ids, "hashes": hashes})
    return previous


def bulk_chain_head(session: Session) -> str | None:
    """For a bulk writer that hashes its events as it writes them: the hash they chain to.

    Seals this transaction's events written so far (by the ORM hook: few) and
    returns the chain hash the next event follows; the writer then inserts its
    events with their ``chain_hash`` already set, in id order, and calls
    :func:`bulk_chain_written`. That spares reading every event back at commit
    to hash it (100,000 events of an import). SQLite only, where the write lock
    is held from the transaction's first write; on a server (and in a session
    that is not audited) None: the events are written unsealed and sealed at
    commit as before.
    """
    conn = session.connection()
    if conn.dialect.name != "sqlite" or _AFTER not in session.info:
        return None
    seal(conn, _sealed_after(session))
    found = conn.execute(
        text(
            "SELECT chain_hash FROM audit_event WHERE chain_hash IS NOT NULL "
            "ORDER BY id DESC LIMIT 1"
        )
    ).scalar()
    return str(found) if found else ""


def bulk_chain_written(session: Session) -> None:
    """The events a bulk writer just inserted are sealed: later sealing starts after them."""
    row = (
        session.connection()
        .execute(text("SELECT id, chain_hash FROM audit_event ORDER BY id DESC LIMIT 1"))
        .first()
    )
    if row is not None and row[1] is not None:
        session.info[_SEALED] = (int(row[0]), str(row[1]))


def _sealed_after(session: Session) -> int:
    """The id after which this transaction's events may still be unsealed.

    The last event a bulk writer sealed counts only while it is still there as
    sealed (a savepoint rolled back since would have taken it away, and its id
    may be used again); otherwise everything since the transaction began.
    """
    after = int(session.info.get(_AFTER) or 0)
    sealed = session.info.get(_SEALED)
    if sealed is None or sealed[0] <= after:
        return after
    still = (
        session.connection()
        .execute(text("SELECT chain_hash FROM audit_event WHERE id = :i"), {"i": sealed[0]})
        .scalar()
    )
    return sealed[0] if still == sealed[1] else after


@dataclass(frozen=True)
class ChainBreak:
    event_id: int
    at: str
    reason: str  # "changed" (this event or the one before it was altered/removed) or "unsealed"


@dataclass(frozen=True)
class ChainReport:
    events: int
    breaks: list[ChainBreak]

    @property
    def intact(self) -> bool:
        return not self.breaks


class AuditHidden(UserError):
    """Row-level security hides events from this role: the chain cannot be checked whole."""


def _refuse_hidden(conn: Connection) -> None:
    if conn.dialect.name != "postgresql":
        return
    total = int(conn.execute(text("SELECT chinadialog_audit_total()")).scalar() or 0)
    seen = int(conn.execute(text("SELECT count(*) FROM audit_event")).scalar() or 0)
    if seen < total:
        user = conn.execute(text("SELECT session_user")).scalar()
        raise AuditHidden(
            _(
                "Your database role {user} does not see {hidden} of the {total} events of the "
                "audit trail (they concern records classified VS-NfD), so the trail can only "
                "be checked by a role cleared for VS-NfD; nothing was checked."
            ).format(user=user, hidden=format_number(total - seen), total=format_number(total))
        )


def verify_chain(conn: Connection, limit: int = 100) -> ChainReport:
    """Walk the whole trail in order and report where the chain breaks (the first ``limit``).

    On a team server a role that does not see every event gets ``AuditHidden``.
    """
    _refuse_hidden(conn)
    breaks: list[ChainBreak] = []
    previous = ""
    events = 0
    result = conn.execute(
        text(f"SELECT id, chain_hash, {', '.join(_CHAINED)} FROM audit_event ORDER BY id")  # noqa: S608
    )
    for row in result:
        events += 1
        stored = row[1]
        if stored is None:
            if len(breaks) < limit:
                breaks.append(ChainBreak(row[0], str(row[2]), "unsealed"))
            continue  # written outside the app: judge the next one against the last sealed
        if (
            event_hash(previous, row[2:]) != stored
            and _legacy_event_hash(previous, row[2:]) != stored
            and len(breaks) < limit
        ):
            breaks.append(ChainBreak(row[0], str(row[2]), "changed"))
        previous = stored  # resynchronise: each altered event is reported once
    return ChainReport(events, breaks)


@dataclass(frozen=True)
class RecordMismatch:
    table: str
    record_uuid: str
    field: str | None  # None: the record has no history at all, or was deleted in it


def _audited_classes() -> list[type[Record]]:
    from chinadialog_desktop.persistence import models  # noqa: F401 - every mapper registered
    from chinadialog_desktop.persistence.base import Base

    found = []
    for mapper in Base.registry.mappers:
        cls = mapper.class_
        if (
            issubclass(cls, Record)
            and not issubclass(cls, _NOT_AUDITED)
            and cls.__tablename__ not in _AUDITED_PER_RUN  # type: ignore[attr-defined]
        ):
            found.append(cls)
    return found


def _comparable_fields(cls: type[Record]) -> list[str]:
    """Plain columns: foreign keys are set through relationships and audited by those."""
    mapper = inspect(cls)
    fields = []
    for prop in mapper.column_attrs:
        if prop.key in _SKIPPED:
            continue
        if any(col.foreign_keys for col in prop.columns):
            continue
        fields.append(prop.key)
    return fields


# Written in bulk and audited by one event per import run, not per row.
_AUDITED_PER_RUN = {"reference_entity"}


def _same(value: Any, recorded: str | None) -> bool:
    if _text(value) == recorded:
        return True
    if isinstance(value, datetime) and recorded:  # stored without its time zone (SQLite)
        try:
            then = datetime.fromisoformat(recorded)
        except ValueError:
            return False
        if then.tzinfo is not None:
            then = then.astimezone(UTC).replace(tzinfo=None)
        now = value.astimezone(UTC).replace(tzinfo=None) if value.tzinfo else value
        return now == then
    return False


def verify_records(session: Session, limit: int = 100) -> list[RecordMismatch]:
    """Records whose current values differ from what their audit trail says they are.

    The trail is replayed (insert snapshot, then every field update); a value
    changed with another tool, bypassing the trail, shows up here.
    """
    state: dict[tuple[str, str], dict[str, Any] | None] = {}
    rows = session.connection().execute(
        text(
            "SELECT table_name, record_uuid, action, field, new_value FROM audit_event "
            "WHERE action IN ('insert', 'update', 'delete') ORDER BY id"
        )
    )
    for table, uuid, action, field, new in rows:
        key = (table, uuid)
        if action == "insert":
            try:
                snap = json.loads(new) if new else {}
            except ValueError:
                snap = {}
            state[key] = snap if isinstance(snap, dict) else {}
        elif action == "delete":
            state[key] = None
        elif field is not None:
            current = state.setdefault(key, {})
            if current is not None:
                current[field] = new
    mismatches: list[RecordMismatch] = []
    for cls in _audited_classes():
        table = cls.__tablename__  # type: ignore[attr-defined]
        fields = _comparable_fields(cls)
        for obj in session.scalars(select(cls)).yield_per(2000):
            known = state.get((table, obj.uuid))
            if known is None:
                mismatches.append(RecordMismatch(table, obj.uuid, None))
            else:
                for name in fields:
                    if name in known and not _same(getattr(obj, name), known[name]):
                        mismatches.append(RecordMismatch(table, obj.uuid, name))
            if len(mismatches) >= limit:
                return mismatches
        session.expunge_all()
    return mismatches


def record_run(
    session: Session, table_name: str, record_uuid: str, summary: dict[str, Any]
) -> None:
    """One audit event for a whole bulk operation (a reference-list import): counts, file hash."""
    row = {
        "at": utcnow(),
        "user": current_user(),
        "action": AuditAction.IMPORT.value,
        "table_name": table_name,
        "record_uuid": record_uuid,
        "field": None,
        "old_value": None,
        "new_value": json.dumps(summary, ensure_ascii=False, sort_keys=True),
    }
    held = session.info.get(_DEFERRED)
    if held is not None:
        held.append(row)
        return
    _write(session, [row])


# -- the audit writers' turn on a server ---------------------------------------------------
# On a team server the writers take turns (``lock_audit_writers``) from their first event
# to their commit, so that ids follow commit order and the chain can be sealed in id
# order. A turn held from a save's flush to its commit would cover everything else the
# commit does (the search index's drain, the other hooks) and make every other save wait
# for it. So on a server the events of a transaction are kept in memory (the "queue")
# and written at its very end: ``_before_commit``, registered after every other commit
# hook (``write_last``), takes the turn, writes them in one INSERT, seals them, and the
# commit follows at once. The content of each event is what its flush saw, as before.
# A savepoint rolled back drops the events queued inside it, as the database drops its
# rows. On SQLite (one writer at a time anyway) events are written by each flush, as
# they always were.

_QUEUE = "audit_queue"  # events of this transaction not written yet (server)
_MARKS = "audit_savepoints"  # savepoint transaction → queue length at its start


def _queue(session: Session) -> list[dict[str, Any]] | None:
    """This transaction's queue on a server; None on SQLite (events are written at once)."""
    queue = session.info.get(_QUEUE)
    if queue is None and session.get_bind().dialect.name == "postgresql":
        queue = session.info[_QUEUE] = []
    return queue


def _write(session: Session, rows: list[dict[str, Any]]) -> None:
    """Write events: queued till the commit on a server, at once (in the turn) on a file."""
    queue = _queue(session)
    if queue is not None:
        queue.extend(rows)
        return
    lock_audit_writers(session.connection())
    session.connection().execute(insert(AuditEvent), rows)


def _after_begin(session: Session, transaction: Any, connection: Connection) -> None:
    """Remember where this transaction's events will start (events of others are not ours)."""
    if transaction.nested:  # a savepoint: the transaction's own start still counts
        return
    session.info.pop(_QUEUE, None)
    session.info.pop(_MARKS, None)
    if connection.dialect.name == "postgresql":
        session.info.pop(_AFTER, None)  # noted with the turn (lock_audit_writers)
        return
    last = connection.execute(text("SELECT coalesce(max(id), 0) FROM audit_event")).scalar()
    session.info[_AFTER] = int(last or 0)
    session.info.pop(_SEALED, None)


def _after_transaction_create(session: Session, transaction: Any) -> None:
    if transaction.nested and session.info.get(_QUEUE):
        session.info.setdefault(_MARKS, {})[transaction] = len(session.info[_QUEUE])


def _after_soft_rollback(session: Session, previous: Any) -> None:
    if not previous.nested:
        session.info.pop(_QUEUE, None)
        session.info.pop(_MARKS, None)
        return
    queue = session.info.get(_QUEUE)
    if queue is None:
        return
    mark = session.info.get(_MARKS, {}).pop(previous, 0)  # no mark: queue was empty then
    del queue[mark:]


def _before_commit(session: Session) -> None:
    # SQLAlchemy runs this hook before the commit's own final flush: flush here, so the
    # events of changes still pending are written now and sealed below, not left unsealed.
    session.flush()
    if session.in_nested_transaction():
        # A savepoint released (SQLAlchemy runs the hook for it too): the transaction goes
        # on, and its commit writes and seals all of its events. Sealing here and dropping
        # the start id left the events after the savepoint unsealed.
        return
    queue = session.info.pop(_QUEUE, None)
    session.info.pop(_MARKS, None)
    if (
        queue
        and session.get_bind().dialect.name == "postgresql"
        and not holds_audit_turn(session.connection())
    ):
        # The usual save: no event written before, so only the queue is to be sealed.
        write_queue_server(session.connection(), queue)
        return
    if queue:
        lock_audit_writers(session.connection())  # the turn: held from here to the commit
        session.connection().execute(insert(AuditEvent), queue)
    if session.get_bind().dialect.name == "postgresql":
        # Every writer of events on a server takes the turn first; no turn, no events.
        after = audit_turn_after(session.connection())
        if after is not None:
            _seal_server(session.connection(), after)
        return
    if _AFTER not in session.info:
        return
    after = _sealed_after(session)
    session.info.pop(_AFTER, None)
    session.info.pop(_SEALED, None)
    seal(session.connection(), after)


def _text(value: Any) -> str | None:
    if value is None:
        return None
    if isinstance(value, bytes):
        return f"<{len(value)} Bytes>"
    if isinstance(value, datetime | date):
        return value.isoformat()
    if isinstance(value, list | dict):
        return json.dumps(value, ensure_ascii=False, sort_keys=True)
    if isinstance(value, Record):
        return value.uuid
    return str(value)


def _snapshot(obj: Record) -> str:
    mapper = inspect(obj).mapper
    values = {
        prop.key: _text(getattr(obj, prop.key))
        for prop in mapper.iterate_properties
        if isinstance(prop, ColumnProperty) and prop.key not in _SKIPPED
    }
    return json.dumps(values, ensure_ascii=False, sort_keys=True)


def _updates(obj: Record) -> list[tuple[str, str | None, str | None]]:
    state = inspect(obj)
    changes = []
    for prop in state.mapper.iterate_properties:
        if prop.key in _SKIPPED:
            continue
        if isinstance(prop, RelationshipProperty) and prop.uselist:
            continue  # collections are audited through their members
        hist = state.attrs[prop.key].history
        if not hist.has_changes():
            continue
        old = hist.deleted[0] if hist.deleted else None
        new = hist.added[0] if hist.added else None
        if _text(old) == _text(new):
            continue
        changes.append((prop.key, _text(old), _text(new)))
    return changes


def _after_flush(session: Session, _ctx: Any) -> None:
    user = current_user()
    now = utcnow()
    rows: list[dict[str, Any]] = []

    def row(obj: Record, action: AuditAction, field: str | None, old: Any, new: Any) -> None:
        rows.append(
            {
                "at": now,
                "user": user,
                "action": action.value,
                "table_name": obj.__tablename__,  # type: ignore[attr-defined]
                "record_uuid": obj.uuid,
                "field": field,
                "old_value": old,
                "new_value": new,
            }
        )

    for obj in session.new:
        if isinstance(obj, Record) and not isinstance(obj, _NOT_AUDITED):
            row(obj, AuditAction.INSERT, None, None, _snapshot(obj))
    for obj in session.dirty:
        if isinstance(obj, Record) and not isinstance(obj, _NOT_AUDITED):
            for field, old, new in _updates(obj):
                row(obj, AuditAction.UPDATE, field, old, new)
    for obj in session.deleted:
        if isinstance(obj, Record) and not isinstance(obj, _NOT_AUDITED):
            row(obj, AuditAction.DELETE, None, _snapshot(obj), None)
    if not rows:
        return
    held = session.info.get(_DEFERRED)
    if held is not None:
        held.extend(rows)
        return
    _write(session, rows)


_DEFERRED = "audit_deferred"


@contextmanager
def deferred(session: Session) -> Iterator[None]:
    """Hold the audit events of this block's flushes in memory and write them at its end.

    For long bulk writers (a reference-list import): on a team server the audit
    writers take turns (``lock_audit_writers``) from their first event to their commit,
    so an import that wrote its list's event first would keep every other official from
    saving for minutes. Deferred, the events are written (and the turn taken) only when
    the bulk work is done; their content is what each flush saw. An exception discards
    them with the rest of the block's work (the caller rolls back). On a server every
    transaction's events now wait for its commit anyway (``write_last``); there the
    block's events join that queue at its end.
    """
    if _DEFERRED in session.info:  # already deferring: the outer block writes them
        yield
        return
    held: list[dict[str, Any]] = []
    session.info[_DEFERRED] = held
    try:
        yield
        session.flush()
    finally:
        session.info.pop(_DEFERRED, None)
    if held:
        _write(session, held)


# The factories whose sessions are audited. Not ``event.contains``: SQLAlchemy's
# registry keys listeners by ``id()`` of the target and keeps the key after the
# target is gone, so a new factory that reuses a closed one's address "contains"
# the hooks without having them, and its writes went unaudited (found by a test
# that failed now and then, and by a copy to a server whose verify then failed).
_INSTALLED: weakref.WeakSet[sessionmaker[Session]] = weakref.WeakSet()


def install(factory: sessionmaker[Session]) -> None:
    """Audit every session of ``factory`` (once, however often it is called)."""
    if factory in _INSTALLED:
        return
    for name, hook in (
        ("after_flush", _after_flush),
        ("after_begin", _after_begin),
        ("after_transaction_create", _after_transaction_create),
        ("after_soft_rollback", _after_soft_rollback),
        ("before_commit", _before_commit),
    ):
        event.listen(factory, name, hook)
    _INSTALLED.add(factory)


def write_last(factory: sessionmaker[Session]) -> None:
    """Run the audit's commit hook after every other one registered on ``factory`` so far.

    On a server the events are written, and the audit writers' turn taken, in that
    hook: whatever another hook does at commit (the search index's drain) is then done
    before the turn, not while every other writer waits for it.
    """
    install(factory)
    event.remove(factory, "before_commit", _before_commit)
    event.listen(factory, "before_commit", _before_commit)
