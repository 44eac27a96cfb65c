"""The list of partnerships: an item model that holds ids and fetches rows in batches."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt

from chinadialog_desktop.domain.enums import PartnershipStatus, PartnershipType
from chinadialog_desktop.domain.labels import label, partial_date
from chinadialog_desktop.i18n import N_, _

if TYPE_CHECKING:  # not at run time: listing imports SQLAlchemy, loaded after first paint
    from chinadialog_desktop.services.listing import PartnershipRow

# Column ids, in display order; the header text is looked up at paint time.
COLUMNS: tuple[tuple[str, str], ...] = (
    ("title", N_("Title")),
    ("german", N_("German party")),
    ("chinese", N_("Chinese party")),
    ("type", N_("Type")),
    ("status", N_("Status")),
    ("since", N_("Since")),
)

BATCH_SIZE = 200
ID_ROLE = Qt.ItemDataRole.UserRole + 1

RowLoader = Callable[[list[int]], Sequence["PartnershipRow"]]
IdLoader = Callable[[], Sequence[int]]
AnyIndex = QModelIndex | QPersistentModelIndex


def chinese_party_text(row: PartnershipRow) -> str:
    """``Zhuhai (珠海)``: the name people read, then the characters that identify it."""
    latin, chars = row.chinese_parties, row.chinese_names_zh
    if latin and chars:
        return f"{latin} ({chars})"
    return latin or chars


def cell_text(row: PartnershipRow, column: str) -> str:
    if column == "title":
        return row.title
    if column == "german":
        return row.german_parties
    if column == "chinese":
        return chinese_party_text(row)
    if column == "type":
        return label(PartnershipType, row.type)
    if column == "status":
        return label(PartnershipStatus, row.status)
    if column == "since":
        return partial_date(row.start_date, row.start_precision)
    raise KeyError(column)


class PartnershipTableModel(QAbstractTableModel):
    """Rows are partnership ids; a row's content is loaded when a view first asks for it.

    Like Anki's browser table: the id list is cheap even for 100,000 rows,
    and only the batches a view actually shows are read from the database.
    """

    def __init__(self, load_ids: IdLoader, load_rows: RowLoader, parent: Any = None) -> None:
        super().__init__(parent)
        self._load_ids = load_ids
        self._load_rows = load_rows
        self._ids: list[int] = list(load_ids())
        self._rows: dict[int, PartnershipRow] = {}

    # -- reading ---------------------------------------------------------
    def rowCount(self, parent: AnyIndex = QModelIndex()) -> int:  # noqa: B008, N802
        return 0 if parent.isValid() else len(self._ids)

    def columnCount(self, parent: AnyIndex = QModelIndex()) -> int:  # noqa: B008, N802
        return 0 if parent.isValid() else len(COLUMNS)

    def data(self, index: AnyIndex, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or not 0 <= index.row() < len(self._ids):
            return None
        if role == ID_ROLE:
            return self._ids[index.row()]
        if role not in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.ToolTipRole):
            return None
        row = self.row_at(index.row())
        if row is None:
            return None
        return cell_text(row, COLUMNS[index.column()][0])

    def headerData(  # noqa: N802
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        if role != Qt.ItemDataRole.DisplayRole:
            return None
        if orientation == Qt.Orientation.Horizontal:
            return _(COLUMNS[section][1]) if 0 <= section < len(COLUMNS) else None
        return section + 1

    def flags(self, index: AnyIndex) -> Qt.ItemFlag:
        if not index.isValid():
            return Qt.ItemFlag.NoItemFlags
        return Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable

    # -- ids and batches -------------------------------------------------
    def partnership_id(self, row: int) -> int:
        return self._ids[row]

    def row_of(self, partnership_id: int) -> int | None:
        try:
            return self._ids.index(partnership_id)
        except ValueError:
            return None

    def loaded_count(self) -> int:
        """How many rows have been read from the database so far."""
        return len(self._rows)

    def row_at(self, row: int) -> PartnershipRow | None:
        pid = self._ids[row]
        cached = self._rows.get(pid)
        if cached is None:
            self._fetch_batch(row)
            cached = self._rows.get(pid)
        return cached

    def _fetch_batch(self, row: int) -> None:
        start = row - row % BATCH_SIZE
        wanted = [i for i in self._ids[start : start + BATCH_SIZE] if i not in self._rows]
        for fetched in self._load_rows(wanted):
            self._rows[fetched.id] = fetched

    def refresh(self) -> None:
        """Re-read the ids and drop the cached rows (after imports or edits)."""
        self.beginResetModel()
        self._ids = list(self._load_ids())
        self._rows.clear()
        self.endResetModel()
