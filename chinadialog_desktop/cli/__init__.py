"""The command line: ``chinadialog`` with no command opens the window.

Each command group lives in its own module with a ``register(subparsers)``
function; handlers take the parsed arguments and return the exit code.
Exit codes: 0 success, 1 failure (one clear line on stderr), 2 wrong usage.
"""

from __future__ import annotations

import argparse
import importlib
import sys
from collections.abc import Sequence

from chinadialog_desktop import __version__
from chinadialog_desktop.i18n import N_, _, language_from_environment, ngettext, set_language

# Command modules, in the order their commands appear in --help.
COMMAND_MODULES = (
    "db",
    "demo",
    "listing",
    "registers",
    "search",
    "checklist",
    "assessment",
    "reflists",
    "screening",
    "briefing",
    "datasets",
    "selftest",
    "team",
    "glossary",
)


# argparse's own words (help headings, usage errors), marked here so that they are
# extracted into our catalogue; _translate_argparse routes argparse through it.
ARGPARSE_MESSAGES = (
    N_("usage: "),
    N_("positional arguments"),
    N_("options"),
    N_("show this help message and exit"),
    N_("argument %(argument_name)s: %(message)s"),
    N_("the following arguments are required: %s"),
    N_("unrecognized arguments: %s"),
    N_("invalid choice: %(value)r (choose from %(choices)s)"),
    N_("invalid %(type)s value: %(value)r"),
    N_("expected one argument"),
    N_("expected at least one argument"),
    N_("expected at most one argument"),
    N_("expected %s argument"),
    N_("expected %s arguments"),
    N_("not allowed with argument %s"),
    N_("one of the arguments %s is required"),
    N_("ambiguous option: %(option)s could match %(matches)s"),
    N_("ignored explicit argument %r"),
)


def _translate_argparse() -> None:
    """Let argparse look its messages up in our catalogue instead of the C locale."""
    setattr(argparse, "_", _)  # noqa: B010 - argparse's module-level gettext alias
    setattr(argparse, "ngettext", ngettext)  # noqa: B010


class _Parser(argparse.ArgumentParser):
    def error(self, message: str) -> None:  # type: ignore[override]
        self.print_usage(sys.stderr)
        self.exit(2, _("{prog}: error: {message}\n").format(prog=self.prog, message=message))


def build_parser(*, commands: bool = True) -> argparse.ArgumentParser:
    """The whole command line; ``commands=False`` leaves the command modules unloaded
    (the window's start, where only the global options can occur)."""
    parser = _Parser(
        prog="chinadialog",
        description=_(
            "ChinaDialog Desktop: partnership dossiers, guardrail checklists, "
            "screening and briefings — offline."
        ),
    )
    parser.add_argument(
        "--version",
        action="version",
        version=f"ChinaDialog Desktop {__version__}",
        help=_("show the program's version and exit"),  # argparse's own text is not translated
    )
    parser.add_argument(
        "--db",
        metavar="PATH",
        help=_(
            "database file (default: in the user data folder), or a team server: "
            "postgresql://user@host:port/database"
        ),
    )
    parser.add_argument(
        "--lang", choices=["de", "en"], help=_("language of messages (default: de)")
    )
    parser.add_argument("--debug", action="store_true", help=_("show tracebacks of errors"))
    sub = parser.add_subparsers(dest="command", metavar=_("COMMAND"), parser_class=_Parser)
    if commands:
        for name in COMMAND_MODULES:
            importlib.import_module(f"chinadialog_desktop.cli.{name}").register(sub)
    return parser


def _only_global_options(argv: Sequence[str]) -> bool:
    """True when ``argv`` names no command, no help and no version: the window opens.

    Then the parser is built without the twelve command modules (and what they
    import), which the window's first paint would otherwise wait for. Anything
    else, a wrong option included, goes through the whole parser as before.
    """
    i = 0
    while i < len(argv):
        arg = argv[i]
        if arg in ("--db", "--lang"):
            i += 2
        elif arg == "--debug" or arg.startswith(("--db=", "--lang=")):
            i += 1
        else:
            return False
    return True


def _pre_language(argv: Sequence[str]) -> str:
    """Pick the language before the parser is built, so --help is translated too.

    Only the global options before the command count: ``briefing … --lang en``
    asks for an English briefing, not for English messages.
    """
    i = 0
    while i < len(argv):
        arg = argv[i]
        if arg == "--lang" and i + 1 < len(argv):
            return argv[i + 1]
        if arg.startswith("--lang="):
            return arg.split("=", 1)[1]
        if arg == "--db":
            i += 2
            continue
        if not arg.startswith("-"):
            break  # the command: what follows are its own options
        i += 1
    return language_from_environment()


def main(argv: Sequence[str] | None = None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    from chinadialog_desktop.paths import use_private_umask

    use_private_umask()
    set_language(_pre_language(argv))
    _translate_argparse()
    parser = build_parser(commands=not _only_global_options(argv))
    args = parser.parse_args(argv)
    if args.command is None:
        from chinadialog_desktop.cli.gui import run

        handler = run
    else:
        handler = args.func
    try:
        if args.command is not None:  # the window tidies up after its first frame
            _clean_leftovers(args)
        return int(handler(args) or 0)
    except BrokenPipeError:  # output piped into head, less …: not an error
        import os

        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return 0
    except KeyboardInterrupt:
        print(_("Cancelled."), file=sys.stderr)
        return 1
    except Exception as exc:  # the one place where errors become a message for people
        from chinadialog_desktop.errors import UserError

        if args.debug:
            raise
        if isinstance(exc, UserError):
            print(_("Error: {message}").format(message=exc), file=sys.stderr)
        elif isinstance(exc, OSError):
            from chinadialog_desktop.cli.common import describe_os_error

            print(_("Error: {message}").format(message=describe_os_error(exc)), file=sys.stderr)
        elif (message := _database_error(exc, args)) is not None:
            print(_("Error: {message}").format(message=message), file=sys.stderr)
        else:
            from chinadialog_desktop.errors import plain_exception_text

            print(
                _("Unexpected error: {message} (run with --debug for details)").format(
                    message=plain_exception_text(exc)
                ),
                file=sys.stderr,
            )
        return 1


def _clean_leftovers(args: argparse.Namespace) -> None:
    """Half-written files and staging folders that killed or failed runs left behind."""
    import contextlib

    from chinadialog_desktop.cli.common import database_path, server_address
    from chinadialog_desktop.leftovers import clean

    if server_address(args) is not None:
        return  # a team server: no files of ours beside it
    with contextlib.suppress(OSError):  # tidying up must never stop the program
        clean(database_path(args).resolve())


def _database_error(exc: BaseException, args: argparse.Namespace) -> str | None:
    """A locked, full, read-only or unopenable database file as one plain sentence."""
    from chinadialog_desktop.cli.common import describe_database_error

    return describe_database_error(exc, args)


def main_gui() -> int:
    """Entry point of the Windows GUI script (no console window)."""
    return main()
