"""First start: say what the app is for and offer the demo data or an empty database.

Wiring (after the database opened)::

    if needs_welcome(database):
        dialog = WelcomeDialog(database, window)
        if dialog.exec() and dialog.choice == "demo":
            window.reload_all()          # the demo data is now in the file

``needs_welcome`` is true for a file that holds no partnership, actor,
dossier or source. "Load demo data" loads the bundled demo dataset in one
transaction (``services.demo.load_demo``); "Start with an empty database"
changes nothing. Either way the dialog is accepted and ``choice`` says which.
"""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QEvent, Qt
from PySide6.QtWidgets import QDialog, QHBoxLayout, QLabel, QPushButton, QVBoxLayout, QWidget

from chinadialog_desktop import APP_NAME
from chinadialog_desktop.errors import UserError
from chinadialog_desktop.i18n import _
from chinadialog_desktop.services import unit
from chinadialog_desktop.services.records import edit as records


def needs_welcome(database: Any) -> bool:
    """True when the database holds none of the records a user works with."""
    return unit.read(database, records.holds_nothing)


class WelcomeDialog(QDialog):
    def __init__(self, database: Any, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.database = database
        self.choice: str | None = None
        self.loaded: Any = None  # services.demo.DemoResult after "Load demo data"
        self.setObjectName("welcomeDialog")

        self.heading = QLabel(self)
        self.heading.setObjectName("welcomeHeading")
        font = self.heading.font()
        font.setPointSizeF(font.pointSizeF() * 1.5)
        font.setBold(True)
        self.heading.setFont(font)
        self.text = QLabel(self)
        self.text.setObjectName("welcomeText")
        self.text.setWordWrap(True)
        self.text.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.status = QLabel(self)
        self.status.setObjectName("welcomeStatus")
        self.status.setWordWrap(True)

        self.demo_button = QPushButton(self)
        self.demo_button.setObjectName("loadDemoButton")
        self.demo_button.clicked.connect(self.load_demo)
        self.empty_button = QPushButton(self)
        self.empty_button.setObjectName("startEmptyButton")
        self.empty_button.clicked.connect(self.start_empty)
        self.demo_button.setDefault(True)

        buttons = QHBoxLayout()
        buttons.addStretch(1)
        buttons.addWidget(self.empty_button)
        buttons.addWidget(self.demo_button)
        layout = QVBoxLayout(self)
        layout.addWidget(self.heading)
        layout.addWidget(self.text)
        layout.addWidget(self.status)
        layout.addLayout(buttons)
        self.setMinimumWidth(520)
        self.retranslate_ui()

    def retranslate_ui(self) -> None:
        self.setWindowTitle(_("Welcome to {app}").format(app=APP_NAME))
        self.setAccessibleName(_("Welcome"))
        self.heading.setText(_("Welcome to {app}").format(app=APP_NAME))
        self.heading.setAccessibleName(_("Welcome"))
        self.text.setText(
            _(
                "ChinaDialog Desktop helps municipal staff keep track of partnerships with "
                "Chinese cities, provinces and institutions, check them against guardrail "
                "checklists and assemble sourced briefings for council and committees. "
                "Everything stays on this computer, in one database file, and works "
                "without an internet connection."
            )
        )
        self.text.setAccessibleName(_("What the app is for"))
        self.status.setAccessibleName(_("Status"))
        self.demo_button.setText(_("Load &demo data"))
        self.demo_button.setAccessibleName(_("Load demo data"))
        self.demo_button.setToolTip(
            _("Real German–Chinese partnerships with sources, to try everything out.")
        )
        self.empty_button.setText(_("Start with an &empty database"))
        self.empty_button.setAccessibleName(_("Start with an empty database"))

    def changeEvent(self, event: QEvent) -> None:  # noqa: N802
        if event.type() == QEvent.Type.LanguageChange:
            self.retranslate_ui()
        super().changeEvent(event)

    def load_demo(self) -> None:
        from chinadialog_desktop.services.demo import load_demo

        try:
            self.loaded = unit.write(self.database, load_demo)
        except UserError as exc:
            self.status.setText(_("The demo data could not be loaded: {reason}").format(reason=exc))
            return
        self.choice = "demo"
        self.accept()

    def start_empty(self) -> None:
        self.choice = "empty"
        self.accept()
