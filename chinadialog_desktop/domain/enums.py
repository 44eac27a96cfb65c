"""The fixed vocabularies of the domain, stored by stable English codes."""

from __future__ import annotations

from enum import StrEnum


class ActorKind(StrEnum):
    MUNICIPALITY = "municipality"
    DISTRICT = "district"
    LAND = "land"
    PROVINCE = "province"
    CITY = "city"
    # A district of a Chinese city (区, qu), e.g. Jiading of Shanghai: part of a city,
    # neither a city of its own nor a German Landkreis.
    CITY_DISTRICT = "city_district"
    UNIVERSITY = "university"
    COMPANY = "company"
    ASSOCIATION = "association"
    PUBLIC_BODY = "public_body"
    OTHER = "other"  # an organisation of no kind above, or of a kind a list does not say


class PartnershipType(StrEnum):
    TWIN_CITY = "twin_city"  # Städtepartnerschaft
    FRIENDSHIP = "friendship"  # Freundschaft / Städtefreundschaft
    LAND_PROVINCE = "land_province"
    DISTRICT_CITY = "district_city"
    UNIVERSITY = "university"
    SCHOOL = "school"
    INVESTMENT = "investment"
    PROJECT = "project"
    OTHER = "other"


class PartnershipStatus(StrEnum):
    PLANNED = "planned"  # angebahnt
    ACTIVE = "active"
    DORMANT = "dormant"  # ruhend
    SUSPENDED = "suspended"  # ausgesetzt
    ENDED = "ended"


class PartyRole(StrEnum):
    GERMAN = "german"
    CHINESE = "chinese"
    OTHER = "other"


class FieldOfAction(StrEnum):
    """Handlungsfelder, following the ten recurring guardrail themes."""

    PURPOSE = "purpose"
    PARTNER = "partner"
    VALUES = "values"
    RESEARCH = "research"
    SECURITY = "security"
    ECONOMY = "economy"
    SUPPLY_CHAINS = "supply_chains"
    DATA_CYBER = "data_cyber"
    EDUCATION_CULTURE = "education_culture"
    GOVERNANCE = "governance"


class ActivityKind(StrEnum):
    DELEGATION = "delegation"
    AGREEMENT = "agreement"
    EVENT = "event"
    PROJECT = "project"
    EXCHANGE = "exchange"
    OTHER = "other"


class VisitDirection(StrEnum):
    """A delegation visit: a delegation received here, or one of ours travelling."""

    INCOMING = "incoming"
    OUTGOING = "outgoing"


class GiftDirection(StrEnum):
    RECEIVED = "received"
    GIVEN = "given"


class GiftKind(StrEnum):
    GIFT = "gift"
    HOSPITALITY = "hospitality"
    INVITATION = "invitation"  # travel, lodging, tickets offered


class GiftDecision(StrEnum):
    """What became of a gift or an invitation (the Zustimmung of the employer, or not)."""

    PENDING = "pending"
    APPROVED = "approved"
    HANDED_OVER = "handed_over"  # kept as property of the municipality
    DECLINED = "declined"  # refused or returned
    NOT_REQUIRED = "not_required"


class IncidentKind(StrEnum):
    APPROACH = "approach"  # an approach or recruitment attempt
    CYBER = "cyber"
    PRESSURE = "pressure"  # pressure or influence on decisions, events, speech
    SURVEILLANCE = "surveillance"  # persons watched, photographed, diaspora reported on
    OTHER = "other"


class DatePrecision(StrEnum):
    DAY = "day"
    MONTH = "month"
    YEAR = "year"


class Audience(StrEnum):
    COUNCIL = "council"  # Rat
    COMMITTEE = "committee"  # Ausschuss
    EXECUTIVE = "executive"  # Verwaltungsvorstand


class Classification(StrEnum):
    OPEN = "open"
    INTERNAL = "internal"  # nur für den internen Gebrauch
    VS_NFD = "vs_nfd"  # VS – Nur für den Dienstgebrauch


class DossierStatus(StrEnum):
    DRAFT = "draft"
    IN_REVIEW = "in_review"
    FINAL = "final"


class DocumentKind(StrEnum):
    INFORMATION = "information"  # Informationsvorlage / Mitteilungsvorlage
    DECISION = "decision"  # Beschlussvorlage
    INTERNAL = "internal"  # internes Briefing


class DeliberationRole(StrEnum):
    PRELIMINARY = "preliminary"  # Vorberatung
    DECISION = "decision"  # Entscheidung
    INFORMATION = "information"  # zur Kenntnis


class FinancialImpact(StrEnum):
    """Finanzielle Auswirkungen: does the paper have any (ja / nein)? None: not stated yet."""

    YES = "yes"  # ja
    NO = "no"  # nein


class CostRecurrence(StrEnum):
    ONE_OFF = "one_off"  # einmalig
    RECURRING = "recurring"  # laufend (jährlich wiederkehrend)


class SessionPublicity(StrEnum):
    """Whether a Gremium deliberates the paper in public session (per step of Beratungsfolge)."""

    AS_DOSSIER = "as_dossier"  # as the dossier's "Public session" says
    PUBLIC = "public"  # öffentlich
    NON_PUBLIC = "non_public"  # nichtöffentlich


class SectionKey(StrEnum):
    SUMMARY = "summary"
    BACKGROUND = "background"
    OPPORTUNITIES = "opportunities"
    RISKS = "risks"
    RECOMMENDATION = "recommendation"


class Severity(StrEnum):
    CRITICAL = "critical"
    HIGH = "high"
    MEDIUM = "medium"
    LOW = "low"


class AssessmentStatus(StrEnum):
    OPEN = "open"
    SIGNED = "signed"
    SUPERSEDED = "superseded"


class AuditAction(StrEnum):
    INSERT = "insert"
    UPDATE = "update"
    DELETE = "delete"
    IMPORT = "import"  # one event for a whole bulk import (reference lists)


class ImportStatus(StrEnum):
    RUNNING = "running"
    COMMITTED = "committed"
    FAILED = "failed"
    CANCELLED = "cancelled"
