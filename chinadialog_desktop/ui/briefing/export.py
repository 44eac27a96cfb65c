"""File → Export briefing (Ctrl+P): the selected dossier as a PDF, laid out on a worker thread.

File → Export briefing as Word document does the same with a .docx (through the
same service, ``services.briefing.export``: the same content, filtered the same way),
filling the Word template set in the settings, if any.

The content is read on the GUI thread (a fraction of a second), the ReportLab
or python-docx layout (seconds for a long dossier) runs as a background job with a
progress dialog that can cancel it, and the export is recorded in the database
afterwards, like ``chinadialog briefing`` does.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from PySide6.QtCore import QObject, Signal
from PySide6.QtWidgets import QFileDialog, QProgressDialog, QWidget

from chinadialog_desktop.errors import UserError
from chinadialog_desktop.i18n import _, language
from chinadialog_desktop.jobs import CancelCheck, Progress, Work
from chinadialog_desktop.services.records import edit as records
from chinadialog_desktop.ui.common.jobs import Task, run_task
from chinadialog_desktop.ui.common.progress_dialog import progress_dialog


def write_atomically(path: Path, data: bytes) -> None:
    """Write next to the target and rename, so a failed write never leaves half a PDF.

    A kill leaves only a ``.part`` that the next start removes (``leftovers``).
    """
    from chinadialog_desktop.leftovers import write_atomically as write

    write(path, data, make_folders=True)


def render_job(
    content: Any, fmt: str = "pdf", template: Path | None = None
) -> Work[tuple[bytes, int]]:
    """The layout as a background job: ``(file bytes, page count)`` (0 pages for Word,
    which lays out its pages itself); cancel stops it."""

    def work(progress: Progress, cancelled: CancelCheck) -> tuple[bytes, int]:
        from chinadialog_desktop.services.briefing.export import render_docx, render_pdf

        if fmt == "docx":
            return render_docx(content, template, progress, cancelled), 0
        return render_pdf(content, progress, cancelled)

    return work


class BriefingExport(QObject):
    """One export of one dossier: choose the file, lay out, write, record."""

    sig_finished = Signal(object)  # Path of the written file, or None (cancelled/failed)

    def __init__(self, window: Any, dossier_id: int, fmt: str = "pdf") -> None:
        super().__init__(window)
        self.window = window
        self.dossier_id = dossier_id
        self.fmt = fmt
        self.path: Path | None = None
        self.task: Task | None = None
        self.progress: QProgressDialog | None = None
        self.options: Any = None
        self.content: Any = None
        self.checks: list[Any] = []

    def start(self, path: Path | None = None) -> bool:
        """Ask for the target (unless given) and start the layout; False if nothing started."""
        from chinadialog_desktop.services.briefing.export import BriefingOptions

        workspace = self.window.workspace
        title = workspace.read(lambda s: records.get_dossier(s, self.dossier_id).title)
        word = self.fmt == "docx"
        if path is None:
            suggested = self.window.database_path.parent / f"{_safe_name(title)}.{self.fmt}"
            name, _filter = QFileDialog.getSaveFileName(
                self.window,
                _("Export briefing as Word document") if word else _("Export briefing as PDF"),
                str(suggested),
                _("Word document (*.docx)") if word else _("PDF (*.pdf)"),
            )
            if not name:
                return False
            path = Path(name)
        self.path = path if path.suffix else path.with_suffix(f".{self.fmt}")
        self.options = BriefingOptions(lang=language(), editor=editor_name(self.window))
        template = docx_template(self.window) if word else None
        try:
            self.options.validate()
            if template is not None:
                from chinadialog_desktop.services.briefing.export import check_template

                check_template(template)
            self.content, self.checks = workspace.read(self._content_and_checks)
        except UserError as exc:
            self.window.message_bar.show_error(str(exc))
            return False
        self.progress = _progress_dialog(self.window)
        self.task = run_task(
            self,
            render_job(self.content, self.fmt, template),
            lambda result: self._done(*result),
            self._failed,
            dialog=self.progress,
        )
        return True

    def _content_and_checks(self, session: Any) -> tuple[Any, list[Any]]:
        from chinadialog_desktop.services.briefing.export import check_briefing, prepare_content

        dossier = records.get_dossier(session, self.dossier_id)
        content = prepare_content(session, dossier, self.options)
        return content, check_briefing(session, dossier, content)

    def stop(self) -> None:
        """Cancel a running layout and wait for its thread (the window is closing)."""
        if self.task is not None:
            self.task.stop()

    def _close_progress(self) -> None:
        self.progress = None  # the task closed it when the layout ended

    def _done(self, data: bytes, pages: int) -> None:
        from chinadialog_desktop.services.briefing.export import record_export

        self._close_progress()
        assert self.path is not None
        path = self.path
        # The record first: a PDF must never exist without it (a read-only, locked or
        # full database says why in the message bar and no file is written).
        recorded = self.window.workspace.run(
            lambda s: _record(
                record_export(
                    s,
                    records.get_dossier(s, self.dossier_id),
                    self.options,
                    self.content,
                    data,
                    pages,
                    path.name,
                    self.fmt,
                ),
                self.dossier_id,
            )
        )
        if recorded is None:
            self.sig_finished.emit(None)
            return
        try:
            write_atomically(path, data)
        except OSError as exc:
            self._failed(_("The file could not be written: {reason}").format(reason=exc))
            return
        self.window.statusBar().showMessage(
            _("Briefing written as Word document: {path}").format(path=path)
            if self.fmt == "docx"
            else _("Briefing written: {path} ({pages} pages)").format(path=path, pages=pages),
            10000,
        )
        if self.checks:  # written, but the checks before export found something
            self.window.message_bar.show_error(
                _checks_heading(len(self.checks)) + ": " + " ".join(c.text for c in self.checks)
            )
        self.sig_finished.emit(path)

    def _failed(self, message: str) -> None:
        self._close_progress()
        if self.task is not None and self.task.cancelled:
            self.window.statusBar().showMessage(_("Export cancelled."), 5000)
        else:
            self.window.message_bar.show_error(
                _("The briefing could not be exported: {reason}").format(reason=message)
            )
        self.sig_finished.emit(None)


def _record(export: Any, dossier_id: int) -> records.Change:
    """The recorded export as a change, so open views can hear of it."""
    return records.Change("create", "briefing_export", export.id, export.uuid, export.version)


def _progress_dialog(parent: QWidget) -> QProgressDialog:
    return progress_dialog(
        parent,
        name="briefingProgress",
        title=_("Export briefing"),
        label=_("Laying out the briefing …"),
        accessible_name=_("Progress of the briefing export"),
        maximum=1,
        minimum_duration=300,
        manual_close=False,
    )


def editor_name(window: Any) -> str:
    """The name set in the app (Settings → Author of briefings); "" when none is set."""
    from chinadialog_desktop.ui.preferences.settings import AUTHOR_NAME

    prefs = getattr(window, "preferences", None)
    return str(prefs.get(AUTHOR_NAME) or "").strip() if prefs is not None else ""


def docx_template(window: Any) -> Path | None:
    """The Word template set in the app (Settings → Word template); None when none is set."""
    from chinadialog_desktop.ui.preferences.settings import DOCX_TEMPLATE

    prefs = getattr(window, "preferences", None)
    text = str(prefs.get(DOCX_TEMPLATE) or "").strip() if prefs is not None else ""
    return Path(text) if text else None


def _safe_name(title: str) -> str:
    cleaned = "".join(c if c.isalnum() or c in " -_–" else "_" for c in title).strip()
    return cleaned[:80] or "briefing"


def _checks_heading(n: int) -> str:
    from chinadialog_desktop.services.briefing.checks import checks_heading

    return checks_heading(n)
