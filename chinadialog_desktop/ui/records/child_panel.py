"""The records of one parent: a small table, Add/Remove, and a form for the selected one."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QHBoxLayout,
    QHeaderView,
    QPushButton,
    QScrollArea,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from chinadialog_desktop.errors import UserError
from chinadialog_desktop.i18n import _
from chinadialog_desktop.services.records import edit as records
from chinadialog_desktop.ui.common import confirm
from chinadialog_desktop.ui.records.child_model import ChildTableModel
from chinadialog_desktop.ui.records.form import FieldSpec, RecordForm
from chinadialog_desktop.ui.window.workspace import Workspace

Column = tuple[str, str, Callable[[dict[str, Any]], str]]


class ChildPanel(QWidget):
    """Children of kind ``kind`` whose ``parent_field`` is the parent's id.

    ``defaults(session, parent_id)`` gives the values of a new child (or
    raises UserError when none can be made, e.g. no actor to link yet);
    ``extra(session, obj)`` adds display values (a linked actor's name).
    """

    def __init__(
        self,
        workspace: Workspace,
        kind: str,
        parent_field: str,
        columns: Sequence[Column],
        specs: Sequence[FieldSpec],
        defaults: Callable[[Any, int], dict[str, Any]],
        prefix: str,
        noun: str,
        *,
        order_by: str = "id",
        extra: Callable[[Any, Any], dict[str, Any]] | None = None,
        pick: Callable[[ChildPanel, int], None] | None = None,
        parent: QWidget | None = None,
    ) -> None:
        """``pick(panel, parent_id)``, if given, lets the user choose what "Add" adds (a
        picker that calls ``panel.add_values`` with the choice) instead of the defaults."""
        super().__init__(parent)
        self.pick = pick
        self.picker: QDialog | None = None  # the dialog ``pick`` opened last
        self.workspace = workspace
        self.kind = kind
        self.parent_field = parent_field
        self.defaults = defaults
        self.order_by = order_by
        self.extra = extra
        self.noun = noun
        self.parent_id: int | None = None
        self.setObjectName(f"{prefix}Panel")

        layout = QVBoxLayout(self)
        layout.setContentsMargins(4, 4, 4, 4)
        buttons = QHBoxLayout()
        self.add_button = QPushButton(_("Add {what}").format(what=_(noun)), self)
        self.add_button.setObjectName(f"{prefix}Add")
        self.add_button.setAccessibleName(self.add_button.text())
        self.add_button.clicked.connect(self.add)
        self.remove_button = QPushButton(_("Remove"), self)
        self.remove_button.setObjectName(f"{prefix}Remove")
        self.remove_button.setAccessibleName(_("Remove {what}").format(what=_(noun)))
        self.remove_button.clicked.connect(self.remove)
        buttons.addWidget(self.add_button)
        buttons.addWidget(self.remove_button)
        buttons.addStretch(1)
        layout.addLayout(buttons)

        self.model = ChildTableModel(columns, self)
        self.table = QTableView(self)
        self.table.setObjectName(f"{prefix}Table")
        self.table.setAccessibleName(_(noun))
        self.table.setModel(self.model)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setTabKeyNavigation(False)  # Tab goes on to the form below
        self.table.verticalHeader().hide()
        self.table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        self.table.horizontalHeader().setStretchLastSection(True)
        self.table.setMinimumHeight(90)
        self.table.selectionModel().currentRowChanged.connect(self._current_changed)
        layout.addWidget(self.table, 1)

        self.form = RecordForm(kind, specs, prefix, self)
        self.form.sig_edit.connect(self._edited)
        layout.addWidget(self.form)
        self.current_uuid: str | None = None
        self.current_version: int | None = None
        self._update_enabled()
        workspace.sig_changed.connect(self.on_changes)

    # -- loading ------------------------------------------------------------
    def set_parent_id(self, parent_id: int | None) -> None:
        self.parent_id = parent_id
        self.current_uuid = None
        self.reload()

    def reload(self) -> None:
        keep = self.current_uuid
        if self.parent_id is None:
            rows: list[dict[str, Any]] = []
        else:
            rows = self.workspace.read(self._rows)
        self.model.set_rows(rows)
        self.table.resizeColumnsToContents()
        row = self.model.row_of(keep) if keep else None
        if row is None and rows:
            row = 0
        if row is not None:
            # Selecting here is not the user's doing: no flush of pending edits.
            selection = self.table.selectionModel()
            selection.blockSignals(True)
            self.table.selectRow(row)
            selection.blockSignals(False)
            self._show(row)
        else:
            self._show(None)
        self._update_enabled()

    def _rows(self, session: Any) -> list[dict[str, Any]]:
        assert self.parent_id is not None
        return records.children(
            session, self.kind, self.parent_field, self.parent_id, self.order_by, self.extra
        )

    def _current_changed(self, current: Any, _previous: Any) -> None:
        target = self.model.row_values(current.row())["uuid"] if current.isValid() else None
        self.form.flush()  # a pending text edit belongs to the child it was typed for
        self.select(target)

    def select(self, uuid: str | None) -> None:
        row = self.model.row_of(uuid) if uuid else None
        selection = self.table.selectionModel()
        selection.blockSignals(True)
        if row is None:
            self.table.clearSelection()
        else:
            self.table.selectRow(row)
        selection.blockSignals(False)
        self._show(row)

    def _show(self, row: int | None) -> None:
        if row is None or row >= self.model.rowCount():
            self.current_uuid = None
            self.current_version = None
            self.form.load({})
            self.form.setEnabled(False)
        else:
            values = self.model.row_values(row)
            self.current_uuid = values["uuid"]
            self.current_version = values["version"]
            self.form.refresh_options()
            self.form.load(values)
            self.form.setEnabled(True)
        self._update_enabled()

    def _update_enabled(self) -> None:
        self.add_button.setEnabled(self.parent_id is not None)
        self.remove_button.setEnabled(self.current_uuid is not None)

    # -- changing -------------------------------------------------------------
    def add(self) -> None:
        if self.parent_id is None:
            return
        parent_id = self.parent_id
        if self.pick is not None:
            self.pick(self, parent_id)
            return
        try:
            values = self.workspace.read(lambda s: self.defaults(s, parent_id))
        except UserError as exc:
            self.workspace.sig_error.emit(str(exc))
            return
        self.add_values(values)

    def add_values(self, values: dict[str, Any]) -> None:
        """Create a child with ``values`` under the record shown, select it and show its form."""
        if self.parent_id is None:
            return
        values = {**values, self.parent_field: self.parent_id}
        uuid = self.workspace.create(self.kind, values, _("Add {what}").format(what=_(self.noun)))
        if uuid is not None:
            self.current_uuid = uuid
            self.reload()
            self.form.focus_first()
            self._reveal_form()

    def _reveal_form(self) -> None:
        """Scroll the editor to the new row's fields: they sit below the table, often off screen."""
        parent = self.parentWidget()
        while parent is not None and not isinstance(parent, QScrollArea):
            parent = parent.parentWidget()
        if parent is not None:
            parent.ensureWidgetVisible(self.form, 0, 8)

    def remove(self) -> None:
        if self.current_uuid is None:
            return
        row = self.model.row_of(self.current_uuid)
        what = self.model.data(self.model.index(row or 0, 0)) or _(self.noun)
        if not confirm.ask_delete(self.window(), str(what)):
            return
        self.workspace.delete(
            self.kind,
            self.current_uuid,
            self.current_version,
            _("Remove {what}").format(what=_(self.noun)),
        )

    def _edited(self, changed: dict[str, Any]) -> None:
        if self.current_uuid is None:
            return
        self.workspace.edit(
            self.kind,
            self.current_uuid,
            changed,
            self.current_version,
            _("Edit {what}").format(what=_(self.noun)),
        )

    def on_changes(self, changes: list[records.Change]) -> None:
        if any(c.kind in self.form.ref_kinds for c in changes):
            self.form.options_stale = True  # e.g. an actor renamed or added
        if self.parent_id is None:
            return
        mine = [c for c in changes if c.kind == self.kind]
        if not mine and not any(c.action != "update" for c in changes):
            return
        for change in mine:
            if change.uuid == self.current_uuid and change.action == "update":
                self.current_version = change.version
        self.reload()
