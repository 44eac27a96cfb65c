"""Preferences: one typed registry over QSettings, each setting declared once.

Every preference is a ``Setting`` below (key, type, default, allowed values)
and lives under ``prefs/`` in its own file (``settings.ini`` in the user's
config folder). Window layout is kept apart, under ``window/`` in the main
window's ``window-state`` file, so resetting the layout never touches a
preference and vice versa. ``meta/version`` records the registry version;
``Settings.upgrade`` moves older files forward step by step.

Wiring (main window / app start)::

    prefs = Settings()                      # or Settings(QSettings(path, IniFormat)) in tests
    prefs.get(BACKUPS_KEPT)                 # → Database.open(path, keep_backups=…)
    prefs.sig_language_changed.connect(window.retranslate_ui)   # str "de"/"en"
    prefs.sig_theme_changed.connect(lambda t: apply_theme(app, t))

``apply_startup_language(prefs, args.lang)`` at start uses ``--lang`` or
CHINADIALOG_LANG when given, else the saved preference.
``switch_language(lang)`` switches ``_()`` and Qt's own strings and sends a
``LanguageChange`` event to every window; widgets that handle it in
``changeEvent`` re-translate at once, the rest at the next start.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, Generic, TypeVar, cast

from PySide6.QtCore import (
    QCoreApplication,
    QEvent,
    QLibraryInfo,
    QLocale,
    QObject,
    QSettings,
    QTranslator,
    Signal,
)
from PySide6.QtWidgets import QApplication

from chinadialog_desktop import APP_ID
from chinadialog_desktop.domain.enums import Classification
from chinadialog_desktop.i18n import LANGUAGES, N_, set_language
from chinadialog_desktop.services.unit import default_backups_kept

T = TypeVar("T")

SETTINGS_VERSION = 1
MAX_RECENT = 10


@dataclass(frozen=True)
class Setting(Generic[T]):
    """One preference: where it is stored, its type, default and allowed values."""

    key: str
    type: type
    default: T
    label: str  # English message id, shown in the settings dialog
    choices: tuple[Any, ...] | None = None
    minimum: int | None = None
    maximum: int | None = None

    def coerce(self, raw: Any) -> T:
        """Turn a stored value (INI files keep text) into ``type``; ValueError if impossible."""
        if self.type is list:
            if raw is None or raw == "":
                value: Any = []
            elif isinstance(raw, str):
                value = [raw]  # QSettings gives a one-element list back as a string
            elif isinstance(raw, list | tuple):
                value = [str(v) for v in raw]
            else:
                raise ValueError(raw)
        elif self.type is bool:
            if isinstance(raw, str):
                if raw.lower() not in ("true", "false", "1", "0"):
                    raise ValueError(raw)
                value = raw.lower() in ("true", "1")
            else:
                value = bool(raw)
        elif self.type is int:
            if isinstance(raw, bool):
                raise ValueError(raw)
            value = int(raw)
        else:
            if not isinstance(raw, str):
                raise ValueError(raw)
            value = raw
        self.check(value)
        return cast(T, value)

    def check(self, value: Any) -> None:
        if self.type is list:
            if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
                raise ValueError(f"{self.key}: {value!r} is not a list of text")
        elif not isinstance(value, self.type) or (self.type is int and isinstance(value, bool)):
            raise ValueError(f"{self.key}: {value!r} is not {self.type.__name__}")
        if self.choices is not None and value not in self.choices:
            raise ValueError(f"{self.key}: {value!r} not in {self.choices}")
        if self.minimum is not None and value < self.minimum:
            raise ValueError(f"{self.key}: {value!r} < {self.minimum}")
        if self.maximum is not None and value > self.maximum:
            raise ValueError(f"{self.key}: {value!r} > {self.maximum}")


LANGUAGE: Setting[str] = Setting("prefs/language", str, "de", N_("Language"), LANGUAGES)
THEME: Setting[str] = Setting(
    "prefs/theme", str, "system", N_("Appearance"), ("system", "light", "dark")
)
AUTHOR_NAME: Setting[str] = Setting("prefs/author_name", str, "", N_("Author of briefings"))
AUTHOR_OFFICE: Setting[str] = Setting("prefs/author_office", str, "", N_("Office"))
# A municipality's own Word template (.docx/.dotx: letterhead, styles); "" for the built-in look.
DOCX_TEMPLATE: Setting[str] = Setting("prefs/docx_template", str, "", N_("Word template"))
DEFAULT_CLASSIFICATION: Setting[str] = Setting(
    "prefs/default_classification",
    str,
    Classification.OPEN.value,
    N_("Default classification"),
    tuple(c.value for c in Classification),
)
BACKUPS_KEPT: Setting[int] = Setting(
    "prefs/backups_kept", int, default_backups_kept(), N_("Backups kept per database"), None, 1, 100
)
RECENT_FILES: Setting[list[str]] = Setting("prefs/recent_files", list, [], N_("Recent files"))
LAST_DATABASE: Setting[str] = Setting("prefs/last_database", str, "", N_("Last database"))
# The team server last connected to, as its address (never with a password): the
# connect dialog starts with its fields.
LAST_TEAM_SERVER: Setting[str] = Setting("prefs/last_team_server", str, "", N_("Last team server"))

REGISTRY: tuple[Setting[Any], ...] = (
    LANGUAGE,
    THEME,
    AUTHOR_NAME,
    AUTHOR_OFFICE,
    DOCX_TEMPLATE,
    DEFAULT_CLASSIFICATION,
    BACKUPS_KEPT,
    RECENT_FILES,
    LAST_DATABASE,
    LAST_TEAM_SERVER,
)
_BY_KEY = {s.key: s for s in REGISTRY}


def _upgrade_0_to_1(store: QSettings) -> None:
    """Before the registry, early builds kept a few keys at the top level."""
    for old, new in (
        ("language", LANGUAGE.key),
        ("theme", THEME.key),
        ("recent", RECENT_FILES.key),
        ("keep_backups", BACKUPS_KEPT.key),
    ):
        if store.contains(old):
            if not store.contains(new):
                store.setValue(new, store.value(old))
            store.remove(old)


# version → step that brings a file of that version to the next one
UPGRADES: dict[int, Callable[[QSettings], None]] = {0: _upgrade_0_to_1}


def default_store() -> QSettings:
    """The preferences file in the user's config folder (INI, readable by people)."""
    return QSettings(QSettings.Format.IniFormat, QSettings.Scope.UserScope, APP_ID, "settings")


class Settings(QObject):
    """Typed access to the preferences; signals tell open windows what changed."""

    sig_changed = Signal(str, object)  # key, new value
    sig_language_changed = Signal(str)
    sig_theme_changed = Signal(str)

    def __init__(self, store: QSettings | None = None, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.store = store if store is not None else default_store()
        self.upgrade()

    def upgrade(self) -> int:
        """Run the pending upgrade steps; returns the version the file had before."""
        try:
            stored = self.store.value("meta/version", 0)
            found = int(stored) if isinstance(stored, int | float | str) else 0
        except (TypeError, ValueError):
            found = 0
        version = found
        while version < SETTINGS_VERSION:
            step = UPGRADES.get(version)
            if step is not None:
                step(self.store)
            version += 1
        if found != SETTINGS_VERSION:
            self.store.setValue("meta/version", SETTINGS_VERSION)
            self.store.sync()
        return found

    def get(self, setting: Setting[T]) -> T:
        """The stored value, or the default when missing or not valid (never raises)."""
        if not self.store.contains(setting.key):
            return _copy(setting.default)
        try:
            return setting.coerce(self.store.value(setting.key))
        except (TypeError, ValueError):
            return _copy(setting.default)

    def set(self, setting: Setting[T], value: T) -> None:
        """Store ``value``; ValueError when it is of the wrong type or not allowed."""
        setting.check(value)
        if setting.key not in _BY_KEY:
            raise KeyError(setting.key)
        old = self.get(setting)
        self.store.setValue(setting.key, list(value) if isinstance(value, list) else value)
        self.store.sync()
        if old == value:
            return
        self.sig_changed.emit(setting.key, value)
        if setting is LANGUAGE:
            self.sig_language_changed.emit(value)
        elif setting is THEME:
            self.sig_theme_changed.emit(value)

    def reset(self, setting: Setting[Any]) -> None:
        self.set(setting, _copy(setting.default))

    def is_default(self, setting: Setting[Any]) -> bool:
        return bool(self.get(setting) == setting.default)


def _copy(value: T) -> T:
    return cast(T, list(value)) if isinstance(value, list) else value


def switch_language(lang: str) -> str:
    """Use ``lang`` for ``_()`` and Qt's own strings now; tell every window to re-translate."""
    used = set_language(lang)
    QLocale.setDefault(
        QLocale(QLocale.Language.German, QLocale.Country.Germany)
        if used == "de"
        else QLocale(QLocale.Language.English, QLocale.Country.UnitedKingdom)
    )
    app = QApplication.instance()
    if not isinstance(app, QApplication):
        return used
    for old in app.findChildren(QTranslator):
        app.removeTranslator(old)
        old.deleteLater()
    if used != "en":  # the message ids are English; Qt's are too
        translator = QTranslator(app)
        folder = QLibraryInfo.path(QLibraryInfo.LibraryPath.TranslationsPath)
        if translator.load(f"qtbase_{used}", folder):
            app.installTranslator(translator)
    for window in app.topLevelWidgets():
        QCoreApplication.sendEvent(window, QEvent(QEvent.Type.LanguageChange))
    return used


def apply_startup_language(settings: Settings, override: str | None = None) -> str:
    """At start: ``--lang`` (``override``) or CHINADIALOG_LANG win, else the saved preference."""
    chosen = override or os.environ.get("CHINADIALOG_LANG") or settings.get(LANGUAGE)
    return switch_language(chosen)
