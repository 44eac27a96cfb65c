"""What row-level security costs on a team server: the same operations as three roles.

Usage: ``.venv/bin/python benchmarks/team_rights.py [--dossiers N] [--events N] [--repeat R]``

A throwaway local server (``tests/helpers/pg_server.py``), one database set up by
``team init`` with the demo data, N synthetic dossiers (every second one VS-NfD,
five sections each) and N audit events about them. Then, as
``chinadialog_owner`` (owns the tables: PostgreSQL applies no row-level security,
the baseline), as a Bearbeiten role cleared for VS-NfD (policies evaluated, every
row passes) and as a Bearbeiten role without clearance (policies filter), each
operation is one unit of work through the services, median of R after a warm-up:

- the dossier list (``listing.dossier_rows``),
- a search (``services.search.search``),
- a save (one field of a partnership: audit bookkeeping, sealing, search index).

Prints a Markdown table.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "tests"))

ROLES = (
    ("chinadialog_owner", "owner (no row-level security)"),
    ("bench_cleared", "Bearbeiten + VS-NfD"),
    ("bench_plain", "Bearbeiten, not cleared"),
)


def fill(server: object, name: str, dossiers: int, events: int) -> None:
    sql = server.sql  # type: ignore[attr-defined]
    sql(
        "INSERT INTO dossier (uuid, created_at, modified_at, version, title, audience, "
        "classification, status, document_kind, is_public) "
        "SELECT 'bench-' || i, now(), now(), 1, 'Dossier ' || i || ' (Beispiel)', 'council', "
        "CASE WHEN i % 2 = 0 THEN 'vs_nfd' ELSE 'open' END, 'draft', 'information', true "
        f"FROM generate_series(1, {dossiers}) i",
        name,
    )
    sql(
        "INSERT INTO dossier_section (uuid, created_at, modified_at, version, dossier_id, "
        "key, internal, position, body) SELECT 'bench-s-' || d.id || '-' || k, now(), now(), "
        "1, d.id, 's' || k, false, k, 'Text ' || k || ' zu ' || d.title "
        "FROM dossier d, generate_series(1, 5) k "
        "WHERE d.uuid LIKE 'bench-%'",
        name,
    )
    sql(
        'INSERT INTO audit_event (at, "user", action, table_name, record_uuid, field, '
        "new_value, chain_hash) SELECT now(), 'x', 'update', 'dossier', "
        f"'bench-' || (1 + i % {dossiers}), 'title', 'Titel ' || i, md5(i::text) "
        f"FROM generate_series(1, {events}) i",
        name,
    )
    sql("ANALYZE", name)


def measure(address: str, repeat: int) -> dict[str, tuple[float, int]]:
    from chinadialog_desktop.persistence.database import Database
    from chinadialog_desktop.services.records import edit, listing
    from chinadialog_desktop.services.search import search

    database = Database.open(address)
    out: dict[str, tuple[float, int]] = {}
    try:
        operations = {
            "dossier list": lambda s: len(listing.dossier_rows(s)),
            "search 'Beispiel'": lambda s: search(s, "Beispiel").count,
            "save one field": lambda s: (
                edit.update(
                    s, "partnership", 1, "title", f"Titel {time.perf_counter()} (Beispiel)"
                ).id
            ),
        }
        for label, work in operations.items():
            times, result = [], 0
            for run in range(repeat + 1):
                t0 = time.perf_counter()
                with database.session() as s:
                    result = work(s)
                if run:
                    times.append(time.perf_counter() - t0)
            out[label] = (statistics.median(times), result)
    finally:
        database.close()
    return out


def main() -> int:
    from helpers.pg_server import PgServer

    from chinadialog_desktop.cli import main as cli

    parser = argparse.ArgumentParser()
    parser.add_argument("--dossiers", type=int, default=2000)
    parser.add_argument("--events", type=int, default=50000)
    parser.add_argument("--repeat", type=int, default=9)
    args = parser.parse_args()
    server = PgServer.start()
    try:
        name = server.create_database("bench")
        assert cli(["--db", server.plain_url(name), "team", "init"]) == 0
        server.sql(
            "CREATE ROLE bench_cleared LOGIN IN ROLE chinadialog_bearbeiten, chinadialog_vsnfd"
        )
        server.sql("CREATE ROLE bench_plain LOGIN IN ROLE chinadialog_bearbeiten")
        assert cli(["--db", server.plain_url(name, "bench_cleared"), "demo", "load"]) == 0
        fill(server, name, args.dossiers, args.events)
        assert cli(["--db", server.plain_url(name), "db", "upgrade"]) == 0  # index the dossiers
        results = {
            role: measure(server.plain_url(name, role), args.repeat) for role, _label in ROLES
        }
    finally:
        server.stop()
    print(f"{args.dossiers} dossiers (half VS-NfD), {args.events} audit events, median of "
          f"{args.repeat}\n")  # fmt: skip
    print("| operation | " + " | ".join(label for _r, label in ROLES) + " |")
    print("| --- |" + " --- |" * len(ROLES))
    for op in results[ROLES[0][0]]:
        cells = [
            f"{results[role][op][0] * 1000:.1f} ms ({results[role][op][1]})" for role, _l in ROLES
        ]
        print(f"| {op} | " + " | ".join(cells) + " |")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
