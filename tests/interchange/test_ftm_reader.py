"""The FtM reader: good files parsed, each hostile file named by line, key and reason."""

from __future__ import annotations

import gzip
import hashlib
import json
import struct
from pathlib import Path

import pytest

from chinadialog_desktop.interchange.ftm import (
    FtmLimits,
    FtmReader,
    content_hash,
    properties_json,
    read_entities,
    texts_json,
)
from chinadialog_desktop.interchange.problems import Problem, ProblemList

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "ftm"
HOSTILE = FIXTURES / "hostile"

# file → (line, key, code, words that must appear in the message)
EXPECTED = {
    "broken_json.jsonl": (3, None, "json.invalid", "not valid JSON"),
    "missing_id.jsonl": (3, "id", "ftm.no_id", "no id"),
    "missing_schema.jsonl": (3, "schema", "ftm.no_schema", "no schema"),
    "bad_schema.jsonl": (3, "schema", "ftm.bad_schema", "DROP TABLE"),
    "property_not_list.jsonl": (3, "properties.name", "ftm.not_list", "list of texts"),
    "nan.jsonl": (3, "score", "json.nan", "NaN"),
    "infinity.jsonl": (3, "properties.percentage[0]", "json.nan", "Infinity"),
    "duplicate_id.jsonl": (3, "id", "ftm.duplicate_id", "line 1"),
    "duplicate_key.jsonl": (3, "properties.name", "json.duplicate_key", "twice"),
    "invalid_utf8.jsonl": (3, None, "utf8.invalid", "0xFF"),
    "nested_entity.jsonl": (3, "properties.owner[0]", "ftm.nested", "nested"),
    "not_an_object.jsonl": (3, None, "ftm.not_object", "one JSON object"),
    "too_deep.jsonl": (3, None, "json.too_deep", "too deep"),
    "lone_surrogate.jsonl": (3, "properties.name[0]", "json.surrogate", "surrogate"),
}


def test_every_hostile_fixture_has_an_expected_outcome():
    assert sorted(p.name for p in HOSTILE.iterdir()) == sorted(EXPECTED)


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_hostile_line_is_named_precisely(name):
    line, key, code, words = EXPECTED[name]
    reader = FtmReader(HOSTILE / name)
    good = list(reader)
    assert [e.id for e in good] == ["ok-1", "ok-2"]  # the good lines around it still parse
    errors = reader.problems.errors()
    assert len(errors) == 1, reader.problems.format()
    problem = errors[0]
    assert problem.file == name
    assert problem.line == line
    assert problem.code == code
    if key is not None:
        assert problem.key == key
    assert words in problem.message
    assert f"line {line}" in str(problem)


def test_invalid_utf8_names_the_byte_column():
    reader = FtmReader(HOSTILE / "invalid_utf8.jsonl")
    list(reader)
    problem = reader.problems.errors()[0]
    raw = (HOSTILE / "invalid_utf8.jsonl").read_bytes().split(b"\n")[2]
    assert raw[problem.column - 1] == 0xFF


def test_good_file_derives_names_identifiers_countries():
    scan = read_entities(FIXTURES / "china_v1.ftm.json")
    assert not scan.problems
    by_id = {e.id: e for e in scan.entities}
    hit = by_id["cn-hit"]
    assert hit.schema == "Organization"
    assert hit.caption == "哈尔滨工业大学"
    assert hit.names == [
        "哈尔滨工业大学",
        "Harbin Institute of Technology",
        "HIT",
        "哈工大",
        "Ha'erbin Gongye Daxue",
    ]
    assert hit.countries == ["cn"]
    assert hit.topics == ["export.control"]
    assert hit.referents == ["ofac-hit-1"]
    nudt = by_id["cn-nudt"]
    assert "国防科学技术大学" in nudt.names  # previousName counts as a name
    assert nudt.weak_aliases == ["Guofang Keji Daxue"]
    hik = by_id["cn-hikvision"]
    assert hik.identifiers == {"uscCode": ["91330000733796106P"]}
    assert hik.countries == ["cn"]  # from jurisdiction
    person = by_id["cn-person-zhang"]
    assert person.identifiers == {"passportNumber": ["E12345678"]}
    assert person.countries == ["cn"]
    assert by_id["cn-cetc"].countries == ["cn"]  # "CN" lowered
    assert by_id["cn-own-hik"].properties["owner"] == ["cn-cetc"]  # relations kept
    assert scan.sha256 == hashlib.sha256((FIXTURES / "china_v1.ftm.json").read_bytes()).hexdigest()


def test_caption_falls_back_to_the_first_name_then_the_id(tmp_path):
    path = tmp_path / "c.jsonl"
    path.write_text(
        '{"id": "a", "schema": "Person", "properties": {"name": ["王芳"]}}\n'
        '{"id": "b", "schema": "Address", "properties": {}}\n',
        encoding="utf-8",
    )
    scan = read_entities(path)
    assert [e.caption for e in scan.entities] == ["王芳", "b"]


def test_gzip_gives_the_same_entities_and_hashes_the_stored_bytes(tmp_path):
    plain = FIXTURES / "china_v1.ftm.json"
    packed = tmp_path / "china_v1.ftm.json.gz"
    packed.write_bytes(gzip.compress(plain.read_bytes()))
    a = read_entities(plain)
    b = read_entities(packed)
    assert not b.problems
    assert [(e.id, e.content_hash) for e in a.entities] == [
        (e.id, e.content_hash) for e in b.entities
    ]
    assert b.sha256 == hashlib.sha256(packed.read_bytes()).hexdigest()


def test_bom_blank_lines_and_crlf_are_tolerated(tmp_path):
    path = tmp_path / "bom.jsonl"
    path.write_bytes(
        b"\xef\xbb\xbf"
        + b'{"id": "a", "schema": "Company", "properties": {"name": ["\xe5\xa5\xbd"]}}\r\n'
        + b"\r\n   \n"
        + b'{"id": "b", "schema": "Company", "properties": {}}'  # no final newline
    )
    scan = read_entities(path)
    assert not scan.problems, scan.problems.format()
    assert [e.id for e in scan.entities] == ["a", "b"]
    assert scan.entities[0].names == ["好"]


def test_oversized_line_is_skipped_with_bounded_reads(tmp_path):
    path = tmp_path / "long.jsonl"
    big = json.dumps({"id": "big", "schema": "Company", "properties": {"notes": ["x" * 50_000]}})
    path.write_text(
        '{"id": "a", "schema": "Company", "properties": {}}\n'
        + big
        + '\n{"id": "b", "schema": "Company", "properties": {}}\n'
    )
    reader = FtmReader(path, limits=FtmLimits(max_line_bytes=4096))
    assert [e.id for e in reader] == ["a", "b"]
    (problem,) = reader.problems.errors()
    assert problem.line == 2 and problem.code == "line.too_long"
    assert "4 KB" in problem.message


def test_gzip_bomb_stops_at_the_inflated_cap(tmp_path):
    line = b'{"id": "z", "schema": "Company", "properties": {"notes": ["' + b"0" * 1000 + b'"]}}\n'
    bomb = tmp_path / "bomb.jsonl.gz"
    with gzip.open(bomb, "wb", compresslevel=9) as f:
        for _i in range(20_000):  # 20 MB inflated from a few dozen KB
            f.write(line.replace(b'"z"', b'"z%d"' % _i))
    limits = FtmLimits(max_inflated_bytes=2_000_000, max_ratio=10_000)
    reader = FtmReader(bomb, limits=limits)
    count = sum(1 for _e in reader)
    assert count < 2_000
    assert reader.inflated <= 2_000_000 + limits.max_line_bytes
    (problem,) = reader.problems.errors()
    assert problem.code == "gzip.too_large"
    assert reader.stopped


def test_compression_ratio_bomb_is_caught_early(tmp_path):
    bomb = tmp_path / "zeros.json.gz"
    payload = b"[" + b" " * 30_000_000 + b"]\n"  # one absurd, highly compressible line
    bomb.write_bytes(gzip.compress(payload, compresslevel=9))
    limits = FtmLimits(max_line_bytes=64 * 1024 * 1024, ratio_grace_bytes=1_000_000, max_ratio=50)
    reader = FtmReader(bomb, limits=limits)
    assert list(reader) == []
    codes = [p.code for p in reader.problems.errors()]
    assert codes == ["gzip.ratio"] or codes == ["gzip.too_large"] or "gzip.ratio" in codes


def test_a_lying_gzip_header_does_not_matter(tmp_path):
    """The trailer claims 10 bytes; the cap counts what is really inflated."""
    line = b'{"id": "x%d", "schema": "Company", "properties": {}}\n'
    data = b"".join(line % i for i in range(200_000))
    packed = bytearray(gzip.compress(data))
    packed[-4:] = struct.pack("<I", 10)
    path = tmp_path / "liar.jsonl.gz"
    path.write_bytes(bytes(packed))
    reader = FtmReader(path, limits=FtmLimits(max_inflated_bytes=1_000_000))
    list(reader)
    assert [p.code for p in reader.problems.errors()] == ["gzip.too_large"]


def test_truncated_gzip_is_reported_not_raised(tmp_path):
    packed = gzip.compress((FIXTURES / "china_v1.ftm.json").read_bytes())
    path = tmp_path / "cut.json.gz"
    path.write_bytes(packed[: len(packed) // 2])
    reader = FtmReader(path)
    list(reader)
    assert [p.code for p in reader.problems.errors()] == ["gzip.damaged"]


def test_too_many_entities_stops(tmp_path):
    path = tmp_path / "many.jsonl"
    path.write_text(
        "".join(f'{{"id": "e{i}", "schema": "Company", "properties": {{}}}}\n' for i in range(10))
    )
    reader = FtmReader(path, limits=FtmLimits(max_entities=3))
    assert len(list(reader)) == 3
    assert [p.code for p in reader.problems.errors()] == ["ftm.too_many"]


def test_unknown_keys_are_reported_once_not_silently_dropped(tmp_path):
    path = tmp_path / "extra.jsonl"
    path.write_text(
        '{"id": "a", "schema": "Company", "properties": {}, "score": 0.5}\n'
        '{"id": "b", "schema": "Company", "properties": {}, "score": 0.7}\n'
    )
    reader = FtmReader(path)
    assert len(list(reader)) == 2
    assert not reader.problems.has_errors
    (warning,) = reader.problems.warnings()
    assert warning.key == "score" and "2" in warning.message


def test_every_problem_on_every_line_is_listed(tmp_path):
    path = tmp_path / "many-bad.jsonl"
    path.write_text(
        '{"schema": "Company"}\n'
        '{"id": "x", "properties": {"name": "a", "alias": [1]}, "target": "yes"}\n'
    )
    reader = FtmReader(path)
    list(reader)
    found = {(p.line, p.key, p.code) for p in reader.problems.errors()}
    assert found == {
        (1, "id", "ftm.no_id"),
        (2, "schema", "ftm.no_schema"),
        (2, "properties.name", "ftm.not_list"),
        (2, "properties.alias[0]", "ftm.not_text"),
        (2, "target", "ftm.target"),
    }


def test_content_hash_ignores_bookkeeping_but_not_properties():
    props = json.dumps({"name": ["A"]}, sort_keys=True, separators=(",", ":"))
    other = json.dumps({"name": ["A", "B"]}, sort_keys=True, separators=(",", ":"))
    base = content_hash("Company", "A", True, props)
    assert base == content_hash("Company", "A", True, props)
    assert base != content_hash("Company", "A", True, other)
    assert base != content_hash("Person", "A", True, props)
    assert base != content_hash("Company", "A", False, props)


def test_problem_list_keeps_a_bounded_number():
    problems = ProblemList(limit=3)
    for i in range(10):
        problems.error("bad", file="f.jsonl", line=i + 1)
    assert len(problems) == 3 and problems.total == 10 and problems.truncated == 7
    assert "7" in problems.format().splitlines()[-1]
    assert Problem("x", sheet="Tabelle1", cell="B7").location() == "sheet Tabelle1, cell B7"


def test_pathologically_deep_nesting_is_caught_without_a_crash(tmp_path):
    path = tmp_path / "abyss.jsonl"
    path.write_text(
        '{"id": "a", "schema": "Company", "x": ' + "[" * 100_000 + "]" * 100_000 + "}\n"
    )
    reader = FtmReader(path)
    assert list(reader) == []
    assert [p.code for p in reader.problems.errors()] == ["json.too_deep"]


def test_hand_written_json_matches_json_dumps():
    tricky = ['a"b', "c\\d", "\x00\x1f\t\n", "哈尔滨", "😀", "\u2028", "", "NULL", "</script>"]
    props = {"z": tricky, "alias": ["x"], "name": []}
    assert texts_json(tricky) == json.dumps(tricky, ensure_ascii=False, separators=(",", ":"))
    assert properties_json(props) == json.dumps(
        props, ensure_ascii=False, sort_keys=True, separators=(",", ":")
    )
    assert json.loads(properties_json(props)) == props
