"""Our side of a screening hit: the actor's or contact's names, identifiers and country."""

from __future__ import annotations

from dataclasses import dataclass, field

from sqlalchemy import select
from sqlalchemy.orm import Session

from chinadialog_desktop.i18n import _
from chinadialog_desktop.persistence.models_core import Actor, Contact


@dataclass
class OurSide:
    """What we hold about the screened actor or contact."""

    kind: str
    record_id: int
    latin: list[str] = field(default_factory=list)
    characters: list[str] = field(default_factory=list)
    pinyin: list[str] = field(default_factory=list)
    identifiers: list[tuple[str, str]] = field(default_factory=list)
    country: str = ""
    extra: list[tuple[str, str]] = field(default_factory=list)


def our_side(session: Session, kind: str, uuid: str) -> OurSide | None:
    """Our actor's (or contact's) names, identifiers and country, for the comparison."""
    if kind == "actor":
        actor = session.scalar(select(Actor).where(Actor.uuid == uuid))
        if actor is None:
            return None
        side = OurSide("actor", actor.id, country=actor.country or "")
        side.latin = [n for n in (actor.name_de, actor.name_en) if n]
        side.characters = [actor.name_zh] if actor.name_zh else []
        side.pinyin = [actor.name_pinyin] if actor.name_pinyin else []
        if actor.uscc:
            side.identifiers.append((_("Unified social credit code"), actor.uscc))
        if actor.ags:
            side.identifiers.append((_("Municipality key (AGS)"), actor.ags))
        return side
    contact = session.scalar(select(Contact).where(Contact.uuid == uuid))
    if contact is None:
        return None
    side = OurSide("contact", contact.id)
    side.latin = [contact.name] if contact.name else []
    side.characters = [contact.name_zh] if contact.name_zh else []
    if contact.function:
        side.extra.append((_("Function"), contact.function))
    if contact.actor is not None:
        side.extra.append((_("Organisation"), contact.actor.name_de))
        side.country = contact.actor.country or ""
    return side
