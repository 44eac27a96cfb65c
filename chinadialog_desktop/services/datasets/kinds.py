"""What each exchanged record kind looks like: its fields, their types and header names."""

from __future__ import annotations

from dataclasses import dataclass, replace
from enum import StrEnum
from functools import lru_cache

from chinadialog_desktop.domain.enums import (
    ActivityKind,
    ActorKind,
    DatePrecision,
    FieldOfAction,
    PartnershipStatus,
    PartnershipType,
)
from chinadialog_desktop.domain.folding import fold
from chinadialog_desktop.domain.glossary import glossary
from chinadialog_desktop.domain.kinds import REGISTER_KINDS as REGISTER_KIND_KEYS
from chinadialog_desktop.domain.kinds import REGISTRY, Kind, kind_words, lookup_kind
from chinadialog_desktop.domain.kinds import Field as RegistryField
from chinadialog_desktop.domain.labels import LABELS
from chinadialog_desktop.i18n import N_, in_every_language
from chinadialog_desktop.persistence.base import Record
from chinadialog_desktop.persistence.models import (
    MODELS,
    Contact,
)

# The import's and export's view of the registry (``domain.kinds``): a FieldSpec per field,
# a KindSpec per kind, with the ORM class it is stored in. Field types: text, date (with a
# companion *_precision field), int, enum, list (of enum codes), country (ISO alpha-2),
# party (an actor named or referenced by UUID), ref (a record of another kind).


@dataclass(frozen=True)
class FieldSpec:
    name: str
    value_type: str = "text"
    synonyms: tuple[str, ...] = ()
    enum: type[StrEnum] | None = None
    max_length: int | None = None
    required: bool = False
    precision: str | None = None  # for dates: the field that holds day/month/year
    ref: str | None = None  # a reference to a record of this kind (by name, or by *_uuid)
    caption: str | None = None  # the editor's caption, marked for translation
    source: RegistryField | None = None  # the registry's field, whose check applies

    def check(self, value: str) -> str | None:
        """The registry's check of a filled-in text (the editor's rule and words), or None."""
        return self.source.check(value) if self.source is not None else None


@dataclass(frozen=True)
class KindSpec:
    key: str
    label: str  # plural, marked for translation
    model: type[Record]
    fields: tuple[FieldSpec, ...]
    notes_field: str  # where columns nobody mapped are kept
    title_field: str  # what people read to recognise a record
    kind: Kind | None = None  # the registry's kind (None: a table of several kinds)

    def field(self, name: str) -> FieldSpec | None:
        for f in self.fields:
            if f.name == name:
                return f
        return None

    @property
    def names(self) -> list[str]:
        return [f.name for f in self.fields]


def field_spec(f: RegistryField) -> FieldSpec:
    """The registry's field as the import and the export read it."""
    return FieldSpec(
        name=f.name,
        value_type={"uuid": "text", "money": "int"}.get(f.value_type, f.value_type),
        synonyms=f.synonyms,
        enum=f.vocabulary,
        max_length=f.max_length,
        required=f.required,
        precision=f.precision,
        ref=REGISTRY[f.ref].file_key if f.ref is not None else None,
        caption=f.caption,
        source=f,
    )


def kind_spec(kind: Kind) -> KindSpec:
    """The registry's kind as the import and the export read it."""
    entry = REGISTRY[kind]
    return KindSpec(
        key=entry.file_key,
        label=entry.plural,
        model=MODELS[kind],
        fields=tuple(field_spec(f) for f in entry.fields),
        notes_field=entry.notes_field,
        title_field=entry.title_field,
        kind=kind,
    )


ACTORS = kind_spec(Kind.ACTOR)
PARTNERSHIPS = kind_spec(Kind.PARTNERSHIP)
SOURCES = kind_spec(Kind.SOURCE)
ACTIVITIES = kind_spec(Kind.ACTIVITY)
CONTACTS = kind_spec(Kind.CONTACT)


def _field(
    kind: KindSpec, name: str, *synonyms: str, keep: bool = True, caption: str | None = None
) -> FieldSpec:
    """``kind``'s field ``name``, ``synonyms`` added to its own (or, unless ``keep``, instead)."""
    spec = kind.field(name)
    assert spec is not None
    return replace(
        spec,
        synonyms=(*(spec.synonyms if keep else ()), *synonyms),
        caption=caption or spec.caption,
    )


# A list that mixes organisations and persons (a partner city's delegation list): the
# column "Art" says which each row is. Organisations become actors, persons contacts;
# the fields below are looked up in the file's headers, each row is then read with the
# fields of its own kind (``datasets_mixed``). Not a kind of stored record, so not in KINDS.
RECORD_TYPE = "record_type"
PERSON, ORGANISATION = "person", "organisation"
MIXED = KindSpec(
    key="mixed",
    label=N_("Persons and organisations"),
    model=Contact,
    notes_field="notes",
    title_field="name",
    fields=(
        _field(ACTORS, "uuid"),
        FieldSpec(
            RECORD_TYPE,
            required=True,
            caption=N_("Person or organisation"),
            synonyms=(
                "art",
                "typ",
                "type",
                "record type",
                "entity type",
                "person oder organisation",
                "person organisation",
                "person organization",
                "类型",
            ),
        ),
        _field(
            CONTACTS,
            "name",
            "name de",
            "name deutsch",
            "deutscher name",
            "bezeichnung",
            "name latein",
            "latin name",
            "german name",
            "person",
            "ansprechpartner",
            "ansprechpartnerin",
            "kontakt",
            "姓名",
            keep=False,
            caption=N_("Name"),
        ),
        _field(ACTORS, "name_zh", "name chinesisch", caption=N_("Name in Chinese characters")),
        _field(ACTORS, "name_en"),
        _field(ACTORS, "name_pinyin"),
        _field(
            ACTORS,
            "kind",
            "akteursart",
            "art des akteurs",
            "organisationsart",
            "art der organisation",
            "kategorie",
            keep=False,
            caption=N_("Kind of organisation"),
        ),
        _field(ACTORS, "country"),
        _field(ACTORS, "region"),
        _field(ACTORS, "ags"),
        _field(ACTORS, "uscc"),
        _field(ACTORS, "website"),
        _field(CONTACTS, "function"),
        _field(CONTACTS, "email"),
        _field(CONTACTS, "phone"),
        _field(ACTORS, "notes"),
        _field(
            CONTACTS,
            "actor",
            "organisation",
            "organization",
            "gehoert zu",
            "zugehoerig zu",
            "arbeitgeber",
            "dienststelle",
            "institution",
            "behoerde",
            "employer",
            "belongs to",
            "所属单位",
            "单位",
            keep=False,
        ),
        _field(CONTACTS, "actor_uuid", caption=N_("Organisation (UUID)")),
        _field(CONTACTS, "partnership"),
        _field(CONTACTS, "partnership_uuid"),
    ),
)
# What a mixed list's "Art" may say (folded); an actor kind (Unternehmen, Behörde …) is an
# organisation of that kind.
RECORD_TYPE_WORDS = {
    "person": PERSON,
    "personen": PERSON,
    "natuerliche person": PERSON,
    "individual": PERSON,
    "个人": PERSON,
    "人员": PERSON,
    "organisation": ORGANISATION,
    "organization": ORGANISATION,
    "organisationen": ORGANISATION,
    "organizations": ORGANISATION,
    "juristische person": ORGANISATION,
    "institution": ORGANISATION,
    "entity": ORGANISATION,
    "机构": ORGANISATION,
    "组织": ORGANISATION,
    "单位": ORGANISATION,
}
# The labels of the two halves of a mixed list, where counts are shown per kind.
MIXED_LABELS = {"actors": N_("Organisations (actors)"), "contacts": N_("Persons (contacts)")}


def record_type(value: str) -> tuple[str, str | None] | None:
    """A mixed list's "Art": (person or organisation, actor kind or None); None if unknown."""
    key = fold(value)
    if not key:
        return None
    if key in RECORD_TYPE_WORDS:
        return RECORD_TYPE_WORDS[key], None
    kind = enum_code(ActorKind, value)
    return (ORGANISATION, kind) if kind is not None else None


# The registers are kinds of the registry too (domain.kinds), linked to a partnership as
# activities are: their specs are the registry's like every other kind's.
REGISTER_KINDS: tuple[KindSpec, ...] = tuple(kind_spec(k) for k in REGISTER_KIND_KEYS)

KINDS: dict[str, KindSpec] = {
    k.key: k for k in (ACTORS, PARTNERSHIPS, SOURCES, ACTIVITIES, CONTACTS, *REGISTER_KINDS)
}
# Every word for a kind (its key, file key, names in every language: "Akteure", "actor")
# from the registry; and the words for a table of persons and organisations.
KIND_ALIASES = {
    **{word: REGISTRY[kind].file_key for word, kind in kind_words().items()},
    "persons_and_organisations": "mixed",
    "personen_und_organisationen": "mixed",
    "gemischt": "mixed",
}

# German and other spellings of vocabulary codes, beyond the codes and English labels.
_ENUM_SYNONYMS: dict[type[StrEnum], dict[str, str]] = {
    ActorKind: {
        "kommune": "municipality",
        "gemeinde": "municipality",
        "kreis": "district",
        "landkreis": "district",
        "bundesland": "land",
        "land": "land",
        "provinz": "province",
        "hochschule": "university",
        "universitaet": "university",
        "unternehmen": "company",
        "firma": "company",
        "verein": "association",
        "verband": "association",
        "behoerde": "public_body",
        "oeffentliche einrichtung": "public_body",
        "chinesische stadt": "city",
        "stadtbezirk": "city_district",
        "bezirk": "city_district",
        "sonstige": "other",
        "sonstige organisation": "other",
        "andere": "other",
    },
    PartnershipType: {
        "staedtepartnerschaft": "twin_city",
        "partnerschaft": "twin_city",
        "staedtefreundschaft": "friendship",
        "freundschaft": "friendship",
        "land provinz": "land_province",
        "landespartnerschaft": "land_province",
        "provinzpartnerschaft": "land_province",
        "kreis stadt": "district_city",
        "hochschulkooperation": "university",
        "hochschulpartnerschaft": "university",
        "schulpartnerschaft": "school",
        "investition": "investment",
        "projekt": "project",
        "projektkooperation": "project",
        "sonstige": "other",
        "sonstiges": "other",
    },
    PartnershipStatus: {
        "angebahnt": "planned",
        "geplant": "planned",
        "aktiv": "active",
        "ruhend": "dormant",
        "ausgesetzt": "suspended",
        "beendet": "ended",
    },
    DatePrecision: {"tag": "day", "monat": "month", "jahr": "year"},
    ActivityKind: {
        "delegationsbesuch": "delegation",
        "besuch": "delegation",
        "vereinbarung": "agreement",
        "veranstaltung": "event",
        "projekt": "project",
        "austausch": "exchange",
        "sonstiges": "other",
        "sonstige": "other",
    },
    FieldOfAction: {
        "zweck und mandat": "purpose",
        "partner kennen": "partner",
        "werte und menschenrechte": "values",
        "forschungssicherheit": "research",
        "kritis": "security",
        "sicherheit": "security",
        "wirtschaft": "economy",
        "lieferketten": "supply_chains",
        "daten und cybersicherheit": "data_cyber",
        "bildung und kultur": "education_culture",
        "steuerung": "governance",
    },
}

_COUNTRIES = {
    "de": "DE",
    "deutschland": "DE",
    "germany": "DE",
    "brd": "DE",
    "bundesrepublik deutschland": "DE",
    "cn": "CN",
    "china": "CN",
    "vr china": "CN",
    "volksrepublik china": "CN",
    "prc": "CN",
    "people s republic of china": "CN",
    "中国": "CN",
}


@lru_cache(maxsize=64)
def _enum_lookup(enum: type[StrEnum]) -> dict[str, str]:
    table: dict[str, str] = {}
    for code, label in LABELS.get(enum, {}).items():
        # The window's own words first, in any language: what the app shows reads back as
        # the same code ("Stadt" is a city, as the actor's form says, not a Kommune).
        for text in in_every_language(label):
            table.setdefault(fold(text), str(code))
    for text, code in _ENUM_SYNONYMS.get(enum, {}).items():
        table.setdefault(text, code)
    if enum is FieldOfAction:  # named in the glossary, earlier names still understood
        for code, entry in glossary().fields.items():
            for text in (entry.de, entry.en, *entry.avoid):
                table.setdefault(fold(text), code)
    for member in enum:
        table[fold(member.value.replace("_", " "))] = member.value
        table[fold(member.value)] = member.value
    return table


def enum_code(enum: type[StrEnum], value: str) -> str | None:
    """The stored code for ``value`` (code, English label or German term); None if unknown."""
    return _enum_lookup(enum).get(fold(value)) if fold(value) else None


def country_code(value: str) -> str | None:
    key = fold(value)
    if key in _COUNTRIES:
        return _COUNTRIES[key]
    text = value.strip()
    if len(text) == 2 and text.isascii() and text.isalpha():
        return text.upper()
    return None


def resolve_kind(name: str) -> KindSpec | None:
    """A kind of stored record (actors, partnerships …) by its name or an alias."""
    kind = lookup_kind(name)
    if kind is not None:  # its key, file key, an alias or its name in any language
        return KINDS[REGISTRY[kind].file_key]
    return None


def table_kind(name: str) -> KindSpec | None:
    """What a table may hold: a kind of stored record, or persons and organisations."""
    key = name.strip().lower()
    return MIXED if KIND_ALIASES.get(key, key) == MIXED.key else resolve_kind(name)
