"""Quick mode (CI): the issue-16 figures at small sizes, each beside a baseline in the same run.

Usage::

    .venv/bin/python benchmarks/quick.py                      # baseline: benchmarks/BASELINE
    .venv/bin/python benchmarks/quick.py --base-commit 00ffc66
    .venv/bin/python benchmarks/quick.py --base /tmp/perf-base   # an existing tree
    .venv/bin/python benchmarks/render_results.py             # figures → RESULTS.md

Runs, at small sizes and alternating the baseline tree and this one run by run,
``startup.py`` (demo data), ``prefix_search.py`` (500 partnerships = 6,500
records), ``listing.py`` (2,000 partnerships) and ``bulk_index.py`` (1,000
rows). The baseline is a ``git worktree`` of ``--base-commit`` (default: the
commit named in ``benchmarks/BASELINE``), made for the run and removed after.

Writes ``benchmarks/figures/quick.json``: every figure with its baseline, its
new value and the ratio, the commits, the date and the load average; wall and
CPU time where both exist (on a shared machine the CPU time is the steadier
one). Never fails on a figure: it measures, it does not judge (exit 1 only
when a probe itself fails). ``.ci/run`` runs it after the test suite.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
HERE = Path(__file__).resolve().parent
COMMAND = "python benchmarks/quick.py"


def script(name: str, base: Path, out: Path, *args: str) -> dict[str, Any]:
    cmd = [sys.executable, str(HERE / name), "--base", str(base), "--json", str(out), *args]
    # startup.py exits 1 when a target is missed: the figures are still written.
    done = subprocess.run(cmd, cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    if not out.exists():
        raise SystemExit(f"{name} failed ({done.returncode}):\n{done.stderr.decode()[-3000:]}")
    data: dict[str, Any] = json.loads(out.read_text())
    return data


def figure(
    key: str, label: str, unit: str, baseline: float, new: float, target: str = ""
) -> dict[str, Any]:
    return {
        "key": key,
        "label": label,
        "unit": unit,
        "baseline": baseline,
        "new": new,
        "ratio": new / baseline if baseline else None,
        "target": target,
    }


@contextlib.contextmanager
def baseline_tree(base: Path | None, commit: str) -> Iterator[Path]:
    """``base`` as given, or a temporary ``git worktree`` of ``commit`` (removed after)."""
    if base is not None:
        yield base.resolve()
        return
    with tempfile.TemporaryDirectory(prefix="quick-base-") as tmp:
        tree = Path(tmp) / "base"
        subprocess.run(
            ["git", "-C", str(ROOT), "worktree", "add", "--detach", "-q", str(tree), commit],
            check=True,
        )
        try:
            yield tree
        finally:
            subprocess.run(
                ["git", "-C", str(ROOT), "worktree", "remove", "--force", str(tree)], check=False
            )


def measure(base: Path, work: Path) -> list[dict[str, Any]]:
    figures: list[dict[str, Any]] = []
    s = script("startup.py", base, work / "startup.json", "--runs", "3")
    med = s["medians"]
    bare = med["bare"]
    figures.append(
        figure(
            "startup.bare_first_paint",
            "bare PySide6 window, first paint (wall; the yardstick)",
            "s",
            bare["first_paint"],
            bare["first_paint"],
        )
    )
    for moment, label, target in (
        ("first_paint", "first paint, demo data", "≤ 2× bare"),
        ("list_filled", "list filled, demo data", "≤ 0.6 s"),
    ):
        for suffix, kind in (("", "wall"), ("_cpu", "CPU")):
            key = moment + suffix
            if key in med["new"] and key in med["baseline"]:
                figures.append(
                    figure(
                        f"startup.{key}",
                        f"{label} ({kind})",
                        "s",
                        med["baseline"][key],
                        med["new"][key],
                        target if not suffix else "",
                    )
                )
    if "first_paint_cpu" in bare:
        for tree in ("baseline", "new"):
            med[tree]["paint_ratio"] = med[tree]["first_paint"] / bare["first_paint"]
        figures.append(
            figure(
                "startup.first_paint_x_bare",
                "first paint ÷ bare window (wall)",
                "×",
                med["baseline"]["paint_ratio"],
                med["new"]["paint_ratio"],
                "≤ 2",
            )
        )

    p = script("prefix_search.py", base, work / "prefix.json",
               "--sizes", "500", "--rounds", "1", "--repeat", "3")  # fmt: skip
    for records, fig in p["figures"].items():
        for query in fig["medians_ms"]["new"]:
            unsearched = fig.get("hits_baseline", {}).get(query) == 0
            figures.append(
                figure(
                    f"prefix_search.{records}.{query}",
                    f"search `{query}`, {int(records):,} records (wall)"
                    + ("; the baseline does not search one letter" if unsearched else ""),
                    "ms",
                    fig["medians_ms"]["baseline"][query],
                    fig["medians_ms"]["new"][query],
                    "≤ 30 ms",
                )
            )
            if "cpu_ms" in fig:
                figures.append(
                    figure(
                        f"prefix_search.{records}.{query}.cpu",
                        f"search `{query}`, {int(records):,} records (CPU)",
                        "ms",
                        fig["cpu_ms"]["baseline"][query],
                        fig["cpu_ms"]["new"][query],
                    )
                )

    ls = script("listing.py", base, work / "listing.json", "--partnerships", "2000",
                "--runs", "1")  # fmt: skip
    lm = ls["medians"]
    for probe, label in (
        ("list", "`list partnerships --json`, 2,000 partnerships"),
        ("search", "`search` process, same file"),
    ):
        for suffix, kind in (("", "wall"), ("_cpu", "CPU")):
            key = f"{probe}{suffix}"
            if f"new/{key}" in lm:
                figures.append(
                    figure(
                        f"listing.{key}",
                        f"{label} ({kind})",
                        "s",
                        lm[f"baseline/{key}"],
                        lm[f"new/{key}"],
                    )
                )

    b = script("bulk_index.py", base, work / "bulk.json", "--rows", "1000",
               "--partnerships", "500", "--rounds", "1")  # fmt: skip
    bm = b["medians"]
    labels = {
        "import_s": ("import of 1,000 CSV rows (wall)", "s"),
        "import_cpu_s": ("import of 1,000 CSV rows (CPU)", "s"),
        "next_search_s": ("next `search` process after it (wall)", "s"),
        "next_search_cpu_s": ("next `search` process after it (CPU)", "s"),
        "pending_at_open": ("rows left for re-indexing", "rows"),
        "open_s": ("next opening of the file (wall)", "s"),
        "open_rss_mb": ("peak RSS of that opening", "MB"),
    }
    for key, (label, unit) in labels.items():
        if key in bm["new"] and key in bm["baseline"]:
            figures.append(
                figure(f"bulk_index.{key}", label, unit, bm["baseline"][key], bm["new"][key])
            )
    return figures


def commit_of(tree: Path) -> str:
    out = subprocess.run(
        ["git", "-C", str(tree), "rev-parse", "--short", "HEAD"], capture_output=True, text=True
    )
    return out.stdout.strip() or "?"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--base", type=Path, help="an existing code tree of the baseline")
    parser.add_argument(
        "--base-commit",
        default=(HERE / "BASELINE").read_text().split()[0],
        help="baseline commit (default: benchmarks/BASELINE)",
    )
    parser.add_argument("--out", type=Path, default=HERE / "figures" / "quick.json")
    args = parser.parse_args()
    started = time.monotonic()
    load_before = os.getloadavg()[0]
    with (
        baseline_tree(args.base, args.base_commit) as base,
        tempfile.TemporaryDirectory(prefix="quick-") as tmp,
    ):
        commits = {"new": commit_of(ROOT), "baseline": commit_of(base)}
        figures = measure(base, Path(tmp))
    report = {
        "title": "Quick mode (CI): small sizes beside the baseline",
        "command": COMMAND + (f" --base-commit {args.base_commit}" if args.base is None else ""),
        "date": datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC"),
        "commits": commits,
        "load_average": [round(load_before, 1), round(os.getloadavg()[0], 1)],
        "cpus": os.cpu_count(),
        "seconds": round(time.monotonic() - started, 1),
        "figures": figures,
    }
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps(report, indent=2, ensure_ascii=False) + "\n")
    print(f"baseline {commits['baseline']}, new {commits['new']}, {report['date']}, "
          f"load {report['load_average']}")  # fmt: skip
    for fig in figures:
        ratio = f" ({fig['ratio']:.2f}×)" if fig["ratio"] is not None else ""
        print(f"{fig['label']}: {fig['baseline']:.3f} → {fig['new']:.3f} {fig['unit']}{ratio}")
    print(f"written: {args.out} ({report['seconds']} s)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
