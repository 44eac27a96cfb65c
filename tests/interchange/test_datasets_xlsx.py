"""XLSX import: sheet choice, typed cells, limits."""

from __future__ import annotations

import io
from datetime import date, datetime

from openpyxl import Workbook
from sqlalchemy import select

from chinadialog_desktop.interchange.limits import Limits
from chinadialog_desktop.persistence.models import Partnership
from chinadialog_desktop.services.datasets.importing import (
    COMMITTED,
    REJECTED,
    ImportOptions,
    import_dataset,
)


def workbook(tmp_path, sheets):
    wb = Workbook()
    wb.remove(wb.active)
    for title, rows in sheets.items():
        ws = wb.create_sheet(title)
        for row in rows:
            ws.append(row)
    out = io.BytesIO()
    wb.save(out)
    path = tmp_path / "book.xlsx"
    path.write_bytes(out.getvalue())
    return path


def test_user_chooses_the_sheet(db, tmp_path):
    path = workbook(
        tmp_path,
        {
            "Hinweise": [["Diese Mappe enthält das Register."]],
            "Register": [
                ["Kommune", "Partnerstadt", "Unterzeichnet am", "Jahr"],
                ["Köln", "Peking", datetime(1987, 9, 14), 1987],
            ],
        },
    )
    first = import_dataset(db, path, dry_run=True)
    assert any(p.code == "xlsx.sheet_chosen" for p in first.problems)
    missing = import_dataset(db, path, ImportOptions(sheet="Tabelle9"))
    assert missing.status == REJECTED
    assert "Register" in missing.problems.format()
    result = import_dataset(db, path, ImportOptions(sheet="Register"))
    assert result.status == COMMITTED, result.problems.format()
    with db.session() as s:
        p = s.scalars(select(Partnership)).one()
        assert (p.title, p.start_date, p.start_precision) == (
            "Köln – Peking",
            date(1987, 9, 14),
            "day",
        )
        assert p.description is not None and "Jahr: 1987" in p.description


def test_row_limit_counts_real_rows(db, tmp_path):
    rows = [["name_de"]] + [[f"A{n}"] for n in range(30)]
    path = workbook(tmp_path, {"actors": rows})
    result = import_dataset(db, path, ImportOptions(limits=Limits(max_rows=20)))
    assert result.status == REJECTED
    assert any(p.code in ("xlsx.too_many_rows", "xlsx.too_large") for p in result.problems)


def test_bad_cell_is_reported_by_sheet_and_cell(db, tmp_path):
    path = workbook(
        tmp_path,
        {"Register": [["Kommune", "Partnerstadt", "Art"], ["Köln", "Peking", "Brieffreundschaft"]]},
    )
    result = import_dataset(db, path)
    [problem] = result.problems.errors()
    assert (problem.sheet, problem.cell) == ("Register", "C2")
