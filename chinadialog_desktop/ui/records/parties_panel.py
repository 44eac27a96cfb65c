"""The parties of a partnership: which actor, on which side."""

from __future__ import annotations

from PySide6.QtWidgets import QWidget

from chinadialog_desktop.domain.enums import ActorKind, PartyRole
from chinadialog_desktop.domain.labels import label
from chinadialog_desktop.errors import UserError
from chinadialog_desktop.i18n import N_, _
from chinadialog_desktop.services.records import edit as records
from chinadialog_desktop.services.records import parties
from chinadialog_desktop.ui.records.actor_picker import ActorPicker
from chinadialog_desktop.ui.records.child_panel import ChildPanel
from chinadialog_desktop.ui.records.form import FieldSpec
from chinadialog_desktop.ui.window.workspace import Workspace


def pick_actor(workspace: Workspace, panel: ChildPanel, partnership_id: int) -> None:
    """ "Add party": choose the actor in a searchable list; nothing is added on Cancel."""
    choices = workspace.read(lambda s: parties.candidates(s, partnership_id))
    dialog = ActorPicker(choices, _("Add party"), panel.window())

    def chosen(actor_id: int) -> None:
        try:
            values = workspace.read(lambda s: parties.new_party(s, partnership_id, actor_id))
        except UserError as exc:
            workspace.sig_error.emit(str(exc))
            return
        if panel.parent_id == partnership_id:
            panel.add_values(values)

    def create(name: str, country: str) -> None:
        # The one rule against two actors with one name, as in the editor and the import.
        clash = workspace.read(lambda s: records.name_error(s, "actor", None, "name_de", name))
        if clash:
            workspace.sig_error.emit(clash)
            return
        kind = ActorKind.CITY if country == "CN" else ActorKind.MUNICIPALITY
        values = {"name_de": name, "country": country, "kind": kind.value}
        uuid = workspace.create("actor", values, _("New actor"))
        if uuid is not None:
            chosen(workspace.read(lambda s: records.get(s, "actor", uuid).id))

    dialog.sig_chosen.connect(chosen)
    dialog.sig_create.connect(create)
    dialog.finished.connect(lambda _result: dialog.deleteLater())
    panel.picker = dialog
    dialog.open()


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
        pick=lambda panel, pid: pick_actor(workspace, panel, pid),
        parent=parent,
    )
