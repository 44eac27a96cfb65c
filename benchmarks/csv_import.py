"""Benchmark: import 100,000 CSV rows (actors; a partnership register); reject a hostile archive.

Run: ``.venv/bin/python benchmarks/csv_import.py``. Targets (issue 6): 100,000 CSV rows in
≤ 10 s; a hostile archive rejected in ≤ 2 s.
"""

from __future__ import annotations

import io
import json
import platform
import sys
import tempfile
import time
import tracemalloc
import zipfile
from pathlib import Path

from chinadialog_desktop.persistence.database import Database
from chinadialog_desktop.services.datasets_import import COMMITTED, REJECTED, import_dataset

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


def main() -> int:
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
