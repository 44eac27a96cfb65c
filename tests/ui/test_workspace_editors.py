"""Editor details: files in the database, formatted dossier text, contacts, F2, shortcuts."""

from __future__ import annotations

import hashlib
from pathlib import Path

import pytest
from PySide6.QtCore import QMimeData, QPointF, Qt, QUrl
from PySide6.QtGui import QDropEvent, QTextCursor
from PySide6.QtWidgets import (
    QApplication,
    QLineEdit,
    QPushButton,
    QTableView,
    QTabWidget,
    QToolButton,
    QWidget,
)
from sqlalchemy import select

from chinadialog_desktop.persistence.models import Attachment, Contact, DossierSection, Source
from chinadialog_desktop.services.records import edit as records
from chinadialog_desktop.ui import app as ui_app
from chinadialog_desktop.ui.records import attachments_panel
from chinadialog_desktop.ui.records.attachments_panel import AttachmentsPanel
from chinadialog_desktop.ui.records.rich_text import RichTextEdit


@pytest.fixture
def window(qtbot, tmp_path):
    session = ui_app.start(tmp_path / "x.sqlite3")
    qtbot.addWidget(session.window)
    with qtbot.waitSignal(session.window.sig_list_filled, timeout=20000):
        pass
    qtbot.waitUntil(session.window.attached, timeout=20000)  # the database took over
    yield session.window
    session.close()


def database(window):
    return window.workspace.database


def test_files_are_stored_with_their_hash_dropped_opened_and_exported(
    window, tmp_path, monkeypatch
):
    window.action_new.trigger()
    panel = window.findChild(AttachmentsPanel, "partnershipAttachmentPanel")
    memo = tmp_path / "Absichtserklärung.pdf"
    memo.write_bytes(b"%PDF-1.4 memorandum")
    panel.add_files([memo])
    dropped = tmp_path / "foto.jpg"
    dropped.write_bytes(b"\xff\xd8\xff jpeg")
    mime = QMimeData()
    mime.setUrls([QUrl.fromLocalFile(str(dropped))])
    event = QDropEvent(
        QPointF(5, 5),
        Qt.DropAction.CopyAction,
        mime,
        Qt.MouseButton.LeftButton,
        Qt.KeyboardModifier.NoModifier,
    )
    panel.dropEvent(event)
    with database(window).sessions() as s:
        stored = {a.file_name: a for a in s.scalars(select(Attachment))}
    assert set(stored) == {"Absichtserklärung.pdf", "foto.jpg"}
    pdf = stored["Absichtserklärung.pdf"]
    assert pdf.sha256 == hashlib.sha256(b"%PDF-1.4 memorandum").hexdigest()
    assert (pdf.size, pdf.media_type, pdf.data) == (19, "application/pdf", b"%PDF-1.4 memorandum")
    assert stored["foto.jpg"].media_type == "image/jpeg"

    opened = []

    class Services:
        @staticmethod
        def openUrl(url):  # noqa: N802
            opened.append(url.toLocalFile())
            return True

    panel.select(next(r["uuid"] for r in panel.model.rows() if r["file_name"] == "foto.jpg"))
    monkeypatch.setattr(attachments_panel, "QDesktopServices", Services)
    window.findChild(QPushButton, "partnershipAttachmentOpen").click()
    assert len(opened) == 1 and opened[0].endswith("foto.jpg")
    assert Path(opened[0]).read_bytes() == b"\xff\xd8\xff jpeg"  # a temporary copy

    target = tmp_path / "export" / "copy.jpg"
    target.parent.mkdir()

    class Dialogs:
        @staticmethod
        def getSaveFileName(*_args, **_kwargs):  # noqa: N802
            return str(target), ""

    monkeypatch.setattr(attachments_panel, "QFileDialog", Dialogs)
    window.findChild(QPushButton, "partnershipAttachmentExport").click()
    assert target.read_bytes() == b"\xff\xd8\xff jpeg"

    window.action_undo.trigger()  # the dropped file goes again
    with database(window).sessions() as s:
        assert [a.file_name for a in s.scalars(select(Attachment))] == ["Absichtserklärung.pdf"]


def test_formatting_buttons_store_markdown_and_undo_restores_the_text(window, qtbot):
    window.show_page("dossier")
    window.action_new.trigger()
    edit = window.findChild(RichTextEdit, "section_risks_text")
    edit.setPlainText("Abhängigkeit von einem Anbieter\nDatenabfluss")
    edit.flush()
    cursor = edit.textCursor()
    cursor.setPosition(0)
    cursor.setPosition(len("Abhängigkeit"), QTextCursor.MoveMode.KeepAnchor)
    edit.setTextCursor(cursor)
    window.findChild(QToolButton, "section_risks_bold").click()
    edit.flush()
    cursor = edit.textCursor()
    cursor.setPosition(0)
    cursor.movePosition(QTextCursor.MoveOperation.End, QTextCursor.MoveMode.KeepAnchor)
    edit.setTextCursor(cursor)
    window.findChild(QToolButton, "section_risks_bullets").click()
    edit.flush()

    def stored():
        with database(window).sessions() as s:
            return s.scalars(select(DossierSection.body).where(DossierSection.key == "risks")).one()

    assert stored() == "- **Abhängigkeit** von einem Anbieter\n- Datenabfluss"
    assert edit.textCursor().currentList() is not None  # shown as a list, not as "- "
    assert "**" not in edit.toPlainText()
    window.action_undo.trigger()
    assert stored() == "**Abhängigkeit** von einem Anbieter\n\nDatenabfluss"
    assert edit.markdown() == stored()
    assert edit.toPlainText() == "Abhängigkeit von einem Anbieter\nDatenabfluss"
    window.action_undo.trigger()
    window.action_undo.trigger()
    assert stored() == ""


def test_contacts_of_an_actor(window, qtbot):
    window.show_page("actor")
    window.action_new.trigger()
    add = window.findChild(QPushButton, "actorContactAdd")
    qtbot.mouseClick(add, Qt.MouseButton.LeftButton)
    name = window.findChild(QLineEdit, "actorContactName")
    name.setText("李明")
    name.editingFinished.emit()
    mail = window.findChild(QLineEdit, "actorContactEmail")
    mail.setText("li@example.org")
    mail.editingFinished.emit()
    with database(window).sessions() as s:
        contact = s.scalars(select(Contact)).one()
        assert (contact.name, contact.email, contact.actor_id is not None) == (
            "李明",
            "li@example.org",
            True,
        )
    table = window.findChild(QTableView, "actorContactTable")
    assert table.model().index(0, 0).data() == "李明"


def test_f2_puts_the_cursor_into_the_title_and_new_records_start_there(window, qtbot):
    window.show_page("source")
    window.action_new.trigger()
    title = window.findChild(QLineEdit, "sourceTitle")
    assert title.hasFocus() and title.selectedText() == title.text()
    window.pages["source"].table.setFocus()
    window.action_rename.trigger()
    assert title.hasFocus()


def test_standard_shortcuts_are_bound(window):
    from PySide6.QtGui import QAction

    bound = {a.objectName(): a.shortcut().toString() for a in window.findChildren(QAction)}
    assert bound["actionNew"] == "Ctrl+N"
    assert bound["actionUndo"] == "Ctrl+Z"
    assert "Ctrl+Shift+Z" in [k.toString() for k in window.action_redo.shortcuts()]
    assert bound["actionDelete"] == "Del"
    assert bound["actionRename"] == "F2"
    assert bound["actionFind"] == "Ctrl+F"
    assert bound["actionExportBriefing"] == "Ctrl+P"  # printing: the PDF briefing


def test_tab_order_runs_from_filter_to_list_to_editor(window, qtbot):
    window.show()
    window.activateWindow()
    qtbot.waitUntil(lambda: QApplication.activeWindow() is window)
    window.action_new.trigger()
    window.first_steps.dismiss()  # its buttons come between filters and list (test_first_steps)
    page = window.pages["partnership"]
    page.filter_edit.setFocus()
    seen = []
    for _ in range(len(page.filter_boxes) + 2):
        qtbot.keyClick(QApplication.focusWidget(), Qt.Key.Key_Tab)
        seen.append(QApplication.focusWidget().objectName())
    assert seen[: len(page.filter_boxes)] == [b.objectName() for b in page.filter_boxes.values()]
    assert seen[len(page.filter_boxes)] == "partnershipTable"
    assert seen[-1] == "partnershipTitle"  # the first field of the editor


def _set(window, name, text):
    line = window.findChild(QLineEdit, name)
    line.setText(text)
    line.editingFinished.emit()


def _title(window):
    with database(window).sessions() as s:
        return s.scalars(select(Source.title)).one()


def test_many_edits_of_one_record_undo_and_redo_in_order(window):
    window.show_page("source")
    window.action_new.trigger()
    for title in ("Bericht", "Bericht 2023", "Jahresbericht 2023"):
        _set(window, "sourceTitle", title)
    _set(window, "sourceYear", "2023")
    window.action_undo.trigger()
    window.action_undo.trigger()
    assert _title(window) == "Bericht 2023"
    window.action_undo.trigger()
    assert _title(window) == "Bericht"
    window.action_redo.trigger()
    window.action_redo.trigger()
    assert _title(window) == "Jahresbericht 2023"
    assert window.findChild(QLineEdit, "sourceTitle").text() == "Jahresbericht 2023"
    assert not window.findChild(QWidget, "messageBar").isVisibleTo(window)


def test_undo_after_another_window_changed_the_record_is_a_conflict(window, tmp_path):
    window.show_page("source")
    window.action_new.trigger()
    _set(window, "sourceTitle", "Bericht")
    with database(window).session() as s:  # another app instance saves meanwhile
        records.update(s, "source", window.pages["source"].editor.uuid, "title", "Fremd")
    window.action_undo.trigger()
    assert _title(window) == "Fremd"  # not overwritten
    assert window.findChild(QWidget, "messageBar").isVisibleTo(window)
    assert window.findChild(QPushButton, "messageBarReload").isVisibleTo(window)


def test_a_party_links_another_actor_through_the_lazy_list(window):
    from chinadialog_desktop.persistence.models import PartnershipParty
    from chinadialog_desktop.ui.records.ref_combo import RefComboBox

    window.show_page("actor")
    for name in ("Kiel", "Qingdao"):
        window.action_new.trigger()
        _set(window, "actorNameDe", name)
    window.show_page("partnership")
    window.action_new.trigger()
    window.findChild(QPushButton, "partyAdd").click()
    picker = window.findChild(QWidget, "partyPanel").picker
    picker.accept()  # the first actor listed: Kiel
    window.pages["partnership"].table.setFocus()
    window.pages["partnership"].editor.reload()
    combo = window.findChild(RefComboBox, "partyActorId")
    assert combo.count() == 1  # only the linked actor until the list is opened
    assert combo.currentText().startswith("Kiel")
    with database(window).sessions() as s:
        qingdao = s.scalars(
            select(records.model("actor").id).where(records.model("actor").name_de == "Qingdao")
        ).one()
    index = combo.choose(qingdao)
    assert index >= 0 and combo.count() == 2
    combo.activated.emit(index)
    with database(window).sessions() as s:
        assert s.scalars(select(PartnershipParty.actor_id)).one() == qingdao
    assert combo.currentText().startswith("Qingdao")
    window.action_undo.trigger()
    with database(window).sessions() as s:
        assert s.scalars(select(PartnershipParty.actor_id)).one() != qingdao


def test_council_header_public_flag_and_order_of_deliberation(window, qtbot):
    from PySide6.QtWidgets import QCheckBox

    from chinadialog_desktop.i18n import _
    from chinadialog_desktop.persistence.models import Deliberation, Dossier

    window.show_page("dossier")
    window.action_new.trigger()
    public = window.findChild(QCheckBox, "dossierIsPublic")
    assert public.isChecked()
    public.setChecked(False)
    window.pages["dossier"].editor.main_tabs.setCurrentIndex(2)
    window.findChild(QPushButton, "deliberationAdd").click()
    window.findChild(QPushButton, "deliberationAdd").click()
    _set(window, "deliberationBody", "Ausschuss für Internationales")
    _set(window, "deliberationMeetingOn", "12.03.2026")
    _set(window, "deliberationMeetingOn", "03.2026")  # a month is not a meeting date
    assert window.findChild(QWidget, "deliberationMeetingOnError").isVisibleTo(window)
    with database(window).sessions() as s:
        assert s.scalars(select(Dossier.is_public)).one() is False
        rows = s.execute(
            select(Deliberation.position, Deliberation.body, Deliberation.meeting_on).order_by(
                Deliberation.position
            )
        ).all()
    from datetime import date

    assert [tuple(r) for r in rows] == [
        (0, _("Council"), None),
        (1, "Ausschuss für Internationales", date(2026, 3, 12)),
    ]
    window.action_undo.trigger()  # the meeting date
    window.action_undo.trigger()  # the body
    window.action_undo.trigger()  # the second deliberation
    with database(window).sessions() as s:
        assert len(s.scalars(select(Deliberation)).all()) == 1


def test_date_city_and_department_of_the_paper(window):
    """Datum der Vorlage, Stadt and Dezernat/Amt: typed into the dossier header, stored."""
    from datetime import date

    from chinadialog_desktop.persistence.models import Dossier

    window.show_page("dossier")
    window.action_new.trigger()
    _set(window, "dossierDocumentDate", "16.11.2026")
    _set(window, "dossierCity", "Stadt Überlingen (Beispiel)")
    _set(window, "dossierDepartment", "Dezernat II – Amt für Städtepartnerschaften (Beispiel)")
    _set(window, "dossierDocumentDate", "11.2026")  # a month is not the date of a paper
    assert window.findChild(QWidget, "dossierDocumentDateError").isVisibleTo(window)
    with database(window).sessions() as s:
        row = s.execute(select(Dossier.document_date, Dossier.city, Dossier.department)).one()
    assert tuple(row) == (
        date(2026, 11, 16),
        "Stadt Überlingen (Beispiel)",
        "Dezernat II – Amt für Städtepartnerschaften (Beispiel)",
    )
    _set(window, "dossierDocumentDate", "")  # emptied: the export day stands in again
    with database(window).sessions() as s:
        assert s.scalars(select(Dossier.document_date)).one() is None


def test_financial_effects_typed_into_the_dossier_editor(window):
    """Finanzielle Auswirkungen: ja/nein, Haushaltsjahr, Produkt, einmalig/laufend, Betrag."""
    from PySide6.QtWidgets import QComboBox

    from chinadialog_desktop.persistence.models import Dossier

    def choose(name, code):
        combo = window.findChild(QComboBox, name)
        index = combo.findData(code)
        assert index >= 0
        combo.setCurrentIndex(index)
        combo.activated.emit(index)

    def stored():
        with database(window).sessions() as s:
            return tuple(
                s.execute(
                    select(
                        Dossier.financial_impact,
                        Dossier.financial_year,
                        Dossier.financial_item,
                        Dossier.financial_recurrence,
                        Dossier.financial_amount,
                    )
                ).one()
            )

    window.show_page("dossier")
    window.action_new.trigger()
    warning = window.findChild(QWidget, "dossierFinancialImpactError")
    choose("dossierFinancialImpact", "yes")  # ja, but neither amount nor explanation yet
    assert warning.isVisibleTo(window)
    _set(window, "dossierFinancialYear", "2027")
    _set(window, "dossierFinancialItem", "Produkt 1.11.01 (Beispiel)")
    choose("dossierFinancialRecurrence", "one_off")
    _set(window, "dossierFinancialAmount", "12.500,00 €")
    assert not warning.isVisibleTo(window)
    assert stored() == ("yes", 2027, "Produkt 1.11.01 (Beispiel)", "one_off", 1_250_000)
    # shown back in the editor's number format, whatever form was typed
    amount_field = window.findChild(QLineEdit, "dossierFinancialAmount")
    _set(window, "dossierFinancialAmount", "12500.5")
    assert stored()[4] == 1_250_050
    window.pages["dossier"].editor.reload()
    assert amount_field.text().replace("\u00a0", " ") in ("12.500,50 €", "EUR 12,500.50")
    # refused, with the reason under the field; the stored value stays
    _set(window, "dossierFinancialAmount", "-5")
    assert window.findChild(QWidget, "dossierFinancialAmountError").isVisibleTo(window)
    _set(window, "dossierFinancialYear", "1066")
    assert window.findChild(QWidget, "dossierFinancialYearError").isVisibleTo(window)
    assert stored() == ("yes", 2027, "Produkt 1.11.01 (Beispiel)", "one_off", 1_250_050)
    choose("dossierFinancialImpact", "no")  # nein beside an amount: stored, but warned
    assert stored()[0] == "no" and warning.isVisibleTo(window)


def test_dossier_files_are_anlagen_and_can_be_released_for_the_public(window, tmp_path):
    """The dossier's Files (Anlagen) tab: attach a PDF, release it for the public version."""
    from PySide6.QtWidgets import QCheckBox

    window.show_page("dossier")
    window.action_new.trigger()
    panel = window.findChild(AttachmentsPanel, "dossierAttachmentPanel")
    assert panel is not None
    tabs = window.findChild(QTabWidget, "dossierMainTabs")
    assert tabs.indexOf(panel) >= 0
    agreement = tmp_path / "Vereinbarung (Beispiel).pdf"
    agreement.write_bytes(b"%PDF-1.4 agreement")
    panel.add_files([agreement])
    with database(window).sessions() as s:
        stored = s.scalars(select(Attachment)).one()
        assert stored.dossier_id is not None and stored.partnership_id is None
        assert stored.public_release is False  # not released unless the user says so
    panel.select(stored.uuid)
    release = window.findChild(QCheckBox, "dossierAttachmentPublicRelease")
    release.setChecked(True)
    with database(window).sessions() as s:
        assert s.scalars(select(Attachment.public_release)).one() is True
    assert panel.model.rows()[0]["public_release"] is True
    window.action_undo.trigger()
    with database(window).sessions() as s:
        assert s.scalars(select(Attachment.public_release)).one() is False


def test_inline_errors_stay_readable_in_the_dark_theme(window, qapp):
    from chinadialog_desktop.ui.common.form_style import ERROR_DARK, ERROR_LIGHT
    from chinadialog_desktop.ui.common.theme import apply_theme, current_theme

    before = current_theme(qapp)
    error = window.findChild(QWidget, "partnershipTitleError")
    try:
        apply_theme(qapp, "dark")
        qapp.processEvents()
        assert error.styleSheet() == ERROR_DARK
        apply_theme(qapp, "light")
        qapp.processEvents()
        assert error.styleSheet() == ERROR_LIGHT
    finally:
        apply_theme(qapp, before)


def test_without_a_selected_record_the_editor_shows_only_a_hint(window):
    from PySide6.QtWidgets import QLabel, QTabWidget

    editor = window.pages["partnership"].editor
    assert editor.uuid is None
    assert window.findChild(QLabel, "partnershipEditorPlaceholder").isVisibleTo(window)
    assert not window.findChild(QTabWidget, "partnershipTabs").isVisibleTo(window)
    assert not editor.form.isVisibleTo(window)
    window.action_new.trigger()
    assert window.findChild(QTabWidget, "partnershipTabs").isVisibleTo(window)
    assert not window.findChild(QLabel, "partnershipEditorPlaceholder").isVisibleTo(window)


def test_a_note_field_stays_beside_its_caption_on_a_tall_editor(window, qtbot):
    from PySide6.QtWidgets import QLabel

    window.resize(1280, 740)
    window.show_page("source")
    window.action_new.trigger()
    editor = window.pages["source"].editor
    note = editor.form.widgets["note"]
    caption = next(label for label in editor.form.findChildren(QLabel) if label.buddy() is note)
    qtbot.waitUntil(lambda: editor.viewport().height() > 500)
    QApplication.processEvents()
    top = note.mapTo(editor.form, note.rect().topLeft()).y()
    caption_top = caption.mapTo(editor.form, caption.rect().topLeft()).y()
    assert abs(top - caption_top) < 12


def test_selecting_another_record_shows_its_editor_from_the_top(window, qtbot):
    window.resize(1280, 600)
    page = window.show_page("partnership")
    editor = page.editor
    window.action_new.trigger()
    window.action_new.trigger()
    page.table.selectRow(0)
    bar = editor.verticalScrollBar()
    qtbot.waitUntil(lambda: bar.maximum() > 0)
    bar.setValue(bar.maximum())
    editor.reload()  # the same record again keeps the place
    assert bar.value() == bar.maximum()
    page.table.selectRow(1)
    assert bar.value() == 0


def test_the_open_file_button_does_not_share_the_classification_message(window):
    from chinadialog_desktop.i18n import _

    panel = window.findChild(AttachmentsPanel, "partnershipAttachmentPanel")
    # "Open" is the classification (German "Offen"); the button opens a file.
    assert panel.open_button.text() != _("Open")
    assert panel.open_button.text() == _("Open file")


def test_adding_a_party_scrolls_its_fields_into_view(window, qtbot):
    from chinadialog_desktop.persistence.models import Actor

    with database(window).session() as s:
        s.add(Actor(name_de="Shenzhen", name_zh="深圳市", kind="city", country="CN"))
    window.resize(1280, 560)
    window.action_new.trigger()
    editor = window.pages["partnership"].editor
    qtbot.waitUntil(lambda: editor.verticalScrollBar().maximum() > 0)
    editor.verticalScrollBar().setValue(0)
    panel = window.findChild(QWidget, "partyPanel")
    panel.add_button.click()
    panel.picker.accept()  # Shenzhen, the only actor
    actor = panel.form.widgets["actor_id"]
    top = actor.mapTo(editor.viewport(), actor.rect().topLeft()).y()
    assert top >= 0
    assert top + actor.height() <= editor.viewport().height()
