"""The parties of a partnership: which actor, on which side."""

from __future__ import annotations

from PySide6.QtWidgets import QWidget

from chinadialog_desktop.domain.enums import PartyRole
from chinadialog_desktop.domain.labels import label
from chinadialog_desktop.i18n import N_
from chinadialog_desktop.services import parties
from chinadialog_desktop.ui.child_panel import ChildPanel
from chinadialog_desktop.ui.record_form import FieldSpec
from chinadialog_desktop.ui.workspace import Workspace


def parties_panel(workspace: Workspace, parent: QWidget | None = None) -> ChildPanel:
    def actors() -> list[tuple[int, str]]:
        result: list[tuple[int, str]] = workspace.read(parties.actor_choices)
        return result

    specs = (
        FieldSpec(
            "actor_id", N_("Actor"), "ref", options=actors, ref_kind="actor", label_key="actor_text"
        ),
        FieldSpec("role", N_("Side"), "combo", PartyRole),
    )
    return ChildPanel(
        workspace,
        "party",
        "partnership_id",
        (
            ("actor", N_("Actor"), lambda r: r["actor_text"]),
            ("role", N_("Side"), lambda r: label(PartyRole, r["role"])),
        ),
        specs,
        parties.new_party,
        "party",
        N_("party"),
        order_by="position",
        extra=parties.party_display,
        parent=parent,
    )
