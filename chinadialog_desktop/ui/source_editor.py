"""The source editor: who published what, when, where, and when it was read."""

from __future__ import annotations

from PySide6.QtWidgets import QWidget

from chinadialog_desktop.i18n import N_
from chinadialog_desktop.ui.record_editor import RecordEditor
from chinadialog_desktop.ui.record_form import FieldSpec
from chinadialog_desktop.ui.workspace import Workspace

SPECS = (
    FieldSpec("title", N_("Title")),
    FieldSpec("author", N_("Author / publisher")),
    FieldSpec("year", N_("Year"), "year"),
    FieldSpec("url", N_("URL")),
    FieldSpec("accessed_on", N_("Accessed on"), "date"),
    FieldSpec("note", N_("Note"), "text"),
)


class SourceEditor(RecordEditor):
    def __init__(self, workspace: Workspace, parent: QWidget | None = None) -> None:
        super().__init__(workspace, "source", SPECS, "source", parent)
