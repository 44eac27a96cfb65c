"""``chinadialog demo load``: add the bundled demo dataset to the database."""

from __future__ import annotations

import argparse
from pathlib import Path

from chinadialog_desktop.cli.common import open_database
from chinadialog_desktop.i18n import _, format_number


def register(sub: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    demo = sub.add_parser("demo", help=_("demo data"))
    demo_sub = demo.add_subparsers(dest="demo_command", metavar=_("COMMAND"), required=True)
    load = demo_sub.add_parser(
        "load",
        help=_(
            "add the demo dataset (real German–Chinese partnerships); loading twice adds nothing"
        ),
    )
    load.add_argument(
        "--file",
        metavar="FILE",
        type=Path,
        help=_("demo data file (default: the one bundled with the app)"),
    )
    load.set_defaults(func=cmd_load)


def cmd_load(args: argparse.Namespace) -> int:
    from chinadialog_desktop.services.demo import TABLE_LABELS, load_demo, read_demo

    data = read_demo(args.file)  # a broken file fails here, before the database is touched
    db = open_database(args)
    try:
        with db.session() as session:
            result = load_demo(session, data)
    finally:
        db.close()
    if not result.changed:
        print(
            _("The demo data is already in {path}; nothing was changed.").format(path=db.location)
        )
        return 0
    print(_("Demo data loaded into {path}:").format(path=db.location))
    width = max(len(_(label)) for label in TABLE_LABELS.values())
    for table, count in result.added.items():
        if count:
            label = _(TABLE_LABELS.get(table, table))
            print(f"  {label.ljust(width)}  {format_number(count):>5}")
    print(
        _("{count} records added in one transaction.").format(
            count=format_number(result.total_added)
        )
    )
    if result.already_present:
        print(
            _("{count} records were already there and were left unchanged.").format(
                count=format_number(result.already_present)
            )
        )
    return 0
