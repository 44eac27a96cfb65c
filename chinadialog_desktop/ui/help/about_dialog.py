"""The About dialog: version, database path, and the licences of the fonts and libraries.

Wiring (Help → About)::

    AboutDialog(database_path, parent).exec()

Library versions and licences are read from the installed distributions'
metadata (``importlib.metadata``: License-Expression, else a short License
field, else the licence classifier); a bundle without metadata for a
library shows the licence known at release time, marked as such. The fonts
tab lists the files in ``resources/fonts`` and shows their licence texts.
"""

from __future__ import annotations

import platform
import sqlite3
from dataclasses import dataclass
from importlib import metadata
from pathlib import Path

from PySide6 import __version__ as pyside_version
from PySide6.QtCore import QEvent, Qt, qVersion
from PySide6.QtGui import QFontDatabase
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QLabel,
    QPlainTextEdit,
    QTabWidget,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from chinadialog_desktop import APP_NAME, __version__
from chinadialog_desktop.i18n import N_, _
from chinadialog_desktop.paths import fonts_dir
from chinadialog_desktop.ui.common.screen_fit import resize_to_fit

# distribution name → (shown name, licence known at release time, what it does here)
LIBRARIES: dict[str, tuple[str, str, str]] = {
    "PySide6_Essentials": ("PySide6 / Qt", "LGPL-3.0-only", N_("window and dialogs")),
    "shiboken6": ("Shiboken6", "LGPL-3.0-only", N_("Qt bindings runtime")),
    "SQLAlchemy": ("SQLAlchemy", "MIT", N_("database access")),
    "alembic": ("Alembic", "MIT", N_("database upgrades")),
    "reportlab": ("ReportLab", "BSD-3-Clause", N_("PDF briefings")),
    "platformdirs": ("platformdirs", "MIT", N_("user folders")),
    "PyYAML": ("PyYAML", "MIT", N_("checklists and demo data")),
    "openpyxl": ("openpyxl", "MIT", N_("Excel import")),
    "defusedxml": ("defusedxml", "PSF-2.0", N_("safe XML parsing")),
    "pypinyin": ("pypinyin", "MIT", N_("pinyin of Chinese names")),
    "rapidfuzz": ("RapidFuzz", "MIT", N_("name matching")),
    "pypdfium2": ("pypdfium2", "Apache-2.0 OR BSD-3-Clause", N_("PDF preview")),
    "pypdf": ("pypdf", "BSD-3-Clause", N_("PDF Anlagen appended to briefings")),
    "pillow": ("Pillow", "MIT-CMU", N_("images in PDFs")),
    "python-docx": ("python-docx", "MIT", N_("Word briefings")),
    "lxml": ("lxml", "BSD-3-Clause", N_("XML of Word documents")),
}
FONT_SUFFIXES = {".ttf", ".ttc", ".otf"}


@dataclass(frozen=True)
class Library:
    name: str
    version: str
    licence: str
    purpose: str
    from_metadata: bool


def _header(meta: metadata.PackageMetadata, name: str) -> str:
    """The first value of a metadata header, or "" when the distribution does not set it."""
    values = meta.get_all(name) or []
    return str(values[0]) if values else ""


def licence_of(dist: metadata.Distribution) -> str | None:
    """The licence a distribution declares, in short form, or None."""
    meta = dist.metadata
    expression = _header(meta, "License-Expression")
    if expression:
        return expression.strip()
    field = _header(meta, "License").strip()
    if field and "\n" not in field and len(field) <= 80 and field.upper() != "UNKNOWN":
        return field
    for classifier in meta.get_all("Classifier") or []:
        if classifier.startswith("License ::") and "OSI Approved ::" in classifier:
            return str(classifier).rsplit("::", 1)[1].strip()
    if field:
        return field.splitlines()[0][:80]
    return None


def libraries() -> list[Library]:
    out = []
    for dist_name, (shown, known, purpose) in LIBRARIES.items():
        try:
            dist = metadata.distribution(dist_name)
        except metadata.PackageNotFoundError:
            continue
        declared = licence_of(dist)
        out.append(Library(shown, dist.version, declared or known, purpose, declared is not None))
    return out


def font_files() -> list[Path]:
    folder = fonts_dir()
    return sorted(p for p in folder.iterdir() if p.suffix.lower() in FONT_SUFFIXES)


def licence_files() -> list[Path]:
    """The licence, copyright and readme texts shipped next to the fonts."""
    folder = fonts_dir()
    found = [p for p in folder.iterdir() if p.is_file() and p.suffix.lower() in {".txt", ".md"}]
    return sorted(found, key=lambda p: (p.name.upper() != "README.MD", p.name))


class AboutDialog(QDialog):
    def __init__(self, database_path: Path | None, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.database_path = database_path
        self.setObjectName("aboutDialog")
        resize_to_fit(self, 680, 520)

        self.tabs = QTabWidget(self)
        self.tabs.setObjectName("aboutTabs")
        self.summary = QLabel(self)
        self.summary.setObjectName("aboutSummary")
        self.summary.setWordWrap(True)
        self.summary.setTextFormat(Qt.TextFormat.PlainText)
        self.summary.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.summary.setAlignment(Qt.AlignmentFlag.AlignTop)

        self.library_list = QTreeWidget(self)
        self.library_list.setObjectName("libraryList")
        self.library_list.setColumnCount(4)
        self.library_list.setRootIsDecorated(False)
        self.library_list.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.library_list.setColumnWidth(0, 150)
        self.library_list.setColumnWidth(1, 80)
        self.library_list.setColumnWidth(2, 220)

        fonts_page = QWidget(self)
        fonts_page.setObjectName("fontsPage")
        self.fonts_label = QLabel(fonts_page)
        self.fonts_label.setObjectName("fontsLabel")
        self.fonts_label.setWordWrap(True)
        self.licence_combo = QComboBox(fonts_page)
        self.licence_combo.setObjectName("fontLicenceCombo")
        for path in licence_files():
            self.licence_combo.addItem(path.name, str(path))
        self.licence_text = QPlainTextEdit(fonts_page)
        self.licence_text.setObjectName("fontLicenceText")
        self.licence_text.setReadOnly(True)
        self.licence_text.setFont(QFontDatabase.systemFont(QFontDatabase.SystemFont.FixedFont))
        self.licence_combo.currentIndexChanged.connect(self._show_licence)
        fonts_layout = QVBoxLayout(fonts_page)
        fonts_layout.addWidget(self.fonts_label)
        fonts_layout.addWidget(self.licence_combo)
        fonts_layout.addWidget(self.licence_text, 1)

        self.tabs.addTab(self.summary, "")
        self.tabs.addTab(self.library_list, "")
        self.tabs.addTab(fonts_page, "")

        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close, self)
        self.buttons.setObjectName("aboutButtons")
        self.close_button = self.buttons.button(QDialogButtonBox.StandardButton.Close)
        self.close_button.setObjectName("aboutClose")
        self.buttons.rejected.connect(self.reject)

        layout = QVBoxLayout(self)
        layout.addWidget(self.tabs, 1)
        layout.addWidget(self.buttons)
        self.retranslate_ui()
        self._show_licence()

    def retranslate_ui(self) -> None:
        self.setWindowTitle(_("About {app}").format(app=APP_NAME))
        self.setAccessibleName(_("About {app}").format(app=APP_NAME))
        self.tabs.setAccessibleName(_("About"))
        self.tabs.setTabText(0, _("Version"))
        self.tabs.setTabText(1, _("Libraries"))
        self.tabs.setTabText(2, _("Fonts"))
        self.summary.setText(self.summary_text())
        self.summary.setAccessibleName(_("Version and database"))
        self.library_list.setHeaderLabels([_("Library"), _("Version"), _("Licence"), _("Used for")])
        self.library_list.setAccessibleName(_("Libraries and their licences"))
        self.library_list.clear()
        for lib in libraries():
            licence = lib.licence
            if not lib.from_metadata:
                licence = _("{licence} (known at release)").format(licence=lib.licence)
            item = QTreeWidgetItem([lib.name, lib.version, licence, _(lib.purpose)])
            item.setToolTip(2, licence)
            self.library_list.addTopLevelItem(item)
        fonts = ", ".join(p.name for p in font_files()) or _("none")
        self.fonts_label.setText(
            _(
                "Bundled fonts: {fonts}. Their licence, copyright and readme texts, as "
                "shipped in the fonts folder, are shown below."
            ).format(fonts=fonts)
        )
        self.fonts_label.setAccessibleName(_("Bundled fonts"))
        self.licence_combo.setAccessibleName(_("Licence text to show"))
        self.licence_text.setAccessibleName(_("Licence text"))
        self.close_button.setAccessibleName(_("Close"))

    def summary_text(self) -> str:
        lines = [
            f"{APP_NAME} {__version__}",
            "",
            _("Database: {path}").format(
                path=self.database_path if self.database_path is not None else _("none open")
            ),
            "",
            _("Python {python}, Qt {qt} (PySide6 {pyside}), SQLite {sqlite}").format(
                python=platform.python_version(),
                qt=qVersion(),
                pyside=pyside_version,
                sqlite=sqlite3.sqlite_version,
            ),
            "",
            _(
                "Qt and PySide6 are used under the GNU Lesser General Public License v3; "
                "the other libraries and the fonts are listed with their licences in the "
                "next tabs. The app opens no network connection."
            ),
        ]
        return "\n".join(lines)

    def _show_licence(self, *_args: object) -> None:
        path = self.licence_combo.currentData()
        if not path:
            self.licence_text.setPlainText("")
            return
        self.licence_text.setPlainText(Path(path).read_text(encoding="utf-8", errors="replace"))

    def changeEvent(self, event: QEvent) -> None:  # noqa: N802
        if event.type() == QEvent.Type.LanguageChange:
            self.retranslate_ui()
        super().changeEvent(event)
