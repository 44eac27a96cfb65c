"""``chinadialog assessment`` in German: status words, dates and percentages."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest
from helpers.db import building_template

from chinadialog_desktop.cli import main

TEMPLATE = "urn:chinadialog:checklist:leitplanken-kommunal"


@pytest.fixture(scope="module")
def started(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A database with an assessment started and answered through the command line;
    made once per module."""
    with building_template(tmp_path_factory) as folder, pytest.MonkeyPatch.context() as mp:
        mp.delenv("CHINADIALOG_LANG", raising=False)
        work = folder / "work"
        work.mkdir()
        path = str(work / "p.sqlite3")
        for argv in (
            ["demo", "load"],
            ["checklist", "install-bundled"],
            ["assessment", "start", "13", "--template", TEMPLATE],
            ["assessment", "answer", "1", "purpose-03", "partly", "--due", "31.12.2026"],
        ):
            assert main(["--db", path, *argv]) == 0
    return work


@pytest.fixture
def db(tmp_path, capsys, monkeypatch, started):
    """A copy of ``started`` (database and backups) in this test's own folder."""
    monkeypatch.delenv("CHINADIALOG_LANG", raising=False)
    shutil.copytree(started, tmp_path, dirs_exist_ok=True)
    capsys.readouterr()
    return str(tmp_path / "p.sqlite3")


def test_status_and_percent_in_german(db, capsys):
    assert main(["--db", db, "assessment", "show", "1"]) == 0
    out = capsys.readouterr().out
    assert "Status: Offen" in out
    assert "(33,3 %)" in out
    assert "33.3" not in out
    assert "Status: open" not in out


def test_signed_shows_german_status_and_date(db, capsys):
    assert (
        main(
            [
                "--db",
                db,
                "assessment",
                "sign",
                "1",
                "--by",
                "Frau Meier",
                "--allow-open",
                "--date",
                "03.02.2026",
            ]
        )
        == 0
    )
    assert "am 03.02.2026" in capsys.readouterr().out
    assert main(["--db", db, "assessment", "show", "1"]) == 0
    out = capsys.readouterr().out
    assert "Status: abgezeichnet von Frau Meier am 03.02.2026\n" in out
    assert "2026-02-03" not in out
    assert main(["--db", db, "assessment", "list"]) == 0
    listing = capsys.readouterr().out
    assert "Abgezeichnet" in listing and " signed " not in listing


def test_german_due_date_is_understood(db, capsys):
    assert main(["--db", db, "assessment", "show", "1", "--json"]) == 0
    import json

    report = json.loads(capsys.readouterr().out)
    item = next(i for i in report["items"] if i["id"] == "purpose-03")
    assert item["due_on"] == "2026-12-31"


def test_a_date_that_is_neither_form_is_wrong_usage(db, capsys):
    with pytest.raises(SystemExit) as exc:
        main(["--db", db, "assessment", "answer", "1", "purpose-04", "yes", "--due", "31.13.2026"])
    assert exc.value.code == 2
    assert "31.13.2026" in capsys.readouterr().err


def test_english_keeps_iso_dates_and_points(db, capsys):
    assert main(["--lang", "en", "--db", db, "assessment", "show", "1"]) == 0
    out = capsys.readouterr().out
    assert "Status: Open" in out and "(33.3 %)" in out


def test_refused_sign_names_the_option_and_marks_the_cut_list(db, capsys):
    assert main(["--lang", "en", "--db", db, "assessment", "sign", "1", "--by", "X"]) == 1
    err = capsys.readouterr().err
    assert re.search(r"\b\d{2} applicable items are still open", err)
    assert ", …)" in err  # only the first eight are named
    assert "--allow-open" in err
    assert len(err.strip().splitlines()) == 1


def test_an_answer_is_typed_in_the_checklists_words_and_a_wrong_one_names_them(db, capsys):
    """``ja`` and ``Teilweise`` as the checklist shows them; the codes still work (scripts);
    a wrong word is one German sentence listing the answers in words, not in codes."""
    assert main(["--db", db, "assessment", "answer", "1", "purpose-01", "ja"]) == 0
    assert main(["--db", db, "assessment", "answer", "1", "purpose-02", "Teilweise"]) == 0
    assert main(["--db", db, "assessment", "answer", "1", "purpose-04", "no"]) == 0
    capsys.readouterr()
    assert main(["--db", db, "assessment", "show", "1", "--json"]) == 0
    shown = capsys.readouterr().out
    assert '"yes"' in shown and '"partly"' in shown and '"no"' in shown  # stored as codes
    assert main(["--db", db, "assessment", "answer", "1", "purpose-01", "vielleicht"]) == 1
    err = capsys.readouterr().err.strip()
    assert "„vielleicht“ ist keine Antwort auf purpose-01" in err
    assert "„Ja“, „Teilweise“, „Nein“" in err
    assert "partly" not in err and "unknown" not in err
