"""A tab widget's tabs as a row of buttons that wraps, instead of scroll arrows.

At 1024×768 the partnership editor's eight tabs (parties, timeline, contacts,
files and the four registers) did not fit its column: Qt hid most of them behind
scroll arrows. ``wrap_tabs(tabs)`` hides the tab bar and shows one checkable
button per tab in a flow layout above the pages: as many per row as fit, the rest
on the next row, every tab always in sight. The QTabWidget stays the one place
that knows the pages and the current one (``setCurrentIndex``, ``currentChanged``,
Ctrl+Tab); the buttons follow it.
"""

from __future__ import annotations

from PySide6.QtCore import QPoint, QRect, QSize, Qt
from PySide6.QtWidgets import (
    QButtonGroup,
    QLayout,
    QLayoutItem,
    QSizePolicy,
    QTabWidget,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from chinadialog_desktop.ui.common.wheel_guard import WheelGuard


class FlowLayout(QLayout):
    """Items left to right, wrapping onto a new row when the width runs out."""

    def __init__(self, parent: QWidget | None = None, spacing: int = 4) -> None:
        super().__init__(parent)
        self._items: list[QLayoutItem] = []
        self._gap = spacing
        self.setContentsMargins(0, 0, 0, 0)

    def addItem(self, item: QLayoutItem) -> None:  # noqa: N802
        self._items.append(item)

    def count(self) -> int:
        return len(self._items)

    def itemAt(self, index: int) -> QLayoutItem | None:  # noqa: N802
        return self._items[index] if 0 <= index < len(self._items) else None

    def takeAt(self, index: int) -> QLayoutItem | None:  # noqa: N802
        return self._items.pop(index) if 0 <= index < len(self._items) else None

    def expandingDirections(self) -> Qt.Orientation:  # noqa: N802
        return Qt.Orientation(0)

    def hasHeightForWidth(self) -> bool:  # noqa: N802
        return True

    def heightForWidth(self, width: int) -> int:  # noqa: N802
        return self._arrange(QRect(0, 0, width, 0), move=False)

    def setGeometry(self, rect: QRect) -> None:  # noqa: N802
        super().setGeometry(rect)
        self._arrange(rect, move=True)

    def sizeHint(self) -> QSize:  # noqa: N802
        return self.minimumSize()

    def minimumSize(self) -> QSize:  # noqa: N802
        size = QSize()
        for item in self._items:
            size = size.expandedTo(item.minimumSize())
        return size

    def _arrange(self, rect: QRect, move: bool) -> int:
        x, y, row_height = rect.x(), rect.y(), 0
        for item in self._items:
            hint = item.sizeHint()
            if x + hint.width() > rect.right() + 1 and row_height > 0:
                x, y = rect.x(), y + row_height + self._gap
                row_height = 0
            if move:
                item.setGeometry(QRect(QPoint(x, y), hint))
            x += hint.width() + self._gap
            row_height = max(row_height, hint.height())
        return y + row_height - rect.y()


class TabButtons(QWidget):
    """One checkable button per tab of ``tabs``, wrapping (see the module docstring)."""

    def __init__(self, tabs: QTabWidget, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.tabs = tabs
        self.setObjectName(f"{tabs.objectName()}Buttons")
        self.setAccessibleName(tabs.accessibleName())
        policy = QSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Preferred)
        policy.setHeightForWidth(True)
        self.setSizePolicy(policy)
        self.group = QButtonGroup(self)
        self.group.setExclusive(True)
        layout = FlowLayout(self)
        self.guard = WheelGuard(self)  # the wheel over a button scrolls the editor
        for index in range(tabs.count()):
            button = QToolButton(self)
            button.setObjectName(f"{tabs.objectName()}Button{index}")
            button.setCheckable(True)
            button.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextOnly)
            button.installEventFilter(self.guard)
            self.group.addButton(button, index)
            layout.addWidget(button)
        self.retranslate_ui()
        self.group.idClicked.connect(tabs.setCurrentIndex)
        tabs.currentChanged.connect(self._follow)
        self._follow(tabs.currentIndex())

    def buttons(self) -> list[QToolButton]:
        return [b for b in self.group.buttons() if isinstance(b, QToolButton)]

    def retranslate_ui(self) -> None:
        """Take the tabs' texts (after the tab widget was re-translated)."""
        for index, button in enumerate(self.buttons()):
            button.setText(self.tabs.tabText(index))
            button.setAccessibleName(self.tabs.tabText(index))

    def _follow(self, index: int) -> None:
        button = self.group.button(index)
        if button is not None:
            button.setChecked(True)


def wrap_tabs(tabs: QTabWidget, parent: QWidget | None = None) -> QWidget:
    """A widget holding ``tabs`` under wrapping buttons instead of its tab bar."""
    box = QWidget(parent)
    box.setObjectName(f"{tabs.objectName()}Box")
    layout = QVBoxLayout(box)
    layout.setContentsMargins(0, 0, 0, 0)
    layout.setSpacing(4)
    buttons = TabButtons(tabs, box)
    tabs.tabBar().hide()
    tabs.setParent(box)
    layout.addWidget(buttons)
    layout.addWidget(tabs, 1)
    box.setProperty("tabButtons", buttons)
    return box
