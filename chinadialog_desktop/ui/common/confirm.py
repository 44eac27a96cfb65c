"""Questions before a step that changes data: one named, accessible box each."""

from __future__ import annotations

from PySide6.QtWidgets import QAbstractButton, QMessageBox, QWidget

from chinadialog_desktop.i18n import _


def question_box(
    parent: QWidget | None,
    *,
    name: str,
    title: str,
    text: str,
    accessible: str,
    accept: str,
    refuse: str,
    icon: QMessageBox.Icon = QMessageBox.Icon.Question,
) -> tuple[QMessageBox, QAbstractButton]:
    """A yes/no question whose safe answer (``refuse``) is the default.

    The box is ``{name}Box``, its buttons ``{name}Yes`` and ``{name}No`` (for tests and
    assistive tools). Returns the box and its accepting button; the caller runs it
    (``exec`` for an answer now, ``open`` with ``finished`` for one later).
    """
    box = QMessageBox(
        icon, title, text, QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No, parent
    )
    box.setObjectName(f"{name}Box")
    box.setAccessibleName(accessible)
    box.setDefaultButton(QMessageBox.StandardButton.No)
    yes = box.button(QMessageBox.StandardButton.Yes)
    yes.setText(accept)
    yes.setObjectName(f"{name}Yes")
    no = box.button(QMessageBox.StandardButton.No)
    no.setText(refuse)
    no.setObjectName(f"{name}No")
    return box, yes


def ask_delete(parent: QWidget | None, what: str) -> bool:
    """True when the user confirms deleting ``what`` (the delete can be undone anyway)."""
    box, _yes = question_box(
        parent,
        name="confirmDelete",
        title=_("Delete?"),
        text=_("Delete “{what}”? You can bring it back with Edit → Undo (Ctrl+Z).").format(
            what=what
        ),
        accessible=_("Confirm delete"),
        accept=_("Delete"),
        refuse=_("Keep"),
    )
    return box.exec() == QMessageBox.StandardButton.Yes
