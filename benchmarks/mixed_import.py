"""Benchmark: a list of persons and organisations (column "Art") against the same records
as two plain files (issue 13, point 3).

Run: ``.venv/bin/python benchmarks/mixed_import.py [ROWS] [--base BASELINE_TREE]``.
Generates ROWS rows (default 20,000; half organisations, half persons, each person
belonging to one of them; invented names) and imports them into fresh databases, each
measurement in its own process (peak RSS per process):

- ``mixed``: the one list, first import and the same file again (all unchanged);
- ``split``: the same records as an actors CSV, then a contacts CSV (first import of
  each, then both again) — the baseline in the same run; with ``--base`` also with
  the code in BASELINE_TREE (e.g. ``git archive <commit> | tar -x -C /tmp/base``),
  which shows what the planner's changes cost a plain import.
"""

from __future__ import annotations

import json
import os
import platform
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parents[1]


def write_files(folder: Path, rows: int) -> dict[str, Path]:
    half = rows // 2
    mixed = ["Art;Name;Chinesischer Name;Land;Akteursart;Organisation;Funktion;E-Mail"]
    actors = ["Name;Chinesischer Name;Land;Art"]
    contacts = ["Name;Chinesischer Name;Organisation;Funktion;E-Mail"]
    for n in range(half):
        mixed.append(f"Organisation;Organisation {n} (Beispiel);机构{n};CN;Unternehmen;;;")
        actors.append(f"Organisation {n} (Beispiel);机构{n};CN;Unternehmen")
    for n in range(rows - half):
        org = f"Organisation {n % half} (Beispiel)"
        mixed.append(f"Person;Person {n} (Beispiel);人{n};;;{org};Referentin;p{n}@example.cn")
        contacts.append(f"Person {n} (Beispiel);人{n};{org};Referentin;p{n}@example.cn")
    out = {}
    for name, lines in (("mixed", mixed), ("actors", actors), ("contacts", contacts)):
        out[name] = folder / f"{name}.csv"
        out[name].write_text("\r\n".join(lines) + "\r\n", encoding="utf-8")
    return out


def _one(mode: str, folder: Path) -> dict[str, float]:
    """In this process: import the files of ``mode`` twice; times and the peak RSS."""
    from chinadialog_desktop.persistence.database import Database
    from chinadialog_desktop.services.datasets.importing import (
        COMMITTED,
        ImportOptions,
        import_dataset,
    )

    db = Database.open(folder / f"{mode}.sqlite3")
    files = (
        [(folder / "mixed.csv", None)]
        if mode == "mixed"
        else [(folder / "actors.csv", "actors"), (folder / "contacts.csv", "contacts")]
    )
    result: dict[str, float] = {}
    for run in ("first", "again"):
        wall, cpu = time.perf_counter(), time.process_time()
        for path, kind in files:
            r = import_dataset(db, path, ImportOptions(kind=kind))
            assert r.status == COMMITTED, [str(p) for p in r.problems][:3]
            if run == "again":
                assert r.counts()["total"]["new"] == r.counts()["total"]["updated"] == 0
        result[f"{run}_wall"] = time.perf_counter() - wall
        result[f"{run}_cpu"] = time.process_time() - cpu
    db.close()
    result["peak_rss_mb"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    return result


def _spawn(tree: Path, mode: str, folder: Path) -> dict[str, float]:
    work = folder / f"{mode}-{abs(hash(str(tree)))}"
    work.mkdir()
    for name in ("mixed", "actors", "contacts"):
        (work / f"{name}.csv").write_bytes((folder / f"{name}.csv").read_bytes())
    env = {**os.environ, "PYTHONPATH": str(tree)}
    out = subprocess.run(
        [sys.executable, __file__, "--one", mode, str(work)],
        env=env,
        cwd=tree,
        capture_output=True,
        text=True,
        check=True,
    )
    return dict(json.loads(out.stdout.strip().splitlines()[-1]))


def main(argv: list[str]) -> int:
    if argv[:1] == ["--one"]:
        print(json.dumps(_one(argv[1], Path(argv[2]))))
        return 0
    base = None
    if "--base" in argv:
        at = argv.index("--base")
        base = Path(argv[at + 1]).resolve()
        argv = argv[:at] + argv[at + 2 :]
    rows = int(argv[0]) if argv else 20_000
    print(f"{rows:,} rows, Python {platform.python_version()}, load {os.getloadavg()[0]:.1f}")
    with tempfile.TemporaryDirectory(prefix="mixed-bench-") as tmp:
        folder = Path(tmp)
        write_files(folder, rows)
        runs = [("this tree", "mixed", HERE), ("this tree", "split", HERE)]
        if base is not None:
            runs.append((f"baseline {base.name}", "split", base))
        print("| code | files | first import wall / CPU | again wall / CPU | peak RSS |")
        print("| --- | --- | --- | --- | --- |")
        for label, mode, tree in runs:
            r = _spawn(tree, mode, folder)
            files = "one mixed list" if mode == "mixed" else "actors.csv + contacts.csv"
            print(
                f"| {label} | {files} | {r['first_wall']:.1f} s / {r['first_cpu']:.1f} s "
                f"| {r['again_wall']:.1f} s / {r['again_cpu']:.1f} s | {r['peak_rss_mb']:.0f} MB |"
            )
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
