"""Import a dataset file: read, map, dry-run, and commit all or nothing after a backup."""

from __future__ import annotations

import hashlib
import tempfile
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from chinadialog_desktop.domain.enums import ImportStatus
from chinadialog_desktop.i18n import _
from chinadialog_desktop.interchange.limits import DEFAULT_LIMITS, Limits
from chinadialog_desktop.interchange.problems import ProblemList
from chinadialog_desktop.persistence.audit import current_user
from chinadialog_desktop.persistence.backup import make_backup
from chinadialog_desktop.persistence.base import utcnow
from chinadialog_desktop.persistence.database import Database
from chinadialog_desktop.persistence.models import ImportRun
from chinadialog_desktop.services.datasets_apply import MINE, THEIRS, apply_plan, decision
from chinadialog_desktop.services.datasets_mapping import ColumnMapping
from chinadialog_desktop.services.datasets_merge import Cancelled, Plan, Progress, make_plan
from chinadialog_desktop.services.datasets_nested_merge import apply_nested, plan_nested
from chinadialog_desktop.services.datasets_read import ReadResult, read_dataset

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
class ImportOptions:
    kind: str | None = None  # a kind of datasets_kinds or datasets_nested; None: detected
    user_map: Mapping[str, str] = field(default_factory=dict)
    sheet: str | None = None
    on_conflict: str | None = None  # "mine" | "theirs" for every conflict; None: must decide
    resolutions: Mapping[str, str] = field(default_factory=dict)  # uuid → mine/theirs
    limits: Limits = DEFAULT_LIMITS


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

    @property
    def ok(self) -> bool:
        return self.status in (DRY_RUN, COMMITTED)

    def counts(self) -> dict[str, Any]:
        if self.plan is None:
            return {}
        return {"total": self.plan.totals(), "kinds": self.plan.counts()}

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


def _read(
    path: Path, options: ImportOptions, problems: ProblemList
) -> tuple[bytes | None, ReadResult | None]:
    limits = options.limits
    try:
        size = path.stat().st_size
        if size > limits.max_file_bytes:
            problems.error(
                _("The file is larger than {limit} MB.").format(
                    limit=limits.max_file_bytes // (1024 * 1024)
                ),
                file=path.name,
                code="file.too_large",
            )
            return None, None
        data = path.read_bytes()
    except OSError as exc:
        problems.error(
            _("the file does not exist or cannot be read")
            if isinstance(exc, FileNotFoundError)
            else _("The file cannot be read: {reason}").format(reason=exc.strerror or exc),
            file=path.name,
            code="file.unreadable",
        )
        return None, None
    return data, read_dataset(data, path.name, options, problems)


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
    from chinadialog_desktop.services import reference_lists

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
    from chinadialog_desktop.services import reference_lists

    r = reference_lists.import_reference_list(
        db, path, dry_run=dry_run, progress=progress, cancel=cancelled
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

    Nothing is written when the file has an error, when a conflict is left
    undecided, when the user cancels, or on a dry run. A commit backs the
    database up first and records the run in ``import_run`` in the same
    transaction as the data.
    """
    options = options or ImportOptions()
    path = Path(path)
    problems = ProblemList(limit=options.limits.max_problems)
    started = utcnow()
    data, read = _read(path, options, problems)
    sha = hashlib.sha256(data).hexdigest() if data is not None else ""
    result = ImportResult(REJECTED, path.name, sha, read.format if read else None, problems)
    if read is None or data is None:
        return result
    result.mappings = read.mappings
    if problems.has_errors:
        return result
    if read.format == "ftm-jsonl":
        return _reference_file(db, path, dry_run, progress, cancelled, result)
    try:
        with db.sessions() as session:
            plan = make_plan(session, read.batches, problems, progress, cancelled)
            plan_nested(session, plan, read.nested, problems)
            result.plan = plan
            if read.ftm_members:
                result.reference_results = _reference_lists(
                    session,
                    read.ftm_members,
                    path.name,
                    problems,
                    dry_run=True,
                    progress=progress,
                    cancelled=cancelled,
                )
            session.rollback()
    except Cancelled:
        result.status = CANCELLED
        return result
    if problems.has_errors:
        return result
    undecided = [
        c
        for c in plan.conflicts()
        if decision(c, options.resolutions, options.on_conflict) not in (MINE, THEIRS)
    ]
    if dry_run:
        result.status = DRY_RUN
        return result
    if undecided:
        result.status = NEEDS_DECISION
        for c in undecided:
            problems.error(
                _(
                    "{label}: changed here and in the file ({fields}); choose keep mine or "
                    "take theirs."
                ).format(label=c.label, fields=", ".join(ch.field for ch in c.changes)),
                code="record.conflict",
                **c.place,
            )
        return result
    changes = bool(read.ftm_members) or any(
        i.status in ("new", "updated")
        or (
            i.status == "conflict"
            and decision(i, options.resolutions, options.on_conflict) == THEIRS
        )
        for i in plan.items
    )
    if changes:
        result.backup_path = make_backup(db.path, reason="import")
    try:
        with db.session() as session:
            fingerprints = apply_plan(
                session, plan, options.resolutions, options.on_conflict, progress, cancelled
            )
            fingerprints.update(
                apply_nested(session, plan, options.resolutions, options.on_conflict, problems)
            )
            if problems.has_errors:
                raise _Rejected
            if read.ftm_members:
                result.reference_results = _reference_lists(
                    session,
                    read.ftm_members,
                    path.name,
                    problems,
                    dry_run=False,
                    progress=progress,
                    cancelled=cancelled,
                )
                if problems.has_errors:
                    raise _Rejected
            _index(session, progress, cancelled)
            counts: dict[str, Any] = {**result.counts(), "records": fingerprints}
            kept = [
                c.uuid
                for c in plan.conflicts()
                if decision(c, options.resolutions, options.on_conflict) == MINE
            ]
            counts["kept_mine"] = len(kept)
            run = ImportRun(
                started_at=started,
                finished_at=utcnow(),
                user=current_user(),
                file_name=path.name,
                sha256=sha,
                format=read.format,
                status=ImportStatus.COMMITTED.value,
                counts=counts,
                message=problems.format() or None,
            )
            session.add(run)
            session.flush()
            result.run_id = run.id
    except Cancelled:
        result.status = CANCELLED
        result.run_id = None
        return result
    except _Rejected:
        result.status = REJECTED
        result.run_id = None
        return result
    result.status = COMMITTED
    return result


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
