"""Editor panes start at the top for a new record or question (issue 15, point 9)."""

from __future__ import annotations

from datetime import date

import pytest
from helpers.db import copy_database_file
from PySide6.QtWidgets import QPushButton, QScrollArea

from chinadialog_desktop.ui import app as ui_app
from chinadialog_desktop.ui.assessment.view import AssessmentView


@pytest.fixture
def window(qtbot, tmp_path, demo_template):
    path = tmp_path / "demo.sqlite3"
    copy_database_file(demo_template, path)  # the demo data, as after load_demo
    session = ui_app.start(path)
    qtbot.addWidget(session.window)
    with qtbot.waitSignal(session.window.sig_list_filled, timeout=20000):
        pass
    qtbot.waitUntil(session.window.attached, timeout=20000)  # the database took over
    session.window.resize(1024, 560)  # a low window: the editors scroll
    yield session.window
    session.close()


@pytest.mark.parametrize("kind", ["partnership", "actor", "dossier"])
def test_another_record_is_shown_from_its_top(qtbot, window, kind):
    page = window.show_page(kind)
    page.select_id(page.model.record_id(0))
    editor = page.editor
    bar = editor.verticalScrollBar()
    qtbot.waitUntil(lambda: bar.maximum() > 0)
    bar.setValue(bar.maximum())
    page.select_id(page.model.record_id(1))
    assert editor.record_id == page.model.record_id(1)
    assert bar.value() == 0


def test_another_question_is_shown_from_its_top(qtbot, window):
    page = window.show_page("partnership")
    page.select_id(page.model.record_id(0))
    view = AssessmentView(
        window.workspace.database, window, today=date(2026, 12, 1), partnership_id=page.current_id()
    )
    qtbot.addWidget(view)
    view.resize(900, 420)
    view.show()
    if view.install_button.isVisible():
        view.install_button.click()
    view.findChild(QPushButton, "startAssessmentButton").click()
    scroll = view.findChild(QScrollArea, "answerEditorScroll")
    bar = scroll.verticalScrollBar()
    qtbot.waitUntil(lambda: bar.maximum() > 0)
    bar.setValue(bar.maximum())
    ids = view.model.item_ids()
    view.tree.setCurrentIndex(view.model.index_of(ids[3]))
    assert view.current_item_id() == ids[3]
    assert bar.value() == 0
