"""The backups dialog: list, back up now, and restore after confirming."""

from __future__ import annotations

import pytest
from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication, QLabel, QMessageBox, QPushButton, QTreeWidget
from sqlalchemy import select

from chinadialog_desktop.persistence import backup
from chinadialog_desktop.persistence.database import Database
from chinadialog_desktop.persistence.models import Actor
from chinadialog_desktop.ui.files.backups_dialog import BackupsDialog


def _names(path) -> list[str]:
    db = Database.open(path)
    try:
        with db.session() as s:
            return sorted(s.scalars(select(Actor.name_de)))
    finally:
        db.close()


def _answer(button_name: str) -> None:
    """Click ``button_name`` in the confirmation box as soon as it is shown."""

    def click() -> None:
        box = QApplication.activeModalWidget()
        if not isinstance(box, QMessageBox):
            QTimer.singleShot(10, click)
            return
        assert box.objectName() == "confirmRestoreBox"
        box.findChild(QPushButton, button_name).click()

    QTimer.singleShot(0, click)


@pytest.fixture
def two_states(tmp_path):
    """A database whose backup holds "Kiel" and whose current state also holds "Qingdao"."""
    path = tmp_path / "projekt.sqlite3"
    db = Database.open(path)
    with db.session() as s:
        s.add(Actor(name_de="Kiel"))
    db.close()
    backup.make_backup(path, "manual")
    db = Database.open(path)
    with db.session() as s:
        s.add(Actor(name_de="Qingdao"))
    db.close()
    return path


def test_lists_backups_and_backs_up_now(qtbot, two_states):
    dialog = BackupsDialog(two_states)
    qtbot.addWidget(dialog)
    tree = dialog.findChild(QTreeWidget, "backupsList")
    assert tree.topLevelItemCount() == 1
    assert tree.topLevelItem(0).text(1) == "Made by hand"
    assert not dialog.findChild(QPushButton, "restoreButton").isEnabled()
    dialog.findChild(QPushButton, "backupNowButton").click()
    assert tree.topLevelItemCount() == 2
    assert "Backup made" in dialog.findChild(QLabel, "backupsStatus").text()


def test_restore_asks_backs_up_the_current_state_and_restores(qtbot, two_states):
    dialog = BackupsDialog(two_states, keep_backups=5)
    qtbot.addWidget(dialog)
    tree = dialog.findChild(QTreeWidget, "backupsList")
    tree.setCurrentItem(tree.topLevelItem(0))
    restore = dialog.findChild(QPushButton, "restoreButton")
    assert restore.isEnabled()

    _answer("confirmRestoreNo")
    restore.click()
    assert _names(two_states) == ["Kiel", "Qingdao"]  # cancelled: nothing changed

    events = []
    dialog.sig_about_to_restore.connect(lambda p: events.append(("before", p)))
    dialog.sig_restored.connect(lambda p, saved: events.append(("after", p, saved)))
    tree.setCurrentItem(tree.topLevelItem(0))
    _answer("confirmRestoreYes")
    restore.click()
    assert _names(two_states) == ["Kiel"]
    assert events[0] == ("before", two_states)
    saved = events[1][2]
    assert events[1][:2] == ("after", two_states) and saved.exists()
    assert _names(saved) == ["Kiel", "Qingdao"]  # the previous state can be restored again
    reasons = [tree.topLevelItem(i).text(1) for i in range(tree.topLevelItemCount())]
    assert "Before a restore" in reasons
    assert "Restored from" in dialog.findChild(QLabel, "backupsStatus").text()


def test_no_backups_yet(qtbot, tmp_path):
    path = tmp_path / "neu.sqlite3"
    Database.open(path).close()
    dialog = BackupsDialog(path)
    qtbot.addWidget(dialog)
    assert dialog.findChild(QTreeWidget, "backupsList").topLevelItemCount() == 0
    assert "no backups" in dialog.findChild(QLabel, "backupsStatus").text()
    assert dialog.restore_selected() is False
    for button in dialog.findChildren(QPushButton):
        assert button.objectName() and button.accessibleName()


def test_every_occasion_is_told_in_words_with_what_a_kept_copy_is_for(qtbot, tmp_path, german):
    """Backups left by an interrupted update or a damaged file are named in German and say
    what they are for; the words come from where the reasons are defined."""
    path = tmp_path / "projekt.sqlite3"
    db = Database.open(path)
    with db.session() as s:
        s.add(Actor(name_de="Kiel"))
    db.close()
    for reason in backup.REASONS:  # every occasion the program knows
        backup.make_backup(path, reason, keep=50)
    dialog = BackupsDialog(path)
    qtbot.addWidget(dialog)
    tree = dialog.findChild(QTreeWidget, "backupsList")
    assert tree.topLevelItemCount() == len(backup.REASONS)
    shown = {tree.topLevelItem(i).text(1) for i in range(tree.topLevelItemCount())}
    assert "Halb aktualisierte Datei, automatisch ersetzt" in shown
    assert "Beschädigte Datei, durch Wiederherstellung ersetzt" in shown
    for code in backup.REASONS:
        assert code not in shown and code.title() not in shown
    damaged = next(
        tree.topLevelItem(i)
        for i in range(tree.topLevelItemCount())
        if tree.topLevelItem(i).text(1).startswith("Beschädigte")
    )
    assert "gerettet" in damaged.toolTip(1)
    tree.setCurrentItem(damaged)
    status = dialog.findChild(QLabel, "backupsStatus")
    assert status.text() == damaged.toolTip(1)
    # A reason without words cannot be used for a backup at all.
    with pytest.raises(ValueError):
        backup.backup_name(path, "sonstwas")
