"""File → "Mit Teamserver verbinden …": host, port, database, user, TLS mode, password.

Wiring (file_actions)::

    dialog = TeamServerDialog(parent)
    if dialog.exec() == QDialog.DialogCode.Accepted:
        switch_to(window, dialog.address)        # postgresql://user@host:port/db?sslmode=…

A password typed here goes into the operating system's keyring (through
``services.team``), never into the settings or the recent-files list; left
empty, the keyring, ``PGPASSWORD`` or ``~/.pgpass`` are used as for ``--db``.
A field the address cannot be built from is named in one sentence in the
dialog, which stays open. The fields of the last connection asked for (host,
port, database, user, TLS mode — never the password) are kept in the
preferences (``LAST_TEAM_SERVER``) and filled in the next time.
"""

from __future__ import annotations

import contextlib
from typing import Any

from PySide6.QtCore import QSize
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QSpinBox,
    QStyle,
    QStyleOptionFrame,
    QVBoxLayout,
    QWidget,
)

from chinadialog_desktop.errors import UserError
from chinadialog_desktop.i18n import N_, _
from chinadialog_desktop.services import team

# The TLS modes offered, safest first (libpq's sslmode values; verify-full is the default).
TLS_MODES = (
    ("verify-full", N_("Verify certificate and server name (recommended)")),
    ("verify-ca", N_("Verify certificate only")),
    ("require", N_("Encrypt, without verifying the certificate")),
    ("prefer", N_("Encrypt if the server offers it")),
    ("disable", N_("No encryption (only inside a protected network)")),
)


class TeamServerDialog(QDialog):
    def __init__(self, parent: QWidget | None = None, preferences: Any = None) -> None:
        super().__init__(parent)
        if preferences is None:
            preferences = getattr(parent, "preferences", None)
        if preferences is None:
            from chinadialog_desktop.ui.preferences.settings import Settings

            preferences = Settings(parent=self)
        self.preferences = preferences
        self.setObjectName("teamServerDialog")
        self.setWindowTitle(_("Connect to team server"))
        self.address = ""
        form = QFormLayout()
        self.host = QLineEdit(self)
        self.host.setObjectName("teamHost")
        self.host.setPlaceholderText(_("e.g. db.stadt.example"))
        self.port = QSpinBox(self)
        self.port.setObjectName("teamPort")
        self.port.setRange(1, 65535)
        self.port.setValue(team.DEFAULT_PORT)
        self.database = QLineEdit("chinadialog", self)
        self.database.setObjectName("teamDatabase")
        self.user = QLineEdit(self)
        self.user.setObjectName("teamUser")
        self.tls = QComboBox(self)
        self.tls.setObjectName("teamTlsMode")
        for mode, text in TLS_MODES:
            self.tls.addItem(_(text), mode)
        self.password = QLineEdit(self)
        self.password.setObjectName("teamPassword")
        self.password.setEchoMode(QLineEdit.EchoMode.Password)
        self.password.setPlaceholderText(
            _("kept in the keyring; empty: as stored before")
            if team.keyring_available()
            else _("no keyring on this system: PGPASSWORD or ~/.pgpass")
        )
        self.password.setEnabled(team.keyring_available())
        fit_placeholder(self.password)
        for text, widget in (
            (N_("&Server:"), self.host),
            (N_("&Port:"), self.port),
            (N_("&Database:"), self.database),
            (N_("&User:"), self.user),
            (N_("&Encryption:"), self.tls),
            (N_("Pass&word:"), self.password),
        ):
            label = QLabel(_(text), self)
            label.setBuddy(widget)
            form.addRow(label, widget)
        self.problem = QLabel(self)
        self.problem.setObjectName("teamProblem")
        self.problem.setWordWrap(True)
        self.problem.hide()
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel, self
        )
        buttons.button(QDialogButtonBox.StandardButton.Ok).setText(_("Connect"))
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(self.problem)
        layout.addWidget(buttons)
        self._fill_last()

    def _fill_last(self) -> None:
        from chinadialog_desktop.ui.preferences.settings import LAST_TEAM_SERVER

        last = self.preferences.get(LAST_TEAM_SERVER)
        if not last:
            return
        # An address edited by hand into something unusable: start empty.
        with contextlib.suppress(UserError):
            self.fill(*team.address_fields(last))

    def fill(self, host: str, port: int, database: str, user: str, sslmode: str) -> None:
        """Put a connection into the fields (a recent server, a test)."""
        self.host.setText(host)
        self.port.setValue(port)
        self.database.setText(database)
        self.user.setText(user)
        index = self.tls.findData(sslmode)
        self.tls.setCurrentIndex(max(index, 0))

    def accept(self) -> None:
        try:
            address = team.server_address(
                self.host.text(),
                self.port.value(),
                self.database.text(),
                self.user.text(),
                str(self.tls.currentData()),
            )
            if self.password.text():
                team.remember_password(address, self.password.text())
        except UserError as exc:
            self.problem.setText(str(exc))
            self.problem.show()
            return
        finally:
            self.password.clear()  # never kept in the widget longer than needed
        self.address = address
        from chinadialog_desktop.ui.preferences.settings import LAST_TEAM_SERVER

        self.preferences.set(LAST_TEAM_SERVER, address)  # the address holds no password
        super().accept()


def fit_placeholder(edit: QLineEdit) -> None:
    """Make ``edit`` at least wide enough to show its whole placeholder text."""
    option = QStyleOptionFrame()
    edit.initStyleOption(option)
    margins = edit.textMargins()
    text = edit.fontMetrics().horizontalAdvance(edit.placeholderText())
    # QLineEdit keeps 2 pixels free on either side of its text.
    inner = QSize(text + 4 + margins.left() + margins.right(), edit.fontMetrics().height())
    size = edit.style().sizeFromContents(QStyle.ContentsType.CT_LineEdit, option, inner, edit)
    edit.setMinimumWidth(size.width())
