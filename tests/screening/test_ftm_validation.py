"""Issue 13 point 7: unknown schemata and impossible dates are problems with line numbers;
only valid entities are kept, and the skipped ones are counted."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from chinadialog_desktop.interchange.ftm import date_problem, read_entities


def _write(path: Path, rows: list[dict[str, object]]) -> Path:
    path.write_text("\n".join(json.dumps(r, ensure_ascii=False) for r in rows) + "\n", "utf-8")
    return path


ROWS: list[dict[str, object]] = [
    {"id": "a", "schema": "Company", "properties": {"name": ["Beispiel Technik GmbH"]}},
    {"id": "b", "schema": "Spaceship", "properties": {"name": ["Enterprise (Beispiel)"]}},
    {"id": "c", "schema": "Persn", "properties": {"name": ["Wang Wei (Beispiel)"]}},
    {
        "id": "d",
        "schema": "Person",
        "properties": {"name": ["Li Na (Beispiel)"], "birthDate": ["1975-13-45"]},
    },
    {"id": "e", "schema": "Person", "properties": {"name": ["Zhang San"], "birthDate": ["1975"]}},
    {"id": "f", "schema": "Person", "properties": {"name": ["Li Si"], "birthDate": ["2023-02-29"]}},
]


def test_reader_skips_meaningless_entities_with_line_numbers(tmp_path: Path) -> None:
    scan = read_entities(_write(tmp_path / "liste.ftm.json", ROWS))
    assert [e.id for e in scan.entities] == ["a", "e"]
    assert not scan.problems.has_errors
    where = {(p.line, p.code) for p in scan.problems}
    assert where == {
        (2, "ftm.unknown_schema"),
        (3, "ftm.unknown_schema"),
        (4, "ftm.bad_date"),
        (6, "ftm.bad_date"),
    }
    text = scan.problems.format()
    assert "Persn" in text and "1975-13-45" in text and "2023-02-29" in text


@pytest.mark.parametrize(
    ("value", "ok"),
    [
        ("1975", True),
        ("1975-03", True),
        ("1975-03-14", True),
        ("2024-02-29", True),
        ("1975-03-14T10:00:00Z", True),
        ("1975-13-45", False),
        ("1975-00", False),
        ("2023-02-29", False),
        ("14.03.1975", False),
    ],
)
def test_date_problem(value: str, ok: bool) -> None:
    assert (date_problem(value) is None) is ok


def test_import_keeps_valid_entities_and_says_how_many_were_skipped(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    from chinadialog_desktop.cli import main

    db = str(tmp_path / "ä 1.sqlite3")
    listing = _write(tmp_path / "liste #1 ä.ftm.json", ROWS)
    args = ["--lang", "de", "--db", db, "reflist", "import", str(listing), "--key", "bsp"]
    assert main([*args, "--no-screen", "--json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert data["counts"]["total"] == 2 and data["skipped"] == 4
    assert {p["line"] for p in data["problems"]} == {2, 3, 4, 6}
    listing2 = _write(tmp_path / "liste2.ftm.json", ROWS[:3])
    assert (
        main(
            [
                "--lang",
                "de",
                "--db",
                db,
                "reflist",
                "import",
                str(listing2),
                "--key",
                "bsp2",
                "--no-screen",
            ]
        )
        == 0
    )
    captured = capsys.readouterr()
    assert "2 Entitäten übersprungen" in captured.out
    assert "Zeile 3" in captured.err and "Persn" in captured.err
