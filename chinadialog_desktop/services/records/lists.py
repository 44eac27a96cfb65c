"""The window's lists: ids filtered, sorted and paged in SQL; the rows come from ``listing``.

The rows of a batch of ids are the typed rows of ``services.records.listing``, the
same the CLI prints, so the window and ``chinadialog list`` cannot disagree.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from sqlalchemy import ColumnElement, Select, String, cast, func, or_, select
from sqlalchemy.orm import Session

from chinadialog_desktop.domain.collation import sort_key as text_key
from chinadialog_desktop.domain.enums import PartyRole
from chinadialog_desktop.domain.kinds import REGISTRY, Kind
from chinadialog_desktop.persistence.collation import sort_key
from chinadialog_desktop.persistence.models import (
    Actor,
    Assessment,
    Dossier,
    ImportRun,
    Partnership,
    PartnershipParty,
    ReferenceList,
    Source,
)
from chinadialog_desktop.services.records.listing import (
    ACTOR_COLUMNS,
    DOSSIER_COLUMNS,
    LIST_COLUMNS,
    PARTNERSHIP_EXTRAS,
    RUN_COLUMNS,
    SOURCE_COLUMNS,
    Row,
    rows_for,
    sortable,
)
from chinadialog_desktop.services.records.rows import ListQuery

# Column keys per list, in display order (the registry's list columns for its kinds).
# The UI owns the headers and formatting.
COLUMNS: dict[str, tuple[str, ...]] = {
    **{
        kind.value: tuple(str(f.list_column) for f in REGISTRY[kind].list_fields())
        for kind in (Kind.PARTNERSHIP, Kind.ACTOR, Kind.SOURCE)
    },
    "dossier": ("title", "audience", "classification", "status", "partnerships", "modified"),
    "assessment": ("title", "template", "revision", "status", "light", "chances", "answered"),
    "import_run": ("started_at", "file_name", "format", "status", "user"),
    "reference_list": ("name", "category", "list_date", "entity_count", "imported_at"),
}
# The filters each list offers (besides the text box; the registry's for its kinds).
FILTERS: dict[str, tuple[str, ...]] = {
    **{
        kind.value: tuple(f.key for f in REGISTRY[kind].filters)
        for kind in (Kind.PARTNERSHIP, Kind.ACTOR, Kind.SOURCE)
    },
    "dossier": ("status", "audience", "classification"),
    "assessment": ("status",),
    "import_run": ("status",),
    "reference_list": (),
}


def _like(text: str) -> str:
    escaped = text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    return f"%{escaped}%"


def _party_names(role: PartyRole) -> Any:
    """The alphabetically first party name of ``role`` (its sort key), as a scalar subquery."""
    return (
        select(func.min(sort_key(Actor.name_de)))
        .join(PartnershipParty, PartnershipParty.actor_id == Actor.id)
        .where(PartnershipParty.partnership_id == Partnership.id, PartnershipParty.role == role)
        .scalar_subquery()
    )


def _ids_in_order(session: Session, stmt: Select[Any]) -> list[int]:
    """The integer ids ``stmt`` selects, in its order, straight from the driver's cursor.

    A list's ids are the whole list (100,000 at 100k partnerships): building a result
    row for each cost about 35 ms there, reading the plain tuples does not. The
    statement is compiled and run by SQLAlchemy as always (any engine); an integer
    column needs no result processing on SQLite or PostgreSQL.
    """
    result = session.connection().execute(stmt)
    try:
        return [row[0] for row in result.cursor.fetchall()]
    finally:
        result.close()


def _ordered(stmt: Select[Any], key: Any, tiebreak: Any, query: ListQuery) -> Select[Any]:
    key = sortable(key)
    if query.descending:
        return stmt.order_by(key.desc(), tiebreak.desc())
    return stmt.order_by(key.asc(), tiebreak.asc())


def _partnership_text(text: str) -> ColumnElement[bool]:
    """The title, a party's name (German, characters, pinyin) or one of the registry's
    further text columns contains ``text``."""
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
    return or_(
        Partnership.title.like(pattern, escape="\\"),
        *(c.like(pattern, escape="\\") for c in _PARTNERSHIP_TEXTS),
        Partnership.id.in_(named),
    )


# The registry's further list columns of text (an Aktenzeichen …) are searched as well.
_PARTNERSHIP_TEXTS = tuple(
    getattr(Partnership, f.name) for f in PARTNERSHIP_EXTRAS if f.value_type == "text"
)


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
        **{str(f.list_column): getattr(Partnership, f.name) for f in PARTNERSHIP_EXTRAS},
    }
    key = keys.get(query.sort, Partnership.title)
    return _ids_in_order(session, _ordered(stmt, key, Partnership.id, query))


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
        return _ids_in_order(session, _ordered(stmt, key, model.id, query))

    return ids


# Text conditions per list, so a cached order can be narrowed by the matching ids alone.
_TEXT: dict[str, tuple[Any, Callable[[str], ColumnElement[bool]]]] = {
    "partnership": (Partnership, _partnership_text),
}

_ASSESSMENT_SORTS = {
    "title": Assessment.title,
    "revision": Assessment.revision,
    "status": Assessment.status,
}


_IDS: dict[str, Callable[[Session, ListQuery], list[int]]] = {
    "partnership": _partnership_ids,
    "actor": _simple_ids(
        Actor,
        (Actor.name_de, Actor.name_en, Actor.name_zh, Actor.name_pinyin, Actor.region),
        ACTOR_COLUMNS,
        Actor.name_de,
        {"kind": Actor.kind, "country": Actor.country, "province": Actor.region},
    ),
    "dossier": _simple_ids(
        Dossier,
        (Dossier.title, Dossier.purpose, Dossier.author),
        DOSSIER_COLUMNS,
        Dossier.title,
        {
            "status": Dossier.status,
            "audience": Dossier.audience,
            "classification": Dossier.classification,
        },
    ),
    "source": _simple_ids(
        Source, (Source.title, Source.author, Source.url), SOURCE_COLUMNS, Source.title, {}
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
        RUN_COLUMNS,
        ImportRun.started_at,
        {"status": ImportRun.status},
    ),
    "reference_list": _simple_ids(
        ReferenceList,
        (ReferenceList.name, ReferenceList.source),
        LIST_COLUMNS,
        ReferenceList.name,
        {},
    ),
}


def list_ids(session: Session, kind: str, query: ListQuery | None = None) -> list[int]:
    """Ids of ``kind`` matching ``query``, in its order (the tie-break is the id)."""
    return _IDS[kind](session, query or ListQuery())


def list_rows(session: Session, kind: str, ids: list[int]) -> list[Row]:
    """The CLI's typed rows (``services.records.listing``) for ``ids``, in the order given."""
    return rows_for(session, kind, ids)


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
    return sorted((v for v in session.scalars(stmt) if v), key=lambda v: (text_key(v), v))


# The lists with place filters, and their filters (the choices are the values stored).
PLACE_FILTERS = tuple(
    (kind, name) for kind in ("partnership", "actor") for name in ("country", "province")
)


def place_choices(session: Session) -> dict[tuple[str, str], list[str]]:
    """The choices of every place filter (``PLACE_FILTERS``), read in one session."""
    return {(kind, name): choice_values(session, kind, name) for kind, name in PLACE_FILTERS}


__all__ = [
    "COLUMNS",
    "FILTERS",
    "PLACE_FILTERS",
    "ListQuery",
    "choice_values",
    "list_ids",
    "list_rows",
    "matching_ids",
    "place_choices",
]
