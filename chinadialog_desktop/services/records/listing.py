"""The one listing service: typed rows of every list, for the CLI and the window alike.

Each list has one row type here (``PartnershipRow``, ``ActorRow`` …). The CLI
prints them (``list … --json`` writes ``as_json()``); the window's lists
(``services.records.lists``: filters, sort and paging in SQL) read the rows for a
batch of ids through ``rows_for`` and show their fields. A column, a name or a
rule of a row is defined once, here.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import asdict, dataclass, fields
from datetime import date, datetime
from typing import Any, Protocol

from sqlalchemy import String, Text, func, select, type_coerce
from sqlalchemy.orm import Session

from chinadialog_desktop.domain.kinds import REGISTRY, Kind
from chinadialog_desktop.persistence.collation import sort_key
from chinadialog_desktop.persistence.models import (
    MODELS,
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
from chinadialog_desktop.services.records.rows import (
    PARTNERSHIP_EXTRAS,
    PARTNERSHIP_RESULT,
    PartnershipRow,
    grouped_partnership_rows,
    jsonable,
    registry_extras,
)

_jsonable = jsonable


def _extra_json(row: Any) -> dict[str, Any]:
    d = {k: _jsonable(v) for k, v in asdict(row).items() if k != "extra"}
    d.update((k, _jsonable(v)) for k, v in row.extra)
    return d


@dataclass(frozen=True)
class ActorRow:
    id: int
    uuid: str
    name_de: str
    name_zh: str | None
    name_pinyin: str | None
    kind: str
    country: str
    region: str | None
    extra: tuple[tuple[str, Any], ...] = ()  # the registry's further list columns

    def as_json(self) -> dict[str, Any]:
        return _extra_json(self)


@dataclass(frozen=True)
class DossierRow:
    id: int
    uuid: str
    title: str
    audience: str
    classification: str
    status: str
    partnerships: int
    modified: datetime

    def as_json(self) -> dict[str, Any]:
        return {k: _jsonable(v) for k, v in asdict(self).items()}


@dataclass(frozen=True)
class SourceRow:
    id: int
    uuid: str
    title: str
    author: str | None
    year: int | None
    accessed_on: date | None
    extra: tuple[tuple[str, Any], ...] = ()  # the registry's further list columns

    def as_json(self) -> dict[str, Any]:
        return _extra_json(self)


@dataclass(frozen=True)
class AssessmentRow:
    id: int
    uuid: str
    title: str
    template: str
    revision: int
    status: str
    light: str
    chances: str  # the chance side's level, beside the risk light
    answered: tuple[int, int]  # answered, applicable, over both sides
    partnership_id: int | None

    def as_json(self) -> dict[str, Any]:
        return {k: _jsonable(v) for k, v in asdict(self).items()}


@dataclass(frozen=True)
class ImportRunRow:
    id: int
    uuid: str
    started_at: datetime
    file_name: str
    format: str
    status: str
    user: str

    def as_json(self) -> dict[str, Any]:
        return {k: _jsonable(v) for k, v in asdict(self).items()}


@dataclass(frozen=True)
class ReferenceListRow:
    id: int
    uuid: str
    name: str
    category: str
    list_date: date | None
    entity_count: int
    imported_at: datetime | None

    def as_json(self) -> dict[str, Any]:
        return {k: _jsonable(v) for k, v in asdict(self).items()}


Row = (
    PartnershipRow
    | ActorRow
    | DossierRow
    | SourceRow
    | AssessmentRow
    | ImportRunRow
    | ReferenceListRow
)


# --- partnerships: one joined SELECT, a row per party, grouped per partnership ---


_TABLES: dict[str, Any] = {
    "partnership": Partnership,
    "partnership_party": PartnershipParty,
    "actor": Actor,
}


def _result_column(table: str, column: str) -> Any:
    if (table, column) == ("partnership", "fields_of_action"):
        # The stored JSON text: decoded once per partnership, not once per party row.
        return type_coerce(Partnership.fields_of_action, String)
    return getattr(_TABLES[table], column)


def _partnership_select() -> Any:  # Select of the columns of PARTNERSHIP_RESULT
    return (
        select(*(_result_column(table, column) for table, column in PARTNERSHIP_RESULT))
        .outerjoin(PartnershipParty, PartnershipParty.partnership_id == Partnership.id)
        .outerjoin(Actor, Actor.id == PartnershipParty.actor_id)
    )


_grouped = grouped_partnership_rows


def iter_partnership_rows(session: Session, batch: int = 2000) -> Iterator[PartnershipRow]:
    """Every partnership by title, streamed from one query (the CLI's listing).

    One SELECT joins the parties and their actors (a row per party) and is read
    ``batch`` rows at a time, so 50,000 partnerships cost one query and little
    memory. The title order is the one sort key (``domain.collation``), as in the window.
    The key is computed once per partnership into a materialized CTE (not once per
    joined row), and the result is read through Core, not the ORM: the listing then
    costs about a third of the CPU it did (``benchmarks/listing.py``).
    """
    order = (
        select(Partnership.id.label("pid"), sort_key(Partnership.title).label("k"))
        .cte("partnership_order")
        .prefix_with("MATERIALIZED")
    )
    stmt = (
        _partnership_select()
        .join(order, order.c.pid == Partnership.id)
        .order_by(order.c.k, order.c.pid, PartnershipParty.position, PartnershipParty.id)
        .execution_options(yield_per=batch)
    )
    yield from _grouped(session.connection().execute(stmt))


def partnership_rows(session: Session, ids: list[int] | None = None) -> list[PartnershipRow]:
    """The rows of ``ids`` in the order given (a page of the window's list), or all by title.

    The same SELECT and row building as ``iter_partnership_rows``, narrowed to ``ids``.
    """
    if ids is None:
        return list(iter_partnership_rows(session))
    stmt = (
        _partnership_select()
        .where(Partnership.id.in_(ids))
        .order_by(Partnership.id, PartnershipParty.position, PartnershipParty.id)
    )
    found = {row.id: row for row in _grouped(session.connection().execute(stmt))}
    return [found[i] for i in ids if i in found]


def partnership_ids(session: Session) -> list[int]:
    """Ids in the default order (by title), for lazily filled list models."""
    return list(
        session.scalars(
            select(Partnership.id).order_by(sort_key(Partnership.title), Partnership.id)
        )
    )


# --- the other lists: one SELECT of labelled columns per batch of ids ---

_dossier_links = (
    select(func.count(DossierPartnership.id))
    .where(DossierPartnership.dossier_id == Dossier.id)
    .scalar_subquery()
)


# Column key → stored value, per list (the window sorts by the same expressions).
def sortable(column: Any) -> Any:
    """What a list column is ordered by: a text by the one sort key, anything else as is."""
    if isinstance(getattr(column, "type", None), String | Text):
        return sort_key(column)
    return column


def registry_columns(kind: Kind) -> dict[str, Any]:
    """List column key → stored column, for the registry's list fields of ``kind``."""
    model = MODELS[kind]
    return {
        str(f.list_column): getattr(model, f.name) for f in REGISTRY[kind].list_fields() if f.stored
    }


ACTOR_COLUMNS: dict[str, Any] = registry_columns(Kind.ACTOR)
DOSSIER_COLUMNS: dict[str, Any] = {
    "title": Dossier.title,
    "audience": Dossier.audience,
    "classification": Dossier.classification,
    "status": Dossier.status,
    "partnerships": _dossier_links,
    "modified": Dossier.modified_at,
}
SOURCE_COLUMNS: dict[str, Any] = registry_columns(Kind.SOURCE)
RUN_COLUMNS: dict[str, Any] = {
    "started_at": ImportRun.started_at,
    "file_name": ImportRun.file_name,
    "format": ImportRun.format,
    "status": ImportRun.status,
    "user": ImportRun.user,
}
LIST_COLUMNS: dict[str, Any] = {
    "name": ReferenceList.name,
    "category": ReferenceList.category,
    "list_date": ReferenceList.list_date,
    "entity_count": ReferenceList.entity_count,
    "imported_at": ReferenceList.imported_at,
}


class RowReader(Protocol):
    def __call__(self, session: Session, ids: list[int] | None = None) -> list[Any]: ...


def _simple_rows(model: Any, columns: dict[str, Any], row_type: Any, order: Any) -> RowReader:
    selected = [model.id.label("id"), model.uuid.label("uuid")]
    selected += [column.label(key) for key, column in columns.items()]

    known = {f.name for f in fields(row_type)}
    extras = [key for key in columns if key not in known]

    def make(r: Any) -> Any:
        values = dict(r._mapping)
        if extras:  # the registry's further list columns
            values["extra"] = tuple((key, values.pop(key)) for key in extras)
        return row_type(**values)

    def rows(session: Session, ids: list[int] | None = None) -> list[Any]:
        """Rows of ``ids`` in the order given, or every row in the default order."""
        if ids is None:
            stmt = select(*selected).order_by(sortable(order), model.id)
            return [make(r) for r in session.execute(stmt)]
        found = {r.id: make(r) for r in session.execute(select(*selected).where(model.id.in_(ids)))}
        return [found[i] for i in ids if i in found]

    return rows


actor_rows = _simple_rows(Actor, ACTOR_COLUMNS, ActorRow, Actor.name_de)
dossier_rows = _simple_rows(Dossier, DOSSIER_COLUMNS, DossierRow, Dossier.title)
source_rows = _simple_rows(Source, SOURCE_COLUMNS, SourceRow, Source.title)
import_run_rows = _simple_rows(ImportRun, RUN_COLUMNS, ImportRunRow, ImportRun.started_at)
reference_list_rows = _simple_rows(
    ReferenceList, LIST_COLUMNS, ReferenceListRow, ReferenceList.name
)


def assessment_rows(session: Session, ids: list[int] | None = None) -> list[AssessmentRow]:
    """Rows with the traffic light, evaluated with the checklist scoring rules."""
    from chinadialog_desktop.services.assessment.workflow import evaluate_assessment

    if ids is None:
        ids = list(
            session.scalars(
                select(Assessment.id).order_by(sort_key(Assessment.title), Assessment.id)
            )
        )
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
            AssessmentRow(
                id=a.id,
                uuid=a.uuid,
                title=a.title,
                template=f"{template.title_de} (v{template.template_version})",
                revision=a.revision,
                status=a.status,
                light=overall.light.value,
                chances=chances.level.value,
                # progress over both sides; the light is the risk side's
                answered=(
                    overall.answered + chances.answered,
                    overall.applicable + chances.applicable,
                ),
                partnership_id=a.partnership_id,
            )
        )
    return rows


ROWS: dict[str, RowReader] = {
    "partnership": partnership_rows,
    "actor": actor_rows,
    "dossier": dossier_rows,
    "source": source_rows,
    "assessment": assessment_rows,
    "import_run": import_run_rows,
    "reference_list": reference_list_rows,
}


def rows_for(session: Session, kind: str, ids: list[int]) -> list[Row]:
    """The typed rows of ``kind`` for ``ids``, in the order given (missing ids left out)."""
    if not ids:
        return []
    return ROWS[kind](session, list(ids))


__all__ = [
    "ACTOR_COLUMNS",
    "DOSSIER_COLUMNS",
    "LIST_COLUMNS",
    "ROWS",
    "RUN_COLUMNS",
    "SOURCE_COLUMNS",
    "ActorRow",
    "AssessmentRow",
    "DossierRow",
    "ImportRunRow",
    "PARTNERSHIP_EXTRAS",
    "PartnershipRow",
    "ReferenceListRow",
    "Row",
    "RowReader",
    "SourceRow",
    "actor_rows",
    "assessment_rows",
    "dossier_rows",
    "import_run_rows",
    "iter_partnership_rows",
    "partnership_ids",
    "partnership_rows",
    "reference_list_rows",
    "registry_columns",
    "registry_extras",
    "rows_for",
    "source_rows",
]
