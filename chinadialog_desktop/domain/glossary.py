"""The one set of terms (resources/glossary.yaml), in German and English.

The file is the single place where the names of the fields of action and the
preferred words for templates, blockers, evidence and countries are defined;
the window's labels, the PDF vocabulary and the checks of the catalogue and the
bundled checklists read it from here.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import Any

from chinadialog_desktop.paths import resources_dir

FORMAT = "chinadialog-glossary/1"


@dataclass(frozen=True)
class Avoid:
    """A German variant that must not appear where a user reads it."""

    text: str
    regex: re.Pattern[str]
    pattern: bool = False  # a regular expression, not a word to show


@dataclass(frozen=True)
class Term:
    id: str
    de: str
    en: str
    definition_de: str = ""
    definition_en: str = ""
    label_de: str | None = None
    label_en: str | None = None
    avoid: tuple[Avoid, ...] = ()
    rule_msgid: re.Pattern[str] | None = None
    rule_avoid: re.Pattern[str] | None = None

    def name(self, lang: str) -> str:
        return self.en if lang == "en" else self.de


@dataclass(frozen=True)
class FieldName:
    id: str
    de: str
    en: str
    dialogue: tuple[str, ...] = ()
    avoid: tuple[str, ...] = field(default_factory=tuple)

    def name(self, lang: str) -> str:
        return self.en if lang == "en" else self.de


@dataclass(frozen=True)
class Glossary:
    terms: dict[str, Term]
    fields: dict[str, FieldName]
    # checklists whose sections are the fields of action (ids = stored codes)
    checklists_by_field: tuple[str, ...] = ()

    def field_name(self, code: str, lang: str) -> str | None:
        entry = self.fields.get(code)
        return entry.name(lang) if entry else None

    def avoided(self) -> list[tuple[Term, Avoid]]:
        return [(t, a) for t in self.terms.values() for a in t.avoid]


def glossary_path() -> Path:
    return resources_dir() / "glossary.yaml"


def _whole_word(text: str) -> re.Pattern[str]:
    # Word boundaries only where the variant begins or ends with a letter or digit.
    start = r"(?<![\w-])" if text[:1].isalnum() else ""
    end = r"(?![\w])" if text[-1:].isalnum() else ""
    return re.compile(start + re.escape(text) + end)


def _avoid(entry: Any) -> Avoid:
    if isinstance(entry, dict):
        return Avoid(str(entry["pattern"]), re.compile(str(entry["pattern"])), pattern=True)
    return Avoid(str(entry), _whole_word(str(entry)))


def _pair(data: Any, key: str) -> tuple[str, str]:
    value = data.get(key) or {}
    return str(value.get("de", "")), str(value.get("en", ""))


def parse(data: dict[str, Any]) -> Glossary:
    if data.get("format") != FORMAT:
        raise ValueError(f"glossary format must be {FORMAT}")
    terms: dict[str, Term] = {}
    for raw in data.get("terms") or []:
        d_de, d_en = _pair(raw, "definition")
        rule = raw.get("catalogue_rule") or {}
        label = raw.get("label")
        terms[raw["id"]] = Term(
            id=str(raw["id"]),
            de=str(raw["de"]),
            en=str(raw["en"]),
            definition_de=d_de,
            definition_en=d_en,
            label_de=str(label["de"]) if label else None,
            label_en=str(label["en"]) if label else None,
            avoid=tuple(_avoid(a) for a in raw.get("avoid") or []),
            rule_msgid=re.compile(rule["msgid"]) if rule else None,
            rule_avoid=re.compile(rule["msgstr_avoid"]) if rule else None,
        )
    fields = {
        str(raw["id"]): FieldName(
            id=str(raw["id"]),
            de=str(raw["de"]),
            en=str(raw["en"]),
            dialogue=tuple(str(x) for x in raw.get("dialogue") or []),
            avoid=tuple(str(x) for x in raw.get("avoid") or []),
        )
        for raw in data.get("fields_of_action") or []
    }
    by_field = tuple(str(x) for x in data.get("checklists_by_field_of_action") or [])
    return Glossary(terms, fields, by_field)


@cache
def glossary() -> Glossary:
    """The bundled glossary, read once."""
    import yaml  # here, not at import: the window's first frame does not need it

    loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)  # libyaml when present
    with glossary_path().open(encoding="utf-8") as fh:
        return parse(yaml.load(fh, Loader=loader))  # noqa: S506 - a safe loader


def term(term_id: str, lang: str) -> str:
    """The preferred word for ``term_id`` in ``lang`` ("de" or "en")."""
    return glossary().terms[term_id].name(lang)


def field_name(code: str | None, lang: str) -> str:
    """The name of a field of action; an unknown code is shown as is."""
    if code is None:
        return ""
    return glossary().field_name(str(code), lang) or str(code)
