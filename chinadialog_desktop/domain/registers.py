"""The four registers a China-competence officer keeps, defined once (issue 14, point 7).

Delegation visits, gifts and hospitality, counterpart contacts (Gesprächskontakte)
and the incident log. Each is a record kind linked to a partnership (a dossier
reaches them through the partnerships it links). Everything else derives from
this module: the tables (persistence.models_registers), the exchanged kinds
(services.datasets.kinds), the panels of the partnership editor (ui.records.registers_panel),
the briefing sections (services.briefing.registers) and the command line.

``public`` says what the public version of a briefing may print of a field:
nothing about persons (names, who led, who decided, who was told) and nothing
of an incident or a conversation beyond how many there were.

Gifts: in German public service accepting rewards, gifts and other advantages
related to the office is forbidden in principle; exceptions need the consent
of the employer (§ 71 BBG for the Federation, § 42 BeamtStG for the Länder and
municipalities, § 3 Abs. 2 TVöD for employees). Value limits and the office that
consents are set by each Land and employer, so no limit is built in here: the
register records the value, the decision and who made it.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum
from typing import Any

from chinadialog_desktop.domain.enums import (
    GiftDecision,
    GiftDirection,
    GiftKind,
    IncidentKind,
    VisitDirection,
)
from chinadialog_desktop.i18n import N_


@dataclass(frozen=True)
class RegisterField:
    """One field: ``widget`` is line, text, date, money (euro cents) or combo (``enum``)."""

    name: str
    label: str  # marked for translation
    widget: str = "line"
    enum: type[StrEnum] | None = None
    required: bool = False
    max_length: int | None = None
    default: Any = None
    synonyms: tuple[str, ...] = ()  # column headers an imported file may use (folded)
    public: bool = False  # may the public version of a briefing print it?
    # An account that is internal as a whole (a conversation, an incident): the public
    # version of a briefing also drops any sentence elsewhere that repeats it.
    confidential: bool = False


@dataclass(frozen=True)
class Register:
    record_kind: str  # records.KINDS key, table name
    key: str  # the exchanged kind (datasets)
    label: str  # plural, marked for translation
    singular: str  # "visit", marked for translation
    aliases: tuple[str, ...]
    title_field: str
    date_field: str | None  # what the register is ordered by (None: by name)
    notes_field: str
    columns: tuple[str, ...]  # the panel's list columns
    briefing: tuple[str, ...]  # the columns of its table in the internal briefing
    fields: tuple[RegisterField, ...]
    public_rows: bool  # False: the public version prints only how many entries there are

    def field(self, name: str) -> RegisterField:
        return next(f for f in self.fields if f.name == name)

    @property
    def required(self) -> tuple[str, ...]:
        return tuple(f.name for f in self.fields if f.required)


F = RegisterField

VISITS = Register(
    record_kind="visit",
    key="visits",
    label=N_("Delegation visits"),
    singular=N_("visit"),
    aliases=("visit", "besuche", "delegationsreisen", "delegationsbesuche", "reisen"),
    title_field="title",
    date_field="start_date",
    notes_field="notes",
    columns=("start_date", "direction", "title", "place"),
    briefing=("start_date", "direction", "title", "place", "lead", "paid_by"),
    public_rows=True,
    fields=(
        F(
            "direction",
            N_("Direction"),
            "combo",
            VisitDirection,
            default="incoming",
            public=True,
            synonyms=("richtung", "direction", "art"),
        ),
        F(
            "start_date",
            N_("From"),
            "date",
            required=True,
            public=True,
            synonyms=("von", "beginn", "datum", "date", "start", "from", "anreise"),
        ),
        F(
            "end_date",
            N_("Until"),
            "date",
            public=True,
            synonyms=("bis", "ende", "end", "until", "abreise"),
        ),
        F(
            "title",
            N_("Occasion"),
            required=True,
            max_length=300,
            public=True,
            synonyms=("anlass", "titel", "title", "occasion", "bezeichnung", "besuch"),
        ),
        F(
            "place",
            N_("Place"),
            max_length=200,
            public=True,
            synonyms=("ort", "place", "location", "reiseziel"),
        ),
        F(
            "lead",
            N_("Led by"),
            max_length=200,
            synonyms=("leitung", "delegationsleitung", "leiter", "lead", "led by"),
        ),
        F(
            "participants",
            N_("Participants"),
            "text",
            synonyms=("teilnehmende", "teilnehmer", "participants", "delegation"),
        ),
        F(
            "programme",
            N_("Programme"),
            "text",
            synonyms=("programm", "programme", "program", "ablauf"),
        ),
        F(
            "paid_by",
            N_("Costs borne by"),
            max_length=200,  # may name a person (a private payer): internal only
            synonyms=("kostentraeger", "kosten", "bezahlt von", "paid by", "finanzierung"),
        ),
        F("notes", N_("Notes"), "text", synonyms=("notizen", "bemerkungen", "notes")),
    ),
)

GIFTS = Register(
    record_kind="gift",
    key="gifts",
    label=N_("Gifts and hospitality"),
    singular=N_("gift or hospitality"),
    aliases=("gift", "geschenke", "bewirtungen", "geschenke_und_bewirtungen"),
    title_field="title",
    date_field="date",
    notes_field="notes",
    columns=("date", "direction", "kind", "title", "value_cents", "decision"),
    briefing=("date", "direction", "title", "value_cents", "decision", "decided_by"),
    public_rows=True,
    fields=(
        F("date", N_("Date"), "date", required=True, public=True, synonyms=("datum", "date", "am")),
        F(
            "direction",
            N_("Received or given"),
            "combo",
            GiftDirection,
            default="received",
            public=True,
            synonyms=("richtung", "erhalten oder ueberreicht", "direction"),
        ),
        F(
            "kind",
            N_("Kind"),
            "combo",
            GiftKind,
            default="gift",
            public=True,
            synonyms=("art", "kind", "typ"),
        ),
        F(
            "title",
            N_("Gift or hospitality"),
            required=True,
            max_length=300,
            public=True,
            synonyms=("gegenstand", "geschenk", "bewirtung", "titel", "title", "beschreibung"),
        ),
        F("occasion", N_("Occasion"), max_length=300, public=True, synonyms=("anlass", "occasion")),
        F(
            "counterpart",
            N_("From or to whom"),
            max_length=300,
            synonyms=("von wem", "an wen", "geber", "empfaenger", "counterpart"),
        ),
        # In cents, also in exchanged files (a column "value_cents"): never a float, never
        # a euro figure misread by a hundred.
        F(
            "value_cents",
            N_("Value (estimated)"),
            "money",
            public=True,
            synonyms=("wert in cent", "wert cent", "value cents", "cent"),
        ),
        F(
            "decision",
            N_("Decision"),
            "combo",
            GiftDecision,
            default="pending",
            public=True,
            synonyms=("entscheidung", "genehmigung", "zustimmung", "decision"),
        ),
        F(
            "decided_by",
            N_("Decided by"),
            max_length=200,
            synonyms=("entschieden von", "genehmigt von", "decided by"),
        ),
        F(
            "decided_on",
            N_("Decided on"),
            "date",
            synonyms=("entschieden am", "genehmigt am", "decided on"),
        ),
        F(
            "whereabouts",
            N_("Whereabouts"),
            max_length=300,
            synonyms=("verbleib", "whereabouts", "aufbewahrung"),
        ),
        F("notes", N_("Notes"), "text", synonyms=("notizen", "bemerkungen", "notes")),
    ),
)

COUNTERPARTS = Register(
    record_kind="counterpart",
    key="counterparts",
    label=N_("Counterpart contacts"),
    singular=N_("counterpart contact"),
    aliases=("counterpart", "gespraechskontakte", "gespraechspartner"),
    title_field="name",
    date_field=None,
    notes_field="notes",
    columns=("name", "organisation", "government_function", "party_function"),
    briefing=("name", "organisation", "government_function", "party_function", "last_met"),
    public_rows=False,
    fields=(
        F(
            "name",
            N_("Name"),
            required=True,
            max_length=200,
            synonyms=("name", "person", "gespraechspartner", "gespraechspartnerin"),
        ),
        F(
            "name_zh",
            N_("Name in Chinese characters"),
            max_length=100,
            synonyms=("name zh", "chinesischer name", "chinese name", "姓名"),
        ),
        F(
            "organisation",
            N_("Organisation"),
            max_length=300,
            synonyms=("organisation", "organization", "institution", "behoerde", "单位"),
        ),
        F(
            "government_function",
            N_("Government function"),
            max_length=300,
            synonyms=("staatliche funktion", "funktion", "amt", "government function", "职务"),
        ),
        F(
            "party_function",
            N_("Party function"),
            max_length=300,
            synonyms=("parteifunktion", "party function", "partei", "党内职务"),
        ),
        F(
            "last_met",
            N_("Last conversation"),
            "date",
            synonyms=("letztes gespraech", "letzter kontakt", "last met", "datum"),
        ),
        F(
            "conversations",
            N_("Conversations (when, topics)"),
            "text",
            synonyms=("gespraeche", "themen", "conversations", "topics"),
            confidential=True,
        ),
        F(
            "notes",
            N_("Notes"),
            "text",
            synonyms=("notizen", "bemerkungen", "notes"),
            confidential=True,
        ),
    ),
)

INCIDENTS = Register(
    record_kind="incident",
    key="incidents",
    label=N_("Incidents"),
    singular=N_("incident"),
    aliases=("incident", "vorfaelle", "vorfall", "vorfallsregister"),
    title_field="title",
    date_field="date",
    notes_field="description",
    columns=("date", "kind", "title", "reported_to"),
    briefing=("date", "kind", "title", "reported_to", "measures"),
    public_rows=False,
    fields=(
        F("date", N_("Date"), "date", required=True, synonyms=("datum", "date", "am")),
        F(
            "kind",
            N_("Kind"),
            "combo",
            IncidentKind,
            default="other",
            synonyms=("art", "kind", "typ"),
        ),
        F(
            "title",
            N_("In brief"),
            required=True,
            max_length=300,
            synonyms=("kurz", "titel", "title", "vorfall", "betreff"),
            confidential=True,
        ),
        F(
            "description",
            N_("Description"),
            "text",
            synonyms=("beschreibung", "description", "hergang", "sachverhalt"),
            confidential=True,
        ),
        F(
            "reported_to",
            N_("Reported to"),
            max_length=300,
            synonyms=("meldung an", "gemeldet an", "reported to"),
        ),
        F(
            "reported_on",
            N_("Reported on"),
            "date",
            synonyms=("gemeldet am", "meldung am", "reported on"),
        ),
        F(
            "measures",
            N_("Measures taken"),
            "text",
            synonyms=("massnahmen", "measures", "reaktion"),
            confidential=True,
        ),
    ),
)

REGISTERS: tuple[Register, ...] = (VISITS, GIFTS, COUNTERPARTS, INCIDENTS)
BY_RECORD_KIND = {r.record_kind: r for r in REGISTERS}
BY_KEY = {r.key: r for r in REGISTERS}


def defaults(register: Register) -> dict[str, Any]:
    """The values a field takes when an imported file leaves it out."""
    return {f.name: f.default for f in register.fields if not f.required}
