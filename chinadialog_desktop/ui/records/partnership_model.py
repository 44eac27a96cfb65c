"""The list of partnerships: the id-backed record model with the partnership columns."""

from __future__ import annotations

from typing import Any

from chinadialog_desktop.ui.records.list_columns import HEADER_TIPS, HEADERS, cells_for
from chinadialog_desktop.ui.records.table_model import (
    BATCH_SIZE,
    ID_ROLE,
    IdLoader,
    RecordTableModel,
    RowLoader,
)

# Column ids and untranslated headers, in display order.
COLUMNS = HEADERS["partnership"]

__all__ = ["BATCH_SIZE", "COLUMNS", "ID_ROLE", "PartnershipTableModel"]


class PartnershipTableModel(RecordTableModel):
    """Partnership ids filtered and sorted in SQL; rows read in batches as the view asks.

    ``load_ids(query)`` returns ids for a ``services.records.lists.ListQuery``;
    ``load_rows(ids)`` the rows of ``record_lists.list_rows``.
    """

    def __init__(
        self, load_ids: IdLoader, load_rows: RowLoader, query: Any = None, parent: Any = None
    ) -> None:
        if query is None:
            from chinadialog_desktop.services.records.rows import ListQuery

            query = ListQuery(sort="title")
        super().__init__(
            COLUMNS,
            cells_for("partnership"),
            load_ids,
            load_rows,
            query,
            parent,
            tips=HEADER_TIPS["partnership"],
        )

    def partnership_id(self, row: int) -> int:
        return self.record_id(row)
