"""Register the bundled CJK TrueType font with ReportLab, embedded and subset.

WenQuanYi Micro Hei has no bold cut, and ReportLab does no synthetic bold,
so the "bold" family member is the same face drawn with a thin outline
(text render mode 2) by ``BoldTextObject``. Italic uses the upright face.
"""

from __future__ import annotations

from functools import cache

from reportlab.lib.rl_accel import fp_str
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.pdfgen.textobject import PDFTextObject

from chinadialog_desktop.paths import fonts_dir
from chinadialog_desktop.reports.styles import FONT, FONT_BOLD

FONT_FILE = "wqy-microhei.ttc"
SUBFONT_INDEX = 0  # 0: WenQuanYi Micro Hei, 1: its monospaced sibling
BOLD_STROKE = 0.035  # outline width as a share of the font size


@cache
def register() -> tuple[str, str]:
    """Register the regular and the outlined face once; returns their names."""
    path = str(fonts_dir() / FONT_FILE)
    pdfmetrics.registerFont(TTFont(FONT, path, subfontIndex=SUBFONT_INDEX))
    pdfmetrics.registerFont(TTFont(FONT_BOLD, path, subfontIndex=SUBFONT_INDEX))
    pdfmetrics.registerFontFamily(
        FONT, normal=FONT, bold=FONT_BOLD, italic=FONT, boldItalic=FONT_BOLD
    )
    return FONT, FONT_BOLD


class BoldTextObject(PDFTextObject):
    """A text object that outlines glyphs while the bold alias is the current font.

    Every flowable is drawn between ``q``/``Q``, so the line width and stroke
    colour set here do not leak into later drawing.
    """

    _fake_bold = False
    _fill_code: str | None = None

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
        on = name == FONT_BOLD
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
