"""The screening window: reference lists, full and delta runs, hits compared side by side, review.

Imports and runs go to a worker thread with a cancellable progress dialog; the
review (confirm or dismiss with a reason) is a short write on the GUI thread.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from PySide6.QtCore import QEvent, QItemSelectionModel, QObject, Qt, QTimer, Signal
from PySide6.QtGui import QAction, QKeyEvent, QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QDialog,
    QFileDialog,
    QGroupBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QMessageBox,
    QPushButton,
    QSplitter,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from chinadialog_desktop.errors import UserError
from chinadialog_desktop.i18n import N_, _, ngettext
from chinadialog_desktop.services import unit
from chinadialog_desktop.services.screening import reference_lists
from chinadialog_desktop.services.screening import runs as screening
from chinadialog_desktop.services.screening.runs import HitRow, RunResult
from chinadialog_desktop.services.screening.subject import our_side
from chinadialog_desktop.ui.common.column_fit import ColumnFitter
from chinadialog_desktop.ui.common.retranslate import Texts
from chinadialog_desktop.ui.common.screen_fit import resize_to_fit
from chinadialog_desktop.ui.screening.compare import ComparePanel
from chinadialog_desktop.ui.screening.model import (
    HitTableModel,
    ReferenceListModel,
    status_label,
)
from chinadialog_desktop.ui.screening.worker import Job

CONFIRM_KEYS = ("Ctrl+Return", "Ctrl+Enter")
DISMISS_KEYS = ("Ctrl+Backspace",)
FTM_FILTER = N_("FollowTheMoney entities (*.json *.ijson *.ftm);;All files (*)")


class ReasonEdit(QLineEdit):
    """The reason field; Ctrl+Backspace dismisses instead of deleting a word."""

    def event(self, event: QEvent) -> bool:
        if (
            event.type() == QEvent.Type.ShortcutOverride
            and isinstance(event, QKeyEvent)
            and event.keyCombination().toCombined() in _dismiss_combined()
        ):
            event.ignore()
            return False
        return super().event(event)


def _dismiss_combined() -> set[int]:
    # Qt's QKeySequence::operator[] works in PySide6 but is missing from its stubs.
    return {QKeySequence(k)[0].toCombined() for k in DISMISS_KEYS}  # type: ignore[index]


class ScreeningDialog(QDialog):
    """Abgleich mit Referenzlisten. ``sig_open_record(kind, id)`` asks the window to show ours."""

    sig_open_record = Signal(str, int)
    sig_job_finished = Signal()

    def __init__(self, database: Any, parent: QWidget | None = None, workspace: Any = None) -> None:
        """``workspace``: the main window's; decisions then go through its undo stack and
        change signal (without one they are saved directly)."""
        super().__init__(parent)
        self.database = database
        self.workspace: Any = None
        self._deciding = False
        self.job: Job | None = None
        self.last_run: RunResult | None = None
        self.last_import: reference_lists.ReferenceImportResult | None = None
        self._import_path: Path | None = None
        self._import_phase: list[str] = ["import"]  # of the running import job (import_list)
        self.texts = Texts()
        self.setObjectName("screeningDialog")
        self.texts.set(self, "setWindowTitle", N_("Screening against reference lists"))
        self.texts.set(self, "setAccessibleName", N_("Screening against reference lists"))
        self.setWindowFlag(Qt.WindowType.WindowMaximizeButtonHint, True)
        resize_to_fit(self, 1180, 760)
        self._build()
        self.set_workspace(workspace)
        self.reload()

    def set_workspace(self, workspace: Any) -> None:
        """Decide through ``workspace`` (its undo stack, Ctrl+Z here too); None: directly."""
        if self.workspace is not None:
            for signal, slot in (
                (self.workspace.sig_changed, self._on_changes),
                (self.workspace.sig_error, self._refused),
                (self.workspace.sig_conflict, self._refused),
            ):
                signal.disconnect(slot)
        self.workspace = workspace
        if workspace is None:
            return
        workspace.sig_changed.connect(self._on_changes)
        workspace.sig_error.connect(self._refused)
        workspace.sig_conflict.connect(self._refused)
        if self.findChild(QShortcut, "screeningUndo") is None:
            undo = QShortcut(QKeySequence(QKeySequence.StandardKey.Undo), self)
            undo.setObjectName("screeningUndo")
            undo.activated.connect(lambda: self.workspace and self.workspace.undo_stack.undo())
            for keys in ("Ctrl+Shift+Z", "Ctrl+Y"):
                redo = QShortcut(QKeySequence(keys), self)
                redo.activated.connect(lambda: self.workspace and self.workspace.undo_stack.redo())

    def _on_changes(self, changes: list[Any]) -> None:
        """A decision taken back or made again (Ctrl+Z, Ctrl+Y, the Edit menu): show it."""
        if self._deciding or not any(c.kind == "screening_hit" for c in changes):
            return
        hit = next(c for c in changes if c.kind == "screening_hit")
        self.reload(select_id=hit.id)

    def _refused(self, message: str) -> None:
        if self.isVisible():
            self._say(message)

    # -- construction --------------------------------------------------------------------
    def _button(self, name: str, text: str, tip: str, slot: Any) -> QPushButton:
        button = QPushButton(self)
        button.setObjectName(name)
        self.texts.set(button, "setText", text)
        self.texts.set(button, "setAccessibleName", text.replace("&", "").rstrip(" …"))
        self.texts.set(button, "setToolTip", tip)
        button.setAutoDefault(False)
        button.clicked.connect(slot)
        return button

    def _table(self, name: str, accessible: str) -> QTableView:
        table = QTableView(self)
        table.setObjectName(name)
        self.texts.set(table, "setAccessibleName", accessible)
        table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        table.setAlternatingRowColors(True)
        table.setTabKeyNavigation(False)
        table.verticalHeader().hide()
        table.horizontalHeader().setHighlightSections(False)
        table.horizontalHeader().setObjectName(f"{name}Header")
        self.texts.set(table.horizontalHeader(), "setAccessibleName", N_("Column headers"))
        table.verticalHeader().setObjectName(f"{name}RowHeader")
        self.texts.set(table.verticalHeader(), "setAccessibleName", N_("Row headers"))
        return table

    def _build(self) -> None:
        outer = QVBoxLayout(self)

        lists_box = QGroupBox(self)
        lists_box.setObjectName("referenceListsBox")
        self.texts.set(lists_box, "setTitle", N_("Reference lists"))
        lists_layout = QVBoxLayout(lists_box)
        self.list_model = ReferenceListModel(self)
        self.lists_table = self._table("referenceListsTable", N_("Imported reference lists"))
        self.lists_table.setModel(self.list_model)
        self.lists_table.setMaximumHeight(96)
        self.lists_table.horizontalHeader().setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        lists_layout.addWidget(self.lists_table)
        row = QHBoxLayout()
        self.import_button = self._button(
            "importListButton",
            N_("&Import list …"),
            N_("Import a FollowTheMoney file as a new list or a new version of a list"),
            lambda: self.import_list(),
        )
        self.run_button = self._button(
            "startScreeningButton",
            N_("&Start screening"),
            N_("Compare every actor and contact person with all imported lists"),
            lambda: self.start_full_run(),
        )
        self.lists_hint = QLabel(self)
        self.lists_hint.setObjectName("referenceListsHint")
        self.lists_hint.setWordWrap(True)
        row.addWidget(self.import_button)
        row.addWidget(self.run_button)
        row.addWidget(self.lists_hint, 1)
        lists_layout.addLayout(row)
        outer.addWidget(lists_box)

        summary_row = QHBoxLayout()
        self.summary = QLabel(self)
        self.summary.setObjectName("screeningSummary")
        self.summary.setWordWrap(True)
        self.filter_label = QLabel(self)
        self.filter_label.setObjectName("statusFilterLabel")
        self.texts.set(self.filter_label, "setText", N_("Sho&w:"))
        self.status_filter = QComboBox(self)
        self.status_filter.setObjectName("statusFilter")
        self.texts.set(self.status_filter, "setAccessibleName", N_("Show hits with status"))
        self.filter_label.setBuddy(self.status_filter)
        self.status_filter.view().setObjectName("statusFilterPopup")
        self.texts.set(self.status_filter.view(), "setAccessibleName", N_("Hit status"))
        self._fill_status_filter()
        self.status_filter.currentIndexChanged.connect(lambda _i: self.reload())
        summary_row.addWidget(self.summary, 1)
        summary_row.addWidget(self.filter_label)
        summary_row.addWidget(self.status_filter)
        outer.addLayout(summary_row)

        splitter = QSplitter(Qt.Orientation.Vertical, self)
        splitter.setObjectName("screeningSplitter")
        splitter.setChildrenCollapsible(False)
        self.hit_model = HitTableModel(self)
        self.hits_table = self._table("screeningHits", N_("Screening hits"))
        self.hits_table.setModel(self.hit_model)
        self.hits_table.horizontalHeader().setStretchLastSection(True)
        self.hits_table.horizontalHeader().setResizeContentsPrecision(200)  # fast with many hits
        self.hits_table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        self.hits_table.setTextElideMode(Qt.TextElideMode.ElideRight)
        self.hits_table.setWordWrap(False)
        self.hit_columns = ColumnFitter(self.hits_table, name_column=1, widest=260)
        self.hits_table.selectionModel().currentRowChanged.connect(self._current_changed)
        self.hits_table.doubleClicked.connect(lambda _i: self.open_our_record())
        splitter.addWidget(self.hits_table)
        self.compare = ComparePanel(splitter)
        splitter.addWidget(self.compare)
        splitter.setStretchFactor(0, 3)
        splitter.setStretchFactor(1, 2)
        splitter.setSizes([300, 340])
        outer.addWidget(splitter, 1)

        review = QHBoxLayout()
        self.reason_label = QLabel(self)
        self.reason_label.setObjectName("reasonLabel")
        self.texts.set(self.reason_label, "setText", N_("&Reason:"))
        self.reason_edit = ReasonEdit(self)
        self.reason_edit.setObjectName("reasonEdit")
        self.texts.set(self.reason_edit, "setAccessibleName", N_("Reason for the decision"))
        self.texts.set(
            self.reason_edit,
            "setPlaceholderText",
            N_("Why is this the same entity, or not? (required)"),
        )
        self.reason_label.setBuddy(self.reason_edit)
        self.confirm_button = self._button(
            "confirmHitButton",
            N_("&Confirm (Ctrl+Return)"),
            N_("The listed entity is our record: confirm the hit with the reason given"),
            lambda: self.decide(screening.CONFIRMED),
        )
        self.dismiss_button = self._button(
            "dismissHitButton",
            N_("D&ismiss (Ctrl+Backspace, D)"),
            N_("The listed entity is someone else: dismiss the hit with the reason given"),
            lambda: self.decide(screening.DISMISSED),
        )
        self.open_button = self._button(
            "openRecordButton",
            N_("&Show record"),
            N_("Show our actor or contact person in the main window"),
            lambda: self.open_our_record(),
        )
        review.addWidget(self.reason_label)
        review.addWidget(self.reason_edit, 1)
        review.addWidget(self.confirm_button)
        review.addWidget(self.dismiss_button)
        review.addWidget(self.open_button)
        outer.addLayout(review)
        self.reason_message = QLabel(self)
        self.reason_message.setObjectName("reasonMessage")
        self.reason_message.setWordWrap(True)
        self.reason_message.hide()
        self.reason_edit.textChanged.connect(lambda _t: self.reason_message.hide())
        outer.addWidget(self.reason_message)

        self.action_confirm = self._action(
            "actionConfirmHit", N_("Confirm hit"), CONFIRM_KEYS, screening.CONFIRMED
        )
        self.action_dismiss = self._action(
            "actionDismissHit", N_("Dismiss hit"), DISMISS_KEYS, screening.DISMISSED
        )
        self.d_shortcut = QShortcut(QKeySequence("D"), self.hits_table)
        self.d_shortcut.setObjectName("dismissShortcutD")
        self.d_shortcut.setContext(Qt.ShortcutContext.WidgetShortcut)
        self.d_shortcut.activated.connect(lambda: self.decide(screening.DISMISSED))

    def _fill_status_filter(self) -> None:
        current = self.status_filter.currentData()
        self.status_filter.blockSignals(True)
        self.status_filter.clear()
        self.status_filter.addItem(_("all hits"), None)
        for status in (screening.OPEN, screening.CONFIRMED, screening.DISMISSED):
            self.status_filter.addItem(status_label(status), status)
        self.status_filter.setCurrentIndex(max(self.status_filter.findData(current), 0))
        self.status_filter.blockSignals(False)

    def _action(self, name: str, text: str, keys: tuple[str, ...], decision: str) -> QAction:
        action = QAction(self)
        action.setObjectName(name)
        self.texts.set(action, "setText", text)
        action.setShortcuts([QKeySequence(k) for k in keys])
        action.triggered.connect(lambda _c=False: self.decide(decision))
        self.addAction(action)
        return action

    # -- data ------------------------------------------------------------------------------
    def set_database(self, database: Any) -> None:
        """The window switched to another file: show that file's lists and hits."""
        self.stop()
        self.database = database
        self.hit_model.new_ids.clear()
        self.last_run = None
        self.reload()

    def reload(self, select_id: int | None = None, select_row: int | None = None) -> None:
        """Read lists and hits again; keep (or move to) a selection by hit id or row."""
        if select_id is None and select_row is None:
            current = self.selected_hit()
            select_id = current.id if current else None
        lists = unit.read(self.database, reference_lists.list_reference_lists)
        every = unit.read(self.database, screening.hit_rows)
        wanted = self.status_filter.currentData()
        rows = [r for r in every if wanted is None or r.status == wanted]
        self.list_model.set_rows(lists)
        self.hit_model.set_rows(rows)
        self.lists_table.resizeColumnsToContents()
        self.lists_table.horizontalHeader().setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        self.lists_hint.setText(
            _("No reference list imported yet: import a FollowTheMoney file first.")
            if not lists
            else ""
        )
        self.run_button.setEnabled(bool(lists))
        row = self.hit_model.row_of(select_id) if select_id is not None else -1
        if row < 0 and select_row is not None and self.hit_model.rowCount():
            row = min(select_row, self.hit_model.rowCount() - 1)
        if row < 0 and self.hit_model.rowCount():
            row = 0
        if row >= 0:
            self.select_row(row)
        else:
            self.compare.show_nothing()
        self._update_summary(every, has_lists=bool(lists))
        self._update_review_buttons()
        self._size_hit_columns()

    def _size_hit_columns(self) -> None:
        """Fit the columns to their content and into the list's width (no sideways scrolling:
        a cut name ends in "…" and is whole in its tooltip), no column wider than 260 px."""
        self.hit_columns.refit()

    def select_row(self, row: int) -> None:
        index = self.hit_model.index(row, 1)
        self.hits_table.selectionModel().setCurrentIndex(
            index,
            QItemSelectionModel.SelectionFlag.ClearAndSelect
            | QItemSelectionModel.SelectionFlag.Rows,
        )
        self.hits_table.scrollTo(index)
        self._show(self.hit_model.hit(row))

    def selected_hit(self) -> HitRow | None:
        index = self.hits_table.currentIndex()
        return self.hit_model.hit(index.row()) if index.isValid() else None

    def _current_changed(self, current: Any, _previous: Any) -> None:
        self._show(self.hit_model.hit(current.row()) if current.isValid() else None)
        self.reason_message.hide()
        self._update_review_buttons()

    def _show(self, hit: HitRow | None) -> None:
        if hit is None:
            self.compare.show_nothing()
            return
        ours = unit.read(self.database, lambda s: our_side(s, hit.subject_kind, hit.subject_uuid))
        theirs = unit.read(
            self.database, lambda s: screening.entity_details(s, hit.list_key, hit.entity_key)
        )
        self.compare.show_hit(hit, ours, theirs)

    def _update_summary(self, rows: list[HitRow], *, has_lists: bool = False) -> None:
        undecided = sum(1 for h in rows if h.status == screening.OPEN)
        new = len(self.hit_model.new_ids & {h.id for h in rows})
        parts = [
            ngettext("{n} hit", "{n} hits", len(rows)).format(n=len(rows)),
            ngettext("{n} undecided", "{n} undecided", undecided).format(n=undecided),
        ]
        if new:
            parts.append(ngettext("{n} new", "{n} new", new).format(n=new))
        text = ", ".join(parts) + "."
        if not rows:
            # With a list in, a screening has run (importing starts one): just say so.
            text = (
                _("No hits.")
                if has_lists
                else _("No hits. Start a screening after importing a list.")
            )
        self.summary.setText(text)

    def _update_review_buttons(self) -> None:
        has = self.selected_hit() is not None
        for widget in (self.confirm_button, self.dismiss_button, self.open_button):
            widget.setEnabled(has)

    # -- review ----------------------------------------------------------------------------
    def decide(self, decision: str) -> bool:
        """Confirm or dismiss the selected hit with the reason typed; False if nothing saved."""
        hit = self.selected_hit()
        if hit is None or self.job is not None:
            return False
        reason = self.reason_edit.text().strip()
        if not reason:
            self._say(_("Please give a reason for the decision."))
            self.reason_edit.setFocus()
            return False
        if self.workspace is not None:
            self._deciding = True
            try:
                saved = self.workspace.decide(
                    hit.id, decision, reason, self._decision_text(hit, decision)
                )
            finally:
                self._deciding = False
            if not saved:
                return False
        else:
            try:
                unit.write(self.database, lambda s: screening.decide(s, hit.id, decision, reason))
            except UserError as exc:
                self._say(str(exc))
                return False
        row = self.hit_model.row_of(hit.id)
        self.reason_edit.clear()
        self.reason_message.hide()
        self.reload(select_row=row)
        self._select_next_undecided(row)
        self.hits_table.setFocus()
        return True

    @staticmethod
    def _decision_text(hit: HitRow, decision: str) -> str:
        """What the Edit menu says it would undo: the hit by the list entry and our side."""
        if decision == screening.CONFIRMED:
            text = _("Confirm hit “{entity}” for {subject}")
        else:
            text = _("Dismiss hit “{entity}” for {subject}")
        return text.format(entity=hit.entity_caption, subject=hit.subject_label)

    def _select_next_undecided(self, start: int) -> None:
        """After a decision: the next undecided hit from where the decided one was."""
        n = self.hit_model.rowCount()
        order = [*range(max(start, 0), n), *range(0, min(max(start, 0), n))]
        for row in order:
            hit = self.hit_model.hit(row)
            if hit is not None and hit.status == screening.OPEN:
                self.select_row(row)
                return

    def _say(self, message: str) -> None:
        self.reason_message.setText(message)
        self.reason_message.setAccessibleName(message)
        self.reason_message.show()

    def open_our_record(self) -> None:
        hit = self.selected_hit()
        if hit is None:
            return
        side = unit.read(self.database, lambda s: our_side(s, hit.subject_kind, hit.subject_uuid))
        if side is not None:
            self.sig_open_record.emit(side.kind, side.record_id)

    # -- long jobs ---------------------------------------------------------------------------
    def start_full_run(self) -> Job | None:
        """Screen everyone against every list on a worker thread."""
        if self.job is not None:
            return None
        database = self.database

        def run(progress: Any, cancel: Any) -> RunResult:
            return unit.write(
                database, lambda s: screening.run_everyone(s, progress=progress, cancel=cancel)
            )

        return self._start(_("Screening"), _("Screening actors and contacts …"), run)

    def import_list(self, path: Path | None = None, replace: bool = False) -> Job | None:
        """Import a list (asks for the file unless given), then screen what it changed.

        If another file already holds the list's dataset name, asks before replacing it."""
        if self.job is not None:
            return None
        if path is None:
            name, _filter = QFileDialog.getOpenFileName(
                self, _("Import reference list"), "", _(FTM_FILTER)
            )
            if not name:
                return None
            path = Path(name)
        database = self.database
        chosen = Path(path)
        self._import_path = chosen
        # Which part a failure is in: the import itself (nothing imported), or the screening
        # of what the committed import changed. Read when the job has finished.
        phase = self._import_phase = ["import"]

        def run(progress: Any, cancel: Any) -> tuple[Any, RunResult | None]:
            result = reference_lists.import_reference_list(
                database, chosen, progress=progress, cancel=cancel, replace=replace
            )
            list_key = result.list_key
            if result.status != reference_lists.COMMITTED or list_key is None:
                return result, None
            phase[0] = "screening"
            delta = unit.write(
                database,
                lambda s: screening.run_after_list_update(
                    s,
                    list_key,
                    result.changed_keys,
                    result.removed_keys,
                    progress=progress,
                    cancel=cancel,
                ),
            )
            return result, delta

        return self._start(
            _("Import reference list"),
            _("Importing {name} …").format(name=chosen.name),
            run,
            imported=True,
        )

    def _start(self, title: str, label: str, fn: Any, imported: bool = False) -> Job:
        job = Job(self, title, label, fn)
        self.job = job
        for button in (self.import_button, self.run_button):
            button.setEnabled(False)
        job.sig_finished.connect(
            lambda result, message: self._job_done(job, result, message, imported)
        )
        job.start()
        return job

    def _job_done(self, job: Job, result: Any, message: str, imported: bool) -> None:
        self.job = None
        self.import_button.setEnabled(True)
        job.deleteLater()
        run: RunResult | None = result
        if imported and result is not None:
            self.last_import, run = result
            self._report_import(self.last_import)
        if run is not None:
            self.last_run = run
            self.hit_model.mark_new([*run.new_hit_ids, *run.reopened_hit_ids])
        self.reload()
        if message:
            if job.cancelled:
                self._say(message)
            elif imported and self._import_phase[0] == "import":
                # Refused or failed before anything was imported (e.g. another official is
                # updating the same list on the team server): said as an import, not a run.
                self._say(_("The list was not imported: {problems}").format(problems=message))
            else:
                self._say(_("The screening failed: {reason}").format(reason=message))
        elif run is not None:
            self._report_run(run, job.cancelled)
        self.sig_job_finished.emit()

    def _report_import(self, result: reference_lists.ReferenceImportResult) -> None:
        if result.status == reference_lists.COMMITTED:
            if result.skipped:
                self._say(
                    _("{n} entities were skipped and the rest imported: {problems}").format(
                        n=result.skipped, problems=result.problems.format()
                    )
                )
            return
        if result.status == reference_lists.CANCELLED:
            self._say(_("Import cancelled; the list is unchanged."))
            return
        if result.replace_needed:
            path = self._import_path
            answer = QMessageBox.question(
                self,
                _("Replace the list?"),
                _("{problems}\n\nReplace that list with this file?").format(
                    problems=result.problems.format()
                ),
                QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No,
                QMessageBox.StandardButton.No,
            )
            if answer == QMessageBox.StandardButton.Yes and path is not None:
                QTimer.singleShot(0, lambda: self.import_list(path, replace=True))
            else:
                self._say(_("Import cancelled; the list is unchanged."))
            return
        self._say(
            _("The list was not imported: {problems}").format(problems=result.problems.format())
        )

    def _report_run(self, run: RunResult, cancelled: bool) -> None:
        parts = []
        if cancelled or run.cancelled:
            parts.append(
                _("Screening cancelled after {n} records; the hits found so far are kept.").format(
                    n=run.subjects
                )
            )
        if not run.new_hit_ids and not run.reopened_hit_ids:
            parts.append(_("No new hits."))
        if run.decisions_reused:
            parts.append(
                ngettext(
                    "{n} earlier decision kept.",
                    "{n} earlier decisions kept.",
                    run.decisions_reused,
                ).format(n=run.decisions_reused)
            )
        if parts:
            self.summary.setText(" ".join([self.summary.text(), *parts]))

    def stop(self) -> None:
        """Cancel a running job and wait for its thread."""
        if self.job is not None:
            self.job.stop()

    # -- events ------------------------------------------------------------------------------
    def closeEvent(self, event: Any) -> None:  # noqa: N802
        self.stop()
        super().closeEvent(event)

    def reject(self) -> None:
        self.stop()
        super().reject()

    def changeEvent(self, event: QEvent) -> None:  # noqa: N802
        if event.type() == QEvent.Type.LanguageChange:
            self.retranslate()
        super().changeEvent(event)

    def retranslate(self) -> None:
        self.texts.apply()
        self._fill_status_filter()
        self.compare.retranslate()
        self.hit_model.retranslate()
        self.list_model.retranslate()
        self.reload()


class StopOnClose(QObject):
    """Event filter on the main window: a running screening is cancelled when it closes."""

    def __init__(self, dialog: ScreeningDialog) -> None:
        super().__init__(dialog)
        self.dialog = dialog

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802
        if event.type() == QEvent.Type.Close:
            self.dialog.stop()
        return False
