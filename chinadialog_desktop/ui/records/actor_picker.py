"""Choose an actor from a searchable list (a partnership's new party)."""

from __future__ import annotations

import unicodedata
from collections.abc import Sequence

from PySide6.QtCore import QEvent, QObject, Qt, Signal
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from chinadialog_desktop.i18n import _
from chinadialog_desktop.ui.common.screen_fit import resize_to_fit


def folded(text: str) -> str:
    """Lower case without accents and tone marks: "Shàngh" finds "shangh", "Koeln" not "Köln"."""
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    return "".join(c for c in decomposed if not unicodedata.combining(c))


class ActorPicker(QDialog):
    """A search field over the actors; Enter or OK takes the selected one.

    ``sig_chosen(actor_id)`` fires on OK. Typing narrows the list to the actors whose name
    (German, characters, country) contains every typed word.
    """

    sig_chosen = Signal(int)
    sig_create = Signal(str, str)  # a new actor: name, country (CN or DE)

    def __init__(
        self,
        choices: Sequence[tuple[int, str]],
        title: str,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.setObjectName("actorPicker")
        self.setWindowTitle(title)
        self.setAccessibleName(title)
        resize_to_fit(self, 460, 420)
        layout = QVBoxLayout(self)
        self.search = QLineEdit(self)
        self.search.setObjectName("actorPickerSearch")
        self.search.setAccessibleName(_("Search actors"))
        self.search.setPlaceholderText(_("Name, characters or country …"))
        self.search.setClearButtonEnabled(True)
        caption = QLabel(_("&Search:"), self)
        caption.setBuddy(self.search)
        layout.addWidget(caption)
        layout.addWidget(self.search)
        self.list = QListWidget(self)
        self.list.setObjectName("actorPickerList")
        self.list.setAccessibleName(_("Actors"))
        for actor_id, text in choices:
            item = QListWidgetItem(text, self.list)
            item.setData(Qt.ItemDataRole.UserRole, actor_id)
            item.setData(Qt.ItemDataRole.UserRole + 1, folded(text))
        layout.addWidget(self.list, 1)
        self.empty_label = QLabel(self)
        self.empty_label.setObjectName("actorPickerEmpty")
        self.empty_label.setWordWrap(True)
        layout.addWidget(self.empty_label)
        # No match: the partner can be created on the spot, on either side.
        self.create_buttons: dict[str, QPushButton] = {}
        row = QHBoxLayout()
        for country in ("CN", "DE"):
            button = QPushButton(self)
            button.setObjectName(f"actorPickerCreate{country}")
            button.clicked.connect(lambda _c=False, c=country: self._create(c))
            button.hide()
            row.addWidget(button)
            self.create_buttons[country] = button
        row.addStretch(1)
        layout.addLayout(row)
        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel, self
        )
        self.buttons.setObjectName("actorPickerButtons")
        layout.addWidget(self.buttons)
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        self.search.textChanged.connect(self._filter)
        self.list.itemDoubleClicked.connect(lambda _item: self.accept())
        self.list.currentItemChanged.connect(lambda *_a: self._update_ok())
        self.search.installEventFilter(self)
        self._filter("")
        self.search.setFocus()

    def _filter(self, text: str) -> None:
        words = folded(text).split()
        first: QListWidgetItem | None = None
        for row in range(self.list.count()):
            item = self.list.item(row)
            hay = str(item.data(Qt.ItemDataRole.UserRole + 1))
            hidden = not all(word in hay for word in words)
            item.setHidden(hidden)
            if not hidden and first is None:
                first = item
        current = self.list.currentItem()
        if current is None or current.isHidden():
            if first is None:
                self.list.setCurrentRow(-1)  # nothing shown: no current item
            else:
                self.list.setCurrentItem(first)
        name = text.strip()
        if first is None:
            self.empty_label.setText(
                _("No actor matches “{name}”. Create it here as a new actor:").format(name=name)
                if name
                else _("Every actor is already a party. Type the name of a new one.")
            )
        self.empty_label.setVisible(first is None)
        labels = {
            "CN": _("New actor “{name}”, Chinese side"),
            "DE": _("New actor “{name}”, German side"),
        }
        for country, button in self.create_buttons.items():
            button.setText(labels[country].format(name=name))
            button.setAccessibleName(button.text())
            button.setVisible(first is None and bool(name))
        self._update_ok()

    def _update_ok(self) -> None:
        ok = self.buttons.button(QDialogButtonBox.StandardButton.Ok)
        ok.setEnabled(self.chosen() is not None)

    def chosen(self) -> int | None:
        item = self.list.currentItem()
        if item is None or item.isHidden():
            return None
        return int(item.data(Qt.ItemDataRole.UserRole))

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802
        # Up and Down in the search field move through the list, as in a combo box.
        if (
            watched is self.search
            and isinstance(event, QKeyEvent)
            and event.type() == QKeyEvent.Type.KeyPress
            and event.key() in (Qt.Key.Key_Up, Qt.Key.Key_Down)
        ):
            self.list.keyPressEvent(event)
            return True
        return super().eventFilter(watched, event)

    def _create(self, country: str) -> None:
        name = self.search.text().strip()
        if not name:
            return
        super().accept()
        self.sig_create.emit(name, country)

    def accept(self) -> None:
        actor_id = self.chosen()
        if actor_id is None:
            return
        super().accept()
        self.sig_chosen.emit(actor_id)


__all__ = ["ActorPicker", "folded"]
