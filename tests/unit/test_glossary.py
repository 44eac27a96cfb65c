"""One set of terms: the glossary (resources/glossary.yaml) against everything a user reads.

Checked here: the German catalogue (every msgstr), the labels of the stored codes,
the PDF vocabulary, and every German text of the bundled checklists. A deprecated
variant anywhere there fails; so does a field of action named other than the
glossary names it, and a field of the strategy dialogue that is not named word for
word.
"""

from __future__ import annotations

import re
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import yaml
from babel.messages.pofile import read_po

from chinadialog_desktop.domain import briefing_terms
from chinadialog_desktop.domain.enums import FieldOfAction
from chinadialog_desktop.domain.glossary import Glossary, glossary, parse
from chinadialog_desktop.domain.labels import LABELS, label
from chinadialog_desktop.i18n import set_language
from chinadialog_desktop.paths import locale_dir, resources_dir
from chinadialog_desktop.services.assessment.checklists import bundled_files

PO = locale_dir() / "de" / "LC_MESSAGES" / "chinadialog.po"

# The six fields of the strategy dialogue, as issue 14 and the press release of the
# Metropolregion (19.02.2026) name them.
DIALOGUE_FIELDS = {
    "Freiheit von Forschung und Lehre",
    "Wirtschaft und Investitionen",
    "Sicherheit",
    "Lieferketten",
    "Fachkräfte",
    "Infrastruktur",
}


def _catalogue() -> list[tuple[str, str]]:
    """(msgid, msgstr) of every German message; plural forms one by one."""
    with PO.open("rb") as fh:
        catalog = read_po(fh, locale="de")
    pairs: list[tuple[str, str]] = []
    for message in catalog:
        if not message.id:
            continue
        ids = message.id if isinstance(message.id, tuple) else (message.id,)
        strs = message.string if isinstance(message.string, tuple) else (message.string,)
        pairs += [(ids[min(i, len(ids) - 1)], s) for i, s in enumerate(strs)]
    return pairs


def _texts(node: Any, path: str = "") -> Iterator[tuple[str, str]]:
    """(where, text) of every German text in a checklist document."""
    if isinstance(node, dict):
        for key, value in node.items():
            if key in ("en", "url", "id", "format", "licence", "code", "sources"):
                continue
            yield from _texts(value, f"{path}/{key}")
    elif isinstance(node, list):
        for i, value in enumerate(node):
            yield from _texts(value, f"{path}[{i}]")
    elif isinstance(node, str):
        yield path, node


def _violations(g: Glossary, text: str) -> list[str]:
    return [f"{t.id}: {a.text!r}" for t, a in g.avoided() if a.regex.search(text)]


def test_the_glossary_defines_every_term_in_both_languages():
    g = glossary()
    for t in g.terms.values():
        assert t.de and t.en and t.definition_de and t.definition_en, t.id
    assert {t for t in ("checklist", "council_document", "blocker", "evidence", "country")} <= (
        set(g.terms)
    )
    assert list(g.fields) == [f.value for f in FieldOfAction], "one entry per stored code"
    for f in g.fields.values():
        assert f.de and f.en and f.de not in f.avoid


def test_the_six_fields_of_the_dialogue_are_named_word_for_word():
    fields = glossary().fields.values()
    named = {d for f in fields for d in f.dialogue}
    assert named == DIALOGUE_FIELDS
    for f in fields:
        for d in f.dialogue:  # a whole phrase of the name, not a part of a word
            assert re.search(rf"(^|[ ,]){re.escape(d)}($|[ ,])", f.de), (d, f.de)
    assert not any("Forschungssicherheit" in f.de for f in fields)


def test_the_german_catalogue_uses_only_the_preferred_terms():
    g = glossary()
    problems = []
    for msgid, msgstr in _catalogue():
        problems += [f"{msgid!r} → {msgstr!r}: {v}" for v in _violations(g, msgstr)]
        for t in g.terms.values():
            rule = t.rule_msgid and t.rule_avoid and t.rule_msgid.search(msgid)
            if rule and t.rule_avoid and t.rule_avoid.search(msgstr):
                problems.append(f"{msgid!r} → {msgstr!r}: {t.id} is “{t.de}”")
    assert problems == [], "\n".join(problems)


def test_the_labels_say_the_glossary_names_in_both_languages():
    g = glossary()
    try:
        for lang in ("de", "en"):
            set_language(lang)
            for code, entry in g.fields.items():
                assert label(FieldOfAction, code) == entry.name(lang)
            for kind, codes in LABELS.items():
                for code in codes:
                    assert _violations(g, label(kind, code)) == [], (kind.__name__, code)
    finally:
        set_language("de")


def test_the_pdf_vocabulary_uses_only_the_preferred_terms():
    g = glossary()
    german = [de for de, _en in briefing_terms.TERMS.values()]
    german += [pair[0] for table in briefing_terms.ENUM_TERMS.values() for pair in table.values()]
    german = [text.replace("\u00ad", "") for text in german]  # soft hyphens: line breaks only
    problems = [f"{text!r}: {v}" for text in german for v in _violations(g, text)]
    assert problems == [], "\n".join(problems)
    for code, entry in g.fields.items():
        for lang in ("de", "en"):
            assert briefing_terms.enum_term(FieldOfAction, code, lang) == entry.name(lang)


@pytest.mark.parametrize("path", bundled_files(), ids=lambda p: p.name)
def test_a_bundled_checklist_uses_only_the_preferred_terms(path: Path):
    g = glossary()
    document = yaml.safe_load(path.read_text(encoding="utf-8"))
    problems = [f"{where}: {v}" for where, text in _texts(document) for v in _violations(g, text)]
    assert problems == [], "\n".join(problems)


@pytest.mark.parametrize("path", bundled_files(), ids=lambda p: p.name)
def test_sections_that_are_fields_of_action_carry_the_glossary_names(path: Path):
    fields = glossary().fields
    document = yaml.safe_load(path.read_text(encoding="utf-8"))
    if document["id"] not in glossary().checklists_by_field:
        pytest.skip("this checklist has sections of its own, not fields of action")
    for section in document["sections"]:
        entry = fields.get(section["id"])
        if entry is not None:
            assert section["title"] == {"de": entry.de, "en": entry.en}, section["id"]


def test_a_variant_is_found_as_a_whole_word_only():
    g = parse(
        {
            "format": "chinadialog-glossary/1",
            "terms": [
                {"id": "evidence", "de": "Nachweis", "en": "evidence", "avoid": ["Beleg"]},
                {"id": "blocker", "de": "X", "en": "x", "avoid": [{"pattern": r"K\.-[oO]\."}]},
            ],
        }
    )
    assert _violations(g, "Beleg und Quelle") == ["evidence: 'Beleg'"]
    assert _violations(g, "Belegung, belegt, Belegschaft") == []
    assert _violations(g, "ein K.-o.-Kriterium") == ["blocker: 'K\\\\.-[oO]\\\\.'"]


def test_the_german_handbook_uses_only_the_preferred_terms():
    g = glossary()
    # (its chapter "Begriffe" names the variants not to use, as such)
    pages = sorted((resources_dir() / "handbook" / "de").glob("*.md"))
    pages = [page for page in pages if page.name != "glossary.md"]
    assert pages
    problems = [
        f"{page.name}: {v}"
        for page in pages
        for v in _violations(g, " ".join(page.read_text(encoding="utf-8").split()))
    ]
    assert problems == [], "\n".join(problems)


def test_the_written_glossary_pages_are_up_to_date():
    """docs/glossary.md and the handbook chapter are written from the glossary file."""
    tool = Path(__file__).resolve().parents[2] / "tools" / "glossary.py"
    done = subprocess.run(
        [sys.executable, str(tool), "--check"], capture_output=True, text=True, check=False
    )
    assert done.returncode == 0, done.stdout + done.stderr + " — run python tools/glossary.py"


def test_an_import_understands_the_names_and_the_earlier_names_of_a_field():
    from chinadialog_desktop.services.datasets.kinds import enum_code

    for code, entry in glossary().fields.items():
        for text in (entry.de, entry.en, *entry.avoid):
            assert enum_code(FieldOfAction, text) == code, text
    assert enum_code(FieldOfAction, "Forschungssicherheit") == "research"
