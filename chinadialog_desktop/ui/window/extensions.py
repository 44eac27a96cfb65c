"""Menus and windows of the other parts of the app, plugged into the main window once it has data.

Each part exposes ``install(window)`` (Briefing, Datasets, Screening, Assessment
menus); ``PARTS`` names them, and this module calls them after the database
opened, because some of them load SQLAlchemy at import. Their commands go into
the window's action registry (``window.commands``).
"""

from __future__ import annotations

import importlib
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from PySide6.QtGui import QAction

if TYPE_CHECKING:
    from chinadialog_desktop.ui.window.main_window import MainWindow

# The parts with a menu of their own, in the order of the menu bar (Help stays last).
PARTS = (
    "chinadialog_desktop.ui.briefing.actions",
    "chinadialog_desktop.ui.datasets.actions",
    "chinadialog_desktop.ui.screening.actions",
    "chinadialog_desktop.ui.assessment.actions",
)


def _installer(name: str) -> Callable[[MainWindow], None]:
    """``install`` of the part ``name`` (one of ``PARTS``), imported now (not at start-up)."""
    install: Callable[[MainWindow], None] = importlib.import_module(name).install
    return install


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
    ``window.commands.shortcut_clashes``. Every named action a part adds is
    registered in ``window.commands``.
    """
    for name in PARTS:
        install_part(window, name)
    return list(PARTS)


def install_part(window: MainWindow, name: str) -> None:
    """One part's ``install(window)`` (see ``install_menus``); the window's start installs
    the parts one per step (``workspace_setup.attach_workspace``), in the order of ``PARTS``."""
    install = _installer(name)
    clashes = window.commands.shortcut_clashes
    before = set(window.findChildren(QAction))
    taken = _shortcuts(window)
    install(window)
    for action in window.findChildren(QAction):
        if action in before:
            continue
        if action.objectName():
            window.commands.register(action)
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


def open_assessment(window: MainWindow, assessment_id: int | None, partnership_id: Any) -> Any:
    """Show the assessment window on ``assessment_id`` (or to start one); None without data."""
    if window.workspace is None:
        return None
    from chinadialog_desktop.ui.assessment.view import AssessmentView
    from chinadialog_desktop.ui.preferences.settings import AUTHOR_NAME

    view = AssessmentView(
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
