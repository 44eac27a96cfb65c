"""The partnership list of the window's start, read before the database layer is loaded.

``services.records.first_page`` reads the list's ids in the default order and the
rows of the first batch straight from the file; the model shows them at once. The
ORM is loaded and the file opened through it on a worker thread after the list's
first frame (``ui/window/take_over.py``); the database then takes over the model's
reading (``RecordTableModel.set_loaders``). Whatever the first
page cannot answer before that (another sort, the rows further down) first
completes the opening (``complete``), then asks the model's new loaders.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

from chinadialog_desktop.services.records.first_page import FirstPage
from chinadialog_desktop.ui.records.partnership_model import PartnershipTableModel


class FirstListLoaders:
    """``load_ids``/``load_rows`` of the first page; anything else after ``complete()``."""

    def __init__(self, page: FirstPage, complete: Callable[[], None]) -> None:
        self.page = page
        self.complete = complete
        self.model: PartnershipTableModel | None = None

    def _taken_over(self) -> tuple[Any, Any] | None:
        """The model's loaders once the opening is complete (None: it failed)."""
        self.complete()
        if self.model is None:
            return None
        load_ids, load_rows = self.model.loaders()
        if getattr(load_ids, "__self__", None) is self:
            return None
        return load_ids, load_rows

    def load_ids(self, query: Any) -> Sequence[int]:
        if query == self.page.query:
            return list(self.page.ids)
        taken = self._taken_over()
        return taken[0](query) if taken is not None else list(self.page.ids)

    def load_rows(self, ids: list[int]) -> Sequence[Any]:
        if all(i in self.page.rows for i in ids):
            return [self.page.rows[i] for i in ids]
        taken = self._taken_over()
        if taken is None:
            return [self.page.rows[i] for i in ids if i in self.page.rows]
        rows: Sequence[Any] = taken[1](ids)
        return rows


def first_list_model(page: FirstPage, complete: Callable[[], None]) -> PartnershipTableModel:
    """The partnership list model over ``page``; ``complete()`` opens the database fully."""
    loaders = FirstListLoaders(page, complete)
    model = PartnershipTableModel(loaders.load_ids, loaders.load_rows, page.query)
    loaders.model = model
    return model
