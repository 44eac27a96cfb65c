"""Write a classified plan to the database, inside the caller's transaction."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from chinadialog_desktop.i18n import _
from chinadialog_desktop.persistence.models import Actor, Partnership, PartnershipParty
from chinadialog_desktop.services.datasets_merge import (
    CONFLICT,
    NEW,
    UPDATED,
    Cancelled,
    Plan,
    PlanItem,
    Progress,
)
from chinadialog_desktop.services.datasets_state import PARTY_ROLES, STATE_FIELDS, digest

MINE, THEIRS = "mine", "theirs"
_CHUNK = 2000


def _columns(kind: str) -> list[str]:
    return [f for f in STATE_FIELDS[kind] if not f.endswith("_party_uuid")]


def decision(item: PlanItem, resolutions: Mapping[str, str], default: str | None) -> str | None:
    """What happens to a conflict: the user's choice for this record, else the default."""
    return resolutions.get(item.uuid, default)


def apply_plan(
    session: Session,
    plan: Plan,
    resolutions: Mapping[str, str],
    default: str | None,
    progress: Progress | None = None,
    cancelled: Callable[[], bool] | None = None,
) -> dict[str, list[str]]:
    """Insert and update as planned; returns uuid → [provided digest, digest after import].

    Conflicts must all be decided (``resolutions`` or ``default``); the caller
    checks that before calling. Flushes in chunks so a cancel is noticed.
    """
    actors: dict[str, Actor] = {}
    actor_ids = dict(plan.ids.get("actors", {}))
    fingerprints: dict[str, list[str]] = {}
    total = len(plan.items)
    for n, item in enumerate(plan.items, start=1):
        take = item.status in (NEW, UPDATED) or (
            item.status == CONFLICT and decision(item, resolutions, default) == THEIRS
        )
        if take:
            if item.kind == "actors":
                _write_actor(session, item, plan, actors)
            else:
                _write_partnership(session, item, plan, actors, actor_ids)
            fingerprints[item.uuid] = [item.provided_digest, digest(item.target)]
        else:
            fingerprints[item.uuid] = [
                item.provided_digest,
                item.local_digest or digest(item.target),
            ]
        if n % _CHUNK == 0:
            session.flush()
            if cancelled is not None and cancelled():
                raise Cancelled
            if progress is not None:
                progress(n, total, _("Writing records"))
    session.flush()
    if progress is not None:
        progress(total, total, _("Writing records"))
    return fingerprints


def _write_actor(session: Session, item: PlanItem, plan: Plan, actors: dict[str, Actor]) -> None:
    values = {f: item.target.get(f) for f in _columns("actors")}
    if item.status == NEW:
        actor = Actor(uuid=item.uuid, **values)
        session.add(actor)
        actors[item.uuid] = actor
        return
    actor_obj = session.get(Actor, plan.ids["actors"][item.uuid])
    assert actor_obj is not None
    for change in item.changes:
        setattr(actor_obj, change.field, values[change.field])
    actors[item.uuid] = actor_obj


def _actor(
    session: Session, uuid: str, actors: dict[str, Actor], actor_ids: dict[str, int]
) -> Actor:
    if uuid in actors:
        return actors[uuid]
    found = session.get(Actor, actor_ids[uuid]) if uuid in actor_ids else None
    if found is None:
        found = session.execute(select(Actor).where(Actor.uuid == uuid)).scalar_one()
    actors[uuid] = found
    return found


def _write_partnership(
    session: Session,
    item: PlanItem,
    plan: Plan,
    actors: dict[str, Actor],
    actor_ids: dict[str, int],
) -> None:
    values: dict[str, Any] = {f: item.target.get(f) for f in _columns("partnerships")}
    values["fields_of_action"] = list(values["fields_of_action"] or [])
    if item.status == NEW:
        partnership = Partnership(uuid=item.uuid, **values)
        session.add(partnership)
        for position, role in enumerate(PARTY_ROLES):
            ref = item.target.get(f"{role}_party_uuid")
            if ref:
                partnership.parties.append(
                    PartnershipParty(
                        actor=_actor(session, ref, actors, actor_ids), role=role, position=position
                    )
                )
        return
    obj = session.get(Partnership, plan.ids["partnerships"][item.uuid])
    assert obj is not None
    for change in item.changes:
        if change.field.endswith("_party_uuid"):
            role = change.field.removesuffix("_party_uuid")
            current = [p for p in obj.parties if p.role == role]
            if current:
                obj.parties.remove(current[0])
                session.flush()  # the unique (partnership, actor) pair must be free again
            if change.theirs:
                obj.parties.append(
                    PartnershipParty(
                        actor=_actor(session, change.theirs, actors, actor_ids),
                        role=role,
                        position=PARTY_ROLES.index(role),
                    )
                )
        else:
            setattr(obj, change.field, values[change.field])
