"""The Datasets menu: import wizard, export dialog and the list of import runs."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QEvent, QObject, Qt
from PySide6.QtGui import QAction, QKeySequence, QShortcut, QShortcutEvent
from PySide6.QtWidgets import (
    QAbstractItemView,
    QApplication,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QMenu,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from chinadialog_desktop.i18n import N_, _
from chinadialog_desktop.services import unit
from chinadialog_desktop.services.datasets.field_labels import kind_label
from chinadialog_desktop.ui.common.screen_fit import resize_to_fit

if TYPE_CHECKING:  # the import code (readers, openpyxl) only when a dialog is opened
    from chinadialog_desktop.ui.datasets.import_pages import Job
    from chinadialog_desktop.ui.window.main_window import MainWindow

MENU_NAME = "datasetsMenu"
EXPORT_FORMATS = {
    "package": (N_("Dataset package (ZIP with manifest and checksums)"), ".zip"),
    "csv": (N_("CSV for Excel (UTF-8, semicolon; one kind)"), ".csv"),
    "xlsx": (N_("Excel workbook (XLSX, one sheet per kind)"), ".xlsx"),
    "json": (N_("JSON"), ".json"),
}


def install(window: MainWindow) -> None:
    """Add the menu "Datasets" with Import…, Export… and Import runs… (once)."""
    if window.menuBar().findChild(QMenu, MENU_NAME) is not None:
        return
    menu = window._menu(MENU_NAME, N_("&Datasets"), N_("Datasets"))
    # Keep Help last.
    window.menuBar().removeAction(menu.menuAction())
    window.menuBar().insertMenu(window.help_menu.menuAction(), menu)

    local_first = _LocalShortcutFirst(window)

    def add(name: str, text: str, keys: Any, slot: Any, tip: str) -> QAction:
        action = QAction(window)
        window.texts.set(action, "setText", text)
        action.setObjectName(name)
        if keys is not None:
            action.setShortcut(QKeySequence(keys))
        window.texts.set(action, "setStatusTip", tip)
        action.triggered.connect(lambda _checked=False: slot(window))
        action.installEventFilter(local_first)
        menu.addAction(action)
        return action

    add(
        "actionImportDataset",
        N_("&Import …"),
        "Ctrl+I",
        open_import,
        N_("Import a dataset package, CSV, XLSX, JSON or FollowTheMoney list"),
    )
    add(
        "actionExportDataset",
        N_("&Export …"),
        "Ctrl+E",
        open_export,
        N_("Export records as a package, CSV, XLSX or JSON"),
    )
    menu.addSeparator()
    add(
        "actionImportRuns",
        N_("Import &runs …"),
        None,
        open_import_runs,
        N_("Every import: file, checksum, counts, who and when"),
    )


def _local_shortcut(window: MainWindow, keys: QKeySequence) -> QShortcut | None:
    """A shortcut with the same keys on the focused widget or its parents (Ctrl+I: italic)."""
    widget = QApplication.focusWidget()
    while widget is not None and widget is not window:
        for shortcut in widget.findChildren(
            QShortcut, options=Qt.FindChildOption.FindDirectChildrenOnly
        ):
            if shortcut.isEnabled() and shortcut.key() == keys:
                return shortcut
        widget = widget.parentWidget()
    return None


class _LocalShortcutFirst(QObject):
    """A menu shortcut yields to the focused editor's own (Ctrl+I is italic in a text)."""

    def __init__(self, window: MainWindow) -> None:
        super().__init__(window)
        self.window = window

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802
        if event.type() == QEvent.Type.Shortcut:
            assert isinstance(event, QShortcutEvent)
            local = _local_shortcut(self.window, event.key())
            if local is not None:
                local.activated.emit()
                return True
        return False


def _database(window: MainWindow) -> Any:
    workspace = window.workspace
    if workspace is None:
        window.show_error(_("Open a database first."))
        return None
    return workspace.database


def _dialog(window: MainWindow, key: str, dialog: QDialog) -> QDialog:
    window._dialogs[key] = dialog
    dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
    dialog.show()
    dialog.raise_()
    return dialog


def open_import(window: MainWindow) -> Any:
    from chinadialog_desktop.ui.datasets.import_wizard import ImportWizard

    database = _database(window)
    if database is None:
        return None
    flush = getattr(window, "_flush", None)
    if callable(flush):
        flush()  # pending edits are saved before the import compares with them
    wizard = ImportWizard(database, window)
    reload_all = getattr(window, "reload_all", None)
    if callable(reload_all):
        wizard.sig_committed.connect(lambda _result: reload_all())
    wizard.setWindowModality(Qt.WindowModality.WindowModal)
    return _dialog(window, "import", wizard)


def open_export(window: MainWindow) -> Any:
    database = _database(window)
    if database is None:
        return None
    dialog = ExportDialog(database, window)
    dialog.setWindowModality(Qt.WindowModality.WindowModal)
    return _dialog(window, "dataset_export", dialog)


def open_import_runs(window: MainWindow) -> Any:
    database = _database(window)
    if database is None:
        return None
    dialog = ImportRunsDialog(database, window)
    window.sig_database_changed.connect(dialog.close)  # it shows the file that was open
    return _dialog(window, "import_runs", dialog)


# -- import runs --------------------------------------------------------------


def import_run_rows(database: Any) -> list[list[str]]:
    """One row per import run, newest first: file, SHA-256, counts, who, when, status."""
    from chinadialog_desktop.domain.enums import ImportStatus
    from chinadialog_desktop.domain.labels import label
    from chinadialog_desktop.services.datasets.history import import_runs

    return [
        [
            run.file_name,
            run.sha256,
            _summary(run.counts),
            run.user,
            run.started_at.astimezone().strftime("%d.%m.%Y %H:%M"),
            label(ImportStatus, run.status),
        ]
        for run in unit.read(database, import_runs)
    ]


def _summary(counts: dict[str, Any]) -> str:
    names = {
        "new": _("new"),
        "updated": _("updated"),
        "unchanged": _("unchanged"),
        "conflict": _("conflict"),
        "removed": _("removed"),
    }
    by_kind = counts.get("total")
    total = by_kind if isinstance(by_kind, dict) else counts
    parts = [
        f"{names.get(k, k)}: {v}"
        for k, v in total.items()
        if isinstance(v, int) and not isinstance(v, bool) and k in names
    ]
    if counts.get("kept_mine"):
        parts.append(_("kept mine: {count}").format(count=counts["kept_mine"]))
    return ", ".join(parts)


class ImportRunsDialog(QDialog):
    """Every recorded import run of the open database."""

    def __init__(self, database: Any, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.database = database
        self.setObjectName("importRunsDialog")
        self.setAccessibleName(_("Import runs"))
        self.setWindowTitle(_("Import runs"))
        resize_to_fit(self, 900, 420)
        self.table = QTableWidget(self)
        self.table.setObjectName("importRunsTable")
        self.table.setAccessibleName(_("Import runs, newest first"))
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setAlternatingRowColors(True)
        self.table.verticalHeader().hide()
        headers = [_("File"), _("SHA-256"), _("Counts"), _("Who"), _("When"), _("Status")]
        self.table.setColumnCount(len(headers))
        self.table.setHorizontalHeaderLabels(headers)
        self.table.horizontalHeader().setSectionResizeMode(2, QHeaderView.ResizeMode.Stretch)
        self.empty_label = QLabel(_("No imports yet."))
        self.empty_label.setObjectName("importRunsEmpty")
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.setObjectName("importRunsButtons")
        buttons.button(QDialogButtonBox.StandardButton.Close).setObjectName("importRunsClose")
        buttons.button(QDialogButtonBox.StandardButton.Close).setAccessibleName(_("Close"))
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(self.empty_label)
        layout.addWidget(self.table, 1)
        layout.addWidget(buttons)
        self.reload()

    def reload(self) -> None:
        rows = import_run_rows(self.database)
        self.table.setRowCount(len(rows))
        for r, row in enumerate(rows):
            for c, text in enumerate(row):
                shown = text[:12] + "…" if c == 1 and len(text) > 12 else text
                item = QTableWidgetItem(shown)
                item.setToolTip(text)
                self.table.setItem(r, c, item)
        self.table.resizeColumnsToContents()
        self.table.horizontalHeader().setSectionResizeMode(2, QHeaderView.ResizeMode.Stretch)
        self.empty_label.setVisible(not rows)

    def cell_texts(self) -> list[list[str]]:
        return [
            [
                cell.text() if (cell := self.table.item(r, c)) else ""
                for c in range(self.table.columnCount())
            ]
            for r in range(self.table.rowCount())
        ]


# -- export -------------------------------------------------------------------


class ExportDialog(QDialog):
    """Format, kind, optional dossier and target file; written on a worker thread."""

    def __init__(self, database: Any, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        from chinadialog_desktop.services.datasets.kinds import KINDS

        self.database = database
        self.job: Job | None = None
        self.export_result: Any = None
        self.setObjectName("datasetExportDialog")
        self.setAccessibleName(_("Export records"))
        self.setWindowTitle(_("Export records"))
        self.format_combo = QComboBox()
        self.format_combo.setObjectName("exportFormatCombo")
        self.format_combo.setAccessibleName(_("Export format"))
        for key, (text, _suffix) in EXPORT_FORMATS.items():
            self.format_combo.addItem(_(text), key)
        self.kind_combo = QComboBox()
        self.kind_combo.setObjectName("exportKindCombo")
        self.kind_combo.setAccessibleName(_("Kind of records to export"))
        self.kind_combo.addItem(_("All kinds"), "")
        for key, spec in KINDS.items():
            self.kind_combo.addItem(_(spec.label), key)
        self.dossier_combo = QComboBox()
        self.dossier_combo.setObjectName("exportDossierCombo")
        self.dossier_combo.setAccessibleName(_("Only what this dossier links"))
        self.dossier_combo.addItem(_("No dossier: all records"), 0)
        for dossier_id, title in _dossiers(database):
            self.dossier_combo.addItem(title, dossier_id)
        self.path_edit = QLineEdit()
        self.path_edit.setObjectName("exportPathEdit")
        self.path_edit.setAccessibleName(_("File to write"))
        self.browse_button = QPushButton(_("&Choose …"))
        self.browse_button.setObjectName("exportBrowseButton")
        self.browse_button.setAccessibleName(_("Choose the file to write"))
        self.browse_button.clicked.connect(self.browse)
        target = QHBoxLayout()
        target.addWidget(self.path_edit, 1)
        target.addWidget(self.browse_button)
        form = QFormLayout()
        form.addRow(_("&Format:"), self.format_combo)
        form.addRow(_("&Records:"), self.kind_combo)
        form.addRow(_("&Dossier:"), self.dossier_combo)
        # A layout as the field gets no buddy: the caption names the path field itself,
        # so its "&" becomes a shortcut instead of showing.
        target_label = QLabel(_("&Target file:"))
        target_label.setObjectName("exportPathLabel")
        target_label.setBuddy(self.path_edit)
        form.addRow(target_label, target)
        self.note_label = QLabel()
        self.note_label.setObjectName("exportNote")
        self.note_label.setWordWrap(True)
        self.result_label = QLabel()
        self.result_label.setObjectName("exportResult")
        self.result_label.setWordWrap(True)
        self.result_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        buttons = QDialogButtonBox()
        buttons.setObjectName("exportButtons")
        self.export_button = buttons.addButton(_("&Export"), QDialogButtonBox.ButtonRole.AcceptRole)
        self.export_button.setObjectName("exportStartButton")
        self.export_button.setAccessibleName(_("Export now"))
        self.close_button = buttons.addButton(QDialogButtonBox.StandardButton.Close)
        self.close_button.setObjectName("exportCloseButton")
        self.close_button.setAccessibleName(_("Close"))
        buttons.accepted.connect(self.start)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(self.note_label)
        layout.addWidget(self.result_label)
        layout.addWidget(buttons)
        for combo in (self.format_combo, self.kind_combo):
            combo.currentIndexChanged.connect(self._update)
        self.path_edit.textChanged.connect(self._update)
        self._update()

    def _update(self, *_args: Any) -> None:
        fmt = self.format_combo.currentData()
        if fmt == "csv" and not self.kind_combo.currentData():
            note = _("A CSV file holds one kind of record; without a choice: partnerships.")
        elif fmt == "csv":
            note = _("Opens in German Excel: UTF-8 with BOM, semicolons.")
        else:
            note = _("Text that Excel would run as a formula is neutralised; numbers stay numbers.")
        self.note_label.setText(note)
        self.export_button.setEnabled(self.job is None and bool(self.path_edit.text().strip()))

    def browse(self) -> None:
        fmt = self.format_combo.currentData()
        suffix = EXPORT_FORMATS[fmt][1]
        start = self.path_edit.text().strip() or str(Path.home() / f"chinadialog{suffix}")
        path, _filter = QFileDialog.getSaveFileName(
            self, _("Export to"), start, f"{fmt.upper()} (*{suffix})"
        )
        if path:
            if not path.lower().endswith(suffix):
                path += suffix
            self.path_edit.setText(path)

    def start(self) -> Job | None:
        """Write the file on a worker thread; the result is shown in the dialog."""
        if self.job is not None or not self.path_edit.text().strip():
            return None
        fmt = self.format_combo.currentData()
        kind = self.kind_combo.currentData()
        dossier = self.dossier_combo.currentData() or None
        out = Path(self.path_edit.text().strip())
        database = self.database

        def work(progress: Any, cancelled: Any) -> Any:
            from chinadialog_desktop.services.datasets.export import export_dataset

            return unit.write(
                database,
                lambda s: export_dataset(
                    s,
                    fmt,
                    out,
                    kinds=[kind] if kind else None,
                    dossier_id=dossier,
                    progress=progress,
                    cancelled=cancelled,
                ),
            )

        from chinadialog_desktop.ui.datasets.import_pages import start_job

        self.result_label.setText(_("Exporting …"))
        self.job = start_job(
            self,
            work,
            self._done,
            self._failed,
            title=_("Export records"),
            label=_("Exporting …"),
            name="exportProgress",
        )
        self._update()
        return self.job

    def _done(self, result: Any) -> None:
        self.job = None
        self.export_result = result
        counts = ", ".join(f"{kind_label(k)}: {n}" for k, n in result.counts.items())
        self.result_label.setText(
            _("Written: {path} ({counts})").format(path=result.path, counts=counts)
        )
        self._update()

    def _failed(self, message: str) -> None:
        self.job = None
        self.export_result = None
        self.result_label.setText(_("Not exported: {reason}").format(reason=message))
        self._update()

    def reject(self) -> None:
        if self.job is not None:
            self.job.stop()
        super().reject()


def _dossiers(database: Any) -> list[tuple[int, str]]:
    from chinadialog_desktop.services.records.dossier_links import dossier_choices

    result: list[tuple[int, str]] = unit.read(database, dossier_choices)
    return result
