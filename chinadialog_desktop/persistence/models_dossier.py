"""Dossiers: the briefing's content, its sections and linked records."""

from __future__ import annotations

from datetime import date

from sqlalchemy import Date, ForeignKey, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from chinadialog_desktop.domain.enums import (
    Audience,
    Classification,
    DeliberationRole,
    DocumentKind,
    DossierStatus,
    SessionPublicity,
)
from chinadialog_desktop.persistence.base import Base, Record
from chinadialog_desktop.persistence.models_core import Partnership, Source


class Dossier(Record, Base):
    __tablename__ = "dossier"

    title: Mapped[str] = mapped_column(String(300))
    purpose: Mapped[str | None] = mapped_column(Text)
    audience: Mapped[str] = mapped_column(String(32), default=Audience.COUNCIL.value)
    author: Mapped[str | None] = mapped_column(String(200))
    classification: Mapped[str] = mapped_column(String(32), default=Classification.OPEN.value)
    status: Mapped[str] = mapped_column(String(32), default=DossierStatus.DRAFT.value)
    # The header of a council document (Vorlage), see DOMAIN.md §1.
    document_kind: Mapped[str] = mapped_column(
        String(32), default=DocumentKind.INFORMATION.value, server_default="information"
    )
    file_number: Mapped[str | None] = mapped_column(String(64))  # Drucksachen-Nr.
    lead_office: Mapped[str | None] = mapped_column(String(200))  # federführende Stelle
    responsible: Mapped[str | None] = mapped_column(String(200))
    is_public: Mapped[bool] = mapped_column(default=True, server_default="1")
    proposed_resolution: Mapped[str | None] = mapped_column(Text)  # Beschlussvorschlag
    # Finanzielle Auswirkungen (rules: domain.finance): ja/nein (None: not stated yet),
    # Haushaltsjahr, Produkt/Kostenstelle, einmalig/laufend, Betrag in euro cents.
    financial_impact: Mapped[str | None] = mapped_column(String(8))
    financial_year: Mapped[int | None] = mapped_column(Integer)
    financial_item: Mapped[str | None] = mapped_column(String(200))
    financial_recurrence: Mapped[str | None] = mapped_column(String(16))
    financial_amount: Mapped[int | None] = mapped_column(Integer)  # cents, never a float
    financial_effects: Mapped[str | None] = mapped_column(Text)  # the Erläuterung
    # Datum der Vorlage: the paper's own date; None: the day of the export.
    document_date: Mapped[date | None] = mapped_column(Date)
    city: Mapped[str | None] = mapped_column(String(200))  # Stadt / Gemeinde / Kreis
    department: Mapped[str | None] = mapped_column(String(200))  # Dezernat / Amt

    deliberations: Mapped[list[Deliberation]] = relationship(
        back_populates="dossier", cascade="all, delete-orphan", order_by="Deliberation.position"
    )
    sections: Mapped[list[DossierSection]] = relationship(
        back_populates="dossier", cascade="all, delete-orphan", order_by="DossierSection.position"
    )
    partnership_links: Mapped[list[DossierPartnership]] = relationship(
        back_populates="dossier",
        cascade="all, delete-orphan",
        order_by="DossierPartnership.position",
    )
    source_links: Mapped[list[DossierSource]] = relationship(
        back_populates="dossier", cascade="all, delete-orphan", order_by="DossierSource.number"
    )


class DossierSection(Record, Base):
    """One text section (Zusammenfassung, Hintergrund, …).

    ``body`` holds a small, safe markup: paragraphs separated by blank lines,
    ``- `` list items, ``**bold**`` and ``*italic*``. The PDF builder renders
    it; nothing in it is ever interpreted as HTML.
    """

    __tablename__ = "dossier_section"
    __table_args__ = (UniqueConstraint("dossier_id", "key"),)

    dossier_id: Mapped[int] = mapped_column(ForeignKey("dossier.id", ondelete="CASCADE"))
    key: Mapped[str] = mapped_column(String(32))
    position: Mapped[int] = mapped_column(Integer, default=0)
    body: Mapped[str] = mapped_column(Text, default="")
    internal: Mapped[bool] = mapped_column(default=False)  # left out of the public version

    dossier: Mapped[Dossier] = relationship(back_populates="sections")


class DossierPartnership(Record, Base):
    __tablename__ = "dossier_partnership"
    __table_args__ = (UniqueConstraint("dossier_id", "partnership_id"),)

    dossier_id: Mapped[int] = mapped_column(ForeignKey("dossier.id", ondelete="CASCADE"))
    partnership_id: Mapped[int] = mapped_column(ForeignKey("partnership.id", ondelete="CASCADE"))
    position: Mapped[int] = mapped_column(Integer, default=0)

    dossier: Mapped[Dossier] = relationship(back_populates="partnership_links")
    partnership: Mapped[Partnership] = relationship()


class DossierSource(Record, Base):
    """A source cited by a dossier, with the number the text cites it by."""

    __tablename__ = "dossier_source"
    __table_args__ = (UniqueConstraint("dossier_id", "source_id"),)

    dossier_id: Mapped[int] = mapped_column(ForeignKey("dossier.id", ondelete="CASCADE"))
    source_id: Mapped[int] = mapped_column(ForeignKey("source.id", ondelete="RESTRICT"))
    number: Mapped[int] = mapped_column(Integer)

    dossier: Mapped[Dossier] = relationship(back_populates="source_links")
    source: Mapped[Source] = relationship()


class Deliberation(Record, Base):
    """One step of the Beratungsfolge: which body deliberates when, and in what role."""

    __tablename__ = "deliberation"

    dossier_id: Mapped[int] = mapped_column(ForeignKey("dossier.id", ondelete="CASCADE"))
    position: Mapped[int] = mapped_column(Integer, default=0)
    body: Mapped[str] = mapped_column(String(200))  # Gremium
    meeting_on: Mapped[date | None] = mapped_column(Date)
    role: Mapped[str] = mapped_column(String(32), default=DeliberationRole.DECISION.value)
    status: Mapped[str | None] = mapped_column(String(100))
    # öffentlich / nichtöffentlich in this Gremium; "as_dossier" follows Dossier.is_public.
    publicity: Mapped[str] = mapped_column(
        String(16), default=SessionPublicity.AS_DOSSIER.value, server_default="as_dossier"
    )

    dossier: Mapped[Dossier] = relationship(back_populates="deliberations")
