"""How much does checking a 100 MB database cost, next to what the app does anyway?

Usage: ``.venv/bin/python benchmarks/integrity_check.py [--mb 100] [--repeat 5]``

Builds a synthetic database of the given size through the app's own schema
(activities with long descriptions, the bulk of a real file), then times,
median of R runs after one warm-up, in the same run:

* ``PRAGMA quick_check`` and ``PRAGMA integrity_check``,
* baselines: opening the file as the app does (``Database.open``), and a
  backup copy with SQLite's backup API (``persistence.backup.copy_database``),
  which reads every page anyway.

Prints a Markdown table for benchmarks/RESULTS.md. Warm page cache: the file
was just written, as it is on a working machine; a cold first read after a
reboot costs the disk's read time on top, for the check and the copy alike.
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


def build(path: Path, megabytes: int) -> None:
    from sqlalchemy import text

    from chinadialog_desktop.persistence.database import Database

    db = Database.open(path)
    with db.engine.begin() as conn:
        conn.execute(
            text(
                "INSERT INTO partnership (id, uuid, created_at, modified_at, version, title, "
                "type, status, start_precision, end_precision, fields_of_action) VALUES "
                "(1, 'p-1', '2024-01-01', '2024-01-01', 1, 'Köln–Peking (Beispiel)', "
                "'twinning', 'active', 'year', 'year', '[]')"
            )
        )
    text_block = "Delegationsbesuch aus Peking 北京市 (Beispiel). " * 20  # ~1 KB
    per_batch = 5000
    i = 0
    while path.stat().st_size < megabytes * 1024 * 1024:
        with db.engine.begin() as conn:
            conn.execute(
                text(
                    "INSERT INTO activity (uuid, created_at, modified_at, version, "
                    "partnership_id, date, date_precision, kind, title, description) "
                    "VALUES (:u, '2024-01-01', '2024-01-01', 1, 1, '2024-01-01', 'day', "
                    "'visit', :t, :d)"
                ),
                [
                    {"u": f"a-{n}", "t": f"Besuch {n} (Beispiel)", "d": text_block}
                    for n in range(i, i + per_batch)
                ],
            )
        raw = sqlite3.connect(path)
        raw.execute("PRAGMA wal_checkpoint(TRUNCATE)")  # so the file size tells the truth
        raw.close()
        i += per_batch
    db.close()


def timed(fn, repeat: int) -> float:  # type: ignore[no-untyped-def]
    fn()
    runs = []
    for _ in range(repeat):
        start = time.perf_counter()
        fn()
        runs.append(time.perf_counter() - start)
    return statistics.median(runs)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--mb", type=int, default=100)
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()

    from chinadialog_desktop.persistence import backup, lifecycle
    from chinadialog_desktop.persistence.database import Database

    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "gross.sqlite3"
        build(path, args.mb)
        size = path.stat().st_size / 1024 / 1024

        def pragma(name: str) -> None:
            conn = lifecycle.connect(path)
            try:
                conn.execute(f"PRAGMA {name}").fetchall()
            finally:
                conn.close()

        def open_close() -> None:
            Database.open(path).close()

        def copy() -> None:
            backup.copy_database(path, Path(tmp) / "kopie.sqlite3", check=False)

        rows = [
            ("open the file (`Database.open`), baseline", timed(open_close, args.repeat)),
            ("backup copy (`copy_database`), baseline", timed(copy, args.repeat)),
            ("`PRAGMA quick_check`", timed(lambda: pragma("quick_check"), args.repeat)),
            ("`PRAGMA integrity_check`", timed(lambda: pragma("integrity_check"), args.repeat)),
        ]
        print(f"File: {size:.0f} MB, median of {args.repeat} warm runs\n")
        print("| measurement | time |")
        print("| --- | --- |")
        for label, seconds in rows:
            print(f"| {label} | {seconds:.2f} s |")


if __name__ == "__main__":
    main()
