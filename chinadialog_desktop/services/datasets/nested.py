"""Dossiers, checklist templates and assessments in datasets: their shape, read and checked."""

from __future__ import annotations

import json
import tempfile
import uuid as uuidlib
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import UTC, date, datetime
from enum import StrEnum
from pathlib import Path
from typing import Any

from chinadialog_desktop.domain import finance
from chinadialog_desktop.domain.checklist import Template
from chinadialog_desktop.domain.enums import (
    AssessmentStatus,
    Audience,
    Classification,
    CostRecurrence,
    DeliberationRole,
    DocumentKind,
    DossierStatus,
    FinancialImpact,
    SectionKey,
    SessionPublicity,
)

# Defined in the domain (the command line names them too); known here as before.
from chinadialog_desktop.domain.nested_kinds import ASSESSMENTS as ASSESSMENTS
from chinadialog_desktop.domain.nested_kinds import DOSSIERS as DOSSIERS
from chinadialog_desktop.domain.nested_kinds import NESTED_KINDS as NESTED_KINDS
from chinadialog_desktop.domain.nested_kinds import NESTED_LABELS as NESTED_LABELS
from chinadialog_desktop.domain.nested_kinds import TEMPLATES as TEMPLATES
from chinadialog_desktop.i18n import _, in_every_language
from chinadialog_desktop.interchange.checklist_yaml import Marks, check_document, check_file
from chinadialog_desktop.interchange.problems import ProblemList

NESTED_ALIASES = {
    "dossier": DOSSIERS,
    "dossiers": DOSSIERS,
    "checklist_template": TEMPLATES,
    "checklist_templates": TEMPLATES,
    "checklist-template": TEMPLATES,
    "template": TEMPLATES,
    "templates": TEMPLATES,
    "pruefschema": TEMPLATES,
    "assessment": ASSESSMENTS,
    "assessments": ASSESSMENTS,
    "pruefung": ASSESSMENTS,
    "pruefungen": ASSESSMENTS,
}

# Field shapes: (type, max length, vocabulary). Types: text, date, datetime, bool, int, enum, uuid,
# year (a Haushaltsjahr) and money (euros as "12500.00" in the file, cents in the database).
Shape = tuple[str, int | None, type[StrEnum] | None]

DOSSIER_FIELDS: dict[str, Shape] = {
    "title": ("text", 300, None),
    "purpose": ("text", None, None),
    "audience": ("enum", None, Audience),
    "author": ("text", 200, None),
    "classification": ("enum", None, Classification),
    "status": ("enum", None, DossierStatus),
    "document_kind": ("enum", None, DocumentKind),
    "file_number": ("text", 64, None),
    "document_date": ("date", None, None),
    "city": ("text", 200, None),
    "department": ("text", 200, None),
    "lead_office": ("text", 200, None),
    "responsible": ("text", 200, None),
    "is_public": ("bool", None, None),
    "proposed_resolution": ("text", None, None),
    "financial_impact": ("enum", None, FinancialImpact),
    "financial_year": ("year", None, None),
    "financial_item": ("text", 200, None),
    "financial_recurrence": ("enum", None, CostRecurrence),
    "financial_amount": ("money", None, None),
    "financial_effects": ("text", None, None),  # the Erläuterung
}
SECTION_FIELDS: dict[str, Shape] = {
    "key": ("enum", None, SectionKey),
    "body": ("text", None, None),
    "internal": ("bool", None, None),
}
DELIBERATION_FIELDS: dict[str, Shape] = {
    "body": ("text", 200, None),
    "meeting_on": ("date", None, None),
    "role": ("enum", None, DeliberationRole),
    "status": ("text", 100, None),
    "publicity": ("enum", None, SessionPublicity),
}
DOSSIER_LISTS = ("sections", "deliberations", "partnerships", "sources")
DOSSIER_DEFAULTS: dict[str, Any] = {
    **dict.fromkeys(DOSSIER_FIELDS),
    "audience": Audience.COUNCIL.value,
    "classification": Classification.OPEN.value,
    "status": DossierStatus.DRAFT.value,
    "document_kind": DocumentKind.INFORMATION.value,
    "is_public": True,
    **{name: [] for name in DOSSIER_LISTS},
}

ASSESSMENT_FIELDS: dict[str, Shape] = {
    "title": ("text", 300, None),
    "partnership_uuid": ("uuid", None, None),
    "dossier_uuid": ("uuid", None, None),
    "previous_uuid": ("uuid", None, None),
    "revision": ("int", None, None),
    "status": ("enum", None, AssessmentStatus),
    "classification": ("enum", None, Classification),
    "reviewed_by": ("text", 200, None),
    "reviewed_on": ("date", None, None),
    "signed_at": ("datetime", None, None),
    "archive_note": ("text", None, None),
}
ANSWER_FIELDS: dict[str, Shape] = {
    "answer": ("text", 32, None),
    "evidence": ("text", None, None),
    "responsible": ("text", 200, None),
    "due_on": ("date", None, None),
    "review_by": ("date", None, None),
    "reconfirm": ("bool", None, None),
    "changed_item": ("bool", None, None),
    "answered_by": ("text", 200, None),
    "answered_at": ("datetime", None, None),
    "note": ("text", None, None),
}
ANSWER_DEFAULTS: dict[str, Any] = {
    **dict.fromkeys(ANSWER_FIELDS),
    "reconfirm": False,
    "changed_item": False,
    "source_uuids": [],
}
ASSESSMENT_DEFAULTS: dict[str, Any] = {
    **dict.fromkeys(ASSESSMENT_FIELDS),
    "revision": 1,
    "status": AssessmentStatus.OPEN.value,
    "classification": Classification.OPEN.value,
    "template": None,
    "answers": {},
}
FROZEN = (AssessmentStatus.SIGNED.value, AssessmentStatus.SUPERSEDED.value)


def nested_kind(name: str | None) -> str | None:
    """The nested kind ``name`` stands for, or None."""
    if not name:
        return None
    found = NESTED_ALIASES.get(name.strip().lower().replace(" ", "_"))
    if found is not None:
        return found
    wanted = " ".join(name.split()).casefold()  # its name in any language ("Prüfungen")
    for kind, label in NESTED_LABELS.items():
        if any(wanted == word.casefold() for word in in_every_language(label)):
            return kind
    return None


@dataclass
class NestedRecord:
    """One dossier, template or assessment as a file gives it (checked, JSON-plain values)."""

    kind: str
    place: dict[str, Any]
    uuid: str
    values: dict[str, Any]
    template: Template | None = None
    text: str | None = None  # the document's text, to find the line of a reference
    offset: int = 0  # where the record starts in ``text``

    def where(self, key: str, needle: str | None = None) -> dict[str, Any]:
        """The record's place, pointed at ``key`` (and the line of ``needle`` when known)."""
        place = {**self.place, "key": key}
        if self.text is not None and needle is not None:
            at = self.text.find(f'"{needle}"', self.offset)
            if at >= 0:
                first = int(self.place.get("line") or 1)
                place["line"] = first + self.text.count("\n", self.offset, at)
        return place


class TextCursor:
    """Finds records in a JSON text front to back, counting lines as it goes (linear time)."""

    def __init__(self, text: str | None) -> None:
        self.text = text
        self.pos = 0
        self.line = 1

    def locate(self, needle: str) -> tuple[int, int] | None:
        """Offset and line of ``"needle"`` at or after the last one found."""
        if self.text is None:
            return None
        at = self.text.find(f'"{needle}"', self.pos)
        if at < 0:
            return None
        self.line += self.text.count("\n", self.pos, at)
        self.pos = at
        return at, self.line


class BadValue(ValueError):
    """A value that does not fit its field; the message is for people."""


# --------------------------------------------------------------------------- plain values


def plain_datetime(value: datetime | None) -> str | None:
    if value is None:
        return None
    if value.tzinfo is None:
        value = value.replace(tzinfo=UTC)
    return value.astimezone(UTC).isoformat()


def plain_date(value: date | None) -> str | None:
    return value.isoformat() if value is not None else None


def to_date(value: str | None) -> date | None:
    return date.fromisoformat(value) if value else None


def to_datetime(value: str | None) -> datetime | None:
    return datetime.fromisoformat(value) if value else None


def plain_value(shape: Shape, value: Any) -> Any:
    """A stored column value as the dataset package writes it."""
    if shape[0] == "date":
        return plain_date(value)
    if shape[0] == "money":
        return finance.amount_plain(value)
    return value


def stored_value(shape: Shape, value: Any) -> Any:
    """A checked package value as the column stores it."""
    if shape[0] == "date":
        return to_date(value)
    if shape[0] == "money":
        return finance.amount_from_plain(value)
    return value


def _norm(value: Any) -> Any:
    if isinstance(value, str):
        return value.replace("\r\n", "\n")
    if isinstance(value, list):
        return [_norm(v) for v in value]
    if isinstance(value, dict):
        return {k: _norm(v) for k, v in value.items()}
    return value


def nested_digest(state: Mapping[str, Any]) -> str:
    """Fingerprint of a nested record's state (line ends are not content)."""
    import hashlib

    text = json.dumps(_norm(dict(state)), ensure_ascii=False, sort_keys=True)
    return hashlib.sha256(text.encode("utf-8", "surrogatepass")).hexdigest()[:24]


def nested_same(a: Any, b: Any) -> bool:
    return bool(_norm(a) == _norm(b))


def check_value(shape: Shape, raw: Any) -> Any:
    """The JSON-plain stored value for ``raw``; raises BadValue with a reason for people."""
    kind, limit, vocabulary = shape
    if raw is None:
        return None
    if kind == "bool":
        if isinstance(raw, bool):
            return raw
        raise BadValue(_("'{value}' is not true or false.").format(value=raw))
    if kind == "int":
        if isinstance(raw, int) and not isinstance(raw, bool) and 0 < raw < 1_000_000_000:
            return raw
        raise BadValue(_("'{value}' is not a positive whole number.").format(value=raw))
    if kind == "year":
        if not isinstance(raw, int) or isinstance(raw, bool):
            raise BadValue(_("'{value}' is not a year like 2027.").format(value=raw))
        message = finance.year_error(raw)
        if message:
            raise BadValue(message)
        return raw
    if kind == "money":
        try:
            return finance.amount_plain(finance.amount_from_plain(raw))
        except finance.FinanceValueError as exc:
            raise BadValue(str(exc)) from None
    if not isinstance(raw, str):
        raise BadValue(_("A text is expected here, not {value!r}.").format(value=raw))
    if kind == "text":
        if limit is not None and len(raw) > limit:
            raise BadValue(
                _("The text has {length} characters; at most {limit} fit here.").format(
                    length=len(raw), limit=limit
                )
            )
        return raw
    if kind == "enum":
        assert vocabulary is not None
        if raw in {m.value for m in vocabulary}:
            return raw
        raise BadValue(
            _("'{value}' is not one of the known values: {known}.").format(
                value=raw, known=", ".join(m.value for m in vocabulary)
            )
        )
    if kind == "uuid":
        try:
            return str(uuidlib.UUID(raw.strip()))
        except ValueError:
            raise BadValue(_("'{value}' is not a UUID.").format(value=raw)) from None
    if kind == "date":
        try:
            return date.fromisoformat(raw).isoformat()
        except ValueError:
            raise BadValue(
                _("'{value}' is not a date like 2026-02-19.").format(value=raw)
            ) from None
    try:
        return plain_datetime(datetime.fromisoformat(raw.replace("Z", "+00:00")))
    except ValueError:
        raise BadValue(
            _("'{value}' is not a date and time like 2026-02-19T10:30:00+00:00.").format(value=raw)
        ) from None


class _Checker:
    """Checks one JSON object against its shapes, reporting every bad value with its key."""

    def __init__(self, problems: ProblemList, rec: NestedRecord) -> None:
        self.problems = problems
        self.rec = rec
        self.ok = True

    def error(self, message: str, key: str, needle: str | None = None) -> None:
        self.problems.error(message, code="value.invalid", **self.rec.where(key, needle))
        self.ok = False

    def fields(
        self, obj: Mapping[str, Any], shapes: Mapping[str, Shape], key: str, extra: tuple[str, ...]
    ) -> dict[str, Any]:
        out: dict[str, Any] = {}
        for name, raw in obj.items():
            if name in shapes:
                try:
                    out[name] = check_value(shapes[name], raw)
                except BadValue as exc:
                    # a text value is found by itself, a number or list by its key
                    self.error(str(exc), f"{key}.{name}", raw if isinstance(raw, str) else name)
            elif name not in extra:
                self.error(_("Unknown field '{name}'.").format(name=name), f"{key}.{name}")
        return out

    def listing(self, raw: Any, key: str) -> list[Any]:
        if isinstance(raw, list):
            return raw
        self.error(_("A list is expected here."), key)
        return []

    def uuid(self, raw: Any, key: str) -> str | None:
        try:
            value = check_value(("uuid", None, None), raw)
        except BadValue as exc:
            self.error(str(exc), key, raw if isinstance(raw, str) else None)
            return None
        if value is None:
            self.error(_("A UUID is expected here."), key)
            return None
        return str(value)


def _begin(
    kind: str,
    item: Any,
    key: str,
    place: Mapping[str, Any],
    cursor: TextCursor,
    problems: ProblemList,
) -> NestedRecord | None:
    where = {**place, "key": key}
    if not isinstance(item, dict):
        problems.error(_("A record must be an object."), code="json.shape", **where)
        return None
    raw = item.get("uuid")
    try:
        uuid = check_value(("uuid", None, None), raw)
    except BadValue as exc:
        problems.error(str(exc), code="value.invalid", **{**where, "key": f"{key}.uuid"})
        return None
    if uuid is None:
        problems.error(
            _("The record has no UUID; dossiers and assessments are exchanged by UUID."),
            code="record.no_uuid",
            **{**where, "key": f"{key}.uuid"},
        )
        return None
    found = cursor.locate(str(raw))
    rec = NestedRecord(kind, dict(where), uuid, {}, text=cursor.text, offset=0)
    if found is not None:
        rec.offset, rec.place["line"] = found
    return rec


def read_dossier(
    item: Any, key: str, place: Mapping[str, Any], cursor: TextCursor, problems: ProblemList
) -> NestedRecord | None:
    rec = _begin(DOSSIERS, item, key, place, cursor, problems)
    if rec is None:
        return None
    ck = _Checker(problems, rec)
    values = ck.fields(item, DOSSIER_FIELDS, key, ("uuid", *DOSSIER_LISTS))
    if "sections" in item:
        sections: list[dict[str, Any]] = []
        seen: set[str] = set()
        for n, raw in enumerate(ck.listing(item["sections"], f"{key}.sections")):
            here = f"{key}.sections[{n}]"
            if not isinstance(raw, dict):
                ck.error(_("A section must be an object."), here)
                continue
            section = ck.fields(raw, SECTION_FIELDS, here, ())
            if not section.get("key"):
                ck.error(_("The section has no key."), f"{here}.key")
                continue
            if section["key"] in seen:
                ck.error(_("The section '{key}' appears twice.").format(key=section["key"]), here)
                continue
            seen.add(section["key"])
            sections.append(
                {
                    "key": section["key"],
                    "body": section.get("body") or "",
                    "internal": bool(section.get("internal", False)),
                }
            )
        values["sections"] = sections
    if "deliberations" in item:
        steps: list[dict[str, Any]] = []
        for n, raw in enumerate(ck.listing(item["deliberations"], f"{key}.deliberations")):
            here = f"{key}.deliberations[{n}]"
            if not isinstance(raw, dict):
                ck.error(_("A deliberation must be an object."), here)
                continue
            step = ck.fields(raw, DELIBERATION_FIELDS, here, ())
            if not step.get("body"):
                ck.error(_("The deliberation names no body (Gremium)."), f"{here}.body")
                continue
            steps.append(
                {
                    "body": step["body"],
                    "meeting_on": step.get("meeting_on"),
                    "role": step.get("role") or DeliberationRole.DECISION.value,
                    "status": step.get("status"),
                    "publicity": step.get("publicity") or SessionPublicity.AS_DOSSIER.value,
                }
            )
        values["deliberations"] = steps
    if "partnerships" in item:
        links: list[str] = []
        for n, raw in enumerate(ck.listing(item["partnerships"], f"{key}.partnerships")):
            ref = ck.uuid(raw, f"{key}.partnerships[{n}]")
            if ref is not None and ref not in links:
                links.append(ref)
        values["partnerships"] = links
    if "sources" in item:
        cited: list[dict[str, Any]] = []
        numbers: set[int] = set()
        uuids: set[str] = set()
        for n, raw in enumerate(ck.listing(item["sources"], f"{key}.sources")):
            here = f"{key}.sources[{n}]"
            if not isinstance(raw, dict):
                ck.error(_("A cited source must be an object with number and source_uuid."), here)
                continue
            link = ck.fields(
                raw, {"number": ("int", None, None), "source_uuid": ("uuid", None, None)}, here, ()
            )
            if link.get("number") is None or link.get("source_uuid") is None:
                ck.error(_("A cited source needs a number and a source_uuid."), here)
                continue
            if link["number"] in numbers or link["source_uuid"] in uuids:
                ck.error(_("The source or its number is cited twice."), here)
                continue
            numbers.add(link["number"])
            uuids.add(link["source_uuid"])
            cited.append({"number": link["number"], "source_uuid": link["source_uuid"]})
        values["sources"] = sorted(cited, key=lambda c: c["number"])
    rec.values = values
    return rec if ck.ok else None


def read_assessment(
    item: Any, key: str, place: Mapping[str, Any], cursor: TextCursor, problems: ProblemList
) -> NestedRecord | None:
    rec = _begin(ASSESSMENTS, item, key, place, cursor, problems)
    if rec is None:
        return None
    ck = _Checker(problems, rec)
    values = ck.fields(item, ASSESSMENT_FIELDS, key, ("uuid", "template", "answers"))
    if "template" in item:
        raw = item["template"]
        if (
            not isinstance(raw, dict)
            or not isinstance(raw.get("id"), str)
            or not isinstance(raw.get("version"), int)
            or isinstance(raw.get("version"), bool)
            or set(raw) - {"id", "version"}
        ):
            ck.error(
                _('The template must be given as {"id": "urn:…", "version": 1}.'),
                f"{key}.template",
            )
        else:
            values["template"] = {"id": raw["id"], "version": raw["version"]}
    if "answers" in item:
        raw_answers = item["answers"]
        answers: dict[str, dict[str, Any]] = {}
        if not isinstance(raw_answers, dict):
            ck.error(_("The answers must be an object keyed by item id."), f"{key}.answers")
        else:
            for item_key, raw in raw_answers.items():
                here = f"{key}.answers.{item_key}"
                if not isinstance(raw, dict) or len(item_key) > 100 or not item_key:
                    ck.error(_("An answer must be an object keyed by its item id."), here)
                    continue
                answer = ck.fields(raw, ANSWER_FIELDS, here, ("source_uuids",))
                refs: list[str] = []
                for n, ref in enumerate(ck.listing(raw.get("source_uuids", []), here)):
                    value = ck.uuid(ref, f"{here}.source_uuids[{n}]")
                    if value is not None and value not in refs:
                        refs.append(value)
                answers[item_key] = {**ANSWER_DEFAULTS, **answer, "source_uuids": refs}
        values["answers"] = answers
    rec.values = values
    return rec if ck.ok else None


def read_template_document(
    doc: Any, key: str, place: Mapping[str, Any], problems: ProblemList
) -> NestedRecord | None:
    """A template given inline in a JSON dataset, checked by the template validator."""
    file = str(place.get("member") or place.get("file") or "")
    result = check_document(doc, Marks(), file)
    for issue in result.issues:
        problems.error(
            issue.message,
            code="template.invalid",
            **{**place, "key": f"{key}.{issue.key}" if issue.key else key},
        )
    if result.template is None:
        return None
    return _template_record(result.template, {**place, "key": key})


def read_template_member(
    body: bytes, member: str, place: Mapping[str, Any], problems: ProblemList
) -> NestedRecord | None:
    """A template member of a package (its own YAML or JSON format), with line-exact problems.

    The bytes are written under their base name into a private temporary
    folder that is removed afterwards, so that the template validator can read
    them; nothing in them is executed.
    """
    alias = _first_alias(body)
    if alias is not None:
        problems.error(
            _(
                "The template uses YAML anchors and aliases (*name); a template in a package "
                "must spell every value out."
            ),
            code="template.alias",
            **{**place, "line": alias},
        )
        return None
    name = Path(member).name or "template.yaml"
    if Path(name).suffix.lower() not in (".yaml", ".yml", ".json"):
        name += ".yaml"
    with tempfile.TemporaryDirectory(prefix="chinadialog-template-") as tmp:
        target = Path(tmp) / name
        target.write_bytes(body)
        result = check_file(target)
    for issue in result.issues:
        problems.error(
            issue.message,
            code="template.invalid",
            **{**place, "line": issue.line, "column": issue.column, "key": issue.key or None},
        )
    if result.template is None:
        return None
    return _template_record(result.template, dict(place))


def _first_alias(body: bytes) -> int | None:
    """The line of the first YAML alias in a package member (see first_alias_line)."""
    from chinadialog_desktop.interchange.checklist_yaml import first_alias_line

    try:
        text = body.decode("utf-8-sig")
    except UnicodeDecodeError:
        return None  # the validator reports it
    return first_alias_line(text)


def _template_record(template: Template, place: dict[str, Any]) -> NestedRecord:
    return NestedRecord(
        TEMPLATES,
        place,
        template_ref(template.id, template.version),
        {"id": template.id, "version": template.version, "sha256": template.sha256()},
        template=template,
    )


def template_ref(key: str, version: int) -> str:
    """How a template version is named in a plan: its URN and version."""
    return f"{key}@{version}"


def read_records(
    kind: str,
    items: list[Any],
    problems: ProblemList,
    place: Mapping[str, Any],
    text: str | None,
) -> list[NestedRecord]:
    """Nested records from the ``records.<kind>`` list of a JSON dataset."""
    out: list[NestedRecord] = []
    cursor = TextCursor(text)
    if text is not None:
        cursor.locate(kind)  # records of this kind follow their key
    for n, item in enumerate(items):
        key = f"records.{kind}[{n}]"
        rec: NestedRecord | None
        if kind == DOSSIERS:
            rec = read_dossier(item, key, place, cursor, problems)
        elif kind == ASSESSMENTS:
            rec = read_assessment(item, key, place, cursor, problems)
        else:
            found = cursor.locate(item["id"]) if isinstance(item, dict) and item.get("id") else None
            where = {**place, "line": found[1]} if found else place
            rec = read_template_document(item, key, where, problems)
        if rec is not None:
            out.append(rec)
    return out
