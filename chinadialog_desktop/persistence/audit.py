"""The audit trail: every insert, update and delete writes events in the same transaction."""

from __future__ import annotations

import getpass
import json
from datetime import date, datetime
from functools import cache
from typing import Any

from sqlalchemy import event, insert, inspect
from sqlalchemy.orm import ColumnProperty, RelationshipProperty, Session, sessionmaker

from chinadialog_desktop.domain.enums import AuditAction
from chinadialog_desktop.persistence.base import Record, utcnow
from chinadialog_desktop.persistence.models_system import AuditEvent, ImportRun

# Bookkeeping columns change on every write; recording them would only add noise.
_SKIPPED = {"id", "modified_at", "version", "created_at"}
_NOT_AUDITED = (ImportRun,)


@cache
def current_user() -> str:
    try:
        return getpass.getuser()
    except Exception:  # no USER variable and no passwd entry (some containers)
        return "unbekannt"


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
    if rows:
        session.connection().execute(insert(AuditEvent), rows)


def install(factory: sessionmaker[Session]) -> None:
    if not event.contains(factory, "after_flush", _after_flush):
        event.listen(factory, "after_flush", _after_flush)
