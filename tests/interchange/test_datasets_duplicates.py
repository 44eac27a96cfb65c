"""Rows of one file that describe the same record are problems, with both lines named.

What the import would recognise as one record in the database (same name,
same pair of partners, same title …) is one record in the file too: two such
rows would create two records, and the file could never be imported again
("passt auf 2 Partnerschaften"). Rows that each carry their own UUID are
distinct records whatever their names.
"""

from __future__ import annotations

import json

import pytest
from sqlalchemy import func, select

from chinadialog_desktop.cli import main
from chinadialog_desktop.i18n import set_language
from chinadialog_desktop.persistence.models import Activity, Actor, Partnership
from chinadialog_desktop.services.datasets.importing import (
    COMMITTED,
    REJECTED,
    ImportOptions,
    import_dataset,
)

U1 = "0190d2b4-7b1c-7c3e-8a4e-000000000001"
U2 = "0190d2b4-7b1c-7c3e-8a4e-000000000002"


def _errors(result):
    return [(p.code, p.line, p.message) for p in result.problems if p.is_error]


def _count(db, model):
    with db.session() as s:
        return s.scalar(select(func.count()).select_from(model))


@pytest.mark.parametrize(
    ("kind", "text", "line", "first"),
    [
        ("actors", "Name;Land\r\nDuisburg;DE\r\nKöln;DE\r\nDUISBURG;DE\r\n", 4, 2),
        ("actors", "Name;Land\r\nMünchen;DE\r\nMuenchen;DE\r\n", 3, 2),
        ("actors", "Name;Land\r\nМосква;RU\r\nмосква;RU\r\n", 3, 2),
        # Found by its Chinese name: the second row's name is the first row's name_zh.
        ("actors", "name_de;name_zh\r\nPeking;北京\r\n北京;\r\n", 3, 2),
        ("actors", "name_de;name_zh\r\n北京;\r\nPeking;北京\r\n", 3, 2),
        # One row with a UUID, one without: the second would match the first next time.
        ("actors", f"uuid;name_de\r\n{U1};Bonn\r\n;Bonn\r\n", 3, 2),
        ("actors", f"uuid;name_de\r\n;Bonn\r\n{U1};Bonn\r\n", 3, 2),
        # Two towns of one name cannot be told apart without UUIDs.
        ("actors", "Name;Bundesland\r\nNeustadt;Hessen\r\nNeustadt;Sachsen\r\n", 3, 2),
        # The same UUID twice.
        ("actors", f"uuid;name_de\r\n{U1};Bonn\r\n{U1};Bonn-Beuel\r\n", 3, 2),
        (
            "partnerships",
            "Kommune;Partnerstadt;Art\r\nKöln;Peking;Städtepartnerschaft\r\n"
            "Bonn;Chengdu;\r\nKoeln;peking;Freundschaft\r\n",
            4,
            2,
        ),
        (
            "partnerships",
            "title;Kommune\r\nAustausch (Beispiel);Bonn\r\nAUSTAUSCH Beispiel;\r\n",
            3,
            2,
        ),
        (
            "sources",
            "title;author\r\nStadtchronik (Beispiel);A\r\nStadtchronik  (Beispiel);B\r\n",
            3,
            2,
        ),
        ("contacts", "name;function\r\nFrau Li (Beispiel);a\r\nfrau li (beispiel);b\r\n", 3, 2),
    ],
)
def test_duplicate_rows_are_problems_and_nothing_is_written(
    db, write, state, kind, text, line, first
):
    before = state()
    result = import_dataset(db, write(f"{kind}.csv", text), ImportOptions(kind=kind))
    assert result.status == REJECTED
    [(code, at, message)] = _errors(result)
    assert (code, at) == ("record.duplicate", line)
    assert f"This repeats line {first} (" in message
    assert state() == before


def test_activities_are_duplicates_only_with_the_same_partnership_date_and_title(db, write):
    assert import_dataset(db, write("p.csv", "Kommune;Partnerstadt\r\nBonn;Chengdu\r\n")).ok
    text = (
        "partnership;date;title\r\n"
        "Bonn – Chengdu;01.03.2024;Besuch (Beispiel)\r\n"
        "Bonn – Chengdu;02.03.2024;Besuch (Beispiel)\r\n"
        "Bonn – Chengdu;01.03.2024;Gegenbesuch (Beispiel)\r\n"
    )
    options = ImportOptions(kind="activities")
    result = import_dataset(db, write("a.csv", text), options)
    assert result.status == COMMITTED, result.problems.format()
    assert _count(db, Activity) == 3
    twice = text + "Bonn – Chengdu;2024-03-01;BESUCH (Beispiel)\r\n"
    again = import_dataset(db, write("b.csv", twice), options)
    assert [(c, at) for c, at, _m in _errors(again)] == [("record.duplicate", 5)]
    assert _count(db, Activity) == 3


def test_rows_with_their_own_uuids_are_distinct_records(db, write):
    text = f"uuid;name_de;region\r\n{U1};Neustadt;Hessen\r\n{U2};Neustadt;Sachsen\r\n"
    path = write("a.csv", text)
    result = import_dataset(db, path, ImportOptions(kind="actors"))
    assert result.status == COMMITTED, result.problems.format()
    again = import_dataset(db, path, ImportOptions(kind="actors"))
    assert again.status == COMMITTED
    assert again.plan is not None and again.plan.totals()["unchanged"] == 2
    assert _count(db, Actor) == 2


def test_a_file_without_duplicates_imports_again_unchanged(db, write):
    """The original fault: duplicates on an empty database made the file unimportable."""
    text = "Kommune;Partnerstadt\r\nKöln;Peking\r\nDuisburg;Wuhan\r\n"
    doubled = write("doppelt.csv", text + "Koeln;Peking\r\n")
    assert import_dataset(db, doubled).status == REJECTED
    assert _count(db, Partnership) == 0
    fixed = write("einmal.csv", text)
    assert import_dataset(db, fixed).status == COMMITTED
    again = import_dataset(db, fixed)
    assert again.status == COMMITTED
    assert again.plan is not None and again.plan.totals()["unchanged"] == 2
    assert _count(db, Partnership) == 2


def test_json_duplicates_name_the_key_of_the_first(db, write):
    doc = {
        "format": "chinadialog-dataset",
        "format_version": 1,
        "records": {"actors": [{"name_de": "Bonn"}, {"name_de": "Kiel"}, {"name_de": "BONN"}]},
    }
    result = import_dataset(db, write("a.json", json.dumps(doc)))
    assert result.status == REJECTED
    [problem] = [p for p in result.problems if p.is_error]
    assert problem.code == "record.duplicate"
    assert "repeats key 'records.actors[0]'" in problem.message
    assert problem.key == "records.actors[2]"


def test_cli_lists_every_duplicate_with_its_line_in_german(tmp_path, capsys):
    csv = tmp_path / "register.csv"
    csv.write_text(
        "Kommune;Partnerstadt\r\nKöln;Peking\r\nKiel;Qingdao\r\nKöln;Peking\r\nKIEL;QINGDAO\r\n",
        encoding="utf-8",
    )
    db = tmp_path / "c.sqlite3"
    set_language("de")
    assert main(["--lang", "de", "--db", str(db), "import", str(csv)]) == 1
    err = capsys.readouterr().err
    assert "register.csv, Zeile 4: Dies wiederholt Zeile 2 („Köln – Peking“)" in err
    assert "register.csv, Zeile 5: Dies wiederholt Zeile 3 („Kiel – Qingdao“)" in err


def test_a_dry_run_on_a_file_opened_read_only_finds_duplicates_too(db, write):
    """The rows' keys wait in a temporary table; a file opened only for reading
    (``query_only``) refuses even that, and the check keeps them in memory instead."""
    from chinadialog_desktop.persistence.database import Database

    if db.path is None:
        pytest.skip("a file's read-only opening")
    assert import_dataset(db, write("p.csv", "Kommune;Partnerstadt\r\nBonn;Chengdu\r\n")).ok
    path = db.path
    db.close()
    text = (
        "partnership;date;title\r\n"
        "Bonn – Chengdu;01.03.2024;Besuch (Beispiel)\r\n"
        "Bonn – Chengdu;02.03.2024;Besuch (Beispiel)\r\n"
        "Bonn – Chengdu;2024-03-01;BESUCH (Beispiel)\r\n"
    )
    readonly = Database.open_read_only(path, "read only (Beispiel)")
    try:
        result = import_dataset(
            readonly, write("a.csv", text), ImportOptions(kind="activities"), dry_run=True
        )
    finally:
        readonly.close()
    assert [(c, at) for c, at, _m in _errors(result)] == [("record.duplicate", 4)]
    assert "This repeats line 2 (" in _errors(result)[0][2]
