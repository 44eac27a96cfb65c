"""Lay out a ``Briefing`` as an A4 PDF council document with ReportLab Platypus."""

from __future__ import annotations

import io
import os
from collections.abc import Callable
from typing import Any, BinaryIO

from reportlab.lib.colors import HexColor
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.platypus import BaseDocTemplate, Flowable, Frame, PageTemplate, Paragraph

from chinadialog_desktop.domain.briefing_model import Briefing
from chinadialog_desktop.domain.briefing_terms import term
from chinadialog_desktop.reports import fonts
from chinadialog_desktop.reports.canvas import BriefingCanvas, Furniture
from chinadialog_desktop.reports.errors import BuildCancelled
from chinadialog_desktop.reports.flowables import Heading, TocEntry, TocSlot, make_toc, toc_height
from chinadialog_desktop.reports.markup import plain_xml
from chinadialog_desktop.reports.pdf_tags import (
    Tagger,
    TaggingCanvas,
    TaggingFrame,
    tag_pdf,
    tag_toc,
    tag_toc_title,
)
from chinadialog_desktop.reports.story import Story
from chinadialog_desktop.reports.styles import COLORS, FONT, FONT_BOLD, PAGE, PARAGRAPHS

Progress = Callable[[int, int, str], None]
Cancel = Callable[[], bool]


def make_styles() -> dict[str, ParagraphStyle]:
    """ParagraphStyles from the data in ``styles.PARAGRAPHS``."""
    styles: dict[str, ParagraphStyle] = {}
    for name, spec in PARAGRAPHS.items():
        spec = dict(spec)
        parent = styles.get(spec.pop("parent", ""))
        for key in ("textColor",):
            if key in spec:
                spec[key] = HexColor(COLORS.get(spec[key], spec[key]))
        if spec.get("fontName") == "bold":
            spec["fontName"] = FONT_BOLD
        if parent is None:
            spec.setdefault("fontName", FONT)
            spec.setdefault("bulletFontName", FONT)
        styles[name] = ParagraphStyle(name, parent=parent, **spec)
    return styles


class _Doc(BaseDocTemplate):
    def __init__(
        self,
        out: BinaryIO,
        furniture: Furniture,
        progress: Progress | None,
        cancel: Cancel | None,
        tagger: Tagger | None = None,
        **kw: Any,
    ) -> None:
        super().__init__(out, **kw)
        self._furniture = furniture
        self.tagger = tagger
        self.last_canvas: BriefingCanvas | None = None
        self.toc_entries: list[TocEntry] = []
        self.page_hooks: dict[int, Callable[[Any], None]] = {}
        frame = (TaggingFrame if tagger is not None else Frame)(
            self.leftMargin,
            self.bottomMargin,
            self.width,
            self.height,
            id="body",
            leftPadding=0,
            rightPadding=0,
            topPadding=0,
            bottomPadding=0,
        )
        self.addPageTemplates([PageTemplate(id="page", frames=[frame])])
        self.styles: dict[str, ParagraphStyle] = {}
        self.toc_title = ""
        self._total = 0
        self._user_progress = progress
        self._cancel = cancel
        self.setProgressCallBack(self._on_progress)

    def _on_progress(self, kind: str, value: int) -> None:
        if kind == "SIZE_EST":
            self._total = value
        elif kind in ("PROGRESS", "PAGE"):
            if self._cancel is not None and self._cancel():
                raise BuildCancelled()
            if kind == "PROGRESS" and self._user_progress is not None:
                self._user_progress(value, self._total, "layout")

    def canvasmaker(self, *args: Any, **kw: Any) -> BriefingCanvas:
        kw.update(furniture=self._furniture, page_hooks=self.page_hooks)
        if self.tagger is not None:
            canvas: BriefingCanvas = TaggingCanvas(*args, tagger=self.tagger, **kw)
        else:
            canvas = BriefingCanvas(*args, **kw)
        self.last_canvas = canvas
        return canvas

    def afterFlowable(self, flowable: Flowable) -> None:  # noqa: N802
        if isinstance(flowable, Heading):
            self.canv.bookmarkPage(flowable.outline_key)
            self.canv.addOutlineEntry(
                flowable.outline_text,
                flowable.outline_key,
                flowable.outline_level,
                closed=flowable.outline_level > 0,
            )
            if flowable.in_toc:
                self.toc_entries.append(
                    (
                        flowable.outline_level,
                        plain_xml(flowable.outline_text),
                        self.page,
                        flowable.outline_key,
                    )
                )
        elif isinstance(flowable, TocSlot) and flowable.placed is not None:
            self.page_hooks[flowable.placed[0]] = lambda canvas: self.draw_toc(canvas, flowable)

    def draw_toc(self, canvas: Any, slot: TocSlot) -> None:
        """Draw the table of contents into the space the slot kept free."""
        assert slot.placed is not None
        _, x, y, width, height = slot.placed
        title = Paragraph(plain_xml(self.toc_title), self.styles["toc_title"])
        _, title_h = title.wrapOn(canvas, width, height)
        if y + height < self.bottomMargin + self.height - 1:
            title_h += title.getSpaceBefore()  # below other content: keep a gap
        tag_toc_title(canvas, title, lambda: title.drawOn(canvas, x, y + height - title_h))
        room = height - title_h - 4
        entries = list(self.toc_entries)
        if toc_height(canvas, self.styles, entries, width) > room:
            entries = [e for e in entries if e[0] == 0]  # chapters only
        while entries and toc_height(canvas, self.styles, entries, width) > room:
            entries.pop()
        toc = make_toc(self.styles, entries)
        _, toc_h = toc.wrapOn(canvas, width, room)
        tag_toc(canvas, toc)  # the entries as TOCI, when tagged
        toc.drawOn(canvas, x, y + height - title_h - 4 - toc_h)


def build_pdf(
    briefing: Briefing,
    out: BinaryIO,
    progress: Progress | None = None,
    cancel: Cancel | None = None,
    tagged: bool = True,
) -> int:
    """Write the briefing as PDF to ``out``; returns the page count.

    ``tagged``: an accessible PDF (PDF/UA-1: structure tree, artifacts, language,
    title), see ``pdf_tags``; every briefing is tagged unless a caller says otherwise.

    With SOURCE_DATE_EPOCH set the output is byte-identical for the same
    content (ReportLab's invariant mode plus the epoch as creation date).
    """
    fonts.register()
    styles = make_styles()
    h = briefing.header
    lang = briefing.lang
    running = " · ".join(x for x in (h.file_number, h.title) if x)
    furniture = Furniture(
        running_title=running if len(running) <= 110 else running[:107] + "...",
        left_footer=" · ".join(x for x in (h.kind_label, h.date) if x),
        page_label=term("page_of", lang, page="{page}", pages="{pages}"),
        marking=h.marking,
    )
    lang_tag = "en-GB" if lang == "en" else "de-DE"
    reproducible = bool(os.environ.get("SOURCE_DATE_EPOCH", "").strip())
    options: dict[str, Any] = {
        "pagesize": A4,
        "leftMargin": PAGE["margin_left_mm"] * mm,
        "rightMargin": PAGE["margin_right_mm"] * mm,
        "topMargin": PAGE["margin_top_mm"] * mm,
        "bottomMargin": PAGE["margin_bottom_mm"] * mm,
        "title": h.title,
        "author": h.lead_office or h.author or h.responsible,
        "subject": briefing.subject,
        "keywords": briefing.keywords,
        "creator": "ChinaDialog Desktop",
        "lang": lang_tag,
        "displayDocTitle": 1,
        "initialFontName": FONT,  # else the canvas names an unembedded Helvetica
        "initialFontSize": 10,
        "invariant": 1 if reproducible else 0,
    }

    def build(with_toc: bool) -> tuple[bytes, int, Tagger | None]:
        buffer = io.BytesIO()
        tagger = Tagger() if tagged else None
        if tagger is not None:  # what a link to a source says to a screen reader
            tagger.targets.update(
                (f"src-{s.number}", f"[{s.number}] {s.text}") for s in briefing.sources
            )
        doc = _Doc(buffer, furniture, progress, cancel, tagger, **options)
        doc.styles = styles
        doc.toc_title = term("toc", lang)
        doc.build(
            Story(briefing, styles, doc.width, doc.height, with_toc).build(),
            canvasmaker=doc.canvasmaker,
        )
        assert doc.last_canvas is not None
        return buffer.getvalue(), doc.last_canvas.page_count, tagger

    data, pages, tagger = build(with_toc=True)
    if pages < PAGE["toc_from_pages"]:
        # Short: no table of contents. Laying out a short briefing again is cheap.
        data, pages, tagger = build(with_toc=False)
    if tagger is not None:
        data = tag_pdf(data, tagger, h.title, lang_tag)
    out.write(data)
    return pages


__all__ = ["BuildCancelled", "build_pdf", "make_styles"]
