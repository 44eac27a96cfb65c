"""Cell values, text decoding, format detection and header mapping."""

from __future__ import annotations

import codecs
import gzip
from datetime import date, datetime

import pytest

from chinadialog_desktop.interchange.csv_reader import read_csv, sniff_delimiter
from chinadialog_desktop.interchange.detect import detect_format
from chinadialog_desktop.interchange.problems import ProblemList
from chinadialog_desktop.interchange.textdecode import decode
from chinadialog_desktop.interchange.values import parse_number, parse_partial_date
from chinadialog_desktop.services.datasets.kinds import ACTORS, PARTNERSHIPS
from chinadialog_desktop.services.datasets.mapping import detect_kind, map_columns


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("19.02.2026", (date(2026, 2, 19), "day")),
        ("1.2.2026", (date(2026, 2, 1), "day")),
        ("02.2026", (date(2026, 2, 1), "month")),
        ("2026", (date(2026, 1, 1), "year")),
        ("2026-02-19", (date(2026, 2, 19), "day")),
        ("2026-02", (date(2026, 2, 1), "month")),
        (datetime(2026, 2, 19, 10, 30), (date(2026, 2, 19), "day")),
        (1985, (date(1985, 1, 1), "year")),
        ("", None),
    ],
)
def test_dates(text, expected):
    assert parse_partial_date(text) == expected


@pytest.mark.parametrize("text", ["31.02.2026", "19/02/2026", "gestern", "2026-13-01"])
def test_bad_dates(text):
    with pytest.raises(ValueError):
        parse_partial_date(text)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("1.234,5", 1234.5),
        ("12,5", 12.5),
        ("1234.5", 1234.5),
        ("1.234.567", 1234567),
        ("42", 42),
        ("-3,25", -3.25),
        (" 7 ", 7),
    ],
)
def test_numbers(text, expected):
    assert parse_number(text) == expected


def test_decoding_variants():
    text = "Köln;Peking\r\n"
    assert decode(codecs.BOM_UTF8 + text.encode(), "f").text == text
    assert decode(text.encode("cp1252"), "f").encoding == "windows-1252"
    assert decode(codecs.BOM_UTF16_LE + text.encode("utf-16-le"), "f").text == text
    assert decode(text.encode("utf-16-le"), "f").text == text  # no BOM, still recognised
    bad = decode("Köln".encode("cp1252"), "f", declared="utf-8")
    assert bad.problem is not None and bad.problem.code == "text.invalid_byte"
    assert (bad.problem.line, bad.problem.column) == (1, 2)


def test_delimiter_sniffing_ignores_quoted_separators():
    assert sniff_delimiter('"a;b;c",d,e') == ","
    assert sniff_delimiter("a\tb\tc") == "\t"
    assert sniff_delimiter("a;b,c") == ";"


def test_csv_line_numbers_follow_quoted_line_breaks():
    data = b'a;b\r\n"x\r\ny";1\r\nz;2;3\r\n'
    problems = ProblemList()
    table = read_csv(data, "f.csv", problems)
    assert table is not None and table.rows[0].line == 2
    [problem] = problems.errors()
    assert (problem.line, problem.code) == (4, "csv.field_count")


def test_detect_format():
    assert detect_format(b'{"format": "chinadialog-dataset"}', "x.json") == "json"
    assert detect_format(b'{"id": "x", "schema": "Person", "properties": {}}\n', "x.json") == (
        "ftm-jsonl"
    )
    ftm = b'{"id": "x", "schema": "Person", "properties": {}}\n'
    assert detect_format(gzip.compress(ftm), "x.gz") == "ftm-jsonl"  # by content, not name
    assert detect_format(gzip.compress(b"Kommune;Partnerstadt\r\n"), "x.gz") == "gzip"
    assert detect_format(gzip.compress(b"Kommune;Partnerstadt\r\n"), "x.jsonl.gz") == "gzip"
    assert detect_format(b"\x1f\x8b\x08", "x.gz") == "gzip"  # truncated: the reader says so
    assert detect_format(b"Kommune;Partnerstadt\r\n", "x.csv") == "csv"


def test_header_mapping_german_and_english():
    headers = [
        "Kommune",
        "Partnerstadt",
        "Unterzeichnet am",
        "Art der Partnerschaft",
        "Status",
        "Notizen",
        "Sonstiges",
    ]
    assert detect_kind(headers) is PARTNERSHIPS
    mapping = map_columns(headers, PARTNERSHIPS, {}, ProblemList(), "f")
    assert mapping.fields == (
        "german_party",
        "chinese_party",
        "start_date",
        "type",
        "status",
        "description",
        None,
    )
    actor_headers = ["Name (Deutsch)", "Chinesischer Name", "Pinyin", "Bundesland", "Webseite"]
    assert detect_kind(actor_headers) is ACTORS
    mapping = map_columns(actor_headers, ACTORS, {}, ProblemList(), "f")
    assert mapping.fields == ("name_de", "name_zh", "name_pinyin", "region", "website")


def test_two_columns_for_one_field_is_an_error_until_mapped():
    problems = ProblemList()
    map_columns(["Name", "Bezeichnung"], ACTORS, {}, problems, "f")
    assert [p.code for p in problems] == ["mapping.duplicate"]
    problems = ProblemList()
    mapping = map_columns(
        ["Name", "Bezeichnung"], ACTORS, {"Bezeichnung": "name_en"}, problems, "f"
    )
    assert not problems and mapping.fields == ("name_de", "name_en")
