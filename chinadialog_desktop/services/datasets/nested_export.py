"""Export dossiers, checklist templates and assessments as JSON records and package members."""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

import yaml
from sqlalchemy import or_, select
from sqlalchemy.orm import Session, selectinload

from chinadialog_desktop.interchange.package_writer import PackageMember
from chinadialog_desktop.persistence.models import (
    Assessment,
    ChecklistTemplate,
    Dossier,
    Partnership,
)
from chinadialog_desktop.services.assessment.checklists import to_domain
from chinadialog_desktop.services.datasets.nested import (
    ASSESSMENTS,
    DOSSIERS,
    TEMPLATES,
    template_ref,
)
from chinadialog_desktop.services.datasets.nested_state import load_assessments, load_dossiers

TEMPLATE_KIND = "checklist_template"  # the manifest kind of a template member


def nested_scope(
    session: Session, dossier_id: int, scope: dict[str, set[str] | None]
) -> dict[str, set[str] | None]:
    """What a dossier brings along: itself, its (and its partnerships') assessments, their
    templates; the sources the answers cite are added to ``scope["sources"]``."""
    dossier = session.get(Dossier, dossier_id)
    assert dossier is not None  # _dossier_scope has checked
    partnerships = scope.get("partnerships") or set()
    partnership_ids = set(
        session.scalars(select(Partnership.id).where(Partnership.uuid.in_(partnerships)))
    )
    query = (
        select(Assessment)
        .options(selectinload(Assessment.answers), selectinload(Assessment.template))
        .where(
            or_(
                Assessment.dossier_id == dossier_id,
                Assessment.partnership_id.in_(partnership_ids),
            )
        )
    )
    assessments: set[str] = set()
    templates: set[str] = set()
    sources = scope.get("sources")
    for a in session.scalars(query):
        assessments.add(a.uuid)
        templates.add(template_ref(a.template.template_key, a.template.template_version))
        if sources is not None:
            for answer in a.answers:
                sources.update(answer.source_ids or [])
    return {DOSSIERS: {dossier.uuid}, ASSESSMENTS: assessments, TEMPLATES: templates}


def nested_rows(session: Session, kind: str, only: set[str] | None) -> list[dict[str, Any]]:
    """The records of a nested kind as exchanged (for templates: their published documents)."""
    if kind == DOSSIERS:
        return [{"uuid": u, **state} for u, state in load_dossiers(session, only).items()]
    if kind == ASSESSMENTS:
        states, _statuses = load_assessments(session, only)
        return [{"uuid": u, **state} for u, state in states.items()]
    records = session.scalars(
        select(ChecklistTemplate)
        .options(selectinload(ChecklistTemplate.sections), selectinload(ChecklistTemplate.items))
        .order_by(ChecklistTemplate.template_key, ChecklistTemplate.template_version)
    )
    return [
        to_domain(r).as_document()
        for r in records
        if only is None or template_ref(r.template_key, r.template_version) in only
    ]


def nested_json(nested: dict[str, list[dict[str, Any]]]) -> dict[str, list[dict[str, Any]]]:
    """The ``records`` entries of a JSON dataset for the nested kinds, templates first."""
    order = (TEMPLATES, DOSSIERS, ASSESSMENTS)
    return {kind: nested[kind] for kind in order if kind in nested}


def template_yaml(document: dict[str, Any]) -> bytes:
    """A template document in its own YAML format, as the checklist tools write it."""
    header = f"# {document['title']['de']} — {document['id']}, version {document['version']}\n"
    body = yaml.safe_dump(document, allow_unicode=True, sort_keys=False, width=100)
    return (header + body).encode("utf-8")


def _slug(key: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", key.lower().removeprefix("urn:")).strip("-") or "template"


def nested_members(
    nested: dict[str, list[dict[str, Any]]],
    document: Callable[[dict[str, list[dict[str, Any]]]], bytes],
) -> list[PackageMember]:
    """Package members: one YAML file per template, dossiers.json, assessments.json."""
    members: list[PackageMember] = []
    for doc in nested.get(TEMPLATES, []):
        path = f"checklist-{_slug(doc['id'])}-v{doc['version']}.yaml"
        members.append(PackageMember(path, template_yaml(doc), "yaml", TEMPLATE_KIND, 1))
    for kind in (DOSSIERS, ASSESSMENTS):
        if kind in nested:
            rows = nested[kind]
            members.append(
                PackageMember(
                    f"{kind}.json", document({kind: rows}), "json", kind, len(rows), (), "utf-8"
                )
            )
    return members
