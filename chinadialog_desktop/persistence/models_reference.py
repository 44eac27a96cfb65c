"""Reference lists for screening, screening hits and decisions, and briefing exports."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from sqlalchemy import (
    JSON,
    Date,
    DateTime,
    Float,
    ForeignKey,
    Index,
    Integer,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from chinadialog_desktop.persistence.base import Base, Record


class ReferenceList(Record, Base):
    """An imported list (sanctions, export control, military links …) as one dataset.

    ``list_key`` is stable across versions of the same list (e.g. the FtM
    dataset name); importing a newer version updates the entities in place.
    """

    __tablename__ = "reference_list"

    list_key: Mapped[str] = mapped_column(String(200), unique=True)
    name: Mapped[str] = mapped_column(String(300))
    source: Mapped[str | None] = mapped_column(String(500))  # publisher / URL
    list_date: Mapped[date | None] = mapped_column(Date)
    licence: Mapped[str | None] = mapped_column(String(200))
    # "designation" (legal act: sanctions, export control) or "assessment" (ratings).
    category: Mapped[str] = mapped_column(String(32), default="designation")
    file_name: Mapped[str | None] = mapped_column(String(500))
    file_sha256: Mapped[str | None] = mapped_column(String(64))
    entity_count: Mapped[int] = mapped_column(Integer, default=0)
    imported_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))

    entities: Mapped[list[ReferenceEntity]] = relationship(
        back_populates="reference_list", cascade="all, delete-orphan", passive_deletes=True
    )


class ReferenceEntity(Record, Base):
    """One entity of a reference list, as FollowTheMoney describes it."""

    __tablename__ = "reference_entity"
    __table_args__ = (
        UniqueConstraint("list_id", "entity_key"),
        # The latest change per list at a glance: whether its stored match index is current.
        Index("ix_reference_entity_list_changed", "list_id", "modified_at"),
    )

    list_id: Mapped[int] = mapped_column(
        ForeignKey("reference_list.id", ondelete="CASCADE"), index=True
    )
    entity_key: Mapped[str] = mapped_column(String(200))  # the FtM id
    schema: Mapped[str] = mapped_column(String(64))  # Person, Company, Organization …
    caption: Mapped[str] = mapped_column(String(500))
    names: Mapped[list[str]] = mapped_column(JSON, default=list)  # name + alias + previousName
    weak_aliases: Mapped[list[str]] = mapped_column(JSON, default=list)
    countries: Mapped[list[str]] = mapped_column(JSON, default=list)
    topics: Mapped[list[str]] = mapped_column(JSON, default=list)
    identifiers: Mapped[dict[str, list[str]]] = mapped_column(JSON, default=dict)
    properties: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)  # all, as given
    first_seen: Mapped[str | None] = mapped_column(String(32))
    last_seen: Mapped[str | None] = mapped_column(String(32))
    last_change: Mapped[str | None] = mapped_column(String(32))
    content_hash: Mapped[str] = mapped_column(String(64))  # changes when the entity changes

    reference_list: Mapped[ReferenceList] = relationship(back_populates="entities")


class ScreeningHit(Record, Base):
    """A candidate match between one of our actors/contacts and a reference entity."""

    __tablename__ = "screening_hit"
    __table_args__ = (UniqueConstraint("subject_uuid", "list_key", "entity_key"),)

    subject_kind: Mapped[str] = mapped_column(String(16))  # actor | contact
    subject_uuid: Mapped[str] = mapped_column(String(36), index=True)
    list_key: Mapped[str] = mapped_column(String(200))
    entity_key: Mapped[str] = mapped_column(String(200))
    entity_hash: Mapped[str] = mapped_column(String(64))
    score: Mapped[float] = mapped_column(Float)
    explanation: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    status: Mapped[str] = mapped_column(String(16), default="open")  # open|confirmed|dismissed
    screened_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))


class ScreeningDecision(Record, Base):
    """A reviewer's decision on a pair; reused while the entity stays unchanged."""

    __tablename__ = "screening_decision"

    subject_uuid: Mapped[str] = mapped_column(String(36), index=True)
    list_key: Mapped[str] = mapped_column(String(200))
    entity_key: Mapped[str] = mapped_column(String(200))
    entity_hash: Mapped[str] = mapped_column(String(64))
    decision: Mapped[str] = mapped_column(String(16))  # confirmed | dismissed
    reason: Mapped[str] = mapped_column(Text)
    decided_by: Mapped[str] = mapped_column(String(200))
    decided_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))


class ScreeningCheck(Record, Base):
    """When an actor or contact was last screened against a list, and which version of it.

    Written by every screening run, also when nothing matched, so a briefing can say
    who was checked against what, and when; one row per subject and list.
    """

    __tablename__ = "screening_check"
    __table_args__ = (UniqueConstraint("subject_uuid", "list_key"),)

    subject_uuid: Mapped[str] = mapped_column(String(36), index=True)
    list_key: Mapped[str] = mapped_column(String(200))
    list_date: Mapped[date | None] = mapped_column(Date)  # the list's "Stand"
    list_sha256: Mapped[str | None] = mapped_column(String(64))  # the imported file
    checked_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))


class BriefingExport(Record, Base):
    """One exported briefing: options, file hash and the content it was built from."""

    __tablename__ = "briefing_export"

    dossier_id: Mapped[int] = mapped_column(ForeignKey("dossier.id", ondelete="CASCADE"))
    exported_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    user: Mapped[str] = mapped_column(String(200))
    options: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    file_name: Mapped[str | None] = mapped_column(String(500))
    sha256: Mapped[str] = mapped_column(String(64))
    page_count: Mapped[int] = mapped_column(Integer, default=0)
    snapshot: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)


# --- the stored match index (derived data: rebuilt from the entities whenever needed) ---


class ScreeningIndexState(Base):
    """The match index of one list version: built in the import's transaction.

    ``matcher`` names the matcher that built it (``domain.matching.index_version()``),
    ``stamp`` the state of the list's entities it was built from (count, highest id,
    latest change); an index of another matcher or another state is rebuilt before use.
    No row: not built (yet)."""

    __tablename__ = "screening_index"

    list_id: Mapped[int] = mapped_column(
        ForeignKey("reference_list.id", ondelete="CASCADE"), primary_key=True
    )
    matcher: Mapped[str] = mapped_column(String(100))
    stamp: Mapped[str] = mapped_column(String(200))
    entity_count: Mapped[int] = mapped_column(Integer)
    key_count: Mapped[int] = mapped_column(Integer)
    built_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))


class ScreeningKey(Base):
    """One lookup key of a list's names (a word, joined name, syllable set, characters,
    identifier …): how many entities carry it and which (entity ids, ascending, "1,5,9")."""

    __tablename__ = "screening_key"
    __table_args__ = {"sqlite_with_rowid": False}

    list_id: Mapped[int] = mapped_column(
        ForeignKey("reference_list.id", ondelete="CASCADE"), primary_key=True
    )
    key: Mapped[str] = mapped_column(Text, primary_key=True)
    df: Mapped[int] = mapped_column(Integer)
    ids: Mapped[str] = mapped_column(Text)


class ScreeningNear(Base):
    """A word of the list with one letter dropped → the words it came from ("huwei" →
    "huawei"), for finding names one typo away."""

    __tablename__ = "screening_near"
    __table_args__ = {"sqlite_with_rowid": False}

    list_id: Mapped[int] = mapped_column(
        ForeignKey("reference_list.id", ondelete="CASCADE"), primary_key=True
    )
    variant: Mapped[str] = mapped_column(Text, primary_key=True)
    words: Mapped[str] = mapped_column(Text)  # space-separated


class ScreeningEntityNames(Base):
    """An entity's names as the matcher normalised them (JSON), so a query need not."""

    __tablename__ = "screening_entity"

    entity_id: Mapped[int] = mapped_column(
        ForeignKey("reference_entity.id", ondelete="CASCADE"), primary_key=True
    )
    names: Mapped[str] = mapped_column(Text)
