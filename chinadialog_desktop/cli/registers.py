"""``chinadialog list visits|gifts|counterparts|incidents`` and ``chinadialog show KIND ID``."""

from __future__ import annotations

import argparse
from typing import Any

from chinadialog_desktop.cli.common import open_database, print_json, print_table
from chinadialog_desktop.domain.registers import REGISTERS, Register
from chinadialog_desktop.i18n import _

KEYS = tuple(r.key for r in REGISTERS)
RECORD_KINDS = tuple(r.record_kind for r in REGISTERS)


def register(sub: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    show = sub.add_parser(
        "show", help=_("show one register entry (visit, gift, counterpart, incident)")
    )
    show.add_argument(
        "kind",
        metavar="{" + ",".join(RECORD_KINDS) + "}",
        help=_("the register (German words too: Vorfall, Delegationsreise …)"),
    )
    show.add_argument("ref", metavar="ID", help=_("the entry's ID or UUID"))
    show.add_argument("--json", action="store_true", help=_("print JSON"))
    show.set_defaults(func=cmd_show)


def _jsonable(row: dict[str, Any]) -> dict[str, Any]:
    return {k: (v.isoformat() if hasattr(v, "isoformat") else v) for k, v in row.items()}


def print_list(args: argparse.Namespace, reg: Register) -> None:
    """``list <register>``: one line per entry; ``--partnership ID`` narrows it."""
    from chinadialog_desktop.services.records import registers

    db = open_database(args)
    try:
        with db.session() as s:
            ids = [args.partnership] if args.partnership is not None else None
            rows = registers.entries(s, reg, ids)
    finally:
        db.close()
    if args.json:
        print_json([_jsonable(r) for r in rows])
        return
    fields = [reg.field(name) for name in reg.columns]
    print_table(
        [_("ID"), *(registers.caption(f) for f in fields), _("Partnership")],
        [
            [str(r["id"]), *(registers.text(f, r[f.name]) for f in fields), r["partnership"]]
            for r in rows
        ],
    )


def cmd_show(args: argparse.Namespace) -> int:
    from chinadialog_desktop.services.records import registers

    reg = registers.register_of(args.kind)
    ref: int | str = int(args.ref) if args.ref.isdigit() else args.ref
    db = open_database(args)
    try:
        with db.session() as s:
            row = registers.entry(s, reg, ref)
    finally:
        db.close()
    if args.json:
        print_json(_jsonable(row))
        return 0
    lines = [(_("Partnership"), row["partnership"])]
    lines += [(registers.caption(f), registers.text(f, row[f.name])) for f in reg.fields]
    lines.append(("UUID", row["uuid"]))
    width = max(len(caption) for caption, _value in lines)
    for caption, value in lines:
        head, *rest = (value or "–").splitlines() or ["–"]
        print(f"{caption + ':':<{width + 1}} {head}")
        for line in rest:
            print(" " * (width + 2) + line)
    return 0
