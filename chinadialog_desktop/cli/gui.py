"""``chinadialog`` with no command: open the main window on the database."""

from __future__ import annotations

import argparse
import sys

from chinadialog_desktop.cli.common import database_path, server_address


def run(args: argparse.Namespace) -> int:
    # Checked before PySide6 loads: without a display Qt aborts with a wrong reason.
    from chinadialog_desktop.ui.window.display import missing_display_message

    message = missing_display_message()
    if message is not None:
        print(message, file=sys.stderr)
        return 1
    from chinadialog_desktop.ui.window import startup_gc

    # Before PySide6 and the window's code load; on again once the list is on screen.
    startup_gc.pause()
    try:
        from chinadialog_desktop.ui.app import run_gui

        return run_gui(
            server_address(args) or database_path(args),
            debug=bool(getattr(args, "debug", False)),
            lang=getattr(args, "lang", None),
        )
    finally:
        startup_gc.resume()
