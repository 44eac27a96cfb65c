"""Write the glossary's pages from resources/glossary.yaml (the one place the terms live).

    python tools/glossary.py          # write docs/glossary.md and the handbook chapters
    python tools/glossary.py --check  # exit 1 if a written page is out of date

The pages: docs/glossary.md (both languages, with the variants not to use) and the
handbook chapter "Begriffe"/"Terms" (resources/handbook/{de,en}/glossary.md), which
the window shows under Help → Handbook.
"""

from __future__ import annotations

import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from chinadialog_desktop.domain.glossary import Glossary, glossary  # noqa: E402

HEAD = "<!-- Written by tools/glossary.py from resources/glossary.yaml; do not edit. -->\n"

WORDS = {
    "de": {
        "title": "Begriffe",
        "intro": (
            "Das Programm verwendet für jeden Begriff ein Wort – im Fenster, auf der "
            "Befehlszeile (`chinadialog glossary`), in den Checklisten und in der Vorlage "
            "(PDF). In Klammern steht das englische Wort."
        ),
        "not": "Nicht",
        "fields": "Handlungsfelder",
        "fields_intro": (
            "Die Fragen der Leitplanken-Checkliste und die Schlagworte einer Partnerschaft "
            "sind nach zehn Handlungsfeldern geordnet. Die sechs Handlungsfelder des "
            "Strategiedialogs „Kommunale Partnerschaften mit China – Chancen, Risiken und "
            "Handlungsfelder in Niedersachsen“ (Braunschweig, 19.02.2026) tragen genau "
            "dessen Namen."
        ),
        "head": ("Nr.", "Handlungsfeld", "Englisch", "Strategiedialog"),
        "back": "Zurück zum [Inhalt](index.md)",
    },
    "en": {
        "title": "Terms",
        "intro": (
            "The app uses one word for each concept – in the window, on the command line "
            "(`chinadialog glossary`), in the checklists and in the paper (PDF). The German "
            "word is given in brackets."
        ),
        "not": "Not",
        "fields": "Fields of action",
        "fields_intro": (
            "The questions of the guardrail checklist and the tags of a partnership are "
            "ordered by ten fields of action. The six fields of the strategy dialogue "
            "“Kommunale Partnerschaften mit China – Chancen, Risiken und Handlungsfelder in "
            "Niedersachsen” (Braunschweig, 19 February 2026) carry exactly its names."
        ),
        "head": ("No.", "Field of action", "German", "Strategy dialogue"),
        "back": "Back to the [contents](index.md)",
    },
}


def _variants(words: list[str]) -> str:
    return ", ".join(f"„{w}“" for w in words)


def chapter(g: Glossary, lang: str) -> str:
    w = WORDS[lang]
    other = "en" if lang == "de" else "de"
    lines = [f"# {w['title']}", "", w["intro"], ""]
    for t in g.terms.values():
        definition = t.definition_en if lang == "en" else t.definition_de
        shown = [a.text for a in t.avoid if not a.pattern]
        avoid = f" {w['not']}: {_variants(shown)}." if shown else ""
        lines.append(f"- **{t.name(lang)}** ({t.name(other)}): {definition}{avoid}")
    lines.append("")
    lines += [f"## {w['fields']}", "", w["fields_intro"], ""]
    head = w["head"]
    lines += ["| " + " | ".join(head) + " |", "| " + " | ".join("---" for _ in head) + " |"]
    for number, f in enumerate(g.fields.values(), start=1):
        lines.append(f"| {number} | {f.name(lang)} | {f.name(other)} | {', '.join(f.dialogue)} |")
    lines += ["", w["back"], ""]
    return "\n".join(lines)


def document(g: Glossary) -> str:
    lines = [
        HEAD.rstrip(),
        "# Glossary / Begriffe",
        "",
        "The one set of terms of ChinaDialog Desktop (issue 14, point 6). Source: "
        "`resources/glossary.yaml`; the window's labels, the PDF vocabulary and the "
        "fields of action read it, and `tests/unit/test_glossary.py` checks the German "
        "catalogue, the labels, the PDF vocabulary, the handbook and the bundled "
        "checklists against the variants listed as not to be used.",
        "",
        "| German | English | Definition | Not to be used (German) |",
        "| --- | --- | --- | --- |",
    ]
    for t in g.terms.values():
        shown = [a.text for a in t.avoid if not a.pattern]
        patterns = [f"`{a.text}`" for a in t.avoid if a.pattern]
        lines.append(
            f"| {t.de} | {t.en} | {t.definition_de} / {t.definition_en} | "
            f"{', '.join([_variants(shown), *patterns]).strip(', ') or '–'} |"
        )
    lines += [
        "",
        "## Fields of action / Handlungsfelder",
        "",
        "Stored codes never change; only names do. Earlier names are still understood on import.",
        "",
        "| Code | German | English | Strategy dialogue | Earlier names |",
        "| --- | --- | --- | --- | --- |",
    ]
    for f in g.fields.values():
        lines.append(
            f"| `{f.id}` | {f.de} | {f.en} | {_variants(list(f.dialogue)) or '–'} | "
            f"{_variants(list(f.avoid)) or '–'} |"
        )
    lines.append("")
    return "\n".join(lines)


def pages(g: Glossary) -> dict[Path, str]:
    return {
        ROOT / "docs" / "glossary.md": document(g),
        ROOT / "resources" / "handbook" / "de" / "glossary.md": chapter(g, "de"),
        ROOT / "resources" / "handbook" / "en" / "glossary.md": chapter(g, "en"),
    }


def main(argv: list[str]) -> int:
    stale = []
    for path, text in pages(glossary()).items():
        current = path.read_text(encoding="utf-8") if path.exists() else None
        if current != text:
            stale.append(path)
            if "--check" not in argv:
                path.write_text(text, encoding="utf-8")
    if "--check" in argv and stale:
        print("out of date: " + ", ".join(str(p.relative_to(ROOT)) for p in stale))
        return 1
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
