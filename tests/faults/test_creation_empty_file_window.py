"""Issue 11, point 11 in the window: a zero-byte file becomes a database only when asked."""

from __future__ import annotations

import pytest
from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication, QMessageBox
from sqlalchemy import text

from chinadialog_desktop.errors import DatabaseEmptyFile
from chinadialog_desktop.persistence import lifecycle
from chinadialog_desktop.ui.files.recent_files import open_asking


def _answer_when_asked(button: QMessageBox.StandardButton, asked: list[str]) -> None:
    def answer() -> None:
        for widget in QApplication.topLevelWidgets():
            if isinstance(widget, QMessageBox) and widget.objectName() == "confirmInitialiseEmpty":
                asked.append(widget.text())
                widget.button(button).click()
                return
        QTimer.singleShot(10, answer)  # the box is not up yet

    QTimer.singleShot(0, answer)


def test_no_leaves_the_empty_file_alone(qtbot, tmp_path):
    path = tmp_path / "leer.sqlite3"
    path.touch()
    asked: list[str] = []
    _answer_when_asked(QMessageBox.StandardButton.No, asked)
    with pytest.raises(DatabaseEmptyFile):
        open_asking(path, 10, None)
    assert asked and str(path) in asked[0] and "leer" in asked[0]
    assert path.stat().st_size == 0
    assert sorted(p.name for p in tmp_path.iterdir()) == ["leer.sqlite3"]


def test_yes_creates_the_database_in_it(qtbot, tmp_path):
    path = tmp_path / "leer.sqlite3"
    path.touch()
    asked: list[str] = []
    _answer_when_asked(QMessageBox.StandardButton.Yes, asked)
    database = open_asking(path, 10, None)
    try:
        assert asked
        with database.session() as session:
            assert session.execute(text("SELECT count(*) FROM partnership")).scalar() == 0
    finally:
        database.close()
    assert lifecycle.inspect_file(path).state is lifecycle.FileState.CURRENT
