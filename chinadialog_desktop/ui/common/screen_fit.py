"""Default window sizes that fit the screen (a 1366×768 laptop keeps the status bar in view)."""

from __future__ import annotations

from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import QWidget

# Room left for the window frame and title bar, which availableGeometry does not include.
FRAME_MARGIN = 40


# Room left beside the window for its frame; a window is never made narrower than this.
FRAME_MARGIN_X = 16
SMALLEST = (320, 240)


def fitted_size(widget: QWidget, width: int, height: int) -> tuple[int, int]:
    """width × height, narrower and lower where the screen's free area is smaller."""
    screen = widget.screen() or QGuiApplication.primaryScreen()
    if screen is None:
        return width, height
    area = screen.availableGeometry()
    width = min(width, max(area.width() - FRAME_MARGIN_X, SMALLEST[0]))
    height = min(height, max(area.height() - FRAME_MARGIN, SMALLEST[1]))
    return width, height


def resize_to_fit(widget: QWidget, width: int, height: int) -> None:
    """Resize to width × height, or to the screen's free area where that is smaller.

    A 1024×768 screen gets the whole window with its buttons: the window's content must
    then shrink with it (splitters, scroll areas), which each window sees to.
    """
    widget.resize(*fitted_size(widget, width, height))
