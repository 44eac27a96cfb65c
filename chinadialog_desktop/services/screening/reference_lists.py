"""Reference lists for screening: import FollowTheMoney files as versioned lists, list, remove."""

from __future__ import annotations

import sqlite3
import tempfile
from collections import Counter
from collections.abc import Iterator, Sequence
from contextlib import ExitStack, contextmanager
from dataclasses import asdict, dataclass, field
from datetime import date, datetime
from pathlib import Path
from typing import Any

from sqlalchemy import Connection, func, select
from sqlalchemy.orm import Session

from chinadialog_desktop.domain.enums import ImportStatus
from chinadialog_desktop.errors import NotFound, UserError
from chinadialog_desktop.i18n import _
from chinadialog_desktop.interchange import ftm
from chinadialog_desktop.interchange.problems import ProblemList
from chinadialog_desktop.jobs import CancelCheck as Cancel
from chinadialog_desktop.jobs import Cancelled, Progress
from chinadialog_desktop.persistence import audit, rawsql
from chinadialog_desktop.persistence.audit import current_user
from chinadialog_desktop.persistence.backup import make_backup
from chinadialog_desktop.persistence.base import new_uuid, utcnow
from chinadialog_desktop.persistence.database import Database
from chinadialog_desktop.persistence.models_reference import ReferenceEntity, ReferenceList
from chinadialog_desktop.persistence.models_system import ImportRun
from chinadialog_desktop.persistence.server import analyze_after_bulk
from chinadialog_desktop.services.screening.index import (
    IndexCancelled,
    IndexedBefore,
    build_list_index,
    forget_names,
    index_is_current,
    indexed_before,
    update_list_index,
)
from chinadialog_desktop.services.screening.list_locks import lock_list

BATCH = 5000
WRITE_CACHE_KIB = 16_384  # SQLite page cache while an import writes (rawsql.page_cache)
INCREMENTAL_MAX = 20_000  # new + changed + removed entities the index is updated for
CATEGORIES = ("designation", "assessment")
# Topics of legal acts (sanctions, export control, debarment); the rest are assessments.
DESIGNATION_TOPICS = ("sanction", "export.control", "debarment", "invest.ban", "crime")

DRY_RUN = "dry-run"
COMMITTED = ImportStatus.COMMITTED.value
REJECTED = "rejected"
CANCELLED = ImportStatus.CANCELLED.value

_STAGE_COLUMNS = (
    "entity_key",
    "schema",
    "caption",
    "names",
    "weak_aliases",
    "countries",
    "topics",
    "identifiers",
    "properties",
    "first_seen",
    "last_seen",
    "last_change",
    "content_hash",
)
_DATA_COLUMNS = _STAGE_COLUMNS[1:]
_UUID_SQL = (
    "lower(hex(randomblob(4))) || '-' || lower(hex(randomblob(2))) || '-4' || "
    "substr(lower(hex(randomblob(2))), 2) || '-' || "
    "substr('89ab', 1 + (abs(random()) % 4), 1) || substr(lower(hex(randomblob(2))), 2) || '-' || "
    "lower(hex(randomblob(6)))"
)
_INSERT_SQL = (
    "INSERT INTO reference_entity (uuid, version, list_id, created_at, modified_at, "
    + ", ".join(_STAGE_COLUMNS)
    + f") VALUES ({_UUID_SQL}, 1, ?, ?, ?, "
    + ", ".join("?" for _c in _STAGE_COLUMNS)
    + ")"
)
_UPDATE_SQL = (
    "UPDATE reference_entity SET "
    + ", ".join(f"{c} = ?" for c in _DATA_COLUMNS)
    + ", modified_at = ?, version = version + 1 WHERE id = ?"
)


_ENTITY_COLUMNS = ("uuid", "version", "list_id", "created_at", "modified_at", *_STAGE_COLUMNS)


def _insert_entities(conn: Connection, rows: Sequence[Sequence[Any]]) -> None:
    """Append new entities: ``(list_id, created, modified, *stage columns)`` each.

    On SQLite the uuids are drawn inside the statement; on PostgreSQL the rows are
    copied in (``COPY``), each with a uuid drawn here."""
    if not rawsql.is_server(conn):
        conn.exec_driver_sql(_INSERT_SQL, rows)
        return
    rawsql.bulk_insert(
        conn, "reference_entity", _ENTITY_COLUMNS, ((new_uuid(), 1, *r) for r in rows)
    )


@dataclass
class ReferenceImportResult:
    """What an import (or dry run) found and did.

    ``new_keys``/``updated_keys``/``removed_keys`` are the entity keys (FtM ids)
    that the screening must look at again after a committed import.
    """

    status: str
    file_name: str
    sha256: str = ""
    format: str = ftm.FORMAT
    list_key: str | None = None
    name: str | None = None
    source: str | None = None
    list_date: date | None = None
    category: str | None = None
    total: int = 0
    new: int = 0
    updated: int = 0
    unchanged: int = 0
    removed: int = 0
    skipped: int = 0  # well-formed entities left out (unknown schema, impossible date)
    # Another file already holds this dataset name: importing would replace it.
    replace_needed: bool = False
    new_keys: list[str] = field(default_factory=list)
    updated_keys: list[str] = field(default_factory=list)
    removed_keys: list[str] = field(default_factory=list)
    problems: ProblemList = field(default_factory=ProblemList)
    list_id: int | None = None
    import_run_id: int | None = None
    backup_path: Path | None = None

    @property
    def ok(self) -> bool:
        return self.status in (DRY_RUN, COMMITTED)

    @property
    def changed_keys(self) -> list[str]:
        """New and updated entity keys: what to screen again."""
        return self.new_keys + self.updated_keys

    @property
    def counts(self) -> dict[str, int]:
        return {
            "total": self.total,
            "new": self.new,
            "updated": self.updated,
            "unchanged": self.unchanged,
            "removed": self.removed,
        }

    def as_json(self, *, keys: bool = False) -> dict[str, Any]:
        data: dict[str, Any] = {
            "status": self.status,
            "file_name": self.file_name,
            "sha256": self.sha256,
            "format": self.format,
            "list_key": self.list_key,
            "name": self.name,
            "source": self.source,
            "list_date": self.list_date.isoformat() if self.list_date else None,
            "category": self.category,
            "counts": self.counts,
            "skipped": self.skipped,
            "list_id": self.list_id,
            "import_run_id": self.import_run_id,
            "backup": str(self.backup_path) if self.backup_path else None,
            "problems": self.problems.to_dicts(),
            "problems_total": self.problems.total,
        }
        if keys:
            data["new_keys"] = self.new_keys
            data["updated_keys"] = self.updated_keys
            data["removed_keys"] = self.removed_keys
        return data


@dataclass
class _Staged:
    """The file, validated and written row by row into a private scratch database."""

    conn: sqlite3.Connection
    reader: ftm.FtmReader
    last_change: str | None = None
    topics: Counter[str] = field(default_factory=Counter)


def _row(e: ftm.FtmEntity) -> tuple[Any, ...]:
    return (
        e.id,
        e.schema,
        e.caption,
        ftm.texts_json(e.names),
        ftm.texts_json(e.weak_aliases),
        ftm.texts_json(e.countries),
        ftm.texts_json(e.topics),
        ftm.properties_json(e.identifiers, sort=False),
        e.properties_json,
        e.first_seen,
        e.last_seen,
        e.last_change,
        e.content_hash,
    )


def _open_stage(folder: Path) -> sqlite3.Connection:
    conn = sqlite3.connect(folder / "stage.sqlite3", isolation_level=None)
    conn.execute("PRAGMA journal_mode = OFF")
    conn.execute("PRAGMA synchronous = OFF")
    conn.execute(
        "CREATE TABLE stage (" + ", ".join(_STAGE_COLUMNS) + ", action TEXT, target_id INTEGER)"
    )
    return conn


def _stage(
    path: Path,
    label: str,
    folder: Path,
    problems: ProblemList,
    limits: ftm.FtmLimits | None,
    progress: Progress | None,
    cancel: Cancel | None,
) -> _Staged:
    reader = ftm.FtmReader(path, limits=limits, problems=problems, display_name=label)
    staged = _Staged(_open_stage(folder), reader)
    marks = ", ".join("?" * len(_STAGE_COLUMNS))
    insert = f"INSERT INTO stage ({', '.join(_STAGE_COLUMNS)}) VALUES ({marks})"
    batch: list[tuple[Any, ...]] = []
    conn = staged.conn
    conn.execute("BEGIN")

    def flush() -> None:
        if not problems.has_errors:
            conn.executemany(insert, batch)
        batch.clear()
        if progress:
            progress(reader.consumed, reader.size, _("Reading {file} …").format(file=label))
        if cancel and cancel():
            raise Cancelled

    try:
        for entity in reader:
            if problems.has_errors:  # keep validating, stop collecting
                continue
            batch.append(_row(entity))
            staged.topics.update(entity.properties.get("topics", ()))
            if entity.last_change and (
                staged.last_change is None or entity.last_change > staged.last_change
            ):
                staged.last_change = entity.last_change
            if len(batch) >= BATCH:
                flush()
        flush()
        conn.execute("COMMIT")
    except BaseException:
        conn.close()
        raise
    return staged


def _derive_key(path: Path, reader: ftm.FtmReader) -> str:
    if reader.dataset_counts:
        return max(reader.dataset_counts.items(), key=lambda kv: (kv[1], kv[0]))[0]
    name = path.name
    for suffix in (".gz", ".jsonl", ".json", ".ftm", ".entities"):
        if name.lower().endswith(suffix):
            name = name[: -len(suffix)]
    return name or path.name


def _derive_date(stamp: str | None) -> date | None:
    if not stamp:
        return None
    try:
        return date.fromisoformat(stamp[:10])
    except ValueError:
        return None


def _derive_category(topics: Counter[str]) -> str:
    if any(t.startswith(DESIGNATION_TOPICS) for t in topics):
        return "designation"
    return "assessment" if topics else "designation"


def _bind_datetime(dialect: Any, value: datetime) -> Any:
    """A datetime as the dialect stores it (raw SQL bypasses the column types)."""
    kind = ReferenceEntity.__table__.c.modified_at.type
    process = kind.dialect_impl(dialect).bind_processor(dialect)
    return process(value) if process else value


def _database_path(session: Session) -> Path | None:
    """The file behind a caller's session (to back it up); None for a team server, whose
    backups are the server's job (and whose URL names a database, not a file)."""
    engine = session.get_bind().engine
    if engine.dialect.name != "sqlite":
        return None
    database = engine.url.database
    if not database or database == ":memory:":
        return None
    return Path(database)


# What an import writes in bulk: the entities and the screening index's tables.
_ANALYSED = ("reference_entity", "screening_key", "screening_near", "screening_entity")


@contextmanager
def _unit_of_work(db_or_session: Database | Session) -> Iterator[Session]:
    """Our own transaction on a Database; a savepoint in a caller's session."""
    if isinstance(db_or_session, Database):
        with db_or_session.session() as session:
            yield session
    else:
        with db_or_session.begin_nested():
            yield db_or_session


def import_reference_list(
    db_or_session: Database | Session,
    path: Path | str,
    *,
    list_key: str | None = None,
    name: str | None = None,
    source: str | None = None,
    list_date: date | None = None,
    category: str | None = None,
    dry_run: bool = False,
    progress: Progress | None = None,
    cancel: Cancel | None = None,
    limits: ftm.FtmLimits | None = None,
    user: str | None = None,
    backup: bool = True,
    display_name: str | None = None,
    replace: bool = False,
) -> ReferenceImportResult:
    """Import a FollowTheMoney entity file as (a new version of) one reference list.

    Nothing is written unless the whole file is valid. A dry run only counts.
    A real import backs the database up, then writes in one transaction:
    new entities inserted, changed ones updated in place, vanished ones
    removed, unchanged ones left alone; the run is recorded as an ImportRun.
    ``cancel`` returning True rolls everything back.

    ``db_or_session``: with a Database the import is its own transaction; with
    a Session it runs in a savepoint of the caller's transaction (the caller
    commits), e.g. one member of a dataset package. ``backup=False`` when the
    caller has already backed up; ``display_name`` names the file in problems
    and in the ImportRun (e.g. ``"paket.zip/entities.ftm.json"``).
    """
    path = Path(path)
    label = display_name or path.name
    result = ReferenceImportResult(status=REJECTED, file_name=label)
    problems = result.problems
    if category is not None and category not in CATEGORIES:
        raise UserError(
            _("Unknown category '{category}' (designation or assessment).").format(
                category=category
            )
        )
    if not path.is_file():
        problems.error(_("the file does not exist or cannot be read"), file=label)
        return result
    started = utcnow()
    with tempfile.TemporaryDirectory(prefix="chinadialog-ftm-") as tmp:
        try:
            staged = _stage(path, label, Path(tmp), problems, limits, progress, cancel)
        except Cancelled:
            result.status = CANCELLED
            return result
        except OSError as exc:  # unreadable file, or no room for the scratch copy
            problems.error(
                _("the file could not be read: {reason}").format(reason=exc.strerror or exc),
                file=label,
                code="file.unreadable",
            )
            return result
        try:
            reader = staged.reader
            result.sha256 = reader.sha256
            result.total = reader.entities
            result.skipped = reader.skipped
            if not problems.has_errors and reader.entities == 0:
                problems.error(_("the file holds no entities"), file=label, code="ftm.empty")
            if problems.has_errors:
                return result
            key = (list_key or _derive_key(path, reader)).strip()
            if not key or len(key) > 200:
                problems.error(
                    _("the list key must be 1 to 200 characters"), file=label, key="list_key"
                )
                return result
            result.list_key = key
            try:
                _apply(
                    db_or_session,
                    staged,
                    result,
                    name=name,
                    source=source,
                    list_date=list_date,
                    category=category,
                    dry_run=dry_run,
                    progress=progress,
                    cancel=cancel,
                    user=user or current_user(),
                    started=started,
                    backup=backup,
                    replace=replace or list_key is not None,
                )
            except Cancelled:
                result.status = CANCELLED
                result.list_id = result.import_run_id = None
                result.backup_path = None
        finally:
            staged.conn.close()
    if isinstance(db_or_session, Database) and result.status == COMMITTED:
        # committed: a large change gets the server's planner statistics renewed
        analyze_after_bulk(
            db_or_session.engine,
            _ANALYSED,
            changed=result.new + result.updated + result.removed,
            total=result.total,
        )
    return result


def _apply(
    db_or_session: Database | Session,
    staged: _Staged,
    result: ReferenceImportResult,
    *,
    name: str | None,
    source: str | None,
    list_date: date | None,
    category: str | None,
    dry_run: bool,
    progress: Progress | None,
    cancel: Cancel | None,
    user: str,
    started: datetime,
    backup: bool,
    replace: bool = True,
) -> None:
    stage = staged.conn
    stage.execute("CREATE UNIQUE INDEX stage_key ON stage (entity_key)")
    with _unit_of_work(db_or_session) as session, audit.deferred(session), ExitStack() as held:
        if not dry_run:  # on a team server: this list alone, until the commit
            lock_list(session, result.list_key or "")
        existing_list = session.scalar(
            select(ReferenceList).where(ReferenceList.list_key == result.list_key)
        )
        existing: dict[str, tuple[int, str]] = {}
        if existing_list is not None:
            for eid, ekey, ehash in session.execute(
                select(
                    ReferenceEntity.id, ReferenceEntity.entity_key, ReferenceEntity.content_hash
                ).where(ReferenceEntity.list_id == existing_list.id)
            ):
                existing[ekey] = (eid, ehash)
        updates: list[tuple[str, int]] = []
        for skey, shash in stage.execute("SELECT entity_key, content_hash FROM stage"):
            found = existing.pop(skey, None)
            if found is None:
                result.new_keys.append(skey)
            elif found[1] != shash:
                updates.append((skey, found[0]))
            else:
                result.unchanged += 1
        result.updated_keys = [k for k, _id in updates]
        result.removed_keys = sorted(existing)
        result.new, result.updated, result.removed = (
            len(result.new_keys),
            len(updates),
            len(existing),
        )
        result.name = name or (existing_list.name if existing_list else None) or result.list_key
        result.source = source or (existing_list.source if existing_list else None)
        result.list_date = (
            list_date
            or _derive_date(staged.last_change)
            or (existing_list.list_date if existing_list else None)
        )
        result.category = (
            category
            or (existing_list.category if existing_list else None)
            or _derive_category(staged.topics)
        )
        if (
            existing_list is not None
            and existing_list.file_name
            and existing_list.file_name != result.file_name
            and result.removed
            and result.removed * 2 >= result.removed + result.updated + result.unchanged
            and not replace
        ):
            # Two files declaring the same dataset name would replace each other silently:
            # a new version of a list (under a new file name) keeps most of its entities,
            # another list that happens to use the same name removes half of them or more.
            result.replace_needed = True
            message = _(
                "the file declares the dataset '{key}', which the list '{name}' from "
                "{file} already uses; importing it would remove {n} of its entities"
            ).format(
                key=result.list_key,
                name=existing_list.name,
                file=existing_list.file_name,
                n=result.removed,
            )
            if dry_run:
                result.problems.warning(message, file=result.file_name, code="reflist.replace")
            else:
                result.problems.error(message, file=result.file_name, code="reflist.replace")
                return
        if dry_run:
            result.status = DRY_RUN
            result.list_id = existing_list.id if existing_list else None
            return
        db_path = (
            db_or_session.path if isinstance(db_or_session, Database) else _database_path(session)
        )
        metadata = {
            "name": result.name or result.list_key or "",
            "source": result.source,
            "list_date": result.list_date,
            "category": result.category or "designation",
            "file_name": result.file_name,
            "file_sha256": result.sha256,
            "entity_count": result.total,
        }
        # Re-importing the same file changes nothing: no backup (it would push an older,
        # useful one out of the rotation), and the list row is left alone, too.
        changes = bool(
            existing_list is None
            or result.new
            or result.updated
            or result.removed
            or any(getattr(existing_list, k) != v for k, v in metadata.items())
        )
        if backup and db_path is not None and changes:
            result.backup_path = make_backup(db_path, reason="import")
        now = utcnow()
        if existing_list is None:
            existing_list = ReferenceList(list_key=result.list_key, name=result.name)
            session.add(existing_list)
        if changes:
            for k, v in metadata.items():
                setattr(existing_list, k, v)
            existing_list.imported_at = now
        session.flush()
        list_id = existing_list.id
        conn = session.connection()
        held.enter_context(rawsql.page_cache(conn, WRITE_CACHE_KIB))
        stamp = _bind_datetime(conn.dialect, now)
        work = result.new + result.updated + result.removed
        done = 0

        def step(n: int, message: str) -> None:
            nonlocal done
            done += n
            if progress:
                progress(done, work, message)
            if cancel and cancel():
                raise Cancelled

        if cancel and cancel():
            raise Cancelled
        # Was the list's index right before these writes? Then the normalised names of the
        # entities left unchanged stay right, and the rebuild reads them instead of redoing.
        reuse_names = existing_list.id is not None and index_is_current(conn, list_id)
        # A few entities changed (a monthly update): the index is updated for those alone —
        # what it holds for the changed and removed ones is read before they are written.
        # (Their keys are held in memory, ~4 KB an entity: past INCREMENTAL_MAX, or a third
        # of the list, the whole index is rebuilt, in flat memory and hardly slower.)
        before: IndexedBefore | None = None
        kept = result.updated + result.unchanged
        touched = result.new + result.updated + result.removed
        if reuse_names and kept and touched * 3 <= kept and touched <= INCREMENTAL_MAX:
            before = indexed_before(
                conn, [tid for _k, tid in updates] + [eid for eid, _h in existing.values()]
            )
        if result.new:
            if result.unchanged or result.updated:  # mark the new ones in the scratch table
                stage.executemany(
                    "UPDATE stage SET action = 'n' WHERE entity_key = ?",
                    ((k,) for k in result.new_keys),
                )
                where = "WHERE action = 'n'"
            else:
                where = ""
            cur = stage.execute(
                f"SELECT ?, ?, ?, {', '.join(_STAGE_COLUMNS)} FROM stage {where}",
                (list_id, stamp, stamp),
            )
            while rows := cur.fetchmany(BATCH):
                _insert_entities(conn, rows)
                step(len(rows), _("Adding entities …"))
        if updates:
            stage.executemany(
                "UPDATE stage SET action = 'u', target_id = ? WHERE entity_key = ?",
                ((tid, k) for k, tid in updates),
            )
            cur = stage.execute(
                f"SELECT {', '.join(_DATA_COLUMNS)}, ?, target_id FROM stage WHERE action = 'u'",
                (stamp,),
            )
            while rows := cur.fetchmany(BATCH):
                rawsql.run(conn, _UPDATE_SQL, rows)
                step(len(rows), _("Updating entities …"))
        if existing:
            ids = [(eid,) for eid, _h in existing.values()]
            for i in range(0, len(ids), BATCH):
                rawsql.run(conn, "DELETE FROM reference_entity WHERE id = ?", ids[i : i + BATCH])
                step(len(ids[i : i + BATCH]), _("Removing entities …"))
        # The match index of this list version, in the same transaction: it exists
        # exactly when the entities it indexes do (a crash rolls both back).
        if changes or not index_is_current(conn, list_id):

            def indexing(n: int, total: int) -> None:
                if progress:
                    progress(n, total, _("Preparing the list for screening …"))

            try:
                if reuse_names:
                    forget_names(conn, [tid for _k, tid in updates])
                if before is not None:
                    update_list_index(conn, list_id, before, indexing, cancel)
                else:
                    build_list_index(conn, list_id, indexing, cancel, reuse_names=reuse_names)
            except IndexCancelled:
                raise Cancelled from None
        run = ImportRun(
            started_at=started,
            finished_at=utcnow(),
            user=user,
            file_name=result.file_name,
            sha256=result.sha256,
            format=result.format,
            status=COMMITTED,
            counts={"kind": "reference_list", "list_key": result.list_key, **result.counts},
            message=_(
                "Reference list {name}: {new} new, {updated} updated, "
                "{unchanged} unchanged, {removed} removed"
            ).format(name=result.name, **result.counts),
        )
        session.add(run)
        session.flush()
        # One audit event for the whole run (its entities are written in bulk, unaudited).
        audit.record_run(
            session,
            "import_run",
            run.uuid,
            {
                "list_key": result.list_key,
                "file_name": result.file_name,
                "sha256": result.sha256,
                **result.counts,
            },
        )
        if cancel and cancel():
            raise Cancelled
        result.list_id = list_id
        result.import_run_id = run.id
        result.status = COMMITTED


@dataclass
class ReferenceListRow:
    """One imported list, for the list view and ``reflist list``."""

    id: int
    list_key: str
    name: str
    source: str | None
    list_date: date | None
    category: str
    entity_count: int
    file_name: str | None
    imported_at: datetime | None

    def as_json(self) -> dict[str, Any]:
        data = asdict(self)
        data["list_date"] = self.list_date.isoformat() if self.list_date else None
        data["imported_at"] = self.imported_at.isoformat() if self.imported_at else None
        return data


def list_reference_lists(session: Session) -> list[ReferenceListRow]:
    """All imported lists, by name."""
    return [
        ReferenceListRow(
            id=r.id,
            list_key=r.list_key,
            name=r.name,
            source=r.source,
            list_date=r.list_date,
            category=r.category,
            entity_count=r.entity_count,
            file_name=r.file_name,
            imported_at=r.imported_at,
        )
        for r in session.scalars(
            select(ReferenceList).order_by(ReferenceList.name, ReferenceList.id)
        )
    ]


def delete_reference_list(
    db_or_session: Database | Session, list_key: str, *, backup: bool = True
) -> int:
    """Remove a list and its entities (after a backup); returns how many entities went."""
    with _unit_of_work(db_or_session) as session:
        lock_list(session, list_key)
        ref = session.scalar(select(ReferenceList).where(ReferenceList.list_key == list_key))
        if ref is None:
            raise NotFound(_("No reference list with the key '{key}'.").format(key=list_key))
        count = (
            session.scalar(
                select(func.count())
                .select_from(ReferenceEntity)
                .where(ReferenceEntity.list_id == ref.id)
            )
            or 0
        )
        db_path = (
            db_or_session.path if isinstance(db_or_session, Database) else _database_path(session)
        )
        if backup and db_path is not None:
            make_backup(db_path, reason="delete")
        session.delete(ref)
        session.flush()
        return count
