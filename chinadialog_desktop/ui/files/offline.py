"""The window when the team server is away: say so, offer the last local copy, keep edits.

What is kept and where is decided in ``services.team_offline``; here the window
shows it: the message bar with "Open the last local copy (read-only)", and once
the server is back (or opened again) the kept edits with "Save now" / "Discard".
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from PySide6.QtWidgets import QMessageBox

from chinadialog_desktop.errors import UserError
from chinadialog_desktop.i18n import _, ngettext
from chinadialog_desktop.services import team_offline
from chinadialog_desktop.ui.common.confirm import question_box
from chinadialog_desktop.ui.files.show import show_database

if TYPE_CHECKING:
    from chinadialog_desktop.ui.window.main_window import MainWindow


def copy_choices(window: MainWindow, address: str) -> list[tuple[str, str, Any]]:
    """The message bar's button for the last local copy of ``address`` (none without one)."""
    copy = team_offline.last_copy(address)
    if copy is None:
        return []
    return [
        (
            "messageBarOpenCopy",
            _("Open the local copy of {when} (read-only)").format(when=copy.when()),
            lambda: open_local_copy(window, copy),
        )
    ]


def server_away(window: MainWindow, message: str) -> None:
    """One sentence that the server cannot be reached; the local copy offered if there is one."""
    database = window.workspace.database if window.workspace is not None else None
    server = getattr(database, "server", None)
    choices = copy_choices(window, server.display()) if server is not None else []
    window.message_bar.show_choices(message, choices)


def open_local_copy(window: MainWindow, copy: team_offline.LocalCopy) -> bool:
    """Show the local copy read-only in ``window`` (the server's kept edits stay kept)."""
    try:
        database = team_offline.open_copy(copy)
    except UserError as exc:
        window.message_bar.show_error(str(exc))
        return False
    show_database(window, database)
    return True


def offer_kept(window: MainWindow) -> None:
    """Edits kept while the server was away: offer to save them now (or discard them)."""
    workspace = window.workspace
    server = getattr(workspace.database, "server", None) if workspace is not None else None
    if server is None:
        return
    kept = team_offline.pending_edits(server)
    if not kept:
        return
    message = ngettext(
        "The team server {server} is reachable; {n} change kept on this computer while it "
        "was away is not saved yet.",
        "The team server {server} is reachable; {n} changes kept on this computer while it "
        "was away are not saved yet.",
        len(kept),
    ).format(server=server.spoken(), n=len(kept))
    window.message_bar.show_choices(
        message,
        [
            ("messageBarSaveKept", _("Save now"), lambda: save_kept(window)),
            ("messageBarDiscardKept", _("Discard"), lambda: discard_kept(window)),
        ],
    )


def save_kept(window: MainWindow) -> int:
    """Save the kept edits with the usual conflict check; returns how many were saved.

    An edit whose record was changed on the server meanwhile stays kept and is named,
    so the user can compare (nothing overwrites another official's work unseen).
    """
    workspace = window.workspace
    if workspace is None or workspace.database.server is None:
        return 0
    saved = 0
    written: set[tuple[str, str]] = set()
    refused: list[team_offline.PendingEdit] = []
    for edit in team_offline.pending_edits(workspace.database.server):
        key = (edit.kind, edit.uuid)
        version = workspace.known_version(*key) if key in written else edit.version
        if workspace.edit(edit.kind, edit.uuid, edit.values, version, edit.text):
            team_offline.forget_edit(edit.id)
            written.add(key)
            saved += 1
        elif workspace.server_away:
            return saved  # away again: the rest stays kept (said by sig_offline)
        else:
            refused.append(edit)
    if refused:
        shown = "; ".join(
            f"{e.text}: {', '.join(str(v) for v in e.values.values() if v is not None)}"
            for e in refused
        )
        window.message_bar.show_choices(
            ngettext(
                "{n} kept change was not saved because the record was changed on the server "
                "meanwhile; it stays kept: {changes}.",
                "{n} kept changes were not saved because their records were changed on the "
                "server meanwhile; they stay kept: {changes}.",
                len(refused),
            ).format(n=len(refused), changes=shown),
            [("messageBarDiscardKept", _("Discard"), lambda: discard_kept(window))],
        )
    return saved


def discard_kept(window: MainWindow) -> QMessageBox | None:
    """Ask first (the kept edits are then gone for good); on "Discard" forget them all.

    The question opens without blocking (returned, for the caller or a test); "Cancel",
    the default, offers the kept edits again.
    """
    workspace = window.workspace
    server = getattr(workspace.database, "server", None) if workspace is not None else None
    if server is None:
        return None
    n = len(team_offline.pending_edits(server))
    if not n:
        return None
    box, discard = question_box(
        window,
        name="discardKept",
        title=_("Discard kept changes?"),
        text=ngettext(
            "Discard the {n} change kept on this computer, so that it is never saved on the "
            "team server?",
            "Discard the {n} changes kept on this computer, so that they are never saved on "
            "the team server?",
            n,
        ).format(n=n),
        accessible=_("Discard kept changes?"),
        accept=_("Discard"),
        refuse=_("Cancel"),
        icon=QMessageBox.Icon.Warning,
    )

    def answered(_result: int) -> None:
        box.deleteLater()
        if box.clickedButton() is not discard:
            offer_kept(window)  # nothing lost: offered again
            return
        for edit in team_offline.pending_edits(server):
            team_offline.forget_edit(edit.id)
        window.statusBar().showMessage(
            ngettext("{n} kept change discarded.", "{n} kept changes discarded.", n).format(n=n),
            10_000,
        )

    box.finished.connect(answered)
    box.open()
    return box
