"""Anlagen: the files of a dossier, numbered after the briefing's own Anlagen, and the PDFs
among them read for appending after the briefing's pages.

Numbering: the ratings in detail of each assessment are Anlage 1, 2, … (the briefing
lays them out itself); the files follow in the order of the list, stored files first,
then the files attached to this export only (CLI ``--attach``).

What is appended: a stored attachment that is a readable PDF. A stored PDF that is
damaged or encrypted is listed but not appended, and the checks before export name it;
a file given for this export must be a readable PDF, else the export is refused with
one sentence that names it, before anything is written.

The public version lists and appends only files released for it
(``Attachment.public_release``): the pages of a PDF cannot be searched and cleaned of
internal passages and names the way the briefing's own text is.
"""

from __future__ import annotations

import hashlib
from dataclasses import replace
from pathlib import Path

from sqlalchemy import select
from sqlalchemy.orm import Session, defer

from chinadialog_desktop.domain.briefing_model import AnnexFile, AttachmentRow, Briefing
from chinadialog_desktop.errors import UserError
from chinadialog_desktop.i18n import _
from chinadialog_desktop.persistence.models import Attachment
from chinadialog_desktop.reports.pdf_files import (  # noqa: F401  (one place, used here)
    MAX_ATTACH_BYTES,
    PDF_MEDIA_TYPE,
    UnreadablePdf,
    damaged_message,
    looks_like_pdf,
    pdf_pages,
    quiet_pypdf,
)


def _is_pdf(att: Attachment) -> bool:
    """By name or media type; a file of unknown type by its first bytes."""
    if looks_like_pdf(att.file_name, att.media_type):
        return True
    return att.media_type in (None, "", "application/octet-stream") and looks_like_pdf(
        att.file_name, att.media_type, att.data
    )


def rating_annexes(content: Briefing) -> int:
    """How many Anlagen the briefing lays out itself (the ratings in detail)."""
    return sum(1 for a in content.assessments if a.ratings)


def public_rows(rows: list[AttachmentRow], released: set[str]) -> tuple[list[AttachmentRow], int]:
    """The public version's files: those released for it; and how many were left out."""
    kept = [r for r in rows if r.uuid in released]
    return kept, len(rows) - len(kept)


def attach_files(session: Session, content: Briefing, extra: tuple[str, ...] = ()) -> Briefing:
    """Number the listed files, read the PDFs among them, add the files given for this export.

    Raises UnreadablePdf for a file given for this export that is not a readable PDF, and
    UserError for one that cannot be read at all.
    """
    first = rating_annexes(content) + 1
    rows: list[AttachmentRow] = []
    annexes: list[AnnexFile] = []
    stored = {
        a.uuid: a
        for a in session.scalars(
            select(Attachment)
            .options(defer(Attachment.data))  # a photo or a spreadsheet is listed, not read
            .where(Attachment.uuid.in_([r.uuid for r in content.attachments]))
        )
    }
    for number, row in enumerate(content.attachments, start=first):
        row = replace(row, number=number)
        att = stored.get(row.uuid)
        if att is not None and _is_pdf(att):
            row = replace(row, pdf=True)
            try:
                row = replace(row, pages=pdf_pages(att.data, att.file_name))
            except UnreadablePdf:
                row = replace(row, unreadable=True)
            else:
                annexes.append(AnnexFile(number, row.title, att.file_name, att.data))
        rows.append(row)
    for path_text in extra:
        number = first + len(rows)
        path = Path(path_text)
        data = _read_file(path)
        pages = pdf_pages(data, path.name)
        row = AttachmentRow(
            path.name, "", len(data), hashlib.sha256(data).hexdigest(), "", number, True, pages
        )
        rows.append(row)
        annexes.append(AnnexFile(number, row.title, path.name, data))
    return replace(content, attachments=rows, annex_files=annexes)


def archive_files(session: Session, content: Briefing) -> list[AnnexFile]:
    """Every listed file with its bytes, for embedding in a PDF/A-3 (``--pdfa 3``).

    The listing is the version's own (the public version's lists only released files);
    files given for this export come from ``content.annex_files``. A stored file is read
    only here, when the archive is asked for.
    """
    given = {a.number: a for a in content.annex_files}
    stored = {
        a.uuid: a
        for a in session.scalars(
            select(Attachment).where(
                Attachment.uuid.in_([r.uuid for r in content.attachments if r.uuid])
            )
        )
    }
    files: list[AnnexFile] = []
    for row in content.attachments:
        att = stored.get(row.uuid) if row.uuid else None
        if att is not None:
            media = att.media_type or ("application/pdf" if row.pdf else "")
            files.append(
                AnnexFile(row.number, row.title, att.file_name, att.data, media or _guess(row))
            )
        elif row.number in given:
            files.append(given[row.number])
    return files


def _guess(row: AttachmentRow) -> str:
    import mimetypes

    return mimetypes.guess_type(row.file_name, strict=False)[0] or "application/octet-stream"


def _read_file(path: Path) -> bytes:
    try:
        if path.stat().st_size > MAX_ATTACH_BYTES:
            raise UserError(
                _("{name} is larger than 200 MB and cannot be attached.").format(name=path.name)
            )
        return path.read_bytes()
    except FileNotFoundError:
        raise UserError(_("The file to attach {path} does not exist.").format(path=path)) from None
    except IsADirectoryError:
        raise UserError(_("{path} is a folder, not a file to attach.").format(path=path)) from None
    except OSError as exc:
        raise UserError(
            _("The file to attach {path} cannot be read: {reason}").format(
                path=path, reason=exc.strerror or exc
            )
        ) from None


__all__ = [
    "MAX_ATTACH_BYTES",
    "UnreadablePdf",
    "archive_files",
    "attach_files",
    "damaged_message",
    "looks_like_pdf",
    "pdf_pages",
    "public_rows",
    "quiet_pypdf",
    "rating_annexes",
]
