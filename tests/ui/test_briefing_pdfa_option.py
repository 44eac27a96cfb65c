"""The preview's "Archive format" choice (issue 18, point 2): the window lays out, shows and
saves the PDF/A through the same service as ``briefing --pdfa``, on a real window offscreen."""

from __future__ import annotations

import pytest
from helpers.db import copy_database_file
from helpers.pdfa_rules import violations
from PySide6.QtGui import QAction
from PySide6.QtWidgets import QComboBox
from sqlalchemy import select

from chinadialog_desktop.i18n import language, set_language
from chinadialog_desktop.persistence.models import BriefingExport
from chinadialog_desktop.ui import app as ui_app
from chinadialog_desktop.ui.briefing import actions as briefing_actions
from chinadialog_desktop.ui.briefing.options import describe


@pytest.fixture
def preview(tmp_path, qtbot, demo_template):
    """The preview of the first demo dossier, laid out once."""
    path = tmp_path / "demo.sqlite3"
    copy_database_file(demo_template, path)  # the demo data, as after load_demo
    session = ui_app.start(path)
    qtbot.addWidget(session.window)
    with qtbot.waitSignal(session.window.sig_list_filled, timeout=20000):
        pass
    qtbot.waitUntil(session.window.attached, timeout=20000)  # the database took over
    briefing_actions.install(session.window)
    page = session.window.show_page("dossier")
    page.select_id(page.model.record_id(0))
    session.window.findChild(QAction, "actionBriefingPreview").trigger()
    dialog = session.window.briefing_actions.previews[-1]
    with qtbot.waitSignal(dialog.sig_built, timeout=60000):
        pass
    yield session, dialog
    session.close()


def test_the_archive_choice_lays_out_and_saves_a_pdfa(preview, qtbot, tmp_path):
    session, dialog = preview
    archive = dialog.findChild(QComboBox, "briefingArchive")
    assert archive.currentData() == 0 and "6.2.3" in " ".join(violations(dialog.data))
    with qtbot.waitSignal(dialog.sig_built, timeout=60000):
        archive.setCurrentIndex(archive.findData(2))
    assert dialog.options.pdfa == 2
    assert violations(dialog.data, 2) == []
    written = dialog.save_to(tmp_path / "e-akte")
    assert written.read_bytes() == dialog.data
    with session.database.sessions() as s:
        (row,) = s.scalars(select(BriefingExport)).all()
        assert row.options["pdfa"] == 2
        assert "PDF/A-2b" in describe(row.options)
    with qtbot.waitSignal(dialog.sig_built, timeout=60000):
        archive.setCurrentIndex(archive.findData(3))
    assert violations(dialog.data, 3) == []


def test_the_choices_are_named_in_german():
    from chinadialog_desktop.i18n import _
    from chinadialog_desktop.ui.briefing.options import ARCHIVE_FORMATS

    before = language()
    set_language("de")
    try:
        names = [_(text) for _value, text in ARCHIVE_FORMATS]
    finally:
        set_language(before)
    assert names[0] == "Normales PDF"
    assert "e-Akte" in names[1] and "Dateien" in names[2]
