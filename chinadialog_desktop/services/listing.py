"""Plain rows for the lists of partnerships, actors and dossiers (CLI and GUI alike)."""

from __future__ import annotations

import json
from collections.abc import Iterator
from dataclasses import asdict, dataclass, fields
from datetime import date
from itertools import groupby
from typing import Any

from sqlalchemy import String, func, select, type_coerce
from sqlalchemy.orm import Session, selectinload

from chinadialog_desktop.domain.enums import PartyRole
from chinadialog_desktop.persistence.models import (
    Actor,
    Dossier,
    Partnership,
    PartnershipParty,
)


@dataclass(frozen=True)
class PartnershipRow:
    id: int
    uuid: str
    title: str
    german_parties: str
    chinese_parties: str
    chinese_names_zh: str
    type: str
    status: str
    start_date: date | None
    start_precision: str
    end_date: date | None
    fields_of_action: tuple[str, ...]

    def as_json(self) -> dict[str, Any]:
        # By hand, not ``asdict``: its deep copies cost more than the query at 50,000 rows.
        d = {name: getattr(self, name) for name in _PARTNERSHIP_FIELDS}
        d["start_date"] = self.start_date.isoformat() if self.start_date else None
        d["end_date"] = self.end_date.isoformat() if self.end_date else None
        d["fields_of_action"] = list(self.fields_of_action)
        return d


_PARTNERSHIP_FIELDS = tuple(f.name for f in fields(PartnershipRow))


@dataclass(frozen=True)
class ActorRow:
    id: int
    uuid: str
    name_de: str
    name_zh: str | None
    name_pinyin: str | None
    kind: str
    country: str
    region: str | None

    def as_json(self) -> dict[str, Any]:
        return asdict(self)


@dataclass(frozen=True)
class DossierRow:
    id: int
    uuid: str
    title: str
    audience: str
    classification: str
    status: str
    partnerships: int

    def as_json(self) -> dict[str, Any]:
        return asdict(self)


def _names(parties: list[PartnershipParty], role: PartyRole, attr: str = "name_de") -> str:
    values = [getattr(p.actor, attr) for p in parties if p.role == role.value]
    return ", ".join(v for v in values if v)


def partnership_ids(session: Session) -> list[int]:
    """Ids in the default order (by title), for lazily filled list models."""
    return list(session.scalars(select(Partnership.id).order_by(Partnership.title)))


def partnership_rows(session: Session, ids: list[int] | None = None) -> list[PartnershipRow]:
    stmt = select(Partnership).options(
        selectinload(Partnership.parties).selectinload(PartnershipParty.actor)
    )
    if ids is not None:
        stmt = stmt.where(Partnership.id.in_(ids))
    rows = [
        PartnershipRow(
            id=p.id,
            uuid=p.uuid,
            title=p.title,
            german_parties=_names(p.parties, PartyRole.GERMAN),
            chinese_parties=_names(p.parties, PartyRole.CHINESE),
            chinese_names_zh=_names(p.parties, PartyRole.CHINESE, "name_zh"),
            type=p.type,
            status=p.status,
            start_date=p.start_date,
            start_precision=p.start_precision,
            end_date=p.end_date,
            fields_of_action=tuple(p.fields_of_action or ()),
        )
        for p in session.scalars(stmt)
    ]
    if ids is None:
        rows.sort(key=lambda r: r.title.casefold())
    else:
        order = {i: n for n, i in enumerate(ids)}
        rows.sort(key=lambda r: order[r.id])
    return rows


def iter_partnership_rows(session: Session, batch: int = 2000) -> Iterator[PartnershipRow]:
    """Every partnership by title, as ``partnership_rows(session)``, streamed from one query.

    One SELECT joins the parties and their actors (a row per party) and is read
    ``batch`` rows at a time, so 50,000 partnerships cost one query and little
    memory. The title order is Python's ``casefold`` (a SQL function on SQLite),
    the same as ``partnership_rows``.
    """
    key: Any = func.lower(Partnership.title)
    conn = session.connection()
    if conn.dialect.name == "sqlite":
        raw = conn.connection.driver_connection
        assert raw is not None
        raw.create_function("cd_casefold", 1, _casefold, deterministic=True)
        key = func.cd_casefold(Partnership.title)
    stmt = (
        select(
            Partnership.id,
            Partnership.uuid,
            Partnership.title,
            Partnership.type,
            Partnership.status,
            Partnership.start_date,
            Partnership.start_precision,
            Partnership.end_date,
            # The stored JSON text: decoded once per partnership, not once per party row.
            type_coerce(Partnership.fields_of_action, String),
            PartnershipParty.role,
            Actor.name_de,
            Actor.name_zh,
        )
        .outerjoin(PartnershipParty, PartnershipParty.partnership_id == Partnership.id)
        .outerjoin(Actor, Actor.id == PartnershipParty.actor_id)
        .order_by(key, Partnership.id, PartnershipParty.position, PartnershipParty.id)
        .execution_options(yield_per=batch)
    )
    for _id, rows in groupby(session.execute(stmt), key=lambda r: r[0]):
        parties = list(rows)
        p = parties[0]
        german = [r for r in parties if r.role == PartyRole.GERMAN.value]
        chinese = [r for r in parties if r.role == PartyRole.CHINESE.value]
        yield PartnershipRow(
            id=p.id,
            uuid=p.uuid,
            title=p.title,
            german_parties=", ".join(r.name_de for r in german if r.name_de),
            chinese_parties=", ".join(r.name_de for r in chinese if r.name_de),
            chinese_names_zh=", ".join(r.name_zh for r in chinese if r.name_zh),
            type=p.type,
            status=p.status,
            start_date=p.start_date,
            start_precision=p.start_precision,
            end_date=p.end_date,
            fields_of_action=tuple(json.loads(p[8] or "null") or ()),
        )


def _casefold(value: str | None) -> str | None:
    return None if value is None else value.casefold()


def actor_rows(session: Session) -> list[ActorRow]:
    return [
        ActorRow(a.id, a.uuid, a.name_de, a.name_zh, a.name_pinyin, a.kind, a.country, a.region)
        for a in session.scalars(select(Actor).order_by(Actor.name_de))
    ]


def dossier_rows(session: Session) -> list[DossierRow]:
    stmt = select(Dossier).options(selectinload(Dossier.partnership_links)).order_by(Dossier.title)
    return [
        DossierRow(
            d.id, d.uuid, d.title, d.audience, d.classification, d.status, len(d.partnership_links)
        )
        for d in session.scalars(stmt)
    ]


__all__ = [
    "ActorRow",
    "DossierRow",
    "PartnershipRow",
    "actor_rows",
    "dossier_rows",
    "iter_partnership_rows",
    "partnership_ids",
    "partnership_rows",
]
