"""Import a dataset file: read, map, dry-run, and commit all or nothing after a backup."""

from __future__ import annotations

import hashlib
import os
import sqlite3
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from sqlalchemy.orm import Session

from chinadialog_desktop.domain.enums import ImportStatus
from chinadialog_desktop.i18n import _
from chinadialog_desktop.interchange.problems import ProblemList
from chinadialog_desktop.persistence.audit import current_user
from chinadialog_desktop.persistence.backup import make_backup
from chinadialog_desktop.persistence.base import utcnow
from chinadialog_desktop.persistence.database import Database
from chinadialog_desktop.persistence.engine import BUSY_TIMEOUT_MS
from chinadialog_desktop.persistence.models import ImportRun
from chinadialog_desktop.services.datasets.apply import MINE, THEIRS, apply_plan, decision
from chinadialog_desktop.services.datasets.kinds import MIXED
from chinadialog_desktop.services.datasets.mapping import ColumnMapping
from chinadialog_desktop.services.datasets.merge import Cancelled, Plan, Progress, make_plan
from chinadialog_desktop.services.datasets.nested_merge import apply_nested, plan_nested

# ImportOptions is declared beside the reader (which takes it); callers import it from here.
from chinadialog_desktop.services.datasets.read import ImportOptions as ImportOptions
from chinadialog_desktop.services.datasets.read import ReadResult, read_dataset, stream_csv
from chinadialog_desktop.services.datasets.state import BASES_OVERRIDE, store_fingerprints

REJECTED, DRY_RUN, COMMITTED, CANCELLED, NEEDS_DECISION = (
    "rejected",
    "dry_run",
    "committed",
    "cancelled",
    "needs_decision",
)


class _Rejected(Exception):
    """A problem found while writing: the transaction is rolled back."""


@dataclass
class ImportResult:
    status: str
    file_name: str
    sha256: str
    format: str | None
    problems: ProblemList
    plan: Plan | None = None
    mappings: list[ColumnMapping] = field(default_factory=list)
    run_id: int | None = None
    backup_path: Path | None = None
    reference_results: list[Any] = field(default_factory=list)
    # uuid → how each conflict was decided in the import written ("mine" or "theirs")
    decisions: dict[str, str] = field(default_factory=dict)

    @property
    def mixed(self) -> bool:
        """Whether the file was a list of persons and organisations (column "Art")."""
        return any(m.kind.key == MIXED.key for m in self.mappings)

    @property
    def ok(self) -> bool:
        return self.status in (DRY_RUN, COMMITTED)

    def counts(self) -> dict[str, Any]:
        if self.plan is None:
            return {}
        return {"total": self.plan.totals(), "kinds": self.plan.counts()}

    def kind_counts(self) -> dict[str, dict[str, int]]:
        """Per kind, as shown: after an import written, each decided conflict counted as what
        became of it (see ``Plan.counts``)."""
        if self.plan is None:
            return {}
        return self.plan.counts(self.decisions if self.status == COMMITTED else None)

    def as_json(self) -> dict[str, Any]:
        return {
            "status": self.status,
            "file_name": self.file_name,
            "sha256": self.sha256,
            "format": self.format,
            "counts": self.counts(),
            "mappings": [m.as_dict() for m in self.mappings],
            "conflicts": [
                {
                    "uuid": c.uuid,
                    "kind": c.kind,
                    "label": c.label,
                    "changes": [
                        {"field": ch.field, "mine": ch.mine, "theirs": ch.theirs}
                        for ch in c.changes
                    ],
                }
                for c in (self.plan.conflicts() if self.plan else [])
            ],
            "problems": self.problems.to_dicts(),
            "problems_total": self.problems.total,
            "run_id": self.run_id,
            "backup": str(self.backup_path) if self.backup_path else None,
        }


def display_name(path: Path) -> str:
    """The file's name as text that can be shown and stored, whatever bytes it is made of.

    A name that is not valid UTF-8 (copied from an old Windows disk or ZIP) is
    read as Windows-1252, the usual cause; bytes that fail even there become
    "\ufffd". The file itself is always opened by its real path.
    """
    name = path.name
    try:
        name.encode("utf-8")
    except UnicodeEncodeError:
        raw = os.fsencode(name)
        return raw.decode("windows-1252", errors="replace")
    return name


def _read(
    path: Path, options: ImportOptions, problems: ProblemList
) -> tuple[str, ReadResult | None]:
    """The file's SHA-256 and what was read; a plain UTF-8 CSV file is read while planned."""
    name = display_name(path)
    limits = options.limits
    try:
        size = path.stat().st_size
        if size > limits.max_file_bytes:
            problems.error(
                _("The file is larger than {limit} MB.").format(
                    limit=limits.max_file_bytes // (1024 * 1024)
                ),
                file=name,
                code="file.too_large",
            )
            return "", None
        streamed = stream_csv(path, name, options, problems)
        if streamed is not None:
            return streamed
        data = path.read_bytes()
    except OSError as exc:
        problems.error(
            _("the file does not exist or cannot be read")
            if isinstance(exc, FileNotFoundError)
            else _("The file cannot be read: {reason}").format(reason=exc.strerror or exc),
            file=name,
            code="file.unreadable",
        )
        return "", None
    sha = hashlib.sha256(data).hexdigest()
    return sha, read_dataset(data, name, options, problems)


def _reference_lists(
    session: Any,
    members: list[tuple[str, bytes]],
    file: str,
    problems: ProblemList,
    *,
    dry_run: bool,
    progress: Progress | None,
    cancelled: Callable[[], bool] | None,
) -> list[Any]:
    """Hand FollowTheMoney members of a package to the reference-list importer.

    Each member is written into a private temporary folder (removed afterwards)
    under its base name only, and imported inside the caller's transaction.
    """
    from chinadialog_desktop.services.screening import reference_lists

    results = []
    with tempfile.TemporaryDirectory(prefix="chinadialog-package-") as tmp:
        for name, data in members:
            target = Path(tmp) / (Path(name).name or "list.jsonl")
            target.write_bytes(data)
            r = reference_lists.import_reference_list(
                session,
                target,
                dry_run=dry_run,
                progress=progress,
                cancel=cancelled,
                backup=False,  # the package import has backed up already
                display_name=name,
            )
            for problem in r.problems:
                problems.add(replace(problem, file=file, member=name))
            if r.status == reference_lists.CANCELLED:
                raise Cancelled
            results.append(r)
    return results


def _reference_file(
    db: Database,
    path: Path,
    dry_run: bool,
    progress: Progress | None,
    cancelled: Callable[[], bool] | None,
    result: ImportResult,
) -> ImportResult:
    """A FollowTheMoney file on its own: the reference-list importer does all the work."""
    from chinadialog_desktop.services.screening import reference_lists

    r = reference_lists.import_reference_list(
        db,
        path,
        dry_run=dry_run,
        progress=progress,
        cancel=cancelled,
        display_name=result.file_name,
    )
    result.problems.extend(r.problems)
    result.reference_results.append(r)
    result.run_id = r.import_run_id
    result.backup_path = r.backup_path
    result.status = {
        reference_lists.DRY_RUN: DRY_RUN,
        reference_lists.COMMITTED: COMMITTED,
        reference_lists.CANCELLED: CANCELLED,
    }.get(r.status, REJECTED)
    return result


HISTORY_PROBLEMS = 20


def _summary(problems: ProblemList) -> str | None:
    """What the import history keeps of the problems: the first few and how many in all."""
    if not problems.total:
        return None
    shown = [str(p) for p in list(problems)[:HISTORY_PROBLEMS]]
    rest = problems.total - len(shown)
    if rest > 0:
        shown.append(_("… and {count} more problems not shown").format(count=rest))
    return "\n".join(shown)


def _dry_run(
    db: Database,
    read: ReadResult,
    name: str,
    problems: ProblemList,
    progress: Progress | None,
    cancelled: Callable[[], bool] | None,
    result: ImportResult,
    options: ImportOptions,
) -> ImportResult:
    """Compare the file with the database, write nothing (no lock: it only reads)."""
    try:
        with db.sessions() as session:
            if options.bases is not None:
                session.info[BASES_OVERRIDE] = options.bases
            plan = make_plan(
                session, read.batches, problems, progress, cancelled, expected=read.expected
            )
            _streamed_rows(read, name, problems)
            plan_nested(session, plan, read.nested, problems)
            plan.close()  # a dry run keeps the counts and conflicts, not the planned records
            result.plan = plan
            if read.ftm_members:
                result.reference_results = _reference_lists(
                    session,
                    read.ftm_members,
                    name,
                    problems,
                    dry_run=True,
                    progress=progress,
                    cancelled=cancelled,
                )
            session.rollback()
    except Cancelled:
        result.status = CANCELLED
        return result
    if not problems.has_errors:
        result.status = DRY_RUN
    return result


LOCK_WAIT_SECONDS = 120


class DatabaseBusy(Exception):
    """Another process kept the database's write lock for too long."""


def _busy(exc: sqlite3.OperationalError) -> bool:
    code = getattr(exc, "sqlite_errorcode", None)
    return code in (sqlite3.SQLITE_BUSY, sqlite3.SQLITE_LOCKED) or "locked" in str(exc)


def write_lock(
    session: Session,
    progress: Progress | None = None,
    cancelled: Callable[[], bool] | None = None,
    wait_seconds: float = LOCK_WAIT_SECONDS,
) -> None:
    """Start the session's transaction with SQLite's write lock (BEGIN IMMEDIATE).

    Another writer (an import in a second window or process) is waited for,
    with a progress message and a cancel check every second, up to
    ``wait_seconds``; then DatabaseBusy says so in a sentence for people.
    Readers are never blocked (WAL).
    """
    connection = session.connection()
    if connection.dialect.name != "sqlite":
        return
    raw: Any = connection.connection.dbapi_connection
    cursor = raw.cursor()
    try:
        cursor.execute("PRAGMA busy_timeout = 0")
        try:
            cursor.execute("BEGIN IMMEDIATE")
            return
        except sqlite3.OperationalError as exc:
            if not _busy(exc):
                raise
        _checkpoint("waiting")
        if progress is not None:
            progress(0, 0, _("Waiting for another program that is writing to the database …"))
        cursor.execute("PRAGMA busy_timeout = 1000")  # wait in steps, to notice a cancel
        deadline = time.monotonic() + wait_seconds
        while True:
            if cancelled is not None and cancelled():
                raise Cancelled
            try:
                cursor.execute("BEGIN IMMEDIATE")
                return
            except sqlite3.OperationalError as exc:
                if not _busy(exc):
                    raise
            if time.monotonic() > deadline:
                raise DatabaseBusy(
                    _(
                        "Another program has been writing to the database for {seconds} "
                        "seconds (perhaps another import); nothing was imported. Try again "
                        "when it has finished."
                    ).format(seconds=int(wait_seconds))
                )
    finally:
        cursor.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
        cursor.close()


CHECKPOINT_ENV = "CHINADIALOG_IMPORT_CHECKPOINTS"


def _checkpoint(name: str) -> None:
    """A test hook to line up two processes without sleeping; does nothing normally.

    With ``CHINADIALOG_IMPORT_CHECKPOINTS="R,W"`` (two inherited pipe file
    descriptors), the import writes ``name`` and a newline to W at each
    checkpoint ("read", "waiting", "planned") and waits for one line on R.
    """
    spec = os.environ.get(CHECKPOINT_ENV)
    if not spec:
        return
    read_fd, write_fd = (int(x) for x in spec.split(","))
    os.write(write_fd, name.encode() + b"\n")
    received = b""
    while not received.endswith(b"\n"):
        chunk = os.read(read_fd, 1)
        if not chunk:
            return  # the other side has gone: carry on
        received += chunk


def import_dataset(
    db: Database,
    path: Path | str,
    options: ImportOptions | None = None,
    *,
    dry_run: bool = False,
    progress: Progress | None = None,
    cancelled: Callable[[], bool] | None = None,
) -> ImportResult:
    """Read ``path``, compare it with the database and (unless ``dry_run``) commit it.

    No record is written when the file has an error, when a conflict is left
    undecided, when the user cancels, or on a dry run. A commit backs the
    database up first and records the run in ``import_run`` in the same
    transaction as the data. A rejected file (not a dry run) is recorded in
    the import history too, as a failed run with its hash and the first
    problems, so the history shows every attempt; nothing else is written.
    """
    started = utcnow()
    result = _import(db, Path(path), options or ImportOptions(), dry_run, progress, cancelled)
    if result.status == REJECTED and not dry_run and result.format != "ftm-jsonl":
        _record_rejection(db, result, started)
    return result


def _record_rejection(db: Database, result: ImportResult, started: Any) -> None:
    """One failed run in the history: file, hash, the first problems. Never raises."""
    if not result.sha256 or any(p.code == "db.busy" for p in result.problems):
        return  # the file could not be read at all, or the database cannot be written now
    try:
        with db.session() as session:
            session.add(
                ImportRun(
                    started_at=started,
                    finished_at=utcnow(),
                    user=current_user(),
                    file_name=result.file_name,
                    sha256=result.sha256,
                    format=result.format or "",
                    status=ImportStatus.FAILED.value,
                    counts={
                        "problems": result.problems.total,
                        "errors": result.problems.error_count,
                    },
                    message=_summary(result.problems),
                )
            )
    except Exception:  # noqa: BLE001 - a history entry must never hide the rejection itself
        return


def _import(
    db: Database,
    path: Path,
    options: ImportOptions,
    dry_run: bool,
    progress: Progress | None,
    cancelled: Callable[[], bool] | None,
) -> ImportResult:
    problems = ProblemList(limit=options.limits.max_problems)
    started = utcnow()
    sha, read = _read(path, options, problems)
    name = display_name(path)
    result = ImportResult(REJECTED, name, sha, read.format if read else None, problems)
    if read is None:
        return result
    result.mappings = read.mappings
    if problems.has_errors:
        return result
    if read.format == "ftm-jsonl":
        return _reference_file(db, path, dry_run, progress, cancelled, result)
    if dry_run:
        return _dry_run(db, read, name, problems, progress, cancelled, result, options)
    _checkpoint("read")
    try:
        with db.session() as session:
            # Plan and write in one transaction under the write lock: an import or an
            # edit that another process commits meanwhile is either seen by the plan
            # or waits until this import has committed; nothing is planned on a state
            # that is gone by the time it is written.
            write_lock(session, progress, cancelled)
            if options.bases is not None:
                session.info[BASES_OVERRIDE] = options.bases
            plan = make_plan(
                session, read.batches, problems, progress, cancelled, expected=read.expected
            )
            result.plan = plan
            _streamed_rows(read, name, problems)
            plan_nested(session, plan, read.nested, problems)
            read.batches.clear()  # the planned records wait in the plan's file; free the rest
            read.nested.clear()
            _checkpoint("planned")
            if problems.has_errors:
                raise _Rejected
            undecided = [
                c
                for c in plan.conflicts()
                if decision(c, options.resolutions, options.on_conflict) not in (MINE, THEIRS)
            ]
            if undecided:
                result.status = NEEDS_DECISION
                for c in undecided:
                    problems.error(
                        _(
                            "{label}: changed here and in the file ({fields}); decide which "
                            "version to keep."
                        ).format(label=c.label, fields=", ".join(ch.field for ch in c.changes)),
                        code="record.conflict",
                        **c.place,
                    )
                raise _Rejected
            totals = plan.totals()
            changes = (
                bool(read.ftm_members)
                or totals["new"] + totals["updated"] > 0
                or any(
                    decision(c, options.resolutions, options.on_conflict) == THEIRS
                    for c in plan.conflicts()
                )
            )
            if changes and db.path is not None:
                # Another connection copies the last committed state: exactly what was planned on.
                # (A team server's backups are the server's job: docs/team-mode.md.)
                result.backup_path = make_backup(db.path, reason="import")
            apply_plan(session, plan, options.resolutions, options.on_conflict, progress, cancelled)
            plan.close()
            store_fingerprints(
                session,
                apply_nested(session, plan, options.resolutions, options.on_conflict, problems),
            )
            if problems.has_errors:
                raise _Rejected
            if read.ftm_members:
                result.reference_results = _reference_lists(
                    session,
                    read.ftm_members,
                    name,
                    problems,
                    dry_run=False,
                    progress=progress,
                    cancelled=cancelled,
                )
                if problems.has_errors:
                    raise _Rejected
            _index(session, progress, cancelled)
            # The history keeps a summary; each record's fingerprints are in import_fingerprint.
            counts: dict[str, Any] = result.counts()
            kept = [
                c.uuid
                for c in plan.conflicts()
                if decision(c, options.resolutions, options.on_conflict) == MINE
            ]
            counts["kept_mine"] = len(kept)
            for c in plan.conflicts():
                choice = decision(c, options.resolutions, options.on_conflict)
                if choice in (MINE, THEIRS):
                    result.decisions[c.uuid] = str(choice)
            run = ImportRun(
                started_at=started,
                finished_at=utcnow(),
                user=current_user(),
                file_name=name,
                sha256=sha,
                format=read.format,
                status=ImportStatus.COMMITTED.value,
                counts=counts,
                message=_summary(problems),
            )
            if options.on_commit is not None:
                options.on_commit(session, run)
            session.add(run)
            session.flush()
            result.run_id = run.id
    except Cancelled:
        result.status = CANCELLED
        result.run_id = None
        return result
    except _Rejected:
        if result.status != NEEDS_DECISION:
            result.status = REJECTED
        result.run_id = None
        return result
    except DatabaseBusy as exc:
        problems.error(str(exc), file=name, code="db.busy")
        result.status = REJECTED
        return result
    finally:
        if result.plan is not None:
            result.plan.close()  # the planned records' temporary file
    result.status = COMMITTED
    return result


def _streamed_rows(read: ReadResult, name: str, problems: ProblemList) -> None:
    """After planning a file read as it was planned: a file of no data rows is an error."""
    if read.stream is not None and read.stream.count == 0 and not problems.has_errors:
        problems.error(
            _("The file has column names but no data rows."), file=name, code="file.no_rows"
        )


def _index(session: Any, progress: Progress | None, cancelled: Callable[[], bool] | None) -> None:
    """The imported records enter the search index in the import's own transaction;
    a cancel between two batches rolls the whole import back."""
    from chinadialog_desktop.persistence.search_index import index_pending

    message = _("Updating the search index")

    def step(done: int, total: int) -> None:
        if cancelled is not None and cancelled():
            raise Cancelled
        if progress is not None:
            progress(done, total, message)

    index_pending(session, step)
