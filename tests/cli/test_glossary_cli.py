"""``chinadialog glossary``: the one set of terms on the command line, from the glossary file."""

from __future__ import annotations

import json

from chinadialog_desktop.cli import main
from chinadialog_desktop.domain.glossary import glossary


def test_the_german_glossary_lists_terms_variants_and_the_fields_of_action(capsys, monkeypatch):
    monkeypatch.delenv("CHINADIALOG_LANG", raising=False)
    assert main(["--lang", "de", "glossary"]) == 0
    out = capsys.readouterr().out
    assert "Ausschlusskriterium (blocker)" in out
    assert "Nicht: „K.-o.-Kriterium“" in out
    assert "Checkliste (checklist template)" in out
    assert "Staat (country)" in out
    assert "Handlungsfelder" in out and "Strategiedialog" in out
    for entry in glossary().fields.values():
        assert entry.de in out and entry.en in out
    assert "supply_chains" not in out  # no stored codes


def test_the_english_glossary_names_the_english_term_first(capsys):
    assert main(["--lang", "en", "glossary"]) == 0
    out = capsys.readouterr().out
    assert "blocker (Ausschlusskriterium)" in out
    assert "Fields of action" in out and "Strategy dialogue" in out


def test_the_glossary_as_json_carries_both_languages(capsys):
    assert main(["glossary", "--json"]) == 0
    data = json.loads(capsys.readouterr().out)
    names = {t["de"]: t for t in data["terms"]}
    assert names["Nachweis"]["en"] == "evidence" and "Beleg" in names["Nachweis"]["not"]
    dialogue = {d for f in data["fields_of_action"] for d in f["dialogue"]}
    assert len(dialogue) == 6 and "Freiheit von Forschung und Lehre" in dialogue
