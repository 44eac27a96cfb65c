"""Comparing a file with the database holds nothing per record in Python's memory.

Issue 11, point 17: a re-import of a million activities must stay under 400 MB. What
the planning needs per row (which UUIDs the file named, the local records' row ids and
natural keys, the rows' matching keys) waits in SQLite (temporary tables of the
import's connection, the record tables themselves), not in dictionaries. These tests
plan the same kind of file at two sizes against databases of two sizes and compare
what Python allocated at the peak (``tracemalloc``, which does not see SQLite's own
pages): the difference must not grow with the rows. (Before, it grew by some 300
bytes a row: a UUID, a row id, a key digest and the row's place for every record.)
"""

from __future__ import annotations

import tracemalloc
from pathlib import Path

from chinadialog_desktop.persistence.database import Database
from chinadialog_desktop.services.datasets.importing import (
    COMMITTED,
    DRY_RUN,
    ImportOptions,
    import_dataset,
)
from chinadialog_desktop.services.datasets.state import LocalStates

# Both sizes above what the planning keeps of local states (``LocalStates``: a few blocks).
SMALL, LARGE = 5 * LocalStates.BLOCK, 13 * LocalStates.BLOCK
PER_ROW_LIMIT = 80  # bytes a row; a dictionary entry with its UUID alone takes more


def _partnerships(path: Path) -> Path:
    path.write_text(
        "Kommune;Partnerstadt;Art;Status\r\n"
        "Kommune A (Beispiel);Stadt A (Beispiel);Städtepartnerschaft;aktiv\r\n",
        encoding="utf-8",
    )
    return path


def _activities(path: Path, rows: int, *, uuids: list[str] | None = None) -> Path:
    head = "Partnerschaft;Datum;Titel;Ort"
    lines = [head if uuids is None else f"UUID;{head}"]
    for n in range(rows):
        line = (
            f"Kommune A (Beispiel) – Stadt A (Beispiel);{1 + n % 28:02d}.{1 + n % 12:02d}."
            f"{1990 + n // 336};Besuch Nr. {n} (Beispiel);Rathaus {n % 7}"
        )
        lines.append(line if uuids is None else f"{uuids[n]};{line}")
    path.write_text("\r\n".join(lines) + "\r\n", encoding="utf-8")
    return path


def _planning_peak(db: Database, path: Path, rows: int) -> int:
    """Bytes Python allocated at the peak of a dry run of ``path``, beyond what it held before."""
    tracemalloc.start()
    try:
        before = tracemalloc.get_traced_memory()[0]
        tracemalloc.reset_peak()
        result = import_dataset(db, path, ImportOptions(kind="activities"), dry_run=True)
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert result.status == DRY_RUN, result.problems.format()
    assert result.plan is not None
    assert result.plan.totals() == {"new": 0, "updated": 0, "unchanged": rows, "conflict": 0}
    return peak - before


def _imported(db: Database, path: Path) -> None:
    result = import_dataset(db, path, ImportOptions(kind="activities"))
    assert result.status == COMMITTED, result.problems.format()


def test_planning_a_re_import_holds_nothing_per_row(db: Database, tmp_path: Path) -> None:
    assert import_dataset(db, _partnerships(tmp_path / "p.csv")).status == COMMITTED
    small = _activities(tmp_path / "klein.csv", SMALL)
    large = _activities(tmp_path / "gross.csv", LARGE)
    _imported(db, small)
    at_small = _planning_peak(db, small, SMALL)  # SMALL rows, all found among SMALL local records
    _imported(db, large)
    at_large = _planning_peak(db, large, LARGE)  # LARGE rows among LARGE local records
    grown = (at_large - at_small) / (LARGE - SMALL)
    assert grown < PER_ROW_LIMIT, f"{grown:.0f} bytes a row ({at_small:,} → {at_large:,})"


def test_planning_a_file_with_uuids_holds_nothing_per_row(db: Database, tmp_path: Path) -> None:
    # Rows naming their UUIDs are remembered by UUID (a second row with the same UUID is a
    # duplicate): that memory, too, is SQLite's.
    assert import_dataset(db, _partnerships(tmp_path / "p.csv")).status == COMMITTED
    uuids = [f"00000000-0000-4000-8000-{n:012d}" for n in range(LARGE)]
    small = _activities(tmp_path / "klein.csv", SMALL, uuids=uuids)
    large = _activities(tmp_path / "gross.csv", LARGE, uuids=uuids)
    _imported(db, small)
    at_small = _planning_peak(db, small, SMALL)
    _imported(db, large)
    at_large = _planning_peak(db, large, LARGE)
    grown = (at_large - at_small) / (LARGE - SMALL)
    assert grown < PER_ROW_LIMIT, f"{grown:.0f} bytes a row ({at_small:,} → {at_large:,})"
