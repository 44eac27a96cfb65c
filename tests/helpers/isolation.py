"""A private home for each test: no test reads or writes the user's (or another test's) files.

HOME, the XDG base folders (and their Windows counterparts) point into a fresh folder;
Qt's user-scope INI settings, which the window layout and the preferences use, are
redirected there too. Subprocesses started by a test inherit the environment.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest

XDG = {
    "XDG_CONFIG_HOME": ".config",
    "XDG_DATA_HOME": ".local/share",
    "XDG_CACHE_HOME": ".cache",
    "XDG_STATE_HOME": ".local/state",
}


def isolate_home(home: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Point HOME, XDG_* and QSettings' user scope into ``home``; undone by ``monkeypatch``."""
    from PySide6.QtCore import QSettings

    home.mkdir(parents=True, exist_ok=True)
    monkeypatch.setenv("HOME", str(home))
    monkeypatch.setenv("USERPROFILE", str(home))
    for name, sub in XDG.items():
        folder = home / sub
        folder.mkdir(parents=True, exist_ok=True)
        monkeypatch.setenv(name, str(folder))
    runtime = home / ".runtime"
    runtime.mkdir(mode=0o700, exist_ok=True)
    os.chmod(runtime, 0o700)  # Qt refuses a runtime folder others may read
    monkeypatch.setenv("XDG_RUNTIME_DIR", str(runtime))
    monkeypatch.setenv("APPDATA", str(home / "AppData" / "Roaming"))
    monkeypatch.setenv("LOCALAPPDATA", str(home / "AppData" / "Local"))

    config = home / XDG["XDG_CONFIG_HOME"]
    fmt, scope = QSettings.Format.IniFormat, QSettings.Scope.UserScope
    QSettings.setPath(fmt, scope, str(config))
    QSettings.setPath(QSettings.Format.NativeFormat, scope, str(config))
    return home
