"""A bar above the workspace for conflicts and failed saves, with Reload and Close."""

from __future__ import annotations

from collections.abc import Callable, Sequence

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QFrame, QHBoxLayout, QLabel, QPushButton, QWidget

from chinadialog_desktop.i18n import _


class MessageBar(QFrame):
    """Hidden until there is something to say; ``sig_reload`` when the user asks to reload."""

    sig_reload = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("messageBar")
        self.setFrameShape(QFrame.Shape.StyledPanel)
        self.setStyleSheet(
            "#messageBar { background: #fff4ce; border: 1px solid #e0b400; border-radius: 4px; }"
            " #messageBar QLabel { color: #3b2f00; }"
        )
        layout = QHBoxLayout(self)
        self.row = layout
        layout.setContentsMargins(10, 6, 6, 6)
        self.label = QLabel(self)
        self.label.setObjectName("messageBarText")
        self.label.setWordWrap(True)
        layout.addWidget(self.label, 1)
        self.reload_button = QPushButton(_("Reload"), self)
        self.reload_button.setObjectName("messageBarReload")
        self.reload_button.setAccessibleName(_("Reload the record from the database"))
        self.reload_button.clicked.connect(self._reload)
        layout.addWidget(self.reload_button)
        self.close_button = QPushButton(_("Close"), self)
        self.close_button.setObjectName("messageBarClose")
        self.close_button.setAccessibleName(_("Close the message"))
        self.close_button.clicked.connect(self.hide)
        layout.addWidget(self.close_button)
        self._choices: list[QPushButton] = []
        self.hide()

    def retranslate(self) -> None:
        self.reload_button.setText(_("Reload"))
        self.reload_button.setAccessibleName(_("Reload the record from the database"))
        self.close_button.setText(_("Close"))
        self.close_button.setAccessibleName(_("Close the message"))

    def show_conflict(self, message: str) -> None:
        self._show(message, reload=True)

    def show_error(self, message: str) -> None:
        self._show(message, reload=False)

    def show_choices(
        self, message: str, choices: Sequence[tuple[str, str, Callable[[], object]]]
    ) -> None:
        """``message`` with a button per choice (objectName, text, what it does); a click
        hides the bar first, so what it does may show the next message."""
        self._show(message, reload=False)
        for name, text, action in choices:
            button = QPushButton(text, self)
            button.setObjectName(name)
            button.setAccessibleName(text.replace("&", ""))
            button.clicked.connect(lambda _checked=False, act=action: self._choose(act))
            self.row.insertWidget(self.row.indexOf(self.close_button), button)
            self._choices.append(button)

    def _choose(self, action: Callable[[], object]) -> None:
        self.hide()
        action()

    def _show(self, message: str, *, reload: bool) -> None:
        for button in self._choices:  # the choices of an earlier message
            button.hide()
            button.deleteLater()
        self._choices.clear()
        self.label.setText(message)
        self.setAccessibleName(message)
        self.reload_button.setVisible(reload)
        self.show()

    def _reload(self) -> None:
        self.hide()
        self.sig_reload.emit()
