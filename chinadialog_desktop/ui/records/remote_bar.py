"""A bar at the top of an editor: another official changed this record on the team server."""

from __future__ import annotations

from datetime import datetime

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QFrame, QHBoxLayout, QLabel, QPushButton, QWidget

from chinadialog_desktop.i18n import _


def clock_time(when: datetime) -> str:
    """``14:05``: the time of day as both languages write it in a sentence."""
    return when.strftime("%H:%M")


class RemoteChangeBar(QFrame):
    """Hidden until another client saves the record shown; ``sig_reload`` on "Reload"."""

    sig_reload = Signal()

    def __init__(self, prefix: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName(f"{prefix}RemoteChange")
        self.setFrameShape(QFrame.Shape.StyledPanel)
        self.setStyleSheet(
            f"#{prefix}RemoteChange {{ background: #e7f1fb; border: 1px solid #5b9bd5;"
            " border-radius: 4px; }"
            f" #{prefix}RemoteChange QLabel {{ color: #10304f; }}"
        )
        layout = QHBoxLayout(self)
        layout.setContentsMargins(8, 4, 4, 4)
        self.label = QLabel(self)
        self.label.setObjectName(f"{prefix}RemoteChangeText")
        self.label.setWordWrap(True)
        layout.addWidget(self.label, 1)
        self.reload_button = QPushButton(_("Reload"), self)
        self.reload_button.setObjectName(f"{prefix}RemoteChangeReload")
        self.reload_button.setAccessibleName(_("Show the record as it is stored now (F5)"))
        # A click must not take the focus: leaving the field being typed in would save it
        # against the old version (a conflict) before the reload could keep it.
        self.reload_button.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.reload_button.clicked.connect(self.sig_reload.emit)
        layout.addWidget(self.reload_button)
        self.deleted = False
        self.hide()

    def show_change(self, user: str, when: datetime, *, deleted: bool = False) -> None:
        """Say who changed (or deleted) the record and when; what is typed is kept on reload."""
        who = user or _("another user")
        if deleted:
            text = _("Deleted by {user} at {time}; what you see here is no longer stored.").format(
                user=who, time=clock_time(when)
            )
        else:
            text = _(
                "Changed by {user} at {time}. Reload shows the change; what you have typed "
                "and not yet saved stays in its field."
            ).format(user=who, time=clock_time(when))
        self.deleted = deleted
        self.label.setText(text)
        self.setAccessibleName(text)
        self.show()
