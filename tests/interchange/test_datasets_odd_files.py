"""Odd files: header only, wrong names, gzip, odd file names, merged cells, long titles."""

from __future__ import annotations

import gzip
import json
import os
from io import BytesIO
from pathlib import Path

import pytest
from helpers.db import failed_runs
from openpyxl import Workbook
from sqlalchemy import func, select

from chinadialog_desktop.cli import main
from chinadialog_desktop.persistence.models import ImportRun, Partnership, ReferenceList, Source
from chinadialog_desktop.services.datasets.importing import (
    COMMITTED,
    REJECTED,
    ImportOptions,
    import_dataset,
)

REGISTER = "Kommune;Partnerstadt;Bemerkung\r\nDuisburg;Wuhan;(Beispiel)\r\nKöln;Peking;\r\n"


def _count(db, model):
    with db.session() as s:
        return s.scalar(select(func.count()).select_from(model))


def _errors(result):
    return [p.code for p in result.problems if p.is_error]


def _xlsx(rows, merge: str | None = None) -> bytes:
    wb = Workbook()
    ws = wb.active
    for row in rows:
        ws.append(row)
    if merge:
        ws.merge_cells(merge)
    out = BytesIO()
    wb.save(out)
    return out.getvalue()


# ------------------------------------------------------------------ no data rows


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("kopf.csv", b"Kommune;Partnerstadt\r\n", "no data rows"),
        ("kopf_leerzeilen.csv", b"Kommune;Partnerstadt\r\n;\r\n\r\n", "no data rows"),
        ("kopf.xlsx", None, "no data rows"),
        (
            "leer.json",
            b'{"format": "chinadialog-dataset", "format_version": 1, "records": {}}',
            "no records",
        ),
    ],
)
def test_a_file_without_data_rows_is_rejected_and_not_recorded(
    db, write, state, name, content, message
):
    if content is None:
        content = _xlsx([["Kommune", "Partnerstadt"]])
    before = state()
    result = import_dataset(db, write(name, content))
    assert result.status == REJECTED
    [problem] = [p for p in result.problems if p.is_error]
    assert problem.code == "file.no_rows"
    assert message in problem.message
    assert state() == before
    # No import of 0 records: only the rejected attempt, with its hash and reason.
    [(file_name, sha, why)] = failed_runs(db)
    assert (file_name, sha) == (name, result.sha256)
    assert message in why
    with db.session() as s:
        assert s.scalars(select(ImportRun.status)).all() == ["failed"]


def test_cli_header_only_exits_1(tmp_path, capsys):
    csv = tmp_path / "kopf.csv"
    csv.write_text("Kommune;Partnerstadt\r\n", encoding="utf-8")
    db = tmp_path / "c.sqlite3"
    assert main(["--lang", "en", "--db", str(db), "import", str(csv)]) == 1
    err = capsys.readouterr().err
    assert "kopf.csv: The file has column names but no data rows." in err
    assert main(["--lang", "en", "--db", str(db), "imports", "--json"]) == 0
    [run] = json.loads(capsys.readouterr().out)
    assert (run["file_name"], run["status"]) == ("kopf.csv", "failed")
    assert run["counts"] == {"problems": 1, "errors": 1}


# ------------------------------------------------------------------ what the content really is


def test_a_csv_named_xlsx_is_read_with_a_note(db, write):
    result = import_dataset(db, write("register.xlsx", REGISTER))
    assert result.status == COMMITTED, result.problems.format()
    [note] = [p for p in result.problems if p.code == "file.misnamed"]
    assert not note.is_error
    assert ".xlsx" in note.message and "CSV text" in note.message
    assert _count(db, Partnership) == 2


def test_a_workbook_named_csv_is_read_as_a_workbook_with_a_note(db, write):
    data = _xlsx([["Kommune", "Partnerstadt"], ["Duisburg", "Wuhan"]])
    result = import_dataset(db, write("register.csv", data))
    assert result.status == COMMITTED, result.problems.format()
    assert [p.message for p in result.problems if p.code == "file.misnamed"] == [
        "The file name ends in .csv, but the file contains an Excel workbook; it was read as that."
    ]


@pytest.mark.parametrize(
    ("name", "content", "words"),
    [
        ("alt.xls", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 600, "Excel 97–2003"),
        ("alt.xlsx", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 600, "Excel 97–2003"),
        ("bericht.csv", b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj\n", "PDF document"),
        ("bild.csv", b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", "PNG file"),
        ("brief.csv", b"{\\rtf1\\ansi Kommune;Partnerstadt}", "RTF text document"),
    ],
)
def test_documents_that_are_not_tables_say_what_they_are(db, write, state, name, content, words):
    before = state()
    result = import_dataset(db, write(name, content))
    assert result.status == REJECTED
    [problem] = [p for p in result.problems if p.is_error]
    assert problem.code == "file.wrong_type"
    assert words in problem.message
    assert state() == before


def test_an_ods_spreadsheet_is_named_as_such(db, write):
    import zipfile

    out = BytesIO()
    with zipfile.ZipFile(out, "w") as z:
        z.writestr(zipfile.ZipInfo("mimetype"), "application/vnd.oasis.opendocument.spreadsheet")
        z.writestr("content.xml", "<office:document-content/>")
    result = import_dataset(db, write("register.ods", out.getvalue()))
    assert result.status == REJECTED
    assert "OpenDocument spreadsheet (.ods)" in result.problems.errors()[0].message


# ------------------------------------------------------------------ compressed files


def test_a_gzipped_csv_is_imported_as_csv_not_as_a_reference_list(db, write):
    result = import_dataset(db, write("register.csv.gz", gzip.compress(REGISTER.encode())))
    assert result.status == COMMITTED, result.problems.format()
    assert result.format == "csv"
    assert _count(db, Partnership) == 2
    assert _count(db, ReferenceList) == 0
    with db.session() as s:
        run = s.scalars(select(ImportRun)).one()
        assert (run.file_name, run.format) == ("register.csv.gz", "csv")


def test_a_gzipped_csv_with_a_list_like_name_is_still_csv(db, write):
    result = import_dataset(db, write("liste.jsonl.gz", gzip.compress(REGISTER.encode())))
    assert result.status == COMMITTED, result.problems.format()
    assert _count(db, Partnership) == 2


@pytest.mark.parametrize(
    ("content", "words"),
    [
        (gzip.compress(REGISTER.encode(), mtime=0)[:-20], "ends too early"),
        (
            gzip.compress(REGISTER.encode(), mtime=0)[:-8]
            + b"\x00\x00\x00\x00"
            + b"\x99\x00\x00\x00",
            "damaged",
        ),
        (gzip.compress(gzip.compress(REGISTER.encode(), mtime=0), mtime=0), "compressed twice"),
    ],
    ids=["ends-too-early", "damaged", "compressed-twice"],  # the same names in every worker
)
def test_damaged_compressed_files_are_named_in_plain_words(db, write, state, content, words):
    before = state()
    result = import_dataset(db, write("register.csv.gz", content))
    assert result.status == REJECTED
    [problem] = [p for p in result.problems if p.is_error]
    assert words in problem.message
    assert "CRC" not in problem.message
    assert state() == before


# ------------------------------------------------------------------ file names


def test_a_file_name_that_is_not_utf8_is_kept(db, tmp_path):
    raw = os.fsencode(tmp_path) + b"/Partnerst\xe4dte.csv"  # Windows-1252 "ä"
    try:
        Path(os.fsdecode(raw)).write_text(REGISTER, encoding="utf-8")
    except (OSError, UnicodeError):  # a file system that refuses such names
        pytest.skip("the file system does not store names that are not UTF-8")
    path = Path(os.fsdecode(raw))
    result = import_dataset(db, path)
    assert result.status == COMMITTED, result.problems.format()
    assert result.file_name == "Partnerstädte.csv"
    with db.session() as s:
        assert s.scalars(select(ImportRun.file_name)).one() == "Partnerstädte.csv"


def test_cli_with_a_file_name_that_is_not_utf8(tmp_path, capsys):
    raw = os.fsencode(tmp_path) + b"/kaputt\xff\xfe.csv"
    try:
        Path(os.fsdecode(raw)).write_text("Kommune;Partnerstadt\r\n", encoding="utf-8")
    except (OSError, UnicodeError):
        pytest.skip("the file system does not store names that are not UTF-8")
    db = tmp_path / "c.sqlite3"
    assert main(["--lang", "en", "--db", str(db), "import", os.fsdecode(raw)]) == 1
    err = capsys.readouterr().err
    assert "no data rows" in err
    Path(os.fsdecode(raw)).write_text(REGISTER, encoding="utf-8")
    assert main(["--lang", "en", "--db", str(db), "import", os.fsdecode(raw)]) == 0
    assert "Imported; run 2 recorded." in capsys.readouterr().out  # run 1: the rejected attempt


# ------------------------------------------------------------------ values


@pytest.mark.parametrize(
    "year", ["1e3", "1E3", "2.0e3", "12", "20245", "2024,5", "2.023", "zweitausend"]
)
def test_a_year_must_be_a_year(db, write, year):
    result = import_dataset(
        db,
        write("q.csv", f"title;year\r\nStadtchronik (Beispiel);{year}\r\n"),
        ImportOptions(kind="sources"),
    )
    assert result.status == REJECTED
    assert _errors(result) == ["value.invalid"]
    assert _count(db, Source) == 0


@pytest.mark.parametrize(("year", "stored"), [("2024", 2024), (" 1982 ", 1982), ("+1998", 1998)])
def test_years_that_are_fine(db, write, year, stored):
    result = import_dataset(
        db,
        write("q.csv", f"title;year\r\nStadtchronik (Beispiel);{year}\r\n"),
        ImportOptions(kind="sources"),
    )
    assert result.status == COMMITTED, result.problems.format()
    with db.session() as s:
        assert s.scalars(select(Source.year)).one() == stored


def test_a_title_made_from_long_names_must_fit(db, write, state):
    german, chinese = "G" * 200, "C" * 150
    before = state()
    result = import_dataset(db, write("r.csv", f"Kommune;Partnerstadt\r\n{german};{chinese}\r\n"))
    assert result.status == REJECTED
    [problem] = [p for p in result.problems if p.is_error]
    assert problem.code == "record.title_too_long"
    assert "353 characters; at most 300" in problem.message
    assert problem.line == 2
    assert state() == before


# ------------------------------------------------------------------ merged cells


def test_vertically_merged_cells_fill_every_row_with_a_note(db, write):
    data = _xlsx(
        [
            ["Kommune", "Partnerstadt", "Art"],
            ["Duisburg", "Wuhan", "Städtepartnerschaft"],
            [None, "Shenyang", "Städtefreundschaft"],
            [None, "Xi'an", "Städtefreundschaft"],
            ["Köln", "Peking", "Städtepartnerschaft"],
        ],
        merge="A2:A4",
    )
    result = import_dataset(db, write("register.xlsx", data))
    assert result.status == COMMITTED, result.problems.format()
    [note] = [p for p in result.problems if p.code == "xlsx.merged"]
    assert not note.is_error
    assert note.cell == "A2:A4"
    assert "rows 2 to 4" in note.message
    with db.session() as s:
        titles = sorted(s.scalars(select(Partnership.title)))
    assert titles == [
        "Duisburg – Shenyang",
        "Duisburg – Wuhan",
        "Duisburg – Xi'an",
        "Köln – Peking",
    ]


def test_cells_merged_across_columns_are_noted(db, write):
    data = _xlsx(
        [
            ["Kommune", "Partnerstadt", "Bemerkung"],
            ["Duisburg", "Wuhan", "x"],
            ["Köln", "Peking", None],
        ],
        merge="B3:C3",
    )
    result = import_dataset(db, write("register.xlsx", data))
    assert result.status == COMMITTED, result.problems.format()
    [note] = [p for p in result.problems if p.code == "xlsx.merged"]
    assert "only for column B" in note.message
