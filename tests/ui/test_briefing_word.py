"""The Word briefing from the window: File → Export as Word, the preview's button, the template."""

from __future__ import annotations

import io

import docx
import pytest
from helpers.db import copy_database_file
from PySide6.QtCore import Qt
from PySide6.QtGui import QAction
from PySide6.QtWidgets import QCheckBox, QFileDialog, QLineEdit, QPushButton
from sqlalchemy import select

from chinadialog_desktop.persistence.models import BriefingExport
from chinadialog_desktop.ui import app as ui_app
from chinadialog_desktop.ui.briefing import actions as briefing_actions
from chinadialog_desktop.ui.preferences.dialog import SettingsDialog
from chinadialog_desktop.ui.preferences.settings import DOCX_TEMPLATE, Settings

LETTERHEAD = "Stadtverwaltung Musterstadt – Der Oberbürgermeister (Beispiel)"


@pytest.fixture
def demo_window(tmp_path, qtbot, demo_template):
    path = tmp_path / "demo.sqlite3"
    copy_database_file(demo_template, path)  # the demo data, as after load_demo
    session = ui_app.start(path)
    qtbot.addWidget(session.window)
    with qtbot.waitSignal(session.window.sig_list_filled, timeout=20000):
        pass
    qtbot.waitUntil(session.window.attached, timeout=20000)  # the database took over
    briefing_actions.install(session.window)
    yield session
    session.window.preferences.set(DOCX_TEMPLATE, "")
    session.close()


def _select_first_dossier(window) -> None:
    page = window.show_page("dossier")
    page.select_id(page.model.record_id(0))


def _exports(session) -> list[BriefingExport]:
    with session.database.sessions() as s:
        rows = list(s.scalars(select(BriefingExport).order_by(BriefingExport.id)))
        s.expunge_all()
    return rows


def _template(folder):
    document = docx.Document()
    document.add_paragraph(LETTERHEAD)
    path = folder / "Vorlage Musterstadt (Beispiel).docx"
    document.save(path)
    return path


def test_file_menu_exports_a_word_document_into_the_template_and_records_it(
    demo_window, qtbot, tmp_path
):
    window = demo_window.window
    action = window.findChild(QAction, "actionExportBriefingWord")
    assert action is not None and "Word" in action.text()
    assert window.export_briefing_word() is None  # no dossier shown: says what to do
    assert window.message_bar.isVisibleTo(window)
    window.preferences.set(DOCX_TEMPLATE, str(_template(tmp_path)))
    _select_first_dossier(window)
    target = tmp_path / "out #1" / "Vorlage 北京"  # no extension: .docx is added
    exporter = window.export_briefing_word(path=target)
    assert exporter is not None
    with qtbot.waitSignal(exporter.sig_finished, timeout=60000) as finished:
        pass
    written = target.with_suffix(".docx")
    assert finished.args == [written]
    document = docx.Document(written)
    assert document.paragraphs[0].text == LETTERHEAD
    assert any(p.style.name == "Heading 1" for p in document.paragraphs)
    (export,) = _exports(demo_window)
    assert export.file_name == "Vorlage 北京.docx" and export.options["format"] == "docx"


def test_a_missing_template_is_named_and_nothing_is_written(demo_window, tmp_path):
    window = demo_window.window
    window.preferences.set(DOCX_TEMPLATE, str(tmp_path / "weg.docx"))
    _select_first_dossier(window)
    assert window.export_briefing_word(path=tmp_path / "a.docx") is None
    assert "weg.docx" in window.message_bar.label.text()
    assert not (tmp_path / "a.docx").exists() and _exports(demo_window) == []


def test_preview_saves_the_version_shown_as_word(demo_window, qtbot, tmp_path):
    window = demo_window.window
    _select_first_dossier(window)
    window.findChild(QAction, "actionBriefingPreview").trigger()
    dialog = window.briefing_actions.previews[-1]
    with qtbot.waitSignal(dialog.sig_built, timeout=60000):
        pass
    button = dialog.findChild(QPushButton, "briefingSaveWord")
    assert button.isEnabled() and button.accessibleName()
    with qtbot.waitSignal(dialog.sig_built, timeout=60000):
        dialog.findChild(QCheckBox, "briefingPublic").setChecked(True)
    with qtbot.waitSignal(dialog.sig_word_saved, timeout=60000) as saved:
        assert dialog.save_word_to(tmp_path / "oeffentlich") == tmp_path / "oeffentlich.docx"
    assert saved.args == [tmp_path / "oeffentlich.docx"]
    document = docx.Document(io.BytesIO(saved.args[0].read_bytes()))
    text = "\n".join(p.text for p in document.paragraphs)
    assert "Public version" in text  # the public version, as the pages shown
    (export,) = _exports(demo_window)
    assert export.options["public"] is True and export.options["format"] == "docx"
    assert export.page_count == 0
    window.findChild(QAction, "actionCompareExports").trigger()
    compare = window.briefing_actions.comparisons[-1]
    assert compare.model.index(0, 2).data().endswith(", Word")
    assert compare.model.index(0, 3).data() == "–"  # Word lays out its own pages


def test_settings_dialog_keeps_the_word_template(qtbot, tmp_path, monkeypatch):
    from PySide6.QtCore import QSettings

    settings = Settings(QSettings(str(tmp_path / "settings.ini"), QSettings.Format.IniFormat))
    dialog = SettingsDialog(settings)
    qtbot.addWidget(dialog)
    chosen = str(tmp_path / "Briefkopf.dotx")
    monkeypatch.setattr(QFileDialog, "getOpenFileName", lambda *a, **k: (chosen, ""))
    dialog.findChild(QPushButton, "docxTemplateChoose").click()
    edit = dialog.findChild(QLineEdit, "docxTemplateEdit")
    assert edit.text() == chosen and edit.accessibleName()
    qtbot.mouseClick(dialog.findChild(QPushButton, "settingsOk"), Qt.MouseButton.LeftButton)
    assert settings.get(DOCX_TEMPLATE) == chosen
    dialog = SettingsDialog(settings)
    qtbot.addWidget(dialog)
    assert dialog.findChild(QLineEdit, "docxTemplateEdit").text() == chosen
    dialog.findChild(QPushButton, "settingsDefaults").click()
    assert dialog.findChild(QLineEdit, "docxTemplateEdit").text() == ""
