"""Contacts of an actor or a partnership: names (also in characters), function, how to reach."""

from __future__ import annotations

from typing import Any

from PySide6.QtWidgets import QWidget

from chinadialog_desktop.domain.kinds import REGISTRY, Kind
from chinadialog_desktop.i18n import N_, _
from chinadialog_desktop.ui.records.child_panel import ChildPanel
from chinadialog_desktop.ui.records.form import columns_for, specs_for
from chinadialog_desktop.ui.window.workspace import Workspace

SPECS = specs_for(Kind.CONTACT)


def _name(row: dict[str, Any]) -> str:
    return f"{row['name']} ({row['name_zh']})" if row.get("name_zh") else row["name"]


def contacts_panel(
    workspace: Workspace, parent_field: str, prefix: str, parent: QWidget | None = None
) -> ChildPanel:
    """A contacts panel for records linked through ``parent_field`` (actor_id, partnership_id)."""
    return ChildPanel(
        workspace,
        "contact",
        parent_field,
        columns_for(Kind.CONTACT, {"name": _name}),
        SPECS,
        lambda _session, _parent_id: {"name": _("New contact")},
        prefix,
        N_("contact"),
        order_by=REGISTRY[Kind.CONTACT].default_sort[0],
        parent=parent,
    )
