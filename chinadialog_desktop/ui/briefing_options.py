"""The choices for one briefing: kind of paper, language, marking, public version, changes."""

from __future__ import annotations

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QCheckBox, QComboBox, QFormLayout, QWidget

from chinadialog_desktop.domain.enums import Classification, DocumentKind
from chinadialog_desktop.domain.labels import label
from chinadialog_desktop.i18n import _, language
from chinadialog_desktop.services.briefing_content import BriefingOptions

LANGUAGES = (("de", "Deutsch"), ("en", "English"))  # names of languages: never translated


class BriefingOptionsPanel(QWidget):
    """A form whose ``options()`` is a valid ``BriefingOptions``; ``sig_changed`` on any edit."""

    sig_changed = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("briefingOptions")
        self.setAccessibleName(_("Options of the briefing"))
        form = QFormLayout(self)
        form.setContentsMargins(0, 0, 0, 0)

        self.kind = self._combo("briefingKind", _("Kind of paper"))
        self.kind.addItem(_("As set in the dossier"), None)
        for kind in DocumentKind:
            self.kind.addItem(label(DocumentKind, kind.value), kind.value)
        form.addRow(_("&Kind of paper:"), self.kind)

        self.lang = self._combo("briefingLanguage", _("Language of the briefing"))
        for code, name in LANGUAGES:
            self.lang.addItem(name, code)
        self.lang.setCurrentIndex(0 if language() == "de" else 1)
        form.addRow(_("&Language:"), self.lang)

        self.classification = self._combo("briefingClassification", _("Classification marking"))
        self.classification.addItem(_("As set in the dossier"), None)
        for value in Classification:
            self.classification.addItem(label(Classification, value.value), value.value)
        form.addRow(_("&Classification:"), self.classification)
        self._marking_before = 0

        self.public = QCheckBox(_("&Public version"), self)
        self.public.setToolTip(_("Leaves out what is marked internal and says so"))
        self.public.setObjectName("briefingPublic")
        self.public.setAccessibleName(_("Public version"))
        self.public.toggled.connect(self._public_toggled)
        self.public.toggled.connect(self.sig_changed)
        form.addRow(self.public)

        self.changes = QCheckBox(_("Include “Changes since the last paper”"), self)
        self.changes.setToolTip(
            _("What changed since the last export in the same language and version")
        )
        self.changes.setObjectName("briefingChanges")
        self.changes.setAccessibleName(_("Include the changes since the last export"))
        self.changes.toggled.connect(self.sig_changed)
        form.addRow(self.changes)

    def _combo(self, name: str, accessible: str) -> QComboBox:
        combo = QComboBox(self)
        combo.setObjectName(name)
        combo.setAccessibleName(accessible)
        combo.currentIndexChanged.connect(self.sig_changed)
        return combo

    def _public_toggled(self, public: bool) -> None:
        """A public version carries no marking: "open" while it is on, the choice before after."""
        if public:
            self._marking_before = self.classification.currentIndex()
            self.classification.setCurrentIndex(self.classification.findData(Classification.OPEN))
        else:
            self.classification.setCurrentIndex(self._marking_before)
        self.classification.setEnabled(not public)

    def options(self) -> BriefingOptions:
        return BriefingOptions(
            kind=self.kind.currentData(),
            lang=self.lang.currentData(),
            classification=self.classification.currentData(),
            public=self.public.isChecked(),
            changes=self.changes.isChecked(),
        )

    def set_options(self, options: BriefingOptions) -> None:
        self.kind.setCurrentIndex(max(self.kind.findData(options.kind), 0))
        self.lang.setCurrentIndex(max(self.lang.findData(options.lang), 0))
        self.public.setChecked(options.public)
        self.classification.setCurrentIndex(
            max(self.classification.findData(options.classification), 0)
        )
        self.changes.setChecked(options.changes)


def describe(options: dict[str, object]) -> str:
    """A short text of stored export options, e.g. "Decision paper, en, public, changes"."""
    parts: list[str] = []
    kind = options.get("kind")
    parts.append(label(DocumentKind, str(kind)) if kind else _("kind as in the dossier"))
    parts.append(str(options.get("lang") or "de"))
    if options.get("public"):
        parts.append(_("public"))
    elif options.get("classification"):
        parts.append(label(Classification, str(options["classification"])))
    if options.get("changes"):
        parts.append(_("with changes"))
    return ", ".join(parts)
