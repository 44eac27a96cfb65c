"""The dry run: classify each incoming record as new, updated, unchanged or in conflict.

"Edited locally" is decided against what the last import left behind: every
committed ImportRun stores, per record UUID, a fingerprint of what the file
provided ("theirs") and of the record right after the import ("mine"). A file
that provides the same as last time changes nothing, even when the user has
edited the record since; a newer file updates a record nobody touched; a newer
file against a locally edited (or never imported) record is a conflict.
"""

from __future__ import annotations

import contextlib
import hashlib
import pickle
import sqlite3
import tempfile
from collections import Counter
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence, Sized
from dataclasses import dataclass, field, replace
from typing import Any, NoReturn

from sqlalchemy.orm import Session

from chinadialog_desktop.domain.folding import name_key
from chinadialog_desktop.domain.kinds import REGISTRY, Kind
from chinadialog_desktop.domain.registers import BY_KEY as REGISTERS_BY_KEY
from chinadialog_desktop.i18n import _
from chinadialog_desktop.interchange.problems import Problem, ProblemList
from chinadialog_desktop.jobs import Cancelled as Cancelled  # re-exported for the dataset modules
from chinadialog_desktop.jobs import Progress as Progress
from chinadialog_desktop.services.datasets.kinds import KindSpec
from chinadialog_desktop.services.datasets.records import Incoming, with_extras
from chinadialog_desktop.services.datasets.state import (
    DEFAULTS,
    PARTY_ROLES,
    STATE_FIELDS,
    LocalIds,
    LocalStates,
    canonical,
    digest,
    import_bases,
    same,
    scan_local,
)
from chinadialog_desktop.services.datasets.uuid7 import uuid7
from chinadialog_desktop.services.records.validation import DISPLAY_NAMES, display_name, name_clash

NEW, UPDATED, UNCHANGED, CONFLICT = "new", "updated", "unchanged", "conflict"
STATUSES = (NEW, UPDATED, UNCHANGED, CONFLICT)


@dataclass(frozen=True, slots=True)
class Change:
    field: str
    mine: Any
    theirs: Any


@dataclass(slots=True)
class PlanItem:
    kind: str
    status: str
    uuid: str
    label: str
    target: dict[str, Any]  # the record's full state if the file's version is taken
    provided_digest: str
    local_digest: str | None = None  # the local record's state before the import
    changes: list[Change] = field(default_factory=list)
    place: dict[str, Any] = field(default_factory=dict)
    base: tuple[str, str] | None = None  # what the history held for this record before


SPILL_CHUNK = 2000


class Spill:
    """Planned records written to a private temporary file, read back in chunks to be applied.

    A plan of a million records never sits in memory: only its counts do.
    The file is unlinked from the start and gone when closed.
    """

    def __init__(self) -> None:
        self._file: Any = tempfile.TemporaryFile(prefix="chinadialog-plan-")  # noqa: SIM115
        self._buffer: list[PlanItem] = []
        self.counts: dict[str, dict[str, int]] = {}

    def add(self, item: PlanItem) -> None:
        self.counts.setdefault(item.kind, dict.fromkeys(STATUSES, 0))[item.status] += 1
        if item.status == UNCHANGED:
            if item.base == (item.provided_digest, item.local_digest):
                return  # nothing to write, nothing new to remember: counted, and that is all
            item = replace(item, target={})  # only its fingerprints are written
        self._buffer.append(item)
        if len(self._buffer) >= SPILL_CHUNK:
            self.flush()

    def flush(self) -> None:
        if self._buffer:
            # Plain tuples pickle several times faster than the objects; what only the
            # planning needed (the label, the place in the file) is left out.
            rows = [
                (
                    i.kind,
                    i.status,
                    i.uuid,
                    _packed(i.kind, i.target),
                    i.provided_digest,
                    i.local_digest,
                    [(c.field, c.mine, c.theirs) for c in i.changes] or None,
                    i.base,
                )
                for i in self._buffer
            ]
            pickle.dump(rows, self._file, protocol=pickle.HIGHEST_PROTOCOL)
            self._buffer = []

    def chunks(self) -> Iterator[list[PlanItem]]:
        """The spilled records a chunk at a time, as the writing needs them (no label, no place)."""
        self.flush()
        self._file.seek(0)
        while True:
            try:
                rows = pickle.load(self._file)
            except EOFError:
                return
            yield [
                PlanItem(
                    kind,
                    status,
                    uuid,
                    "",
                    _unpacked(kind, target),
                    provided,
                    local,
                    [Change(*c) for c in changes] if changes else [],
                    {},
                    base,
                )
                for kind, status, uuid, target, provided, local, changes, base in rows
            ]

    def close(self) -> None:
        self._buffer = []
        self._file.close()


def _packed(kind: str, target: dict[str, Any]) -> Any:
    """A target holding exactly its kind's fields in their order as a tuple of its values
    (a third less to pickle and unpickle); any other target as it is."""
    fields = STATE_FIELDS.get(kind)
    if fields is not None and len(target) == len(fields) and tuple(target) == fields:
        return tuple(target.values())
    return target


def _unpacked(kind: str, target: Any) -> dict[str, Any]:
    if type(target) is tuple:
        return dict(zip(STATE_FIELDS[kind], target, strict=True))
    unpacked: dict[str, Any] = target
    return unpacked


@dataclass
class Plan:
    # In memory: conflicts, nested records and whatever was planned without a spill file;
    # every other planned record waits in ``spill``.
    items: list[PlanItem]
    problems: ProblemList
    ids: dict[str, LocalIds]  # kind → uuid → local row id
    aliases: dict[str, str] = field(default_factory=dict)  # file's uuid → local uuid matched
    templates: dict[str, Any] = field(default_factory=dict)  # "urn@version" → Template
    spill: Spill | None = None
    # kind → uuid → place of the rows with a UUID of their own or of a local record;
    # emptied by ``close``
    seen: _Seen | None = None

    def counts(self, decisions: Mapping[str, str] | None = None) -> dict[str, dict[str, int]]:
        """Per kind, how many records are new, updated, unchanged, in conflict.

        ``decisions`` (uuid → "mine"/"theirs") of an import written: each decided conflict
        is counted as what became of it (taken from the file: updated; kept: unchanged).
        """
        result: dict[str, dict[str, int]] = {}
        if self.spill is not None:
            for kind, c in self.spill.counts.items():
                result[kind] = dict(c)
        for item in self.items:
            status = item.status
            if status == CONFLICT and decisions:
                choice = decisions.get(item.uuid)
                status = {"theirs": UPDATED, "mine": UNCHANGED}.get(choice or "", status)
            result.setdefault(item.kind, dict.fromkeys(STATUSES, 0))[status] += 1
        return result

    def totals(self) -> dict[str, int]:
        c: Counter[str] = Counter()
        for by_status in self.counts().values():
            c.update(by_status)
        return {s: c.get(s, 0) for s in STATUSES}

    def uuids(self, kind: str) -> set[str]:
        """The UUIDs of the records of ``kind`` this plan holds."""
        seen = self.seen.uuids(kind) if self.seen is not None else set()
        return seen | {i.uuid for i in self.items if i.kind == kind}

    def chunks(self) -> Iterator[list[PlanItem]]:
        """Every planned record in plan order, a chunk at a time: spilled ones first."""
        if self.spill is not None:
            yield from self.spill.chunks()
        if self.items:
            yield list(self.items)

    def close(self) -> None:
        """Remove the planned records' file and forget the rows seen (``uuids`` then knows
        only the records kept in memory)."""
        if self.spill is not None:
            self.spill.close()
        if self.seen is not None:
            self.seen.close()

    def conflicts(self) -> list[PlanItem]:
        return [i for i in self.items if i.status == CONFLICT]


class _Planner:
    def __init__(self, session: Session, problems: ProblemList, spill: Spill | None) -> None:
        self.session = session
        self.problems = problems
        self.bases = import_bases(session)
        self.items: list[PlanItem] = []  # conflicts, and everything when nothing is spilled
        self.spill = spill
        self.local: dict[str, LocalStates] = {}
        self.ids: dict[str, LocalIds] = {}
        # kind → uuid → place in the file; kind → matching key → (place, label, whether that
        # row gave a UUID) of the rows of this file; kind → natural key → local UUIDs: in
        # temporary tables on SQLite (``_Seen``, ``_RowKeys``, ``_LocalKeys``)
        self.seen = _Seen(session)
        self.row_keys = _RowKeys(session)
        self.natural_index = _LocalKeys(session)
        self._fresh: str | None = None  # the UUID made up last: never a local record's
        self.actor_names: dict[str, list[str]] = {}
        self.planned_actor_names: dict[str, str] = {}
        self.planned: dict[str, str | None] = {}  # uuid → German name, for planned actors
        self.pair_index: dict[tuple[str, str], list[str]] = {}
        self.title_index: dict[str, list[str]] = {}
        self.planned_titles: dict[str, str] = {}
        self.aliases: dict[str, str] = {}

    def load(self, kind: KindSpec) -> None:
        """The local records' UUIDs and matching keys; their states are read when needed."""
        if kind.key in self.local:
            return
        ids = LocalIds(self.session, kind)
        natural = self.natural_index
        for row_id, uuid, state in scan_local(self.session, kind):
            ids.add(uuid, row_id)
            if kind.key == "actors":
                for name_field in ("name_de", "name_zh", "name_pinyin", "name_en"):
                    key = name_key(state.get(name_field))
                    if key is not None:
                        self.actor_names.setdefault(key, []).append(uuid)
            elif kind.key == "partnerships":
                pair = (state["german_party_uuid"], state["chinese_party_uuid"])
                if pair[0] and pair[1]:
                    self.pair_index.setdefault(pair, []).append(uuid)
                title = name_key(state["title"])
                if title is not None:
                    self.title_index.setdefault(title, []).append(uuid)
            else:
                # a contact also by its name in characters and actor (lists in characters only)
                for key in {natural_key(kind.key, state), also_key(kind.key, state)} - {None}:
                    natural.add(kind.key, str(key), uuid)
        natural.flush()
        self.local[kind.key] = LocalStates(self.session, kind, ids)
        self.ids[kind.key] = ids

    # ------------------------------------------------------------------ classification

    def classify(
        self,
        kind: KindSpec,
        rec: Incoming,
        uuid: str,
        provided: dict[str, Any],
        label: str,
        generated: frozenset[str] = frozenset(),
    ) -> PlanItem | None:
        """``generated`` fields were made up here (a title), not given by the file."""
        fresh = uuid is self._fresh and rec.uuid is None
        local_states = self.local[kind.key]
        # A UUID made up just now is neither here nor in the file, and cannot come again:
        # only the others are remembered (and looked up).
        if not fresh and (rec.uuid is not None or uuid in local_states):
            first = self.seen.claim(kind.key, uuid, _compact(rec.place))
            if first is not None:
                self.problems.error(
                    duplicate_message(first, label), code="record.duplicate", **rec.place
                )
                return None
        if rec.uuid and rec.uuid != uuid:
            self.aliases[rec.uuid] = uuid
        theirs = digest(
            {k: v for k, v in provided.items() if k not in generated} if generated else provided
        )
        local = None if fresh else local_states.get(uuid)
        if local is None:
            merged = {**DEFAULTS[kind.key], **provided}
            target = {f: merged.get(f) for f in STATE_FIELDS[kind.key]}
            item = PlanItem(kind.key, NEW, uuid, label, target, theirs, place=rec.place)
        else:
            target = {**local, **provided}
            changes = [
                Change(f, local.get(f), target.get(f))
                for f in STATE_FIELDS[kind.key]
                if not same(local.get(f), target.get(f))
            ]
            base = self.bases.get(uuid)
            local_digest = digest(local)
            if not changes or (base is not None and base[0] == theirs):
                status = UNCHANGED
                target = local  # shared, never changed: a re-import holds no second copy
            elif base is not None and local_digest == base[1]:
                status = UPDATED
            else:
                status = CONFLICT
            item = PlanItem(kind.key, status, uuid, label, target, theirs, local_digest)
            item.changes, item.place, item.base = changes, rec.place, base
        if self.spill is None or item.status == CONFLICT:
            self.items.append(item)
        else:
            self.spill.add(item)
        title = name_key(item.target.get("title")) if kind.key == "partnerships" else None
        if title is not None:
            self.planned_titles.setdefault(title, uuid)
        return item

    def _notes(
        self, kind: KindSpec, rec: Incoming, provided: dict[str, Any], local: dict[str, Any] | None
    ) -> None:
        notes = kind.notes_field
        if notes in provided:
            provided[notes] = (
                with_extras(provided[notes], rec.extras) if rec.extras else provided[notes]
            )
        elif rec.extras:
            provided[notes] = with_extras(local.get(notes) if local else None, rec.extras)

    # ------------------------------------------------------------------ actors

    def plan_actor(self, rec: Incoming) -> None:
        kind = rec.kind
        # A row named only in characters (or English, pinyin) is found by that name and,
        # when new, shown by it (validation.DISPLAY_NAMES).
        name = display_name("actor", rec.values)
        uuid = rec.uuid
        if uuid is not None and uuid not in self.local["actors"] and name:
            # A record another database created: the same actor may be here under its own UUID.
            uuid = self._local_actor_by_name(name, rec) or uuid
        if uuid is None:
            if not name:
                self._skip(_("The actor has no name."), "record.no_name", rec)
            self._require_letters(name, rec)
            uuid = self._local_actor_by_name(name, rec) or self._new_uuid()
            for other in ("name_zh", "name_pinyin", "name_en") if self.actor_names else ():
                # Not found by its display name: perhaps by another (the list now gives a
                # German name beside the characters it gave before).
                value = rec.values.get(other)
                if uuid not in self.local["actors"] and isinstance(value, str):
                    uuid = self._local_actor_by_name(value, rec) or uuid
        elif uuid not in self.local["actors"] and not name:
            self._skip(_("The actor has no name."), "record.no_name", rec)
        provided = {k: v for k, v in rec.values.items() if k in _STATE_SETS["actors"]}
        local = self.local["actors"].get(uuid)
        if local is not None:
            self._refuse_a_taken_name(uuid, local, rec)
        generated = self._generated(rec, provided, local, "name_de", name)
        self._notes(kind, rec, provided, local)
        label = str(name or (local or {}).get("name_de") or uuid)
        self.claim(
            rec,
            [name_key(name)],
            label,
            [name_key(provided.get(f)) for f in ("name_zh", "name_pinyin", "name_en")],
        )
        item = self.classify(kind, rec, uuid, provided, label, generated)
        if item is not None:
            self.planned[uuid] = item.target.get("name_de")
            for name_field in ("name_de", "name_zh", "name_pinyin", "name_en"):
                key = name_key(item.target.get(name_field))
                if key is not None:
                    self.planned_actor_names.setdefault(key, uuid)

    def _refuse_a_taken_name(self, uuid: str, local: dict[str, Any], rec: Incoming) -> None:
        """A row that renames an actor here to a name another actor has is refused with the
        editor's words (``validation.name_clash``: one rule, one sentence)."""
        for name_field in DISPLAY_NAMES["actor"]:
            value = rec.values.get(name_field)
            key = name_key(value)
            if key is None or key == name_key(local.get(name_field)):
                continue  # no name, or the name it has already
            others = [(key,) for other in self.actor_names.get(key, []) if other != uuid]
            message = name_clash("actor", value, others)
            if message:
                self._skip(message, "record.duplicate", rec)

    @staticmethod
    def _generated(
        rec: Incoming,
        provided: dict[str, Any],
        local: dict[str, Any] | None,
        name_field: str,
        shown: str | None,
    ) -> frozenset[str]:
        """Fill in what the import supplies for a new record (its display name, the row's
        defaults); these fields are not what the file provided, so a re-import of the
        same file still finds it unchanged. A record that is here keeps its own."""
        if not provided.get(name_field):
            provided.pop(name_field, None)  # an empty name cell never clears a name
        if local is not None:
            return frozenset()
        added = {k: v for k, v in rec.defaults.items() if provided.get(k) is None}
        if not provided.get(name_field) and shown:
            added[name_field] = shown
        provided.update(added)
        return frozenset(added)

    def _skip(self, message: str, code: str, rec: Incoming) -> NoReturn:
        self.problems.error(message, code=code, **rec.place)
        raise _Skip

    def claim(
        self,
        rec: Incoming,
        keys: Sequence[str | None],
        label: str,
        also_known_as: Sequence[str | None] = (),
    ) -> None:
        """Note the row's matching keys; a row another row of the file matches is a duplicate.

        What would be recognised as one record in the database is one record in
        the file too: two rows with the same key (unless both give their own
        UUID) would create two records, and the file could then never be
        imported again without "matches 2 records". ``keys`` are what the row is
        looked up by; ``also_known_as`` further names it is found by (an
        actor's Chinese or English name).
        """
        row_keys = self.row_keys
        by_key = rec.kind.key
        has_uuid = rec.uuid is not None
        found = [_short(k) for k in keys if k is not None]
        known = found + [_short(k) for k in also_known_as if k is not None]
        if rec.kind.key not in ("actors", "partnerships"):
            # Kinds with one key per row: the second index would be the same as the first.
            for key in found:
                first = row_keys.claim(
                    by_key, key, _row_entry(_compact(rec.place), label, has_uuid)
                )
                if first is not None:
                    place, first_label, first_has_uuid = _row_unpacked(first)
                    if not (has_uuid and first_has_uuid):
                        self._skip(duplicate_message(place, first_label), "record.duplicate", rec)
            return
        by_other = rec.kind.key + "|aka"
        for index, probe in ((by_key, known), (by_other, found)):
            for key in probe:
                first = row_keys.get(index, key)
                if first is not None:
                    place, first_label, first_has_uuid = _row_unpacked(first)
                    if not (has_uuid and first_has_uuid):
                        self._skip(duplicate_message(place, first_label), "record.duplicate", rec)
        entry = _row_entry(_compact(rec.place), label, has_uuid)  # shared by every key
        for key in found:
            row_keys.claim(by_key, key, entry)
        for key in known:
            row_keys.claim(by_other, key, entry)

    def _require_letters(self, name: str, rec: Incoming) -> str:
        """The name's matching key; a name without letters or digits cannot be recognised."""
        key = name_key(name)
        if key is None:
            self._skip(
                _(
                    "'{name}' has no letters or digits, so it cannot be told apart from other "
                    "records; write the name in letters or give the record's UUID."
                ).format(name=name),
                "record.no_letters",
                rec,
            )
        return key

    def _local_actor_by_name(self, name: str, rec: Incoming) -> str | None:
        key = name_key(name)
        if key is None:
            return None  # an empty key never matches anything
        matches = sorted(set(self.actor_names.get(key, [])))
        if len(matches) > 1:
            self._skip(
                _(
                    "'{name}' matches {count} actors in the database; give the record's UUID."
                ).format(name=name, count=len(matches)),
                "record.ambiguous",
                rec,
            )
        return matches[0] if matches else None

    def _new_uuid(self) -> str:
        self._fresh = uuid7()
        return self._fresh

    def resolve_party(
        self, role: str, name: str | None, ref: str | None, rec: Incoming
    ) -> str | None:
        """The UUID of the party's actor, creating a planned new actor if needed."""
        if ref and (ref in self.local["actors"] or ref in self.planned):
            return ref
        if not name:
            if ref:
                self._skip(
                    _("The actor {uuid} is neither in the database nor in the import.").format(
                        uuid=ref
                    ),
                    "record.unknown_reference",
                    rec,
                )
            return None
        # With the file's own UUID a name without letters is fine: the UUID identifies it.
        key = self._require_letters(name, rec) if ref is None else name_key(name) or ""
        if key in self.planned_actor_names:
            return self.planned_actor_names[key]
        found = self._local_actor_by_name(name, rec)
        if found:
            return found
        uuid = ref or self._new_uuid()
        values = {
            "name_de": name,
            "country": "DE" if role == "german" else "CN",
            "kind": "municipality" if role == "german" else "city",
        }
        actor_kind = _kind("actors")
        item = self.classify(actor_kind, Incoming(actor_kind, rec.place, uuid), uuid, values, name)
        self.planned[uuid] = item.target.get("name_de") if item is not None else name
        if key:
            self.planned_actor_names[key] = uuid
        return uuid

    # ------------------------------------------------------------------ partnerships

    def plan_partnership(self, rec: Incoming) -> None:
        kind = rec.kind
        provided = {k: v for k, v in rec.values.items() if k in _STATE_SETS["partnerships"]}
        names: dict[str, str | None] = {}
        for role in PARTY_ROLES:
            if role not in rec.parties:
                continue
            name, ref = rec.parties[role]
            resolved = self.resolve_party(role, name, ref, rec)
            provided[f"{role}_party_uuid"] = resolved
            names[role] = name or self._actor_label(resolved)
        # Recognised by its pair of partners first, by its title only without them.
        german, chinese = provided.get("german_party_uuid"), provided.get("chinese_party_uuid")
        title = name_key(provided.get("title"))
        title_key = None if title is None else f"title|{title}"
        shown = provided.get("title") or " – ".join(str(n) for n in names.values() if n)
        if german and chinese:
            self.claim(rec, [f"{german}|{chinese}"], str(shown), [title_key])
        else:
            self.claim(rec, [title_key], str(shown))
        uuid = rec.uuid
        if uuid is None or uuid not in self.local["partnerships"]:
            uuid = self._match_partnership(provided, rec) or uuid
        local = self.local["partnerships"].get(uuid) if uuid else None
        generated: frozenset[str] = frozenset()
        if local is None and not provided.get("title"):
            if not (names.get("german") and names.get("chinese")):
                self._skip(
                    _("The partnership has neither a title nor both partners."),
                    "record.no_title",
                    rec,
                )
            provided["title"] = f"{names['german']} – {names['chinese']}"
            generated = frozenset({"title"})
            spec = kind.field("title")
            limit = spec.max_length if spec is not None else None
            if limit is not None and len(provided["title"]) > limit:
                self._skip(
                    _(
                        "The title made from the partners' names would have {length} characters; "
                        "at most {limit} fit. Give the partnership a shorter title in a title "
                        "column."
                    ).format(length=len(provided["title"]), limit=limit),
                    "record.title_too_long",
                    rec,
                )
        uuid = uuid or self._new_uuid()
        self._notes(kind, rec, provided, local)
        label = str(provided.get("title") or (local or {}).get("title") or uuid)
        self.classify(kind, rec, uuid, provided, label, generated)

    def _actor_label(self, uuid: str | None) -> str | None:
        if uuid is None:
            return None
        if uuid in self.planned:
            return self.planned[uuid]
        name: str | None = self.local["actors"].get(uuid, {}).get("name_de")
        return name

    def _match_partnership(self, provided: dict[str, Any], rec: Incoming) -> str | None:
        german, chinese = provided.get("german_party_uuid"), provided.get("chinese_party_uuid")
        candidates: list[str] = []
        if german and chinese:
            candidates = self.pair_index.get((german, chinese), [])
        title = name_key(provided.get("title"))
        if not candidates and title is not None:
            candidates = self.title_index.get(title, [])
        if (
            title is None
            and provided.get("title")
            and rec.uuid is None
            and not (german and chinese)
        ):
            self._require_letters(str(provided["title"]), rec)  # nothing could recognise it
        if len(candidates) > 1:
            self._skip(
                _(
                    "The row matches {count} partnerships in the database; give the record's UUID."
                ).format(count=len(candidates)),
                "record.ambiguous",
                rec,
            )
        return candidates[0] if candidates else None


class _KeyIndex:
    """Matching key → the UUIDs of the local records under it, compactly: each key as its
    16-byte digest (``_short``), a key's one UUID without a list around it. (A re-import of
    100,000 records holds one entry per local record; as text keys and lists they cost
    about 200 bytes more each.)"""

    __slots__ = ("_map",)

    def __init__(self) -> None:
        self._map: dict[bytes, str | list[str]] = {}

    def add(self, key: str, uuid: str) -> None:
        short = _short(key)
        found = self._map.get(short)
        if found is None:
            self._map[short] = uuid
        elif isinstance(found, list):
            found.append(uuid)
        else:
            self._map[short] = [found, uuid]

    def get(self, key: str) -> list[str]:
        found = self._map.get(_short(key))
        if found is None:
            return []
        return list(found) if isinstance(found, list) else [found]


def _short(key: str) -> bytes:
    """A row's matching key as remembered for the duplicate check: 16 bytes, never equal by chance.

    (128 bits: the chance that two of a million different keys collide is below 10^-26.)
    """
    return hashlib.blake2b(key.encode("utf-8", "surrogatepass"), digest_size=16).digest()


_RowEntry = str | tuple[Any, str, bool]


class _RowKeys:
    """The rows of the file by matching key, for the duplicate check: index → 16-byte key →
    the first row's entry (``_row_entry``).

    On SQLite they wait in a temporary table of the import's own connection (gone with
    the connection, emptied when the planning ends): a re-import of 100,000 rows would
    otherwise hold about 18 MB of keys and entries beside the local records' maps.
    Elsewhere (a team server) they stay in a dictionary.
    """

    def __init__(self, session: Session) -> None:
        self._memory: dict[tuple[str, bytes], _RowEntry] | None = None
        self._cursor: Any = _temp_table(
            session,
            "import_row_key",
            "(idx TEXT NOT NULL, key BLOB NOT NULL, entry BLOB NOT NULL, "
            "PRIMARY KEY (idx, key)) WITHOUT ROWID",
        )
        if self._cursor is None:
            self._memory = {}

    def get(self, index: str, key: bytes) -> _RowEntry | None:
        if self._memory is not None:
            return self._memory.get((index, key))
        row = self._cursor.execute(
            "SELECT entry FROM temp.import_row_key WHERE idx = ? AND key = ?", (index, key)
        ).fetchone()
        return None if row is None else _entry_loaded(row[0])

    def claim(self, index: str, key: bytes, entry: _RowEntry) -> _RowEntry | None:
        """Note ``entry`` under ``key`` unless a row is there already; that row's entry, if so."""
        if self._memory is not None:
            first = self._memory.get((index, key))
            if first is None:
                self._memory[(index, key)] = entry
            return first
        cursor = self._cursor
        cursor.execute(  # pickled: a label may hold what SQLite's text cannot (a lone surrogate)
            "INSERT OR IGNORE INTO temp.import_row_key (idx, key, entry) VALUES (?, ?, ?)",
            (index, key, pickle.dumps(entry, protocol=pickle.HIGHEST_PROTOCOL)),
        )
        if cursor.rowcount == 1:
            return None
        return self.get(index, key)

    def close(self) -> None:
        _temp_closed(self._cursor, "import_row_key")
        self._cursor = None
        self._memory = None


def _temp_table(session: Session, name: str, columns: str) -> Any:
    """A cursor on the import's own SQLite connection with the temporary table ``name``
    made (``CREATE TEMP TABLE name columns``) and emptied; None on a team
    server, or on a file opened read-only (``query_only``): the caller keeps a dictionary.

    Temporary tables live in a file of SQLite's own beside a small page cache, not in
    this process's memory; written inside the import's transaction, they are emptied by
    its rollback too, and gone with the connection.
    """
    connection = session.connection()
    if connection.dialect.name != "sqlite":
        return None
    cursor = connection.connection.dbapi_connection.cursor()  # type: ignore[union-attr]
    try:
        cursor.execute(f"CREATE TEMP TABLE IF NOT EXISTS {name} {columns}")
        cursor.execute(f"DELETE FROM temp.{name}")
    except sqlite3.OperationalError:
        cursor.close()
        return None
    return cursor


def _temp_closed(cursor: Any, name: str) -> None:
    """Empty the temporary table ``name`` while its transaction is open; close ``cursor``.

    (After a rollback the rows are gone already, and a connection given back to the
    pool is not to be written on.)
    """
    if cursor is None:
        return
    try:
        if cursor.connection.in_transaction:
            cursor.execute(f"DELETE FROM temp.{name}")
    finally:
        cursor.close()


class _Seen:
    """kind → UUID → the place of the row that gave it (``_compact``): a row naming a UUID an
    earlier row named is a duplicate. Only rows with a UUID of their own or of a local
    record are remembered. On SQLite in a temporary table (a re-import of a million rows
    would hold them all), elsewhere in a dictionary.
    """

    def __init__(self, session: Session) -> None:
        self._memory: dict[str, dict[str, Any]] | None = None
        self._cursor: Any = _temp_table(
            session,
            "import_seen",
            "(kind TEXT NOT NULL, uuid TEXT NOT NULL, place BLOB NOT NULL, "
            "PRIMARY KEY (kind, uuid)) WITHOUT ROWID",
        )
        if self._cursor is None:
            self._memory = {}

    def get(self, kind: str, uuid: str) -> Any:
        if self._memory is not None:
            return self._memory.get(kind, {}).get(uuid)
        if self._cursor is None:
            return None
        row = self._cursor.execute(
            "SELECT place FROM temp.import_seen WHERE kind = ? AND uuid = ?", (kind, uuid)
        ).fetchone()
        if row is None:
            return None
        place = row[0]
        return pickle.loads(place) if isinstance(place, bytes) else place  # noqa: S301

    def has(self, kind: str, uuid: str) -> bool:
        return self.get(kind, uuid) is not None

    def claim(self, kind: str, uuid: str, place: Any) -> Any:
        """Note ``place`` for ``uuid`` unless a row gave it before; that row's place, if so."""
        if self._memory is not None:
            by_uuid = self._memory.setdefault(kind, {})
            first = by_uuid.get(uuid)
            if first is None:
                by_uuid[uuid] = place
            return first
        stored = place if type(place) is int else pickle.dumps(place, pickle.HIGHEST_PROTOCOL)
        cursor = self._cursor
        cursor.execute(
            "INSERT OR IGNORE INTO temp.import_seen (kind, uuid, place) VALUES (?, ?, ?)",
            (kind, uuid, stored),
        )
        return None if cursor.rowcount == 1 else self.get(kind, uuid)

    def uuids(self, kind: str) -> set[str]:
        if self._memory is not None:
            return set(self._memory.get(kind, ()))
        if self._cursor is None:
            return set()
        rows = self._cursor.execute("SELECT uuid FROM temp.import_seen WHERE kind = ?", (kind,))
        return {u for (u,) in rows}

    def close(self) -> None:
        _temp_closed(self._cursor, "import_seen")
        self._cursor = None
        self._memory = None


class _LocalKeys:
    """kind → natural key (``natural_key``, ``also_key``) → the UUIDs of the local records
    under it, in the order they were added. On SQLite in a temporary table, each key as its
    16-byte digest (``_short``); elsewhere in ``_KeyIndex``es. (A re-import of a million
    activities would otherwise hold a million keys and UUIDs, about 150 MB.)
    """

    def __init__(self, session: Session) -> None:
        self._memory: dict[str, _KeyIndex] | None = None
        self._kinds: set[str] = set()  # the kinds with a key
        self._buffer: list[tuple[str, bytes, int, str]] = []
        self._added = 0  # the order the UUIDs were added in
        self._cursor: Any = _temp_table(
            session,
            "import_local_key",
            "(kind TEXT NOT NULL, key BLOB NOT NULL, n INTEGER NOT NULL, uuid TEXT NOT NULL, "
            "PRIMARY KEY (kind, key, n)) WITHOUT ROWID",
        )
        if self._cursor is None:
            self._memory = {}

    def add(self, kind: str, key: str, uuid: str) -> None:
        self._kinds.add(kind)
        if self._memory is not None:
            self._memory.setdefault(kind, _KeyIndex()).add(key, uuid)
            return
        self._added += 1
        self._buffer.append((kind, _short(key), self._added, uuid))
        if len(self._buffer) >= 5000:
            self.flush()

    def flush(self) -> None:
        if self._buffer and self._cursor is not None:
            self._cursor.executemany(
                "INSERT INTO temp.import_local_key (kind, key, n, uuid) VALUES (?, ?, ?, ?)",
                self._buffer,
            )
        self._buffer = []

    def get(self, kind: str, key: str) -> list[str]:
        if kind not in self._kinds:
            return []
        if self._memory is not None:
            return self._memory[kind].get(key)
        self.flush()
        rows = self._cursor.execute(
            "SELECT uuid FROM temp.import_local_key WHERE kind = ? AND key = ? ORDER BY n",
            (kind, _short(key)),
        )
        return [u for (u,) in rows]

    def close(self) -> None:
        self._buffer = []
        _temp_closed(self._cursor, "import_local_key")
        self._cursor = None
        self._memory = None


def _entry_loaded(stored: bytes) -> _RowEntry:
    entry: _RowEntry = pickle.loads(stored)  # noqa: S301 - written just now by this planning
    return entry


def _row_entry(place: Any, label: str, has_uuid: bool) -> _RowEntry:
    """A row as the duplicate check remembers it: its line, label and whether it gave a UUID.

    A row placed by its line alone becomes one text ("n12\x1fTitle"; "u…" with a UUID):
    about 100 bytes less than a tuple beside its label, 10 MB for 100,000 rows.
    """
    if type(place) is int:
        return f"{'u' if has_uuid else 'n'}{place}\x1f{label}"
    return (place, label, has_uuid)


def _row_unpacked(entry: _RowEntry) -> tuple[Any, str, bool]:
    if isinstance(entry, str):
        line, _sep, label = entry[1:].partition("\x1f")
        return int(line), label, entry[0] == "u"
    return entry


def _compact(place: dict[str, Any]) -> Any:
    """What a row's place is remembered as: its line number when that says it all."""
    if place.keys() <= {"file", "member", "line"} and isinstance(place.get("line"), int):
        return place["line"]
    return {k: place[k] for k in ("line", "sheet", "key") if place.get(k) is not None}


def duplicate_message(first: Any, label: str) -> str:
    """The problem text for a row that repeats the row at ``first`` (a place or a line)."""
    if isinstance(first, int):
        first = {"line": first}
    where = Problem(
        "", line=first.get("line"), sheet=first.get("sheet"), key=first.get("key")
    ).location()
    return _(
        "This repeats {first} ('{label}'): both describe the same record. Remove one of them, "
        "or give each its own UUID if they are different records."
    ).format(first=where, label=label)


def label_of(kind: KindSpec, provided: dict[str, Any]) -> str:
    return str(provided.get(kind.title_field) or "")


def natural_key(kind: str, state: dict[str, Any]) -> str | None:
    """How a record without a known UUID is recognised: title, or title plus context.

    None when the name or title has no letters or digits: such a record is
    recognised by nothing but its UUID.
    """
    if kind == "activities":
        title = name_key(state.get("title"))
        if title is None:
            return None
        return f"{state.get('partnership_uuid')}|{canonical(state.get('date'))}|{title}"
    if kind == "contacts":
        name = name_key(state.get("name"))
        return None if name is None else f"{name}|{state.get('actor_uuid') or ''}"
    register = REGISTERS_BY_KEY.get(kind)
    if register is not None:  # within its partnership: on its date, by its title or name
        title = name_key(state.get(register.title_field))
        if title is None:
            return None
        day = canonical(state.get(register.date_field)) if register.date_field else ""
        return f"{state.get('partnership_uuid')}|{day}|{title}"
    return name_key(state.get("title"))


def also_key(kind: str, state: dict[str, Any]) -> str | None:
    """A second way to recognise a record: a contact by its name in characters and actor."""
    if kind != "contacts":
        return None
    name = name_key(state.get("name_zh"))
    return None if name is None else f"zh|{name}|{state.get('actor_uuid') or ''}"


# What a new record of a kind planned by ``_plan_simple`` must have: the record it belongs
# to (its *_uuid) and the registry's required fields. Actors and partnerships are planned
# on their own (a display name, a title made from the parties).
_REQUIRED = {
    entry.file_key: (
        *((f"{entry.parent.value}_uuid",) if entry.parent else ()),
        *(f.name for f in entry.fields if f.required),
    )
    for entry in REGISTRY.values()
    if entry.kind not in (Kind.ACTOR, Kind.PARTNERSHIP)
}


def _resolve_ref(
    planner: _Planner, target: str, name: str | None, ref: str | None, rec: Incoming
) -> str | None:
    """The UUID of a referenced actor or partnership, in the database or in this import."""
    if ref and (ref in planner.local[target] or planner.seen.has(target, ref)):
        return ref
    if name:
        key = planner._require_letters(name, rec)
        found: str | None
        if target == "actors":
            found = planner.planned_actor_names.get(key) or planner._local_actor_by_name(name, rec)
        else:
            found = planner.planned_titles.get(key)
            if found is None:
                candidates = planner.title_index.get(key, [])
                if len(candidates) > 1:
                    planner._skip(
                        _(
                            "'{name}' matches {count} records in the database; give the record's "
                            "UUID."
                        ).format(name=name, count=len(candidates)),
                        "record.ambiguous",
                        rec,
                    )
                found = candidates[0] if candidates else None
        if found:
            return found
        planner._skip(
            _("'{name}' is neither in the database nor in the import ({kind}).").format(
                name=name, kind=target
            ),
            "record.unknown_reference",
            rec,
        )
    if ref:
        planner._skip(
            _("The record {uuid} is neither in the database nor in the import ({kind}).").format(
                uuid=ref, kind=target
            ),
            "record.unknown_reference",
            rec,
        )
    return None


_STATE_SETS = {kind: frozenset(fields) for kind, fields in STATE_FIELDS.items()}


def _plan_simple(planner: _Planner, rec: Incoming) -> None:
    """Sources, activities, contacts: matched by UUID, else by their natural key."""
    kind = rec.kind
    fields = _STATE_SETS[kind.key]
    provided = {k: v for k, v in rec.values.items() if k in fields}
    for base, (name, ref) in rec.refs.items():
        spec = kind.field(base)
        assert spec is not None and spec.ref is not None
        provided[f"{base}_uuid"] = _resolve_ref(planner, spec.ref, name, ref, rec)
    local_states = planner.local[kind.key]
    uuid = rec.uuid
    # A contact named only in characters is found (and, when new, shown) by them.
    shown = display_name("contact", provided) if kind.key == "contacts" else None
    state = {**DEFAULTS[kind.key], **provided}
    if shown is not None:
        state["name"] = shown
    other_key = also_key(kind.key, state)
    natural = natural_key(kind.key, state)  # ``state`` stays as it is until the claim below
    if uuid is None or uuid not in local_states:
        key = natural
        if key is None and uuid is None and state.get(kind.title_field):
            planner._require_letters(str(state[kind.title_field]), rec)
        index = planner.natural_index
        candidates = index.get(kind.key, key) if key else []
        if not candidates and other_key is not None:
            # the same person, now also in Latin letters
            candidates = index.get(kind.key, other_key)
        if len(candidates) > 1:
            planner._skip(
                _(
                    "The row matches {count} records in the database; give the record's UUID."
                ).format(count=len(candidates)),
                "record.ambiguous",
                rec,
            )
        uuid = candidates[0] if candidates else uuid
    planner.claim(rec, [natural], label_of(kind, state), [other_key])
    local = local_states.get(uuid) if uuid else None
    generated = (
        planner._generated(rec, provided, local, "name", shown)
        if kind.key == "contacts"
        else frozenset()
    )
    if local is None:
        missing = [f for f in _REQUIRED.get(kind.key, ()) if not provided.get(f)]
        if missing:
            planner._skip(
                _("The record lacks: {fields}.").format(fields=", ".join(missing)),
                "record.incomplete",
                rec,
            )
    uuid = uuid or planner._new_uuid()
    planner._notes(kind, rec, provided, local)
    label = str(provided.get(kind.title_field) or (local or {}).get(kind.title_field) or uuid)
    planner.classify(kind, rec, uuid, provided, label, generated)


class _Skip(Exception):
    """The record was reported as a problem and is left out of the plan."""


def _all_kinds() -> dict[str, KindSpec]:
    from chinadialog_desktop.services.datasets.kinds import KINDS

    return KINDS


def _kind(key: str) -> KindSpec:
    from chinadialog_desktop.services.datasets.kinds import KINDS

    return KINDS[key]


def make_plan(
    session: Session,
    batches: Sequence[tuple[KindSpec, Iterable[Incoming]]],
    problems: ProblemList,
    progress: Progress | None = None,
    cancelled: Callable[[], bool] | None = None,
    *,
    expected: int | None = None,
    spill: bool = True,
) -> Plan:
    """Classify every record against the database (read only); actors before partnerships.

    Records may come from generators (a file read as it is planned); ``expected``
    is then the number of records the progress counts towards. With ``spill``
    the planned records go to a temporary file (``Plan.chunks`` reads them back;
    ``Plan.close`` removes it) and only conflicts stay in memory.
    """
    planner = _Planner(session, problems, Spill() if spill else None)
    planner.load(_kind("actors"))
    planner.load(_kind("partnerships"))
    keys = list(_all_kinds())
    order = sorted(batches, key=lambda b: keys.index(b[0].key))
    total = sum(len(records) for _kind_, records in order if isinstance(records, Sized))
    total = max(total, expected or 0)
    done = 0
    try:
        for kind, records in order:
            planner.load(kind)
            for rec in records:
                try:
                    if kind.key == "actors":
                        planner.plan_actor(rec)
                    elif kind.key == "partnerships":
                        planner.plan_partnership(rec)
                    else:
                        _plan_simple(planner, rec)
                except _Skip:
                    pass
                done += 1
                if done % 2000 == 0:
                    if cancelled is not None and cancelled():
                        raise Cancelled
                    if progress is not None:
                        progress(done, max(total, done), _("Comparing records"))
    except BaseException:
        if planner.spill is not None:
            planner.spill.close()
        with contextlib.suppress(Exception):  # the first error is the one to report
            planner.row_keys.close()
            planner.natural_index.close()
            planner.seen.close()
        raise
    planner.row_keys.close()
    planner.natural_index.close()
    if progress is not None:
        progress(done, done, _("Comparing records"))
    return Plan(
        planner.items,
        problems,
        planner.ids,
        planner.aliases,
        spill=planner.spill,
        seen=planner.seen,
    )
