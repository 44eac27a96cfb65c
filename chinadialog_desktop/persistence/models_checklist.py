"""Checklist templates and assessments (tables only; behaviour lives in services)."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from sqlalchemy import (
    JSON,
    Date,
    DateTime,
    ForeignKey,
    Integer,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from chinadialog_desktop.domain.enums import AssessmentStatus, Classification, Severity
from chinadialog_desktop.persistence.base import Base, Record


class ChecklistTemplate(Record, Base):
    """One published version of a guardrail checklist."""

    __tablename__ = "checklist_template"
    __table_args__ = (UniqueConstraint("template_key", "template_version"),)

    template_key: Mapped[str] = mapped_column(String(200))  # URN-like, stable
    template_version: Mapped[int] = mapped_column(Integer)
    title_de: Mapped[str] = mapped_column(String(300))
    title_en: Mapped[str | None] = mapped_column(String(300))
    description_de: Mapped[str | None] = mapped_column(Text)
    description_en: Mapped[str | None] = mapped_column(Text)
    publisher: Mapped[str | None] = mapped_column(String(300))
    published_on: Mapped[date | None] = mapped_column(Date)
    licence: Mapped[str | None] = mapped_column(String(200))
    answer_scale: Mapped[list[dict[str, Any]]] = mapped_column(JSON, default=list)
    references: Mapped[list[dict[str, Any]]] = mapped_column(JSON, default=list)
    sha256: Mapped[str | None] = mapped_column(String(64))

    sections: Mapped[list[ChecklistSection]] = relationship(
        back_populates="template",
        cascade="all, delete-orphan",
        order_by="ChecklistSection.position",
    )
    items: Mapped[list[ChecklistItem]] = relationship(
        back_populates="template", cascade="all, delete-orphan", order_by="ChecklistItem.position"
    )


class ChecklistSection(Record, Base):
    """A field of action within a template."""

    __tablename__ = "checklist_section"
    __table_args__ = (UniqueConstraint("template_id", "section_key"),)

    template_id: Mapped[int] = mapped_column(
        ForeignKey("checklist_template.id", ondelete="CASCADE")
    )
    section_key: Mapped[str] = mapped_column(String(100))
    position: Mapped[int] = mapped_column(Integer, default=0)
    title_de: Mapped[str] = mapped_column(String(300))
    title_en: Mapped[str | None] = mapped_column(String(300))
    # None: a risk section (every section before schema 0007); "chance": the chance side.
    kind: Mapped[str | None] = mapped_column(String(16))

    template: Mapped[ChecklistTemplate] = relationship(back_populates="sections")


class ChecklistItem(Record, Base):
    __tablename__ = "checklist_item"
    __table_args__ = (UniqueConstraint("template_id", "item_key"),)

    template_id: Mapped[int] = mapped_column(
        ForeignKey("checklist_template.id", ondelete="CASCADE")
    )
    section_key: Mapped[str] = mapped_column(String(100))
    item_key: Mapped[str] = mapped_column(String(100))
    position: Mapped[int] = mapped_column(Integer, default=0)
    question_de: Mapped[str] = mapped_column(Text)
    question_en: Mapped[str | None] = mapped_column(Text)
    guidance_de: Mapped[str | None] = mapped_column(Text)
    guidance_en: Mapped[str | None] = mapped_column(Text)
    severity: Mapped[str] = mapped_column(String(16), default=Severity.MEDIUM.value)
    blocker: Mapped[bool] = mapped_column(default=False)
    # Answers that exclude (a blocker hit); None: every answer with risk points.
    blocker_answers: Mapped[list[str] | None] = mapped_column(JSON)
    # Per-item scale override and risk points, e.g. {"no": 3, "unknown": 2}.
    answer_scale: Mapped[list[dict[str, Any]] | None] = mapped_column(JSON)
    risk_points: Mapped[dict[str, int]] = mapped_column(JSON, default=dict)
    # Chance points of an item in a chance section, e.g. {"realised": 3}; None otherwise.
    chance_points: Mapped[dict[str, int] | None] = mapped_column(JSON)
    applies_to: Mapped[list[str]] = mapped_column(JSON, default=list)  # partnership types
    depends_on: Mapped[dict[str, Any] | None] = mapped_column(JSON)
    source_refs: Mapped[list[str]] = mapped_column(JSON, default=list)

    template: Mapped[ChecklistTemplate] = relationship(back_populates="items")


class Assessment(Record, Base):
    """A Prüfung: one partnership (or dossier) assessed with one template version."""

    __tablename__ = "assessment"

    title: Mapped[str] = mapped_column(String(300))
    template_id: Mapped[int] = mapped_column(
        ForeignKey("checklist_template.id", ondelete="RESTRICT")
    )
    partnership_id: Mapped[int | None] = mapped_column(
        ForeignKey("partnership.id", ondelete="CASCADE")
    )
    dossier_id: Mapped[int | None] = mapped_column(ForeignKey("dossier.id", ondelete="CASCADE"))
    revision: Mapped[int] = mapped_column(Integer, default=1)
    previous_id: Mapped[int | None] = mapped_column(
        ForeignKey("assessment.id", ondelete="SET NULL")
    )
    status: Mapped[str] = mapped_column(String(16), default=AssessmentStatus.OPEN.value)
    # VS-NfD: on a team server only cleared roles see it (row-level security, db/team/).
    classification: Mapped[str] = mapped_column(
        String(32), default=Classification.OPEN.value, server_default=Classification.OPEN.value
    )
    reviewed_by: Mapped[str | None] = mapped_column(String(200))
    reviewed_on: Mapped[date | None] = mapped_column(Date)
    signed_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    archive_note: Mapped[str | None] = mapped_column(Text)

    template: Mapped[ChecklistTemplate] = relationship()
    answers: Mapped[list[AssessmentAnswer]] = relationship(
        back_populates="assessment", cascade="all, delete-orphan"
    )


class AssessmentAnswer(Record, Base):
    """The answer to one item, keyed by the item's stable id so it survives upgrades."""

    __tablename__ = "assessment_answer"
    __table_args__ = (UniqueConstraint("assessment_id", "item_key"),)

    assessment_id: Mapped[int] = mapped_column(ForeignKey("assessment.id", ondelete="CASCADE"))
    item_key: Mapped[str] = mapped_column(String(100))
    answer: Mapped[str | None] = mapped_column(String(32))
    evidence: Mapped[str | None] = mapped_column(Text)
    responsible: Mapped[str | None] = mapped_column(String(200))
    due_on: Mapped[date | None] = mapped_column(Date)
    review_by: Mapped[date | None] = mapped_column(Date)
    reconfirm: Mapped[bool] = mapped_column(default=False)
    changed_item: Mapped[bool] = mapped_column(default=False)  # wording/scale changed on upgrade
    answered_by: Mapped[str | None] = mapped_column(String(200))
    answered_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    source_ids: Mapped[list[str]] = mapped_column(JSON, default=list)  # Source UUIDs
    attachment_ids: Mapped[list[str]] = mapped_column(JSON, default=list)  # Attachment UUIDs
    note: Mapped[str | None] = mapped_column(Text)

    assessment: Mapped[Assessment] = relationship(back_populates="answers")
