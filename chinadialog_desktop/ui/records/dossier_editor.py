"""The dossier editor: header, council fields, the five text sections, partnerships and sources."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from PySide6.QtGui import QShowEvent
from PySide6.QtWidgets import QGroupBox, QTabWidget, QVBoxLayout, QWidget

from chinadialog_desktop.domain.enums import (
    Audience,
    Classification,
    CostRecurrence,
    DeliberationRole,
    DocumentKind,
    DossierStatus,
    FinancialImpact,
    SectionKey,
    SessionPublicity,
)
from chinadialog_desktop.domain.labels import label, partial_date
from chinadialog_desktop.i18n import N_, _
from chinadialog_desktop.services.records import dossier_links
from chinadialog_desktop.services.records import edit as records
from chinadialog_desktop.ui.common.wheel_guard import guard_tabs
from chinadialog_desktop.ui.records.attachments_panel import AttachmentsPanel
from chinadialog_desktop.ui.records.child_panel import ChildPanel
from chinadialog_desktop.ui.records.editor import RecordEditor
from chinadialog_desktop.ui.records.form import FieldSpec
from chinadialog_desktop.ui.records.section_editor import SectionEditor
from chinadialog_desktop.ui.screening.confirmed_hits import ConfirmedHitsBox
from chinadialog_desktop.ui.window.workspace import Workspace

if TYPE_CHECKING:  # the screening code (and rapidfuzz) only when hits are read
    from chinadialog_desktop.services.screening.runs import HitRow

SPECS = (
    FieldSpec("title", N_("Title")),
    FieldSpec("purpose", N_("Purpose"), "text"),
    FieldSpec("audience", N_("Audience"), "combo", Audience),
    FieldSpec("author", N_("Author")),
    FieldSpec("classification", N_("Classification"), "combo", Classification),
    FieldSpec("status", N_("Status"), "combo", DossierStatus),
    FieldSpec("document_kind", N_("Kind of paper"), "combo", DocumentKind),
    FieldSpec("file_number", N_("Document number")),
    FieldSpec("document_date", N_("Date of the paper"), "date"),
    FieldSpec("city", N_("City or municipality")),
    FieldSpec("department", N_("Department or office")),
    FieldSpec("lead_office", N_("Lead office")),
    FieldSpec("responsible", N_("Responsible")),
    FieldSpec("is_public", N_("Public session"), "bool"),
    FieldSpec("proposed_resolution", N_("Proposed resolution"), "rich"),
    # Finanzielle Auswirkungen, as a council paper states them (rules: domain.finance).
    FieldSpec("financial_impact", N_("Financial effects"), "combo", FinancialImpact),
    FieldSpec("financial_year", N_("Budget year"), "year"),
    FieldSpec("financial_item", N_("Product or cost centre")),
    FieldSpec("financial_recurrence", N_("One-off or recurring"), "combo", CostRecurrence),
    FieldSpec("financial_amount", N_("Amount (EUR)"), "money"),
    FieldSpec("financial_effects", N_("Financial effects: explanation"), "rich"),
)


class DossierEditor(RecordEditor):
    def __init__(self, workspace: Workspace, parent: QWidget | None = None) -> None:
        super().__init__(workspace, "dossier", SPECS, "dossier", parent)
        self.sections: dict[str, SectionEditor] = {}
        self.section_uuids: dict[str, str | None] = {}
        # Three tabs instead of one long page: the header, the texts, the links.
        self.main_tabs = QTabWidget(self.widget())
        self.main_tabs.setObjectName("dossierMainTabs")
        self.main_tabs.setAccessibleName(_("Dossier details, texts and links"))
        self.body.removeWidget(self.form)
        details = QWidget(self.main_tabs)
        details.setObjectName("dossierDetailsTab")
        details_layout = QVBoxLayout(details)
        details_layout.addWidget(self.form)
        details_layout.addStretch(1)
        self.form.setParent(details)
        self.section_tabs = QTabWidget(self.main_tabs)
        self.section_tabs.setObjectName("dossierSectionTabs")
        self.section_tabs.setAccessibleName(_("Text sections"))
        for key in SectionKey:
            editor = SectionEditor(key.value, label(SectionKey, key), self.section_tabs)
            editor.sig_finished.connect(lambda text, k=key.value: self._section_edited(k, text))
            self.sections[key.value] = editor
            self.section_tabs.addTab(editor, label(SectionKey, key))
        self.section_tabs.setMinimumHeight(260)
        guard_tabs(self.main_tabs, self.section_tabs)

        self.links_tabs = QWidget(self.main_tabs)
        self.links_tabs.setObjectName("dossierLinks")
        links_layout = QVBoxLayout(self.links_tabs)
        self.partnerships = ChildPanel(
            workspace,
            "dossier_partnership",
            "dossier_id",
            (("partnership", N_("Partnership"), lambda r: r["partnership_title"]),),
            (
                FieldSpec(
                    "partnership_id",
                    N_("Partnership"),
                    "ref",
                    options=self._partnerships,
                    ref_kind="partnership",
                    label_key="partnership_title",
                ),
            ),
            dossier_links.new_link,
            "dossierPartnership",
            N_("partnership"),
            order_by="position",
            extra=lambda _s, link: {"partnership_title": link.partnership.title},
            parent=self.links_tabs,
        )
        self.sources = ChildPanel(
            workspace,
            "dossier_source",
            "dossier_id",
            (
                ("number", N_("No."), lambda r: f"[{r['number']}]"),
                ("source", N_("Source"), lambda r: r["source_title"]),
            ),
            (
                FieldSpec(
                    "source_id",
                    N_("Source"),
                    "ref",
                    options=self._sources,
                    ref_kind="source",
                    label_key="source_title",
                ),
            ),
            dossier_links.new_citation,
            "dossierSource",
            N_("source"),
            order_by="number",
            extra=lambda _s, cite: {"source_title": cite.source.title},
            parent=self.links_tabs,
        )
        self.deliberations = ChildPanel(
            workspace,
            "deliberation",
            "dossier_id",
            (
                ("position", N_("No."), lambda r: str(r["position"] + 1)),
                ("body", N_("Body"), lambda r: r["body"]),
                ("meeting_on", N_("Meeting"), lambda r: partial_date(r["meeting_on"])),
                ("role", N_("Role"), lambda r: label(DeliberationRole, r["role"])),
            ),
            (
                FieldSpec("body", N_("Body")),
                FieldSpec("meeting_on", N_("Meeting"), "date"),
                FieldSpec("role", N_("Role"), "combo", DeliberationRole),
                FieldSpec("status", N_("Status of the deliberation")),
                FieldSpec("publicity", N_("Session"), "combo", SessionPublicity),
            ),
            dossier_links.new_deliberation,
            "deliberation",
            N_("deliberation"),
            order_by="position",
            parent=self.links_tabs,
        )
        for title, panel in (
            (_("Partnerships"), self.partnerships),
            (_("Sources (numbered)"), self.sources),
            (_("Order of deliberation"), self.deliberations),
        ):
            box = QGroupBox(title, self.links_tabs)
            box.setObjectName(panel.objectName() + "Box")
            inner = QVBoxLayout(box)
            panel.setParent(box)
            inner.addWidget(panel)
            links_layout.addWidget(box, 1)
        self.main_tabs.addTab(details, _("Details"))
        self.main_tabs.addTab(self.section_tabs, _("Texts"))
        self.main_tabs.addTab(self.links_tabs, _("Links and deliberation"))
        # Files of the dossier: listed as Anlagen of the briefing, PDFs appended to it.
        self.attachments = AttachmentsPanel(
            workspace, "dossier_id", "dossierAttachment", self.main_tabs
        )
        self.main_tabs.addTab(self.attachments, _("Files (Anlagen)"))
        self.main_tabs.setMinimumHeight(640)
        # Above the tabs, so a confirmed hit is seen whichever tab is open.
        self.hits = ConfirmedHitsBox("dossier", True, self._read_hits, self.widget())
        self.add_section(self.hits)
        self.add_section(self.main_tabs, 1)

    def _partnerships(self) -> list[tuple[int, str]]:
        result: list[tuple[int, str]] = self.workspace.read(dossier_links.partnership_choices)
        return result

    def _sources(self) -> list[tuple[int, str]]:
        result: list[tuple[int, str]] = self.workspace.read(dossier_links.source_choices)
        return result

    def loaded(self, values: dict[str, Any] | None) -> None:
        dossier_id = values["id"] if values else None
        self.partnerships.set_parent_id(dossier_id)
        self.sources.set_parent_id(dossier_id)
        self.deliberations.set_parent_id(dossier_id)
        self.attachments.set_parent_id(dossier_id)
        self._load_sections(dossier_id)
        self.refresh_hits()

    def _read_hits(self) -> list[HitRow]:
        from chinadialog_desktop.services.screening.runs import confirmed_hits_for_dossier

        dossier_id = self.record_id
        if dossier_id is None:
            return []
        return self.workspace.read(lambda s: confirmed_hits_for_dossier(s, dossier_id))

    def refresh_hits(self) -> None:
        """Confirmed screening hits of the actors of the linked partnerships."""
        self.hits.refresh()

    def showEvent(self, event: QShowEvent) -> None:  # noqa: N802
        super().showEvent(event)
        if self.record_id is not None:  # a hit may have been confirmed meanwhile
            self.refresh_hits()

    def _load_sections(self, dossier_id: int | None) -> None:
        found: dict[str, tuple[str, str]] = {}
        if dossier_id is not None:
            found = self.workspace.read(lambda s: dossier_links.section_texts(s, dossier_id))
        for key, editor in self.sections.items():
            uuid, body = found.get(key, (None, ""))
            self.section_uuids[key] = uuid
            editor.set_text(body)

    def _section_edited(self, key: str, text: str) -> None:
        if self.record_id is None:
            return
        uuid = self.section_uuids.get(key)
        title = self.edit_text(label(SectionKey, key))
        if uuid is None:  # dossiers from older imports may lack a section
            position = [k.value for k in SectionKey].index(key)
            values = {"dossier_id": self.record_id, "key": key, "position": position, "body": text}
            self.section_uuids[key] = self.workspace.create("dossier_section", values, title)
        else:
            self.workspace.edit("dossier_section", uuid, {"body": text}, None, title)

    def edit_text(self, fields: str) -> str:
        """“Dossier „Ratsvorlage …“ ändern (Titel)”: the step names the dossier it changes."""
        return _("Change dossier “{title}” ({what})").format(title=self.heading.text(), what=fields)

    def on_changes(self, changes: list[records.Change]) -> None:
        super().on_changes(changes)
        if self.record_id is not None and any(
            c.kind in ("dossier_partnership", "party") for c in changes
        ):
            self.refresh_hits()  # another partnership linked, or a party changed
        if self.record_id is not None and any(c.kind == "dossier_section" for c in changes):
            for change in changes:
                if change.kind == "dossier_section" and change.action == "update":
                    for key, uuid in self.section_uuids.items():
                        if uuid == change.uuid:  # set_text leaves equal text alone
                            self.sections[key].set_text(change.new or "")
                elif change.kind == "dossier_section":
                    self._load_sections(self.record_id)

    def flush(self) -> None:
        super().flush()
        for editor in self.sections.values():
            editor.text.flush()
        self.partnerships.form.flush()
        self.sources.form.flush()
        self.deliberations.form.flush()
        self.attachments.form.flush()
