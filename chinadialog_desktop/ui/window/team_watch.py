"""Lists follow other officials' changes on a team server (LISTEN/NOTIFY, polled by a timer).

Wiring (MainWindow.open_workspace / close_database)::

    follower = follow_changes(window, database)   # None for a file
    follower.stop()

Every ``POLL_MS`` the listener is asked, without waiting, for what other clients
committed; if anything arrived, every list is re-read (``window.reload_all``) and
the status bar says who changed how much, and an editor showing a changed record
says by whom and when and offers to reload it (``RecordEditor.on_remote``). The
window's own changes are left out.
"""

from __future__ import annotations

import contextlib
from typing import Any

from PySide6.QtCore import QObject, QTimer, Signal

from chinadialog_desktop.i18n import _, ngettext

POLL_MS = 400


class ChangeFollower(QObject):
    sig_changed = Signal(object)  # list of RemoteChange from other clients

    def __init__(self, window: Any, watcher: Any) -> None:
        super().__init__(window)
        self.window = window
        self.watcher = watcher
        self.timer = QTimer(self)
        self.timer.setInterval(POLL_MS)
        self.timer.timeout.connect(self.poll)
        self.timer.start()

    def poll(self) -> None:
        try:
            changes = [c for c in self.watcher.poll() if not c.own]
        except Exception:  # the listening connection broke (server away): stop listening
            self.stop()
            return
        if not changes:
            return
        self.window.reload_all()
        for page in self.window.pages.values():  # an open editor says who changed its record
            on_remote = getattr(page.editor, "on_remote", None)
            if on_remote is not None:
                on_remote(changes)
        count = sum(c.count for c in changes)
        users = ", ".join(dict.fromkeys(c.user for c in changes if c.user))
        self.window.statusBar().showMessage(
            ngettext(
                "Changed on the server by {users}: {n} change; the lists were refreshed.",
                "Changed on the server by {users}: {n} changes; the lists were refreshed.",
                count,
            ).format(users=users or _("another client"), n=count),
            10_000,
        )
        self.sig_changed.emit(changes)

    def stop(self) -> None:
        self.timer.stop()
        with contextlib.suppress(Exception):  # already closed by the server going away
            self.watcher.close()


def follow_changes(window: Any, database: Any) -> ChangeFollower | None:
    from chinadialog_desktop.services.team import watch

    watcher = watch(database)
    return ChangeFollower(window, watcher) if watcher is not None else None
