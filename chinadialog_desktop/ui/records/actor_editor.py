"""The actor editor: names in German, English, characters and pinyin; identifiers; contacts."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from PySide6.QtGui import QShowEvent
from PySide6.QtWidgets import QGroupBox, QVBoxLayout, QWidget

from chinadialog_desktop.domain.kinds import Kind
from chinadialog_desktop.errors import UserError
from chinadialog_desktop.i18n import _
from chinadialog_desktop.ui.records.contacts_panel import contacts_panel
from chinadialog_desktop.ui.records.editor import RecordEditor
from chinadialog_desktop.ui.records.form import specs_for
from chinadialog_desktop.ui.screening.confirmed_hits import ConfirmedHitsBox
from chinadialog_desktop.ui.window.workspace import Workspace

if TYPE_CHECKING:  # the screening code (and rapidfuzz) only when hits are read
    from chinadialog_desktop.services.screening.runs import HitRow

SPECS = specs_for(Kind.ACTOR)


class ActorEditor(RecordEditor):
    title_field = "name_de"

    def __init__(self, workspace: Workspace, parent: QWidget | None = None) -> None:
        super().__init__(workspace, "actor", SPECS, "actor", parent)
        self.hits = ConfirmedHitsBox("actor", False, self._read_hits, self.widget())
        self.add_section(self.hits)
        box = QGroupBox(_("Contacts"), self.widget())
        box.setObjectName("actorContactsBox")
        inner = QVBoxLayout(box)
        self.contacts = contacts_panel(workspace, "actor_id", "actorContact", box)
        inner.addWidget(self.contacts)
        self.add_section(box, 1)

    def loaded(self, values: dict[str, Any] | None) -> None:
        self.contacts.set_parent_id(values["id"] if values else None)
        self.refresh_hits()

    def _read_hits(self) -> list[HitRow]:
        from chinadialog_desktop.services.screening.runs import confirmed_hits_for_actor

        actor_id = self.record_id
        if actor_id is None:
            return []
        try:
            return self.workspace.read(lambda s: confirmed_hits_for_actor(s, actor_id))
        except UserError:  # deleted in another window meanwhile
            return []

    def refresh_hits(self) -> None:
        """Confirmed screening hits of the actor and its contacts."""
        self.hits.refresh()

    def showEvent(self, event: QShowEvent) -> None:  # noqa: N802
        super().showEvent(event)
        if self.record_id is not None:  # a hit may have been confirmed meanwhile
            self.refresh_hits()
