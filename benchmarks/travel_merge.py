"""Travel copy (issue 17.6): what recording the base costs ``db copy``, and what a merge costs.

Builds a file of N synthetic partnerships (2N actors, activities; ``search.build``),
then, in the same run and on the same file:

* ``db copy`` into a file as it is now (the copy records its origin and every
  record's fingerprint, on both sides) beside the baseline: the same copy with
  the base recording switched off in this process (what ``db copy`` did before);
* ``db merge`` of K partnerships edited offline (dry run and commit) beside the
  baseline: the plain import of a package of the same K edited records (what an
  official would otherwise do: ``export`` from the copy, ``import`` into the source).

    python benchmarks/travel_merge.py --partnerships 20000 --edits 100
    python benchmarks/travel_merge.py --tree /tmp/base --json /tmp/base.json   # another tree's code

Each step is timed in wall and CPU time (this process; on a shared machine the CPU time
is the steadier figure), with the load average beside; ``--json`` writes them.
"""

from __future__ import annotations

import argparse
import os
import shutil
import sqlite3
import sys
import tempfile
import time
import uuid
from collections.abc import Callable
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from search import build  # noqa: E402 - benchmarks/search.py

CPU: dict[float, float] = {}  # wall seconds of a step → its CPU seconds


def timed(step: Callable[[], Any]) -> tuple[float, Any]:
    start, cpu = time.perf_counter(), time.process_time()
    result = step()
    seconds = time.perf_counter() - start
    CPU[seconds] = time.process_time() - cpu
    print(f"  … {seconds:.2f} s (CPU {CPU[seconds]:.2f} s)", file=sys.stderr, flush=True)
    return seconds, result


def _real_uuids(path: Path) -> None:
    """The synthetic builder's short ids ("p1") as real UUIDs, as a package must carry them."""
    con = sqlite3.connect(path)
    con.create_function("new_uuid", 0, lambda: str(uuid.uuid4()))
    with con:
        for table in ("actor", "partnership", "activity"):
            con.execute(f"UPDATE {table} SET uuid = new_uuid()")  # noqa: S608
    con.close()


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--partnerships", type=int, default=20000)
    parser.add_argument("--edits", type=int, default=100)
    parser.add_argument("--tree", type=Path, help="run the code of this tree (a baseline)")
    parser.add_argument("--json", type=Path, help="write the figures here")
    args = parser.parse_args()
    if args.tree is not None:
        sys.path.insert(0, str(args.tree.resolve()))

    from sqlalchemy import select

    from chinadialog_desktop.persistence.database import Database
    from chinadialog_desktop.persistence.models import Partnership
    from chinadialog_desktop.services import dbcopy, travel
    from chinadialog_desktop.services.datasets.export import export_dataset
    from chinadialog_desktop.services.datasets.importing import ImportOptions, import_dataset
    from chinadialog_desktop.services.records import edit

    with tempfile.TemporaryDirectory(prefix="chinadialog-travel-bench-") as tmp:
        folder = Path(tmp)
        source = folder / "amt.sqlite3"
        counts = build(source, args.partnerships)
        _real_uuids(source)
        rows: list[tuple[str, float]] = []

        recording = travel.record_base
        travel.record_base = lambda *_a, **_k: 0  # type: ignore[assignment]
        seconds, _r = timed(lambda: dbcopy.copy_database(str(source), str(folder / "ohne.sqlite3")))
        rows.append(("db copy into a file, baseline (no base recorded)", seconds))
        travel.record_base = recording  # type: ignore[assignment]
        copy = folder / "reise.sqlite3"
        seconds, _r = timed(lambda: dbcopy.copy_database(str(source), str(copy)))
        rows.append(("db copy into a file, with the base recorded", seconds))

        offline = Database.open(copy)
        try:
            with offline.session() as s:
                uuids = list(
                    s.scalars(select(Partnership.uuid).order_by(Partnership.id).limit(args.edits))
                )
                for uuid in uuids:
                    edit.update(s, "partnership", uuid, "description", "Unterwegs (Beispiel)")
            with offline.session() as s:
                package = folder / "aenderungen.zip"
                export_dataset(s, "package", package, kinds=["partnerships"])
        finally:
            offline.close()
        plain = folder / "import-baseline.sqlite3"
        shutil.copyfile(source, plain)

        db = Database.open(source)
        try:
            seconds, dry = timed(lambda: travel.merge_copy(db, copy, dry_run=True))
            assert dry.totals()["updated"] == len(uuids), (
                dry.status,
                dry.sent,
                str(dry.problems)[:2000],
            )
            rows.append((f"db merge --dry-run, {len(uuids)} edited offline", seconds))
            seconds, merged = timed(lambda: travel.merge_copy(db, copy))
            assert merged.status == travel.MERGED
            rows.append((f"db merge, {len(uuids)} edited offline", seconds))
        finally:
            db.close()
        baseline = Database.open(plain)
        try:
            seconds, imported = timed(
                lambda: import_dataset(baseline, package, ImportOptions(on_conflict="theirs"))
            )
            assert imported.status == "committed", imported.problems
            rows.append(
                (
                    "baseline: import of the whole partnerships package exported from the copy",
                    seconds,
                )
            )
        finally:
            baseline.close()

    print(f"{counts['partnerships']} partnerships, {counts['actors']} actors, "
          f"{counts['activities']} activities; {args.edits} edited offline")  # fmt: skip
    load = os.getloadavg()
    print(f"load average {load[0]:.1f} / {load[1]:.1f} / {load[2]:.1f}")
    print("| step | seconds | CPU seconds |\n|---|---:|---:|")
    for name, seconds in rows:
        print(f"| {name} | {seconds:.2f} | {CPU[seconds]:.2f} |")
    if args.json is not None:
        import json
        import subprocess

        tree = args.tree or ROOT
        commit = subprocess.run(
            ["git", "-C", str(tree), "rev-parse", "--short", "HEAD"],
            capture_output=True,
            text=True,
        ).stdout.strip()
        args.json.write_text(
            json.dumps(
                {
                    "commit": commit,
                    "tree": str(tree),
                    "counts": counts,
                    "edits": args.edits,
                    "load_average": load,
                    "steps": [
                        {"step": name, "wall": seconds, "cpu": CPU[seconds]}
                        for name, seconds in rows
                    ],
                },
                indent=2,
            )
        )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
