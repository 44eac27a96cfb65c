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

import json
from collections.abc import Callable, Collection, Iterable, Sequence
from datetime import date
from typing import Any

from sqlalchemy import insert, select
from sqlalchemy.engine import Connection
from sqlalchemy.orm import Session

from chinadialog_desktop.domain.matching import (
    Entity,
    Match,
    Subject,
    deletions,
    entity_words,
    identifier_values,
    index_version,
    name_keys,
    screen_source,
)
from chinadialog_desktop.domain.names import NormName, trim_caches
from chinadialog_desktop.domain.screening_terms import DEFAULT_THRESHOLD
from chinadialog_desktop.persistence import faultpoint
from chinadialog_desktop.persistence.base import utcnow
from chinadialog_desktop.persistence.models_reference import ReferenceList, ScreeningIndexState

ProgressFn = Callable[[int, int], None]
CancelFn = Callable[[], bool]

ID_PREFIX = "\t"  # identifier keys; a name key never holds a tab (words are [0-9a-z])
CHUNK = 10_000  # entities read, keyed and written at a time (bounds the memory)
_VARS = 500  # values bound per IN (…) query


class IndexCancelled(Exception):
    """Raised inside a build when ``cancel`` says so; the caller rolls back."""


# --- building ---------------------------------------------------------------------------


def _norm_json(names: Sequence[NormName]) -> list[list[Any]]:
    return [
        [n.original, n.tokens, n.hanzi, n.readings, n.pinyin, n.removed, n.transliterated]
        for n in names
    ]


def _norm_of(data: list[list[Any]]) -> list[NormName]:
    return [
        NormName(o, tuple(t), h, tuple(r), bool(p), tuple(rm), bool(tr))
        for o, t, h, r, p, rm, tr in data
    ]


def list_stamp(conn: Connection, list_id: int) -> str:
    """The state of a list's entities: how many, the highest id, the latest change."""
    count, top, changed = conn.exec_driver_sql(
        "SELECT count(*), max(id), max(modified_at) FROM reference_entity WHERE list_id = ?",
        (list_id,),
    ).one()
    return f"{count}:{top or 0}:{changed or ''}"


def drop_list_index(conn: Connection, list_id: int, keep_names: bool = False) -> None:
    """Drop a list's index; ``keep_names`` keeps the normalised names of its entities."""
    conn.exec_driver_sql("DELETE FROM screening_index WHERE list_id = ?", (list_id,))
    conn.exec_driver_sql("DELETE FROM screening_key WHERE list_id = ?", (list_id,))
    conn.exec_driver_sql("DELETE FROM screening_near WHERE list_id = ?", (list_id,))
    if not keep_names:
        conn.exec_driver_sql(
            "DELETE FROM screening_entity WHERE entity_id IN "
            "(SELECT id FROM reference_entity WHERE list_id = ?)",
            (list_id,),
        )


def forget_names(conn: Connection, entity_ids: Sequence[int]) -> None:
    """Drop the stored normalised names of these (changed) entities."""
    for i in range(0, len(entity_ids), _VARS):
        part = entity_ids[i : i + _VARS]
        conn.exec_driver_sql(
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
    a scratch table; SQLite then groups them by key into the index in one statement (in C,
    in key order), so memory stays flat however long the list."""
    drop_list_index(conn, list_id, keep_names=reuse_names)
    total = conn.exec_driver_sql(
        "SELECT count(*) FROM reference_entity WHERE list_id = ?", (list_id,)
    ).scalar_one()
    conn.exec_driver_sql(
        "CREATE TEMP TABLE IF NOT EXISTS screening_stage_key (key TEXT, df INTEGER, ids TEXT)"
    )
    conn.exec_driver_sql(
        "CREATE TEMP TABLE IF NOT EXISTS screening_stage_near (variant TEXT, words TEXT)"
    )
    conn.exec_driver_sql("DELETE FROM temp.screening_stage_key")
    conn.exec_driver_sql("DELETE FROM temp.screening_stage_near")
    vocab: set[str] = set()
    done, last = 0, 0
    if progress is not None:
        progress(0, total)
    while True:
        if cancel is not None and cancel():
            raise IndexCancelled
        rows = conn.exec_driver_sql(
            "SELECT e.id, e.schema, e.names, e.weak_aliases, e.identifiers, s.names "
            "FROM reference_entity e LEFT JOIN screening_entity s ON s.entity_id = e.id "
            "WHERE e.list_id = ? AND e.id > ? ORDER BY e.id LIMIT ?",
            (list_id, last, CHUNK),
        ).all()
        if not rows:
            break
        _stage_chunk(conn, rows, vocab)
        last = rows[-1][0]
        done += len(rows)
        del rows
        trim_caches()
        faultpoint.hit("screening-index-chunk")
        if progress is not None:
            progress(done, total)
    conn.exec_driver_sql(
        "INSERT INTO screening_key (list_id, key, df, ids) SELECT ?, key, sum(df), "
        "group_concat(ids, ',') FROM temp.screening_stage_key GROUP BY key ORDER BY key",
        (list_id,),
    )
    conn.exec_driver_sql(
        "INSERT INTO screening_near (list_id, variant, words) SELECT ?, variant, "
        "group_concat(words, ' ') FROM temp.screening_stage_near GROUP BY variant "
        "ORDER BY variant",
        (list_id,),
    )
    conn.exec_driver_sql("DELETE FROM temp.screening_stage_key")
    conn.exec_driver_sql("DELETE FROM temp.screening_stage_near")
    keys = conn.exec_driver_sql(
        "SELECT count(*) FROM screening_key WHERE list_id = ?", (list_id,)
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


def _stage_chunk(conn: Connection, rows: Sequence[Any], vocab: set[str]) -> None:
    """Key one chunk of entities; a name met again (same normalised form) is keyed once."""
    postings: dict[str, list[str]] = {}
    near: dict[str, list[str]] = {}
    stored: list[tuple[int, str]] = []
    keys_of: dict[NormName, frozenset[str]] = {}
    json_of: dict[NormName, str] = {}
    loads, dumps = json.loads, json.dumps

    def keyed(n: NormName) -> frozenset[str]:
        found = keys_of.get(n)
        if found is None:
            found = keys_of[n] = frozenset(name_keys(n))
            json_of[n] = dumps(_norm_json([n])[0], ensure_ascii=False, separators=(",", ":"))
        return found

    for eid, schema, names, weak, identifiers, known in rows:
        entity = Entity(
            "",
            "",
            schema or "",
            "",
            list(loads(names) if names else []),
            list(loads(weak) if weak else []),
            [],
            [],
            dict(loads(identifiers) if identifiers else {}),
            "",
        )
        if known is None:
            entity.prepare()
        else:
            norm, norm_weak = loads(known)
            entity.norm, entity.norm_weak = _norm_of(norm), _norm_of(norm_weak)
        ref = str(eid)
        keys: set[str] = set()
        for n in (*entity.norm, *entity.norm_weak):
            keys.update(keyed(n))
        for key in keys:
            posting = postings.get(key)
            if posting is None:
                postings[key] = [ref]
            else:
                posting.append(ref)
        for value in identifier_values(entity):
            postings.setdefault(ID_PREFIX + value, []).append(ref)
        for word in entity_words(entity):
            if word not in vocab:
                vocab.add(word)
                for variant in deletions(word):
                    near.setdefault(variant, []).append(word)
        if known is None:
            norm = ",".join(json_of[n] for n in entity.norm)
            weak_norm = ",".join(json_of[n] for n in entity.norm_weak)
            stored.append((eid, f"[[{norm}],[{weak_norm}]]"))
    if stored:
        conn.exec_driver_sql(
            "INSERT INTO screening_entity (entity_id, names) VALUES (?, ?)", stored
        )
    if postings:
        conn.exec_driver_sql(
            "INSERT INTO temp.screening_stage_key (key, df, ids) VALUES (?, ?, ?)",
            [(k, len(v), ",".join(v)) for k, v in postings.items()],
        )
    if near:
        conn.exec_driver_sql(
            "INSERT INTO temp.screening_stage_near (variant, words) VALUES (?, ?)",
            [(k, " ".join(v)) for k, v in near.items()],
        )


def index_is_current(conn: Connection, list_id: int) -> bool:
    row = conn.exec_driver_sql(
        "SELECT matcher, stamp FROM screening_index WHERE list_id = ?", (list_id,)
    ).first()
    return row is not None and row[0] == index_version() and row[1] == list_stamp(conn, list_id)


# --- reading ----------------------------------------------------------------------------


def _chunks(values: Sequence[str]) -> Iterable[Sequence[str]]:
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
                self.conn.exec_driver_sql(
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
            for row in self.conn.exec_driver_sql(
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
    loads = json.loads
    norm, weak = loads(row[14])
    list_date = row[12]
    if isinstance(list_date, str):
        list_date = date.fromisoformat(list_date[:10])
    return Entity(
        list_key=row[10],
        entity_key=row[1],
        schema=row[2] or "",
        caption=row[3],
        names=list(loads(row[4]) or []) if row[4] else [],
        weak_aliases=list(loads(row[5]) or []) if row[5] else [],
        countries=list(loads(row[6]) or []) if row[6] else [],
        topics=list(loads(row[7]) or []) if row[7] else [],
        identifiers=dict(loads(row[8]) or {}) if row[8] else {},
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
    from chinadialog_desktop.persistence.server import refuse_on_server

    refuse_on_server(session)  # its SQL is SQLite's (temporary tables, group_concat)
    stmt = select(ReferenceList.id).order_by(ReferenceList.id)
    if list_keys is not None:
        stmt = stmt.where(ReferenceList.list_key.in_(list(list_keys)))
    lists = [row[0] for row in session.execute(stmt)]
    conn = session.connection()
    stale = [lid for lid in lists if not index_is_current(conn, lid)]
    if stale:
        totals = {
            lid: conn.exec_driver_sql(
                "SELECT count(*) FROM reference_entity WHERE list_id = ?", (lid,)
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
            conn.exec_driver_sql(
                "SELECT coalesce(sum(entity_count), 0) FROM screening_index WHERE list_id IN ("
                + ",".join(str(int(i)) for i in lists)
                + ")"
            ).scalar_one()
        )
    return StoredIndex(conn, lists, size)
