"""The partnership editor: facts, fields of action; parties, timeline, contacts, files."""

from __future__ import annotations

from typing import Any

from PySide6.QtWidgets import QTabWidget, QWidget

from chinadialog_desktop.domain.kinds import Kind
from chinadialog_desktop.domain.registers import REGISTERS
from chinadialog_desktop.i18n import _
from chinadialog_desktop.ui.common.wheel_guard import guard_tabs
from chinadialog_desktop.ui.common.wrapping_tabs import TabButtons, wrap_tabs
from chinadialog_desktop.ui.records.attachments_panel import AttachmentsPanel
from chinadialog_desktop.ui.records.contacts_panel import contacts_panel
from chinadialog_desktop.ui.records.editor import RecordEditor
from chinadialog_desktop.ui.records.form import specs_for
from chinadialog_desktop.ui.records.parties_panel import parties_panel
from chinadialog_desktop.ui.records.registers_panel import register_panel
from chinadialog_desktop.ui.records.timeline_panel import timeline_panel
from chinadialog_desktop.ui.window.workspace import Workspace

SPECS = specs_for(Kind.PARTNERSHIP)


class PartnershipEditor(RecordEditor):
    def __init__(self, workspace: Workspace, parent: QWidget | None = None) -> None:
        super().__init__(workspace, "partnership", SPECS, "partnership", parent)
        self.tabs = QTabWidget(self.widget())
        self.tabs.setObjectName("partnershipTabs")
        self.tabs.setAccessibleName(_("Parties, timeline, contacts, files and registers"))
        self.parties = parties_panel(workspace, self.tabs)
        self.timeline = timeline_panel(workspace, self.tabs)
        self.contacts = contacts_panel(workspace, "partnership_id", "partnershipContact", self.tabs)
        self.attachments = AttachmentsPanel(
            workspace, "partnership_id", "partnershipAttachment", self.tabs
        )
        self.tabs.addTab(self.parties, _("Parties"))
        self.tabs.addTab(self.timeline, _("Timeline"))
        self.tabs.addTab(self.contacts, _("Contacts"))
        self.tabs.addTab(self.attachments, _("Files"))
        # The registers a China-competence officer keeps (domain.registers), one tab each.
        self.registers = {r.key: register_panel(workspace, r, self.tabs) for r in REGISTERS}
        for r in REGISTERS:
            self.tabs.addTab(self.registers[r.key], _(r.label))
        self.tabs.setMinimumHeight(380)
        guard_tabs(self.tabs)
        # Eight tabs do not fit the editor's column on a small screen: they wrap onto a
        # second row of buttons instead of hiding behind scroll arrows.
        box = wrap_tabs(self.tabs, self.widget())
        self.tab_buttons = box.findChild(TabButtons)
        self.add_section(box, 1)

    def loaded(self, values: dict[str, Any] | None) -> None:
        parent_id = values["id"] if values else None
        for panel in self._panels():
            panel.set_parent_id(parent_id)

    def flush(self) -> None:
        super().flush()
        for panel in self._panels():
            panel.form.flush()

    def _panels(self) -> list[Any]:
        return [
            self.parties,
            self.timeline,
            self.contacts,
            self.attachments,
            *self.registers.values(),
        ]


__all__ = ["PartnershipEditor"]
