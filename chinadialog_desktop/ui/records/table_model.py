"""An item model over any workspace list: it holds ids and fetches rows in batches."""

from __future__ import annotations

import dataclasses
from collections.abc import Callable, Sequence
from typing import Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt
from PySide6.QtGui import QColor

from chinadialog_desktop.i18n import _

BATCH_SIZE = 100  # a screenful is 30–50 rows; the next batch comes when scrolled to
ID_ROLE = Qt.ItemDataRole.UserRole + 1

Row = Any  # a typed row of services.records.listing (PartnershipRow, ActorRow …)
IdLoader = Callable[[Any], Sequence[int]]  # (ListQuery) -> ids
RowLoader = Callable[[list[int]], Sequence[Row]]
CellText = Callable[[Row, str], str]
AnyIndex = QModelIndex | QPersistentModelIndex


class RecordTableModel(QAbstractTableModel):
    """Rows are record ids; a row's content is read when a view first asks for it.

    Like Anki's browser table: the id list is cheap even for 100,000 rows
    (filtered and sorted in SQL), and only the batches a view shows are read.
    ``columns`` are (key, untranslated header); the header is translated at
    paint time so a language switch shows at once.
    """

    def __init__(
        self,
        columns: Sequence[tuple[str, str]],
        cell: CellText,
        load_ids: IdLoader,
        load_rows: RowLoader,
        query: Any,
        parent: Any = None,
        colour: Callable[[Row, str], str | None] | None = None,
        lazy: bool = False,
        tips: dict[str, str] | None = None,
    ) -> None:
        """``lazy``: the ids are read when first asked for (a page not yet shown);
        ``tips``: column key → the untranslated full caption of a shortened header."""
        super().__init__(parent)
        self.columns = tuple(columns)
        self._tips = tips or {}
        self._cell = cell
        self._colour = colour
        self._load_ids = load_ids
        self._load_rows = load_rows
        self.query = query
        self._id_cache: list[int] | None = None if lazy else list(load_ids(query))
        self._rows: dict[int, Row] = {}

    @property
    def _ids(self) -> list[int]:
        if self._id_cache is None:
            self._id_cache = list(self._load_ids(self.query))
        return self._id_cache

    @_ids.setter
    def _ids(self, value: list[int]) -> None:
        self._id_cache = value

    def ids_loaded(self) -> bool:
        return self._id_cache is not None

    def loaders(self) -> tuple[IdLoader, RowLoader]:
        return self._load_ids, self._load_rows

    def set_loaders(self, load_ids: IdLoader, load_rows: RowLoader) -> None:
        """Read from here on with these (the same records, another road to them: the
        window's start moves from the first page's plain reader to the ORM's); the ids
        and rows read so far stay."""
        self._load_ids = load_ids
        self._load_rows = load_rows

    # -- reading ---------------------------------------------------------
    def rowCount(self, parent: AnyIndex = QModelIndex()) -> int:  # noqa: B008, N802
        return 0 if parent.isValid() else len(self._ids)

    def columnCount(self, parent: AnyIndex = QModelIndex()) -> int:  # noqa: B008, N802
        return 0 if parent.isValid() else len(self.columns)

    def data(self, index: AnyIndex, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or not 0 <= index.row() < len(self._ids):
            return None
        if role == ID_ROLE:
            return self._ids[index.row()]
        if role == Qt.ItemDataRole.DecorationRole and self._colour is not None:
            row = self.row_at(index.row())
            colour = self._colour(row, self.columns[index.column()][0]) if row else None
            return QColor(colour) if colour else None
        if role not in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.ToolTipRole):
            return None
        row = self.row_at(index.row())
        if row is None:
            return None
        return self._cell(row, self.columns[index.column()][0])

    def headerData(  # noqa: N802
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        # The tooltip names a caption in full where the column is too narrow for it.
        if role not in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.ToolTipRole):
            return None
        if orientation == Qt.Orientation.Horizontal:
            if not 0 <= section < len(self.columns):
                return None
            key, header = self.columns[section]
            if role == Qt.ItemDataRole.ToolTipRole and key in self._tips:
                return _(self._tips[key])
            return _(header)
        if role != Qt.ItemDataRole.DisplayRole:
            return None
        return section + 1

    def flags(self, index: AnyIndex) -> Qt.ItemFlag:
        if not index.isValid():
            return Qt.ItemFlag.NoItemFlags
        return Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable

    # -- sorting and filtering (in SQL) ------------------------------------
    def sort(self, column: int, order: Qt.SortOrder = Qt.SortOrder.AscendingOrder) -> None:
        if not 0 <= column < len(self.columns):
            return
        self.set_query(
            dataclasses.replace(
                self.query,
                sort=self.columns[column][0],
                descending=order == Qt.SortOrder.DescendingOrder,
            )
        )

    def set_query(self, query: Any) -> None:
        """Show the ids matching ``query``; cached rows stay valid (they are keyed by id).

        A reset, not a layout change: the views keep nothing but the selection,
        which the list page restores by id.
        """
        if query == self.query:
            return
        self.query = query
        if self._id_cache is None:  # not read yet: read with this query when asked
            return
        ids = list(self._load_ids(query))
        self.beginResetModel()
        self._ids = ids
        self.endResetModel()

    # -- ids and batches -------------------------------------------------
    def record_id(self, row: int) -> int:
        return self._ids[row]

    def ids(self) -> list[int]:
        return list(self._ids)

    def row_of(self, record_id: int) -> int | None:
        try:
            return self._ids.index(record_id)
        except ValueError:
            return None

    def loaded_count(self) -> int:
        """How many rows have been read from the database so far."""
        return len(self._rows)

    def row_at(self, row: int) -> Row | None:
        rid = self._ids[row]
        cached = self._rows.get(rid)
        if cached is None:
            self._fetch_batch(row)
            cached = self._rows.get(rid)
        return cached

    def _fetch_batch(self, row: int) -> None:
        start = row - row % BATCH_SIZE
        wanted = [i for i in self._ids[start : start + BATCH_SIZE] if i not in self._rows]
        for fetched in self._load_rows(wanted):
            self._rows[fetched.id] = fetched

    def invalidate(self, record_id: int) -> None:
        """One record changed: forget its row and repaint it."""
        self._rows.pop(record_id, None)
        row = self.row_of(record_id)
        if row is not None:
            self.dataChanged.emit(self.index(row, 0), self.index(row, len(self.columns) - 1))

    def refresh_rows(self) -> None:
        """Linked records changed (an actor's name): re-read the rows, keep the ids."""
        if not self._rows:
            return
        self._rows.clear()
        if self._ids:
            self.dataChanged.emit(
                self.index(0, 0), self.index(len(self._ids) - 1, len(self.columns) - 1)
            )

    def refresh(self) -> None:
        """Re-read the ids and drop the cached rows (after creates, deletes and imports)."""
        invalidate = getattr(self._load_ids, "invalidate", None)
        if invalidate is not None:
            invalidate()
        if self._id_cache is None:  # not read yet: nothing shown to refresh
            return
        self.beginResetModel()
        self._ids = list(self._load_ids(self.query))
        self._rows.clear()
        self.endResetModel()
