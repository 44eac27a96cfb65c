"""Table models of the screening view: the imported reference lists and the hits (by id)."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt
from PySide6.QtGui import QFont

from chinadialog_desktop.domain.screening_terms import CATEGORY_LABELS, STATUS_LABELS
from chinadialog_desktop.i18n import N_, _, format_date, format_number
from chinadialog_desktop.services.screening.reference_lists import ReferenceListRow
from chinadialog_desktop.services.screening.runs import HitRow, topic_label

Index = QModelIndex | QPersistentModelIndex
HIT_ID_ROLE = Qt.ItemDataRole.UserRole + 1


def status_label(status: str) -> str:
    label = STATUS_LABELS.get(status)
    return _(label) if label else status


def category_label(category: str) -> str:
    label = CATEGORY_LABELS.get(category)
    return _(label) if label else category


def score_text(score: float) -> str:
    return format_number(score * 100, 0) + " %"


class _ColumnsModel(QAbstractTableModel):
    """Column count and translated headers from a class-level ``COLUMNS`` (key, msgid) table."""

    COLUMNS: tuple[tuple[str, str], ...] = ()

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: N802, B008
        return 0 if parent.isValid() else len(self.COLUMNS)

    def headerData(  # noqa: N802
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        if (
            orientation == Qt.Orientation.Horizontal
            and role == Qt.ItemDataRole.DisplayRole
            and 0 <= section < len(self.COLUMNS)
        ):
            return _(self.COLUMNS[section][1])
        return None


HIT_COLUMNS: tuple[tuple[str, str], ...] = (
    ("new", N_("New")),
    ("subject", N_("Our record")),
    ("entity", N_("Their name")),
    ("list", N_("Reference list")),
    ("score", N_("Score")),
    ("status", N_("Status")),
    ("designations", N_("Legal designation")),
    ("assessments", N_("Risk assessment")),
)


class HitTableModel(_ColumnsModel):
    COLUMNS = HIT_COLUMNS
    """Screening hits in the service's order (undecided first); rows are keyed by hit id."""

    def __init__(self, parent: Any = None) -> None:
        super().__init__(parent)
        self._ids: list[int] = []
        self._rows: dict[int, HitRow] = {}
        self.new_ids: set[int] = set()

    # -- content ---------------------------------------------------------------
    def set_rows(self, rows: Sequence[HitRow]) -> None:
        self.beginResetModel()
        self._ids = [r.id for r in rows]
        self._rows = {r.id: r for r in rows}
        self.endResetModel()

    def mark_new(self, ids: Iterable[int]) -> None:
        """Mark the hits the last run found or reopened as new (the earlier marks go)."""
        self.new_ids = set(ids)
        if self._ids:
            self.dataChanged.emit(self.index(0, 0), self.index(len(self._ids) - 1, 0))

    def ids(self) -> list[int]:
        return list(self._ids)

    def hit(self, row: int) -> HitRow | None:
        if 0 <= row < len(self._ids):
            return self._rows[self._ids[row]]
        return None

    def hit_by_id(self, hit_id: int) -> HitRow | None:
        return self._rows.get(hit_id)

    def row_of(self, hit_id: int) -> int:
        try:
            return self._ids.index(hit_id)
        except ValueError:
            return -1

    def retranslate(self) -> None:
        self.headerDataChanged.emit(Qt.Orientation.Horizontal, 0, len(HIT_COLUMNS) - 1)

    # -- Qt model --------------------------------------------------------------
    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: N802, B008
        return 0 if parent.isValid() else len(self._ids)

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or index.parent().isValid():
            return None
        hit = self.hit(index.row())
        if hit is None or not 0 <= index.column() < len(HIT_COLUMNS):
            return None
        key = HIT_COLUMNS[index.column()][0]
        if role == Qt.ItemDataRole.DisplayRole:
            return self._text(hit, key)
        if role == Qt.ItemDataRole.ToolTipRole:
            if key == "status" and decision_text(hit):
                return decision_text(hit)
            if key == "list" and hit.list_date:
                return _("{name}, as of {date}").format(
                    name=hit.list_name, date=format_date(hit.list_date)
                )
            return self._text(hit, key) or None
        if role == HIT_ID_ROLE:
            return hit.id
        if role == Qt.ItemDataRole.FontRole and (hit.id in self.new_ids or key == "designations"):
            font = QFont()
            font.setBold(hit.id in self.new_ids or bool(hit.designations))
            return font
        if role == Qt.ItemDataRole.TextAlignmentRole and key == "score":
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        return None

    def _text(self, hit: HitRow, key: str) -> str:
        if key == "new":
            return _("new") if hit.id in self.new_ids else ""
        if key == "subject":
            return (
                hit.subject_label
                if hit.subject_kind == "actor"
                else _("{name} (contact)").format(name=hit.subject_label)
            )
        if key == "entity":
            return hit.entity_caption
        if key == "list":
            return hit.list_name
        if key == "score":
            return score_text(hit.score)
        if key == "status":
            return status_label(hit.status)
        if key == "designations":
            return ", ".join(topic_label(t) for t in hit.designations)
        if key == "assessments":
            return ", ".join(topic_label(t) for t in hit.assessments)
        return ""


def decision_text(hit: HitRow) -> str:
    """“Confirmed by mueller on 25.11.2026: reason” for a decided hit; for a re-opened one
    the earlier decision and that the entry has changed since; else ''."""
    if hit.status == "open" and hit.earlier_decision and hit.earlier_reason:
        when = format_date(hit.earlier_at.date()) if hit.earlier_at else ""
        template = (
            _(
                "Confirmed earlier by {who} on {when}: {reason}. The entry on the list has "
                "changed since; please decide again."
            )
            if hit.earlier_decision == "confirmed"
            else _(
                "Dismissed earlier by {who} on {when}: {reason}. The entry on the list has "
                "changed since; please decide again."
            )
        )
        return template.format(who=hit.earlier_by or "?", when=when, reason=hit.earlier_reason)
    if hit.status == "open" or not hit.reason:
        return ""
    when = format_date(hit.decided_at.date()) if hit.decided_at else ""
    template = (
        _("Confirmed by {who} on {when}: {reason}")
        if hit.status == "confirmed"
        else _("Dismissed by {who} on {when}: {reason}")
    )
    return template.format(who=hit.decided_by or "?", when=when, reason=hit.reason)


LIST_COLUMNS: tuple[tuple[str, str], ...] = (
    ("name", N_("Reference list")),
    ("date", N_("As of")),
    ("count", N_("Entries")),
    ("category", N_("Kind")),
    ("file", N_("File")),
)


class ReferenceListModel(_ColumnsModel):
    COLUMNS = LIST_COLUMNS
    """The imported reference lists: name, date, entry count, designation or assessment."""

    def __init__(self, parent: Any = None) -> None:
        super().__init__(parent)
        self._rows: list[ReferenceListRow] = []

    def set_rows(self, rows: Sequence[ReferenceListRow]) -> None:
        self.beginResetModel()
        self._rows = list(rows)
        self.endResetModel()

    def list_row(self, row: int) -> ReferenceListRow | None:
        return self._rows[row] if 0 <= row < len(self._rows) else None

    def retranslate(self) -> None:
        self.headerDataChanged.emit(Qt.Orientation.Horizontal, 0, len(LIST_COLUMNS) - 1)
        if self._rows:
            self.dataChanged.emit(
                self.index(0, 0), self.index(len(self._rows) - 1, len(LIST_COLUMNS) - 1)
            )

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: N802, B008
        return 0 if parent.isValid() else len(self._rows)

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or index.parent().isValid():
            return None
        row = self.list_row(index.row())
        if row is None or not 0 <= index.column() < len(LIST_COLUMNS):
            return None
        key = LIST_COLUMNS[index.column()][0]
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.ToolTipRole):
            if key == "name":
                return row.name
            if key == "date":
                return format_date(row.list_date) if row.list_date else _("unknown date")
            if key == "count":
                return format_number(row.entity_count, 0)
            if key == "category":
                return category_label(row.category)
            if key == "file":
                return row.file_name or ""
        if role == Qt.ItemDataRole.TextAlignmentRole and key == "count":
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        return None
