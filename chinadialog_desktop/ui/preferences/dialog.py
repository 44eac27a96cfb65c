"""The settings dialog: language, appearance, briefings (author, Word template …), backups.

Wiring (Edit → Settings…)::

    SettingsDialog(settings, parent).exec()     # settings: ui.preferences.settings.Settings

OK stores every value through the typed registry. A new theme is applied to
the whole application at once; a new language switches ``_()`` and sends a
``LanguageChange`` event to every window (``ui.preferences.settings.switch_language``),
and the dialog tells the user that texts a window does not re-translate
itself change at the next start.
"""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QEvent
from PySide6.QtWidgets import (
    QApplication,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from chinadialog_desktop.domain.enums import Classification
from chinadialog_desktop.domain.labels import label
from chinadialog_desktop.i18n import N_, _
from chinadialog_desktop.ui.common.theme import apply_theme
from chinadialog_desktop.ui.preferences.settings import (
    AUTHOR_NAME,
    AUTHOR_OFFICE,
    BACKUPS_KEPT,
    DEFAULT_CLASSIFICATION,
    DOCX_TEMPLATE,
    LANGUAGE,
    THEME,
    Settings,
    switch_language,
)

LANGUAGE_NAMES = {"de": "Deutsch", "en": "English"}  # each in its own language
# "Light" alone is the traffic light of an assessment ("Ampel"): the theme needs its own id.
# Both themes are named alike (German "Hell" and "Dunkel", English "Light/Dark theme").
THEME_NAMES = {
    "system": N_("Like the system"),
    "light": N_("Light theme"),
    "dark": N_("Dark theme"),
}


class SettingsDialog(QDialog):
    def __init__(self, settings: Settings, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.settings = settings
        self.setObjectName("settingsDialog")

        self.language = QComboBox(self)
        self.language.setObjectName("languageCombo")
        for code, name in LANGUAGE_NAMES.items():
            self.language.addItem(name, code)
        self.theme = QComboBox(self)
        self.theme.setObjectName("themeCombo")
        for code in THEME_NAMES:
            self.theme.addItem("", code)
        self.author = QLineEdit(self)
        self.author.setObjectName("authorNameEdit")
        self.office = QLineEdit(self)
        self.office.setObjectName("authorOfficeEdit")
        # A municipality's Word template: the path, typed or chosen; empty for the built-in look.
        self.template_row = QWidget(self)
        self.template_row.setObjectName("docxTemplateRow")
        self.template = QLineEdit(self.template_row)
        self.template.setObjectName("docxTemplateEdit")
        self.template_button = QPushButton(self.template_row)
        self.template_button.setObjectName("docxTemplateChoose")
        self.template_button.setAutoDefault(False)
        self.template_button.clicked.connect(lambda _c=False: self.choose_template())
        row = QHBoxLayout(self.template_row)
        row.setContentsMargins(0, 0, 0, 0)
        row.addWidget(self.template, 1)
        row.addWidget(self.template_button)
        self.classification = QComboBox(self)
        self.classification.setObjectName("classificationCombo")
        for c in Classification:
            self.classification.addItem("", c.value)
        self.backups = QSpinBox(self)
        self.backups.setObjectName("backupsSpin")
        self.backups.setRange(BACKUPS_KEPT.minimum or 1, BACKUPS_KEPT.maximum or 100)
        self.note = QLabel(self)
        self.note.setObjectName("settingsNote")
        self.note.setWordWrap(True)

        self.general = QGroupBox(self)
        self.general.setObjectName("generalGroup")
        self.general_form = QFormLayout(self.general)
        for widget in (self.language, self.theme, self.backups):
            self.general_form.addRow(self._caption(widget), widget)
        self.briefings = QGroupBox(self)
        self.briefings.setObjectName("briefingsGroup")
        self.briefings_form = QFormLayout(self.briefings)
        for field in (self.author, self.office, self.classification):
            self.briefings_form.addRow(self._caption(field), field)
        self.briefings_form.addRow(self._caption(self.template), self.template_row)

        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok
            | QDialogButtonBox.StandardButton.Cancel
            | QDialogButtonBox.StandardButton.RestoreDefaults,
            self,
        )
        self.buttons.setObjectName("settingsButtons")
        self.ok_button = self.buttons.button(QDialogButtonBox.StandardButton.Ok)
        self.ok_button.setObjectName("settingsOk")
        self.cancel_button = self.buttons.button(QDialogButtonBox.StandardButton.Cancel)
        self.cancel_button.setObjectName("settingsCancel")
        self.defaults_button: QPushButton = self.buttons.button(
            QDialogButtonBox.StandardButton.RestoreDefaults
        )
        self.defaults_button.setObjectName("settingsDefaults")
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        self.defaults_button.clicked.connect(self.show_defaults)

        layout = QVBoxLayout(self)
        layout.addWidget(self.general)
        layout.addWidget(self.briefings)
        layout.addWidget(self.note)
        layout.addWidget(self.buttons)

        self.retranslate_ui()
        self.load()

    # -- texts -------------------------------------------------------------
    def retranslate_ui(self) -> None:
        self.setWindowTitle(_("Settings"))
        self.setAccessibleName(_("Settings"))
        self.general.setTitle(_("General"))
        self.general.setAccessibleName(_("General"))
        self.briefings.setTitle(_("Briefings"))
        self.briefings.setAccessibleName(_("Briefings"))
        rows: list[tuple[QFormLayout, QWidget, str]] = [
            (self.general_form, self.language, LANGUAGE.label),
            (self.general_form, self.theme, THEME.label),
            (self.general_form, self.backups, BACKUPS_KEPT.label),
            (self.briefings_form, self.author, AUTHOR_NAME.label),
            (self.briefings_form, self.office, AUTHOR_OFFICE.label),
            (self.briefings_form, self.classification, DEFAULT_CLASSIFICATION.label),
        ]
        for form, widget, message in rows:
            caption = form.labelForField(widget)
            if isinstance(caption, QLabel):
                caption.setText(_(message) + ":")
                caption.setAccessibleName(_(message))
            widget.setAccessibleName(_(message))
        caption = self.briefings_form.labelForField(self.template_row)
        if isinstance(caption, QLabel):
            caption.setText(_(DOCX_TEMPLATE.label) + ":")
            caption.setAccessibleName(_(DOCX_TEMPLATE.label))
        self.template.setAccessibleName(_(DOCX_TEMPLATE.label))
        self.template.setPlaceholderText(_("none: the built-in layout"))
        self.template.setToolTip(
            _(
                "A Word file (.docx or .dotx) with your letterhead and styles; "
                "Word briefings are written into it."
            )
        )
        self.template_button.setText(_("Choose …"))
        self.template_button.setAccessibleName(_("Choose a Word template"))
        for i in range(self.theme.count()):
            self.theme.setItemText(i, _(THEME_NAMES[self.theme.itemData(i)]))
        for i in range(self.classification.count()):
            self.classification.setItemText(
                i, label(Classification, self.classification.itemData(i))
            )
        self.author.setPlaceholderText(_("e.g. Dr. Maria Beispiel"))
        self.office.setPlaceholderText(_("e.g. Büro für Internationales"))
        self.backups.setToolTip(
            _("Older automatic backups of a database file are deleted beyond this number.")
        )
        self.note.setText(
            _(
                "A new language applies at once to the windows that are open; anything "
                "still in the old language changes at the next start."
            )
        )
        self.note.setAccessibleName(_("Note"))
        self.ok_button.setAccessibleName(_("Save settings"))
        self.cancel_button.setAccessibleName(_("Cancel"))
        self.defaults_button.setText(_("Restore defaults"))
        self.defaults_button.setAccessibleName(_("Restore defaults"))

    def changeEvent(self, event: QEvent) -> None:  # noqa: N802
        if event.type() == QEvent.Type.LanguageChange:
            self.retranslate_ui()
        super().changeEvent(event)

    # -- values -------------------------------------------------------------
    def load(self) -> None:
        s = self.settings
        self._select(self.language, s.get(LANGUAGE))
        self._select(self.theme, s.get(THEME))
        self.author.setText(s.get(AUTHOR_NAME))
        self.office.setText(s.get(AUTHOR_OFFICE))
        self.template.setText(s.get(DOCX_TEMPLATE))
        self._select(self.classification, s.get(DEFAULT_CLASSIFICATION))
        self.backups.setValue(s.get(BACKUPS_KEPT))

    def choose_template(self) -> None:
        """Pick the Word template in a file dialog."""
        current = self.template.text().strip()
        name, _filter = QFileDialog.getOpenFileName(
            self,
            _("Choose a Word template"),
            current,
            _("Word documents and templates (*.docx *.dotx)"),
        )
        if name:
            self.template.setText(name)

    def show_defaults(self) -> None:
        """Put the defaults into the fields; nothing is stored until OK."""
        self._select(self.language, LANGUAGE.default)
        self._select(self.theme, THEME.default)
        self.author.setText(AUTHOR_NAME.default)
        self.office.setText(AUTHOR_OFFICE.default)
        self.template.setText(DOCX_TEMPLATE.default)
        self._select(self.classification, DEFAULT_CLASSIFICATION.default)
        self.backups.setValue(BACKUPS_KEPT.default)

    def save(self) -> None:
        s = self.settings
        old_language, old_theme = s.get(LANGUAGE), s.get(THEME)
        s.set(AUTHOR_NAME, self.author.text().strip())
        s.set(AUTHOR_OFFICE, self.office.text().strip())
        s.set(DOCX_TEMPLATE, self.template.text().strip())
        s.set(DEFAULT_CLASSIFICATION, str(self.classification.currentData()))
        s.set(BACKUPS_KEPT, int(self.backups.value()))
        theme = str(self.theme.currentData())
        s.set(THEME, theme)
        if theme != old_theme:
            app = QApplication.instance()
            if isinstance(app, QApplication):
                apply_theme(app, theme)
        language = str(self.language.currentData())
        s.set(LANGUAGE, language)
        if language != old_language:
            switch_language(language)

    def accept(self) -> None:
        self.save()
        super().accept()

    def _caption(self, widget: QWidget) -> QLabel:
        caption = QLabel(self)
        caption.setObjectName(widget.objectName() + "Label")
        caption.setBuddy(widget)
        return caption

    @staticmethod
    def _select(combo: QComboBox, value: Any) -> None:
        index = combo.findData(value)
        combo.setCurrentIndex(max(index, 0))
