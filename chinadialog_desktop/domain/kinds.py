"""The one registry of record kinds: what each kind is called and what each of its fields is.

Every kind of record people edit, list, import and export (actors, partnerships,
sources, activities, contacts) is described here once: its names (singular and
plural, through gettext), the field people recognise a record by, its default
order, the key its records have in files, its icon; and per field: the caption,
the type, the vocabulary, the length and format rules, the header names an import
understands (German and English, as people really write them) and the list column.

Everything else derives from this module: the editors' captions and checks, the
import's field specs and header mapping, the list headers, the export columns, the
command line's ``--kind`` words and the dataset package's JSON Schema. A field is
added by one entry here and one migration (the stored column follows from the
entry, see ``persistence.kind_models``).

Qt-free and database-free: the ORM classes are mapped to a ``Kind`` in
``persistence.kind_models``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date
from enum import StrEnum
from functools import cache
from typing import Any

from chinadialog_desktop.domain.enums import (
    ActivityKind,
    ActorKind,
    DatePrecision,
    FieldOfAction,
    GiftDecision,
    GiftDirection,
    GiftKind,
    IncidentKind,
    PartnershipStatus,
    PartnershipType,
    VisitDirection,
)
from chinadialog_desktop.domain.identifiers import uscc_valid
from chinadialog_desktop.i18n import N_, _, in_every_language


class Kind(StrEnum):
    """A kind of record; the value is the key the editors and services use."""

    ACTOR = "actor"
    PARTNERSHIP = "partnership"
    SOURCE = "source"
    ACTIVITY = "activity"
    CONTACT = "contact"
    # The four registers a China-competence officer keeps, each linked to a partnership.
    VISIT = "visit"
    GIFT = "gift"
    COUNTERPART = "counterpart"
    INCIDENT = "incident"


class Rule(StrEnum):
    """A format a filled-in value must have (checked by ``format_error``)."""

    AGS = "ags"
    USCC = "uscc"
    COUNTRY = "country"
    EMAIL = "email"
    URL = "url"


# Field types: text, date (partial with a companion *_precision field, or a full date
# without one), int, enum, list (of enum codes), country (ISO alpha-2), party (an actor
# named or referenced by UUID), ref (a record of another kind, by name or *_uuid), uuid.
FIELD_TYPES = ("text", "date", "int", "enum", "list", "country", "party", "ref", "uuid")


@dataclass(frozen=True)
class Field:
    """One field of a kind: the single place its caption, type and rules are written."""

    name: str
    caption: str | None = None  # marked for translation; None: not shown by itself
    value_type: str = "text"
    vocabulary: type[StrEnum] | None = None
    max_length: int | None = None
    required: bool = False  # the editor refuses it empty
    rule: Rule | None = None
    precision: str | None = None  # for partial dates: the field that holds day/month/year
    ref: Kind | None = None  # for references: the kind referred to
    synonyms: tuple[str, ...] = ()  # header names an import understands (folded forms)
    widget: str | None = ""  # the editor's widget; "" derived from the type, None: not edited
    placeholder: str = ""
    list_column: str | None = None  # the key of its list column, None: not listed
    list_caption: str | None = None  # the list header, when shorter than the caption
    stored: bool = True  # a column of the kind's table (False: resolved by the import)
    briefing: bool = False  # shown in the partnership facts of a briefing's header
    # Found by the search: "body" (its text is indexed and shown in snippets), "pinyin"
    # (also its syllables joined, "Zhu Hai" finds "Zhuhai"); "" not searched by itself.
    search: str = ""
    default: Any = None  # what a new entry or an imported row without it starts with
    public: bool = False  # may the public version of a briefing print it (registers)?
    # An account internal as a whole (a conversation, an incident): the public version of
    # a briefing also drops any sentence elsewhere that repeats it.
    confidential: bool = False

    @property
    def editor_widget(self) -> str | None:
        """The widget the editor shows for this field (None: the editor has none)."""
        if self.widget != "":
            return self.widget
        if not self.stored or self.caption is None or self.value_type == "uuid":
            return None
        if self.value_type == "enum":
            return "combo"
        if self.value_type == "list":
            return "checks"
        if self.value_type == "date":
            return "partial_date" if self.precision else "date"
        if self.value_type == "int":
            return "year" if self.name == "year" else "line"
        if self.value_type == "money":
            return "money"
        return "line"

    @property
    def header(self) -> str:
        """The list header (marked for translation)."""
        return self.list_caption or self.caption or self.name

    def check(self, value: Any) -> str | None:
        """The one check of a value for this field, for the editor, the import and the CLI.

        ``None`` when the value may be stored; otherwise one translated sentence.
        """
        if value is None or (isinstance(value, str) and value.strip() == ""):
            return _("Required field – please fill in.") if self.required else None
        if isinstance(value, str):
            if self.max_length is not None and len(value) > self.max_length:
                return _("The text has {length} characters; at most {limit} fit here.").format(
                    length=len(value), limit=self.max_length
                )
            if self.rule is not None:
                return format_error(self.rule, value)
        return None


@dataclass(frozen=True)
class KindInfo:
    """One kind of record: its names, how it is shown and its fields."""

    kind: Kind
    singular: str  # marked for translation
    plural: str  # marked for translation
    file_key: str  # its records' key in files and packages, and the CLI's --kind
    title_field: str  # what people read to recognise a record
    default_sort: tuple[str, ...]
    icon: str  # a file of resources/icons, without ".svg"
    notes_field: str  # where an import keeps the columns nobody mapped
    fields: tuple[Field, ...]
    # Pairs of date fields where the second must not lie before the first, with the
    # sentence that says so: the editor, the import and the command line check them alike.
    date_order: tuple[DateOrder, ...] = ()
    aliases: tuple[str, ...] = ()  # further words for the kind (folded), beside its names
    register: RegisterInfo | None = None  # set for the registers kept per partnership
    # The names a record is shown by, in order of preference: a row named only in one of
    # them is enough, the first filled in becomes its display name (the title field).
    name_fields: tuple[str, ...] = ()
    # Two records of the kind may not share one of these names (the editor refuses it as
    # the import does): they could no longer be told apart, nor found again by an import.
    unique_names: bool = False
    # The choice filters of the kind's list (beside its text box), in order.
    filters: tuple[ListFilter, ...] = ()
    # "{n} partnership" / "{n} partnerships" (marked) where its list counts its records.
    count: tuple[str, str] | None = None
    new_title: str | None = None  # the title a new record starts with (marked)
    # The record a row of this kind belongs to (its *_uuid is required in an import).
    parent: Kind | None = None
    # What a search hit shows under its title. Set, the search reads the kind from the
    # registry alone (title, this, the fields marked ``Field.search``); None: by hand
    # (a partnership is also found by its parties) or not at all.
    search_subtitle: str | None = None
    # The kind's code in the search index's rowids (``code << 40 | record id``), None: not
    # searched. Every index file stores these codes: never renumber, never reuse one.
    search_code: int | None = None
    # The index version that first held the kind: an older index is brought up to date by
    # indexing only the kinds it lacks (``persistence.search_index``), not by a rebuild.
    search_since: int = 1

    def searched_fields(self) -> tuple[Field, ...]:
        """The fields the search finds a record by beside its title, in their order."""
        return tuple(f for f in self.fields if f.search)

    def field(self, name: str) -> Field | None:
        return _field_index(self.kind).get(name)

    @property
    def names(self) -> list[str]:
        return [f.name for f in self.fields]

    def editor_fields(self) -> tuple[Field, ...]:
        return tuple(f for f in self.fields if f.editor_widget is not None)

    def list_fields(self) -> tuple[Field, ...]:
        return tuple(f for f in self.fields if f.list_column is not None)

    def stored_fields(self) -> tuple[Field, ...]:
        return tuple(f for f in self.fields if f.stored and f.value_type != "uuid")

    @property
    def date_field(self) -> str | None:
        """The date a kind's records are ordered by, when they are (a register's entries)."""
        first = self.field(self.default_sort[0])
        return first.name if first is not None and first.value_type == "date" else None

    def record_errors(self, values: dict[str, Any]) -> dict[str, str]:
        """Problems of a whole record beyond its single fields: an end before its start."""
        found: dict[str, str] = {}
        for rule in self.date_order:
            first, last = self.field(rule.first), self.field(rule.second)
            assert first is not None and last is not None
            if order_error(
                values.get(rule.first),
                values.get(first.precision or "") or DatePrecision.DAY.value,
                values.get(rule.second),
                values.get(last.precision or "") or DatePrecision.DAY.value,
            ):
                found.setdefault(rule.second, _(rule.message))
        return found


@dataclass(frozen=True)
class DateOrder:
    """``second`` must not lie before ``first``; ``message`` (marked) says so where it does."""

    first: str
    second: str
    message: str = N_("The end lies before the start.")


@dataclass(frozen=True)
class ListFilter:
    """A choice filter of a list: its key (``services.records.lists``) and the field whose
    list header and vocabulary it shows (of another kind: the parties' country)."""

    key: str
    field: str
    of: Kind | None = None  # the field's kind, when not the list's own
    caption: str | None = None  # marked; when not the field's list header


@dataclass(frozen=True)
class RegisterInfo:
    """What a register shows beyond its fields: its panel's and briefing's columns."""

    columns: tuple[str, ...]  # the panel's list columns (and the command line's)
    briefing: tuple[str, ...]  # the columns of its table in the internal briefing
    public_rows: bool  # False: the public version prints only how many entries there are


_UUID = Field("uuid", value_type="uuid", synonyms=("uuid", "guid", "uid"))


# A record that belongs to a partnership names it (the import resolves the name or UUID).
_IN_PARTNERSHIP = (
    Field(
        "partnership",
        N_("Partnership"),
        value_type="ref",
        ref=Kind.PARTNERSHIP,
        stored=False,
        synonyms=("partnership", "partnerschaft"),
    ),
    Field(
        "partnership_uuid",
        value_type="uuid",
        ref=Kind.PARTNERSHIP,
        stored=False,
        synonyms=("partnership uuid",),
    ),
)


def _precision(name: str) -> Field:
    return Field(name, value_type="enum", vocabulary=DatePrecision, widget=None)


ACTOR = KindInfo(
    kind=Kind.ACTOR,
    singular=N_("Actor"),
    plural=N_("Actors"),
    file_key="actors",
    title_field="name_de",
    default_sort=("name_de",),
    icon="actors",
    notes_field="notes",
    name_fields=("name_de", "name_en", "name_pinyin", "name_zh"),
    unique_names=True,
    filters=(
        ListFilter("kind", "kind"),
        ListFilter("country", "country"),
        ListFilter("province", "region"),
    ),
    count=(N_("{n} actor"), N_("{n} actors")),
    new_title=N_("New actor"),
    search_code=2,
    search_subtitle="region",
    fields=(
        _UUID,
        Field(
            "name_de",
            N_("Name (German)"),
            required=True,
            max_length=300,
            list_column="name_de",
            list_caption=N_("Name"),
            synonyms=(
                "name",
                "name de",
                "name deutsch",
                "deutscher name",
                "bezeichnung",
                "akteur",
                "organisation",
                "institution",
                "kommune",
                "kommune de",
                "partner",
                "actor",
                "german name",
            ),
        ),
        Field(
            "name_en",
            N_("Name (English)"),
            max_length=300,
            synonyms=(
                "name en",
                "name englisch",
                "englischer name",
                "english name",
                "name english",
            ),
            search="body",
        ),
        Field(
            "name_zh",
            N_("Chinese characters"),
            max_length=200,
            list_column="name_zh",
            synonyms=(
                "name zh",
                "name chinesisch",
                "chinesischer name",
                "chinese name",
                "name chinese",
                "hanzi",
                "chinesisch",
                "中文名",
                "名称",
                "中文名称",
            ),
            search="body",
        ),
        Field(
            "name_pinyin",
            N_("Pinyin"),
            max_length=300,
            list_column="name_pinyin",
            synonyms=("pinyin", "name pinyin"),
            search="pinyin",
        ),
        Field(
            "kind",
            N_("Kind"),
            value_type="enum",
            vocabulary=ActorKind,
            list_column="kind",
            synonyms=(
                "kind",
                "art",
                "typ",
                "type",
                "akteursart",
                "art des akteurs",
                "kategorie",
            ),
        ),
        Field(
            "country",
            N_("Country (ISO code)"),
            value_type="country",
            rule=Rule.COUNTRY,
            placeholder=N_("DE, CN …"),
            list_column="country",
            list_caption=N_("Country"),
            synonyms=(
                "country",
                "land",
                "staat",
                "laendercode",
                "country code",
                "iso",
                "nation",
            ),
        ),
        Field(
            "region",
            N_("State / province"),
            max_length=200,
            list_column="region",
            synonyms=(
                "region",
                "bundesland",
                "provinz",
                "province",
                "state",
                "land provinz",
            ),
            search="body",
        ),
        Field(
            "ags",
            N_("Municipality key (AGS)"),
            max_length=8,
            rule=Rule.AGS,
            synonyms=(
                "ags",
                "gemeindeschluessel",
                "amtlicher gemeindeschluessel",
                "municipality key",
            ),
            search="body",
        ),
        Field(
            "uscc",
            N_("Unified social credit code (USCC)"),
            max_length=18,
            rule=Rule.USCC,
            synonyms=(
                "uscc",
                "sozialkreditcode",
                "unified social credit code",
                "统一社会信用代码",
            ),
            search="body",
        ),
        Field(
            "website",
            N_("Website"),
            max_length=500,
            rule=Rule.URL,
            synonyms=(
                "website",
                "webseite",
                "internet",
                "url",
                "homepage",
                "internetseite",
            ),
            search="body",
        ),
        Field(
            "notes",
            N_("Notes"),
            widget="text",
            synonyms=(
                "notes",
                "notizen",
                "bemerkungen",
                "bemerkung",
                "anmerkungen",
                "beschreibung",
                "kommentar",
                "description",
            ),
            search="body",
        ),
    ),
)

PARTNERSHIP = KindInfo(
    kind=Kind.PARTNERSHIP,
    singular=N_("Partnership"),
    plural=N_("Partnerships"),
    file_key="partnerships",
    title_field="title",
    default_sort=("title",),
    icon="partnerships",
    notes_field="description",
    date_order=(DateOrder("start_date", "end_date"),),
    # The parties' country and province: a partnership is found by where its partners are.
    filters=(
        ListFilter("type", "type"),
        ListFilter("status", "status"),
        ListFilter("field_of_action", "fields_of_action", caption=N_("Field of action")),
        ListFilter("country", "country", of=Kind.ACTOR),
        ListFilter("province", "region", of=Kind.ACTOR),
    ),
    count=(N_("{n} partnership"), N_("{n} partnerships")),
    new_title=N_("New partnership"),
    search_code=1,  # its SQL is written in persistence.search_text (its parties)
    fields=(
        _UUID,
        Field(
            "title",
            N_("Title"),
            required=True,
            max_length=300,
            list_column="title",
            synonyms=(
                "title",
                "titel",
                "bezeichnung",
                "name",
                "partnerschaft",
                "partnership",
            ),
        ),
        Field(
            "german_party",
            N_("German party"),
            value_type="party",
            stored=False,
            list_column="german",
            list_caption=N_("Ger. party"),  # whole beside the title at 1024 pixels; tooltip in full
            synonyms=(
                "kommune",
                "kommune de",
                "deutsche kommune",
                "deutscher partner",
                "deutsche partnerkommune",
                "deutsche seite",
                "german party",
                "german partner",
                "german side",
                "municipality",
                "stadt",
                "gemeinde",
                "landkreis",
                "partner de",
                "deutschland",
            ),
        ),
        Field(
            "chinese_party",
            N_("Chinese party"),
            value_type="party",
            stored=False,
            list_column="chinese",
            list_caption=N_(
                "Chin. party"
            ),  # whole beside the title at 1024 pixels; tooltip in full
            synonyms=(
                "partnerstadt",
                "chinesischer partner",
                "chinesische partnerstadt",
                "chinesische seite",
                "chinesische partnerkommune",
                "partnerkommune",
                "chinese party",
                "chinese partner",
                "chinese side",
                "partner city",
                "sister city",
                "partner cn",
                "china",
                "partner",
            ),
        ),
        Field(
            "german_party_uuid", value_type="uuid", stored=False, synonyms=("german party uuid",)
        ),
        Field(
            "chinese_party_uuid", value_type="uuid", stored=False, synonyms=("chinese party uuid",)
        ),
        Field(
            "type",
            N_("Type"),
            value_type="enum",
            vocabulary=PartnershipType,
            list_column="type",
            synonyms=(
                "type",
                "art",
                "typ",
                "partnerschaftsart",
                "art der partnerschaft",
                "form",
                "kind",
            ),
        ),
        Field(
            "status",
            N_("Status"),
            value_type="enum",
            vocabulary=PartnershipStatus,
            list_column="status",
            synonyms=("status", "stand", "zustand"),
        ),
        Field(
            "start_date",
            N_("Start"),
            value_type="date",
            precision="start_precision",
            list_column="since",
            list_caption=N_("Since"),
            synonyms=(
                "start date",
                "beginn",
                "seit",
                "start",
                "begin",
                "since",
                "unterzeichnet am",
                "unterzeichnung",
                "datum der unterzeichnung",
                "unterzeichnungsdatum",
                "signed",
                "signed on",
                "vertragsdatum",
                "gegruendet",
                "gruendung",
                "partnerschaft seit",
            ),
        ),
        _precision("start_precision"),
        Field(
            "end_date",
            N_("End"),
            value_type="date",
            precision="end_precision",
            synonyms=("end date", "ende", "bis", "end", "beendet am", "until"),
        ),
        _precision("end_precision"),
        Field(
            "file_reference",
            N_("File reference"),  # Aktenzeichen
            max_length=64,
            list_column="file_reference",
            list_caption=N_("File ref."),  # Az.: the list keeps its room for the reference
            briefing=True,
            synonyms=(
                "aktenzeichen",
                "az",
                "akten zeichen",
                "geschaeftszeichen",
                "file reference",
                "file number",
                "case reference",
                "reference number",
            ),
        ),
        Field(
            "fields_of_action",
            N_("Fields of action"),
            value_type="list",
            vocabulary=FieldOfAction,
            synonyms=(
                "fields of action",
                "handlungsfelder",
                "themen",
                "themenfelder",
                "topics",
            ),
        ),
        Field(
            "description",
            N_("Description"),
            widget="rich",
            synonyms=(
                "description",
                "beschreibung",
                "bemerkungen",
                "bemerkung",
                "anmerkungen",
                "notizen",
                "notes",
                "kommentar",
            ),
        ),
    ),
)

SOURCE = KindInfo(
    kind=Kind.SOURCE,
    singular=N_("Source"),
    plural=N_("Sources"),
    file_key="sources",
    title_field="title",
    default_sort=("title",),
    icon="sources",
    notes_field="note",
    count=(N_("{n} source"), N_("{n} sources")),
    new_title=N_("New source"),
    search_code=5,
    search_subtitle="author",
    fields=(
        _UUID,
        Field(
            "title",
            N_("Title"),
            required=True,
            max_length=500,
            list_column="title",
            synonyms=("title", "titel", "quelle", "source", "bezeichnung", "dokument"),
        ),
        Field(
            "author",
            N_("Author / publisher"),
            max_length=300,
            list_column="author",
            synonyms=("author", "autor", "autorin", "verfasser", "herausgeber", "publisher"),
            search="body",
        ),
        Field(
            "year",
            N_("Year"),
            value_type="int",
            list_column="year",
            synonyms=("year", "jahr", "erscheinungsjahr"),
            search="body",
        ),
        Field(
            "url",
            N_("URL"),
            max_length=1000,
            rule=Rule.URL,
            synonyms=("url", "link", "adresse", "internet", "web"),
            search="body",
        ),
        Field(
            "accessed_on",
            N_("Accessed on"),
            value_type="date",
            list_column="accessed_on",
            synonyms=("accessed on", "abgerufen am", "abruf", "zugriff", "abrufdatum"),
        ),
        Field(
            "note",
            N_("Note"),
            widget="text",
            synonyms=("note", "notes", "notiz", "notizen", "bemerkung", "bemerkungen", "anmerkung"),
            search="body",
        ),
    ),
)

ACTIVITY = KindInfo(
    kind=Kind.ACTIVITY,
    singular=N_("Activity"),
    plural=N_("Activities"),
    file_key="activities",
    title_field="title",
    default_sort=("date", "title"),
    icon="partnerships",  # shown in a partnership's timeline
    notes_field="description",
    parent=Kind.PARTNERSHIP,
    search_code=3,
    search_subtitle="date",
    fields=(
        _UUID,
        *_IN_PARTNERSHIP,
        Field(
            "date",
            N_("Date"),
            list_column="date",
            value_type="date",
            required=True,
            precision="date_precision",
            synonyms=("date", "datum", "wann", "termin"),
        ),
        _precision("date_precision"),
        Field(
            "kind",
            N_("Kind"),
            list_column="kind",
            value_type="enum",
            vocabulary=ActivityKind,
            synonyms=("kind", "art", "typ", "type"),
        ),
        Field(
            "title",
            N_("Title"),
            list_column="title",
            required=True,
            max_length=300,
            synonyms=("title", "titel", "anlass", "bezeichnung", "thema"),
        ),
        Field(
            "location",
            N_("Place"),
            max_length=200,
            synonyms=("location", "ort", "veranstaltungsort"),
            search="body",
        ),
        Field(
            "participants",
            N_("Participants"),
            widget="text",
            synonyms=("participants", "teilnehmende", "teilnehmer", "delegation"),
            search="body",
        ),
        Field(
            "outcome",
            N_("Outcome"),
            widget="text",
            synonyms=("outcome", "ergebnis", "ergebnisse"),
            search="body",
        ),
        Field(
            "description",
            N_("Description"),
            widget="text",
            synonyms=("description", "beschreibung", "bemerkung", "bemerkungen", "notizen"),
            search="body",
        ),
    ),
)

CONTACT = KindInfo(
    kind=Kind.CONTACT,
    singular=N_("Contact"),
    plural=N_("Contacts"),
    file_key="contacts",
    title_field="name",
    default_sort=("name",),
    icon="actors",  # shown with an actor or a partnership
    notes_field="notes",
    name_fields=("name", "name_zh"),
    search_code=4,
    search_subtitle="function",
    fields=(
        _UUID,
        Field(
            "name",
            N_("Name"),
            list_column="name",
            required=True,
            max_length=200,
            synonyms=("name", "ansprechpartner", "ansprechpartnerin", "kontakt", "person"),
        ),
        Field(
            "name_zh",
            N_("Name in Chinese characters"),
            max_length=100,
            synonyms=(
                "name zh",
                "chinesischer name",
                "name chinesisch",
                "chinese name",
            ),
            search="body",
        ),
        Field(
            "function",
            N_("Function"),
            list_column="function",
            max_length=200,
            synonyms=("function", "funktion", "position", "amt"),
            search="body",
        ),
        Field(
            "email",
            N_("E-mail"),
            list_column="email",
            max_length=200,
            rule=Rule.EMAIL,
            synonyms=("email", "e mail", "mail"),
            search="body",
        ),
        Field(
            "phone",
            N_("Phone"),
            max_length=100,
            synonyms=("phone", "telefon", "tel", "telefonnummer"),
            search="body",
        ),
        Field(
            "notes",
            N_("Notes"),
            widget="text",
            synonyms=("notes", "notizen", "bemerkung", "bemerkungen"),
            search="body",
        ),
        Field(
            "actor",
            N_("Organisation (belongs to)"),
            value_type="ref",
            ref=Kind.ACTOR,
            stored=False,
            synonyms=("actor", "akteur", "organisation", "institution", "kommune", "behoerde"),
        ),
        Field(
            "actor_uuid", value_type="uuid", ref=Kind.ACTOR, stored=False, synonyms=("actor uuid",)
        ),
        *_IN_PARTNERSHIP,
    ),
)

# --------------------------------------------------------------------------- registers
#
# The four registers a China-competence officer keeps (issue 14, point 7): delegation
# visits, gifts and hospitality, counterpart contacts (Gesprächskontakte) and the incident
# log, each linked to a partnership (a dossier reaches them through the partnerships it
# links). ``public`` says what the public version of a briefing may print of a field:
# nothing about persons (names, who led, who decided, who was told) and nothing of an
# incident or a conversation beyond how many there were.
#
# Gifts: in German public service accepting rewards, gifts and other advantages related to
# the office is forbidden in principle; exceptions need the consent of the employer (§ 71
# BBG for the Federation, § 42 BeamtStG for the Länder and municipalities, § 3 Abs. 2 TVöD
# for employees). Value limits and the office that consents are set by each Land and
# employer, so no limit is built in here: the register records the value, the decision and
# who made it. The decision may come before the gift's date (consent asked for an announced
# gift, a gift the town gives), so the two dates have no order.

_NOTES = Field(
    "notes", N_("Notes"), widget="text", synonyms=("notizen", "bemerkungen", "notes"), search="body"
)

VISIT = KindInfo(
    kind=Kind.VISIT,
    search_code=7,
    search_since=4,
    search_subtitle="start_date",
    singular=N_("visit"),
    plural=N_("Delegation visits"),
    file_key="visits",
    title_field="title",
    default_sort=("start_date",),
    icon="partnerships",
    notes_field="notes",
    parent=Kind.PARTNERSHIP,
    date_order=(DateOrder("start_date", "end_date"),),
    aliases=("besuche", "delegationsreisen", "delegationsbesuche", "reisen"),
    register=RegisterInfo(
        columns=("start_date", "direction", "title", "place"),
        briefing=("start_date", "direction", "title", "place", "lead", "paid_by"),
        public_rows=True,
    ),
    fields=(
        _UUID,
        *_IN_PARTNERSHIP,
        Field(
            "direction",
            N_("Direction"),
            value_type="enum",
            vocabulary=VisitDirection,
            default="incoming",
            public=True,
            synonyms=("richtung", "direction", "art"),
        ),
        Field(
            "start_date",
            N_("From"),
            value_type="date",
            required=True,
            public=True,
            synonyms=("von", "beginn", "datum", "date", "start", "from", "anreise"),
        ),
        Field(
            "end_date",
            N_("Until"),
            value_type="date",
            public=True,
            synonyms=("bis", "ende", "end", "until", "abreise"),
        ),
        Field(
            "title",
            N_("Occasion"),
            required=True,
            max_length=300,
            public=True,
            synonyms=("anlass", "titel", "title", "occasion", "bezeichnung", "besuch"),
        ),
        Field(
            "place",
            N_("Place"),
            max_length=200,
            public=True,
            synonyms=("ort", "place", "location", "reiseziel"),
            search="body",
        ),
        Field(
            "lead",
            N_("Led by"),
            max_length=200,
            synonyms=("leitung", "delegationsleitung", "leiter", "lead", "led by"),
            search="body",
        ),
        Field(
            "participants",
            N_("Participants"),
            widget="text",
            synonyms=("teilnehmende", "teilnehmer", "participants", "delegation"),
            search="body",
        ),
        Field(
            "programme",
            N_("Programme"),
            widget="text",
            synonyms=("programm", "programme", "program", "ablauf"),
            search="body",
        ),
        Field(
            "paid_by",
            N_("Costs borne by"),
            max_length=200,  # may name a person (a private payer): internal only
            synonyms=("kostentraeger", "kosten", "bezahlt von", "paid by", "finanzierung"),
            search="body",
        ),
        _NOTES,
    ),
)

GIFT = KindInfo(
    kind=Kind.GIFT,
    search_code=8,
    search_since=4,
    search_subtitle="date",
    singular=N_("gift or hospitality"),
    plural=N_("Gifts and hospitality"),
    file_key="gifts",
    title_field="title",
    default_sort=("date",),
    icon="partnerships",
    notes_field="notes",
    parent=Kind.PARTNERSHIP,
    aliases=("geschenke", "bewirtungen", "geschenke_und_bewirtungen"),
    register=RegisterInfo(
        columns=("date", "direction", "kind", "title", "value_cents", "decision"),
        briefing=("date", "direction", "title", "value_cents", "decision", "decided_by"),
        public_rows=True,
    ),
    fields=(
        _UUID,
        *_IN_PARTNERSHIP,
        Field(
            "date",
            N_("Date"),
            value_type="date",
            required=True,
            public=True,
            synonyms=("datum", "date", "am"),
        ),
        Field(
            "direction",
            N_("Received or given"),
            value_type="enum",
            vocabulary=GiftDirection,
            default="received",
            public=True,
            synonyms=("richtung", "erhalten oder ueberreicht", "direction"),
        ),
        Field(
            "kind",
            N_("Kind"),
            value_type="enum",
            vocabulary=GiftKind,
            default="gift",
            public=True,
            synonyms=("art", "kind", "typ"),
        ),
        Field(
            "title",
            N_("Gift or hospitality"),
            required=True,
            max_length=300,
            public=True,
            synonyms=("gegenstand", "geschenk", "bewirtung", "titel", "title", "beschreibung"),
        ),
        Field(
            "occasion",
            N_("Occasion"),
            max_length=300,
            public=True,
            synonyms=("anlass", "occasion"),
            search="body",
        ),
        Field(
            "counterpart",
            N_("From or to whom"),
            max_length=300,
            synonyms=("von wem", "an wen", "geber", "empfaenger", "counterpart"),
            search="body",
        ),
        # In cents, also in exchanged files (a column "value_cents").
        Field(
            "value_cents",
            N_("Value (estimated)"),
            value_type="money",
            public=True,
            synonyms=("wert in cent", "wert cent", "value cents", "cent"),
        ),
        Field(
            "decision",
            N_("Decision"),
            value_type="enum",
            vocabulary=GiftDecision,
            default="pending",
            public=True,
            synonyms=("entscheidung", "genehmigung", "zustimmung", "decision"),
        ),
        Field(
            "decided_by",
            N_("Decided by"),
            max_length=200,
            synonyms=("entschieden von", "genehmigt von", "decided by"),
            search="body",
        ),
        Field(
            "decided_on",
            N_("Decided on"),
            value_type="date",
            synonyms=("entschieden am", "genehmigt am", "decided on"),
        ),
        Field(
            "whereabouts",
            N_("Whereabouts"),
            max_length=300,
            synonyms=("verbleib", "whereabouts", "aufbewahrung"),
            search="body",
        ),
        _NOTES,
    ),
)

COUNTERPART = KindInfo(
    kind=Kind.COUNTERPART,
    search_code=9,
    search_since=4,
    search_subtitle="organisation",
    singular=N_("counterpart contact"),
    plural=N_("Counterpart contacts"),
    file_key="counterparts",
    title_field="name",
    default_sort=("name",),
    icon="actors",
    notes_field="notes",
    parent=Kind.PARTNERSHIP,
    aliases=("gespraechskontakte", "gespraechspartner"),
    register=RegisterInfo(
        columns=("name", "organisation", "government_function", "party_function"),
        briefing=("name", "organisation", "government_function", "party_function", "last_met"),
        public_rows=False,
    ),
    fields=(
        _UUID,
        *_IN_PARTNERSHIP,
        Field(
            "name",
            N_("Name"),
            required=True,
            max_length=200,
            synonyms=("name", "person", "gespraechspartner", "gespraechspartnerin"),
        ),
        Field(
            "name_zh",
            N_("Name in Chinese characters"),
            max_length=100,
            synonyms=("name zh", "chinesischer name", "chinese name", "姓名"),
            search="body",
        ),
        Field(
            "organisation",
            N_("Organisation"),
            max_length=300,
            synonyms=("organisation", "organization", "institution", "behoerde", "单位"),
            search="body",
        ),
        Field(
            "government_function",
            N_("Government function"),
            max_length=300,
            synonyms=("staatliche funktion", "funktion", "amt", "government function", "职务"),
            search="body",
        ),
        Field(
            "party_function",
            N_("Party function"),
            max_length=300,
            synonyms=("parteifunktion", "party function", "partei", "党内职务"),
            search="body",
        ),
        Field(
            "last_met",
            N_("Last conversation"),
            value_type="date",
            synonyms=("letztes gespraech", "letzter kontakt", "last met", "datum"),
        ),
        Field(
            "conversations",
            N_("Conversations (when, topics)"),
            widget="text",
            confidential=True,
            synonyms=("gespraeche", "themen", "conversations", "topics"),
            search="body",
        ),
        Field(
            "notes",
            N_("Notes"),
            widget="text",
            confidential=True,
            synonyms=("notizen", "bemerkungen", "notes"),
            search="body",
        ),
    ),
)

INCIDENT = KindInfo(
    kind=Kind.INCIDENT,
    search_code=10,
    search_since=4,
    search_subtitle="date",
    singular=N_("incident"),
    plural=N_("Incidents"),
    file_key="incidents",
    title_field="title",
    default_sort=("date",),
    icon="partnerships",
    notes_field="description",
    parent=Kind.PARTNERSHIP,
    date_order=(DateOrder("date", "reported_on", N_("The report lies before the incident.")),),
    aliases=("vorfaelle", "vorfall", "vorfallsregister"),
    register=RegisterInfo(
        columns=("date", "kind", "title", "reported_to"),
        briefing=("date", "kind", "title", "reported_to", "measures"),
        public_rows=False,
    ),
    fields=(
        _UUID,
        *_IN_PARTNERSHIP,
        Field(
            "date",
            N_("Date"),
            value_type="date",
            required=True,
            synonyms=("datum", "date", "am"),
        ),
        Field(
            "kind",
            N_("Kind"),
            value_type="enum",
            vocabulary=IncidentKind,
            default="other",
            synonyms=("art", "kind", "typ"),
        ),
        Field(
            "title",
            N_("In brief"),
            required=True,
            max_length=300,
            confidential=True,
            synonyms=("kurz", "titel", "title", "vorfall", "betreff"),
        ),
        Field(
            "description",
            N_("Description"),
            widget="text",
            confidential=True,
            synonyms=("beschreibung", "description", "hergang", "sachverhalt"),
            search="body",
        ),
        Field(
            "reported_to",
            N_("Reported to"),
            max_length=300,
            synonyms=("meldung an", "gemeldet an", "reported to"),
            search="body",
        ),
        Field(
            "reported_on",
            N_("Reported on"),
            value_type="date",
            synonyms=("gemeldet am", "meldung am", "reported on"),
        ),
        Field(
            "measures",
            N_("Measures taken"),
            widget="text",
            confidential=True,
            synonyms=("massnahmen", "measures", "reaktion"),
            search="body",
        ),
    ),
)

REGISTRY: dict[Kind, KindInfo] = {
    info.kind: info
    for info in (ACTOR, PARTNERSHIP, SOURCE, ACTIVITY, CONTACT, VISIT, GIFT, COUNTERPART, INCIDENT)
}
# The registers, in the order their tabs and briefing tables are shown.
REGISTER_KINDS: tuple[Kind, ...] = tuple(k for k, v in REGISTRY.items() if v.register)


def list_filters(kind: Kind) -> tuple[tuple[str, str, type[StrEnum] | None], ...]:
    """The list's choice filters of ``kind``: (key, caption marked, vocabulary or None)."""
    found = []
    for f in REGISTRY[kind].filters:
        shown = REGISTRY[f.of or kind].field(f.field)
        assert shown is not None, (kind, f.field)
        found.append((f.key, f.caption or shown.header, shown.vocabulary))
    return tuple(found)


def info(kind: Kind | str) -> KindInfo:
    """The registry entry of ``kind`` (a Kind, its key or its file key)."""
    if isinstance(kind, Kind):
        return REGISTRY[kind]
    found = lookup_kind(kind)
    if found is None:
        raise KeyError(kind)
    return REGISTRY[found]


@cache
def _field_index(kind: Kind) -> dict[str, Field]:
    return {f.name: f for f in REGISTRY[kind].fields}


def _fold_word(text: str) -> str:
    """Lower case, umlauts spelled out, spaces and dashes as "_": Aktivitäten → aktivitaeten."""
    text = text.strip().casefold()
    for a, b in (("ä", "ae"), ("ö", "oe"), ("ü", "ue"), ("ß", "ss")):
        text = text.replace(a, b)
    return re.sub(r"[\s\-]+", "_", text)


@cache
def kind_words() -> dict[str, Kind]:
    """Every word the command line and file names accept for a kind: its key, file key and
    singular and plural names in every language (``Akteure`` and ``actors`` alike)."""
    words: dict[str, Kind] = {}
    for entry in REGISTRY.values():
        for text in (
            entry.kind.value,
            entry.file_key,
            *in_every_language(entry.singular),
            *in_every_language(entry.plural),
            *entry.aliases,
        ):
            words.setdefault(_fold_word(text), entry.kind)
    return words


def lookup_kind(word: str) -> Kind | None:
    """The kind named by ``word`` (key, file key, or a name in any language), None if none."""
    return kind_words().get(_fold_word(word))


# --------------------------------------------------------------------------- rules

_AGS = re.compile(r"^\d{8}$")
_USCC = re.compile(r"^[0-9A-HJ-NPQRTUWXY]{2}\d{6}[0-9A-HJ-NPQRTUWXY]{10}$")
_COUNTRY = re.compile(r"^[A-Z]{2}$")
_EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")
_URL = re.compile(r"^https?://[^\s/$.?#][^\s]*$", re.IGNORECASE)


def format_error(rule: Rule, value: Any) -> str | None:
    """A message when a filled-in identifier, code or address has the wrong form."""
    if value is None or value == "":
        return None
    text = str(value).strip()
    if rule is Rule.AGS and not _AGS.match(text):
        return _("The municipality key (AGS) has exactly 8 digits, e.g. 03101000.")
    if rule is Rule.USCC and not _USCC.match(text.upper()):
        return _("A unified social credit code has 18 characters (digits and capital letters).")
    if rule is Rule.USCC and not uscc_valid(text):
        return _(
            "The check character (the last one) of this unified social credit code does not fit "
            "the seventeen before it (GB 32100-2015); please compare it with the source."
        )
    if rule is Rule.COUNTRY and not _COUNTRY.match(text):
        return _("Use the two-letter country code in capitals, e.g. DE or CN.")
    if rule is Rule.EMAIL and not _EMAIL.match(text):
        return _("This is not an e-mail address.")
    if rule is Rule.URL and not _URL.match(text):
        return _("Web addresses start with https:// or http://.")
    return None


def _last_day(value: date, precision: str) -> date:
    """The last day a partial date may mean (2011 → 31.12.2011), for the order check."""
    if precision == DatePrecision.YEAR:
        return date(value.year, 12, 31)
    if precision == DatePrecision.MONTH:
        following = date(value.year + value.month // 12, value.month % 12 + 1, 1)
        return date.fromordinal(following.toordinal() - 1)
    return value


def order_error(
    start: date | None, start_precision: str, end: date | None, end_precision: str
) -> str | None:
    """An end date before the start date is an error; partial dates are read generously."""
    if start is None or end is None:
        return None
    if _last_day(end, end_precision) < start:
        return _("The end lies before the start.")
    return None


# --------------------------------------------------------------------------- JSON Schema

_JSON_TYPES: dict[str, dict[str, Any]] = {
    "text": {"type": ["string", "null"]},
    "party": {"type": ["string", "null"]},
    "ref": {"type": ["string", "null"]},
    "uuid": {"type": ["string", "null"], "format": "uuid"},
    "int": {"type": ["integer", "null"]},
    "money": {"type": ["integer", "null"]},
    "country": {"type": ["string", "null"], "pattern": "^[A-Z]{2}$"},
    "date": {"type": ["string", "null"], "format": "date"},
}


def field_schema(f: Field) -> dict[str, Any]:
    """The JSON Schema of one field as our JSON and packages write it."""
    if f.value_type == "enum":
        assert f.vocabulary is not None
        schema: dict[str, Any] = {"enum": [*(m.value for m in f.vocabulary), None]}
    elif f.value_type == "list":
        assert f.vocabulary is not None
        schema = {
            "type": ["array", "null"],
            "items": {"enum": [m.value for m in f.vocabulary]},
        }
    else:
        schema = dict(_JSON_TYPES[f.value_type])
    if f.max_length is not None:
        schema["maxLength"] = f.max_length
    if f.rule is Rule.AGS:
        schema["pattern"] = _AGS.pattern
    elif f.rule is Rule.USCC:
        schema["pattern"] = _USCC.pattern
    elif f.rule is Rule.URL:
        schema["pattern"] = "^[Hh][Tt][Tt][Pp][Ss]?://"
    if f.value_type == "money":
        schema["description"] = "euro cents"
    if f.caption:
        schema["title"] = f.caption
    return schema


def records_schema() -> dict[str, Any]:
    """The JSON Schema of a dataset package's ``records`` object (one array per kind)."""
    return {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "title": "ChinaDialog dataset records",
        "description": (
            "The records object of a JSON export or a dataset package: one array per kind, "
            "the four registers included. Written from the registry of record kinds."
        ),
        "type": "object",
        "properties": {
            entry.file_key: {
                "type": "array",
                "items": {
                    "type": "object",
                    "properties": {f.name: field_schema(f) for f in entry.fields},
                },
            }
            for entry in REGISTRY.values()
        },
    }


__all__ = [
    "ACTIVITY",
    "ACTOR",
    "CONTACT",
    "COUNTERPART",
    "DateOrder",
    "ListFilter",
    "list_filters",
    "GIFT",
    "INCIDENT",
    "REGISTER_KINDS",
    "RegisterInfo",
    "VISIT",
    "FIELD_TYPES",
    "PARTNERSHIP",
    "REGISTRY",
    "SOURCE",
    "Field",
    "Kind",
    "KindInfo",
    "Rule",
    "field_schema",
    "format_error",
    "info",
    "kind_words",
    "lookup_kind",
    "order_error",
    "records_schema",
]
