"""What every field of a form shares: the typing pause before an edit is saved, the error red.

Declared here, below both the record form and the rich-text field, so that neither has to
import the other for them.
"""

from __future__ import annotations

from PySide6.QtWidgets import QWidget

TEXT_DEBOUNCE_MS = 700
ERROR_LIGHT = "color: #b3261e;"  # 6.5:1 on white, 5.7:1 on light grey
ERROR_DARK = "color: #ff8a80;"  # 6.4:1 on the dark theme's window colour


def error_style(widget: QWidget) -> str:
    """A red that stays readable on the current palette (light or dark)."""
    return ERROR_DARK if widget.palette().window().color().lightness() < 128 else ERROR_LIGHT
