"""Issue 13, point 3 in the window: the import dialog reads a list of persons and
organisations through the same service, and shows how many of each it holds and writes."""

from __future__ import annotations

from pathlib import Path

import pytest
from openpyxl import Workbook
from PySide6.QtWidgets import QPushButton
from sqlalchemy import func, select

from chinadialog_desktop.persistence.models import Actor, Contact, ImportRun
from chinadialog_desktop.ui.datasets.import_wizard import (
    PAGE_DRY_RUN,
    PAGE_PREVIEW,
    PAGE_RESULT,
    ImportWizard,
)

ROWS = [
    ["Art", "Name", "Chinesischer Name", "gehört zu", "Funktion"],
    ["Organisation", "Volksregierung Xihai (Beispiel)", "西海市人民政府", None, None],
    ["Person", "Wang Wei (Beispiel)", "王伟", "Volksregierung Xihai (Beispiel)", "Bürgermeister"],
    ["Organisation", None, "西海大学", None, None],
    ["Person", None, "李娜", "西海大学", "Professorin"],
    ["Person", "Zhao Lei (Beispiel)", None, "西海大学", None],
]


@pytest.fixture
def wizard(qtbot, db, german) -> ImportWizard:
    w = ImportWizard(db)
    qtbot.addWidget(w)
    w.show()
    return w


def _xlsx(path: Path, rows: list[list[str | None]]) -> Path:
    book = Workbook()
    for row in rows:
        book.active.append(row)
    book.save(path)
    return path


def _wait(qtbot, wizard: ImportWizard) -> None:
    qtbot.waitUntil(lambda: wizard.job is None, timeout=60000)


def _click(qtbot, wizard: ImportWizard, name: str) -> None:
    button = wizard.findChild(QPushButton, name)
    assert button is not None and button.isEnabled(), name
    button.click()
    _wait(qtbot, wizard)


def _count(db, model) -> int:
    with db.session() as s:
        return int(s.scalar(select(func.count()).select_from(model)))


def test_the_dialog_imports_a_mixed_list_and_shows_persons_and_organisations(
    qtbot, wizard, db, tmp_path
):
    path = _xlsx(tmp_path / "Delegation #2 Xīhǎi 西海 (Übersicht).xlsx", ROWS)
    wizard.open_file(path)
    _wait(qtbot, wizard)
    assert wizard.stack.currentIndex() == PAGE_PREVIEW
    assert "3 Personen (werden Kontakte), 2 Organisationen (Akteure)" in wizard.info_label.text()
    _click(qtbot, wizard, "importNextButton")  # to the mapping
    assert wizard.kind_combo.currentData() == "mixed"
    assert wizard.kind_combo.currentText() == "Personen und Organisationen"
    assert wizard.mapping_model.fields[:4] == ["record_type", "name", "name_zh", "actor"]
    _click(qtbot, wizard, "importNextButton")  # the dry run
    assert wizard.stack.currentIndex() == PAGE_DRY_RUN
    assert wizard.dry_counts.cell_texts() == [
        ["Organisationen (Akteure)", "2", "0", "0", "0"],
        ["Personen (Kontakte)", "3", "0", "0", "0"],
    ]
    assert _count(db, Actor) == 0  # nothing written before Import
    _click(qtbot, wizard, "importCommitButton")
    assert wizard.stack.currentIndex() == PAGE_RESULT
    assert wizard.import_result.status == "committed"
    assert wizard.result_counts.cell_texts()[1] == ["Personen (Kontakte)", "3", "0", "0", "0"]
    assert (_count(db, Actor), _count(db, Contact), _count(db, ImportRun)) == (2, 3, 1)
    # The same list again: the dry run finds everything unchanged.
    wizard.open_file(path)
    _wait(qtbot, wizard)
    _click(qtbot, wizard, "importNextButton")
    _click(qtbot, wizard, "importNextButton")
    assert [row[3] for row in wizard.dry_counts.cell_texts()] == ["2", "3"]


def test_the_dialog_names_the_cell_of_an_unknown_art(qtbot, wizard, db, tmp_path):
    rows = [list(r) for r in ROWS]
    rows[4][0] = "Personne"
    wizard.open_file(_xlsx(tmp_path / "liste.xlsx", rows))
    _wait(qtbot, wizard)
    assert not wizard.next_button.isEnabled()
    assert wizard.problems_view.texts() == [
        "Fehler | liste.xlsx | Tabellenblatt Sheet, Zelle A5 | Spalte „Art“: „Personne“ ist "
        "weder Person noch Organisation (noch eine Art von Organisation wie Unternehmen oder "
        "Behörde)."
    ]
    assert _count(db, Actor) == 0
