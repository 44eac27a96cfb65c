"""Benchmark: peak memory and time of a CSV import, this tree beside a baseline tree.

Run: ``.venv/bin/python benchmarks/import_memory.py --base /tmp/base 100000 1000000``
(``git worktree add /tmp/base <commit>`` makes the baseline tree). For each size
and each tree a fresh child process opens a new database, imports a small
partnership register (400 partnerships, the activities refer to them by
title), then imports N activities (Beispiel data, UTF-8, ``;``, a quoted line
break in every row) twice: a first import and the same file again. The child
reports its peak RSS (``ru_maxrss``) after each import, the wall and CPU time of
each import and what the import history holds. Targets (issue 11, point 17):
100,000 activities ≤ 10 s and ≤ 200 MB peak; 1,000,000 rows ≤ 400 MB peak,
time linear in rows. ``--kind actors`` imports N actors instead; ``--once`` leaves
out the second import.

``--rounds R`` runs each size R times, alternating the two trees (so a change in
the machine's load hits both alike), and prints the medians; ``--out FILE`` (with
``--base-commit`` when the baseline tree is no git checkout) writes those medians
in the form ``render_results.py`` renders into RESULTS.md, e.g.
``--rounds 3 --out benchmarks/figures/import-100k.json``.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import statistics
import subprocess
import sys
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

PARTNERSHIPS = 400


def register_csv(path: Path) -> None:
    with open(path, "w", encoding="utf-8", newline="") as f:
        f.write("Kommune;Partnerstadt;Art;Unterzeichnet am;Status\r\n")
        for n in range(PARTNERSHIPS):
            f.write(f"Kommune {n} (Beispiel);Stadt {n} (Beispiel);Städtepartnerschaft;")
            f.write(f"{1 + n % 28:02d}.{1 + n % 12:02d}.{1980 + n % 40};aktiv\r\n")


def activities_csv(path: Path, rows: int) -> None:
    kinds = ("Delegation", "Veranstaltung", "Projekt", "Austausch", "Sonstiges")
    with open(path, "w", encoding="utf-8", newline="") as f:
        f.write("\ufeffPartnerschaft;Datum;Art;Titel;Ort;Teilnehmende;Ergebnis;Beschreibung\r\n")
        for n in range(rows):
            p = n % PARTNERSHIPS
            day, month, year = 1 + n % 28, 1 + (n // 28) % 12, 1990 + (n // 336) % 35
            f.write(
                f"Kommune {p} (Beispiel) – Stadt {p} (Beispiel);{day:02d}.{month:02d}.{year};"
                f"{kinds[n % 5]};Besuch Nr. {n} (Beispiel);Rathaus {p};Delegation {n % 17};"
                f'Vereinbarung {n};"Zeile eins\nZeile zwei, 交流 Nr. {n}"\r\n'
            )


def actors_csv(path: Path, rows: int) -> None:
    with open(path, "w", encoding="utf-8", newline="") as f:
        f.write("\ufeffName;Chinesischer Name;Art;Land;Provinz;Webseite;Bemerkung\r\n")
        for n in range(rows):
            f.write(
                f"Akteur {n};名称{n};Unternehmen;China;Provinz {n % 31};https://example.cn/{n};"
                f'"Zeile eins\nZeile zwei, Nr. {n}"\r\n'
            )


_CHILD = r"""
import json, resource, sys, time
from pathlib import Path
from sqlalchemy import inspect, text
from chinadialog_desktop.persistence.database import Database
from chinadialog_desktop.services.datasets.importing import ImportOptions, import_dataset

def peak():
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # KiB on Linux

db = Database.open(Path(sys.argv[1]))
kind = sys.argv[4]
if kind == "activities":
    r = import_dataset(db, Path(sys.argv[3]))
    assert r.status == "committed", r.problems.format()[:500]
    del r
runs = [{"peak_before_mb": peak()}]
for _ in range(int(sys.argv[5])):  # first import, then the same file again
    start, cpu = time.perf_counter(), time.process_time()
    result = import_dataset(db, Path(sys.argv[2]), ImportOptions(kind=kind))
    runs.append({"status": result.status, "seconds": time.perf_counter() - start,
                 "cpu": time.process_time() - cpu, "peak_mb": peak(),
                 "totals": result.plan.totals() if result.plan else None,
                 "problems": result.problems.format()[:300]})
    del result  # as the command line does: one result at a time
with db.engine.connect() as c:
    history = c.execute(
        text("SELECT length(CAST(counts AS BLOB)) + coalesce(length(message), 0) FROM import_run")
    ).scalars().all()
    tables = inspect(c).get_table_names()
    fingerprints = (
        c.execute(text("SELECT count(*) FROM import_fingerprint")).scalar()
        if "import_fingerprint" in tables else None
    )
db.close()
print(json.dumps({"runs": runs, "history_bytes": history, "fingerprint_rows": fingerprints}))
"""


def measure(code: Path, kind: str, rows: int, folder: Path, times: int = 2) -> dict[str, object]:
    src = folder / f"{kind}-{rows}.csv"
    if not src.exists():
        (activities_csv if kind == "activities" else actors_csv)(src, rows)
    register = folder / "register.csv"
    if not register.exists():
        register_csv(register)
    db = folder / f"mem-{code.name}-{kind}-{rows}.sqlite3"
    for suffix in ("", "-wal", "-shm"):
        Path(f"{db}{suffix}").unlink(missing_ok=True)
    env = {**os.environ, "PYTHONPATH": str(code)}
    proc = subprocess.run(
        [sys.executable, "-c", _CHILD, str(db), str(src), str(register), kind, str(times)],
        env=env,
        capture_output=True,
        text=True,
        cwd=code,
    )
    if proc.returncode != 0:
        return {"error": proc.stderr[-800:]}
    out = dict(json.loads(proc.stdout.strip().splitlines()[-1]))
    out["file_mb"] = src.stat().st_size / 1e6
    return out


def _commit(tree: Path) -> str:
    out = subprocess.run(
        ["git", "-C", str(tree), "rev-parse", "--short", "HEAD"], capture_output=True, text=True
    )
    return out.stdout.strip() or "?"


def _summary(r: dict[str, Any]) -> dict[str, float]:
    before, first, *rest = r["runs"]
    again = rest[0] if rest else {"seconds": 0.0, "cpu": 0.0, "peak_mb": 0.0}
    return {
        "first_cpu": first["cpu"],
        "first_wall": first["seconds"],
        "first_peak": first["peak_mb"],
        "again_cpu": again["cpu"],
        "again_wall": again["seconds"],
        "again_peak": again["peak_mb"],
        "history_mb": sum(r["history_bytes"]) / 1e6,
    }


_FIGURES = (  # key, label, unit, target
    ("first_cpu", "first import, CPU", "s", "≤ 10 s"),
    ("first_peak", "first import, peak RSS", "MB", "≤ 200 MB"),
    ("again_cpu", "same file again, CPU", "s", ""),
    ("again_peak", "same file again, peak RSS", "MB", "≤ 200 MB"),
    ("first_wall", "first import, wall (shared machine)", "s", ""),
    ("history_mb", "import history stored (both runs)", "MB", "summary"),
)


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--base", type=Path, required=True, help="the baseline tree")
    parser.add_argument("--base-commit", help="the baseline's commit (default: git of --base)")
    parser.add_argument("--kind", default="activities", choices=("activities", "actors"))
    parser.add_argument("--only", choices=("base", "this"), help="measure one tree only")
    parser.add_argument("--once", action="store_true", help="the first import only")
    parser.add_argument("--rounds", type=int, default=1, help="alternating runs per tree")
    parser.add_argument("--out", type=Path, help="write the medians as a figures JSON file")
    parser.add_argument("sizes", nargs="*", type=int, default=[100_000])
    args = parser.parse_args()
    here = Path(__file__).resolve().parents[1]
    trees = [("baseline", args.base.resolve()), ("this tree", here)]
    if args.only:
        trees = [trees[0] if args.only == "base" else trees[1]]
    loads = [os.getloadavg()[0]]
    started = time.monotonic()
    print(f"Python {platform.python_version()}, {os.cpu_count()} CPUs, load {os.getloadavg()}")
    results: dict[tuple[int, str], list[dict[str, float]]] = {}
    with tempfile.TemporaryDirectory(prefix="import-memory-") as tmp:
        for rows in args.sizes:
            for round_ in range(args.rounds):
                # alternate which tree goes first, so neither always meets the same load
                order = trees if round_ % 2 == 0 else trees[::-1]
                for label, code in order:
                    r = measure(code, args.kind, rows, Path(tmp), 1 if args.once else 2)
                    if "error" in r:
                        print(f"{rows:,} {args.kind}, {label}: failed: {r['error']}")
                        continue
                    _print(rows, args.kind, label, r)
                    results.setdefault((rows, label), []).append(_summary(r))
                    loads.append(os.getloadavg()[0])
    if args.rounds > 1:
        for (rows, label), runs in results.items():
            med = {k: statistics.median(run[k] for run in runs) for k in runs[0]}
            print(
                f"median of {len(runs)}, {rows:,} {args.kind}, {label}: first "
                f"{med['first_cpu']:.1f} s CPU / {med['first_peak']:.0f} MB; again "
                f"{med['again_cpu']:.1f} s CPU / {med['again_peak']:.0f} MB"
            )
    if args.out is not None and len(trees) == 2:
        figures = []
        for rows in args.sizes:
            base_runs, new_runs = results.get((rows, "baseline")), results.get((rows, "this tree"))
            if not base_runs or not new_runs:
                continue
            for key, label, unit, target in _FIGURES:
                b = statistics.median(run[key] for run in base_runs)
                n = statistics.median(run[key] for run in new_runs)
                figures.append(
                    {
                        "key": f"{args.kind}.{rows}.{key}",
                        "label": f"{rows:,} {args.kind}: {label}",
                        "unit": unit,
                        "baseline": b,
                        "new": n,
                        "ratio": n / b if b else None,
                        "target": target,
                    }
                )
        rounds = args.rounds
        data = {
            "title": f"CSV import of {', '.join(f'{n:,}' for n in args.sizes)} {args.kind} "
            "(issue 11, point 17)",
            "command": "python benchmarks/import_memory.py --base <baseline tree> "
            f"--rounds {rounds} --out benchmarks/figures/{args.out.name} "
            + " ".join(str(n) for n in args.sizes),
            "date": datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC"),
            "commits": {
                "new": _commit(here),
                "baseline": args.base_commit or _commit(args.base.resolve()),
            },
            "load_average": [round(min(loads), 1), round(max(loads), 1)],
            "cpus": os.cpu_count(),
            "seconds": time.monotonic() - started,
            "figures": figures,
            "notes": [
                f"Medians of {rounds} fresh child processes per tree, the trees alternating "
                "(a first import of the file into a database holding a 400-partnership "
                "register, then the same file again in the same process). Peak = the child's "
                "`ru_maxrss`. On the shared 2-CPU machine wall times carry the wait for a "
                "CPU; compare the CPU times, and only within one run."
            ],
        }
        args.out.write_text(json.dumps(data, indent=2, ensure_ascii=False) + "\n")
        print(f"written: {args.out}")
    return 0


def _print(rows: int, kind: str, label: str, r: dict[str, Any]) -> None:
    before, first, *rest = r["runs"]
    again = rest[0] if rest else {"status": "-", "seconds": 0.0, "cpu": 0.0, "peak_mb": 0}
    print(
        f"{rows:,} {kind} ({r['file_mb']:.0f} MB), {label}: "
        f"peak before {before['peak_before_mb']:.0f} MB; "
        f"first import {first['status']} {first['seconds']:.1f} s wall / "
        f"{first['cpu']:.1f} s CPU, peak {first['peak_mb']:.0f} MB; "
        f"again {again['status']} {again['seconds']:.1f} s wall / "
        f"{again['cpu']:.1f} s CPU, peak {again['peak_mb']:.0f} MB; "
        f"history {', '.join(f'{b / 1e6:.2f} MB' for b in r['history_bytes'])}; "
        f"fingerprint rows {r['fingerprint_rows']}",
        flush=True,
    )
    if first["status"] != "committed":
        print("   ", first["problems"])


if __name__ == "__main__":
    sys.exit(main())
