"""Default window sizes never exceed the screen's free area."""

from __future__ import annotations

from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import QWidget

from chinadialog_desktop.ui.app import application
from chinadialog_desktop.ui.common.screen_fit import FRAME_MARGIN, FRAME_MARGIN_X, resize_to_fit


def test_a_large_default_shrinks_to_the_screen() -> None:
    application()
    area = QGuiApplication.primaryScreen().availableGeometry()
    widget = QWidget()
    resize_to_fit(widget, area.width() + 500, area.height() + 500)
    assert widget.height() <= area.height() - FRAME_MARGIN
    assert widget.width() <= area.width() - FRAME_MARGIN_X  # a 1024 px screen: narrower too


def test_a_small_default_is_kept() -> None:
    application()
    widget = QWidget()
    resize_to_fit(widget, 300, 200)
    assert (widget.width(), widget.height()) == (300, 200)
