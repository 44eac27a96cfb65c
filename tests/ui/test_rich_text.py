"""The rich-text field of dossier sections: formatted on screen, Markdown stored and printed."""

from __future__ import annotations

import pytest
from helpers.pdf import reader
from PySide6.QtCore import QMimeData, Qt
from PySide6.QtGui import QFont, QTextCursor, QTextFormat
from PySide6.QtWidgets import QApplication, QTabWidget, QToolButton
from sqlalchemy import select

from chinadialog_desktop.domain.briefing_markup import Run, parse_markup
from chinadialog_desktop.persistence.models import Dossier, DossierSection
from chinadialog_desktop.ui import app as ui_app
from chinadialog_desktop.ui.records.rich_text import (
    BULLETS,
    NUMBERS,
    LinkDialog,
    RichTextEdit,
    markdown_of,
    valid_address,
)

Prop = QTextFormat.Property
CTRL_SHIFT = Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier
STORED = (
    "Die Partnerschaft ist **aktiv** und *gut dokumentiert* [2].\n"
    "\n"
    "- erster **Punkt**\n"
    "- zweiter Punkt mit **[Quelle](https://www.braunschweig.de/)**\n"
    "\n"
    "1. Schritt eins\n"
    "2. Schritt *zwei*\n"
    "\n"
    "Kontakt: [Büro (Beispiel)](mailto:buero@example.org)"
)


@pytest.fixture
def edit(qtbot):
    widget = RichTextEdit()
    qtbot.addWidget(widget)
    widget.show()
    widget.setFocus()
    return widget


def select_range(edit, start, end):
    cursor = edit.textCursor()
    cursor.setPosition(start)
    cursor.setPosition(end, QTextCursor.MoveMode.KeepAnchor)
    edit.setTextCursor(cursor)


def test_ctrl_b_twice_on_a_selection_gives_plain_text_again(edit, qtbot):
    edit.set_markdown_quietly("Ein wichtiger Satz")
    select_range(edit, 4, 13)
    qtbot.keyClick(edit, Qt.Key.Key_B, Qt.KeyboardModifier.ControlModifier)
    assert edit.markdown() == "Ein **wichtiger** Satz"
    assert edit.toPlainText() == "Ein wichtiger Satz"  # no asterisks on screen
    qtbot.keyClick(edit, Qt.Key.Key_B, Qt.KeyboardModifier.ControlModifier)
    assert edit.markdown() == "Ein wichtiger Satz"
    assert "*" not in edit.toMarkdown()
    qtbot.keyClick(edit, Qt.Key.Key_I, Qt.KeyboardModifier.ControlModifier)
    assert edit.markdown() == "Ein *wichtiger* Satz"
    qtbot.keyClick(edit, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)  # the field's undo
    assert edit.markdown() == "Ein wichtiger Satz"
    qtbot.keyClick(edit, Qt.Key.Key_Y, Qt.KeyboardModifier.ControlModifier)
    assert edit.markdown() == "Ein *wichtiger* Satz"


def test_bold_typed_on_without_a_selection_and_off_again(edit, qtbot):
    edit.set_markdown_quietly("")
    qtbot.keyClicks(edit, "Ein ")
    qtbot.keyClick(edit, Qt.Key.Key_B, Qt.KeyboardModifier.ControlModifier)
    qtbot.keyClicks(edit, "fettes")
    qtbot.keyClick(edit, Qt.Key.Key_B, Qt.KeyboardModifier.ControlModifier)
    qtbot.keyClicks(edit, " Wort")
    assert edit.markdown() == "Ein **fettes** Wort"


def test_stored_markdown_round_trips_unchanged_and_is_the_canonical_form(edit):
    edit.set_markdown_quietly(STORED)
    assert edit.markdown() == STORED
    assert markdown_of(edit.document()) == STORED  # not only "unchanged": the same form
    plain = edit.toPlainText()
    assert "**" not in plain and "](" not in plain and "- " not in plain
    # what the briefing prints from it: bold, italic, both lists, the link and its address
    blocks = parse_markup(STORED)
    assert [b.kind for b in blocks] == ["para", "bullet", "bullet", "number", "number", "para"]
    assert Run("aktiv", bold=True) in blocks[0].runs
    assert Run("[2]", cite=2) in blocks[0].runs
    assert Run("Quelle", bold=True) in blocks[2].runs  # a bold link stays bold
    assert Run(" (https://www.braunschweig.de/)", bold=True) in blocks[2].runs
    assert blocks[5].runs[-1] == Run(" (buero@example.org)")


def test_an_edit_and_its_reversal_store_the_same_text(edit, qtbot):
    edit.set_markdown_quietly(STORED)
    edit.moveCursor(QTextCursor.MoveOperation.End)
    qtbot.keyClicks(edit, "!")
    assert edit.markdown() == STORED + "!"
    qtbot.keyClick(edit, Qt.Key.Key_Backspace)
    assert edit.markdown() == STORED


def test_text_of_the_old_plain_editor_opens_formatted_and_is_not_rewritten(edit):
    old = "Kopf mit **fett** und *kursiv*\n- eins\n- zwei [3]\n1. erstens"
    edit.set_markdown_quietly(old)
    document = edit.document()
    assert edit.toPlainText() == "Kopf mit fett und kursiv\neins\nzwei [3]\nerstens"
    head, one, two, first = (document.findBlockByNumber(n) for n in range(4))
    assert head.textList() is None
    assert one.textList().format().style() == BULLETS
    assert two.textList() is one.textList()
    assert first.textList().format().style() == NUMBERS
    cursor = QTextCursor(document)
    cursor.setPosition(len("Kopf mit f"))
    assert cursor.charFormat().fontWeight() == QFont.Weight.Bold
    assert edit.markdown() == old  # opened and left alone: saved as it was


def test_list_toggles_bullets_numbers_and_back(edit):
    edit.set_markdown_quietly("eins\n\nzwei")
    edit.selectAll()
    edit.toggle_list(BULLETS)
    assert edit.markdown() == "- eins\n- zwei"
    edit.toggle_list(NUMBERS)
    assert edit.markdown() == "1. eins\n2. zwei"
    edit.toggle_list(NUMBERS)
    assert edit.markdown() == "eins\n\nzwei"


def test_links_only_web_and_mail_addresses_and_removable(edit):
    edit.set_markdown_quietly("Siehe Stadt")
    select_range(edit, 6, 11)
    assert not edit.set_link("javascript:alert(1)")
    assert not edit.set_link("file:///etc/passwd")
    assert not edit.set_link("https://")
    assert edit.markdown() == "Siehe Stadt"
    assert edit.set_link("https://www.braunschweig.de/")
    assert edit.markdown() == "Siehe [Stadt](https://www.braunschweig.de/)"
    edit.toggle_bold()  # the link alone made bold: Qt's writer alone would drop it
    assert edit.markdown() == "Siehe **[Stadt](https://www.braunschweig.de/)**"
    edit.toggle_bold()
    select_range(edit, 8, 8)  # the cursor inside the link: editing it means the whole link
    assert edit.link_at_cursor() == (6, 11, "https://www.braunschweig.de/")
    assert edit.set_link("")
    assert edit.markdown() == "Siehe Stadt"
    assert valid_address("mailto:buero@example.org")
    assert valid_address("mailto:buero") is None


def test_link_dialog_says_what_is_wrong_and_keeps_asking(qtbot):
    dialog = LinkDialog("")
    qtbot.addWidget(dialog)
    dialog.edit.setText("www.example.org")
    dialog.accept()
    assert dialog.result() == 0 and dialog.error.isVisibleTo(dialog)
    assert "www.example.org" in dialog.error.text()
    dialog.edit.setText("https://www.example.org")
    dialog.accept()
    assert dialog.result() == LinkDialog.DialogCode.Accepted


def test_pasted_html_is_reduced_to_the_supported_formats(edit):
    edit.set_markdown_quietly("")
    data = QMimeData()
    data.setHtml(
        "<script>alert('x')</script>"
        '<p style="color:#ff0000;font-size:30pt"><b>fett</b> '
        '<span style="font-family:Comic Sans MS;background:yellow">bunt</span>'
        '<img src="file:///tmp/x.png"> <a href="javascript:alert(1)">böse</a> '
        '<a href="https://www.example.org/">gut</a></p>'
        "<h1>Titel</h1><ul><li>a</li></ul>"
    )
    data.setText("fallback")
    edit.insertFromMimeData(data)
    stored = edit.markdown()
    assert stored == ("**fett** bunt böse [gut](https://www.example.org/)\n\n**Titel**\n\n- a")
    for gone in ("alert", "img", "png", "javascript", "#", "color", "Comic"):
        assert gone not in stored and gone not in edit.toHtml().split("<body", 1)[1], gone
    fragment = edit.document().findBlockByNumber(0).begin().fragment()
    for prop in (Prop.ForegroundBrush, Prop.BackgroundBrush, Prop.FontPointSize, Prop.FontFamilies):
        assert not fragment.charFormat().hasProperty(prop), prop


# -- in the window: the section is saved, and the briefing prints it bold -------------------


@pytest.fixture
def window(qtbot, tmp_path):
    session = ui_app.start(tmp_path / "Räte #1 ?.sqlite3")
    qtbot.addWidget(session.window)
    with qtbot.waitSignal(session.window.sig_list_filled, timeout=20000):
        pass
    qtbot.waitUntil(session.window.attached, timeout=20000)  # the database took over
    yield session.window
    session.close()


def _bold_words(data: bytes) -> tuple[set[str], set[str]]:
    """Words drawn bold and words drawn plain, on every page. The face has no bold cut:
    bold is drawn outlined (text render mode 2, see reports.fonts), so the mode in force
    when a piece of text was shown tells which it is."""
    bold: set[str] = set()
    plain: set[str] = set()
    for page in reader(data).pages:
        state = {"mode": 0, "shown_in": 0}

        def before(op, args, cm, tm, state=state):
            if op == b"Tr":
                state["mode"] = int(args[0])
            elif op in (b"Tj", b"TJ", b"'", b'"'):
                state["shown_in"] = state["mode"]

        def text(t, cm, tm, font, size, state=state):
            (bold if state["shown_in"] == 2 else plain).update(t.split())

        page.extract_text(visitor_operand_before=before, visitor_text=text)
    return bold, plain


def test_a_section_written_in_the_editor_prints_bold_in_the_briefing(window, qtbot):
    window.show_page("dossier")
    window.action_new.trigger()
    window.findChild(QTabWidget, "dossierMainTabs").setCurrentIndex(1)
    edit = window.findChild(RichTextEdit, "section_summary_text")
    edit.setFocus()
    qtbot.keyClicks(edit, "Die Partnerschaft ist aktiv seit 2011.")
    select_range(edit, len("Die Partnerschaft ist "), len("Die Partnerschaft ist aktiv"))
    qtbot.keyClick(edit, Qt.Key.Key_B, Qt.KeyboardModifier.ControlModifier)  # not the menu
    edit.flush()
    database = window.workspace.database
    with database.sessions() as s:
        body = s.scalars(select(DossierSection.body).where(DossierSection.key == "summary")).one()
    assert body == "Die Partnerschaft ist **aktiv** seit 2011."
    assert QApplication.activeModalWidget() is None  # Ctrl+I/Ctrl+B opened no dialog

    from chinadialog_desktop.services.briefing.content import build_content
    from chinadialog_desktop.services.briefing.export import BriefingOptions, render_pdf

    with database.sessions() as s:
        content = build_content(s, s.scalars(select(Dossier)).one(), BriefingOptions())
    data, _pages = render_pdf(content)
    bold, plain = _bold_words(data)
    assert "aktiv" in bold
    assert "Partnerschaft" in plain and "seit" in plain
    assert not any("*" in word for word in bold | plain)


def test_toolbar_buttons_show_the_format_at_the_cursor(window):
    window.show_page("dossier")
    window.action_new.trigger()
    edit = window.findChild(RichTextEdit, "section_risks_text")
    edit.set_markdown_quietly("eins **zwei**")
    select_range(edit, 7, 7)
    assert window.findChild(QToolButton, "section_risks_bold").isChecked()
    select_range(edit, 2, 2)
    assert not window.findChild(QToolButton, "section_risks_bold").isChecked()
    for name in ("bold", "italic", "bullets", "numbers", "link"):
        button = window.findChild(QToolButton, f"section_risks_{name}")
        assert button.toolTip() and button.accessibleName()


def test_the_proposed_resolution_is_a_rich_field_saved_as_markdown(window, qtbot):
    window.show_page("dossier")
    window.action_new.trigger()
    edit = window.findChild(RichTextEdit, "dossierProposedResolution")
    assert edit is not None and edit.accessibleName()
    assert window.findChild(QToolButton, "dossierProposedResolution_bold") is not None
    edit.setFocus()
    qtbot.keyClicks(edit, "Der Rat beschließt")
    edit.flush()  # a pause in typing: saved
    edit.selectAll()
    qtbot.keyClick(edit, Qt.Key.Key_L, CTRL_SHIFT)
    edit.flush()
    with window.workspace.database.sessions() as s:
        assert s.scalars(select(Dossier.proposed_resolution)).one() == "- Der Rat beschließt"
    window.action_undo.trigger()  # the app's undo step for the field
    with window.workspace.database.sessions() as s:
        assert s.scalars(select(Dossier.proposed_resolution)).one() == "Der Rat beschließt"
    assert edit.markdown() == "Der Rat beschließt"


def test_typed_asterisks_and_underscores_stay_literal_on_screen_and_in_print(edit, qtbot):
    edit.set_markdown_quietly("")
    qtbot.keyClicks(edit, "**nicht fett** und _kein_ Kursiv, 3 * 4")
    stored = edit.markdown()
    assert stored == r"\*\*nicht fett\*\* und \_kein\_ Kursiv, 3 \* 4"
    runs = parse_markup(stored)[0].runs
    assert "".join(r.text for r in runs) == "**nicht fett** und _kein_ Kursiv, 3 * 4"
    assert not any(r.bold or r.italic for r in runs)
    edit.set_markdown_quietly(stored)  # opened again: the same characters, unformatted
    assert edit.toPlainText() == "**nicht fett** und _kein_ Kursiv, 3 * 4"
    assert edit.markdown() == stored


def test_ctrl_z_and_ctrl_y_in_the_field_undo_there_not_in_the_window(window, qtbot):
    window.show_page("dossier")
    window.action_new.trigger()
    window.findChild(QTabWidget, "dossierMainTabs").setCurrentIndex(1)
    edit = window.findChild(RichTextEdit, "section_summary_text")
    edit.setFocus()
    qtbot.keyClicks(edit, "Kurz")
    edit.flush()
    steps = window.workspace.undo_stack.index()
    edit.selectAll()
    qtbot.keyClick(edit, Qt.Key.Key_B, Qt.KeyboardModifier.ControlModifier)
    assert edit.markdown() == "**Kurz**"
    qtbot.keyClick(edit, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    assert edit.markdown() == "Kurz"
    qtbot.keyClick(edit, Qt.Key.Key_Y, Qt.KeyboardModifier.ControlModifier)
    assert edit.markdown() == "**Kurz**"
    assert window.workspace.undo_stack.index() == steps  # the dossier's steps untouched
    label = window.workspace.undo_stack.text(steps - 1)  # the save has its label
    # the dossier's step names the dossier and the section
    assert label.startswith(("Change dossier", "Dossier")) and "(Summary)" in label, label
