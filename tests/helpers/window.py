"""Driving the real main window in tests: start it on a file, find a widget, type a line."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLineEdit


@contextmanager
def started_window(qtbot: Any, path: Path) -> Iterator[Any]:
    """The main window of ``ui.app.start(path)`` once its list is filled and the database
    has taken over (everything attached); closed afterwards."""
    from chinadialog_desktop.ui import app as ui_app

    session = ui_app.start(path)
    qtbot.addWidget(session.window)
    with qtbot.waitSignal(session.window.sig_list_filled, timeout=20000):
        pass
    qtbot.waitUntil(session.window.attached, timeout=20000)  # the database took over
    try:
        yield session.window
    finally:
        session.close()


@contextmanager
def demo_window_at_1024(qtbot: Any, path: Path) -> Iterator[Any]:
    """``started_window`` on a new file at ``path`` holding the demo data, sized as on a
    1024×768 screen (less the panel and the title bar) and shown."""
    from chinadialog_desktop.persistence.database import Database
    from chinadialog_desktop.services.demo import load_demo

    database = Database.open(path)
    with database.session() as s:
        load_demo(s)
    database.close()
    with started_window(qtbot, path) as window:
        window.resize(1024, 700)
        window.show()
        qtbot.waitExposed(window)
        yield window


def w(window: Any, cls: type, name: str) -> Any:
    """The child widget ``name`` of ``cls`` (the test fails when it is missing)."""
    widget = window.findChild(cls, name)
    assert widget is not None, name
    return widget


def type_line(qtbot: Any, window: Any, name: str, text: str) -> None:
    """Put ``text`` into a line edit as an input method leaves it (CJK too), then Return."""
    line = w(window, QLineEdit, name)
    line.setFocus()
    line.setText(text)
    qtbot.keyClick(line, Qt.Key.Key_Return)
