"""Choices on the command line in the user's words: the German help shows
``{offen,intern,VS-NfD}``, never the stored codes; the words of every language and,
for existing scripts, the codes are taken."""

from __future__ import annotations

import argparse
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

from chinadialog_desktop.cli import build_parser, main
from chinadialog_desktop.cli.choices import (
    classification_words,
    export_format_words,
    hit_status_words,
    list_category_words,
)
from chinadialog_desktop.i18n import set_language

ROOT = Path(__file__).resolve().parents[2]
# Stored codes a German reader must not meet in a list of choices.
CODES = {
    "open", "internal", "vs_nfd", "confirmed", "dismissed", "designation", "assessment",
    "package", "partnerships", "dossiers", "actors", "visits", "gifts", "counterparts",
    "incidents",
}  # fmt: skip


def _parsers(parser: argparse.ArgumentParser, path=()):
    yield path, parser
    for action in parser._actions:
        if isinstance(action, argparse._SubParsersAction):
            for name, sub in action.choices.items():
                yield from _parsers(sub, (*path, name))


def test_no_choice_list_in_the_german_help_shows_a_code():
    set_language("de")  # the autouse fixture of tests/conftest.py sets it back
    shown = {}
    for path, parser in _parsers(build_parser()):
        for braces in re.findall(r"\{([^{}]*)\}", parser.format_help()):
            words = {w.strip() for w in braces.split(",")}
            if words & CODES:
                shown[" ".join(path)] = braces
    assert shown == {}


def test_the_assessment_help_names_the_classifications_in_german():
    env = dict(os.environ, CHINADIALOG_LANG="de", PYTHONPATH=str(ROOT))
    result = subprocess.run(
        [sys.executable, "-m", "chinadialog_desktop", "assessment", "start", "--help"],
        capture_output=True, text=True, env=env, timeout=120, check=False,
    )  # fmt: skip
    assert result.returncode == 0
    assert "--classification {offen,intern,VS-NfD}" in result.stdout
    assert "vs_nfd" not in result.stdout


def test_the_english_help_has_english_words():
    assert classification_words().metavar() == "{open,internal,VS-NfD}"
    assert hit_status_words().metavar() == "{undecided,confirmed,dismissed}"


@pytest.mark.parametrize(
    ("words", "typed", "code"),
    [
        (classification_words, "VS-NfD", "vs_nfd"),
        (classification_words, "vs nfd", "vs_nfd"),
        (classification_words, "vs_nfd", "vs_nfd"),  # scripts written for the codes
        (classification_words, "intern", "internal"),
        (classification_words, "Offen", "open"),
        (hit_status_words, "verworfen", "dismissed"),
        (hit_status_words, "unentschieden", "open"),
        (hit_status_words, "open", "open"),
        (list_category_words, "Risikobewertung", "assessment"),
        (list_category_words, "rechtliche Listung", "designation"),
        (export_format_words, "Paket", "package"),
        (export_format_words, "CSV", "csv"),
    ],
)
def test_words_and_codes_are_taken(words, typed, code):
    assert words()(typed) == code


def test_a_wrong_word_is_one_german_sentence_naming_the_words(tmp_path, capsys):
    set_language("de")
    db = str(tmp_path / "d.sqlite3")
    with pytest.raises(SystemExit) as ended:
        main(["--lang", "de", "--db", db, "screen", "hits", "--status", "erledigt"])
    assert ended.value.code == 2
    err = capsys.readouterr().err.strip().splitlines()[-1]
    assert "„erledigt“ ist für den Status nicht vorgesehen" in err
    assert "unentschieden, bestätigt, verworfen" in err
    assert main(["--lang", "de", "--db", db, "screen", "hits", "--status", "verworfen"]) == 0
    assert main(["--lang", "de", "--db", db, "list", "Vorfälle"]) == 0
    assert main(["--lang", "de", "--db", db, "list", "incidents"]) == 0


def test_export_kinds_are_named_in_german_and_taken_in_german(tmp_path, capsys):
    set_language("de")
    help_text = build_parser()._subparsers._group_actions[0].choices["export"].format_help()
    assert "Akteure, Partnerschaften" in help_text and "Prüfungen" in help_text
    assert "checklist_template" not in help_text and "actors," not in help_text
    db = str(tmp_path / "d.sqlite3")
    assert main(["--lang", "de", "--db", db, "demo", "load"]) == 0
    out = tmp_path / "p.json"
    argv = ["export", "json", str(out), "--kind", "Dossiers", "--kind", "Prüfungen"]
    assert main(["--lang", "de", "--db", db, *argv]) == 0
    capsys.readouterr()
    assert main(["--lang", "de", "--db", db, "export", "json", str(out), "--kind", "x"]) == 1
    err = capsys.readouterr().err
    assert "bekannt sind: Akteure, Partnerschaften" in err and "checklist_templates" not in err


@pytest.mark.parametrize("word", ["alle", "Alle", "all"])
def test_every_kind_is_asked_for_in_the_users_word_and_the_old_one(tmp_path, capsys, word):
    """``--kind alle`` on a German command line (and ``all`` in a script) exports every
    kind, the nested ones too; the German help names „alle“, not the English word."""
    import json

    set_language("de")
    help_text = build_parser()._subparsers._group_actions[0].choices["export"].format_help()
    assert "„alle“" in " ".join(help_text.split()) and "„all“" not in help_text
    db = str(tmp_path / "d.sqlite3")
    assert main(["--lang", "de", "--db", db, "demo", "load"]) == 0
    out = tmp_path / "p.json"
    assert main(["--lang", "de", "--db", db, "export", "json", str(out), "--kind", word]) == 0
    capsys.readouterr()
    records = json.loads(out.read_text(encoding="utf-8"))["records"]
    assert {"actors", "dossiers", "checklist_templates", "assessments"} <= set(records)
    assert len(records["dossiers"]) == 2  # the demo's dossiers, not only their names
