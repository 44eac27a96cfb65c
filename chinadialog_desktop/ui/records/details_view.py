"""Read-only details of a list row (assessments, import runs, reference lists)."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QFormLayout, QLabel, QWidget

from chinadialog_desktop.i18n import _
from chinadialog_desktop.services.records.lists import list_rows
from chinadialog_desktop.ui.records.list_columns import HEADERS, cell_text


class DetailsView(QWidget):
    """Shows every column of the selected row as label and value; nothing is editable here."""

    sig_record_shown = Signal(bool)  # a row shown (True) or none (False), as RecordEditor

    def __init__(self, workspace: Any, kind: str, hint: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.workspace = workspace
        self.kind = kind
        self.record_id: int | None = None
        self.setObjectName(f"{kind}Details")
        self.form = QFormLayout(self)
        self.form.setContentsMargins(12, 8, 12, 8)
        self.hint = QLabel(_(hint), self)
        self.hint.setObjectName(f"{kind}DetailsHint")
        self.hint.setWordWrap(True)
        self.form.addRow(self.hint)
        self.values: dict[str, QLabel] = {}
        for key, header in HEADERS[kind]:
            value = QLabel(self)
            value.setObjectName(f"{kind}Details_{key}")
            value.setWordWrap(True)
            value.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
            self.values[key] = value
            self.form.addRow(_(header), value)

    def load(self, record_id: int | None) -> None:
        rows = (
            []
            if record_id is None
            else self.workspace.read(lambda s: list_rows(s, self.kind, [record_id]))
        )
        row = rows[0] if rows else None
        for key, label in self.values.items():
            label.setText(cell_text(self.kind, row, key) if row else "")
        shown = record_id if row is not None else None
        if (shown is None) != (self.record_id is None):
            self.sig_record_shown.emit(shown is not None)
        self.record_id = shown

    def flush(self) -> None:
        """Nothing to save: the page is read-only."""
