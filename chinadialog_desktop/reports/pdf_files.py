"""PDF files to append as Anlagen: read, counted and refused in one sentence (no database)."""

from __future__ import annotations

import io
import logging
from collections.abc import Iterator
from contextlib import contextmanager

from chinadialog_desktop.errors import UserError
from chinadialog_desktop.i18n import _

PDF_MEDIA_TYPE = "application/pdf"
# A file given for one export is read whole; a council paper's Anlage is far smaller.
MAX_ATTACH_BYTES = 200 * 1024 * 1024


class UnreadablePdf(UserError):
    """A PDF that cannot be appended; the message names the file, in one sentence."""


def looks_like_pdf(file_name: str, media_type: str | None, data: bytes | None = None) -> bool:
    """A PDF by its first bytes, its media type or its name."""
    if data is not None and data[:1024].lstrip().startswith(b"%PDF-"):
        return True
    return media_type == PDF_MEDIA_TYPE or file_name.lower().endswith(".pdf")


@contextmanager
def quiet_pypdf() -> Iterator[None]:
    """pypdf logs its repairs of odd files; a user sees our one sentence, not those."""
    logger = logging.getLogger("pypdf")
    level = logger.level
    logger.setLevel(logging.CRITICAL)
    try:
        yield
    finally:
        logger.setLevel(level)


def pdf_pages(data: bytes, file_name: str) -> int:
    """The page count of a readable PDF; raises UnreadablePdf naming ``file_name``."""
    from pypdf import PdfReader  # only when a briefing has PDF Anlagen
    from pypdf.errors import PyPdfError

    if not data[:1024].lstrip().startswith(b"%PDF-"):
        raise UnreadablePdf(
            _("The attachment {name} is not a PDF file; only PDF files can be appended.").format(
                name=file_name
            )
        )
    try:
        with quiet_pypdf():
            reader = PdfReader(io.BytesIO(data))
            if reader.is_encrypted:
                raise UnreadablePdf(
                    _(
                        "The attachment {name} is an encrypted PDF and cannot be appended; "
                        "please attach a copy without password protection."
                    ).format(name=file_name)
                )
            pages = len(reader.pages)
            for page in reader.pages:  # a page that cannot be read would fail the export later
                page.get_contents()
    except UnreadablePdf:
        raise
    except (PyPdfError, ValueError, KeyError, TypeError, AttributeError, OSError, RecursionError):
        pages = 0
    if pages == 0:
        raise UnreadablePdf(damaged_message(file_name))
    return pages


def damaged_message(file_name: str) -> str:
    return _("The attachment {name} is a damaged PDF file and cannot be appended.").format(
        name=file_name
    )
