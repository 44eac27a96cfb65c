"""Bookkeeping tables: the audit trail, the record of import runs and what imports saw."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, DateTime, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from chinadialog_desktop.domain.enums import ImportStatus
from chinadialog_desktop.persistence.base import Base, Record, utcnow


class AuditEvent(Base):
    """One change of one field of one record (or a whole insert/delete).

    Written by the session hook in ``audit.py`` in the same transaction as the
    change, so the trail and the data can never disagree.
    """

    __tablename__ = "audit_event"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow, index=True)
    user: Mapped[str] = mapped_column(String(200))
    action: Mapped[str] = mapped_column(String(16))
    table_name: Mapped[str] = mapped_column(String(64))
    record_uuid: Mapped[str] = mapped_column(String(36), index=True)
    field: Mapped[str | None] = mapped_column(String(64))
    old_value: Mapped[str | None] = mapped_column(Text)
    new_value: Mapped[str | None] = mapped_column(Text)
    # SHA-256 over the previous event's chain_hash and this event's fields (audit.seal).
    chain_hash: Mapped[str | None] = mapped_column(String(64))


class ImportRun(Record, Base):
    __tablename__ = "import_run"

    started_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    finished_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    user: Mapped[str] = mapped_column(String(200))
    file_name: Mapped[str] = mapped_column(String(500))
    sha256: Mapped[str] = mapped_column(String(64))
    format: Mapped[str] = mapped_column(String(32))
    status: Mapped[str] = mapped_column(String(16), default=ImportStatus.RUNNING.value)
    counts: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    message: Mapped[str | None] = mapped_column(Text)


class ImportFingerprint(Base):
    """What the last import that touched a record saw of it: one row per record UUID.

    ``provided`` fingerprints what the file gave, ``after`` the record right
    after that import; the next import tells "edited locally" from them. Kept
    here, one row per record and overwritten by each import, so the import
    history (``import_run``) holds only a summary of each run.
    """

    __tablename__ = "import_fingerprint"

    record_uuid: Mapped[str] = mapped_column(String(36), primary_key=True)
    provided: Mapped[str] = mapped_column(String(64))
    after: Mapped[str] = mapped_column(String(64))


class CopyOrigin(Base):
    """Where this database was copied from (``db copy``), when, by whom; and its merge back.

    One row in a travel copy, none elsewhere. Never copied itself: a copy of a
    copy records its own origin.
    """

    __tablename__ = "copy_origin"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    copy_uuid: Mapped[str] = mapped_column(String(36), unique=True)
    source: Mapped[str] = mapped_column(String(500))  # as shown to people (no password)
    source_key: Mapped[str] = mapped_column(String(1000))  # server/db or the file's full path
    copied_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    copied_by: Mapped[str] = mapped_column(String(200))
    merged_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    merged_by: Mapped[str | None] = mapped_column(String(200))


class CopyBase(Base):
    """Each record's state when the copy was taken: the base its merge back compares with.

    ``source_digest`` fingerprints the record in the source database (so the
    merge tells whether it changed there since), ``copy_digest`` the same
    record in the copy (so the merge tells whether it was edited offline);
    both as the dataset import fingerprints states (``datasets.state.digest``,
    ``nested.nested_digest``; a template by its content hash).

    ``copy_stamp`` is what SQL alone can tell of the record in the copy (its row id,
    version counter and modification time, and those of its child rows): a merge
    compares it in SQL and fingerprints only the records whose stamp differs
    (``services.travel.stamp_select``). Empty in copies taken before it existed.
    """

    __tablename__ = "copy_base"

    record_key: Mapped[str] = mapped_column(String(300), primary_key=True)  # uuid or urn@version
    kind: Mapped[str] = mapped_column(String(64))
    source_digest: Mapped[str] = mapped_column(String(64))
    copy_digest: Mapped[str] = mapped_column(String(64))
    copy_stamp: Mapped[str | None] = mapped_column(String(500))
