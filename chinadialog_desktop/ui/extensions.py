"""Menus and windows of the other parts of the app, plugged into the main window once it has data.

Each part exposes ``install(window)`` (Briefing, Datasets, Screening menus) or
a window class (the assessment view); this module calls them after the
database opened, because some of them load SQLAlchemy at import. A part
that is not in this build is skipped; an error inside a part is not hidden.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

from chinadialog_desktop.i18n import _

if TYPE_CHECKING:
    from chinadialog_desktop.ui.main_window import MainWindow

MENUS = (
    "chinadialog_desktop.ui.briefing_actions",
    "chinadialog_desktop.ui.dataset_actions",
    "chinadialog_desktop.ui.screening_actions",
)


def optional_module(name: str) -> Any:
    """The module ``name``, or None when it is not part of this build."""
    try:
        return importlib.import_module(name)
    except ModuleNotFoundError as exc:
        if exc.name == name:
            return None
        raise


def install_menus(window: MainWindow) -> list[str]:
    """Call every available part's ``install(window)``; returns the modules installed."""
    installed = []
    for name in MENUS:
        module = optional_module(name)
        if module is not None and hasattr(module, "install"):
            module.install(window)
            installed.append(name)
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
