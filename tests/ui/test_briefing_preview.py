"""Briefing preview, print, save and the comparison of exports, on a real window offscreen."""

from __future__ import annotations

import io

import pytest
from helpers.db import copy_database_file
from pypdf import PdfReader
from PySide6.QtCore import Qt
from PySide6.QtGui import QAction, QDesktopServices
from PySide6.QtPrintSupport import QPrinter
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QLabel,
    QMenu,
    QPushButton,
    QSpinBox,
    QToolButton,
)
from sqlalchemy import select

from chinadialog_desktop.persistence.models import Activity, BriefingExport, Partnership
from chinadialog_desktop.reports.errors import BuildCancelled
from chinadialog_desktop.ui import app as ui_app
from chinadialog_desktop.ui.briefing import actions as briefing_actions
from chinadialog_desktop.ui.briefing.export_compare import ExportCompareDialog, group_lines
from chinadialog_desktop.ui.briefing.preview import (
    PDFIUM_LOCK,
    BriefingPreview,
    chosen_pages,
    print_pages,
)


@pytest.fixture
def demo_window(tmp_path, qtbot, demo_template):
    """A started main window on a database with the demo data, Briefing menu installed."""
    path = tmp_path / "demo.sqlite3"
    copy_database_file(demo_template, path)  # the demo data, as after load_demo
    session = ui_app.start(path)
    qtbot.addWidget(session.window)
    with qtbot.waitSignal(session.window.sig_list_filled, timeout=20000):
        pass
    qtbot.waitUntil(session.window.attached, timeout=20000)  # the database took over
    briefing_actions.install(session.window)
    yield session
    session.close()


def _select_first_dossier(window) -> int:
    page = window.show_page("dossier")
    page.select_id(page.model.record_id(0))
    return page.editor.record_id


def _open_preview(window, qtbot) -> BriefingPreview:
    _select_first_dossier(window)
    window.findChild(QAction, "actionBriefingPreview").trigger()
    dialog = window.briefing_actions.previews[-1]
    with qtbot.waitSignal(dialog.sig_built, timeout=60000):
        pass
    return dialog


def _rebuilt(dialog, qtbot, change) -> None:
    """Apply ``change`` to the options and wait for the new layout."""
    with qtbot.waitSignal(dialog.sig_built, timeout=60000):
        change()


def _text(data: bytes) -> str:
    return "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(data)).pages)


def _exports(session) -> list[BriefingExport]:
    with session.database.sessions() as s:
        rows = list(s.scalars(select(BriefingExport).order_by(BriefingExport.id)))
        s.expunge_all()
    return rows


def test_install_adds_one_briefing_menu_and_asks_for_a_dossier(demo_window, qtbot):
    window = demo_window.window
    briefing_actions.install(window)  # idempotent
    menus = [m for m in window.menuBar().findChildren(QMenu) if m.objectName() == "briefingMenu"]
    assert len(menus) == 1
    names = [a.objectName() for a in menus[0].actions()]
    assert names == ["actionBriefingPreview", "actionCompareExports"]
    titles = [a.text() for a in window.menuBar().actions()]
    assert titles.index("&Briefing") < titles.index("&Help")
    window.show_page("partnership")
    window.findChild(QAction, "actionBriefingPreview").trigger()
    assert window.briefing_actions.previews == []
    assert window.message_bar.isVisibleTo(window)


def test_preview_shows_every_page_of_the_demo_dossier(demo_window, qtbot):
    dialog = _open_preview(demo_window.window, qtbot)
    pages = len(PdfReader(io.BytesIO(dialog.data)).pages)
    assert pages >= 2
    assert dialog.page_count == pages
    assert dialog.findChild(QLabel, "briefingPageTotal").text() == f"of {pages}"
    spin = dialog.findChild(QSpinBox, "briefingPageNumber")
    assert spin.maximum() == pages and spin.value() == 1
    first = dialog.page_image()
    assert not first.isNull() and first.height() > first.width()  # A4 portrait
    dialog.findChild(QToolButton, "briefingLastPage").click()
    assert spin.value() == pages and dialog.current == pages - 1
    assert dialog.page_image() != first
    assert not dialog.findChild(QToolButton, "briefingNextPage").isEnabled()
    spin.setValue(1)
    assert dialog.current == 0
    zoom = dialog.findChild(QComboBox, "briefingZoom")
    zoom.setCurrentIndex(zoom.findData(1.0))
    width_100 = dialog.page_label.pixmap().deviceIndependentSize().width()
    dialog.findChild(QToolButton, "briefingZoomIn").click()
    assert dialog.page_label.pixmap().deviceIndependentSize().width() > width_100
    assert zoom.currentData() == 1.25
    assert _exports(demo_window) == []  # a preview alone is no export


def test_public_option_lays_out_the_public_version(demo_window, qtbot):
    dialog = _open_preview(demo_window.window, qtbot)
    language = dialog.findChild(QComboBox, "briefingLanguage")
    _rebuilt(dialog, qtbot, lambda: language.setCurrentIndex(language.findData("de")))
    internal = dialog.data
    assert "Öffentliche Fassung" not in _text(internal)
    public = dialog.findChild(QCheckBox, "briefingPublic")
    _rebuilt(dialog, qtbot, lambda: public.setChecked(True))
    assert dialog.options.public and dialog.content.public
    assert dialog.data != internal
    assert "Öffentliche Fassung" in _text(dialog.data)
    classification = dialog.findChild(QComboBox, "briefingClassification")
    assert not classification.isEnabled() and classification.currentData() == "open"
    public.setChecked(False)  # the marking chosen before comes back
    assert classification.isEnabled() and classification.currentData() is None


def test_classification_marking_appears_on_every_page(demo_window, qtbot):
    dialog = _open_preview(demo_window.window, qtbot)
    box = dialog.findChild(QComboBox, "briefingClassification")
    _rebuilt(dialog, qtbot, lambda: box.setCurrentIndex(box.findData("vs_nfd")))
    reader = PdfReader(io.BytesIO(dialog.data))
    assert len(reader.pages) == dialog.page_count
    assert all("DIENSTGEBRAUCH" in page.extract_text().upper() for page in reader.pages)


def test_save_writes_the_pdf_atomically_and_records_the_export(demo_window, qtbot, tmp_path):
    dialog = _open_preview(demo_window.window, qtbot)
    with qtbot.waitSignal(dialog.sig_recorded) as recorded:
        written = dialog.save_to(tmp_path / "out" / "vorlage")
    assert written == tmp_path / "out" / "vorlage.pdf"
    data = written.read_bytes()
    assert data.startswith(b"%PDF") and data == dialog.data
    assert [p.name for p in written.parent.iterdir()] == ["vorlage.pdf"]  # no temporary left
    (export,) = _exports(demo_window)
    assert recorded.args == [export.id]
    assert export.file_name == "vorlage.pdf"
    assert export.page_count == dialog.page_count
    assert export.options["public"] is False


def test_printing_to_a_pdf_printer_prints_the_chosen_pages(demo_window, qtbot, tmp_path):
    dialog = _open_preview(demo_window.window, qtbot)
    assert dialog.page_count >= 2
    printer = QPrinter(QPrinter.PrinterMode.HighResolution)
    printer.setOutputFormat(QPrinter.OutputFormat.PdfFormat)
    target = tmp_path / "printed.pdf"
    printer.setOutputFileName(str(target))
    printer.setPrintRange(QPrinter.PrintRange.PageRange)
    printer.setFromTo(1, 2)
    with qtbot.waitSignal(dialog.sig_printed, timeout=60000) as printed:
        assert dialog.print_to(printer)  # on a worker thread
        assert not dialog.findChild(QPushButton, "briefingSavePdf").isEnabled()
        assert dialog.findChild(QPushButton, "briefingCancel").isEnabled()
    assert printed.args == [2]
    assert target.read_bytes().startswith(b"%PDF")
    reader = PdfReader(target)
    assert len(reader.pages) == 2
    first_page = PdfReader(io.BytesIO(dialog.data)).pages[0].extract_text()
    assert reader.pages[0].extract_text() == first_page  # the PDF's own page, searchable
    (export,) = _exports(demo_window)
    assert export.file_name == "printed.pdf"


def test_print_dialog_choices_become_page_lists():
    printer = QPrinter()
    assert chosen_pages(printer, 4, 2) == [0, 1, 2, 3]
    printer.setPrintRange(QPrinter.PrintRange.CurrentPage)
    assert chosen_pages(printer, 4, 2) == [2]
    printer.setPrintRange(QPrinter.PrintRange.PageRange)
    printer.setFromTo(3, 9)
    assert chosen_pages(printer, 4, 0) == [2, 3]


def test_open_in_viewer_hands_a_copy_to_the_system(demo_window, qtbot, monkeypatch):
    opened = []
    monkeypatch.setattr(QDesktopServices, "openUrl", lambda url: opened.append(url) or True)
    dialog = _open_preview(demo_window.window, qtbot)
    dialog.findChild(QPushButton, "briefingOpenViewer").click()
    assert len(opened) == 1
    path = opened[0].toLocalFile()
    with open(path, "rb") as fh:
        assert fh.read() == dialog.data
    (export,) = _exports(demo_window)
    assert export.file_name and path.endswith(export.file_name)


def test_comparison_lists_a_changed_activity_between_two_exports(demo_window, qtbot, tmp_path):
    window = demo_window.window
    dialog = _open_preview(window, qtbot)
    dialog.save_to(tmp_path / "first.pdf")
    dossier_title = dialog.content.header.title
    partnership = dialog.content.partnerships[0]
    with demo_window.database.session() as s:
        p = s.scalars(select(Partnership).where(Partnership.title == partnership.title)).first()
        activity = s.scalars(
            select(Activity).where(Activity.partnership_id == p.id).order_by(Activity.date)
        ).first()
        activity.title = "Delegationsreise nach Zhuhai (verschoben)"
    _rebuilt(dialog, qtbot, dialog.build)
    dialog.save_to(tmp_path / "second.pdf")
    assert len(_exports(demo_window)) == 2
    window.findChild(QAction, "actionCompareExports").trigger()
    compare: ExportCompareDialog = window.briefing_actions.comparisons[-1]
    assert dossier_title in compare.windowTitle()
    assert compare.model.rowCount() == 2
    shown_at_once = compare.group_texts()  # the two newest are compared when it opens
    button = compare.findChild(QPushButton, "exportCompareButton")
    assert button.isEnabled()
    with qtbot.waitSignal(compare.sig_compared) as compared:
        button.click()
    shown = compare.group_texts()
    assert shown == shown_at_once
    assert shown["partnerships"] == [
        line for line in compared.args[0] if line.startswith("Activity changed")
    ]
    assert any("(verschoben)" in line for line in shown["partnerships"])
    compare.select(0)  # one export: compared with the one before it
    assert compare.compare() == compared.args[0]
    compare.select(1)  # the oldest has no predecessor
    assert not button.isEnabled()


def test_exports_model_passes_the_model_tester(demo_window, qtbot, qtmodeltester, tmp_path):
    dialog = _open_preview(demo_window.window, qtbot)
    dialog.save_to(tmp_path / "a.pdf")
    with qtbot.waitSignal(dialog.sig_printed, timeout=60000):
        dialog.print_to(_pdf_printer(tmp_path / "b.pdf"))
    demo_window.window.findChild(QAction, "actionCompareExports").trigger()
    compare = demo_window.window.briefing_actions.comparisons[-1]
    assert compare.model.rowCount() == 2
    assert compare.model.index(0, 5).data() == "b.pdf"  # newest first
    assert compare.model.index(1, 3).data() == str(dialog.page_count)
    qtmodeltester.check(compare.model)


def _pdf_printer(path) -> QPrinter:
    printer = QPrinter()
    printer.setOutputFormat(QPrinter.OutputFormat.PdfFormat)
    printer.setOutputFileName(str(path))
    return printer


def test_closing_the_window_during_a_layout_stops_it(demo_window, qtbot):
    window = demo_window.window
    _select_first_dossier(window)
    window.findChild(QAction, "actionBriefingPreview").trigger()
    dialog = window.briefing_actions.previews[-1]
    workers = [t.worker for t in dialog._tasks]
    assert workers and all(w is not None for w in workers)
    window.close()
    assert all(not w.isRunning() for w in workers)
    qtbot.wait(50)  # queued results arrive without harm


def test_german_lines_are_grouped_by_what_changed():
    lines = [
        "Kopfangabe „Betreff“: A → B",
        "Aktivität geändert (Kiel–Qingdao): 2023 Gespräche",
        "Prüfung 2024: Gesamtampel gelb → rot",
        "Prüfung 2024, Frage „Gibt es …?“: Antwort offen → ja",
        "Kiel–Qingdao: Status aktiv → ausgesetzt",
        "Quelle [4] neu: Ratsbeschluss",
        "etwas ganz anderes",
    ]
    grouped = group_lines(lines, "de")
    assert grouped == {
        "text": [lines[0]],
        "partnerships": [lines[1], lines[4]],
        "assessments": [lines[2], lines[3]],
        "sources": [lines[5]],
        "other": [lines[6]],
    }


def test_print_dialog_accepted_prints_and_records(demo_window, qtbot, tmp_path, monkeypatch):
    from PySide6.QtPrintSupport import QPrintDialog
    from PySide6.QtWidgets import QDialog

    target = tmp_path / "dialog.pdf"
    seen = {}

    def accept(dialog):
        printer = dialog.printer()
        seen["range"] = (dialog.minPage(), dialog.maxPage())
        printer.setOutputFormat(QPrinter.OutputFormat.PdfFormat)
        printer.setOutputFileName(str(target))
        printer.setPrintRange(QPrinter.PrintRange.CurrentPage)
        return QDialog.DialogCode.Accepted

    monkeypatch.setattr(QPrintDialog, "exec", accept)
    dialog = _open_preview(demo_window.window, qtbot)
    dialog.findChild(QToolButton, "briefingLastPage").click()
    with qtbot.waitSignal(dialog.sig_printed, timeout=60000):
        dialog.findChild(QPushButton, "briefingPrint").click()
    assert seen["range"] == (1, dialog.page_count)
    assert len(PdfReader(target).pages) == 1  # the page shown
    (export,) = _exports(demo_window)
    assert export.file_name == "dialog.pdf"


def test_changes_option_lists_what_changed_since_the_last_export(demo_window, qtbot, tmp_path):
    dialog = _open_preview(demo_window.window, qtbot)
    dialog.save_to(tmp_path / "first.pdf")
    title = dialog.content.partnerships[0].title
    with demo_window.database.session() as s:
        p = s.scalars(select(Partnership).where(Partnership.title == title)).first()
        activity = s.scalars(select(Activity).where(Activity.partnership_id == p.id)).first()
        activity.outcome = "Vereinbarung unterzeichnet"
    changes = dialog.findChild(QCheckBox, "briefingChanges")
    _rebuilt(dialog, qtbot, lambda: changes.setChecked(True))
    assert dialog.options.changes
    assert any(line.startswith("Activity changed") for line in dialog.content.changes)


def test_a_cancelled_print_run_records_nothing(demo_window, qtbot, tmp_path):
    dialog = _open_preview(demo_window.window, qtbot)
    printer = _pdf_printer(tmp_path / "cancelled.pdf")
    # The print thread waits for PDFium until the cancel is given; the lock is let go first.
    with qtbot.waitSignal(dialog.sig_failed, timeout=60000) as failed, PDFIUM_LOCK:
        assert dialog.print_to(printer)
        dialog.findChild(QPushButton, "briefingCancel").click()
    assert failed.args == ["Printing cancelled."]
    assert not (tmp_path / "cancelled.pdf").exists()
    assert _exports(demo_window) == []
    assert dialog.findChild(QPushButton, "briefingPrint").isEnabled()


def test_a_printer_gets_the_pages_as_pictures_at_its_resolution(demo_window, qtbot, tmp_path):
    dialog = _open_preview(demo_window.window, qtbot)
    printer = _pdf_printer(tmp_path / "raster.pdf")
    printer.setResolution(150)
    progress = []
    printed = print_pages(dialog.data, printer, [1, 0], lambda *a: progress.append(a[:2]))
    assert printed == 2 and progress == [(0, 2), (1, 2)]
    reader = PdfReader(tmp_path / "raster.pdf")
    assert len(reader.pages) == 2
    assert reader.pages[0].extract_text().strip() == ""  # a picture, no text
    images = list(reader.pages[0].images)
    assert len(images) == 1
    width = float(reader.pages[0].mediabox.width)
    assert abs(images[0].image.width - width / 72 * 150) <= 2  # drawn at 150 dpi


def test_cancel_between_printed_pages_stops_the_printer(demo_window, qtbot, tmp_path):
    dialog = _open_preview(demo_window.window, qtbot)
    printer = _pdf_printer(tmp_path / "stopped.pdf")
    printer.setResolution(72)
    asked = []

    def cancel() -> bool:
        asked.append(1)
        return len(asked) > 1  # after the first page

    with pytest.raises(BuildCancelled):
        print_pages(dialog.data, printer, [0, 1, 2], None, cancel)
    assert len(asked) == 2


def _unnamed_controls(root) -> list[str]:
    from PySide6.QtWidgets import (
        QAbstractButton,
        QAbstractItemView,
        QAbstractSpinBox,
        QLineEdit,
        QWidget,
    )

    kinds = (QAbstractButton, QComboBox, QAbstractSpinBox, QAbstractItemView, QLineEdit)
    missing = []

    def inside_a_control(widget) -> bool:  # parts Qt builds (popup list, spin box's edit)
        parent = widget.parentWidget()
        while parent is not None and parent is not root:
            if isinstance(parent, (QAbstractItemView, QAbstractSpinBox, QComboBox)):
                return True
            parent = parent.parentWidget()
        return False

    for widget in root.findChildren(QWidget):
        if not isinstance(widget, kinds) or inside_a_control(widget):
            continue
        if not widget.objectName() or not widget.accessibleName():
            missing.append(f"{type(widget).__name__} {widget.objectName()!r}")
    return missing


def test_every_control_has_a_name_for_tests_and_screen_readers(demo_window, qtbot, tmp_path):
    window = demo_window.window
    dialog = _open_preview(window, qtbot)
    assert _unnamed_controls(dialog) == []
    dialog.save_to(tmp_path / "a.pdf")
    window.findChild(QAction, "actionCompareExports").trigger()
    assert _unnamed_controls(window.briefing_actions.comparisons[-1]) == []


def test_opening_another_database_closes_the_dialogs(demo_window, qtbot, tmp_path):
    from chinadialog_desktop.ui.files import file_actions

    window = demo_window.window
    dialog = _open_preview(window, qtbot)
    assert dialog.isVisible()
    assert file_actions.switch_to(window, tmp_path / "other.sqlite3")
    assert not dialog.isVisible()
    assert window.briefing_actions.previews == []


def test_switching_the_language_retranslates_the_open_dialogs(demo_window, qtbot, tmp_path):
    from chinadialog_desktop.i18n import _
    from chinadialog_desktop.ui.preferences.settings import switch_language

    window = demo_window.window
    dialog = _open_preview(window, qtbot)
    dialog.save_to(tmp_path / "a.pdf")
    window.findChild(QAction, "actionCompareExports").trigger()
    compare = window.briefing_actions.comparisons[-1]
    print_button = dialog.findChild(QPushButton, "briefingPrint")
    kind = dialog.findChild(QComboBox, "briefingKind")
    public = dialog.findChild(QCheckBox, "briefingPublic")
    try:
        switch_language("de")
        assert print_button.text() == _("&Print …")
        assert kind.itemText(0) == _("As set in the dossier")
        assert public.text() == _("&Public version")
        assert compare.model.headerData(0, Qt.Orientation.Horizontal) == _("Exported")
        if _("&Print …") != "&Print …":  # the German catalogue is compiled
            assert print_button.text() == "&Drucken …"
    finally:
        switch_language("en")
    assert print_button.text() == "&Print …"
    assert print_button.accessibleName() == "Print"
    assert kind.itemText(0) == "As set in the dossier"
    assert kind.itemText(2) == "Decision paper"
    assert dialog.findChild(QLabel, "briefingPageTotal").text() == f"of {dialog.page_count}"
    assert compare.model.headerData(0, Qt.Orientation.Horizontal) == "Exported"
    assert compare.findChild(QPushButton, "exportCompareButton").text() == "&Compare"


def test_page_down_at_the_foot_of_a_page_turns_the_page(demo_window, qtbot):
    from PySide6.QtTest import QTest

    dialog = _open_preview(demo_window.window, qtbot)
    dialog.resize(1100, 820)  # its default size; the 800×600 test screen would narrow it
    area = dialog.page_area
    bar = area.verticalScrollBar()
    qtbot.waitUntil(lambda: bar.maximum() > 0)  # page width: the page is taller than the view
    QTest.keyClick(area, Qt.Key.Key_PageDown)
    assert dialog.current == 0 and bar.value() > 0  # scrolls within the page first
    bar.setValue(bar.maximum())
    QTest.keyClick(area, Qt.Key.Key_PageDown)
    assert dialog.current == 1 and bar.value() == 0
    QTest.keyClick(area, Qt.Key.Key_PageUp)
    assert dialog.current == 0 and bar.value() == bar.maximum()


def test_a_cancelled_layout_keeps_the_pages_and_options_that_belong_together(
    demo_window, qtbot, tmp_path
):
    dialog = _open_preview(demo_window.window, qtbot)
    shown = dialog.data
    with qtbot.waitSignal(dialog.sig_failed, timeout=60000):
        dialog.findChild(QCheckBox, "briefingPublic").setChecked(True)
        assert dialog.build()  # at once, not after the pause for more edits
        dialog.findChild(QPushButton, "briefingCancel").click()
    assert dialog.data == shown and dialog.options.public is False
    assert dialog.findChild(QPushButton, "briefingSavePdf").isEnabled()
    dialog.save_to(tmp_path / "kept.pdf")
    (export,) = _exports(demo_window)
    assert export.options["public"] is False


def test_the_preview_lists_the_checks_before_export(demo_window, qtbot):
    dialog = _open_preview(demo_window.window, qtbot)
    label = dialog.findChild(QLabel, "briefingChecks")
    assert label is not None and label.isVisibleTo(dialog)
    texts = [c.text for c in dialog.checks]
    assert texts  # the demo paper has no assessment signed off, and more
    import html

    for text in texts:
        assert text in html.unescape(label.text())
    kind = dialog.findChild(QComboBox, "briefingKind")
    _rebuilt(dialog, qtbot, lambda: kind.setCurrentIndex(kind.findData("decision")))
    assert any("proposed resolution" in c.text or "no body" in c.text for c in dialog.checks)
    heading = "Beschlussvorschlag" if dialog.options.lang == "de" else "Proposed resolution"
    assert heading in _text(dialog.data)


def test_the_preview_opens_with_the_keys_on_the_page(demo_window, qtbot):
    """Page Down reads on instead of changing the document type: the page has the focus
    when the preview opens, the option boxes are left alone; Escape closes the preview."""
    from PySide6.QtTest import QTest
    from PySide6.QtWidgets import QApplication

    dialog = _open_preview(demo_window.window, qtbot)
    dialog.resize(1100, 820)
    qtbot.waitExposed(dialog)
    area = dialog.page_area
    kind = dialog.findChild(QComboBox, "briefingKind")
    before = kind.currentIndex()
    focused = dialog.focusWidget()
    assert focused is area, focused and focused.objectName()
    bar = area.verticalScrollBar()
    qtbot.waitUntil(lambda: bar.maximum() > 0)
    for _ in range(30):
        QTest.keyClick(dialog.focusWidget(), Qt.Key.Key_PageDown)
    assert kind.currentIndex() == before  # the document type stayed
    assert dialog.current > 0  # the pages were turned
    QTest.keyClick(dialog.focusWidget(), Qt.Key.Key_Home, Qt.KeyboardModifier.ControlModifier)
    assert dialog.current == 0
    # A new layout (an option changed) leaves the focus where the user is.
    kind.setFocus()
    _rebuilt(dialog, qtbot, lambda: kind.setCurrentIndex((before + 1) % kind.count()))
    assert dialog.focusWidget() is kind
    QTest.keyClick(dialog, Qt.Key.Key_Escape)
    qtbot.waitUntil(lambda: not dialog.isVisible())
    assert QApplication.activeModalWidget() is None
