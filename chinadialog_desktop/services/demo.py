"""The bundled demo dataset: read and validate the file, then load it idempotently."""

from __future__ import annotations

import re
import uuid as uuidlib
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass, field
from datetime import date
from enum import StrEnum
from pathlib import Path
from typing import Any

import yaml  # type: ignore[import-untyped, unused-ignore]
from sqlalchemy import JSON, Boolean, Date, Integer, String, UniqueConstraint, and_, select
from sqlalchemy.orm import Session

from chinadialog_desktop.domain.enums import (
    ActivityKind,
    ActorKind,
    Audience,
    Classification,
    DatePrecision,
    DeliberationRole,
    DocumentKind,
    DossierStatus,
    FieldOfAction,
    PartnershipStatus,
    PartnershipType,
    PartyRole,
    SectionKey,
    SessionPublicity,
)
from chinadialog_desktop.domain.kinds import REGISTRY, Kind
from chinadialog_desktop.domain.registers import REGISTERS
from chinadialog_desktop.errors import UserError
from chinadialog_desktop.i18n import N_, _
from chinadialog_desktop.paths import resources_dir
from chinadialog_desktop.persistence.base import Record
from chinadialog_desktop.persistence.models import (
    MODELS,
    Activity,
    Actor,
    Contact,
    Dossier,
    DossierPartnership,
    DossierSection,
    DossierSource,
    Partnership,
    PartnershipParty,
    Source,
)
from chinadialog_desktop.persistence.models_dossier import Deliberation

FORMAT = "chinadialog-demo"
FORMAT_VERSION = 1

# Columns the file never sets: the loader fills them or the database does.
_BOOKKEEPING = {"id", "uuid", "created_at", "modified_at", "version"}

# Columns restricted to a vocabulary; a JSON column maps to a list of codes.
_VOCABULARIES: dict[tuple[type[Record], str], type[StrEnum]] = {
    (Actor, "kind"): ActorKind,
    (Partnership, "type"): PartnershipType,
    (Partnership, "status"): PartnershipStatus,
    (Partnership, "fields_of_action"): FieldOfAction,
    (PartnershipParty, "role"): PartyRole,
    (Activity, "kind"): ActivityKind,
    (Dossier, "audience"): Audience,
    (Dossier, "classification"): Classification,
    (Dossier, "status"): DossierStatus,
    (Dossier, "document_kind"): DocumentKind,
    (DossierSection, "key"): SectionKey,
    (Deliberation, "role"): DeliberationRole,
    (Deliberation, "publicity"): SessionPublicity,
}
# The registers: each at the top level, naming its partnership by key (domain.registers).
for _register in REGISTERS:
    for _f in _register.fields:
        if _f.vocabulary is not None:
            _VOCABULARIES[(MODELS[_register.kind], _f.name)] = _f.vocabulary

# Per-column format checks beyond type and length.
_PATTERNS: dict[tuple[type[Record], str], tuple[re.Pattern[str], str]] = {
    (Actor, "country"): (re.compile(r"[A-Z]{2}"), N_("a two-letter country code such as DE")),
    (Actor, "ags"): (re.compile(r"\d{8}"), N_("eight digits (Amtlicher Gemeindeschlüssel)")),
    (Actor, "uscc"): (
        re.compile(r"[0-9A-Z]{18}"),
        N_("18 characters (unified social credit code)"),
    ),
}

_PARTIAL_DATE = re.compile(r"(\d{4})(?:-(\d{2}))?(?:-(\d{2}))?")

# What people read for each table, in load order (plural; marked for translation; the
# registry's names for its kinds).
TABLE_LABELS: dict[str, str] = {
    Kind.ACTOR.value: REGISTRY[Kind.ACTOR].plural,
    Kind.SOURCE.value: REGISTRY[Kind.SOURCE].plural,
    Kind.PARTNERSHIP.value: REGISTRY[Kind.PARTNERSHIP].plural,
    "partnership_party": N_("Partnership parties"),
    Kind.ACTIVITY.value: REGISTRY[Kind.ACTIVITY].plural,
    Kind.CONTACT.value: REGISTRY[Kind.CONTACT].plural,
    **{r.record_kind: r.label for r in REGISTERS},
    "dossier": N_("Dossiers"),
    "dossier_section": N_("Dossier sections"),
    "deliberation": N_("Deliberation steps"),
    "dossier_partnership": N_("Dossier–partnership links"),
    "dossier_source": N_("Dossier citations"),
}


class DemoDataError(UserError):
    """The demo data file is missing or broken; the message names the record."""


@dataclass(frozen=True)
class _Ref:
    """A YAML key that names another record by its file-local key."""

    column: str
    section: str


@dataclass(frozen=True)
class _Child:
    """A list nested in a record, e.g. a partnership's parties."""

    model: type[Record]
    parent_column: str
    refs: Mapping[str, _Ref] = field(default_factory=dict)
    counter: str | None = None  # column numbered by list order (position, number)
    counter_start: int = 0


@dataclass(frozen=True)
class _Section:
    model: type[Record]
    refs: Mapping[str, _Ref] = field(default_factory=dict)
    children: Mapping[str, _Child] = field(default_factory=dict)


# Top-level sections in load order: what a record refers to is loaded before it.
_SECTIONS: dict[str, _Section] = {
    "actors": _Section(Actor),
    "sources": _Section(Source),
    "partnerships": _Section(
        Partnership,
        children={
            "parties": _Child(
                PartnershipParty,
                "partnership_id",
                refs={"actor": _Ref("actor_id", "actors")},
                counter="position",
            ),
            "activities": _Child(Activity, "partnership_id"),
        },
    ),
    "contacts": _Section(
        Contact,
        refs={
            "actor": _Ref("actor_id", "actors"),
            "partnership": _Ref("partnership_id", "partnerships"),
        },
    ),
    **{
        r.key: _Section(
            MODELS[r.kind],
            refs={"partnership": _Ref("partnership_id", "partnerships")},
        )
        for r in REGISTERS
    },
    "dossiers": _Section(
        Dossier,
        children={
            "sections": _Child(DossierSection, "dossier_id", counter="position"),
            "deliberations": _Child(Deliberation, "dossier_id", counter="position"),
            "partnerships": _Child(
                DossierPartnership,
                "dossier_id",
                refs={"partnership": _Ref("partnership_id", "partnerships")},
                counter="position",
            ),
            "sources": _Child(
                DossierSource,
                "dossier_id",
                refs={"source": _Ref("source_id", "sources")},
                counter="number",
                counter_start=1,
            ),
        },
    ),
}

# The order records are inserted in (parents before the rows that point at them).
_LOAD_ORDER: tuple[type[Record], ...] = (
    Actor,
    Source,
    Partnership,
    PartnershipParty,
    Activity,
    Contact,
    *(MODELS[r.kind] for r in REGISTERS),
    Dossier,
    DossierSection,
    Deliberation,
    DossierPartnership,
    DossierSource,
)


@dataclass(frozen=True)
class DemoRecord:
    """One record of the file, validated: column values plus references by UUID."""

    model: type[Record]
    uuid: str
    label: str
    values: Mapping[str, Any]
    refs: Mapping[str, str]  # foreign-key column -> UUID of the referenced record


@dataclass(frozen=True)
class DemoData:
    path: Path
    records: tuple[DemoRecord, ...]

    def of(self, model: type[Record]) -> list[DemoRecord]:
        return [r for r in self.records if r.model is model]

    def counts(self) -> dict[str, int]:
        return {
            m.__tablename__: len(self.of(m))  # type: ignore[attr-defined]
            for m in _LOAD_ORDER
        }


@dataclass(frozen=True)
class DemoResult:
    """What one load did: records added per table, and how many were there already."""

    added: dict[str, int]
    already_present: int

    @property
    def total_added(self) -> int:
        return sum(self.added.values())

    @property
    def changed(self) -> bool:
        return self.total_added > 0


def default_demo_path() -> Path:
    return resources_dir() / "demo" / "demo.yaml"


# --------------------------------------------------------------------------- reading


def read_demo(path: Path | None = None) -> DemoData:
    """Read and validate the demo file; raises DemoDataError naming the broken record."""
    path = Path(path) if path is not None else default_demo_path()
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise DemoDataError(_("Demo data file not found: {path}").format(path=path)) from None
    except (OSError, UnicodeDecodeError) as exc:
        raise DemoDataError(
            _("Cannot read the demo data file {path}: {error}").format(path=path, error=exc)
        ) from None
    try:
        document = yaml.load(text, Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader))
    except yaml.YAMLError as exc:
        raise DemoDataError(
            _("The demo data file {path} is not valid YAML: {error}").format(
                path=path, error=" ".join(str(exc).split())
            )
        ) from None
    return parse_demo(document, path)


def parse_demo(document: Any, path: Path) -> DemoData:
    """Validate an already parsed document (see ``read_demo``)."""
    return _Parser(path).parse(document)


class _Parser:
    def __init__(self, path: Path) -> None:
        self.path = path
        self.records: list[DemoRecord] = []
        self.uuids: dict[str, str] = {}  # uuid -> where it was first seen
        self.keys: dict[str, dict[str, str]] = {name: {} for name in _SECTIONS}

    def fail(self, where: str, problem: str) -> DemoDataError:
        return DemoDataError(
            _("Demo data file {path}, {where}: {problem}").format(
                path=self.path.name, where=where, problem=problem
            )
        )

    def parse(self, document: Any) -> DemoData:
        if not isinstance(document, dict):
            raise self.fail(_("top level"), _("expected a mapping of sections"))
        if document.get("format") != FORMAT or document.get("version") != FORMAT_VERSION:
            raise self.fail(
                _("top level"),
                _("expected format: {format} and version: {version}").format(
                    format=FORMAT, version=FORMAT_VERSION
                ),
            )
        unknown = set(document) - set(_SECTIONS) - {"format", "version", "title", "note"}
        if unknown:
            raise self.fail(
                _("top level"),
                _("unknown section(s): {names}").format(names=", ".join(sorted(map(str, unknown)))),
            )
        # Keys first, so references may point forwards within the file.
        for name in _SECTIONS:
            for index, item in enumerate(self._list(document, name, name)):
                where = f"{name}[{index}]"
                if not isinstance(item, dict):
                    raise self.fail(where, _("expected a mapping"))
                key = item.get("key")
                if not isinstance(key, str) or not key:
                    raise self.fail(where, _("every record needs a key (a short text)"))
                if key in self.keys[name]:
                    raise self.fail(
                        f"{where} ({key})",
                        _("the key is used twice in {section}").format(section=name),
                    )
                self.keys[name][key] = self._uuid(item, f"{where} ({key})")
        for name, spec in _SECTIONS.items():
            for index, item in enumerate(self._list(document, name, name)):
                self._record(
                    spec.model,
                    item,
                    f"{name}[{index}] ({item['key']})",
                    spec.refs,
                    spec.children,
                    {},
                    local_key=True,
                )
        order = {m: n for n, m in enumerate(_LOAD_ORDER)}
        records = sorted(self.records, key=lambda r: order[r.model])  # stable: file order kept
        return DemoData(self.path, tuple(records))

    def _list(self, container: Mapping[str, Any], name: str, where: str) -> list[Any]:
        value = container.get(name)
        if value is None:
            return []
        if not isinstance(value, list):
            raise self.fail(where, _("expected a list"))
        return value

    def _uuid(self, item: Mapping[str, Any], where: str) -> str:
        raw = item.get("uuid")
        try:
            value = str(uuidlib.UUID(str(raw))) if isinstance(raw, str) else None
        except ValueError:
            value = None
        if value is None or value != raw:
            raise self.fail(where, _("needs a uuid in canonical lower-case form"))
        if value in self.uuids and self.uuids[value] != where:
            raise self.fail(
                where,
                _("uuid {uuid} is also used by {other}").format(
                    uuid=value, other=self.uuids[value]
                ),
            )
        self.uuids[value] = where
        return value

    def _record(
        self,
        model: type[Record],
        item: Any,
        where: str,
        refs: Mapping[str, _Ref],
        children: Mapping[str, _Child],
        fixed: Mapping[str, Any],
        parent_ref: tuple[str, str] | None = None,
        local_key: bool = False,
    ) -> str:
        if not isinstance(item, dict):
            raise self.fail(where, _("expected a mapping"))
        record_uuid = self._uuid(item, where)
        columns = model.__table__.columns  # type: ignore[attr-defined]
        values: dict[str, Any] = dict(fixed)
        ref_uuids: dict[str, str] = {}
        if parent_ref is not None:
            ref_uuids[parent_ref[0]] = parent_ref[1]
        settable = {
            c.name
            for c in columns
            if c.name not in _BOOKKEEPING and not c.foreign_keys and c.name not in fixed
        }
        for yaml_key, raw in item.items():
            if yaml_key == "uuid" or (local_key and yaml_key == "key") or yaml_key in children:
                continue
            if yaml_key in refs:
                ref = refs[yaml_key]
                if raw is None:
                    continue
                target = self.keys[ref.section].get(raw) if isinstance(raw, str) else None
                if target is None:
                    raise self.fail(
                        where,
                        _("{field}: no record with key {key!r} in {section}").format(
                            field=yaml_key, key=raw, section=ref.section
                        ),
                    )
                ref_uuids[ref.column] = target
                continue
            if yaml_key not in settable or yaml_key.endswith("_precision"):
                raise self.fail(where, _("unknown field {field!r}").format(field=yaml_key))
            values.update(self._value(model, yaml_key, raw, where))
        for column in columns:
            if column.name in _BOOKKEEPING or column.name in values or column.foreign_keys:
                continue
            if not column.nullable and column.default is None and column.server_default is None:
                raise self.fail(
                    where, _("the field {field!r} is required").format(field=column.name)
                )
        for column in columns:
            if column.foreign_keys and not column.nullable and column.name not in ref_uuids:
                ref_key = next((k for k, r in refs.items() if r.column == column.name), column.name)
                raise self.fail(where, _("the field {field!r} is required").format(field=ref_key))
        label = self._label(item, values, where)
        self.records.append(DemoRecord(model, record_uuid, label, values, ref_uuids))
        for child_key, child in children.items():
            for index, child_item in enumerate(self._list(item, child_key, where)):
                child_fixed: dict[str, Any] = {}
                if child.counter:
                    child_fixed[child.counter] = child.counter_start + index
                self._record(
                    child.model,
                    child_item,
                    f"{where} → {child_key}[{index}]",
                    child.refs,
                    {},
                    child_fixed,
                    parent_ref=(child.parent_column, record_uuid),
                )
        return record_uuid

    @staticmethod
    def _label(item: Mapping[str, Any], values: Mapping[str, Any], where: str) -> str:
        for name in ("title", "name_de", "name", "key"):
            value = values.get(name) or item.get(name)
            if isinstance(value, str) and value:
                return value
        return where

    def _value(self, model: type[Record], name: str, raw: Any, where: str) -> dict[str, Any]:
        column = model.__table__.columns[name]  # type: ignore[attr-defined]
        ctype = column.type
        problem: Callable[[str], DemoDataError] = lambda text: self.fail(  # noqa: E731
            where, f"{name}: {text}"
        )
        if raw is None:
            if not column.nullable:
                raise problem(_("must not be empty"))
            return {name: None}
        vocabulary = _VOCABULARIES.get((model, name))
        if isinstance(ctype, JSON):
            if not isinstance(raw, list) or not all(isinstance(v, str) for v in raw):
                raise problem(_("expected a list of codes"))
            if vocabulary is not None:
                for v in raw:
                    self._check_code(vocabulary, v, problem)
            return {name: list(raw)}
        if isinstance(ctype, Date):
            precision_column = name[: -len("_date")] if name.endswith("_date") else name
            precision_column += "_precision"
            has_precision = precision_column in model.__table__.columns  # type: ignore[attr-defined]
            parsed, precision = self._date(raw, allow_partial=has_precision, problem=problem)
            result: dict[str, Any] = {name: parsed}
            if has_precision:
                result[precision_column] = precision.value
            return result
        if isinstance(ctype, Boolean):
            if not isinstance(raw, bool):
                raise problem(_("expected true or false"))
            return {name: raw}
        if isinstance(ctype, Integer):
            if isinstance(raw, bool) or not isinstance(raw, int):
                raise problem(_("expected a whole number"))
            return {name: raw}
        if isinstance(ctype, String):  # Text is a String too
            if not isinstance(raw, str):
                raise problem(_("expected text (put numbers with leading zeros in quotes)"))
            value = raw.strip()
            if not value and not column.nullable:
                raise problem(_("must not be empty"))
            if ctype.length is not None and len(value) > ctype.length:
                raise problem(_("longer than {length} characters").format(length=ctype.length))
            if vocabulary is not None:
                self._check_code(vocabulary, value, problem)
            pattern = _PATTERNS.get((model, name))
            if pattern is not None and value and not pattern[0].fullmatch(value):
                raise problem(_("expected {what}").format(what=_(pattern[1])))
            return {name: value or None}
        raise problem(_("this field cannot be set from the demo file"))

    @staticmethod
    def _check_code(
        vocabulary: type[StrEnum], value: str, problem: Callable[[str], DemoDataError]
    ) -> None:
        allowed = [member.value for member in vocabulary]
        if value not in allowed:
            raise problem(
                _("{value!r} is not one of {allowed}").format(
                    value=value, allowed=", ".join(allowed)
                )
            )

    @staticmethod
    def _date(
        raw: Any, allow_partial: bool, problem: Callable[[str], DemoDataError]
    ) -> tuple[date, DatePrecision]:
        if isinstance(raw, date):
            return raw, DatePrecision.DAY
        text = str(raw) if isinstance(raw, int | str) and not isinstance(raw, bool) else ""
        match = _PARTIAL_DATE.fullmatch(text)
        if match is None:
            raise problem(_("expected a date: YYYY-MM-DD, or YYYY-MM or YYYY"))
        year, month, day = match.group(1), match.group(2), match.group(3)
        precision = (
            DatePrecision.DAY if day else DatePrecision.MONTH if month else DatePrecision.YEAR
        )
        if precision is not DatePrecision.DAY and not allow_partial:
            raise problem(_("expected a full date: YYYY-MM-DD"))
        try:
            return date(int(year), int(month or 1), int(day or 1)), precision
        except ValueError:
            raise problem(_("{value} is not a valid date").format(value=text)) from None


# --------------------------------------------------------------------------- loading


def load_demo(session: Session, data: DemoData | None = None) -> DemoResult:
    """Add the demo records that are not in the database yet, identified by their UUIDs.

    Runs inside the caller's transaction (the caller commits); existing records
    are never changed, so loading twice adds nothing the second time.
    """
    data = data if data is not None else read_demo()
    ids: dict[str, int] = {}
    added: dict[str, int] = {}
    present = 0
    for model in _LOAD_ORDER:
        table = model.__tablename__  # type: ignore[attr-defined]
        records = data.of(model)
        added[table] = 0
        if not records:
            continue
        existing = _existing_ids(session, model, [r.uuid for r in records])
        ids.update(existing)
        new: list[tuple[str, Record]] = []
        for record in records:
            if record.uuid in existing:
                present += 1
                continue
            values = dict(record.values)
            values.update({column: ids[target] for column, target in record.refs.items()})
            if _natural_key_taken(session, model, values):
                present += 1  # the same link exists under another UUID; leave it be
                continue
            obj = model(uuid=record.uuid, **values)  # type: ignore[call-arg]
            session.add(obj)
            new.append((record.uuid, obj))
        session.flush()
        for record_uuid, obj in new:
            ids[record_uuid] = obj.id
        added[table] = len(new)
    return DemoResult(added, present)


def _existing_ids(session: Session, model: type[Record], uuids: list[str]) -> dict[str, int]:
    found: dict[str, int] = {}
    for chunk in _chunks(uuids, 500):
        rows = session.execute(select(model.uuid, model.id).where(model.uuid.in_(chunk)))
        found.update({u: i for u, i in rows})
    return found


def _chunks(items: list[str], size: int) -> Iterator[list[str]]:
    for start in range(0, len(items), size):
        yield items[start : start + size]


def _natural_key_taken(session: Session, model: type[Record], values: Mapping[str, Any]) -> bool:
    table = model.__table__  # type: ignore[attr-defined]
    for constraint in table.constraints:
        if not isinstance(constraint, UniqueConstraint):
            continue
        names = [c.name for c in constraint.columns]
        if names == ["uuid"] or not all(n in values for n in names):
            continue
        condition = and_(*(table.c[n] == values[n] for n in names))
        if session.execute(select(table.c.id).where(condition).limit(1)).first() is not None:
            return True
    return False


__all__ = [
    "TABLE_LABELS",
    "DemoData",
    "DemoDataError",
    "DemoRecord",
    "DemoResult",
    "default_demo_path",
    "load_demo",
    "parse_demo",
    "read_demo",
]
