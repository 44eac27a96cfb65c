"""Dry run and commit for dossiers, checklist templates and assessments.

The same rules as for flat records (see datasets_merge): new, updated,
unchanged or conflict, decided against what the last import left behind. Two
additions: a template version is immutable (a changed template needs a higher
version; an older one is refused), and a signed (or superseded) assessment is
never overwritten — any different incoming version of it is a conflict, and
"take theirs" stores the file's version as a new revision after the signed one.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from chinadialog_desktop.domain.checklist import Template
from chinadialog_desktop.domain.enums import AssessmentStatus, SessionPublicity
from chinadialog_desktop.i18n import _
from chinadialog_desktop.interchange.problems import ProblemList
from chinadialog_desktop.persistence.models import (
    Assessment,
    AssessmentAnswer,
    ChecklistTemplate,
    Deliberation,
    Dossier,
    DossierPartnership,
    DossierSection,
    DossierSource,
    Partnership,
    Source,
)
from chinadialog_desktop.services.assessment import checklists
from chinadialog_desktop.services.datasets.merge import (
    CONFLICT,
    NEW,
    UNCHANGED,
    UPDATED,
    Change,
    Plan,
    PlanItem,
    duplicate_message,
)
from chinadialog_desktop.services.datasets.nested import (
    ANSWER_DEFAULTS,
    ASSESSMENT_DEFAULTS,
    ASSESSMENTS,
    DOSSIER_DEFAULTS,
    DOSSIER_FIELDS,
    DOSSIERS,
    FROZEN,
    NESTED_KINDS,
    TEMPLATES,
    NestedRecord,
    nested_digest,
    nested_same,
    stored_value,
    template_ref,
    to_date,
    to_datetime,
)
from chinadialog_desktop.services.datasets.nested_state import (
    load_assessments,
    load_dossiers,
    template_versions,
    uuids,
)
from chinadialog_desktop.services.datasets.state import import_bases
from chinadialog_desktop.services.datasets.uuid7 import uuid7

MINE, THEIRS = "mine", "theirs"


def _changes(local: Mapping[str, Any], target: Mapping[str, Any]) -> list[Change]:
    """Field by field; sections and answers by their keys, so a conflict says what differs."""
    changes: list[Change] = []
    for name in target:
        mine, theirs = local.get(name), target.get(name)
        if nested_same(mine, theirs):
            continue
        if name == "sections":
            mine_by = {s["key"]: s for s in mine or []}
            theirs_by = {s["key"]: s for s in theirs or []}
            keys = list(dict.fromkeys([*mine_by, *theirs_by]))
            split = [
                Change(f"sections.{k}", mine_by.get(k), theirs_by.get(k))
                for k in keys
                if not nested_same(mine_by.get(k), theirs_by.get(k))
            ]
            changes.extend(split or [Change(name, mine, theirs)])  # only the order differs
        elif name == "answers":
            mine_d, theirs_d = mine or {}, theirs or {}
            for k in dict.fromkeys([*mine_d, *theirs_d]):
                if not nested_same(mine_d.get(k), theirs_d.get(k)):
                    changes.append(Change(f"answers.{k}", mine_d.get(k), theirs_d.get(k)))
        else:
            changes.append(Change(name, mine, theirs))
    return changes


class _NestedPlanner:
    def __init__(self, session: Session, plan: Plan, problems: ProblemList) -> None:
        self.session = session
        self.plan = plan
        self.problems = problems
        self.bases = import_bases(session)
        self.aliases = plan.aliases
        self.partnerships = uuids(session, Partnership) | plan.uuids("partnerships")
        self.sources = uuids(session, Source) | plan.uuids("sources")
        self.dossiers_local = load_dossiers(session)
        self.assessments_local, self.statuses = load_assessments(session)
        self.templates = template_versions(session)
        self.dossiers = set(self.dossiers_local)
        self.assessments = set(self.assessments_local)
        self.template_items: dict[str, dict[str, set[str]]] = {}  # ref → item → answer codes
        self.seen: dict[tuple[str, str], dict[str, Any]] = {}  # → place of the first
        self.incoming_assessments: set[str] = set()

    # ------------------------------------------------------------------ helpers

    def _ref(self, ref: str | None) -> str | None:
        return self.aliases.get(ref, ref) if ref else ref

    def _unknown(self, rec: NestedRecord, key: str, ref: str, what: str) -> None:
        self.problems.error(
            _("The {what} {uuid} is neither in the database nor in the import.").format(
                what=what, uuid=ref
            ),
            code="record.unknown_reference",
            **rec.where(key, ref),
        )

    def _duplicate(self, rec: NestedRecord, label: str) -> bool:
        first = self.seen.get((rec.kind, rec.uuid))
        if first is not None:
            self.problems.error(
                duplicate_message(first, label), code="record.duplicate", **rec.place
            )
            return True
        self.seen[(rec.kind, rec.uuid)] = rec.place
        return False

    def _classify(
        self,
        rec: NestedRecord,
        provided: dict[str, Any],
        local: dict[str, Any] | None,
        defaults: Mapping[str, Any],
        label: str,
        frozen: bool = False,
    ) -> None:
        theirs = nested_digest(provided)
        if local is None:
            target = {**defaults, **provided}
            item = PlanItem(rec.kind, NEW, rec.uuid, label, target, theirs, place=rec.place)
        else:
            target = {**local, **provided}
            changes = _changes(local, target)
            base = self.bases.get(rec.uuid)
            if not changes or (base is not None and base[0] == theirs):
                status, target = UNCHANGED, dict(local)
            elif frozen:
                status = CONFLICT
            elif base is not None and nested_digest(local) == base[1]:
                status = UPDATED
            else:
                status = CONFLICT
            item = PlanItem(
                rec.kind,
                status,
                rec.uuid,
                label,
                target,
                theirs,
                nested_digest(local),
                changes,
                rec.place,
            )
        self.plan.items.append(item)

    # ------------------------------------------------------------------ kinds

    def template(self, rec: NestedRecord) -> None:
        t = rec.template
        assert t is not None
        label = f"{t.title.de} (v{t.version})"
        if self._duplicate(rec, label):
            return
        versions = self.templates.get(t.id, {})
        status = NEW
        if t.version in versions:
            if versions[t.version] != t.sha256():
                self.problems.error(
                    _(
                        "Version {version} of {key} is already imported with different content. "
                        "A changed template needs a higher version number."
                    ).format(version=t.version, key=t.id),
                    code="template.version",
                    **rec.place,
                )
                return
            status = UNCHANGED
        elif versions and t.version < max(versions):
            self.problems.error(
                _(
                    "Version {version} of {key} is older than version {newest}, which is already "
                    "imported. Only higher versions can be imported."
                ).format(version=t.version, key=t.id, newest=max(versions)),
                code="template.version",
                **rec.place,
            )
            return
        self.template_items[rec.uuid] = _answer_codes(t)
        digest = rec.values["sha256"][:24]
        self.plan.items.append(
            PlanItem(TEMPLATES, status, rec.uuid, label, dict(rec.values), digest, place=rec.place)
        )
        self.plan.templates[rec.uuid] = t

    def dossier(self, rec: NestedRecord) -> None:
        local = self.dossiers_local.get(rec.uuid)
        label = str(rec.values.get("title") or (local or {}).get("title") or rec.uuid)
        if self._duplicate(rec, label):
            return
        provided = dict(rec.values)
        ok = True
        if local is None and not provided.get("title"):
            self.problems.error(
                _("The record lacks: {fields}.").format(fields="title"),
                code="record.incomplete",
                **rec.where(f"{rec.place['key']}.title"),
            )
            ok = False
        if "partnerships" in provided:
            links = []
            for n, raw in enumerate(provided["partnerships"]):
                ref = str(self._ref(raw))
                if ref not in self.partnerships:
                    self._unknown(rec, f"{rec.place['key']}.partnerships[{n}]", raw, "partnership")
                    ok = False
                links.append(ref)
            provided["partnerships"] = list(dict.fromkeys(links))
        if "sources" in provided:
            cited = []
            for n, link in enumerate(provided["sources"]):
                source = self._ref(link["source_uuid"])
                if source not in self.sources:
                    key = f"{rec.place['key']}.sources[{n}].source_uuid"
                    self._unknown(rec, key, link["source_uuid"], "source")
                    ok = False
                cited.append({"number": link["number"], "source_uuid": source})
            provided["sources"] = cited
        self.dossiers.add(rec.uuid)  # in the import, even if reported: no follow-up errors
        if ok:
            self._classify(rec, provided, local, DOSSIER_DEFAULTS, label)

    def _template_items(self, ref: str) -> dict[str, set[str]] | None:
        """Item id → the answer codes its scale allows, for a template here or in the import."""
        if ref in self.template_items:
            return self.template_items[ref]
        key, _at, version = ref.rpartition("@")
        record = self.session.scalars(
            select(ChecklistTemplate).where(
                ChecklistTemplate.template_key == key,
                ChecklistTemplate.template_version == int(version),
            )
        ).first()
        if record is None:
            return None
        self.template_items[ref] = _answer_codes(checklists.to_domain(record))
        return self.template_items[ref]

    def assessment(self, rec: NestedRecord) -> None:
        local = self.assessments_local.get(rec.uuid)
        label = str(rec.values.get("title") or (local or {}).get("title") or rec.uuid)
        if self._duplicate(rec, label):
            return
        provided = dict(rec.values)
        key = rec.place["key"]
        ok = True
        if local is None:
            missing = [f for f in ("title", "template") if not provided.get(f)]
            if missing:
                self.problems.error(
                    _("The record lacks: {fields}.").format(fields=", ".join(missing)),
                    code="record.incomplete",
                    **rec.where(key),
                )
                return
        template = provided.get("template") or (local or {}).get("template")
        items: dict[str, set[str]] | None = None
        if template:
            ref = template_ref(template["id"], template["version"])
            items = self._template_items(ref)
            if items is None:
                self.problems.error(
                    _(
                        "The checklist template {key} version {version} is neither in the "
                        "database nor in the import."
                    ).format(key=template["id"], version=template["version"]),
                    code="record.unknown_reference",
                    **rec.where(f"{key}.template", template["id"]),
                )
                ok = False
        for name, known, what in (
            ("partnership_uuid", self.partnerships, "partnership"),
            ("dossier_uuid", self.dossiers, "dossier"),
            ("previous_uuid", self.assessments | self.incoming_assessments, "assessment"),
        ):
            linked = self._ref(provided.get(name))
            if linked is not None and linked not in known:
                self._unknown(rec, f"{key}.{name}", provided[name], what)
                ok = False
            if name in provided:
                provided[name] = linked
        for item_key, answer in (provided.get("answers") or {}).items():
            if items is not None and item_key not in items:
                self.problems.error(
                    _("The template has no item '{item}'.").format(item=item_key),
                    code="record.unknown_reference",
                    **rec.where(f"{key}.answers.{item_key}", item_key),
                )
                ok = False
            elif items is not None and answer["answer"] not in (None, *items[item_key]):
                self.problems.error(
                    _("'{code}' is not an answer to {item}; possible: {codes}.").format(
                        code=answer["answer"],
                        item=item_key,
                        codes=", ".join(sorted(items[item_key])),
                    ),
                    code="value.invalid",
                    **rec.where(f"{key}.answers.{item_key}.answer", item_key),
                )
                ok = False
            refs = []
            for n, source in enumerate(answer["source_uuids"]):
                resolved = self._ref(source)
                if resolved not in self.sources:
                    where = f"{key}.answers.{item_key}.source_uuids[{n}]"
                    self._unknown(rec, where, source, "source")
                    ok = False
                refs.append(resolved)
            answer["source_uuids"] = refs
        if ok:
            self.assessments.add(rec.uuid)
            frozen = self.statuses.get(rec.uuid) in FROZEN
            self._classify(rec, provided, local, ASSESSMENT_DEFAULTS, label, frozen)


def _answer_codes(template: Template) -> dict[str, set[str]]:
    return {item.id: {o.code for o in template.scale_for(item)} for item in template.items()}


def plan_nested(
    session: Session, plan: Plan, records: list[NestedRecord], problems: ProblemList
) -> None:
    """Add the nested records to ``plan`` (read only): templates, dossiers, then assessments."""
    if not records:
        return
    planner = _NestedPlanner(session, plan, problems)
    planner.incoming_assessments = {r.uuid for r in records if r.kind == ASSESSMENTS}
    for kind, step in (
        (TEMPLATES, planner.template),
        (DOSSIERS, planner.dossier),
        (ASSESSMENTS, planner.assessment),
    ):
        for rec in records:
            if rec.kind == kind:
                step(rec)


# --------------------------------------------------------------------------- commit


def _decision(item: PlanItem, resolutions: Mapping[str, str], default: str | None) -> str | None:
    return resolutions.get(item.uuid, default)


class _Ids:
    """uuid → local row id, one query per table (and one per row written during the import)."""

    def __init__(self, session: Session) -> None:
        self.session = session
        self.maps: dict[Any, dict[str, int]] = {}
        self.templates: dict[tuple[str, int], int] = {}

    def __call__(self, model: Any, uuid: str | None) -> int | None:
        if uuid is None:
            return None
        known = self.maps.get(model)
        if known is None:
            rows = self.session.execute(select(model.uuid, model.id))
            known = self.maps[model] = {u: i for u, i in rows}
        if uuid not in known:
            known[uuid] = self.session.scalars(select(model.id).where(model.uuid == uuid)).one()
        return known[uuid]

    def template(self, template: Mapping[str, Any]) -> int:
        key = (template["id"], template["version"])
        if key not in self.templates:
            self.templates[key] = self.session.scalars(
                select(ChecklistTemplate.id).where(
                    ChecklistTemplate.template_key == key[0],
                    ChecklistTemplate.template_version == key[1],
                )
            ).one()
        return self.templates[key]


def _write_dossier(
    session: Session,
    dossier: Dossier,
    target: dict[str, Any],
    fields: set[str],
    ids: _Ids,
    new: bool = False,
) -> None:
    """Set the given fields; a new dossier's children are built without reading any."""
    for name, shape in DOSSIER_FIELDS.items():
        if name in fields:
            value = stored_value(shape, target.get(name))
            setattr(dossier, name, value if value is not None else DOSSIER_DEFAULTS.get(name))
    if "sections" in fields:
        wanted = {s["key"]: (n, s) for n, s in enumerate(target.get("sections") or [])}
        if not new:
            for section in list(dossier.sections):
                if section.key not in wanted:
                    dossier.sections.remove(section)
            session.flush()
        have = {} if new else {s.key: s for s in dossier.sections}
        for key, (position, s) in wanted.items():
            row = have.get(key)
            if row is None:
                dossier.sections.append(
                    DossierSection(
                        key=key, position=position, body=s["body"], internal=s["internal"]
                    )
                )
            else:
                row.position, row.body, row.internal = position, s["body"], s["internal"]
    if "deliberations" in fields and not new:
        dossier.deliberations.clear()
        session.flush()
    if "deliberations" in fields:
        for position, d in enumerate(target.get("deliberations") or []):
            dossier.deliberations.append(
                Deliberation(
                    position=position,
                    body=d["body"],
                    meeting_on=to_date(d["meeting_on"]),
                    role=d["role"],
                    status=d["status"],
                    publicity=d.get("publicity") or SessionPublicity.AS_DOSSIER.value,
                )
            )
    if "partnerships" in fields and not new:
        dossier.partnership_links.clear()
        session.flush()
    if "partnerships" in fields:
        for position, ref in enumerate(target.get("partnerships") or []):
            dossier.partnership_links.append(
                DossierPartnership(partnership_id=ids(Partnership, ref), position=position)
            )
    if "sources" in fields and not new:
        dossier.source_links.clear()
        session.flush()
    if "sources" in fields:
        for link in target.get("sources") or []:
            dossier.source_links.append(
                DossierSource(source_id=ids(Source, link["source_uuid"]), number=link["number"])
            )


def _answer_values(a: Mapping[str, Any]) -> dict[str, Any]:
    a = {**ANSWER_DEFAULTS, **a}
    return {
        "answer": a["answer"],
        "evidence": a["evidence"],
        "responsible": a["responsible"],
        "due_on": to_date(a["due_on"]),
        "review_by": to_date(a["review_by"]),
        "reconfirm": bool(a["reconfirm"]),
        "changed_item": bool(a["changed_item"]),
        "answered_by": a["answered_by"],
        "answered_at": to_datetime(a["answered_at"]),
        "source_ids": list(a["source_uuids"]),
        "note": a["note"],
    }


def _write_assessment(
    session: Session,
    a: Assessment,
    target: dict[str, Any],
    fields: set[str],
    ids: _Ids,
    new: bool = False,
) -> None:
    simple = ("title", "revision", "status", "classification", "reviewed_by", "archive_note")
    for name in simple:
        if name in fields:
            setattr(
                a,
                name,
                target.get(name) if target.get(name) is not None else ASSESSMENT_DEFAULTS.get(name),
            )
    if "reviewed_on" in fields:
        a.reviewed_on = to_date(target.get("reviewed_on"))
    if "signed_at" in fields:
        a.signed_at = to_datetime(target.get("signed_at"))
    if "template" in fields:
        a.template_id = ids.template(target["template"])
    if "partnership_uuid" in fields:
        a.partnership_id = ids(Partnership, target.get("partnership_uuid"))
    if "dossier_uuid" in fields:
        a.dossier_id = ids(Dossier, target.get("dossier_uuid"))
    if "answers" in fields:
        wanted = target.get("answers") or {}
        if not new:
            for row in list(a.answers):
                if row.item_key not in wanted:
                    a.answers.remove(row)
            session.flush()
        have = {} if new else {row.item_key: row for row in a.answers}
        for item_key, values in wanted.items():
            existing = have.get(item_key)
            if existing is None:
                a.answers.append(AssessmentAnswer(item_key=item_key, **_answer_values(values)))
            else:
                for name, value in _answer_values(values).items():
                    setattr(existing, name, value)


def _new_assessment(session: Session, uuid: str, target: dict[str, Any], ids: _Ids) -> Assessment:
    a = Assessment(uuid=uuid, template_id=ids.template(target["template"]), answers=[])
    session.add(a)
    _write_assessment(session, a, target, set(target) - {"template"}, ids, new=True)
    return a


def apply_nested(
    session: Session,
    plan: Plan,
    resolutions: Mapping[str, str],
    default: str | None,
    problems: ProblemList,
) -> dict[str, list[str]]:
    """Write the nested items of ``plan``; returns uuid → [provided digest, digest after]."""
    fingerprints: dict[str, list[str]] = {}
    items = [i for i in plan.items if i.kind in NESTED_KINDS]
    if not items:
        return fingerprints

    def take(item: PlanItem) -> bool:
        return item.status in (NEW, UPDATED) or (
            item.status == CONFLICT and _decision(item, resolutions, default) == THEIRS
        )

    new_templates = sorted(
        (i for i in items if i.kind == TEMPLATES and i.status == NEW),
        key=lambda i: (i.target["id"], i.target["version"]),
    )
    ids = _Ids(session)
    for item in new_templates:
        try:
            checklists.import_template(session, plan.templates[item.uuid])
        except checklists.TemplateVersionRefused as exc:
            problems.error(str(exc), code="template.version", **item.place)
            return fingerprints
    for item in items:
        if item.kind != DOSSIERS:
            continue
        if take(item):
            new = item.status == NEW
            if new:
                dossier = Dossier(
                    uuid=item.uuid,
                    sections=[],
                    deliberations=[],
                    partnership_links=[],
                    source_links=[],
                )
                session.add(dossier)
                fields = set(item.target)
            else:
                dossier = session.scalars(select(Dossier).where(Dossier.uuid == item.uuid)).one()
                fields = {c.field.split(".")[0] for c in item.changes}
            _write_dossier(session, dossier, item.target, fields, ids, new)
            fingerprints[item.uuid] = [item.provided_digest, nested_digest(item.target)]
        else:
            fingerprints[item.uuid] = [
                item.provided_digest,
                item.local_digest or nested_digest(item.target),
            ]
    session.flush()
    previous: list[tuple[Assessment, str]] = []
    for item in items:
        if item.kind != ASSESSMENTS:
            continue
        fingerprints[item.uuid] = [
            item.provided_digest,
            item.local_digest or nested_digest(item.target),
        ]
        if not take(item):
            continue
        target = item.target
        if item.status == NEW:
            a = _new_assessment(session, item.uuid, target, ids)
            fingerprints[item.uuid][1] = nested_digest(target)
        else:
            a = session.scalars(select(Assessment).where(Assessment.uuid == item.uuid)).one()
            if a.status in FROZEN:
                # Never overwritten: the file's version becomes the next revision.
                signed = a
                a = _new_assessment(session, uuid7(), target, ids)
                a.revision = signed.revision + 1
                a.previous_id = signed.id
                if signed.status == AssessmentStatus.SIGNED.value:
                    signed.status = AssessmentStatus.SUPERSEDED.value
                session.flush()
                continue
            changed = {c.field.split(".")[0] for c in item.changes}
            _write_assessment(session, a, target, changed, ids)
            fingerprints[item.uuid][1] = nested_digest(target)
        if "previous_uuid" in target:
            previous.append((a, target.get("previous_uuid") or ""))
    session.flush()
    for a, ref in previous:
        a.previous_id = ids(Assessment, ref) if ref else None
    session.flush()
    return fingerprints
