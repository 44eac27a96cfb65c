"""A dossier text section: a rich-text field (bold, italic, lists, links) stored as Markdown."""

from __future__ import annotations

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QVBoxLayout, QWidget

from chinadialog_desktop.i18n import _
from chinadialog_desktop.ui.records.rich_text import RichTextEditor


class SectionEditor(QWidget):
    """``sig_finished(markdown)`` after a pause in typing, on leaving, and after a button."""

    sig_finished = Signal(str)

    def __init__(self, key: str, title: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.key = key
        self.setObjectName(f"section_{key}")
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 4, 0, 0)
        self.editor = RichTextEditor(f"section_{key}", title, self)
        self.text = self.editor.text
        self.text.setAccessibleDescription(
            _("Formatted text: Ctrl+B bold, Ctrl+I italic, Ctrl+Shift+L list, Ctrl+K link")
        )
        self.text.setPlaceholderText(
            _("Write the text here. Use the buttons or keys for bold, italic, lists and links.")
        )
        self.text.sig_finished.connect(self._finished)
        self._last = ""  # the text as last loaded or reported: unchanged text is not saved
        layout.addWidget(self.editor, 1)

    def _finished(self) -> None:
        markdown = self.text.markdown()
        if markdown != self._last:
            self._last = markdown
            self.sig_finished.emit(markdown)

    def set_text(self, body: str) -> None:
        """Show ``body`` unless the field already holds it (an echo of its own save)."""
        self._last = body
        if self.text.markdown() != body:
            self.text.set_markdown_quietly(body)
