"""The actor editor: names in German, English, characters and pinyin; identifiers; contacts."""

from __future__ import annotations

from PySide6.QtWidgets import QGroupBox, QVBoxLayout, QWidget

from chinadialog_desktop.domain.enums import ActorKind
from chinadialog_desktop.i18n import N_, _
from chinadialog_desktop.ui.contacts_panel import contacts_panel
from chinadialog_desktop.ui.record_editor import RecordEditor
from chinadialog_desktop.ui.record_form import FieldSpec
from chinadialog_desktop.ui.workspace import Workspace

SPECS = (
    FieldSpec("name_de", N_("Name (German)")),
    FieldSpec("name_en", N_("Name (English)")),
    FieldSpec("name_zh", N_("Chinese characters")),
    FieldSpec("name_pinyin", N_("Pinyin")),
    FieldSpec("kind", N_("Kind"), "combo", ActorKind),
    FieldSpec("country", N_("Country (ISO code)"), placeholder=N_("DE, CN …")),
    FieldSpec("region", N_("State / province")),
    FieldSpec("ags", N_("Municipality key (AGS)")),
    FieldSpec("uscc", N_("Unified social credit code (USCC)")),
    FieldSpec("website", N_("Website")),
    FieldSpec("notes", N_("Notes"), "text"),
)


class ActorEditor(RecordEditor):
    title_field = "name_de"

    def __init__(self, workspace: Workspace, parent: QWidget | None = None) -> None:
        super().__init__(workspace, "actor", SPECS, "actor", parent)
        box = QGroupBox(_("Contacts"), self.widget())
        box.setObjectName("actorContactsBox")
        inner = QVBoxLayout(box)
        self.contacts = contacts_panel(workspace, "actor_id", "actorContact", box)
        inner.addWidget(self.contacts)
        self.add_section(box, 1)

    def loaded(self, values: dict | None) -> None:
        self.contacts.set_parent_id(values["id"] if values else None)
