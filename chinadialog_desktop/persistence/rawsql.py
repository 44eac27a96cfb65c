"""Hand-written SQL on both engines: one statement text, the driver's placeholders.

The screening index and the reference-list importer write hundreds of thousands of
rows; they bypass the ORM and speak SQL through ``Connection.exec_driver_sql``. SQLite's
driver takes ``?`` placeholders, psycopg (PostgreSQL) takes ``%s``: :func:`run` writes
the statement once with ``?`` and converts it for the engine at hand. :func:`bulk_insert`
appends many rows at once: ``executemany`` on SQLite (its fastest path), ``COPY … FROM
STDIN`` on PostgreSQL (an order of magnitude faster there than one INSERT a row).

Both run in the caller's transaction (the same connection), so an import's rows and
its index still commit or roll back together.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from typing import TYPE_CHECKING, Any

from sqlalchemy import Connection, CursorResult

if TYPE_CHECKING:
    from sqlalchemy.util.typing import TupleAny, Unpack


def is_server(conn: Connection) -> bool:
    """True on a PostgreSQL team server, False on an SQLite file."""
    return conn.dialect.name == "postgresql"


def statement(conn: Connection, sql: str) -> str:
    """``sql`` written with ``?`` placeholders, in the driver's placeholder style.

    A literal ``%`` in ``sql`` is not allowed (psycopg would read it as a placeholder):
    pass such text as a parameter.
    """
    if is_server(conn):
        return sql.replace("?", "%s")
    return sql


def run(conn: Connection, sql: str, params: Any = ()) -> CursorResult[Unpack[TupleAny]]:
    """Execute ``sql`` (``?`` placeholders) with one row of parameters or a list of rows."""
    return conn.exec_driver_sql(statement(conn, sql), params)


def bulk_insert(
    conn: Connection, table: str, columns: Sequence[str], rows: Iterable[Sequence[Any]]
) -> None:
    """Append ``rows`` to ``table`` in the caller's transaction (COPY on PostgreSQL)."""
    if is_server(conn):
        raw: Any = conn.connection.driver_connection  # a psycopg.Connection
        with (
            raw.cursor() as cur,
            cur.copy(f"COPY {table} ({', '.join(columns)}) FROM STDIN") as copy,
        ):
            for row in rows:
                copy.write_row(row)
        return
    marks = ", ".join("?" for _c in columns)
    batch = list(rows)
    if batch:
        conn.exec_driver_sql(
            f"INSERT INTO {table} ({', '.join(columns)}) VALUES ({marks})",  # noqa: S608
            batch,
        )


def json_value(value: Any) -> Any:
    """A JSON column's value as read by hand-written SQL: SQLite gives the text,
    psycopg the decoded value already."""
    if isinstance(value, str | bytes):
        return json.loads(value)
    return value


def find_text(conn: Connection) -> str:
    """The function that finds a substring (position > 0): ``instr`` or ``strpos``."""
    return "strpos" if is_server(conn) else "instr"


@contextmanager
def page_cache(conn: Connection, kib: int) -> Iterator[None]:
    """SQLite's page cache at ``kib`` KiB on this connection for one bulk write, put back
    afterwards (no change on PostgreSQL).

    With the default 2 MB, a write of a few hundred MB into tables with indexes in random
    order (the uuids of new entities) evicts and re-reads index pages and spills dirty
    ones to the WAL before the commit, each a system call; a few MB more keep them."""
    if is_server(conn):
        yield
        return
    before = conn.exec_driver_sql("PRAGMA cache_size").scalar_one()
    conn.exec_driver_sql(f"PRAGMA cache_size = -{int(kib)}")
    try:
        yield
    finally:
        conn.exec_driver_sql(f"PRAGMA cache_size = {int(before)}")
