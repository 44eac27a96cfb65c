"""``chinadialog team …``: the password for a team server, kept in the OS keyring."""

from __future__ import annotations

import argparse
import sys

from chinadialog_desktop.i18n import _


def register(sub: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    team = sub.add_parser("team", help=_("team server: password in the keyring"))
    teamsub = team.add_subparsers(dest="team_command", metavar=_("ACTION"), required=True)
    pw = teamsub.add_parser(
        "password",
        help=_("store the password for --db postgresql://… in the operating system's keyring"),
    )
    pw.add_argument("--stdin", action="store_true", help=_("read the password from standard input"))
    pw.set_defaults(func=cmd_password)
    forget = teamsub.add_parser(
        "forget-password", help=_("remove the stored password for --db postgresql://…")
    )
    forget.set_defaults(func=cmd_forget)


def _target(args: argparse.Namespace):  # type: ignore[no-untyped-def]
    from chinadialog_desktop.cli.common import server_address
    from chinadialog_desktop.errors import UserError
    from chinadialog_desktop.persistence.server import parse_target

    address = server_address(args)
    if address is None:
        raise UserError(_("Name the team server with --db postgresql://user@host:port/database."))
    return parse_target(address)


def cmd_password(args: argparse.Namespace) -> int:
    import getpass

    from chinadialog_desktop.errors import UserError
    from chinadialog_desktop.persistence.server import (
        NoKeyring,
        keyring_available,
        no_keyring_message,
        store_password,
    )

    target = _target(args)
    if not keyring_available():  # say so before asking for anything
        raise NoKeyring(no_keyring_message())
    if args.stdin:
        password = sys.stdin.readline().rstrip("\r\n")
    else:
        password = getpass.getpass(
            _("Password for {user} on {host}: ").format(user=target.user, host=target.host)
        )
    if not password:
        raise UserError(_("No password given; nothing was stored."))
    store_password(target, password)
    print(
        _("The password for {user} on {host} is now in the keyring.").format(
            user=target.user, host=target.host
        )
    )
    return 0


def cmd_forget(args: argparse.Namespace) -> int:
    from chinadialog_desktop.persistence.server import forget_password

    target = _target(args)
    if forget_password(target):
        print(
            _("The password for {user} on {host} was removed from the keyring.").format(
                user=target.user, host=target.host
            )
        )
    else:
        print(
            _("The keyring held no password for {user} on {host}.").format(
                user=target.user, host=target.host
            )
        )
    return 0
