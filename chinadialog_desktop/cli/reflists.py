"""``chinadialog reflist import|list|remove``: reference lists (FollowTheMoney) for screening."""

from __future__ import annotations

import argparse
import sys
from datetime import date
from typing import TYPE_CHECKING

from chinadialog_desktop.cli.choices import list_category_words
from chinadialog_desktop.cli.common import open_database, print_json, print_table
from chinadialog_desktop.domain.screening_terms import CATEGORY_LABELS
from chinadialog_desktop.i18n import _, format_date, ngettext

if TYPE_CHECKING:
    from chinadialog_desktop.persistence.database import Database
    from chinadialog_desktop.services.screening.reference_lists import ReferenceImportResult
    from chinadialog_desktop.services.screening.runs import RunResult


def _date(text: str) -> date:
    try:
        return date.fromisoformat(text)
    except ValueError as exc:
        raise argparse.ArgumentTypeError(
            _("not a date (YYYY-MM-DD): {text}").format(text=text)
        ) from exc


def register(sub: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    ref = sub.add_parser("reflist", help=_("reference lists for screening: import, list, remove"))
    refsub = ref.add_subparsers(dest="reflist_command", metavar=_("ACTION"), required=True)

    imp = refsub.add_parser(
        "import", help=_("import a FollowTheMoney entity file (.json, .jsonl, .gz)")
    )
    imp.add_argument("file", help=_("the file to import"))
    imp.add_argument("--key", help=_("stable key of the list (default: its dataset name)"))
    imp.add_argument("--name", help=_("name of the list as shown"))
    imp.add_argument("--source", help=_("publisher or address of the list"))
    imp.add_argument("--date", type=_date, help=_("date of the list (YYYY-MM-DD)"))
    list_category_words().add(
        imp,
        "--category",
        help=_("legal designation (sanctions, export control) or assessment (risk ratings)"),
    )
    imp.add_argument(
        "--dry-run", action="store_true", help=_("only check and count, write nothing")
    )
    imp.add_argument(
        "--no-screen",
        action="store_true",
        help=_("do not screen actors and contacts against the new or changed entities"),
    )
    imp.add_argument(
        "--replace",
        action="store_true",
        help=_("replace a list of the same dataset name imported from another file"),
    )
    imp.add_argument("--json", action="store_true", help=_("print JSON"))
    imp.set_defaults(func=cmd_import)

    lst = refsub.add_parser("list", help=_("list the imported reference lists"))
    lst.add_argument("--json", action="store_true", help=_("print JSON"))
    lst.set_defaults(func=cmd_list)

    rem = refsub.add_parser("remove", help=_("remove a reference list and its entities"))
    rem.add_argument("key", help=_("key of the list"))
    rem.set_defaults(func=cmd_remove)


def _progress(done: int, total: int, message: str) -> None:
    if total and sys.stderr.isatty():
        print(f"\r{message} {100 * done // total:3d} %", end="", file=sys.stderr, flush=True)


def cmd_import(args: argparse.Namespace) -> int:
    from chinadialog_desktop.services.screening.reference_lists import (
        CANCELLED,
        DRY_RUN,
        import_reference_list,
    )

    db = open_database(args)
    try:
        result = import_reference_list(
            db,
            args.file,
            list_key=args.key,
            name=args.name,
            source=args.source,
            list_date=args.date,
            category=args.category,
            dry_run=args.dry_run,
            progress=_progress,
            replace=args.replace,
        )
        screened = None
        if result.ok and result.status != DRY_RUN and not args.no_screen:
            screened = _screen_changes(db, result)
    finally:
        db.close()
    if sys.stderr.isatty():
        print(file=sys.stderr)
    if args.json:
        print_json(result.as_json())
        return 0 if result.ok else 1
    if not result.ok:
        if result.status == CANCELLED:
            print(_("Import cancelled; nothing was changed."), file=sys.stderr)
            return 1
        print(
            _("Rejected: {file} was not imported, nothing was changed.").format(
                file=result.file_name
            ),
            file=sys.stderr,
        )
        print(result.problems.format(), file=sys.stderr)
        if result.replace_needed:
            print(
                _(
                    "Use --replace to replace that list, or --key to import the file "
                    "as a list of its own."
                ),
                file=sys.stderr,
            )
        return 1
    for problem in result.problems:
        print(str(problem), file=sys.stderr)
    if result.status == DRY_RUN:
        print(_("Dry run — nothing was written."))
    print(
        _("List {key} ({name}), {date}: {total} entities").format(
            key=result.list_key,
            name=result.name,
            date=format_date(result.list_date) if result.list_date else _("no date"),
            total=result.total,
        )
    )
    print(
        _("{new} new, {updated} updated, {unchanged} unchanged, {removed} removed").format(
            **result.counts
        )
    )
    if result.skipped:
        print(
            _("{n} entities skipped (unknown schema or impossible date; see above).").format(
                n=result.skipped
            )
        )
    if result.backup_path:
        print(_("Backup: {path}").format(path=result.backup_path))
    if screened is not None:
        print(
            _(
                "Screening of what changed: {new_hits}, {reopened} reopened; "
                "review them with 'chinadialog screen hits'."
            ).format(
                new_hits=ngettext("{n} new hit", "{n} new hits", len(screened.new_hit_ids)).format(
                    n=len(screened.new_hit_ids)
                ),
                reopened=len(screened.reopened_hit_ids),
            )
        )
    return 0


def _screen_changes(db: Database, result: ReferenceImportResult) -> RunResult | None:
    """Screen our actors and contacts against the entities this import added or changed."""
    from chinadialog_desktop.services.screening.runs import run_after_list_update

    if result.list_key is None or not (result.changed_keys or result.removed_keys):
        return None
    with db.session() as s:
        return run_after_list_update(s, result.list_key, result.changed_keys, result.removed_keys)


def cmd_list(args: argparse.Namespace) -> int:
    from chinadialog_desktop.services.screening.reference_lists import list_reference_lists

    db = open_database(args)
    try:
        with db.session() as s:
            rows = list_reference_lists(s)
    finally:
        db.close()
    if args.json:
        print_json([r.as_json() for r in rows])
        return 0
    print_table(
        [_("Key"), _("Name"), _("Date"), _("Category"), _("Entities"), _("File")],
        [
            [
                r.list_key,
                r.name,
                format_date(r.list_date),
                _(CATEGORY_LABELS[r.category]) if r.category in CATEGORY_LABELS else r.category,
                str(r.entity_count),
                r.file_name or "",
            ]
            for r in rows
        ],
    )
    return 0


def cmd_remove(args: argparse.Namespace) -> int:
    from chinadialog_desktop.services.screening.reference_lists import delete_reference_list

    db = open_database(args)
    try:
        count = delete_reference_list(db, args.key)
    finally:
        db.close()
    print(_("Removed list {key} with {n} entities.").format(key=args.key, n=count))
    return 0
