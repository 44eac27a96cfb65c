"""``chinadialog glossary [--json]``: the one set of terms, as the app uses them."""

from __future__ import annotations

import argparse

from chinadialog_desktop.cli.common import print_json, print_table
from chinadialog_desktop.domain.glossary import glossary
from chinadialog_desktop.i18n import _, language


def register(sub: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    cmd = sub.add_parser(
        "glossary",
        help=_("show the terms the app uses, in German and English, and the fields of action"),
    )
    cmd.add_argument("--json", action="store_true", help=_("print JSON"))
    cmd.set_defaults(func=cmd_glossary)


def cmd_glossary(args: argparse.Namespace) -> int:
    g = glossary()
    lang = language()
    if args.json:
        print_json(
            {
                "terms": [
                    {
                        "de": t.de,
                        "en": t.en,
                        "definition": {"de": t.definition_de, "en": t.definition_en},
                        "not": [a.text for a in t.avoid if not a.pattern],
                    }
                    for t in g.terms.values()
                ],
                "fields_of_action": [
                    {"de": f.de, "en": f.en, "dialogue": list(f.dialogue)}
                    for f in g.fields.values()
                ],
            }
        )
        return 0
    for t in g.terms.values():
        other = t.de if lang == "en" else t.en
        print(f"{t.name(lang)} ({other})")
        print(f"    {t.definition_en if lang == 'en' else t.definition_de}")
        if t.avoid:
            words = ", ".join(f"„{a.text}“" for a in t.avoid if not a.pattern)
            print("    " + _("Not: {words}").format(words=words))
        print()
    print(_("Fields of action"))
    rows = [
        [str(number), f.name(lang), f.de if lang == "en" else f.en, ", ".join(f.dialogue)]
        for number, f in enumerate(g.fields.values(), start=1)
    ]
    print_table(
        [
            _("No."),
            _("Name"),
            _("German") if lang == "en" else _("English"),
            _("Strategy dialogue"),
        ],
        rows,
    )
    return 0
