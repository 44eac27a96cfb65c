"""Parts of the import wizard: reading a file for its preview, the worker thread, the lists."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from PySide6.QtCore import (
    QModelIndex,
    QPersistentModelIndex,
    QRect,
    QSize,
    Qt,
)
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHeaderView,
    QStyledItemDelegate,
    QStyleOptionViewItem,
    QTableWidget,
    QTableWidgetItem,
    QTreeWidget,
    QTreeWidgetItem,
    QWidget,
)

from chinadialog_desktop.i18n import _, format_date, format_number
from chinadialog_desktop.interchange.csv_reader import read_csv
from chinadialog_desktop.interchange.detect import detect_format
from chinadialog_desktop.interchange.limits import DEFAULT_LIMITS
from chinadialog_desktop.interchange.package_reader import read_package
from chinadialog_desktop.interchange.problems import ProblemList
from chinadialog_desktop.interchange.table import Table
from chinadialog_desktop.interchange.xlsx_reader import read_xlsx, sheet_names
from chinadialog_desktop.services.datasets.mapping import ColumnMapping
from chinadialog_desktop.ui.common.jobs import Task, run_task
from chinadialog_desktop.ui.common.progress_dialog import progress_dialog

PREVIEW_ROWS = 20
Work = Callable[[Callable[[int, int, str], None], Callable[[], bool]], Any]


# -- reading a file for the preview ------------------------------------------


@dataclass
class Inspection:
    """What the preview shows of a file: format, encoding, a few rows, every problem."""

    path: Path
    format: str | None = None
    encoding: str | None = None
    delimiter: str | None = None
    sheets: list[str] = field(default_factory=list)
    sheet: str | None = None  # the sheet shown in the preview
    requested_sheet: str | None = None  # the sheet the user chose (None: the reader decides)
    headers: list[str] = field(default_factory=list)
    rows: list[tuple[Any, ...]] = field(default_factory=list)
    row_count: int = 0
    members: list[str] = field(default_factory=list)
    mappings: list[ColumnMapping] = field(default_factory=list)
    problems: ProblemList = field(default_factory=ProblemList)
    dry_run: Any = None  # FollowTheMoney files: the reference-list dry run
    # A list of persons and organisations (column "Art"): how many rows of each it holds.
    persons: int | None = None
    organisations: int | None = None

    @property
    def rejected(self) -> bool:
        return self.problems.has_errors

    @property
    def tabular(self) -> bool:
        """One table whose columns the user may map (CSV, or one sheet of a workbook)."""
        return self.format in ("csv", "xlsx") and len(self.mappings) == 1


def kind_sheets(names: list[str]) -> bool:
    from chinadialog_desktop.services.datasets.kinds import KINDS

    return bool(names) and all(n in KINDS for n in names)


def _first_table(data: bytes, name: str, fmt: str, kind: str | None, sheet: str | None) -> Any:
    quiet = ProblemList()
    if fmt == "csv":
        return read_csv(data, name, quiet)
    if fmt == "xlsx":
        whole = None if kind or sheet else kind_sheets
        tables = read_xlsx(data, name, quiet, sheet=sheet, whole_workbook=whole)
        return tables[0] if tables else None
    return None


def inspect_file(
    db: Any,
    path: Path,
    *,
    kind: str | None = None,
    sheet: str | None = None,
    user_map: dict[str, str] | None = None,
    progress: Callable[[int, int, str], None] | None = None,
    cancelled: Callable[[], bool] | None = None,
) -> Inspection:
    """Read ``path`` as the import would, without writing: its shape and every problem."""
    from chinadialog_desktop.services.datasets.importing import (
        ImportOptions,
        display_name,
        import_dataset,
    )
    from chinadialog_desktop.services.datasets.kinds import ORGANISATION, PERSON
    from chinadialog_desktop.services.datasets.mixed import mixed_counts
    from chinadialog_desktop.services.datasets.read import read_dataset

    path = Path(path)
    name = display_name(path)  # shown and stored as text even when not valid UTF-8
    limits = DEFAULT_LIMITS
    result = Inspection(
        path, requested_sheet=sheet, problems=ProblemList(limit=limits.max_problems)
    )
    try:
        if path.stat().st_size > limits.max_file_bytes:
            result.problems.error(
                _("The file is larger than {limit} MB.").format(
                    limit=limits.max_file_bytes // (1024 * 1024)
                ),
                file=name,
                code="file.too_large",
            )
            return result
        data = path.read_bytes()
    except OSError as exc:
        result.problems.error(
            _("The file cannot be read: {reason}").format(reason=exc.strerror or exc),
            file=name,
            code="file.unreadable",
        )
        return result
    result.format = fmt = detect_format(data, name)
    if progress is not None:
        progress(0, 1, _("Reading {file} …").format(file=name))
    if fmt == "ftm-jsonl":
        dry = import_dataset(
            db, path, ImportOptions(), dry_run=True, progress=progress, cancelled=cancelled
        )
        result.problems = dry.problems
        result.dry_run = dry
        return result
    table: Table | None = _first_table(data, name, fmt, kind, sheet)
    if table is not None:
        result.encoding, result.delimiter, result.sheet = (
            table.encoding,
            table.delimiter,
            table.sheet,
        )
        result.headers = list(table.headers)
        result.rows = [row.cells for row in table.rows[:PREVIEW_ROWS]]
        result.row_count = len(table.rows)
        if fmt == "xlsx":
            result.sheets = sheet_names(data)
    if fmt == "package":
        from chinadialog_desktop.services.datasets.field_labels import kind_label

        package = read_package(data, name, ProblemList(), limits)
        for entry in package.files if package is not None else []:
            result.members.append(
                _("{path}: {format}, {kind}, {records} records").format(
                    path=entry.path,
                    format=str(entry.format).upper(),  # CSV, JSON: as people name them
                    kind=kind_label(entry.kind) if entry.kind else _("kind from the headers"),
                    records=entry.records,
                )
            )
    options = ImportOptions(kind=kind, user_map=user_map or {}, sheet=sheet)
    read = read_dataset(data, name, options, result.problems)
    result.mappings = read.mappings
    if any(m.kind.key == "mixed" for m in read.mappings):
        counts = mixed_counts(read.batches)
        result.persons, result.organisations = counts[PERSON], counts[ORGANISATION]
    if progress is not None:
        progress(1, 1, _("Read."))
    return result


# -- the worker ----------------------------------------------------------------

Job = Task  # the wizard's and the export dialog's background job


def start_job(
    parent: QWidget,
    work: Work,
    on_done: Callable[[Any], None],
    on_failed: Callable[[str], None],
    *,
    title: str,
    label: str,
    name: str,
    on_progress: Callable[[int, int, str], None] | None = None,
) -> Task:
    """Start ``work`` in the background with a window-modal progress dialog and Cancel.

    The task stays a child of ``parent`` and goes with it (deleting a finished
    QThread wrapper early crashed PySide6 now and then).
    """
    dialog = progress_dialog(
        parent, name=name, title=title, label=label, accessible_name=title, minimum_duration=400
    )
    return run_task(parent, work, on_done, on_failed, dialog=dialog, on_progress=on_progress)


# -- lists -------------------------------------------------------------------


def _read_only(view: QAbstractItemView, name: str, accessible: str) -> None:
    view.setObjectName(name)
    view.setAccessibleName(accessible)
    view.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
    view.setAlternatingRowColors(True)


class _WrappedReason(QStyledItemDelegate):
    """Row height for the reason wrapped at its column's width (QTreeView does not ask)."""

    def __init__(self, view: QTreeWidget) -> None:
        super().__init__(view)
        self.view = view

    def sizeHint(  # noqa: N802
        self, option: QStyleOptionViewItem, index: QModelIndex | QPersistentModelIndex
    ) -> QSize:
        hint = super().sizeHint(option, index)
        width = self.view.header().sectionSize(index.column()) - 8
        text = str(index.data() or "")
        if width <= 0 or not text:
            return hint
        box = option.fontMetrics.boundingRect(
            QRect(0, 0, width, 100_000), int(Qt.TextFlag.TextWordWrap), text
        )
        return QSize(hint.width(), max(hint.height(), box.height() + 4))


class ProblemsView(QTreeWidget):
    """Every problem: how bad, the file, the place in it, and the reason."""

    def __init__(self, name: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        _read_only(self, name, _("Problems found in the file"))
        self.setRootIsDecorated(False)
        self.setWordWrap(True)
        self.setHeaderLabels([_("Severity"), _("File"), _("Place"), _("Reason")])
        self.header().setSectionResizeMode(3, QHeaderView.ResizeMode.Stretch)
        # Row heights follow the reason column's width: long reasons wrap instead of "…".
        self.setItemDelegateForColumn(3, _WrappedReason(self))
        self.header().sectionResized.connect(lambda *_args: self.doItemsLayout())

    def show_problems(self, problems: ProblemList) -> None:
        self.clear()
        # "Warning", not "Note": that is the source note ("Notiz") in German.
        severity = {"error": _("Error"), "warning": _("Warning"), "info": _("Info")}
        for problem in problems:
            place = replace(problem, file=None).location() if problem.file else problem.location()
            item = QTreeWidgetItem(
                [
                    severity.get(problem.severity, problem.severity),
                    problem.file or "",
                    place,
                    problem.message,
                ]
            )
            item.setToolTip(3, problem.message)
            self.addTopLevelItem(item)
        if problems.truncated:
            self.addTopLevelItem(
                QTreeWidgetItem(
                    [
                        "",
                        "",
                        "",
                        _("… and {count} more problems not shown").format(count=problems.truncated),
                    ]
                )
            )
        for column in range(3):
            self.resizeColumnToContents(column)

    def texts(self) -> list[str]:
        return [
            " | ".join(item.text(c) for c in range(4))
            for item in map(self.topLevelItem, range(self.topLevelItemCount()))
            if item is not None
        ]


class PreviewTable(QTableWidget):
    """The first rows of the file as the reader sees them (dates and numbers typed)."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        _read_only(self, "importPreviewTable", _("First rows of the file"))

    def show_rows(self, headers: list[str], rows: list[tuple[Any, ...]]) -> None:
        self.clear()
        self.setColumnCount(len(headers))
        self.setRowCount(len(rows))
        self.setHorizontalHeaderLabels(headers)
        for r, cells in enumerate(rows):
            for c, value in enumerate(cells[: len(headers)]):
                self.setItem(r, c, QTableWidgetItem(_cell(value)))
        self.resizeColumnsToContents()


def _cell(value: Any) -> str:
    from datetime import date, datetime

    if value is None:
        return ""
    if isinstance(value, datetime):
        return f"{format_date(value.date())} {value:%H:%M}"
    if isinstance(value, date):
        return format_date(value)
    return str(value)


def counts_rows(result: Any) -> list[list[str]]:
    """Rows of kind, new, updated, unchanged, conflict for a dry run or a commit."""
    from chinadialog_desktop.services.datasets.field_labels import kind_label
    from chinadialog_desktop.services.datasets.kinds import MIXED_LABELS, resolve_kind

    rows = []
    if result.plan is not None or getattr(result, "untouched_kinds", None):
        # The result's own counts (decided conflicts where they went; a merge's records not
        # changed offline among the unchanged): what its summary says, too.
        for kind, c in result.kind_counts().items():
            spec = resolve_kind(kind)
            label = _(spec.label) if spec is not None else kind_label(kind)
            if result.mixed and kind in MIXED_LABELS:
                label = _(MIXED_LABELS[kind])  # "Personen (Kontakte)"
            rows.append(
                [
                    label,
                    format_number(c.get("new", 0)),
                    format_number(c.get("updated", 0)),
                    format_number(c.get("unchanged", 0)),
                    format_number(c.get("conflict", 0)),
                ]
            )
    for ref in result.reference_results:
        c = ref.counts
        rows.append(
            [
                _("Reference list {name}").format(name=ref.name or ref.list_key or ""),
                str(c.get("new", 0)),
                str(c.get("updated", 0)),
                str(c.get("unchanged", 0)),
                "0",
            ]
        )
    return rows


class CountsTable(QTableWidget):
    """New / updated / unchanged / conflict per kind."""

    def __init__(self, name: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        _read_only(self, name, _("Counts per kind of record"))
        self.setColumnCount(5)
        self.setHorizontalHeaderLabels(
            [_("Kind"), _("new"), _("updated"), _("unchanged"), _("conflict")]
        )
        self.horizontalHeader().setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        self.verticalHeader().hide()

    def show_result(self, result: Any) -> None:
        rows = counts_rows(result)
        self.setRowCount(len(rows))
        for r, row in enumerate(rows):
            for c, text in enumerate(row):
                item = QTableWidgetItem(text)
                if c:
                    item.setTextAlignment(
                        Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter
                    )
                self.setItem(r, c, item)
        self.resizeRowsToContents()
        height = self.horizontalHeader().sizeHint().height() + 2 * self.frameWidth() + 2
        height += sum(self.rowHeight(r) for r in range(self.rowCount()))
        self.setMaximumHeight(max(height, 60))

    def cell_texts(self) -> list[list[str]]:
        return [
            [cell.text() if (cell := self.item(r, c)) else "" for c in range(self.columnCount())]
            for r in range(self.rowCount())
        ]
