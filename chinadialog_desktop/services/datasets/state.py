"""The comparable state of local records, and what earlier imports saw of each record."""

from __future__ import annotations

import hashlib
from collections.abc import Iterator, Mapping, Sequence
from datetime import date
from typing import Any

from sqlalchemy import delete, insert, select
from sqlalchemy.orm import Session

from chinadialog_desktop.domain.kinds import REGISTRY
from chinadialog_desktop.domain.registers import REGISTERS, defaults
from chinadialog_desktop.persistence.models import (
    Actor,
    ImportFingerprint,
    Partnership,
    PartnershipParty,
)
from chinadialog_desktop.services.datasets.kinds import KindSpec

PARTY_ROLES = ("german", "chinese")

# The fields compared and stored per kind (the exchangeable state of a record).
STATE_FIELDS: dict[str, tuple[str, ...]] = {
    "actors": (
        "name_de",
        "name_en",
        "name_zh",
        "name_pinyin",
        "kind",
        "country",
        "region",
        "ags",
        "uscc",
        "website",
        "notes",
    ),
    "partnerships": (
        "title",
        "type",
        "status",
        "start_date",
        "start_precision",
        "end_date",
        "end_precision",
        "fields_of_action",
        "description",
        "german_party_uuid",
        "chinese_party_uuid",
    ),
}

STATE_FIELDS["sources"] = ("title", "author", "year", "url", "accessed_on", "note")
STATE_FIELDS["activities"] = (
    "partnership_uuid",
    "date",
    "date_precision",
    "kind",
    "title",
    "location",
    "participants",
    "outcome",
    "description",
)
STATE_FIELDS["contacts"] = (
    "name",
    "name_zh",
    "function",
    "email",
    "phone",
    "notes",
    "actor_uuid",
    "partnership_uuid",
)
for _register in REGISTERS:  # linked to a partnership, like an activity
    STATE_FIELDS[_register.key] = ("partnership_uuid", *(f.name for f in _register.fields))
# Reference fields: "<x>_uuid" in the exchanged state is the foreign key "<x>_id" locally.
REF_TARGETS: dict[str, Any] = {"actor_uuid": Actor, "partnership_uuid": Partnership}

DEFAULTS: dict[str, dict[str, Any]] = {
    "sources": {"author": None, "year": None, "url": None, "accessed_on": None, "note": None},
    "activities": {
        "partnership_uuid": None,
        "date": None,
        "date_precision": "day",
        "kind": "other",
        "location": None,
        "participants": None,
        "outcome": None,
        "description": None,
    },
    "contacts": {
        "name_zh": None,
        "function": None,
        "email": None,
        "phone": None,
        "notes": None,
        "actor_uuid": None,
        "partnership_uuid": None,
    },
    "actors": {
        "name_en": None,
        "name_zh": None,
        "name_pinyin": None,
        "kind": "municipality",
        "country": "DE",
        "region": None,
        "ags": None,
        "uscc": None,
        "website": None,
        "notes": None,
    },
    "partnerships": {
        "type": "twin_city",
        "status": "active",
        "start_date": None,
        "start_precision": "day",
        "end_date": None,
        "end_precision": "day",
        "fields_of_action": [],
        "description": None,
        "german_party_uuid": None,
        "chinese_party_uuid": None,
    },
}

for _register in REGISTERS:
    DEFAULTS[_register.key] = {"partnership_uuid": None, **defaults(_register)}


# A field the registry adds later (``domain.kinds``) joins its kind's state after these,
# so the order of the fields above (part of stored fingerprints) stays as it is; it is
# empty unless the file gives it.
for _entry in REGISTRY.values():
    _state = STATE_FIELDS[_entry.file_key]
    _later = tuple(f.name for f in _entry.stored_fields() if f.name not in _state)
    STATE_FIELDS[_entry.file_key] = _state + _later
    DEFAULTS[_entry.file_key].update(dict.fromkeys(_later))


def canonical(value: Any) -> Any:
    """The value as compared: line ends are not content (XLSX cannot even store a CR)."""
    if value is None:
        return None
    if isinstance(value, str):
        return value.replace("\r\n", "\n") if "\r" in value else value
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, list | tuple):
        return [canonical(v) for v in value]
    return value


def digest(values: Mapping[str, Any]) -> str:
    """A short, stable fingerprint of a record's state (or of what a file provided)."""
    # the common values (None, text without a CR) are their own canonical form
    text = "\x1e".join(
        [
            f"{k}\x1f{v!r}"
            if v is None or (type(v) is str and "\r" not in v)
            else f"{k}\x1f{canonical(v)!r}"
            for k, v in sorted(values.items())
        ]
    )
    return hashlib.sha256(text.encode("utf-8", "surrogatepass")).hexdigest()[:24]


def same(a: Any, b: Any) -> bool:
    return bool(a == b or canonical(a) == canonical(b))


def load_local(
    session: Session, kind: KindSpec
) -> tuple[dict[str, dict[str, Any]], dict[str, int]]:
    """Every local record of ``kind``: uuid → state, and uuid → row id."""
    states: dict[str, dict[str, Any]] = {}
    ids: dict[str, int] = {}
    for row_id, uuid, state in scan_local(session, kind):
        ids[uuid] = row_id
        states[uuid] = state
    return states, ids


# A whole table is read in batches, not fetched at once: a re-import reads every local
# record of its kind (100,000 activities' states would otherwise sit in memory together).
_STREAM = {"yield_per": 2000}


def scan_local(
    session: Session, kind: KindSpec, id_range: tuple[int, int] | None = None
) -> Iterator[tuple[int, str, dict[str, Any]]]:
    """(row id, uuid, state) of the local records of ``kind`` in id order, one at a time.

    ``id_range`` (first, last) limits the scan to those row ids.
    """
    if kind.key != "partnerships":
        model: Any = kind.model
        names = STATE_FIELDS[kind.key]
        cols = [
            getattr(model, f.removesuffix("_uuid") + "_id" if f in REF_TARGETS else f)
            for f in names
        ]
        refs = [(f, target) for f, target in REF_TARGETS.items() if f in names]
        query = select(model.id, model.uuid, *cols).order_by(model.id)
        if id_range is not None:
            query = query.where(model.id.between(*id_range))
        rows = session.execute(query).all() if id_range is not None else None
        uuid_of: dict[str, dict[int, str]] = {}
        for f, target in refs:
            wanted = None
            if rows is not None:
                index = names.index(f) + 2
                wanted = {r[index] for r in rows if r[index] is not None}
            q = select(target.id, target.uuid)
            if wanted is not None:
                q = q.where(target.id.in_(wanted))
            uuid_of[f] = {i: u for i, u in session.execute(q)}
        for row in rows if rows is not None else session.execute(query, execution_options=_STREAM):
            state = dict(zip(names, row[2:], strict=True))
            for f, mapping in uuid_of.items():
                state[f] = mapping.get(state[f]) if state[f] is not None else None
            yield row[0], row[1], state
        return
    fields = tuple(f for f in STATE_FIELDS["partnerships"] if not f.endswith("_party_uuid"))
    cols = [getattr(Partnership, f) for f in fields]
    query = select(Partnership.id, Partnership.uuid, *cols).order_by(Partnership.id)
    parties_query = (
        select(PartnershipParty.partnership_id, PartnershipParty.role, Actor.uuid)
        .join(Actor, Actor.id == PartnershipParty.actor_id)
        .order_by(PartnershipParty.partnership_id, PartnershipParty.position, PartnershipParty.id)
    )
    if id_range is not None:
        query = query.where(Partnership.id.between(*id_range))
        parties_query = parties_query.where(PartnershipParty.partnership_id.between(*id_range))
    # Both in id order: the parties of each partnership are merged in as it passes.
    parties = iter(session.execute(parties_query, execution_options=_STREAM))
    party = next(parties, None)
    for row in session.execute(query, execution_options=_STREAM):
        state = dict(zip(fields, row[2:], strict=True))
        state["fields_of_action"] = list(state["fields_of_action"] or [])
        state["german_party_uuid"] = None
        state["chinese_party_uuid"] = None
        while party is not None and party[0] <= row[0]:
            pid, role, actor_uuid = party
            key = f"{role}_party_uuid"
            if pid == row[0] and role in PARTY_ROLES and state[key] is None:
                state[key] = actor_uuid
            party = next(parties, None)
        yield row[0], row[1], state


class LocalIds:
    """uuid → row id of the local records of one kind (``in``, ``[]``, ``get``).

    On SQLite each UUID is looked up in the record table itself (its UUID column
    is unique, so indexed): a re-import of a million records would otherwise hold
    a million UUIDs and row ids, about 150 MB. Planning writes nothing, so the
    table holds exactly what it held when the import began. Elsewhere (a team
    server, where every lookup is a round trip) the ids are a dictionary filled
    by ``add`` while the local records are scanned.
    """

    __slots__ = ("_cursor", "_last", "_memory", "_sql", "count")

    def __init__(self, session: Session, kind: KindSpec) -> None:
        connection = session.connection()
        self.count = 0  # how many local records there are
        self._memory: dict[str, int] | None = None
        self._cursor: Any = None
        self._last: tuple[str | None, int | None] = (None, None)
        table = kind.model.__table__.name  # type: ignore[attr-defined]
        self._sql = f'SELECT id FROM "{table}" WHERE uuid = ?'
        if connection.dialect.name == "sqlite":
            self._cursor = connection.connection.dbapi_connection.cursor()  # type: ignore[union-attr]
        else:
            self._memory = {}

    def add(self, uuid: str, row_id: int) -> None:
        """Count a local record found by the scan (and remember it where there is no SQL)."""
        self.count += 1
        if self._memory is not None:
            self._memory[uuid] = row_id

    def get(self, uuid: object) -> int | None:
        if not self.count or not isinstance(uuid, str):
            return None
        if self._memory is not None:
            return self._memory.get(uuid)
        last, found = self._last
        if uuid == last:
            return found
        row = self._cursor.execute(self._sql, (uuid,)).fetchone()
        found = None if row is None else int(row[0])
        self._last = (uuid, found)
        return found

    def __contains__(self, uuid: object) -> bool:
        return self.get(uuid) is not None

    def __getitem__(self, uuid: str) -> int:
        found = self.get(uuid)
        if found is None:
            raise KeyError(uuid)
        return found

    def __len__(self) -> int:
        return self.count


class LocalStates:
    """The local records of one kind: every UUID and row id at hand, states read when needed.

    An import compares each incoming record with its local state; holding the
    state of every local record would cost a kilobyte or more per record.
    Instead the states are read in blocks of row ids around the one asked for
    (a re-import of a file in the order it was first imported reads each block
    once) and only the last few blocks are kept. A record in a block kept is
    known to be here without asking ``ids``.
    """

    BLOCK = 1000
    KEEP = 4

    def __init__(self, session: Session, kind: KindSpec, ids: LocalIds) -> None:
        self.session, self.kind, self.ids = session, kind, ids
        self._blocks: dict[int, dict[str, dict[str, Any]]] = {}  # first id → uuid → state
        self._size = self.BLOCK
        self._hits = 0

    def _kept(self, uuid: str) -> dict[str, Any] | None:
        for block in self._blocks.values():
            state = block.get(uuid)
            if state is not None:
                return state
        return None

    def __contains__(self, uuid: object) -> bool:
        if not self.ids.count or not isinstance(uuid, str):
            return False
        return self._kept(uuid) is not None or uuid in self.ids

    def __len__(self) -> int:
        return len(self.ids)

    def get(self, uuid: str | None, default: Any = None) -> Any:
        if uuid is None or not self.ids.count:
            return default
        state = self._kept(uuid)
        if state is not None:
            self._hits += 1
            return state
        first = self.ids.get(uuid)
        if first is None:
            return default
        # A block that served few records before the next miss: read smaller ones.
        if self._blocks:
            self._size = (
                min(self.BLOCK, self._size * 2)
                if self._hits * 4 >= self._size
                else max(1, self._size // 8)
            )
        self._hits = 1
        block = {
            u: state
            for _id, u, state in scan_local(
                self.session, self.kind, (first, first + self._size - 1)
            )
        }
        self._blocks[first] = block
        while len(self._blocks) > self.KEEP:
            del self._blocks[next(iter(self._blocks))]
        return block.get(uuid, default)


class Bases:
    """uuid → (fingerprint of what the last import provided, of the record after it).

    Looked up in ``import_fingerprint`` one record at a time, so an import
    never holds the fingerprints of every record it ever saw.
    """

    def __init__(self, session: Session) -> None:
        self.session = session
        connection = session.connection()
        self._raw: Any = (
            connection.connection.dbapi_connection.cursor()  # type: ignore[union-attr]
            if connection.dialect.name == "sqlite"
            else None
        )

    def get(self, uuid: str) -> tuple[str, str] | None:
        if self._raw is not None:
            row = self._raw.execute(
                "SELECT provided, after FROM import_fingerprint WHERE record_uuid = ?", (uuid,)
            ).fetchone()
        else:
            row = self.session.execute(
                select(ImportFingerprint.provided, ImportFingerprint.after).where(
                    ImportFingerprint.record_uuid == uuid
                )
            ).first()
        return None if row is None else (row[0], row[1])


BASES_OVERRIDE = "chinadialog.import_bases"


def import_bases(session: Session) -> Any:
    """What earlier imports saw of each record (see :class:`Bases`).

    A travel copy's merge back puts its own bases (the records' state when the
    copy was taken) into ``session.info[BASES_OVERRIDE]``; they are used instead.
    """
    override = session.info.get(BASES_OVERRIDE)
    return override if override is not None else Bases(session)


def store_fingerprints(session: Session, pairs: Mapping[str, Sequence[str]]) -> None:
    """Record uuid → (provided, after) for the records an import just saw (the last one wins)."""
    if not pairs:
        return
    connection = session.connection()
    if connection.dialect.name == "sqlite":  # one statement a chunk: the row is replaced
        connection.exec_driver_sql(
            "INSERT OR REPLACE INTO import_fingerprint (record_uuid, provided, after) "
            "VALUES (?, ?, ?)",
            [(u, p[0], p[1]) for u, p in pairs.items()],
        )
        return
    uuids = list(pairs)
    for start in range(0, len(uuids), 500):
        part = uuids[start : start + 500]
        session.execute(delete(ImportFingerprint).where(ImportFingerprint.record_uuid.in_(part)))
        session.execute(
            insert(ImportFingerprint),
            [{"record_uuid": u, "provided": pairs[u][0], "after": pairs[u][1]} for u in part],
        )
