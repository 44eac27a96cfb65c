"""The parties of a partnership: which actor, on which side."""

from __future__ import annotations

from typing import Any

from PySide6.QtWidgets import QWidget
from sqlalchemy import select

from chinadialog_desktop.domain.enums import PartyRole
from chinadialog_desktop.domain.labels import label
from chinadialog_desktop.errors import UserError
from chinadialog_desktop.i18n import N_, _
from chinadialog_desktop.persistence.models import Actor, PartnershipParty
from chinadialog_desktop.ui.child_panel import ChildPanel
from chinadialog_desktop.ui.record_form import FieldSpec
from chinadialog_desktop.ui.workspace import Workspace


def actor_text(name_de: str, name_zh: str | None, country: str | None) -> str:
    zh = f" ({name_zh})" if name_zh else ""
    return f"{name_de}{zh} – {country or ''}".rstrip(" –")


def _new_party(session: Any, partnership_id: int) -> dict[str, Any]:
    taken = set(
        session.scalars(
            select(PartnershipParty.actor_id).where(
                PartnershipParty.partnership_id == partnership_id
            )
        )
    )
    for actor in session.scalars(select(Actor).order_by(Actor.name_de)):
        if actor.id not in taken:
            role = PartyRole.CHINESE if actor.country == "CN" else PartyRole.GERMAN
            return {"actor_id": actor.id, "role": role.value, "position": len(taken)}
    raise UserError(_("Every actor is already a party. Create the actor first (page Actors)."))


def _actor_name(_session: Any, party: PartnershipParty) -> dict[str, Any]:
    a = party.actor
    return {"actor_text": actor_text(a.name_de, a.name_zh, a.country)}


def parties_panel(workspace: Workspace, parent: QWidget | None = None) -> ChildPanel:
    def actors() -> list[tuple[int, str]]:
        return workspace.read(
            lambda s: [
                (i, actor_text(n, zh, c))
                for i, n, zh, c in s.execute(
                    select(Actor.id, Actor.name_de, Actor.name_zh, Actor.country).order_by(
                        Actor.name_de
                    )
                )
            ]
        )

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
        _new_party,
        "party",
        N_("party"),
        order_by="position",
        extra=_actor_name,
        parent=parent,
    )
