"""Headers and cell texts of the workspace lists (the column keys come from the services)."""

from __future__ import annotations

from datetime import date, datetime
from enum import StrEnum
from typing import Any

from chinadialog_desktop.domain.chance_level import ChanceLevel
from chinadialog_desktop.domain.enums import (
    AssessmentStatus,
    Audience,
    Classification,
    DossierStatus,
    ImportStatus,
)
from chinadialog_desktop.domain.kinds import REGISTRY, Kind
from chinadialog_desktop.domain.labels import label, partial_date
from chinadialog_desktop.i18n import N_, _, format_date

# The registry's kinds list the fields it gives a list column, under its list captions.
HEADERS: dict[str, tuple[tuple[str, str], ...]] = {
    **{
        kind.value: tuple((str(f.list_column), f.header) for f in REGISTRY[kind].list_fields())
        for kind in (Kind.PARTNERSHIP, Kind.ACTOR, Kind.SOURCE)
    },
    "dossier": (
        ("title", N_("Title")),
        ("audience", N_("Audience")),
        ("classification", N_("Classification")),
        ("status", N_("Status")),
        ("partnerships", N_("Partnerships")),
        ("modified", N_("Last changed")),
    ),
    "assessment": (
        ("title", N_("Assessment")),
        ("template", N_("Checklist")),
        ("revision", N_("Revision")),
        ("status", N_("Status")),
        ("light", N_("Traffic light")),
        ("chances", N_("Chances")),
        ("answered", N_("Answered")),
    ),
    "import_run": (
        ("started_at", N_("Started")),
        ("file_name", N_("File")),
        ("format", N_("Format")),
        ("status", N_("Status")),
        ("user", N_("User")),
    ),
    "reference_list": (
        ("name", N_("Reference list")),
        ("category", N_("Category")),
        ("list_date", N_("List date")),
        ("entity_count", N_("Entries")),
        ("imported_at", N_("Imported")),
    ),
}

# A header shortened for the list ("Az.") names the field in full in its tooltip.
HEADER_TIPS: dict[str, dict[str, str]] = {
    kind.value: {
        str(f.list_column): f.caption
        for f in REGISTRY[kind].list_fields()
        if f.list_caption and f.caption and f.list_caption != f.caption
    }
    for kind in (Kind.PARTNERSHIP, Kind.ACTOR, Kind.SOURCE)
}

# Which vocabulary a coded column's values come from.
VOCABULARIES: dict[tuple[str, str], type[StrEnum]] = {
    **{
        (entry.kind.value, str(f.list_column)): f.vocabulary
        for entry in REGISTRY.values()
        for f in entry.list_fields()
        if f.vocabulary is not None
    },
    ("dossier", "audience"): Audience,
    ("dossier", "classification"): Classification,
    ("dossier", "status"): DossierStatus,
    ("assessment", "status"): AssessmentStatus,
    ("assessment", "chances"): ChanceLevel,  # the chance side, beside the light
    ("import_run", "status"): ImportStatus,
}

LIGHTS = {
    "green": N_("green"),
    "yellow": N_("yellow"),
    "red": N_("red"),
    "grey": N_("grey – not assessed"),
}


# Shown as a coloured square beside the word (not an emoji: the bundled font has none).
LIGHT_COLOURS = {"green": "#2e7d32", "yellow": "#f9a825", "red": "#c62828", "grey": "#9e9e9e"}


def light_text(code: str) -> str:
    message = LIGHTS.get(code)
    return _(message) if message else code


def cell_colour(kind: str, row: Any, column: str) -> str | None:
    """A colour to show beside the cell text (the assessment's traffic light), or None."""
    if kind == "assessment" and column == "light":
        return LIGHT_COLOURS.get(getattr(row, "light", ""), LIGHT_COLOURS["grey"])
    return None


def _plain(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, datetime):
        return f"{format_date(value.date())} {value:%H:%M}"
    if isinstance(value, date):
        return format_date(value)
    return str(value)


def cell_text(kind: str, row: Any, column: str) -> str:
    """What the list shows in ``column`` of ``row`` (a typed row of ``services.records.listing``):
    labels for codes, dates in the language."""
    vocabulary = VOCABULARIES.get((kind, column))
    if vocabulary is not None:
        return label(vocabulary, getattr(row, column))
    if kind == "partnership":
        if column == "german":
            return str(row.german_parties)
        if column == "chinese":
            latin, chars = row.chinese_parties, row.chinese_names_zh
            return f"{latin} ({chars})" if latin and chars else latin or chars
        if column == "since":
            return partial_date(row.start_date, row.start_precision or "day")
    if kind == "assessment":
        if column == "light":
            return light_text(row.light)
        if column == "answered":
            answered, applicable = row.answered
            return f"{answered} / {applicable}"
    if not hasattr(row, column):  # one of the registry's further columns
        return _plain(dict(getattr(row, "extra", ())).get(column))
    return _plain(getattr(row, column))


def cells_for(kind: str) -> Any:
    return lambda row, column: cell_text(kind, row, column)


def colours_for(kind: str) -> Any:
    return lambda row, column: cell_colour(kind, row, column)
