"""The registers chapter of a briefing: one short table per register that has entries.

The internal version prints the columns of ``Register.briefing``; the public
version (briefing_public) keeps the columns marked public, or only the number of
entries (counterpart contacts, incidents). Counterparts are private persons: their
names are replaced by a role wherever they appear in a public text.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from chinadialog_desktop.domain import finance
from chinadialog_desktop.domain.briefing_model import RegisterTable
from chinadialog_desktop.domain.briefing_terms import catalogue_term, term
from chinadialog_desktop.domain.enums import GiftDirection
from chinadialog_desktop.domain.registers import GIFTS, REGISTERS, Register
from chinadialog_desktop.persistence.models import Counterpart
from chinadialog_desktop.services.records.registers import caption, entries, text

PARTNERSHIP_COLUMN = "partnership"


def _cell(register: Register, name: str, row: dict[str, Any], lang: str) -> str:
    if name == PARTNERSHIP_COLUMN:
        return str(row["partnership"])
    value = text(register.field(name), row[name], lang)
    # A visit's period in one cell; a name with its characters.
    if name == "start_date" and row.get("end_date") and row["end_date"] != row[name]:
        value += "–\n" + text(register.field("end_date"), row["end_date"], lang)
    if name == "name" and row.get("name_zh"):
        value += "\n" + str(row["name_zh"])
    return value


def _internal_texts(register: Register, rows: list[dict[str, Any]]) -> list[str]:
    """The accounts that are internal as a whole (``RegisterField.confidential``)."""
    names = [f.name for f in register.fields if f.confidential]
    return [str(r[n]) for r in rows for n in names if r.get(n)]


def _gift_note(rows: list[dict[str, Any]], lang: str) -> str:
    sums = {d.value: 0 for d in GiftDirection}
    for r in rows:
        if r["value_cents"]:
            sums[r["direction"]] = sums.get(r["direction"], 0) + r["value_cents"]
    if not any(sums.values()):
        return ""
    return term(
        "gifts_total",
        lang,
        received=finance.format_amount(sums[GiftDirection.RECEIVED.value], lang),
        given=finance.format_amount(sums[GiftDirection.GIVEN.value], lang),
    )


def register_tables(session: Session, partnership_ids: list[int], lang: str) -> list[RegisterTable]:
    """The registers of these partnerships that have entries, in the briefing's language."""
    if not partnership_ids:
        return []
    tables = []
    for register in REGISTERS:
        rows = entries(session, register, partnership_ids)
        if not rows:
            continue
        names = list(register.briefing)
        columns = [caption(register.field(n), lang) for n in names]
        public = [f.name for f in register.fields if f.public]
        if len(partnership_ids) > 1:  # which partnership, when the paper has several
            names.insert(0, PARTNERSHIP_COLUMN)
            columns.insert(0, catalogue_term("Partnership", lang))
            public.append(PARTNERSHIP_COLUMN)
        tables.append(
            RegisterTable(
                key=register.key,
                title=catalogue_term(register.label, lang),
                count=len(rows),
                columns=columns,
                field_names=names,
                rows=[[_cell(register, n, r, lang) for n in names] for r in rows],
                public_fields=public,
                public_rows=register.public_rows,
                note=_gift_note(rows, lang) if register is GIFTS else "",
                internal_texts=_internal_texts(register, rows),
            )
        )
    return tables


def counterpart_names(session: Session) -> list[tuple[str, str | None]]:
    """(name, name in characters) of every counterpart in the database: private persons."""
    return [
        (name, name_zh)
        for name, name_zh in session.execute(
            select(Counterpart.name, Counterpart.name_zh).order_by(Counterpart.id)
        )
    ]


__all__ = ["counterpart_names", "register_tables"]
