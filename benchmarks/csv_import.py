"""Benchmark: import 100,000 CSV rows (actors; a partnership register); reject a hostile archive.

Run: ``.venv/bin/python benchmarks/csv_import.py``. Targets (issue 6): 100,000 CSV rows in
≤ 10 s; a hostile archive rejected in ≤ 2 s.

Memory (issue 11): ``benchmarks/csv_import.py --memory BASELINE_TREE 100000 …`` imports
the same generated file twice in a fresh process, once with the code in BASELINE_TREE
(e.g. ``git archive <commit> | tar -x -C /tmp/base``) and once with this tree, and
prints the peak RSS and the bytes each run left in the import history.
"""

from __future__ import annotations

import io
import json
import os
import platform
import subprocess
import sys
import tempfile
import time
import tracemalloc
import zipfile
from pathlib import Path

from chinadialog_desktop.persistence.database import Database
from chinadialog_desktop.services.datasets.importing import COMMITTED, REJECTED, import_dataset

ROWS = 100_000


def actors_csv(path: Path) -> None:
    lines = ["Name;Chinesischer Name;Art;Land;Provinz;Webseite;Bemerkung"]
    for n in range(ROWS):
        lines.append(
            f"Akteur {n};名称{n};Unternehmen;China;Provinz {n % 31};https://example.cn/{n};"
            f'"Zeile eins\nZeile zwei, Nr. {n}"'
        )
    path.write_bytes(("\ufeff" + "\r\n".join(lines) + "\r\n").encode("utf-8"))


def register_csv(path: Path) -> None:
    lines = ["Kommune;Partnerstadt;Art;Unterzeichnet am;Status;Bemerkung"]
    for n in range(ROWS):
        day, month, year = 1 + n % 28, 1 + n % 12, 1980 + n % 45
        lines.append(
            f"Kommune {n % 400};Stadt {n // 400};Städtepartnerschaft;"
            f"{day:02d}.{month:02d}.{year};aktiv;Nr. {n}"
        )
    path.write_bytes(("\r\n".join(lines) + "\r\n").encode("cp1252"))


def hostile_archive(path: Path, lie: bool = True) -> None:
    out = io.BytesIO()
    files = [
        {"path": "actors.csv", "format": "csv", "kind": "actors", "records": 1, "sha256": "0" * 64}
    ]
    manifest = {
        "schema_version": "1.0",
        "package_id": "x",
        "title": "x",
        "publisher": "x",
        "created": "2026-01-01T00:00:00Z",
        "licence": "x",
        "files": files,
    }
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr("manifest.json", json.dumps(manifest))
        z.writestr("actors.csv", b"name_de\r\n" + b"a\r\n" * (60 * 1024 * 1024))
    data = bytearray(out.getvalue())
    if not lie:
        path.write_bytes(bytes(data))
        return
    # Make the central directory lie: claim the 180 MB member is 1 KiB.
    cd = data.rfind(b"PK\x01\x02")
    while cd >= 0:
        n = int.from_bytes(data[cd + 28 : cd + 30], "little")
        if data[cd + 46 : cd + 46 + n] == b"actors.csv":
            data[cd + 24 : cd + 28] = (1024).to_bytes(4, "little")
        cd = data.rfind(b"PK\x01\x02", 0, cd)
    path.write_bytes(bytes(data))


def timed(db: Database, path: Path, expect: str, trace: bool = False) -> tuple[str, float, object]:
    """Wall and CPU seconds (the CPU figure is what counts on a shared, loaded machine)."""
    if trace:
        tracemalloc.start()
    start, cpu = time.perf_counter(), time.process_time()
    result = import_dataset(db, path)
    elapsed, cpu = time.perf_counter() - start, time.process_time() - cpu
    peak = tracemalloc.get_traced_memory()[1] / 1e6 if trace else 0.0
    if trace:
        tracemalloc.stop()
    assert result.status == expect, (result.status, result.problems.format()[:2000])
    return f"{elapsed:.2f} s wall / {cpu:.2f} s CPU", peak, result


_CHILD = r"""
import json, resource, sys, time
from pathlib import Path
from sqlalchemy import text
from chinadialog_desktop.persistence.database import Database
from chinadialog_desktop.services.datasets.importing import import_dataset

db = Database.open(Path(sys.argv[1]))
runs = []
for _ in range(2):  # first import, then the same file again
    start, cpu = time.perf_counter(), time.process_time()
    result = import_dataset(db, Path(sys.argv[2]))
    runs.append({"status": result.status, "seconds": time.perf_counter() - start,
                 "cpu": time.process_time() - cpu})
    del result  # as the command line does: one result at a time
with db.engine.connect() as c:
    stored = c.execute(
        text("SELECT length(CAST(counts AS BLOB)) + coalesce(length(message), 0) FROM import_run")
    ).scalars().all()
db.close()
peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # KiB on Linux
print(json.dumps({"runs": runs, "peak_mb": peak, "history_bytes": stored}))
"""


def memory(code: Path, rows: int, folder: Path) -> dict[str, object]:
    """Peak RSS of a fresh process importing ``rows`` actors twice with the code at ``code``."""
    global ROWS
    src = folder / f"actors-{rows}.csv"
    if not src.exists():
        saved, ROWS = ROWS, rows
        try:
            actors_csv(src)
        finally:
            ROWS = saved
    db = folder / f"mem-{code.name}-{rows}.sqlite3"
    for suffix in ("", "-wal", "-shm"):
        Path(f"{db}{suffix}").unlink(missing_ok=True)
    env = {**os.environ, "PYTHONPATH": str(code)}
    out = subprocess.run(
        [sys.executable, "-c", _CHILD, str(db), str(src)],
        env=env,
        capture_output=True,
        text=True,
        check=True,
        cwd=code,
    ).stdout
    return dict(json.loads(out.strip().splitlines()[-1]))


def main_memory(baseline: Path, sizes: list[int]) -> int:
    """``--memory BASELINE_TREE N …``: peak memory and history size, baseline beside this tree."""
    here = Path(__file__).resolve().parents[1]
    with tempfile.TemporaryDirectory() as tmp:
        for rows in sizes:
            for label, code in (("baseline", baseline.resolve()), ("this tree", here)):
                r = memory(code, rows, Path(tmp))
                runs = r["runs"]  # type: ignore[index]
                print(
                    f"{rows:,} actors, {label}: peak {r['peak_mb']:.0f} MB; "
                    f"first {runs[0]['seconds']:.1f} s wall / {runs[0]['cpu']:.1f} s CPU "  # type: ignore[index]
                    f"({runs[0]['status']}), again {runs[1]['seconds']:.1f} s wall / "  # type: ignore[index]
                    f"{runs[1]['cpu']:.1f} s CPU; history "  # type: ignore[index]
                    f"{', '.join(f'{b / 1e6:.1f} MB' for b in r['history_bytes'])}"  # type: ignore[attr-defined]
                )
    return 0


def main() -> int:
    if len(sys.argv) > 2 and sys.argv[1] == "--memory":
        return main_memory(Path(sys.argv[2]), [int(n) for n in sys.argv[3:]] or [100_000])
    print(f"Python {platform.python_version()} on {platform.machine()}, {platform.system()}")
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        report = []
        for name, make in (("actors", actors_csv), ("register", register_csv)):
            src = folder / f"{name}.csv"
            make(src)
            db = Database.open(folder / f"{name}.sqlite3")
            try:
                elapsed, _peak, result = timed(db, src, COMMITTED)
                again, _peak2, result2 = timed(db, src, COMMITTED)
            finally:
                db.close()
            totals = result.plan.totals()  # type: ignore[attr-defined]
            report.append(
                f"{ROWS:,} {name} rows ({src.stat().st_size / 1e6:.1f} MB): first import "
                f"{elapsed} ({totals['new']:,} new records); "
                f"re-import of the same file {again} "
                f"({result2.plan.totals()['unchanged']:,} unchanged)"  # type: ignore[attr-defined]
            )
        for lie in (False, True):
            bomb = folder / f"hostile-{lie}.zip"
            hostile_archive(bomb, lie)
            db = Database.open(folder / f"hostile-{lie}.sqlite3")
            try:
                elapsed, peak, result = timed(db, bomb, REJECTED, trace=True)
            finally:
                db.close()
            codes = sorted({p.code for p in result.problems})  # type: ignore[attr-defined]
            header = "a header claiming 1 KiB" if lie else "an honest header"
            report.append(
                f"hostile archive ({bomb.stat().st_size / 1e3:.0f} kB, member inflating to "
                f"180 MB behind {header}): rejected in {elapsed}, traced peak {peak:.0f} MB, "
                f"problems {', '.join(codes)}"
            )
    for line in report:
        print(line)
    return 0


if __name__ == "__main__":
    sys.exit(main())
