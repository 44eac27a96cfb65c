"""Menus and windows of the other parts of the app, plugged into the main window once it has data.

Each part exposes ``install(window)`` (Briefing, Datasets, Screening menus) or
a window class (the assessment view); this module calls them after the
database opened, because some of them load SQLAlchemy at import. A part
that is not in this build is skipped; an error inside a part is not hidden.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

from PySide6.QtGui import QAction

from chinadialog_desktop.i18n import _

if TYPE_CHECKING:
    from chinadialog_desktop.ui.main_window import MainWindow

MENUS = (
    "chinadialog_desktop.ui.briefing_actions",
    "chinadialog_desktop.ui.dataset_actions",
    "chinadialog_desktop.ui.screening_actions",
    "chinadialog_desktop.ui.assessment_actions",
)


def optional_module(name: str) -> Any:
    """The module ``name``, or None when it is not part of this build."""
    try:
        return importlib.import_module(name)
    except ModuleNotFoundError as exc:
        if exc.name == name:
            return None
        raise


def _shortcuts(window: MainWindow) -> dict[str, QAction]:
    taken: dict[str, QAction] = {}
    for action in window.findChildren(QAction):
        for key in action.shortcuts():
            if not key.isEmpty():
                taken.setdefault(key.toString(), action)
    return taken


def install_menus(window: MainWindow) -> list[str]:
    """Call every available part's ``install(window)``; returns the modules installed.

    A shortcut a part asks for that an earlier action already has would make
    both keys dead (Qt calls it ambiguous): the earlier action keeps it, the
    part's action is reachable through its menu, and the clash is listed in
    ``window.shortcut_clashes``.
    """
    installed = []
    clashes: list[str] = getattr(window, "shortcut_clashes", [])
    for name in MENUS:
        module = optional_module(name)
        if module is None or not hasattr(module, "install"):
            continue
        before = set(window.findChildren(QAction))
        taken = _shortcuts(window)
        module.install(window)
        for action in window.findChildren(QAction):
            if action in before:
                continue
            keep = []
            for key in action.shortcuts():
                owner = taken.get(key.toString())
                if owner is not None and owner is not action:
                    clashes.append(
                        f"{key.toString()}: {action.objectName()} ({name}) vs {owner.objectName()}"
                    )
                else:
                    keep.append(key)
            if len(keep) != len(action.shortcuts()):
                action.setShortcuts(keep)
        installed.append(name)
    window.shortcut_clashes = clashes
    return installed


def open_assessment(window: MainWindow, assessment_id: int | None, partnership_id: Any) -> Any:
    """Show the assessment window on ``assessment_id`` (or to start one); None if unavailable."""
    module = optional_module("chinadialog_desktop.ui.assessment_view")
    if module is None or window.workspace is None:
        window.message_bar.show_error(_("The assessment window is not part of this build."))
        return None
    from chinadialog_desktop.ui.settings import AUTHOR_NAME

    view = module.AssessmentView(
        window.workspace.database,
        window,
        partnership_id=partnership_id,
        reviewer=window.preferences.get(AUTHOR_NAME),
        workspace=window.workspace,
    )
    if assessment_id is not None:
        view.open_assessment(assessment_id)
    page = window.pages["assessment"]
    # Answers and sign-offs change the traffic lights in the list behind the window.
    view.sig_assessment_changed.connect(lambda _id: page.model.refresh() if page.model else None)
    view.finished.connect(lambda _r: page.model.refresh() if page.model else None)
    window._dialogs.setdefault("assessments", []).append(view)
    view.show()
    return view
