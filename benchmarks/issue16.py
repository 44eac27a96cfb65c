"""Issue 16's table, retaken: every row beside the baseline in the same run.

Usage::

    git worktree add /tmp/perf-base <baseline commit>      # e.g. benchmarks/BASELINE
    git worktree add /tmp/perf-new <commit to measure>     # the code stays put while it runs
    /tmp/perf-new/.venv/bin/python benchmarks/issue16.py --base /tmp/perf-base \
        --out benchmarks/figures/issue16-table.json
    .venv/bin/python benchmarks/render_results.py

Runs, from the tree this script lives in and alternating it with the baseline:
``startup.py`` on the demo data and at 10,000 and 100,000 partnerships,
``prefix_search.py`` at four sizes (26k–260k records), ``listing.py`` at 50,000
and 100,000 partnerships, ``bulk_index.py`` with a
100,000-row import into 10,000 partnerships, and ``window_memory.py`` (100,000
partnerships, a 200,000-entity list, a 100,000-row import). ``--memory-json``
takes a ``window_memory.py`` result of the same two commits instead of running
it again. Writes one JSON file in the form ``render_results.py`` renders.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
sys.path.insert(0, str(HERE))

from quick import commit_of, figure, script  # noqa: E402


def startup_figures(base: Path, work: Path, rows: int, runs: int) -> list[dict[str, Any]]:
    args = ["--runs", str(runs)] + (["--rows", str(rows)] if rows else [])
    s = script("startup.py", base, work / f"startup-{rows}.json", *args)
    med, where = s["medians"], (f"{rows:,} partnerships" if rows else "demo data")
    bare = med["bare"]
    out = [
        figure(
            f"startup.{rows}.bare",
            f"bare window, first paint ({where} run; wall)",
            "s",
            bare["first_paint"],
            bare["first_paint"],
        ),  # fmt: skip
        figure(
            f"startup.{rows}.bare_cpu",
            f"bare window, first paint ({where} run; CPU)",
            "s",
            bare["first_paint_cpu"],
            bare["first_paint_cpu"],
        ),  # fmt: skip
    ]
    for moment, label, target in (
        ("first_paint", "first paint", "≤ 2× bare"),
        ("list_filled", "list filled", "≤ 0.6 s" if not rows else "≤ 0.9 s at 100k"),
    ):
        for suffix, kind in (("", "wall"), ("_cpu", "CPU")):
            key = moment + suffix
            out.append(
                figure(
                    f"startup.{rows}.{key}",
                    f"{label}, {where} ({kind})",
                    "s",
                    med["baseline"][key],
                    med["new"][key],
                    target,
                )  # fmt: skip
            )
        if moment == "first_paint":
            for suffix, kind in (("", "wall"), ("_cpu", "CPU")):
                ref = bare["first_paint" + suffix]
                out.append(
                    figure(
                        f"startup.{rows}.paint_x_bare{suffix}",
                        f"first paint ÷ bare window, {where} ({kind})",
                        "×",
                        med["baseline"]["first_paint" + suffix] / ref,
                        med["new"]["first_paint" + suffix] / ref,
                        "≤ 2",
                    )  # fmt: skip
                )
    return out


def listing_figures(base: Path, work: Path, sizes: list[int]) -> list[dict[str, Any]]:
    """``listing.py`` at each size: the listing, a ``search`` process, their ratio (point 6)."""
    out: list[dict[str, Any]] = []
    for size in sizes:
        runs = "3" if size <= 50_000 else "2"
        ls = script("listing.py", base, work / f"listing-{size}.json",
                    "--partnerships", str(size), "--runs", runs)  # fmt: skip
        lm = ls["medians"]
        where = f"{size:,} partnerships"
        for probe, label in (
            ("list", f"`list partnerships --json`, {where}"),
            ("search", f"`search` process, same file, {where}"),
        ):
            for suffix, kind in (("", "wall"), ("_cpu", "CPU")):
                key = f"{probe}{suffix}"
                out.append(
                    figure(
                        f"listing.{size}.{key}",
                        f"{label} ({kind})",
                        "s",
                        lm[f"baseline/{key}"],
                        lm[f"new/{key}"],
                    )  # fmt: skip
                )
        for suffix, kind in (("", "wall"), ("_cpu", "CPU")):
            ratio = {
                t: lm[f"{t}/list{suffix}"] / lm[f"{t}/search{suffix}"] for t in ("baseline", "new")
            }
            out.append(
                figure(
                    f"listing.{size}.ratio{suffix}",
                    f"listing ÷ search process, {where} ({kind})",
                    "×",
                    ratio["baseline"],
                    ratio["new"],
                    "≤ 4",
                )  # fmt: skip
            )
    return out


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--base", type=Path, required=True)
    parser.add_argument("--out", type=Path, default=HERE / "figures" / "issue16-table.json")
    parser.add_argument("--memory-json", type=Path, help="a window_memory.py --json result")
    parser.add_argument(
        "--skip", default="", help="comma list of: startup,prefix,listing,bulk,memory"
    )
    parser.add_argument("--listing-sizes", default="50000,100000", help="partnerships")
    parser.add_argument("--title", default="Issue 16's table, retaken")
    args = parser.parse_args()
    skip = set(filter(None, args.skip.split(",")))
    base = args.base.resolve()
    started = time.monotonic()
    load = [round(os.getloadavg()[0], 1)]
    memory_commits = None
    memory_date = None
    memory_seconds = None
    figures: list[dict[str, Any]] = []
    with tempfile.TemporaryDirectory(prefix="issue16-") as tmp:
        work = Path(tmp)
        if "startup" not in skip:
            figures += startup_figures(base, work, 0, 5)
            figures += startup_figures(base, work, 10_000, 3)
            figures += startup_figures(base, work, 100_000, 3)
            print("startup done", file=sys.stderr)
        if "prefix" not in skip:
            p = script("prefix_search.py", base, work / "prefix.json",
                       "--rounds", "2", "--repeat", "5")  # fmt: skip
            for records, fig in p["figures"].items():
                for query in fig["medians_ms"]["new"]:
                    unsearched = fig.get("hits_baseline", {}).get(query) == 0
                    note = " (the baseline does not search one letter)" if unsearched else ""
                    for kind, key in (("wall", "medians_ms"), ("CPU", "cpu_ms")):
                        figures.append(
                            figure(
                                f"prefix.{records}.{query}.{kind}",
                                f"search `{query}`, {int(records):,} records, "
                                f"{fig['hits'][query]:,} hits ({kind}){note}",
                                "ms",
                                fig[key]["baseline"][query],
                                fig[key]["new"][query],
                                "≤ 30 ms",
                            )  # fmt: skip
                        )
                figures.append(
                    figure(
                        f"prefix.{records}.upgrade",
                        f"index brought to this version at "
                        f"the first opening, {int(records):,} records",
                        "s",
                        0.0,
                        fig["upgrade_s"],
                    )  # fmt: skip
                )
            print("prefix done", file=sys.stderr)
        if "listing" not in skip:
            sizes = [int(n) for n in args.listing_sizes.split(",")]
            figures += listing_figures(base, work, sizes)
            print("listing done", file=sys.stderr)
        if "bulk" not in skip:
            b = script("bulk_index.py", base, work / "bulk.json", "--rows", "100000",
                       "--partnerships", "10000", "--rounds", "1")  # fmt: skip
            bm = b["medians"]
            for key, label, unit in (
                ("import_s", "import of 100,000 CSV rows into 10,000 partnerships (wall)", "s"),
                ("import_cpu_s", "… CPU", "s"),
                ("next_search_s", "next `search` process after that import (wall)", "s"),
                ("next_search_cpu_s", "… CPU", "s"),
                ("later_search_s", "a later `search` process (wall)", "s"),
                ("pending_at_open", "rows left for re-indexing at the next start", "rows"),
                ("open_s", "`Database.open` at the next window start (wall)", "s"),
                ("open_rss_mb", "peak RSS of that opening", "MB"),
            ):
                figures.append(
                    figure(f"bulk.{key}", label, unit, bm["baseline"][key], bm["new"][key])
                )
            print("bulk done", file=sys.stderr)
        if "memory" not in skip:
            if args.memory_json is not None:
                m = json.loads(args.memory_json.read_text())
                memory_commits = m.get("commits")
                memory_date = m.get("date")
                memory_seconds = m.get("seconds")
                load = [m.get("load_average", load[0])]
            else:
                m = script("window_memory.py", base, work / "memory.json", "--runs", "2")
            mm = m["medians"]
            sizes = m.get("sizes", {})
            where = (
                f"{sizes.get('partnerships', 0):,} partnerships, "
                f"{sizes.get('entities', 0):,}-entity list, {sizes.get('rows', 0):,} rows imported"
            )
            for key, label, unit, target in (
                ("rss_list_mb", f"window RSS when the list is filled ({where})", "MB", ""),
                ("rss_idle_mb", "… after every page was shown, idle", "MB", "≤ 250 MB"),
                ("peak_mb", "… peak RSS of the window process", "MB", "≤ 250 MB"),
                ("stall_after_list_s", "… longest GUI-thread stall in the 1.5 s after the "
                 "list (wall)", "s", "no freeze"),
                ("longest_page_stall_s", "… longest stall while each page is first shown "
                 "(wall)", "s", ""),
            ):  # fmt: skip
                figures.append(
                    figure(
                        f"memory.{key}", label, unit, mm["baseline"][key], mm["new"][key], target
                    )  # fmt: skip
                )
    if memory_commits is None:
        load.append(round(os.getloadavg()[0], 1))
    report = {
        "title": args.title,
        "command": (
            "python benchmarks/window_memory.py --base <worktree of the baseline> --runs 2 "
            "--json F; python benchmarks/issue16.py --skip startup,prefix,bulk --memory-json F"
            if memory_commits
            else "python benchmarks/issue16.py --base <worktree of the baseline>"
            + (f" --skip {args.skip}" if args.skip else "")
        ),
        "date": memory_date or datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC"),
        "commits": memory_commits or {"new": commit_of(ROOT), "baseline": commit_of(base)},
        "load_average": load,
        "cpus": os.cpu_count(),
        "seconds": memory_seconds or round(time.monotonic() - started, 1),
        "figures": figures,
        "notes": [
            "Each row is a median over fresh processes (startup: 5 runs on the demo data, "
            "3 at 10k and 100k; search: 2 alternating rounds × 5 searches; listing: 3 "
            "alternating runs at 50k, 2 at 100k; import and "
            "memory: 1 and 2 runs). The machine is shared (2 CPUs, other jobs running): "
            "wall times carry the wait for a CPU, CPU times do not — compare those, and "
            "the ratios.",
        ],
    }
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps(report, indent=2, ensure_ascii=False) + "\n")
    print(f"written: {args.out} ({report['seconds']} s)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
