"""What the start leaves for after its first frame (the File menu's commands, Help →
Handbook, the first-steps panel, the toolbar buttons' names) is there once the list
is, once each; a window made any other way has it at once."""

from __future__ import annotations

from helpers.window import started_window
from PySide6.QtGui import QAction
from PySide6.QtWidgets import QToolButton

from chinadialog_desktop.ui.window.main_window import MainWindow

REST_ACTIONS = ("actionOpenDatabase", "actionNewDatabase", "actionHandbook", "actionFirstSteps")


def _names(window: MainWindow) -> list[str]:
    return [a.objectName() for a in window.findChildren(QAction) if a.objectName()]


def test_the_start_builds_the_rest_after_its_first_frame_once(qtbot, tmp_path):
    with started_window(qtbot, tmp_path / "rest #ä 余下.sqlite3") as window:
        names = _names(window)
        for name in REST_ACTIONS:
            assert names.count(name) == 1, name
        assert window.first_steps is not None and window.handbook is not None
        file_menu = [a.objectName() for a in window.file_menu.actions()]
        # New and Open above Quit, as before.
        assert file_menu.index("actionOpenDatabase") < file_menu.index("actionQuit")
        buttons = {b.objectName(): b.accessibleName() for b in window.findChildren(QToolButton)}
        assert buttons.get("toolButtonNew") and buttons.get("toolButtonFind")
        window.build_rest()  # a second call adds nothing
        assert _names(window) == names


def test_a_window_made_directly_has_everything_at_once(qtbot, tmp_path):
    window = MainWindow(tmp_path / "direct.sqlite3")
    qtbot.addWidget(window)
    names = _names(window)
    for name in REST_ACTIONS:
        assert names.count(name) == 1, name
    later = MainWindow(tmp_path / "later.sqlite3", rest_after_first_paint=True)
    qtbot.addWidget(later)
    assert "actionOpenDatabase" not in _names(later)
    later.build_rest()
    assert sorted(_names(later)) == sorted(names)
