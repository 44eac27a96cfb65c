"""The registers (domain.registers) as the window, the command line and the briefing read them.

Edits go through ``services.records.edit`` (create, update, delete under the record
kinds ``visit``, ``gift``, ``counterpart``, ``incident``) like every other record;
this module reads and formats.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from chinadialog_desktop.domain import finance
from chinadialog_desktop.domain.briefing_terms import catalogue_term, format_day
from chinadialog_desktop.domain.kinds import lookup_kind
from chinadialog_desktop.domain.labels import amount, label
from chinadialog_desktop.domain.registers import BY_KEY, BY_RECORD_KIND, Register, RegisterField
from chinadialog_desktop.errors import NotFound
from chinadialog_desktop.i18n import _, format_date
from chinadialog_desktop.persistence.models import Partnership
from chinadialog_desktop.services.records import edit as records


def register_of(name: str) -> Register:
    """A register by its record kind (``visit``), exchanged kind (``visits``) or any word
    the registry knows for it (``Vorfall``, ``Delegationsreisen``)."""
    found = BY_RECORD_KIND.get(name) or BY_KEY.get(name)
    kind = lookup_kind(name) if found is None else None
    if kind is not None:
        found = BY_RECORD_KIND.get(kind.value)
    if found is None:
        raise NotFound(_("Unknown record kind: {kind}").format(kind=name))
    return found


def _order(register: Register) -> tuple[str, ...]:
    return (register.date_field,) if register.date_field else (register.title_field,)


def entries(
    session: Session, register: Register, partnership_ids: list[int] | None = None
) -> list[dict[str, Any]]:
    """The register's entries (of these partnerships, or all), oldest first, with the
    partnership's title as ``partnership``."""
    cls: Any = records.model(register.record_kind)
    query = select(cls, Partnership.title).join(Partnership, Partnership.id == cls.partnership_id)
    if partnership_ids is not None:
        query = query.where(cls.partnership_id.in_(partnership_ids))
    query = query.order_by(*(getattr(cls, f) for f in _order(register)), cls.id)
    rows = []
    for obj, title in session.execute(query):
        row = records.values(obj)
        row["partnership"] = title
        rows.append(row)
    return rows


def entry(session: Session, register: Register, ref: int | str) -> dict[str, Any]:
    """One entry by id or UUID; NotFound with a sentence for people when there is none."""
    try:
        obj = records.get(session, register.record_kind, ref)
    except NotFound:
        raise NotFound(
            _("There is no entry with ID {ref} in the register of {register}.").format(
                ref=ref, register=_(register.label)
            )
        ) from None
    row = records.values(obj)
    partnership = session.get(Partnership, row["partnership_id"])
    row["partnership"] = partnership.title if partnership is not None else ""
    return row


def text(f: RegisterField, value: Any, lang: str | None = None) -> str:
    """A field's value as people read it: in the window's language, or in ``lang``
    (a briefing's language, which need not be the window's)."""
    if value is None or value == "":
        return ""
    if f.value_type == "enum" and f.vocabulary is not None:
        return label(f.vocabulary, value) if lang is None else _enum_in(f, value, lang)
    if f.value_type == "money" and isinstance(value, int):
        return amount(value) if lang is None else finance.format_amount(value, lang)
    if f.value_type == "date" and isinstance(value, date):
        return format_date(value) if lang is None else format_day(value, lang)
    return str(value)


def _enum_in(f: RegisterField, code: str, lang: str) -> str:
    from chinadialog_desktop.domain.labels import LABELS

    assert f.vocabulary is not None
    message = LABELS.get(f.vocabulary, {}).get(str(code))
    return catalogue_term(message, lang) if message else str(code)


def caption_msgid(f: RegisterField) -> str:
    """The field's caption as marked for translation (the registry's)."""
    return f.caption or f.name


def caption(f: RegisterField, lang: str | None = None) -> str:
    msgid = caption_msgid(f)
    return _(msgid) if lang is None else catalogue_term(msgid, lang)


def default_values(register: Register) -> dict[str, Any]:
    """What a new entry starts with in the window: today, the defaults, a title to replace."""
    values: dict[str, Any] = {f.name: f.default for f in register.fields if f.default is not None}
    if register.date_field:
        values[register.date_field] = date.today()
    values[register.title_field] = _("New entry")
    return values


__all__ = [
    "caption",
    "caption_msgid",
    "default_values",
    "entries",
    "entry",
    "register_of",
    "text",
]
