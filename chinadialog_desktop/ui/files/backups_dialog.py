"""Backups of the open database: list them, make one now, restore one (after asking).

Wiring (File → Backups…)::

    dialog = BackupsDialog(database.path, parent, keep_backups=settings.get(BACKUPS_KEPT))
    dialog.sig_about_to_restore.connect(lambda path: window.close_database())
    dialog.sig_restored.connect(lambda path, saved: window.switch_to(path))
    dialog.exec()

Restoring replaces the file: the window must close its ``Database`` when
``sig_about_to_restore(db_path)`` fires (the signal is delivered before the
file is touched) and open the file again on ``sig_restored(db_path,
saved_backup)``. The current state is always backed up first
(``services.dbadmin.restore``), so a restore can itself be undone from
this list.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QEvent, Qt, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QMessageBox,
    QPushButton,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from chinadialog_desktop.errors import UserError
from chinadialog_desktop.i18n import _, format_number
from chinadialog_desktop.services import dbadmin, unit
from chinadialog_desktop.ui.common.confirm import question_box
from chinadialog_desktop.ui.common.screen_fit import resize_to_fit

PATH_ROLE = Qt.ItemDataRole.UserRole
REASON_ROLE = Qt.ItemDataRole.UserRole + 1


def _size(n: int) -> str:
    if n >= 1_000_000:
        return _("{n} MB").format(n=format_number(n / 1_000_000, 1))
    return _("{n} kB").format(n=format_number(max(1, round(n / 1000))))


class BackupsDialog(QDialog):
    sig_about_to_restore = Signal(object)  # Path of the database file
    sig_restored = Signal(object, object)  # database Path, Path of the backup of the old state

    def __init__(
        self,
        database_path: Path,
        parent: QWidget | None = None,
        keep_backups: int | None = None,
    ) -> None:
        super().__init__(parent)
        self.database_path = Path(database_path)
        self.keep_backups = unit.default_backups_kept() if keep_backups is None else keep_backups
        self.setObjectName("backupsDialog")
        resize_to_fit(self, 640, 400)

        self.intro = QLabel(self)
        self.intro.setObjectName("backupsIntro")
        self.intro.setWordWrap(True)
        self.list = QTreeWidget(self)
        self.list.setObjectName("backupsList")
        self.list.setColumnCount(3)
        self.list.setRootIsDecorated(False)
        self.list.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        # Date and size as wide as they need; the occasion takes the rest, so it reads whole.
        header = self.list.header()
        header.setStretchLastSection(False)
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(1, QHeaderView.ResizeMode.Stretch)
        header.setSectionResizeMode(2, QHeaderView.ResizeMode.ResizeToContents)
        self.list.itemSelectionChanged.connect(self._update_buttons)
        self.status = QLabel(self)
        self.status.setObjectName("backupsStatus")
        self.status.setWordWrap(True)

        self.backup_now = QPushButton(self)
        self.backup_now.setObjectName("backupNowButton")
        self.backup_now.clicked.connect(self.make_backup)
        self.restore_button = QPushButton(self)
        self.restore_button.setObjectName("restoreButton")
        self.restore_button.clicked.connect(self.restore_selected)
        self.close_button = QPushButton(self)
        self.close_button.setObjectName("backupsCloseButton")
        self.close_button.clicked.connect(self.accept)

        buttons = QHBoxLayout()
        buttons.addWidget(self.backup_now)
        buttons.addStretch(1)
        buttons.addWidget(self.restore_button)
        buttons.addWidget(self.close_button)
        layout = QVBoxLayout(self)
        layout.addWidget(self.intro)
        layout.addWidget(self.list, 1)
        layout.addWidget(self.status)
        layout.addLayout(buttons)

        self.retranslate_ui()
        self.refresh()

    def retranslate_ui(self) -> None:
        self.setWindowTitle(_("Backups"))
        self.setAccessibleName(_("Backups"))
        self.intro.setText(
            _(
                "Backups of {name} in {folder}. The newest {keep} are kept. Restoring "
                "replaces the current data; the current state is backed up first."
            ).format(
                name=self.database_path.name,
                folder=dbadmin.backups_folder(self.database_path),
                keep=self.keep_backups,
            )
        )
        self.intro.setAccessibleName(_("About backups"))
        self.list.setHeaderLabels([_("Made on"), _("Occasion"), _("Size")])
        self.list.setAccessibleName(_("Backups"))
        self.status.setAccessibleName(_("Status"))
        self.backup_now.setText(_("&Back up now"))
        self.backup_now.setAccessibleName(_("Back up now"))
        self.restore_button.setText(_("&Restore …"))
        self.restore_button.setAccessibleName(_("Restore the selected backup"))
        self.close_button.setText(_("Close"))
        self.close_button.setAccessibleName(_("Close"))
        self.refresh()

    def changeEvent(self, event: QEvent) -> None:  # noqa: N802
        if event.type() == QEvent.Type.LanguageChange:
            self.retranslate_ui()
        super().changeEvent(event)

    def refresh(self) -> None:
        self.list.clear()
        for info in dbadmin.list_backups(self.database_path):
            when = info.created.strftime("%d.%m.%Y %H:%M:%S")
            reason = dbadmin.backup_occasion(info.reason)
            item = QTreeWidgetItem([when, reason, _size(info.size)])
            item.setData(0, PATH_ROLE, str(info.path))
            item.setData(0, REASON_ROLE, info.reason)
            item.setToolTip(0, str(info.path))
            note = dbadmin.backup_note(info.reason)
            item.setToolTip(1, note or reason)
            self.list.addTopLevelItem(item)
        if self.list.topLevelItemCount() == 0:
            self.status.setText(_("There are no backups of this database yet."))
        self._update_buttons()

    def _update_buttons(self) -> None:
        self.restore_button.setEnabled(self.selected() is not None)
        items = self.list.selectedItems()
        note = dbadmin.backup_note(str(items[0].data(0, REASON_ROLE))) if items else ""
        if note:  # a kept copy says what it is for before anyone restores it
            self.status.setText(note)
        elif self.status.text() == getattr(self, "_note", None):
            self.status.clear()
        self._note = note

    def selected(self) -> Path | None:
        items = self.list.selectedItems()
        return Path(items[0].data(0, PATH_ROLE)) if items else None

    def make_backup(self) -> Path | None:
        try:
            made = dbadmin.make_backup(self.database_path, "manual", keep=self.keep_backups)
        except (OSError, UserError) as exc:
            self.status.setText(_("The backup failed: {reason}").format(reason=exc))
            return None
        self.refresh()
        self.status.setText(_("Backup made: {path}").format(path=made.name))
        return made

    def confirm(self, chosen: Path) -> bool:
        box, _yes = question_box(
            self,
            name="confirmRestore",
            title=_("Restore backup?"),
            text=_(
                "Replace the data in {name} with the backup {backup}? The current state "
                "is backed up first, so you can go back to it from this list."
            ).format(name=self.database_path.name, backup=chosen.name),
            accessible=_("Confirm restore"),
            accept=_("Restore"),
            refuse=_("Cancel"),
            icon=QMessageBox.Icon.Warning,
        )
        return box.exec() == QMessageBox.StandardButton.Yes

    def restore_selected(self) -> bool:
        """Ask, then restore the selected backup; True when it was restored."""
        chosen = self.selected()
        if chosen is None or not self.confirm(chosen):
            return False
        self.sig_about_to_restore.emit(self.database_path)
        try:
            saved = dbadmin.restore(chosen, self.database_path, self.keep_backups)
        except (OSError, UserError) as exc:
            self.status.setText(_("Restoring failed: {reason}").format(reason=exc))
            self.sig_restored.emit(self.database_path, None)  # reopen what is there
            return False
        self.refresh()
        self.status.setText(
            _("Restored from {backup}. The previous state was saved as {saved}.").format(
                backup=chosen.name, saved=saved.name
            )
        )
        self.sig_restored.emit(self.database_path, saved)
        return True
