"""Issue 11, point 5: a read-only file, folder or drive is opened read-only and shown.

Writing commands exit 1 with one German line saying why; the file is left
byte-for-byte unchanged; the window shows a banner. The drive is a real ext4
image mounted read-only; the folder and file cases run the CLI in a child
that has dropped the capabilities with which root ignores permission bits.
"""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

import pytest
from storage_support import (
    assert_plain,
    can_drop_privileges,
    loop_filesystem,
    one_line,
    remount,
    run_cli,
    run_cli_unprivileged,
)


def digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def _make_demo_database(db: Path) -> None:
    made = run_cli(db, "demo", "load")
    assert made.returncode == 0, made.stderr


def _assert_read_only_cycle(db: Path, run, reason_words: str) -> None:  # type: ignore[no-untyped-def]
    before = digest(db)
    siblings = sorted(p.name for p in db.parent.iterdir())

    listed = run(db, "list", "partnerships", "--json")
    assert listed.returncode == 0, listed.stderr
    assert len(json.loads(listed.stdout)) > 0

    checked = run(db, "db", "check")
    assert checked.returncode == 0, checked.stdout + checked.stderr

    refused = run(db, "checklist", "install-bundled")
    assert refused.returncode == 1
    line = one_line(refused.stderr)
    assert line.startswith("Fehler: ")
    assert "schreibgeschützt" in line and reason_words in line
    assert_plain(line)

    assert digest(db) == before
    # Beside a read-only file in a writable folder SQLite may make its shared-memory
    # companions to read a WAL file; nothing else may appear.
    companions = {db.name + "-wal", db.name + "-shm"}
    after = sorted(p.name for p in db.parent.iterdir() if p.name not in companions)
    assert after == [n for n in siblings if n not in companions]


def test_read_only_drive(tmp_path: Path) -> None:
    with loop_filesystem(tmp_path) as mnt:
        db = mnt / "Ablage #1" / "dossiers.sqlite3"
        db.parent.mkdir()
        _make_demo_database(db)
        remount(mnt, "ro")
        try:
            _assert_read_only_cycle(db, run_cli, "Laufwerk")
        finally:
            remount(mnt, "rw")


@pytest.fixture
def unprivileged() -> None:
    if not can_drop_privileges():
        pytest.skip("needs root with setpriv to run a child that obeys permission bits")


def test_read_only_folder(tmp_path: Path, unprivileged: None) -> None:
    folder = tmp_path / "Nur lesen?"
    folder.mkdir()
    db = folder / "dossiers.sqlite3"
    _make_demo_database(db)
    folder.chmod(0o555)
    try:
        _assert_read_only_cycle(db, run_cli_unprivileged, "in ihrem Ordner nicht schreiben")
    finally:
        folder.chmod(0o700)


def test_read_only_file(tmp_path: Path, unprivileged: None) -> None:
    db = tmp_path / "dossiers.sqlite3"
    _make_demo_database(db)
    db.chmod(0o400)
    try:
        _assert_read_only_cycle(db, run_cli_unprivileged, "die Datei nicht ändern")
    finally:
        db.chmod(0o600)


def test_missing_file_in_a_read_only_folder_is_one_line(tmp_path: Path, unprivileged: None) -> None:
    folder = tmp_path / "leer"
    folder.mkdir(mode=0o555)
    out = run_cli_unprivileged(folder / "neu.sqlite3", "list", "partnerships")
    assert out.returncode == 1
    assert_plain(one_line(out.stderr))
    assert list(folder.iterdir()) == []


def test_window_shows_a_banner_on_a_read_only_drive(tmp_path: Path, qtbot) -> None:  # type: ignore[no-untyped-def]
    from chinadialog_desktop.i18n import set_language
    from chinadialog_desktop.persistence.database import Database
    from chinadialog_desktop.ui import app as ui_app

    with loop_filesystem(tmp_path) as mnt:
        db = mnt / "dossiers.sqlite3"
        _make_demo_database(db)
        remount(mnt, "ro")
        try:
            set_language("de")
            database = Database.open(db)
            assert database.readonly
            database.close()
            session = ui_app.start(db)
            qtbot.addWidget(session.window)
            with qtbot.waitSignal(session.window.sig_list_filled, timeout=30000):
                pass
            qtbot.waitUntil(session.window.attached, timeout=20000)  # the database took over
            banner = session.window.readonly_banner
            assert banner.isVisible()
            assert "schreibgeschützt" in banner.text() and "Laufwerk" in banner.text()
            assert session.window.model.rowCount() > 0  # the data is shown
            window = session.window
            assert not window.action_new.isEnabled() and not window.action_delete.isEnabled()
            set_language("en")
            window.retranslate_ui()
            assert "read-only" in banner.text() and "the drive is read-only" in banner.text()
            session.close()
        finally:
            remount(mnt, "rw")


def test_first_list_of_a_read_only_drive_equals_the_orm_list(tmp_path: Path) -> None:
    """The window's first page is read without SQLAlchemy (services.records.first_page);
    on a read-only drive it is the same as the ORM's list, and says why it is read-only."""
    from chinadialog_desktop.services import unit
    from chinadialog_desktop.services.records.first_page import (
        FIRST_QUERY,
        first_partnership_page,
    )
    from chinadialog_desktop.services.records.lists import list_ids, list_rows

    with loop_filesystem(tmp_path) as mnt:
        db = mnt / "Städte #1.sqlite3"
        _make_demo_database(db)
        remount(mnt, "ro")
        try:
            ready = unit.check_file(db)
            assert ready.readonly_reason is not None and ready.read_only_message()
            page = first_partnership_page(ready, 100)
            database = unit.open_ready(ready)
            try:
                ids = unit.read(database, lambda s: list_ids(s, "partnership", FIRST_QUERY))
                rows = unit.read(database, lambda s: list_rows(s, "partnership", ids))
            finally:
                database.close()
            assert page is not None and page.ids == ids and len(ids) > 0
            assert [page.rows[i] for i in ids] == rows
        finally:
            remount(mnt, "rw")
