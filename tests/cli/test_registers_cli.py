"""``chinadialog list visits|gifts|counterparts|incidents`` and ``chinadialog show``."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from chinadialog_desktop.cli import main


@pytest.fixture
def demo_db(tmp_path: Path, capsys) -> Path:
    path = tmp_path / "demo #ä.sqlite3"
    assert main(["--db", str(path), "demo", "load"]) == 0
    capsys.readouterr()
    return path


def test_list_and_show_a_gift_in_german(demo_db, capsys):
    assert main(["--db", str(demo_db), "--lang", "de", "list", "gifts"]) == 0
    out = capsys.readouterr().out
    assert "Wert (geschätzt)" in out and "Entscheidung" in out
    assert "Porzellanvase als Gastgeschenk (Beispiel)" in out and "150,00\u00a0€" in out
    assert "An die Kommune abgegeben" in out and "handed_over" not in out
    first = next(line for line in out.splitlines() if "Porzellanvase" in line).split()[0]
    assert main(["--db", str(demo_db), "--lang", "de", "show", "gift", first]) == 0
    out = capsys.readouterr().out
    assert "Entschieden von:" in out and "Personalamt (Beispiel)" in out
    assert "Partnerschaft:" in out and "Braunschweig–Zhuhai" in out


def test_list_as_json_and_narrowed_to_a_partnership(demo_db, capsys):
    assert main(["--db", str(demo_db), "list", "incidents", "--json"]) == 0
    rows = json.loads(capsys.readouterr().out)
    assert {r["kind"] for r in rows} == {"cyber", "pressure"}
    partnership = rows[0]["partnership_id"]
    assert main(["--db", str(demo_db), "list", "partnerships", "--json"]) == 0
    kiel = next(
        p["id"] for p in json.loads(capsys.readouterr().out) if p["title"] == "Kiel–Qingdao"
    )
    assert (
        main(["--db", str(demo_db), "list", "counterparts", "--json", "--partnership", str(kiel)])
        == 0
    )
    assert json.loads(capsys.readouterr().out) == []
    assert (
        main(
            [
                "--db",
                str(demo_db),
                "list",
                "counterparts",
                "--json",
                "--partnership",
                str(partnership),
            ]
        )
        == 0
    )
    names = {r["name"] for r in json.loads(capsys.readouterr().out)}
    assert names == {"Zhang Beispiel (Beispiel)", "Liu Muster (Beispiel)"}


def test_show_of_a_missing_entry_is_one_german_sentence(demo_db, capsys):
    assert main(["--db", str(demo_db), "--lang", "de", "show", "visit", "999"]) != 0
    err = capsys.readouterr().err
    assert "Im Register „Delegationsreisen“ gibt es keinen Eintrag mit der ID 999." in err
    assert "Traceback" not in err


def test_partnership_option_on_another_list_is_refused_in_german(demo_db, capsys):
    assert main(["--db", str(demo_db), "--lang", "de", "list", "actors", "--partnership", "1"]) != 0
    err = capsys.readouterr().err
    assert "--partnership schränkt nur die Liste eines Registers ein" in err


def test_db_info_counts_the_registers(demo_db, capsys):
    assert main(["--db", str(demo_db), "--lang", "de", "db", "info"]) == 0
    out = capsys.readouterr().out
    counts = {" ".join(line.split()[:-1]): line.split()[-1] for line in out.splitlines()[5:]}
    assert counts["Geschenke und Bewirtungen"] == "3" and counts["Vorfälle"] == "2"


@pytest.mark.parametrize(
    ("word", "key"),
    [
        ("Delegationsreisen", "visits"),
        ("Geschenke und Bewirtungen", "gifts"),
        ("Gesprächskontakte", "counterparts"),
        ("Vorfälle", "incidents"),
    ],
)
def test_a_register_is_listed_by_its_german_name_too(demo_db, capsys, word, key):
    """As `list Akteure` works for actors, a register's German name works for it."""
    assert main(["--db", str(demo_db), "list", key, "--json"]) == 0
    by_key = json.loads(capsys.readouterr().out)
    assert main(["--db", str(demo_db), "list", word, "--json"]) == 0
    assert json.loads(capsys.readouterr().out) == by_key
    assert by_key  # the demo has entries in every register


def test_show_names_the_register_in_german_too(demo_db, capsys):
    """``show Vorfall 1`` as ``show incident 1``: the registry's words for its kinds."""
    assert main(["--db", str(demo_db), "--lang", "de", "show", "incident", "1"]) == 0
    english = capsys.readouterr().out
    assert main(["--db", str(demo_db), "--lang", "de", "show", "Vorfall", "1"]) == 0
    assert capsys.readouterr().out == english
    assert main(["--db", str(demo_db), "--lang", "de", "show", "Akteur", "1"]) != 0
    captured = capsys.readouterr()
    said = (captured.out + captured.err).strip()
    assert "Akteur" in said and "Traceback" not in said and len(said.splitlines()) == 1
