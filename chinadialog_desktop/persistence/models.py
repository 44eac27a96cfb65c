"""All models in one namespace, so the metadata is complete wherever it is imported."""

from chinadialog_desktop.persistence.base import Base, Record
from chinadialog_desktop.persistence.models_checklist import (
    Assessment,
    AssessmentAnswer,
    ChecklistItem,
    ChecklistSection,
    ChecklistTemplate,
)
from chinadialog_desktop.persistence.models_core import (
    MODELS,
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
from chinadialog_desktop.persistence.models_registers import Counterpart, Gift, Incident, Visit
from chinadialog_desktop.persistence.models_system import AuditEvent, ImportFingerprint, ImportRun

__all__ = [
    "Activity",
    "Actor",
    "Assessment",
    "AssessmentAnswer",
    "Attachment",
    "AuditEvent",
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
