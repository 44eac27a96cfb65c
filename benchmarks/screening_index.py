"""Screening against a 200,000-entity list with the stored index (issue 13, point 5).

Each phase runs as its own process on the tree under test and, in the same run, on a
baseline tree (default: commit c9bdd1d, exported to a temporary folder); time is wall
clock, memory the peak RSS of that process (``wait4``):

  * ``reflist import`` of the 200k list (``benchmarks/ftm_import.py``'s generator) into a
    database holding the demo data (40 actors and contacts, so the import screens);
  * ``screen --actor ID`` against it, five times (median);
  * in-process: getting the index (``services.screening.runs.build_index``), then the first
    398 held-out queries of ``tests/fixtures/screening/eval_whole_list.json`` (all their
    names) and each of their first names alone (p95), against the 200k list plus the
    evaluation list (971 entities, imported as FollowTheMoney). The hits of both trees
    are compared: they must be identical.

    PYTHONPATH=$PWD .venv/bin/python benchmarks/screening_index.py [--entities 200000]
        [--baseline c9bdd1d] [--keep DIR] [--repeat 5] [--reimport] [--import-only]
        [--runs 3] [--figures benchmarks/figures/NAME.json]

``--runs N`` (with ``--import-only``) imports the list N times on each tree, the trees
taking turns (this tree first in odd runs, the baseline first in even ones), and reports
medians; ``--figures`` writes them as ``benchmarks/render_results.py`` renders them.

``--reimport`` adds, right after the import, the re-import of a new version of the list
(1 % removed, 1 % changed — one more name —, 0.5 % new, the rest unchanged) into a copy of
that database: CPU time and peak memory of that process. ``--import-only`` stops after the
import phases (no ``screen``, no in-process queries).
"""

from __future__ import annotations

import argparse
import gzip
import json
import os
import shutil
import statistics
import subprocess
import sys
import tarfile
import tempfile
import time
from pathlib import Path
from typing import Any

from quick import commit_of, figure  # the figures' one shape, as issue16.py uses it

ROOT = Path(__file__).resolve().parents[1]
EVAL = ROOT / "tests" / "fixtures" / "screening" / "eval_whole_list.json"
SUBJECTS = 398


def run(tree: Path, args: list[str], stdin: str | None = None) -> dict[str, Any]:
    """One process on ``tree``: wall time, peak RSS (MB), stdout."""
    env = {**os.environ, "PYTHONPATH": str(tree), "PYTHONHASHSEED": "0"}
    t0 = time.perf_counter()
    proc = _Popen(
        [sys.executable, *args],
        cwd=tree,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    out, err = proc.communicate(stdin)
    seconds = time.perf_counter() - t0
    peak, cpu = _peak_of(proc)
    if proc.returncode:
        raise SystemExit(f"{args} failed on {tree}:\n{err[-3000:]}")
    return {"seconds": seconds, "cpu_s": cpu, "peak_mb": peak, "stdout": out, "stderr": err}


_RUSAGE: dict[int, tuple[float, float]] = {}


def _peak_of(proc: subprocess.Popen[str]) -> tuple[float, float]:
    return _RUSAGE.pop(proc.pid, (float("nan"), float("nan")))


class _Popen(subprocess.Popen):  # type: ignore[type-arg]
    """Popen whose wait records the child's own peak RSS (``wait4``)."""

    def _try_wait(self, wait_flags: int) -> tuple[int, int]:
        pid, status, usage = os.wait4(self.pid, wait_flags)
        if pid == self.pid:
            _RUSAGE[pid] = (usage.ru_maxrss / 1024, usage.ru_utime + usage.ru_stime)
        return pid, status


def eval_list_file(folder: Path) -> Path:
    """The evaluation list as a FollowTheMoney file (list key ``eval``)."""
    sys.path.insert(0, str(ROOT))
    from tests.helpers.screening_lists import load_eval, write_ftm

    return write_ftm(folder / "eval.ftm.json", load_eval()["entities"], "eval")


QUERY_SCRIPT = r"""
import json, statistics, sys, time
from chinadialog_desktop.domain.matching import Subject
from chinadialog_desktop.persistence.database import Database
from chinadialog_desktop.services.screening import runs as screening

db_path, eval_path, n = sys.argv[1], sys.argv[2], int(sys.argv[3])
data = json.load(open(eval_path, encoding="utf-8"))
queries = [q for q in data["queries"] if q["split"] == "test"][:n]
def subject(q, names):
    return Subject(f"q{q['id']}", "contact" if q["person"] else "actor", names[0],
                   tuple(names), q["person"], q["country"],
                   tuple((s, v) for s, v in q["identifiers"]))
db = Database.open(db_path)
with db.session() as s:
    t0 = time.perf_counter()
    index = screening.build_index(s)
    t_index = time.perf_counter() - t0
    out = {"index_s": t_index, "entities": len(index), "hits": {}, "one": []}
    t0, c0 = time.perf_counter(), time.process_time()
    for q in queries:
        ms = index.screen(subject(q, q["names"]), 0.6)
        out["hits"][q["id"]] = [[m.entity.list_key, m.entity.entity_key, m.score,
                                 m.explanation] for m in ms]
    out["all_s"] = time.perf_counter() - t0
    out["all_cpu_s"] = time.process_time() - c0
    out["one_cpu"] = []
    for q in queries:
        t0, c0 = time.perf_counter(), time.process_time()
        index.screen(subject(q, q["names"][:1]), 0.85)
        out["one"].append(time.perf_counter() - t0)
        out["one_cpu"].append(time.process_time() - c0)
db.close()
print(json.dumps(out, ensure_ascii=False, default=str))
"""


def table_sizes(db: Path) -> dict[str, float]:
    """MB per table (SQLite's dbstat), the screening index and the entities."""
    import sqlite3

    conn = sqlite3.connect(db)
    try:
        conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")  # dbstat counts the file's pages
        rows = conn.execute(
            "SELECT name, sum(pgsize) FROM dbstat WHERE name LIKE 'screening_%' "
            "OR name LIKE 'reference_entity%' OR name LIKE 'sqlite_autoindex_screening%' "
            "GROUP BY name"
        ).fetchall()
    except sqlite3.OperationalError:  # SQLite built without dbstat
        return {}
    finally:
        conn.close()
    return {name: size / 1e6 for name, size in rows}


def p95(values: list[float]) -> float:
    return statistics.quantiles(values, n=20)[-1]


def new_version(big: Path, dest: Path) -> tuple[Path, dict[str, int]]:
    """The next version of ``big``: every 100th entity removed, every 100th (offset 50)
    with one more name, and 0.5 % new ones."""
    sys.path.insert(0, str(ROOT / "benchmarks"))
    import random

    from ftm_import import entity

    counts = {"removed": 0, "changed": 0, "new": 0}
    with (
        gzip.open(big, "rt", encoding="utf-8") as src,
        gzip.open(dest, "wt", encoding="utf-8") as out,
    ):
        n = 0
        for n, line in enumerate(src):
            if n % 100 == 0:
                counts["removed"] += 1
                continue
            if n % 100 == 50:
                data = json.loads(line)
                names = data["properties"]["name"]
                names.append(names[-1] + " Holding")
                line = json.dumps(data, ensure_ascii=False) + "\n"
                counts["changed"] += 1
            out.write(line)
        rng = random.Random(7)
        for i in range(n + 1, n + 1 + (n + 1) // 200):
            out.write(json.dumps(entity(rng, i), ensure_ascii=False) + "\n")
            counts["new"] += 1
    return dest, counts


def measure(
    tree: Path,
    folder: Path,
    big: Path,
    evalf: Path,
    repeat: int,
    query_only: bool = False,
    v2: Path | None = None,
    import_only: bool = False,
) -> dict[str, Any]:
    folder.mkdir(parents=True, exist_ok=True)
    db = folder / "bench.sqlite3"
    res: dict[str, Any] = {}
    if query_only:  # the databases of an earlier run (--keep), in-process figures only
        return {**res, **_query(tree, db)}
    cli = ["-m", "chinadialog_desktop", "--db", str(db)]
    run(tree, [*cli, "demo", "load"])
    imp = run(tree, [*cli, "reflist", "import", str(big)])
    res["import"] = {k: imp[k] for k in ("seconds", "cpu_s", "peak_mb")}
    print(f"  {tree.name}: import {res['import']}", flush=True)
    res["db_mb_after_import"] = db.stat().st_size / 1e6
    res["table_mb"] = table_sizes(db)
    if v2 is not None:
        copy = folder / "v2.sqlite3"
        shutil.copyfile(db, copy)
        again = run(
            tree, ["-m", "chinadialog_desktop", "--db", str(copy), "reflist", "import", str(v2)]
        )
        res["reimport"] = {k: again[k] for k in ("seconds", "cpu_s", "peak_mb")}
        res["reimport"]["said"] = again["stdout"].splitlines()[1:2]
        print(f"  {tree.name}: re-import of the new version {res['reimport']}", flush=True)
        copy.unlink()
    if import_only:
        return res
    run(tree, [*cli, "reflist", "import", str(evalf), "--no-screen"])
    times, cpus, peaks = [], [], []
    for _ in range(repeat):
        r = run(tree, [*cli, "screen", "--actor", "1"])
        times.append(r["seconds"])
        cpus.append(r["cpu_s"])
        peaks.append(r["peak_mb"])
    res["screen_actor"] = {
        "median_s": statistics.median(times),
        "median_cpu_s": statistics.median(cpus),
        "peak_mb": max(peaks),
    }
    print(f"  {tree.name}: screen --actor 1 {res['screen_actor']}", flush=True)
    res.update(_query(tree, db))
    res["db_mb"] = db.stat().st_size / 1e6
    return res


def _query(tree: Path, db: Path) -> dict[str, Any]:
    res: dict[str, Any] = {}
    q = run(tree, ["-c", QUERY_SCRIPT, str(db), str(EVAL), str(SUBJECTS)])
    data = json.loads(q["stdout"])
    res["query"] = {
        "index_s": data["index_s"],
        "entities": data["entities"],
        "all_subjects_s": data["all_s"],
        "one_name_median_ms": statistics.median(data["one"]) * 1000,
        "one_name_p95_ms": p95(data["one"]) * 1000,
        "all_subjects_cpu_s": data["all_cpu_s"],
        "one_name_cpu_median_ms": statistics.median(data["one_cpu"]) * 1000,
        "one_name_cpu_p95_ms": p95(data["one_cpu"]) * 1000,
        "peak_mb": q["peak_mb"],
        "cpu_s": q["cpu_s"],
    }
    res["hits"] = data["hits"]
    print(f"  {tree.name}: in-process {res['query']}", flush=True)
    return res


def export_tree(commit: str, dest: Path) -> Path:
    dest.mkdir(parents=True, exist_ok=True)
    archive = subprocess.run(
        ["git", "-C", str(ROOT), "archive", commit], check=True, capture_output=True
    ).stdout
    tar = dest / "tree.tar"
    tar.write_bytes(archive)
    with tarfile.open(tar) as t:
        t.extractall(dest, filter="data")
    tar.unlink()
    return dest


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--entities", type=int, default=200_000)
    ap.add_argument("--baseline", default="c9bdd1d")
    ap.add_argument("--only", choices=["tree", "baseline"], help="measure one side only")
    ap.add_argument("--keep", type=Path)
    ap.add_argument("--repeat", type=int, default=5)
    ap.add_argument("--reimport", action="store_true", help="measure a new version's import")
    ap.add_argument("--import-only", action="store_true", help="the import phases only")
    ap.add_argument(
        "--query-only", action="store_true", help="in-process phase only, on the --keep databases"
    )
    ap.add_argument("--runs", type=int, default=1, help="imports per tree (--import-only)")
    ap.add_argument("--figures", type=Path, help="write the import figures here (JSON)")
    args = ap.parse_args()
    if args.runs > 1 or args.figures:
        if not args.import_only:
            ap.error("--runs and --figures go with --import-only")
        return import_runs(args)
    work = args.keep or Path(tempfile.mkdtemp(prefix="scrindex-"))
    work.mkdir(parents=True, exist_ok=True)
    sys.path.insert(0, str(ROOT / "benchmarks"))
    from ftm_import import generate

    big = work / f"list{args.entities}.ftm.json.gz"
    if not big.exists():
        generate(big, args.entities)
    evalf = eval_list_file(work)
    v2 = None
    if args.reimport:
        v2, changes = new_version(big, work / f"list{args.entities}-v2.ftm.json.gz")
        print(f"new version: {changes}", flush=True)
    trees = [] if args.only == "baseline" else [("this tree", ROOT)]
    if args.only != "tree":
        trees.append((f"baseline {args.baseline}", export_tree(args.baseline, work / "base")))
    results = {}
    for label, tree in trees:
        folder = work / ("run-" + ("base" if label.startswith("baseline") else "new"))
        if not args.query_only:
            shutil.rmtree(folder, ignore_errors=True)
        print(label, flush=True)
        results[label] = measure(
            tree, folder, big, evalf, args.repeat, args.query_only, v2, args.import_only
        )
    if len(results) == 2 and not args.import_only:
        a, b = (r["hits"] for r in results.values())
        same = a == b
        n_hits = sum(len(v) for v in a.values())
        print(f"hits identical on {len(a)} queries ({n_hits} hits >= 0.60): {same}")
        if not same:
            diff = [k for k in a if a[k] != b.get(k)]
            print("differing queries:", diff[:20])
    summary = {k: {kk: vv for kk, vv in v.items() if kk != "hits"} for k, v in results.items()}
    print(json.dumps(summary, indent=1))
    (work / "summary.json").write_text(json.dumps(summary, indent=1))
    if not args.import_only:
        with gzip.open(work / "hits.json.gz", "wt") as f:
            json.dump({k: v["hits"] for k, v in results.items()}, f)
    return 0


def import_runs(args: argparse.Namespace) -> int:
    """The first import of the list, ``args.runs`` times on each tree, taking turns."""
    started = time.monotonic()
    loads = [round(os.getloadavg()[0], 1)]
    work = args.keep or Path(tempfile.mkdtemp(prefix="scrindex-"))
    work.mkdir(parents=True, exist_ok=True)
    sys.path.insert(0, str(ROOT / "benchmarks"))
    from ftm_import import generate

    big = work / f"list{args.entities}.ftm.json.gz"
    if not big.exists():
        generate(big, args.entities)
    evalf = eval_list_file(work)
    trees = {"new": ROOT, "baseline": export_tree(args.baseline, work / "base")}
    runs: dict[str, list[dict[str, Any]]] = {"new": [], "baseline": []}
    for i in range(args.runs):
        order = ["new", "baseline"] if i % 2 == 0 else ["baseline", "new"]
        for side in order:
            folder = work / f"run-{side}"
            shutil.rmtree(folder, ignore_errors=True)
            print(f"run {i + 1}, {side}", flush=True)
            res = measure(trees[side], folder, big, evalf, 1, import_only=True)
            res["load"] = round(os.getloadavg()[0], 1)
            runs[side].append(res)
            loads.append(res["load"])
    med = {
        side: {
            k: statistics.median(r["import"][k] for r in rs)
            for k in ("seconds", "cpu_s", "peak_mb")
        }
        for side, rs in runs.items()
    }
    sizes = {side: rs[-1]["table_mb"] for side, rs in runs.items()}
    summary = {"runs": runs, "medians": med}
    print(json.dumps(summary, indent=1))
    (work / "summary.json").write_text(json.dumps(summary, indent=1))
    if args.figures:
        new_commit = commit_of(ROOT)

        n = f"{args.entities:,}"
        index_mb = {
            side: sum(
                v
                for k, v in sz.items()
                if k.startswith(("screening_", "sqlite_autoindex_screening"))
            )
            for side, sz in sizes.items()
        }
        figures = [
            figure(
                "import.cpu",
                f"`reflist import` {n} entities incl. index (demo data): CPU, median",
                "s",
                med["baseline"]["cpu_s"],
                med["new"]["cpu_s"],
                "≤ 25 s",
            ),  # fmt: skip
            figure(
                "import.peak",
                "… peak RSS, median",
                "MB",
                med["baseline"]["peak_mb"],
                med["new"]["peak_mb"],
                "≤ 400 MB",
            ),  # fmt: skip
            figure(
                "import.wall",
                "… wall (carries the wait for a CPU), median",
                "s",
                med["baseline"]["seconds"],
                med["new"]["seconds"],
            ),  # fmt: skip
            figure(
                "index.mb",
                f"index size (screening_* tables, dbstat), {n} entities",
                "MB",
                index_mb["baseline"],
                index_mb["new"],
            ),  # fmt: skip
        ]
        for i in range(args.runs):
            figures.append(
                figure(
                    f"import.cpu.run{i + 1}",
                    f"… CPU, run {i + 1}",
                    "s",
                    runs["baseline"][i]["import"]["cpu_s"],
                    runs["new"][i]["import"]["cpu_s"],
                )  # fmt: skip
            )
        data = {
            "title": f"Issue 13 point 5: first import of a {n}-entity list with its match index",
            "command": "PYTHONPATH=$PWD .venv/bin/python benchmarks/screening_index.py "
            f"--baseline {args.baseline} --import-only --runs {args.runs} "
            f"--figures {args.figures.as_posix()}",
            "date": time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime()),
            "commits": {"new": new_commit, "baseline": args.baseline},
            "load_average": loads,
            "cpus": os.cpu_count(),
            "seconds": time.monotonic() - started,
            "figures": figures,
            "notes": [
                f"Each import is one `chinadialog reflist import` process into a fresh copy of the "
                f"demo data (so it also screens 40 subjects); {args.runs} runs per tree, the trees "
                "taking turns. CPU = `ru_utime + ru_stime` of that process (`wait4`), memory its "
                "peak RSS. The machine is shared (2 CPUs, other jobs): wall times carry the wait "
                "for a CPU, CPU times much less — compare those."
            ],
        }
        args.figures.parent.mkdir(parents=True, exist_ok=True)
        args.figures.write_text(json.dumps(data, indent=1, ensure_ascii=False) + "\n")
        print(f"written: {args.figures}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
