"""The Aktenzeichen of a partnership: one registry entry and one migration, and it is
imported, stored, listed, exported and printed in the briefing. Names are invented
(Beispiel)."""

from __future__ import annotations

import csv
import io

from helpers.briefing_sample import PARTNERSHIP_UUID, prepare
from helpers.pdf import all_text, flat
from sqlalchemy import select

from chinadialog_desktop.domain.kinds import REGISTRY, Kind
from chinadialog_desktop.persistence.models import Dossier, Partnership
from chinadialog_desktop.services.briefing.export import BriefingOptions, export_briefing
from chinadialog_desktop.services.datasets.export import export_dataset
from chinadialog_desktop.services.datasets.importing import REJECTED, ImportOptions, import_dataset
from chinadialog_desktop.services.records import listing, validation
from chinadialog_desktop.services.records.lists import COLUMNS, ListQuery, list_ids, list_rows
from chinadialog_desktop.ui.records.list_columns import HEADERS, cell_text

ROWS = (
    "Titel;Aktenzeichen;Kommune (DE);Partner (CN)\r\n"
    "Musterstadt–Beispielstadt;AZ 32-14/2026 (Beispiel);Musterstadt;Beispielstadt\r\n"
    "Anderstadt–Beispielhafen;AZ 01-02/2020 (Beispiel);Anderstadt;Beispielhafen\r\n"
)


def _import(db, tmp_path):
    path = tmp_path / "partnerschaften.csv"
    path.write_text(ROWS, encoding="utf-8")
    result = import_dataset(db, path, ImportOptions(kind="partnerships"))
    assert result.ok, [p.message for p in result.problems]


def test_the_registry_declares_it_once():
    field = REGISTRY[Kind.PARTNERSHIP].field("file_reference")
    assert field is not None and field.caption == "File reference"
    assert field.list_column and field.briefing and field.editor_widget == "line"


def test_imported_under_its_german_header_and_stored(db, tmp_path):
    _import(db, tmp_path)
    with db.session() as s:
        found = dict(s.execute(select(Partnership.title, Partnership.file_reference)).all())
    assert found["Musterstadt–Beispielstadt"] == "AZ 32-14/2026 (Beispiel)"


def test_listed_sorted_and_shown_under_its_caption(db, tmp_path, german):
    _import(db, tmp_path)
    assert "file_reference" in COLUMNS["partnership"]
    assert ("file_reference", "File ref.") in HEADERS["partnership"]  # shown as "Az."
    with db.session() as s:
        ids = list_ids(s, "partnership", ListQuery(sort="file_reference"))
        rows = list_rows(s, "partnership", ids)
        cli_rows = [r.as_json() for r in listing.iter_partnership_rows(s)]
    shown = [cell_text("partnership", r, "file_reference") for r in rows]
    assert shown == ["AZ 01-02/2020 (Beispiel)", "AZ 32-14/2026 (Beispiel)"]
    assert {r["file_reference"] for r in cli_rows} == set(shown)
    with db.session() as s:  # typed into the list's filter box, it finds its partnership
        [found] = list_rows(s, "partnership", list_ids(s, "partnership", ListQuery(text="32-14")))
    assert found.title == "Musterstadt–Beispielstadt"


def test_exported_and_imported_back(db, tmp_path):
    _import(db, tmp_path)
    out = tmp_path / "export.csv"
    with db.session() as s:
        export_dataset(s, "csv", out, kinds=["partnerships"])
    text = out.read_bytes().decode("utf-8-sig")
    records = list(csv.DictReader(io.StringIO(text), delimiter=";"))
    assert {r["file_reference"] for r in records} == {
        "AZ 32-14/2026 (Beispiel)",
        "AZ 01-02/2020 (Beispiel)",
    }


def test_too_long_is_refused_by_import_and_editor_with_the_same_words(db, tmp_path):
    value = "AZ " + "9" * 64
    editor_says = validation.field_error("partnership", "file_reference", value)
    assert editor_says is not None
    path = tmp_path / "lang.csv"
    path.write_text(f"Titel;Aktenzeichen\r\nMusterstadt;{value}\r\n", encoding="utf-8")
    result = import_dataset(db, path, ImportOptions(kind="partnerships"))
    assert result.status == REJECTED
    assert [(p.message, p.header) for p in result.problems if p.line == 2] == [
        (editor_says, "Aktenzeichen")
    ]


def test_printed_in_the_partnership_facts_of_the_briefing(db, tmp_path):
    with db.session() as s:
        dossier = prepare(s)
        partnership = s.scalars(
            select(Partnership).where(Partnership.uuid == PARTNERSHIP_UUID)
        ).one()
        partnership.file_reference = "AZ 15-70/2011 (Beispiel)"
        dossier_id = dossier.id
    with db.session() as s:
        dossier = s.get(Dossier, dossier_id)
        result = export_briefing(
            s, dossier, BriefingOptions(lang="de"), tmp_path / "vorlage.pdf", record=False
        )
    text = flat(all_text(result.data))
    assert "Aktenzeichen AZ 15-70/2011 (Beispiel)" in text
