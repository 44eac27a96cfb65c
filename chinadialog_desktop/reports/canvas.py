"""The page canvas: running header, classification marking, "Seite X von Y".

Pages are held back until the document is complete, so every footer can
name the total page count without a second layout pass.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from reportlab.lib.colors import HexColor
from reportlab.lib.units import mm
from reportlab.pdfgen.canvas import Canvas

from chinadialog_desktop.reports.fonts import StyledTextObject
from chinadialog_desktop.reports.styles import COLORS, FONT, FURNITURE, PAGE


@dataclass(frozen=True)
class Furniture:
    """What every page shows besides the flowing text."""

    running_title: str
    left_footer: str
    page_label: str  # "Seite {page} von {pages}"
    marking: str | None


class BriefingCanvas(Canvas):
    """Outlined "bold" text, deferred pages and the page furniture."""

    def __init__(
        self,
        *args: Any,
        furniture: Furniture,
        page_hooks: dict[int, Callable[[Any], None]] | None = None,
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        self._furniture = furniture
        # Drawing done once all pages are known (the table of contents), by page number.
        self._page_hooks = page_hooks if page_hooks is not None else {}
        self._held: list[dict[str, Any]] = []
        # A page reaches the PDF only in save(); a bookmark made earlier would point at
        # the wrong page, so bookmarks (outline targets, link anchors) wait with their page.
        self._pending_bookmarks: list[tuple[str, dict[str, Any]]] = []

    def beginText(self, x=0, y=0, direction=None):  # type: ignore[no-untyped-def]  # noqa: N802
        return StyledTextObject(self, x, y, direction=direction)

    def bookmarkPage(self, key: str, **kw: Any) -> None:  # noqa: N802
        self._pending_bookmarks.append((key, kw))

    def showPage(self) -> None:  # noqa: N802
        self._held.append(dict(self.__dict__))
        self._pending_bookmarks = []
        self._startPage()

    def save(self) -> None:
        total = len(self._held)
        annotations = int(getattr(self, "_annotationCount", 0))  # link names stay unique
        for state in self._held:
            self.__dict__.update(state)
            hook = self._page_hooks.get(self._pageNumber)
            if hook is not None:
                self._annotationCount = annotations
                hook(self)
                annotations = self._annotationCount
            for key, kw in self._pending_bookmarks:
                Canvas.bookmarkPage(self, key, **kw)
            self._draw_furniture(self._pageNumber, total)
            Canvas.showPage(self)
        Canvas.save(self)

    @property
    def page_count(self) -> int:
        return len(self._held)

    def _draw_furniture(self, page: int, total: int) -> None:
        f = self._furniture
        width, height = self._pagesize
        left = PAGE["margin_left_mm"] * mm
        right = width - PAGE["margin_right_mm"] * mm
        size = FURNITURE["font_size"]
        self.saveState()
        self.setFont(FONT, size)
        self.setFillColor(HexColor(COLORS["muted"]))
        self.setStrokeColor(HexColor(COLORS["rule"]))
        self.setLineWidth(0.4)
        footer_y = FURNITURE["footer_offset_mm"] * mm
        if page > 1:
            header_y = height - FURNITURE["header_offset_mm"] * mm
            self.drawString(left, header_y, f.running_title)
            self.line(left, header_y - 3, right, header_y - 3)
        self.line(left, footer_y + 9, right, footer_y + 9)
        self.drawString(left, footer_y, f.left_footer)
        self.drawRightString(right, footer_y, f.page_label.format(page=page, pages=total))
        if f.marking:
            msize = FURNITURE["marking_size"]
            self.setFont(FONT, msize)
            color = HexColor(COLORS["marking"])
            self.setFillColor(color)
            self.setStrokeColor(color)
            self.setLineWidth(msize * 0.04)
            offset = FURNITURE["marking_offset_mm"] * mm
            centre = width / 2
            self._draw_marking(centre, height - offset - msize * 0.8, f.marking, page == 1)
            self._draw_marking(centre, offset, f.marking, False)
        self.restoreState()

    def _draw_marking(self, x: float, y: float, text: str, first: bool) -> None:
        """The classification marking (outlined); ``first``: the top one of page 1."""
        self.drawCentredString(x, y, text, mode=2)
