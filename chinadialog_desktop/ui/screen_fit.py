"""Default window sizes that fit the screen (a 1366×768 laptop keeps the status bar in view)."""

from __future__ import annotations

from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import QWidget

# Room left for the window frame and title bar, which availableGeometry does not include.
FRAME_MARGIN = 40


def resize_to_fit(widget: QWidget, width: int, height: int) -> None:
    """Resize to width × height, lower when the screen's free area is lower.

    Only the height is fitted: every default width fits the 1280 px the app is laid out for,
    while 768 px screens are common and the status bar must not fall off the bottom.
    """
    screen = widget.screen() or QGuiApplication.primaryScreen()
    if screen is not None:
        height = min(height, max(screen.availableGeometry().height() - FRAME_MARGIN, 240))
    widget.resize(width, height)
