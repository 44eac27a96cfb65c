"""Create, update, delete and restore records one field at a time; each says what changed.

The window's undo commands and the command line call the same functions. They
take a Session and never commit (the caller owns the unit of work), and they
address records by kind and uuid (or id), so an undone delete that re-creates
a record under a new id is still found by the next redo.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from dataclasses import field as dc_field
from datetime import date, datetime
from typing import Any

from sqlalchemy import Date, DateTime, Integer, Table, select
from sqlalchemy import update as sql_update
from sqlalchemy.orm import Session
from sqlalchemy.orm.exc import StaleDataError

from chinadialog_desktop.domain.enums import SectionKey
from chinadialog_desktop.domain.kinds import REGISTRY, lookup_kind
from chinadialog_desktop.errors import ConcurrentEdit, NotFound, UserError
from chinadialog_desktop.i18n import _
from chinadialog_desktop.persistence.base import Base, Record, new_uuid
from chinadialog_desktop.persistence.models import (
    MODELS,
    Actor,
    Attachment,
    Deliberation,
    Dossier,
    DossierPartnership,
    DossierSection,
    DossierSource,
    Partnership,
    PartnershipParty,
    Source,
)
from chinadialog_desktop.services.records import validation

# The registry's kinds (the registers among them) under their keys, and the records that
# are no kind of the registry: a partnership's parties, files, dossiers and their parts.
KINDS: dict[str, type[Record]] = {
    **{kind.value: model for kind, model in MODELS.items()},
    "party": PartnershipParty,
    "attachment": Attachment,
    "dossier": Dossier,
    "dossier_section": DossierSection,
    "dossier_partnership": DossierPartnership,
    "dossier_source": DossierSource,
    "deliberation": Deliberation,
}
# Bookkeeping columns: set by the database layer, never by an edit.
READ_ONLY = frozenset({"id", "uuid", "created_at", "modified_at", "version"})


class InUse(UserError):
    """The record is still referred to by records that must not lose it (RESTRICT)."""


@dataclass(frozen=True)
class Snapshot:
    """A deleted row with everything deleted along with it, enough to put it all back."""

    table: str
    values: dict[str, Any]
    children: tuple[Snapshot, ...] = ()
    # Rows that pointed here and were set to NULL: (table, uuid, column).
    relinks: tuple[tuple[str, str, str], ...] = ()


@dataclass(frozen=True)
class Change:
    """One thing that changed: the views decide from it what to refresh."""

    action: str  # "create", "update" or "delete"
    kind: str
    id: int
    uuid: str
    version: int | None = None
    field: str | None = None
    old: Any = None
    new: Any = None
    snapshot: Snapshot | None = dc_field(default=None, compare=False, repr=False)
    parent: dict[str, int | None] = dc_field(default_factory=dict, compare=False)


def model(kind: str) -> type[Record]:
    try:
        return KINDS[kind]
    except KeyError:
        raise NotFound(_("Unknown record kind: {kind}").format(kind=kind)) from None


def name_error(session: Session, kind: str, uuid: str | None, name: str, value: Any) -> str | None:
    """The editor's check of a name against the other records of its kind: the one rule
    (``validation.name_clash``) the import applies too. None when ``name`` is no name field
    of a kind whose names must not repeat, or when no other record has it."""
    entry = lookup_kind(kind)
    if entry is None or not REGISTRY[entry].unique_names or name not in REGISTRY[entry].name_fields:
        return None
    cls: Any = model(kind)
    columns = [getattr(cls, f) for f in REGISTRY[entry].name_fields]
    query = select(*columns)
    if uuid is not None:
        query = query.where(cls.uuid != uuid)
    return validation.name_clash(kind, value, session.execute(query))


def kind_of(table: str) -> str | None:
    for kind, cls in KINDS.items():
        if cls.__tablename__ == table:  # type: ignore[attr-defined]
            return kind
    return None


def get(session: Session, kind: str, ref: int | str) -> Record:
    """The record of ``kind`` with id ``ref`` (int) or uuid ``ref`` (str)."""
    cls = model(kind)
    if isinstance(ref, int):
        obj = session.get(cls, ref)
    else:
        obj = session.scalars(select(cls).where(cls.uuid == ref)).one_or_none()
    if obj is None:
        raise NotFound(
            _("The record no longer exists (it may have been deleted in another window).")
        )
    return obj


def _table(kind: str) -> Table:
    return model(kind).__table__  # type: ignore[attr-defined, no-any-return]


def editable_fields(kind: str) -> list[str]:
    return [c.key for c in _table(kind).columns if c.key not in READ_ONLY]


def _coerce(kind: str, name: str, value: Any) -> Any:
    """Accept ISO strings for dates and digit strings for integers (the CLI passes text)."""
    table = _table(kind)
    if name not in table.columns or name in READ_ONLY:
        raise UserError(_("{kind} has no editable field {field}.").format(kind=kind, field=name))
    if value is None or (value == "" and table.columns[name].nullable):
        return None
    column_type = table.columns[name].type
    if isinstance(column_type, Date) and isinstance(value, str):
        return date.fromisoformat(value)
    if isinstance(column_type, DateTime) and isinstance(value, str):
        return datetime.fromisoformat(value)
    if isinstance(column_type, Integer) and isinstance(value, str):
        return int(value)
    return value


def values(obj: Record) -> dict[str, Any]:
    """Every column of ``obj`` by name (including id, uuid and version)."""
    table: Table = obj.__table__  # type: ignore[attr-defined]
    result = {c.key: getattr(obj, c.key) for c in table.columns}
    if isinstance(result.get("fields_of_action"), list):
        result["fields_of_action"] = list(result["fields_of_action"])
    return result


def _parents(kind: str, obj: Record) -> dict[str, int | None]:
    return {
        c.key: getattr(obj, c.key) for c in _table(kind).columns if c.foreign_keys and c.key != "id"
    }


def _check_version(obj: Record, expected: int | None) -> None:
    if expected is not None and obj.version != expected:
        raise ConcurrentEdit(
            _(
                "This record was changed in another window or by another user since you "
                "opened it. Reload it to see the other changes."
            )
        )


def _flush(session: Session) -> None:
    try:
        session.flush()
    except StaleDataError as exc:  # the version counter moved between our read and write
        raise ConcurrentEdit(
            _("This record was changed elsewhere at the same time. Reload it and try again.")
        ) from exc


def create(
    session: Session, kind: str, fields: dict[str, Any], *, uuid: str | None = None
) -> Change:
    """Add a record of ``kind``; a new dossier gets its five empty text sections."""
    cls = model(kind)
    obj = cls()
    obj.uuid = uuid or new_uuid()
    for name, value in fields.items():
        setattr(obj, name, _coerce(kind, name, value))
    if isinstance(obj, Dossier) and not obj.sections:
        obj.sections = [
            DossierSection(key=key.value, position=n, body="") for n, key in enumerate(SectionKey)
        ]
    session.add(obj)
    _flush(session)
    return Change("create", kind, obj.id, obj.uuid, obj.version, parent=_parents(kind, obj))


def update(
    session: Session,
    kind: str,
    ref: int | str,
    name: str,
    value: Any,
    *,
    expected_version: int | None = None,
) -> Change:
    """Set one field; raises ConcurrentEdit when the record moved past ``expected_version``."""
    obj = get(session, kind, ref)
    _check_version(obj, expected_version)
    new = _coerce(kind, name, value)
    old = getattr(obj, name)
    if isinstance(old, list):
        old = list(old)
    if old != new:
        clash = name_error(session, kind, obj.uuid, name, new)
        if clash:  # the editor checks this before; a kept or command-line edit is held to it too
            raise UserError(clash)
        setattr(obj, name, list(new) if isinstance(new, list) else new)
        _flush(session)
    return Change(
        "update", kind, obj.id, obj.uuid, obj.version, name, old, new, parent=_parents(kind, obj)
    )


def _mapped_class(table: Table) -> type[Any]:
    for mapper in Base.registry.mappers:
        if mapper.local_table is table:
            return mapper.class_
    raise NotFound(table.name)


def _referrers(table: Table) -> list[tuple[Table, Any, str]]:
    """Every (child table, fk column, ondelete) that points at ``table``."""
    found = []
    for child in Base.metadata.sorted_tables:
        for fk in child.foreign_keys:
            if fk.column.table is table:
                found.append((child, fk.parent, (fk.ondelete or "RESTRICT").upper()))
    return found


def _snapshot(session: Session, table: Table, row: dict[str, Any], seen: set[Any]) -> Snapshot:
    seen.add((table.name, row["id"]))
    children: list[Snapshot] = []
    relinks: list[tuple[str, str, str]] = []
    for child, column, ondelete in _referrers(table):
        rows = session.execute(select(child).where(column == row["id"])).mappings().all()
        if not rows:
            continue
        if ondelete == "CASCADE":
            children.extend(
                _snapshot(session, child, dict(r), seen)
                for r in rows
                if (child.name, r["id"]) not in seen
            )
        elif ondelete == "SET NULL":
            relinks.extend((child.name, r["uuid"], column.key) for r in rows)
        else:
            raise InUse(
                _(
                    "This record cannot be deleted: {n} other records still refer to it "
                    "({what}). Remove those first."
                ).format(n=len(rows), what=child.name)
            )
    return Snapshot(table.name, row, tuple(children), tuple(relinks))


def delete(
    session: Session, kind: str, ref: int | str, *, expected_version: int | None = None
) -> Change:
    """Delete a record and what depends on it; the snapshot in the Change brings it back."""
    obj = get(session, kind, ref)
    _check_version(obj, expected_version)
    table = _table(kind)
    session.flush()
    row = dict(session.execute(select(table).where(table.c.id == obj.id)).mappings().one())
    snap = _snapshot(session, table, row, set())
    change = Change(
        "delete", kind, obj.id, obj.uuid, obj.version, snapshot=snap, parent=_parents(kind, obj)
    )
    session.delete(obj)
    _flush(session)
    session.expire_all()  # rows removed by ON DELETE CASCADE must not linger in the session
    return change


def restore(session: Session, snapshot: Snapshot) -> Change:
    """Put a deleted record back with its uuid, its children and its links."""
    ids: dict[tuple[str, int], int] = {}
    top = _restore_row(session, snapshot, ids)
    kind = kind_of(snapshot.table) or snapshot.table
    return Change("create", kind, top.id, top.uuid, top.version, parent=_parents(kind, top))


def _restore_row(session: Session, snap: Snapshot, ids: dict[tuple[str, int], int]) -> Any:
    table = Base.metadata.tables[snap.table]
    cls = _mapped_class(table)
    obj = cls()
    for column in table.columns:
        if column.key in ("id", "version"):
            continue
        value = snap.values.get(column.key)
        for fk in column.foreign_keys:
            remapped = ids.get((fk.column.table.name, value)) if value is not None else None
            if remapped is not None:
                value = remapped
        setattr(obj, column.key, value)
    session.add(obj)
    _flush(session)
    version = snap.values.get("version")
    if version is not None and version != obj.version:
        # The counter continues where it stood, so undo steps recorded against the
        # record before its deletion still apply to the restored one.
        session.execute(sql_update(table).where(table.c.id == obj.id).values(version=version))
        session.expire(obj, ["version"])
    ids[(snap.table, snap.values["id"])] = obj.id
    for child in snap.children:
        _restore_row(session, child, ids)
    for child_table, child_uuid, column_key in snap.relinks:
        child_cls = _mapped_class(Base.metadata.tables[child_table])
        linked = session.scalars(select(child_cls).where(child_cls.uuid == child_uuid)).first()
        if linked is not None and getattr(linked, column_key) is None:
            setattr(linked, column_key, obj.id)
    _flush(session)
    return obj


def next_source_number(session: Session, dossier_id: int) -> int:
    """The number a newly cited source gets in a dossier: one past the highest."""
    numbers = session.scalars(
        select(DossierSource.number).where(DossierSource.dossier_id == dossier_id)
    ).all()
    return max(numbers, default=0) + 1


__all__ = [
    "KINDS",
    "Change",
    "InUse",
    "Snapshot",
    "name_error",
    "create",
    "delete",
    "editable_fields",
    "get",
    "kind_of",
    "model",
    "next_source_number",
    "restore",
    "update",
    "values",
]


def holds_nothing(session: Session) -> bool:
    """True when the database holds none of the records a user works with."""
    from sqlalchemy import exists, or_

    from chinadialog_desktop.persistence.models import Dossier

    anything = session.scalar(
        select(
            or_(
                exists().where(Partnership.id.isnot(None)),
                exists().where(Actor.id.isnot(None)),
                exists().where(Dossier.id.isnot(None)),
                exists().where(Source.id.isnot(None)),
            )
        )
    )
    return not anything


def children(
    session: Session,
    kind: str,
    parent_field: str,
    parent_id: int,
    order_by: str = "id",
    extra: Callable[[Session, Any], dict[str, Any]] | None = None,
) -> list[dict[str, Any]]:
    """The values of every ``kind`` record whose ``parent_field`` is ``parent_id``, in order;
    ``extra(session, record)`` adds display values (a linked actor's name)."""
    cls = model(kind)
    stmt = (
        select(cls)
        .where(getattr(cls, parent_field) == parent_id)
        .order_by(getattr(cls, order_by), cls.id)
    )
    rows = []
    for obj in session.scalars(stmt):
        row = values(obj)
        if extra is not None:
            row.update(extra(session, obj))
        rows.append(row)
    return rows


def get_dossier(session: Session, ref: int | str) -> Dossier:
    """``get(session, "dossier", ref)``, typed as the dossier it is."""
    found = get(session, "dossier", ref)
    if not isinstance(found, Dossier):  # KINDS maps "dossier" to Dossier; never taken
        raise TypeError(f"dossier {ref!r} read as {type(found).__name__}")
    return found


def get_attachment(session: Session, ref: int | str) -> Attachment:
    """``get(session, "attachment", ref)``, typed as the attachment it is."""
    found = get(session, "attachment", ref)
    if not isinstance(found, Attachment):  # KINDS maps "attachment" to Attachment; never taken
        raise TypeError(f"attachment {ref!r} read as {type(found).__name__}")
    return found
