"""The German catalogue: complete, compiled, placeholders intact; German by default."""

from __future__ import annotations

import importlib.util
import os
import re
import string
import subprocess
import sys
from collections import Counter
from collections.abc import Iterator
from pathlib import Path
from types import ModuleType

import pytest
from babel.messages.catalog import Catalog

from chinadialog_desktop.domain import enums
from chinadialog_desktop.domain.labels import label, partial_date
from chinadialog_desktop.i18n import _, language, ngettext, set_language

ROOT = Path(__file__).resolve().parents[2]
TOOL = ROOT / "tools" / "i18n.py"


def _load_tool() -> ModuleType:
    spec = importlib.util.spec_from_file_location("chinadialog_i18n_tool", TOOL)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.fixture(scope="module")
def tool() -> ModuleType:
    return _load_tool()


@pytest.fixture(scope="module")
def catalog(tool: ModuleType) -> Catalog:
    return tool.load_po()


@pytest.fixture
def lang() -> Iterator[None]:
    before = language()
    yield
    set_language(before)


def _entries(catalog: Catalog) -> list[tuple[str, str]]:
    """(msgid, msgstr) pairs, plural forms paired up, translated entries only."""
    pairs: list[tuple[str, str]] = []
    for msg in catalog:
        if not msg.id or not msg.string:
            continue
        ids = msg.id if isinstance(msg.id, tuple) else (msg.id,)
        strings = msg.string if isinstance(msg.string, tuple) else (msg.string,)
        for i, text in enumerate(strings):
            pairs.append((ids[min(i, len(ids) - 1)], text))
    return pairs


PERCENT_FIELD = re.compile(r"%(?:\([A-Za-z_]+\))?[sdr]")


def _placeholders(text: str) -> Counter[str]:
    """Every replacement field with its conversion and format spec, e.g. ``{n:.3f}``;
    also argparse's %-style fields such as ``%(prog)s`` and ``%s``."""
    found: Counter[str] = Counter(PERCENT_FIELD.findall(text))
    for _literal, field, spec, conversion in string.Formatter().parse(text):
        if field is not None:
            found[
                f"{{{field}{'!' + conversion if conversion else ''}{':' + spec if spec else ''}}}"
            ] += 1
    return found


# -- (1) complete and compiled --------------------------------------------------------------------


def test_every_message_in_the_code_has_a_german_translation(tool, catalog):
    template = tool.extract()
    assert len(template) > 100, "extraction found suspiciously few messages"
    gaps = tool.missing(catalog, template)
    assert gaps == [], f"untranslated (run tools/i18n.py and translate): {gaps[:20]}"


def test_no_entry_is_fuzzy(catalog):
    assert not catalog.fuzzy, "the header of the .po is marked fuzzy"
    fuzzy = [m.id for m in catalog if m.id and m.fuzzy]
    assert fuzzy == []


def test_the_compiled_catalogue_matches_the_po(tool, catalog):
    assert tool.MO.exists(), "the .mo is missing: run tools/i18n.py"
    assert tool.MO.read_bytes() == tool.compiled(catalog), "the .mo is stale: run tools/i18n.py"


def test_the_check_mode_of_the_tool_passes(tool, capsys):
    assert tool.main(["--check"]) == 0, capsys.readouterr().out


# -- (2) placeholders and whitespace -------------------------------------------------------------


def test_placeholders_agree_between_msgid_and_msgstr(catalog):
    wrong = []
    for msgid, msgstr in _entries(catalog):
        try:
            ours = _placeholders(msgstr)
        except ValueError as exc:  # unbalanced braces
            wrong.append((msgid, msgstr, str(exc)))
            continue
        if _placeholders(msgid) != ours:
            wrong.append((msgid, msgstr, "placeholders differ"))
    assert wrong == []


def test_leading_and_trailing_whitespace_is_kept(catalog):
    wrong = []
    for msgid, msgstr in _entries(catalog):
        head = msgid[: len(msgid) - len(msgid.lstrip())]
        tail = msgid[len(msgid.rstrip()) :]
        if (
            not msgstr.startswith(head)
            or not msgstr.endswith(tail)
            or msgstr[: len(msgstr) - len(msgstr.lstrip())] != head
            or msgstr[len(msgstr.rstrip()) :] != tail
        ):
            wrong.append((msgid, msgstr))
    assert wrong == []


def test_command_and_option_names_stay_untranslated(catalog):
    """Anything a user types (commands, options) must survive translation verbatim."""
    token = re.compile(r"(?:chinadialog(?: [a-z][a-z-]*)+|--[a-z][a-z-]*|urn:[a-z:]+)")
    wrong = []
    for msgid, msgstr in _entries(catalog):
        for word in token.findall(msgid):
            if word not in msgstr:
                wrong.append((msgid, msgstr, word))
    assert wrong == []


def test_german_typography(catalog):
    """German quotes „…“ in pairs, "z. B." with a space, no English em dash."""
    wrong = []
    for msgid, msgstr in _entries(catalog):
        if (
            msgstr.count("„") != msgstr.count("“")
            or "”" in msgstr
            or "z.B." in msgstr
            or "e.g." in msgstr
            or "—" in msgstr
        ):
            wrong.append((msgid, msgstr))
    assert wrong == []


# -- (3) the active language ---------------------------------------------------------------------


def test_german_strings_when_german_is_active(lang):
    set_language("de")
    assert label(enums.PartnershipType, "twin_city") == "Städtepartnerschaft"
    assert label(enums.DocumentKind, "information") == "Informationsvorlage"
    assert label(enums.DocumentKind, "decision") == "Beschlussvorlage"
    assert label(enums.DeliberationRole, "preliminary") == "Vorberatung"
    assert label(enums.Classification, "vs_nfd") == "VS – Nur für den Dienstgebrauch"
    assert label(enums.Audience, "committee") == "Ausschuss"
    assert _("Field of action") == "Handlungsfeld"
    assert _("Assessment") == "Prüfung"
    assert _("green") == "grün"
    assert ngettext("{n} partnership", "{n} partnerships", 1).format(n=1) == "1 Partnerschaft"
    assert ngettext("{n} partnership", "{n} partnerships", 3).format(n=3) == "3 Partnerschaften"
    assert partial_date(__import__("datetime").date(2011, 5, 3)) == "03.05.2011"


def test_plural_forms_marked_one_by_one_are_translated_too(lang):
    """The main window marks singular and plural with N_ separately and calls ngettext."""
    set_language("de")
    assert ngettext("{n} actor", "{n} actors", 1).format(n=1) == "1 Akteur"
    assert ngettext("{n} actor", "{n} actors", 4).format(n=4) == "4 Akteure"
    set_language("en")
    assert ngettext("{n} actor", "{n} actors", 4).format(n=4) == "4 actors"


def test_english_strings_when_english_is_active(lang):
    set_language("en")
    assert label(enums.PartnershipType, "twin_city") == "Twin-city partnership"
    assert label(enums.DocumentKind, "information") == "Information paper"
    assert _("Field of action") == "Field of action"
    assert _("Assessment") == "Assessment"
    assert ngettext("{n} partnership", "{n} partnerships", 3).format(n=3) == "3 partnerships"


def test_switching_back_to_german_takes_effect_at_once(lang):
    set_language("en")
    assert _("Assessment") == "Assessment"
    set_language("de")
    assert _("Assessment") == "Prüfung"


# -- (4) the command line speaks German by default -----------------------------------------------


def _cli(*args: str) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if k not in ("CHINADIALOG_LANG", "LANGUAGE")}
    return subprocess.run(
        [sys.executable, "-m", "chinadialog_desktop", *args],
        capture_output=True,
        text=True,
        env=env,
        timeout=120,
        cwd=ROOT,
    )


def test_cli_speaks_german_by_default(tmp_path):
    db = tmp_path / "x.sqlite3"
    out = _cli("--db", str(db), "db", "upgrade")
    assert out.returncode == 0, out.stderr
    assert "Neue Datenbank angelegt" in out.stdout
    out = _cli("--db", str(db), "db", "check")
    assert out.returncode == 0, out.stderr
    assert "Datenbank ist in Ordnung" in out.stdout
    assert "Database is OK" not in out.stdout

    missing = _cli("--db", str(db), "db", "restore", str(tmp_path / "nope.sqlite3"))
    assert missing.returncode == 1
    assert "Fehler: Sicherungsdatei nicht gefunden" in missing.stderr


def test_cli_speaks_english_with_lang_en(tmp_path):
    db = tmp_path / "x.sqlite3"
    out = _cli("--lang", "en", "--db", str(db), "db", "upgrade")
    assert out.returncode == 0, out.stderr
    assert "Created a new database" in out.stdout
    out = _cli("--lang", "en", "--db", str(db), "db", "check")
    assert out.returncode == 0, out.stderr
    assert "Database is OK" in out.stdout
    assert "Datenbank" not in out.stdout


def test_cli_help_is_german_by_default():
    out = _cli("--help")
    assert out.returncode == 0, out.stderr
    assert "Sprache der Meldungen (Standard: de)" in out.stdout
    assert "Leitplanken-Checklisten" in out.stdout
