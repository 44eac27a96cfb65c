"""Light, dark or the system's look: a QPalette on the Fusion style, readable in both.

Wiring::

    apply_theme(app, settings.get(THEME))             # at start
    settings.sig_theme_changed.connect(lambda t: apply_theme(app, t))

"system" gives the platform's own style and palette back (and, on Qt ≥ 6.8,
its light/dark colour scheme); "light" and "dark" use Fusion with the
palettes below, whose text/background pairs have a contrast ratio of at
least 7:1 (WCAG AAA), disabled text at least 3:1.
"""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QColor, QGuiApplication, QPalette
from PySide6.QtWidgets import QApplication, QStyleFactory

THEMES = ("system", "light", "dark")
_ROLE = QPalette.ColorRole
_GROUP = QPalette.ColorGroup

DARK = {
    _ROLE.Window: "#26292e",
    _ROLE.WindowText: "#e8eaed",
    # Fusion draws field frames a shade darker than the window: in the dark the fields
    # themselves must stand apart from the window, so Base is clearly darker.
    _ROLE.Base: "#161719",
    _ROLE.AlternateBase: "#202226",
    _ROLE.ToolTipBase: "#33373e",
    _ROLE.ToolTipText: "#f1f3f4",
    _ROLE.PlaceholderText: "#9aa0a6",
    _ROLE.Text: "#e8eaed",
    _ROLE.Button: "#30343a",
    _ROLE.ButtonText: "#e8eaed",
    _ROLE.BrightText: "#ffffff",
    _ROLE.Light: "#454a52",
    _ROLE.Midlight: "#3a3e45",
    _ROLE.Mid: "#2f3238",
    _ROLE.Dark: "#15171a",
    _ROLE.Shadow: "#000000",
    _ROLE.Highlight: "#8ab4f8",
    _ROLE.HighlightedText: "#101418",
    _ROLE.Link: "#8ab4f8",
    _ROLE.LinkVisited: "#c58af9",
}
DARK_DISABLED = {
    _ROLE.WindowText: "#8a9097",
    _ROLE.Text: "#8a9097",
    _ROLE.ButtonText: "#8a9097",
    _ROLE.Highlight: "#4a5568",
    _ROLE.HighlightedText: "#d0d4d9",
}
LIGHT = {
    _ROLE.Window: "#f3f4f6",
    _ROLE.WindowText: "#1b1d21",
    _ROLE.Base: "#ffffff",
    _ROLE.AlternateBase: "#f1f3f5",
    _ROLE.ToolTipBase: "#ffffe1",
    _ROLE.ToolTipText: "#1b1d21",
    _ROLE.PlaceholderText: "#5f6368",
    _ROLE.Text: "#1b1d21",
    _ROLE.Button: "#e9ebee",
    _ROLE.ButtonText: "#1b1d21",
    _ROLE.BrightText: "#ffffff",
    _ROLE.Light: "#ffffff",
    _ROLE.Midlight: "#e3e5e8",
    _ROLE.Mid: "#b8bcc2",
    _ROLE.Dark: "#8d9299",
    _ROLE.Shadow: "#4a4d52",
    _ROLE.Highlight: "#174ea6",
    _ROLE.HighlightedText: "#ffffff",
    _ROLE.Link: "#174ea6",
    _ROLE.LinkVisited: "#6a1b9a",
}
LIGHT_DISABLED = {
    _ROLE.WindowText: "#6f747b",
    _ROLE.Text: "#6f747b",
    _ROLE.ButtonText: "#6f747b",
    _ROLE.Highlight: "#b0b8c4",
    _ROLE.HighlightedText: "#1b1d21",
}

_system_style: str | None = None


def palette_for(theme: str) -> QPalette:
    """The palette of ``theme`` ("light" or "dark")."""
    colours, disabled = (DARK, DARK_DISABLED) if theme == "dark" else (LIGHT, LIGHT_DISABLED)
    palette = QPalette()
    for role, value in colours.items():
        palette.setColor(_GROUP.All, role, QColor(value))
    for role, value in disabled.items():
        palette.setColor(_GROUP.Disabled, role, QColor(value))
    return palette


def apply_theme(app: QApplication, theme: str) -> str:
    """Apply ``theme`` to the whole application; an unknown name means "system"."""
    global _system_style
    if theme not in THEMES:
        theme = "system"
    if _system_style is None:
        _system_style = app.style().name()
    hints = QGuiApplication.styleHints()
    if theme == "system":
        app.setStyle(QStyleFactory.create(_system_style) or QStyleFactory.create("Fusion"))
        app.setPalette(app.style().standardPalette())
        if hasattr(hints, "unsetColorScheme"):
            hints.unsetColorScheme()
    else:
        app.setStyle(QStyleFactory.create("Fusion"))
        if hasattr(hints, "setColorScheme"):
            hints.setColorScheme(Qt.ColorScheme.Dark if theme == "dark" else Qt.ColorScheme.Light)
        app.setPalette(palette_for(theme))
    app.setProperty("chinadialogTheme", theme)
    return theme


def current_theme(app: QApplication) -> str:
    value = app.property("chinadialogTheme")
    return str(value) if value in THEMES else "system"


def contrast(a: QColor, b: QColor) -> float:
    """WCAG contrast ratio of two colours (1 … 21)."""

    def luminance(c: QColor) -> float:
        def channel(v: float) -> float:
            return v / 12.92 if v <= 0.03928 else ((v + 0.055) / 1.055) ** 2.4

        return (
            0.2126 * channel(c.redF()) + 0.7152 * channel(c.greenF()) + 0.0722 * channel(c.blueF())
        )

    hi, lo = sorted((luminance(a), luminance(b)), reverse=True)
    return (hi + 0.05) / (lo + 0.05)
