"""Benchmark: the search index after a bulk import, beside a baseline commit in the same run.

Usage::

    git worktree add /tmp/perf-base <baseline commit>
    .venv/bin/python benchmarks/bulk_index.py --base /tmp/perf-base [--rows 100000] [--rounds 3]

For each round and each code tree (baseline, then this one, alternating), in
fresh processes: import ``--rows`` actor rows from one CSV into a new file
holding ``--partnerships`` synthetic partnerships (``import_dataset``, timed),
then run ``chinadialog search`` on that file (the "next command", timed from
spawn to exit), then open it as the window does (``Database.open``, which
runs ``search_index.ensure`` on the GUI thread: timed, with the rows still
pending and the peak RSS). Prints a Markdown table of medians with the ratio
new/baseline; ``--json FILE`` also writes the figures.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import textwrap
import time
from datetime import UTC, datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]

IMPORT = textwrap.dedent(
    """
    import importlib, sys, time
    from chinadialog_desktop.persistence.database import Database

    def first(*names):
        for name in names:
            try:
                return importlib.import_module(name)
            except ImportError:
                continue
        raise ImportError(names)

    # This tree's place, then the place before the feature folders (an older baseline tree).
    import_dataset = first(
        "chinadialog_desktop.services.datasets.importing",
        "chinadialog_desktop.services" + ".datasets_import",
    ).import_dataset
    db = Database.open(sys.argv[1])
    t, c = time.perf_counter(), time.process_time()
    result = import_dataset(db, sys.argv[2])
    print("import", time.perf_counter() - t)
    print("import_cpu", time.process_time() - c)
    assert result.status == "committed", result.problems.format()
    db.close()
    """
)
OPEN = textwrap.dedent(
    """
    import resource, sqlite3, sys, time
    con = sqlite3.connect(sys.argv[1])
    print("pending", con.execute("SELECT count(*) FROM search_dirty").fetchone()[0])
    con.close()
    from chinadialog_desktop.persistence.database import Database
    t = time.perf_counter()
    db = Database.open(sys.argv[1])
    print("open", time.perf_counter() - t)
    db.close()
    print("rss_mb", resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024)
    """
)
PARTNERSHIPS = textwrap.dedent(
    """
    import sys
    from sqlalchemy import insert
    from chinadialog_desktop.persistence.base import new_uuid, utcnow
    from chinadialog_desktop.persistence.database import Database
    from chinadialog_desktop.persistence.models import Partnership
    db = Database.open(sys.argv[1])
    now = utcnow()
    rows = [
        {"uuid": new_uuid(), "created_at": now, "modified_at": now, "version": 1,
         "title": f"Partnerschaft {n} (Beispiel)", "type": "twin_city", "status": "active"}
        for n in range(int(sys.argv[2]))
    ]
    with db.session() as s:
        s.execute(insert(Partnership), rows)
    db.close()
    """
)


def actors_csv(path: Path, rows: int) -> None:
    lines = ["Name;Chinesischer Name;Art;Land;Provinz;Webseite;Bemerkung"]
    for n in range(rows):
        lines.append(
            f"Akteur {n} (Beispiel);名称{n};Unternehmen;China;Provinz {n % 31};"
            f"https://example.cn/{n};Bemerkung Nr. {n}"
        )
    path.write_bytes(("\ufeff" + "\r\n".join(lines) + "\r\n").encode("utf-8"))


def children_cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def run(tree: Path, args: list[str]) -> tuple[float, dict[str, float]]:
    """Wall seconds from spawn to exit, and what the child printed (plus its CPU, ``cpu``)."""
    env = dict(os.environ, PYTHONPATH=str(tree), CHINADIALOG_LANG="en")
    cpu = children_cpu()
    started = time.monotonic()
    out = subprocess.run(
        [sys.executable, *args], capture_output=True, text=True, env=env, cwd=tree, timeout=900
    )
    wall = time.monotonic() - started
    if out.returncode not in (0, 1):
        raise SystemExit(f"{tree}: {' '.join(args[:3])} failed:\n{out.stderr[-2000:]}")
    figures = {"cpu": children_cpu() - cpu}
    for line in out.stdout.splitlines():
        name, _, value = line.partition(" ")
        with contextlib.suppress(ValueError):
            figures[name] = float(value)
    return wall, figures


def commit_of(tree: Path) -> str:
    out = subprocess.run(
        ["git", "-C", str(tree), "rev-parse", "--short", "HEAD"], capture_output=True, text=True
    )
    return out.stdout.strip() or "?"


def one_round(tree: Path, work: Path, csv: Path, partnerships: int) -> dict[str, float]:
    db = work / "bulk.sqlite3"
    for leftover in work.glob("bulk*.sqlite3*"):
        leftover.unlink()
    run(tree, ["-c", PARTNERSHIPS, str(db), str(partnerships)])
    _, imported = run(tree, ["-c", IMPORT, str(db), str(csv)])
    # The same file twice: once for the next command, once for the next window start.
    window = work / "bulk-window.sqlite3"
    shutil.copyfile(db, window)
    search_wall, searched = run(
        tree, ["-m", "chinadialog_desktop", "--db", str(db), "search", "Akteur 4711", "--json"]
    )
    _, opened = run(tree, ["-c", OPEN, str(window)])
    # A second search: the steady state, for comparison with the one after the import.
    again_wall, _ = run(
        tree, ["-m", "chinadialog_desktop", "--db", str(db), "search", "Akteur 4712", "--json"]
    )
    return {
        "import_s": imported["import"],
        "import_cpu_s": imported["import_cpu"],
        "next_search_s": search_wall,
        "next_search_cpu_s": searched["cpu"],
        "pending_at_open": opened["pending"],
        "open_s": opened["open"],
        "open_rss_mb": opened["rss_mb"],
        "later_search_s": again_wall,
    }


LABELS = {
    "import_s": "import of the CSV rows (s)",
    "import_cpu_s": "… CPU (s)",
    "next_search_s": "next `search` process after the import (s)",
    "next_search_cpu_s": "… CPU (s)",
    "later_search_s": "a later `search` process (s)",
    "pending_at_open": "rows left pending by the import",
    "open_s": "`Database.open` at the next window start (GUI thread, s)",
    "open_rss_mb": "peak RSS of that opening process (MB)",
}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--base", type=Path, required=True, help="code tree of the baseline")
    parser.add_argument("--rows", type=int, default=100_000)
    parser.add_argument("--partnerships", type=int, default=10_000)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--json", type=Path, help="also write the figures here")
    args = parser.parse_args()
    trees = {"baseline": args.base.resolve(), "new": ROOT}
    results: dict[str, list[dict[str, float]]] = {k: [] for k in trees}
    with tempfile.TemporaryDirectory(prefix="bulk-index-") as tmp:
        work = Path(tmp)
        csv = work / "akteure.csv"
        actors_csv(csv, args.rows)
        for n in range(args.rounds):
            for name, tree in trees.items():
                results[name].append(one_round(tree, work, csv, args.partnerships))
                print(f"round {n + 1} {name}: {results[name][-1]}", file=sys.stderr)
    med = {k: {f: statistics.median(r[f] for r in v) for f in v[0]} for k, v in results.items()}
    commits = {k: commit_of(t) for k, t in trees.items()}
    date = datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC")
    print(
        f"{args.rows:,} actor rows imported into a file with {args.partnerships:,} partnerships; "
        f"medians of {args.rounds} alternating rounds, {date}; baseline {commits['baseline']}, "
        f"new {commits['new']}.\n"
    )
    print(
        f"| measurement | baseline ({commits['baseline']}) | new ({commits['new']}) "
        "| new/baseline |"
    )
    print("| --- | --- | --- | --- |")
    for key, label in LABELS.items():
        b, n = med["baseline"][key], med["new"][key]
        ratio = f"{n / b:.2f}×" if b else "—"
        fmt = "{:,.0f}" if key in ("pending_at_open", "open_rss_mb") else "{:.2f}"
        print(f"| {label} | {fmt.format(b)} | {fmt.format(n)} | {ratio} |")
    if args.json:
        args.json.write_text(
            json.dumps(
                {
                    "date": date,
                    "commits": commits,
                    "load_average": round(os.getloadavg()[0], 1),
                    "medians": med,
                    "rounds": results,
                },
                indent=2,
            )
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
