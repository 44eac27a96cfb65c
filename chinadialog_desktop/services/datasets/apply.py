"""Write a classified plan to the database, inside the caller's transaction."""

from __future__ import annotations

import json
from collections.abc import Callable, Mapping
from datetime import date, datetime
from functools import partial
from typing import Any

from sqlalchemy import select, text
from sqlalchemy.orm import Session

from chinadialog_desktop.domain.enums import AuditAction
from chinadialog_desktop.i18n import _
from chinadialog_desktop.persistence import faultpoint
from chinadialog_desktop.persistence.audit import (
    bulk_chain_head,
    bulk_chain_written,
    current_user,
    text_event_hash,
)
from chinadialog_desktop.persistence.base import Record, utcnow
from chinadialog_desktop.persistence.models import (
    Actor,
    AuditEvent,
    Partnership,
    PartnershipParty,
)
from chinadialog_desktop.persistence.server import lock_audit_writers
from chinadialog_desktop.services.datasets.kinds import KINDS
from chinadialog_desktop.services.datasets.merge import (
    CONFLICT,
    NEW,
    UPDATED,
    Cancelled,
    Plan,
    PlanItem,
    Progress,
)
from chinadialog_desktop.services.datasets.state import (
    PARTY_ROLES,
    REF_TARGETS,
    STATE_FIELDS,
    digest,
    store_fingerprints,
)
from chinadialog_desktop.services.datasets.uuid7 import uuid7

MINE, THEIRS = "mine", "theirs"
_CHUNK = 2000


_COLUMNS = {k: [f for f in v if not f.endswith("_party_uuid")] for k, v in STATE_FIELDS.items()}


def _columns(kind: str) -> list[str]:
    return _COLUMNS[kind]


def decision(item: PlanItem, resolutions: Mapping[str, str], default: str | None) -> str | None:
    """What happens to a conflict: the user's choice for this record, else the default."""
    return resolutions.get(item.uuid, default)


def _take(item: PlanItem, resolutions: Mapping[str, str], default: str | None) -> bool:
    return item.status in (NEW, UPDATED) or (
        item.status == CONFLICT and decision(item, resolutions, default) == THEIRS
    )


def apply_plan(
    session: Session,
    plan: Plan,
    resolutions: Mapping[str, str],
    default: str | None,
    progress: Progress | None = None,
    cancelled: Callable[[], bool] | None = None,
) -> int:
    """Insert and update as planned, a chunk of the plan at a time; returns how many were written.

    Conflicts must all be decided (``resolutions`` or ``default``); the caller
    checks that before calling. New records go in with bulk inserts (and their
    audit events written alongside, as the session hook would); changed ones
    through the ORM. Each record's fingerprints (what the file provided, the
    record after the import) are stored in ``import_fingerprint`` as its chunk
    is written. Memory stays bounded by the chunk, whatever the plan's size.
    """
    if session.get_bind().dialect.name == "sqlite":
        # A moderate page cache: the inserts append (time-ordered UUIDs), so more buys little.
        session.execute(text("PRAGMA cache_size = -8192"))
    totals = plan.totals()
    written = 0
    step = _Steps(
        totals["new"] + totals["updated"] + totals["conflict"],
        progress,
        cancelled,
    )
    for chunk in plan.chunks():
        fingerprints: dict[str, list[str]] = {}
        new: dict[str, list[PlanItem]] = {k: [] for k in STATE_FIELDS}
        changed: dict[str, list[PlanItem]] = {k: [] for k in STATE_FIELDS}
        for item in chunk:
            if item.kind not in STATE_FIELDS:
                continue  # dossiers, templates, assessments: datasets_nested_merge writes them
            if _take(item, resolutions, default):
                (new if item.status == NEW else changed)[item.kind].append(item)
                pair = [item.provided_digest, digest(item.target)]
            else:
                pair = [item.provided_digest, item.local_digest or digest(item.target)]
            if item.base is None or tuple(pair) != item.base:
                fingerprints[item.uuid] = pair
        del chunk
        written += _apply_chunk(session, plan, new, changed, step)
        store_fingerprints(session, fingerprints)
        session.flush()
        session.expunge_all()  # the records of this chunk are written: let them go
        faultpoint.hit("import-chunk-written")
    step.finish()
    return written


def _ids(session: Session, model: Any, uuids: set[str]) -> dict[str, int]:
    """uuid → row id for ``uuids`` (records of the database or inserted by this import)."""
    found: dict[str, int] = {}
    listed = [u for u in uuids if u]
    for start in range(0, len(listed), 500):
        part = listed[start : start + 500]
        query = select(model.uuid, model.id).where(model.uuid.in_(part))
        found.update({u: i for u, i in session.execute(query)})
    return found


def _apply_chunk(
    session: Session,
    plan: Plan,
    new: dict[str, list[PlanItem]],
    changed: dict[str, list[PlanItem]],
    step: _Steps,
) -> int:
    """Write one chunk of the plan: kind by kind, referenced kinds first."""
    bulk_insert(session, Actor, new["actors"], _actor_row, step)
    actors: dict[str, Actor] = {}
    for item in changed["actors"]:
        _write_actor(session, item, plan, actors)
        step.advance(session)
    bulk_insert(session, Partnership, new["partnerships"], _partnership_row, step)
    party_refs = {
        item.target.get(f"{role}_party_uuid")
        for item in new["partnerships"] + changed["partnerships"]
        for role in PARTY_ROLES
    }
    actor_ids = _ids(session, Actor, {u for u in party_refs if u})
    partnership_ids = _ids(session, Partnership, {i.uuid for i in new["partnerships"]})
    party_rows: list[dict[str, Any]] = []
    for item in new["partnerships"]:
        for position, role in enumerate(PARTY_ROLES):
            ref = item.target.get(f"{role}_party_uuid")
            if ref:
                party_rows.append(
                    {
                        "uuid": uuid7(),
                        "partnership_id": partnership_ids[item.uuid],
                        "actor_id": actor_ids[ref],
                        "role": role,
                        "position": position,
                    }
                )
    _insert_rows(session, PartnershipParty, party_rows)
    for item in changed["partnerships"]:
        _write_partnership(session, item, plan, actors, actor_ids)
        step.advance(session)
    for key, spec in KINDS.items():
        if key in ("actors", "partnerships") or not (new[key] or changed[key]):
            continue
        refs: dict[str, set[str]] = {"actors": set(), "partnerships": set()}
        for item in new[key] + changed[key]:
            for f in STATE_FIELDS[key]:
                if f in REF_TARGETS and item.target.get(f):
                    refs["actors" if f == "actor_uuid" else "partnerships"].add(item.target[f])
        ids_by_kind = {
            "actors": _ids(session, Actor, refs["actors"]),
            "partnerships": _ids(session, Partnership, refs["partnerships"]),
        }
        make_row = partial(_simple_row, key, ids_by_kind)
        bulk_insert(session, spec.model, new[key], make_row, step, want_ids=False)
        local_ids = _ids(session, spec.model, {i.uuid for i in changed[key]})
        for item in changed[key]:
            obj = session.get(spec.model, local_ids[item.uuid])
            assert obj is not None
            row = make_row(item)
            for change in item.changes:
                column = _ref_column(change.field) or change.field
                setattr(obj, column, row[column])
            step.advance(session)
    return sum(len(v) for v in new.values()) + sum(len(v) for v in changed.values())


class _Steps:
    """Progress and cancel checks every few hundred records."""

    def __init__(
        self, total: int, progress: Progress | None, cancelled: Callable[[], bool] | None
    ) -> None:
        self.total, self.done = total, 0
        self.progress, self.cancelled = progress, cancelled

    def advance(self, session: Session | None = None, n: int = 1) -> None:
        before = self.done
        self.done += n
        if self.done // _CHUNK == before // _CHUNK and n == 1:
            return
        if session is not None:
            session.flush()
        if self.cancelled is not None and self.cancelled():
            raise Cancelled
        if self.progress is not None:
            self.progress(self.done, self.total, _("Writing records"))

    def finish(self) -> None:
        if self.progress is not None:
            self.progress(self.total, self.total, _("Writing records"))


def _ref_column(field: str) -> str | None:
    """``partnership_uuid`` (exchanged) is stored as the foreign key ``partnership_id``."""
    return field.removesuffix("_uuid") + "_id" if field in REF_TARGETS else None


# kind → (field, column of the foreign key or None, kind it refers to)
_SIMPLE_FIELDS = {
    kind: [(f, _ref_column(f), "actors" if f == "actor_uuid" else "partnerships") for f in fields]
    for kind, fields in STATE_FIELDS.items()
}


def _simple_row(kind: str, ids: dict[str, dict[str, int]], item: PlanItem) -> dict[str, Any]:
    row: dict[str, Any] = {"uuid": item.uuid}
    target = item.target
    for f, column, refers_to in _SIMPLE_FIELDS[kind]:
        if column is None:
            row[f] = target.get(f)
        else:
            ref = target.get(f)
            row[column] = ids[refers_to][ref] if ref else None
    return row


def _actor_row(item: PlanItem) -> dict[str, Any]:
    return {"uuid": item.uuid, **{f: item.target.get(f) for f in _columns("actors")}}


def _partnership_row(item: PlanItem) -> dict[str, Any]:
    row = {"uuid": item.uuid, **{f: item.target.get(f) for f in _columns("partnerships")}}
    row["fields_of_action"] = list(row["fields_of_action"] or [])
    return row


def _audit_text(value: Any) -> str | None:
    # The same rendering as persistence.audit uses for its insert snapshots.
    if value is None:
        return None
    if isinstance(value, datetime | date):
        return value.isoformat()
    if isinstance(value, list | dict):
        return json.dumps(value, ensure_ascii=False, sort_keys=True)
    return str(value)


_MISSING = object()


class _RawInsert:
    """INSERT through the driver's executemany, values converted as the column types would.

    Skips SQLAlchemy's per-row statement processing, which dominates a
    100,000-row import; the column types' own bind processors still format
    dates, times and JSON exactly as the ORM stores them.
    """

    def __init__(self, session: Session, table: Any, fixed: dict[str, Any]) -> None:
        self.connection = session.connection()
        dialect = self.connection.dialect
        self.columns = [c for c in table.columns if not c.primary_key]
        self.processors = [
            c.type.dialect_impl(dialect).bind_processor(dialect) for c in self.columns
        ]
        self.fixed = fixed
        for c in self.columns:
            if c.name not in fixed and c.default is not None and c.default.is_scalar:
                self.fixed[c.name] = c.default.arg
        names = ", ".join(f'"{c.name}"' for c in self.columns)
        mark = "?" if dialect.paramstyle == "qmark" else "%s"  # SQLite / psycopg
        marks = ", ".join(mark for _c in self.columns)
        self.sql = f'INSERT INTO "{table.name}" ({names}) VALUES ({marks})'

    def constants(self) -> dict[str, Any]:
        """The values every row shares, as stored (converted once)."""
        return {
            c.name: (
                p(self.fixed.get(c.name))
                if p and self.fixed.get(c.name) is not None
                else self.fixed.get(c.name)
            )
            for c, p in zip(self.columns, self.processors, strict=True)
        }

    def run(self, rows: list[dict[str, Any]]) -> None:
        # Values every row shares are converted once; the rest per row.
        constant = self.constants()
        plan = [
            (c.name, p, constant[c.name])
            for c, p in zip(self.columns, self.processors, strict=True)
        ]
        missing = _MISSING
        params = [
            tuple(
                [
                    row.get(name, shared)
                    if process is None
                    else (
                        shared
                        if (value := row.get(name, missing)) is missing
                        else (None if value is None else process(value))
                    )
                    for name, process, shared in plan
                ]
            )
            for row in rows
        ]
        self.connection.exec_driver_sql(self.sql, params)


# json.dumps(..., ensure_ascii=False, sort_keys=True), without a new encoder per row
_AUDIT_JSON = json.JSONEncoder(ensure_ascii=False, sort_keys=True).encode


def _insert_rows(session: Session, model: type[Record], rows: list[dict[str, Any]]) -> None:
    """Bulk insert plus one audit event per row, in the session's transaction."""
    if not rows:
        return
    table = model.__table__  # type: ignore[attr-defined]
    lock_audit_writers(session.connection())  # on a server: ids in commit order (audit.py)
    now, user = utcnow(), current_user()
    records = _RawInsert(session, table, {"created_at": now, "modified_at": now, "version": 1})
    audit = _RawInsert(
        session,
        AuditEvent.__table__,
        {
            "at": now,
            "user": user,
            "action": AuditAction.INSERT.value,
            "table_name": table.name,
            "field": None,
            "old_value": None,
        },
    )
    # On SQLite the events are sealed as they are written (each carries the hash of the one
    # before), from exactly the values stored: no reading them back at commit.
    chain = bulk_chain_head(session)
    shared = audit.constants()
    fixed = (shared["at"], shared["user"], shared["action"], shared["table_name"])
    for start in range(0, len(rows), _CHUNK):
        chunk = rows[start : start + _CHUNK]
        records.run(chunk)
        events = []
        for row in chunk:
            snapshot = _AUDIT_JSON(
                {k: v if v is None or type(v) is str else _audit_text(v) for k, v in row.items()}
            )
            event = {"record_uuid": row["uuid"], "new_value": snapshot}
            if chain is not None:
                chain = text_event_hash(chain, (*fixed, row["uuid"], None, None, snapshot))
                event["chain_hash"] = chain
            events.append(event)
        audit.run(events)
    if chain is not None:
        bulk_chain_written(session)


def bulk_insert(
    session: Session,
    model: type[Record],
    items: list[PlanItem],
    make_row: Callable[[PlanItem], dict[str, Any]],
    step: _Steps,
    want_ids: bool = False,
) -> dict[str, int]:
    """Insert new records in chunks; with ``want_ids``, returns uuid → new row id."""
    ids: dict[str, int] = {}
    for start in range(0, len(items), _CHUNK):
        chunk = items[start : start + _CHUNK]
        _insert_rows(session, model, [make_row(i) for i in chunk])
        if want_ids:
            ids.update(_ids(session, model, {i.uuid for i in chunk}))
        step.advance(None, len(chunk))
    return ids


def _write_actor(session: Session, item: PlanItem, plan: Plan, actors: dict[str, Actor]) -> None:
    values = {f: item.target.get(f) for f in _columns("actors")}
    if item.status == NEW:
        actor = Actor(uuid=item.uuid, **values)
        session.add(actor)
        actors[item.uuid] = actor
        return
    actor_obj = session.get(Actor, plan.ids["actors"][item.uuid])
    assert actor_obj is not None
    for change in item.changes:
        setattr(actor_obj, change.field, values[change.field])
    actors[item.uuid] = actor_obj


def _actor(
    session: Session, uuid: str, actors: dict[str, Actor], actor_ids: dict[str, int]
) -> Actor:
    if uuid in actors:
        return actors[uuid]
    found = session.get(Actor, actor_ids[uuid]) if uuid in actor_ids else None
    if found is None:
        found = session.execute(select(Actor).where(Actor.uuid == uuid)).scalar_one()
    actors[uuid] = found
    return found


def _write_partnership(
    session: Session,
    item: PlanItem,
    plan: Plan,
    actors: dict[str, Actor],
    actor_ids: dict[str, int],
) -> None:
    values: dict[str, Any] = {f: item.target.get(f) for f in _columns("partnerships")}
    values["fields_of_action"] = list(values["fields_of_action"] or [])
    if item.status == NEW:
        partnership = Partnership(uuid=item.uuid, **values)
        session.add(partnership)
        for position, role in enumerate(PARTY_ROLES):
            ref = item.target.get(f"{role}_party_uuid")
            if ref:
                partnership.parties.append(
                    PartnershipParty(
                        actor=_actor(session, ref, actors, actor_ids), role=role, position=position
                    )
                )
        return
    obj = session.get(Partnership, plan.ids["partnerships"][item.uuid])
    assert obj is not None
    for change in item.changes:
        if change.field.endswith("_party_uuid"):
            role = change.field.removesuffix("_party_uuid")
            current = [p for p in obj.parties if p.role == role]
            if current:
                obj.parties.remove(current[0])
                session.flush()  # the unique (partnership, actor) pair must be free again
            if change.theirs:
                obj.parties.append(
                    PartnershipParty(
                        actor=_actor(session, change.theirs, actors, actor_ids),
                        role=role,
                        position=PARTY_ROLES.index(role),
                    )
                )
        else:
            setattr(obj, change.field, values[change.field])
