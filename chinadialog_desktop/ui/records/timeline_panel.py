"""A partnership's timeline: dated activities (visits, agreements, events …) with outcomes."""

from __future__ import annotations

from datetime import date
from typing import Any

from PySide6.QtWidgets import QWidget

from chinadialog_desktop.domain.enums import ActivityKind
from chinadialog_desktop.domain.kinds import REGISTRY, Kind
from chinadialog_desktop.i18n import N_, _
from chinadialog_desktop.ui.records.child_panel import ChildPanel
from chinadialog_desktop.ui.records.form import columns_for, specs_for
from chinadialog_desktop.ui.window.workspace import Workspace

SPECS = specs_for(Kind.ACTIVITY)


def _new_activity(_session: Any, _parent_id: int) -> dict[str, Any]:
    return {"date": date.today(), "kind": ActivityKind.OTHER.value, "title": _("New activity")}


def timeline_panel(workspace: Workspace, parent: QWidget | None = None) -> ChildPanel:
    return ChildPanel(
        workspace,
        "activity",
        "partnership_id",
        columns_for(Kind.ACTIVITY),
        SPECS,
        _new_activity,
        "activity",
        N_("activity"),
        order_by=REGISTRY[Kind.ACTIVITY].default_sort[0],
        parent=parent,
    )
