"""The whole journey as a test (issue 15, point 10): from an empty database to a PDF.

A newcomer's first hour, only through the window's widgets: mouse clicks on
buttons, keys typed into fields, Chinese characters committed by an input
method, modal dialogs answered as they come up (the file dialog of "Als PDF
speichern …", the settings dialog). It starts on a new file whose path has
umlauts and ``#``, follows the first steps of the empty state (partners →
partnership → dossier → assessment → screening → briefing), answers checklist
questions with the answer keys, imports a reference list and confirms a hit
with its reason, saves the briefing as PDF through the file dialog and reads
the PDF back: partners, characters, partnership, the assessment's result and
the confirmed hit are in it. At the end it switches to the dark theme through
Bearbeiten → Einstellungen.

With ``SAVE_README_SCREENSHOTS=docs/screenshots`` the journey also saves the
README's screenshots (German, 1280×800, light and dark theme) on the way.
Runs offscreen and under a real X server::

    QT_QPA_PLATFORM=offscreen pytest tests/ui/test_journey.py
    xvfb-run -a -s "-screen 0 1280x800x24" env QT_QPA_PLATFORM=xcb pytest tests/ui/test_journey.py
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import Qt, QTimer
from PySide6.QtGui import QInputMethodEvent
from PySide6.QtWidgets import (
    QApplication,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QLineEdit,
    QPlainTextEdit,
    QPushButton,
    QStackedWidget,
    QTabWidget,
    QTextEdit,
    QTreeView,
    QWidget,
)
from sqlalchemy import select

from chinadialog_desktop.persistence.models import AssessmentAnswer
from chinadialog_desktop.ui import app as ui_app
from tests.helpers.pdf import all_text, flat

SIZE = (1280, 800)
SHOTS = os.environ.get("SAVE_README_SCREENSHOTS", "")

GERMAN_SIDE = "Musterstadt (Beispiel)"
CHINESE_SIDE = "Zhuhai (Beispiel)"
CHINESE_CHARACTERS = "珠海市"
PINYIN = "Zhūhǎi Shì"
PARTNERSHIP = "Musterstadt–Zhuhai (Beispiel)"
UNIVERSITY = "Harbin Institute of Technology"
UNIVERSITY_ZH = "哈尔滨工业大学"
REFERENCE_LIST = Path(__file__).parents[1] / "fixtures" / "ftm" / "china_v1.ftm.json"
SUMMARY = (
    "Musterstadt und Zhuhai (珠海市, Provinz Guangdong) sind seit 2011 Partnerstädte (Beispiel). "
    "Eine Hochschulkooperation mit dem Harbin Institute of Technology ist geplant."
)
REASON = "Gleicher Name in Schriftzeichen und Latein, gleiches Land (Beispiel)."
DOSSIER = "Städtepartnerschaft Musterstadt–Zhuhai (Beispiel)"


# -- the widgets, as a user reaches them ------------------------------------------------
def child(parent: QWidget, cls: type, name: str) -> QWidget:
    widget = parent.findChild(cls, name)
    assert widget is not None, name
    return widget


def reveal(qtbot, widget: QWidget) -> None:
    """Click the tabs that hide ``widget``, outermost first, as a user looks for a field."""
    chain = []
    node = widget
    while node is not None:
        parent = node.parentWidget()
        if isinstance(parent, QStackedWidget) and isinstance(parent.parentWidget(), QTabWidget):
            chain.append((parent.parentWidget(), node))
        node = parent
    for tabs, page in reversed(chain):
        index = tabs.indexOf(page)
        if tabs.currentIndex() != index:
            bar = tabs.tabBar()
            qtbot.mouseClick(bar, Qt.MouseButton.LeftButton, pos=bar.tabRect(index).center())
            assert tabs.currentIndex() == index


def click(qtbot, button: QPushButton) -> None:
    reveal(qtbot, button)
    assert button.isVisible() and button.isEnabled(), button.objectName()
    qtbot.mouseClick(button, Qt.MouseButton.LeftButton)


def commit_text(widget: QWidget, text: str) -> None:
    """What an input method sends when a user types text QtTest has no key for (珠海, ū)."""
    event = QInputMethodEvent()
    event.setCommitString(text)
    QApplication.sendEvent(widget, event)


def type_into(qtbot, line: QLineEdit, text: str) -> None:
    """Click into a field, select what is there, type ``text`` and finish with Return."""
    reveal(qtbot, line)
    qtbot.mouseClick(line, Qt.MouseButton.LeftButton)
    qtbot.keyClick(line, Qt.Key.Key_A, Qt.KeyboardModifier.ControlModifier)
    if text.isascii():
        qtbot.keyClicks(line, text)
    else:
        commit_text(line, text)
    qtbot.keyClick(line, Qt.Key.Key_Return)
    assert line.text() == text


def type_text(qtbot, edit: QPlainTextEdit | QTextEdit, text: str) -> None:
    """Type a paragraph into a text area and leave it, as a user moves on."""
    reveal(qtbot, edit)
    qtbot.mouseClick(edit.viewport(), Qt.MouseButton.LeftButton)
    commit_text(edit, text)
    edit.clearFocus()  # leaving the field saves it, as a click elsewhere would


def pick(qtbot, combo: QComboBox, data: object) -> None:
    """Open the drop-down with a click, walk to the entry for ``data`` with the arrow keys
    and take it with Return (a click into the list right after it opened is ignored by Qt)."""
    row = combo.findData(data)
    assert row >= 0, (combo.objectName(), data)
    reveal(qtbot, combo)
    qtbot.mouseClick(combo, Qt.MouseButton.LeftButton)
    view = combo.view()
    qtbot.waitUntil(view.isVisible)
    steps = row - max(view.currentIndex().row(), 0)
    key = Qt.Key.Key_Down if steps > 0 else Qt.Key.Key_Up
    for _ in range(abs(steps)):
        qtbot.keyClick(view, key)
    qtbot.keyClick(view, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: not view.isVisible())
    assert combo.currentIndex() == row, (combo.objectName(), combo.currentText())


def when_modal(cls: type, handle: Callable[[QWidget], None], tries: int = 3000) -> None:
    """Answer the next modal dialog of type ``cls`` once it is up (the caller then opens it).

    Looks again on each turn of the event loop that runs the dialog; gives up after
    ``tries`` looks, so that a dialog that never came leaves nothing behind."""

    def look(left: int) -> None:
        dialog = QApplication.activeModalWidget()
        if isinstance(dialog, cls) and dialog.isVisible():
            handle(dialog)
        elif left > 0:
            QTimer.singleShot(20, lambda: look(left - 1))

    QTimer.singleShot(0, lambda: look(tries))


def menu_click(qtbot, window, name: str) -> None:
    """Open the menu that holds the action ``name`` from the menu bar and click the action."""
    bar = window.menuBar()
    for top in bar.actions():
        menu = top.menu()
        if menu is None:
            continue
        action = next((a for a in menu.actions() if a.objectName() == name), None)
        if action is None:
            continue
        qtbot.mouseClick(bar, Qt.MouseButton.LeftButton, pos=bar.actionGeometry(top).center())
        qtbot.waitUntil(menu.isVisible)
        qtbot.mouseClick(menu, Qt.MouseButton.LeftButton, pos=menu.actionGeometry(action).center())
        return
    raise AssertionError(name)


class Camera:
    """Saves the README's screenshots when ``SAVE_README_SCREENSHOTS`` names a folder."""

    def __init__(self, folder: str) -> None:
        self.folder = Path(folder) if folder else None
        self.taken: list[Path] = []

    def shot(self, qtbot, widget: QWidget, name: str) -> None:
        if self.folder is None:
            return
        widget.resize(*SIZE)  # the README's size, larger than the offscreen screen
        qtbot.waitExposed(widget)
        qtbot.waitUntil(lambda: widget.size().toTuple() == SIZE)
        QApplication.sendPostedEvents()  # pending layouts (the status bar after a theme change)
        QApplication.processEvents()
        self.folder.mkdir(parents=True, exist_ok=True)
        target = self.folder / f"{name}.png"
        assert widget.grab().save(str(target)), target
        self.taken.append(target)


@pytest.fixture
def started(qtbot, tmp_path, german) -> Iterator:
    folder = tmp_path / "Städte #1 – Übersicht"
    folder.mkdir()
    session = ui_app.start(folder / "Partnerschaften #2.sqlite3")
    window = session.window
    qtbot.addWidget(window)
    with qtbot.waitSignal(window.sig_list_filled):
        pass
    qtbot.waitUntil(window.attached, timeout=20000)  # the database took over
    window.resize(*SIZE)
    window.show()
    qtbot.waitExposed(window)
    app = QApplication.instance()
    palette = app.palette()
    yield session
    session.close()
    app.setPalette(palette)  # the theme chosen in the journey stays with this test


def go_to(qtbot, window, key: str) -> None:
    """Click the section ``key`` (Partnerschaften, Akteure …) in the sidebar."""
    sidebar = window.sidebar
    for row in range(sidebar.count()):
        item = sidebar.item(row)
        if item.data(Qt.ItemDataRole.UserRole) == key:
            rect = sidebar.visualItemRect(item)
            qtbot.mouseClick(sidebar.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
            assert window.current_page().kind == key
            return
    raise AssertionError(key)


def _first_steps(qtbot, window, key: str) -> QPushButton:
    """The button of a first step; the steps stand above the partnership list."""
    if window.current_page().kind != "partnership":
        go_to(qtbot, window, "partnership")
    if key == "hide":
        return child(window, QPushButton, "firstStepsHide")
    return child(window, QPushButton, f"firstStep_{key}")


def _select_row(page, text: str) -> None:
    model = page.model
    for row in range(model.rowCount()):
        if str(model.index(row, 0).data() or "").startswith(text):
            page.select_id(model.record_id(row))
            return
    raise AssertionError(text)


def test_from_an_empty_database_to_the_pdf_only_through_widgets(started, qtbot, tmp_path):
    window = started.window
    camera = Camera(SHOTS)

    # -- 1. Partners: the German side and the Chinese city, with characters and pinyin --
    click(qtbot, _first_steps(qtbot, window, "actors"))
    editor = window.current_page().editor
    assert window.current_page().kind == "actor" and editor.uuid is not None
    type_into(qtbot, child(window, QLineEdit, "actorNameDe"), GERMAN_SIDE)
    pick(qtbot, child(window, QComboBox, "actorKind"), "municipality")
    type_into(qtbot, child(window, QLineEdit, "actorCountry"), "DE")

    click(qtbot, _first_steps(qtbot, window, "actors"))  # the step stays: the second partner
    type_into(qtbot, child(window, QLineEdit, "actorNameDe"), CHINESE_SIDE)
    type_into(qtbot, child(window, QLineEdit, "actorNameZh"), CHINESE_CHARACTERS)
    type_into(qtbot, child(window, QLineEdit, "actorNamePinyin"), PINYIN)
    pick(qtbot, child(window, QComboBox, "actorKind"), "city")
    type_into(qtbot, child(window, QLineEdit, "actorCountry"), "CN")
    # A university the partnership works with; it is on the test reference list.
    click(qtbot, _first_steps(qtbot, window, "actors"))
    type_into(qtbot, child(window, QLineEdit, "actorNameDe"), UNIVERSITY)
    type_into(qtbot, child(window, QLineEdit, "actorNameZh"), UNIVERSITY_ZH)
    pick(qtbot, child(window, QComboBox, "actorKind"), "university")
    type_into(qtbot, child(window, QLineEdit, "actorCountry"), "CN")
    assert window.pages["actor"].model.rowCount() == 3
    assert _first_steps(qtbot, window, "actors").text().startswith("✓ ")

    # -- 2. The partnership, both partners chosen in the picker by typing --------------
    click(qtbot, _first_steps(qtbot, window, "partnership"))
    assert window.current_page().kind == "partnership"
    type_into(qtbot, child(window, QLineEdit, "partnershipTitle"), PARTNERSHIP)
    pick(qtbot, child(window, QComboBox, "partnershipType"), "twin_city")
    type_into(qtbot, child(window, QLineEdit, "partnershipStartDate"), "2011")
    for search in ("Musterstadt", "Zhuhai", "Harbin"):
        click(qtbot, child(window, QPushButton, "partyAdd"))
        picker = child(window, QWidget, "partyPanel").picker
        qtbot.waitUntil(picker.isVisible)
        qtbot.keyClicks(picker.search, search)
        qtbot.keyClick(picker.search, Qt.Key.Key_Return)
        qtbot.waitUntil(lambda picker=picker: not picker.isVisible())
    parties = child(window, QWidget, "partyTable").model()
    assert parties.rowCount() == 3

    # -- 3. The dossier about it ---------------------------------------------------------
    click(qtbot, _first_steps(qtbot, window, "dossier"))
    assert window.current_page().kind == "dossier"
    type_into(qtbot, child(window, QLineEdit, "dossierTitle"), DOSSIER)
    click(qtbot, child(window, QPushButton, "dossierPartnershipAdd"))
    links = child(window, QWidget, "dossierPartnershipTable").model()
    qtbot.waitUntil(lambda: links.rowCount() == 1)
    type_text(
        qtbot,
        child(window, QTextEdit, "section_summary_text"),  # the rich-text editor
        SUMMARY,
    )

    # -- 4. The assessment from the bundled checklist, answered with the keys ------------
    click(qtbot, _first_steps(qtbot, window, "assessment"))
    view = child(window, QWidget, "assessmentView")
    qtbot.waitExposed(view)
    # An empty database has no checklist yet: the window offers the bundled ones.
    click(qtbot, child(view, QPushButton, "installBundledButton"))
    assert "Leitplanken" in view.template_combo.currentText()
    assert view.partnership_combo.currentText() == PARTNERSHIP
    click(qtbot, child(view, QPushButton, "startAssessmentButton"))
    tree = child(view, QTreeView, "assessmentTree")
    qtbot.waitUntil(lambda: view.current_item_id() is not None)
    asked = []
    for key in (Qt.Key.Key_J, Qt.Key.Key_J, Qt.Key.Key_T, Qt.Key.Key_N, Qt.Key.Key_U):
        asked.append(view.current_item_id())
        qtbot.keyClick(tree, key)
    with window.workspace.database.sessions() as s:
        answers = {
            a.item_key: a.answer
            for a in s.scalars(
                select(AssessmentAnswer).where(AssessmentAnswer.assessment_id == view.assessment_id)
            )
        }
    assert [answers.get(i) for i in asked] == ["yes", "yes", "partly", "no", "unknown"]
    # What the window shows as the result, to be found in the briefing.
    light = view.overall_light.toolTip()
    overall = view.report["overall"]
    result = f"Gesamt {overall['answered']}/{overall['applicable']}"
    assert light and overall["answered"] == len(asked)
    camera.shot(qtbot, view, "assessment-de")
    view.close()

    # -- 5. Screening: import the reference list through the file dialog, confirm the hit --
    click(qtbot, _first_steps(qtbot, window, "screening"))
    screening = child(window, QWidget, "screeningDialog")
    qtbot.waitExposed(screening)

    def open_list(dialog: QFileDialog) -> None:
        name = child(dialog, QLineEdit, "fileNameEdit")
        name.setFocus()
        commit_text(name, str(REFERENCE_LIST))
        qtbot.keyClick(name, Qt.Key.Key_Return)

    when_modal(QFileDialog, open_list)
    with qtbot.waitSignal(screening.sig_job_finished):
        click(qtbot, child(screening, QPushButton, "importListButton"))
    # The import screens everyone against the new entries: no extra step.
    hits = child(screening, QWidget, "screeningHits")
    rows = [
        r
        for r in range(hits.model().rowCount())
        if any(UNIVERSITY in str(hits.model().index(r, c).data() or "") for c in range(3))
    ]
    assert len(rows) == 1, [hits.model().index(r, 1).data() for r in range(hits.model().rowCount())]
    rect = hits.visualRect(hits.model().index(rows[0], 1))
    qtbot.mouseClick(hits.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    type_into_reason = child(screening, QLineEdit, "reasonEdit")
    qtbot.mouseClick(type_into_reason, Qt.MouseButton.LeftButton)
    commit_text(type_into_reason, REASON)
    click(qtbot, child(screening, QPushButton, "confirmHitButton"))
    qtbot.waitUntil(lambda: type_into_reason.text() == "")

    def status_of_the_hit() -> str:
        model = hits.model()
        status = next(
            c
            for c in range(model.columnCount())
            if model.headerData(c, Qt.Orientation.Horizontal) == "Status"
        )
        (row,) = [r for r in range(model.rowCount()) if model.index(r, 1).data() == UNIVERSITY]
        return str(model.index(row, status).data())

    assert status_of_the_hit() == "bestätigt"
    camera.shot(qtbot, screening, "screening-de")
    screening.close()

    # -- 6. The briefing: preview, then "Als PDF speichern …" through the file dialog ----
    click(qtbot, _first_steps(qtbot, window, "briefing"))
    preview = window.briefing_actions.previews[-1]
    qtbot.waitUntil(lambda: preview.data is not None)
    camera.shot(qtbot, preview, "briefing-preview-de")
    target = tmp_path / "Vorlagen #3 für den Rat" / "Vorlage Zhuhai.pdf"
    target.parent.mkdir()

    def save_as(dialog: QFileDialog) -> None:
        name = child(dialog, QLineEdit, "fileNameEdit")
        name.setFocus()
        name.selectAll()
        commit_text(name, str(target))
        qtbot.keyClick(name, Qt.Key.Key_Return)

    when_modal(QFileDialog, save_as)
    with qtbot.waitSignal(preview.sig_recorded):
        click(qtbot, child(preview, QPushButton, "briefingSavePdf"))
    qtbot.waitUntil(target.exists)
    text = flat(all_text(target.read_bytes()))
    assert GERMAN_SIDE in text
    assert CHINESE_SIDE in text and CHINESE_CHARACTERS in text
    assert PARTNERSHIP in text
    assert SUMMARY in text
    # The assessment: the window's result in the totals row of the briefing.
    assert re.search(rf"{result} \d+ % \S {re.escape(light)}", text, re.IGNORECASE), result
    # The confirmed hit with its reason in the screening section.
    screening_part = text[text.rindex("Abgleich mit Referenzlisten") :]
    assert f"{UNIVERSITY} {UNIVERSITY_ZH} (Exportkontrolle)" in screening_part
    assert REASON in screening_part
    preview.close()

    # -- the README's screenshots: the main lists, light and dark (Einstellungen) --------
    click(qtbot, _first_steps(qtbot, window, "hide"))  # done with the first steps
    assert not child(window, QWidget, "firstSteps").isVisible()
    shoot_lists(qtbot, window, camera, "light")
    choose_theme(qtbot, window, "dark")
    # The new palette reaches the widgets through posted events: wait until it has.
    table = window.pages["partnership"].table
    qtbot.waitUntil(lambda: table.palette().base().color().lightness() < 128)
    shoot_lists(qtbot, window, camera, "dark")
    if camera.folder is not None:
        assert len(camera.taken) == 3 + 2 * 4


def choose_theme(qtbot, window, theme: str) -> None:
    """Bearbeiten → Einstellungen …, Darstellung ``theme``, OK."""

    def settings(dialog: QDialog) -> None:
        pick(qtbot, child(dialog, QComboBox, "themeCombo"), theme)
        buttons = dialog.findChild(QDialogButtonBox)
        click(qtbot, buttons.button(QDialogButtonBox.StandardButton.Ok))

    when_modal(QDialog, settings)
    menu_click(qtbot, window, "actionSettings")
    qtbot.waitUntil(lambda: QApplication.activeModalWidget() is None)


def shoot_lists(qtbot, window, camera: Camera, theme: str) -> None:
    """Partnerships, actors, the dossier (links) and its confirmed hit (details)."""
    for key, title, name, tab in (
        ("partnership", PARTNERSHIP, "partnerships", None),
        ("actor", CHINESE_SIDE, "actors", None),
        ("dossier", DOSSIER, "dossier", 1),
        ("dossier", DOSSIER, "confirmed-hit", 0),
    ):
        go_to(qtbot, window, key)
        page = window.current_page()
        row = next(
            r for r in range(page.model.rowCount()) if page.model.index(r, 0).data() == title
        )
        rect = page.table.visualRect(page.model.index(row, 0))
        qtbot.mouseClick(page.table.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
        assert page.editor.record_id == page.model.record_id(row)
        if tab is not None:
            tabs = page.editor.main_tabs
            bar = tabs.tabBar()
            qtbot.mouseClick(bar, Qt.MouseButton.LeftButton, pos=bar.tabRect(tab).center())
        page.editor.verticalScrollBar().setValue(0)
        camera.shot(qtbot, window, f"{name}-{theme}-de")


@pytest.mark.slow
@pytest.mark.skipif(shutil.which("xvfb-run") is None, reason="needs xvfb-run (Debian: xvfb)")
def test_the_journey_under_a_real_x_server(tmp_path):
    """The same journey on an X server (Xvfb, platform xcb) instead of offscreen."""
    env = {**os.environ, "QT_QPA_PLATFORM": "xcb", "SAVE_README_SCREENSHOTS": ""}
    node = f"{__file__}::test_from_an_empty_database_to_the_pdf_only_through_widgets"
    command = ["xvfb-run", "-a", "-s", "-screen 0 1280x800x24", sys.executable, "-m", "pytest"]
    command += [node, "-q", "-p", "no:cacheprovider"]
    command += ["--basetemp", str(tmp_path / "inner")]
    done = subprocess.run(
        command, env=env, cwd=Path(__file__).parents[2], capture_output=True, text=True
    )
    assert done.returncode == 0, done.stdout[-4000:] + done.stderr[-2000:]
    assert "1 passed" in done.stdout
