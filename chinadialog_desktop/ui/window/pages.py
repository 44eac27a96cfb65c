"""The pages of the workspace: which lists exist, their filters, counts and new-record titles."""

from __future__ import annotations

from dataclasses import dataclass

from chinadialog_desktop.domain.enums import (
    ActorKind,
    AssessmentStatus,
    Audience,
    Classification,
    DossierStatus,
    FieldOfAction,
    ImportStatus,
    PartnershipStatus,
    PartnershipType,
)
from chinadialog_desktop.domain.kinds import REGISTRY, Kind
from chinadialog_desktop.i18n import N_
from chinadialog_desktop.ui.window.list_page import FilterSpec


@dataclass(frozen=True)
class PageSpec:
    key: str  # record kind of the list
    title: str
    prefix: str
    filters: tuple[FilterSpec, ...] = ()
    editable: bool = True


PAGES = (
    PageSpec(
        Kind.PARTNERSHIP.value,
        REGISTRY[Kind.PARTNERSHIP].plural,
        "partnership",
        (
            FilterSpec("type", N_("Type"), PartnershipType),
            FilterSpec("status", N_("Status"), PartnershipStatus),
            FilterSpec("field_of_action", N_("Field of action"), FieldOfAction),
            FilterSpec("country", N_("Country")),
            FilterSpec("province", N_("State / province")),
        ),
    ),
    PageSpec(
        Kind.ACTOR.value,
        REGISTRY[Kind.ACTOR].plural,
        "actor",
        (
            FilterSpec("kind", N_("Kind"), ActorKind),
            FilterSpec("country", N_("Country")),
            FilterSpec("province", N_("State / province")),
        ),
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
    "partnership": (N_("{n} partnership"), N_("{n} partnerships")),
    "actor": (N_("{n} actor"), N_("{n} actors")),
    "dossier": (N_("{n} dossier"), N_("{n} dossiers")),
    "source": (N_("{n} source"), N_("{n} sources")),
    "assessment": (N_("{n} assessment"), N_("{n} assessments")),
    "import_run": (N_("{n} import run"), N_("{n} import runs")),
    "reference_list": (N_("{n} reference list"), N_("{n} reference lists")),
}
NEW_TITLES = {
    "partnership": ("title", N_("New partnership")),
    "actor": ("name_de", N_("New actor")),
    "dossier": ("title", N_("New dossier")),
    "source": ("title", N_("New source")),
}
