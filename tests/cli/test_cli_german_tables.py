"""German tables of the command line: no stored codes, ISO timestamps or English words."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest
from helpers.db import building_template

from chinadialog_desktop.cli import main

FTM = Path(__file__).parents[1] / "fixtures" / "ftm" / "china_v1.ftm.json"
GERMAN_MOMENT = re.compile(r"\b\d\d\.\d\d\.\d{4} \d\d:\d\d:\d\d\b")


@pytest.fixture(scope="module")
def filled_folder(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A folder with a database filled through the command line (demo, reference list,
    import, screening, a briefing export), its backups and files; made once per module."""
    with building_template(tmp_path_factory) as folder, pytest.MonkeyPatch.context() as mp:
        mp.delenv("CHINADIALOG_LANG", raising=False)
        mp.setenv("SOURCE_DATE_EPOCH", "1790000000")
        work = folder / "work"
        work.mkdir()
        path = str(work / "t.sqlite3")
        actors = work / "akteure.csv"
        actors.write_bytes(
            "\ufeffName;Land;Art\r\nHarbin Institute of Technology;CN;Hochschule\r\n".encode(
                "utf-8"
            )
        )
        for argv in (
            ["demo", "load"],
            ["reflist", "import", str(FTM)],
            ["import", str(actors)],
            ["screen"],
            ["briefing", "1", "-o", str(work / "b.pdf")],
        ):
            assert main(["--db", path, *argv]) == 0, argv
    return work


@pytest.fixture
def db(tmp_path, capsys, monkeypatch, filled_folder):
    """A copy of ``filled_folder`` (database, backups, files) in this test's own folder."""
    monkeypatch.delenv("CHINADIALOG_LANG", raising=False)
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1790000000")
    shutil.copytree(filled_folder, tmp_path, dirs_exist_ok=True)
    capsys.readouterr()
    return str(tmp_path / "t.sqlite3")


def run(db: str, capsys, *argv: str) -> str:
    assert main(["--db", db, *argv]) == 0
    return capsys.readouterr().out


def test_db_info_names_tables_and_state_in_words(db, capsys):
    out = run(db, capsys, "db", "info")
    actors = _demo_count("Actor") + 1  # the demo actors and the imported one
    assert re.search(rf"^  Akteure +{actors}$", out, re.M)
    assert "Partnerschaften" in out and "Importläufe" in out
    assert not re.search(r"^  (actor|partnership|import_run)\b", out, re.M)
    assert "(current)" not in out


def test_imports_in_german(db, capsys):
    out = run(db, capsys, "imports")
    assert GERMAN_MOMENT.search(out)
    assert "neu 1" in out and "Konflikt 0" in out
    assert "new=" not in out
    assert not re.search(r"\d{4}-\d\d-\d\dT", out)


def test_briefing_exports_in_german(db, capsys):
    out = run(db, capsys, "briefing", "exports", "1")
    assert GERMAN_MOMENT.search(out)
    assert not re.search(r"\d{4}-\d\d-\d\d", out)


def test_reflist_dates_in_german(db, capsys):
    assert "15.09.2025" in run(db, capsys, "reflist", "list")
    assert "2025-09-15" not in run(db, capsys, "reflist", "import", str(FTM), "--dry-run")


def test_screening_column_is_the_reference_list(db, capsys):
    out = run(db, capsys, "screen", "hits")
    assert "Referenzliste" in out.splitlines()[0]
    assert "Aufzählung" not in out


def test_english_keeps_iso(db, capsys):
    assert main(["--lang", "en", "--db", db, "imports"]) == 0
    text = capsys.readouterr().out
    assert re.search(r"\d{4}-\d\d-\d\d \d\d:\d\d:\d\d", text) and "new 1" in text
    assert main(["--lang", "en", "--db", db, "db", "info"]) == 0
    info = capsys.readouterr().out
    assert "(up to date)" in info and "Actors" in info


def test_backup_reasons_in_words(tmp_path, capsys, monkeypatch):
    monkeypatch.delenv("CHINADIALOG_LANG", raising=False)
    path = str(tmp_path / "b.sqlite3")
    copy = tmp_path / "copy.sqlite3"
    assert main(["--db", path, "db", "backup"]) == 0
    assert main(["--db", path, "db", "backup", str(copy)]) == 0
    assert main(["--db", path, "db", "restore", str(copy)]) == 0
    capsys.readouterr()
    out = run(path, capsys, "db", "backups")
    rows = out.splitlines()[2:]
    assert any("Manuell erstellt" in r for r in rows)
    assert any("Vor einer Wiederherstellung" in r for r in rows)
    assert not any(re.search(r"\d\d:\d\d:\d\d  (manual|restore) ", r) for r in rows)


def test_reflist_category_in_words(db, capsys):
    out = run(db, capsys, "reflist", "list")
    row = out.splitlines()[2]
    assert "rechtliche Listung" in row and "designation" not in row


def test_briefing_export_options_in_words(db, tmp_path, capsys):
    assert (
        main(
            [
                "--db",
                db,
                "briefing",
                "1",
                "-o",
                str(tmp_path / "i.pdf"),
                "--classification",
                "internal",
                "--kind",
                "decision",
            ]
        )
        == 0
    )
    assert main(["--db", db, "briefing", "1", "-o", str(tmp_path / "p.pdf"), "--public"]) == 0
    capsys.readouterr()
    out = run(db, capsys, "briefing", "exports", "1")
    newest, internal = out.splitlines()[2:4]
    assert "Öffentliche Fassung" in newest and "Sprache de" in newest
    assert "Nur für den internen Gebrauch" in internal and "Beschlussvorlage" in internal
    assert "public=True" not in out and "lang=de" not in out
    assert out.startswith("ID ")  # as in every other table


def _demo_count(model: str) -> int:
    """How many records of ``model`` the bundled demo data holds."""
    from chinadialog_desktop.services.demo import read_demo

    return sum(1 for r in read_demo().records if r.model.__name__ == model)


def test_db_copy_names_every_table_in_words(db, tmp_path, capsys):
    """``db copy`` (a travel copy) lists each table it copied under a German name: the
    dossier's and partnership's child tables too, never ``partnership_party``."""
    from chinadialog_desktop.persistence.models import Base

    out = run(db, capsys, "db", "copy", db, str(tmp_path / "Reise (Beispiel).sqlite3"))
    table_lines = out.splitlines()[3:-1]  # between the header's rule and the audit line
    assert len(table_lines) > 10
    internal = {t.name for t in Base.metadata.sorted_tables}
    for line in table_lines:
        name = line.rsplit(maxsplit=1)[0].strip()
        assert name not in internal and "_" not in name, line
    assert "Beteiligte Partner" in out and "Dossierabschnitte" in out


def test_the_db_command_names_all_its_actions_in_the_overview(capsys):
    with pytest.raises(SystemExit):
        main(["--help"])
    out = capsys.readouterr().out
    overview = " ".join(out.split("db ", 1)[1].split("demo", 1)[0].split())
    with pytest.raises(SystemExit):
        main(["db", "--help"])
    actions = re.findall(r"^    (\w+) ", capsys.readouterr().out, re.M)
    assert {"copy", "merge", "verify", "recover"} <= set(actions)
    for action in actions:
        assert action in overview, action


def test_search_says_when_a_kind_has_more_hits_than_shown(db, capsys):
    """``search`` lists at most --limit hits per kind; the rest is named, with the way to
    see it, instead of a list that looks complete."""
    from chinadialog_desktop.persistence.database import Database
    from chinadialog_desktop.services.search import search

    database = Database.open(db)
    try:
        with database.session() as s:
            groups = search(s, "W", limit=2).groups
    finally:
        database.close()
    cut = [g for g in groups if not g.more and g.total > len(g.hits)]
    assert cut  # the demo data has more than two hits of some kind for "W"
    out = run(db, capsys, "search", "W", "--limit", "2")
    for group in cut:
        note = f"… und {group.total - 2} weitere; zeigen Sie sie mit --limit {group.total} an."
        assert note in out
    assert out.count("weitere;") == len(cut)
    whole = max(g.total for g in groups)
    assert "weitere;" not in run(db, capsys, "search", "W", "--limit", str(whole))
