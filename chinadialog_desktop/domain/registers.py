"""The four registers a China-competence officer keeps, as views of the registry of kinds.

Delegation visits, gifts and hospitality, counterpart contacts (Gesprächskontakte)
and the incident log are kinds of the one registry (``domain.kinds``: ``Kind.VISIT``
… with their fields, captions, checks, import words, date order and the columns of
their panels and briefing tables). This module only gives them the shape their users
read: a ``Register`` per register kind, its stored fields in order.

Everything else derives from the registry through here: the tables
(persistence.models_registers), the exchanged kinds (services.datasets.kinds), the
panels of the partnership editor (ui.records.registers_panel), the briefing sections
(services.briefing.registers) and the command line.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from chinadialog_desktop.domain.kinds import REGISTER_KINDS, REGISTRY, Field, Kind, KindInfo

# A register's field is a field of the registry, nothing else.
RegisterField = Field


@dataclass(frozen=True)
class Register:
    """A register kind of the registry, as its panel, briefing table and import read it."""

    info: KindInfo

    @property
    def kind(self) -> Kind:
        return self.info.kind

    @property
    def record_kind(self) -> str:
        """The record kind the editors and services use (``visit``), also the table name."""
        return self.info.kind.value

    @property
    def key(self) -> str:
        """The exchanged kind (``visits``): its key in files, packages and on the command line."""
        return self.info.file_key

    @property
    def label(self) -> str:
        """The plural name, marked for translation."""
        return self.info.plural

    @property
    def singular(self) -> str:
        return self.info.singular

    @property
    def aliases(self) -> tuple[str, ...]:
        return (self.record_kind, *self.info.aliases)

    @property
    def title_field(self) -> str:
        return self.info.title_field

    @property
    def date_field(self) -> str | None:
        """What the register is ordered by (None: by name)."""
        return self.info.date_field

    @property
    def notes_field(self) -> str:
        return self.info.notes_field

    @property
    def columns(self) -> tuple[str, ...]:
        assert self.info.register is not None
        return self.info.register.columns

    @property
    def briefing(self) -> tuple[str, ...]:
        assert self.info.register is not None
        return self.info.register.briefing

    @property
    def public_rows(self) -> bool:
        assert self.info.register is not None
        return self.info.register.public_rows

    @property
    def fields(self) -> tuple[Field, ...]:
        """The fields an entry stores, in their order (no UUID, no partnership reference)."""
        return self.info.stored_fields()

    def field(self, name: str) -> Field:
        found = self.info.field(name)
        assert found is not None, name
        return found

    @property
    def required(self) -> tuple[str, ...]:
        return tuple(f.name for f in self.fields if f.required)


REGISTERS: tuple[Register, ...] = tuple(Register(REGISTRY[k]) for k in REGISTER_KINDS)
VISITS, GIFTS, COUNTERPARTS, INCIDENTS = REGISTERS
BY_RECORD_KIND = {r.record_kind: r for r in REGISTERS}
BY_KEY = {r.key: r for r in REGISTERS}


def defaults(register: Register) -> dict[str, Any]:
    """The values a field takes when an imported file leaves it out."""
    return {f.name: f.default for f in register.fields if not f.required}


__all__ = [
    "BY_KEY",
    "BY_RECORD_KIND",
    "COUNTERPARTS",
    "GIFTS",
    "INCIDENTS",
    "REGISTERS",
    "VISITS",
    "Register",
    "RegisterField",
    "defaults",
]
