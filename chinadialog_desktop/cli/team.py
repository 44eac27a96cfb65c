"""``chinadialog team …``: the password for a team server (OS keyring); setting one up."""

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
    init = teamsub.add_parser(
        "init",
        help=_(
            "set up roles, tables and rights on a new team database (as a superuser; "
            "runs db/team/roles.sql and db/team/policies.sql)"
        ),
    )
    init.set_defaults(func=cmd_init)


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


def cmd_init(args: argparse.Namespace) -> int:
    from chinadialog_desktop.services import team

    target = _target(args)
    done = team.init_team(target.display())
    roles, policies = team.role_files()
    if done.created:
        print(_("Set up a new team database: {server}").format(server=target.display()))
    elif done.migrated_from:
        print(
            _("Upgraded {server} from schema {old}.").format(
                server=target.display(), old=done.migrated_from
            )
        )
    print(
        _(
            "Roles and rights are in place ({roles}, {policies}). Give each official a login "
            "role in one of the groups chinadialog_lesen, chinadialog_bearbeiten, "
            "chinadialog_abzeichnen or chinadialog_verwalten, and chinadialog_vsnfd to those "
            "cleared for VS-NfD."
        ).format(roles=roles.name, policies=policies.name)
    )
    return 0
