"""The search index on a PostgreSQL team server: same texts, same results as FTS5 on SQLite.

The text of every record is analysed in Python exactly as for the SQLite index
(``search_text.analyse``: folding, ae/oe/ue variants, pinyin of Chinese
characters, Chinese bigrams), and stored in one table, ``search_doc``:

- ``grams``: the folded text, searched by substring (``LIKE '%term%'``) for
  terms of three or more characters, with a ``pg_trgm`` GIN index — the
  FTS5 trigram table's semantics;
- ``words``: the word tokens as a ``tsvector`` built from the token list
  itself (``array_to_tsvector``: no parser, no stemming, so Chinese tokens stay
  whole), searched with ``'term':*`` (prefix) or ``'term'`` (two-character
  Chinese words) — the FTS5 word table's semantics.

A German ``tsvector`` configuration would stem words ("Partnerschaften" finding
"Partnerschaft"); that would give different results than on a file, so it is
deliberately not used: one results contract on both engines.

It stays current as on SQLite: row triggers note ``(kind, record id)`` in
``search_dirty``; ``drain`` (run by every session commit, see
``search_index.index_pending``) re-reads those records and upserts their
documents. It is created by ``db upgrade`` (the owner role; ``pg_trgm`` is a
trusted extension a database owner may create) and never when merely opening;
without it, search falls back to ``ILIKE`` (correct for exact spellings, no folding).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator

from sqlalchemy import Connection, text

from chinadialog_desktop.persistence.search_text import (
    CJK_RUN,
    DRAIN_BATCH,
    ID_COLUMN,
    INDEX_VERSION,
    KIND_CODES,
    KINDS,
    RECORD_SQL,
    WATCHED,
    Analysed,
    Document,
    index_row,
    rowid,
)

_TABLES = (
    "CREATE TABLE IF NOT EXISTS search_meta (key TEXT PRIMARY KEY, value TEXT NOT NULL)",
    "CREATE TABLE IF NOT EXISTS search_dirty (kind TEXT NOT NULL, record_id BIGINT NOT NULL, "
    "PRIMARY KEY (kind, record_id))",
    "CREATE TABLE IF NOT EXISTS search_doc (rowid BIGINT PRIMARY KEY, kind TEXT NOT NULL, "
    "record_id BIGINT NOT NULL, title TEXT NOT NULL, subtitle TEXT NOT NULL, "
    "body TEXT NOT NULL, grams TEXT NOT NULL, words TSVECTOR NOT NULL)",
    "CREATE INDEX IF NOT EXISTS search_doc_grams ON search_doc USING gin (grams gin_trgm_ops)",
    "CREATE INDEX IF NOT EXISTS search_doc_words ON search_doc USING gin (words)",
)
_NOTE_FUNCTION = """
CREATE OR REPLACE FUNCTION search_note() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
    id_new BIGINT;
    id_old BIGINT;
BEGIN
    IF TG_OP IN ('INSERT', 'UPDATE') THEN
        id_new := (to_jsonb(NEW) ->> TG_ARGV[1])::BIGINT;
        IF id_new IS NOT NULL THEN
            INSERT INTO search_dirty (kind, record_id) VALUES (TG_ARGV[0], id_new)
            ON CONFLICT DO NOTHING;
        END IF;
    END IF;
    IF TG_OP IN ('UPDATE', 'DELETE') THEN
        id_old := (to_jsonb(OLD) ->> TG_ARGV[1])::BIGINT;
        IF id_old IS NOT NULL AND id_old IS DISTINCT FROM id_new THEN
            INSERT INTO search_dirty (kind, record_id) VALUES (TG_ARGV[0], id_old)
            ON CONFLICT DO NOTHING;
        END IF;
    END IF;
    RETURN NULL;
END
$$
"""


def status(conn: Connection) -> str:
    """``current``, ``missing`` or ``outdated`` (another index version)."""
    if conn.execute(text("SELECT to_regclass('search_meta')")).scalar() is None:
        return "missing"
    if conn.execute(text("SELECT to_regclass('search_doc')")).scalar() is None:
        return "missing"
    version = conn.execute(text("SELECT value FROM search_meta WHERE key = 'version'")).scalar()
    return "current" if version == str(INDEX_VERSION) else "outdated"


def ensure(conn: Connection) -> str:
    """Create or rebuild the index when missing or outdated (``db upgrade``); what was found."""
    found = status(conn)
    if found != "current":
        rebuild(conn)
    return found


def rebuild(conn: Connection) -> int:
    """Drop and refill the whole index in the caller's transaction; the documents indexed."""
    conn.execute(text("CREATE EXTENSION IF NOT EXISTS pg_trgm"))
    for table in WATCHED:
        conn.execute(text(f"DROP TRIGGER IF EXISTS search_note ON {table}"))
    for table in ("search_doc", "search_dirty", "search_meta"):
        conn.execute(text(f"DROP TABLE IF EXISTS {table}"))
    for statement in _TABLES:
        conn.execute(text(statement))
    conn.execute(text(_NOTE_FUNCTION))
    for table, (kind, column) in WATCHED.items():
        conn.execute(
            text(
                f"CREATE TRIGGER search_note AFTER INSERT OR UPDATE OR DELETE ON {table} "
                f"FOR EACH ROW EXECUTE FUNCTION search_note('{kind}', '{column}')"
            )
        )
    count = sum(_write(conn, documents(conn, kind, None)) for kind in KINDS)
    conn.execute(
        text("INSERT INTO search_meta (key, value) VALUES ('version', :v)"),
        {"v": str(INDEX_VERSION)},
    )
    conn.execute(text("ANALYZE search_doc"))  # the planner should know the index is worth it
    return count


def _portable(sql: str) -> str:
    """The SQLite index's record queries in PostgreSQL's words."""
    sql = sql.replace("group_concat(", "string_agg(").replace("char(10)", "chr(10)")
    # Sections in their order: PostgreSQL orders inside the aggregate (and wants an alias).
    return sql.replace(
        "(SELECT string_agg(body, chr(10)) FROM "
        " (SELECT body FROM dossier_section s WHERE s.dossier_id = d.id ORDER BY s.position))",
        "(SELECT string_agg(body, chr(10) ORDER BY s.position) FROM dossier_section s "
        "WHERE s.dossier_id = d.id)",
    )


def documents(conn: Connection, kind: str, ids: list[int] | None) -> Iterator[Document]:
    sql, n_pinyin = RECORD_SQL[kind]
    sql = _portable(sql)
    params: dict[str, object] = {}
    if ids is not None:
        sql += f" WHERE {ID_COLUMN[kind]} = ANY(:ids)"
        params["ids"] = [int(i) for i in ids]
    for row in conn.execute(text(sql), params):
        record_id, title, subtitle, body, grams, words = index_row(row, n_pinyin)
        yield Document(kind, record_id, title, subtitle, body, Analysed(grams, words))


def _write(conn: Connection, docs: Iterable[Document]) -> int:
    statement = text(
        "INSERT INTO search_doc (rowid, kind, record_id, title, subtitle, body, grams, words) "
        "VALUES (:r, :k, :i, :t, :s, :b, :g, array_to_tsvector(CAST(:w AS TEXT[]))) "
        "ON CONFLICT (rowid) DO UPDATE SET title = EXCLUDED.title, "
        "subtitle = EXCLUDED.subtitle, body = EXCLUDED.body, grams = EXCLUDED.grams, "
        "words = EXCLUDED.words"
    )
    batch: list[dict[str, object]] = []
    count = 0
    for doc in docs:
        batch.append(
            {
                "r": rowid(doc.kind, doc.record_id),
                "k": doc.kind,
                "i": doc.record_id,
                "t": doc.title,
                "s": doc.subtitle,
                "b": doc.body,
                "g": doc.analysed.grams,
                "w": sorted({w for w in doc.analysed.words.split(" ") if w}),
            }
        )
        if len(batch) >= 1000:
            conn.execute(statement, batch)
            count += len(batch)
            batch = []
    if batch:
        conn.execute(statement, batch)
        count += len(batch)
    return count


# Takes every noted record off the list and names it, with the partnerships of noted
# actors (their documents hold the actors' names), in one round trip. A row another
# transaction is taking at the same moment is waited for, then left to it (or taken,
# if that one rolled back): every noted record is indexed by exactly one commit.
_CLAIM = text(
    "WITH claimed AS (DELETE FROM search_dirty RETURNING kind, record_id) "
    "SELECT kind, record_id, true FROM claimed "
    "UNION SELECT 'partnership', pp.partnership_id, false FROM partnership_party pp "
    "WHERE pp.actor_id IN (SELECT record_id FROM claimed WHERE kind = 'actor')"
)


def drain(conn: Connection, progress: Callable[[int, int], None] | None = None) -> int:
    """Re-index the records the triggers noted (upsert or delete); how many were noted.

    A save notes one or two records: claimed in one statement, read in one, written in
    one (three round trips; each one waits for a CPU on a busy machine).
    """
    noted = 0
    pending: dict[str, set[int]] = {}
    for kind, record_id, was_noted in conn.execute(_CLAIM):
        pending.setdefault(str(kind), set()).add(int(record_id))
        noted += int(bool(was_noted))
    if not pending:
        return 0
    total = sum(len(ids) for kind, ids in pending.items() if kind in KIND_CODES)
    done = 0
    for kind, ids in pending.items():
        if kind not in KIND_CODES:
            continue
        ordered = sorted(ids)
        for start in range(0, len(ordered), DRAIN_BATCH):
            part = ordered[start : start + DRAIN_BATCH]
            found = list(documents(conn, kind, part))
            _write(conn, found)
            gone = sorted(set(part) - {d.record_id for d in found})
            if gone:
                conn.execute(
                    text("DELETE FROM search_doc WHERE rowid = ANY(:r)"),
                    {"r": [rowid(kind, i) for i in gone]},
                )
            done += len(part)
            if progress is not None:
                progress(done, total)
    return noted


def match(conn: Connection, start: int | None, terms: tuple[str, ...], cap: int) -> list[int]:
    """Rowids from ``start`` on, ascending, of up to ``cap`` documents holding every term
    (routed as ``parse_query`` does): the FTS5 tables' order, so both engines give each
    kind the same first hits (``services.search._gather``).

    ``start=None``: any ``cap`` of them, in no order. The planner then reads the GIN
    indexes as a bitmap; asked for rowid order, it may walk the primary key instead and
    test every row, which is slow for a term whose hits are few and far between (a
    three-character Chinese term: 150 ms instead of 20 at 26,000 records). The caller
    asks this way first: fewer than ``cap`` found means all of them were.
    """
    conditions: list[str] = []
    params: dict[str, object] = {"cap": cap}
    if start is not None:
        conditions.append("rowid >= :start")
        params["start"] = start
    for n, term in enumerate(terms):
        if len(term) >= 3:
            escaped = term.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
            conditions.append(f"grams LIKE :p{n}")
            params[f"p{n}"] = f"%{escaped}%"
        else:
            lexeme = "'" + term.replace("'", "''").replace("\\", "\\\\") + "'"
            exact = CJK_RUN.fullmatch(term) is not None and len(term) == 2
            conditions.append(f"words @@ CAST(:q{n} AS tsquery)")
            params[f"q{n}"] = lexeme if exact else lexeme + ":*"
    where = " AND ".join(conditions)
    order = "" if start is None else " ORDER BY rowid"
    sql = f"SELECT rowid FROM search_doc WHERE {where}{order} LIMIT :cap"  # noqa: S608
    return [int(r[0]) for r in conn.execute(text(sql), params)]
