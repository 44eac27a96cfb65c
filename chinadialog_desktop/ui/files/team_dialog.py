"""File → "Mit Teamserver verbinden …": host, port, database, user, TLS mode, password.

Wiring (file_actions)::

    dialog = TeamServerDialog(parent)
    if dialog.exec() == QDialog.DialogCode.Accepted:
        switch_to(window, dialog.address)        # postgresql://user@host:port/db?sslmode=…

A password typed here goes into the operating system's keyring (through
``services.team``), never into the settings or the recent-files list; left
empty, the keyring, ``PGPASSWORD`` or ``~/.pgpass`` are used as for ``--db``.
A field the address cannot be built from is named in one sentence in the
dialog, which stays open.
"""

from __future__ import annotations

from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QSpinBox,
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
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
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
        super().accept()
