"""The workspace lists: ids filtered and sorted in SQL, then rows for a batch of ids."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from typing import Any

from sqlalchemy import ColumnElement, Select, String, cast, func, or_, select
from sqlalchemy.orm import Session

from chinadialog_desktop.domain.enums import PartyRole
from chinadialog_desktop.persistence.models import (
    Actor,
    Assessment,
    ChecklistTemplate,
    Dossier,
    DossierPartnership,
    ImportRun,
    Partnership,
    PartnershipParty,
    ReferenceList,
    Source,
)

# Column keys per list, in display order. The UI owns the headers and formatting.
COLUMNS: dict[str, tuple[str, ...]] = {
    "partnership": ("title", "german", "chinese", "type", "status", "since"),
    "actor": ("name_de", "name_zh", "name_pinyin", "kind", "country", "region"),
    "dossier": ("title", "audience", "classification", "status", "partnerships", "modified"),
    "source": ("title", "author", "year", "accessed_on"),
    "assessment": ("title", "template", "revision", "status", "light", "chances", "answered"),
    "import_run": ("started_at", "file_name", "format", "status", "user"),
    "reference_list": ("name", "category", "list_date", "entity_count", "imported_at"),
}
# The filters each list offers (besides the text box).
FILTERS: dict[str, tuple[str, ...]] = {
    "partnership": ("type", "status", "field_of_action", "country", "province"),
    "actor": ("kind", "country", "province"),
    "dossier": ("status", "audience", "classification"),
    "source": (),
    "assessment": ("status",),
    "import_run": ("status",),
    "reference_list": (),
}


@dataclass(frozen=True)
class ListQuery:
    """What a list shows: a text filter, choice filters and one sort column."""

    text: str = ""
    sort: str = ""
    descending: bool = False
    filters: tuple[tuple[str, str], ...] = ()

    def filter(self, name: str) -> str | None:
        return dict(self.filters).get(name) or None


def _like(text: str) -> str:
    escaped = text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    return f"%{escaped}%"


def _party_names(role: PartyRole) -> Any:
    """The alphabetically first party name of ``role``, as a sortable scalar subquery."""
    return (
        select(func.min(Actor.name_de))
        .join(PartnershipParty, PartnershipParty.actor_id == Actor.id)
        .where(PartnershipParty.partnership_id == Partnership.id, PartnershipParty.role == role)
        .scalar_subquery()
    )


def _ordered(stmt: Select[Any], key: Any, tiebreak: Any, query: ListQuery) -> Select[Any]:
    if query.descending:
        return stmt.order_by(key.desc(), tiebreak.desc())
    return stmt.order_by(key.asc(), tiebreak.asc())


def _partnership_text(text: str) -> ColumnElement[bool]:
    """The title or a party's name (German, characters, pinyin) contains ``text``."""
    pattern = _like(text)
    named = (
        select(PartnershipParty.partnership_id)
        .join(Actor, Actor.id == PartnershipParty.actor_id)
        .where(
            or_(
                Actor.name_de.like(pattern, escape="\\"),
                Actor.name_zh.like(pattern, escape="\\"),
                Actor.name_pinyin.like(pattern, escape="\\"),
            )
        )
    )
    return or_(Partnership.title.like(pattern, escape="\\"), Partnership.id.in_(named))


def _searching(*columns: Any) -> Callable[[str], ColumnElement[bool]]:
    def condition(text: str) -> ColumnElement[bool]:
        pattern = _like(text)
        return or_(*(column.like(pattern, escape="\\") for column in columns))

    return condition


def _partnership_ids(session: Session, query: ListQuery) -> list[int]:
    stmt = select(Partnership.id)
    if query.text:
        stmt = stmt.where(_partnership_text(query.text))
    if value := query.filter("type"):
        stmt = stmt.where(Partnership.type == value)
    if value := query.filter("status"):
        stmt = stmt.where(Partnership.status == value)
    if value := query.filter("field_of_action"):
        stmt = stmt.where(cast(Partnership.fields_of_action, String).like(f'%"{value}"%'))
    for name, column in (("country", Actor.country), ("province", Actor.region)):
        if value := query.filter(name):
            stmt = stmt.where(
                Partnership.id.in_(
                    select(PartnershipParty.partnership_id)
                    .join(Actor, Actor.id == PartnershipParty.actor_id)
                    .where(column == value)
                )
            )
    keys: dict[str, Any] = {
        "title": Partnership.title,
        "german": _party_names(PartyRole.GERMAN),
        "chinese": _party_names(PartyRole.CHINESE),
        "type": Partnership.type,
        "status": Partnership.status,
        "since": Partnership.start_date,
    }
    key = keys.get(query.sort, Partnership.title)
    return list(session.scalars(_ordered(stmt, key, Partnership.id, query)))


def _partnership_rows(session: Session, ids: list[int]) -> list[dict[str, Any]]:
    rows = {
        r.id: dict(r._mapping)
        for r in session.execute(
            select(
                Partnership.id,
                Partnership.uuid,
                Partnership.title,
                Partnership.type,
                Partnership.status,
                Partnership.start_date,
                Partnership.start_precision,
                Partnership.end_date,
            ).where(Partnership.id.in_(ids))
        )
    }
    names: dict[tuple[int, str], list[tuple[str, str | None]]] = defaultdict(list)
    for pid, role, name, zh in session.execute(
        select(PartnershipParty.partnership_id, PartnershipParty.role, Actor.name_de, Actor.name_zh)
        .join(Actor, Actor.id == PartnershipParty.actor_id)
        .where(PartnershipParty.partnership_id.in_(ids))
        .order_by(PartnershipParty.position, PartnershipParty.id)
    ):
        names[(pid, role)].append((name, zh))
    for pid, row in rows.items():
        german = names.get((pid, PartyRole.GERMAN.value), [])
        chinese = names.get((pid, PartyRole.CHINESE.value), [])
        row["german"] = ", ".join(n for n, _zh in german)
        row["chinese"] = ", ".join(n for n, _zh in chinese)
        row["chinese_zh"] = ", ".join(zh for _n, zh in chinese if zh)
    return [rows[i] for i in ids if i in rows]


def _simple_ids(
    model: Any,
    searched: tuple[Any, ...],
    sorts: dict[str, Any],
    default: Any,
    choices: dict[str, Any],
) -> Callable[[Session, ListQuery], list[int]]:
    _TEXT[model.__tablename__] = (model, _searching(*searched))

    def ids(session: Session, query: ListQuery) -> list[int]:
        stmt = select(model.id)
        if query.text:
            stmt = stmt.where(_searching(*searched)(query.text))
        for name, column in choices.items():
            if value := query.filter(name):
                stmt = stmt.where(column == value)
        key = sorts.get(query.sort, default)
        return list(session.scalars(_ordered(stmt, key, model.id, query)))

    return ids


def _simple_rows(
    model: Any, columns: dict[str, Any]
) -> Callable[[Session, list[int]], list[dict[str, Any]]]:
    def rows(session: Session, ids: list[int]) -> list[dict[str, Any]]:
        selected = [model.id.label("id"), model.uuid.label("uuid")]
        selected += [column.label(key) for key, column in columns.items()]
        found = {
            r.id: dict(r._mapping)
            for r in session.execute(select(*selected).where(model.id.in_(ids)))
        }
        return [found[i] for i in ids if i in found]

    return rows


# Text conditions per list, so a cached order can be narrowed by the matching ids alone.
_TEXT: dict[str, tuple[Any, Callable[[str], ColumnElement[bool]]]] = {
    "partnership": (Partnership, _partnership_text),
}

_dossier_links = (
    select(func.count(DossierPartnership.id))
    .where(DossierPartnership.dossier_id == Dossier.id)
    .scalar_subquery()
)

_ACTOR_COLUMNS = {
    "name_de": Actor.name_de,
    "name_zh": Actor.name_zh,
    "name_pinyin": Actor.name_pinyin,
    "kind": Actor.kind,
    "country": Actor.country,
    "region": Actor.region,
}
_DOSSIER_COLUMNS = {
    "title": Dossier.title,
    "audience": Dossier.audience,
    "classification": Dossier.classification,
    "status": Dossier.status,
    "partnerships": _dossier_links,
    "modified": Dossier.modified_at,
}
_SOURCE_COLUMNS = {
    "title": Source.title,
    "author": Source.author,
    "year": Source.year,
    "accessed_on": Source.accessed_on,
}
_RUN_COLUMNS = {
    "started_at": ImportRun.started_at,
    "file_name": ImportRun.file_name,
    "format": ImportRun.format,
    "status": ImportRun.status,
    "user": ImportRun.user,
}
_LIST_COLUMNS = {
    "name": ReferenceList.name,
    "category": ReferenceList.category,
    "list_date": ReferenceList.list_date,
    "entity_count": ReferenceList.entity_count,
    "imported_at": ReferenceList.imported_at,
}
_ASSESSMENT_SORTS = {
    "title": Assessment.title,
    "revision": Assessment.revision,
    "status": Assessment.status,
}


def _assessment_rows(session: Session, ids: list[int]) -> list[dict[str, Any]]:
    """Rows with the traffic light, evaluated with the checklist scoring rules."""
    from chinadialog_desktop.services.assessments import evaluate_assessment

    found = {a.id: a for a in session.scalars(select(Assessment).where(Assessment.id.in_(ids)))}
    templates = {
        t.id: t
        for t in session.scalars(
            select(ChecklistTemplate).where(
                ChecklistTemplate.id.in_({a.template_id for a in found.values()})
            )
        )
    }
    today = date.today()
    rows = []
    for i in ids:
        a = found.get(i)
        if a is None:
            continue
        ev = evaluate_assessment(session, a, today)
        overall, chances = ev.overall, ev.chances
        template = templates[a.template_id]
        rows.append(
            {
                "id": a.id,
                "uuid": a.uuid,
                "title": a.title,
                "template": f"{template.title_de} (v{template.template_version})",
                "revision": a.revision,
                "status": a.status,
                "light": overall.light.value,
                "chances": chances.level.value,
                # progress over both sides; the light is the risk side's
                "answered": (
                    overall.answered + chances.answered,
                    overall.applicable + chances.applicable,
                ),
                "partnership_id": a.partnership_id,
            }
        )
    return rows


_IDS: dict[str, Callable[[Session, ListQuery], list[int]]] = {
    "partnership": _partnership_ids,
    "actor": _simple_ids(
        Actor,
        (Actor.name_de, Actor.name_en, Actor.name_zh, Actor.name_pinyin, Actor.region),
        _ACTOR_COLUMNS,
        Actor.name_de,
        {"kind": Actor.kind, "country": Actor.country, "province": Actor.region},
    ),
    "dossier": _simple_ids(
        Dossier,
        (Dossier.title, Dossier.purpose, Dossier.author),
        _DOSSIER_COLUMNS,
        Dossier.title,
        {
            "status": Dossier.status,
            "audience": Dossier.audience,
            "classification": Dossier.classification,
        },
    ),
    "source": _simple_ids(
        Source, (Source.title, Source.author, Source.url), _SOURCE_COLUMNS, Source.title, {}
    ),
    "assessment": _simple_ids(
        Assessment,
        (Assessment.title,),
        _ASSESSMENT_SORTS,
        Assessment.title,
        {"status": Assessment.status},
    ),
    "import_run": _simple_ids(
        ImportRun,
        (ImportRun.file_name, ImportRun.user),
        _RUN_COLUMNS,
        ImportRun.started_at,
        {"status": ImportRun.status},
    ),
    "reference_list": _simple_ids(
        ReferenceList,
        (ReferenceList.name, ReferenceList.source),
        _LIST_COLUMNS,
        ReferenceList.name,
        {},
    ),
}
_ROWS: dict[str, Callable[[Session, list[int]], list[dict[str, Any]]]] = {
    "partnership": _partnership_rows,
    "actor": _simple_rows(Actor, _ACTOR_COLUMNS),
    "dossier": _simple_rows(Dossier, _DOSSIER_COLUMNS),
    "source": _simple_rows(Source, _SOURCE_COLUMNS),
    "assessment": _assessment_rows,
    "import_run": _simple_rows(ImportRun, _RUN_COLUMNS),
    "reference_list": _simple_rows(ReferenceList, _LIST_COLUMNS),
}


def list_ids(session: Session, kind: str, query: ListQuery | None = None) -> list[int]:
    """Ids of ``kind`` matching ``query``, in its order (the tie-break is the id)."""
    return _IDS[kind](session, query or ListQuery())


def list_rows(session: Session, kind: str, ids: list[int]) -> list[dict[str, Any]]:
    """Plain rows (column key → stored value) for ``ids``, in the order given."""
    if not ids:
        return []
    return _ROWS[kind](session, list(ids))


def matching_ids(session: Session, kind: str, text: str) -> set[int]:
    """Ids of ``kind`` whose text matches, unordered and unfiltered otherwise.

    ``list_ids`` with a text equals the text-less ``list_ids`` narrowed to
    these ids; the window keeps the text-less order and narrows it as the
    user types, which saves the sort on every keystroke.
    """
    model, condition = _TEXT[kind]
    return set(session.scalars(select(model.id).where(condition(text))))


def choice_values(session: Session, kind: str, name: str) -> list[str]:
    """The distinct stored values a data-driven filter (country, province) can take."""
    column = {"country": Actor.country, "province": Actor.region}[name]
    if kind == "partnership":
        stmt = (
            select(column).join(PartnershipParty, PartnershipParty.actor_id == Actor.id).distinct()
        )
    else:
        stmt = select(column).distinct()
    return sorted(v for v in session.scalars(stmt) if v)


__all__ = [
    "COLUMNS",
    "FILTERS",
    "ListQuery",
    "choice_values",
    "list_ids",
    "list_rows",
    "matching_ids",
]
