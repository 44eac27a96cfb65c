"""Search on a PostgreSQL team server beside FTS5 on an SQLite file, on the same data.

Usage: ``.venv/bin/python benchmarks/search_server.py [--partnerships N] [--repeat R]
[--server postgresql://user@host:port/empty_db]``

Builds the synthetic file of ``benchmarks/search.py`` (20,000 actors, 10,000
partnerships, 100,000 activities by default) and opens it (FTS5 index built),
then copies the same rows into a PostgreSQL database set up with ``db upgrade``
(a throwaway local server from ``tests/helpers/pg_server.py`` unless
``--server`` names an empty database) and builds the server's index there
(``search_index_pg.rebuild``, timed). Each query is one
``services.search.search`` call in its own session on each engine, median of R
after one warm-up; the hits of both must be equal (counts and the hits shown, in
their order). Prints a Markdown table.
"""

from __future__ import annotations

import argparse
import sqlite3
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "benchmarks"))
sys.path.insert(0, str(ROOT / "tests"))

TABLES = ("actor", "partnership", "partnership_party", "activity")


def copy_rows(path: Path, address: str) -> None:
    """The file's rows into the server database, as they are (ids kept, sequences moved on)."""
    import psycopg

    from chinadialog_desktop.persistence.server import parse_target, stored_password

    target = parse_target(address)
    src = sqlite3.connect(path)
    with psycopg.connect(
        host=target.host,
        port=target.port,
        user=target.user,
        dbname=target.database,
        password=stored_password(target),
    ) as dst:
        for table in TABLES:
            cur = src.execute(f"SELECT * FROM {table}")  # noqa: S608
            names = [d[0] for d in cur.description]
            with dst.cursor().copy(f"COPY {table} ({', '.join(names)}) FROM STDIN") as copy:
                for row in cur:
                    copy.write_row(row)
            dst.execute(
                f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), "  # noqa: S608
                f"(SELECT max(id) FROM {table}))"
            )
        dst.execute("DELETE FROM search_dirty")  # the rebuild below indexes everything


# Besides the file benchmark's queries: single letters, whose every kind has more than CAP hits.
EXTRA_QUERIES = [("one letter (word prefix)", "d"), ("one letter (word prefix)", "k")]


def time_queries(
    db: object, queries: list[tuple[str, str]], repeat: int
) -> list[tuple[float, float, int, object]]:
    """Per query: median and max seconds, hit count, and the hits shown (to compare)."""
    from chinadialog_desktop.services.search import search

    out = []
    for _label, query in queries:
        times, hits, shown = [], 0, None
        for run in range(repeat + 1):
            t0 = time.perf_counter()
            with db.session() as s:  # type: ignore[attr-defined]
                results = search(s, query)
            elapsed = time.perf_counter() - t0
            if run:
                times.append(elapsed)
            hits = results.count
            shown = results.to_json()["groups"]
        out.append((statistics.median(times), max(times), hits, shown))
    return out


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--partnerships", type=int, default=10_000)
    parser.add_argument("--repeat", type=int, default=15)
    parser.add_argument("--server", help="an empty database: postgresql://user@host:port/db")
    args = parser.parse_args()

    import search as file_bench  # benchmarks/search.py

    from chinadialog_desktop.persistence import search_index_pg
    from chinadialog_desktop.persistence.database import Database
    from chinadialog_desktop.persistence.server import parse_target
    from chinadialog_desktop.persistence.server_upgrade import upgrade_server

    folder = Path(tempfile.mkdtemp(prefix="cd-search-server-"))
    path = folder / "search.sqlite3"
    counts = file_bench.build(path, args.partnerships)
    t0 = time.perf_counter()
    files = Database.open(path)
    t_file_index = time.perf_counter() - t0

    server = None
    address = args.server
    if address is None:
        from helpers.pg_server import PgServer

        server = PgServer.start()
        address = server.plain_url(server.create_database("bench"))
    try:
        upgrade_server(parse_target(address))
        copy_rows(path, address)
        team = Database.open(address)
        t0 = time.perf_counter()
        with team.engine.begin() as conn:
            search_index_pg.rebuild(conn)
        t_server_index = time.perf_counter() - t0
        with team.engine.connect() as conn:
            version = conn.exec_driver_sql("SHOW server_version").scalar()
            size = conn.exec_driver_sql(
                "SELECT pg_size_pretty(pg_total_relation_size('search_doc'))"
            ).scalar()

        queries = [*file_bench.QUERIES, *EXTRA_QUERIES]
        file_times = time_queries(files, queries, args.repeat)
        server_times = time_queries(team, queries, args.repeat)
        team.close()
    finally:
        files.close()
        if server is not None:
            server.stop()

    print(f"data: {counts}; PostgreSQL {version} on 127.0.0.1, SQLite {sqlite3.sqlite_version}")
    print(
        f"index built: file {t_file_index:.1f} s, server {t_server_index:.1f} s "
        f"(search_doc with its indexes: {size})\n"
    )
    print("| query | kind of query | hits | SQLite median | PostgreSQL median | PostgreSQL max |")
    print("| --- | --- | --- | --- | --- | --- |")
    same = True
    for (label, query), f, p in zip(queries, file_times, server_times, strict=True):
        # The same hits shown (record, title, subtitle, snippet, in rank order), not only as many.
        same = same and f[2] == p[2] and f[3] == p[3]
        hits = f"{f[2]:,}" if f[2] == p[2] else f"{f[2]:,} / {p[2]:,} (differ)"
        if f[3] != p[3]:
            hits += " (other hits shown)"
        print(
            f"| `{query}` | {label} | {hits} | {f[0] * 1000:.1f} ms | "
            f"{p[0] * 1000:.1f} ms | {p[1] * 1000:.1f} ms |"
        )
    file_median = statistics.median(t[0] for t in file_times) * 1000
    server_median = statistics.median(t[0] for t in server_times) * 1000
    print(
        f"\nmedian over all queries: SQLite {file_median:.1f} ms, PostgreSQL "
        f"{server_median:.1f} ms; same hits on both: {'yes' if same else 'NO'}"
    )
    return 0 if same else 1


if __name__ == "__main__":
    raise SystemExit(main())
