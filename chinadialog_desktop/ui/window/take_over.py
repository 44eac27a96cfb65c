"""The database opened off the GUI thread, once the start's first list is on screen.

The window shows its first partnership list before SQLAlchemy is loaded
(``services.records.first_page``); then the database layer takes over. Importing
SQLAlchemy and the models, opening the file through them and reading the place
filters' choices took the GUI thread some 0.3–0.8 s on a large file in one block,
right when the user may begin to scroll. That work runs here, on a worker thread
(``ui.common.jobs.Task``): the imports are of Qt-free modules only
(``plain_import``), the SQLite connections are made for use on any thread
(``persistence.engine``: ``check_same_thread=False``, one thread at a time) and
the reads go through ``services`` as everywhere else. The GUI thread then
attaches the result in short steps (``MainWindow.open_workspace``).
"""

from __future__ import annotations

import traceback
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from chinadialog_desktop.errors import UserError
from chinadialog_desktop.i18n import _
from chinadialog_desktop.jobs import CancelCheck, Progress
from chinadialog_desktop.ui.window.plain_import import import_plainly, load_database_layer

# Qt-free modules the steps after the opening import (the editors, the parts' menus, the
# search index check, the team server's watch), loaded on the worker thread too so that
# those steps stay short. Only a matter of speed: what is missing here the steps import.
TAKE_OVER_SERVICES = (
    "chinadialog_desktop.domain.glossary",
    "chinadialog_desktop.services.datasets.kinds",
    "chinadialog_desktop.services.records.dossier_links",
    "chinadialog_desktop.services.records.edit",
    "chinadialog_desktop.services.records.parties",
    "chinadialog_desktop.services.records.registers",
    "chinadialog_desktop.services.search",
    "chinadialog_desktop.services.team_offline",
    "chinadialog_desktop.persistence.server_notify",
)


@dataclass
class Opening:
    """What the worker thread hands the GUI thread: the open database and what it read."""

    database: Any  # persistence.database.Database; None when the file was refused
    place_choices: dict[tuple[str, str], list[str]] | None
    refused: UserError | None = None  # the file's refusal, kept whole (a damaged file's kind)


def open_ready_file(ready: Any, *, debug: bool = False) -> Opening:
    """Load the database layer and open ``ready`` (a ``persistence.lifecycle.ReadyFile``)
    through it; on any thread. Owns ``ready`` from here: released if opening fails.

    Raises UserError with one sentence (an unexpected error is put into one too).
    """
    try:
        try:
            load_database_layer()
            from chinadialog_desktop.services.unit import open_ready
        except BaseException:
            ready.release()
            raise
        database = open_ready(ready)  # releases ``ready`` itself when it fails
        try:
            import_plainly(TAKE_OVER_SERVICES)
            from chinadialog_desktop.domain.glossary import glossary

            glossary()  # read once (YAML), for the editors' and filters' fields of action
            from chinadialog_desktop.services import unit
            from chinadialog_desktop.services.records.lists import place_choices

            try:
                choices = unit.read(database, place_choices)
            except UserError:  # read once more, and explained, by the window
                choices = None
        except BaseException:
            database.close()
            raise
    except UserError:
        raise
    except Exception as exc:
        if debug:
            traceback.print_exc()
        raise UserError(unexpected_text(exc, ready.path)) from exc
    return Opening(database, choices)


def job(ready: Any, *, debug: bool = False) -> Any:
    """``open_ready_file`` as a job for ``ui.common.jobs.Task``."""

    def work(_progress: Progress, _cancelled: CancelCheck) -> Opening:
        try:
            return open_ready_file(ready, debug=debug)
        except UserError as exc:  # handed over whole: the window words some refusals itself
            return Opening(None, None, refused=exc)

    return work


def unexpected_text(exc: BaseException, path: Path | str) -> str:
    """An error nobody put into words: one sentence (the database's, where it is one)."""
    from chinadialog_desktop.errors import plain_exception_text, translate_database_error

    known = translate_database_error(exc, path) if isinstance(path, Path) else None
    if known is not None:
        return str(known)
    return _("Unexpected error: {message} (run with --debug for details)").format(
        message=plain_exception_text(exc)
    )
