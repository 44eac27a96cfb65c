"""The four registers (kinds of domain.kinds): visits, gifts, counterpart contacts, incidents.

Each row belongs to a partnership (deleted with it, like a timeline entry); a
dossier reaches them through the partnerships it links.
"""

from __future__ import annotations

import datetime as dt

from sqlalchemy import Date, ForeignKey, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from chinadialog_desktop.domain.kinds import Kind
from chinadialog_desktop.persistence.base import Base, Record
from chinadialog_desktop.persistence.kind_models import add_registry_columns


def _partnership() -> Mapped[int]:
    return mapped_column(ForeignKey("partnership.id", ondelete="CASCADE"), index=True)


class Visit(Record, Base):
    """Delegationsreise / Besuch: who, when, where, programme, who paid."""

    __tablename__ = "visit"

    partnership_id: Mapped[int] = _partnership()
    direction: Mapped[str] = mapped_column(String(16), default="incoming")
    start_date: Mapped[dt.date] = mapped_column(Date)
    end_date: Mapped[dt.date | None] = mapped_column(Date)
    title: Mapped[str] = mapped_column(String(300))
    place: Mapped[str | None] = mapped_column(String(200))
    lead: Mapped[str | None] = mapped_column(String(200))
    participants: Mapped[str | None] = mapped_column(Text)
    programme: Mapped[str | None] = mapped_column(Text)
    paid_by: Mapped[str | None] = mapped_column(String(200))
    notes: Mapped[str | None] = mapped_column(Text)


class Gift(Record, Base):
    """Geschenk oder Bewirtung, received or given, with its value and the decision on it."""

    __tablename__ = "gift"

    partnership_id: Mapped[int] = _partnership()
    date: Mapped[dt.date] = mapped_column(Date)
    direction: Mapped[str] = mapped_column(String(16), default="received")
    kind: Mapped[str] = mapped_column(String(16), default="gift")
    title: Mapped[str] = mapped_column(String(300))
    occasion: Mapped[str | None] = mapped_column(String(300))
    counterpart: Mapped[str | None] = mapped_column(String(300))
    value_cents: Mapped[int | None] = mapped_column(Integer)  # euro cents, never a float
    decision: Mapped[str] = mapped_column(String(16), default="pending")
    decided_by: Mapped[str | None] = mapped_column(String(200))
    decided_on: Mapped[dt.date | None] = mapped_column(Date)
    whereabouts: Mapped[str | None] = mapped_column(String(300))
    notes: Mapped[str | None] = mapped_column(Text)


class Counterpart(Record, Base):
    """Gesprächskontakt: a person on the partner's side, with state and party functions."""

    __tablename__ = "counterpart"

    partnership_id: Mapped[int] = _partnership()
    name: Mapped[str] = mapped_column(String(200))
    name_zh: Mapped[str | None] = mapped_column(String(100))
    organisation: Mapped[str | None] = mapped_column(String(300))
    government_function: Mapped[str | None] = mapped_column(String(300))
    party_function: Mapped[str | None] = mapped_column(String(300))
    last_met: Mapped[dt.date | None] = mapped_column(Date)
    conversations: Mapped[str | None] = mapped_column(Text)
    notes: Mapped[str | None] = mapped_column(Text)


class Incident(Record, Base):
    """Vorfall: an approach, a cyber incident, pressure; whom it was reported to, what was done."""

    __tablename__ = "incident"

    partnership_id: Mapped[int] = _partnership()
    date: Mapped[dt.date] = mapped_column(Date)
    kind: Mapped[str] = mapped_column(String(16), default="other")
    title: Mapped[str] = mapped_column(String(300))
    description: Mapped[str | None] = mapped_column(Text)
    reported_to: Mapped[str | None] = mapped_column(String(300))
    reported_on: Mapped[dt.date | None] = mapped_column(Date)
    measures: Mapped[str | None] = mapped_column(Text)


# The table of each register kind of the registry; a stored field the classes above do not
# declare gets its column from the registry (a new field: registry entry plus migration).
REGISTER_MODELS: dict[Kind, type[Record]] = {
    Kind.VISIT: Visit,
    Kind.GIFT: Gift,
    Kind.COUNTERPART: Counterpart,
    Kind.INCIDENT: Incident,
}
REGISTER_COLUMNS = add_registry_columns(REGISTER_MODELS)
