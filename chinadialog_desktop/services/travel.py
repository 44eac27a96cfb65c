"""A travel copy: taken with ``db copy`` into a file, worked on offline, merged back.

When ``db copy`` writes a file it records in the copy where it came from
(``copy_origin``: source, time, user) and each record's state at that moment
(``copy_base``: a fingerprint of the record in the source and in the copy).

``merge_copy`` takes back into the source what changed in the copy since:

- a record edited offline whose source version is unchanged since the copy: updated;
- a record edited offline and on the source meanwhile: a conflict, decided as in
  imports (keep the source's version, or take the copy's);
- a record created offline: created;
- a record untouched offline: not sent at all, so it never overwrites a newer version;
- a record deleted offline: listed; deleted here only when the user confirms it and it is
  unchanged here since (assessments and checklist versions too; a signed assessment, a version
  still in use, a partnership or dossier whose assessment stays are kept and named);
- screening decisions made and files attached offline: taken back beside the package (a
  decision of an actor or contact here, a file of a record here; edits and deletions of
  attachments made offline are not taken back yet);
- a record edited offline that the source no longer shows (deleted there, or classified
  VS-NfD and not visible to this user): listed, not merged (never re-created, never revealed).

What changed offline is found cheaply: each record's stamp in the copy (row id, version
counter, modification time, and those of its child rows; ``stamp_select``) is compared in SQL
with the one recorded when the copy was taken, and only records whose stamp differs are read
and fingerprinted (a copy taken before stamps were recorded is read whole, as before).

The changed records travel as a dataset package (the same export and import as
any package, all or nothing, with a backup before); the import's run in the
history and one audit event name the copy. Afterwards the copy is marked as
merged; a second merge says so and changes nothing (also when the copy could
not be marked: the run in the target's history is found).
"""

from __future__ import annotations

import tempfile
from collections.abc import Callable, Collection, Iterator, Mapping
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any

from sqlalchemy import Connection, String, cast, delete, func, insert, literal, or_, select, update
from sqlalchemy.orm import Session

from chinadialog_desktop.domain.enums import ImportStatus
from chinadialog_desktop.errors import UserError
from chinadialog_desktop.i18n import _
from chinadialog_desktop.jobs import Cancelled
from chinadialog_desktop.persistence import audit, faultpoint
from chinadialog_desktop.persistence.base import new_uuid, utcnow
from chinadialog_desktop.persistence.database import Database
from chinadialog_desktop.persistence.models import (
    Activity,
    Assessment,
    AssessmentAnswer,
    Attachment,
    ChecklistTemplate,
    CopyBase,
    CopyOrigin,
    Deliberation,
    Dossier,
    DossierPartnership,
    DossierSection,
    DossierSource,
    ImportRun,
    Partnership,
    PartnershipParty,
    ScreeningDecision,
    ScreeningHit,
)
from chinadialog_desktop.persistence.server import is_server_url, parse_target
from chinadialog_desktop.services.datasets.field_labels import kind_label as kind_label
from chinadialog_desktop.services.datasets.kinds import KINDS
from chinadialog_desktop.services.datasets.merge import STATUSES, UNCHANGED, Plan, PlanItem
from chinadialog_desktop.services.datasets.nested import (
    ASSESSMENTS,
    DOSSIERS,
    TEMPLATES,
    nested_digest,
    template_ref,
)
from chinadialog_desktop.services.datasets.nested_state import load_assessments, load_dossiers
from chinadialog_desktop.services.datasets.state import digest, scan_local

# What the merge's run in the import history carries: the copy it came from.
RUN_MARK = "travel_copy"
# The audit event of a merge (one per run, beside the records' own events).
AUDIT_TABLE = "copy_origin"

MERGED, DRY_RUN, NEEDS_DECISION, REJECTED, CANCELLED, ALREADY, NOTHING = (
    "merged",
    "dry_run",
    "needs_decision",
    "rejected",
    "cancelled",
    "already_merged",
    "nothing_changed",
)

_NEVER = "-"  # never equal to what a package provides: a sent record is never "unchanged"


# -- the states of records -------------------------------------------------------------


def record_states(session: Session) -> Iterator[tuple[str, str, str]]:
    """(key, kind, fingerprint) of every record that travels in a dataset package."""
    for spec in KINDS.values():
        for _id, uuid, state in scan_local(session, spec):
            yield uuid, spec.key, digest(state)
    for uuid, state in load_dossiers(session).items():
        yield uuid, DOSSIERS, nested_digest(state)
    states, _statuses = load_assessments(session)
    for uuid, state in states.items():
        yield uuid, ASSESSMENTS, nested_digest(state)
    yield from _template_states(session)


def _template_states(session: Session) -> Iterator[tuple[str, str, str]]:
    rows = session.execute(
        select(
            ChecklistTemplate.template_key,
            ChecklistTemplate.template_version,
            ChecklistTemplate.sha256,
        )
    )
    for key, version, sha in rows:
        yield template_ref(key, version), TEMPLATES, str(sha or "")[:64]


# What a record's state is read from besides its own row: kind → (child table, its parent key).
# A change to a record through the app changes its row's version counter or modification time,
# or a child row's (or their number, or their ids: a child deleted and another added).
_CHILDREN: dict[str, list[tuple[Any, Any]]] = {
    "partnerships": [(PartnershipParty, PartnershipParty.partnership_id)],
    DOSSIERS: [
        (DossierSection, DossierSection.dossier_id),
        (Deliberation, Deliberation.dossier_id),
        (DossierPartnership, DossierPartnership.dossier_id),
        (DossierSource, DossierSource.dossier_id),
    ],
    ASSESSMENTS: [(AssessmentAnswer, AssessmentAnswer.assessment_id)],
}


def _model(kind: str) -> Any:
    return {DOSSIERS: Dossier, ASSESSMENTS: Assessment, TEMPLATES: ChecklistTemplate}.get(
        kind
    ) or KINDS[kind].model


def _text(value: Any) -> Any:
    return func.coalesce(cast(value, String), "")


def stamp_select(kind: str) -> Any:
    """(key, stamp) of every record of ``kind``, computed in SQL: what the copy's base holds as
    ``copy_stamp``. Equal stamps mean the record was not written since; a different stamp
    means it may have changed (its fingerprint decides). A template's stamp is its hash."""
    if kind == TEMPLATES:
        key = (
            ChecklistTemplate.template_key
            + literal("@")
            + cast(ChecklistTemplate.template_version, String)
        )
        return select(key.label("key"), _text(ChecklistTemplate.sha256).label("stamp"))
    model = _model(kind)
    parts = [_text(model.id), _text(model.version), _text(model.modified_at)]
    joined: Any = model.__table__
    for child, parent_key in _CHILDREN.get(kind, []):
        rows = (
            select(
                parent_key.label("parent"),
                func.count().label("n"),
                func.sum(child.id).label("ids"),
                func.sum(child.version).label("versions"),
                func.max(child.modified_at).label("latest"),
            )
            .group_by(parent_key)
            .subquery()
        )
        joined = joined.outerjoin(rows, rows.c.parent == model.id)
        parts += [_text(rows.c.n), _text(rows.c.ids), _text(rows.c.versions), _text(rows.c.latest)]
    stamp = parts[0]
    for part in parts[1:]:
        stamp = stamp + literal("|") + part
    return select(model.uuid.label("key"), stamp.label("stamp")).select_from(joined)


STAMPED_KINDS = [*KINDS, DOSSIERS, ASSESSMENTS, TEMPLATES]


def source_key(location: str | Path) -> str:
    """What identifies a source: a server's host, port and database (any role), a file's path."""
    if is_server_url(location):
        target = parse_target(str(location))
        return f"postgresql://{target.host.lower()}:{target.port}/{target.database}"
    return str(Path(location).expanduser().resolve())


def record_base(source: Connection, copy: Connection, label: str, location: str | Path) -> int:
    """In the copy being written: where it came from, and every record's state now (both sides).

    Called by ``db copy`` inside the copy's transaction, on the source's snapshot.
    Returns the number of records recorded.
    """
    with Session(bind=source) as s:
        theirs = {key: (kind, d) for key, kind, d in record_states(s)}
    with Session(bind=copy) as c:
        mine = {key: d for key, _kind, d in record_states(c)}
    stamps: dict[str, str] = {}
    for kind in STAMPED_KINDS:
        stamps.update({k: st for k, st in copy.execute(stamp_select(kind))})
    copy.execute(delete(CopyBase))
    copy.execute(delete(CopyOrigin))
    rows = [
        {
            "record_key": key,
            "kind": kind,
            "source_digest": d,
            "copy_digest": mine.get(key, ""),
            "copy_stamp": stamps.get(key),
        }
        for key, (kind, d) in theirs.items()
    ]
    for start in range(0, len(rows), 1000):
        copy.execute(insert(CopyBase), rows[start : start + 1000])
    copy.execute(
        insert(CopyOrigin),
        [
            {
                "copy_uuid": new_uuid(),
                "source": label,
                "source_key": source_key(location),
                "copied_at": utcnow(),
                "copied_by": audit.current_user(),
            }
        ],
    )
    return len(rows)


# -- the merge ----------------------------------------------------------------------------


@dataclass(frozen=True)
class Listed:
    """A record the merge names but does not apply (deleted offline, or gone on the source)."""

    kind: str
    key: str
    label: str


@dataclass
class MergeResult:
    status: str
    copy: Path
    source: str = ""
    copied_at: datetime | None = None
    copied_by: str = ""
    merged_at: datetime | None = None
    merged_by: str | None = None
    plan: Plan | None = None
    problems: Any = None  # the import's ProblemList
    run_id: int | None = None
    backup_path: Path | None = None
    sent: int = 0  # records edited or created offline, sent in the package
    # kind → records of the copy not changed offline (not sent): unchanged, as counted
    untouched_kinds: dict[str, int] = field(default_factory=dict)
    # uuid → how a conflict was decided in the merge written ("mine" or "theirs")
    decisions: dict[str, str] = field(default_factory=dict)
    deleted_offline: list[Listed] = field(default_factory=list)
    deleted: list[Listed] = field(default_factory=list)  # deleted offline, confirmed, deleted here
    not_deleted: list[Listed] = field(default_factory=list)  # confirmed, but changed here since
    # A dry run's deletions not confirmed that a confirmation would keep (changed here since):
    # the command line does not ask for a --delete that would change nothing.
    changed_here: list[Listed] = field(default_factory=list)
    gone_on_source: list[Listed] = field(default_factory=list)
    # Made offline beside the records: screening decisions and attachments added, taken back
    # (written with a merge; a dry run lists what would be).
    screening: list[Listed] = field(default_factory=list)
    attachments: list[Listed] = field(default_factory=list)
    copy_not_marked: str | None = None  # why the copy could not be marked as merged
    # As an import's result has them (the window's import preview shows either).
    mixed: bool = False
    reference_results: list[Any] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return self.status in (MERGED, DRY_RUN, ALREADY, NOTHING)

    @property
    def untouched(self) -> int:
        return sum(self.untouched_kinds.values())

    def kind_counts(self) -> dict[str, dict[str, int]]:
        """Per kind: new, updated, unchanged, conflict — the one source of every count shown.

        Records not changed offline count as unchanged; after a merge, a conflict decided
        counts where it went (taken from the copy: updated; kept here: unchanged).
        """
        out = self.plan.counts(self.decisions) if self.plan is not None else {}
        for kind, n in self.untouched_kinds.items():
            if n:
                out.setdefault(kind, dict.fromkeys(STATUSES, 0))[UNCHANGED] += n
        order = {kind: i for i, kind in enumerate(STAMPED_KINDS)}
        return dict(sorted(out.items(), key=lambda kv: order.get(kv[0], len(order))))

    def totals(self) -> dict[str, int]:
        return {s: sum(c.get(s, 0) for c in self.kind_counts().values()) for s in STATUSES}

    def decided(self) -> list[tuple[PlanItem, str]]:
        """The conflicts decided in the merge written, each with its decision."""
        return [(c, self.decisions[c.uuid]) for c in self.conflicts() if c.uuid in self.decisions]

    def conflicts(self) -> list[PlanItem]:
        return self.plan.conflicts() if self.plan is not None else []


class _Bases:
    """The import's bases for a merge: each record as the source held it when copied."""

    def __init__(self, base: Mapping[str, tuple[str, str, str]]) -> None:
        self._base = base

    def get(self, uuid: str) -> tuple[str, str] | None:
        found = self._base.get(uuid)
        return None if found is None else (_NEVER, found[1])


def _origin(session: Session, copy: Path) -> CopyOrigin:
    origin = session.scalars(select(CopyOrigin)).first()
    if origin is None:
        raise UserError(
            _(
                "{path} is not a travel copy: it does not record where it was copied from "
                "(a travel copy is made with 'db copy' or File → 'Take a local copy of the "
                "team server …'). Nothing was merged."
            ).format(path=copy)
        )
    return origin


def _label(kind: str, key: str, labels: Mapping[str, str]) -> str:
    return labels.get(key) or key


def _chunks(keys: Collection[str], size: int = 500) -> Iterator[list[str]]:
    wanted = sorted(keys)
    for start in range(0, len(wanted), size):
        yield wanted[start : start + size]


def _labels(session: Session, wanted: Mapping[str, Collection[str]]) -> dict[str, str]:
    """Record key → what people call it (title or name), for the records the merge lists."""
    out: dict[str, str] = {}
    for kind, keys in wanted.items():
        if kind == TEMPLATES:
            for key in keys:
                template = _template(session, key)
                if template is not None:
                    out[key] = f"{template.title_de} (v{template.template_version})"
            continue
        if not keys:
            continue
        model = _model(kind)
        spec = KINDS.get(kind)
        title = spec.title_field if spec is not None else "title"
        column = getattr(model, title, None) if title else None
        if column is None:
            continue
        for part in _chunks(keys):
            rows = session.execute(select(model.uuid, column).where(model.uuid.in_(part)))
            out.update({u: str(t) for u, t in rows if t})
    return out


Report = Callable[[int, int, str], None] | None


def _step(
    progress: Report, cancelled: Callable[[], bool] | None, done: int, total: int, message: str
) -> None:
    if cancelled is not None and cancelled():
        raise Cancelled
    if progress is not None:
        progress(done, total, message)


def _fingerprints(session: Session, kind: str, keys: Collection[str]) -> dict[str, str]:
    """key → fingerprint of those records of ``kind`` (read only these, a block at a time)."""
    wanted = set(keys)
    out: dict[str, str] = {}
    if kind == TEMPLATES:
        return {k: d for k, _kind, d in _template_states(session) if k in wanted}
    for part in _chunks(wanted):
        if kind == DOSSIERS:
            out.update(
                {u: nested_digest(st) for u, st in load_dossiers(session, set(part)).items()}
            )
        elif kind == ASSESSMENTS:
            states, _statuses = load_assessments(session, set(part))
            out.update({u: nested_digest(st) for u, st in states.items()})
    if kind in (DOSSIERS, ASSESSMENTS):
        return out
    spec = KINDS[kind]
    model: Any = spec.model
    ids = sorted(
        i
        for part in _chunks(wanted)
        for i in session.scalars(select(model.id).where(model.uuid.in_(part)))
    )
    start = 0
    while start < len(ids):  # neighbouring ids read in one range, as an import reads them
        end = start
        while end + 1 < len(ids) and ids[end + 1] - ids[start] < 1000:
            end += 1
        for _id, uuid, state in scan_local(session, spec, (ids[start], ids[end])):
            if uuid in wanted:
                out[uuid] = digest(state)
        start = end + 1
    return out


@dataclass
class _Changes:
    changed: dict[str, set[str]]  # kind → keys edited or created offline
    base: dict[str, tuple[str, str, str]]  # key → (kind, source digest, copy digest); those only
    deleted: list[tuple[str, str]]  # (kind, key) deleted offline
    untouched: dict[str, int]  # kind → records not changed offline


def _changes(session: Session, progress: Report, cancelled: Callable[[], bool] | None) -> _Changes:
    """What changed in the copy since it was taken: stamps compared in SQL against the base,
    then only the records whose stamp differs read and fingerprinted (a record written but
    not changed, e.g. edited and undone, is not sent)."""
    kinds = STAMPED_KINDS
    steps = 2 * len(kinds)
    candidates: dict[str, list[str]] = {}
    totals: dict[str, int] = {}
    deleted: list[tuple[str, str]] = []
    for i, kind in enumerate(kinds):
        _step(
            progress,
            cancelled,
            i,
            steps,
            _("Comparing the travel copy with its state when copied: {kind}").format(
                kind=kind_label(kind)
            ),
        )
        stamps = stamp_select(kind).subquery()
        query = (
            select(stamps.c.key)
            .select_from(stamps.outerjoin(CopyBase, CopyBase.record_key == stamps.c.key))
            .where(
                or_(
                    CopyBase.record_key.is_(None),
                    CopyBase.copy_stamp.is_(None),
                    CopyBase.copy_stamp != stamps.c.stamp,
                )
            )
        )
        candidates[kind] = list(session.scalars(query))
        keys = stamp_select(kind).subquery()
        totals[kind] = int(session.scalar(select(func.count()).select_from(keys)) or 0)
        gone = select(CopyBase.record_key).where(
            CopyBase.kind == kind, ~CopyBase.record_key.in_(select(keys.c.key))
        )
        deleted += [(kind, key) for key in session.scalars(gone)]
    wanted = [k for keys in candidates.values() for k in keys] + [k for _kind, k in deleted]
    base: dict[str, tuple[str, str, str]] = {}
    for part in _chunks(wanted):
        rows = session.execute(
            select(
                CopyBase.record_key, CopyBase.kind, CopyBase.source_digest, CopyBase.copy_digest
            ).where(CopyBase.record_key.in_(part))
        )
        base.update({k: (kind, sd, cd) for k, kind, sd, cd in rows})
    changed: dict[str, set[str]] = {}
    for i, kind in enumerate(kinds):
        if not candidates[kind]:
            continue
        _step(
            progress,
            cancelled,
            len(kinds) + i,
            steps,
            _("Reading what was changed in the travel copy: {kind}").format(kind=kind_label(kind)),
        )
        for key, d in _fingerprints(session, kind, candidates[kind]).items():
            before = base.get(key)
            if before is None or before[2] != d:
                changed.setdefault(kind, set()).add(key)
    _step(progress, cancelled, steps, steps, _("Travel copy read."))
    untouched = {kind: totals[kind] - len(changed.get(kind, ())) for kind in kinds}
    return _Changes(changed, base, deleted, untouched)


def _visible(session: Session, kind: str, keys: set[str]) -> set[str]:
    """Which of ``keys`` the target shows this user (row-level security applies on a server)."""
    if not keys:
        return set()
    if kind == TEMPLATES:
        return {
            template_ref(k, v)
            for k, v in session.execute(
                select(ChecklistTemplate.template_key, ChecklistTemplate.template_version)
            )
        } & keys
    model: Any = {DOSSIERS: Dossier, ASSESSMENTS: Assessment}.get(kind) or KINDS[kind].model
    found: set[str] = set()
    wanted = sorted(keys)
    for start in range(0, len(wanted), 500):
        part = wanted[start : start + 500]
        found.update(session.scalars(select(model.uuid).where(model.uuid.in_(part))))
    return found


def _edit_kind(kind: str) -> str | None:
    """The record editor's name of a kind a merge may delete (None: not through a merge)."""
    if kind == DOSSIERS:
        return "dossier"
    spec = KINDS.get(kind)
    return spec.kind.value if spec is not None and spec.kind is not None else None


def _digest_now(session: Session, kind: str, uuid: str) -> str | None:
    """The record's fingerprint in ``session``'s database now; None when it is not there."""
    if kind in (ASSESSMENTS, TEMPLATES):
        return _fingerprints(session, kind, {uuid}).get(uuid)
    if kind == DOSSIERS:
        state = load_dossiers(session, {uuid}).get(uuid)
        return None if state is None else nested_digest(state)
    spec = KINDS[kind]
    model: Any = spec.model
    row_id = session.scalar(select(model.id).where(model.uuid == uuid))
    if row_id is None:
        return None
    for _id, _uuid, state in scan_local(session, spec, (row_id, row_id)):
        return digest(state)
    return None


# Dependent records first: assessments, a dossier, then the kinds in reverse (activities before
# partnerships, partnerships before actors); a checklist version last, once no assessment uses it.
_DELETE_ORDER = [ASSESSMENTS, DOSSIERS, *reversed(list(KINDS)), TEMPLATES]


def _kept_anyway(session: Session, kind: str, key: str, deleted: Collection[str]) -> bool:
    """What a merge never deletes though unchanged here: a signed (or superseded) assessment
    stays on record; a checklist version stays while an assessment here uses it; a partnership
    or dossier stays while an assessment here (not deleted with it: ``deleted``) belongs to it,
    which its deletion would take along."""
    if kind == ASSESSMENTS:
        status = session.scalar(select(Assessment.status).where(Assessment.uuid == key))
        return status not in (None, "open")
    if kind == TEMPLATES:
        template = _template(session, key)
        if template is None:
            return False
        using = select(Assessment.uuid).where(Assessment.template_id == template.id)
        return bool(set(session.scalars(using)) - set(deleted))
    if kind in ("partnerships", DOSSIERS):
        parent: Any = Partnership if kind == "partnerships" else Dossier
        column = Assessment.partnership_id if kind == "partnerships" else Assessment.dossier_id
        owned = select(Assessment.uuid).join(parent, parent.id == column).where(parent.uuid == key)
        return bool(set(session.scalars(owned)) - set(deleted))
    return False


def _template(session: Session, key: str) -> Any:
    urn, _at, version = key.rpartition("@")
    return session.scalars(
        select(ChecklistTemplate).where(
            ChecklistTemplate.template_key == urn,
            ChecklistTemplate.template_version == int(version),
        )
    ).first()


def _delete_nested(session: Session, kind: str, key: str) -> None:
    """An assessment or a checklist version deleted as the editor deletes: through the session,
    so the audit trail records it."""
    obj = (
        _template(session, key)
        if kind == TEMPLATES
        else session.scalars(select(Assessment).where(Assessment.uuid == key)).one()
    )
    session.delete(obj)
    session.flush()
    session.expire_all()


def _deletions(
    session: Session,
    result: MergeResult,
    base: Mapping[str, tuple[str, str, str]],
    confirmed: set[str],
    *,
    apply: bool,
) -> None:
    """The confirmed deletions: deleted here when the record is unchanged here since the copy,
    otherwise kept and named (never a silent loss of a colleague's edit)."""
    from chinadialog_desktop.services.records import edit

    result.deleted, result.not_deleted = [], []
    chosen = [x for x in result.deleted_offline if x.key in confirmed]
    chosen.sort(key=lambda x: _DELETE_ORDER.index(x.kind) if x.kind in _DELETE_ORDER else -1)
    for listed in chosen:
        nested = listed.kind in (ASSESSMENTS, TEMPLATES)
        editor_kind = _edit_kind(listed.kind)
        if editor_kind is None and not nested:
            result.not_deleted.append(listed)
            continue
        now = _digest_now(session, listed.kind, listed.key)
        if now is None:
            continue  # gone here already (or not visible): nothing to delete
        done = {x.key for x in result.deleted}
        if now != base[listed.key][1] or _kept_anyway(session, listed.kind, listed.key, done):
            result.not_deleted.append(listed)
            continue
        if apply:
            try:
                if nested:
                    _delete_nested(session, listed.kind, listed.key)
                else:
                    assert editor_kind is not None
                    edit.delete(session, editor_kind, listed.key)
            except UserError as exc:
                raise UserError(
                    _("{label} cannot be deleted: {reason} Nothing was merged.").format(
                        label=listed.label, reason=exc
                    )
                ) from exc
        result.deleted.append(listed)


def _already(target: Session, copy_uuid: str) -> ImportRun | None:
    runs = target.scalars(
        select(ImportRun)
        .where(ImportRun.status == ImportStatus.COMMITTED.value)
        .order_by(ImportRun.id.desc())
    )
    for run in runs:
        if isinstance(run.counts, dict) and run.counts.get(RUN_MARK) == copy_uuid:
            return run
    return None


def _package(
    session: Session, wanted: Mapping[str, set[str]], title: str, folder: Path, name: str
) -> Path:
    """The changed records of the copy as a dataset package (as ``export package`` writes it)."""
    from chinadialog_desktop.services.datasets.export import _encode, kind_rows
    from chinadialog_desktop.services.datasets.nested_export import nested_rows

    tables = {
        spec.key: (spec.names, kind_rows(session, spec, wanted[spec.key]))
        for spec in KINDS.values()
        if wanted.get(spec.key)
    }
    nested = {
        kind: nested_rows(session, kind, wanted[kind])
        for kind in (TEMPLATES, DOSSIERS, ASSESSMENTS)
        if wanted.get(kind)
    }
    path = folder / name
    path.write_bytes(_encode("package", tables, title, None, "CC-BY-4.0", nested))
    return path


def _copy_problems(problems: Any, name: str, plan: Plan | None) -> Any:
    """The import's problems as the travel copy's: named after the copy (the package is only
    the vehicle, no line of it exists for the user) and a conflict said of the copy."""
    from dataclasses import replace

    from chinadialog_desktop.interchange.problems import ProblemList
    from chinadialog_desktop.services.datasets.field_labels import field_label

    if problems is None:
        return None
    conflicts = {c.uuid: c for c in plan.conflicts()} if plan is not None else {}
    labels = {c.label: c for c in conflicts.values()}
    out = ProblemList(limit=problems.limit)
    for problem in problems:
        place = replace(
            problem, file=name, line=None, column=None, member=None, header=None, key=None
        )
        conflict = labels.get(problem.message.partition(":")[0])
        if problem.code == "record.conflict" and conflict is not None:
            place = replace(
                place,
                message=_(
                    "{label}: changed here and in the travel copy ({fields}); decide which "
                    "version to keep."
                ).format(
                    label=conflict.label,
                    fields=", ".join(field_label(conflict.kind, c.field) for c in conflict.changes),
                ),
            )
        out.add(place)
    out.total, out.error_count = problems.total, problems.error_count
    return out


# -- what travels beside the package: screening decisions and attachments made offline ----------

_ATTACHMENT_PARENTS = (
    ("partnership_id", Partnership),
    ("dossier_id", Dossier),
    ("activity_id", Activity),
)


def _made_offline(session: Session, model: Any, when: Any) -> list[dict[str, Any]]:
    """Rows of ``model`` in the copy written since it was taken (``when``: their own time)."""
    since = select(CopyOrigin.copied_at).scalar_subquery()
    table = model.__table__
    return [dict(r) for r in session.execute(select(table).where(when >= since)).mappings()]


@dataclass
class _Beside:
    decisions: list[dict[str, Any]]
    attachments: list[dict[str, Any]]  # with the parents' UUIDs (parent_uuids)


def _beside(session: Session) -> _Beside:
    """Screening decisions and attachments made in the copy after it was taken."""
    decisions = _made_offline(session, ScreeningDecision, ScreeningDecision.decided_at)
    attachments = _made_offline(session, Attachment, Attachment.created_at)
    for row in attachments:
        row["parent_uuids"] = {
            column: session.scalar(select(parent.uuid).where(parent.id == row[column]))
            for column, parent in _ATTACHMENT_PARENTS
            if row[column] is not None
        }
    return _Beside(decisions, attachments)


def _subject_names(session: Session, uuids: set[str]) -> dict[str, str]:
    from chinadialog_desktop.persistence.models import Actor, Contact

    out: dict[str, str] = {}
    for part in _chunks(uuids):
        out.update(
            {
                u: n
                for u, n in session.execute(
                    select(Actor.uuid, Actor.name_de).where(Actor.uuid.in_(part))
                )
            }
        )
        out.update(
            {
                u: n
                for u, n in session.execute(
                    select(Contact.uuid, Contact.name).where(Contact.uuid.in_(part))
                )
            }
        )
    return out


def _take_beside(session: Session, beside: _Beside, result: MergeResult, *, apply: bool) -> None:
    """Screening decisions of subjects here and attachments of records here, not here yet:
    listed, and with ``apply`` written (decisions are a history: one taken back beside a
    colleague's counts by its time, the later one wins, as in the app; an open hit of the
    same pair here takes the decision)."""
    from chinadialog_desktop.persistence.models import ReferenceList

    words = {"confirmed": _("confirmed"), "dismissed": _("dismissed")}
    lists = {k: n for k, n in session.execute(select(ReferenceList.list_key, ReferenceList.name))}
    result.screening, result.attachments = [], []
    known = set(
        session.scalars(
            select(ScreeningDecision.uuid).where(
                ScreeningDecision.uuid.in_([d["uuid"] for d in beside.decisions] or [""])
            )
        )
    )
    names = _subject_names(session, {d["subject_uuid"] for d in beside.decisions})
    for row in sorted(beside.decisions, key=lambda d: (d["decided_at"], d["id"])):
        if row["uuid"] in known or row["subject_uuid"] not in names:
            continue  # here already, or its actor or contact is not (deleted, not visible)
        result.screening.append(
            Listed(
                "screening_decision",
                row["uuid"],
                _("{subject}: {decision} ({list})").format(
                    subject=names[row["subject_uuid"]],
                    decision=words.get(row["decision"], row["decision"]),
                    list=lists.get(row["list_key"]) or row["list_key"],
                ),
            )
        )
        if apply:
            values = {k: v for k, v in row.items() if k not in ("id", "version")}
            session.add(ScreeningDecision(**values))
            hits = select(ScreeningHit).where(
                ScreeningHit.subject_uuid == row["subject_uuid"],
                ScreeningHit.list_key == row["list_key"],
                ScreeningHit.entity_key == row["entity_key"],
                ScreeningHit.entity_hash == row["entity_hash"],
            )
            for hit in session.scalars(hits):
                hit.status = row["decision"]
    wanted = [a["uuid"] for a in beside.attachments] or [""]
    here = set(session.scalars(select(Attachment.uuid).where(Attachment.uuid.in_(wanted))))
    for row in beside.attachments:
        if row["uuid"] in here:
            continue
        ids: dict[str, Any] = {}
        for column, parent in _ATTACHMENT_PARENTS:
            uuid = row["parent_uuids"].get(column)
            if uuid is not None:
                ids[column] = session.scalar(select(parent.id).where(parent.uuid == uuid))
        if not ids or any(v is None for v in ids.values()):
            continue  # its record is not here (deleted, not visible): the copy keeps it
        result.attachments.append(Listed("attachment", row["uuid"], row["file_name"]))
        if apply:
            values = {k: v for k, v in row.items() if k not in ("id", "version", "parent_uuids")}
            session.add(Attachment(**{**values, **ids}))
    if apply:
        session.flush()


def _mark(copy_db: Database, result: MergeResult) -> None:
    """The copy says it is merged (who, when); a copy that cannot be written is named."""
    try:
        with copy_db.session() as s:
            s.execute(
                update(CopyOrigin).values(merged_at=result.merged_at, merged_by=result.merged_by)
            )
    except UserError as exc:
        result.copy_not_marked = str(exc)


def _deletions_only(
    target: Database, copy: Path, on_commit: Callable[[Session, ImportRun], None]
) -> int:
    """A merge that only deletes: one transaction under the import's write lock, one run."""
    from chinadialog_desktop.services.datasets.importing import write_lock

    started = utcnow()
    with target.session() as session:
        write_lock(session)
        run = ImportRun(
            started_at=started,
            finished_at=utcnow(),
            user=audit.current_user(),
            file_name=copy.name,
            sha256="",
            format="package",
            status=ImportStatus.COMMITTED.value,
            counts={},
        )
        on_commit(session, run)
        session.add(run)
        session.flush()
        return int(run.id)


def merge_copy(
    target: Database,
    copy: Path | str,
    *,
    dry_run: bool = False,
    on_conflict: str | None = None,
    resolutions: Mapping[str, str] | None = None,
    delete: Collection[str] = (),
    delete_all: bool = False,
    progress: Callable[[int, int, str], None] | None = None,
    cancelled: Callable[[], bool] | None = None,
) -> MergeResult:
    """Take back into ``target`` what changed in the travel copy ``copy`` since it was taken.

    ``on_conflict`` ("mine": keep the target's version, "theirs": take the copy's) and
    ``resolutions`` (uuid → mine/theirs) decide conflicts as in imports; an undecided
    conflict changes nothing (status NEEDS_DECISION). ``delete``: the UUIDs of records
    deleted offline (``deleted_offline`` of a dry run) the user confirms to delete here too;
    one changed here since the copy is kept (``not_deleted``); ``delete_all`` confirms all.
    """
    from chinadialog_desktop.services.datasets.importing import (
        CANCELLED as IMPORT_CANCELLED,
    )
    from chinadialog_desktop.services.datasets.importing import (
        COMMITTED,
        ImportOptions,
        import_dataset,
    )
    from chinadialog_desktop.services.datasets.importing import (
        DRY_RUN as IMPORT_DRY_RUN,
    )
    from chinadialog_desktop.services.datasets.importing import (
        NEEDS_DECISION as IMPORT_NEEDS_DECISION,
    )

    path = Path(copy).expanduser()
    if not path.is_file():
        raise UserError(_("{path} does not exist; nothing was merged.").format(path=path))
    if target.path is not None and target.path.resolve() == path.resolve():
        raise UserError(
            _(
                "{path} is the travel copy itself; open the database it was copied from and "
                "merge the copy into that. Nothing was merged."
            ).format(path=path)
        )
    copy_db = Database.open(path)
    try:
        with copy_db.session() as s:
            origin = _origin(s, path)
            result = MergeResult(
                NOTHING,
                path,
                source=origin.source,
                copied_at=origin.copied_at,
                copied_by=origin.copied_by,
                merged_at=origin.merged_at,
                merged_by=origin.merged_by,
            )
            copy_uuid, wanted_key = origin.copy_uuid, origin.source_key
        here = target.location if target.path is None else str(target.path)
        if source_key(here) != wanted_key:
            raise UserError(
                _(
                    "{path} was copied from {source}, not from {target}; merge it there. "
                    "Nothing was merged."
                ).format(path=path, source=result.source, target=target.location)
            )
        if result.merged_at is not None:
            result.status = ALREADY
            return result
        with target.sessions() as t:
            run = _already(t, copy_uuid)
            if run is not None:  # merged, but the copy was not marked (killed, read-only)
                result.status = ALREADY
                result.merged_at, result.merged_by = run.finished_at, run.user
                result.run_id = run.id
                if not dry_run:
                    _mark(copy_db, result)
                return result
        # What changed in the copy since it was taken.
        with copy_db.sessions() as s:
            found = _changes(s, progress, cancelled)
            changed, base = found.changed, found.base
            beside = _beside(s)
            labels = _labels(s, changed)
            result.untouched_kinds = found.untouched
        # Records the copy knew from the source that the source no longer shows.
        _step(progress, cancelled, 0, 0, _("Comparing with the database …"))
        with target.sessions() as t:
            for kind, keys in changed.items():
                known = {k for k in keys if k in base}
                gone = known - _visible(t, kind, known)
                for key in sorted(gone):
                    result.gone_on_source.append(Listed(kind, key, _label(kind, key, labels)))
                keys -= gone
            by_kind: dict[str, set[str]] = {}
            for kind, key in found.deleted:
                by_kind.setdefault(kind, set()).add(key)
            target_labels = _labels(t, by_kind)
            _take_beside(t, beside, result, apply=False)
        result.deleted_offline = [
            Listed(kind, key, target_labels.get(key) or key) for kind, key in found.deleted
        ]
        result.sent = sum(len(keys) for keys in changed.values())
        offline = {x.key for x in result.deleted_offline}
        confirmed = offline if delete_all else set(delete) & offline
        if dry_run and confirmed:
            with target.sessions() as t:
                _deletions(t, result, base, confirmed, apply=False)
        if dry_run and offline - confirmed:
            probe = MergeResult(DRY_RUN, path, deleted_offline=result.deleted_offline)
            with target.sessions() as t:
                _deletions(t, probe, base, offline - confirmed, apply=False)
            result.changed_here = probe.not_deleted
        merged_at, user = utcnow(), audit.current_user()
        summary = {
            "copy": path.name,
            "copied_at": result.copied_at.isoformat() if result.copied_at else None,
            "source": result.source,
            "sent": result.sent,
            "deleted_offline": len(result.deleted_offline),
            "gone_on_source": len(result.gone_on_source),
        }

        def on_commit(session: Session, run: ImportRun) -> None:
            _take_beside(session, beside, result, apply=True)
            summary["screening_decisions"] = len(result.screening)
            summary["attachments"] = len(result.attachments)
            if confirmed:
                _deletions(session, result, base, confirmed, apply=True)
                summary["deleted"] = len(result.deleted)
            run.counts = {**(run.counts or {}), RUN_MARK: copy_uuid, **summary}
            audit.record_run(session, AUDIT_TABLE, copy_uuid, {**summary, "run": "merge"})
            faultpoint.hit("merge-before-commit")

        if not result.sent:
            result.status = DRY_RUN if dry_run else NOTHING
            if not dry_run:
                if confirmed or result.screening or result.attachments:
                    # deletions or what travels beside only: their own transaction, one run
                    result.run_id = _deletions_only(target, path, on_commit)
                    result.status = MERGED
                result.merged_at, result.merged_by = merged_at, user
                _mark(copy_db, result)
            return result

        options = ImportOptions(
            on_conflict=on_conflict,
            resolutions=dict(resolutions or {}),
            bases=_Bases(base),
            on_commit=on_commit,
        )
        with tempfile.TemporaryDirectory(prefix="chinadialog-merge-") as tmp:
            with copy_db.sessions() as s:
                package = _package(
                    s,
                    changed,
                    _("Travel copy {name}").format(name=path.name),
                    Path(tmp),
                    path.stem + ".zip",
                )
            imported = import_dataset(
                target, package, options, dry_run=dry_run, progress=progress, cancelled=cancelled
            )
        result.plan = imported.plan
        result.problems = _copy_problems(imported.problems, path.name, imported.plan)
        result.run_id, result.backup_path = imported.run_id, imported.backup_path
        result.decisions = dict(imported.decisions) if imported.status == COMMITTED else {}
        result.status = {
            COMMITTED: MERGED,
            IMPORT_DRY_RUN: DRY_RUN,
            IMPORT_NEEDS_DECISION: NEEDS_DECISION,
            IMPORT_CANCELLED: CANCELLED,
        }.get(imported.status, REJECTED)
        if result.status == MERGED:
            result.merged_at, result.merged_by = merged_at, user
            faultpoint.hit("merge-before-mark")
            _mark(copy_db, result)
        return result
    except Cancelled:
        return MergeResult(CANCELLED, path)
    finally:
        copy_db.close()
