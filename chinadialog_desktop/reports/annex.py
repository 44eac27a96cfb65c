"""Append the PDF Anlagen after the briefing's own pages, each with a bookmark.

The briefing's pages keep their "Seite x von N" (N: the briefing's own pages); an
appended Anlage keeps its own pages and numbering, and its first page carries a small
"Anlage N" stamp in the top right corner, as councils mark their Anlagen. Each Anlage
gets an outline entry "Anlage N: title" and page labels ("Anlage N-1", …) for viewers.

Reproducible: the file identifier (/ID) is derived from the bytes that went in, so the
same briefing with the same Anlagen is byte-identical under SOURCE_DATE_EPOCH.
"""

from __future__ import annotations

import hashlib
import io
from typing import Any

from chinadialog_desktop.domain.briefing_model import AnnexFile
from chinadialog_desktop.domain.briefing_terms import term


def _stamp(text: str, width: float, height: float) -> Any:
    """A one-page PDF of the given size with ``text`` in the top right corner."""
    from pypdf import PdfReader
    from reportlab.lib.colors import HexColor
    from reportlab.pdfgen.canvas import Canvas

    from chinadialog_desktop.reports import fonts
    from chinadialog_desktop.reports.styles import COLORS, FONT_BOLD

    fonts.register()
    buffer = io.BytesIO()
    # The initial font too: else every stamped page names an unembedded Helvetica.
    canvas = Canvas(buffer, pagesize=(width, height), invariant=1, initialFontName=FONT_BOLD)
    size = 10
    text_width = canvas.stringWidth(text, FONT_BOLD, size)
    x = width - 28 - text_width
    y = height - 30
    canvas.setFillColor(HexColor("#ffffff"))
    canvas.setStrokeColor(HexColor(COLORS["accent"]))
    canvas.setLineWidth(0.8)
    canvas.rect(x - 5, y - 4, text_width + 10, size + 8, fill=1, stroke=1)
    canvas.setFillColor(HexColor(COLORS["accent"]))
    canvas.setFont(FONT_BOLD, size)
    canvas.drawString(x, y, text)
    canvas.showPage()
    canvas.save()
    return PdfReader(io.BytesIO(buffer.getvalue())).pages[0]


def _drop_structure_keys(page: Any) -> None:
    """An appended page arrives without its file's structure tree; its keys into that
    tree would point into the briefing's (another page's headings and links)."""
    if "/StructParents" in page:
        del page["/StructParents"]
    for ref in page.get("/Annots", None) or []:
        annot = ref.get_object()
        if "/StructParent" in annot:
            del annot["/StructParent"]


def append_annexes(body: bytes, annexes: list[AnnexFile], lang: str) -> tuple[bytes, int]:
    """The briefing ``body`` with ``annexes`` appended; returns the bytes and the page count.

    The files were read once before (``briefing_annexes.pdf_pages``); a file that fails
    here raises ``UnreadablePdf`` naming it, and nothing is written.
    """
    from pypdf import PdfReader, PdfWriter
    from pypdf.constants import PageLabelStyle
    from pypdf.errors import PyPdfError
    from pypdf.generic import ArrayObject, ByteStringObject

    from chinadialog_desktop.reports.pdf_files import (
        UnreadablePdf,
        damaged_message,
        quiet_pypdf,
    )

    with quiet_pypdf():
        writer = PdfWriter(clone_from=io.BytesIO(body))
        own_pages = len(writer.pages)
        writer.set_page_label(0, own_pages - 1, style=PageLabelStyle.DECIMAL, start=1)
        digest = hashlib.sha256(body)
        for annex in annexes:
            label = term("annex_label", lang, number=annex.number)
            first = len(writer.pages)
            try:
                reader = PdfReader(io.BytesIO(annex.data))
                writer.append(reader, import_outline=False)
            except (PyPdfError, ValueError, KeyError, TypeError, AttributeError, OSError) as exc:
                raise UnreadablePdf(damaged_message(annex.file_name)) from exc
            for appended in writer.pages[first:]:
                _drop_structure_keys(appended)
            page = writer.pages[first]
            box = page.cropbox  # what a viewer shows (the media box unless cropped)
            if int(page.get("/Rotate", 0) or 0) % 360 == 0:  # a turned page keeps its look
                stamp = _stamp(label, float(box.width), float(box.height))
                page.merge_translated_page(stamp, float(box.left), float(box.bottom))
            writer.set_page_label(
                first,
                len(writer.pages) - 1,
                style=PageLabelStyle.DECIMAL,
                prefix=f"{label}-",
                start=1,
            )
            writer.add_outline_item(
                title=term("annex_heading", lang, number=annex.number, title=annex.title),
                page_number=first,
            )
            digest.update(annex.data)
        # The first identifier is the briefing's; the second tells this combination apart.
        first_id = writer._ID[0] if writer._ID else ByteStringObject(digest.digest()[:16])
        writer._ID = ArrayObject([first_id, ByteStringObject(digest.digest()[:16])])
        out = io.BytesIO()
        writer.write(out)
        return out.getvalue(), len(writer.pages)


__all__ = ["append_annexes"]
