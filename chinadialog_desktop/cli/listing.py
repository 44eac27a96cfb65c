"""``chinadialog list partnerships|dossiers|actors [--json]``."""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Iterable
from typing import Any

from chinadialog_desktop.cli.choices import Words
from chinadialog_desktop.cli.common import open_database, print_json, print_table
from chinadialog_desktop.i18n import N_, _


def list_words() -> Words:
    """What ``list`` shows, by the plural a user reads (Partnerschaften, Vorfälle …)."""
    from chinadialog_desktop.domain.kinds import REGISTRY, Kind
    from chinadialog_desktop.domain.registers import REGISTERS

    words = {
        "partnerships": REGISTRY[Kind.PARTNERSHIP].plural,
        "dossiers": N_("Dossiers"),
        "actors": REGISTRY[Kind.ACTOR].plural,
    }
    words.update({r.key: r.label for r in REGISTERS})
    return Words(words, N_("the list"))


def _what(word: str) -> str:
    """A kind or a register in its words (``Partnerschaften``, ``Vorfälle``) → its key."""
    from chinadialog_desktop.services.datasets.kinds import resolve_kind

    words = list_words()
    spec = resolve_kind(word)  # the import's words for kinds and registers, one place
    if spec is not None and spec.key in words.words:
        return spec.key
    if word.strip().casefold() == "dossier":
        return "dossiers"
    return words(word)  # dossiers, or the sentence naming the choices


def register(sub: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    lst = sub.add_parser(
        "list", help=_("list partnerships, dossiers, actors or the entries of a register")
    )
    lst.add_argument("what", type=_what, metavar=list_words().metavar(), help=_("what to list"))
    lst.add_argument("--json", action="store_true", help=_("print JSON"))
    lst.add_argument(
        "--partnership",
        type=int,
        metavar="ID",
        help=_("a register's entries of this partnership only"),
    )
    lst.set_defaults(func=cmd_list)


def cmd_list(args: argparse.Namespace) -> int:
    from chinadialog_desktop.cli.registers import print_list
    from chinadialog_desktop.domain.enums import (
        ActorKind,
        Audience,
        DossierStatus,
        PartnershipStatus,
        PartnershipType,
    )
    from chinadialog_desktop.domain.labels import label, partial_date
    from chinadialog_desktop.domain.registers import BY_KEY
    from chinadialog_desktop.services.records import listing

    if args.what in BY_KEY:
        print_list(args, BY_KEY[args.what])
        return 0
    if args.partnership is not None:
        from chinadialog_desktop.errors import UserError

        raise UserError(
            _("--partnership narrows the list of a register only ({kinds}).").format(
                kinds=", ".join(BY_KEY)
            )
        )
    db = open_database(args)
    try:
        with db.session() as s:
            if args.what == "partnerships":
                rows = listing.iter_partnership_rows(s)
                if args.json:
                    stream_json(r.as_json() for r in rows)
                else:
                    print_table(
                        [
                            _("ID"),
                            _("Partnership"),
                            _("Chinese party"),
                            _("Type"),
                            _("Status"),
                            _("Since"),
                        ],
                        [
                            [
                                str(r.id),
                                r.title,
                                r.chinese_names_zh,
                                label(PartnershipType, r.type),
                                label(PartnershipStatus, r.status),
                                partial_date(r.start_date, r.start_precision),
                            ]
                            for r in rows
                        ],
                    )
            elif args.what == "dossiers":
                drows = listing.dossier_rows(s)
                if args.json:
                    print_json([r.as_json() for r in drows])
                else:
                    print_table(
                        [_("ID"), _("Dossier"), _("Audience"), _("Status")],
                        [
                            [
                                str(r.id),
                                r.title,
                                label(Audience, r.audience),
                                label(DossierStatus, r.status),
                            ]
                            for r in drows
                        ],
                    )
            else:
                arows = listing.actor_rows(s)
                if args.json:
                    print_json([r.as_json() for r in arows])
                else:
                    print_table(
                        [_("ID"), _("Name"), _("Chinese"), _("Pinyin"), _("Kind"), _("Country")],
                        [
                            [
                                str(r.id),
                                r.name_de,
                                r.name_zh or "",
                                r.name_pinyin or "",
                                label(ActorKind, r.kind),
                                r.country,
                            ]
                            for r in arows
                        ],
                    )
    finally:
        db.close()
    return 0


def stream_json(items: Iterable[Any]) -> None:
    """A JSON array written as it comes, one element a line (the C encoder: no indent)."""
    out = sys.stdout
    first = True
    encode = json.JSONEncoder(ensure_ascii=False, default=str).encode  # one encoder, not one a row
    for item in items:
        text = encode(item)
        out.write(("[\n  " if first else ",\n  ") + text)
        first = False
    out.write("[]\n" if first else "\n]\n")
