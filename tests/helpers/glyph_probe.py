"""Which characters the window cannot draw, checked in a process with its own fontconfig.

``python -m helpers.glyph_probe FILE...`` starts a Qt application (offscreen),
sets up the fonts as the window does (``install_fonts``) and lays out every
character of the given text files in the application font, regular and bold.
It prints a JSON object: the application font's families and, per weight, the
characters that come out as glyph 0 (no glyph) or as a glyph without an
outline (drawn as a blank, as WenQuanYi Micro Hei does for ǎ ǐ ǒ ǔ).

``fontconfig_with_only`` writes a fontconfig file whose only font folder
holds the given files, so the probe sees a system with just those fonts.
"""

from __future__ import annotations

import json
import os
import shutil
import sys
import unicodedata
from pathlib import Path

DRAWN_BLANK_CATEGORIES = ("Z", "C")  # spaces and control/format characters draw nothing


def fontconfig_with_only(folder: Path, font_files: list[Path]) -> Path:
    """A fontconfig file that knows only ``font_files`` (copied into ``folder/fonts``)."""
    fonts = folder / "fonts"
    fonts.mkdir(parents=True, exist_ok=True)
    for path in font_files:
        shutil.copy(path, fonts / path.name)
    config = folder / "fonts.conf"
    config.write_text(
        '<?xml version="1.0"?>\n<!DOCTYPE fontconfig SYSTEM "urn:fontconfig:fonts.dtd">\n'
        "<fontconfig>\n"
        f"  <dir>{fonts}</dir>\n"
        f"  <cachedir>{folder / 'cache'}</cachedir>\n"
        # The host's rules (aliases such as sans-serif), as on a real system; no fonts.
        '  <include ignore_missing="yes">/etc/fonts/conf.d</include>\n'
        "</fontconfig>\n",
        encoding="utf-8",
    )
    return config


def characters_of(paths: list[Path]) -> str:
    chars = {ch for path in paths for ch in path.read_text(encoding="utf-8")}
    return "".join(sorted(ch for ch in chars if ch.isprintable() and not ch.isspace()))


def undrawn(font: object, text: str) -> str:
    """The characters of ``text`` that ``font`` lays out as no glyph or a blank glyph."""
    from PySide6.QtGui import QTextLayout

    bad: list[str] = []
    for ch in text:
        if unicodedata.category(ch)[0] in DRAWN_BLANK_CATEGORIES:
            continue
        layout = QTextLayout(ch, font)  # type: ignore[arg-type]
        layout.beginLayout()
        layout.createLine()
        layout.endLayout()
        glyphs = [
            (run.rawFont(), index) for run in layout.glyphRuns() for index in run.glyphIndexes()
        ]
        if not glyphs or any(
            index == 0 or raw.pathForGlyph(index).isEmpty() for raw, index in glyphs
        ):
            bad.append(ch)
    return "".join(bad)


def main(argv: list[str]) -> None:
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from PySide6.QtGui import QFont
    from PySide6.QtWidgets import QApplication

    from chinadialog_desktop.ui.common.fonts import install_fonts

    app = QApplication(["glyph_probe"])
    install_fonts(app)
    text = characters_of([Path(p) for p in argv])
    regular = QFont(app.font())
    bold = QFont(regular)
    bold.setBold(True)
    result = {
        "families": regular.families(),
        "checked": len(text),
        "regular": undrawn(regular, text),
        "bold": undrawn(bold, text),
    }
    print(json.dumps(result, ensure_ascii=False), flush=True)
    # PySide6 6.12 can abort while tearing down the font engines at interpreter exit;
    # the result is out, so leave without the teardown.
    os._exit(0)


if __name__ == "__main__":
    main(sys.argv[1:])
