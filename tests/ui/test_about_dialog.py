"""The About dialog: version, database path, library licences from metadata, font licences."""

from __future__ import annotations

from importlib import metadata

import pytest
from PySide6.QtWidgets import (
    QAbstractButton,
    QComboBox,
    QLabel,
    QPlainTextEdit,
    QTabWidget,
    QTreeWidget,
)

from chinadialog_desktop import __version__
from chinadialog_desktop.ui.help.about_dialog import AboutDialog, libraries, licence_of


@pytest.fixture
def dialog(qtbot, tmp_path):
    d = AboutDialog(tmp_path / "projekt-zhuhai.sqlite3")
    qtbot.addWidget(d)
    return d


def test_version_and_database_path(dialog, tmp_path):
    text = dialog.findChild(QLabel, "aboutSummary").text()
    assert __version__ in text
    assert str(tmp_path / "projekt-zhuhai.sqlite3") in text
    assert "Lesser General Public License" in text


def test_library_licences_come_from_the_installed_metadata(dialog):
    tree = dialog.findChild(QTreeWidget, "libraryList")
    rows = {
        tree.topLevelItem(i).text(0): (tree.topLevelItem(i).text(1), tree.topLevelItem(i).text(2))
        for i in range(tree.topLevelItemCount())
    }
    assert rows["SQLAlchemy"] == (metadata.version("SQLAlchemy"), "MIT")
    assert rows["Alembic"][1] == "MIT"
    assert "LGPL-3.0" in rows["PySide6 / Qt"][1]
    assert "BSD" in rows["ReportLab"][1]
    assert all(lib.from_metadata for lib in libraries() if lib.name in rows)


def test_licence_of_prefers_the_expression_then_classifiers():
    reportlab = metadata.distribution("reportlab")  # long License field, BSD classifier
    assert licence_of(reportlab) == "BSD License"
    assert licence_of(metadata.distribution("SQLAlchemy")) == "MIT"


def test_font_licence_texts_are_shown(dialog):
    combo = dialog.findChild(QComboBox, "fontLicenceCombo")
    names = [combo.itemText(i) for i in range(combo.count())]
    assert "LICENSE-Apache-2.0.txt" in names and names[0] == "README.md"
    combo.setCurrentIndex(names.index("LICENSE-Apache-2.0.txt"))
    text = dialog.findChild(QPlainTextEdit, "fontLicenceText").toPlainText()
    assert "Apache License" in text and "Version 2.0" in text
    assert "wqy-microhei.ttc" in dialog.findChild(QLabel, "fontsLabel").text()


def test_the_latin_font_and_its_licence_are_shown(dialog):
    """DejaVu Sans draws the pinyin tone marks WenQuanYi leaves blank (issue 15, point 5)."""
    label = dialog.findChild(QLabel, "fontsLabel").text()
    assert "DejaVuSans.ttf" in label and "DejaVuSans-Bold.ttf" in label
    combo = dialog.findChild(QComboBox, "fontLicenceCombo")
    names = [combo.itemText(i) for i in range(combo.count())]
    combo.setCurrentIndex(names.index("dejavu.COPYRIGHT.txt"))
    text = dialog.findChild(QPlainTextEdit, "fontLicenceText").toPlainText()
    assert "Bitstream" in text and "Permission is hereby granted" in text


def test_every_widget_is_named(dialog):
    assert dialog.findChild(QTabWidget, "aboutTabs").count() == 3
    for cls in (QAbstractButton, QComboBox, QTreeWidget, QPlainTextEdit, QTabWidget):
        for widget in dialog.findChildren(cls):
            if widget.objectName().startswith("qt_"):
                continue
            assert widget.objectName(), widget
            assert widget.accessibleName(), widget.objectName()
