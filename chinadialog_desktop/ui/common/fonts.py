"""Register the bundled fonts so pinyin and Chinese names render on any system.

Two bundled families share the work, as a family list in the application font:

* DejaVu Sans (``DejaVuSans.ttf``, ``DejaVuSans-Bold.ttf``) for Latin text:
  German umlauts and every pinyin vowel with its tone mark;
* WenQuanYi Micro Hei (``wqy-microhei.ttc``) for Chinese characters.

WenQuanYi Micro Hei alone is not enough: its character map names ǎ ǐ ǒ ǔ (and
the capitals, and ǘ ǚ ǜ) but their glyphs have no outline, so Qt uses them and
draws a blank ("Shàngh i"). Qt falls back to the next family of the list only
for characters a font does not map, never for empty glyphs.

The system's fonts stay in charge when they draw every probe character; only
otherwise does the application font become a family list with our fonts.
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass
from pathlib import Path

from PySide6.QtGui import QFont, QFontDatabase, QTextLayout
from PySide6.QtWidgets import QApplication

from chinadialog_desktop.paths import fonts_dir

BUNDLED_FONT_FILE = "wqy-microhei.ttc"
LATIN_FONT_FILES = ("DejaVuSans.ttf", "DejaVuSans-Bold.ttf")

# What the window must be able to draw: German, typographic punctuation, every
# pinyin vowel with its tone (lower and upper case) and a few Chinese characters.
PINYIN_VOWELS = "āáǎàēéěèīíǐìōóǒòūúǔùǖǘǚǜüĀÁǍÀĒÉĚÈĪÍǏÌŌÓǑÒŪÚǓÙǕǗǙǛÜ"
LATIN_PROBE = PINYIN_VOWELS + "äöüÄÖÜß„“‚‘–—…€§"
PROBE_TEXT = LATIN_PROBE + "上海市珠海安徽青岛"


@dataclass(frozen=True)
class FontSetup:
    """What ``install_fonts`` found and did."""

    bundled_families: tuple[str, ...]  # CJK; empty when the file is missing or unreadable
    system_cjk_families: tuple[str, ...]
    application_font: QFont
    bundled_is_application_font: bool
    latin_families: tuple[str, ...] = ()  # the bundled Latin family, if it loaded
    undrawn: str = ""  # probe characters the chosen application font still cannot draw


def bundled_font_path() -> Path:
    return fonts_dir() / BUNDLED_FONT_FILE


def system_cjk_families() -> tuple[str, ...]:
    """Fonts of the system (not ours) that can write Simplified Chinese."""
    return tuple(QFontDatabase.families(QFontDatabase.WritingSystem.SimplifiedChinese))


def undrawn_characters(font: QFont, text: str) -> str:
    """The characters of ``text`` that ``font`` shows as a box or a blank.

    Qt lays out each character with the font's families and its own fallback;
    a glyph index 0 is a missing glyph, a glyph without outline a blank.
    Spaces and control characters are meant to draw nothing and are skipped.
    """
    wanted = "".join(ch for ch in dict.fromkeys(text) if unicodedata.category(ch)[0] not in "ZC")
    if _draws(font, wanted):  # one layout for the usual case; per character to name the rest
        return ""
    return "".join(ch for ch in wanted if not _draws(font, ch))


def _draws(font: QFont, text: str) -> bool:
    """Every glyph of ``text`` laid out in ``font`` exists and has an outline."""
    layout = QTextLayout(text, font)
    layout.beginLayout()
    layout.createLine()
    layout.endLayout()
    glyphs = [(run.rawFont(), g) for run in layout.glyphRuns() for g in run.glyphIndexes()]
    return bool(glyphs) and all(g != 0 and not raw.pathForGlyph(g).isEmpty() for raw, g in glyphs)


def _register(path: Path) -> tuple[str, ...]:
    if not path.is_file():
        return ()
    font_id = QFontDatabase.addApplicationFont(str(path))
    return tuple(QFontDatabase.applicationFontFamilies(font_id)) if font_id >= 0 else ()


def install_fonts(app: QApplication, *, system_cjk: tuple[str, ...] | None = None) -> FontSetup:
    """Add the bundled fonts to Qt and make them the application font where needed.

    With a system CJK font and a default font that draws every probe character
    the application font stays as it is. Otherwise the first of these family
    lists that draws everything becomes the application font: the system
    default, then DejaVu Sans for what it lacks, then WenQuanYi Micro Hei; or,
    when the default itself draws blanks (on a system without fonts it may
    resolve to WenQuanYi), DejaVu Sans first.
    """
    found = system_cjk_families() if system_cjk is None else system_cjk
    families = _register(bundled_font_path())
    # Regular and bold register as one family (registering both gives a real bold).
    registered = [_register(fonts_dir() / name) for name in LATIN_FONT_FILES]
    latin = next((names for names in registered if names), ())
    default = QFont(app.font())
    # A system CJK font is trusted with Chinese; only Latin is probed (before the first
    # paint, so the CJK fallback font is not loaded here).
    if found and _draws(default, LATIN_PROBE):
        return FontSetup(families, tuple(found), QFont(app.font()), False, latin, "")
    # The collection also holds a monospaced face; the proportional one comes first.
    cjk = families[:1]
    candidates = []
    for names in ([default.family(), *latin[:1], *cjk], [*latin[:1], *cjk]):
        font = QFont(default)
        font.setFamilies(list(dict.fromkeys(f for f in names if f)))
        candidates.append(font)
    # The first that draws everything; else the one with our fonts first.
    chosen = next((f for f in candidates if _draws(f, PROBE_TEXT)), None)
    applied = False
    if families or latin:
        app.setFont(chosen or candidates[-1])
        applied = bool(families) and families[0] in app.font().families()
    final = "" if chosen is not None else undrawn_characters(QFont(app.font()), PROBE_TEXT)
    return FontSetup(families, tuple(found), QFont(app.font()), applied, latin, final)
