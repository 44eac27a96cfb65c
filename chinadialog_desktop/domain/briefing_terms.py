"""The council-document vocabulary of a briefing, in German and English.

A briefing's language is an option of the document, not of the window: an
official working in German may hand an English briefing to a partner. The
terms of a German council document (Drucksachen-Nr., Beratungsfolge,
Beschlussvorschlag …) are fixed domain vocabulary, so they live here as data
in both languages, like the bundled checklists, instead of in the UI's
message catalogue.
"""

from __future__ import annotations

import gettext
from datetime import date
from functools import cache

from chinadialog_desktop.domain.enums import (
    ActivityKind,
    ActorKind,
    Classification,
    CostRecurrence,
    DeliberationRole,
    DocumentKind,
    FieldOfAction,
    FinancialImpact,
    PartnershipStatus,
    PartnershipType,
    PartyRole,
    SectionKey,
)
from chinadialog_desktop.domain.glossary import glossary
from chinadialog_desktop.i18n import DOMAIN, N_, format_date
from chinadialog_desktop.paths import locale_dir

LANGUAGES = ("de", "en")

TERMS: dict[str, tuple[str, str]] = {
    # header block
    "file_number": ("Drucksachen-Nr.", "Document no."),
    "document_kind": ("Vorlageart", "Type of paper"),
    "lead_office": ("Federführende Stelle", "Lead office"),
    "responsible": ("Verantwortlich", "Responsible"),
    "date": ("Datum", "Date"),
    "city": ("Stadt", "City"),
    "department": ("Dezernat/Amt", "Department/office"),
    "publicity": ("Status", "Status"),
    "public": ("öffentlich", "public"),
    "non_public": ("nichtöffentlich", "not public"),
    "public_per_body": ("je Gremium, siehe Beratungsfolge", "per body, see order of deliberation"),
    "session": ("Sitzung", "Session"),
    "author": ("Verfasst von", "Prepared by"),
    "editor": ("Bearbeitet von", "Edited by"),
    "deliberations": ("Beratungsfolge", "Order of deliberation"),
    "body": ("Gremium", "Body"),
    "meeting_on": ("Datum", "Date"),
    "role": ("Zuständigkeit", "Role"),
    "status": ("Status", "Status"),
    "subject": ("Betreff", "Subject"),
    "not_given": ("–", "–"),
    # chapters
    "toc": ("Inhalt", "Contents"),
    "resolution": ("Beschlussvorschlag", "Proposed resolution"),
    "no_resolution": (
        "Ein Beschlussvorschlag ist im Dossier noch nicht formuliert.",
        "The dossier does not yet state a proposed resolution.",
    ),
    "changes": ("Änderungen seit der letzten Vorlage", "Changes since the last briefing"),
    "facts": ("Sachverhalt", "Facts"),
    "partnerships": ("Partnerschaften", "Partnerships"),
    "assessment": ("Prüfung nach Leitplanken", "Guardrail assessment"),
    "screening": ("Abgleich mit Referenzlisten", "Screening against reference lists"),
    "registers": ("Register", "Registers"),
    "registers_intro": (
        "Einträge in den Registern der Partnerschaften dieser Vorlage.",
        "Entries in the registers of the partnerships of this paper.",
    ),
    "registers_intro_public": (
        "Einträge in den Registern der Partnerschaften dieser Vorlage. Die öffentliche Fassung "
        "nennt keine Personen; Gesprächskontakte und Vorfälle nur in ihrer Zahl.",
        "Entries in the registers of the partnerships of this paper. The public version names "
        "no persons; counterpart contacts and incidents only by their number.",
    ),
    "register_count_only": (
        "{count} Einträge. Einzelheiten enthält nur die interne Fassung.",
        "{count} entries. Details are in the internal version only.",
    ),
    "register_count_one": (
        "1 Eintrag. Einzelheiten enthält nur die interne Fassung.",
        "1 entry. Details are in the internal version only.",
    ),
    "gifts_total": (
        "Summe der Werte: erhalten {received}, überreicht {given}.",
        "Total value: received {received}, given {given}.",
    ),
    "evaluation": ("Bewertung", "Evaluation"),
    "financial": ("Finanzielle Auswirkungen", "Financial effects"),
    "financial_none": ("Keine finanziellen Auswirkungen.", "No financial effects."),
    "financial_year": ("Haushaltsjahr", "Budget year"),
    "financial_item": ("Produkt/Kostenstelle", "Product/cost centre"),
    "financial_recurrence": ("Einmalig/laufend", "One-off/recurring"),
    "financial_amount": ("Betrag", "Amount"),
    "financial_explanation": ("Erläuterung", "Explanation"),
    "sources": ("Quellen", "Sources"),
    "attachments": ("Anlagen", "Attachments"),
    # partnerships
    "parties": ("Beteiligte", "Parties"),
    "side": ("Seite", "Side"),
    "name": ("Name", "Name"),
    "name_zh": ("Chinesisch", "Chinese"),
    "pinyin": ("Pinyin", "Pinyin"),
    "kind": ("Art", "Kind"),
    "type": ("Art der Partnerschaft", "Type of partnership"),
    "since": ("Seit", "Since"),
    "until": ("Bis", "Until"),
    "fields": ("Handlungsfelder", "Fields of action"),
    "timeline": ("Zeitleiste", "Timeline"),
    "activity": ("Vorgang", "Activity"),
    "no_activities": ("Keine Aktivitäten erfasst.", "No activities recorded."),
    "location": ("Ort", "Place"),
    "outcome": ("Ergebnis", "Outcome"),
    # assessment
    "no_assessment": (
        "Zu diesem Dossier liegt noch keine Prüfung nach der Leitplanken-Checkliste vor.",
        "No guardrail assessment has been made for this dossier yet.",
    ),
    "checklist": ("Checkliste", "Checklist"),
    "version": ("Version", "version"),
    "reviewed": ("Abgezeichnet", "Signed off"),
    "not_reviewed": ("noch nicht abgezeichnet", "not signed off yet"),
    "as_of": ("Stand", "As of"),
    "field": ("Handlungsfeld", "Field of action"),
    "answered": ("Beantwortet", "Answered"),
    "risk": ("Risiko", "Risk"),
    "light": ("Ampel", "Light"),
    "overall": ("Gesamt", "Overall"),
    "chart_caption": (
        "Risikoanteil je Handlungsfeld (Anteil der Risikopunkte an den möglichen Punkten); "
        "gelb ab {yellow}\u00a0%, rot ab {red}\u00a0% oder bei einem Ausschlusskriterium.",
        "Risk share per field of action (risk points of the possible points); "
        "yellow from {yellow}\u00a0%, red from {red}\u00a0% or when a blocker is hit.",
    ),
    "both_sides": ("Risiken und Chancen im Überblick", "Risks and chances at a glance"),
    "both_sides_note": (
        "Risiken und Chancen werden getrennt bewertet: Chancen gleichen keine Risiken aus "
        "und heben kein Ausschlusskriterium auf; die Abwägung trifft der Rat.",
        "Risks and chances are scored apart: chances do not offset risks and do not lift "
        "a blocker; the council weighs the two.",
    ),
    "chances": ("Chancen", "Chances"),
    "result": ("Ergebnis", "Result"),
    "share_of_points": ("Anteil an den möglichen Punkten", "Share of the possible points"),
    "blocker_count": ("Ausschlusskriterien erfüllt", "Blockers hit"),
    "chance_field": ("Chancenfeld", "Field of opportunity"),
    "chance_share": ("Chancen", "Chances"),
    "chance_level": ("Einschätzung", "Rating"),
    "chance_chart_caption": (
        "Chancenanteil je Chancenfeld (Anteil der Chancenpunkte an den möglichen Punkten); "
        "mittel ab {medium}\u00a0%, hoch ab {high}\u00a0%.",
        "Chance share per field of opportunity (chance points of the possible points); "
        "medium from {medium}\u00a0%, high from {high}\u00a0%.",
    ),
    # the chart as a picture (Word): what a screen reader says instead
    "chart_alt": (
        "Balkendiagramm. {caption} Werte: {values}.",
        "Bar chart. {caption} Values: {values}.",
    ),
    "blockers": ("Ausschlusskriterien (kritisch beantwortet)", "Blockers (answered critically)"),
    "no_blockers": ("Kein Ausschlusskriterium ist erfüllt.", "No blocker is hit."),
    "open_items": ("Offene Punkte", "Open items"),
    "no_open_items": (
        "Alle anwendbaren Fragen sind beantwortet.",
        "Every applicable question is answered.",
    ),
    "ratings": ("Bewertungen im Einzelnen", "Ratings in detail"),
    "ratings_in_annex": (
        "Die Bewertungen jeder Frage mit Nachweis stehen in Anlage {number}.",
        "The rating of every question, with its evidence, is in attachment {number}.",
    ),
    "annex_ratings": ("Bewertungen im Einzelnen: {title}", "Ratings in detail: {title}"),
    "annex_heading": ("Anlage {number}: {title}", "Attachment {number}: {title}"),
    "annex_label": ("Anlage {number}", "Attachment {number}"),
    "signature": ("Unterschrift", "Signature"),
    "question": ("Frage", "Question"),
    "answer": ("Antwort", "Answer"),
    "evidence": ("Nachweis und Quelle", "Evidence and source"),
    "answered_by": ("Beantwortet von, am", "Answered by, on"),
    "note": ("Vermerk", "Note"),
    "stale": ("Überprüfung fällig", "review due"),
    "blocker_mark": ("Ausschluss\u00adkriterium", "blocker"),
    "responsible_due": ("zuständig: {who}, bis {due}", "responsible: {who}, due {due}"),
    "due": ("bis {due}", "due {due}"),
    # screening
    "screening_none": (
        "Der Abgleich aller mit dem Dossier verbundenen Beteiligten und Kontaktpersonen mit "
        "den importierten Referenzlisten ergab keine bestätigten Treffer.",
        "Screening every party and contact person linked to the dossier against the imported "
        "reference lists found no confirmed hits.",
    ),
    "screening_incomplete": (
        "{count} von {total} mit dem Dossier verbundenen Beteiligten und Kontaktpersonen sind "
        "nicht mit der aktuellen Fassung jeder Liste abgeglichen; für sie steht das Ergebnis "
        "noch aus.",
        "{count} of {total} parties and contact persons linked to the dossier have not been "
        "screened against the current version of every list; for them the result is pending.",
    ),
    "screening_checked": ("Geprüft wurden", "Checked"),
    "screening_party": ("Beteiligter", "Party"),
    "screening_contact": ("Kontaktperson", "Contact person"),
    "screening_kind": ("Art", "Kind"),
    "screening_on": ("Abgleich am", "Screened on"),
    "screening_against": ("gegen Liste (Stand)", "against list (as of)"),
    "screening_never": ("nicht abgeglichen", "not screened"),
    "screening_old": ("ältere Fassung", "older version"),
    "screening_no_lists": (
        "Es sind keine Referenzlisten (Sanktions-, Exportkontroll- oder Risikolisten) "
        "importiert; ein Abgleich der Beteiligten liegt daher nicht vor.",
        "No reference lists (sanctions, export control or risk lists) are imported, so the "
        "parties have not been screened.",
    ),
    "screening_lists": ("Abgeglichen mit: {lists}.", "Screened against: {lists}."),
    "screening_subject": ("Beteiligter", "Party"),
    "screening_entry": ("Eintrag", "Entry"),
    "screening_list": ("Liste", "List"),
    "screening_reason": ("Begründung", "Reason"),
    # sections
    "summary": ("Zusammenfassung", "Summary"),
    "background": ("Hintergrund", "Background"),
    "opportunities": ("Chancen", "Opportunities"),
    "risks": ("Risiken", "Risks"),
    "recommendation": ("Empfehlung", "Recommendation"),
    # sources and attachments
    "accessed": ("abgerufen am {date}", "accessed {date}"),
    "no_sources": ("Keine Quellen angegeben.", "No sources given."),
    "attachment_size": ("{size} KB", "{size} KB"),
    "attachment_appended": (
        "angehängt, {pages} S.",
        "appended, {pages} p.",
    ),
    # public version and changes
    "public_version": (
        "Öffentliche Fassung. Als intern gekennzeichnete Inhalte (Abschnitte, Vermerke, "
        "Begründungen, Textstellen, nicht freigegebene Dateien: {count}) sind nicht enthalten.",
        "Public version. Content marked internal (sections, notes, reasons, passages, files "
        "not released: {count}) is left out.",
    ),
    "public_names": (
        "Namen von Privatpersonen sind durch ihre Rolle ersetzt; Namen von Beschäftigten "
        "der Verwaltung sind nur genannt, wo sie für die Veröffentlichung freigegeben sind.",
        "Names of private persons are replaced by their role; names of staff appear only "
        "where they are released for publication.",
    ),
    "public_version_none": (
        "Öffentliche Fassung. Das Dossier enthält keine als intern gekennzeichneten Inhalte.",
        "Public version. The dossier contains nothing marked internal.",
    ),
    "changes_first": (
        "Dies ist die erste Vorlage zu diesem Dossier; eine frühere Fassung liegt nicht vor.",
        "This is the first briefing on this dossier; there is no earlier version.",
    ),
    "changes_other_language": (
        "Eine frühere Fassung dieser Art vom {date} liegt nur in der anderen Sprache vor; "
        "Änderungen werden deshalb nicht einzeln aufgeführt.",
        "An earlier version of this kind, of {date}, exists only in the other language, so "
        "changes are not listed one by one.",
    ),
    "changes_first_public": (
        "Dies ist die erste öffentliche Fassung; frühere Fassungen waren intern. Änderungen "
        "gegenüber internen Fassungen werden nicht aufgeführt.",
        "This is the first public version; earlier versions were internal. Changes against "
        "internal versions are not listed.",
    ),
    "changes_first_internal": (
        "Dies ist die erste interne Fassung; bisher wurden nur öffentliche Fassungen erstellt.",
        "This is the first internal version; so far only public versions were made.",
    ),
    "changes_none": (
        "Seit der Vorlage vom {date} hat sich inhaltlich nichts geändert.",
        "Nothing has changed in substance since the briefing of {date}.",
    ),
    "changes_intro": (
        "Gegenüber der Vorlage vom {date} hat sich Folgendes geändert:",
        "Compared with the briefing of {date}, the following has changed:",
    ),
    "page_of": ("Seite {page} von {pages}", "Page {page} of {pages}"),
    "draft": ("Entwurf", "Draft"),
    "keywords": (
        "China; Partnerschaft; Leitplanken; Vorlage",
        "China; partnership; guardrails; briefing",
    ),
    "subject_line": ("{kind} zu {partnerships}", "{kind} on {partnerships}"),
    # change descriptions
    "chg_header": ("Kopfangabe „{field}“: {old} → {new}", "Header “{field}”: {old} → {new}"),
    "chg_body_added": (
        "Beratungsfolge: {body} neu ({date}, {role})",
        "Order of deliberation: {body} added ({date}, {role})",
    ),
    "chg_body_removed": (
        "Beratungsfolge: {body} entfallen",
        "Order of deliberation: {body} removed",
    ),
    "chg_body_field": (
        "Beratungsfolge, {body}: {field} {old} → {new}",
        "Order of deliberation, {body}: {field} {old} → {new}",
    ),
    "chg_body_order": (
        "Beratungsfolge: Reihenfolge der Gremien geändert",
        "Order of deliberation: order of the bodies changed",
    ),
    "chg_financial": (
        "Finanzielle Auswirkungen, {field}: {old} → {new}",
        "Financial effects, {field}: {old} → {new}",
    ),
    "chg_financial_impact": (
        "Finanzielle Auswirkungen: {old} → {new}",
        "Financial effects: {old} → {new}",
    ),
    "chg_section_added": ("Abschnitt „{section}“ neu", "Section “{section}” added"),
    "chg_section_removed": ("Abschnitt „{section}“ entfallen", "Section “{section}” removed"),
    "chg_section_text": ("Abschnitt „{section}“ überarbeitet", "Section “{section}” revised"),
    "chg_partnership_added": (
        "Partnerschaft neu aufgenommen: {title}",
        "Partnership added: {title}",
    ),
    "chg_partnership_removed": (
        "Partnerschaft nicht mehr enthalten: {title}",
        "Partnership no longer included: {title}",
    ),
    "chg_partnership_field": ("{title}: {field} {old} → {new}", "{title}: {field} {old} → {new}"),
    "chg_activity_added": (
        "Neue Aktivität ({title}): {date} {activity}",
        "New activity ({title}): {date} {activity}",
    ),
    "chg_activity_removed": (
        "Aktivität entfernt ({title}): {date} {activity}",
        "Activity removed ({title}): {date} {activity}",
    ),
    "chg_activity_changed": (
        "Aktivität geändert ({title}): {date} {activity}",
        "Activity changed ({title}): {date} {activity}",
    ),
    "chg_assessment_added": ("Neue Prüfung: {title}", "New assessment: {title}"),
    "chg_assessment_removed": (
        "Prüfung nicht mehr enthalten: {title}",
        "Assessment no longer included: {title}",
    ),
    "chg_overall": ("{title}: Gesamtampel {old} → {new}", "{title}: overall light {old} → {new}"),
    "chg_chances": ("{title}: Chancen {old} → {new}", "{title}: chances {old} → {new}"),
    "chg_field_light": (
        "{title}, {field}: Ampel {old} → {new}",
        "{title}, {field}: light {old} → {new}",
    ),
    "chg_field_score": (
        "{title}, {field}: Risikoanteil {old}\u00a0% → {new}\u00a0%",
        "{title}, {field}: risk share {old}\u00a0% → {new}\u00a0%",
    ),
    "chg_answer": (
        "{title}, Frage „{question}“: Antwort {old} → {new}",
        "{title}, question “{question}”: answer {old} → {new}",
    ),
    "chg_evidence": (
        "{title}, Frage „{question}“: Nachweis geändert",
        "{title}, question “{question}”: evidence changed",
    ),
    "chg_attachment_added": ("Anlage neu: {name}", "Attachment added: {name}"),
    "chg_attachment_changed": ("Anlage ersetzt: {name}", "Attachment replaced: {name}"),
    "chg_attachment_removed": ("Anlage entfallen: {name}", "Attachment removed: {name}"),
    "chg_source_added": ("Quelle [{number}] neu: {title}", "Source [{number}] added: {title}"),
    "chg_source_removed": ("Quelle entfallen: {title}", "Source removed: {title}"),
    "chg_screening": ("Abgleich: {text}", "Screening: {text}"),
    "unanswered": ("offen", "open"),
    "none": ("keine", "none"),
}

# What a list says about an entity (FollowTheMoney topics) is worded once, for every
# view, in the screening vocabulary; the briefing takes those words from the message
# catalogue in its own language, which need not be the window's.
OTHER_TOPIC = N_("other note on the list")


def _topic_vocabulary() -> tuple[dict[str, str], dict[str, str]]:
    from chinadialog_desktop.domain import screening_terms

    return dict(screening_terms.TOPIC_LABELS), dict(screening_terms._TOPIC_FAMILIES)


@cache
def _catalogue(lang: str) -> gettext.NullTranslations:
    if lang == "en":  # the message ids are English
        return gettext.NullTranslations()
    return gettext.translation(DOMAIN, locale_dir(), languages=[lang], fallback=True)


def catalogue_term(msgid: str, lang: str) -> str:
    """A message of the app's catalogue in ``lang``, whatever language the window uses."""
    return _catalogue(lang).gettext(msgid)


def topic_term(topic: str, lang: str) -> str:
    """A list topic in words (``sanction`` → sanktioniert); never the code."""
    labels, families = _topic_vocabulary()
    msgid = labels.get(topic) or families.get(topic.split(".", 1)[0]) or OTHER_TOPIC
    return catalogue_term(msgid, lang)


def topic_terms(topics: list[str], lang: str) -> list[str]:
    return list(dict.fromkeys(topic_term(t, lang) for t in topics))


LIGHTS: dict[str, tuple[str, str]] = {
    "green": ("grün", "green"),
    "yellow": ("gelb", "yellow"),
    "red": ("rot", "red"),
    "grey": ("nicht bewertet", "not rated"),
}

# The chance side (domain.scoring.ChanceLevel): words, never a traffic light.
CHANCE_LEVELS: dict[str, tuple[str, str]] = {
    "high": ("hoch", "high"),
    "medium": ("mittel", "medium"),
    "low": ("gering", "low"),
    "none": ("nicht bewertet", "not rated"),
}

# The marking printed at the top and bottom of every page (None: no marking).
MARKINGS: dict[str, tuple[str, str] | None] = {
    Classification.OPEN: None,
    Classification.INTERNAL: ("NUR FÜR DEN INTERNEN GEBRAUCH", "INTERNAL USE ONLY"),
    Classification.VS_NFD: (
        "VS – NUR FÜR DEN DIENSTGEBRAUCH",
        "VS – NUR FÜR DEN DIENSTGEBRAUCH (RESTRICTED)",
    ),
}

ENUM_TERMS: dict[type, dict[str, tuple[str, str]]] = {
    FinancialImpact: {
        FinancialImpact.YES: ("ja", "yes"),
        FinancialImpact.NO: ("nein", "no"),
    },
    CostRecurrence: {
        CostRecurrence.ONE_OFF: ("einmalig", "one-off"),
        CostRecurrence.RECURRING: ("laufend (jährlich)", "recurring (yearly)"),
    },
    DocumentKind: {
        DocumentKind.INFORMATION: ("Informationsvorlage", "Information paper"),
        DocumentKind.DECISION: ("Beschlussvorlage", "Decision paper"),
        DocumentKind.INTERNAL: ("Internes Briefing", "Internal briefing"),
    },
    DeliberationRole: {
        DeliberationRole.PRELIMINARY: ("Vorberatung", "Preliminary discussion"),
        DeliberationRole.DECISION: ("Entscheidung", "Decision"),
        DeliberationRole.INFORMATION: ("zur Kenntnis", "For information"),
    },
    PartnershipType: {
        PartnershipType.TWIN_CITY: ("Städtepartnerschaft", "Twin-city partnership"),
        PartnershipType.FRIENDSHIP: ("Städtefreundschaft", "City friendship"),
        PartnershipType.LAND_PROVINCE: ("Partnerschaft Land–Provinz", "State–province partnership"),
        PartnershipType.DISTRICT_CITY: ("Partnerschaft Kreis–Stadt", "District–city partnership"),
        PartnershipType.UNIVERSITY: ("Hochschulkooperation", "University cooperation"),
        PartnershipType.SCHOOL: ("Schulpartnerschaft", "School partnership"),
        PartnershipType.INVESTMENT: ("Investition", "Investment"),
        PartnershipType.PROJECT: ("Projektkooperation", "Project cooperation"),
        PartnershipType.OTHER: ("Sonstige", "Other"),
    },
    PartnershipStatus: {
        PartnershipStatus.PLANNED: ("angebahnt", "planned"),
        PartnershipStatus.ACTIVE: ("aktiv", "active"),
        PartnershipStatus.DORMANT: ("ruhend", "dormant"),
        PartnershipStatus.SUSPENDED: ("ausgesetzt", "suspended"),
        PartnershipStatus.ENDED: ("beendet", "ended"),
    },
    PartyRole: {
        PartyRole.GERMAN: ("deutsch", "German"),
        PartyRole.CHINESE: ("chinesisch", "Chinese"),
        PartyRole.OTHER: ("weitere", "other"),
    },
    ActorKind: {
        ActorKind.MUNICIPALITY: ("Kommune", "Municipality"),
        ActorKind.DISTRICT: ("Landkreis", "District"),
        ActorKind.LAND: ("Land", "Federal state"),
        ActorKind.PROVINCE: ("Provinz", "Province"),
        ActorKind.CITY: ("Stadt", "City"),
        ActorKind.CITY_DISTRICT: ("Stadtbezirk", "City district"),
        ActorKind.UNIVERSITY: ("Hochschule", "University"),
        ActorKind.COMPANY: ("Unternehmen", "Company"),
        ActorKind.ASSOCIATION: ("Verein/Verband", "Association"),
        ActorKind.PUBLIC_BODY: ("Öffentliche Einrichtung", "Public body"),
        ActorKind.OTHER: ("Sonstige Organisation", "Other organisation"),
    },
    ActivityKind: {
        ActivityKind.DELEGATION: ("Delegationsbesuch", "Delegation visit"),
        ActivityKind.AGREEMENT: ("Vereinbarung", "Agreement"),
        ActivityKind.EVENT: ("Veranstaltung", "Event"),
        ActivityKind.PROJECT: ("Projekt", "Project"),
        ActivityKind.EXCHANGE: ("Austausch", "Exchange"),
        ActivityKind.OTHER: ("Sonstiges", "Other"),
    },
    # the fields of action: from resources/glossary.yaml
    FieldOfAction: {code: (f.de, f.en) for code, f in glossary().fields.items()},
    SectionKey: {
        SectionKey.SUMMARY: ("Zusammenfassung", "Summary"),
        SectionKey.BACKGROUND: ("Hintergrund", "Background"),
        SectionKey.OPPORTUNITIES: ("Chancen", "Opportunities"),
        SectionKey.RISKS: ("Risiken", "Risks"),
        SectionKey.RECOMMENDATION: ("Empfehlung", "Recommendation"),
    },
}


def _pick(pair: tuple[str, str], lang: str) -> str:
    return pair[1] if lang == "en" else pair[0]


def term(key: str, lang: str, **values: object) -> str:
    """The term ``key`` in ``lang``, with ``{placeholders}`` filled from ``values``."""
    text = _pick(TERMS[key], lang)
    return text.format(**values) if values else text


def enum_term(kind: type, code: str | None, lang: str) -> str:
    """The document label of an enum code; an unknown code is shown as is."""
    if code is None:
        return ""
    pair = ENUM_TERMS.get(kind, {}).get(str(code))
    return _pick(pair, lang) if pair else str(code)


def light_term(light: str, lang: str) -> str:
    return _pick(LIGHTS.get(light, (light, light)), lang)


def chance_term(level: str, lang: str) -> str:
    return _pick(CHANCE_LEVELS.get(level, (level, level)), lang)


def marking(classification: str, lang: str) -> str | None:
    pair = MARKINGS.get(classification)
    return _pick(pair, lang) if pair else None


def format_day(value: date | None, lang: str) -> str:
    return format_date(value, "day", lang)


def format_partial(value: date | None, precision: str, lang: str) -> str:
    """03.05.2011, 05.2011 or 2011 (ISO-like in English), as precise as it is known."""
    return format_date(value, precision or "day", lang)


def format_percent(value: float, lang: str) -> str:
    text = f"{value:.0f}"
    return text if lang == "en" else text.replace(".", ",")
