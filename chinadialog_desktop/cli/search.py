"""``chinadialog search TEXT [--json] [--limit N] [--rebuild-index]``: search everything."""

from __future__ import annotations

import argparse
import sys

from chinadialog_desktop.cli.common import open_database, print_json, print_table
from chinadialog_desktop.i18n import _, format_number


def register(sub: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    cmd = sub.add_parser(
        "search",
        help=_(
            "search actors, partnerships, activities, contacts, sources, dossiers and the "
            "registers (umlauts, pinyin and Chinese characters)"
        ),
    )
    cmd.add_argument("text", nargs="*", metavar=_("TEXT"), help=_("what to look for"))
    cmd.add_argument("--json", action="store_true", help=_("print JSON"))
    cmd.add_argument(
        "--limit", type=int, default=20, metavar="N", help=_("hits shown per kind (default: 20)")
    )
    cmd.add_argument(
        "--rebuild-index",
        action="store_true",
        help=_("rebuild the search index from scratch first (normally kept current by itself)"),
    )
    cmd.set_defaults(func=cmd_search)


def cmd_search(args: argparse.Namespace) -> int:
    """Exit code 0 when something was found, 1 when nothing was (like grep)."""
    from chinadialog_desktop.services.search import search

    query = " ".join(args.text)
    if not query.strip() and not args.rebuild_index:
        print(_("Say what to search for, e.g. chinadialog search Zhuhai"), file=sys.stderr)
        return 2
    db = open_database(args)
    try:
        if args.rebuild_index:
            from chinadialog_desktop.persistence import search_index

            with db.engine.begin() as conn:
                count = search_index.rebuild(conn)
            print(_("Search index rebuilt: {count} records.").format(count=format_number(count)))
            if not query.strip():
                return 0
        with db.session() as s:
            results = search(s, query, limit=max(1, args.limit))
    finally:
        db.close()
    if args.json:
        print_json(results.to_json())
        return 0 if results.groups else 1
    if not results.groups:
        print(_("Nothing found for “{query}”.").format(query=query))
        return 1
    for n, group in enumerate(results.groups):
        if n:
            print()
        shown = f"{group.total}+" if group.more else str(group.total)
        print(f"{group.label} ({shown})")
        print_table(
            [_("ID"), _("Title"), _("Details"), _("Found in")],
            [[str(h.record_id), h.title, h.subtitle, _shorten(h.snippet)] for h in group.hits],
        )
        # The list is cut at --limit: say so, and how to see the rest.
        left = group.total - len(group.hits)
        if group.more:
            print(_("… and more; show more with --limit N."))
        elif left > 0:
            print(
                _("… and {n} more; show them with --limit {total}.").format(
                    n=format_number(left), total=group.total
                )
            )
    return 0


def _shorten(value: str, width: int = 60) -> str:
    return value if len(value) <= width else value[: width - 1] + "…"
