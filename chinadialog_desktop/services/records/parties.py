"""The parties of a partnership as the editor shows them: which actor, on which side."""

from __future__ import annotations

from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from chinadialog_desktop.domain.enums import PartyRole
from chinadialog_desktop.errors import UserError
from chinadialog_desktop.i18n import _
from chinadialog_desktop.persistence.models import Actor, PartnershipParty


def actor_text(name_de: str, name_zh: str | None, country: str | None) -> str:
    """``Zhuhai (珠海) – CN``: how an actor is named in a choice list."""
    zh = f" ({name_zh})" if name_zh else ""
    return f"{name_de}{zh} – {country or ''}".rstrip(" –")


def actor_choices(session: Session) -> list[tuple[int, str]]:
    """Every actor as (id, text), by German name."""
    rows = session.execute(
        select(Actor.id, Actor.name_de, Actor.name_zh, Actor.country).order_by(Actor.name_de)
    )
    return [(i, actor_text(n, zh, c)) for i, n, zh, c in rows]


def _taken(session: Session, partnership_id: int) -> set[int]:
    return set(
        session.scalars(
            select(PartnershipParty.actor_id).where(
                PartnershipParty.partnership_id == partnership_id
            )
        )
    )


def candidates(session: Session, partnership_id: int) -> list[tuple[int, str]]:
    """The actors that are not yet parties of the partnership, as (id, text), by name."""
    taken = _taken(session, partnership_id)
    return [(i, text) for i, text in actor_choices(session) if i not in taken]


def new_party(session: Session, partnership_id: int, actor_id: int | None = None) -> dict[str, Any]:
    """The values of a new party: ``actor_id`` (or the first actor not yet a party), on
    its country's side."""
    taken = _taken(session, partnership_id)
    if actor_id is not None:
        actor = session.get(Actor, actor_id)
        if actor is None:
            raise UserError(_("The actor was deleted meanwhile."))
        chosen = [actor]
    else:
        chosen = [
            a for a in session.scalars(select(Actor).order_by(Actor.name_de)) if a.id not in taken
        ][:1]
    for actor in chosen:
        role = PartyRole.CHINESE if actor.country == "CN" else PartyRole.GERMAN
        return {"actor_id": actor.id, "role": role.value, "position": len(taken)}
    raise UserError(_("Every actor is already a party. Create the actor first (page Actors)."))


def party_display(_session: Session, party: PartnershipParty) -> dict[str, Any]:
    """Display values of a party row: its actor's name."""
    a = party.actor
    return {"actor_text": actor_text(a.name_de, a.name_zh, a.country)}
