"""The import history the window lists comes through services (one row per run, newest first)."""

from __future__ import annotations

from chinadialog_desktop.services.datasets.importing import ImportOptions, import_dataset
from chinadialog_desktop.ui.datasets.actions import import_run_rows


def test_each_import_run_is_one_row_newest_first(db, tmp_path):
    for n, name in enumerate(("erste.csv", "zweite.csv")):
        path = tmp_path / name
        path.write_text(f"Name;Land\r\nBeispielstadt {n} (Beispiel);DE\r\n", encoding="utf-8")
        assert import_dataset(db, path, ImportOptions(kind="actors")).ok
    rows = import_run_rows(db)
    assert [r[0] for r in rows] == ["zweite.csv", "erste.csv"]
    file_name, sha256, summary, _user, when, status = rows[0]
    assert len(sha256) == 64 and "1" in summary and when.count(".") == 2 and status
