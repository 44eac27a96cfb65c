"""The mouse wheel over an editor's tab bar scrolls the editor, it does not switch tabs."""

from __future__ import annotations

import pytest
from helpers.db import copy_database_file
from PySide6.QtCore import QPoint, QPointF, Qt
from PySide6.QtGui import QWheelEvent
from PySide6.QtWidgets import QApplication, QTabWidget

from chinadialog_desktop.ui import app as ui_app


@pytest.fixture
def window(qtbot, tmp_path, demo_template):
    path = tmp_path / "demo.sqlite3"
    copy_database_file(demo_template, path)  # the demo data, as after load_demo
    session = ui_app.start(path)
    qtbot.addWidget(session.window)
    with qtbot.waitSignal(session.window.sig_list_filled, timeout=20000):
        pass
    qtbot.waitUntil(session.window.attached, timeout=20000)  # the database took over
    session.window.resize(1008, 560)  # a low window: the editors scroll
    yield session.window
    session.close()


def _wheel(widget, steps: int = -1) -> None:
    """One notch of the wheel (down for negative ``steps``) over the middle of ``widget``."""
    centre = QPointF(widget.rect().center())
    event = QWheelEvent(
        centre,
        QPointF(widget.mapToGlobal(centre.toPoint())),
        QPoint(0, 0),
        QPoint(0, 120 * steps),
        Qt.MouseButton.NoButton,
        Qt.KeyboardModifier.NoModifier,
        Qt.ScrollPhase.NoScrollPhase,
        False,
    )
    QApplication.sendEvent(widget, event)


@pytest.mark.parametrize(("kind", "tabs_name"), [("dossier", "dossierMainTabs")])
def test_the_wheel_over_the_tabs_scrolls_the_editor(qtbot, window, kind, tabs_name):
    page = window.show_page(kind)
    page.select_id(page.model.record_id(0))
    editor = page.editor
    tabs = editor.findChild(QTabWidget, tabs_name)
    bar = tabs.tabBar()
    scroll = editor.verticalScrollBar()
    qtbot.waitUntil(lambda: scroll.maximum() > 0)
    page.table.setFocus()  # the user is reading the list and scrolls over the editor
    assert not bar.hasFocus()
    tabs.setCurrentIndex(0)
    scroll.setValue(0)
    _wheel(bar, -1)
    _wheel(bar, -1)
    assert tabs.currentIndex() == 0  # no tab switched under the pointer
    assert scroll.value() > 0  # the editor scrolled instead
    _wheel(bar, +1)
    _wheel(bar, +1)
    assert tabs.currentIndex() == 0
    # With the keyboard focus on the tab bar the wheel still moves between tabs.
    bar.setFocus()
    qtbot.waitUntil(bar.hasFocus)
    _wheel(bar, -1)
    assert tabs.currentIndex() == 1


def test_the_wheel_over_the_partnership_tab_buttons_scrolls_the_editor(qtbot, window):
    """The partnership editor shows its tabs as wrapping buttons (no tab bar to wheel)."""
    from PySide6.QtWidgets import QToolButton

    page = window.show_page("partnership")
    page.select_id(page.model.record_id(0))
    editor = page.editor
    tabs = editor.findChild(QTabWidget, "partnershipTabs")
    buttons = editor.findChildren(QToolButton)
    button = next(b for b in buttons if b.objectName() == "partnershipTabsButton1")
    scroll = editor.verticalScrollBar()
    qtbot.waitUntil(lambda: scroll.maximum() > 0)
    tabs.setCurrentIndex(0)
    scroll.setValue(0)
    _wheel(button, -1)
    _wheel(button, -1)
    assert tabs.currentIndex() == 0  # no tab switched under the pointer
    assert scroll.value() > 0  # the editor scrolled instead
