"""Lists follow other officials' changes on a team server (LISTEN/NOTIFY, polled by a timer).

Wiring (MainWindow.open_workspace / close_database)::

    follower = follow_changes(window, database)   # None for a file
    follower.stop()

Every ``POLL_MS`` the listener is asked, without waiting, for what other clients
committed; if anything arrived, every list is re-read (``window.reload_all``) and
the status bar says who changed how much (of what this role may see: the
notification itself names nothing, see persistence/server_notify), and an editor
showing a changed record
says by whom and when and offers to reload it (``RecordEditor.on_remote``). The
window's own changes are left out.
"""

from __future__ import annotations

import contextlib
from typing import Any

from PySide6.QtCore import QObject, QTimer, Signal

from chinadialog_desktop.i18n import _, ngettext

POLL_MS = 400
# While the server is away, how often a new connection is tried (on a thread: a server
# that does not answer must not freeze the window).
PROBE_MS = 1500


class ChangeFollower(QObject):
    sig_changed = Signal(object)  # list of RemoteChange from other clients
    sig_away = Signal()  # the listening connection broke: the server cannot be reached
    sig_back = Signal()  # listening again after the server was away

    def __init__(self, window: Any, watcher: Any, database: Any = None) -> None:
        super().__init__(window)
        self.window = window
        self.watcher = watcher
        self.database = database
        self.away = False
        self._probe: Any = None  # the running probe (ui.common.jobs.Task), if any
        self._stopped = False
        self.timer = QTimer(self)
        self.timer.setInterval(POLL_MS)
        self.timer.timeout.connect(self.poll)
        self.timer.start()

    def poll(self) -> None:
        if self.away:
            self._probe_again()
            return
        try:
            changes = [c for c in self.watcher.poll() if not c.own]
        except Exception:  # the listening connection broke: the server is away
            self._went_away()
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
        if count:  # changes of which this role sees nothing refresh the lists, unannounced
            if any(c.more for c in changes):  # a large change, read only in part
                text = ngettext(
                    "Changed on the server by {users}: more than {n} change; the lists were "
                    "refreshed.",
                    "Changed on the server by {users}: more than {n} changes; the lists were "
                    "refreshed.",
                    count,
                )
            else:
                text = ngettext(
                    "Changed on the server by {users}: {n} change; the lists were refreshed.",
                    "Changed on the server by {users}: {n} changes; the lists were refreshed.",
                    count,
                )
            self.window.statusBar().showMessage(
                text.format(users=users or _("another client"), n=count), 10_000
            )
        self.sig_changed.emit(changes)

    # -- the server away and back ------------------------------------------------------
    def _went_away(self) -> None:
        from chinadialog_desktop.services.team import unreachable_message
        from chinadialog_desktop.ui.files.offline import server_away

        with contextlib.suppress(Exception):
            self.watcher.close()
        self.away = True
        self.timer.setInterval(PROBE_MS)
        if self.database is not None:
            server_away(self.window, unreachable_message(self.database))
        self.sig_away.emit()

    def _probe_again(self) -> None:
        """Try a new listening connection in the background (``run_task``); take it once
        one succeeded. A failed try (the server still away) is simply tried again."""
        if self._probe is not None or self.database is None or self._stopped:
            return
        from chinadialog_desktop.services.team import watch
        from chinadialog_desktop.ui.common.jobs import run_task

        database = self.database

        def done(watcher: Any) -> None:
            self._probe = None
            if watcher is None:
                return
            if self._stopped:  # the window moved on meanwhile: nobody listens any more
                with contextlib.suppress(Exception):
                    watcher.close()
                return
            self._came_back(watcher)

        def failed(_message: str) -> None:
            self._probe = None

        self._probe = run_task(self, lambda _progress, _cancelled: watch(database), done, failed)

    def _came_back(self, watcher: Any) -> None:
        from chinadialog_desktop.ui.files.offline import offer_kept

        self.watcher = watcher
        self.away = False
        self.timer.setInterval(POLL_MS)
        self.window.message_bar.hide()
        self.window.reload_all()  # what others changed meanwhile
        self.window.statusBar().showMessage(_("The team server can be reached again."), 10_000)
        offer_kept(self.window)
        self.sig_back.emit()

    def stop(self) -> None:
        self._stopped = True
        self.timer.stop()
        with contextlib.suppress(Exception):  # already closed by the server going away
            self.watcher.close()
        probe, self._probe = self._probe, None
        if probe is not None:  # wait for it (at most the connect timeout): no thread
            probe.stop()  # may outlive the window; a connection it made is closed in done()


def follow_changes(window: Any, database: Any) -> ChangeFollower | None:
    from chinadialog_desktop.services.team import watch

    watcher = watch(database)
    return ChangeFollower(window, watcher, database) if watcher is not None else None
