"""Helpers shared by the command modules."""

from __future__ import annotations

import argparse
import json
import sys
import unicodedata
from datetime import datetime
from pathlib import Path
from typing import Any

from chinadialog_desktop.paths import default_database_path


def server_address(args: argparse.Namespace) -> str | None:
    """The team server's address when ``--db`` names one (``postgresql://…``), else None."""
    from chinadialog_desktop.persistence.server_url import is_server_url

    return str(args.db) if args.db and is_server_url(args.db) else None


def database_path(args: argparse.Namespace) -> Path:
    """The database file; a command that works on files only refuses a server address."""
    address = server_address(args)
    if address is not None:
        from chinadialog_desktop.errors import UserError
        from chinadialog_desktop.i18n import _
        from chinadialog_desktop.persistence.server import parse_target

        raise UserError(
            _(
                "This command works on database files only; on the team server {server} "
                "backups, restores and repairs are the server's job (see docs/team-mode.md)."
            ).format(server=parse_target(address).display())
        )
    return Path(args.db).expanduser() if args.db else default_database_path()


def open_database(args: argparse.Namespace):  # type: ignore[no-untyped-def]
    """The one way the commands open the database: a file or a team server (``--db``)."""
    from chinadialog_desktop.persistence.database import Database

    address = server_address(args)
    database = Database.open(address if address is not None else database_path(args))
    if database.notice:  # an automatic repair the user must hear about
        print(database.notice, file=sys.stderr)
    return database


def describe_database_error(exc: BaseException, args: argparse.Namespace) -> str | None:
    """Conditions a user can act on, as one sentence naming the file or server (no SQL, no data)."""
    from chinadialog_desktop.errors import translate_database_error
    from chinadialog_desktop.persistence.database import readonly_reason

    address = server_address(args)
    if address is not None:
        from chinadialog_desktop.errors import UserError
        from chinadialog_desktop.persistence.server import describe_server_error, parse_target

        try:
            server = describe_server_error(exc, parse_target(address))
        except UserError as refused:
            return str(refused)
        return None if server is None else str(server)
    path = database_path(args).resolve()
    translated = translate_database_error(exc, path, readonly_reason(path))
    return None if translated is None else str(translated)


def print_verify(database: Any, table_labels: dict[str, str] | None = None) -> int:
    """``db verify``: where the audit trail's hash chain breaks, and which records differ
    from their trail (changed with another tool). 0: all in order, 1: not."""
    import sys

    from chinadialog_desktop.i18n import _, format_number
    from chinadialog_desktop.persistence.audit import verify_chain, verify_records

    with database.engine.connect() as conn:
        report = verify_chain(conn)
    with database.sessions() as session:
        differing = verify_records(session)
    if report.intact and not differing:
        print(
            _(
                "Audit trail intact: {n} events, hash chain unbroken, every record matches "
                "its trail ({path})."
            ).format(n=format_number(report.events), path=database.location)
        )
        return 0
    if not report.intact:
        print(
            _("Audit trail broken in {path}: the hash chain breaks at event {id} ({when}).").format(
                path=database.location,
                id=report.breaks[0].event_id,
                when=format_when(report.breaks[0].at),
            ),
            file=sys.stderr,
        )
    else:
        print(
            _(
                "Records in {path} differ from the audit trail: they were changed outside the app."
            ).format(path=database.location),
            file=sys.stderr,
        )
    reasons = {
        "changed": _("changed, or the event before it was removed or changed"),
        "unsealed": _("written outside the app (no chain hash)"),
    }
    for brk in report.breaks:
        print(
            _("Event {id} ({when}): {reason}").format(
                id=brk.event_id, when=format_when(brk.at), reason=reasons[brk.reason]
            )
        )
    labels = table_labels or {}
    for item in differing:
        kind = _(labels[item.table]) if item.table in labels else item.table
        if item.field is None:
            line = _("{kind} {uuid}: not in the audit trail (written outside the app)")
        else:
            line = _("{kind} {uuid}: field '{field}' differs from the audit trail")
        print(line.format(kind=kind, uuid=item.record_uuid, field=item.field))
    return 1


def format_when(value: datetime | str) -> str:
    """A moment to the second as the active language writes it: 25.11.2026 17:06:15."""
    from chinadialog_desktop.i18n import format_date

    try:
        moment = datetime.fromisoformat(value) if isinstance(value, str) else value
    except ValueError:  # not a moment at all (a tampered audit row): show it as it is
        return str(value)
    return f"{format_date(moment.date())} {moment:%H:%M:%S}"


def describe_os_error(exc: OSError) -> str:
    """A failed file operation in the active language: the file and what went wrong."""
    import errno

    from chinadialog_desktop.i18n import _

    reasons = {
        errno.ENOENT: _("the file or its folder does not exist"),
        errno.EACCES: _("no permission"),
        errno.EPERM: _("no permission"),
        errno.EISDIR: _("it is a folder"),
        errno.ENOTDIR: _("a part of the path is not a folder"),
        errno.EEXIST: _("a file of that name stands where a folder is needed"),
        errno.ENOSPC: _("the disk is full"),
        errno.EROFS: _("the drive is read-only"),
    }
    reason = reasons.get(exc.errno or 0) or exc.strerror or str(exc)
    if not exc.filename:
        return reason
    name = Path(str(exc.filename))
    if name.name.endswith(".part"):  # written to a temporary file, then renamed
        name = name.with_name(name.name.removesuffix(".part").removeprefix("."))
    return f"{name}: {reason}"


def print_json(data: Any) -> None:
    json.dump(data, sys.stdout, ensure_ascii=False, indent=2, default=str)
    sys.stdout.write("\n")


def display_width(text: str) -> int:
    """Terminal columns: Chinese characters take two."""
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)


def _pad(text: str, width: int) -> str:
    return text + " " * (width - display_width(text))


def print_table(headers: list[str], rows: list[list[str]]) -> None:
    widths = [display_width(h) for h in headers]
    for row in rows:
        widths = [max(w, display_width(c)) for w, c in zip(widths, row, strict=True)]
    print("  ".join(_pad(h, w) for h, w in zip(headers, widths, strict=True)).rstrip())
    print("  ".join("-" * w for w in widths))
    for row in rows:
        print("  ".join(_pad(c, w) for c, w in zip(row, widths, strict=True)).rstrip())
