"""Export a dossier as a PDF or Word briefing, record every export, compare exports.

``export_briefing`` is a plain function with a ``progress(done, total,
message)`` callback and a ``cancel()`` flag, so the GUI can run it on a
worker thread and the CLI in the foreground. ReportLab and python-docx are
imported only here, inside the functions, never at start-up.

Both formats render the same content (``prepare_content``: the public filter
and its leak check have run before any writer sees it).
"""

from __future__ import annotations

import hashlib
import io
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from chinadialog_desktop.domain.briefing_terms import format_day, term
from chinadialog_desktop.errors import NotFound, UserError
from chinadialog_desktop.i18n import _
from chinadialog_desktop.jobs import CancelCheck as Cancel
from chinadialog_desktop.jobs import Progress
from chinadialog_desktop.persistence.audit import current_user
from chinadialog_desktop.persistence.models import BriefingExport, Dossier
from chinadialog_desktop.services.briefing.changes import compare_snapshots
from chinadialog_desktop.services.briefing.checks import Check, ChecksFailed, check_briefing
from chinadialog_desktop.services.briefing.content import (
    Briefing,
    BriefingOptions,
    build_content_checked,
    refuse_leaks,
    snapshot,
)
from chinadialog_desktop.services.briefing.public import public_lines

FORMATS = ("pdf", "docx")


def format_of(path: Path | str | None, chosen: str | None = None) -> str:
    """``pdf`` or ``docx``: the one chosen, else by the file's extension (default PDF).

    A choice that contradicts the extension (``--format docx -o x.pdf``) is refused.
    """
    suffix = Path(path).suffix.lower() if path is not None else ""
    by_name = {".docx": "docx", ".pdf": "pdf"}.get(suffix)
    if chosen is not None:
        if chosen not in FORMATS:
            raise UserError(_("Unknown format {fmt!r}; choose pdf or docx.").format(fmt=chosen))
        if by_name is not None and by_name != chosen:
            raise UserError(
                _("The file {name} does not end in .{fmt}; change the name or the format.").format(
                    name=Path(str(path)).name, fmt=chosen
                )
            )
        return chosen
    return by_name or "pdf"


@dataclass(frozen=True)
class ExportResult:
    export_id: int | None  # None when not recorded
    path: Path | None
    data: bytes
    sha256: str
    page_count: int  # 0 for Word: Word counts the pages when it lays the file out
    changes: list[str] | None
    checks: list[Check] = field(default_factory=list)  # contradictions and gaps found
    format: str = "pdf"


def resolve_dossier(session: Session, ref: str) -> Dossier:
    """By id, UUID, or a title substring that matches exactly one dossier."""
    ref = ref.strip()
    found: Dossier | None = None
    if ref.isdigit():
        found = session.get(Dossier, int(ref))
    if found is None and len(ref) == 36 and ref.count("-") == 4:
        found = session.scalars(select(Dossier).where(Dossier.uuid == ref.lower())).first()
    if found is None and ref:
        escaped = ref.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
        matches = list(
            session.scalars(
                select(Dossier)
                .where(Dossier.title.ilike(f"%{escaped}%", escape="\\"))
                .order_by(Dossier.title)
                .limit(6)
            )
        )
        exact = [d for d in matches if d.title.casefold() == ref.casefold()]
        if len(exact) == 1 or len(matches) == 1:
            found = (exact or matches)[0]
        elif len(matches) > 1:
            raise UserError(
                _(
                    "{ref!r} matches several dossiers: {titles}. Give the id or more of the title."
                ).format(ref=ref, titles="; ".join(f"{d.id} {d.title}" for d in matches))
            )
    if found is None:
        raise NotFound(_("No dossier {ref!r}.").format(ref=ref))
    return found


def previous_export(
    session: Session, dossier_id: int, options: BriefingOptions | None = None
) -> BriefingExport | None:
    """The newest export of the dossier; with ``options``, the newest for the same audience.

    "Same audience" means the same language and the same public/internal version:
    the public reads the changes against the last public version, and labels in
    another language would show up as changes.
    """
    rows = session.scalars(
        select(BriefingExport)
        .where(BriefingExport.dossier_id == dossier_id)
        .order_by(BriefingExport.exported_at.desc(), BriefingExport.id.desc())
    )
    for row in rows:
        if options is None or (
            row.options.get("lang") == options.lang
            and bool(row.options.get("public")) == options.public
        ):
            return row
    return None


def prepare_content(session: Session, dossier: Dossier, options: BriefingOptions) -> Briefing:
    """The content of the briefing, with the change list filled in when asked for."""
    content, people, phrases = build_content_checked(session, dossier, options)
    if options.pdfa:
        from dataclasses import replace

        from chinadialog_desktop.services.briefing.annexes import archive_files

        files = archive_files(session, content) if options.pdfa == 3 else []
        content = replace(content, pdfa=options.pdfa, archive_files=files)
    if options.changes:
        prev = previous_export(session, dossier.id, options)
        content.changes = []
        if prev is not None:
            content.changes = compare_snapshots(prev.snapshot, snapshot(content), options.lang)
            content.changes_since = format_day(prev.exported_at.date(), options.lang)
        else:  # never "the first briefing" when there was one: say what there was
            content.changes_note = _earlier_note(session, dossier.id, options)
        if options.public:  # an older export may name what is protected now
            content.changes = public_lines(content.changes, people, phrases, options.lang)
            refuse_leaks(content, people, phrases)
    return content


def _earlier_note(session: Session, dossier_id: int, options: BriefingOptions) -> str | None:
    """Why there is nothing to compare with, when earlier exports exist (else None)."""
    rows = list(
        session.scalars(
            select(BriefingExport)
            .where(BriefingExport.dossier_id == dossier_id)
            .order_by(BriefingExport.exported_at.desc(), BriefingExport.id.desc())
        )
    )
    same_variant = [r for r in rows if bool(r.options.get("public")) == options.public]
    if same_variant:  # the same version, but in the other language
        day = format_day(same_variant[0].exported_at.date(), options.lang)
        return term("changes_other_language", options.lang, date=day)
    if rows:
        return term(
            "changes_first_public" if options.public else "changes_first_internal", options.lang
        )
    return None


def render_pdf(
    content: Briefing, progress: Progress | None = None, cancel: Cancel | None = None
) -> tuple[bytes, int]:
    """The PDF bytes and page count of ``content`` (no database access).

    The PDF Anlagen (``content.annex_files``) follow the briefing's own pages. With
    ``content.pdfa`` the file is made a PDF/A (``reports.pdf_archive``); an Anlage that
    cannot be part of one is refused with one sentence naming it, before any layout.
    """
    from chinadialog_desktop.reports.pdf import build_pdf  # ReportLab: only when exporting

    if content.pdfa:
        _refuse_unarchivable(content)
    buffer = io.BytesIO()
    pages = build_pdf(content, buffer, progress, cancel)
    data = buffer.getvalue()
    if content.annex_files:
        from chinadialog_desktop.reports.annex import append_annexes  # pypdf: only with Anlagen

        _check_cancel(cancel)
        data, pages = append_annexes(data, content.annex_files, content.lang)
        if not content.pdfa:  # the Anlagen are not tagged: no PDF/UA claim for the whole
            from chinadialog_desktop.reports.pdf_tags import without_ua_claim

            data = without_ua_claim(data)
    if content.pdfa:
        _check_cancel(cancel)
        data = archival(content, data, pdfua=None if content.annex_files else 1)
    return data, pages


def _check_cancel(cancel: Cancel | None) -> None:
    if cancel is not None and cancel():
        from chinadialog_desktop.reports.errors import BuildCancelled

        raise BuildCancelled("cancelled")


def _refuse_unarchivable(content: Briefing) -> None:
    """An Anlage whose pages would be appended must be fit for a PDF/A."""
    from chinadialog_desktop.reports.pdf_archive import obstacles

    for annex in content.annex_files:
        found = obstacles(annex.data)
        if not found:
            continue
        reasons = []
        if found.fonts:
            reasons.append(
                _("fonts that are not embedded: {fonts}").format(fonts=", ".join(found.fonts[:3]))
            )
        if found.cmyk:
            reasons.append(_("CMYK colours without a colour profile"))
        raise UserError(
            _(
                "The attachment {name} cannot become part of a PDF/A: it uses {reasons}. "
                "Save it as PDF/A first, or export without PDF/A."
            ).format(name=annex.file_name, reasons=_(" and ").join(reasons))
        )


def archival(content: Briefing, data: bytes, pdfua: int | None = None) -> bytes:
    """``data`` as PDF/A-2b, or PDF/A-3b with ``content.archive_files`` embedded;
    ``pdfua``: the file is tagged throughout and keeps its PDF/UA identification.

    A PDF Anlage whose pages were appended is embedded as their ``Source``; any other
    file as ``Data`` the briefing speaks of.
    """
    from chinadialog_desktop.reports.pdf_archive import ArchiveFile, make_archival
    from chinadialog_desktop.services.briefing.content import export_moment

    appended = {a.number for a in content.annex_files}
    files = [
        ArchiveFile(
            file_name=f.file_name,
            data=f.data,
            media_type=f.media_type,
            description=term("annex_heading", content.lang, number=f.number, title=f.title),
            relationship="Source" if f.number in appended else "Data",
        )
        for f in content.archive_files
    ]
    return make_archival(data, content.pdfa, files=files, moment=export_moment(), pdfua=pdfua)


def render_docx(
    content: Briefing,
    template: Path | None = None,
    progress: Progress | None = None,
    cancel: Cancel | None = None,
) -> bytes:
    """The Word document of ``content`` (no database access); ``template``: a .docx/.dotx.

    A template that cannot be read as a Word file is refused with one sentence.
    """
    from chinadialog_desktop.services.briefing.content import export_moment

    try:
        from chinadialog_desktop.reports.word import build_docx  # python-docx: only when exporting
    except ImportError as exc:  # a build without python-docx
        raise UserError(
            _("This installation cannot write Word documents ({reason}).").format(reason=exc)
        ) from exc
    if template is not None:
        check_template(template)
    return build_docx(content, export_moment(), template, progress, cancel)


def check_template(template: Path) -> None:
    """Refuse, with one sentence naming the file, a template Word could not open."""
    path = Path(template)
    if not path.is_file():
        raise UserError(_("The Word template {path} was not found.").format(path=path))
    try:
        from chinadialog_desktop.reports.word import open_template

        open_template(path)
    except Exception as exc:  # zipfile's, lxml's and python-docx's errors: not a Word file
        raise UserError(
            _(
                "The Word template {path} cannot be used: it is not a Word document "
                "(.docx or .dotx), or it is damaged."
            ).format(path=path)
        ) from exc


def _write_atomically(path: Path, data: bytes) -> None:
    from chinadialog_desktop.leftovers import write_atomically

    write_atomically(path, data, make_folders=True)


def _write_when_committed(session: Session, path: Path, data: bytes) -> None:
    """Write the PDF once the transaction holding its export record has committed.

    So a PDF never exists without its record: a failed, locked or read-only
    database, or a kill before the commit, leaves no PDF (a kill in between
    leaves only a ``.part`` that the next start removes).
    """
    from sqlalchemy import event

    def committed(_session: Session) -> None:
        event.remove(session, "after_soft_rollback", rolled_back)
        _write_atomically(path, data)

    def rolled_back(_session: Session, _previous: object) -> None:
        if event.contains(session, "after_commit", committed):
            event.remove(session, "after_commit", committed)
        event.remove(session, "after_soft_rollback", rolled_back)

    event.listen(session, "after_commit", committed, once=True)
    event.listen(session, "after_soft_rollback", rolled_back)


def export_briefing(
    session: Session,
    dossier: Dossier,
    options: BriefingOptions,
    out: Path | None = None,
    progress: Progress | None = None,
    cancel: Cancel | None = None,
    record: bool = True,
    strict: bool = False,
    fmt: str = "pdf",
    docx_template: Path | None = None,
) -> ExportResult:
    """Build the briefing, write it to ``out`` (if given) and record the export.

    ``fmt`` is ``pdf`` or ``docx`` (``format_of`` picks it from the file name);
    ``docx_template`` is a municipality's own Word template the document fills.

    The record is added to ``session``; the caller's unit of work commits it.
    A cancelled export raises ``BuildCancelled`` and writes nothing; so does
    ``strict`` when the checks before export find anything (``ChecksFailed``).
    """
    content = prepare_content(session, dossier, options)
    checks = check_briefing(session, dossier, content)
    if strict and checks:
        raise ChecksFailed(checks)
    if fmt == "docx":
        data, pages = render_docx(content, docx_template, progress, cancel), 0
    else:
        data, pages = render_pdf(content, progress, cancel)
    digest = hashlib.sha256(data).hexdigest()
    export_id = None
    if record:
        export_id = record_export(
            session,
            dossier,
            options,
            content,
            data,
            pages,
            Path(out).name if out is not None else None,
            fmt,
        ).id
        if out is not None:
            _write_when_committed(session, Path(out), data)
    elif out is not None:
        _write_atomically(Path(out), data)
    return ExportResult(
        export_id, Path(out) if out else None, data, digest, pages, content.changes, checks, fmt
    )


def record_export(
    session: Session,
    dossier: Dossier,
    options: BriefingOptions,
    content: Briefing,
    data: bytes,
    page_count: int,
    file_name: str | None,
    fmt: str = "pdf",
) -> BriefingExport:
    """Record a briefing that was rendered earlier (e.g. shown in a preview, then saved).

    A Word export is recorded with ``"format": "docx"`` among its options (a PDF,
    as before, without the key).
    """
    stored = options.as_dict()
    if fmt != "pdf":
        stored["format"] = fmt
        stored.pop("pdfa", None)  # PDF/A is a kind of PDF
    row = BriefingExport(
        dossier_id=dossier.id,
        exported_at=datetime.now(UTC),
        user=options.editor.strip() or current_user(),  # by the name set in the app
        options=stored,
        file_name=file_name,
        sha256=hashlib.sha256(data).hexdigest(),
        page_count=page_count,
        snapshot=snapshot(content),
    )
    session.add(row)
    session.flush()
    return row


def export_rows(session: Session, dossier: Dossier) -> list[dict[str, Any]]:
    """The recorded exports of a dossier, newest first, as plain data."""
    rows = session.scalars(
        select(BriefingExport)
        .where(BriefingExport.dossier_id == dossier.id)
        .order_by(BriefingExport.exported_at.desc(), BriefingExport.id.desc())
    )
    return [
        {
            "id": r.id,
            "uuid": r.uuid,
            "exported_at": r.exported_at.isoformat(),
            "user": r.user,
            "options": r.options,
            "file_name": r.file_name,
            "sha256": r.sha256,
            "page_count": r.page_count,
        }
        for r in rows
    ]


def get_export(session: Session, ref: str | int) -> BriefingExport:
    text = str(ref).strip()
    found = (
        session.get(BriefingExport, int(text))
        if text.isdigit()
        else session.scalars(
            select(BriefingExport).where(BriefingExport.uuid == text.lower())
        ).first()
    )
    if found is None:
        raise NotFound(_("No briefing export {ref!r}.").format(ref=text))
    return found


def compare_exports(
    session: Session, first: str | int, second: str | int, lang: str = "de"
) -> list[str]:
    """What changed from export ``first`` to export ``second`` (the GUI shows this list)."""
    a, b = get_export(session, first), get_export(session, second)
    if a.dossier_id != b.dossier_id:
        raise UserError(_("The two exports belong to different dossiers."))
    return compare_snapshots(a.snapshot, b.snapshot, lang)


__all__ = [
    "BriefingOptions",
    "Check",
    "ChecksFailed",
    "check_briefing",
    "ExportResult",
    "FORMATS",
    "check_template",
    "format_of",
    "render_docx",
    "compare_exports",
    "export_briefing",
    "export_rows",
    "get_export",
    "prepare_content",
    "previous_export",
    "record_export",
    "render_pdf",
    "archival",
    "resolve_dossier",
]
