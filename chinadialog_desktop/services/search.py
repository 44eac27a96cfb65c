"""Search everything: one query over every kind of record, the four registers included.

Actors, partnerships, activities, contacts, sources, dossiers, and the registers'
visits, gifts and hospitality, counterpart contacts and incidents.

``search(session, "珠海")`` returns ``SearchResults``: groups by kind, each hit
with its record id, title, a short subtitle and a snippet around the match.
On SQLite it uses the FTS5 index of ``persistence.search_index`` (diacritics
and tone marks folded, umlauts also as ae/oe/ue, Chinese substrings of any
length, pinyin of Chinese characters); on a PostgreSQL team server the same
analysed texts in ``persistence.search_index_pg`` (pg_trgm and a tsvector of
the tokens), with the same results; without an index it falls back to
``ILIKE`` over the same columns (no folding there).

One ranking contract on both engines: a kind's candidates are its first ``CAP``
hits in record order (one more only says "more"), whatever the other kinds
matched; the ``limit`` shown are the best ranked of them (``_gather``, ``_ranked``).
"""

from __future__ import annotations

import re
import sqlite3
from bisect import bisect_left
from collections.abc import Callable
from dataclasses import asdict, dataclass, field
from datetime import date
from functools import lru_cache
from typing import Any

from sqlalchemy import Connection, and_, exists, or_, select, text
from sqlalchemy.exc import OperationalError
from sqlalchemy.orm import Session

from chinadialog_desktop.domain.kinds import REGISTRY, Kind
from chinadialog_desktop.i18n import N_, _, format_date
from chinadialog_desktop.jobs import CancelCheck, Progress, check
from chinadialog_desktop.persistence import search_index
from chinadialog_desktop.persistence.search_text import (
    CJK_RUN,
    KIND_CODES,
    KIND_SHIFT,
    KINDS,
    REGISTRY_SEARCHED,
    fold,
    rowid,
)

DEFAULT_LIMIT = 20  # hits shown per kind
CAP = 200  # hits counted per kind; more are reported as "200+"
SNIPPET_BEFORE = 30
SNIPPET_LENGTH = 110

# What each kind's group is called: the registry's plural (dossiers are no kind of it).
KIND_LABELS: dict[str, str] = {
    kind: REGISTRY[Kind(kind)].plural if kind in REGISTRY else N_("Dossiers") for kind in KINDS
}
# The field under a hit's title, for the kinds the registry describes for the search.
_SUBTITLE_FIELDS = {
    kind.value: REGISTRY[kind].field(REGISTRY[kind].search_subtitle or "")
    for kind in REGISTRY_SEARCHED
}
# A partial date's precision (an activity "im Mai 2011" is stored as 2011-05-01, month
# precision): the column beside the subtitle's date, read for the hits shown.
_PRECISION_COLUMN = {
    kind: f.precision for kind, f in _SUBTITLE_FIELDS.items() if f is not None and f.precision
}
# Kinds whose subtitle is a date (stored ISO; partial dates carry their precision).
DATE_KINDS = frozenset(
    kind for kind, f in _SUBTITLE_FIELDS.items() if f is not None and f.value_type == "date"
)

_TERM = re.compile(f"{CJK_RUN.pattern}|[^\\W_\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]+")


@dataclass(frozen=True)
class SearchHit:
    kind: str
    record_id: int
    title: str
    subtitle: str
    snippet: str
    # Where the match is inside ``snippet`` (start, end), for highlighting; None if not shown.
    match: tuple[int, int] | None = None


@dataclass
class SearchGroup:
    kind: str
    label: str
    hits: list[SearchHit] = field(default_factory=list)
    total: int = 0
    more: bool = False  # more than CAP matched


@dataclass
class SearchResults:
    query: str
    groups: list[SearchGroup] = field(default_factory=list)

    @property
    def count(self) -> int:
        return sum(g.total for g in self.groups)

    def to_json(self) -> dict[str, Any]:
        return {
            "query": self.query,
            "groups": [
                {
                    "kind": g.kind,
                    "label": g.label,
                    "total": g.total,
                    "more": g.more,
                    "hits": [{k: v for k, v in asdict(h).items() if k != "match"} for h in g.hits],
                }
                for g in self.groups
            ],
        }


@dataclass(frozen=True)
class Query:
    terms: tuple[str, ...]  # folded terms, in the order typed
    grams: str  # FTS5 expression for the trigram table ("" if none)
    words: str  # FTS5 expression for the word table ("" if none)


def parse_query(value: str) -> Query:
    """Fold the query and route each term: three or more characters to the trigram
    table (substring), shorter ones to the word table (Chinese bigrams, word prefixes).

    A single Latin letter or digit beside longer terms says almost nothing and is
    left out; a query of nothing else searches its first one as a word prefix
    (records with a word beginning with it, capped like every query, titles that
    begin with it ranked first). A single Chinese character is a word and is kept.
    """
    found = dict.fromkeys(_TERM.findall(fold(value)))
    terms = tuple(t for t in found if len(t) > 1 or CJK_RUN.fullmatch(t))
    if not terms and found:
        terms = (next(iter(found)),)
    grams, words = [], []
    for term in terms:
        if len(term) >= 3:
            grams.append(f'"{term}"')
        elif CJK_RUN.fullmatch(term) and len(term) == 2:
            words.append(f'"{term}"')
        else:
            words.append(f'"{term}"*')
    return Query(terms, " AND ".join(grams), " AND ".join(words))


def search(session: Session, value: str, limit: int = DEFAULT_LIMIT) -> SearchResults:
    """Search all kinds; empty groups are left out. Updates the index first if needed."""
    results = SearchResults(value)
    query = parse_query(value)
    if not query.terms:
        return results
    conn = session.connection()
    if conn.dialect.name == "postgresql":
        return _search_server(session, value, query, limit)
    if conn.dialect.name != "sqlite":
        return search_like(session, value, limit)
    if not _refresh(conn):
        return search_like(session, value, limit)
    return _results(conn, value, query, limit, _fetcher(conn, query))


def _results(conn: Connection, value: str, query: Query, limit: int, fetch: Fetch) -> SearchResults:
    """Each kind's first hits (``_gather``), their titles in one read, ranked per kind."""
    results = SearchResults(value)
    found = _gather(fetch)
    docs = _docs(conn, [r for rowids in found.values() for r in rowids])
    by_kind: dict[str, list[tuple[Any, ...]]] = {}
    for kind, *rest in docs:
        by_kind.setdefault(str(kind), []).append(tuple(rest))
    chosen: list[tuple[str, list[tuple[Any, ...]], list[tuple[Any, ...]]]] = []
    for kind in KINDS:
        rows = by_kind.get(kind)
        if rows:
            rows.sort(key=lambda r: int(r[0]))  # record order: the first CAP are the candidates
            chosen.append((kind, rows, _ranked(rows, query, limit)))
    # The texts of the hits shown, of every kind in one read.
    bodies = _bodies(conn, [rowid(kind, int(r[0])) for kind, _rows, shown in chosen for r in shown])
    for kind, rows, shown in chosen:
        results.groups.append(_group(conn, kind, rows, shown, query, bodies))
    return results


def _search_server(session: Session, value: str, query: Query, limit: int) -> SearchResults:
    """On a team server: its trigram and word index (``db upgrade`` builds it), else ILIKE."""
    from chinadialog_desktop.persistence import search_index_pg

    conn = session.connection()
    if search_index_pg.status(conn) != "current":
        return search_like(session, value, limit)

    def fetch(start: int, count: int) -> list[int]:
        return search_index_pg.match(conn, start, query.terms, count)

    # First any hits up to a generous cap, as the GIN indexes give them: a query with
    # fewer has all its hits here, and the passes run over them in memory (the same
    # contract; see ``search_index_pg.match`` for why not in rowid order at once).
    window = CAP * len(KINDS) + 1
    probe = search_index_pg.match(conn, None, query.terms, window)
    if len(probe) < window:
        return _results(conn, value, query, limit, _in_memory(sorted(probe)))
    return _results(conn, value, query, limit, fetch)


def _in_memory(rowids: list[int]) -> Fetch:
    """``fetch`` over every hit of a query, already read and sorted."""

    def fetch(start: int, count: int) -> list[int]:
        at = bisect_left(rowids, start)
        return rowids[at : at + count]

    return fetch


# ``fetch(start, count)``: the rowids of up to ``count`` hits from ``start`` on, ascending.
Fetch = Callable[[int, int], list[int]]


def _gather(fetch: Fetch, window: int = CAP + 1) -> dict[str, list[int]]:
    """Per kind, the rowids of its first ``CAP + 1`` hits in record order: the one contract.

    A kind's candidates never depend on how many hits the other kinds have, on the
    engine, or on how the index was read: they are its ``CAP + 1`` lowest rowids (the
    rowid is ``kind code << 40 | record id``, so rowid order is kind, then record
    order). The index is read in passes of ``window`` hits from the lowest rowid not yet
    settled on: a query with few hits (the usual case) is one pass; a kind that has its
    ``CAP + 1`` is skipped at once, so a frequent prefix reads about ``CAP + 1`` rows
    per kind and never the thousands behind them. Any ``window`` gives the same answer.
    """
    found: dict[int, list[int]] = {}
    start = 0
    while True:
        rowids = fetch(start, window)
        for r in rowids:
            bucket = found.setdefault(r >> KIND_SHIFT, [])
            if len(bucket) <= CAP:
                bucket.append(r)
        if len(rowids) < window:
            break
        code = rowids[-1] >> KIND_SHIFT
        start = (code + 1) << KIND_SHIFT if len(found[code]) > CAP else rowids[-1] + 1
    kinds = {code: kind for kind, code in KIND_CODES.items()}
    return {kinds[code]: rowids for code, rowids in sorted(found.items()) if code in kinds}


def _refresh(conn: Connection) -> bool:
    """Take in writes made outside a session, inside the caller's transaction.

    False when there is no usable index (never built in this file, or outdated):
    the caller then searches without it. A search never rebuilds the index —
    that is for opening the file or ``search --rebuild-index``; a read-only file
    is searched as it is.
    """
    try:
        with conn.begin_nested():
            search_index.drain(conn)
    except OperationalError:
        pass  # no index in this file, or a read-only file
    try:
        return search_index.status(conn) == "current"
    except OperationalError:
        return False


def _fetcher(conn: Connection, query: Query) -> Fetch:
    """``fetch(start, count)`` over this file's FTS5 tables (both, intersected, if both
    are asked): FTS5 returns rowid order and seeks to ``start`` in its doclists."""
    params: dict[str, object] = {}
    parts: list[str] = []
    if query.grams:
        parts.append("SELECT rowid FROM search_grams WHERE search_grams MATCH :g AND rowid >= :s")
        params["g"] = query.grams
    if query.words:
        parts.append("SELECT rowid FROM search_words WHERE search_words MATCH :w AND rowid >= :s")
        params["w"] = query.words
    sql = f"{' INTERSECT '.join(parts)} ORDER BY 1 LIMIT :n"
    # The driver's cursor, in the session's transaction: a pass is a few dozen
    # microseconds, where SQLAlchemy's statement machinery costs more than the match.
    raw = conn.connection.driver_connection
    assert raw is not None

    def fetch(start: int, count: int) -> list[int]:
        try:
            rows = raw.execute(sql, {**params, "s": start, "n": count}).fetchall()
        except sqlite3.OperationalError as exc:  # as SQLAlchemy would report it
            raise OperationalError(sql, None, exc) from exc
        return [int(r[0]) for r in rows]

    return fetch


def _docs(conn: Connection, rowids: list[int]) -> list[tuple[Any, ...]]:
    """(kind, record id, title, subtitle) of the given index rows."""
    if not rowids:
        return []
    if conn.dialect.name == "postgresql":
        rows = conn.execute(
            text("SELECT kind, record_id, title, subtitle FROM search_doc WHERE rowid = ANY(:r)"),
            {"r": rowids},
        )
        return [tuple(r) for r in rows.all()]
    rows = conn.execute(
        text(
            "SELECT kind, record_id, title, subtitle FROM search_doc "
            "WHERE rowid IN (SELECT value FROM json_each(:r))"
        ),
        {"r": "[" + ",".join(map(str, rowids)) + "]"},
    )
    return [tuple(r) for r in rows.all()]


def _bodies(conn: Connection, rowids: list[int]) -> dict[int, str]:
    """Index row → the record's text (for the snippet)."""
    if not rowids:
        return {}
    if conn.dialect.name == "postgresql":
        found = conn.execute(
            text("SELECT rowid, body FROM search_doc WHERE rowid = ANY(:r)"), {"r": rowids}
        )
        return {int(r[0]): str(r[1] or "") for r in found}
    rows = conn.execute(
        text("SELECT rowid, body FROM search_doc WHERE rowid IN (SELECT value FROM json_each(:r))"),
        {"r": "[" + ",".join(map(str, rowids)) + "]"},
    )
    return {int(r[0]): str(r[1] or "") for r in rows}


def _ranked(rows: list[tuple[Any, ...]], query: Query, limit: int) -> list[tuple[Any, ...]]:
    """The ``limit`` best of a kind's candidates: its first ``CAP`` hits in record order.

    Equal ranks in record order: the same on every engine, whatever order it found them in.
    """
    candidates = rows[:CAP]
    return sorted(candidates, key=lambda r: (*_rank(str(r[1]), query.terms), int(r[0])))[:limit]


def _group(
    conn: Connection,
    kind: str,
    rows: list[tuple[Any, ...]],
    shown: list[tuple[Any, ...]],
    query: Query,
    bodies: dict[int, str],
) -> SearchGroup:
    """``rows``: the kind's first hits in record order; ``shown``: the best of them, ranked."""
    group = SearchGroup(kind, _(KIND_LABELS[kind]), total=min(len(rows), CAP))
    group.more = len(rows) > CAP
    precisions = _precisions(conn, kind, [int(r[0]) for r in shown])
    for record_id, title, subtitle in shown:
        body = bodies.get(rowid(kind, int(record_id)), "")
        snippet, match = make_snippet(body, query.terms)
        subtitle_shown = _subtitle(kind, subtitle, precisions.get(int(record_id), "day"))
        group.hits.append(
            SearchHit(kind, int(record_id), str(title), subtitle_shown, snippet, match)
        )
    return group


def _precisions(conn: Connection, kind: str, ids: list[int]) -> dict[int, str]:
    """How precisely each record's subtitle date is known (only kinds with partial dates)."""
    column_name = _PRECISION_COLUMN.get(kind)
    if column_name is None or not ids:
        return {}
    from sqlalchemy import column, table

    source = table(kind, column("id"), column(column_name))
    rows = conn.execute(select(source.c.id, source.c[column_name]).where(source.c.id.in_(ids)))
    return {int(r[0]): str(r[1] or "day") for r in rows}


def quick_fold(value: str) -> str:
    """``fold`` character by character (cached), with a fast path for ASCII."""
    if value.isascii():
        return value.lower()
    return "".join([_fold_char(ch) for ch in value])


def _rank(title: str, terms: tuple[str, ...]) -> tuple[int, int, str]:
    folded = quick_fold(title)
    if folded.startswith(terms[0]):
        score = 0
    elif all(t in folded for t in terms):
        score = 1
    else:
        score = 2
    return score, len(title), folded


def _subtitle(kind: str, value: Any, precision: str = "day") -> str:
    from chinadialog_desktop.domain.enums import DossierStatus, PartnershipStatus
    from chinadialog_desktop.domain.labels import label

    text_value = str(value or "")
    if kind == "partnership" and text_value:
        return label(PartnershipStatus, text_value)
    if kind == "dossier" and text_value:
        return label(DossierStatus, text_value)
    if kind in DATE_KINDS and text_value:
        try:
            return format_date(date.fromisoformat(text_value[:10]), precision)
        except ValueError:
            return text_value
    return text_value


@lru_cache(maxsize=20_000)
def _fold_char(ch: str) -> str:
    return fold(ch)


def _word_start(folded: str, term: str) -> int:
    """Where ``term`` first begins a word in ``folded`` (a short query matches word
    beginnings); else where it first occurs at all; -1 if nowhere."""
    first = pos = folded.find(term)
    while pos > 0 and folded[pos - 1].isalnum():
        pos = folded.find(term, pos + 1)
    return pos if pos >= 0 else first


def make_snippet(body: str, terms: tuple[str, ...]) -> tuple[str, tuple[int, int] | None]:
    """A short piece of ``body`` around the first term found (folded comparison)."""
    if not body:
        return "", None
    head = body[:20_000]
    pieces = [_fold_char(ch) for ch in head]
    folded = "".join(pieces)
    origin: list[int] | None = None
    if len(folded) != len(head):  # ß → ss and the like: map folded positions back
        origin = [i for i, piece in enumerate(pieces) for _ in piece]
    for term in terms:
        pos = _word_start(folded, term)
        if pos < 0:
            continue
        last = pos + len(term) - 1
        start, end = (origin[pos], origin[last] + 1) if origin else (pos, last + 1)
        begin = max(0, start - SNIPPET_BEFORE)
        if begin > 0:
            space = head.rfind(" ", begin - 15, start)
            begin = space + 1 if space >= 0 else begin
        stop = min(len(head), max(end, begin + SNIPPET_LENGTH))
        prefix = "…" if begin > 0 else ""
        suffix = "…" if stop < len(body) else ""
        piece = head[begin:stop].replace("\n", " ")
        offset = len(prefix) - begin
        return prefix + piece + suffix, (start + offset, end + offset)
    piece = head[:SNIPPET_LENGTH].replace("\n", " ")
    return piece + ("…" if len(body) > SNIPPET_LENGTH else ""), None


# -- fallback for databases without FTS5 (PostgreSQL) ---------------------------


def _fallback_columns() -> dict[str, tuple[Any, Any, Any, list[Any]]]:
    """Per kind, in the order of ``KINDS``: model, title and subtitle columns, and the
    columns a term is looked for in (the registry's searched text fields for its kinds,
    as the index has them)."""
    from chinadialog_desktop.persistence.models import MODELS, Dossier, Partnership

    def registry_kind(kind: Kind) -> tuple[Any, Any, Any, list[Any]]:
        entry = REGISTRY[kind]
        model: Any = MODELS[kind]
        assert entry.search_subtitle is not None, kind
        texts = [f.name for f in entry.searched_fields() if f.value_type == "text"]
        return (
            model,
            getattr(model, entry.title_field),
            getattr(model, entry.search_subtitle),
            [getattr(model, name) for name in (entry.title_field, *texts)],
        )

    by_hand: dict[str, tuple[Any, Any, Any, list[Any]]] = {
        "partnership": (
            Partnership,
            Partnership.title,
            Partnership.status,
            [Partnership.title, Partnership.description, "parties"],
        ),
        "dossier": (
            Dossier,
            Dossier.title,
            Dossier.status,
            [Dossier.title, Dossier.purpose, Dossier.author, "sections"],
        ),
    }
    return {
        kind: registry_kind(Kind(kind)) if kind in REGISTRY_SEARCHED else by_hand[kind]
        for kind in KINDS
    }


def search_like(session: Session, value: str, limit: int = DEFAULT_LIMIT) -> SearchResults:
    """ILIKE over the source columns, for databases without the SQLite index (no folding)."""
    from chinadialog_desktop.persistence.models import (
        Actor,
        DossierSection,
        Partnership,
        PartnershipParty,
    )

    results = SearchResults(value)
    raw_terms = _TERM.findall(value.casefold())
    for kind, (model, title_col, subtitle_col, columns) in _fallback_columns().items():
        conditions = []
        for term in raw_terms:
            pattern = f"%{term}%"
            alternatives = []
            for col in columns:
                if col == "sections":
                    alternatives.append(
                        exists().where(
                            DossierSection.dossier_id == model.id,
                            DossierSection.body.ilike(pattern),
                        )
                    )
                elif col == "parties":
                    alternatives.append(
                        exists().where(
                            PartnershipParty.partnership_id == Partnership.id,
                            PartnershipParty.actor_id == Actor.id,
                            or_(Actor.name_de.ilike(pattern), Actor.name_zh.ilike(pattern)),
                        )
                    )
                else:
                    alternatives.append(col.ilike(pattern))
            conditions.append(or_(*alternatives))
        # The first hits in record order, as the index gives each kind (not any 201).
        stmt = (
            select(model.id, title_col, subtitle_col)
            .where(and_(*conditions))
            .order_by(model.id)
            .limit(CAP + 1)
        )
        rows = session.execute(stmt).all()
        if not rows:
            continue
        group = SearchGroup(kind, _(KIND_LABELS[kind]), total=min(len(rows), CAP))
        group.more = len(rows) > CAP
        precisions = _precisions(session.connection(), kind, [int(r[0]) for r in rows[:limit]])
        for record_id, title, subtitle in rows[:limit]:
            shown = _subtitle(kind, subtitle, precisions.get(int(record_id), "day"))
            group.hits.append(SearchHit(kind, int(record_id), str(title), shown, "", None))
        results.groups.append(group)
    return results


def open_target(session: Session, kind: str, record_id: int) -> tuple[str, int] | None:
    """The record a window shows for a hit: an activity or a register entry opens its
    partnership, a contact its actor (or partnership); the others open themselves.
    None if the record is gone."""
    from chinadialog_desktop.persistence.models import Contact

    if kind in REGISTRY and REGISTRY[Kind(kind)].parent is Kind.PARTNERSHIP:
        model = _fallback_columns()[kind][0]
        pid = session.scalar(select(model.partnership_id).where(model.id == record_id))
        return ("partnership", int(pid)) if pid is not None else None
    if kind == "contact":
        row = session.execute(
            select(Contact.actor_id, Contact.partnership_id).where(Contact.id == record_id)
        ).first()
        if row is None:
            return None
        if row.actor_id is not None:
            return "actor", int(row.actor_id)
        if row.partnership_id is not None:
            return "partnership", int(row.partnership_id)
        return None
    return kind, record_id


# -- the index of a file opened in the window --------------------------------------


def index_upgrade_needed(database: Any) -> bool:
    """True when the file's search index is outdated or missing and may be written.

    The window opens files without upgrading the index (seconds on a large
    file); it then runs :func:`upgrade_index` in the background.
    """
    from chinadialog_desktop.services import unit

    if getattr(database, "readonly", False):
        return False

    def state(session: Session) -> str:
        conn = session.connection()
        if conn.dialect.name != "sqlite":
            return "unsupported"
        try:
            return search_index.status(conn)
        except OperationalError:
            return "unavailable"

    return unit.read(database, state) in ("outdated", "missing")


def upgrade_index(
    database: Any, progress: Progress | None = None, cancelled: CancelCheck | None = None
) -> str:
    """Bring the file's search index up to date as one unit of work; what was found before.

    A cancel interrupts SQLite and rolls everything back (:class:`Cancelled`):
    the old index stays, and searches use the plain fallback until the next try.
    """
    from chinadialog_desktop.services import unit

    message = _("Updating the search index")

    def step(done: int, total: int) -> None:
        if progress is not None:
            progress(done, total, message)

    def work(session: Session) -> str:
        try:
            return search_index.upgrade(session.connection(), step, cancelled)
        except OperationalError:
            check(cancelled)  # interrupted by the cancel: say so, not "database error"
            raise

    return unit.write(database, work)
