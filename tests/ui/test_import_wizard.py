"""The import wizard driven through its widgets: preview, problems, mapping, dry run, commit."""

from __future__ import annotations

import hashlib
import shutil
from pathlib import Path

import pytest
from PySide6.QtCore import QMimeData, QPoint, Qt, QUrl
from PySide6.QtGui import QDragEnterEvent, QDropEvent
from PySide6.QtWidgets import QApplication, QComboBox, QPushButton
from sqlalchemy import func, select

from chinadialog_desktop.persistence.backup import backups_dir
from chinadialog_desktop.persistence.database import Database
from chinadialog_desktop.persistence.models import Actor, ImportRun, Partnership
from chinadialog_desktop.ui.datasets.import_wizard import (
    PAGE_DRY_RUN,
    PAGE_MAPPING,
    PAGE_PREVIEW,
    PAGE_RESULT,
    ImportWizard,
)
from chinadialog_desktop.ui.datasets.mapping_model import MappingModel

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "datasets"


@pytest.fixture
def wizard(qtbot, db):
    w = ImportWizard(db)
    qtbot.addWidget(w)
    w.show()
    return w


def wait(qtbot, wizard) -> None:
    qtbot.waitUntil(lambda: wizard.job is None, timeout=60000)


def _open(qtbot, wizard, path: Path) -> None:
    wizard.open_file(path)
    wait(qtbot, wizard)


def _click(qtbot, wizard, name: str) -> None:
    button = wizard.findChild(QPushButton, name)
    assert button is not None and button.isEnabled(), name
    button.click()
    wait(qtbot, wizard)


def _counts(database: Database) -> tuple[int, int, int]:
    with database.session() as s:
        return (
            s.scalar(select(func.count()).select_from(Actor)),
            s.scalar(select(func.count()).select_from(Partnership)),
            s.scalar(select(func.count()).select_from(ImportRun)),
        )


def _digest(database: Database) -> str:
    with database.engine.connect() as conn:
        conn.exec_driver_sql("PRAGMA wal_checkpoint(TRUNCATE)")
    return hashlib.sha256(database.path.read_bytes()).hexdigest()


def test_good_csv_preview_mapping_dry_run_commit(qtbot, wizard, db):
    _open(qtbot, wizard, FIXTURES / "good_register_utf8.csv")
    assert wizard.stack.currentIndex() == PAGE_PREVIEW
    info = wizard.info_label.text()
    assert "utf-8" in info.lower() and "semicolon" in info and "CSV" in info
    table = wizard.preview_table
    headers = [table.horizontalHeaderItem(c).text() for c in range(table.columnCount())]
    assert headers[:2] == ["Kommune", "Partnerstadt"]
    assert table.item(0, 0).text() == "Duisburg"
    assert not wizard.sheet_combo.isVisible()

    _click(qtbot, wizard, "importNextButton")
    assert wizard.stack.currentIndex() == PAGE_MAPPING
    model = wizard.mapping_model
    mapped = dict(zip(model.headers, model.fields, strict=True))
    assert mapped["Kommune"] == "german_party" and mapped["Partnerstadt"] == "chinese_party"
    assert mapped["Ansprechpartner"] is None
    note = wizard.mapping_note.text()
    assert "Ansprechpartner" in note and "kept" in note
    combo = wizard.mapping_combo(model.headers.index("Kommune"))
    assert isinstance(combo, QComboBox) and combo.currentData() == "german_party"

    _click(qtbot, wizard, "importNextButton")
    assert wizard.stack.currentIndex() == PAGE_DRY_RUN
    rows = wizard.dry_counts.cell_texts()
    assert any(r[1] != "0" for r in rows)  # something is new
    assert _counts(db)[1] == 0  # the dry run wrote nothing
    assert str(backups_dir(db.path)) in wizard.backup_note.text()

    _click(qtbot, wizard, "importCommitButton")
    assert wizard.stack.currentIndex() == PAGE_RESULT
    assert wizard.import_result is not None and wizard.import_result.status == "committed"
    assert str(wizard.import_result.backup_path) in wizard.result_label.text()
    assert wizard.import_result.backup_path.exists()
    with db.session() as s:
        titles = set(s.scalars(select(Partnership.title)))
        assert "Duisburg – Wuhan" in titles
        description = s.scalar(
            select(Partnership.description).where(Partnership.title == "Duisburg – Wuhan")
        )
        assert "Ansprechpartner: Frau Müller" in description  # the unknown column was kept


def test_reimport_changes_nothing(qtbot, db):
    for _round in range(2):
        w = ImportWizard(db)
        qtbot.addWidget(w)
        _open(qtbot, w, FIXTURES / "good_register_comma.csv")
        _click(qtbot, w, "importNextButton")
        _click(qtbot, w, "importNextButton")
        rows = w.dry_counts.cell_texts()
        _click(qtbot, w, "importCommitButton")
        assert w.import_result.status == "committed"
    assert all(r[1] == "0" and r[2] == "0" and r[4] == "0" for r in rows)
    assert any(r[3] != "0" for r in rows)


def test_user_changes_the_mapping(qtbot, wizard, db):
    _open(qtbot, wizard, FIXTURES / "good_register_utf8.csv")
    _click(qtbot, wizard, "importNextButton")
    model = wizard.mapping_model
    row = model.headers.index("Bemerkung")
    combo = wizard.mapping_combo(row)
    combo.setCurrentIndex(combo.findData(""))  # "not mapped": kept with the record
    assert model.fields[row] is None
    assert model.user_map() == {"Bemerkung": ""}
    assert "Bemerkung" in wizard.mapping_note.text()
    # Two columns for one field: Next is refused until one of them changes.
    status_row = model.headers.index("Status")
    wizard.mapping_combo(status_row).setCurrentIndex(
        wizard.mapping_combo(status_row).findData("type")
    )
    assert not wizard.next_button.isEnabled()
    assert "type" in wizard.mapping_note.text()
    wizard.mapping_combo(status_row).setCurrentIndex(
        wizard.mapping_combo(status_row).findData("status")
    )
    assert wizard.next_button.isEnabled()
    _click(qtbot, wizard, "importNextButton")
    _click(qtbot, wizard, "importCommitButton")
    with db.session() as s:
        description = s.scalar(
            select(Partnership.description).where(Partnership.title == "Duisburg – Wuhan")
        )
    assert "Bemerkung: erste deutsch-chinesische" in description


def test_encoding_and_excel_sep_line_are_shown(qtbot, wizard):
    _open(qtbot, wizard, FIXTURES / "good_register_cp1252_sep.csv")
    info = wizard.info_label.text().lower()
    assert "1252" in info and "semicolon" in info
    assert wizard.preview_table.item(1, 0).text() == "Köln"
    _open(qtbot, wizard, FIXTURES / "good_register_utf16_tab.txt")
    info = wizard.info_label.text().lower()
    assert "utf-16" in info and "tab" in info


@pytest.mark.parametrize(
    ("name", "place"),
    [
        ("bad_nul.csv", "line"),
        ("bad_field_count.csv", "line"),
        ("bad_unterminated_quote.csv", "line"),
        ("bad_date.csv", "column"),
        ("bad_entities.xlsx", "member"),
        ("bad_pkg_traversal.zip", ""),
        ("bad_pkg_checksum.zip", "member"),
        ("bad_pkg_bomb.zip", ""),
        ("bad_nan.json", ""),
        ("bad_duplicate_key.json", ""),
    ],
)
def test_hostile_file_is_rejected_and_changes_nothing(qtbot, wizard, db, name, place):
    before_counts, before_digest = _counts(db), _digest(db)
    _open(qtbot, wizard, FIXTURES / name)
    assert wizard.stack.currentIndex() == PAGE_PREVIEW
    assert wizard.inspection is not None and wizard.inspection.rejected
    assert "Rejected" in wizard.verdict_label.text()
    assert not wizard.next_button.isEnabled()
    rows = wizard.problems_view.texts()
    assert rows and any(r.startswith("Error | " + name) for r in rows), rows
    if place:
        assert any(place in r.split(" | ")[2] for r in rows), rows
    assert _counts(db) == before_counts and _digest(db) == before_digest


def test_xlsx_sheet_chooser(qtbot, wizard, tmp_path):
    from openpyxl import Workbook

    book = Workbook()
    first = book.active
    first.title = "Hinweise"
    first.append(["Text"])
    first.append(["Bitte Blatt Register lesen"])
    second = book.create_sheet("Register")
    second.append(["Kommune", "Partnerstadt", "Beginn"])
    second.append(["Bremen", "Dalian", "1985"])
    path = tmp_path / "zwei_blaetter.xlsx"
    book.save(path)
    _open(qtbot, wizard, path)
    combo = wizard.sheet_combo
    assert combo.isVisible() and [combo.itemText(i) for i in range(combo.count())] == [
        "Hinweise",
        "Register",
    ]
    assert any("several sheets" in r for r in wizard.problems_view.texts())
    combo.setCurrentIndex(1)
    combo.activated.emit(1)
    wait(qtbot, wizard)
    assert wizard.inspection.sheet == "Register"
    assert "Register" in wizard.info_label.text()
    assert wizard.preview_table.item(0, 1).text() == "Dalian"
    _click(qtbot, wizard, "importNextButton")
    assert wizard.kind_combo.currentData() == "partnerships"
    _click(qtbot, wizard, "importNextButton")
    _click(qtbot, wizard, "importCommitButton")
    assert wizard.import_result.status == "committed"


def test_package_members_listed_and_imported(qtbot, wizard, db):
    _open(qtbot, wizard, FIXTURES / "good_package_unlisted_member.zip")
    assert wizard.inspection.format == "package"
    assert wizard.members_label.text()
    texts = wizard.problems_view.texts()
    assert any(r.startswith("Warning") for r in texts)  # the unlisted member, not "Note"
    _click(qtbot, wizard, "importNextButton")
    assert not wizard.mapping_model.editable and not wizard.kind_combo.isEnabled()
    _click(qtbot, wizard, "importNextButton")
    _click(qtbot, wizard, "importCommitButton")
    assert wizard.import_result.status == "committed"
    assert _counts(db)[2] == 1


def test_drop_a_file(qtbot, wizard):
    mime = QMimeData()
    mime.setUrls([QUrl.fromLocalFile(str(FIXTURES / "good_register_utf8_bom.csv"))])
    enter = QDragEnterEvent(
        QPoint(10, 10),
        Qt.DropAction.CopyAction,
        mime,
        Qt.MouseButton.LeftButton,
        Qt.KeyboardModifier.NoModifier,
    )
    QApplication.sendEvent(wizard, enter)
    assert enter.isAccepted()
    drop = QDropEvent(
        QPoint(10, 10).toPointF(),
        Qt.DropAction.CopyAction,
        mime,
        Qt.MouseButton.LeftButton,
        Qt.KeyboardModifier.NoModifier,
    )
    QApplication.sendEvent(wizard, drop)
    wait(qtbot, wizard)
    assert wizard.stack.currentIndex() == PAGE_PREVIEW
    assert wizard.path_edit.text().endswith("good_register_utf8_bom.csv")
    assert wizard.preview_table.item(0, 0).text() == "Duisburg"  # BOM not in the header


def _actors_csv(path: Path, region: str) -> Path:
    path.write_text(
        f"Name;Land;Region\nDuisburg;Deutschland;{region}\nWuhan;China;Hubei\n", encoding="utf-8"
    )
    return path


def test_conflict_keep_mine_or_take_theirs(qtbot, db, tmp_path):
    first = ImportWizard(db)
    qtbot.addWidget(first)
    _open(qtbot, first, _actors_csv(tmp_path / "akteure.csv", "Nordrhein-Westfalen"))
    _click(qtbot, first, "importNextButton")
    assert first.kind_combo.currentData() == "actors"
    _click(qtbot, first, "importNextButton")
    _click(qtbot, first, "importCommitButton")
    with db.session() as s:
        s.scalars(select(Actor).where(Actor.name_de == "Duisburg")).one().region = "NRW lokal"
    second = ImportWizard(db)
    qtbot.addWidget(second)
    _open(qtbot, second, _actors_csv(tmp_path / "akteure2.csv", "NRW (Datei)"))
    _click(qtbot, second, "importNextButton")
    _click(qtbot, second, "importNextButton")
    combos = second.conflict_combos()
    assert len(combos) == 1
    assert not second.commit_button.isEnabled()  # every conflict needs a decision
    top = second.conflicts.topLevelItem(0)
    assert "Duisburg" in top.text(0) and "region" in top.text(1)
    assert top.child(0).text(2) == "NRW lokal" and top.child(0).text(3) == "NRW (Datei)"
    combo = next(iter(combos.values()))
    combo.setCurrentIndex(combo.findData("mine"))
    assert second.commit_button.isEnabled()
    second.findChild(QPushButton, "importTakeAllTheirs").click()
    assert combo.currentData() == "theirs"
    _click(qtbot, second, "importCommitButton")
    assert second.import_result.status == "committed"
    with db.session() as s:
        region = s.scalar(select(Actor.region).where(Actor.name_de == "Duisburg"))
    assert region == "NRW (Datei)"


def test_cancel_during_commit_leaves_the_database_as_it_was(qtbot, wizard, db, tmp_path):
    # Big enough that the writer asks "cancelled?" between its chunks of 2,000 records.
    path = tmp_path / "akteure_viele.csv"
    lines = ["Name;Land;Region"] + [f"Kommune {i};Deutschland;Region {i % 16}" for i in range(6000)]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    _open(qtbot, wizard, path)
    _click(qtbot, wizard, "importNextButton")
    _click(qtbot, wizard, "importNextButton")
    before = _counts(db)
    wizard.commit_button.click()
    job = wizard.job
    assert job is not None
    job.progress_dialog.findChild(QPushButton).click()  # Cancel in the progress dialog
    wait(qtbot, wizard)
    assert wizard.import_result.status == "cancelled"
    assert "cancelled" in wizard.result_label.text()
    assert _counts(db) == before


def test_mapping_model_passes_the_model_tester(qtbot, qtmodeltester):
    from chinadialog_desktop.services.datasets.kinds import KINDS

    model = MappingModel()
    model.load(
        KINDS["partnerships"],
        ["Kommune", "Partnerstadt", "Sonstiges", ""],
        ["Duisburg", "Wuhan", "x"],
        ["german_party", "chinese_party", None, None],
    )
    qtmodeltester.check(model)
    index = model.index(2, 2)
    assert model.setData(index, "description")
    assert model.user_map() == {"Sonstiges": "description"}
    assert not model.setData(index, "no_such_field")
    assert not model.setData(model.index(3, 2), "title")  # a nameless column is not editable
    assert model.index(2, 3).data() == "changed by you"
    assert model.index(0, 3).data() == "recognised automatically"
    qtmodeltester.check(model)


def test_ftm_list_preview_and_commit(qtbot, wizard, db, tmp_path):
    source = Path(__file__).resolve().parents[1] / "fixtures" / "ftm" / "china_v1.ftm.json"
    path = tmp_path / source.name
    shutil.copy(source, path)
    _open(qtbot, wizard, path)
    assert wizard.inspection.format == "ftm-jsonl" and not wizard.inspection.rejected
    _click(qtbot, wizard, "importNextButton")
    _click(qtbot, wizard, "importNextButton")
    assert any(r[0].startswith("Reference list") for r in wizard.dry_counts.cell_texts())
    _click(qtbot, wizard, "importCommitButton")
    assert wizard.import_result.status == "committed"


def test_dry_run_rejection_is_listed_and_blocks_the_import(qtbot, wizard, db, tmp_path):
    _open(qtbot, wizard, _actors_csv(tmp_path / "akteure.csv", "Hubei"))
    _click(qtbot, wizard, "importNextButton")
    row = wizard.mapping_model.headers.index("Name")
    combo = wizard.mapping_combo(row)
    combo.setCurrentIndex(combo.findData(""))  # the name column: not mapped
    before = _digest(db)
    _click(qtbot, wizard, "importNextButton")
    assert wizard.stack.currentIndex() == PAGE_DRY_RUN
    assert "Rejected" in wizard.dry_verdict.text()
    assert any("name" in r for r in wizard.dry_problems.texts())
    assert not wizard.commit_button.isEnabled()
    assert _digest(db) == before
    wizard.back_button.click()  # correct the mapping and try again
    combo.setCurrentIndex(combo.findData("name_de"))
    _click(qtbot, wizard, "importNextButton")
    assert wizard.commit_button.isEnabled()


def test_every_interactive_widget_is_named(qtbot, wizard, db):
    from PySide6.QtWidgets import (
        QAbstractButton,
        QAbstractItemView,
        QHeaderView,
        QLineEdit,
        QWidget,
    )

    from chinadialog_desktop.ui.datasets.actions import ExportDialog, ImportRunsDialog

    _open(qtbot, wizard, FIXTURES / "good_register_utf8.csv")
    _click(qtbot, wizard, "importNextButton")
    export, runs = ExportDialog(db), ImportRunsDialog(db)
    qtbot.addWidget(export)
    qtbot.addWidget(runs)
    kinds = (QAbstractButton, QAbstractItemView, QComboBox, QLineEdit)
    for top in (wizard, export, runs):
        for widget in top.findChildren(QWidget):
            if not isinstance(widget, kinds) or isinstance(widget, QHeaderView):
                continue
            parent = widget.parent().metaObject().className()
            if widget.objectName().startswith("qt_") or parent.startswith("QComboBox"):
                continue  # Qt's own parts: a table's corner button, a combo box's popup
            assert widget.objectName(), widget
            assert widget.accessibleName(), widget.objectName()


def test_a_file_that_went_away_is_named(qtbot, wizard, db, tmp_path):
    path = tmp_path / "weg.csv"
    shutil.copy(FIXTURES / "good_register_utf8.csv", path)
    _open(qtbot, wizard, path)
    _click(qtbot, wizard, "importNextButton")
    path.unlink()  # deleted between preview and dry run
    _click(qtbot, wizard, "importNextButton")
    assert "Rejected" in wizard.dry_verdict.text()
    assert any(r.startswith("Error | weg.csv") for r in wizard.dry_problems.texts())
    assert not wizard.commit_button.isEnabled()
    wizard.path_edit.setText(str(tmp_path / "gibt-es-nicht.csv"))
    wizard.show_page(0)
    _click(qtbot, wizard, "importNextButton")
    assert wizard.inspection.rejected and not wizard.next_button.isEnabled()


def test_the_field_column_reads_as_captions_not_only_column_names(qtbot):
    from PySide6.QtWidgets import QComboBox, QTableView

    from chinadialog_desktop.services.datasets.kinds import KINDS
    from chinadialog_desktop.ui.datasets.mapping_model import FieldDelegate

    model = MappingModel()
    model.load(
        KINDS["partnerships"], ["Kommune", "Sonstiges"], ["Duisburg", "x"], ["german_party", None]
    )
    assert model.index(0, 2).data() == "German party (german_party)"
    assert model.index(0, 2).data(Qt.ItemDataRole.EditRole) == "german_party"
    view = QTableView()
    qtbot.addWidget(view)
    view.setModel(model)
    combo = FieldDelegate(view).createEditor(view.viewport(), None, model.index(1, 2))
    assert isinstance(combo, QComboBox)
    position = combo.findData("description")
    assert combo.itemText(position) == "Description (description)"
    assert model.label("uuid") == "uuid"  # no caption: the name alone


def test_a_long_problem_reason_wraps_instead_of_being_cut(qtbot):
    from chinadialog_desktop.interchange.problems import ProblemList
    from chinadialog_desktop.ui.datasets.import_pages import ProblemsView

    problems = ProblemList()
    problems.error(
        "Column 'Start': '31.02.1982' is not a date; " + "write it as 19.02.2026 " * 8,
        file="bad.csv",
        line=2,
        column=3,
    )
    view = ProblemsView("problemsTest")
    qtbot.addWidget(view)
    view.resize(700, 300)
    view.show()
    view.show_problems(problems)
    qtbot.waitExposed(view)
    item = view.topLevelItem(0)
    one_line = view.fontMetrics().height()
    qtbot.waitUntil(lambda: view.visualItemRect(item).height() > 2 * one_line)


def test_the_wizard_names_kinds_in_words_not_codes(qtbot, german, db, tmp_path):
    """The package's files are listed as "Akteure", not ``actors``; a value the program
    does not know is answered with the window's own words (issue 15, point 9)."""
    wizard = ImportWizard(db)
    qtbot.addWidget(wizard)
    _open(qtbot, wizard, FIXTURES / "good_package_unlisted_member.zip")
    members = wizard.members_label.text()
    assert "actors.csv: CSV, Akteure, 3" in members  # the file's name stays as it is
    bad = tmp_path / "akteure.csv"
    bad.write_text(
        "Name;Art;Land\nFreundeskreis (Beispiel);Verein/Verband;DE\n"
        "Genossenschaft Nord (Beispiel);Genossenschaft;DE\n",
        encoding="utf-8",
    )
    _open(qtbot, wizard, bad)
    for _step in range(2):  # the problem is told at the preview or at the dry run
        if wizard.findChild(QPushButton, "importNextButton").isEnabled():
            _click(qtbot, wizard, "importNextButton")
    shown = "\n".join([*wizard.problems_view.texts(), *wizard.dry_problems.texts()])
    assert "Genossenschaft" in shown and "Verein/Verband" in shown, shown
    assert "Verein/Verband“ ist kein" not in shown  # the window's own word is read
    for code in ("association", "municipality", "public_body"):
        assert code not in shown, shown
