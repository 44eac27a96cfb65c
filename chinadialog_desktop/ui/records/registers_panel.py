"""A partnership's registers: visits, gifts and hospitality, counterpart contacts, incidents.

Each is a child panel like the timeline; its fields and list columns come from the
registry of kinds (domain.kinds, through domain.registers), edits go through the
workspace (services.records.edit, undo stack).
"""

from __future__ import annotations

from typing import Any

from PySide6.QtWidgets import QWidget

from chinadialog_desktop.domain.registers import Register, RegisterField
from chinadialog_desktop.services.records import registers
from chinadialog_desktop.ui.records.child_panel import ChildPanel
from chinadialog_desktop.ui.records.form import FieldSpec
from chinadialog_desktop.ui.window.workspace import Workspace


def specs(register: Register) -> tuple[FieldSpec, ...]:
    return tuple(
        FieldSpec(f.name, registers.caption_msgid(f), f.editor_widget or "line", f.vocabulary)
        for f in register.fields
    )


def _column(f: RegisterField) -> tuple[str, str, Any]:
    return (f.name, registers.caption_msgid(f), lambda row: registers.text(f, row.get(f.name)))


def register_panel(
    workspace: Workspace, register: Register, parent: QWidget | None = None
) -> ChildPanel:
    """The entries of ``register`` that belong to the partnership shown."""
    prefix = register.record_kind  # objectNames: visitPanel, giftTitle, incidentAdd …
    return ChildPanel(
        workspace,
        register.record_kind,
        "partnership_id",
        tuple(_column(register.field(name)) for name in register.columns),
        specs(register),
        lambda _session, _parent_id: registers.default_values(register),
        prefix,
        register.singular,
        order_by=register.date_field or register.title_field,
        parent=parent,
    )


__all__ = ["register_panel", "specs"]
