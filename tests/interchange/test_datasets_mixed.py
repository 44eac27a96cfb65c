"""Issue 13, point 3: a list of persons and organisations imports in one run.

A partner city sends one table whose column "Art" says Person or Organisation.
Organisations become actors, persons contacts of the organisation they name
("Organisation" / "gehört zu": a row of the list or an actor in the database);
a name in Chinese characters alone is enough, and becomes the display name. The
whole list is one transaction and one entry in the import history. Every name
here is invented (Beispiel).
"""

from __future__ import annotations

import hashlib
import json
import zipfile
from pathlib import Path
from typing import Any

import pytest
from openpyxl import Workbook
from sqlalchemy import func, select

from chinadialog_desktop.persistence.models import Actor, Contact, ImportRun
from chinadialog_desktop.persistence.models_reference import ScreeningHit
from chinadialog_desktop.services.datasets.importing import (
    COMMITTED,
    REJECTED,
    ImportOptions,
    import_dataset,
)
from chinadialog_desktop.services.records import validation
from chinadialog_desktop.services.screening import reference_lists
from chinadialog_desktop.services.screening.runs import run_screening

HEADER = ["Art", "Name", "Chinesischer Name", "Organisation", "Funktion", "E-Mail"]
ROWS = [
    ["Organisation", "Volksregierung Xihai (Beispiel)", "西海市人民政府", "", "", ""],
    [
        "Person",
        "Wang Wei (Beispiel)",
        "王伟",
        "Volksregierung Xihai (Beispiel)",
        "Bürgermeister",
        "",
    ],
    ["organization", "", "西海大学", "", "", ""],  # English, lower case, characters only
    ["person", "", "李娜", "西海大学", "Professorin", "li.na@beispiel.cn"],
    ["Unternehmen", "Xihai Stahl AG (Beispiel)", "", "", "", ""],  # a kind of organisation
    ["Person", "Zhao Lei (Beispiel)", "", "Xihai Stahl AG (Beispiel)", "", ""],
]


def _csv(tmp_path: Path, rows: list[list[str]], name: str = "liste.csv") -> Path:
    path = tmp_path / name
    lines = [";".join(HEADER), *(";".join(r) for r in rows)]
    path.write_text("\r\n".join(lines) + "\r\n", encoding="utf-8")
    return path


def _xlsx(tmp_path: Path, rows: list[list[str]], name: str = "liste.xlsx") -> Path:
    book = Workbook()
    sheet = book.active
    sheet.title = "Delegation"
    sheet.append(HEADER)
    for row in rows:
        sheet.append([cell or None for cell in row])
    path = tmp_path / name
    book.save(path)
    return path


def _records(db: Any) -> dict[str, list[tuple[Any, ...]]]:
    """Every stored actor and contact, with version and time of change."""
    with db.session() as s:
        actors = [
            (a.uuid, a.name_de, a.name_zh, a.kind, a.country, a.notes, a.version, a.modified_at)
            for a in s.scalars(select(Actor).order_by(Actor.id))
        ]
        contacts = [
            (
                c.uuid,
                c.name,
                c.name_zh,
                c.function,
                c.email,
                c.actor.name_de if c.actor else None,
                c.notes,
                c.version,
                c.modified_at,
            )
            for c in s.scalars(select(Contact).order_by(Contact.id))
        ]
    return {"actors": actors, "contacts": contacts}


def _runs(db: Any) -> list[str]:
    with db.session() as s:
        return list(s.scalars(select(ImportRun.status).order_by(ImportRun.id)))


def _count(db: Any, model: Any) -> int:
    with db.session() as s:
        return int(s.scalar(select(func.count(model.id))))


@pytest.mark.parametrize("write", [_csv, _xlsx], ids=["csv", "xlsx"])
def test_a_mixed_list_imports_persons_as_contacts_and_organisations_as_actors(
    db: Any, tmp_path: Path, write: Any
) -> None:
    result = import_dataset(db, write(tmp_path, ROWS))
    assert result.status == COMMITTED, [str(p) for p in result.problems]
    assert result.mappings[0].kind.key == "mixed"
    kinds = result.counts()["kinds"]
    assert kinds["actors"]["new"] == 3 and kinds["contacts"]["new"] == 3
    assert _runs(db) == ["committed"]  # one run, one entry in the history
    assert result.backup_path is not None and result.backup_path.exists()
    stored = _records(db)
    actors = {a[1]: a for a in stored["actors"]}
    # A name in characters alone is the display name; characters without a country: China.
    assert actors["西海大学"][2] == "西海大学" and actors["西海大学"][4] == "CN"
    # "Organisation" says no more about its kind: "other", never a guessed "municipality".
    assert actors["西海大学"][3] == actors["Volksregierung Xihai (Beispiel)"][3] == "other"
    assert actors["Xihai Stahl AG (Beispiel)"][3] == "company"  # "Art: Unternehmen"
    assert actors["Volksregierung Xihai (Beispiel)"][2] == "西海市人民政府"
    contacts = {c[2] or c[1]: c for c in stored["contacts"]}
    assert contacts["王伟"][1:6] == (
        "Wang Wei (Beispiel)",
        "王伟",
        "Bürgermeister",
        None,
        "Volksregierung Xihai (Beispiel)",
    )
    assert contacts["李娜"][1] == "李娜" and contacts["李娜"][5] == "西海大学"
    assert contacts["Zhao Lei (Beispiel)"][5] == "Xihai Stahl AG (Beispiel)"
    # "Art" made each row what it is: it is not kept as an extra column anywhere.
    assert all(not a[5] for a in stored["actors"])
    assert all(not c[6] for c in stored["contacts"])


@pytest.mark.parametrize("write", [_csv, _xlsx], ids=["csv", "xlsx"])
def test_importing_the_same_list_twice_changes_nothing(db: Any, tmp_path: Path, write: Any) -> None:
    path = write(tmp_path, ROWS)
    assert import_dataset(db, path).status == COMMITTED
    before = _records(db)
    again = import_dataset(db, path)
    assert again.status == COMMITTED
    assert again.counts()["total"] == {"new": 0, "updated": 0, "unchanged": 6, "conflict": 0}
    assert again.backup_path is None  # nothing to change, nothing backed up
    assert _records(db) == before


def test_a_person_later_listed_with_a_latin_name_is_the_same_person(
    db: Any, tmp_path: Path
) -> None:
    """Duplicate detection for persons: the characters and the organisation recognise them."""
    assert import_dataset(db, _csv(tmp_path, ROWS, "erste.csv")).status == COMMITTED
    rows = [list(r) for r in ROWS]
    rows[3][1] = "Li Na (Beispiel)"  # the same professor, now with a Latin name
    rows[2][1] = "Universität Xihai (Beispiel)"  # and her university with a German one
    result = import_dataset(db, _csv(tmp_path, rows, "zweite.csv"))
    assert result.status == COMMITTED, [str(p) for p in result.problems]
    assert result.counts()["total"]["new"] == 0
    assert _count(db, Contact) == 3 and _count(db, Actor) == 3
    names = {c[1] for c in _records(db)["contacts"]}
    assert "Li Na (Beispiel)" in names and "李娜" not in names
    # The university, imported under its characters, now takes the German name the list gives.
    assert {a[1] for a in _records(db)["actors"]} >= {"Universität Xihai (Beispiel)"}


def test_two_rows_for_one_person_are_a_duplicate(db: Any, tmp_path: Path) -> None:
    rows = [*ROWS, ["Person", "wang wei (beispiel)", "", "Volksregierung Xihai (Beispiel)", "", ""]]
    result = import_dataset(db, _csv(tmp_path, rows))
    assert result.status == REJECTED
    [problem] = [p for p in result.problems if p.is_error]
    assert problem.code == "record.duplicate" and problem.line == 8
    assert _count(db, Contact) == 0 and _count(db, Actor) == 0


@pytest.mark.parametrize("value", ["Persn", "Firma AG", "?"])
def test_an_unknown_art_is_one_german_sentence_with_line_and_column(
    db: Any, tmp_path: Path, german: None, value: str
) -> None:
    rows = [list(r) for r in ROWS]
    rows[3][0] = value
    result = import_dataset(db, _csv(tmp_path, rows))
    assert result.status == REJECTED
    [problem] = [p for p in result.problems if p.is_error]
    assert (problem.file, problem.line, problem.column) == ("liste.csv", 5, 1)
    assert problem.message == (
        f"Spalte „Art“: „{value}“ ist weder Person noch Organisation (noch eine Art von "
        "Organisation wie Unternehmen oder Behörde)."
    )
    assert str(problem).startswith("liste.csv, Zeile 5, Spalte 1: ")
    assert _count(db, Contact) == 0 and _count(db, Actor) == 0
    assert _runs(db) == ["failed"]  # the attempt is in the history, nothing else


def test_an_unknown_art_in_a_workbook_names_the_cell(db: Any, tmp_path: Path, german: None) -> None:
    rows = [list(r) for r in ROWS]
    rows[1][0] = "Persoon"
    result = import_dataset(db, _xlsx(tmp_path, rows))
    assert result.status == REJECTED
    [problem] = [p for p in result.problems if p.is_error]
    assert (problem.sheet, problem.cell) == ("Delegation", "A3")
    assert "„Persoon“ ist weder Person noch Organisation" in problem.message
    assert _count(db, Actor) == 0


def test_a_person_without_an_organisation_is_refused(db: Any, tmp_path: Path, german: None) -> None:
    rows = [*ROWS, ["Person", "Sun Mei (Beispiel)", "孙梅", "", "", ""]]
    result = import_dataset(db, _csv(tmp_path, rows))
    assert result.status == REJECTED
    [problem] = [p for p in result.problems if p.is_error]
    assert (problem.line, problem.column, problem.code) == (8, 4, "record.no_link")
    assert "„Sun Mei (Beispiel)“" in problem.message and "„Organisation“" in problem.message
    assert _count(db, Contact) == 0 and _count(db, Actor) == 0


def test_a_person_may_name_an_organisation_already_in_the_database(db: Any, tmp_path: Path) -> None:
    with db.session() as s:
        s.add(Actor(name_de="Stadt Xihai (Beispiel)", name_zh="西海市", kind="city", country="CN"))
    path = tmp_path / "personen.csv"
    path.write_text("Art;Name;gehört zu\r\nPerson;Chen Hua (Beispiel);西海市\r\n", encoding="utf-8")
    result = import_dataset(db, path)
    assert result.status == COMMITTED, [str(p) for p in result.problems]
    [contact] = _records(db)["contacts"]
    assert contact[5] == "Stadt Xihai (Beispiel)"
    assert _count(db, Actor) == 1  # nothing created beside it


def test_a_person_naming_an_unknown_organisation_is_refused(db: Any, tmp_path: Path) -> None:
    path = tmp_path / "personen.csv"
    path.write_text("Art;Name;Organisation\r\nPerson;Chen Hua;Nirgendwo-Amt\r\n", encoding="utf-8")
    result = import_dataset(db, path)
    assert result.status == REJECTED
    [problem] = [p for p in result.problems if p.is_error]
    assert problem.code == "record.unknown_reference" and "Nirgendwo-Amt" in problem.message
    assert _count(db, Contact) == 0


def test_a_list_of_persons_without_an_organisation_column_is_refused(
    db: Any, tmp_path: Path
) -> None:
    path = tmp_path / "personen.csv"
    path.write_text("Art;Name\r\nOrganisation;Amt A\r\nPerson;Chen Hua\r\n", encoding="utf-8")
    result = import_dataset(db, path)
    assert result.status == REJECTED
    [problem] = [p for p in result.problems if p.is_error]
    assert problem.code == "mapping.missing" and problem.line is None
    assert _count(db, Actor) == 0


@pytest.mark.parametrize(
    ("row", "column", "kind", "field", "value"),
    [
        (["Person", "Wu Fang", "", "Amt A", "", "wu(at)beispiel"], 6, "contact", "email", None),
        (["Organisation", "Amt B", "", "", "", "", "914403001922038217"], 7, "actor", "uscc", None),
    ],
)
def test_each_row_is_checked_as_the_editor_checks_its_kind(
    db: Any, tmp_path: Path, row: list[str], column: int, kind: str, field: str, value: Any
) -> None:
    """The contact's e-mail and the organisation's USCC: the editor's rule and words."""
    path = tmp_path / "liste.csv"
    header = ";".join([*HEADER, "USCC"])
    lines = [header, "Organisation;Amt A;;;;;", ";".join(row + [""] * (7 - len(row)))]
    path.write_text("\r\n".join(lines) + "\r\n", encoding="utf-8")
    result = import_dataset(db, path)
    editor_says = validation.field_error(kind, field, row[column - 1])
    assert editor_says is not None
    assert result.status == REJECTED
    [problem] = [p for p in result.problems if p.is_error]
    assert editor_says in problem.message and (problem.line, problem.column) == (3, column)
    assert _count(db, Actor) == 0 and _count(db, Contact) == 0


def test_an_actors_list_with_only_chinese_names_imports(db: Any, tmp_path: Path) -> None:
    """The plain actors import too: a name in characters alone is enough."""
    path = tmp_path / "akteure.csv"
    path.write_text("Chinesischer Name;Land\r\n西海市人民政府;CN\r\n", encoding="utf-8")
    result = import_dataset(db, path, ImportOptions(kind="actors"))
    assert result.status == COMMITTED, [str(p) for p in result.problems]
    [actor] = _records(db)["actors"]
    assert actor[1:3] == ("西海市人民政府", "西海市人民政府")
    assert (
        import_dataset(db, path, ImportOptions(kind="actors")).counts()["total"]["unchanged"] == 1
    )


def test_an_actors_list_with_kinds_in_art_stays_an_actors_list(db: Any, tmp_path: Path) -> None:
    path = tmp_path / "akteure.csv"
    path.write_text("Name;Art;Land\r\nMusterstadt (Beispiel);Kommune;DE\r\n", encoding="utf-8")
    result = import_dataset(db, path)
    assert result.status == COMMITTED
    assert result.mappings[0].kind.key == "actors"


SHEN = {
    "id": "p-shen",
    "schema": "Person",
    "datasets": ["bsp"],
    "properties": {"name": ["Shen Wei", "沈伟"], "topics": ["role.rca"]},
}


def test_an_imported_person_is_screened_as_a_person(db: Any, tmp_path: Path) -> None:
    """A listed Person against the imported contact: no penalty for a kind that differs."""
    listing = tmp_path / "p.ftm.json"
    listing.write_text(json.dumps(SHEN, ensure_ascii=False) + "\n", encoding="utf-8")
    reference_lists.import_reference_list(db, listing)
    rows = [
        ["Organisation", "Beispiel-Institut", "", "", "", ""],
        ["Person", "Shen Wei", "沈伟", "Beispiel-Institut", "", ""],
        # The same names as an organisation: screened as one, it loses the kind points.
        ["Organisation", "Shen Wei", "沈伟", "", "", ""],
    ]
    assert import_dataset(db, _csv(tmp_path, rows)).status == COMMITTED
    with db.session() as s:
        result = run_screening(s, threshold=0.5)
        hits = {h.subject_kind: h for h in s.scalars(select(ScreeningHit))}
    assert result.subjects == 3
    person, organisation = hits["contact"], hits["actor"]
    assert person.score >= 0.95
    assert "kind_mismatch" not in [e["code"] for e in person.explanation.get("lowered", [])]
    assert "kind_mismatch" in [e["code"] for e in organisation.explanation.get("lowered", [])]
    assert organisation.score < person.score


def test_a_person_may_come_before_its_organisation(db: Any, tmp_path: Path) -> None:
    result = import_dataset(db, _csv(tmp_path, list(reversed(ROWS))))
    assert result.status == COMMITTED, [str(p) for p in result.problems]
    assert {c[5] for c in _records(db)["contacts"]} == {
        "Volksregierung Xihai (Beispiel)",
        "西海大学",
        "Xihai Stahl AG (Beispiel)",
    }


def test_the_kind_may_be_named_and_a_package_member_may_be_a_mixed_list(
    db: Any, tmp_path: Path
) -> None:
    body = _csv(tmp_path, ROWS).read_bytes()
    assert import_dataset(db, _csv(tmp_path, ROWS), ImportOptions(kind="mixed")).ok
    entry = {
        "path": "delegation.csv",
        "format": "csv",
        "kind": "mixed",
        "records": len(ROWS),
        "sha256": hashlib.sha256(body).hexdigest(),
    }
    manifest = {
        "schema_version": "1.0",
        "package_id": "p-mixed",
        "title": "Delegation (Beispiel)",
        "publisher": "Partnerstadt (Beispiel)",
        "created": "2026-02-19T10:00:00Z",
        "licence": "CC-BY-4.0",
        "files": [entry],
    }
    package = tmp_path / "delegation.zip"
    with zipfile.ZipFile(package, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr("manifest.json", json.dumps(manifest))
        z.writestr("delegation.csv", body)
    result = import_dataset(db, package)
    assert result.status == COMMITTED, [str(p) for p in result.problems]
    assert result.counts()["total"]["unchanged"] == 6  # the same rows, read from the package


def test_a_json_dataset_has_no_mixed_records(db: Any, tmp_path: Path) -> None:
    """Mixed lists are tables; in our JSON each record names its own kind."""
    path = tmp_path / "daten.json"
    doc = {"format": "chinadialog-dataset", "format_version": 1, "records": {"mixed": [{}]}}
    path.write_text(json.dumps(doc), encoding="utf-8")
    result = import_dataset(db, path)
    assert result.status == REJECTED
    assert [p.code for p in result.problems if p.is_error] == ["kind.unknown"]


def test_an_empty_art_or_a_row_without_any_name_is_refused(
    db: Any, tmp_path: Path, german: None
) -> None:
    result = import_dataset(
        db, _csv(tmp_path, [*ROWS, ["", "Ohne Art (Beispiel)", "", "", "", ""]])
    )
    assert result.status == REJECTED
    errors = [(p.line, p.column, p.message) for p in result.problems if p.is_error]
    assert errors == [(8, 1, "Spalte „Art“ ist leer: Schreiben Sie Person oder Organisation.")]
    nameless = [*ROWS, ["Person", "", "", "西海大学", "Sekretärin", ""]]
    result = import_dataset(db, _csv(tmp_path, nameless, "ohne-name.csv"))
    assert result.status == REJECTED
    [problem] = [p for p in result.problems if p.is_error]
    assert problem.line == 8 and problem.code == "record.incomplete"
    assert _count(db, Actor) == 0 and _count(db, Contact) == 0
