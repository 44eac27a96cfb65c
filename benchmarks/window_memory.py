"""Memory and responsiveness of the window after bulk writes, beside a baseline tree (issue 16).

Usage::

    git worktree add /tmp/perf-base <baseline commit>
    .venv/bin/python benchmarks/window_memory.py --base /tmp/perf-base \
        [--partnerships 100000] [--entities 200000] [--rows 100000] [--runs 2] [--json FILE]

One file is built with the baseline's code: ``--partnerships`` synthetic
partnerships (two parties each, as ``startup.py --rows``) and a reference list
of ``--entities`` FollowTheMoney entities (``ftm_import.py``'s generator,
imported with ``import_reference_list``, which also builds the stored screening
index). Each tree then gets its own copy and imports ``--rows`` actor rows into
it (``import_dataset``: the bulk write), and the real window is started on it
(``chinadialog --db FILE``, offscreen) ``--runs`` times. The probe records, in
the window's own process:

* RSS when the list is filled, and after every page has been shown and the
  window has been idle for two seconds (``/proc/self/statm``), and the peak
  (``ru_maxrss``);
* the longest the GUI thread did not answer a 20 ms heartbeat timer in the
  1.5 s after the filled list (a freeze at start shows here: the editors are
  built then, an index upgrade would run in the background), and while every
  page is shown for the first time (each reads its ids and fits its columns).

Target (issue 16, point 4): ≤ 250 MB with 100k partnerships and a 200k list.
"""

from __future__ import annotations

import argparse
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

from tree_build import installed_like

ROOT = Path(__file__).resolve().parents[1]
HERE = Path(__file__).resolve().parent

BUILD = textwrap.dedent(
    """
    import sys
    from pathlib import Path
    # This tree's code first (PYTHONPATH), before startup.py puts its own tree on the path.
    from chinadialog_desktop.persistence.database import Database
    sys.path.insert(0, sys.argv[4])
    from startup import _synthetic
    from chinadialog_desktop.services.screening.reference_lists import import_reference_list
    _synthetic(Path(sys.argv[1]), int(sys.argv[2]))
    db = Database.open(sys.argv[1])
    result = import_reference_list(db, Path(sys.argv[3]))
    assert result.status == "committed", result.problems.format()
    db.close()
    """
)
IMPORT = textwrap.dedent(
    """
    import sys, time
    from chinadialog_desktop.persistence.database import Database
    from chinadialog_desktop.services.datasets.importing import import_dataset
    db = Database.open(sys.argv[1])
    result = import_dataset(db, sys.argv[2])
    assert result.status == "committed", result.problems.format()
    db.close()
    """
)
WINDOW = textwrap.dedent(
    """
    import os, resource, sys, time
    from chinadialog_desktop.ui.window import milestones

    PAGE = os.sysconf("SC_PAGE_SIZE")
    out = {}
    beat = {"last": None, "gap": 0.0, "on": False}

    def rss_mb():
        with open("/proc/self/statm") as fh:
            return int(fh.read().split()[1]) * PAGE / 2**20

    def tick():
        now = time.monotonic()
        if beat["on"] and beat["last"] is not None:
            beat["gap"] = max(beat["gap"], now - beat["last"])
        beat["last"] = now

    def finish():
        from PySide6.QtWidgets import QApplication
        out["rss_idle_mb"] = rss_mb()
        out["peak_mb"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
        out["longest_page_stall_s"] = beat["gap"]
        print(out, flush=True)
        QApplication.instance().quit()

    def on(name, _when):
        from PySide6.QtCore import QTimer
        from PySide6.QtWidgets import QApplication
        if name == milestones.FIRST_PAINT:
            timer = QTimer(QApplication.instance())
            timer.setInterval(20)
            timer.timeout.connect(tick)
            timer.start()
        if name == milestones.LIST_FILLED:
            out["rss_list_mb"] = rss_mb()
            beat["on"], beat["last"] = True, time.monotonic()
            window = next(w for w in QApplication.topLevelWidgets() if hasattr(w, "pages"))

            def visit(keys):
                if keys:
                    window.show_page(keys[0])
                    QTimer.singleShot(50, lambda: visit(keys[1:]))
                else:
                    window.show_page("partnership")
                    QTimer.singleShot(2000, finish)

            def start_visits():
                # The start is over: how long the GUI thread was stuck in it (after the list).
                out["stall_after_list_s"] = beat["gap"]
                beat["gap"] = 0.0
                visit(list(window.pages))

            QTimer.singleShot(1500, start_visits)

    milestones.subscribe(on)
    from chinadialog_desktop.cli import main
    sys.exit(main(["--db", sys.argv[1]]))
    """
)


def run(tree: Path, code: str, *args: str, timeout: int = 3600) -> str:
    env = installed_like(dict(os.environ, PYTHONPATH=str(tree), CHINADIALOG_LANG="de"))
    env.setdefault("QT_QPA_PLATFORM", "offscreen")
    out = subprocess.run(
        [sys.executable, "-c", code, *args],
        capture_output=True,
        text=True,
        env=env,
        cwd=tree,
        timeout=timeout,
    )
    if out.returncode != 0:
        raise SystemExit(f"{tree}: probe failed ({out.returncode}):\n{out.stderr[-3000:]}")
    return out.stdout


def commit_of(tree: Path) -> str:
    out = subprocess.run(
        ["git", "-C", str(tree), "rev-parse", "--short", "HEAD"], capture_output=True, text=True
    )
    return out.stdout.strip() or "?"


def children_cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--base", type=Path, required=True, help="code tree of the baseline")
    parser.add_argument("--partnerships", type=int, default=100_000)
    parser.add_argument("--entities", type=int, default=200_000)
    parser.add_argument("--rows", type=int, default=100_000)
    parser.add_argument("--runs", type=int, default=2)
    parser.add_argument("--list", type=Path, help="an FtM file to import instead of generating")
    parser.add_argument("--json", type=Path)
    args = parser.parse_args()
    sys.path.insert(0, str(HERE))
    from bulk_index import actors_csv
    from ftm_import import generate

    trees = {"baseline": args.base.resolve(), "new": ROOT}
    commits = {k: commit_of(t) for k, t in trees.items()}
    started = time.monotonic()
    results: dict[str, list[dict[str, float]]] = {k: [] for k in trees}
    imports: dict[str, dict[str, float]] = {}
    with tempfile.TemporaryDirectory(prefix="window-memory-") as tmp:
        work = Path(tmp)
        ftm = args.list
        if ftm is None:
            ftm = work / "list.ftm.json.gz"
            generate(ftm, args.entities)
        built = work / "built.sqlite3"
        run(trees["baseline"], BUILD, str(built), str(args.partnerships), str(ftm), str(HERE))
        print(f"built {built.stat().st_size / 1e6:.0f} MB", file=sys.stderr)
        csv = work / "akteure.csv"
        actors_csv(csv, args.rows)
        files = {}
        for name, tree in trees.items():
            files[name] = work / f"{name}.sqlite3"
            shutil.copyfile(built, files[name])
            cpu, wall = children_cpu(), time.monotonic()
            run(tree, IMPORT, str(files[name]), str(csv))
            imports[name] = {"wall_s": time.monotonic() - wall, "cpu_s": children_cpu() - cpu}
            print(f"{name}: imported {args.rows:,} rows {imports[name]}", file=sys.stderr)
        for _ in range(args.runs):
            for name, tree in trees.items():
                line = run(tree, WINDOW, str(files[name])).strip().splitlines()[-1]
                results[name].append(eval(line))  # noqa: S307 - our own probe's dict
                print(f"{name}: {results[name][-1]}", file=sys.stderr)
    med = {k: {f: statistics.median(r[f] for r in v) for f in v[0]} for k, v in results.items()}
    date = datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC")
    print(
        f"{args.partnerships:,} partnerships, a {args.entities:,}-entity reference list, then "
        f"{args.rows:,} actor rows imported; window started {args.runs}× per tree, {date}, "
        f"load average {os.getloadavg()[0]:.1f}.\n"
    )
    print(f"| measurement | baseline ({commits['baseline']}) | new ({commits['new']}) |")
    print("| --- | --- | --- |")
    for key, label in (
        ("rss_list_mb", "RSS when the list is filled (MB)"),
        ("rss_idle_mb", "RSS after every page was shown, idle (MB)"),
        ("peak_mb", "peak RSS of the window process (MB)"),
        ("stall_after_list_s", "longest GUI-thread stall in the 1.5 s after the list (s)"),
        ("longest_page_stall_s", "longest stall while each page is shown the first time (s)"),
    ):
        print(f"| {label} | {med['baseline'][key]:.1f} | {med['new'][key]:.1f} |")
    if args.json:
        args.json.write_text(
            json.dumps(
                {
                    "date": date,
                    "commits": commits,
                    "load_average": round(os.getloadavg()[0], 1),
                    "sizes": {
                        "partnerships": args.partnerships,
                        "entities": args.entities,
                        "rows": args.rows,
                    },
                    "imports": imports,
                    "medians": med,
                    "runs": results,
                    "seconds": round(time.monotonic() - started, 1),
                },
                indent=2,
            )
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
