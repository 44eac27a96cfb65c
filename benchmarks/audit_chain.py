"""The cost of the audit trail's hash chain, beside the insert it seals (the baseline).

Usage: ``.venv/bin/python benchmarks/audit_chain.py [--events N]``

Inserts N audit events (as a bulk import writes them, without hashes) into a
fresh database, then seals them (``audit.seal``: what happens before the
import's commit) and verifies the whole chain (``db verify``). Each step is
timed on its own, in one process. Prints a Markdown table for RESULTS.md.
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))


def main() -> None:
    from sqlalchemy import text

    from chinadialog_desktop.persistence import audit
    from chinadialog_desktop.persistence.database import Database

    parser = argparse.ArgumentParser()
    parser.add_argument("--events", type=int, default=100_000)
    n = parser.parse_args().events
    rows = [
        {
            "at": "2026-12-07 10:00:00.000000",
            "user": "beispiel",
            "action": "insert",
            "table_name": "activity",
            "record_uuid": f"{i:036d}",
            "new_value": f'{{"title": "Besuch (Beispiel) {i}", "date": "2026-01-01"}}',
        }
        for i in range(n)
    ]
    with tempfile.TemporaryDirectory() as tmp:
        db = Database.open(Path(tmp) / "audit.sqlite3")
        with db.engine.begin() as conn:
            t0 = time.perf_counter()
            conn.execute(
                text(
                    "INSERT INTO audit_event (at, user, action, table_name, record_uuid, "
                    "new_value) VALUES (:at, :user, :action, :table_name, :record_uuid, "
                    ":new_value)"
                ),
                rows,
            )
            t1 = time.perf_counter()
            audit.seal(conn, 0)
            t2 = time.perf_counter()
        with db.engine.connect() as conn:
            t3 = time.perf_counter()
            report = audit.verify_chain(conn)
            t4 = time.perf_counter()
        db.close()
    assert report.intact and report.events == n
    load = os.getloadavg()[0] if hasattr(os, "getloadavg") else float("nan")
    print(f"{n:,} events, load average {load:.1f}")
    print("| step | time |")
    print("| --- | --- |")
    print(f"| insert (baseline, no hashes) | {t1 - t0:.2f} s |")
    print(f"| seal (hash + update each event) | {t2 - t1:.2f} s |")
    print(f"| verify the whole chain | {t4 - t3:.2f} s |")


if __name__ == "__main__":
    main()
