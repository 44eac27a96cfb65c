"""Bringing a file's search index up to date in the background, once, after opening it.

A file written by an older version (index version 1) or one whose index was
lost needs seconds of work (2.4–14 s measured on large files) before its
search is fast again. The window opens the file at once and then runs the
upgrade as a background job: the window stays responsive (it paints, timers
run), but it is clearly busy — a window-modal progress dialog says what is
going on, so nobody edits while the upgrade holds the file's write lock.
Cancel rolls the upgrade back; search then works without the index (more
slowly) until the file is opened again.
"""

from __future__ import annotations

from typing import Any

from chinadialog_desktop.i18n import _
from chinadialog_desktop.jobs import CancelCheck, Outcome, Progress
from chinadialog_desktop.ui.common.jobs import Task
from chinadialog_desktop.ui.common.progress_dialog import progress_dialog


def upgrade_search_index(window: Any, database: Any, *, synchronous: bool = False) -> Task | None:
    """Start the upgrade of ``database``'s search index if it needs one; the task or None."""
    from chinadialog_desktop.services.search import index_upgrade_needed, upgrade_index

    if not index_upgrade_needed(database):
        return None
    dialog = progress_dialog(
        window,
        name="searchIndexProgress",
        title=_("Search index"),
        label=_("Updating the search index of this file (once) …"),
        accessible_name=_("Progress of the search index update"),
        minimum_duration=0,
    )

    def work(progress: Progress, cancelled: CancelCheck) -> str:
        # The dialog keeps its own sentence; the job reports only how far it is.
        return upgrade_index(database, lambda done, total, _m: progress(done, total, ""), cancelled)

    def ended(outcome: Outcome[Any]) -> None:
        if not outcome.error:
            window.statusBar().showMessage(_("Search index updated."), 5000)
        elif outcome.cancelled:
            window.statusBar().showMessage(
                _(
                    "Search index update cancelled; search works without it (more slowly) "
                    "until the file is opened again."
                ),
                10000,
            )
        else:
            window.message_bar.show_error(
                _("The search index could not be updated: {reason}").format(reason=outcome.error)
            )

    dialog.show()
    task = Task(window, work, dialog=dialog)
    task.sig_finished.connect(ended)
    return task.start(synchronous=synchronous)
