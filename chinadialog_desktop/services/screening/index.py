"""The match index, stored in the database: built once per list version, read per query.

A list's index is built in the transaction that imports the list (so it exists exactly
when the entities do: a crash or kill rolls both back), dropped with the list (foreign
keys cascade), and rebuilt before use when it was built by another matcher
(``matching.index_version()``) or from another state of the list (entities added,
changed or removed by other means, or a list imported before the index existed).

A query reads only what it needs: the counts of its keys, then the entity ids of the keys
it uses, then the ≤ 100-odd candidate entities with their names already normalised. The
keys are the in-memory ``MatchIndex``'s, so both find the same candidates and scores.
"""

from __future__ import annotations

import gc
import json
from collections import defaultdict
from collections.abc import Callable, Collection, Iterable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from sqlalchemy import insert, select
from sqlalchemy.engine import Connection
from sqlalchemy.orm import Session

from chinadialog_desktop.domain.matching import (
    PERSON_SCHEMAS,
    Entity,
    Match,
    Subject,
    deletions,
    identifier_values_of,
    index_version,
    name_keys,
    normalized_names,
    screen_source,
)
from chinadialog_desktop.domain.names import NormName, trim_caches
from chinadialog_desktop.domain.screening_terms import DEFAULT_THRESHOLD
from chinadialog_desktop.persistence import faultpoint
from chinadialog_desktop.persistence.base import utcnow
from chinadialog_desktop.persistence.models_reference import ReferenceList, ScreeningIndexState
from chinadialog_desktop.persistence.rawsql import (
    bulk_insert,
    find_text,
    is_server,
    json_value,
    run,
)

ProgressFn = Callable[[int, int], None]
CancelFn = Callable[[], bool]

ID_PREFIX = "\t"  # identifier keys; a name key never holds a tab (words are [0-9a-z])
CHUNK = 10_000  # entities read, keyed and written at a time (bounds the memory)
_VARS = 500  # values bound per IN (…) query


class IndexCancelled(Exception):
    """Raised inside a build when ``cancel`` says so; the caller rolls back."""


# --- building ---------------------------------------------------------------------------


@contextmanager
def _collector_paused() -> Iterator[None]:
    """No cyclic garbage collection while an index is built or updated.

    A build makes millions of small, acyclic objects (normalised names, keys, id lists)
    that reference counting frees; yet every 700 new containers the collector looks
    through the young ones, and each time the heap grew by a quarter through all of them:
    about a third of the build's CPU time, for nothing (a build leaves no cycles behind,
    ``tests/screening/test_stored_index.py`` checks). Switched back on afterwards, and
    only if it was on (otherwise someone else owns it, e.g. the window's start)."""
    if not gc.isenabled():
        yield
        return
    gc.disable()
    try:
        yield
    finally:
        gc.enable()


def _norm_of(data: list[list[Any]]) -> list[NormName]:
    return [
        NormName(o, tuple(t), h, tuple(r), bool(p), tuple(rm), bool(tr))
        for o, t, h, r, p, rm, tr in data
    ]


def list_stamp(conn: Connection, list_id: int) -> str:
    """The state of a list's entities: how many, the highest id, the latest change."""
    count, top, changed = run(
        conn,
        "SELECT count(*), max(id), max(modified_at) FROM reference_entity WHERE list_id = ?",
        (list_id,),
    ).one()
    return f"{count}:{top or 0}:{changed or ''}"


def drop_list_index(conn: Connection, list_id: int, keep_names: bool = False) -> None:
    """Drop a list's index; ``keep_names`` keeps the normalised names of its entities."""
    run(conn, "DELETE FROM screening_index WHERE list_id = ?", (list_id,))
    run(conn, "DELETE FROM screening_key WHERE list_id = ?", (list_id,))
    run(conn, "DELETE FROM screening_near WHERE list_id = ?", (list_id,))
    if not keep_names:
        run(
            conn,
            "DELETE FROM screening_entity WHERE entity_id IN "
            "(SELECT id FROM reference_entity WHERE list_id = ?)",
            (list_id,),
        )


def forget_names(conn: Connection, entity_ids: Sequence[int]) -> None:
    """Drop the stored normalised names of these (changed) entities."""
    for i in range(0, len(entity_ids), _VARS):
        part = entity_ids[i : i + _VARS]
        run(
            conn,
            f"DELETE FROM screening_entity WHERE entity_id IN ({','.join('?' * len(part))})",
            tuple(part),
        )


def build_list_index(
    conn: Connection,
    list_id: int,
    progress: ProgressFn | None = None,
    cancel: CancelFn | None = None,
    reuse_names: bool = False,
) -> int:
    """(Re)build the index of one list in the caller's transaction; returns its key count.

    ``reuse_names``: the stored normalised names of the list's entities are still right
    (the index was current before the caller changed entities, and the caller dropped
    those of the entities it changed with ``forget_names``): they are read, not redone.

    Reads the entities in id order, CHUNK at a time, and appends each chunk's postings to
    a scratch table; the database then groups them by key into the index in one statement
    (in key order), so memory stays flat however long the list."""
    with _collector_paused():
        return _build(conn, list_id, progress, cancel, reuse_names)


def _build(
    conn: Connection,
    list_id: int,
    progress: ProgressFn | None,
    cancel: CancelFn | None,
    reuse_names: bool,
) -> int:
    drop_list_index(conn, list_id, keep_names=reuse_names)
    total = run(
        conn, "SELECT count(*) FROM reference_entity WHERE list_id = ?", (list_id,)
    ).scalar_one()
    _open_stage(conn)
    vocab: set[str] = set()
    done, last, chunk = 0, 0, 0
    if progress is not None:
        progress(0, total)
    while True:
        if cancel is not None and cancel():
            raise IndexCancelled
        rows = run(
            conn,
            (_ENTITY_SQL if reuse_names else _FRESH_SQL)
            + "WHERE e.list_id = ? AND e.id > ? ORDER BY e.id LIMIT ?",
            (list_id, last, CHUNK),
        ).all()
        if not rows:
            break
        _stage_chunk(conn, rows, vocab, chunk)
        chunk += 1
        last = rows[-1][0]
        done += len(rows)
        del rows
        trim_caches()
        faultpoint.hit("screening-index-chunk")
        if progress is not None:
            progress(done, total)
    _merge_stage(conn, list_id)
    keys = run(
        conn, "SELECT count(*) FROM screening_key WHERE list_id = ?", (list_id,)
    ).scalar_one()
    conn.execute(
        insert(ScreeningIndexState).values(
            list_id=list_id,
            matcher=index_version(),
            stamp=list_stamp(conn, list_id),
            entity_count=total,
            key_count=keys,
            built_at=utcnow(),
        )
    )
    return int(keys)


# json.dumps(..., ensure_ascii=False) of one string (the C encoder's own function)
_JSON_STR = json.encoder.encode_basestring


def _name_json(n: NormName) -> str:
    """One name as stored (``_norm_of`` reads it back): what ``json.dumps([n.original,
    n.tokens, n.hanzi, n.readings, n.pinyin, n.removed, n.transliterated],
    ensure_ascii=False, separators=(",", ":"))`` gives, written directly."""
    s = _JSON_STR
    return (
        f"[{s(n.original)},[{','.join(map(s, n.tokens))}],{s(n.hanzi)},"
        f"[{','.join(map(s, n.readings))}],{'true' if n.pinyin else 'false'},"
        f"[{','.join(map(s, n.removed))}],{'true' if n.transliterated else 'false'}]"
    )


class _Keyer:
    """The keys, words and stored form of entities; a name met again (the same normalised
    name: ``normalize`` hands the same object back while its cache holds it) is keyed once.
    Kept by the name's identity, not its value: hashing a ``NormName`` hashes all its
    fields, a tenth of a build; the dict holds each name, so no identity is reused.

    An entity is keyed from its row alone, without an ``Entity`` (the index needs only its
    names, person or not, and identifiers): what ``Entity.prepare`` and ``entity_keys``
    give, by the same functions (``normalized_names``, ``name_keys``)."""

    def __init__(self) -> None:
        self._done: dict[int, tuple[NormName, set[str], str]] = {}

    def keyed(self, n: NormName) -> tuple[NormName, set[str], str]:
        """The name, its keys (not to be changed) and its stored form (JSON)."""
        found = self._done.get(id(n))
        if found is None:
            found = self._done[id(n)] = (n, name_keys(n), _name_json(n))
        return found

    def entity(self, row: Sequence[Any]) -> tuple[list[NormName], set[str], str | None]:
        """One row of ``_ENTITY_SQL``: the entity's normalised names (then its weak
        aliases'), its keys (names and identifiers) and, when its normalised names were
        not stored yet, their JSON."""
        _eid, schema, names, weak, identifiers, known = row
        if known is None:
            person = schema in PERSON_SCHEMAS
            jv = json_value
            norm = normalized_names(jv(names), person) if names and names != "[]" else []
            norm_weak = normalized_names(jv(weak), person) if weak and weak != "[]" else []
        else:
            stored_norm, stored_weak = json.loads(known)
            norm, norm_weak = _norm_of(stored_norm), _norm_of(stored_weak)
        keyed = self.keyed
        norm_text = [keyed(n) for n in norm]
        weak_text = [keyed(n) for n in norm_weak]
        keys: set[str] = set()
        for _n, name_keys_, _j in norm_text:
            keys.update(name_keys_)
        for _n, name_keys_, _j in weak_text:
            keys.update(name_keys_)
        # an identifier key never equals a name key (a name key never holds a tab)
        if identifiers and identifiers != "{}":
            keys.update(
                ID_PREFIX + value for value in identifier_values_of(json_value(identifiers))
            )
        stored = None
        if known is None:
            stored = (
                f"[[{','.join([j for _n, _k, j in norm_text])}],"
                f"[{','.join([j for _n, _k, j in weak_text])}]]"
            )
        return norm + norm_weak, keys, stored


def _words_of(names: list[NormName]) -> Iterator[str]:
    """The words of these names (``entity_words`` of their entity)."""
    for n in names:
        yield from n.tokens


_ENTITY_SQL = (
    "SELECT e.id, e.schema, e.names, e.weak_aliases, e.identifiers, s.names "
    "FROM reference_entity e LEFT JOIN screening_entity s ON s.entity_id = e.id "
)
# The same when no entity of the list has stored names (they were just dropped).
_FRESH_SQL = (
    "SELECT e.id, e.schema, e.names, e.weak_aliases, e.identifiers, NULL FROM reference_entity e "
)


# The scratch tables of a build: one row per key (or one-letter variant) and chunk.
# ``chunk`` orders the merge: chunks are read in id order, so joining a key's rows in
# chunk order gives its ids ascending (SQLite joins them in the order they were written).
_STAGE_KEY = "screening_stage_key"
_STAGE_NEAR = "screening_stage_near"


def _open_stage(conn: Connection) -> None:
    """Create (once per connection) and empty the build's temporary scratch tables."""
    for table, columns in (
        (_STAGE_KEY, "chunk INTEGER, key TEXT, df INTEGER, ids TEXT"),
        (_STAGE_NEAR, "chunk INTEGER, variant TEXT, words TEXT"),
    ):
        run(conn, f"CREATE TEMP TABLE IF NOT EXISTS {table} ({columns})")
        run(conn, f"DELETE FROM {_temp(conn)}{table}")  # noqa: S608 - names are ours


def _temp(conn: Connection) -> str:
    """The schema of temporary tables: ``temp.`` on SQLite, ``pg_temp.`` on PostgreSQL."""
    return "pg_temp." if is_server(conn) else "temp."


def _merge_stage(conn: Connection, list_id: int) -> None:
    """Group the scratch rows by key into the index (in the database, in key order)."""
    temp = _temp(conn)
    if is_server(conn):
        ids = "string_agg(ids, ',' ORDER BY chunk)"
        words = "string_agg(words, ' ' ORDER BY chunk)"
    else:
        ids, words = "group_concat(ids, ',')", "group_concat(words, ' ')"
    run(
        conn,
        "INSERT INTO screening_key (list_id, key, df, ids) SELECT ?, key, sum(df), "  # noqa: S608
        f"{ids} FROM {temp}{_STAGE_KEY} GROUP BY key ORDER BY key",
        (list_id,),
    )
    run(
        conn,
        "INSERT INTO screening_near (list_id, variant, words) SELECT ?, variant, "  # noqa: S608
        f"{words} FROM {temp}{_STAGE_NEAR} GROUP BY variant ORDER BY variant",
        (list_id,),
    )
    run(conn, f"DELETE FROM {temp}{_STAGE_KEY}")  # noqa: S608
    run(conn, f"DELETE FROM {temp}{_STAGE_NEAR}")  # noqa: S608


def _stage_chunk(conn: Connection, rows: Sequence[Any], vocab: set[str], chunk: int) -> None:
    """Key one chunk of entities; a name met again (same normalised form) is keyed once."""
    postings: defaultdict[str, list[str]] = defaultdict(list)
    near: defaultdict[str, list[str]] = defaultdict(list)
    stored: list[tuple[int, str]] = []
    keyer = _Keyer()
    for row in rows:
        names, keys, stored_json = keyer.entity(row)
        eid = row[0]
        ref = str(eid)
        for key in keys:
            postings[key].append(ref)
        for n in names:
            for word in n.tokens:
                if word not in vocab:
                    vocab.add(word)
                    for variant in deletions(word):
                        near[variant].append(word)
        if stored_json is not None:
            stored.append((eid, stored_json))
    if stored:
        bulk_insert(conn, "screening_entity", ("entity_id", "names"), stored)
    temp = _temp(conn)
    if postings:
        bulk_insert(
            conn,
            temp + _STAGE_KEY,
            ("chunk", "key", "df", "ids"),
            ((chunk, k, len(v), ",".join(v)) for k, v in postings.items()),
        )
    if near:
        bulk_insert(
            conn,
            temp + _STAGE_NEAR,
            ("chunk", "variant", "words"),
            ((chunk, k, " ".join(v)) for k, v in near.items()),
        )


# --- updating ---------------------------------------------------------------------------


@dataclass
class IndexedBefore:
    """What a current index holds for some entities before the caller changes or removes
    them: the entity ids under each of their keys, and their words (of three letters or
    more: the shorter ones have no one-letter deletions)."""

    keys: dict[str, list[int]] = field(default_factory=dict)
    words: set[str] = field(default_factory=set)


def indexed_before(conn: Connection, entity_ids: Sequence[int]) -> IndexedBefore:
    """Read what the (current) index holds for these entities; call before changing them."""
    before = IndexedBefore()
    keyer = _Keyer()
    for part in _chunks(sorted(entity_ids)):
        rows = run(
            conn, _ENTITY_SQL + f"WHERE e.id IN ({','.join('?' * len(part))})", tuple(part)
        ).all()
        for row in rows:
            names, keys, _stored = keyer.entity(row)
            for key in keys:
                before.keys.setdefault(key, []).append(row[0])  # once: keys is a set
            before.words.update(w for w in _words_of(names) if len(w) >= 3)
    return before


def update_list_index(
    conn: Connection,
    list_id: int,
    before: IndexedBefore,
    progress: ProgressFn | None = None,
    cancel: CancelFn | None = None,
) -> int:
    """Bring a list's index up to date after a few of its entities changed; returns its key
    count. The result equals ``build_list_index``'s, row for row (the ids under a key, the
    words under a variant and the state's counts), at the cost of the changed entities only.

    Preconditions: the index was current before the caller's writes; ``before`` was read
    (``indexed_before``) from the entities the caller then changed or removed; the stored
    names of the changed ones were dropped (``forget_names``). The entities without stored
    names — the new and the changed ones — are keyed here; the keys of ``before`` lose
    those ids, the new keys gain them; a word no entity carries any more leaves the typo
    table, a new one joins it."""
    with _collector_paused():
        return _update(conn, list_id, before, progress, cancel)


def _update(
    conn: Connection,
    list_id: int,
    before: IndexedBefore,
    progress: ProgressFn | None,
    cancel: CancelFn | None,
) -> int:
    ids = [
        row[0]
        for row in run(
            conn,
            "SELECT e.id FROM reference_entity e "
            "LEFT JOIN screening_entity s ON s.entity_id = e.id "
            "WHERE e.list_id = ? AND s.entity_id IS NULL ORDER BY e.id",
            (list_id,),
        )
    ]
    total = len(ids)
    if progress is not None:
        progress(0, total)
    plus: dict[str, list[int]] = {}  # lists: a few ints each, far smaller than sets
    words: set[str] = set()
    keyer = _Keyer()
    done = 0
    for start in range(0, total, CHUNK):
        if cancel is not None and cancel():
            raise IndexCancelled
        stored: list[tuple[int, str]] = []
        for part in _chunks(ids[start : start + CHUNK]):
            rows = run(
                conn, _ENTITY_SQL + f"WHERE e.id IN ({','.join('?' * len(part))})", tuple(part)
            ).all()
            for row in rows:
                names, keys, stored_json = keyer.entity(row)
                for key in keys:
                    plus.setdefault(key, []).append(row[0])
                words.update(w for w in _words_of(names) if len(w) >= 3)
                if stored_json is not None:
                    stored.append((row[0], stored_json))
        if stored:
            bulk_insert(conn, "screening_entity", ("entity_id", "names"), stored)
        done += min(CHUNK, total - start)
        trim_caches()
        faultpoint.hit("screening-index-chunk")
        if progress is not None:
            progress(done, total)
    _update_postings(conn, list_id, before.keys, plus)
    gone = sorted(w for w in before.words - words if not _still_carried(conn, list_id, w))
    _update_near(conn, list_id, gone, words)
    keys = run(
        conn, "SELECT count(*) FROM screening_key WHERE list_id = ?", (list_id,)
    ).scalar_one()
    entities = run(
        conn, "SELECT count(*) FROM reference_entity WHERE list_id = ?", (list_id,)
    ).scalar_one()
    run(
        conn,
        "UPDATE screening_index SET stamp = ?, entity_count = ?, key_count = ?, built_at = ? "
        "WHERE list_id = ?",
        (
            list_stamp(conn, list_id),
            entities,
            keys,
            _bind_built_at(conn, utcnow()),
            list_id,
        ),
    )
    return int(keys)


def _bind_built_at(conn: Connection, value: Any) -> Any:
    """A datetime as the column stores it (raw SQL bypasses the column types)."""
    kind = ScreeningIndexState.__table__.c.built_at.type
    process = kind.dialect_impl(conn.dialect).bind_processor(conn.dialect)
    return process(value) if process else value


def _update_postings(
    conn: Connection, list_id: int, minus: dict[str, list[int]], plus: dict[str, list[int]]
) -> None:
    affected = sorted(minus.keys() | plus.keys())
    for part in _chunks(affected):
        marks = ",".join("?" * len(part))
        current: dict[str, str] = dict(
            run(
                conn,
                f"SELECT key, ids FROM screening_key WHERE list_id = ? AND key IN ({marks})",
                (list_id, *part),
            ).all()
        )
        upserts: list[tuple[int, str, int, str]] = []
        deletes: list[tuple[int, str]] = []
        for key in part:
            have = current.get(key)
            ids = set(map(int, have.split(","))) if have else set()
            ids.difference_update(minus.get(key, ()))
            ids.update(plus.get(key, ()))
            if ids:
                upserts.append((list_id, key, len(ids), ",".join(map(str, sorted(ids)))))
            elif have is not None:
                deletes.append((list_id, key))
        if upserts:
            run(
                conn,
                "INSERT INTO screening_key (list_id, key, df, ids) VALUES (?, ?, ?, ?) "
                "ON CONFLICT (list_id, key) DO UPDATE SET df = excluded.df, ids = excluded.ids",
                upserts,
            )
        if deletes:
            run(conn, "DELETE FROM screening_key WHERE list_id = ? AND key = ?", deletes)


def _still_carried(conn: Connection, list_id: int, word: str) -> bool:
    """Does an entity of the list (as indexed now) still carry ``word`` among its words?
    Only entities under the key ``word`` can; most often the first of them does."""
    row = run(
        conn, "SELECT ids FROM screening_key WHERE list_id = ? AND key = ?", (list_id, word)
    ).first()
    if row is None:
        return False
    needle = json.dumps(word)
    ids = row[0].split(",")
    for part in _chunks(ids):
        for (names,) in run(
            conn,
            f"SELECT names FROM screening_entity WHERE entity_id IN ({','.join('?' * len(part))})"
            f" AND {find_text(conn)}(names, ?) > 0",
            (*map(int, part), needle),
        ):
            norm, weak = json.loads(names)
            if any(word in n[1] for n in (*norm, *weak)):
                return True
    return False


def _update_near(conn: Connection, list_id: int, gone: Sequence[str], added: set[str]) -> None:
    """Take the words no entity carries any more out of the typo table, put new ones in.
    As in a full build, a word stands under a variant once per way of reaching it
    ("affairs" twice under "afairs")."""
    drop: dict[str, set[str]] = {}
    add: dict[str, list[str]] = {}
    for word in gone:
        for variant in deletions(word):
            drop.setdefault(variant, set()).add(word)
    for word in sorted(added):
        for variant in deletions(word):
            add.setdefault(variant, []).append(word)
    for part in _chunks(sorted(drop.keys() | add.keys())):
        marks = ",".join("?" * len(part))
        current: dict[str, str] = dict(
            run(
                conn,
                "SELECT variant, words FROM screening_near "
                f"WHERE list_id = ? AND variant IN ({marks})",
                (list_id, *part),
            ).all()
        )
        upserts: list[tuple[int, str, str]] = []
        deletes: list[tuple[int, str]] = []
        for variant in part:
            have = current.get(variant)
            words = have.split(" ") if have else []
            dropped = drop.get(variant, set())
            known = set(words)
            new = [w for w in words if w not in dropped]
            new += [w for w in add.get(variant, ()) if w not in known]
            if new == words:
                continue
            if new:
                upserts.append((list_id, variant, " ".join(new)))
            elif have is not None:
                deletes.append((list_id, variant))
        if upserts:
            run(
                conn,
                "INSERT INTO screening_near (list_id, variant, words) VALUES (?, ?, ?) "
                "ON CONFLICT (list_id, variant) DO UPDATE SET words = excluded.words",
                upserts,
            )
        if deletes:
            run(conn, "DELETE FROM screening_near WHERE list_id = ? AND variant = ?", deletes)


def index_is_current(conn: Connection, list_id: int) -> bool:
    row = run(
        conn, "SELECT matcher, stamp FROM screening_index WHERE list_id = ?", (list_id,)
    ).first()
    return row is not None and row[0] == index_version() and row[1] == list_stamp(conn, list_id)


# --- reading ----------------------------------------------------------------------------


def _chunks(values: Sequence[Any]) -> Iterable[Sequence[Any]]:
    for i in range(0, len(values), _VARS):
        yield values[i : i + _VARS]


class StoredIndex:
    """The stored indexes of some lists, read through one connection, as a KeySource."""

    def __init__(self, conn: Connection, list_ids: Sequence[int], size: int) -> None:
        self.conn = conn
        self.list_ids = list(list_ids)
        self._size = size
        self._lists = ",".join(str(int(i)) for i in self.list_ids) or "NULL"
        self._entities: dict[int, Entity] = {}

    def __len__(self) -> int:
        return self._size

    def _rows(self, table: str, column: str, values: Collection[str], what: str) -> list[Any]:
        wanted = sorted(set(values))
        out: list[Any] = []
        for part in _chunks(wanted):
            marks = ",".join("?" * len(part))
            out.extend(
                run(
                    self.conn,
                    f"SELECT {column}, {what} FROM {table} "  # noqa: S608 - names are ours
                    f"WHERE list_id IN ({self._lists}) AND {column} IN ({marks})",
                    tuple(part),
                ).all()
            )
        return out

    def key_counts(self, keys: Collection[str]) -> dict[str, int]:
        out: dict[str, int] = {}
        for key, df in self._rows("screening_key", "key", keys, "df"):
            out[key] = out.get(key, 0) + df
        return out

    def near_words(self, variants: Collection[str]) -> dict[str, set[str]]:
        out: dict[str, set[str]] = {}
        for variant, words in self._rows("screening_near", "variant", variants, "words"):
            out.setdefault(variant, set()).update(words.split(" "))
        return out

    def postings(self, keys: Collection[str]) -> dict[str, Sequence[int]]:
        out: dict[str, list[int]] = {}
        for key, ids in self._rows("screening_key", "key", keys, "ids"):
            out.setdefault(key, []).extend(map(int, ids.split(",")))
        for posting in out.values():  # ascending, as indexed (the lists' ids never overlap)
            posting.sort()
        return dict(out)

    def by_identifier(self, values: Collection[str]) -> dict[str, Sequence[int]]:
        found = self.postings([ID_PREFIX + v for v in values])
        return {k[len(ID_PREFIX) :]: v for k, v in found.items()}

    def fetch(self, refs: Sequence[int]) -> list[Entity]:
        missing = sorted({r for r in refs if r not in self._entities})
        for i in range(0, len(missing), _VARS):
            part = missing[i : i + _VARS]
            marks = ",".join("?" * len(part))
            for row in run(
                self.conn,
                "SELECT e.id, e.entity_key, e.schema, e.caption, e.names, e.weak_aliases, "
                "e.countries, e.topics, e.identifiers, e.content_hash, l.list_key, l.name, "
                "l.list_date, l.category, s.names FROM reference_entity e "
                "JOIN reference_list l ON l.id = e.list_id "
                "JOIN screening_entity s ON s.entity_id = e.id "
                f"WHERE e.id IN ({marks})",
                tuple(part),
            ):
                self._entities[row[0]] = _entity_of(row)
        if len(self._entities) > 50_000:  # a long run: keep what this query needs only
            self._entities = {r: self._entities[r] for r in refs}
        return [self._entities[r] for r in refs]

    def screen(self, subject: Subject, threshold: float = DEFAULT_THRESHOLD) -> list[Match]:
        """Entities that match ``subject`` at ``threshold`` or above, best first."""
        return screen_source(self, subject, threshold)


def _entity_of(row: Any) -> Entity:
    loads, jv = json.loads, json_value
    norm, weak = loads(row[14])
    list_date = row[12]
    if isinstance(list_date, str):
        list_date = date.fromisoformat(list_date[:10])
    return Entity(
        list_key=row[10],
        entity_key=row[1],
        schema=row[2] or "",
        caption=row[3],
        names=list(jv(row[4]) or []) if row[4] else [],
        weak_aliases=list(jv(row[5]) or []) if row[5] else [],
        countries=list(jv(row[6]) or []) if row[6] else [],
        topics=list(jv(row[7]) or []) if row[7] else [],
        identifiers=dict(jv(row[8]) or {}) if row[8] else {},
        content_hash=row[9],
        list_name=row[11],
        list_date=list_date,
        list_category=row[13] or "designation",
        norm=_norm_of(norm),
        norm_weak=_norm_of(weak),
    )


def open_index(
    session: Session,
    list_keys: Iterable[str] | None = None,
    progress: ProgressFn | None = None,
    cancel: CancelFn | None = None,
) -> StoredIndex:
    """The stored index over the given lists (default all), built first where it is
    missing or out of date, in the session's transaction (the caller commits)."""
    stmt = select(ReferenceList.id, ReferenceList.list_key).order_by(ReferenceList.id)
    if list_keys is not None:
        stmt = stmt.where(ReferenceList.list_key.in_(list(list_keys)))
    keys = {row[0]: row[1] for row in session.execute(stmt)}
    lists = list(keys)
    conn = session.connection()
    stale = [lid for lid in lists if not index_is_current(conn, lid)]
    if stale and is_server(conn):
        # Building a list's index changes that list's rows: the list's own lock, as an
        # import takes it; another client may have built it meanwhile (then it is current).
        from chinadialog_desktop.services.screening.list_locks import lock_list

        for lid in stale:
            lock_list(session, keys[lid])
        stale = [lid for lid in stale if not index_is_current(conn, lid)]
    if stale:
        totals = {
            lid: run(
                conn, "SELECT count(*) FROM reference_entity WHERE list_id = ?", (lid,)
            ).scalar_one()
            for lid in stale
        }
        work, base = sum(totals.values()), 0
        for lid in stale:

            def step(done: int, _total: int, base: int = base) -> None:
                if progress is not None:
                    progress(base + done, work)

            build_list_index(conn, lid, step, cancel)
            base += totals[lid]
    size = 0
    if lists:
        size = int(
            run(
                conn,
                "SELECT coalesce(sum(entity_count), 0) FROM screening_index WHERE list_id IN ("
                + ",".join(str(int(i)) for i in lists)
                + ")",
            ).scalar_one()
        )
    return StoredIndex(conn, lists, size)
