"""The handbook (issue 15, point 2): F1 opens the chapter for the place, every link resolves,
both languages have every chapter, nothing is fetched from the network, the bundle ships it."""

from __future__ import annotations

import re
from datetime import date
from pathlib import Path

import pytest
from helpers.db import copy_database_file
from PySide6.QtCore import Qt, QUrl
from PySide6.QtGui import QAction, QTextDocument
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication, QTreeView

from chinadialog_desktop.paths import resources_dir
from chinadialog_desktop.ui import app as ui_app
from chinadialog_desktop.ui.help import handbook
from chinadialog_desktop.ui.help.handbook import CHAPTERS, HandbookWindow

ROOT = Path(__file__).parents[2]
LINK = re.compile(r"!?\[[^\]]*\]\(([^)\s]+)\)")


@pytest.fixture
def window(qtbot, tmp_path, demo_template):
    path = tmp_path / "demo.sqlite3"
    copy_database_file(demo_template, path)  # the demo data, as after load_demo
    session = ui_app.start(path)
    qtbot.addWidget(session.window)
    with qtbot.waitSignal(session.window.sig_list_filled, timeout=20000):
        pass
    qtbot.waitUntil(session.window.attached, timeout=20000)  # the database took over
    yield session.window
    helper = session.window.handbook
    if helper.handbook is not None:
        helper.handbook.close()
    session.close()


@pytest.mark.parametrize("lang", ["de", "en"])
def test_every_chapter_is_there_and_every_link_resolves(lang):
    folder = resources_dir() / "handbook" / lang
    assert sorted(p.name for p in folder.glob("*.md")) == sorted(CHAPTERS)
    index = (folder / "index.md").read_text(encoding="utf-8")
    for name in CHAPTERS:
        text = (folder / name).read_text(encoding="utf-8")
        assert text.startswith("# "), name  # its title in the chapter list
        if name != "index.md":
            assert f"]({name})" in index, f"{name} is not in the contents"
        for target in LINK.findall(text):
            assert "://" not in target and not target.startswith("mailto:"), (name, target)
            assert "#" not in target, (name, target)  # whole chapters only
            assert (folder / target).resolve().is_file(), (name, target)
    for chapter in (*handbook.PAGE_CHAPTERS.values(), *handbook.WINDOW_CHAPTERS.values()):
        assert chapter in CHAPTERS


def _anchors(document: QTextDocument) -> list[str]:
    found = []
    block = document.begin()
    while block.isValid():
        it = block.begin()
        while not it.atEnd():
            fmt = it.fragment().charFormat()
            if fmt.isAnchor() and fmt.anchorHref():
                found.append(fmt.anchorHref())
            it += 1
        block = block.next()
    return found


@pytest.mark.parametrize("lang", ["de", "en"])
def test_following_every_link_in_the_window_opens_its_chapter(qtbot, lang):
    from chinadialog_desktop.i18n import language, set_language

    before = language()
    set_language(lang)
    try:
        book = HandbookWindow()
        qtbot.addWidget(book)
        book.show()
        assert book.chapters.count() == len(CHAPTERS)
        for name in CHAPTERS:
            book.show_chapter(name)
            assert book.current_chapter() == name
            assert Path(book.browser.source().toLocalFile()).parent.name == lang
            assert len(book.browser.toPlainText()) > 200, name
            assert book.chapters.currentItem().data(Qt.ItemDataRole.UserRole) == name
            links = _anchors(book.browser.document())
            assert links or name == "keys.md", name
            for href in links:
                book.show_chapter(name)
                book.browser.anchorClicked.emit(QUrl(href))
                assert book.current_chapter() == Path(href).name, (name, href)
                assert book.note.text() == ""
        # The screenshots are read from the bundle and shown at a readable width.
        book.show_chapter("assessment.md")
        image = book.browser.loadResource(
            QTextDocument.ResourceType.ImageResource.value, QUrl("../images/assessment.png")
        )
        assert not image.isNull() and image.width() <= handbook.IMAGE_WIDTH
    finally:
        set_language(before)


def test_a_web_address_is_shown_never_fetched(qtbot):
    book = HandbookWindow()
    qtbot.addWidget(book)
    book.show_chapter("index.md")
    book.browser.anchorClicked.emit(QUrl("https://example.org/leitplanken"))
    assert book.current_chapter() == "index.md"
    assert "https://example.org/leitplanken" in book.note.text()
    resource = book.browser.loadResource(
        QTextDocument.ResourceType.ImageResource.value, QUrl("https://example.org/bild.png")
    )
    assert resource is None


def test_f1_opens_the_chapter_for_the_place(qtbot, window):
    window.activateWindow()
    action = window.findChild(QAction, "actionHandbook")
    assert action in window.help_menu.actions()
    assert action.shortcut().toString() == "F1"
    window.show_page("dossier")
    action.trigger()  # what F1 in the main window does
    book = window.handbook.handbook
    qtbot.waitUntil(book.isVisible)
    assert book.current_chapter() == "dossier.md"
    page = window.show_page("actor")
    QTest.keyClick(page.table, Qt.Key.Key_F1)  # the key itself, on the list
    assert book.current_chapter() == "partnerships.md"

    # F1 in the assessment window opens its chapter, in the handbook window reused.
    from chinadialog_desktop.ui.assessment.view import AssessmentView

    page = window.show_page("partnership")
    page.select_id(page.model.record_id(0))
    view = AssessmentView(
        window.workspace.database, window, today=date(2026, 12, 1), partnership_id=page.current_id()
    )
    qtbot.addWidget(view)
    view.show()
    view.activateWindow()  # the user works in the assessment window
    tree = view.findChild(QTreeView, "assessmentTree")
    tree.setFocus()
    qtbot.waitUntil(lambda: QApplication.focusWidget() is tree)
    QTest.keyClick(tree, Qt.Key.Key_F1)
    assert window.handbook.handbook is book and book.isVisible()
    assert book.current_chapter() == "assessment.md"
    view.close()


def test_the_bundle_ships_the_handbook():
    spec = (ROOT / "build.spec").read_text(encoding="utf-8")
    assert 'DATAS = _tree("resources")' in spec  # every file below resources/
    folder = ROOT / "resources" / "handbook"
    assert (folder / "de" / "index.md").is_file() and (folder / "en" / "index.md").is_file()
    assert folder.resolve().is_relative_to((ROOT / "resources").resolve())


def test_f1_in_a_modal_dialog_opens_a_handbook_that_can_be_used(qtbot, window):
    from chinadialog_desktop.ui.files.backups_dialog import BackupsDialog

    dialog = BackupsDialog(window.workspace.database.path, window)
    qtbot.addWidget(dialog)
    dialog.open()  # modal, as from the File menu
    dialog.activateWindow()
    dialog.list.setFocus()
    qtbot.waitUntil(lambda: QApplication.focusWidget() is dialog.list)
    QTest.keyClick(dialog.list, Qt.Key.Key_F1)
    book = window.handbook.handbook
    assert book is not None and book.isVisible()
    assert book.current_chapter() == "backups.md"
    # Modal above the modal dialog: the handbook takes input, the dialog waits.
    assert QApplication.activeModalWidget() is book
    book.close()
    dialog.reject()
