"""The welcome screen on a new database: demo data or an empty start."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QAbstractButton, QDialog, QLabel, QPushButton
from sqlalchemy import func, select

from chinadialog_desktop.persistence.models import Actor, Partnership
from chinadialog_desktop.services.demo import read_demo
from chinadialog_desktop.ui.window.welcome import WelcomeDialog, needs_welcome


def _count(db, model) -> int:
    with db.session() as s:
        return s.scalar(select(func.count()).select_from(model))


def test_new_database_needs_the_welcome_and_a_filled_one_not(db):
    assert needs_welcome(db)
    with db.session() as s:
        s.add(Actor(name_de="Stadt Kiel"))
    assert not needs_welcome(db)


def test_load_demo_data(qtbot, db):
    dialog = WelcomeDialog(db)
    qtbot.addWidget(dialog)
    dialog.show()
    text = dialog.findChild(QLabel, "welcomeText").text()
    assert "partnerships" in text and "without an internet connection" in text
    qtbot.mouseClick(dialog.findChild(QPushButton, "loadDemoButton"), Qt.MouseButton.LeftButton)
    assert dialog.result() == QDialog.DialogCode.Accepted
    assert dialog.choice == "demo"
    expected = sum(1 for r in read_demo().records if r.model is Partnership)
    assert _count(db, Partnership) == expected > 0
    assert dialog.loaded.total_added > 0
    assert not needs_welcome(db)


def test_start_empty_changes_nothing(qtbot, db):
    dialog = WelcomeDialog(db)
    qtbot.addWidget(dialog)
    qtbot.mouseClick(dialog.findChild(QPushButton, "startEmptyButton"), Qt.MouseButton.LeftButton)
    assert dialog.result() == QDialog.DialogCode.Accepted
    assert dialog.choice == "empty"
    assert _count(db, Partnership) == 0 and needs_welcome(db)


def test_every_widget_is_named(qtbot, db):
    dialog = WelcomeDialog(db)
    qtbot.addWidget(dialog)
    for widget in [*dialog.findChildren(QAbstractButton), *dialog.findChildren(QLabel)]:
        assert widget.objectName(), widget
        assert widget.accessibleName(), widget.objectName()
