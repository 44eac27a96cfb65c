"""The window's briefing exports are tagged PDFs (PDF/UA-1), through the same service."""

from __future__ import annotations

import pytest
from helpers.db import copy_database_file
from helpers.pdf_ua_rules import ua_problems
from PySide6.QtGui import QAction
from PySide6.QtWidgets import QCheckBox

from chinadialog_desktop.ui import app as ui_app
from chinadialog_desktop.ui.briefing import actions as briefing_actions


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
    session.close()


def _select_first_dossier(window) -> None:
    page = window.show_page("dossier")
    page.select_id(page.model.record_id(0))


def test_the_public_version_saved_from_the_preview_is_tagged(demo_window, qtbot, tmp_path):
    window = demo_window.window
    _select_first_dossier(window)
    window.findChild(QAction, "actionBriefingPreview").trigger()
    dialog = window.briefing_actions.previews[-1]
    with qtbot.waitSignal(dialog.sig_built, timeout=60000):
        pass
    with qtbot.waitSignal(dialog.sig_built, timeout=60000):
        dialog.findChild(QCheckBox, "briefingPublic").setChecked(True)
    with qtbot.waitSignal(dialog.sig_recorded):
        written = dialog.save_to(tmp_path / "öffentlich #1" / "vorlage")
    assert written is not None
    assert ua_problems(written.read_bytes()) == []


def test_the_export_from_the_file_menu_is_tagged(demo_window, qtbot, tmp_path):
    window = demo_window.window
    _select_first_dossier(window)
    target = tmp_path / "out" / "vorlage.pdf"
    exporter = window.export_briefing(path=target)
    assert exporter is not None
    with qtbot.waitSignal(exporter.sig_finished, timeout=60000):
        pass
    assert ua_problems(target.read_bytes()) == []
