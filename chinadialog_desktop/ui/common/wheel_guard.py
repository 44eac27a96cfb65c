"""The mouse wheel scrolls the page, not the tab under the pointer.

A tab bar inside a scrolling editor switched tabs when the wheel passed over it while
the user scrolled the form. Like well-made desktop apps, a tab bar now takes the wheel
only when it has the keyboard focus (the user tabbed to it or clicked a tab); otherwise
the wheel goes on to the scroll area around it.
"""

from __future__ import annotations

from PySide6.QtCore import QEvent, QObject
from PySide6.QtGui import QWheelEvent
from PySide6.QtWidgets import QAbstractScrollArea, QApplication, QTabBar, QTabWidget, QWidget


class WheelGuard(QObject):
    """An event filter: a wheel over an unfocused widget scrolls the scroll area around it."""

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802
        if (
            event.type() == QEvent.Type.Wheel
            and isinstance(event, QWheelEvent)
            and isinstance(watched, QWidget)
            and not watched.hasFocus()
        ):
            area = _scroll_area_around(watched)
            if area is not None:
                viewport = area.viewport()
                where = viewport.mapFromGlobal(event.globalPosition())
                QApplication.sendEvent(
                    viewport,
                    QWheelEvent(
                        where,
                        event.globalPosition(),
                        event.pixelDelta(),
                        event.angleDelta(),
                        event.buttons(),
                        event.modifiers(),
                        event.phase(),
                        event.inverted(),
                    ),
                )
            return True  # never to the tab bar itself
        return super().eventFilter(watched, event)


def _scroll_area_around(widget: QWidget) -> QAbstractScrollArea | None:
    parent = widget.parentWidget()
    while parent is not None and not isinstance(parent, QAbstractScrollArea):
        parent = parent.parentWidget()
    return parent


def guard_tabs(*tabs: QTabWidget | QTabBar) -> None:
    """The wheel over these tab bars scrolls what is around them unless they have focus."""
    for tab in tabs:
        bar = tab.tabBar() if isinstance(tab, QTabWidget) else tab
        guard = WheelGuard(bar)
        guard.setObjectName("wheelGuard")
        bar.installEventFilter(guard)


__all__ = ["WheelGuard", "guard_tabs"]
