"""One workspace page: filter row and list on the left, the selected record's editor on the right.

Built before the database opens (the first frame shows an empty list), so
this module must not import SQLAlchemy; ``attach`` brings model and editor.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable, Sequence
from enum import StrEnum
from typing import Any

from PySide6.QtCore import QByteArray, QEvent, QItemSelectionModel, QObject, Qt, QTimer, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QGridLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QSplitter,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from chinadialog_desktop.domain.labels import GLOSSARY_KINDS, LABELS, label
from chinadialog_desktop.i18n import _
from chinadialog_desktop.ui.common.column_fit import fit_columns
from chinadialog_desktop.ui.records.table_model import BATCH_SIZE, ID_ROLE, RecordTableModel

FILTERS_PER_ROW = 3
# While no record is open the editor side shows one hint sentence: it keeps this much of
# the width (the hint wraps into a few lines) and the list gets the rest, so its columns
# and headers can be read whole at 1024 pixels; opening a record gives the editor back
# its own width (the user's, as saved).
EMPTY_EDITOR_WIDTH = 240


@dataclasses.dataclass(frozen=True)
class FilterSpec:
    """A choice filter: values from an enum, or loaded from the database (``values``)."""

    name: str
    label: str
    choices: type[StrEnum] | None = None


class ListPage(QWidget):
    """``sig_current(record_id | None)`` when the selection moves."""

    sig_current = Signal(object)

    def __init__(
        self,
        kind: str,
        prefix: str,
        title: str,
        filters: Sequence[FilterSpec] = (),
        *,
        table_name: str | None = None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.kind = kind
        self.prefix = prefix
        self.title = title
        self.model: RecordTableModel | None = None
        self.editor: Any = None
        self.workspace: Any = None
        self.new_values: Callable[[], dict[str, Any]] | None = None
        self.setObjectName(f"{prefix}Page")

        outer = QVBoxLayout(self)
        outer.setContentsMargins(0, 0, 0, 0)
        self.splitter = QSplitter(Qt.Orientation.Horizontal, self)
        self.splitter.setObjectName(f"{prefix}Splitter")
        self.splitter.setChildrenCollapsible(False)
        outer.addWidget(self.splitter)

        left = QWidget(self.splitter)
        left.setObjectName(f"{prefix}ListSide")
        layout = QVBoxLayout(left)
        layout.setContentsMargins(8, 8, 4, 0)
        self.heading = QLabel(_(title), left)
        self.heading.setObjectName(f"{prefix}Heading")
        font = self.heading.font()
        font.setPointSizeF(font.pointSizeF() * 1.25)
        font.setBold(True)
        self.heading.setFont(font)
        layout.addWidget(self.heading)

        self.filter_edit = QLineEdit(left)
        self.filter_edit.setObjectName(f"{prefix}Filter")
        self.filter_edit.setAccessibleName(_("Filter the list"))
        self.filter_edit.setPlaceholderText(_("Filter …"))
        self.filter_edit.setClearButtonEnabled(True)
        self.filter_edit.textChanged.connect(self._apply_filter)
        layout.addWidget(self.filter_edit)
        # At most three choices side by side, so "Handlungsfeld: alle" is not cut off.
        row = QGridLayout()
        row.setContentsMargins(0, 0, 0, 0)
        self.filter_boxes: dict[str, QComboBox] = {}
        self.filter_specs = {spec.name: spec for spec in filters}
        for spec in filters:
            box = QComboBox(left)
            box.setObjectName(f"{prefix}Filter{spec.name.title().replace('_', '')}")
            box.setAccessibleName(_(spec.label))
            box.setToolTip(_(spec.label))
            box.addItem(_("{what}: all").format(what=_(spec.label)), "")
            if spec.choices is not None and spec.choices not in GLOSSARY_KINDS:
                self._add_choices(box, spec.choices)
            box.setSizeAdjustPolicy(
                QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon
            )
            box.setMinimumContentsLength(5)
            if spec.choices in GLOSSARY_KINDS:
                box.installEventFilter(self)  # fills itself when focused or opened first
            box.currentIndexChanged.connect(self._apply_filter)
            n = len(self.filter_boxes)
            self.filter_boxes[spec.name] = box
            row.addWidget(box, n // FILTERS_PER_ROW, n % FILTERS_PER_ROW)
        if self.filter_boxes:
            for column in range(min(FILTERS_PER_ROW, len(self.filter_boxes))):
                row.setColumnStretch(column, 1)
            layout.addLayout(row)

        self.empty_hint = QLabel(left)
        self.empty_hint.setObjectName(f"{prefix}EmptyHint")
        self.empty_hint.setWordWrap(True)
        self.empty_hint.hide()
        layout.addWidget(self.empty_hint)

        self.table = QTableView(left)
        self.table.setObjectName(table_name or f"{prefix}Table")
        self.table.setAccessibleName(_(title))
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setAlternatingRowColors(True)
        self.table.setWordWrap(False)
        self.table.setTabKeyNavigation(False)  # arrows move between rows, Tab leaves the list
        self.table.setSortingEnabled(False)  # turned on once a model is attached
        self.table.verticalHeader().hide()
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        header.setStretchLastSection(True)
        header.setSortIndicatorShown(True)
        # A caption too long for its column ends in "…" (QHeaderView clips it by default).
        header.setTextElideMode(Qt.TextElideMode.ElideRight)
        # Left-aligned headers keep the start of a cut-off word readable.
        header.setDefaultAlignment(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter)
        # Fitted to a sample: the rows in view and those of the first batch, not Qt's
        # default of 1,000 rows (ten batches read from the database on a long list).
        header.setResizeContentsPrecision(BATCH_SIZE)
        self.heading.setBuddy(self.table)
        layout.addWidget(self.table, 1)
        # Columns follow the list's width until the user sizes one by hand.
        self._sizing = False
        self._user_sized = False
        self._fitted_rows = 0  # rows the columns were last fitted to
        self._fitted_width = -1  # and the list's width then
        header.sectionResized.connect(self._section_resized)
        self._refit = QTimer(self)
        self._refit.setSingleShot(True)
        self._refit.setInterval(0)
        self._refit.timeout.connect(self.size_columns)
        # The list's resizes are watched from ``attach`` on (without a model there is
        # nothing to fit): asking for the viewport before the first frame would make
        # PySide6 set up every widget class of QtWidgets to find its type (~10 ms).

        self.editor_side = QWidget(self.splitter)
        self.editor_side.setObjectName(f"{prefix}EditorSide")
        self.editor_layout = QVBoxLayout(self.editor_side)
        self.editor_layout.setContentsMargins(0, 0, 0, 0)
        self.splitter.addWidget(left)
        self.splitter.addWidget(self.editor_side)
        self.splitter.setStretchFactor(0, 1)
        self.splitter.setStretchFactor(1, 1)
        self.splitter.setSizes([610, 520])  # until the user's own layout is restored
        self.split_by_hand = False  # moved by the user while no record was open
        self._open_sizes: list[int] | None = None  # the division for working on a record
        self.splitter.splitterMoved.connect(self._splitter_moved)
        # Tab runs: filter text → filter choices → list → the editor beside it.
        chain: list[QWidget] = [self.filter_edit, *self.filter_boxes.values(), self.table]
        for first, second in zip(chain, chain[1:], strict=False):
            self.setTabOrder(first, second)

    @staticmethod
    def _add_choices(box: QComboBox, choices: type[StrEnum]) -> None:
        for code in LABELS.get(choices, {}):
            box.addItem(label(choices, code), str(code))

    def fill_glossary_choices(self) -> None:
        """Add the choices named in the glossary file (fields of action), which the page
        leaves out when it is built so that the first frame does not wait for the file.
        Called once the workspace is attached; a box opened or focused earlier fills itself."""
        for name, box in self.filter_boxes.items():
            choices = self.filter_specs[name].choices
            if choices in GLOSSARY_KINDS and box.count() == 1:
                self._add_choices(box, choices)

    def retranslate(self) -> None:
        """Texts in the language now active; the headers follow at their next paint."""
        self.heading.setText(_(self.title))
        self.table.setAccessibleName(_(self.title))
        self.filter_edit.setAccessibleName(_("Filter the list"))
        self.filter_edit.setPlaceholderText(_("Filter …"))
        for name, box in self.filter_boxes.items():
            spec = self.filter_specs[name]
            box.setAccessibleName(_(spec.label))
            box.setToolTip(_(spec.label))
            box.setItemText(0, _("{what}: all").format(what=_(spec.label)))
            if spec.choices is not None:
                for index in range(1, box.count()):
                    box.setItemText(index, label(spec.choices, box.itemData(index)))
        if self.model is not None:
            self.model.headerDataChanged.emit(
                Qt.Orientation.Horizontal, 0, self.model.columnCount() - 1
            )

    # -- attaching ---------------------------------------------------------
    def attach(self, model: RecordTableModel, editor: QWidget | None = None) -> None:
        """Take ``model``; a hidden page gives it to its table (which reads the ids)
        only when first shown or asked to select a record."""
        self.model = model
        model.setParent(self)
        self._bound = False
        self.table.viewport().installEventFilter(self)  # once: Qt does not add it twice
        if editor is not None:
            self.set_editor(editor)
        if self.isVisible() or model.ids_loaded():
            self._bind()

    def set_editor(self, editor: QWidget) -> None:
        """``editor`` beside the list (in the place of the one there before, if any)."""
        old = self.editor
        if old is not None and old is not editor:
            self.editor_layout.replaceWidget(old, editor)
        else:
            self.editor_layout.addWidget(editor)
        self.editor = editor
        shown = getattr(editor, "sig_record_shown", None)
        if shown is not None:  # a record editor: the list gets its room while it is empty
            shown.connect(self._editor_shown)
            self._editor_shown(getattr(editor, "record_id", None) is not None)

    def _bind(self) -> None:
        model = self.model
        if model is None or getattr(self, "_bound", True):
            return
        self._bound = True
        self.table.setModel(model)
        header = self.table.horizontalHeader()
        sort_column = next(
            (n for n, (key, _h) in enumerate(model.columns) if key == model.query.sort), 0
        )
        header.setSortIndicator(
            sort_column,
            Qt.SortOrder.DescendingOrder if model.query.descending else Qt.SortOrder.AscendingOrder,
        )
        self.table.setSortingEnabled(True)  # the header's clicks now sort in SQL
        self.table.selectionModel().currentRowChanged.connect(self._current_changed)
        self.table.selectionModel().selectionChanged.connect(self._selection_changed)
        # A sort or a refresh resets the model; the selected record stays selected.
        model.modelAboutToBeReset.connect(self._remember_selection)
        model.modelReset.connect(self._restore_selection)
        # Columns fitted to an empty list are only as wide as their headers: fit them again
        # when the first rows arrive (demo data, an import, the first new record).
        model.modelReset.connect(self._data_arrived)
        model.rowsInserted.connect(self._data_arrived)
        self._fitted_rows = 0
        self._sized = False
        if self.isVisible():
            self.size_columns()
            self._sized = True

    def showEvent(self, event: Any) -> None:  # noqa: N802
        super().showEvent(event)
        self._bind()
        if getattr(self, "_split_pending", False):  # decided while hidden: now it has sizes
            QTimer.singleShot(0, self, self._apply_split)
        # A page attached while hidden has no width yet to fit its columns into.
        if self.model is not None and not getattr(self, "_sized", True):
            self._sized = True
            self.size_columns()

    def set_filter_values(self, name: str, values: Sequence[tuple[str, str]]) -> None:
        """Fill a data-driven filter (country, province) with (stored value, text) pairs."""
        box = self.filter_boxes.get(name)
        if box is None:
            return
        box.blockSignals(True)
        while box.count() > 1:
            box.removeItem(1)
        for value, text in values:
            box.addItem(text, value)
        box.blockSignals(False)

    def _data_arrived(self, *_args: Any) -> None:
        if self.model is None or self._user_sized or self._fitted_rows > 0:
            return
        if self.model.rowCount() == 0:
            return
        if self.isVisible():
            self._refit.start()
        else:
            self._sized = False  # fitted when the page is shown

    def _section_resized(self, logical: int, *_args: Any) -> None:
        header = self.table.horizontalHeader()
        if logical == header.count() - 1 and header.stretchLastSection():
            return  # the stretched last column follows the list's width: not the user's doing
        if not self._sizing:
            self._user_sized = True

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802
        if event.type() in (QEvent.Type.FocusIn, QEvent.Type.MouseButtonPress) and isinstance(
            watched, QComboBox
        ):
            self.fill_glossary_choices()
        if (
            event.type() == QEvent.Type.Resize
            and self.model is not None  # before asking for the viewport (see attach)
            and watched is self.table.viewport()
            and not self._user_sized
            and self.table.viewport().width() != self._fitted_width  # fitted once per width
        ):
            self._refit.start()
        return super().eventFilter(watched, event)

    def size_columns(self) -> None:
        """Fit the columns to their contents, narrowing the widest ones to fit the list."""
        self._refit.stop()  # a fit already asked for is this one
        self._sizing = True
        try:
            self._fitted_width = self._list_width()
            self._fit_columns()
            self._fitted_rows = self.model.rowCount() if self.model is not None else 0
        finally:
            self._sizing = False

    def _fit_columns(self) -> None:
        fit_columns(self.table, name_column=0, available=self._fitted_width)

    def _list_width(self) -> int:
        """The viewport's width once the rows are laid out: without the vertical scroll
        bar that a long list is about to get (so the columns are not fitted twice)."""
        viewport = self.table.viewport()
        width = viewport.width()
        bar = self.table.verticalScrollBar()
        rows = self.model.rowCount() if self.model is not None else 0
        if (
            not bar.isVisible()
            and self.table.verticalScrollBarPolicy() == Qt.ScrollBarPolicy.ScrollBarAsNeeded
            and rows * self.table.verticalHeader().defaultSectionSize() > viewport.height()
        ):
            width -= bar.sizeHint().width()
        return width

    # -- the editor's width -----------------------------------------------------
    def _editor_shown(self, shown: bool) -> None:
        """Narrow the editor side while it shows no record; its width back on opening one.

        Once the user moves the splitter while no record is open, the page keeps the
        user's division in both cases (``split_by_hand``, saved with the layout)."""
        if shown == getattr(self, "_editor_open", True):
            return
        self._editor_open = shown
        self._apply_split()

    def _apply_split(self) -> None:
        if self.split_by_hand:
            return
        if not self.splitter.isVisible():  # a hidden splitter has no sizes yet: when shown
            self._split_pending = True
            return
        self._split_pending = False
        narrowed = getattr(self, "_narrowed", False)
        if getattr(self, "_editor_open", True):
            if narrowed:
                self._narrowed = False
                self.splitter.setStretchFactor(1, 1)
                if self._open_sizes:
                    self._set_sizes_keeping_total(self._open_sizes)
            return
        if narrowed:
            return
        sizes = self.splitter.sizes()
        total = sum(sizes)
        if total <= 0 or len(sizes) != 2:
            return
        self._open_sizes = sizes
        self._narrowed = True
        self.splitter.setStretchFactor(1, 0)  # a wider window widens the list, not the hint
        narrow = min(sizes[1], max(EMPTY_EDITOR_WIDTH, self.editor_side.minimumSizeHint().width()))
        self.splitter.setSizes([total - narrow, narrow])

    def _set_sizes_keeping_total(self, sizes: list[int]) -> None:
        total, before = sum(self.splitter.sizes()), sum(sizes)
        if total > 0 and before > 0 and total != before:  # the window was resized meanwhile
            sizes = [round(size * total / before) for size in sizes]
        self.splitter.setSizes(sizes)

    def _splitter_moved(self, *_args: Any) -> None:
        """The user's hand on the splitter (``setSizes`` does not emit this)."""
        if getattr(self, "_narrowed", False):
            self.split_by_hand = True
            self._narrowed = False
            self._open_sizes = None
            self.splitter.setStretchFactor(1, 1)

    def restore_layout(self, state: QByteArray, by_hand: bool = False) -> None:
        """The user's splitter (saved with a record open); narrowed again while none is,
        unless the user divided it by hand while none was (``by_hand``)."""
        self.splitter.setStretchFactor(1, 1)
        self.splitter.restoreState(state)
        self._narrowed = False
        self._open_sizes = None
        self.split_by_hand = by_hand
        self._apply_split()

    def layout_state(self) -> QByteArray:
        """The splitter as the user set it for working on a record (what is saved)."""
        if not getattr(self, "_narrowed", False) or not self._open_sizes:
            return self.splitter.saveState()
        sizes = self.splitter.sizes()
        self.splitter.blockSignals(True)
        try:
            self._set_sizes_keeping_total(self._open_sizes)
            return self.splitter.saveState()
        finally:
            self.splitter.setSizes(sizes)
            self.splitter.blockSignals(False)

    def _remember_selection(self) -> None:
        self._kept = self.current_id()

    def _restore_selection(self) -> None:
        kept = getattr(self, "_kept", None)
        if kept is not None:
            self.select_id(kept, notify=False)

    # -- filtering and selection ---------------------------------------------
    def _apply_filter(self, *_args: Any) -> None:
        if self.model is None:
            return
        keep = self.current_id()
        filters = tuple(
            (name, box.currentData())
            for name, box in self.filter_boxes.items()
            if box.currentData()
        )
        self.model.set_query(
            dataclasses.replace(
                self.model.query, text=self.filter_edit.text().strip(), filters=filters
            )
        )
        self.select_id(keep, notify=False)

    def current_id(self) -> int | None:
        """The chosen record: the current row when it is selected (Qt's focus mark on an
        unselected row is no choice, see ``_current_changed``)."""
        index = self.table.currentIndex()
        if not index.isValid() or self.model is None:
            return None
        if not self.table.selectionModel().isRowSelected(index.row()):
            return None
        record_id = index.data(ID_ROLE)
        return int(record_id) if record_id is not None else None

    def select_id(self, record_id: int | None, *, notify: bool = True) -> bool:
        """Select ``record_id`` if the list shows it; tell the editor when ``notify``."""
        if self.model is None:
            return False
        self._bind()
        row = self.model.row_of(record_id) if record_id is not None else None
        selection = self.table.selectionModel()
        if not notify:
            selection.blockSignals(True)
        if row is None:
            selection.clearCurrentIndex()
            self.table.clearSelection()
        else:
            index = self.model.index(row, 0)
            selection.setCurrentIndex(
                index,
                QItemSelectionModel.SelectionFlag.ClearAndSelect
                | QItemSelectionModel.SelectionFlag.Rows,
            )
            self.table.scrollTo(index)
        if not notify:
            selection.blockSignals(False)
        return row is not None

    def _current_changed(self, current: Any, _previous: Any) -> None:
        """A row chosen by click, key or program opens its record.

        Qt also marks a row current without selecting it when the list gets the keyboard
        focus with no current row (the window brought back to the front, Tab into the
        list, a header click that activates the window): that is no choice and opens
        nothing; choosing the marked row (click, Space) selects it (``_selection_changed``).
        """
        if current.isValid() and not self.table.selectionModel().isRowSelected(current.row()):
            return
        self._open(current)

    def _selection_changed(self, selected: Any, _deselected: Any) -> None:
        """The row marked current by the focus chosen after all (no current change follows)."""
        current = self.table.currentIndex()
        if current.isValid() and selected.contains(current):
            self._open(current)

    def _open(self, current: Any) -> None:
        record_id = current.data(ID_ROLE) if current.isValid() else None
        if self.editor is not None:
            self.editor.load(record_id)
        self.sig_current.emit(record_id)

    # -- changes ------------------------------------------------------------
    def on_changes(self, changes: Sequence[Any]) -> None:
        """Repaint changed rows; re-read the ids when records came or went."""
        if self.model is None:
            return
        structural = False
        for change in changes:
            if change.kind != self.kind:
                if change.action != "update":
                    structural = True  # a linked record came or went (counts, party names)
                else:
                    self.model.refresh_rows()
                continue
            if change.action == "update":
                self.model.invalidate(change.id)
                structural = structural or change.field == self.model.query.sort
            else:
                structural = True
        if structural:
            keep = self.current_id()
            self.model.refresh()
            created = [c for c in changes if c.kind == self.kind and c.action == "create"]
            if len(created) == 1:  # a new or restored record: show it
                self.select_id(created[0].id)
            else:
                self.select_id(keep, notify=False)
