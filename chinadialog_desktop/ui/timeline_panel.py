"""A partnership's timeline: dated activities (visits, agreements, events …) with outcomes."""

from __future__ import annotations

from datetime import date
from typing import Any

from PySide6.QtWidgets import QWidget

from chinadialog_desktop.domain.enums import ActivityKind
from chinadialog_desktop.domain.kinds import Kind
from chinadialog_desktop.domain.labels import label, partial_date
from chinadialog_desktop.i18n import N_, _
from chinadialog_desktop.ui.child_panel import ChildPanel
from chinadialog_desktop.ui.record_form import specs_for
from chinadialog_desktop.ui.workspace import Workspace

SPECS = specs_for(Kind.ACTIVITY)


def _new_activity(_session: Any, _parent_id: int) -> dict[str, Any]:
    return {"date": date.today(), "kind": ActivityKind.OTHER.value, "title": _("New activity")}


def timeline_panel(workspace: Workspace, parent: QWidget | None = None) -> ChildPanel:
    return ChildPanel(
        workspace,
        "activity",
        "partnership_id",
        (
            ("date", N_("Date"), lambda r: partial_date(r["date"], r["date_precision"])),
            ("kind", N_("Kind"), lambda r: label(ActivityKind, r["kind"])),
            ("title", N_("Title"), lambda r: r["title"]),
        ),
        SPECS,
        _new_activity,
        "activity",
        N_("activity"),
        order_by="date",
        parent=parent,
    )
