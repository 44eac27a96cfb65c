"""The appearance choices are named alike: "Hell" beside "Dunkel" (issue 15, point 9)."""

from __future__ import annotations

import pytest
from PySide6.QtCore import QSettings
from PySide6.QtWidgets import QComboBox

from chinadialog_desktop.i18n import language, set_language
from chinadialog_desktop.ui.preferences.dialog import SettingsDialog
from chinadialog_desktop.ui.preferences.settings import Settings


@pytest.mark.parametrize(
    ("lang", "names"),
    [
        ("de", ["Wie das System", "Hell", "Dunkel"]),
        ("en", ["Like the system", "Light theme", "Dark theme"]),
    ],
)
def test_theme_names_match_each_other(qtbot, tmp_path, lang, names):
    before = language()
    set_language(lang)
    try:
        store = QSettings(str(tmp_path / "settings.ini"), QSettings.Format.IniFormat)
        dialog = SettingsDialog(Settings(store))
        qtbot.addWidget(dialog)
        combo = dialog.findChild(QComboBox, "themeCombo")
        assert [combo.itemText(n) for n in range(combo.count())] == names
    finally:
        set_language(before)
