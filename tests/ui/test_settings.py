"""Typed settings over QSettings, the settings dialog, themes and switching language."""

from __future__ import annotations

import pytest
from PySide6.QtCore import QEvent, QSettings, Qt
from PySide6.QtGui import QPalette
from PySide6.QtWidgets import (
    QAbstractButton,
    QApplication,
    QComboBox,
    QLineEdit,
    QPushButton,
    QSpinBox,
    QWidget,
)

from chinadialog_desktop.i18n import language, set_language
from chinadialog_desktop.persistence.backup import DEFAULT_KEEP
from chinadialog_desktop.ui.common.theme import apply_theme, contrast, current_theme, palette_for
from chinadialog_desktop.ui.preferences import settings as prefs
from chinadialog_desktop.ui.preferences.dialog import SettingsDialog
from chinadialog_desktop.ui.preferences.settings import (
    AUTHOR_NAME,
    AUTHOR_OFFICE,
    BACKUPS_KEPT,
    DEFAULT_CLASSIFICATION,
    LANGUAGE,
    RECENT_FILES,
    REGISTRY,
    SETTINGS_VERSION,
    THEME,
    Settings,
    switch_language,
)


@pytest.fixture
def store(tmp_path):
    return QSettings(str(tmp_path / "settings.ini"), QSettings.Format.IniFormat)


@pytest.fixture(autouse=True)
def restore_language_and_theme(qapp):
    before = language()
    yield
    set_language(before)
    apply_theme(qapp, "system")


def test_every_setting_is_declared_once_under_prefs():
    keys = [s.key for s in REGISTRY]
    assert len(keys) == len(set(keys))
    assert all(k.startswith("prefs/") for k in keys)
    for setting in REGISTRY:
        setting.check(setting.default)  # every default is itself valid


def test_defaults_when_nothing_is_stored(store):
    s = Settings(store)
    assert s.get(LANGUAGE) == "de"
    assert s.get(THEME) == "system"
    assert s.get(AUTHOR_NAME) == ""
    assert s.get(DEFAULT_CLASSIFICATION) == "open"
    assert s.get(BACKUPS_KEPT) == DEFAULT_KEEP
    assert s.get(RECENT_FILES) == []
    assert all(s.is_default(setting) for setting in REGISTRY)


def test_values_round_trip_through_the_file(tmp_path, store):
    s = Settings(store)
    s.set(LANGUAGE, "en")
    s.set(AUTHOR_NAME, "Dr. Jürgen Müller 穆勒")
    s.set(BACKUPS_KEPT, 25)
    s.set(RECENT_FILES, ["/a/one.sqlite3"])
    again = Settings(QSettings(str(tmp_path / "settings.ini"), QSettings.Format.IniFormat))
    assert again.get(LANGUAGE) == "en"
    assert again.get(AUTHOR_NAME) == "Dr. Jürgen Müller 穆勒"
    assert again.get(BACKUPS_KEPT) == 25  # INI stores text; the registry gives an int back
    assert again.get(RECENT_FILES) == ["/a/one.sqlite3"]  # a one-element list stays a list
    text = (tmp_path / "settings.ini").read_text(encoding="utf-8")
    assert "[prefs]" in text and "[meta]" in text and "window" not in text


def test_wrong_values_are_refused_and_broken_ones_read_as_default(store):
    s = Settings(store)
    with pytest.raises(ValueError):
        s.set(LANGUAGE, "fr")
    with pytest.raises(ValueError):
        s.set(BACKUPS_KEPT, 0)
    with pytest.raises(ValueError):
        s.set(THEME, 3)  # type: ignore[arg-type]
    with pytest.raises(ValueError):
        s.set(RECENT_FILES, "/a.sqlite3")  # type: ignore[arg-type]
    with pytest.raises(ValueError):
        s.set(BACKUPS_KEPT, True)  # a bool is not a number of backups
    store.setValue(BACKUPS_KEPT.key, "viele")
    store.setValue(THEME.key, "pink")
    assert s.get(BACKUPS_KEPT) == DEFAULT_KEEP
    assert s.get(THEME) == "system"


def test_signals_fire_only_on_change(qtbot, store):
    s = Settings(store)
    with qtbot.waitSignal(s.sig_language_changed) as blocker:
        s.set(LANGUAGE, "en")
    assert blocker.args == ["en"]
    with qtbot.assertNotEmitted(s.sig_changed):
        s.set(LANGUAGE, "en")
    with qtbot.waitSignal(s.sig_theme_changed):
        s.set(THEME, "dark")


def test_upgrade_moves_keys_of_an_unversioned_file(tmp_path, store):
    store.setValue("language", "en")
    store.setValue("keep_backups", 3)
    store.setValue("recent", ["/x.sqlite3", "/y.sqlite3"])
    store.sync()
    s = Settings(store)
    assert s.get(LANGUAGE) == "en"
    assert s.get(BACKUPS_KEPT) == 3
    assert s.get(RECENT_FILES) == ["/x.sqlite3", "/y.sqlite3"]
    assert not store.contains("language")
    assert int(store.value("meta/version")) == SETTINGS_VERSION
    assert Settings(store).upgrade() == SETTINGS_VERSION  # nothing left to do


def test_dialog_shows_stores_and_restores_defaults(qtbot, store):
    s = Settings(store)
    s.set(AUTHOR_NAME, "Anna Beispiel")
    dialog = SettingsDialog(s)
    qtbot.addWidget(dialog)
    assert dialog.findChild(QLineEdit, "authorNameEdit").text() == "Anna Beispiel"

    office = dialog.findChild(QLineEdit, "authorOfficeEdit")
    office.clear()
    qtbot.keyClicks(office, "Buero fuer Internationales")
    combo = dialog.findChild(QComboBox, "classificationCombo")
    combo.setCurrentIndex(combo.findData("internal"))
    dialog.findChild(QSpinBox, "backupsSpin").setValue(7)
    qtbot.mouseClick(dialog.findChild(QPushButton, "settingsOk"), Qt.MouseButton.LeftButton)
    assert s.get(AUTHOR_OFFICE) == "Buero fuer Internationales"
    assert s.get(DEFAULT_CLASSIFICATION) == "internal"
    assert s.get(BACKUPS_KEPT) == 7

    dialog = SettingsDialog(s)
    qtbot.addWidget(dialog)
    dialog.findChild(QPushButton, "settingsDefaults").click()
    assert dialog.findChild(QLineEdit, "authorNameEdit").text() == ""
    dialog.findChild(QPushButton, "settingsCancel").click()
    assert s.get(AUTHOR_NAME) == "Anna Beispiel"  # Cancel stores nothing


def test_dialog_applies_the_dark_theme_at_once(qtbot, qapp, store):
    s = Settings(store)
    dialog = SettingsDialog(s)
    qtbot.addWidget(dialog)
    theme = dialog.findChild(QComboBox, "themeCombo")
    theme.setCurrentIndex(theme.findData("dark"))
    dialog.findChild(QPushButton, "settingsOk").click()
    assert s.get(THEME) == "dark"
    assert current_theme(qapp) == "dark"
    window = qapp.palette().color(QPalette.ColorRole.Window)
    assert window.lightness() < 80


@pytest.mark.parametrize("theme", ["light", "dark"])
def test_palettes_are_readable(theme):
    p = palette_for(theme)
    role, group = QPalette.ColorRole, QPalette.ColorGroup
    for fg, bg in [
        (role.Text, role.Base),
        (role.WindowText, role.Window),
        (role.ButtonText, role.Button),
        (role.HighlightedText, role.Highlight),
        (role.ToolTipText, role.ToolTipBase),
        (role.Text, role.AlternateBase),
    ]:
        assert contrast(p.color(fg), p.color(bg)) >= 7, (theme, fg, bg)
    assert contrast(p.color(role.Link), p.color(role.Base)) >= 4.5
    assert contrast(p.color(role.PlaceholderText), p.color(role.Base)) >= 4.5
    assert contrast(p.color(group.Disabled, role.Text), p.color(role.Base)) >= 3


def test_switching_language_reaches_every_window(qtbot, qapp):
    class Probe(QWidget):
        changes = 0

        def changeEvent(self, event):  # noqa: N802
            if event.type() == QEvent.Type.LanguageChange:
                Probe.changes += 1
            super().changeEvent(event)

    probe = Probe()
    qtbot.addWidget(probe)
    assert switch_language("en") == "en"
    assert language() == "en" and Probe.changes >= 1
    seen = Probe.changes
    switch_language("de")
    assert language() == "de" and Probe.changes > seen


def test_dialog_switches_the_language(qtbot, store):
    set_language("en")
    s = Settings(store)
    s.set(LANGUAGE, "en")
    dialog = SettingsDialog(s)
    qtbot.addWidget(dialog)
    combo = dialog.findChild(QComboBox, "languageCombo")
    combo.setCurrentIndex(combo.findData("de"))
    dialog.findChild(QPushButton, "settingsOk").click()
    assert s.get(LANGUAGE) == "de"
    assert language() == "de"


def test_every_widget_is_named(qtbot, store):
    dialog = SettingsDialog(Settings(store))
    qtbot.addWidget(dialog)
    for cls in (QAbstractButton, QComboBox, QLineEdit, QSpinBox):
        for widget in dialog.findChildren(cls):
            if widget.objectName().startswith("qt_"):  # Qt's own internals
                continue
            assert widget.objectName(), widget
            assert widget.accessibleName(), widget.objectName()
    assert prefs.default_store().fileName().endswith("settings.ini")
    assert isinstance(QApplication.instance(), QApplication)


def test_every_field_has_a_visible_caption(qtbot, store):
    set_language("en")
    dialog = SettingsDialog(Settings(store))
    qtbot.addWidget(dialog)
    captions = {}
    for name in (
        "languageCombo",
        "themeCombo",
        "backupsSpin",
        "authorNameEdit",
        "authorOfficeEdit",
        "classificationCombo",
    ):
        caption = dialog.findChild(QWidget, name + "Label")
        assert caption.buddy() is dialog.findChild(QWidget, name)
        captions[name] = caption.text()
    assert captions["themeCombo"] == "Appearance:"
    assert all(text.endswith(":") and len(text) > 3 for text in captions.values())


def test_startup_language_prefers_the_command_line_then_the_environment(store, monkeypatch):
    s = Settings(store)
    s.set(LANGUAGE, "en")
    monkeypatch.delenv("CHINADIALOG_LANG", raising=False)
    assert prefs.apply_startup_language(s) == "en" and language() == "en"
    assert prefs.apply_startup_language(s, "de") == "de" and language() == "de"
    monkeypatch.setenv("CHINADIALOG_LANG", "de")
    assert prefs.apply_startup_language(s) == "de"


def test_the_light_theme_does_not_share_the_traffic_light_message(qtbot, store):
    from chinadialog_desktop.i18n import _

    dialog = SettingsDialog(Settings(store))
    qtbot.addWidget(dialog)
    theme = dialog.findChild(QComboBox, "themeCombo")
    # German translates the assessment's "Light" as "Ampel"; the theme must not read so.
    assert theme.itemText(theme.findData("light")) not in (_("Light"), "Ampel")


def test_the_app_starts_in_the_language_chosen_in_the_settings(store, monkeypatch, tmp_path):
    from chinadialog_desktop.ui import app as ui_app

    Settings(store).set(LANGUAGE, "en")
    monkeypatch.setattr(prefs, "default_store", lambda: store)
    monkeypatch.delenv("CHINADIALOG_LANG", raising=False)
    seen: list[str] = []

    class Started(Exception):
        pass

    def fake_window(*_args, **_kwargs):  # stands in for the window: records the language
        seen.append(language())
        raise Started

    monkeypatch.setattr(ui_app, "start", fake_window)
    set_language("de")
    with pytest.raises(Started):
        ui_app.run_gui(tmp_path / "x.sqlite3")
    assert seen == ["en"]
    set_language("en")
    with pytest.raises(Started):
        ui_app.run_gui(tmp_path / "x.sqlite3", lang="de")  # --lang wins
    assert seen == ["en", "de"]
