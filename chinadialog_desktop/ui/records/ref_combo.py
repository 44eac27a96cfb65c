"""A combo box that links to another record and reads its choices only when opened.

With 20,000 actors a full list costs a tenth of a second to read and fill;
the editor shows the linked record's name at once and reads the list when
the user opens it or moves into it with the keyboard.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

from PySide6.QtWidgets import QComboBox, QWidget

Loader = Callable[[], Sequence[tuple[Any, str]]]


class RefComboBox(QComboBox):
    def __init__(self, loader: Loader | None, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._loader = loader
        self._pairs: list[tuple[Any, str]] | None = None
        self._value: Any = None
        self._text = ""
        self._filled = False

    def invalidate(self) -> None:
        """The linked records changed: read the choices again when next needed."""
        self._pairs = None
        if self._filled:
            self.set_value(self._value, self._text)

    def set_value(self, value: Any, text: str | None = None) -> None:
        """Show ``value`` (a record id) with ``text`` as the only entry until the list is needed."""
        self._value = value
        self._text = text if text is not None else str(value or "")
        blocked = self.blockSignals(True)
        self.clear()
        self._filled = False
        if value is not None:
            self.addItem(self._text, value)
            self.setCurrentIndex(0)
        self.blockSignals(blocked)

    def fill(self) -> None:
        if self._filled:
            return
        if self._pairs is None:
            self._pairs = list(self._loader()) if self._loader is not None else []
        blocked = self.blockSignals(True)
        self.clear()
        for value, text in self._pairs:
            self.addItem(text, value)
        self.setCurrentIndex(self.findData(self._value))
        self._filled = True
        self.blockSignals(blocked)

    def showPopup(self) -> None:  # noqa: N802
        self.fill()
        super().showPopup()

    def focusInEvent(self, event: Any) -> None:  # noqa: N802
        self.fill()  # arrow keys and typing then reach every choice
        super().focusInEvent(event)

    def choose(self, value: Any) -> int:
        """Select ``value`` as a user would (reads the list); returns its index or -1."""
        self.fill()
        index = self.findData(value)
        if index >= 0:
            self.setCurrentIndex(index)
            self._value = value
            self._text = self.itemText(index)
        return index
