"""File → Export briefing (Ctrl+P): the selected dossier as a PDF, laid out on a worker thread.

File → Export briefing as Word document does the same with a .docx (through the
same service, ``services.briefing``: the same content, filtered the same way),
filling the Word template set in the settings, if any.

The content is read on the GUI thread (a fraction of a second), the ReportLab
or python-docx layout (seconds for a long dossier) runs on a QThread with a
progress dialog that can cancel it, and the export is recorded in the
database afterwards, like ``chinadialog briefing`` does.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from PySide6.QtCore import QObject, QThread, Signal
from PySide6.QtWidgets import QFileDialog, QProgressDialog, QWidget

from chinadialog_desktop.errors import UserError
from chinadialog_desktop.i18n import _, language
from chinadialog_desktop.services import records
from chinadialog_desktop.ui.progress_dialog import progress_dialog


def write_atomically(path: Path, data: bytes) -> None:
    """Write next to the target and rename, so a failed write never leaves half a PDF.

    A kill leaves only a ``.part`` that the next start removes (``leftovers``).
    """
    from chinadialog_desktop.leftovers import write_atomically as write

    write(path, data, make_folders=True)


class _Render(QThread):
    """Runs ``render_pdf`` (or ``render_docx``) off the GUI thread; reports by signals."""

    sig_progress = Signal(int, int, str)
    sig_done = Signal(object, int)  # file bytes, page count (0 for Word)
    sig_failed = Signal(str)

    def __init__(
        self,
        content: Any,
        parent: QObject | None = None,
        fmt: str = "pdf",
        template: Path | None = None,
    ) -> None:
        super().__init__(parent)
        self.content = content
        self.fmt = fmt
        self.template = template
        self.cancelled = False

    def run(self) -> None:
        from chinadialog_desktop.services.briefing import render_docx, render_pdf

        def progress(done: int, total: int, message: str) -> None:
            self.sig_progress.emit(done, total, message)

        try:
            if self.fmt == "docx":
                data = render_docx(self.content, self.template, progress, lambda: self.cancelled)
                pages = 0
            else:
                data, pages = render_pdf(self.content, progress, lambda: self.cancelled)
        except UserError as exc:  # BuildCancelled too
            self.sig_failed.emit(str(exc))
            return
        except Exception as exc:  # shown to the user, never lost on a thread
            self.sig_failed.emit(f"{type(exc).__name__}: {exc}")
            return
        self.sig_done.emit(data, pages)


class BriefingExport(QObject):
    """One export of one dossier: choose the file, lay out, write, record."""

    sig_finished = Signal(object)  # Path of the written file, or None (cancelled/failed)

    def __init__(self, window: Any, dossier_id: int, fmt: str = "pdf") -> None:
        super().__init__(window)
        self.window = window
        self.dossier_id = dossier_id
        self.fmt = fmt
        self.path: Path | None = None
        self.thread: _Render | None = None
        self.progress: QProgressDialog | None = None
        self.options: Any = None
        self.content: Any = None
        self.checks: list[Any] = []

    def start(self, path: Path | None = None) -> bool:
        """Ask for the target (unless given) and start the layout; False if nothing started."""
        from chinadialog_desktop.services.briefing import BriefingOptions

        workspace = self.window.workspace
        title = workspace.read(lambda s: records.get(s, "dossier", self.dossier_id).title)
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
                from chinadialog_desktop.services.briefing import check_template

                check_template(template)
            self.content, self.checks = workspace.read(self._content_and_checks)
        except UserError as exc:
            self.window.message_bar.show_error(str(exc))
            return False
        self.progress = _progress_dialog(self.window)
        self.thread = _Render(self.content, self, self.fmt, template)
        self.thread.sig_progress.connect(self._progress)
        self.thread.sig_done.connect(self._done)
        self.thread.sig_failed.connect(self._failed)
        self.progress.canceled.connect(self._cancel)
        self.thread.start()
        return True

    def _content_and_checks(self, session: Any) -> tuple[Any, list[Any]]:
        from chinadialog_desktop.services.briefing import check_briefing, prepare_content

        dossier = records.get(session, "dossier", self.dossier_id)
        content = prepare_content(session, dossier, self.options)
        return content, check_briefing(session, dossier, content)

    def stop(self) -> None:
        """Cancel a running layout and wait for its thread (the window is closing)."""
        if self.thread is not None and self.thread.isRunning():
            self.thread.cancelled = True
            self.thread.wait()

    def _progress(self, done: int, total: int, message: str) -> None:
        # setValue() of a modal progress dialog processes events, which may deliver
        # the result and close the dialog; look it up again after each call.
        dialog = self.progress
        if dialog is None:
            return
        dialog.setMaximum(max(total, 1))
        dialog.setValue(min(done, max(total, 1)))
        if self.progress is dialog:
            dialog.setLabelText(message or _("Laying out the briefing …"))

    def _cancel(self) -> None:
        if self.thread is not None:
            self.thread.cancelled = True

    def _close_progress(self) -> None:
        if self.progress is not None:
            self.progress.reset()
            self.progress.deleteLater()
            self.progress = None
        if self.thread is not None:
            self.thread.wait()

    def _done(self, data: bytes, pages: int) -> None:
        from chinadialog_desktop.services.briefing import record_export

        self._close_progress()
        assert self.path is not None
        path = self.path
        # The record first: a PDF must never exist without it (a read-only, locked or
        # full database says why in the message bar and no file is written).
        recorded = self.window.workspace.run(
            lambda s: _record(
                record_export(
                    s,
                    records.get(s, "dossier", self.dossier_id),
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
                _("Checks before export: {n} point(s) to clear").format(n=len(self.checks))
                + ": "
                + " ".join(c.text for c in self.checks)
            )
        self.sig_finished.emit(path)

    def _failed(self, message: str) -> None:
        self._close_progress()
        if self.thread is not None and self.thread.cancelled:
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
    from chinadialog_desktop.ui.settings import AUTHOR_NAME

    prefs = getattr(window, "preferences", None)
    return str(prefs.get(AUTHOR_NAME) or "").strip() if prefs is not None else ""


def docx_template(window: Any) -> Path | None:
    """The Word template set in the app (Settings → Word template); None when none is set."""
    from chinadialog_desktop.ui.settings import DOCX_TEMPLATE

    prefs = getattr(window, "preferences", None)
    text = str(prefs.get(DOCX_TEMPLATE) or "").strip() if prefs is not None else ""
    return Path(text) if text else None


def _safe_name(title: str) -> str:
    cleaned = "".join(c if c.isalnum() or c in " -_–" else "_" for c in title).strip()
    return cleaned[:80] or "briefing"
