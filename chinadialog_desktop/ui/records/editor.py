"""The editor of one record beside a list: a form, a heading, and room for child panels."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Any

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import QFrame, QLabel, QScrollArea, QVBoxLayout, QWidget

from chinadialog_desktop.errors import NotFound, UserError
from chinadialog_desktop.i18n import N_, _
from chinadialog_desktop.services.records import edit as records
from chinadialog_desktop.ui.records.form import FieldSpec, RecordForm
from chinadialog_desktop.ui.records.remote_bar import RemoteChangeBar
from chinadialog_desktop.ui.window.workspace import Workspace


class RecordEditor(QScrollArea):
    """Loads a record by id, saves each finished field edit through the workspace.

    The version it loaded travels with every edit, so a change made meanwhile
    in another window is reported as a conflict instead of overwritten.
    """

    title_field = "title"
    empty_text = N_("Select a record in the list, or create one with Ctrl+N.")
    # A record is shown (True) or only the hint to choose one (False): the page beside
    # gives the list the room an empty editor does not need.
    sig_record_shown = Signal(bool)

    def __init__(
        self,
        workspace: Workspace,
        kind: str,
        specs: Sequence[FieldSpec],
        prefix: str,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.workspace = workspace
        self.kind = kind
        self.prefix = prefix
        self.record_id: int | None = None
        self.uuid: str | None = None
        self.version: int | None = None
        # The record as last read or saved (the form's values also hold what was just typed).
        self.stored: dict[str, Any] = {}
        self.setObjectName(f"{prefix}Editor")
        self.setAccessibleName(_("Editor"))
        self.setWidgetResizable(True)
        self.setFrameShape(QFrame.Shape.NoFrame)
        self.setFocusPolicy(Qt.FocusPolicy.NoFocus)  # Tab goes straight to the first field

        content = QWidget(self)
        content.setObjectName(f"{prefix}EditorContent")
        self.body = QVBoxLayout(content)
        self.body.setContentsMargins(12, 8, 12, 8)
        # Another official saved this record on the team server (see on_remote).
        self.remote_bar = RemoteChangeBar(prefix, content)
        self.remote_bar.sig_reload.connect(self.reload_keeping_input)
        self.body.addWidget(self.remote_bar)
        self.heading = QLabel(content)
        self.heading.setObjectName(f"{prefix}EditorHeading")
        font = self.heading.font()
        font.setPointSizeF(font.pointSizeF() * 1.2)
        font.setBold(True)
        self.heading.setFont(font)
        self.heading.setWordWrap(True)
        self.heading.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.body.addWidget(self.heading)
        self.placeholder = QLabel(_(self.empty_text), content)
        self.placeholder.setObjectName(f"{prefix}EditorPlaceholder")
        self.placeholder.setWordWrap(True)
        # Takes the free height while nothing is selected, so its text sits at the top.
        self.placeholder.setAlignment(Qt.AlignmentFlag.AlignTop | Qt.AlignmentFlag.AlignLeft)
        self.body.addWidget(self.placeholder, 1)
        self.form = RecordForm(kind, specs, prefix, content)
        self.form.sig_edit.connect(self._edited)
        self.form.check_against_others = self._clash
        self.body.addWidget(self.form)
        # Free height goes below the form, not into its note fields (their caption
        # would sit far above them); a section added with a stretch takes it instead.
        self.body.addStretch(1)
        self.setWidget(content)
        workspace.sig_changed.connect(self.on_changes)
        self._set_visible(False)

    def add_section(self, widget: QWidget, stretch: int = 0) -> None:
        tail = self.body.count() - 1
        self.body.insertWidget(tail, widget, stretch)
        if stretch:
            self.body.setStretch(tail + 1, 0)
        widget.setVisible(self.uuid is not None)  # like the form: only with a record

    # -- loading ----------------------------------------------------------
    def load(self, record_id: int | None) -> None:
        """Show record ``record_id`` (None: nothing selected)."""
        self.form.flush()
        self.remote_bar.hide()  # what is read now is what the server holds
        values: dict[str, Any] | None = None
        if record_id is not None:
            try:
                values = self.workspace.read(
                    lambda s: records.values(records.get(s, self.kind, record_id))
                )
            except NotFound:
                values = None
            except UserError:  # the team server away (the message bar says so): keep showing
                return
        self.stored = dict(values or {})
        if values is None:
            self.record_id = self.uuid = self.version = None
            self.form.load({})
            self._set_visible(False)
            self.loaded(None)
            return
        if values["id"] != self.record_id:  # another record: start at its title, not mid-form
            self.verticalScrollBar().setValue(0)
        self.record_id, self.uuid, self.version = values["id"], values["uuid"], values["version"]
        self.form.refresh_options()
        self.form.load(values)
        self._update_heading(values)
        self._set_visible(True)
        self.loaded(values)

    def reload(self) -> None:
        self.load(self.record_id)

    # -- another client's changes (team server) ---------------------------------
    def on_remote(self, changes: Sequence[Any]) -> None:
        """Other clients committed ``changes`` (``RemoteChange``): if the record shown is
        among them and its version moved, say by whom and when, and offer to reload.

        Nothing in the form changes by itself: the user may be typing, and a field
        that jumps under the cursor would be worse than a note.
        """
        if self.uuid is None:
            return
        relevant = [c for c in changes if c.uuids is None or self.uuid in c.uuids]
        if not relevant:
            return
        uuid = self.uuid
        try:
            version = self.workspace.read(lambda s: records.get(s, self.kind, uuid).version)
        except NotFound:
            self.remote_bar.show_change(relevant[-1].user, datetime.now(), deleted=True)
            return
        except UserError:  # the server went away meanwhile: said elsewhere
            return
        if version != self.version:
            self.remote_bar.show_change(relevant[-1].user, datetime.now())

    def keyPressEvent(self, event: QKeyEvent) -> None:  # noqa: N802
        """F5 (from any field, which passes the key on) reloads after another's change,
        without leaving the field being typed in."""
        if event.key() == Qt.Key.Key_F5 and self.remote_bar.isVisibleTo(self):
            self.reload_keeping_input()
            event.accept()
            return
        super().keyPressEvent(event)

    def reload_keeping_input(self) -> None:
        """Show what the server holds now; text typed and not yet saved stays in its field.

        A field the other client changed too keeps the user's text with a note giving
        the server's value (Esc in a line field takes it); nothing is saved by reloading.
        """
        if self.remote_bar.deleted:
            self.load(None)
            return
        kept = self.form.unsaved()
        before = dict(self.form.values)
        self.form.hold_pending()  # not saved against the old version on the way
        self.load(self.record_id)
        for name, text in kept.items():
            changed = self.form.values.get(name) != before.get(name)
            self.form.keep_input(name, text, changed=changed)

    def loaded(self, values: dict[str, Any] | None) -> None:
        """Hook for subclasses: fill the child panels."""

    def _set_visible(self, shown: bool) -> None:
        if shown != getattr(self, "_record_shown", None):
            self._record_shown = shown
            self.sig_record_shown.emit(shown)
        self.placeholder.setVisible(not shown)
        self.heading.setVisible(shown)
        self.form.setVisible(shown)
        for n in range(self.body.count()):
            item = self.body.itemAt(n)
            widget = item.widget() if item is not None else None
            if widget not in (None, self.heading, self.placeholder, self.form, self.remote_bar):
                widget.setVisible(shown)

    def _update_heading(self, values: dict[str, Any]) -> None:
        self.heading.setText(str(values.get(self.title_field) or ""))

    # -- saving -----------------------------------------------------------
    def _edited(self, changed: dict[str, Any]) -> None:
        if self.uuid is None:
            return
        if self.remote_bar.isVisibleTo(self) and not self.remote_bar.deleted:
            changed = self._catch_up(changed)
            if not changed:
                return
        specs = self.form.specs
        names = ", ".join(
            _(specs[name].label).replace("&", "").rstrip(":") if name in specs else name
            for name in changed
        )
        self.workspace.edit(self.kind, self.uuid, changed, self.version, self.edit_text(names))

    def _clash(self, name: str, value: Any) -> str | None:
        """A name another record of the kind has already (services.records.edit.name_error,
        the rule the import applies too). When the database cannot be read now (a team
        server away, a locked file), the check is left to the save, which applies the same
        rule or keeps the edit for later."""
        try:
            return self.workspace.read(
                lambda s: records.name_error(s, self.kind, self.uuid, name, value)
            )
        except UserError:
            return None

    def _catch_up(self, changed: dict[str, Any]) -> dict[str, Any]:
        """A field was finished after another client saved this record (the bar said so):
        read the record first, so the edit goes on top of the other's change instead of
        being refused as a conflict. Returns what may be saved now: fields the other client
        left alone. A field they changed too keeps the user's text with the stored value
        beside it (as ``reload_keeping_input``), to be decided by the user.
        """
        fields = {
            name
            for name, spec in self.form.specs.items()
            if name in changed or (spec.precision is not None and spec.precision in changed)
        }
        typed = self.form.unsaved()
        typed.update(
            {name: text for name in fields if (text := self.form.text_of(name)) is not None}
        )
        before = dict(self.stored)
        self.form.hold_pending()
        self.load(self.record_id)
        if self.uuid is None:  # deleted meanwhile
            return {}
        theirs = {name for name in fields if self.form.values.get(name) != before.get(name)}
        for name, text in typed.items():
            self.form.keep_input(name, text, changed=name in theirs)
        for name in theirs - set(typed):  # a choice (list, check box) the other changed too
            self.form.set_error(
                name,
                _("Changed on the server meanwhile; your choice was not saved."),
            )
        owner = {
            key: name
            for name, spec in self.form.specs.items()
            for key in (name, spec.precision)
            if key is not None
        }
        return {k: v for k, v in changed.items() if owner.get(k, k) not in theirs}

    def edit_text(self, fields: str) -> str:
        """What the Edit menu says it would undo after ``fields`` (their labels) changed."""
        return _("Edit {field}").format(field=fields)

    def on_changes(self, changes: list[records.Change]) -> None:
        for change in changes:
            if change.kind != self.kind or change.uuid != self.uuid:
                continue
            if change.action == "update" and change.field is not None:
                self.version = change.version
                self.stored[change.field] = change.new
                self.form.set_value(change.field, change.new)
                self._update_heading(self.form.values)
            elif change.action == "delete":
                self.load(None)
            elif change.action == "create":
                self.load(change.id)

    def focus_title(self) -> None:
        if self.uuid is not None:
            self.form.widgets[self.title_field].setFocus(Qt.FocusReason.ShortcutFocusReason)
            widget = self.form.widgets[self.title_field]
            if hasattr(widget, "selectAll"):
                widget.selectAll()

    def flush(self) -> None:
        self.form.flush()
