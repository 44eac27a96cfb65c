"""Human labels for the stored enum codes, and partial dates, in the active language."""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from datetime import date
from enum import StrEnum
from functools import cache

from chinadialog_desktop.domain.chance_level import ChanceLevel
from chinadialog_desktop.domain.enums import (
    ActivityKind,
    ActorKind,
    AssessmentStatus,
    Audience,
    AuditAction,
    Classification,
    CostRecurrence,
    DatePrecision,
    DeliberationRole,
    DocumentKind,
    DossierStatus,
    FieldOfAction,
    FinancialImpact,
    GiftDecision,
    GiftDirection,
    GiftKind,
    ImportStatus,
    IncidentKind,
    PartnershipStatus,
    PartnershipType,
    PartyRole,
    SectionKey,
    SessionPublicity,
    Severity,
    VisitDirection,
)
from chinadialog_desktop.i18n import N_, _, format_date, language

# Message ids are English; the German terms of PRODUCT.md's glossary are in the
# comments for the translator. Labels are looked up at call time, so switching
# the language takes effect at once.
_FIXED: dict[type[StrEnum], dict[str, str]] = {
    ActorKind: {
        ActorKind.MUNICIPALITY: N_("Municipality"),  # Kommune
        ActorKind.DISTRICT: N_("District"),  # Landkreis
        ActorKind.LAND: N_("Federal state"),  # Land
        ActorKind.PROVINCE: N_("Province"),  # Provinz
        ActorKind.CITY: N_("City"),  # Stadt
        ActorKind.CITY_DISTRICT: N_("City district"),  # Stadtbezirk (区)
        ActorKind.UNIVERSITY: N_("University"),  # Hochschule
        ActorKind.COMPANY: N_("Company"),  # Unternehmen
        ActorKind.ASSOCIATION: N_("Association"),  # Verein / Verband
        ActorKind.PUBLIC_BODY: N_("Public body"),  # Öffentliche Einrichtung
        ActorKind.OTHER: N_("Other organisation"),  # Sonstige Organisation
    },
    PartnershipType: {
        PartnershipType.TWIN_CITY: N_("Twin-city partnership"),  # Städtepartnerschaft
        PartnershipType.FRIENDSHIP: N_("City friendship"),  # Städtefreundschaft
        PartnershipType.LAND_PROVINCE: N_("State–province partnership"),  # Land–Provinz
        PartnershipType.DISTRICT_CITY: N_("District–city partnership"),  # Kreis–Stadt
        PartnershipType.UNIVERSITY: N_("University cooperation"),  # Hochschulkooperation
        PartnershipType.SCHOOL: N_("School partnership"),  # Schulpartnerschaft
        PartnershipType.INVESTMENT: N_("Investment"),  # Investition
        PartnershipType.PROJECT: N_("Project cooperation"),  # Projektkooperation
        PartnershipType.OTHER: N_("Other"),  # Sonstige
    },
    PartnershipStatus: {
        PartnershipStatus.PLANNED: N_("Planned"),  # angebahnt
        PartnershipStatus.ACTIVE: N_("Active"),  # aktiv
        PartnershipStatus.DORMANT: N_("Dormant"),  # ruhend
        PartnershipStatus.SUSPENDED: N_("Suspended"),  # ausgesetzt
        PartnershipStatus.ENDED: N_("Ended"),  # beendet
    },
    PartyRole: {
        PartyRole.GERMAN: N_("German party"),  # Deutscher Partner
        PartyRole.CHINESE: N_("Chinese party"),  # Chinesischer Partner
        PartyRole.OTHER: N_("Other party"),  # Weiterer Partner
    },
    ActivityKind: {
        ActivityKind.DELEGATION: N_("Delegation visit"),  # Delegationsbesuch
        ActivityKind.AGREEMENT: N_("Agreement"),  # Vereinbarung
        ActivityKind.EVENT: N_("Event"),  # Veranstaltung
        ActivityKind.PROJECT: N_("Project"),  # Projekt
        ActivityKind.EXCHANGE: N_("Exchange"),  # Austausch
        ActivityKind.OTHER: N_("Other"),  # Sonstiges
    },
    VisitDirection: {
        VisitDirection.INCOMING: N_("Delegation received"),  # Besuch bei uns
        VisitDirection.OUTGOING: N_("Delegation travelling"),  # Reise einer eigenen Delegation
    },
    GiftDirection: {
        GiftDirection.RECEIVED: N_("Received"),  # erhalten
        GiftDirection.GIVEN: N_("Given"),  # überreicht
    },
    GiftKind: {
        GiftKind.GIFT: N_("Gift"),  # Geschenk
        GiftKind.HOSPITALITY: N_("Hospitality"),  # Bewirtung
        GiftKind.INVITATION: N_("Invitation (travel, lodging)"),  # Einladung
    },
    GiftDecision: {
        GiftDecision.PENDING: N_("Decision pending"),  # Entscheidung offen
        GiftDecision.APPROVED: N_("Acceptance approved"),  # Annahme genehmigt
        GiftDecision.HANDED_OVER: N_("Handed over to the municipality"),  # abgegeben
        GiftDecision.DECLINED: N_("Declined or returned"),  # abgelehnt / zurückgegeben
        GiftDecision.NOT_REQUIRED: N_("No decision required"),
    },
    IncidentKind: {
        IncidentKind.APPROACH: N_("Approach"),  # Anbahnungsversuch
        IncidentKind.CYBER: N_("Cyber incident"),  # Cybervorfall
        IncidentKind.PRESSURE: N_("Pressure or influence"),  # Druck / Einflussnahme
        IncidentKind.SURVEILLANCE: N_("Surveillance"),  # Ausspähung
        IncidentKind.OTHER: N_("Other"),  # Sonstiges
    },
    DatePrecision: {
        DatePrecision.DAY: N_("Day"),
        DatePrecision.MONTH: N_("Month"),
        DatePrecision.YEAR: N_("Year"),
    },
    Audience: {
        Audience.COUNCIL: N_("Council"),  # Rat
        Audience.COMMITTEE: N_("Committee"),  # Ausschuss
        Audience.EXECUTIVE: N_("Executive board"),  # Verwaltungsvorstand
    },
    Classification: {
        Classification.OPEN: N_("Open"),  # offen
        Classification.INTERNAL: N_("Internal use only"),  # nur für den internen Gebrauch
        Classification.VS_NFD: N_("Restricted – for official use only"),  # VS – NfD
    },
    DossierStatus: {
        DossierStatus.DRAFT: N_("Draft"),  # Entwurf
        DossierStatus.IN_REVIEW: N_("In review"),  # in Prüfung
        DossierStatus.FINAL: N_("Final"),  # abgeschlossen
    },
    DocumentKind: {
        DocumentKind.INFORMATION: N_("Information paper"),  # Informationsvorlage
        DocumentKind.DECISION: N_("Decision paper"),  # Beschlussvorlage
        DocumentKind.INTERNAL: N_("Internal briefing"),  # internes Briefing
    },
    DeliberationRole: {
        DeliberationRole.PRELIMINARY: N_("Preliminary discussion"),  # Vorberatung
        DeliberationRole.DECISION: N_("Decision"),  # Entscheidung
        DeliberationRole.INFORMATION: N_("For information"),  # zur Kenntnis
    },
    FinancialImpact: {
        FinancialImpact.YES: N_("Yes"),  # ja
        FinancialImpact.NO: N_("No"),  # nein
    },
    CostRecurrence: {
        CostRecurrence.ONE_OFF: N_("One-off"),  # einmalig
        CostRecurrence.RECURRING: N_("Recurring (yearly)"),  # laufend
    },
    SessionPublicity: {
        SessionPublicity.AS_DOSSIER: N_("As the dossier says"),  # wie beim Dossier
        SessionPublicity.PUBLIC: N_("Public"),  # öffentlich
        SessionPublicity.NON_PUBLIC: N_("Not public"),  # nichtöffentlich
    },
    SectionKey: {
        SectionKey.SUMMARY: N_("Summary"),  # Zusammenfassung
        SectionKey.BACKGROUND: N_("Background"),  # Sachverhalt
        SectionKey.OPPORTUNITIES: N_("Opportunities"),  # Chancen
        SectionKey.RISKS: N_("Risks"),  # Risiken
        SectionKey.RECOMMENDATION: N_("Recommendation"),  # Empfehlung
    },
    ChanceLevel: {  # the chance side of an assessment (docs/checklist-format.md)
        ChanceLevel.HIGH: N_("high"),  # hoch
        ChanceLevel.MEDIUM: N_("medium"),  # mittel
        ChanceLevel.LOW: N_("low"),  # gering
        ChanceLevel.NONE: N_("not assessed"),  # nicht bewertet
    },
    Severity: {
        Severity.CRITICAL: N_("Critical"),  # kritisch
        Severity.HIGH: N_("High"),  # hoch
        Severity.MEDIUM: N_("Medium"),  # mittel
        Severity.LOW: N_("Low"),  # gering
    },
    AssessmentStatus: {
        AssessmentStatus.OPEN: N_("Open"),  # offen
        AssessmentStatus.SIGNED: N_("Signed off"),  # abgezeichnet
        AssessmentStatus.SUPERSEDED: N_("Superseded"),  # ersetzt
    },
    AuditAction: {
        AuditAction.INSERT: N_("Created"),  # angelegt
        AuditAction.UPDATE: N_("Changed"),  # geändert
        AuditAction.DELETE: N_("Deleted"),  # gelöscht
        AuditAction.IMPORT: N_("Imported"),  # importiert
    },
    ImportStatus: {
        ImportStatus.RUNNING: N_("Running"),  # läuft
        ImportStatus.COMMITTED: N_("Imported"),  # übernommen
        ImportStatus.FAILED: N_("Failed"),  # fehlgeschlagen
        ImportStatus.CANCELLED: N_("Cancelled"),  # abgebrochen
    },
}


# The fields of action are named once, in resources/glossary.yaml (German and
# English); their entry here keeps the codes in the glossary's order and the
# English names, for lists and for reading imported values.
@cache
def _field_labels() -> dict[str, str]:
    # The glossary (and the amounts' decimal arithmetic below) on first use: the
    # window's first frame shows no label of either.
    from chinadialog_desktop.domain.glossary import glossary

    return {code: entry.en for code, entry in glossary().fields.items()}


class _Labels(Mapping[type[StrEnum], dict[str, str]]):
    """The vocabularies above plus the fields of action, which are read from the
    glossary file when first asked for (not on import: the window's first frame
    does not wait for it)."""

    def __getitem__(self, kind: type[StrEnum]) -> dict[str, str]:
        if kind is FieldOfAction:
            return _field_labels()
        return _FIXED[kind]

    def __iter__(self) -> Iterator[type[StrEnum]]:
        yield from _FIXED
        yield FieldOfAction

    def __len__(self) -> int:
        return len(_FIXED) + 1


LABELS: Mapping[type[StrEnum], dict[str, str]] = _Labels()

GLOSSARY_KINDS: frozenset[type[StrEnum]] = frozenset({FieldOfAction})


def label(kind: type[StrEnum], code: str | None) -> str:
    """The label of ``code`` in the vocabulary ``kind``; an unknown code is shown as is."""
    if code is None:
        return ""
    if kind in GLOSSARY_KINDS:
        from chinadialog_desktop.domain.glossary import field_name

        return field_name(code, language())
    message = LABELS.get(kind, {}).get(str(code))
    return _(message) if message is not None else str(code)


def partial_date(value: date | None, precision: str = DatePrecision.DAY) -> str:
    """A date as precise as it is known: 03.05.2011, 05.2011 or 2011 (ISO in English)."""
    return format_date(value, str(precision))


def amount(cents: int | None) -> str:
    """A Betrag in the active language: 12.500,00 € (EUR 12,500.00 in English)."""
    if cents is None:
        return ""
    from chinadialog_desktop.domain.finance import format_amount

    return format_amount(cents, "de" if language() == "de" else "en")
