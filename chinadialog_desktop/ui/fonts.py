"""Register the bundled Latin+CJK font so Chinese names render on any system."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from PySide6.QtGui import QFont, QFontDatabase
from PySide6.QtWidgets import QApplication

from chinadialog_desktop.paths import fonts_dir

BUNDLED_FONT_FILE = "wqy-microhei.ttc"


@dataclass(frozen=True)
class FontSetup:
    """What ``install_fonts`` found and did."""

    bundled_families: tuple[str, ...]  # empty when the file is missing or unreadable
    system_cjk_families: tuple[str, ...]
    application_font: QFont
    bundled_is_application_font: bool


def bundled_font_path() -> Path:
    return fonts_dir() / BUNDLED_FONT_FILE


def system_cjk_families() -> tuple[str, ...]:
    """Fonts of the system (not ours) that can write Simplified Chinese."""
    return tuple(QFontDatabase.families(QFontDatabase.WritingSystem.SimplifiedChinese))


def install_fonts(app: QApplication, *, system_cjk: tuple[str, ...] | None = None) -> FontSetup:
    """Add the bundled font to Qt; make it the application font if the system has no CJK font.

    Qt picks fallback fonts per glyph only among system fonts it knows to
    cover a script, so with no system CJK font every Chinese character would
    be a box. Then the application font becomes a family list: the system's
    default for Latin text, our font for everything the default lacks.
    """
    found = system_cjk_families() if system_cjk is None else system_cjk
    families: tuple[str, ...] = ()
    path = bundled_font_path()
    if path.is_file():
        font_id = QFontDatabase.addApplicationFont(str(path))
        if font_id >= 0:
            families = tuple(QFontDatabase.applicationFontFamilies(font_id))
    applied = False
    if families and not found:
        font = QFont(app.font())
        default_family = font.family()
        # The collection also holds a monospaced face; the proportional one comes first.
        font.setFamilies([f for f in (default_family, families[0]) if f])
        app.setFont(font)
        applied = True
    return FontSetup(families, tuple(found), QFont(app.font()), applied)
