"""The source editor: who published what, when, where, and when it was read."""

from __future__ import annotations

from PySide6.QtWidgets import QWidget

from chinadialog_desktop.domain.kinds import Kind
from chinadialog_desktop.ui.records.editor import RecordEditor
from chinadialog_desktop.ui.records.form import specs_for
from chinadialog_desktop.ui.window.workspace import Workspace

SPECS = specs_for(Kind.SOURCE)


class SourceEditor(RecordEditor):
    def __init__(self, workspace: Workspace, parent: QWidget | None = None) -> None:
        super().__init__(workspace, "source", SPECS, "source", parent)
