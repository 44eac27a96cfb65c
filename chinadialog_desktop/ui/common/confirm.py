"""Ask before deleting: one question dialog with a named, accessible box."""

from __future__ import annotations

from PySide6.QtWidgets import QMessageBox, QWidget

from chinadialog_desktop.i18n import _


def ask_delete(parent: QWidget | None, what: str) -> bool:
    """True when the user confirms deleting ``what`` (the delete can be undone anyway)."""
    box = QMessageBox(
        QMessageBox.Icon.Question,
        _("Delete?"),
        _("Delete “{what}”? You can bring it back with Edit → Undo (Ctrl+Z).").format(what=what),
        QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No,
        parent,
    )
    box.setObjectName("confirmDeleteBox")
    box.setAccessibleName(_("Confirm delete"))
    box.setDefaultButton(QMessageBox.StandardButton.No)
    yes = box.button(QMessageBox.StandardButton.Yes)
    yes.setText(_("Delete"))
    yes.setObjectName("confirmDeleteYes")
    box.button(QMessageBox.StandardButton.No).setText(_("Keep"))
    return box.exec() == QMessageBox.StandardButton.Yes
