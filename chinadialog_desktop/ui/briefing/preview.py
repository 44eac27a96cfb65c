"""Briefing preview: options, layout on a worker thread, the pages on screen, print, save, open.

The content is read on the GUI thread, ReportLab lays it out on the worker
thread of ``briefing_export``; the pages are rasterised with pypdfium2 on the
GUI thread when shown (one page at screen resolution takes milliseconds).
Printing runs on a worker thread and draws the pages at the printer's
resolution (at most 300 dpi); "print to file" writes the chosen PDF pages.
Every print, saved file or file opened in a viewer is recorded as an export.
"""

from __future__ import annotations

import dataclasses
import hashlib
import io
import tempfile
import threading
from collections.abc import Callable
from html import escape
from pathlib import Path
from typing import Any

import pypdfium2 as pdfium
from PySide6.QtCore import QEvent, QObject, QRectF, QSize, Qt, QTimer, QUrl, Signal
from PySide6.QtGui import (
    QAction,
    QDesktopServices,
    QImage,
    QKeyEvent,
    QKeySequence,
    QPainter,
    QPixmap,
)
from PySide6.QtPrintSupport import QAbstractPrintDialog, QPrintDialog, QPrinter
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QFileDialog,
    QFrame,
    QHBoxLayout,
    QLabel,
    QProgressBar,
    QPushButton,
    QScrollArea,
    QSizePolicy,
    QSpinBox,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from chinadialog_desktop.errors import UserError
from chinadialog_desktop.i18n import N_, _
from chinadialog_desktop.jobs import CancelCheck, Outcome, Progress, Work, check
from chinadialog_desktop.reports.errors import BuildCancelled
from chinadialog_desktop.services.briefing.content import BriefingOptions
from chinadialog_desktop.services.briefing.export import (
    check_briefing,
    prepare_content,
    record_export,
)
from chinadialog_desktop.services.records import edit as records
from chinadialog_desktop.ui.briefing.export import (
    _safe_name,
    docx_template,
    editor_name,
    render_job,
    write_atomically,
)
from chinadialog_desktop.ui.briefing.options import BriefingOptionsPanel
from chinadialog_desktop.ui.common.jobs import Task
from chinadialog_desktop.ui.common.retranslate import Texts
from chinadialog_desktop.ui.common.screen_fit import resize_to_fit

ZOOMS = (0.5, 0.75, 1.0, 1.25, 1.5, 2.0, 3.0)
FIT_WIDTH, FIT_PAGE = "width", "page"
PRINT_DPI_LIMIT = 300  # sharper than any office printer shows; a 1200 dpi A4 image is 560 MB


# PDFium is not thread-safe: every call into it, from the preview (GUI thread) or a
# print run (worker thread), holds this lock.
PDFIUM_LOCK = threading.RLock()


def open_document(data: bytes) -> pdfium.PdfDocument:
    with PDFIUM_LOCK:
        return pdfium.PdfDocument(data)


def close_document(document: pdfium.PdfDocument) -> None:
    with PDFIUM_LOCK:
        document.close()


def page_size(document: pdfium.PdfDocument, index: int) -> tuple[float, float]:
    """Width and height of page ``index`` in points."""
    with PDFIUM_LOCK:
        page = document[index]
        try:
            width, height = page.get_size()
        finally:
            page.close()
    return float(width), float(height)


def render_page(document: pdfium.PdfDocument, index: int, dpi: float) -> QImage:
    """Page ``index`` (0-based) of ``document`` as an opaque image at ``dpi``."""
    with PDFIUM_LOCK:
        return _render_page(document, index, dpi)


def _render_page(document: pdfium.PdfDocument, index: int, dpi: float) -> QImage:
    page = document[index]
    try:
        bitmap = page.render(scale=dpi / 72.0, fill_color=(255, 255, 255, 255), prefer_bgrx=True)
        try:
            # BGRx bytes are QImage.Format_RGB32 on little-endian machines (all we ship to).
            image = QImage(
                bytes(bitmap.buffer),
                bitmap.width,
                bitmap.height,
                bitmap.stride,
                QImage.Format.Format_RGB32,
            ).copy()
        finally:
            bitmap.close()
    finally:
        page.close()
    return image


def print_pages(
    data: bytes,
    printer: QPrinter,
    pages: list[int],
    progress: Callable[[int, int, str], None] | None = None,
    cancel: Callable[[], bool] | None = None,
) -> int:
    """Draw ``pages`` (0-based) of the PDF ``data`` on ``printer``; the number printed.

    Safe on a worker thread (Qt paints on printers in any thread). A cancel
    between two pages aborts the print job and raises ``BuildCancelled``.
    """
    document = open_document(data)
    try:
        printer.setFullPage(True)  # the PDF page carries its own margins
        dpi = float(min(printer.resolution(), PRINT_DPI_LIMIT))
        painter = QPainter()
        if not painter.begin(printer):
            raise UserError(_("The printer could not be started."))
        try:
            painter.setRenderHint(QPainter.RenderHint.SmoothPixmapTransform)
            paper = printer.paperRect(QPrinter.Unit.DevicePixel)
            for n, index in enumerate(pages):
                try:
                    check(cancel, _("Printing cancelled."))
                    if progress is not None:
                        progress(n, len(pages), _("Printing page {page} …").format(page=index + 1))
                except BuildCancelled:
                    printer.abort()
                    raise
                if n and not printer.newPage():
                    raise UserError(_("The printer refused the next page."))
                image = render_page(document, index, dpi)
                painter.drawImage(_fit(paper, image.size()), image)
        finally:
            painter.end()
    finally:
        close_document(document)
    return len(pages)


def pdf_subset(data: bytes, pages: list[int]) -> bytes:
    """The PDF with only ``pages`` (0-based, in that order); all pages: ``data`` unchanged."""
    with PDFIUM_LOCK:
        source = pdfium.PdfDocument(data)
        try:
            if pages == list(range(len(source))):
                return data
            subset = pdfium.PdfDocument.new()
            try:
                subset.import_pages(source, pages)
                buffer = io.BytesIO()
                subset.save(buffer)
            finally:
                subset.close()
        finally:
            source.close()
    return buffer.getvalue()


def prints_to_file(printer: QPrinter) -> bool:
    """True when the print dialog's "print to file" chose a PDF file."""
    return printer.outputFormat() == QPrinter.OutputFormat.PdfFormat and bool(
        printer.outputFileName()
    )


def print_job(data: bytes, printer: QPrinter, pages: list[int]) -> Work[int]:
    """Printing as a background job (like the layout of ``briefing_export``): pages printed.

    A printer draws the pages as pictures at its resolution; "print to file"
    writes the chosen pages of the PDF itself.
    """

    def work(progress: Progress, cancelled: CancelCheck) -> int:
        if prints_to_file(printer):  # the vector pages, searchable, not pictures
            target = Path(printer.outputFileName())
            subset = pdf_subset(data, pages)
            check(cancelled, _("Printing cancelled."))
            write_atomically(target, subset)
            return len(pages)
        return print_pages(data, printer, pages, progress, cancelled)

    return work


def _fit(area: QRectF, size: QSize) -> QRectF:
    """The largest rectangle of ``size``'s aspect ratio centred in ``area``."""
    if size.width() <= 0 or size.height() <= 0:
        return QRectF(area)
    scale = min(area.width() / size.width(), area.height() / size.height())
    w, h = size.width() * scale, size.height() * scale
    return QRectF(area.x() + (area.width() - w) / 2, area.y() + (area.height() - h) / 2, w, h)


def chosen_pages(printer: QPrinter, count: int, current: int) -> list[int]:
    """The pages (0-based) the print dialog asked for, clipped to the document."""
    mode = printer.printRange()
    if mode == QPrinter.PrintRange.CurrentPage:
        return [current]
    if mode == QPrinter.PrintRange.PageRange:
        ranges = printer.pageRanges()
        wanted: list[int] = []
        if not ranges.isEmpty():
            for r in ranges.toRangeList():
                wanted.extend(range(r.from_ - 1, r.to))
        elif printer.fromPage() > 0:
            wanted = list(range(printer.fromPage() - 1, printer.toPage() or count))
        chosen = [p for p in wanted if 0 <= p < count]
        return list(dict.fromkeys(chosen))
    return list(range(count))


class BriefingPreview(QDialog):
    """The preview of one dossier's briefing.

    ``sig_built(pages)`` after each finished layout, ``sig_printed(pages)``
    after a print run, ``sig_failed(message)`` when either failed or was
    cancelled, ``sig_recorded(export_id)`` after an export was recorded.
    """

    sig_built = Signal(int)
    sig_failed = Signal(str)
    sig_recorded = Signal(int)
    sig_printed = Signal(int)
    sig_word_saved = Signal(object)  # Path of the Word document written, or None

    def __init__(self, window: Any, dossier_id: int) -> None:
        super().__init__(window)
        self.main_window = window
        self.workspace = window.workspace
        self.dossier_id = dossier_id
        self.title = self.workspace.read(lambda s: records.get_dossier(s, dossier_id).title)
        self.data: bytes | None = None
        self.page_count = 0
        self.options: BriefingOptions | None = None
        self.content: Any = None
        self._pending: tuple[BriefingOptions | None, Any] = (None, None)
        self.document: pdfium.PdfDocument | None = None
        self.current = 0
        self.zoom: float | str = FIT_WIDTH
        self.layout_task: Task | None = None
        self.print_task: Task | None = None
        self.word_task: Task | None = None
        self._tasks: list[Task] = []  # layouts still running (a newer one may have started)
        self._generation = 0

        self.texts = Texts()
        self._tips: list[tuple[QAction, QToolButton, str]] = []
        self.setObjectName("briefingPreview")
        self.texts.set(self, "setAccessibleName", N_("Briefing preview"))
        self.setWindowFlag(Qt.WindowType.WindowMaximizeButtonHint, True)
        resize_to_fit(self, 1100, 820)
        self._build()
        self._debounce = QTimer(self)
        self._debounce.setSingleShot(True)
        self._debounce.setInterval(350)
        self._debounce.timeout.connect(self.build)
        self.panel.sig_changed.connect(self._options_changed)
        self._dynamic_texts()
        self._update_controls()

    # -- construction ------------------------------------------------------------
    def _build(self) -> None:
        outer = QHBoxLayout(self)
        side = QVBoxLayout()
        outer.addLayout(side, 0)
        heading = QLabel(self)
        self.texts.set(heading, "setText", N_("<b>Options</b>"))
        heading.setObjectName("briefingOptionsHeading")
        side.addWidget(heading)
        self.panel = BriefingOptionsPanel(self)
        side.addWidget(self.panel)
        self.rebuild_button = self._button(
            "briefingRebuild", N_("&Update preview"), N_("Lay out the briefing again"), self.build
        )
        side.addWidget(self.rebuild_button)
        self.progress = QProgressBar(self)
        self.progress.setObjectName("briefingPreviewProgress")
        self.texts.set(self.progress, "setAccessibleName", N_("Progress of the layout"))
        side.addWidget(self.progress)
        self.cancel_button = self._button(
            "briefingCancel", N_("Cancel"), N_("Stop the layout or the print run"), self.cancel
        )
        side.addWidget(self.cancel_button)
        self.status = QLabel(self)
        self.status.setObjectName("briefingPreviewStatus")
        self.texts.set(self.status, "setAccessibleName", N_("State of the preview"))
        self.status.setWordWrap(True)
        self.status.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        side.addWidget(self.status)
        # The checks before export: contradictions and gaps, one sentence each.
        self.checks_label = QLabel(self)
        self.checks_label.setObjectName("briefingChecks")
        self.texts.set(self.checks_label, "setAccessibleName", N_("Checks before export"))
        self.checks_label.setWordWrap(True)
        self.checks_label.setTextFormat(Qt.TextFormat.RichText)
        self.checks_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.checks_label.setMaximumWidth(320)
        side.addWidget(self.checks_label)
        self.checks: list[Any] = []
        side.addStretch(1)
        self.print_button = self._button(
            "briefingPrint",
            N_("&Print …"),
            N_("Print the briefing; choose printer and pages"),
            self.print_dialog,
        )
        self.save_button = self._button(
            "briefingSavePdf",
            N_("Save as P&DF …"),
            N_("Write the briefing to a PDF file"),
            self.save_dialog,
        )
        self.word_button = self._button(
            "briefingSaveWord",
            N_("Save as &Word …"),
            N_("Write the briefing as a Word document (.docx), in the Word template if one is set"),
            self.save_word_dialog,
        )
        self.open_button = self._button(
            "briefingOpenViewer",
            N_("Open in PDF &viewer"),
            N_("Show the briefing in the system's PDF viewer"),
            self.open_in_viewer,
        )
        close = self._button("briefingClose", N_("Close"), N_("Close the preview"), self.close)
        for button in (self.print_button, self.save_button, self.word_button, self.open_button):
            side.addWidget(button)
        side.addSpacing(12)
        side.addWidget(close)
        widget: QWidget
        for widget in (self.panel, self.rebuild_button, self.print_button):
            widget.setMaximumWidth(360)

        main = QVBoxLayout()
        outer.addLayout(main, 1)
        bar = QHBoxLayout()
        main.addLayout(bar)
        self.first_button = self._tool(
            "briefingFirstPage", "«", N_("First page"), "Ctrl+Home", lambda: self.show_page(0)
        )
        self.prev_button = self._tool(
            "briefingPrevPage",
            "‹",
            N_("Previous page"),
            "Ctrl+PgUp",
            lambda: self.show_page(self.current - 1),
        )
        self.page_spin = QSpinBox(self)
        self.page_spin.setObjectName("briefingPageNumber")
        self.texts.set(self.page_spin, "setAccessibleName", N_("Page number"))
        self.page_spin.setMinimum(1)
        self.page_spin.valueChanged.connect(lambda value: self.show_page(value - 1))
        self.page_total = QLabel(self)
        self.page_total.setObjectName("briefingPageTotal")
        self.next_button = self._tool(
            "briefingNextPage",
            "›",
            N_("Next page"),
            "Ctrl+PgDown",
            lambda: self.show_page(self.current + 1),
        )
        self.last_button = self._tool(
            "briefingLastPage",
            "»",
            N_("Last page"),
            "Ctrl+End",
            lambda: self.show_page(self.page_count - 1),
        )
        page_label = QLabel(self)
        self.texts.set(page_label, "setText", N_("Page"))
        page_label.setBuddy(self.page_spin)
        for widget in (
            self.first_button,
            self.prev_button,
            page_label,
            self.page_spin,
            self.page_total,
            self.next_button,
            self.last_button,
        ):
            bar.addWidget(widget)
        bar.addStretch(1)
        self.zoom_out_button = self._tool(
            "briefingZoomOut",
            "−",
            N_("Zoom out"),
            QKeySequence.StandardKey.ZoomOut,
            lambda: self.step(-1),
        )
        self.zoom_box = QComboBox(self)
        self.zoom_box.setObjectName("briefingZoom")
        self.texts.set(self.zoom_box, "setAccessibleName", N_("Zoom"))
        self.zoom_box.addItem("", FIT_WIDTH)
        self.zoom_box.addItem("", FIT_PAGE)
        for zoom in ZOOMS:
            self.zoom_box.addItem(f"{zoom:.0%}", zoom)
        self.zoom_box.currentIndexChanged.connect(
            lambda _i: self.set_zoom(self.zoom_box.currentData())
        )
        self.zoom_in_button = self._tool(
            "briefingZoomIn",
            "+",
            N_("Zoom in"),
            QKeySequence.StandardKey.ZoomIn,
            lambda: self.step(1),
        )
        for widget in (self.zoom_out_button, self.zoom_box, self.zoom_in_button):
            bar.addWidget(widget)

        self.page_area = QScrollArea(self)
        self.page_area.setObjectName("briefingPageArea")
        self.texts.set(self.page_area, "setAccessibleName", N_("Page of the briefing"))
        self.page_area.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.page_area.setBackgroundRole(self.palette().ColorRole.Dark)
        self.page_area.setFrameShape(QFrame.Shape.NoFrame)
        self.page_label = QLabel(self.page_area)
        self.page_label.setObjectName("briefingPageImage")
        self.texts.set(self.page_label, "setAccessibleName", N_("Rendered page"))
        self.page_label.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.page_label.setSizePolicy(QSizePolicy.Policy.Fixed, QSizePolicy.Policy.Fixed)
        self.page_area.setWidget(self.page_label)
        self.page_area.installEventFilter(self)
        main.addWidget(self.page_area, 1)

    def _button(self, name: str, text: str, tip: str, slot: Any) -> QPushButton:
        button = QPushButton(self)
        self.texts.set(button, "setText", text)
        button.setObjectName(name)
        self.texts.set(button, "setToolTip", tip)
        button.setAutoDefault(False)
        button.clicked.connect(lambda _c=False: slot())
        return button

    def _tool(self, name: str, text: str, tip: str, keys: Any, slot: Any) -> QToolButton:
        button = QToolButton(self)
        action = QAction(text, self)
        action.setObjectName(name.replace("briefing", "action", 1))
        action.setShortcut(QKeySequence(keys))
        action.setShortcutContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
        action.triggered.connect(lambda _c=False: slot())
        self.addAction(action)
        button.setDefaultAction(action)
        button.setObjectName(name)
        self._tips.append((action, button, tip))
        return button

    def _dynamic_texts(self) -> None:
        """Texts built from message ids and values, in the language now active."""
        self.setWindowTitle(_("Briefing preview – {title}").format(title=self.title))
        for button in self.findChildren(QPushButton):
            button.setAccessibleName(button.text().replace("&", "").rstrip(" …"))
        for action, tool_button, tip in self._tips:
            keys = action.shortcut().toString(QKeySequence.SequenceFormat.NativeText)
            action.setToolTip(f"{_(tip)} ({keys})")
            tool_button.setAccessibleName(_(tip))
        self.zoom_box.setItemText(0, _("Page width"))
        self.zoom_box.setItemText(1, _("Whole page"))
        if self.page_count:
            self.page_total.setText(_("of {count}").format(count=self.page_count))
            self.page_label.setAccessibleDescription(
                _("Page {page} of {count}").format(page=self.current + 1, count=self.page_count)
            )

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802
        """Page Down at the foot of a page turns to the next one, Page Up at the top back."""
        if (
            watched is self.page_area
            and event.type() == QEvent.Type.KeyPress
            and isinstance(event, QKeyEvent)
            and event.modifiers() == Qt.KeyboardModifier.NoModifier
        ):
            bar = self.page_area.verticalScrollBar()
            if event.key() == Qt.Key.Key_PageDown and bar.value() >= bar.maximum():
                if self.current < self.page_count - 1:
                    self.show_page(self.current + 1)
                return True
            if event.key() == Qt.Key.Key_PageUp and bar.value() <= bar.minimum():
                if self.current > 0:
                    self.show_page(self.current - 1)
                    bar.setValue(bar.maximum())
                return True
        return super().eventFilter(watched, event)

    def showEvent(self, event: Any) -> None:  # noqa: N802
        """The keys start on the page (Page Down reads on, Ctrl+Home goes to the top), not
        in the first option box, where Page Down would change the document type."""
        super().showEvent(event)
        if not getattr(self, "_shown_once", False):
            self._shown_once = True
            self.page_area.setFocus(Qt.FocusReason.OtherFocusReason)

    def changeEvent(self, event: QEvent) -> None:  # noqa: N802
        if event.type() == QEvent.Type.LanguageChange and hasattr(self, "texts"):
            self.texts.apply()
            self.panel.retranslate()  # the window's event does not reach its children
            self._dynamic_texts()
        super().changeEvent(event)

    # -- building ----------------------------------------------------------------
    def _options_changed(self) -> None:
        self._debounce.start()

    def build(self) -> bool:
        """Read the content with the options shown and start laying it out; False on an error."""
        self._debounce.stop()
        if self.main_window.workspace is not self.workspace:
            self._show_error(_("The database was closed; open the preview again."))
            return False
        options = dataclasses.replace(self.panel.options(), editor=editor_name(self.main_window))
        try:
            options.validate()
            content, checks = self.workspace.read(lambda s: self._content_and_checks(s, options))
        except UserError as exc:
            self._show_error(str(exc))
            return False
        self._show_checks(checks)
        self._stop_current()
        self._generation += 1
        generation = self._generation
        # The preview's options and content change with its pages, not before: a
        # cancelled layout leaves the pages shown, and they are what an export records.
        self._pending = (options, content)
        task = Task(self, render_job(content))
        task.sig_progress.connect(
            lambda done, total, message: self._progress(generation, done, total, message)
        )
        task.sig_finished.connect(lambda outcome: self._laid_out(task, generation, outcome))
        self._tasks.append(task)
        self.layout_task = task
        self.progress.setRange(0, 0)
        self.status.setText(_("Laying out the briefing …"))
        self._update_controls()
        task.start()
        return True

    def _laid_out(self, task: Task, generation: int, outcome: Outcome[Any]) -> None:
        self._forget(task)
        if outcome.error or outcome.result is None:  # a finished layout always has a result
            self._failed(generation, outcome.error, task.cancelled)
        else:
            data, pages = outcome.result
            self._built(generation, data, pages)

    def _content_and_checks(self, session: Any, options: BriefingOptions) -> tuple[Any, Any]:
        dossier = records.get_dossier(session, self.dossier_id)
        content = prepare_content(session, dossier, options)
        return content, check_briefing(session, dossier, content)

    def _show_checks(self, checks: list[Any]) -> None:
        """List the checks before export beside the pages (or say that all is clear)."""
        self.checks = list(checks)
        if not checks:
            self.checks_label.setText(
                "<b>{}</b><br/>{}".format(
                    escape(_("Checks before export")), escape(_("No contradictions or gaps found."))
                )
            )
            return
        items = "".join(f"<li>{escape(c.text)}</li>" for c in checks)
        self.checks_label.setText(
            f"<b>{escape(_checks_heading(len(checks)))}</b>"
            f"<ul style='margin-left:-20px'>{items}</ul>"
        )

    def cancel(self) -> None:
        """Cancel the layout, the print run or the Word document going on."""
        for task in (self.layout_task, self.print_task, self.word_task):
            if task is not None:
                task.cancel()

    def _stop_current(self) -> None:
        if self.layout_task is not None:
            self.layout_task.cancel()
            self.layout_task = None

    def stop(self) -> None:
        """Cancel any layout and wait for its thread (the dialog or window is closing)."""
        self._debounce.stop()
        self._stop_current()
        for task in [*self._tasks, self.print_task, self.word_task]:
            if task is not None:
                task.stop()

    def _forget(self, task: Task) -> None:
        if task in self._tasks:
            self._tasks.remove(task)
        task.deleteLater()

    def _progress(self, generation: int, done: int, total: int, message: str) -> None:
        if generation != self._generation:
            return
        self.progress.setRange(0, max(total, 1))
        self.progress.setValue(min(done, max(total, 1)))
        if message:
            self.status.setText(message)

    def _built(self, generation: int, data: bytes, pages: int) -> None:
        if generation != self._generation:
            return
        self.layout_task = None
        if self.document is not None:
            close_document(self.document)
        self.data, self.page_count = data, pages
        self.options, self.content = self._pending
        self.document = open_document(data)
        self.progress.setRange(0, 1)
        self.progress.setValue(1)
        self.status.setText(
            _("{pages} pages. Nothing is recorded until you print, save or open it.").format(
                pages=self.page_count
            )
        )
        self.page_spin.blockSignals(True)
        self.page_spin.setMaximum(max(self.page_count, 1))
        self.page_spin.blockSignals(False)
        self.page_total.setText(_("of {count}").format(count=self.page_count))
        self.show_page(min(self.current, self.page_count - 1))
        self._update_controls()
        self.sig_built.emit(self.page_count)

    def _failed(self, generation: int, message: str, cancelled: bool = False) -> None:
        if generation != self._generation:
            return
        self.layout_task = None
        self.progress.setRange(0, 1)
        self.progress.setValue(0)
        if cancelled:
            self.status.setText(_("Layout cancelled. “Update preview” starts it again."))
        else:
            self._show_error(
                _("The briefing could not be laid out: {reason}").format(reason=message)
            )
        self._update_controls()
        self.sig_failed.emit(message)

    def _show_error(self, message: str) -> None:
        self.status.setText(message)
        self.main_window.message_bar.show_error(message)

    def _update_controls(self) -> None:
        busy = (
            self.layout_task is not None
            or self.print_task is not None
            or self.word_task is not None
        )
        ready = self.data is not None and not busy
        self.cancel_button.setEnabled(busy)
        self.progress.setVisible(busy or self.data is None)
        for button in (self.print_button, self.save_button, self.word_button, self.open_button):
            button.setEnabled(ready)
        has_pages = self.page_count > 0
        self.page_spin.setEnabled(has_pages)
        self.first_button.setEnabled(has_pages and self.current > 0)
        self.prev_button.setEnabled(has_pages and self.current > 0)
        self.next_button.setEnabled(has_pages and self.current < self.page_count - 1)
        self.last_button.setEnabled(has_pages and self.current < self.page_count - 1)

    # -- pages -------------------------------------------------------------------
    def show_page(self, index: int) -> None:
        """Show page ``index`` (0-based, clipped) at the zoom chosen."""
        if self.document is None or self.page_count == 0:
            return
        index = max(0, min(index, self.page_count - 1))
        self.current = index
        if self.page_spin.value() != index + 1:
            self.page_spin.blockSignals(True)
            self.page_spin.setValue(index + 1)
            self.page_spin.blockSignals(False)
        self._render_current()
        self.page_area.verticalScrollBar().setValue(0)
        self._update_controls()

    def page_image(self) -> QImage:
        """The image of the page shown (for tests and screenshots)."""
        return self.page_label.pixmap().toImage()

    def screen_dpi(self) -> float:
        return float(self.logicalDpiX())

    def effective_zoom(self) -> float:
        """The zoom as a factor of the paper's real size on screen."""
        if isinstance(self.zoom, float) or self.document is None:
            return float(self.zoom) if isinstance(self.zoom, float) else 1.0
        width_pt, height_pt = page_size(self.document, self.current)
        dpi = self.screen_dpi()
        view = self.page_area.viewport().size()
        margin = 24
        by_width = (view.width() - margin) / (width_pt / 72.0 * dpi)
        if self.zoom == FIT_WIDTH:
            return max(0.2, by_width)
        by_height = (view.height() - margin) / (height_pt / 72.0 * dpi)
        return max(0.2, min(by_width, by_height))

    def _render_current(self) -> None:
        if self.document is None:
            return
        ratio = self.devicePixelRatioF()  # sharp on high-DPI screens
        dpi = self.screen_dpi() * self.effective_zoom() * ratio
        image = render_page(self.document, self.current, dpi)
        image.setDevicePixelRatio(ratio)
        pixmap = QPixmap.fromImage(image)
        self.page_label.setPixmap(pixmap)
        self.page_label.resize(pixmap.deviceIndependentSize().toSize())
        self.page_label.setAccessibleDescription(
            _("Page {page} of {count}").format(page=self.current + 1, count=self.page_count)
        )

    def set_zoom(self, zoom: float | str) -> None:
        self.zoom = zoom
        index = self.zoom_box.findData(zoom)
        if index >= 0 and index != self.zoom_box.currentIndex():
            self.zoom_box.blockSignals(True)
            self.zoom_box.setCurrentIndex(index)
            self.zoom_box.blockSignals(False)
        self._render_current()

    def step(self, direction: int) -> None:
        """One zoom step in or out from the zoom in effect."""
        now = self.effective_zoom()
        if direction > 0:
            bigger = [z for z in ZOOMS if z > now + 0.01]
            self.set_zoom(bigger[0] if bigger else ZOOMS[-1])
        else:
            smaller = [z for z in ZOOMS if z < now - 0.01]
            self.set_zoom(smaller[-1] if smaller else ZOOMS[0])

    def resizeEvent(self, event: Any) -> None:  # noqa: N802
        super().resizeEvent(event)
        if isinstance(self.zoom, str):
            self._render_current()

    # -- output ------------------------------------------------------------------
    def print_dialog(self) -> bool:
        """Drucken…: the system's print dialog with printer and page range, then print."""
        if self.data is None:
            return False
        printer = QPrinter(QPrinter.PrinterMode.HighResolution)
        printer.setDocName(self.title)
        printer.setFromTo(1, self.page_count)
        dialog = QPrintDialog(printer, self)
        dialog.setObjectName("briefingPrintDialog")
        dialog.setWindowTitle(_("Print briefing"))
        dialog.setMinMax(1, self.page_count)
        dialog.setOption(QAbstractPrintDialog.PrintDialogOption.PrintPageRange, True)
        dialog.setOption(QAbstractPrintDialog.PrintDialogOption.PrintCurrentPage, True)
        dialog.setOption(QAbstractPrintDialog.PrintDialogOption.PrintToFile, True)
        if dialog.exec() != QDialog.DialogCode.Accepted:
            return False
        return self.print_to(printer)

    def print_to(self, printer: QPrinter) -> bool:
        """Print the pages ``printer`` asks for on a worker thread; False if nothing started.

        ``sig_printed(pages)`` follows when the printer has them (the export is
        recorded then), ``sig_failed`` when printing failed or was cancelled.
        """
        if self.data is None or self.print_task is not None:
            return False
        pages = chosen_pages(printer, self.page_count, self.current)
        if not pages:
            self._show_error(_("The page range names no page of this briefing."))
            return False
        job = self._job()
        task = Task(self, print_job(self.data, printer, pages))
        task.sig_progress.connect(
            lambda done, total, message: self._progress(self._generation, done, total, message)
        )
        task.sig_finished.connect(lambda outcome: self._print_ended(task, printer, job, outcome))
        self.print_task = task
        self.progress.setRange(0, len(pages))
        self.progress.setValue(0)
        self.status.setText(_("Printing …"))
        self._update_controls()
        task.start()
        return True

    def _print_ended(
        self, task: Task, printer: QPrinter, job: tuple[Any, ...], outcome: Outcome[Any]
    ) -> None:
        self.print_task = None
        task.deleteLater()
        if outcome.error or outcome.result is None:  # a finished print always has a count
            self._print_failed(outcome.error, task.cancelled)
        else:
            self._printed(printer, job, int(outcome.result))

    def _printed(self, printer: QPrinter, job: tuple[Any, ...], printed: int) -> None:
        target = printer.outputFileName()
        self._record(Path(target).name if target else None, job)
        self.status.setText(
            _("{count} pages sent to {printer}.").format(
                count=printed, printer=Path(target).name if target else printer.printerName()
            )
        )
        self._update_controls()
        self.sig_printed.emit(printed)

    def _print_failed(self, message: str, cancelled: bool) -> None:
        if cancelled:
            self.status.setText(_("Printing cancelled."))
        else:
            self._show_error(
                _("The briefing could not be printed: {reason}").format(reason=message)
            )
        self._update_controls()
        self.sig_failed.emit(message)

    def save_dialog(self) -> Path | None:
        """Als PDF speichern…: ask for the file, then write it."""
        if self.data is None:
            return None
        path = self._ask_path(".pdf", _("Save briefing as PDF"), _("PDF (*.pdf)"))
        return self.save_to(path) if path is not None else None

    def _ask_path(self, suffix: str, caption: str, file_filter: str) -> Path | None:
        """The file to write, suggested beside the database and named after the briefing."""
        folder = self.main_window.database_path.parent
        suggested = folder / f"{_safe_name(self.title)}{suffix}"
        name, _filter = QFileDialog.getSaveFileName(self, caption, str(suggested), file_filter)
        return Path(name) if name else None

    def save_to(self, path: Path) -> Path | None:
        """Write the PDF to ``path`` (never half a file) and record the export."""
        if self.data is None:
            return None
        path = path if path.suffix else path.with_suffix(".pdf")
        if self._record(path.name) is None:  # first: never a PDF without its record
            return None
        try:
            write_atomically(path, self.data)
        except OSError as exc:
            self._show_error(_("The file could not be written: {reason}").format(reason=exc))
            return None
        self.status.setText(_("Saved: {path}").format(path=path))
        return path

    def save_word_dialog(self) -> Path | None:
        """Als Word-Dokument speichern…: ask for the file, then write the .docx on a thread."""
        if self.data is None:
            return None
        path = self._ask_path(
            ".docx", _("Save briefing as Word document"), _("Word document (*.docx)")
        )
        return self.save_word_to(path) if path is not None else None

    def save_word_to(self, path: Path) -> Path | None:
        """Lay out the content shown as a Word document; written and recorded when done.

        The same content as the pages shown (the same options, the same public
        filter); ``sig_word_saved`` tells when the file is there. Returns the path
        it will write, or None when nothing started.
        """
        if self.data is None or self.word_task is not None:
            return None
        path = path if path.suffix else path.with_suffix(".docx")
        template = docx_template(self.main_window)
        if template is not None:
            from chinadialog_desktop.services.briefing.export import check_template

            try:
                check_template(template)
            except UserError as exc:
                self._show_error(str(exc))
                return None
        options, content, _data, _pages = self._job()
        task = Task(self, render_job(content, "docx", template))
        task.sig_finished.connect(
            lambda outcome: self._word_ended(task, options, content, path, outcome)
        )
        self.word_task = task
        self.status.setText(_("Writing the Word document …"))
        self._update_controls()
        task.start()
        return path

    def _word_ended(
        self, task: Task, options: Any, content: Any, path: Path, outcome: Outcome[Any]
    ) -> None:
        self.word_task = None
        task.deleteLater()
        self._update_controls()
        if not outcome.ok or outcome.result is None:
            if outcome.cancelled or task.cancelled:
                self.status.setText(_("Export cancelled."))
            else:
                self._show_error(
                    _("The briefing could not be exported: {reason}").format(reason=outcome.error)
                )
            self.sig_word_saved.emit(None)
            return
        data, _pages = outcome.result
        if self._record(path.name, (options, content, data, 0), "docx") is None:
            self.sig_word_saved.emit(None)  # never a file without its record
            return
        try:
            write_atomically(path, data)
        except OSError as exc:
            self._show_error(_("The file could not be written: {reason}").format(reason=exc))
            self.sig_word_saved.emit(None)
            return
        self.status.setText(_("Saved: {path}").format(path=path))
        self.sig_word_saved.emit(path)

    def open_in_viewer(self) -> Path | None:
        """Write a temporary copy and hand it to the system's PDF viewer; record the export."""
        if self.data is None:
            return None
        digest = hashlib.sha256(self.data).hexdigest()[:8]
        folder = Path(tempfile.gettempdir()) / "chinadialog-briefings"
        path = folder / f"{_safe_name(self.title)}-{digest}.pdf"
        if self._record(path.name) is None:  # first: never a PDF without its record
            return None
        try:
            write_atomically(path, self.data)
        except OSError as exc:
            self._show_error(_("The file could not be written: {reason}").format(reason=exc))
            return None
        if not QDesktopServices.openUrl(QUrl.fromLocalFile(str(path))):
            self._show_error(_("No PDF viewer could be started for {path}.").format(path=path))
            return None
        return path

    def _job(self) -> tuple[Any, ...]:
        """What an export records, taken when it starts (a new layout may follow meanwhile)."""
        return self.options, self.content, self.data, self.page_count

    def _record(
        self, file_name: str | None, job: tuple[Any, ...] | None = None, fmt: str = "pdf"
    ) -> int | None:
        if self.main_window.workspace is not self.workspace:
            self._show_error(_("The database was closed; the export was not recorded."))
            return None
        options, content, data, pages = job if job is not None else self._job()
        assert options is not None and data is not None

        def record(session: Any) -> records.Change:
            dossier = records.get_dossier(session, self.dossier_id)
            row = record_export(session, dossier, options, content, data, pages, file_name, fmt)
            return records.Change("create", "briefing_export", row.id, row.uuid, row.version)

        change = self.workspace.run(record)
        if change is None:
            return None
        self.sig_recorded.emit(change.id)
        return int(change.id)

    # -- closing -----------------------------------------------------------------
    def done(self, result: int) -> None:
        self.stop()
        if self.document is not None:
            close_document(self.document)
            self.document = None
        super().done(result)

    def closeEvent(self, event: Any) -> None:  # noqa: N802
        self.stop()
        super().closeEvent(event)


def open_preview(window: Any, dossier_id: int) -> BriefingPreview:
    """Show the preview of ``dossier_id`` and start laying it out."""
    dialog = BriefingPreview(window, dossier_id)
    dialog.show()
    dialog.build()
    return dialog


__all__ = ["BriefingPreview", "chosen_pages", "open_preview", "print_pages", "render_page"]


def _checks_heading(n: int) -> str:
    from chinadialog_desktop.services.briefing.checks import checks_heading

    return checks_heading(n)
