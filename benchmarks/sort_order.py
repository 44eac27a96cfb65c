"""Benchmark: the window's list order by the one sort key beside the old binary order.

Usage::

    .venv/bin/python benchmarks/sort_order.py [--partnerships 50000] [--runs 5]

Builds one file with N synthetic partnerships whose titles mix capitals, umlauts
and ß (the worst case for the key: no ASCII fast path), then times, alternating run
by run in the same process, the ids of the whole list in title order as the window
asks for them (``services.records.lists.list_ids``, ascending and descending) and
the same SELECT ordered by the raw column (the binary order the window used before
``domain.collation``). Prints medians as a Markdown table.
"""

from __future__ import annotations

import argparse
import random
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))


def build(path: Path, partnerships: int) -> None:
    from sqlalchemy import insert

    from chinadialog_desktop.persistence.base import new_uuid, utcnow
    from chinadialog_desktop.persistence.database import Database
    from chinadialog_desktop.persistence.models import Partnership

    rnd = random.Random(7)
    words = ["Hamburg", "HHLA", "Köln", "Straße", "Zürich", "Äbtissin", "Essen", "école", "Kiel"]
    now = utcnow()
    db = Database.open(path)
    with db.session() as s:
        s.execute(
            insert(Partnership),
            [
                {
                    "created_at": now,
                    "modified_at": now,
                    "version": 1,
                    "uuid": new_uuid(),
                    "title": f"{rnd.choice(words)}–{rnd.choice(words)} {n} (Beispiel)",
                    "type": "twin_city",
                    "status": "active",
                }
                for n in range(partnerships)
            ],
        )
    db.close()


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--partnerships", type=int, default=50_000)
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()

    from sqlalchemy import select

    from chinadialog_desktop.persistence.database import Database
    from chinadialog_desktop.persistence.models import Partnership
    from chinadialog_desktop.services.records.lists import ListQuery, list_ids

    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "sort.sqlite3"
        build(path, args.partnerships)
        db = Database.open(path)
        cases = {
            "binary order (before)": lambda s: list(
                s.scalars(select(Partnership.id).order_by(Partnership.title, Partnership.id))
            ),
            "sort key, ascending": lambda s: list_ids(s, "partnership"),
            "sort key, descending": lambda s: list_ids(
                s, "partnership", ListQuery(sort="title", descending=True)
            ),
        }
        times: dict[str, list[float]] = {name: [] for name in cases}
        for _run in range(args.runs):
            for name, case in cases.items():
                with db.session() as s:
                    start = time.perf_counter()
                    found = case(s)
                    times[name].append(time.perf_counter() - start)
                assert len(found) == args.partnerships
        db.close()
    print(f"| {args.partnerships} partnerships | median of {args.runs} |")
    print("| --- | ---: |")
    for name, values in times.items():
        print(f"| {name} | {statistics.median(values) * 1000:.0f} ms |")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
