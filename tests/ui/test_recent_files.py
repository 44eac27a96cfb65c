"""Recent database files, the menu, and opening or creating a database file."""

from __future__ import annotations

import pytest
from PySide6.QtCore import QSettings
from PySide6.QtGui import QAction

from chinadialog_desktop.errors import DatabaseRefused
from chinadialog_desktop.ui.files.recent_files import (
    RecentFiles,
    RecentFilesMenu,
    open_database,
    with_suffix,
)
from chinadialog_desktop.ui.preferences.settings import (
    BACKUPS_KEPT,
    LAST_DATABASE,
    MAX_RECENT,
    RECENT_FILES,
    Settings,
)


@pytest.fixture
def settings(tmp_path):
    return Settings(QSettings(str(tmp_path / "settings.ini"), QSettings.Format.IniFormat))


def _files(tmp_path, n):
    out = []
    for i in range(n):
        p = tmp_path / f"projekt{i}.sqlite3"
        p.write_bytes(b"")
        out.append(p)
    return out


def test_newest_first_no_duplicates_at_most_ten(tmp_path, settings):
    recent = RecentFiles(settings)
    files = _files(tmp_path, MAX_RECENT + 2)
    for f in files:
        recent.add(f)
    recent.add(tmp_path / "." / files[-3].name)  # the same file, written differently
    paths = recent.paths()
    assert len(paths) == MAX_RECENT
    assert paths[0] == files[-3]
    assert paths.count(files[-3]) == 1
    assert files[0] not in paths
    assert recent.last() == files[-3]


def test_missing_files_are_not_offered(tmp_path, settings):
    recent = RecentFiles(settings)
    kept, gone = _files(tmp_path, 2)
    recent.add(kept)
    recent.add(gone)
    gone.unlink()
    assert recent.paths() == [kept]
    assert len(recent.paths(existing_only=False)) == 2
    recent.remove(gone)
    assert settings.get(RECENT_FILES) == [str(kept)]


def test_menu_lists_files_and_emits_the_chosen_path(qtbot, tmp_path, settings):
    recent = RecentFiles(settings)
    first, second = _files(tmp_path, 2)
    recent.add(first)
    recent.add(second)
    menu = RecentFilesMenu(recent)
    qtbot.addWidget(menu)
    action = menu.findChild(QAction, "actionRecentFile1")
    assert action.data() == str(first)
    with qtbot.waitSignal(menu.sig_open_path) as blocker:
        action.trigger()
    assert blocker.args == [first]

    menu.findChild(QAction, "actionRecentClear").trigger()
    assert settings.get(RECENT_FILES) == []
    assert menu.findChild(QAction, "actionRecentEmpty") is not None
    assert not menu.findChild(QAction, "actionRecentClear").isEnabled()


def test_open_database_creates_remembers_and_uses_the_backup_setting(tmp_path, settings):
    settings.set(BACKUPS_KEPT, 3)
    path = tmp_path / "sub" / "neu.sqlite3"
    path.parent.mkdir()
    database = open_database(path, settings)
    try:
        assert path.exists() and database.opened.created
    finally:
        database.close()
    assert settings.get(LAST_DATABASE) == str(path.resolve())
    assert RecentFiles(settings).paths() == [path.resolve()]


def test_a_foreign_file_is_refused_and_not_remembered(tmp_path, settings):
    foreign = tmp_path / "notizen.sqlite3"
    foreign.write_text("keine Datenbank", encoding="utf-8")
    with pytest.raises(DatabaseRefused):
        open_database(foreign, settings)
    assert settings.get(RECENT_FILES) == []
    assert foreign.read_text(encoding="utf-8") == "keine Datenbank"


def test_suffix_is_added_when_missing(tmp_path):
    assert with_suffix(tmp_path / "projekt") == tmp_path / "projekt.sqlite3"
    assert with_suffix(tmp_path / "projekt.db") == tmp_path / "projekt.db"
