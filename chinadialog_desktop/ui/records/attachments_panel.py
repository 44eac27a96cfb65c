"""Files kept in the database: add by dialog or drag and drop, open, export, remove."""

from __future__ import annotations

import hashlib
import mimetypes
import tempfile
from pathlib import Path
from typing import Any

from PySide6.QtCore import QUrl
from PySide6.QtGui import QDesktopServices, QDragEnterEvent, QDropEvent
from PySide6.QtWidgets import QFileDialog, QHBoxLayout, QPushButton, QVBoxLayout, QWidget

from chinadialog_desktop.errors import UserError
from chinadialog_desktop.i18n import N_, _, format_number
from chinadialog_desktop.services.records import edit as records
from chinadialog_desktop.ui.records.child_panel import ChildPanel
from chinadialog_desktop.ui.records.form import FieldSpec
from chinadialog_desktop.ui.window.workspace import Workspace

MAX_BYTES = 200 * 1024 * 1024  # a database is copied around; very large files belong elsewhere
SPECS = (
    FieldSpec("file_name", N_("File name")),
    FieldSpec("description", N_("Description"), "text"),
    # A PDF's pages cannot be cleaned of internal passages and names: only a file released
    # here is listed in, and appended to, the public version of a briefing.
    FieldSpec("public_release", N_("Released for the public version of briefings"), "bool"),
)


def file_values(path: Path) -> dict[str, Any]:
    """The attachment record of a file: bytes, size, SHA-256 and media type."""
    data = path.read_bytes()
    if len(data) > MAX_BYTES:
        raise UserError(
            _("{name} is larger than 200 MB and cannot be attached.").format(name=path.name)
        )
    media_type = mimetypes.guess_type(path.name)[0] or "application/octet-stream"
    return {
        "file_name": path.name,
        "media_type": media_type,
        "size": len(data),
        "sha256": hashlib.sha256(data).hexdigest(),
        "data": data,
    }


def _size(row: dict[str, Any]) -> str:
    size = row["size"]
    if size >= 1024 * 1024:
        return f"{format_number(size / 1024 / 1024, 1)} MB"
    return f"{format_number(size / 1024, 1)} KB"


class AttachmentsPanel(ChildPanel):
    """Attachments of one record (partnership or dossier); files dropped here are added."""

    def __init__(
        self, workspace: Workspace, parent_field: str, prefix: str, parent: QWidget | None = None
    ) -> None:
        super().__init__(
            workspace,
            "attachment",
            parent_field,
            (
                ("file_name", N_("File"), lambda r: r["file_name"]),
                ("size", N_("Size"), _size),
                ("sha256", N_("SHA-256"), lambda r: r["sha256"][:16] + "…"),
                (
                    "public_release",
                    N_("Public version"),
                    lambda r: _("released") if r.get("public_release") else "",
                ),
            ),
            SPECS,
            self._pick,
            prefix,
            N_("file"),
            order_by="file_name",
            parent=parent,
        )
        self.setAcceptDrops(True)
        self.table.setAcceptDrops(False)
        self.table.setToolTip(_("Drop files here to attach them."))
        row = QHBoxLayout()
        # Not "Open" alone: that is the classification ("Offen"), this is the verb.
        self.open_button = QPushButton(_("Open file"), self)
        self.open_button.setObjectName(f"{prefix}Open")
        self.open_button.setAccessibleName(_("Open the file with the system viewer"))
        self.open_button.clicked.connect(self.open_current)
        self.export_button = QPushButton(_("Export …"), self)
        self.export_button.setObjectName(f"{prefix}Export")
        self.export_button.setAccessibleName(_("Save a copy of the file"))
        self.export_button.clicked.connect(self.export_current)
        row.addWidget(self.open_button)
        row.addWidget(self.export_button)
        row.addStretch(1)
        outer = self.layout()
        assert isinstance(outer, QVBoxLayout)  # ChildPanel lays itself out in a QVBoxLayout
        outer.insertLayout(1, row)
        self._pending: list[Path] = []

    # -- adding -----------------------------------------------------------
    def _pick(self, _session: Any, _parent_id: int) -> dict[str, Any]:
        if self._pending:
            return file_values(self._pending.pop(0))
        name, _filter = QFileDialog.getOpenFileName(self, _("Attach a file"))
        if not name:
            raise UserError(_("No file chosen."))
        return file_values(Path(name))

    def add_files(self, paths: list[Path]) -> None:
        """Attach each file as its own undoable step."""
        for path in paths:
            self._pending = [path]
            self.add()
        self._pending = []

    def dragEnterEvent(self, event: QDragEnterEvent) -> None:  # noqa: N802
        if self.parent_id is not None and event.mimeData().hasUrls():
            event.acceptProposedAction()

    def dropEvent(self, event: QDropEvent) -> None:  # noqa: N802
        paths = [Path(u.toLocalFile()) for u in event.mimeData().urls() if u.isLocalFile()]
        self.add_files([p for p in paths if p.is_file()])
        event.acceptProposedAction()

    # -- reading back ---------------------------------------------------------
    def _current_bytes(self) -> tuple[str, bytes] | None:
        if self.current_uuid is None:
            return None
        uuid = self.current_uuid
        return self.workspace.read(
            lambda s: (lambda a: (a.file_name, a.data))(records.get_attachment(s, uuid))
        )

    def write_copy(self, target: Path) -> Path | None:
        found = self._current_bytes()
        if found is None:
            return None
        target.write_bytes(found[1])
        return target

    def export_current(self) -> None:
        found = self._current_bytes()
        if found is None:
            return
        name, _filter = QFileDialog.getSaveFileName(self, _("Export file"), found[0])
        if name:
            Path(name).write_bytes(found[1])

    def open_current(self) -> Path | None:
        """Open a temporary copy, so the viewer can never change the stored file."""
        found = self._current_bytes()
        if found is None:
            return None
        folder = Path(tempfile.mkdtemp(prefix="chinadialog-"))
        path = folder / Path(found[0]).name
        path.write_bytes(found[1])
        QDesktopServices.openUrl(QUrl.fromLocalFile(str(path)))
        return path

    def _update_enabled(self) -> None:
        super()._update_enabled()
        if hasattr(self, "open_button"):
            self.open_button.setEnabled(self.current_uuid is not None)
            self.export_button.setEnabled(self.current_uuid is not None)
