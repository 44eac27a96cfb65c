"""The SQLite full-text index behind "search everything": tables, triggers, upkeep.

SQLite only, and deliberately outside the Alembic migrations (which stay
portable): ``ensure(engine)`` runs when a database opens, creates what is
missing and rebuilds the index when it is absent, of an older index version,
or when a table rebuild (Alembic batch mode) dropped its triggers.

How it stays current: plain SQL triggers on the source tables only note
``(kind, record_id)`` in ``search_dirty`` — they work for ORM, Core and raw
SQL writes alike and reference no other source table, so table rebuilds by
migrations cannot break them. ``drain(conn)`` re-reads the noted records and
updates the index in Python, where the text is folded (diacritics, ß, tone
marks), umlauts get an ``ae/oe/ue`` variant, Chinese characters get their
pinyin, and Chinese runs are cut into bigrams (``search_text``, shared with
the PostgreSQL index in ``search_index_pg``).

``drain`` runs in the writer's own transaction: ``keep_current(sessions)``
hooks it into every session commit, and the dataset import calls it itself at
the end (with progress), so a commit never leaves rows pending. It works in
batches however many rows are pending — only the noted records are re-read,
never the whole index. ``drain`` before a search and at opening only catches
writes made outside a session (raw SQL, older versions). A full ``rebuild``
happens only when the index is missing or outdated, or on request
(``search --rebuild-index``); a search never rebuilds.

Two FTS5 tables share one rowid (``kind code << 40 | record id``):

- ``search_grams`` (trigram tokenizer) over the folded text: any substring
  of three or more characters, Latin or Chinese;
- ``search_words`` (unicode61) over word tokens, Chinese bigrams and the last
  character of each Chinese run: one- and two-character queries.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager, nullcontext

from sqlalchemy import Connection, Engine, text
from sqlalchemy import event as sa_event
from sqlalchemy.exc import OperationalError
from sqlalchemy.orm import Session, sessionmaker

from chinadialog_desktop.persistence.search_text import (
    DRAIN_BATCH,
    ID_COLUMN,
    INDEX_VERSION,
    KIND_CODES,
    KIND_SINCE,
    KINDS,
    RECORD_SQL,
    WATCHED,
    index_row,
    rowid,
    rowid_range,
)

# An index row: (rowid, kind, record id, title, subtitle, body, grams, words).
_Row = tuple[int, str, int, str, str, str, str, str]
# Records read, analysed and written per statement.
_WRITE_BATCH = 2000


def _rows(conn: Connection, kind: str, ids: list[int] | None) -> Iterator[list[_Row]]:
    """The index rows of these records (all of the kind with ``None``), a batch at a time.

    Read through the driver's cursor and built as plain tuples (``index_row``): per
    record this is the Python work of indexing, no objects beyond the tuple itself.
    """
    sql, n_pinyin = RECORD_SQL[kind]
    params: tuple[object, ...] = ()
    if ids is not None:
        sql += f" WHERE {ID_COLUMN[kind]} IN (SELECT value FROM json_each(?))"
        params = (_json_ids(ids),)
    raw = conn.connection.driver_connection
    assert raw is not None
    base = rowid(kind, 0)
    try:
        cursor = raw.execute(sql, params)
        while batch := cursor.fetchmany(_WRITE_BATCH):
            rows = [index_row(r, n_pinyin) for r in batch]
            yield [(base | r[0], kind, *r) for r in rows]
    except sqlite3.OperationalError as exc:  # locked, read-only: as SQLAlchemy reports it
        raise OperationalError(sql, None, exc) from exc


# -- schema -----------------------------------------------------------------

# ``prefix='1 2'``: a one- or two-letter query ("d*", "de*") reads one prefix doclist
# instead of merging those of every word starting with it (at 260k records "de*" took
# 60 ms without, "d*" for each kind's rowid range 20–90 ms of CPU; benchmarks/prefix_search.py).
_WORDS_TABLE = (
    "CREATE VIRTUAL TABLE IF NOT EXISTS {name} USING fts5(words, "
    "tokenize='unicode61 remove_diacritics 2', detail='none', prefix='1 2')"
)
_TABLES = (
    "CREATE TABLE IF NOT EXISTS search_meta (key TEXT PRIMARY KEY, value TEXT NOT NULL)",
    "CREATE TABLE IF NOT EXISTS search_dirty (kind TEXT NOT NULL, record_id INTEGER NOT NULL, "
    "PRIMARY KEY (kind, record_id)) WITHOUT ROWID",
    "CREATE TABLE IF NOT EXISTS search_doc (rowid INTEGER PRIMARY KEY, kind TEXT NOT NULL, "
    "record_id INTEGER NOT NULL, title TEXT NOT NULL, subtitle TEXT NOT NULL, body TEXT NOT NULL)",
    "CREATE VIRTUAL TABLE IF NOT EXISTS search_grams USING fts5(text, tokenize='trigram')",
    _WORDS_TABLE.format(name="search_words"),
)
_INDEX_TABLES = ("search_doc", "search_grams", "search_words")


def _trigger_names() -> list[str]:
    return [f"search_{table}_{op}" for table in WATCHED for op in ("ins", "upd", "del")]


def _trigger_sql(table: str) -> list[str]:
    kind, column = WATCHED[table]
    out = []
    for op, event, refs in (
        ("ins", "INSERT", ("NEW",)),
        ("upd", "UPDATE", ("OLD", "NEW")),
        ("del", "DELETE", ("OLD",)),
    ):
        body = " ".join(
            f"INSERT OR IGNORE INTO search_dirty (kind, record_id) VALUES ('{kind}', {r}.{column});"
            for r in refs
        )
        out.append(
            f"CREATE TRIGGER IF NOT EXISTS search_{table}_{op} AFTER {event} ON {table} "
            f"BEGIN {body} END"
        )
    return out


def _existing(conn: Connection, type_: str) -> set[str]:
    rows = conn.execute(text("SELECT name FROM sqlite_master WHERE type = :t"), {"t": type_})
    return {r[0] for r in rows}


def status(conn: Connection) -> str:
    """``current``, ``missing`` (no index), ``outdated`` (old version or lost triggers)."""
    tables = _existing(conn, "table")
    if not {"search_meta", "search_dirty", *_INDEX_TABLES} <= tables:
        return "missing"
    version = conn.execute(text("SELECT value FROM search_meta WHERE key = 'version'")).scalar()
    if version != str(INDEX_VERSION):
        return "outdated"
    if not set(_trigger_names()) <= _existing(conn, "trigger"):
        return "outdated"
    return "current"


def ensure(engine: Engine, *, defer_upgrade: bool = False) -> str:
    """Create, repair or bring the index up to date; returns what was found before.

    A no-op on anything but SQLite (search then falls back to ILIKE). Never
    stops a database from opening: when the file is locked or read-only it
    returns "unavailable" and leaves the work to the next search.
    ``defer_upgrade`` leaves an outdated index as it is (seconds of work on a
    large file): the window runs :func:`upgrade` in the background instead.
    """
    if engine.dialect.name != "sqlite":
        return "unsupported"
    try:
        with engine.begin() as conn:
            found = status(conn)
            if found == "outdated" and defer_upgrade:
                pass  # searches use the plain fallback until the upgrade has run
            elif found == "outdated" and _upgradable(conn):
                _upgrade_words(conn)
                drain(conn)
            elif found != "current":
                rebuild(conn)
            else:
                drain(conn)
    except OperationalError:
        # Locked by another writer for longer than the busy timeout, or a read-only
        # file: the database is still usable; the next search tries again.
        return "unavailable"
    return found


def upgrade(
    conn: Connection,
    progress: Callable[[int, int], None] | None = None,
    cancelled: Callable[[], bool] | None = None,
) -> str:
    """Bring an outdated or missing index up to date in the caller's transaction.

    What ``ensure`` does at opening, for a caller that runs it in the
    background: ``progress(done, total)`` at the start and the end (total 0
    while the size of the work is unknown), and ``cancelled()`` is asked while
    SQLite works, so a cancel interrupts even the one long statement (SQLite
    then raises ``OperationalError``; the caller rolls back). Returns what was
    found before.
    """
    found = status(conn)
    if progress is not None:
        progress(0, 0)
    raw = conn.connection.dbapi_connection
    handler = getattr(raw, "set_progress_handler", None)
    if cancelled is not None and handler is not None:
        handler(lambda: 1 if cancelled() else 0, 20000)
    try:
        if found == "outdated" and _upgradable(conn):
            _upgrade_words(conn)
        elif found != "current":
            rebuild(conn)
        drain(conn)
    finally:
        if cancelled is not None and handler is not None:
            handler(None, 0)
    if progress is not None:
        progress(1, 1)
    return found


def _version(conn: Connection) -> int | None:
    value = conn.execute(text("SELECT value FROM search_meta WHERE key = 'version'")).scalar()
    return int(value) if value is not None and str(value).isdigit() else None


def _tables_of(version: int) -> list[str]:
    """The source tables an index of ``version`` watched."""
    return [t for t, (kind, _c) in WATCHED.items() if KIND_SINCE.get(kind, 1) <= version]


def _upgradable(conn: Connection) -> bool:
    """An older version with all of its triggers: brought up to date without a rebuild."""
    version = _version(conn)
    if version is None or not 1 <= version < INDEX_VERSION:
        return False
    expected = {
        f"search_{table}_{op}" for table in _tables_of(version) for op in ("ins", "upd", "del")
    }
    return expected <= _existing(conn, "trigger")


def _upgrade_words(conn: Connection) -> None:
    """Bring an older index up to date in SQL and by indexing only what it lacked.

    Version 1 or 2: copy the stored word lists into a table with the prefix indexes
    (FTS5 re-tokenizes them; no record is re-read or re-analysed). Versions before 4
    lack the registers: their triggers are added and their records indexed.
    """
    version = _version(conn) or 0
    if version < 3:
        conn.execute(text("DROP TABLE IF EXISTS search_words_v2"))
        conn.execute(text(_WORDS_TABLE.format(name="search_words_v2")))
        conn.execute(
            text("INSERT INTO search_words_v2 (rowid, words) SELECT rowid, words FROM search_words")
        )
        conn.execute(text("DROP TABLE search_words"))
        conn.execute(text("ALTER TABLE search_words_v2 RENAME TO search_words"))
    source_tables = _existing(conn, "table")
    for table in WATCHED:
        if table in source_tables and table not in _tables_of(version):
            for statement in _trigger_sql(table):
                conn.execute(text(statement))
    for kind in KINDS:
        if KIND_SINCE.get(kind, 1) > version and kind in source_tables:
            lo, hi = rowid_range(kind)
            for table in _INDEX_TABLES:
                conn.execute(
                    text(f"DELETE FROM {table} WHERE rowid BETWEEN :lo AND :hi"),
                    {"lo": lo, "hi": hi},
                )
            _write(conn, kind, None)
    conn.execute(
        text("UPDATE search_meta SET value = :v WHERE key = 'version'"), {"v": str(INDEX_VERSION)}
    )


def rebuild(conn: Connection) -> int:
    """Drop and refill the whole index from the source tables; returns the documents indexed."""
    # A large page cache keeps the FTS segment merges in memory instead of spilling to the WAL.
    before = conn.execute(text("PRAGMA cache_size")).scalar()
    conn.execute(text("PRAGMA cache_size = -262144"))
    try:
        return _rebuild(conn)
    finally:
        conn.execute(text(f"PRAGMA cache_size = {int(before or -2000)}"))


def _rebuild(conn: Connection) -> int:
    for name in _trigger_names():
        conn.execute(text(f"DROP TRIGGER IF EXISTS {name}"))
    for table in (*_INDEX_TABLES, "search_dirty", "search_meta"):
        conn.execute(text(f"DROP TABLE IF EXISTS {table}"))
    for statement in _TABLES:
        conn.execute(text(statement))
    source_tables = _existing(conn, "table")
    for table in WATCHED:
        if table in source_tables:
            for statement in _trigger_sql(table):
                conn.execute(text(statement))
    count = 0
    with _bulk(conn):
        for kind in KINDS:
            count += _write(conn, kind, None)
    conn.execute(
        text("INSERT INTO search_meta (key, value) VALUES ('version', :v)"),
        {"v": str(INDEX_VERSION)},
    )
    return count


def drain(conn: Connection, progress: Callable[[int, int], None] | None = None) -> int:
    """Re-index the records noted by the triggers, in batches; returns how many were noted.

    Only the noted records are re-read (a 100,000-row import costs those rows,
    not a rebuild of everything), and they are read from ``search_dirty`` a batch
    at a time: a million noted records never sit in memory as a list.
    ``progress(done, total)`` is called after each batch.
    """
    noted = int(conn.execute(text("SELECT count(*) FROM search_dirty")).scalar() or 0)
    if not noted:
        return 0
    # A partnership shows its parties' names: a renamed actor touches its partnerships.
    conn.execute(
        text(
            "INSERT OR IGNORE INTO search_dirty (kind, record_id) "
            "SELECT DISTINCT 'partnership', partnership_id FROM partnership_party "
            "WHERE actor_id IN (SELECT record_id FROM search_dirty WHERE kind = 'actor')"
        )
    )
    counts: dict[str, int] = {
        str(kind): int(n)
        for kind, n in conn.execute(text("SELECT kind, count(*) FROM search_dirty GROUP BY kind"))
    }
    total = sum(n for kind, n in counts.items() if kind in KIND_CODES)
    done = 0
    with _bulk(conn) if noted > DRAIN_BATCH else nullcontext():
        for kind in counts:
            if kind not in KIND_CODES:
                continue
            for part in _noted(conn, kind):
                _delete(conn, kind, part)
                _write(conn, kind, part)
                done += len(part)
                if progress is not None:
                    progress(done, total)
    conn.execute(text("DELETE FROM search_dirty"))
    return noted


def _noted(conn: Connection, kind: str) -> Iterator[list[int]]:
    """The ids of this kind noted in ``search_dirty``, a batch at a time in id order."""
    last = -1
    while True:
        part = [
            int(i)
            for i in conn.execute(
                text(
                    "SELECT record_id FROM search_dirty WHERE kind = :k AND record_id > :last "
                    "ORDER BY record_id LIMIT :n"
                ),
                {"k": kind, "last": last, "n": DRAIN_BATCH},
            ).scalars()
        ]
        if not part:
            return
        last = part[-1]
        yield part


# FTS5 keeps the terms of the rows inserted in a transaction in memory and writes them out
# as a new segment each time they exceed its ``hashsize`` (1 MB by default); every segment
# is merged again later. At 4 MB a 100,000-record import writes a quarter of the segments
# (about 0.5 s less CPU, ~10 MB more peak memory). A setting of the table, kept in the file.
BULK_HASH_BYTES = 4 * 1024 * 1024
# While a bulk write runs, FTS5 merges the segments of a level once it has this many (its
# ``automerge``, 4 by default): each term is merged fewer times over. Inserting the texts
# of 100,000 imported activities alone took 13-19 % less CPU; in a whole first import of
# them into a small index it is about 0.1 s, more when the index already holds many
# records. The table's own setting is put back at the end of the bulk write: later writes
# merge as before. What is indexed is the same.
BULK_AUTOMERGE = 8
_FTS_TABLES = ("search_grams", "search_words")


def _bulk_hash(conn: Connection) -> None:
    """Let a large drain hold more pending terms in memory before it writes a segment.

    Only a speed-up: an SQLite whose FTS5 does not know the setting indexes as before.
    """
    for table in _FTS_TABLES:
        try:
            current = conn.execute(
                text(f"SELECT v FROM {table}_config WHERE k = 'hashsize'")  # noqa: S608
            ).scalar()
            if current != BULK_HASH_BYTES:
                _set(conn, table, "hashsize", BULK_HASH_BYTES)
        except OperationalError:
            return


def _set(conn: Connection, table: str, key: str, value: int) -> None:
    conn.execute(
        text(f"INSERT INTO {table} ({table}, rank) VALUES (:k, :n)"),  # noqa: S608
        {"k": key, "n": value},
    )


@contextmanager
def _bulk(conn: Connection) -> Iterator[None]:
    """A bulk write to the index: larger pending-term buffers (kept) and fewer merges while it
    runs (the table's ``automerge`` put back afterwards). Only speed-ups: an FTS5 that does
    not know a setting indexes as before."""
    _bulk_hash(conn)
    before: dict[str, int] = {}
    for table in _FTS_TABLES:
        try:
            value = conn.execute(
                text(f"SELECT v FROM {table}_config WHERE k = 'automerge'")  # noqa: S608
            ).scalar()
            before[table] = 4 if value is None else int(value)  # absent: FTS5's default
            if before[table] < BULK_AUTOMERGE:
                _set(conn, table, "automerge", BULK_AUTOMERGE)
        except OperationalError:
            before.pop(table, None)
    yield
    for table, value in before.items():
        if value < BULK_AUTOMERGE:
            _set(conn, table, "automerge", value)


def pending(conn: Connection) -> int:
    """How many records wait to be (re-)indexed."""
    return int(conn.execute(text("SELECT count(*) FROM search_dirty")).scalar() or 0)


def keep_current(sessions: sessionmaker[Session]) -> None:
    """Drain the index in the same transaction as each commit of these sessions."""
    sa_event.listen(sessions, "before_commit", _before_commit)


def _before_commit(session: Session) -> None:
    session.flush()  # before_commit runs before the final flush: the rows must be there
    index_pending(session)


def index_pending(session: Session, progress: Callable[[int, int], None] | None = None) -> int:
    """``drain`` inside the session's transaction; bulk writers call it at their end.

    Never fails the write: without an index in this file (it could not be
    created when the file was opened) the next opening builds it.
    """
    conn = session.connection()
    if conn.dialect.name == "postgresql":
        return _index_pending_server(conn, progress)
    if conn.dialect.name != "sqlite":
        return 0
    try:
        with conn.begin_nested():
            return drain(conn, progress)
    except OperationalError:
        return 0


def _index_pending_server(
    conn: Connection, progress: Callable[[int, int], None] | None = None
) -> int:
    """On a team server: drain when its index exists (``db upgrade`` builds it).

    Whether it exists, and whether this role may take records off its list (a role that
    only reads may not), is asked once per connection (``conn.info`` lives as long as
    the connection): tables are not dropped under a running app, and a rebuild by ``db
    upgrade`` replaces them in one transaction. Until it exists, every commit asks again.
    A role that may not delete from the list drains only when something is noted there
    (which it cannot have written: it fails then, as it always did).
    """
    from chinadialog_desktop.persistence import search_index_pg

    may_claim = conn.info.get(_SERVER_INDEX)
    if may_claim is None:
        may_claim = conn.execute(
            text("SELECT has_table_privilege(to_regclass('search_dirty'), 'DELETE')")
        ).scalar()
        if may_claim is None:  # no index on this server (yet)
            return 0
        conn.info[_SERVER_INDEX] = may_claim = bool(may_claim)
    if not may_claim and not conn.execute(text("SELECT count(*) FROM search_dirty")).scalar():
        return 0
    return search_index_pg.drain(conn, progress)


# conn.info: whether this role may delete from the server index's list (None: not known)
_SERVER_INDEX = "chinadialog_search_index_claim"


def _json_ids(ids: Iterable[int]) -> str:
    return "[" + ",".join(str(int(i)) for i in ids) + "]"


def _delete(conn: Connection, kind: str, ids: list[int]) -> None:
    """Remove the index rows of these records; new records (the bulk of an import) have none."""
    lo, hi = rowid_range(kind)
    found = conn.execute(
        text(
            "SELECT rowid FROM search_doc WHERE rowid BETWEEN :lo AND :hi "
            "AND rowid IN (SELECT value FROM json_each(:r))"
        ),
        {"lo": lo, "hi": hi, "r": _json_ids(rowid(kind, i) for i in ids)},
    ).all()
    rowids = [{"r": int(r[0])} for r in found]
    if not rowids:
        return
    for table in _INDEX_TABLES:
        conn.execute(text(f"DELETE FROM {table} WHERE rowid = :r"), rowids)


def _write(conn: Connection, kind: str, ids: list[int] | None) -> int:
    """Index these records (all of the kind with ``None``); returns how many were written."""
    count = 0
    for rows in _rows(conn, kind, ids):
        count += _insert(conn, rows)
    return count


def _insert(conn: Connection, rows: list[_Row]) -> int:
    raw = conn.connection.driver_connection
    assert raw is not None
    statements: list[tuple[str, list[tuple[object, ...]]]] = [
        (
            "INSERT INTO search_doc (rowid, kind, record_id, title, subtitle, body) "
            "VALUES (?, ?, ?, ?, ?, ?)",
            [r[:6] for r in rows],
        ),
        ("INSERT INTO search_grams (rowid, text) VALUES (?, ?)", [(r[0], r[6]) for r in rows]),
        ("INSERT INTO search_words (rowid, words) VALUES (?, ?)", [(r[0], r[7]) for r in rows]),
    ]
    for sql, params in statements:
        try:
            raw.executemany(sql, params)
        except sqlite3.OperationalError as exc:  # locked, read-only: as SQLAlchemy reports it
            raise OperationalError(sql, None, exc) from exc
    return len(rows)
