"""The import wizard: file → preview and problems → column mapping → dry run → commit."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QDragEnterEvent, QDropEvent, QKeySequence
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QDialog,
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPushButton,
    QStackedWidget,
    QTableView,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from chinadialog_desktop.i18n import N_, _, ngettext
from chinadialog_desktop.services.datasets.field_labels import field_label
from chinadialog_desktop.services.datasets.kinds import KINDS, MIXED, table_kind
from chinadialog_desktop.services.dbadmin import backups_folder
from chinadialog_desktop.ui.datasets.import_pages import (
    CountsTable,
    Inspection,
    Job,
    PreviewTable,
    ProblemsView,
    inspect_file,
    kind_sheets,
    start_job,
)
from chinadialog_desktop.ui.datasets.mapping_model import FieldDelegate, MappingModel, auto_fields

PAGE_FILE, PAGE_PREVIEW, PAGE_MAPPING, PAGE_DRY_RUN, PAGE_RESULT = range(5)
FILE_FILTER = "*.zip *.csv *.txt *.tsv *.xlsx *.xlsm *.json *.jsonl *.ndjson *.gz"
FORMAT_NAMES = {
    "package": N_("Dataset package (ZIP)"),
    "csv": N_("CSV"),
    "xlsx": N_("Excel workbook (XLSX)"),
    "json": N_("JSON (ChinaDialog)"),
    "ftm-jsonl": N_("FollowTheMoney entities (JSON lines)"),
}
DELIMITER_NAMES = {";": N_("semicolon ( ; )"), ",": N_("comma ( , )"), "\t": N_("tab")}
MINE, THEIRS = "mine", "theirs"


def _name(widget: QWidget, name: str, accessible: str) -> Any:
    widget.setObjectName(name)
    widget.setAccessibleName(accessible)
    return widget


def _label(name: str, text: str = "") -> QLabel:
    label = QLabel(text)
    label.setObjectName(name)
    label.setWordWrap(True)
    label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
    return label


class ImportWizard(QDialog):
    """Imports one file into ``database``; nothing is written before "Import" is pressed.

    ``sig_committed(result)`` fires after a committed import (the window reloads).
    """

    sig_committed = Signal(object)

    # What the conflict page calls the two versions (a travel merge says "travel copy").
    KEEP_ALL = N_("All: keep &mine")
    KEEP_ALL_NAME = N_("Keep all my versions")
    TAKE_ALL = N_("All: take &theirs")
    TAKE_ALL_NAME = N_("Take all from the file")
    KEEP_ONE = N_("Keep mine")
    TAKE_ONE = N_("Take theirs")

    def __init__(self, database: Any, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.database = database
        self.inspection: Inspection | None = None
        self.dry_run: Any = None
        self.import_result: Any = None
        self.job: Job | None = None
        self.failed_from = PAGE_FILE
        self.progress_messages: list[str] = []  # what the running job's progress dialog said
        self.setObjectName("importWizard")
        self.setAccessibleName(_("Import a dataset"))
        self.setWindowTitle(_("Import a dataset"))
        self.setAcceptDrops(True)
        self.resize(980, 680)
        self.stack = QStackedWidget(self)
        self.stack.setObjectName("importPages")
        for build in (
            self._file_page,
            self._preview_page,
            self._mapping_page,
            self._dry_run_page,
            self._result_page,
        ):
            self.stack.addWidget(build())
        self.step_label = _label("importStep")
        font = self.step_label.font()
        font.setBold(True)
        self.step_label.setFont(font)
        buttons = QHBoxLayout()
        self.back_button = _name(QPushButton(_("< &Back")), "importBackButton", _("Back"))
        self.next_button = _name(QPushButton(_("&Next >")), "importNextButton", _("Next"))
        self.commit_button = _name(QPushButton(_("&Import")), "importCommitButton", _("Import now"))
        self.close_button = _name(QPushButton(_("&Close")), "importCloseButton", _("Close"))
        self.back_button.clicked.connect(self.back)
        self.next_button.clicked.connect(self.next)
        self.commit_button.clicked.connect(self.commit)
        self.close_button.clicked.connect(self.reject)
        buttons.addStretch(1)
        for button in (self.back_button, self.next_button, self.commit_button, self.close_button):
            button.setAutoDefault(False)
            buttons.addWidget(button)
        layout = QVBoxLayout(self)
        layout.addWidget(self.step_label)
        layout.addWidget(self.stack, 1)
        layout.addLayout(buttons)
        self.show_page(PAGE_FILE)

    # -- pages -------------------------------------------------------------
    def _file_page(self) -> QWidget:
        page = QWidget()
        self.path_edit = _name(QLineEdit(), "importPathEdit", _("File to import"))
        self.path_edit.setPlaceholderText(_("Path of a package, CSV, XLSX, JSON or FtM file"))
        self.path_edit.textChanged.connect(self._update_buttons)
        self.path_edit.returnPressed.connect(self.next)
        self.browse_button = _name(
            QPushButton(_("&Choose file …")), "importBrowseButton", _("Choose a file to import")
        )
        self.browse_button.clicked.connect(self.browse)
        row = QHBoxLayout()
        row.addWidget(self.path_edit, 1)
        row.addWidget(self.browse_button)
        drop = _label(
            "importDropHint",
            _(
                "Choose a file, or drop it onto this window. Readable: dataset packages (.zip), "
                "CSV (UTF-8, Windows-1252, UTF-16; ; , or tab), Excel workbooks (.xlsx), "
                "our JSON, FollowTheMoney entity lists (.json, .jsonl, .gz).\n\n"
                "Nothing is written before you confirm the dry run."
            ),
        )
        drop.setAlignment(Qt.AlignmentFlag.AlignCenter)
        drop.setMinimumHeight(160)
        drop.setFrameShape(QLabel.Shape.StyledPanel)
        layout = QVBoxLayout(page)
        layout.addLayout(row)
        layout.addWidget(drop, 1)
        return page

    def _preview_page(self) -> QWidget:
        page = QWidget()
        self.info_label = _label("importFileInfo")
        self.sheet_combo = _name(QComboBox(), "importSheetCombo", _("Worksheet to read"))
        self.sheet_combo.activated.connect(self._sheet_chosen)
        self.sheet_label = QLabel(_("&Worksheet:"))
        self.sheet_label.setBuddy(self.sheet_combo)
        sheet_row = QHBoxLayout()
        sheet_row.addWidget(self.sheet_label)
        sheet_row.addWidget(self.sheet_combo, 1)
        self.members_label = _label("importMembers")
        self.preview_table = PreviewTable()
        self.verdict_label = _label("importVerdict")
        self.problems_view = ProblemsView("importProblems")
        layout = QVBoxLayout(page)
        layout.addWidget(self.info_label)
        layout.addLayout(sheet_row)
        layout.addWidget(self.members_label)
        layout.addWidget(self.preview_table, 3)
        layout.addWidget(self.verdict_label)
        layout.addWidget(self.problems_view, 2)
        return page

    def _mapping_page(self) -> QWidget:
        page = QWidget()
        self.kind_combo = _name(QComboBox(), "importKindCombo", _("Kind of records in the file"))
        for key, spec in [*KINDS.items(), (MIXED.key, MIXED)]:
            self.kind_combo.addItem(_(spec.label), key)
        self.kind_combo.activated.connect(self._kind_chosen)
        form = QFormLayout()
        form.addRow(_("&Records are:"), self.kind_combo)
        self.mapping_model = MappingModel(self)
        self.mapping_view = _name(QTableView(), "importMappingTable", _("Column mapping"))
        self.mapping_view.setModel(self.mapping_model)
        self.mapping_view.setItemDelegateForColumn(2, FieldDelegate(self.mapping_view))
        self.mapping_view.setEditTriggers(QAbstractItemView.EditTrigger.AllEditTriggers)
        self.mapping_view.horizontalHeader().setSectionResizeMode(3, QHeaderView.ResizeMode.Stretch)
        self.mapping_view.verticalHeader().hide()
        self.mapping_model.dataChanged.connect(lambda *_a: self._mapping_changed())
        self.mapping_note = _label("importMappingNote")
        layout = QVBoxLayout(page)
        layout.addLayout(form)
        layout.addWidget(self.mapping_view, 1)
        layout.addWidget(self.mapping_note)
        return page

    def _dry_run_page(self) -> QWidget:
        page = QWidget()
        self.dry_verdict = _label("importDryVerdict")
        self.dry_counts = CountsTable("importDryCounts")
        self.conflicts = QTreeWidget()
        _name(
            self.conflicts, "importConflicts", _("Conflicts: records changed here and in the file")
        )
        self.conflicts.setHeaderLabels(
            [_("Record"), _("Field"), _("Mine (here)"), _("Theirs (file)"), _("Decision")]
        )
        self.conflicts.header().setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        self.keep_all = _name(
            QPushButton(_(self.KEEP_ALL)), "importKeepAllMine", _(self.KEEP_ALL_NAME)
        )
        self.take_all = _name(
            QPushButton(_(self.TAKE_ALL)), "importTakeAllTheirs", _(self.TAKE_ALL_NAME)
        )
        self.keep_all.clicked.connect(lambda: self._decide_all(MINE))
        self.take_all.clicked.connect(lambda: self._decide_all(THEIRS))
        row = QHBoxLayout()
        self.conflict_label = _label("importConflictLabel")
        row.addWidget(self.conflict_label, 1)
        row.addWidget(self.keep_all)
        row.addWidget(self.take_all)
        self.backup_note = _label("importBackupNote")
        self.dry_problems = ProblemsView("importDryProblems")
        layout = QVBoxLayout(page)
        layout.addWidget(self.dry_verdict)
        layout.addWidget(self.dry_counts, 2)
        layout.addLayout(row)
        layout.addWidget(self.conflicts, 2)
        layout.addWidget(self.dry_problems, 1)
        layout.addStretch(0)
        layout.addWidget(self.backup_note)
        return page

    def _result_page(self) -> QWidget:
        page = QWidget()
        self.result_label = _label("importResultText")
        self.result_counts = CountsTable("importResultCounts")
        self.result_problems = ProblemsView("importResultProblems")
        layout = QVBoxLayout(page)
        layout.addWidget(self.result_label)
        layout.addWidget(self.result_counts, 1)
        layout.addWidget(self.result_problems, 1)
        layout.addStretch(0)
        return page

    # -- navigation --------------------------------------------------------
    def show_page(self, page: int) -> None:
        self.stack.setCurrentIndex(page)
        steps = {
            PAGE_FILE: _("Step 1 of 5: choose a file"),
            PAGE_PREVIEW: _("Step 2 of 5: preview and problems"),
            PAGE_MAPPING: _("Step 3 of 5: columns and fields"),
            PAGE_DRY_RUN: _("Step 4 of 5: dry run — what would change"),
            PAGE_RESULT: _("Step 5 of 5: result"),
        }
        self.step_label.setText(steps[page])
        self._update_buttons()

    def _update_buttons(self) -> None:
        page = self.stack.currentIndex()
        busy = self.job is not None
        ready_preview = self.inspection is not None and not self.inspection.rejected
        failed = page == PAGE_RESULT and self.import_result is None
        self.back_button.setEnabled(
            not busy and (failed or page in (PAGE_PREVIEW, PAGE_MAPPING, PAGE_DRY_RUN))
        )
        self.next_button.setVisible(page < PAGE_DRY_RUN)
        self.next_button.setEnabled(
            not busy
            and (
                (page == PAGE_FILE and bool(self.path_edit.text().strip()))
                or (page == PAGE_PREVIEW and ready_preview)
                or (page == PAGE_MAPPING and not self.mapping_model.duplicates())
            )
        )
        self.commit_button.setVisible(page == PAGE_DRY_RUN)
        self.commit_button.setEnabled(not busy and page == PAGE_DRY_RUN and self._can_commit())
        self.close_button.setText(_("&Close") if page == PAGE_RESULT else _("Cancel"))
        self.next_button.setDefault(self.next_button.isVisible() and self.next_button.isEnabled())

    def back(self) -> None:
        page = self.stack.currentIndex()
        if page == PAGE_MAPPING:
            self.show_page(PAGE_PREVIEW)
        elif page == PAGE_DRY_RUN:
            self.show_page(PAGE_MAPPING)
        elif page == PAGE_PREVIEW:
            self.show_page(PAGE_FILE)
        elif page == PAGE_RESULT and self.import_result is None:
            self.show_page(self.failed_from)

    def next(self) -> None:
        if not self.next_button.isEnabled():
            return
        page = self.stack.currentIndex()
        if page == PAGE_FILE:
            self.open_file(Path(self.path_edit.text().strip()))
        elif page == PAGE_PREVIEW:
            self._fill_mapping()
            self.show_page(PAGE_MAPPING)
        elif page == PAGE_MAPPING:
            self.run_dry_run()

    def browse(self) -> None:
        start = self.path_edit.text().strip() or str(Path.home())
        path, _filter = QFileDialog.getOpenFileName(
            self,
            _("Choose a file to import"),
            start,
            _("Datasets ({patterns});;All files (*)").format(patterns=FILE_FILTER),
        )
        if path:
            self.open_file(Path(path))

    # -- drag and drop ----------------------------------------------------
    @staticmethod
    def _dropped_file(event: Any) -> Path | None:
        mime = event.mimeData()
        if mime is None or not mime.hasUrls():
            return None
        for url in mime.urls():
            if url.isLocalFile() and Path(url.toLocalFile()).is_file():
                return Path(url.toLocalFile())
        return None

    def dragEnterEvent(self, event: QDragEnterEvent) -> None:  # noqa: N802
        if self.job is None and self._dropped_file(event) is not None:
            event.acceptProposedAction()
        else:
            event.ignore()

    def dragMoveEvent(self, event: Any) -> None:  # noqa: N802
        self.dragEnterEvent(event)

    def dropEvent(self, event: QDropEvent) -> None:  # noqa: N802
        path = self._dropped_file(event)
        if path is None or self.job is not None:
            event.ignore()
            return
        event.acceptProposedAction()
        self.open_file(path)

    # -- step 2: read and preview -----------------------------------------
    def open_file(self, path: Path, sheet: str | None = None) -> None:
        """Read ``path`` on a worker thread and show the preview with every problem."""
        self.path_edit.setText(str(path))
        self.inspection = None
        self.dry_run = None
        database = self.database

        def work(progress: Any, cancelled: Any) -> Inspection:
            return inspect_file(database, path, sheet=sheet, progress=progress, cancelled=cancelled)

        self._start(work, self._show_preview, _("Reading the file …"), "importReadProgress")

    def _sheet_chosen(self, index: int) -> None:
        sheet = self.sheet_combo.itemData(index) or None
        if self.inspection is not None and sheet != self.inspection.requested_sheet:
            self.open_file(self.inspection.path, sheet=sheet)

    def _show_preview(self, inspection: Inspection) -> None:
        self.inspection = inspection
        fmt = inspection.format
        parts = [
            _("File: {name}").format(name=inspection.path.name),
            _("Format: {format}").format(format=_(FORMAT_NAMES.get(fmt or "", fmt or "?"))),
        ]
        if inspection.encoding:
            parts.append(_("Encoding: {encoding}").format(encoding=inspection.encoding))
        if inspection.delimiter:
            delim = DELIMITER_NAMES.get(inspection.delimiter, inspection.delimiter)
            parts.append(_("Delimiter: {delimiter}").format(delimiter=_(delim)))
        whole = inspection.format == "xlsx" and len(inspection.mappings) > 1
        if whole:
            parts.append(_("Every sheet: one per kind of record"))
        elif inspection.sheet:
            parts.append(_("Sheet: {sheet}").format(sheet=inspection.sheet))
        if inspection.headers:
            parts.append(
                _("{rows} data rows, {columns} columns").format(
                    rows=inspection.row_count, columns=len(inspection.headers)
                )
            )
        if inspection.persons is not None:
            parts.append(
                _(
                    "{persons} persons (become contacts), {organisations} organisations (actors)"
                ).format(persons=inspection.persons, organisations=inspection.organisations)
            )
        self.info_label.setText(" · ".join(parts))
        self.sheet_combo.clear()
        if len(inspection.sheets) > 1 and kind_sheets(inspection.sheets):
            self.sheet_combo.addItem(_("Every sheet named after a kind of record"), "")
        for name in inspection.sheets:
            self.sheet_combo.addItem(name, name)
        if whole:
            self.sheet_combo.setCurrentIndex(0)
        elif inspection.sheet:
            self.sheet_combo.setCurrentIndex(self.sheet_combo.findData(inspection.sheet))
        show_sheets = len(inspection.sheets) > 1
        self.sheet_combo.setVisible(show_sheets)
        self.sheet_label.setVisible(show_sheets)
        members = inspection.members
        self.members_label.setText(
            _("Files in the package:") + "\n" + "\n".join(members) if members else ""
        )
        self.members_label.setVisible(bool(members))
        self.preview_table.show_rows(inspection.headers, inspection.rows)
        self.preview_table.setVisible(bool(inspection.headers))
        self.problems_view.show_problems(inspection.problems)
        problems = inspection.problems
        if inspection.rejected:
            text = _(
                "Rejected: {file} cannot be imported ({count} errors). Nothing was changed."
            ).format(file=inspection.path.name, count=problems.error_count)
        elif problems:
            text = _("The file can be imported; {count} notes below.").format(count=problems.total)
        else:
            text = _("No problems found.")
        self.verdict_label.setText(text)
        self.problems_view.setVisible(bool(problems))
        self.show_page(PAGE_PREVIEW)

    # -- step 3: mapping --------------------------------------------------
    def _fill_mapping(self) -> None:
        inspection = self.inspection
        assert inspection is not None
        samples = [str(v) if v is not None else "" for v in (inspection.rows[:1] or [()])[0]]
        if inspection.tabular:
            mapping = inspection.mappings[0]
            self.kind_combo.setEnabled(True)
            self.kind_combo.setCurrentIndex(self.kind_combo.findData(mapping.kind.key))
            self.mapping_model.load(
                mapping.kind, list(mapping.headers), samples, list(mapping.fields)
            )
            self._open_editors()
        else:
            headers: list[str] = []
            fields: list[str | None] = []
            for mapping in inspection.mappings:
                headers += [f"{mapping.kind.key}: {h}" for h in mapping.headers]
                fields += list(mapping.fields)
            self.kind_combo.setEnabled(False)
            self.mapping_model.load(None, headers, [], fields, editable=False)
        self._mapping_changed()
        self.mapping_view.resizeColumnsToContents()
        self.mapping_view.horizontalHeader().setSectionResizeMode(3, QHeaderView.ResizeMode.Stretch)

    def _open_editors(self) -> None:
        for row in range(self.mapping_model.rowCount()):
            index = self.mapping_model.index(row, 2)
            if self.mapping_model.flags(index) & Qt.ItemFlag.ItemIsEditable:
                self.mapping_view.openPersistentEditor(index)

    def mapping_combo(self, row: int) -> QComboBox | None:
        combo = self.mapping_view.findChild(QComboBox, f"mappingCombo_{row}")
        return combo if isinstance(combo, QComboBox) else None

    def _kind_chosen(self, _index: int) -> None:
        inspection = self.inspection
        if inspection is None or not inspection.tabular:
            return
        kind = table_kind(self.kind_combo.currentData())
        assert kind is not None
        headers = list(inspection.mappings[0].headers)
        fields = auto_fields(headers, kind, inspection.path.name)
        for row in range(self.mapping_model.rowCount()):
            self.mapping_view.closePersistentEditor(self.mapping_model.index(row, 2))
        samples = [str(v) if v is not None else "" for v in (inspection.rows[:1] or [()])[0]]
        self.mapping_model.load(kind, headers, samples, fields)
        self._open_editors()
        self._mapping_changed()

    def _mapping_changed(self) -> None:
        model = self.mapping_model
        kept = [h for h, f in zip(model.headers, model.fields, strict=True) if f is None]
        if not model.editable:
            text = _(
                "This file names its fields itself (package manifest or our own format); "
                "columns without a field are kept with the record."
            )
        elif kept:
            target = model.label(model.kind.notes_field) if model.kind is not None else ""
            text = _(
                "Columns without a field are not dropped: they are kept with each record "
                "(in the field '{field}'): {columns}."
            ).format(field=target, columns=", ".join(h or "?" for h in kept))
        else:
            text = _("Every column fills a field.")
        duplicates = model.duplicates()
        if duplicates:
            text += "\n" + _(
                "Two columns fill the same field ({fields}); choose another field for one of them."
            ).format(fields=", ".join(model.label(f) for f in duplicates))
        self.mapping_note.setText(text)
        self._update_buttons()

    def options(self, resolutions: dict[str, str] | None = None) -> Any:
        from chinadialog_desktop.services.datasets.importing import ImportOptions

        inspection = self.inspection
        assert inspection is not None
        if not inspection.tabular:
            return ImportOptions(sheet=inspection.requested_sheet, resolutions=resolutions or {})
        return ImportOptions(
            kind=self.kind_combo.currentData(),
            user_map=self.mapping_model.user_map(),
            sheet=inspection.sheet,
            resolutions=resolutions or {},
        )

    # -- step 4: dry run ---------------------------------------------------
    def run_dry_run(self) -> None:
        assert self.inspection is not None
        database, path, options = self.database, self.inspection.path, self.options()

        def work(progress: Any, cancelled: Any) -> Any:
            from chinadialog_desktop.services.datasets.importing import import_dataset

            return import_dataset(
                database, path, options, dry_run=True, progress=progress, cancelled=cancelled
            )

        self._start(
            work, self._show_dry_run, _("Comparing with the database …"), "importDryRunProgress"
        )

    def _show_dry_run(self, result: Any) -> None:
        from chinadialog_desktop.services.datasets.importing import CANCELLED

        self.dry_run = result
        self.dry_counts.show_result(result)
        self.dry_problems.show_problems(result.problems)
        self.dry_problems.setVisible(bool(result.problems))
        self._fill_conflicts(result)
        if result.status == CANCELLED:
            text = _("The dry run was cancelled. Nothing was changed.")
        elif not result.ok:
            text = _(
                "Rejected: {file} cannot be imported ({count} errors). Nothing was changed."
            ).format(file=result.file_name, count=result.problems.error_count)
        else:
            text = _("Dry run — nothing was written yet. Press Import to write these changes.")
        self.dry_verdict.setText(text)
        folder = backups_folder(self.database.path)
        self.backup_note.setText(
            _(
                "Before anything is written, the database is backed up into {folder}. "
                "The import is all or nothing; Cancel leaves the database as it was."
            ).format(folder=folder)
        )
        self.show_page(PAGE_DRY_RUN)

    def _fill_conflicts(self, result: Any) -> None:
        self.conflicts.clear()
        items = result.plan.conflicts() if result.ok and result.plan is not None else []
        for conflict in items:
            spec = KINDS.get(conflict.kind)
            top = QTreeWidgetItem(
                [
                    f"{conflict.label} ({_(spec.label) if spec else conflict.kind})",
                    ", ".join(field_label(conflict.kind, ch.field) for ch in conflict.changes),
                    "",
                    "",
                    "",
                ]
            )
            top.setData(0, Qt.ItemDataRole.UserRole, conflict.uuid)
            for change in conflict.changes:
                mine, theirs = _text(change.mine), _text(change.theirs)
                row = QTreeWidgetItem(["", field_label(conflict.kind, change.field), mine, theirs])
                row.setToolTip(2, mine)  # the whole version where the column cuts it
                row.setToolTip(3, theirs)
                top.addChild(row)
            self.conflicts.addTopLevelItem(top)
            combo = QComboBox()
            combo.setObjectName(f"conflictChoice_{conflict.uuid}")
            combo.setAccessibleName(_("Decision for {label}").format(label=conflict.label))
            combo.addItem(_("— please choose —"), "")
            combo.addItem(_(self.KEEP_ONE), MINE)
            combo.addItem(_(self.TAKE_ONE), THEIRS)
            combo.currentIndexChanged.connect(lambda _i: self._update_buttons())
            self.conflicts.setItemWidget(top, 4, combo)
            top.setExpanded(True)
        count = len(items)
        self.conflict_label.setText(
            ngettext(
                "{count} record was changed here and in the file: decide what to keep.",
                "{count} records were changed here and in the file: decide for each one.",
                count,
            ).format(count=count)
            if count
            else _("No conflicts.")
        )
        for widget in (self.conflicts, self.keep_all, self.take_all):
            widget.setVisible(bool(count))

    def conflict_combos(self) -> dict[str, QComboBox]:
        combos = {}
        for i in range(self.conflicts.topLevelItemCount()):
            item = self.conflicts.topLevelItem(i)
            if item is None:
                continue
            widget = self.conflicts.itemWidget(item, 4)
            if isinstance(widget, QComboBox):
                combos[str(item.data(0, Qt.ItemDataRole.UserRole))] = widget
        return combos

    def _decide_all(self, choice: str) -> None:
        for combo in self.conflict_combos().values():
            combo.setCurrentIndex(combo.findData(choice))

    def resolutions(self) -> dict[str, str]:
        return {u: c.currentData() for u, c in self.conflict_combos().items() if c.currentData()}

    def _can_commit(self) -> bool:
        if self.dry_run is None or not self.dry_run.ok:
            return False
        return len(self.resolutions()) == len(self.conflict_combos())

    # -- step 5: commit ---------------------------------------------------
    def commit(self) -> None:
        """Write on a worker thread (after the automatic backup); Cancel undoes everything."""
        if not self._can_commit() or self.inspection is None:
            return
        database, path = self.database, self.inspection.path
        options = self.options(self.resolutions())

        def work(progress: Any, cancelled: Any) -> Any:
            from chinadialog_desktop.services.datasets.importing import import_dataset

            return import_dataset(
                database, path, options, dry_run=False, progress=progress, cancelled=cancelled
            )

        self._start(work, self._show_result, _("Importing …"), "importCommitProgress")

    def _show_result(self, result: Any) -> None:
        from chinadialog_desktop.services.datasets.importing import CANCELLED, COMMITTED

        self.import_result = result
        self.result_counts.show_result(result)
        self.result_counts.show()
        self.result_problems.show_problems(result.problems)
        self.result_problems.setVisible(bool(result.problems))
        if result.status == COMMITTED:
            text = _("Imported {file}; import run {id} recorded.").format(
                file=result.file_name, id=result.run_id
            )
            if result.backup_path:
                text += "\n" + _("Backup made before the import: {path}").format(
                    path=result.backup_path
                )
            else:
                text += "\n" + _("Nothing changed, so no backup was needed.")
        elif result.status == CANCELLED:
            text = _("Import cancelled; nothing was changed.")
        else:
            text = _("Rejected: {file} was not imported, nothing was changed.").format(
                file=result.file_name
            )
        self.result_label.setText(text)
        self.show_page(PAGE_RESULT)
        if result.status == COMMITTED:
            self.sig_committed.emit(result)

    # -- the worker --------------------------------------------------------
    def _failure_text(self, message: str) -> str:
        return _("Stopped by an error; nothing was changed: {reason}").format(reason=message)

    def _start(self, work: Any, on_done: Any, label: str, name: str) -> None:
        def done(result: Any) -> None:
            self.job = None
            on_done(result)

        def failed(message: str) -> None:
            cancelled = self.job is not None and self.job.cancelled
            self.job = None
            self.import_result = None
            self.failed_from = self.stack.currentIndex()
            self.result_label.setText(
                _("Import cancelled; nothing was changed.")
                if cancelled
                else self._failure_text(message)
            )
            self.result_counts.setRowCount(0)
            self.result_counts.hide()  # an empty table of counts says nothing
            self.result_problems.clear()
            self.result_problems.hide()
            self.show_page(PAGE_RESULT)

        def shown(_done: int, _total: int, message: str) -> None:
            if message and (not self.progress_messages or self.progress_messages[-1] != message):
                self.progress_messages.append(message)

        self.progress_messages = []
        self.job = start_job(
            self,
            work,
            done,
            failed,
            title=self.windowTitle(),
            label=label,
            name=name,
            on_progress=shown,
        )
        self._update_buttons()

    def reject(self) -> None:
        if self.job is not None:
            self.job.stop()
        super().reject()

    def keyPressEvent(self, event: Any) -> None:  # noqa: N802
        if event.matches(QKeySequence.StandardKey.Open):
            self.browse()
            return
        super().keyPressEvent(event)


def _text(value: Any) -> str:
    if value is None:
        return "—"
    text = str(value)
    return text if len(text) <= 200 else text[:200] + " …"
