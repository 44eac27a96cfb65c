"""Screening use cases: full and delta runs, review decisions, confirmed hits for the briefing."""

from __future__ import annotations

import contextlib
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from chinadialog_desktop.domain.matching import Entity, MatchIndex, Subject
from chinadialog_desktop.domain.screening_terms import DEFAULT_THRESHOLD, body_label, topic_labels
from chinadialog_desktop.domain.screening_terms import topic_label as topic_label
from chinadialog_desktop.errors import UserError
from chinadialog_desktop.i18n import N_, _, format_date, format_number
from chinadialog_desktop.jobs import CancelCheck, Cancelled, Progress, check
from chinadialog_desktop.persistence.audit import current_user
from chinadialog_desktop.persistence.base import utcnow
from chinadialog_desktop.persistence.models_core import Actor, Contact, PartnershipParty
from chinadialog_desktop.persistence.models_dossier import DossierPartnership
from chinadialog_desktop.persistence.models_reference import (
    ReferenceEntity,
    ReferenceList,
    ScreeningDecision,
    ScreeningHit,
)
from chinadialog_desktop.services.screening.index import IndexCancelled, StoredIndex, open_index

ProgressFn = Progress
CancelFn = CancelCheck
OPEN, CONFIRMED, DISMISSED = "open", "confirmed", "dismissed"
AnyIndex = MatchIndex | StoredIndex


@dataclass
class RunResult:
    """What a screening run did; ``new_hit_ids`` is what the user has not seen yet."""

    subjects: int = 0
    entities: int = 0
    new_hit_ids: list[int] = field(default_factory=list)
    updated: int = 0
    reopened_hit_ids: list[int] = field(default_factory=list)  # entity changed since decided
    decisions_reused: int = 0  # e.g. a dismissed pair stayed dismissed after a re-import
    removed: int = 0
    cancelled: bool = False

    def as_json(self) -> dict[str, Any]:
        return {
            "subjects": self.subjects,
            "entities": self.entities,
            "new_hit_ids": self.new_hit_ids,
            "updated": self.updated,
            "reopened_hit_ids": self.reopened_hit_ids,
            "decisions_reused": self.decisions_reused,
            "removed": self.removed,
            "cancelled": self.cancelled,
        }


@dataclass(frozen=True)
class HitRow:
    """One hit for lists and the review view, with its explanation already in words."""

    id: int
    subject_kind: str
    subject_uuid: str
    subject_label: str
    list_key: str
    list_name: str
    list_date: date | None
    entity_key: str
    entity_caption: str
    entity_schema: str
    score: float
    status: str
    designations: list[str]
    assessments: list[str]
    explanation: dict[str, Any]
    lines: list[str]
    reason: str | None = None
    decided_by: str | None = None
    decided_at: datetime | None = None
    # Re-opened: the entry on the list changed after this decision, so it no longer applies.
    earlier_decision: str | None = None
    earlier_reason: str | None = None
    earlier_by: str | None = None
    earlier_at: datetime | None = None

    def as_json(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "subject_kind": self.subject_kind,
            "subject_uuid": self.subject_uuid,
            "subject": self.subject_label,
            "list_key": self.list_key,
            "list": self.list_name,
            "list_date": self.list_date.isoformat() if self.list_date else None,
            "entity_key": self.entity_key,
            "entity": self.entity_caption,
            "schema": self.entity_schema,
            "score": self.score,
            "status": self.status,
            "designations": self.designations,
            "assessments": self.assessments,
            "explanation": self.lines,
            "reason": self.reason,
            "decided_by": self.decided_by,
            "decided_at": self.decided_at.isoformat() if self.decided_at else None,
        }


# --- loading --------------------------------------------------------------------------


def load_entities(
    session: Session,
    list_keys: Iterable[str] | None = None,
    entity_keys: Mapping[str, Iterable[str]] | None = None,
) -> list[Entity]:
    """Reference entities (all, of some lists, or the given keys per list) ready to match."""
    stmt = select(
        ReferenceEntity.id,
        ReferenceList.list_key,
        ReferenceList.name,
        ReferenceList.list_date,
        ReferenceList.category,
        ReferenceEntity.entity_key,
        ReferenceEntity.schema,
        ReferenceEntity.caption,
        ReferenceEntity.names,
        ReferenceEntity.weak_aliases,
        ReferenceEntity.countries,
        ReferenceEntity.topics,
        ReferenceEntity.identifiers,
        ReferenceEntity.content_hash,
    ).join(ReferenceList, ReferenceEntity.list_id == ReferenceList.id)
    stmt = stmt.order_by(ReferenceEntity.id)  # the order the stored index keeps, too
    if list_keys is not None:
        stmt = stmt.where(ReferenceList.list_key.in_(list(list_keys)))
    if entity_keys is None:
        rows: Iterable[Any] = session.execute(stmt)
    else:
        # Only the given entities are read (a few changed ones of a long list), a block of
        # keys at a time through the list's (list_id, entity_key) index; then in id order.
        found: list[Any] = []
        for list_key, keys in entity_keys.items():
            wanted = sorted(set(keys))
            for i in range(0, len(wanted), 500):
                found.extend(
                    session.execute(
                        stmt.where(
                            ReferenceList.list_key == list_key,
                            ReferenceEntity.entity_key.in_(wanted[i : i + 500]),
                        )
                    )
                )
        found.sort(key=lambda row: row.id)
        rows = found
    out = []
    for row in rows:
        e = Entity(
            list_key=row.list_key,
            entity_key=row.entity_key,
            schema=row.schema or "",
            caption=row.caption,
            names=list(row.names or []),
            weak_aliases=list(row.weak_aliases or []),
            countries=list(row.countries or []),
            topics=list(row.topics or []),
            identifiers=dict(row.identifiers or {}),
            content_hash=row.content_hash,
            list_name=row.name,
            list_date=row.list_date,
            list_category=row.category or "designation",
        )
        e.prepare()
        out.append(e)
    return out


def build_index(
    session: Session,
    list_keys: Iterable[str] | None = None,
    progress: ProgressFn | None = None,
    cancel: CancelFn | None = None,
) -> StoredIndex:
    """The match index over the reference lists (default all), as stored in the database.

    Each list's index is built when the list is imported; a list imported before that
    (or by another matcher version) is indexed here first, with progress, in the
    session's transaction. Cancelling raises ``Cancelled``."""
    if cancel is not None and cancel():
        raise Cancelled(_("Screening cancelled."))
    label = _("Preparing the reference lists")

    def step(done: int, total: int) -> None:
        if progress is not None:
            progress(done, total, label)

    try:
        index = open_index(session, list_keys, step, cancel)
    except IndexCancelled:
        raise Cancelled(_("Screening cancelled.")) from None
    if progress is not None:
        progress(len(index), len(index), label)
    return index


def build_memory_index(session: Session, list_keys: Iterable[str] | None = None) -> MatchIndex:
    """The same index built in memory from the entities (for comparisons and small sets)."""
    return MatchIndex(load_entities(session, list_keys))


@dataclass(frozen=True)
class EntityDetails:
    """One listed entity in full, for the side-by-side view."""

    list_key: str
    list_name: str
    list_date: date | None
    entity_key: str
    schema: str
    caption: str
    names: list[str]
    weak_aliases: list[str]
    countries: list[str]
    topics: list[str]
    identifiers: dict[str, list[str]]
    properties: dict[str, Any]


def entity_details(session: Session, list_key: str, entity_key: str) -> EntityDetails | None:
    """Everything the list says about one entity (None if it has left the list)."""
    row = session.execute(
        select(ReferenceEntity, ReferenceList.name, ReferenceList.list_date)
        .join(ReferenceList, ReferenceEntity.list_id == ReferenceList.id)
        .where(ReferenceList.list_key == list_key, ReferenceEntity.entity_key == entity_key)
    ).first()
    if row is None:
        return None
    e, name, list_date = row
    return EntityDetails(
        list_key,
        name,
        list_date,
        e.entity_key,
        e.schema,
        e.caption,
        list(e.names or []),
        list(e.weak_aliases or []),
        list(e.countries or []),
        list(e.topics or []),
        dict(e.identifiers or {}),
        dict(e.properties or {}),
    )


def actor_subject(actor: Actor) -> Subject:
    ids = (("uscc", actor.uscc),) if actor.uscc else ()
    names = (actor.name_de, actor.name_en or "", actor.name_zh or "", actor.name_pinyin or "")
    return Subject(actor.uuid, "actor", actor.name_de, names, False, actor.country, ids)


def contact_subject(contact: Contact) -> Subject:
    # A contact's nationality is unknown (the employer's country says little), so none.
    return Subject(
        contact.uuid, "contact", contact.name, (contact.name, contact.name_zh or ""), True
    )


def load_subjects(
    session: Session,
    actor_ids: Iterable[int] | None = None,
    uuids: Iterable[str] | None = None,
    include_contacts: bool = True,
) -> list[Subject]:
    """Our actors (and their or all contacts) as subjects; filtered by id or uuid if given."""
    a_stmt = select(Actor).order_by(Actor.id)
    c_stmt = select(Contact).order_by(Contact.id)
    if actor_ids is not None:
        ids = list(actor_ids)
        a_stmt = a_stmt.where(Actor.id.in_(ids))
        c_stmt = c_stmt.where(Contact.actor_id.in_(ids))
    if uuids is not None:
        wanted = list(uuids)
        a_stmt = a_stmt.where(Actor.uuid.in_(wanted))
        c_stmt = c_stmt.where(Contact.uuid.in_(wanted))
    out = [actor_subject(a) for a in session.scalars(a_stmt)]
    if include_contacts:
        out.extend(contact_subject(c) for c in session.scalars(c_stmt))
    return out


def subjects_changed_since(session: Session, since: datetime) -> list[str]:
    """UUIDs of actors and contacts created or edited since ``since`` (for a delta run)."""
    a = session.scalars(select(Actor.uuid).where(Actor.modified_at >= since))
    c = session.scalars(select(Contact.uuid).where(Contact.modified_at >= since))
    return [*a, *c]


# --- running --------------------------------------------------------------------------


def _latest_decisions(
    session: Session, subject_uuids: Iterable[str]
) -> dict[tuple[str, str, str], ScreeningDecision]:
    out: dict[tuple[str, str, str], ScreeningDecision] = {}
    uuids = list(subject_uuids)
    for i in range(0, len(uuids), 500):
        stmt = (
            select(ScreeningDecision)
            .where(ScreeningDecision.subject_uuid.in_(uuids[i : i + 500]))
            .order_by(ScreeningDecision.decided_at, ScreeningDecision.id)
        )
        for d in session.scalars(stmt):
            out[(d.subject_uuid, d.list_key, d.entity_key)] = d  # later ones win
    return out


def _screen(
    session: Session,
    index: AnyIndex,
    subjects: list[Subject],
    in_scope: Callable[[str, str, str], bool],
    threshold: float,
    progress: ProgressFn | None,
    cancel: CancelFn | None,
    result: RunResult,
) -> None:
    """Screen ``subjects`` against ``index`` and reconcile the stored hits in scope."""
    decisions = _latest_decisions(session, (s.uuid for s in subjects))
    now = utcnow()
    total = len(subjects)
    for done, subject in enumerate(subjects):
        try:  # a cancel here keeps the hits of the subjects screened so far
            check(cancel)
            if progress is not None:
                progress(done, total, subject.label)
        except Cancelled:
            result.cancelled = True
            return
        matches = {  # a shared index may hold lists outside this run's scope
            (m.entity.list_key, m.entity.entity_key): m
            for m in index.screen(subject, threshold)
            if in_scope(subject.uuid, m.entity.list_key, m.entity.entity_key)
        }
        existing = {
            (h.list_key, h.entity_key): h
            for h in session.scalars(
                select(ScreeningHit).where(ScreeningHit.subject_uuid == subject.uuid)
            )
        }
        for key, m in matches.items():
            decision = decisions.get((subject.uuid, *key))
            applies = decision is not None and decision.entity_hash == m.entity.content_hash
            status = decision.decision if applies and decision else OPEN
            hit = existing.get(key)
            if hit is None:
                hit = ScreeningHit(
                    subject_kind=subject.kind,
                    subject_uuid=subject.uuid,
                    list_key=key[0],
                    entity_key=key[1],
                    entity_hash=m.entity.content_hash,
                    score=m.score,
                    explanation=m.explanation,
                    status=status,
                    screened_at=now,
                )
                session.add(hit)
                session.flush()
                if applies:
                    result.decisions_reused += 1
                else:
                    result.new_hit_ids.append(hit.id)
                continue
            if hit.entity_hash != m.entity.content_hash:
                if hit.status != OPEN and not applies:
                    result.reopened_hit_ids.append(hit.id)
                hit.status = status
                hit.entity_hash = m.entity.content_hash
            elif applies and hit.status != status:
                hit.status = status
            if hit.score != m.score or hit.explanation != m.explanation:
                hit.score = m.score
                hit.explanation = m.explanation
                result.updated += 1
            hit.screened_at = now
        for key, hit in existing.items():
            if (
                key not in matches
                and in_scope(subject.uuid, *key)
                and (hit.status == OPEN or not _entity_exists(session, *key))
            ):
                session.delete(hit)
                result.removed += 1
        result.subjects += 1
    if progress is not None:
        with contextlib.suppress(Cancelled):  # every subject is screened: nothing to stop
            progress(total, total, "")


def _entity_exists(session: Session, list_key: str, entity_key: str) -> bool:
    stmt = (
        select(ReferenceEntity.id)
        .join(ReferenceList, ReferenceEntity.list_id == ReferenceList.id)
        .where(ReferenceList.list_key == list_key, ReferenceEntity.entity_key == entity_key)
    )
    return session.scalar(stmt) is not None


def run_everyone(
    session: Session, progress: ProgressFn | None = None, cancel: CancelFn | None = None
) -> RunResult:
    """Every actor and contact against every list (the window's "screen all")."""
    index = build_index(session, progress=progress, cancel=cancel)
    return run_screening(session, index=index, progress=progress, cancel=cancel)


def run_screening(
    session: Session,
    *,
    index: AnyIndex | None = None,
    list_keys: Iterable[str] | None = None,
    actor_ids: Iterable[int] | None = None,
    include_contacts: bool = True,
    threshold: float = DEFAULT_THRESHOLD,
    progress: ProgressFn | None = None,
    cancel: CancelFn | None = None,
    uuids: Iterable[str] | None = None,
) -> RunResult:
    """Full run: the chosen actors (default all, with contacts) against the chosen lists;
    ``uuids`` narrows it to those actors and contacts (``screen --contact``).

    Decisions are reused while the entity's content hash is unchanged. On cancel, what was
    screened so far stays in the session; the caller decides whether to commit it.
    """
    keys = list(list_keys) if list_keys is not None else None
    if keys is not None:
        known = set(session.scalars(select(ReferenceList.list_key)))
        unknown = [k for k in keys if k not in known]
        if unknown:
            raise UserError(_("Unknown reference list: {name}").format(name=", ".join(unknown)))
    if index is None:
        index = build_index(session, keys)
    result = RunResult(entities=len(index))
    subjects = load_subjects(session, actor_ids, uuids, include_contacts=include_contacts)
    scope = set(keys) if keys is not None else None
    _screen(
        session,
        index,
        subjects,
        lambda _s, lk, _e: scope is None or lk in scope,
        threshold,
        progress,
        cancel,
        result,
    )
    from chinadialog_desktop.services.screening.checks import record_checks

    record_checks(session, [s.uuid for s in subjects[: result.subjects]], keys)
    return result


def run_delta(
    session: Session,
    *,
    changed_entities: Mapping[str, Iterable[str]] | None = None,
    changed_subjects: Iterable[str] = (),
    index: AnyIndex | None = None,
    threshold: float = DEFAULT_THRESHOLD,
    progress: ProgressFn | None = None,
    cancel: CancelFn | None = None,
) -> RunResult:
    """After a list update (``{list_key: new or changed entity keys}``) or edited actors.

    Every subject is screened against the changed entities only, and the changed subjects
    against everything (``index`` if given, else built). Removed entity keys may be passed
    too: their hits go away.
    """
    changed = {k: set(v) for k, v in (changed_entities or {}).items()}
    result = RunResult()
    subjects = load_subjects(session) if changed else []
    if subjects:  # nobody to screen: nothing to load either
        small = _index_of_changed(session, changed)
        result.entities = len(small)
        _screen(
            session,
            small,
            subjects,
            lambda _s, lk, ek: ek in changed.get(lk, ()),
            threshold,
            progress,
            cancel,
            result,
        )
        from chinadialog_desktop.services.screening.checks import record_checks

        record_checks(session, [s.uuid for s in subjects[: result.subjects]], changed)
        if result.cancelled:
            return result
    uuids = list(dict.fromkeys(changed_subjects))
    if uuids:
        if index is None:
            index = build_index(session)
        result.entities = max(result.entities, len(index))
        subjects = load_subjects(session, uuids=uuids)
        done = result.subjects
        _screen(session, index, subjects, lambda *_: True, threshold, progress, cancel, result)
        from chinadialog_desktop.services.screening.checks import record_checks

        record_checks(session, [s.uuid for s in subjects[: result.subjects - done]])
    return result


def _index_of_changed(session: Session, changed: Mapping[str, set[str]]) -> AnyIndex:
    """An index over the changed entities only: the stored one of their lists when every
    entity of those lists changed (a new list), else a small one built in memory."""
    whole = True
    for list_key, keys in changed.items():
        present = session.scalars(
            select(ReferenceEntity.entity_key)
            .join(ReferenceList, ReferenceEntity.list_id == ReferenceList.id)
            .where(ReferenceList.list_key == list_key)
        )
        if not all(k in keys for k in present):
            whole = False
            break
    if whole:
        return build_index(session, list(changed))
    return MatchIndex(load_entities(session, entity_keys=changed))


def run_after_list_update(
    session: Session,
    list_key: str,
    changed_keys: Iterable[str],
    removed_keys: Iterable[str] = (),
    **kwargs: Any,
) -> RunResult:
    """Delta run after importing a new version of one list (the importer's changed_keys and
    removed_keys)."""
    return run_delta(session, changed_entities={list_key: [*changed_keys, *removed_keys]}, **kwargs)


# --- review ---------------------------------------------------------------------------


def decide(
    session: Session, hit_id: int, decision: str, reason: str, by: str = ""
) -> ScreeningDecision:
    """Confirm or dismiss a hit with a reason; who and when are recorded.

    ``by`` is the name the user set in the app; without one, the OS login stands in.
    """
    if decision not in (CONFIRMED, DISMISSED):
        raise UserError(_("A decision is either “confirmed” or “dismissed”."))
    if not reason or not reason.strip():
        raise UserError(_("Please give a reason for the decision."))
    hit = session.get(ScreeningHit, hit_id)
    if hit is None:
        raise UserError(_("No screening hit with ID {id}.").format(id=hit_id))
    hit.status = decision
    record = ScreeningDecision(
        subject_uuid=hit.subject_uuid,
        list_key=hit.list_key,
        entity_key=hit.entity_key,
        entity_hash=hit.entity_hash,
        decision=decision,
        reason=reason.strip(),
        decided_by=by.strip() or current_user(),
        decided_at=utcnow(),
    )
    session.add(record)
    session.flush()
    return record


def confirm(session: Session, hit_id: int, reason: str) -> ScreeningDecision:
    return decide(session, hit_id, CONFIRMED, reason)


def dismiss(session: Session, hit_id: int, reason: str) -> ScreeningDecision:
    return decide(session, hit_id, DISMISSED, reason)


# --- reading --------------------------------------------------------------------------


def _subject_labels(session: Session, uuids: set[str]) -> dict[str, str]:
    if not uuids:
        return {}
    wanted = list(uuids)
    labels: dict[str, str] = {}
    for uuid, name in session.execute(
        select(Actor.uuid, Actor.name_de).where(Actor.uuid.in_(wanted))
    ):
        labels[uuid] = name
    for uuid, name in session.execute(
        select(Contact.uuid, Contact.name).where(Contact.uuid.in_(wanted))
    ):
        labels[uuid] = name
    return labels


def _rows(session: Session, hits: list[ScreeningHit]) -> list[HitRow]:
    labels = _subject_labels(session, {h.subject_uuid for h in hits})
    lists = {
        r.list_key: r
        for r in session.execute(
            select(ReferenceList.list_key, ReferenceList.name, ReferenceList.list_date)
        )
    }
    decisions = _latest_decisions(session, {h.subject_uuid for h in hits})
    out = []
    for h in hits:
        expl = h.explanation or {}
        lst = lists.get(h.list_key)
        d = decisions.get((h.subject_uuid, h.list_key, h.entity_key))
        decided = d is not None and h.status != OPEN and d.decision == h.status
        reopened = d is not None and h.status == OPEN and d.entity_hash != h.entity_hash
        out.append(
            HitRow(
                id=h.id,
                subject_kind=h.subject_kind,
                subject_uuid=h.subject_uuid,
                subject_label=labels.get(h.subject_uuid, h.subject_uuid),
                list_key=h.list_key,
                list_name=lst.name if lst else expl.get("list", {}).get("name", h.list_key),
                list_date=lst.list_date if lst else None,
                entity_key=h.entity_key,
                entity_caption=expl.get("entity", {}).get("caption", h.entity_key),
                entity_schema=expl.get("entity", {}).get("schema", ""),
                score=h.score,
                status=h.status,
                designations=list(expl.get("designations", [])),
                assessments=list(expl.get("assessments", [])),
                explanation=expl,
                lines=explanation_lines(expl),
                reason=d.reason if decided and d else None,
                decided_by=d.decided_by if decided and d else None,
                decided_at=d.decided_at if decided and d else None,
                earlier_decision=d.decision if reopened and d else None,
                earlier_reason=d.reason if reopened and d else None,
                earlier_by=d.decided_by if reopened and d else None,
                earlier_at=d.decided_at if reopened and d else None,
            )
        )
    return out


def hit_rows(
    session: Session,
    *,
    status: str | None = None,
    list_key: str | None = None,
    subject_uuids: Iterable[str] | None = None,
    hit_ids: Iterable[int] | None = None,
) -> list[HitRow]:
    """Hits for the review view: open ones first, then by score."""
    stmt = select(ScreeningHit)
    if status is not None:
        stmt = stmt.where(ScreeningHit.status == status)
    if list_key is not None:
        stmt = stmt.where(ScreeningHit.list_key == list_key)
    if subject_uuids is not None:
        stmt = stmt.where(ScreeningHit.subject_uuid.in_(list(subject_uuids)))
    if hit_ids is not None:
        stmt = stmt.where(ScreeningHit.id.in_(list(hit_ids)))
    hits = list(session.scalars(stmt))
    order = {OPEN: 0, CONFIRMED: 1, DISMISSED: 2}
    hits.sort(key=lambda h: (order.get(h.status, 3), -h.score, h.id))
    return _rows(session, hits)


def _confirmed_existing(session: Session, uuids: list[str]) -> list[HitRow]:
    if not uuids:
        return []
    rows = hit_rows(session, status=CONFIRMED, subject_uuids=uuids)
    # A confirmed hit on an entity that has since left its list is history, not a finding.
    return [r for r in rows if _entity_exists(session, r.list_key, r.entity_key)]


def confirmed_hits_for_actor(session: Session, actor_id: int) -> list[HitRow]:
    """Confirmed hits of an actor and of its contacts, for the actor view and the briefing."""
    actor = session.get(Actor, actor_id)
    if actor is None:
        raise UserError(_("No actor with ID {id}.").format(id=actor_id))
    uuids = [actor.uuid, *session.scalars(select(Contact.uuid).where(Contact.actor_id == actor_id))]
    return _confirmed_existing(session, uuids)


def confirmed_hits_for_dossier(session: Session, dossier_id: int) -> list[HitRow]:
    """Confirmed hits of every party (and contact) of the dossier's partnerships."""
    p_ids = list(
        session.scalars(
            select(DossierPartnership.partnership_id).where(
                DossierPartnership.dossier_id == dossier_id
            )
        )
    )
    if not p_ids:
        return []
    actor_ids = list(
        session.scalars(
            select(PartnershipParty.actor_id).where(PartnershipParty.partnership_id.in_(p_ids))
        )
    )
    uuids = list(session.scalars(select(Actor.uuid).where(Actor.id.in_(actor_ids))))
    uuids += session.scalars(
        select(Contact.uuid).where(
            (Contact.actor_id.in_(actor_ids)) | (Contact.partnership_id.in_(p_ids))
        )
    )
    return _confirmed_existing(session, list(dict.fromkeys(uuids)))


def delete_hits_of_subject(session: Session, subject_uuid: str) -> int:
    """When an actor or contact is deleted, its hits go with it (decisions stay as history)."""
    res = session.execute(delete(ScreeningHit).where(ScreeningHit.subject_uuid == subject_uuid))
    return int(getattr(res, "rowcount", 0) or 0)


# --- explanation in words -------------------------------------------------------------


def _percent(value: float) -> str:
    return format_number(value * 100, 0) + " %"


# FollowTheMoney schema names of listed entities, in words.
SCHEMA_LABELS = {
    "Organization": N_("Organisation"),
    "Company": N_("Company"),
    "PublicBody": N_("Public body"),
    "LegalEntity": N_("Legal entity"),
    "Person": N_("Person"),
}


# FollowTheMoney identifier properties of listed entities, in words.
IDENTIFIER_LABELS = {
    "uscCode": N_("Unified social credit code"),
    "registrationNumber": N_("Registration number"),
    "taxNumber": N_("Tax number"),
    "vatCode": N_("VAT number"),
    "leiCode": N_("Legal Entity Identifier (LEI)"),
    "idNumber": N_("ID number"),
    "passportNumber": N_("Passport number"),
    "swiftBic": N_("SWIFT/BIC"),
    "dunsCode": N_("D-U-N-S number"),
    "isin": N_("ISIN"),
}


def identifier_label(scheme: object) -> str:
    """``uscCode`` → Einheitlicher Sozialkreditcode …; another scheme → "identifier"."""
    text = str(scheme)
    return _(IDENTIFIER_LABELS[text]) if text in IDENTIFIER_LABELS else _("identifier")


def schema_label(schema: object) -> str:
    """``Organization`` → Organisation, ``Company`` → Unternehmen …; anything else as is."""
    text = str(schema)
    return _(SCHEMA_LABELS[text]) if text in SCHEMA_LABELS else text


def _points(delta: float) -> str:
    return format_number(delta * 100, 0)


def explanation_lines(expl: Mapping[str, Any]) -> list[str]:
    """The explanation of a hit as sentences in the current language (German by default)."""
    lines: list[str] = []
    name = expl.get("name")
    ident = expl.get("identifier")
    if ident:
        lines.append(
            _(
                "The identifier {value} ({scheme}) is the same on both sides; "
                "this decides on its own."
            ).format(value=ident["value"], scheme=identifier_label(ident["theirs_scheme"]))
        )
    if name:
        lines.append(
            _("Our name “{ours}” meets their name “{theirs}”: {percent} alike.").format(
                ours=name["ours"], theirs=name["theirs"], percent=_percent(name["similarity"])
            )
        )
        method = name.get("method")
        notes = list(name.get("notes") or [])
        differs = name.get("differs")
        if differs:
            lines.append(_differs_line(differs))
        if method == "hanzi_exact":
            lines.append(_("The Chinese characters are identical."))
        elif method == "hanzi_reading" and "rare_reading" in notes:
            lines.append(
                _(
                    "The characters differ and sound alike only in a rare reading; "
                    "this is probably another name."
                )
            )
        elif method == "hanzi_reading":
            lines.append(
                _(
                    "The characters differ but read the same in pinyin "
                    "(e.g. traditional and simplified characters)."
                )
            )
        elif not differs and (method == "exact" or (method == "joined" and not name.get("edits"))):
            lines.append(
                _("After normalisation both read “{normalised}”.").format(
                    normalised=name["theirs_normalised"]
                )
            )
        elif method == "tokens":
            lines.append(
                _("Compared word by word: “{ours}” against “{theirs}”.").format(
                    ours=name["ours_normalised"], theirs=name["theirs_normalised"]
                )
            )
        edits = int(name.get("edits") or 0)
        another_name = {"syllable_missing", "pinyin_syllable_differs", "rare_reading"}
        another_name.add("pinyin_typo")  # said in its own sentence below
        if (
            edits
            and method != "hanzi_fuzzy"
            and ("typo" in notes or not differs)
            and not another_name & set(notes)
        ):
            lines.append(
                (
                    _("{n} letter differs (a typo or another spelling).")
                    if edits == 1
                    else _("{n} letters differ (typos or another spelling).")
                ).format(n=edits)
            )
        if name.get("transliterated"):
            lines.append(_("Chinese characters were compared as pinyin."))
        if name.get("order_swapped"):
            lines.append(_("The order of the name parts differs (family name first or last)."))
        if name.get("removed"):
            lines.append(
                _("Left out as legal form or generic word: {words}.").format(
                    words=", ".join(name["removed"])
                )
            )
        if "syllable_missing" in notes:
            lines.append(
                _("A syllable is missing; in Chinese names that means another name, not a typo.")
            )
        if "pinyin_typo" in notes:
            lines.append(
                _(
                    "One letter of the distinctive part differs and both spellings are "
                    "pinyin: counted as a typo, as the list holds no closer name."
                )
            )
        if "pinyin_syllable_differs" in notes:
            lines.append(
                _("A pinyin syllable differs; in Chinese names that usually means another person.")
            )
        if "syllables_reordered" in name.get("notes", []):
            lines.append(_("The same syllables appear in another order."))
        if name.get("weak_alias"):
            lines.append(_("Their name is only a weak alias, so it counts less."))
    for item in expl.get("agreed", []):
        code = item.get("code")
        if code == "country":
            lines.append(_("The country agrees ({country}).").format(country=item["ours"]))
        elif code == "kind":
            schema = schema_label(item["theirs"])
            lines.append(_("The kind agrees ({schema}).").format(schema=schema))
    for item in expl.get("lowered", []):
        code = item.get("code")
        if code == "country_mismatch":
            lines.append(
                _("The country differs: ours {ours}, theirs {theirs} ({points} points).").format(
                    ours=item["ours"],
                    theirs=", ".join(item["theirs"]),
                    points=_points(item["delta"]),
                )
            )
        elif code == "kind_mismatch":
            ours = _("person") if item["ours"] == "person" else _("organisation")
            lines.append(
                _(
                    "The kind differs: ours is a {ours}, theirs a {theirs} ({points} points)."
                ).format(
                    ours=ours, theirs=schema_label(item["theirs"]), points=_points(item["delta"])
                )
            )
        elif code == "identifier_invalid":
            lines.append(
                _(
                    "Our credit code {ours} has a wrong check character (GB 32100-2015); "
                    "it was not compared, the names decide."
                ).format(ours=", ".join(item["ours"]))
            )
        elif code == "identifier_conflict":
            lines.append(
                _(
                    "Two different valid credit codes: ours {ours}, theirs {theirs}; "
                    "evidence against the same organisation ({points} points)."
                ).format(
                    ours=", ".join(item["ours"]),
                    theirs=", ".join(item["theirs"]),
                    points=_points(item["delta"]),
                )
            )
    lst = expl.get("list") or {}
    list_date = date.fromisoformat(lst["date"]) if lst.get("date") else None
    lines.append(
        _("List: {name}, as of {date}.").format(
            name=lst.get("name") or lst.get("key", ""),
            date=format_date(list_date) if list_date else _("unknown date"),
        )
    )
    if expl.get("designations"):
        lines.append(
            _("Legal designation: {topics}.").format(topics=topic_labels(expl["designations"]))
        )
    if expl.get("assessments"):
        lines.append(
            _("Assessment (not a legal designation): {topics}.").format(
                topics=topic_labels(expl["assessments"])
            )
        )
    if "score" in expl and expl.get("threshold") is not None:
        lines.append(
            _("Overall score: {percent} (hits from {threshold}).").format(
                percent=_percent(expl["score"]), threshold=_percent(float(expl["threshold"]))
            )
        )
    elif "score" in expl:
        lines.append(_("Overall score: {percent}.").format(percent=_percent(expl["score"])))
    return lines


def _differs_line(differs: list[str] | tuple[str, ...]) -> str:
    """What tells the two names apart: "Ortsname weicht ab: Xihai ≠ Jiyuan"."""
    kind, ours, theirs = differs[0], differs[1], differs[2]
    if kind == "place":
        return _("Place name differs: {ours} ≠ {theirs}.").format(ours=ours, theirs=theirs)
    if kind == "body":

        def words(text: str) -> str:
            return ", ".join(
                body_label(k) if "_" in k or k.islower() else k for k in text.split(", ")
            )

        return _("Public body differs: {ours} ≠ {theirs}.").format(
            ours=words(ours), theirs=words(theirs)
        )
    return _("The distinctive part of the name differs: {ours} ≠ {theirs}.").format(
        ours=ours, theirs=theirs
    )
