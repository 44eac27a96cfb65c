"""Read one worksheet of an XLSX workbook: streamed, bounded, formulas never evaluated."""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import datetime, time
from io import BytesIO
from typing import Any

from openpyxl.utils.cell import (  # type: ignore[import-untyped]
    column_index_from_string,
    get_column_letter,
)

from chinadialog_desktop.i18n import _
from chinadialog_desktop.interchange.limits import DEFAULT_LIMITS, Limits
from chinadialog_desktop.interchange.problems import ProblemList
from chinadialog_desktop.interchange.table import Row, Table
from chinadialog_desktop.interchange.zipguard import open_zip, read_member

_DTD = re.compile(rb"<!DOCTYPE|<!ENTITY", re.IGNORECASE)
_MAX_SCAN = 64 * 1024 * 1024  # XML part size we scan for DTDs before openpyxl sees it


def _prescan(
    data: bytes, file: str, member: str | None, limits: Limits, problems: ProblemList
) -> bool:
    """Inflate every part once with a real byte budget; refuse DTDs; note macros."""
    safe = open_zip(data, file, limits, problems)
    if safe is None or problems.has_errors:
        return False
    for name, info in safe.members.items():
        if name.lower().endswith(".bin") and "vba" in name.lower():
            problems.warning(
                _("The workbook contains macros; they are ignored and never run."),
                file=file,
                member=member,
                code="xlsx.macros",
            )
            continue
        if not name.lower().endswith((".xml", ".rels", ".vml")):
            continue
        body = read_member(safe, name, limits, problems, cap=max(_MAX_SCAN, info.file_size))
        if body is None:
            return False
        if _DTD.search(body[:_MAX_SCAN]):
            problems.error(
                _("The workbook part {part} declares a DTD or XML entities; refused.").format(
                    part=name
                ),
                file=file,
                member=member or name,
                code="xlsx.dtd",
            )
            return False
    return True


def sheet_names(data: bytes) -> list[str]:
    from openpyxl import load_workbook  # type: ignore[import-untyped]

    wb = load_workbook(BytesIO(data), read_only=True, data_only=False, keep_links=False)
    try:
        return list(wb.sheetnames)
    finally:
        wb.close()


def read_xlsx(
    data: bytes,
    file: str,
    problems: ProblemList,
    *,
    sheet: str | None = None,
    member: str | None = None,
    limits: Limits = DEFAULT_LIMITS,
    whole_workbook: Callable[[list[str]], bool] | None = None,
) -> list[Table] | None:
    """The chosen sheet (or the only/first one) as a table of typed cells.

    With no sheet chosen and ``whole_workbook(names)`` true (our own export,
    one sheet per record kind), every sheet is read.
    """
    from openpyxl import load_workbook

    if not _prescan(data, file, member, limits, problems):
        return None
    try:
        wb = load_workbook(BytesIO(data), read_only=True, data_only=False, keep_links=False)
    except Exception:  # openpyxl raises many kinds; all mean "not a readable workbook"
        problems.error(
            _("The workbook is damaged or not an Excel workbook and cannot be read."),
            file=file,
            member=member,
            code="xlsx.bad",
        )
        return None
    try:
        names = list(wb.sheetnames)
        if sheet is None and whole_workbook is not None and whole_workbook(names):
            chosen = names
        elif sheet is None:
            chosen = names[:1]
            if len(names) > 1:
                problems.warning(
                    _(
                        "The workbook has several sheets ({names}); sheet '{sheet}' was read. "
                        "Choose another with --sheet."
                    ).format(names=", ".join(names), sheet=names[0]),
                    file=file,
                    member=member,
                    code="xlsx.sheet_chosen",
                )
        elif sheet in names:
            chosen = [sheet]
        else:
            problems.error(
                _("The workbook has no sheet '{sheet}'; it has: {names}.").format(
                    sheet=sheet, names=", ".join(names)
                ),
                file=file,
                member=member,
                code="xlsx.no_sheet",
            )
            return None
        tables = []
        for name in chosen:
            try:
                table = _sheet(wb[name], file, name, member, limits, problems)
            except Exception:  # a damaged part surfaces only while streaming rows
                problems.error(
                    _("The sheet is damaged and cannot be read."),
                    file=file,
                    member=member,
                    sheet=name,
                    code="xlsx.bad",
                )
                return None
            if table is None:
                return None
            tables.append(table)
        return tables
    finally:
        wb.close()


def _sheet(
    ws: Any, file: str, name: str, member: str | None, limits: Limits, problems: ProblemList
) -> Table | None:
    declared_rows, declared_cols = ws.max_row or 0, ws.max_column or 0
    if declared_rows > limits.max_rows + 1 or declared_cols > limits.max_columns:
        problems.error(
            _(
                "The sheet declares {rows} rows and {cols} columns; at most {max_rows} "
                "rows and {max_cols} columns are allowed."
            ).format(
                rows=declared_rows,
                cols=declared_cols,
                max_rows=limits.max_rows,
                max_cols=limits.max_columns,
            ),
            file=file,
            member=member,
            sheet=name,
            code="xlsx.too_large",
        )
        return None
    table = _rows(ws, file, name, member, limits, problems)
    if table is not None:
        _merged_cells(ws, table, problems)
    return table


_MERGE = re.compile(rb'<(?:\w+:)?mergeCell\b[^>]*?\bref="([A-Z]{1,3})(\d+):([A-Z]{1,3})(\d+)"')


def _merges(ws: Any) -> list[tuple[int, int, int, int]]:
    """The sheet's merged ranges as (first column, first row, last column, last row).

    Read-only worksheets do not expose them; they are read from the sheet's
    XML part (already checked for DTDs and inflated within the limits).
    """
    path = getattr(ws, "_worksheet_path", None)
    archive = getattr(getattr(ws, "parent", None), "_archive", None)
    if path is None or archive is None:
        return []
    with archive.open(path) as part:
        body = part.read()
    if b"mergeCell" not in body:
        return []
    return [
        (
            column_index_from_string(m.group(1).decode()),
            int(m.group(2)),
            column_index_from_string(m.group(3).decode()),
            int(m.group(4)),
        )
        for m in _MERGE.finditer(body)
    ]


def _merged_cells(ws: Any, table: Table, problems: ProblemList) -> None:
    """Fill vertically merged cells into every row they span, and say so.

    Excel keeps a merged cell's value in its top-left cell only; a register
    that merges "Duisburg" over three rows means Duisburg for all three. A
    range merged across columns is only noted: its value stays in its first
    column.
    """
    merges = _merges(ws)
    if not merges:
        return
    header_line = table.header_line
    index = {row.line: i for i, row in enumerate(table.rows)}
    for first_col, first_row, last_col, last_row in merges:
        if last_row <= header_line or first_row <= header_line < last_row:
            continue  # merged headers (or a header merged into the data): nothing to fill
        cells = f"{get_column_letter(first_col)}{first_row}:{get_column_letter(last_col)}{last_row}"
        if first_row < last_row and first_row in index:
            value = (
                table.rows[index[first_row]].cells[first_col - 1]
                if first_col <= len(table.headers)
                else None
            )
            for line in range(first_row + 1, last_row + 1):
                at = index.get(line)
                if at is None or first_col > len(table.headers):
                    continue
                cells_of = list(table.rows[at].cells)
                cells_of[first_col - 1] = value
                table.rows[at] = Row(line, tuple(cells_of))
            problems.warning(
                _(
                    "The cells {cells} are merged; their value was used for rows {first} to "
                    "{last}. Check that this is meant."
                ).format(cells=cells, first=first_row, last=last_row),
                code="xlsx.merged",
                file=table.file,
                member=table.member,
                sheet=table.sheet,
                cell=cells,
            )
        elif first_col < last_col and first_row in index:
            problems.warning(
                _(
                    "The cells {cells} are merged across columns; the value is read only for "
                    "column {column}, the other columns stay empty."
                ).format(cells=cells, column=get_column_letter(first_col)),
                code="xlsx.merged",
                file=table.file,
                member=table.member,
                sheet=table.sheet,
                cell=cells,
            )


def _cell_value(
    cell: Any, table: Table, line: int, column: int, problems: ProblemList, limits: Limits
) -> Any:
    value = cell.value
    if getattr(cell, "data_type", None) == "f":
        problems.warning(
            _(
                "The cell holds a formula; it is not calculated and is kept as text: {formula}"
            ).format(formula=str(value)[:200]),
            code="xlsx.formula",
            **table.where(line, column),
        )
        return str(value)
    if isinstance(value, datetime) and value.time() == time(0, 0):
        return value.date()
    if isinstance(value, str) and len(value) > limits.max_field_chars:
        raise OverflowError
    return value


def _rows(
    ws: Any, file: str, sheet: str, member: str | None, limits: Limits, problems: ProblemList
) -> Table | None:
    table = Table(file=file, headers=[], format="xlsx", sheet=sheet, member=member)
    header_seen = False
    count = 0
    for row in ws.iter_rows():
        line = next((c.row for c in row if hasattr(c, "row") and c.row), None)
        if line is None:
            continue
        if len(row) > limits.max_columns:
            problems.error(
                _("The row has more than {limit} columns.").format(limit=limits.max_columns),
                code="xlsx.too_large",
                **table.where(line),
            )
            return None
        values: list[Any] = []
        for column, cell in enumerate(row, start=1):
            try:
                values.append(_cell_value(cell, table, line, column, problems, limits))
            except OverflowError:
                problems.error(
                    _("The cell is longer than {limit} characters.").format(
                        limit=limits.max_field_chars
                    ),
                    code="xlsx.field_too_long",
                    **table.where(line, column),
                )
                values.append(None)
        if not any(v is not None and str(v).strip() for v in values):
            continue
        if not header_seen:
            header_seen = True
            table.header_line = line
            table.headers = ["" if v is None else str(v).strip() for v in values]
            while table.headers and not table.headers[-1]:
                table.headers.pop()
            continue
        count += 1
        if count > limits.max_rows:
            problems.error(
                _("The sheet has more than {limit} rows.").format(limit=limits.max_rows),
                code="xlsx.too_many_rows",
                **table.where(line),
            )
            return None
        width = len(table.headers)
        if len(values) > width and any(v is not None and str(v).strip() for v in values[width:]):
            problems.error(
                _("The row has values right of the last titled column."),
                code="xlsx.field_count",
                **table.where(line, width + 1),
            )
            continue
        values = (values + [None] * width)[:width]
        table.rows.append(Row(line, tuple(values)))
    if not header_seen:
        problems.error(
            _("The sheet is empty."), file=file, member=member, sheet=sheet, code="file.empty"
        )
        return None
    return table
