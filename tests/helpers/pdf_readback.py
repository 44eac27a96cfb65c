"""Everything a reader of a PDF can see: page text, metadata, bookmarks, link targets.

Used by the tests that check what a briefing does (not) say. Reading a PDF back with
pypdf takes seconds for a briefing, and a test looks for many strings in one PDF, so
what a PDF shows is read once per PDF (the same bytes always read back the same way).
"""

from __future__ import annotations

import functools
import io
import unicodedata
from typing import Any

from pypdf import PdfReader


def _outline_titles(items: list[Any]) -> list[str]:
    out: list[str] = []
    for item in items:
        if isinstance(item, list):
            out.extend(_outline_titles(item))
        else:
            out.append(str(item.title))
    return out


def visible_strings(data: bytes) -> dict[str, str]:
    """Page text (line breaks folded), document info, bookmarks and link targets, by place."""
    return dict(_read_places(bytes(data)))


@functools.lru_cache(maxsize=8)
def _read_places(data: bytes) -> tuple[tuple[str, str], ...]:
    """What ``visible_strings`` returns, read from the PDF (kept for the last few PDFs)."""
    pdf = PdfReader(io.BytesIO(data))
    places: dict[str, str] = {}
    for number, page in enumerate(pdf.pages, start=1):
        text = unicodedata.normalize("NFC", page.extract_text() or "")
        places[f"page {number}"] = " ".join(text.split())
        for annot in page.get("/Annots") or []:
            obj = annot.get_object()
            action = obj.get("/A")
            if action is not None:
                places[f"page {number} link"] = str(action.get_object())
    for key, value in (pdf.metadata or {}).items():
        places[f"info {key}"] = str(value)
    places["outline"] = " | ".join(_outline_titles(pdf.outline))
    root = pdf.trailer["/Root"]
    if "/Metadata" in root:  # XMP, if a writer ever adds it
        places["xmp"] = root["/Metadata"].get_object().get_data().decode("utf-8", "replace")
    return tuple(places.items())


def find(data: bytes, needle: str) -> list[str]:
    """The places where ``needle`` occurs (case-insensitive; spaces may be line breaks)."""
    wanted = " ".join(needle.split()).casefold()
    return [
        place
        for place, text in visible_strings(data).items()
        if wanted in text.casefold() or wanted.replace(" ", "") in text.casefold().replace(" ", "")
    ]
