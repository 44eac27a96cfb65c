"""The Datasets menu on the real window: import reloads the lists, import runs, export."""

from __future__ import annotations

import csv
import zipfile
from pathlib import Path

import pytest
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import QMenu, QPushButton
from sqlalchemy import func, select

from chinadialog_desktop.persistence.database import Database
from chinadialog_desktop.persistence.models import Actor, Dossier, DossierPartnership, Partnership
from chinadialog_desktop.services.datasets.importing import import_dataset
from chinadialog_desktop.ui import app as ui_app
from chinadialog_desktop.ui.datasets import actions as dataset_actions
from chinadialog_desktop.ui.datasets.actions import ExportDialog, ImportRunsDialog

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "datasets"


@pytest.fixture
def window(qtbot, filled_db):
    path = filled_db.path
    filled_db.close()
    session = ui_app.start(path)
    qtbot.addWidget(session.window)
    with qtbot.waitSignal(session.window.sig_list_filled, timeout=20000):
        pass
    qtbot.waitUntil(session.window.attached, timeout=20000)  # the database took over
    dataset_actions.install(session.window)
    yield session.window
    session.close()


def _wait(qtbot, owner) -> None:
    qtbot.waitUntil(lambda: owner.job is None, timeout=60000)


def test_install_once_with_shortcuts(window):
    dataset_actions.install(window)  # a second call changes nothing
    menus = [m for m in window.menuBar().findChildren(QMenu) if m.objectName() == "datasetsMenu"]
    assert len(menus) == 1
    menu = menus[0]
    assert menu.title() == "&Datasets"
    names = [a.objectName() for a in menu.actions() if not a.isSeparator()]
    assert names == ["actionImportDataset", "actionExportDataset", "actionImportRuns"]
    action = window.findChild(QAction, "actionImportDataset")
    assert action.shortcut() == QKeySequence("Ctrl+I")
    assert window.findChild(QAction, "actionExportDataset").shortcut() == QKeySequence("Ctrl+E")
    bar = [a.menu().objectName() for a in window.menuBar().actions() if a.menu()]
    assert bar.index("datasetsMenu") < bar.index("helpMenu")


def test_import_through_the_menu_reloads_the_lists(qtbot, window):
    page = window.pages["partnership"]
    before = page.model.rowCount()
    window.findChild(QAction, "actionImportDataset").trigger()
    wizard = window._dialogs["import"]
    assert wizard.isVisible()
    wizard.open_file(FIXTURES / "good_register_utf8.csv")
    _wait(qtbot, wizard)
    for name in ("importNextButton", "importNextButton"):
        wizard.findChild(QPushButton, name).click()
        _wait(qtbot, wizard)
    # Kiel – Qingdao was entered here and is in the file: a conflict to decide first.
    assert list(wizard.conflict_combos()) and not wizard.commit_button.isEnabled()
    wizard.findChild(QPushButton, "importKeepAllMine").click()
    wizard.findChild(QPushButton, "importCommitButton").click()
    _wait(qtbot, wizard)
    assert wizard.import_result.status == "committed"
    qtbot.waitUntil(lambda: page.model.rowCount() > before, timeout=20000)
    titles = {
        str(page.model.index(r, c).data() or "")
        for r in range(page.model.rowCount())
        for c in range(page.model.columnCount())
    }
    assert "Duisburg – Wuhan" in titles


def test_import_runs_dialog_lists_runs(qtbot, db):
    dialog = ImportRunsDialog(db)
    qtbot.addWidget(dialog)
    assert dialog.table.rowCount() == 0 and not dialog.empty_label.isHidden()
    result = import_dataset(db, FIXTURES / "good_register_utf8.csv")
    assert result.status == "committed"
    dialog.reload()
    rows = dialog.cell_texts()
    assert len(rows) == 1
    file_name, sha, counts, who, when, status = rows[0]
    assert file_name == "good_register_utf8.csv"
    assert sha == result.sha256[:12] + "…"
    assert dialog.table.item(0, 1).toolTip() == result.sha256
    assert "new: " in counts and who and when[2] == "." and status


def test_import_runs_through_the_menu(window):
    window.findChild(QAction, "actionImportRuns").trigger()
    dialog = window._dialogs["import_runs"]
    assert isinstance(dialog, ImportRunsDialog) and dialog.isVisible()


def _export(qtbot, dialog: ExportDialog, fmt: str, out: Path, kind: str = "") -> None:
    dialog.format_combo.setCurrentIndex(dialog.format_combo.findData(fmt))
    dialog.kind_combo.setCurrentIndex(dialog.kind_combo.findData(kind))
    dialog.path_edit.setText(str(out))
    dialog.findChild(QPushButton, "exportStartButton").click()
    _wait(qtbot, dialog)


def test_export_package_reimports_into_an_empty_database(qtbot, filled_db, tmp_path):
    dialog = ExportDialog(filled_db)
    qtbot.addWidget(dialog)
    out = tmp_path / "register.zip"
    _export(qtbot, dialog, "package", out)
    assert dialog.export_result is not None and out.exists()
    assert str(out) in dialog.result_label.text()
    with zipfile.ZipFile(out) as archive:
        assert "manifest.json" in archive.namelist()
    empty = Database.open(tmp_path / "leer.sqlite3")
    try:
        assert import_dataset(empty, out).status == "committed"
        with empty.session() as s, filled_db.session() as t:
            for model in (Actor, Partnership):
                count = select(func.count()).select_from(model)
                assert s.scalar(count) == t.scalar(count) > 0
    finally:
        empty.close()


def test_export_csv_of_one_dossier(qtbot, filled_db, tmp_path):
    with filled_db.session() as s:
        partnership = s.scalars(select(Partnership).where(Partnership.title.like("Kiel%"))).one()
        dossier = Dossier(title="Kiel prüfen")
        s.add(dossier)
        s.flush()
        s.add(DossierPartnership(dossier_id=dossier.id, partnership_id=partnership.id))
    dialog = ExportDialog(filled_db)
    qtbot.addWidget(dialog)
    combo = dialog.dossier_combo
    combo.setCurrentIndex(combo.findText("Kiel prüfen"))
    out = tmp_path / "kiel.csv"
    _export(qtbot, dialog, "csv", out, "partnerships")
    data = out.read_bytes()
    assert data.startswith(b"\xef\xbb\xbf")
    rows = list(csv.reader(data.decode("utf-8-sig").splitlines(), delimiter=";"))
    assert len(rows) == 2 and "Kiel – Qingdao" in rows[1]


def test_export_failure_is_shown(qtbot, filled_db, tmp_path):
    dialog = ExportDialog(filled_db)
    qtbot.addWidget(dialog)
    _export(qtbot, dialog, "csv", tmp_path / "no" / "such" / "folder" / "x.csv")
    assert dialog.export_result is None
    assert dialog.result_label.text().startswith("Not exported")


def test_ctrl_i_in_a_section_text_stays_italic(qtbot, window):
    from PySide6.QtCore import Qt
    from PySide6.QtWidgets import QApplication

    with window.workspace.database.session() as s:
        s.add(Dossier(title="Kiel prüfen"))
    window.reload_all()
    window.show()
    window.activateWindow()
    page = window.show_page("dossier")
    qtbot.waitUntil(lambda: page.model.rowCount() == 1, timeout=20000)
    page.table.selectRow(0)
    qtbot.waitUntil(lambda: page.editor is not None and page.editor.record_id is not None)
    section = next(iter(page.editor.sections.values()))
    section.text.setPlainText("Partner")
    section.text.selectAll()
    section.text.setFocus()
    QApplication.processEvents()
    qtbot.keyClick(section.text, Qt.Key.Key_I, Qt.KeyboardModifier.ControlModifier)
    assert section.text.toPlainText() == "Partner"  # shown slanted, no asterisks
    assert section.text.markdown() == "*Partner*"
    assert "import" not in window._dialogs
    page.table.setFocus()
    QApplication.processEvents()
    qtbot.keyClick(page.table, Qt.Key.Key_I, Qt.KeyboardModifier.ControlModifier)
    assert window._dialogs["import"].isVisible()


def test_export_xlsx_then_import_every_sheet_or_one(qtbot, filled_db, tmp_path):
    from chinadialog_desktop.ui.datasets.import_wizard import ImportWizard

    dialog = ExportDialog(filled_db)
    qtbot.addWidget(dialog)
    out = tmp_path / "alles.xlsx"
    _export(qtbot, dialog, "xlsx", out)
    assert dialog.export_result is not None
    for sheet, expected_actors in ((None, 8), ("actors", 8)):
        empty = Database.open(tmp_path / f"leer-{sheet}.sqlite3")
        try:
            wizard = ImportWizard(empty)
            qtbot.addWidget(wizard)
            wizard.open_file(out)
            _wait(qtbot, wizard)
            combo = wizard.sheet_combo
            assert combo.itemData(0) == "" and combo.currentIndex() == 0
            assert "Every sheet" in wizard.info_label.text()
            if sheet is not None:
                combo.setCurrentIndex(combo.findData(sheet))
                combo.activated.emit(combo.currentIndex())
                _wait(qtbot, wizard)
                assert wizard.inspection.requested_sheet == sheet
            for name in ("importNextButton", "importNextButton", "importCommitButton"):
                wizard.findChild(QPushButton, name).click()
                _wait(qtbot, wizard)
            assert wizard.import_result is not None, (
                wizard.dry_verdict.text(),
                wizard.dry_problems.texts(),
                wizard.stack.currentIndex(),
                wizard.result_label.text(),
            )
            assert wizard.import_result.status == "committed"
            with empty.session() as s:
                assert s.scalar(select(func.count()).select_from(Actor)) == expected_actors
                partnerships = s.scalar(select(func.count()).select_from(Partnership))
            assert partnerships == (4 if sheet is None else 0)
        finally:
            empty.close()


def test_without_an_open_database_the_menu_says_so(window):
    window.close_database()
    for name in ("actionImportDataset", "actionExportDataset", "actionImportRuns"):
        window.findChild(QAction, name).trigger()
    assert not {"import", "dataset_export", "import_runs"} & set(window._dialogs)
    assert window.count_label.text() == "Open a database first."


def test_export_target_caption_is_a_shortcut_to_the_path_field(qtbot, filled_db):
    from PySide6.QtWidgets import QLabel

    dialog = ExportDialog(filled_db)
    qtbot.addWidget(dialog)
    captions = [label for label in dialog.findChildren(QLabel) if "&" in label.text()]
    assert captions, "the form captions carry their shortcuts"
    assert all(label.buddy() is not None for label in captions)
    assert dialog.findChild(QLabel, "exportPathLabel").buddy() is dialog.path_edit


def test_export_result_names_the_kinds_as_people_read_them(qtbot, filled_db, tmp_path):
    dialog = ExportDialog(filled_db)
    qtbot.addWidget(dialog)
    _export(qtbot, dialog, "package", tmp_path / "all.zip", "")
    text = dialog.result_label.text()
    assert "Actors: " in text and "Partnerships: " in text
    assert "actors:" not in text and "partnerships:" not in text
