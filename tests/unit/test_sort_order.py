"""One sort order for names and titles: the window's lists and the command line agree.

Review finding: the window put "HHLA …" before "Hamburg …" (capitals first in the code
table), the command line the other way round. German dictionary order (DIN 5007-1):
case does not count, ä sorts as a, ß as ss, accents are ignored.
"""

from __future__ import annotations

import json

import pytest

from chinadialog_desktop.cli import main
from chinadialog_desktop.domain.collation import sort_key
from chinadialog_desktop.services.records import edit as records
from chinadialog_desktop.services.records.lists import ListQuery, list_ids, list_rows

TITLES = [
    "HHLA Terminal–Beispiel (Beispiel)",
    "Hamburg–Beispiel (Beispiel)",
    "Zürich–Beispiel (Beispiel)",
    "Zwickau–Beispiel (Beispiel)",
    "Äbtissin–Beispiel (Beispiel)",
    "Aachen–Beispiel (Beispiel)",
    "Straße–Beispiel (Beispiel)",
    "Strasbourg–Beispiel (Beispiel)",
    "école–Beispiel (Beispiel)",
    "Essen–Beispiel (Beispiel)",
]
EXPECTED = [
    "Aachen–Beispiel (Beispiel)",
    "Äbtissin–Beispiel (Beispiel)",
    "école–Beispiel (Beispiel)",
    "Essen–Beispiel (Beispiel)",
    "Hamburg–Beispiel (Beispiel)",
    "HHLA Terminal–Beispiel (Beispiel)",
    "Strasbourg–Beispiel (Beispiel)",
    "Straße–Beispiel (Beispiel)",
    "Zürich–Beispiel (Beispiel)",
    "Zwickau–Beispiel (Beispiel)",
]


def test_the_sort_key_is_german_dictionary_order():
    assert sorted(TITLES, key=sort_key) == EXPECTED
    assert sort_key("Straße") == sort_key("STRASSE") == "strasse"
    assert sort_key("Köln") == "koln"
    assert sort_key(None) == ""


@pytest.mark.both_engines
def test_the_window_and_the_command_line_sort_alike(db, db_url, capsys):
    with db.session() as s:
        for title in TITLES:
            records.create(s, "partnership", {"title": title})
            records.create(s, "actor", {"name_de": title.split("–")[0]})
    with db.session() as s:  # the window's lists: default order and sorted by the column
        window = [r.title for r in list_rows(s, "partnership", list_ids(s, "partnership"))]
        clicked = list_ids(s, "partnership", ListQuery(sort="title"))
        backwards = list_ids(s, "partnership", ListQuery(sort="title", descending=True))
        actors = [r.name_de for r in list_rows(s, "actor", list_ids(s, "actor"))]
    assert window == EXPECTED
    assert backwards == clicked[::-1]
    assert actors == [t.split("–")[0] for t in EXPECTED]

    assert main(["--db", db_url, "list", "partnerships", "--json"]) == 0
    cli = [row["title"] for row in json.loads(capsys.readouterr().out)]
    assert cli == EXPECTED
    assert main(["--db", db_url, "list", "actors", "--json"]) == 0
    cli_actors = [row["name_de"] for row in json.loads(capsys.readouterr().out)]
    assert cli_actors == actors
