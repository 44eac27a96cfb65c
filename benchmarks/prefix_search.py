"""Benchmark: one- and two-letter searches at four sizes, beside a baseline tree in the same run.

Usage::

    git worktree add /tmp/perf-base <baseline commit>
    .venv/bin/python benchmarks/prefix_search.py --base /tmp/perf-base \
        [--sizes 2000,5000,10000,20000] [--rounds 3] [--repeat 5]

For each size (N partnerships, 10 N activities, 2 N actors: the data of
``benchmarks/search.py``, so 20,000 means 260,000 records) one file is filled;
the baseline tree opens it (building its index), a copy is opened by this tree
(which brings the index up to its own version: timed as "upgrade"). Then
fresh processes of each tree take turns ``--rounds`` times; each runs every
query ``--repeat`` times in its own session (as the search window does) after
one warm-up. Figures are medians. Target (issue 16): ≤ 30 ms at 260k records.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import textwrap
from datetime import UTC, datetime
from pathlib import Path

from tree_build import child  # a fresh interpreter on one tree's code

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "benchmarks"))

QUERIES = ("d", "k", "de", "ko", "zh", "珠")  # one and two letters; one Chinese character

OPEN = textwrap.dedent(
    """
    import sys, time
    from chinadialog_desktop.persistence.database import Database
    t = time.perf_counter()
    Database.open(sys.argv[1]).close()
    print("open", time.perf_counter() - t)
    """
)
PROBE = textwrap.dedent(
    """
    import json, statistics, sys, time
    from chinadialog_desktop.persistence.database import Database
    from chinadialog_desktop.services.search import search
    db = Database.open(sys.argv[1])
    repeat = int(sys.argv[2])
    out = {}
    for query in sys.argv[3:]:
        times, cpu = [], []
        for n in range(repeat + 1):
            t, c = time.perf_counter(), time.process_time()
            with db.session() as s:
                hits = search(s, query).count
            if n:
                times.append(time.perf_counter() - t)
                cpu.append(time.process_time() - c)
        out[query] = {
            "ms": statistics.median(times) * 1000,
            "cpu_ms": statistics.median(cpu) * 1000,
            "hits": hits,
        }
    db.close()
    print(json.dumps(out))
    """
)


def commit_of(tree: Path) -> str:
    out = subprocess.run(
        ["git", "-C", str(tree), "rev-parse", "--short", "HEAD"], capture_output=True, text=True
    )
    return out.stdout.strip() or "?"


def main() -> int:
    from tree_build import build_with  # benchmarks/search.py's data, by the tree's code

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--base", type=Path, required=True, help="code tree of the baseline")
    parser.add_argument("--sizes", default="2000,5000,10000,20000")
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--json", type=Path, help="also write the figures here")
    args = parser.parse_args()
    trees = {"baseline": args.base.resolve(), "new": ROOT}
    commits = {k: commit_of(t) for k, t in trees.items()}
    figures: dict[str, object] = {}
    print("| records | query | hits | baseline | new | new/baseline |")
    print("| --- | --- | --- | --- | --- | --- |")
    for size in (int(s) for s in args.sizes.split(",")):
        with tempfile.TemporaryDirectory(prefix="prefix-search-") as tmp:
            files = {"baseline": Path(tmp) / "base.sqlite3", "new": Path(tmp) / "new.sqlite3"}
            # Written by the baseline's own code: it refuses a file of a newer schema.
            counts = build_with(trees["baseline"], "search", "build", files["baseline"], size)
            records = sum(counts.values())
            child(trees["baseline"], OPEN, str(files["baseline"]))  # builds its index
            shutil.copyfile(files["baseline"], files["new"])
            upgrade = float(child(trees["new"], OPEN, str(files["new"])).split()[1])
            runs: dict[str, list[dict[str, dict[str, float]]]] = {k: [] for k in trees}
            for _ in range(args.rounds):
                for name, tree in trees.items():
                    out = child(tree, PROBE, str(files[name]), str(args.repeat), *QUERIES)
                    runs[name].append(json.loads(out))
        med = {
            name: {q: statistics.median(r[q]["ms"] for r in rs) for q in QUERIES}
            for name, rs in runs.items()
        }
        cpu = {
            name: {q: statistics.median(r[q].get("cpu_ms", 0.0) for r in rs) for q in QUERIES}
            for name, rs in runs.items()
        }
        hits = {q: runs["new"][0][q]["hits"] for q in QUERIES}
        hits_baseline = {q: runs["baseline"][0][q]["hits"] for q in QUERIES}
        for q in QUERIES:
            b, n = med["baseline"][q], med["new"][q]
            bc, nc = cpu["baseline"][q], cpu["new"][q]
            print(
                f"| {records:,} | `{q}` | {hits[q]:,} | {b:.1f} ms (CPU {bc:.1f}) "
                f"| {n:.1f} ms (CPU {nc:.1f}) | {n / b:.2f}× |"
            )
        print(
            f"| {records:,} | opening: index brought to the new version | | | {upgrade:.2f} s | |"
        )
        sys.stdout.flush()
        figures[str(records)] = {
            "medians_ms": med,
            "cpu_ms": cpu,
            "hits": hits,
            "hits_baseline": hits_baseline,
            "upgrade_s": upgrade,
        }
    date = datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC")
    print(
        f"\nMedians of {args.rounds} alternating rounds × {args.repeat} searches, {date}; "
        f"baseline {commits['baseline']}, new {commits['new']}."
    )
    if args.json:
        args.json.write_text(
            json.dumps(
                {
                    "date": date,
                    "commits": commits,
                    "load_average": round(os.getloadavg()[0], 1),
                    "figures": figures,
                },
                indent=2,
            )
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
