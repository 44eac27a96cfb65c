"""File → Merge a travel copy back … on the real window (issue 17.6): the import wizard's
dry run and conflict pages, the same service as ``db merge``, the lists reloaded."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest
from PySide6.QtGui import QAction
from PySide6.QtWidgets import QCheckBox, QPushButton

from chinadialog_desktop.persistence.database import Database
from chinadialog_desktop.services.dbcopy import copy_database
from chinadialog_desktop.services.records import edit
from chinadialog_desktop.ui import app as ui_app
from chinadialog_desktop.ui.files import file_actions


def _set(path: Path, uuid: str, value: str) -> None:
    db = Database.open(path)
    try:
        with db.session() as s:
            edit.update(s, "partnership", uuid, "description", value)
    finally:
        db.close()


def _description(path: Path, uuid: str) -> str:
    with sqlite3.connect(path) as conn:
        return conn.execute(
            "SELECT description FROM partnership WHERE uuid = ?", (uuid,)
        ).fetchone()[0]


def _last_activity(path: Path) -> str:
    with sqlite3.connect(path) as conn:
        return str(conn.execute("SELECT uuid FROM activity ORDER BY id DESC").fetchone()[0])


def _count(path: Path, table: str) -> int:
    with sqlite3.connect(path) as conn:
        return int(conn.execute(f"SELECT count(*) FROM {table}").fetchone()[0])  # noqa: S608


def _partnerships(path: Path) -> int:
    return _count(path, "partnership")


def _title(path: Path, uuid: str) -> str:
    with sqlite3.connect(path) as conn:
        return str(
            conn.execute("SELECT title FROM partnership WHERE uuid = ?", (uuid,)).fetchone()[0]
        )


def test_the_import_wizard_keeps_its_words_for_the_file(qtbot, demo_db):
    """Only the merge says "travel copy": the import wizard's buttons still name the file."""
    from chinadialog_desktop.ui.datasets.import_wizard import ImportWizard

    wizard = ImportWizard(demo_db)
    qtbot.addWidget(wizard)
    take_all = wizard.findChild(QPushButton, "importTakeAllTheirs")
    assert take_all.text() == "All: take &theirs"
    assert take_all.accessibleName() == "Take all from the file"
    assert wizard.findChild(QPushButton, "importKeepAllMine").text() == "All: keep &mine"


@pytest.fixture
def office(demo_db, tmp_path):
    """The office's database (closed for the window) and a travel copy with offline edits."""
    path = demo_db.path
    with sqlite3.connect(path) as conn:
        first, second = [
            r[0] for r in conn.execute("SELECT uuid FROM partnership ORDER BY id LIMIT 2")
        ]
    demo_db.close()
    copy = tmp_path / "Dienstreise Qingdao (Beispiel).sqlite3"
    copy_database(str(path), str(copy))
    _set(copy, first, "Unterwegs (Beispiel)")
    _set(path, first, "Im Amt (Beispiel)")
    _set(copy, second, "Nur unterwegs (Beispiel)")
    offline = Database.open(copy)
    try:
        with offline.session() as s:
            edit.delete(s, "activity", _last_activity(copy))
    finally:
        offline.close()
    return path, copy, first, second


def test_the_file_menu_merges_a_travel_copy_through_the_conflict_page(qtbot, office):
    path, copy, first, second = office
    gone = _last_activity(path)
    session = ui_app.start(path)
    qtbot.addWidget(session.window)
    try:
        window = session.window
        with qtbot.waitSignal(window.sig_list_filled, timeout=20000):
            pass
        qtbot.waitUntil(window.attached, timeout=20000)  # the database took over
        action = window.findChild(QAction, "actionMergeTravelCopy")
        assert action is not None and action in window.file_menu.actions()
        assert action.text() == "&Merge a travel copy back …"

        wizard = file_actions.merge_travel_copy(window, copy)
        qtbot.waitUntil(lambda: wizard.job is None and wizard.dry_run is not None, timeout=60000)
        assert "Dry run" in wizard.dry_verdict.text() and copy.name in wizard.dry_verdict.text()
        counts = wizard.dry_counts.cell_texts()
        others = str(_partnerships(path) - 2)  # not changed offline: unchanged, as the CLI says
        assert ["Partnerships", "0", "1", others, "1"] in counts, counts
        assert ["Actors", "0", "0", str(_count(copy, "actor")), "0"] in counts, counts
        # The progress dialog said what was read while the copy was scanned.
        assert any(
            m.startswith("Comparing the travel copy with its state when copied: Partnerships")
            for m in wizard.progress_messages
        ), wizard.progress_messages
        combos = wizard.conflict_combos()
        assert list(combos) == [first]
        assert [combos[first].itemText(i) for i in range(3)] == [
            "— please choose —",
            "Keep the version here",
            "Take from the travel copy",
        ]
        assert not wizard.commit_button.isEnabled()  # the conflict needs a decision
        take_all = wizard.findChild(QPushButton, "importTakeAllTheirs")
        assert take_all.text() == "All: take from the travel &copy"
        assert take_all.accessibleName() == "Take every version from the travel copy"
        assert "file" not in wizard.findChild(QPushButton, "importKeepAllMine").accessibleName()
        take_all.click()
        assert wizard.commit_button.isEnabled()
        assert "Deleted in the copy" in wizard.dry_verdict.text()
        box = wizard.findChild(QCheckBox, "travelMergeDelete")
        assert box.isVisible() and not box.isChecked()
        box.setChecked(True)
        wizard.commit_button.click()
        qtbot.waitUntil(
            lambda: wizard.job is None and wizard.import_result is not None, timeout=60000
        )
        assert wizard.import_result.status == "merged"
        assert "marked as merged" in wizard.result_label.text()
        assert _description(path, first) == "Unterwegs (Beispiel)"
        assert _description(path, second) == "Nur unterwegs (Beispiel)"
        assert _last_activity(path) != gone  # deleted here too, as confirmed
        assert "Deleted here too" in wizard.result_label.text()
        # What was decided is shown, not the conflict any more.
        title = _title(path, first)
        assert (
            f"Conflict decided: {title}: the travel copy's version was taken."
            in wizard.result_label.text()
        )
        result_counts = wizard.result_counts.cell_texts()
        assert ["Partnerships", "0", "2", others, "0"] in result_counts, result_counts

        # A second time: the wizard says so, and there is nothing to merge.
        again = file_actions.merge_travel_copy(window, copy)
        qtbot.waitUntil(lambda: again.job is None and again.dry_run is not None, timeout=60000)
        assert "already merged" in again.dry_verdict.text()
        assert not again.commit_button.isEnabled()
        assert again.dry_counts.isHidden() and again.conflict_label.isHidden()
    finally:
        session.close()


def test_the_conflict_page_names_fields_as_people_know_them_and_shows_whole_values(qtbot, office):
    """The conflict list names the field by its caption (not the stored name "description"
    alone) and each version in full, as a tooltip where the column cuts it."""
    path, copy, first, _second = office
    session = ui_app.start(path)
    qtbot.addWidget(session.window)
    try:
        window = session.window
        with qtbot.waitSignal(window.sig_list_filled, timeout=20000):
            pass
        qtbot.waitUntil(window.attached, timeout=20000)  # the database took over
        wizard = file_actions.merge_travel_copy(window, copy)
        qtbot.waitUntil(lambda: wizard.job is None and wizard.dry_run is not None, timeout=60000)
        top = wizard.conflicts.topLevelItem(0)
        assert top is not None and top.childCount() == 1
        assert top.text(1) == "Description (description)"
        change = top.child(0)
        assert change.text(1) == "Description (description)"
        assert change.toolTip(2) == "Im Amt (Beispiel)"
        assert change.toolTip(3) == "Unterwegs (Beispiel)"
    finally:
        session.close()


def test_a_copy_of_another_database_is_refused_in_one_sentence_without_an_empty_table(
    qtbot, office, tmp_path
):
    path, copy, _first, _second = office
    other = tmp_path / "Andere Stadt (Beispiel).sqlite3"
    other.write_bytes(path.read_bytes())
    session = ui_app.start(other)
    qtbot.addWidget(session.window)
    try:
        window = session.window
        with qtbot.waitSignal(window.sig_list_filled, timeout=20000):
            pass
        qtbot.waitUntil(window.attached, timeout=20000)  # the database took over
        wizard = file_actions.merge_travel_copy(window, copy)
        qtbot.waitUntil(
            lambda: wizard.job is None and bool(wizard.result_label.text()), timeout=60000
        )
        text = wizard.result_label.text()
        assert text.startswith("Not merged: ") and "Stopped by an error" not in text
        assert "was copied from" in text and "Nothing was merged." in text
        assert wizard.result_counts.isHidden()
    finally:
        session.close()
