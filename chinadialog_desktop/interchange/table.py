"""A read table: header names and rows of cells, each row with its place in the file."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any


@dataclass(frozen=True, slots=True)
class Row:
    """One data row: ``line`` is the CSV line it starts on, or the worksheet row number."""

    line: int
    cells: tuple[Any, ...]


@dataclass
class Table:
    """What a tabular reader hands to the import: headers, rows and where they came from."""

    file: str
    headers: list[str]
    rows: list[Row] = field(default_factory=list)
    format: str = "csv"
    encoding: str | None = None
    delimiter: str | None = None
    sheet: str | None = None
    member: str | None = None  # archive member, when read from a package
    header_line: int = 1  # the line (worksheet row) that holds the column names

    def where(self, line: int, column: int | None = None) -> dict[str, Any]:
        """Location keywords for a Problem: line/column for CSV, sheet/cell for workbooks."""
        place: dict[str, Any] = {"file": self.file, "member": self.member}
        if self.sheet is not None:
            place["sheet"] = self.sheet
            if column is not None:
                # openpyxl (and Pillow with it) only when a workbook is read, not at start-up.
                from openpyxl.utils.cell import get_column_letter  # type: ignore[import-untyped]

                place["cell"] = f"{get_column_letter(column)}{line}"
            else:
                place["line"] = line
        else:
            place["line"] = line
            if column is not None:
                place["column"] = column
        return place
