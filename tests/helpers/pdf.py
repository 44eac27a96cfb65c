"""Reading a written PDF back, as a user's viewer would see its text."""

from __future__ import annotations

import functools
import io
import unicodedata

from pypdf import PdfReader


def reader(data: bytes) -> PdfReader:
    return PdfReader(io.BytesIO(data))


def page_texts(data: bytes) -> list[str]:
    return list(_read_pages(bytes(data)))


@functools.lru_cache(maxsize=8)
def _read_pages(data: bytes) -> tuple[str, ...]:
    """Each page's text; a PDF is read once (the same bytes always read back the same way)."""
    return tuple(unicodedata.normalize("NFC", p.extract_text() or "") for p in reader(data).pages)


def all_text(data: bytes) -> str:
    return "\n".join(page_texts(data))


def flat(text: str) -> str:
    """Text with line breaks and runs of spaces folded, for phrases that may wrap."""
    return " ".join(text.split())
