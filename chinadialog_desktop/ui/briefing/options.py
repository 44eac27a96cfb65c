"""The choices for one briefing: kind of paper, language, marking, public version, changes,
and the archive format (PDF/A for the e-Akte)."""

from __future__ import annotations

from PySide6.QtCore import QEvent, Signal
from PySide6.QtWidgets import QCheckBox, QComboBox, QFormLayout, QLabel, QWidget

from chinadialog_desktop.domain.enums import Classification, DocumentKind
from chinadialog_desktop.domain.labels import label
from chinadialog_desktop.i18n import N_, _, language
from chinadialog_desktop.services.briefing.content import BriefingOptions
from chinadialog_desktop.ui.common.retranslate import Texts

LANGUAGES = (("de", "Deutsch"), ("en", "English"))  # names of languages: never translated
# The archive formats (``BriefingOptions.pdfa``) and how the choice names them.
ARCHIVE_FORMATS = (
    (0, N_("Ordinary PDF")),
    (2, N_("PDF/A-2b for the e-Akte")),
    (3, N_("PDF/A-3b for the e-Akte, with the dossier's files embedded")),
)


class BriefingOptionsPanel(QWidget):
    """A form whose ``options()`` is a valid ``BriefingOptions``; ``sig_changed`` on any edit."""

    sig_changed = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.texts = Texts()
        t = self.texts.set
        self.setObjectName("briefingOptions")
        t(self, "setAccessibleName", N_("Options of the briefing"))
        form = QFormLayout(self)
        form.setContentsMargins(0, 0, 0, 0)

        self.kind = self._combo("briefingKind", N_("Kind of paper"))
        self.kind.addItem("", None)
        for kind in DocumentKind:
            self.kind.addItem("", kind.value)
        form.addRow(self._label(N_("&Kind of paper:"), self.kind), self.kind)

        self.lang = self._combo("briefingLanguage", N_("Language of the briefing"))
        for code, name in LANGUAGES:
            self.lang.addItem(name, code)
        self.lang.setCurrentIndex(0 if language() == "de" else 1)
        form.addRow(self._label(N_("&Language:"), self.lang), self.lang)

        self.classification = self._combo("briefingClassification", N_("Classification marking"))
        self.classification.addItem("", None)
        for value in Classification:
            self.classification.addItem("", value.value)
        form.addRow(self._label(N_("&Classification:"), self.classification), self.classification)
        self._marking_before = 0

        self.public = QCheckBox(self)
        t(self.public, "setText", N_("&Public version"))
        t(self.public, "setToolTip", N_("Leaves out what is marked internal and says so"))
        self.public.setObjectName("briefingPublic")
        t(self.public, "setAccessibleName", N_("Public version"))
        self.public.toggled.connect(self._public_toggled)
        self.public.toggled.connect(self.sig_changed)
        form.addRow(self.public)

        self.changes = QCheckBox(self)
        t(self.changes, "setText", N_("Include “Changes since the last paper”"))
        t(
            self.changes,
            "setToolTip",
            N_("What changed since the last export in the same language and version"),
        )
        self.changes.setObjectName("briefingChanges")
        t(self.changes, "setAccessibleName", N_("Include the changes since the last export"))
        self.changes.toggled.connect(self.sig_changed)
        form.addRow(self.changes)

        self.archive = self._combo("briefingArchive", N_("Archive format of the PDF"))
        for archive_format, _text in ARCHIVE_FORMATS:
            self.archive.addItem("", archive_format)
        t(
            self.archive,
            "setToolTip",
            N_(
                "PDF/A is the format for long-term archiving in the e-Akte; PDF/A-3 also "
                "carries the dossier's files inside the PDF, so the archive holds one file"
            ),
        )
        form.addRow(self._label(N_("&Archive format:"), self.archive), self.archive)
        self._item_texts()

    def _label(self, text: str, buddy: QWidget) -> QLabel:
        widget = QLabel(self)
        self.texts.set(widget, "setText", text)
        widget.setBuddy(buddy)
        return widget

    def _combo(self, name: str, accessible: str) -> QComboBox:
        combo = QComboBox(self)
        combo.setObjectName(name)
        self.texts.set(combo, "setAccessibleName", accessible)
        combo.currentIndexChanged.connect(self.sig_changed)
        return combo

    def _item_texts(self) -> None:
        """The choices' labels in the language now active."""
        for combo, vocabulary in (
            (self.kind, DocumentKind),
            (self.classification, Classification),
        ):
            combo.setItemText(0, _("As set in the dossier"))
            for index in range(1, combo.count()):
                combo.setItemText(index, label(vocabulary, combo.itemData(index)))
        for index, (_value, text) in enumerate(ARCHIVE_FORMATS):
            self.archive.setItemText(index, _(text))

    def retranslate(self) -> None:
        self.texts.apply()
        self._item_texts()

    def changeEvent(self, event: QEvent) -> None:  # noqa: N802
        if event.type() == QEvent.Type.LanguageChange:
            self.retranslate()
        super().changeEvent(event)

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
            pdfa=int(self.archive.currentData() or 0),
        )

    def set_options(self, options: BriefingOptions) -> None:
        self.kind.setCurrentIndex(max(self.kind.findData(options.kind), 0))
        self.lang.setCurrentIndex(max(self.lang.findData(options.lang), 0))
        self.public.setChecked(options.public)
        self.classification.setCurrentIndex(
            max(self.classification.findData(options.classification), 0)
        )
        self.changes.setChecked(options.changes)
        self.archive.setCurrentIndex(max(self.archive.findData(options.pdfa), 0))


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
    if options.get("format") == "docx":
        parts.append(_("Word"))
    elif options.get("pdfa"):
        parts.append(f"PDF/A-{options['pdfa']}b")
    return ", ".join(parts)
