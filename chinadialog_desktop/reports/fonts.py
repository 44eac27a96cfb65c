"""Register the bundled CJK TrueType font with ReportLab, embedded and subset.

WenQuanYi Micro Hei has no bold or italic cut, and ReportLab synthesises
neither, so the family's other members are aliases of the same face that
``StyledTextObject`` draws differently: bold with a thin outline (text render
mode 2), italic slanted through the text matrix.
"""

from __future__ import annotations

from functools import cache
from typing import Any

from reportlab.lib.rl_accel import fp_str
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.pdfgen.textobject import PDFTextObject

from chinadialog_desktop.paths import fonts_dir
from chinadialog_desktop.reports.styles import (
    FONT,
    FONT_BOLD,
    FONT_BOLD_ITALIC,
    FONT_ITALIC,
    FONT_QUOTES,
)

FONT_FILE = "wqy-microhei.ttc"
SUBFONT_INDEX = 0  # 0: WenQuanYi Micro Hei, 1: its monospaced sibling
MONO_INDEX = 1
BOLD_STROKE = 0.035  # outline width as a share of the font size
SLANT = 0.2  # horizontal shear of "italic" text (about 11°)
BOLD_NAMES = frozenset({FONT_BOLD, FONT_BOLD_ITALIC})
ITALIC_NAMES = frozenset({FONT_ITALIC, FONT_BOLD_ITALIC})


# WenQuanYi Micro Hei maps the pinyin third-tone vowels (ǎ ǐ ǒ ǔ) and ǘ ǚ ǜ to
# empty glyphs, so "Qīngdǎo" would print as "Qīngd o". Draw them with the
# nearest glyph that has an outline (breve for caron; ü for the ü tones). The
# PDF's ToUnicode map still names the original character, so copying and
# searching the text give "ǎ".
GLYPH_STAND_INS = {
    0x01CE: 0x0103,
    0x01D0: 0x012D,
    0x01D2: 0x014F,
    0x01D4: 0x016D,  # ǎ ǐ ǒ ǔ
    0x01CD: 0x0102,
    0x01CF: 0x012C,
    0x01D1: 0x014E,
    0x01D3: 0x016C,  # Ǎ Ǐ Ǒ Ǔ
    0x01D8: 0x00FC,
    0x01DA: 0x00FC,
    0x01DC: 0x00FC,  # ǘ ǚ ǜ
    0x01D7: 0x00DC,
    0x01D9: 0x00DC,
    0x01DB: 0x00DC,  # Ǘ Ǚ Ǜ
}


def _has_outline(face: Any, codepoint: int) -> bool:
    glyph = face.charToGlyph.get(codepoint)
    return glyph is not None and face.glyphPos[glyph + 1] > face.glyphPos[glyph]


def _patch_empty_glyphs(font: TTFont) -> None:
    face = font.face
    for missing, stand_in in GLYPH_STAND_INS.items():
        if not _has_outline(face, missing) and _has_outline(face, stand_in):
            face.charToGlyph[missing] = face.charToGlyph[stand_in]
            face.charWidths[missing] = face.charWidths[stand_in]


@cache
def register() -> tuple[str, str]:
    """Register the regular and the outlined face once; returns their names."""
    path = str(fonts_dir() / FONT_FILE)
    for name in (FONT, FONT_BOLD, FONT_ITALIC, FONT_BOLD_ITALIC):
        font = TTFont(name, path, subfontIndex=SUBFONT_INDEX)
        _patch_empty_glyphs(font)
        pdfmetrics.registerFont(font)
    pdfmetrics.registerFont(TTFont(FONT_QUOTES, path, subfontIndex=MONO_INDEX))
    pdfmetrics.registerFontFamily(
        FONT, normal=FONT, bold=FONT_BOLD, italic=FONT_ITALIC, boldItalic=FONT_BOLD_ITALIC
    )
    return FONT, FONT_BOLD


class StyledTextObject(PDFTextObject):
    """A text object that draws the bold and italic aliases of the face.

    Bold: glyphs are outlined while a bold alias is the current font. Every
    flowable is drawn between ``q``/``Q``, so the line width and stroke colour
    set here do not leak into later drawing.

    Italic: before text in an italic alias, the text matrix is set to a sheared
    one at the current point; before other text, or before the line ends, it is
    set back. ReportLab moves between lines relative to the line start (Td, T*),
    so the line start is tracked here and restored before such a move. The
    current point is tracked by adding up string widths, which holds for
    unjustified text (the briefing's paragraphs are left-aligned).
    """

    _fake_bold = False
    _fill_code: str | None = None
    _matrix = "line"  # line: Tlm is the line start | moved: upright elsewhere | slanted
    _run_x = 0.0  # advance since the line start
    _line: tuple[float, float] | None = None  # the line start, as the PDF knows it

    def setTextOrigin(self, x, y):  # type: ignore[no-untyped-def]  # noqa: N802
        super().setTextOrigin(x, y)
        self._line = (x, y)
        self._run_x = 0.0
        self._matrix = "line"

    def moveCursor(self, dx, dy):  # type: ignore[no-untyped-def]  # noqa: N802
        self._back_to_line_start()
        super().moveCursor(dx, dy)
        if self._line is not None:
            x, y = self._line
            self._line = (x + dx, y - dy if self._canvas.bottomup else y + dy)
        self._run_x = 0.0

    def _back_to_line_start(self) -> None:
        if self._matrix != "line" and self._line is not None:
            self._code.append(f"1 0 0 1 {fp_str(*self._line)} Tm")
            self._matrix = "line"

    def _place(self) -> None:
        """Shear the text matrix for italic text, straighten it for the rest."""
        if self._line is None or not self._canvas.bottomup:
            return
        x, y = self._line
        if self._fontname in ITALIC_NAMES:
            if self._matrix != "slanted":
                self._code.append(f"1 0 {fp_str(SLANT)} 1 {fp_str(x + self._run_x, y)} Tm")
                self._matrix = "slanted"
        elif self._matrix == "slanted":
            self._code.append(f"1 0 0 1 {fp_str(x + self._run_x, y)} Tm")
            self._matrix = "moved"

    def _textOut(self, text, TStar=0):  # type: ignore[no-untyped-def]  # noqa: N802, N803
        if text:
            self._place()
            self._code.append(self._formatText(text))
            self._run_x += self._canvas.stringWidth(text, self._fontname, self._fontsize)
        if TStar:
            self._back_to_line_start()
            self._code.append("T*")
            if self._line is not None:
                x, y = self._line
                self._line = (x, y - self._leading if self._canvas.bottomup else y + self._leading)
            self._run_x = 0.0

    def setFillColor(self, aColor, alpha=None):  # type: ignore[no-untyped-def]  # noqa: N802, N803
        super().setFillColor(aColor, alpha)
        self._fill_code = self._code[-1] if self._code else None
        if self._fake_bold:
            self._stroke_like_fill()

    def _stroke_like_fill(self) -> None:
        code = self._fill_code
        if code and code.endswith(" rg"):
            self._code.append(code[:-3] + " RG")
        elif code and code.endswith(" g"):
            self._code.append(code[:-2] + " G")
        elif code and code.endswith(" k"):
            self._code.append(code[:-2] + " K")

    def _bold(self, name: str, size: float) -> None:
        on = name in BOLD_NAMES
        if on:
            self._code.append(f"{fp_str(size * BOLD_STROKE)} w")
            self._stroke_like_fill()
            self.setTextRenderMode(2)
        elif self._fake_bold:
            self.setTextRenderMode(0)
        self._fake_bold = on

    def _setFont(self, psfontname, size):  # type: ignore[no-untyped-def]  # noqa: N802
        super()._setFont(psfontname, size)
        self._bold(psfontname, size)

    def setFont(self, psfontname, size, leading=None):  # type: ignore[no-untyped-def]  # noqa: N802
        super().setFont(psfontname, size, leading)
        self._bold(psfontname, size)

    def getCode(self):  # type: ignore[no-untyped-def]  # noqa: N802
        # The render mode is text state and outlives ET: leave it at "fill".
        if self._fake_bold:
            self.setTextRenderMode(0)
            self._fake_bold = False
        return super().getCode()
