"""Columns of a list fitted into its width: no sideways scrolling while the list is usable.

One rule for every list (the workspace pages, the screening hits): columns are as wide as
their contents; when they do not all fit, the widest are narrowed (their texts end in
"…", the full text is the cell's tooltip), the record's name keeps a fair share, and the
other columns may shrink to ``FLOOR`` before the list scrolls sideways at all.
"""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QEvent, QObject, Qt, QTimer
from PySide6.QtWidgets import QStyle, QTableView

MIN_COLUMN_WIDTH = 80  # a column is cut below this only when the list is too narrow otherwise
FLOOR = 48  # narrower than this no column gets (a few letters and "…")
NAME_SHARE = 0.3  # the name column may keep this much of the width before others shrink
# A column this narrow by its contents (a date, a status, a reference) keeps its width
# while the wide text columns beside it can still keep the floor, the name giving up at
# most NAME_SHARE - NAME_SHARE_SHORT of the width for it: a cut date says nothing.
SHORT = 96
NAME_SHARE_SHORT = 0.25


def fitting_cap(widths: list[int], available: int, minimum: int) -> int | None:
    """The widest a column may be so that all fit into ``available``; None if all fit.

    Narrow columns keep their width; only the widest ones are cut to the cap,
    and never below ``minimum`` (then the view scrolls sideways).
    """
    if sum(widths) <= available or not widths:
        return None
    remaining = available
    ordered = sorted(widths)
    for i, width in enumerate(ordered):
        left = len(ordered) - i
        if width * left > remaining:
            return max(minimum, remaining // left)
        remaining -= width
    return None


def fitted_widths(
    contents: list[int],
    available: int,
    name_column: int = 0,
    *,
    minimum: int = MIN_COLUMN_WIDTH,
    floor: int = FLOOR,
    name_share: float = NAME_SHARE,
    short_width: int = SHORT,
    headers: list[int] | None = None,
) -> list[int]:
    """Column widths for ``contents`` (each column's natural width) in ``available`` pixels.

    The result sums to at most ``available`` unless even ``floor`` per column is too wide.
    ``headers``: the width each column's caption needs; a narrowed column keeps its caption
    whole where the name column can give the room and still keep ``NAME_SHARE_SHORT``.
    """
    widths = _fitted(contents, available, name_column, minimum, floor, name_share, short_width)
    if headers is None or sum(contents) <= available:
        return widths
    spare = widths[name_column] - int(available * NAME_SHARE_SHORT)
    for i, caption in enumerate(headers):
        need = min(caption, contents[i]) - widths[i]
        if i == name_column or need <= 0 or need > spare:
            continue
        widths[i] += need
        widths[name_column] -= need
        spare -= need
    return widths


def _fitted(
    contents: list[int],
    available: int,
    name_column: int,
    minimum: int,
    floor: int,
    name_share: float,
    short_width: int,
) -> list[int]:
    widths = list(contents)
    if sum(widths) <= available or not widths:
        return widths
    if len(widths) == 1:
        return [max(floor, available)]
    cap = fitting_cap(widths, available, minimum) or available
    name = min(widths[name_column], max(cap, int(available * name_share)))
    others = [i for i in range(len(widths)) if i != name_column]
    room = available - name
    # The short columns first, whole, if the wide ones still keep the floor beside them.
    short = [i for i in others if widths[i] <= short_width]
    wide = [i for i in others if widths[i] > short_width]
    need = sum(widths[i] for i in short) + floor * len(wide)
    spare = max(0, name - int(available * NAME_SHARE_SHORT))  # what the name may give
    if short and wide and room + spare >= need:
        if room < need:  # the name gives way a little for them
            name, room = name - (need - room), need
        others, room = wide, room - sum(widths[i] for i in short)
    # The other columns keep ``minimum`` where there is room for it, else shrink evenly.
    least = max(floor, min(minimum, room // len(others)))
    rest = fitting_cap([widths[i] for i in others], room, least)
    if rest is not None:
        for i in others:
            widths[i] = min(widths[i], rest)
    others = [i for i in range(len(widths)) if i != name_column]
    # Still too wide (a narrow list): the name gives up what the others cannot.
    name = max(floor, min(name, available - sum(widths[i] for i in others)))
    widths[name_column] = name
    return widths


def caption_width(table: QTableView, column: int) -> int:
    """What column ``column``'s caption needs to be read whole: its text and the header's
    margins, and the sort arrow where the list is sorted by it."""
    header = table.horizontalHeader()
    model = table.model()
    text = str(model.headerData(column, Qt.Orientation.Horizontal) or "") if model else ""
    style = header.style()
    margin = style.pixelMetric(QStyle.PixelMetric.PM_HeaderMargin, None, header)
    width = header.fontMetrics().horizontalAdvance(text) + 2 * margin + 4
    if header.isSortIndicatorShown() and header.sortIndicatorSection() == column:
        width += style.pixelMetric(QStyle.PixelMetric.PM_HeaderMarkSize, None, header) + margin
    return width


def fit_columns(
    table: QTableView,
    name_column: int = 0,
    widest: int | None = None,
    available: int | None = None,
) -> None:
    """Size ``table``'s columns to their contents and into its width (see ``fitted_widths``).

    ``widest``: no column wider than this even where there is room (the last one stretches).
    ``available``: the width to fit into (default: the viewport's now).
    """
    header = table.horizontalHeader()
    stretch = header.stretchLastSection()
    header.setStretchLastSection(False)  # sized by hand, the last column would not stretch
    # Only the rows in view are measured, so this stays cheap for long lists.
    table.resizeColumnsToContents()
    contents = [header.sectionSize(c) for c in range(header.count())]
    if widest is not None:
        contents = [min(width, widest) for width in contents]
    if available is None:
        available = table.viewport().width()
    headers = [caption_width(table, c) for c in range(header.count())]
    for column, width in enumerate(
        fitted_widths(contents, available, name_column, headers=headers)
    ):
        if header.sectionSize(column) != width:
            header.resizeSection(column, width)
    header.setStretchLastSection(stretch)


class ColumnFitter(QObject):
    """Keeps ``table``'s columns fitted (``fit_columns``) as its width changes, until the
    user sizes a column by hand; ``refit()`` after new rows."""

    def __init__(self, table: QTableView, name_column: int = 0, widest: int | None = None) -> None:
        super().__init__(table)
        self.table = table
        self.name_column = name_column
        self.widest = widest
        self.user_sized = False
        self._sizing = False
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(0)
        self._timer.timeout.connect(self.refit)
        table.horizontalHeader().sectionResized.connect(self._section_resized)
        table.viewport().installEventFilter(self)

    def refit(self) -> None:
        if self.user_sized or self.table.model() is None:
            return
        self._sizing = True
        try:
            fit_columns(self.table, self.name_column, self.widest)
        finally:
            self._sizing = False

    def _section_resized(self, logical: int, *_args: Any) -> None:
        header = self.table.horizontalHeader()
        if logical == header.count() - 1 and header.stretchLastSection():
            return  # the stretched last column follows the list's width: not the user's doing
        if not self._sizing:
            self.user_sized = True

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802
        if event.type() == QEvent.Type.Resize and watched is self.table.viewport():
            self._timer.start()
        return super().eventFilter(watched, event)
