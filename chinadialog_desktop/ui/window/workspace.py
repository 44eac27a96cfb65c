"""The open database as the window sees it: runs record operations, keeps the undo stack."""

from __future__ import annotations

import sys
import traceback
from collections.abc import Callable
from dataclasses import is_dataclass, replace
from typing import Any, TypeVar

from PySide6.QtCore import QObject, Signal
from PySide6.QtGui import QUndoCommand, QUndoStack

from chinadialog_desktop.errors import ConcurrentEdit, NotFound, UserError, plain_exception_text
from chinadialog_desktop.i18n import _
from chinadialog_desktop.services import unit
from chinadialog_desktop.ui.window.undo_commands import (
    AnswerCommand,
    CreateCommand,
    DecisionCommand,
    DeleteCommand,
    FieldEditCommand,
)

T = TypeVar("T")


class Workspace(QObject):
    """Every change goes through here, so every open view hears of it.

    ``sig_changed(list[records.Change])`` after each saved operation (also on
    undo and redo); ``sig_conflict(message)`` when another window or app
    saved the record first; ``sig_offline(message)`` when the team server
    cannot be reached (a field edit is then kept on this computer, see
    ``services.team_offline``); ``sig_error(message)`` for anything else the
    user should read.
    """

    sig_changed = Signal(object)
    sig_conflict = Signal(str)
    sig_offline = Signal(str)
    sig_error = Signal(str)

    def __init__(self, database: Any, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.database = database
        self.undo_stack = QUndoStack(self)
        self.undo_stack.setObjectName("undoStack")
        # PySide6 6.12 lets the Python side of a pushed QUndoCommand be collected,
        # after which the stack calls the empty C++ undo(); we keep them alive.
        self._commands: list[QUndoCommand] = []
        # The version each record had after this window last wrote it: undo and redo
        # expect it, so a change another window made in between is a conflict.
        self._versions: dict[tuple[str, str], int | None] = {}
        self.server_away = False  # the last operation found the team server unreachable

    # -- reading -----------------------------------------------------------
    def read(self, fn: Callable[[Any], T]) -> T:
        """Run ``fn(session)`` in a read-only session and return its result."""
        return unit.read(self.database, fn)

    # -- writing -----------------------------------------------------------
    def run(self, fn: Callable[[Any], Any]) -> Any:
        """Run ``fn(session)`` as one unit of work; report failures; None when it failed."""
        from chinadialog_desktop.services import team_offline

        self.server_away = False
        try:
            result = unit.write(self.database, fn)
        except (ConcurrentEdit, NotFound) as exc:  # another window changed or deleted it
            self.sig_conflict.emit(str(exc))
            return None
        except UserError as exc:
            if team_offline.unreachable(exc):
                self.server_away = True
                self.sig_offline.emit(str(exc))
                return None
            self.sig_error.emit(str(exc))
            return None
        except Exception as exc:  # a failed save must be seen, never swallowed
            traceback.print_exc(file=sys.stderr)
            self.sig_error.emit(
                _("The change could not be saved: {message}").format(
                    message=plain_exception_text(exc)
                )
            )
            return None
        changes = result if isinstance(result, list) else [result]
        for change in changes:
            self._versions[(change.kind, change.uuid)] = change.version
        self.sig_changed.emit(changes)
        return result

    def known_version(self, kind: str, uuid: str) -> int | None:
        """The version this window last saw ``uuid`` at (None: never wrote it)."""
        return self._versions.get((kind, uuid))

    def edit(
        self, kind: str, uuid: str, values: dict[str, Any], version: int | None, text: str = ""
    ) -> bool:
        """Save field edits of one record as one undoable step; False if it was not saved.

        When the team server cannot be reached the edit is kept on this computer and
        offered again once it is back (``services.team_offline``).
        """
        based_on = version
        if len(values) == 1:
            name, value = next(iter(values.items()))
            command = FieldEditCommand(self, kind, uuid, name, value, version, text)
            self._push(command)
            if command.failed:
                self._keep_if_away(kind, uuid, values, based_on, text)
            return not command.failed
        self.undo_stack.beginMacro(text or _("Change"))
        ok = True
        for name, value in values.items():
            command = FieldEditCommand(self, kind, uuid, name, value, version, text)
            self._push(command)
            if command.failed:
                ok = False
                break
            version = command.version
        self.undo_stack.endMacro()
        if not ok:
            self._keep_if_away(kind, uuid, values, based_on, text)
        return ok

    def _keep_if_away(
        self, kind: str, uuid: str, values: dict[str, Any], version: int | None, text: str
    ) -> None:
        server = getattr(self.database, "server", None)
        if not self.server_away or server is None:
            return
        from chinadialog_desktop.services import team_offline

        try:
            team_offline.keep_edit(server, kind, uuid, values, version, text)
        except (OSError, UserError) as exc:  # even the data folder failed: say so plainly
            self.sig_error.emit(
                _("The change could not be saved: {message}").format(
                    message=plain_exception_text(exc)
                )
            )
            return
        self.sig_offline.emit(
            _(
                "The team server {server} cannot be reached; your change ({what}) is kept on "
                "this computer and offered again as soon as the server is back."
            ).format(server=server.spoken(), what=text or _("Change"))
        )

    def create(self, kind: str, values: dict[str, Any], text: str = "") -> str | None:
        """Create a record as an undoable step; returns its uuid, or None if it failed."""
        command = CreateCommand(self, kind, values, text or _("New record"))
        self._push(command)
        return None if command.failed else command.uuid

    def delete(self, kind: str, uuid: str, version: int | None = None, text: str = "") -> bool:
        """Delete a record (and what depends on it) as an undoable step."""
        command = DeleteCommand(self, kind, uuid, version, text or _("Delete"))
        self._push(command)
        return not command.failed

    def answer(self, assessment_id: int, item_key: str, update: Any, text: str) -> Any:
        """Change one answer of an assessment as an undoable step.

        Returns the ``assessments.ChangeOutcome`` (where the change went), or None if
        it was not saved.
        """
        author = self.author_name()
        answered_by = getattr(update, "answered_by", None)
        if author and is_dataclass(update) and not isinstance(update, type) and answered_by is None:
            update = replace(update, answered_by=author)  # the name set in the app, not the login
        command = AnswerCommand(self, assessment_id, item_key, update, text)
        self._push(command)
        if command.failed or command.step is None:
            return None
        return command.step.outcome

    def decide(self, hit_id: int, decision: str, reason: str, text: str) -> bool:
        """Confirm or dismiss a screening hit as an undoable step; False if it was not saved."""
        command = DecisionCommand(self, hit_id, decision, reason, text, self.author_name())
        self._push(command)
        return not command.failed

    def author_name(self) -> str:
        """The name set in the app (Settings → author); "" when none is set.

        Answers and decisions record it, as the briefing shows it; without one the
        services record the OS login.
        """
        from chinadialog_desktop.ui.preferences.settings import AUTHOR_NAME

        prefs = getattr(self.parent(), "preferences", None)
        return str(prefs.get(AUTHOR_NAME) or "").strip() if prefs is not None else ""

    def _push(self, command: QUndoCommand) -> None:
        self._commands.append(command)
        self.undo_stack.push(command)
        if len(self._commands) > 4 * max(self.undo_stack.count(), 64):
            self._forget_dropped()

    def _forget_dropped(self) -> None:
        """Let go of commands the stack no longer holds (obsolete or cut off by a new edit)."""
        held = {id(self.undo_stack.command(i)) for i in range(self.undo_stack.count())}
        self._commands = [c for c in self._commands if id(c) in held]

    def close(self) -> None:
        self.undo_stack.clear()
        self._commands.clear()


__all__ = ["Workspace"]
