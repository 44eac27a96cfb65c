"""The columns the registry of kinds (``domain.kinds``) implies for each kind's table.

A field the registry marks as stored and the ORM class does not declare by hand gets
its column here, from the field's type and length, when the models are imported; the
migration that adds it to existing databases is the only other change a new field needs.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import JSON, Date, Integer, String, Text
from sqlalchemy.orm import mapped_column
from sqlalchemy.types import TypeEngine

from chinadialog_desktop.domain.enums import DatePrecision
from chinadialog_desktop.domain.kinds import REGISTRY, Field, Kind
from chinadialog_desktop.persistence.base import Record


def column_type(field: Field) -> TypeEngine[Any]:
    """The SQL type a registry field is stored as."""
    if field.value_type == "date":
        return Date()
    if field.value_type == "int":
        return Integer()
    if field.value_type == "list":
        return JSON()
    if field.value_type == "country":
        return String(2)
    if field.value_type == "enum":
        return String(8 if field.vocabulary is DatePrecision else 32)
    return String(field.max_length) if field.max_length is not None else Text()


def add_registry_columns(models: dict[Kind, type[Record]]) -> list[tuple[str, str]]:
    """Map every stored registry field the ORM classes lack; (table, column) of each added.

    Called once by ``models_core`` with its classes (``MODELS``), before any mapper is used.
    """
    added: list[tuple[str, str]] = []
    for kind, model in models.items():
        table = model.__table__  # type: ignore[attr-defined]
        for field in REGISTRY[kind].stored_fields():
            if field.name in table.c:
                continue
            setattr(model, field.name, mapped_column(field.name, column_type(field), nullable=True))
            added.append((table.name, field.name))
    return added


__all__ = ["add_registry_columns", "column_type"]
