"""A dossier text section in the safe markup: plain text with Bold, Italic and List buttons."""

from __future__ import annotations

from PySide6.QtCore import Signal
from PySide6.QtGui import QKeySequence, QShortcut, QTextCursor
from PySide6.QtWidgets import QHBoxLayout, QPushButton, QVBoxLayout, QWidget

from chinadialog_desktop.i18n import _
from chinadialog_desktop.ui.record_form import PlainTextField


def wrap(text: str, start: int, end: int, marker: str) -> tuple[str, int, int]:
    """Put ``marker`` around text[start:end]; returns the text and the new selection."""
    selected = text[start:end]
    if not selected:
        selected = _("text")
    new = text[:start] + marker + selected + marker + text[end:]
    return new, start + len(marker), start + len(marker) + len(selected)


def listify(text: str, start: int, end: int) -> str:
    """Turn the lines touched by [start, end] into ``- `` list items (or back)."""
    line_start = text.rfind("\n", 0, start) + 1
    line_end = text.find("\n", end)
    line_end = len(text) if line_end == -1 else line_end
    lines = text[line_start:line_end].split("\n")
    if all(line.startswith("- ") for line in lines if line):
        changed = [line[2:] if line.startswith("- ") else line for line in lines]
    else:
        changed = [line if line.startswith("- ") else f"- {line}" for line in lines]
    return text[:line_start] + "\n".join(changed) + text[line_end:]


class SectionEditor(QWidget):
    """``sig_finished(text)`` after a pause in typing, on leaving, and after a button."""

    sig_finished = Signal(str)

    def __init__(self, key: str, title: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.key = key
        self.setObjectName(f"section_{key}")
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 4, 0, 0)
        bar = QHBoxLayout()
        self.text = PlainTextField(self)
        self.text.setObjectName(f"section_{key}_text")
        self.text.setAccessibleName(title)
        self.text.setAccessibleDescription(
            _("Blank line: new paragraph; - at the start of a line: list item; **bold**; *italic*")
        )
        self.text.setPlaceholderText(
            _("Paragraphs are separated by a blank line. Use the buttons for bold, italic, lists.")
        )
        self.text.sig_finished.connect(lambda: self.sig_finished.emit(self.text.toPlainText()))
        for name, caption, tip, handler, keys in (
            ("bold", _("Bold"), _("Bold (Ctrl+B): **text**"), self.bold, "Ctrl+B"),
            ("italic", _("Italic"), _("Italic (Ctrl+I): *text*"), self.italic, "Ctrl+I"),
            ("list", _("List"), _("List item: - text"), self.make_list, None),
        ):
            button = QPushButton(caption, self)
            button.setObjectName(f"section_{key}_{name}")
            button.setAccessibleName(tip)
            button.setToolTip(tip)
            button.clicked.connect(handler)
            bar.addWidget(button)
            if keys:
                shortcut = QShortcut(QKeySequence(keys), self.text)
                shortcut.activated.connect(handler)
        bar.addStretch(1)
        layout.addLayout(bar)
        layout.addWidget(self.text, 1)

    def set_text(self, body: str) -> None:
        if self.text.toPlainText() != body:
            self.text.set_text_quietly(body)

    def _apply(self, text: str, start: int, end: int) -> None:
        self.text.setPlainText(text)  # undoable as one step in the app's undo stack
        cursor = self.text.textCursor()
        cursor.setPosition(start)
        cursor.setPosition(end, QTextCursor.MoveMode.KeepAnchor)
        self.text.setTextCursor(cursor)
        self.text.flush()
        self.text.setFocus()

    def _selection(self) -> tuple[str, int, int]:
        cursor = self.text.textCursor()
        return self.text.toPlainText(), cursor.selectionStart(), cursor.selectionEnd()

    def bold(self) -> None:
        self._apply(*wrap(*self._selection(), "**"))

    def italic(self) -> None:
        self._apply(*wrap(*self._selection(), "*"))

    def make_list(self) -> None:
        text, start, end = self._selection()
        new = listify(text, start, end)
        self._apply(new, start, start)
