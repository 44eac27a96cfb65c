"""All models in one namespace, so the metadata is complete wherever it is imported."""

from chinadialog_desktop.domain.kinds import Kind
from chinadialog_desktop.persistence.base import Base, Record
from chinadialog_desktop.persistence.models_checklist import (
    Assessment,
    AssessmentAnswer,
    ChecklistItem,
    ChecklistSection,
    ChecklistTemplate,
)
from chinadialog_desktop.persistence.models_core import MODELS as CORE_MODELS
from chinadialog_desktop.persistence.models_core import (
    Activity,
    Actor,
    Attachment,
    Contact,
    Partnership,
    PartnershipParty,
    Source,
)
from chinadialog_desktop.persistence.models_dossier import (
    Deliberation,
    Dossier,
    DossierPartnership,
    DossierSection,
    DossierSource,
)
from chinadialog_desktop.persistence.models_reference import (
    BriefingExport,
    ReferenceEntity,
    ReferenceList,
    ScreeningCheck,
    ScreeningDecision,
    ScreeningEntityNames,
    ScreeningHit,
    ScreeningIndexState,
    ScreeningKey,
    ScreeningNear,
)
from chinadialog_desktop.persistence.models_registers import (
    REGISTER_MODELS,
    Counterpart,
    Gift,
    Incident,
    Visit,
)
from chinadialog_desktop.persistence.models_system import (
    AuditEvent,
    CopyBase,
    CopyOrigin,
    ImportFingerprint,
    ImportRun,
)

# The table of every kind of the registry (domain.kinds), the registers included.
MODELS: dict[Kind, type[Record]] = {**CORE_MODELS, **REGISTER_MODELS}

__all__ = [
    "Activity",
    "Actor",
    "Assessment",
    "AssessmentAnswer",
    "Attachment",
    "AuditEvent",
    "CopyBase",
    "CopyOrigin",
    "Base",
    "BriefingExport",
    "ChecklistItem",
    "ChecklistSection",
    "ChecklistTemplate",
    "Contact",
    "Counterpart",
    "Deliberation",
    "Dossier",
    "DossierPartnership",
    "DossierSection",
    "DossierSource",
    "Gift",
    "ImportFingerprint",
    "ImportRun",
    "Incident",
    "MODELS",
    "Partnership",
    "PartnershipParty",
    "Record",
    "ReferenceEntity",
    "ReferenceList",
    "ScreeningDecision",
    "ScreeningCheck",
    "ScreeningEntityNames",
    "ScreeningHit",
    "ScreeningIndexState",
    "ScreeningKey",
    "ScreeningNear",
    "Source",
    "Visit",
]
