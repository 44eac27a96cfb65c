"""``chinadialog import/export`` in German: kinds in words, no column list for our own files."""

from __future__ import annotations

import pytest

from chinadialog_desktop.cli import main
from chinadialog_desktop.services.demo import read_demo


@pytest.fixture
def demo(tmp_path, capsys, monkeypatch):
    monkeypatch.delenv("CHINADIALOG_LANG", raising=False)
    path = str(tmp_path / "d.sqlite3")
    assert main(["--db", path, "demo", "load"]) == 0
    capsys.readouterr()
    return path


def test_export_and_import_name_kinds_in_german(demo, tmp_path, capsys):
    package = tmp_path / "p.zip"
    assert main(["--db", demo, "export", "package", str(package)]) == 0
    written = capsys.readouterr().out
    records = read_demo().records
    actors = sum(1 for r in records if r.model.__name__ == "Actor")
    partnerships = sum(1 for r in records if r.model.__name__ == "Partnership")
    assert f"Akteure: {actors}" in written and f"Partnerschaften: {partnerships}" in written
    assert "actors:" not in written
    assert main(["--db", str(tmp_path / "leer.sqlite3"), "import", str(package), "--dry-run"]) == 0
    out = capsys.readouterr().out
    rows = {line.split()[0]: line.split()[1:] for line in out.splitlines()[2:] if line.strip()}
    assert rows["Akteure"][0] == str(actors)
    assert "actors" not in rows
    # the package's columns are our own field names: nothing to explain
    assert "Spalten" not in out and "uuid → uuid" not in out


def test_a_spreadsheet_still_shows_its_column_mapping(demo, tmp_path, capsys):
    sheet = tmp_path / "akteure.csv"
    sheet.write_bytes("\ufeffName;Land;Art\r\nStadt Musterstadt;DE;Kommune\r\n".encode())
    assert main(["--db", demo, "import", str(sheet), "--dry-run"]) == 0
    out = capsys.readouterr().out
    assert "Spalten (Akteure):" in out
    assert "Name → Name (Deutsch) (name_de)" in out
