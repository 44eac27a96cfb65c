"""Quick mode for CI: the issue-16 figures at small sizes, each beside a baseline tree.

Usage::

    git worktree add /tmp/perf-base <baseline commit, e.g. the merge base>
    .venv/bin/python benchmarks/quick.py --base /tmp/perf-base [--out benchmarks/figures/quick.json]

Runs, in this order and at small sizes, ``startup.py`` (demo data),
``bulk_index.py`` (5,000 rows), ``prefix_search.py`` (2,000 partnerships =
26,000 records) and ``listing.py`` (5,000 partnerships), each alternating the
baseline tree and this one run by run. Writes one JSON file: for every
figure the baseline value, the new value and their ratio, with the commits
and the date. The ratios are what to watch on a shared CI machine; the
absolute times depend on its load.
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
HERE = Path(__file__).resolve().parent


def script(name: str, base: Path, out: Path, *args: str) -> dict[str, object]:
    cmd = [sys.executable, str(HERE / name), "--base", str(base), "--json", str(out), *args]
    # startup.py exits 1 when a target is missed: the figures are still written.
    done = subprocess.run(cmd, cwd=ROOT, stdout=subprocess.DEVNULL)
    if not out.exists():
        raise SystemExit(f"{name} failed ({done.returncode}) and wrote no figures")
    data: dict[str, object] = json.loads(out.read_text())
    return data


def pair(baseline: float, new: float) -> dict[str, float | None]:
    return {"baseline": baseline, "new": new, "ratio": new / baseline if baseline else None}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--base", type=Path, required=True, help="code tree of the baseline")
    parser.add_argument("--out", type=Path, default=HERE / "figures" / "quick.json")
    args = parser.parse_args()
    base = args.base.resolve()
    started = time.monotonic()
    figures: dict[str, dict[str, float | None]] = {}
    commits: dict[str, str] = {}
    with tempfile.TemporaryDirectory(prefix="quick-") as tmp:
        t = Path(tmp)
        s = script("startup.py", base, t / "startup.json", "--runs", "3")
        med = s["medians"]
        assert isinstance(med, dict)
        for moment in ("first_paint", "list_filled"):
            figures[f"startup.{moment}_s"] = pair(med["baseline"][moment], med["new"][moment])
        figures["startup.bare_first_paint_s"] = pair(
            med["bare"]["first_paint"], med["bare"]["first_paint"]
        )
        commits = dict(s["commits"])  # type: ignore[arg-type]

        b = script("bulk_index.py", base, t / "bulk.json", "--rows", "5000",
                   "--partnerships", "1000", "--rounds", "1")  # fmt: skip
        bm = b["medians"]
        assert isinstance(bm, dict)
        for key in bm["new"]:
            figures[f"bulk_index.{key}"] = pair(bm["baseline"][key], bm["new"][key])

        p = script("prefix_search.py", base, t / "prefix.json", "--sizes", "2000",
                   "--rounds", "1", "--repeat", "3")  # fmt: skip
        pf = p["figures"]
        assert isinstance(pf, dict)
        for records, fig in pf.items():
            for query, ms in fig["medians_ms"]["new"].items():
                figures[f"prefix_search.{records}.{query}_ms"] = pair(
                    fig["medians_ms"]["baseline"][query], ms
                )

        ls = script("listing.py", base, t / "listing.json", "--partnerships", "5000",
                    "--runs", "1")  # fmt: skip
        lm = ls["medians"]
        assert isinstance(lm, dict)
        for probe in ("list", "search"):
            figures[f"listing.{probe}_s"] = pair(lm[f"baseline/{probe}"], lm[f"new/{probe}"])
    report = {
        "date": datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC"),
        "commits": commits,
        "seconds": round(time.monotonic() - started, 1),
        "figures": figures,
    }
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps(report, indent=2, ensure_ascii=False) + "\n")
    for name, fig in figures.items():
        ratio = fig["ratio"]
        print(f"{name}: {fig['baseline']:.3f} → {fig['new']:.3f}" + (
            f" ({ratio:.2f}×)" if ratio is not None else ""))  # fmt: skip
    print(f"written: {args.out} ({report['seconds']} s)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
