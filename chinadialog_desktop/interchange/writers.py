"""Write tables as CSV (UTF-8 with BOM, ``;``), XLSX (typed cells) and JSON; cells guarded."""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Mapping, Sequence
from datetime import date, datetime
from typing import Any

from chinadialog_desktop.interchange.injection import neutralise

Rows = Sequence[Mapping[str, Any]]


def _text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, datetime | date):
        return value.isoformat()
    if isinstance(value, list | tuple):
        return "; ".join(str(v) for v in value)
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int | float):
        return str(value)  # numbers stay numbers: never prefixed
    return neutralise(str(value))


def csv_bytes(columns: Sequence[str], rows: Rows) -> bytes:
    """UTF-8 with BOM and semicolons, CRLF line ends: what German Excel opens directly."""
    buffer = io.StringIO(newline="")
    writer = csv.writer(buffer, delimiter=";", quoting=csv.QUOTE_MINIMAL, lineterminator="\r\n")
    writer.writerow(columns)
    for row in rows:
        writer.writerow([_text(row.get(c)) for c in columns])
    return b"\xef\xbb\xbf" + buffer.getvalue().encode("utf-8")


def xlsx_bytes(sheets: Mapping[str, tuple[Sequence[str], Rows]]) -> bytes:
    """One sheet per entry; dates as date cells, numbers as numbers, text guarded."""
    from openpyxl import Workbook  # type: ignore[import-untyped]
    from openpyxl.cell import WriteOnlyCell  # type: ignore[import-untyped]

    wb = Workbook(write_only=True)
    for title, (columns, rows) in sheets.items():
        ws = wb.create_sheet(title=title[:31])
        ws.append(list(columns))
        for row in rows:
            cells: list[Any] = []
            for c in columns:
                value = row.get(c)
                if isinstance(value, date) and not isinstance(value, datetime):
                    cell = WriteOnlyCell(ws, value=value)
                    cell.number_format = "DD.MM.YYYY"
                    cells.append(cell)
                elif isinstance(value, int | float) and not isinstance(value, bool):
                    cells.append(value)
                elif value is None:
                    cells.append(None)
                else:
                    cell = WriteOnlyCell(ws, value=_text(value))
                    cell.data_type = "s"  # never a formula, whatever the text
                    cells.append(cell)
            ws.append(cells)
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def _json_value(value: Any) -> Any:
    if isinstance(value, datetime | date):
        return value.isoformat()
    if isinstance(value, tuple):
        return list(value)
    return value


def json_bytes(document: Mapping[str, Any]) -> bytes:
    text = json.dumps(document, ensure_ascii=False, indent=2, default=_json_value, allow_nan=False)
    return (text + "\n").encode("utf-8")


def json_records(columns: Sequence[str], rows: Rows) -> list[dict[str, Any]]:
    return [{c: _json_value(row.get(c)) for c in columns} for row in rows]
