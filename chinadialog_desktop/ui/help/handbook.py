"""The handbook: Markdown chapters shipped in ``resources/handbook/<language>/``, offline.

F1 opens the chapter for the place the user is at: the page of the main window, or the
window or dialog in front (the assessment window opens "Prüfung", the screening window
"Abgleich" …); Hilfe → Handbuch opens it too. Chapters are plain Markdown files, one per
job, in German and English; links between them are relative file names. Nothing is
fetched from the network: a web address in a chapter is shown, never opened.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import shiboken6
from PySide6.QtCore import QEvent, QObject, Qt, QUrl
from PySide6.QtGui import QAction, QImage, QKeyEvent, QKeySequence, QTextDocument
from PySide6.QtWidgets import (
    QApplication,
    QDialog,
    QHBoxLayout,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QSplitter,
    QTextBrowser,
    QVBoxLayout,
    QWidget,
)

from chinadialog_desktop.i18n import DEFAULT_LANGUAGE, N_, _, language
from chinadialog_desktop.paths import resources_dir
from chinadialog_desktop.ui.common.screen_fit import resize_to_fit

INDEX = "index.md"
# The chapters in reading order (file names are the same in every language).
CHAPTERS = (
    "index.md",
    "first-steps.md",
    "partnerships.md",
    "dossier.md",
    "assessment.md",
    "screening.md",
    "briefing.md",
    "datasets.md",
    "backups.md",
    "keys.md",
    "glossary.md",
)
# F1 on a page of the main window (ListPage.kind, or "datasets").
PAGE_CHAPTERS = {
    "partnership": "partnerships.md",
    "actor": "partnerships.md",
    "dossier": "dossier.md",
    "source": "dossier.md",
    "assessment": "assessment.md",
    "import_run": "datasets.md",
    "reference_list": "screening.md",
}
# F1 in a window or dialog, by its object name (or that of a window around it).
WINDOW_CHAPTERS = {
    "assessmentView": "assessment.md",
    "signOffDialog": "assessment.md",
    "screeningDialog": "screening.md",
    "briefingPreview": "briefing.md",
    "exportCompare": "briefing.md",
    "importWizard": "datasets.md",
    "importRunsDialog": "datasets.md",
    "datasetExportDialog": "datasets.md",
    "backupsDialog": "backups.md",
    "searchDialog": "keys.md",
    "settingsDialog": "backups.md",
    "welcomeDialog": "first-steps.md",
    "actorPicker": "partnerships.md",
}
IMAGE_WIDTH = 720  # screenshots are shown at most this wide (the files are larger)
WATCHED = "handbookF1"  # property of a window whose F1 opens the handbook


def handbook_dir(lang: str | None = None) -> Path:
    """The chapters in ``lang`` (the language in use), German where that has none."""
    root = resources_dir() / "handbook"
    wanted = root / (lang or language())
    return wanted if (wanted / INDEX).is_file() else root / DEFAULT_LANGUAGE


def chapter_for(widget: QWidget | None) -> str:
    """The chapter about ``widget``'s window: its page in the main window, or the dialog."""
    window = widget.window() if widget is not None else None
    while window is not None:
        chapter = WINDOW_CHAPTERS.get(window.objectName())
        if chapter:
            return chapter
        if window.objectName() == "mainWindow":
            return _page_chapter(window)
        parent = window.parentWidget()
        window = parent.window() if parent is not None else None
    return INDEX


def _page_chapter(window: Any) -> str:
    try:
        page = window.current_page()
    except (AttributeError, KeyError):
        return INDEX
    return PAGE_CHAPTERS.get(getattr(page, "kind", ""), INDEX)


class ChapterBrowser(QTextBrowser):
    """A QTextBrowser for the chapters: local files only; screenshots scaled to fit."""

    def loadResource(self, kind: int, url: QUrl | str) -> Any:  # noqa: N802
        target = QUrl(url)
        if target.scheme() not in ("", "file"):
            return None  # offline: nothing from the network, ever
        if kind == QTextDocument.ResourceType.ImageResource.value:
            path = self.source().resolved(target).toLocalFile()
            image = QImage(path)
            room = self.viewport().width() - 2 * int(self.document().documentMargin()) - 8
            width = max(240, min(IMAGE_WIDTH, room))
            if not image.isNull() and image.width() > width:
                image = image.scaledToWidth(width, Qt.TransformationMode.SmoothTransformation)
            return image
        return super().loadResource(kind, target)


class HandbookWindow(QDialog):
    """The handbook: chapter list on the left, the chapter on the right, back and forward."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("handbookWindow")
        self.setWindowFlag(Qt.WindowType.WindowMaximizeButtonHint, True)
        self.setWindowFlag(Qt.WindowType.WindowContextHelpButtonHint, False)
        resize_to_fit(self, 980, 720)
        self.lang = ""
        self.chapters = QListWidget(self)
        self.chapters.setObjectName("handbookChapters")
        self.chapters.setMaximumWidth(260)
        self.chapters.currentRowChanged.connect(self._chapter_chosen)
        self.browser = ChapterBrowser(self)
        self.browser.setObjectName("handbookBrowser")
        self.browser.setOpenLinks(False)  # every link goes through _follow
        self.browser.anchorClicked.connect(self._follow)
        self.browser.sourceChanged.connect(self._source_changed)
        self.back_button = QPushButton(self)
        self.back_button.setObjectName("handbookBack")
        self.back_button.clicked.connect(self.browser.backward)
        self.back_button.setEnabled(False)
        self.forward_button = QPushButton(self)
        self.forward_button.setObjectName("handbookForward")
        self.forward_button.clicked.connect(self.browser.forward)
        self.forward_button.setEnabled(False)
        self.browser.backwardAvailable.connect(self.back_button.setEnabled)
        self.browser.forwardAvailable.connect(self.forward_button.setEnabled)
        self.contents_button = QPushButton(self)
        self.contents_button.setObjectName("handbookContents")
        self.contents_button.clicked.connect(lambda: self.show_chapter(INDEX))
        self.note = QLabel(self)
        self.note.setObjectName("handbookNote")
        self.note.setWordWrap(True)
        self.close_button = QPushButton(self)
        self.close_button.setObjectName("handbookClose")
        self.close_button.clicked.connect(self.close)
        for button in (self.back_button, self.forward_button, self.contents_button):
            button.setAutoDefault(False)
        self.close_button.setAutoDefault(False)

        bar = QHBoxLayout()
        bar.addWidget(self.back_button)
        bar.addWidget(self.forward_button)
        bar.addWidget(self.contents_button)
        bar.addWidget(self.note, 1)
        bar.addWidget(self.close_button)
        splitter = QSplitter(Qt.Orientation.Horizontal, self)
        splitter.setChildrenCollapsible(False)
        splitter.addWidget(self.chapters)
        splitter.addWidget(self.browser)
        splitter.setStretchFactor(1, 1)
        layout = QVBoxLayout(self)
        layout.addLayout(bar)
        layout.addWidget(splitter, 1)
        self.retranslate()

    def retranslate(self) -> None:
        self.setWindowTitle(_("Handbook – ChinaDialog Desktop"))
        self.setAccessibleName(_("Handbook"))
        self.chapters.setAccessibleName(_("Chapters of the handbook"))
        self.browser.setAccessibleName(_("Chapter"))
        self.back_button.setText(_("‹ &Back"))
        self.back_button.setAccessibleName(_("Back"))
        self.forward_button.setText(_("&Forward ›"))
        self.forward_button.setAccessibleName(_("Forward"))
        self.contents_button.setText(_("&Contents"))
        self.contents_button.setAccessibleName(_("Contents"))
        self.close_button.setText(_("Close"))
        self.close_button.setAccessibleName(_("Close"))
        folder = handbook_dir()
        if folder.name != self.lang:  # the chapters in the language now in use
            shown = self.current_chapter()
            self.lang = folder.name
            self._fill_chapters(folder)
            if shown:
                self.show_chapter(shown)

    def _fill_chapters(self, folder: Path) -> None:
        self.chapters.blockSignals(True)
        self.chapters.clear()
        for name in CHAPTERS:
            item = QListWidgetItem(chapter_title(folder / name))
            item.setData(Qt.ItemDataRole.UserRole, name)
            self.chapters.addItem(item)
        self.chapters.blockSignals(False)

    def current_chapter(self) -> str:
        local = self.browser.source().toLocalFile()
        return Path(local).name if local else ""

    def show_chapter(self, name: str) -> None:
        """Show chapter ``name`` (a file name of CHAPTERS) in the language in use."""
        path = handbook_dir() / name
        if not path.is_file():
            path = handbook_dir() / INDEX
        self.browser.setSource(
            QUrl.fromLocalFile(str(path)), QTextDocument.ResourceType.MarkdownResource
        )
        self.note.clear()

    def _chapter_chosen(self, row: int) -> None:
        item = self.chapters.item(row)
        if item is not None and item.data(Qt.ItemDataRole.UserRole) != self.current_chapter():
            self.show_chapter(str(item.data(Qt.ItemDataRole.UserRole)))

    def _source_changed(self, url: QUrl) -> None:
        name = Path(url.toLocalFile()).name  # source() may not say it yet
        for row in range(self.chapters.count()):
            if self.chapters.item(row).data(Qt.ItemDataRole.UserRole) == name:
                self.chapters.blockSignals(True)
                self.chapters.setCurrentRow(row)
                self.chapters.blockSignals(False)

    def _follow(self, url: QUrl) -> None:
        """A chapter link opens the chapter; a web address is only shown (offline)."""
        if url.scheme() in ("", "file"):
            target = self.browser.source().resolved(url)
            if Path(target.toLocalFile()).suffix == ".md":
                self.browser.setSource(target, QTextDocument.ResourceType.MarkdownResource)
                return
        self.note.setText(
            _("Web address, not opened (the program works offline): {url}").format(
                url=url.toString()
            )
        )

    def changeEvent(self, event: QEvent) -> None:  # noqa: N802
        if event.type() == QEvent.Type.LanguageChange:
            self.retranslate()
        super().changeEvent(event)


def chapter_title(path: Path) -> str:
    """The first heading of a chapter file (its name in the chapter list)."""
    try:
        for line in path.read_text(encoding="utf-8").splitlines():
            if line.startswith("# "):
                return line[2:].strip()
    except OSError:
        pass
    return path.stem


class HelpKey(QObject):
    """F1 in any window of the application opens the handbook at the chapter for that place.

    Each window is watched from when one of its widgets first gets the keyboard focus: F1,
    which no widget uses, travels up to the window, where this filter sees it. (A filter
    on the whole application would see every event of the program, at a cost per event.)
    """

    def __init__(self, window: Any) -> None:
        super().__init__(window)
        self.main_window = window
        self.handbook: HandbookWindow | None = None
        self.watch(window)
        app = QApplication.instance()
        if isinstance(app, QApplication):
            app.focusChanged.connect(self._focus_changed)

    def watch(self, window: QWidget) -> None:
        """Let F1 in ``window`` (a top-level window) open its chapter."""
        if window.property(WATCHED) is not True:
            window.setProperty(WATCHED, True)
            window.installEventFilter(self)

    def _focus_changed(self, _old: QWidget | None, new: QWidget | None) -> None:
        if new is not None and shiboken6.isValid(new):
            top = new.window()
            if not isinstance(top, HandbookWindow):
                self.watch(top)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802
        if (
            event.type() == QEvent.Type.KeyPress
            and isinstance(event, QKeyEvent)
            and event.key() == Qt.Key.Key_F1
            and event.modifiers() == Qt.KeyboardModifier.NoModifier
            and isinstance(watched, QWidget)
        ):
            focus = QApplication.focusWidget()
            here = focus if focus is not None and focus.window() is watched else watched
            self.open(chapter_for(here))
            return True
        return super().eventFilter(watched, event)

    def open(self, chapter: str | None = None) -> HandbookWindow:
        """Show the handbook (one window, reused) at ``chapter`` (default: the contents)."""
        if self.handbook is None:
            # No parent: a dialog in front of the main window does not cover or block it.
            self.handbook = HandbookWindow()
            self.handbook.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose, False)
            self.main_window.destroyed.connect(self._drop)
        handbook = self.handbook
        # Above a modal dialog (F1 in the backups dialog), the handbook must be modal too,
        # or that dialog would block it.
        modal = QApplication.activeModalWidget() is not None
        wanted = Qt.WindowModality.ApplicationModal if modal else Qt.WindowModality.NonModal
        if handbook.windowModality() != wanted:
            handbook.hide()
            handbook.setWindowModality(wanted)
        handbook.show_chapter(chapter or INDEX)
        handbook.show()
        handbook.raise_()
        handbook.activateWindow()
        return handbook

    def _drop(self, *_args: Any) -> None:
        """The main window is gone: so is its handbook (unless Qt took it down already)."""
        book, self.handbook = self.handbook, None
        if book is not None and shiboken6.isValid(book):
            book.close()
            book.deleteLater()


def install(window: Any) -> HelpKey:
    """Hilfe → Handbuch (F1), and F1 in every window of the application."""
    help_key = HelpKey(window)
    action = QAction(window)
    action.setObjectName("actionHandbook")
    window.texts.set(action, "setText", N_("&Handbook"))
    window.texts.set(
        action, "setStatusTip", N_("How to do each job, step by step (F1: the chapter for here)")
    )
    # The menu shows F1; the key itself is handled by HelpKey in every window, so that it
    # opens the chapter for the window in front, not the main window's.
    action.setShortcut(QKeySequence(Qt.Key.Key_F1))
    action.setShortcutContext(Qt.ShortcutContext.WidgetShortcut)
    action.triggered.connect(
        lambda _c=False: help_key.open(chapter_for(window.focusWidget() or window))
    )
    first = window.help_menu.actions()[0] if window.help_menu.actions() else None
    window.help_menu.insertAction(first, action)
    window.addAction(action)
    window.commands.register(action)
    window.handbook = help_key
    return help_key


__all__ = [
    "CHAPTERS",
    "PAGE_CHAPTERS",
    "WINDOW_CHAPTERS",
    "HandbookWindow",
    "HelpKey",
    "chapter_for",
    "handbook_dir",
    "install",
]
