"""Undo steps: each calls the same record services the first edit did."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any, Protocol

from PySide6.QtGui import QUndoCommand

from chinadialog_desktop.services.records import edit as records

if TYPE_CHECKING:
    # Both are loaded with the first answer or decision (they bring in the checklist
    # and screening code), not at start-up.
    from chinadialog_desktop.services.assessment import answer_changes
    from chinadialog_desktop.services.screening import decisions as screening_decisions


class CommandHost(Protocol):
    """What a step needs of the workspace that pushes it (``ui.window.workspace.Workspace``).

    A protocol rather than an import of the workspace, which imports this module.
    """

    def run(self, fn: Callable[[Any], Any]) -> Any: ...

    def known_version(self, kind: str, uuid: str) -> int | None: ...


class _Command(QUndoCommand):
    """A step that may fail on its first run (conflict, validation): it is then dropped."""

    def __init__(self, workspace: CommandHost, text: str) -> None:
        super().__init__(text)
        self.workspace = workspace
        self.failed = False
        self._done_once = False

    def expected(self, kind: str, uuid: str, first: int | None = None) -> int | None:
        """The version to check: the caller's on the first run, then the last one written."""
        if not self._done_once and first is not None:
            return first
        return self.workspace.known_version(kind, uuid)

    def _first(self, ok: bool) -> None:
        if not self._done_once:
            self._done_once = True
            if not ok:
                self.failed = True
                self.setObsolete(True)  # QUndoStack.push deletes it instead of keeping it


class FieldEditCommand(_Command):
    """One field of one record from its old to its new value."""

    def __init__(
        self,
        workspace: CommandHost,
        kind: str,
        uuid: str,
        name: str,
        value: Any,
        version: int | None,
        text: str,
    ) -> None:
        super().__init__(workspace, text)
        self.kind, self.uuid, self.name = kind, uuid, name
        self.new = value
        self.old: Any = None
        self.version = version  # the version the editor loaded: checked on the first run

    def redo(self) -> None:
        expected = self.expected(self.kind, self.uuid, self.version)
        change = self.workspace.run(
            lambda s: records.update(
                s, self.kind, self.uuid, self.name, self.new, expected_version=expected
            )
        )
        if change is not None:
            if not self._done_once:
                self.old = change.old
            self.version = change.version
        self._first(change is not None)

    def undo(self) -> None:
        expected = self.expected(self.kind, self.uuid)
        change = self.workspace.run(
            lambda s: records.update(
                s, self.kind, self.uuid, self.name, self.old, expected_version=expected
            )
        )
        if change is not None:
            self.version = change.version


class CreateCommand(_Command):
    """A new record; undo deletes it, redo puts it back with the same uuid and children."""

    def __init__(
        self, workspace: CommandHost, kind: str, values: dict[str, Any], text: str
    ) -> None:
        super().__init__(workspace, text)
        self.kind = kind
        self.values = dict(values)
        self.uuid: str | None = None
        self.snapshot: records.Snapshot | None = None

    def redo(self) -> None:
        if self.snapshot is not None:
            snapshot = self.snapshot
            change = self.workspace.run(lambda s: records.restore(s, snapshot))
        else:
            change = self.workspace.run(
                lambda s: records.create(s, self.kind, self.values, uuid=self.uuid)
            )
        if change is not None:
            self.uuid = change.uuid
        self._first(change is not None)

    def undo(self) -> None:
        if self.uuid is None:
            return
        uuid = self.uuid
        expected = self.expected(self.kind, uuid)
        change = self.workspace.run(
            lambda s: records.delete(s, self.kind, uuid, expected_version=expected)
        )
        if change is not None:
            # Edits made after the creation (children too) come back with the redo.
            self.snapshot = change.snapshot


class DeleteCommand(_Command):
    """A delete; undo re-creates the record with its uuid, its children and its links."""

    def __init__(
        self, workspace: CommandHost, kind: str, uuid: str, version: int | None, text: str
    ) -> None:
        super().__init__(workspace, text)
        self.kind, self.uuid, self.version = kind, uuid, version
        self.snapshot: records.Snapshot | None = None

    def redo(self) -> None:
        version = self.expected(self.kind, self.uuid, self.version)
        change = self.workspace.run(
            lambda s: records.delete(s, self.kind, self.uuid, expected_version=version)
        )
        if change is not None:
            self.snapshot = change.snapshot
        self._first(change is not None)

    def undo(self) -> None:
        if self.snapshot is None:
            return
        snapshot = self.snapshot
        self.workspace.run(lambda s: records.restore(s, snapshot))


class AnswerCommand(_Command):
    """One change of one answer of an assessment; undo puts the answer back as it was.

    The step stays with the assessment the change went into (a signed one gets a new
    revision on the first change; undo restores the answer in that revision).
    """

    def __init__(
        self, workspace: CommandHost, assessment_id: int, item_key: str, update: Any, text: str
    ) -> None:
        super().__init__(workspace, text)
        self.assessment_id, self.item_key, self.update = assessment_id, item_key, update
        self.step: answer_changes.AnswerStep | None = None

    def redo(self) -> None:
        from chinadialog_desktop.services.assessment import answer_changes

        if self.step is None:
            found: list[answer_changes.AnswerStep] = []

            def first(s: Any) -> records.Change:
                step = answer_changes.change_answer(
                    s, self.assessment_id, self.item_key, self.update
                )
                found.append(step)
                return step.change

            ok = self.workspace.run(first) is not None
            if ok:
                self.step = found[0]
            self._first(ok)
            return
        step = self.step
        self.workspace.run(
            lambda s: answer_changes.restore_answer(
                s, step.change.id, self.item_key, step.after, expected=step.before
            )
        )

    def undo(self) -> None:
        from chinadialog_desktop.services.assessment import answer_changes

        if self.step is None:
            return
        step = self.step
        self.workspace.run(
            lambda s: answer_changes.restore_answer(
                s, step.change.id, self.item_key, step.before, expected=step.after
            )
        )


class DecisionCommand(_Command):
    """Confirm or dismiss a screening hit; undo takes the decision back."""

    def __init__(
        self,
        workspace: CommandHost,
        hit_id: int,
        decision: str,
        reason: str,
        text: str,
        by: str = "",
    ) -> None:
        super().__init__(workspace, text)
        self.hit_id, self.decision, self.reason, self.by = hit_id, decision, reason, by
        self.step: screening_decisions.DecisionStep | None = None

    def _run(self, work: Any) -> None:
        found: list[screening_decisions.DecisionStep] = []

        def step(s: Any) -> records.Change:
            done: screening_decisions.DecisionStep = work(s)
            found.append(done)
            return done.change

        if self.workspace.run(step) is not None:
            self.step = found[0]

    def redo(self) -> None:
        from chinadialog_desktop.services.screening import decisions as screening_decisions

        if self.step is None:
            self._run(
                lambda s: screening_decisions.decide_step(
                    s, self.hit_id, self.decision, self.reason, self.by
                )
            )
            self._first(self.step is not None)
            return
        done = self.step
        self._run(lambda s: screening_decisions.redo_decision(s, done))

    def undo(self) -> None:
        from chinadialog_desktop.services.screening import decisions as screening_decisions

        if self.step is None:
            return
        done = self.step
        self.workspace.run(lambda s: screening_decisions.undo_decision(s, done))
