"""``chinadialog selftest [--temp]``: start the window offscreen on a database and check it.

Without ``--temp`` it opens the file the window would open (``--db`` or the
default one) and so measures the user's real data; ``--temp`` builds a
one-partnership temporary database instead (the smoke check of a packaged
build, which has no data of its own).
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
import time
from datetime import date
from pathlib import Path

from chinadialog_desktop.i18n import _, format_number, ngettext

SAMPLE_CHINESE_NAME = "珠海"


class Seconds(float):
    """Seconds that honour ``{x:.3f}`` in a message with the active language's decimal mark."""

    def __format__(self, spec: str) -> str:
        if spec.startswith(".") and spec.endswith("f") and spec[1:-1].isdigit():
            return format_number(float(self), int(spec[1:-1]))
        return super().__format__(spec)


def register(subparsers: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    parser = subparsers.add_parser(
        "selftest",
        help=_("start the window offscreen on the database and check that it paints"),
        description=_(
            "Start the main window (offscreen unless QT_QPA_PLATFORM is set) on the database "
            "given with --db (or the default one), check that it paints and fills its list, and "
            "print the times to the first paint and the filled list. With --temp it uses a "
            "temporary database with one sample partnership instead. Exit code 0 when "
            "everything works."
        ),
    )
    parser.add_argument(
        "--temp",
        action="store_true",
        help=_("use a temporary database with one sample partnership (for a new installation)"),
    )
    parser.add_argument(
        "--timeout",
        type=float,
        default=60.0,
        metavar=_("SECONDS"),
        help=_("give up after this many seconds (default: 60)"),
    )
    parser.set_defaults(func=run)


def _write_sample(path: Path) -> None:
    """One partnership with Chinese characters, written through the ORM like real data."""
    from chinadialog_desktop.domain.enums import (
        ActorKind,
        DatePrecision,
        PartnershipStatus,
        PartnershipType,
        PartyRole,
    )
    from chinadialog_desktop.persistence.database import Database
    from chinadialog_desktop.persistence.models import Actor, Partnership, PartnershipParty

    database = Database.open(path)
    try:
        with database.session() as s:
            german = Actor(name_de="Braunschweig", kind=ActorKind.MUNICIPALITY.value, country="DE")
            chinese = Actor(
                name_de="Zhuhai",
                name_zh=SAMPLE_CHINESE_NAME,
                name_pinyin="Zhūhǎi",
                kind=ActorKind.CITY.value,
                country="CN",
                region="Guangdong",
            )
            partnership = Partnership(
                title="Braunschweig – Zhuhai (Selbsttest)",
                type=PartnershipType.FRIENDSHIP.value,
                status=PartnershipStatus.ACTIVE.value,
                start_date=date(2011, 1, 1),
                start_precision=DatePrecision.YEAR.value,
            )
            partnership.parties = [
                PartnershipParty(actor=german, role=PartyRole.GERMAN.value, position=0),
                PartnershipParty(actor=chinese, role=PartyRole.CHINESE.value, position=1),
            ]
            s.add(partnership)
    finally:
        database.close()


def run(args: argparse.Namespace) -> int:
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    if not getattr(args, "temp", False):
        return _run_on_file(args)
    with tempfile.TemporaryDirectory(prefix="chinadialog-selftest-") as folder:
        path = Path(folder) / "selftest.sqlite3"
        _write_sample(path)
        started_at = time.perf_counter()  # before PySide6 is imported: its load counts too
        from chinadialog_desktop.ui.window.selfcheck import run_selfcheck

        result = run_selfcheck(
            path, expect_text=SAMPLE_CHINESE_NAME, timeout_s=args.timeout, started_at=started_at
        )
    if not result.ok:
        for problem in result.problems or [_("The window did not finish starting.")]:
            print(_("Self-test failed: {problem}").format(problem=problem), file=sys.stderr)
        return 1
    print(
        _(
            "Self-test passed: the window painted {paint:.3f} s after the GUI start, the list "
            "was filled after {filled:.3f} s (Qt platform {platform}, {rows})."
        ).format(
            paint=Seconds(result.first_paint or 0.0),
            filled=Seconds(result.list_filled or 0.0),
            platform=result.platform,
            rows=ngettext("{n} partnership", "{n} partnerships", result.rows).format(n=result.rows),
        )
    )
    return 0


def _run_on_file(args: argparse.Namespace) -> int:
    """The window on the user's own file, as ``chinadialog --db FILE`` would show it."""
    from chinadialog_desktop.cli.common import database_path

    path = database_path(args)
    if not path.is_file():  # a self-test creates no file of its own
        print(
            _(
                "There is no database at {path}. Give an existing file with --db, or use "
                "--temp to test with a temporary database."
            ).format(path=path),
            file=sys.stderr,
        )
        return 2
    started_at = time.perf_counter()
    from chinadialog_desktop.ui.window.selfcheck import run_selfcheck

    result = run_selfcheck(path, timeout_s=args.timeout, started_at=started_at)
    if not result.ok:
        for problem in result.problems or [_("The window did not finish starting.")]:
            print(_("Self-test failed: {problem}").format(problem=problem), file=sys.stderr)
        return 1
    print(
        _(
            "Self-test passed on {file}: the window painted {paint:.3f} s after the GUI start, "
            "the list was filled after {filled:.3f} s (Qt platform {platform}, {rows})."
        ).format(
            file=path,
            paint=Seconds(result.first_paint or 0.0),
            filled=Seconds(result.list_filled or 0.0),
            platform=result.platform,
            rows=ngettext("{n} partnership", "{n} partnerships", result.rows).format(n=result.rows),
        )
    )
    return 0
