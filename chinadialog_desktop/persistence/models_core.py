"""Actors, partnerships, contacts, activities, sources and attachments."""

from __future__ import annotations

from datetime import date

from sqlalchemy import JSON, Date, ForeignKey, Integer, LargeBinary, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from chinadialog_desktop.domain.enums import (
    ActivityKind,
    ActorKind,
    DatePrecision,
    PartnershipStatus,
    PartnershipType,
    PartyRole,
)
from chinadialog_desktop.domain.kinds import Kind
from chinadialog_desktop.persistence.base import Base, Record
from chinadialog_desktop.persistence.kind_models import add_registry_columns


class Actor(Record, Base):
    """A German or Chinese party: municipality, province, university, company …"""

    __tablename__ = "actor"

    name_de: Mapped[str] = mapped_column(String(300))
    name_en: Mapped[str | None] = mapped_column(String(300))
    name_zh: Mapped[str | None] = mapped_column(String(200))
    name_pinyin: Mapped[str | None] = mapped_column(String(300))
    kind: Mapped[str] = mapped_column(String(32), default=ActorKind.MUNICIPALITY.value)
    country: Mapped[str] = mapped_column(String(2), default="DE")  # ISO 3166-1 alpha-2
    region: Mapped[str | None] = mapped_column(String(200))  # Land / province
    ags: Mapped[str | None] = mapped_column(String(8))  # Amtlicher Gemeindeschlüssel
    uscc: Mapped[str | None] = mapped_column(String(18))  # unified social credit code
    website: Mapped[str | None] = mapped_column(String(500))
    notes: Mapped[str | None] = mapped_column(Text)

    contacts: Mapped[list[Contact]] = relationship(back_populates="actor")

    def __repr__(self) -> str:
        return f"<Actor {self.name_de!r}>"


class Partnership(Record, Base):
    __tablename__ = "partnership"

    title: Mapped[str] = mapped_column(String(300))
    type: Mapped[str] = mapped_column(String(32), default=PartnershipType.TWIN_CITY.value)
    status: Mapped[str] = mapped_column(String(32), default=PartnershipStatus.ACTIVE.value)
    start_date: Mapped[date | None] = mapped_column(Date)
    start_precision: Mapped[str] = mapped_column(String(8), default=DatePrecision.DAY.value)
    end_date: Mapped[date | None] = mapped_column(Date)
    end_precision: Mapped[str] = mapped_column(String(8), default=DatePrecision.DAY.value)
    # Codes of domain.enums.FieldOfAction; a JSON list keeps the SQL portable.
    fields_of_action: Mapped[list[str]] = mapped_column(JSON, default=list)
    description: Mapped[str | None] = mapped_column(Text)

    parties: Mapped[list[PartnershipParty]] = relationship(
        back_populates="partnership",
        cascade="all, delete-orphan",
        order_by="PartnershipParty.position",
    )
    activities: Mapped[list[Activity]] = relationship(
        back_populates="partnership", cascade="all, delete-orphan", order_by="Activity.date"
    )
    contacts: Mapped[list[Contact]] = relationship(back_populates="partnership")

    def __repr__(self) -> str:
        return f"<Partnership {self.title!r}>"


class PartnershipParty(Record, Base):
    """One party of a partnership, with its side (German, Chinese, other)."""

    __tablename__ = "partnership_party"
    __table_args__ = (UniqueConstraint("partnership_id", "actor_id"),)

    partnership_id: Mapped[int] = mapped_column(ForeignKey("partnership.id", ondelete="CASCADE"))
    actor_id: Mapped[int] = mapped_column(ForeignKey("actor.id", ondelete="RESTRICT"))
    role: Mapped[str] = mapped_column(String(16), default=PartyRole.GERMAN.value)
    position: Mapped[int] = mapped_column(Integer, default=0)

    partnership: Mapped[Partnership] = relationship(back_populates="parties")
    actor: Mapped[Actor] = relationship()


class Contact(Record, Base):
    __tablename__ = "contact"

    name: Mapped[str] = mapped_column(String(200))
    name_zh: Mapped[str | None] = mapped_column(String(100))
    function: Mapped[str | None] = mapped_column(String(200))
    email: Mapped[str | None] = mapped_column(String(200))
    phone: Mapped[str | None] = mapped_column(String(100))
    notes: Mapped[str | None] = mapped_column(Text)
    actor_id: Mapped[int | None] = mapped_column(ForeignKey("actor.id", ondelete="SET NULL"))
    partnership_id: Mapped[int | None] = mapped_column(
        ForeignKey("partnership.id", ondelete="SET NULL")
    )

    actor: Mapped[Actor | None] = relationship(back_populates="contacts")
    partnership: Mapped[Partnership | None] = relationship(back_populates="contacts")


class Activity(Record, Base):
    """One dated entry of a partnership's timeline."""

    __tablename__ = "activity"

    partnership_id: Mapped[int] = mapped_column(ForeignKey("partnership.id", ondelete="CASCADE"))
    date: Mapped[date] = mapped_column(Date)
    date_precision: Mapped[str] = mapped_column(String(8), default=DatePrecision.DAY.value)
    kind: Mapped[str] = mapped_column(String(32), default=ActivityKind.OTHER.value)
    title: Mapped[str] = mapped_column(String(300))
    location: Mapped[str | None] = mapped_column(String(200))
    participants: Mapped[str | None] = mapped_column(Text)
    outcome: Mapped[str | None] = mapped_column(Text)
    description: Mapped[str | None] = mapped_column(Text)

    partnership: Mapped[Partnership] = relationship(back_populates="activities")


class Source(Record, Base):
    """A citation: who said what, where, when it was read."""

    __tablename__ = "source"

    author: Mapped[str | None] = mapped_column(String(300))  # author or publisher
    title: Mapped[str] = mapped_column(String(500))
    year: Mapped[int | None] = mapped_column(Integer)
    url: Mapped[str | None] = mapped_column(String(1000))
    accessed_on: Mapped[date | None] = mapped_column(Date)
    note: Mapped[str | None] = mapped_column(Text)


class Attachment(Record, Base):
    """A file stored in the database itself, so a copied database file carries it."""

    __tablename__ = "attachment"

    file_name: Mapped[str] = mapped_column(String(300))
    media_type: Mapped[str] = mapped_column(String(100), default="application/octet-stream")
    size: Mapped[int] = mapped_column(Integer)
    sha256: Mapped[str] = mapped_column(String(64), index=True)
    data: Mapped[bytes] = mapped_column(LargeBinary)
    description: Mapped[str | None] = mapped_column(Text)
    # Released for the public version of a briefing: its pages cannot be filtered for
    # internal facts or names, so only a file released by hand is listed and appended there.
    public_release: Mapped[bool] = mapped_column(default=False, server_default="0")
    partnership_id: Mapped[int | None] = mapped_column(
        ForeignKey("partnership.id", ondelete="CASCADE")
    )
    dossier_id: Mapped[int | None] = mapped_column(ForeignKey("dossier.id", ondelete="CASCADE"))
    activity_id: Mapped[int | None] = mapped_column(ForeignKey("activity.id", ondelete="CASCADE"))


# The table of each kind of the registry; a stored field the classes above do not declare
# gets its column from the registry (a new field: registry entry plus migration).
MODELS: dict[Kind, type[Record]] = {
    Kind.ACTOR: Actor,
    Kind.PARTNERSHIP: Partnership,
    Kind.SOURCE: Source,
    Kind.ACTIVITY: Activity,
    Kind.CONTACT: Contact,
}
REGISTRY_COLUMNS = add_registry_columns(MODELS)
