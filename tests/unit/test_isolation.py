"""Each test has a private home: HOME, XDG folders, the app's data folder and QSettings."""

from __future__ import annotations

import os
from pathlib import Path

from chinadialog_desktop.paths import default_database_path, user_data_dir


def test_home_and_xdg_folders_are_private(private_home: Path, tmp_path: Path):
    home = Path(os.environ["HOME"])
    assert home == private_home and home.is_dir()
    assert Path.home() == home
    assert home.parent.parent == tmp_path.parent.parent  # both in this run's basetemp
    assert not list(tmp_path.iterdir())  # tmp_path stays the test's own, empty
    for name in ("XDG_CONFIG_HOME", "XDG_DATA_HOME", "XDG_CACHE_HOME", "XDG_STATE_HOME"):
        assert Path(os.environ[name]).is_relative_to(home), name
    assert user_data_dir().is_relative_to(home)
    assert default_database_path().is_relative_to(home)


def test_qsettings_write_into_the_private_home(private_home: Path):
    from PySide6.QtCore import QSettings

    from chinadialog_desktop import APP_ID

    settings = QSettings(QSettings.Format.IniFormat, QSettings.Scope.UserScope, APP_ID, "settings")
    assert Path(settings.fileName()).is_relative_to(private_home)
    settings.setValue("probe", "Beispiel")
    settings.sync()
    assert Path(settings.fileName()).is_file()


def test_a_fresh_home_holds_no_settings_of_another_test(private_home: Path):
    """Whichever order: the QSettings written by the test above are not here."""
    assert not any(private_home.rglob("*.ini"))
