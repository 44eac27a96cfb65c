"""A partnership's timeline: dated activities (visits, agreements, events …) with outcomes."""

from __future__ import annotations

from datetime import date
from typing import Any

from PySide6.QtWidgets import QWidget

from chinadialog_desktop.domain.enums import ActivityKind
from chinadialog_desktop.domain.labels import label, partial_date
from chinadialog_desktop.i18n import N_, _
from chinadialog_desktop.ui.child_panel import ChildPanel
from chinadialog_desktop.ui.record_form import FieldSpec
from chinadialog_desktop.ui.workspace import Workspace

SPECS = (
    FieldSpec("date", N_("Date"), "partial_date", precision="date_precision"),
    FieldSpec("kind", N_("Kind"), "combo", ActivityKind),
    FieldSpec("title", N_("Title")),
    FieldSpec("location", N_("Place")),
    FieldSpec("participants", N_("Participants"), "text"),
    FieldSpec("outcome", N_("Outcome"), "text"),
    FieldSpec("description", N_("Description"), "text"),
)


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
