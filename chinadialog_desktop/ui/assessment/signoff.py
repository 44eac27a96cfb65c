"""The sign-off dialog of an assessment: who reviewed it, when, and whether open items are fine."""

from __future__ import annotations

from datetime import date

from PySide6.QtCore import QDate
from PySide6.QtWidgets import (
    QCheckBox,
    QDateEdit,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QVBoxLayout,
    QWidget,
)

from chinadialog_desktop.i18n import _, language


class SignOffDialog(QDialog):
    """Asks before signing: sign-off freezes the assessment; later changes open a revision."""

    def __init__(
        self,
        parent: QWidget | None,
        *,
        title: str,
        revision: int,
        open_items: int,
        reviewer: str = "",
        today: date | None = None,
    ) -> None:
        super().__init__(parent)
        self.setObjectName("signOffDialog")
        self.setAccessibleName(_("Sign off the assessment"))
        self.setWindowTitle(_("Sign off the assessment"))
        layout = QVBoxLayout(self)
        text = _(
            "Sign off “{title}” (revision {revision})?\n\nAfterwards the assessment is frozen "
            "and shown read-only. A later change opens revision {next}; the signed revision "
            "stays as it is."
        ).format(title=title, revision=revision, next=revision + 1)
        explanation = QLabel(text, self)
        explanation.setObjectName("signOffExplanation")
        explanation.setWordWrap(True)
        layout.addWidget(explanation)
        form = QFormLayout()
        self.reviewer_edit = QLineEdit(reviewer, self)
        self.reviewer_edit.setObjectName("reviewerEdit")
        self.reviewer_edit.setAccessibleName(_("Reviewed by"))
        form.addRow(_("Reviewed &by"), self.reviewer_edit)
        self.date_edit = QDateEdit(QDate(today or date.today()), self)
        self.date_edit.setObjectName("reviewDateEdit")
        self.date_edit.setAccessibleName(_("Review date"))
        self.date_edit.setCalendarPopup(True)
        self.date_edit.setDisplayFormat("dd.MM.yyyy" if language() == "de" else "yyyy-MM-dd")
        form.addRow(_("Review &date"), self.date_edit)
        layout.addLayout(form)
        self.allow_open_check = QCheckBox(
            _("Sign although {n} applicable items are still open").format(n=open_items), self
        )
        self.allow_open_check.setObjectName("allowOpenCheck")
        self.allow_open_check.setAccessibleName(_("Sign with open items"))
        self.allow_open_check.setVisible(open_items > 0)
        layout.addWidget(self.allow_open_check)
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel, self
        )
        buttons.setObjectName("signOffButtons")
        self.ok_button = buttons.button(QDialogButtonBox.StandardButton.Ok)
        self.ok_button.setText(_("Sign off"))
        self.ok_button.setObjectName("signOffOk")
        self.ok_button.setAccessibleName(_("Sign off"))
        cancel = buttons.button(QDialogButtonBox.StandardButton.Cancel)
        cancel.setObjectName("signOffCancel")
        cancel.setAccessibleName(_("Cancel"))
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)
        self.reviewer_edit.textChanged.connect(self._update)
        self.allow_open_check.toggled.connect(self._update)
        self._open_items = open_items
        self._update()

    def _update(self, *_args: object) -> None:
        ready = bool(self.reviewer_edit.text().strip()) and (
            self._open_items == 0 or self.allow_open_check.isChecked()
        )
        self.ok_button.setEnabled(ready)

    def reviewer(self) -> str:
        return self.reviewer_edit.text().strip()

    def review_date(self) -> date:
        chosen = self.date_edit.date()  # QDate.toPython() is typed as object in PySide6's stubs
        return date(chosen.year(), chosen.month(), chosen.day())

    def allow_open(self) -> bool:
        return self.allow_open_check.isChecked()


__all__ = ["SignOffDialog"]
