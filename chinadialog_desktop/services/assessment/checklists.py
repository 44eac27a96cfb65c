"""Checklist templates in the database: import (version rules), bundled install, lookup, export."""

from __future__ import annotations

import re
from dataclasses import asdict, dataclass
from datetime import date
from pathlib import Path
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session, selectinload

from chinadialog_desktop.domain.checklist import (
    AnswerOption,
    Dependency,
    Item,
    LocalText,
    Reference,
    Section,
    SectionKind,
    Template,
)
from chinadialog_desktop.domain.enums import Severity
from chinadialog_desktop.errors import NotFound, UserError
from chinadialog_desktop.i18n import _
from chinadialog_desktop.interchange.checklist_yaml import load_template, write_template
from chinadialog_desktop.paths import resources_dir
from chinadialog_desktop.persistence.models import (
    Assessment,
    ChecklistItem,
    ChecklistSection,
    ChecklistTemplate,
)

UUID_RE = re.compile(r"^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$", re.I)
TEMPLATE_SUFFIXES = (".yaml", ".yml", ".json")


class TemplateVersionRefused(UserError):
    """The file's version may not be imported next to those already in the database."""


@dataclass(frozen=True)
class ImportOutcome:
    status: str  # "imported", "unchanged" (same version and content) or "older" (skipped)
    key: str
    version: int
    template_id: int | None
    installed_version: int | None  # highest version in the database before this import
    sections: int
    items: int

    def as_json(self) -> dict[str, Any]:
        return asdict(self)


@dataclass(frozen=True)
class TemplateRow:
    id: int
    uuid: str
    key: str
    version: int
    title_de: str
    title_en: str | None
    publisher: str | None
    published_on: date | None
    licence: str | None
    sections: int
    items: int
    assessments: int
    latest: bool
    sha256: str | None

    def as_json(self) -> dict[str, Any]:
        d = asdict(self)
        d["published_on"] = self.published_on.isoformat() if self.published_on else None
        return d


def bundled_files() -> list[Path]:
    folder = resources_dir() / "checklists"
    if not folder.is_dir():
        return []
    return sorted(p for p in folder.iterdir() if p.suffix.lower() in TEMPLATE_SUFFIXES)


def _versions(session: Session, key: str) -> dict[int, ChecklistTemplate]:
    rows = session.scalars(select(ChecklistTemplate).where(ChecklistTemplate.template_key == key))
    return {r.template_version: r for r in rows}


def _record(template: Template) -> ChecklistTemplate:
    record = ChecklistTemplate(
        template_key=template.id,
        template_version=template.version,
        title_de=template.title.de,
        title_en=template.title.en,
        description_de=template.description.de,
        description_en=template.description.en,
        publisher=template.publisher,
        published_on=template.published,
        licence=template.licence,
        answer_scale=[o.as_dict() for o in template.answer_scale],
        references=[r.as_dict() for r in template.references],
        sha256=template.sha256(),
    )
    position = 0
    for s_pos, section in enumerate(template.sections):
        record.sections.append(
            ChecklistSection(
                section_key=section.id,
                position=s_pos,
                title_de=section.title.de,
                title_en=section.title.en,
                kind=None if section.kind is SectionKind.RISK else section.kind.value,
            )
        )
        for item in section.items:
            record.items.append(
                ChecklistItem(
                    section_key=section.id,
                    item_key=item.id,
                    position=position,
                    question_de=item.question.de,
                    question_en=item.question.en,
                    guidance_de=item.guidance.de,
                    guidance_en=item.guidance.en,
                    severity=item.severity.value,
                    blocker=item.blocker,
                    blocker_answers=list(item.blocker_answers) if item.blocker_answers else None,
                    answer_scale=[o.as_dict() for o in item.scale]
                    if item.scale is not None
                    else None,
                    risk_points=dict(item.risk),
                    chance_points=dict(item.chance) if item.chance else None,
                    applies_to=list(item.applies_to),
                    depends_on=item.depends_on.as_dict() if item.depends_on else None,
                    source_refs=list(item.sources),
                )
            )
            position += 1
    return record


def import_template(
    session: Session, template: Template, *, dry_run: bool = False, skip_older: bool = False
) -> ImportOutcome:
    """Store ``template`` unless that version (or a newer one) is already there.

    The same version with the same content is a no-op; the same version with
    different content, or a version lower than the newest installed one, is
    refused (or, with ``skip_older``, reported as "older").
    """
    versions = _versions(session, template.id)
    newest = max(versions, default=None)
    n_sections = len(template.sections)
    n_items = len(template.item_ids())

    def outcome(status: str, template_id: int | None) -> ImportOutcome:
        return ImportOutcome(
            status, template.id, template.version, template_id, newest, n_sections, n_items
        )

    same = versions.get(template.version)
    if same is not None:
        if same.sha256 == template.sha256():
            return outcome("unchanged", same.id)
        raise TemplateVersionRefused(
            _(
                "Version {version} of {key} is already imported with different content. "
                "A changed template needs a higher version number."
            ).format(version=template.version, key=template.id)
        )
    if newest is not None and template.version < newest:
        if skip_older:
            return outcome("older", None)
        raise TemplateVersionRefused(
            _(
                "Version {version} of {key} is older than version {newest}, which is already "
                "imported. Only higher versions can be imported."
            ).format(version=template.version, key=template.id, newest=newest)
        )
    if dry_run:
        return outcome("imported", None)
    record = _record(template)
    session.add(record)
    session.flush()
    return outcome("imported", record.id)


def import_file(session: Session, path: Path, *, dry_run: bool = False) -> ImportOutcome:
    return import_template(session, load_template(path), dry_run=dry_run)


def install_bundled(session: Session) -> list[ImportOutcome]:
    """Import every template shipped in resources/checklists that is new or newer."""
    return [
        import_template(session, load_template(path), skip_older=True) for path in bundled_files()
    ]


def find_template(session: Session, ref: str, version: int | None = None) -> ChecklistTemplate:
    """A template by database id, UUID, or URN key (newest version unless ``version``)."""
    ref = ref.strip()
    record: ChecklistTemplate | None = None
    if ref.isdigit():
        record = session.get(ChecklistTemplate, int(ref))
    elif UUID_RE.match(ref):
        record = session.scalars(
            select(ChecklistTemplate).where(ChecklistTemplate.uuid == ref.lower())
        ).first()
    else:
        versions = _versions(session, ref)
        if versions:
            if version is None:
                record = versions[max(versions)]
            elif version in versions:
                record = versions[version]
            else:
                raise NotFound(
                    _("{key} has no version {version} (imported: {known}).").format(
                        key=ref, version=version, known=", ".join(map(str, sorted(versions)))
                    )
                )
    if record is None:
        known = sorted(set(session.scalars(select(ChecklistTemplate.template_key))))
        raise NotFound(
            _("No checklist template {ref!r}. Imported templates: {known}").format(
                ref=ref,
                known=", ".join(known) or _("none (run: chinadialog checklist install-bundled)"),
            )
        )
    if version is not None and record.template_version != version:
        raise NotFound(
            _("Template {ref} is version {actual}, not {version}.").format(
                ref=ref, actual=record.template_version, version=version
            )
        )
    return record


def newest_version(session: Session, key: str) -> ChecklistTemplate:
    versions = _versions(session, key)
    return versions[max(versions)]


def _options(raw: list[dict[str, Any]]) -> tuple[AnswerOption, ...]:
    return tuple(
        AnswerOption(
            o["code"],
            LocalText(o["label"]["de"], o["label"]["en"]),
            bool(o.get("applicable", True)),
        )
        for o in raw
    )


def to_domain(record: ChecklistTemplate) -> Template:
    """Rebuild the published template from its rows (same content, same sha256)."""
    by_section: dict[str, list[Item]] = {s.section_key: [] for s in record.sections}
    for row in sorted(record.items, key=lambda r: r.position):
        dep = row.depends_on
        by_section[row.section_key].append(
            Item(
                id=row.item_key,
                section=row.section_key,
                question=LocalText(row.question_de, row.question_en or ""),
                guidance=LocalText(row.guidance_de or "", row.guidance_en or ""),
                severity=Severity(row.severity),
                blocker=row.blocker,
                blocker_answers=tuple(row.blocker_answers or ()),
                risk=dict(row.risk_points or {}),
                applies_to=tuple(row.applies_to or ()),
                depends_on=Dependency(dep["item"], tuple(dep["answers"])) if dep else None,
                sources=tuple(row.source_refs or ()),
                scale=_options(row.answer_scale) if row.answer_scale is not None else None,
                chance=dict(row.chance_points or {}),
            )
        )
    sections = tuple(
        Section(
            s.section_key,
            LocalText(s.title_de, s.title_en or ""),
            tuple(by_section[s.section_key]),
            SectionKind(s.kind) if s.kind else SectionKind.RISK,
        )
        for s in sorted(record.sections, key=lambda s: s.position)
    )
    return Template(
        id=record.template_key,
        version=record.template_version,
        title=LocalText(record.title_de, record.title_en or ""),
        description=LocalText(record.description_de or "", record.description_en or ""),
        publisher=record.publisher or "",
        published=record.published_on or date.min,
        licence=record.licence or "",
        references=tuple(
            Reference(r["id"], r["title"], r.get("publisher"), r.get("year"), r.get("url"))
            for r in record.references or ()
        ),
        answer_scale=_options(record.answer_scale or []),
        sections=sections,
    )


def template_rows(session: Session) -> list[TemplateRow]:
    counts: dict[int, int] = {
        template_id: n
        for template_id, n in session.execute(
            select(Assessment.template_id, func.count()).group_by(Assessment.template_id)
        )
    }
    records = list(
        session.scalars(
            select(ChecklistTemplate)
            .options(
                selectinload(ChecklistTemplate.sections), selectinload(ChecklistTemplate.items)
            )
            .order_by(ChecklistTemplate.template_key, ChecklistTemplate.template_version)
        )
    )
    newest: dict[str, int] = {}
    for r in records:
        newest[r.template_key] = max(newest.get(r.template_key, 0), r.template_version)
    return [
        TemplateRow(
            id=r.id,
            uuid=r.uuid,
            key=r.template_key,
            version=r.template_version,
            title_de=r.title_de,
            title_en=r.title_en,
            publisher=r.publisher,
            published_on=r.published_on,
            licence=r.licence,
            sections=len(r.sections),
            items=len(r.items),
            assessments=counts.get(r.id, 0),
            latest=newest[r.template_key] == r.template_version,
            sha256=r.sha256,
        )
        for r in records
    ]


def export_template(session: Session, ref: str, out: Path, version: int | None = None) -> Path:
    """Write an imported template back to a file (YAML, or JSON for *.json)."""
    write_template(to_domain(find_template(session, ref, version)), Path(out))
    return Path(out)


__all__ = [
    "ImportOutcome",
    "TemplateRow",
    "TemplateVersionRefused",
    "bundled_files",
    "export_template",
    "find_template",
    "import_file",
    "import_template",
    "install_bundled",
    "newest_version",
    "template_rows",
    "to_domain",
]
