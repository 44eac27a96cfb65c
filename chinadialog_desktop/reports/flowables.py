"""Flowables of the briefing: headings that become bookmarks, and the contents."""

from __future__ import annotations

from typing import Any

from reportlab.lib.styles import ParagraphStyle
from reportlab.platypus import Flowable, Paragraph, TableStyle
from reportlab.platypus.tableofcontents import TableOfContents

from chinadialog_desktop.reports.markup import plain_xml
from chinadialog_desktop.reports.styles import FONT

TocEntry = tuple[int, str, int, str]  # level, text (XML), page, bookmark key


class Heading(Paragraph):
    """A heading that becomes a TOC entry and a PDF bookmark."""

    def __init__(
        self, text: str, style: ParagraphStyle, level: int, key: str, toc: bool = True
    ) -> None:
        super().__init__(plain_xml(text), style)
        self.outline_text = text
        self.outline_level = level
        self.outline_key = key
        self.in_toc = toc


class TocSlot(Flowable):
    """Keeps the rest of the page free for the table of contents.

    The contents are drawn into this space only when the whole document is
    laid out (the canvas holds its pages back anyway for "Seite X von Y"), so
    a long briefing needs one layout pass instead of multiBuild's three.
    """

    def __init__(self, full_height: float) -> None:
        super().__init__()
        self.placed: tuple[int, float, float, float, float] | None = None
        self.need = 0.0  # estimated height of the contents, set once the story is known
        self._full = full_height

    def wrap(self, availWidth: float, availHeight: float) -> tuple[float, float]:  # noqa: N803
        self.width = availWidth
        if self.need > availHeight and availHeight < self._full - 1:
            self.height = self.need  # does not fit here: the contents get a page of their own
        else:
            self.height = availHeight - 1e-3
        return self.width, self.height

    def split(self, availWidth: float, availHeight: float) -> list[Flowable]:  # noqa: N803
        return []

    def drawOn(self, canvas: Any, x: float, y: float, _sW: float = 0) -> None:  # noqa: N802, N803
        self.placed = (canvas.getPageNumber(), x, y, self.width, self.height)

    def draw(self) -> None:
        return None


def make_toc(styles: dict[str, ParagraphStyle], entries: list[TocEntry]) -> TableOfContents:
    toc = TableOfContents(dotsMinLevel=0)
    toc.levelStyles = [styles["toc1"], styles["toc2"]]
    toc.tableStyle = TableStyle(
        [  # the FONT rule keeps Helvetica out of the PDF
            ("FONT", (0, 0), (-1, -1), FONT, 10),
            ("VALIGN", (0, 0), (-1, -1), "TOP"),
            ("LEFTPADDING", (0, 0), (-1, -1), 0),
            ("RIGHTPADDING", (0, 0), (-1, -1), 0),
            ("TOPPADDING", (0, 0), (-1, -1), 0),
            ("BOTTOMPADDING", (0, 0), (-1, -1), 1),
        ]
    )
    toc._lastEntries = entries
    return toc


def toc_height(
    canvas: Any, styles: dict[str, ParagraphStyle], entries: list[TocEntry], width: float
) -> float:
    return float(make_toc(styles, entries).wrapOn(canvas, width, 10_000)[1])
