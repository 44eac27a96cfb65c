"""The pages of the workspace: which lists exist, their filters, counts and new-record titles."""

from __future__ import annotations

from dataclasses import dataclass

from chinadialog_desktop.domain.enums import (
    AssessmentStatus,
    Audience,
    Classification,
    DossierStatus,
    ImportStatus,
)
from chinadialog_desktop.domain.kinds import REGISTRY, Kind, list_filters
from chinadialog_desktop.i18n import N_
from chinadialog_desktop.ui.window.list_page import FilterSpec


@dataclass(frozen=True)
class PageSpec:
    key: str  # record kind of the list
    title: str
    prefix: str
    filters: tuple[FilterSpec, ...] = ()
    editable: bool = True


# The lists of the registry's kinds show their records in its words (domain.kinds).
_LISTED = (Kind.PARTNERSHIP, Kind.ACTOR, Kind.SOURCE)


def _filters(kind: Kind) -> tuple[FilterSpec, ...]:
    """The registry's choice filters of ``kind``'s list (captions and vocabularies)."""
    return tuple(FilterSpec(*spec) for spec in list_filters(kind))


def _count(kind: Kind) -> tuple[str, str]:
    """ "{n} actor" / "{n} actors": how the list counts its records (the registry's)."""
    count = REGISTRY[kind].count
    assert count is not None, kind
    return count


def _new_title(kind: Kind) -> tuple[str, str]:
    """The field a new record's title goes in, and the title it starts with."""
    title = REGISTRY[kind].new_title
    assert title is not None, kind
    return REGISTRY[kind].title_field, title


PAGES = (
    PageSpec(
        Kind.PARTNERSHIP.value,
        REGISTRY[Kind.PARTNERSHIP].plural,
        "partnership",
        _filters(Kind.PARTNERSHIP),
    ),
    PageSpec(
        Kind.ACTOR.value,
        REGISTRY[Kind.ACTOR].plural,
        "actor",
        _filters(Kind.ACTOR),
    ),
    PageSpec(
        "dossier",
        N_("Dossiers"),
        "dossier",
        (
            FilterSpec("status", N_("Status"), DossierStatus),
            FilterSpec("audience", N_("Audience"), Audience),
            FilterSpec("classification", N_("Classification"), Classification),
        ),
    ),
    PageSpec(Kind.SOURCE.value, REGISTRY[Kind.SOURCE].plural, "source"),
    PageSpec(
        "assessment",
        N_("Checklists"),
        "assessment",
        (FilterSpec("status", N_("Status"), AssessmentStatus),),
        editable=False,
    ),
)
DATASET_PAGES = (
    PageSpec(
        "import_run",
        N_("Import runs"),
        "importRun",
        (FilterSpec("status", N_("Status"), ImportStatus),),
        editable=False,
    ),
    PageSpec("reference_list", N_("Reference lists"), "referenceList", editable=False),
)
COUNTS = {
    **{kind.value: _count(kind) for kind in _LISTED},
    "dossier": (N_("{n} dossier"), N_("{n} dossiers")),
    "assessment": (N_("{n} assessment"), N_("{n} assessments")),
    "import_run": (N_("{n} import run"), N_("{n} import runs")),
    "reference_list": (N_("{n} reference list"), N_("{n} reference lists")),
}
NEW_TITLES = {
    **{kind.value: _new_title(kind) for kind in _LISTED},
    "dossier": ("title", N_("New dossier")),
}
