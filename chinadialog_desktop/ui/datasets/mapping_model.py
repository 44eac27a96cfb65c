"""The import's column mapping as a table: header, sample value, target field (editable)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QObject, QPersistentModelIndex, Qt
from PySide6.QtWidgets import QComboBox, QStyledItemDelegate, QStyleOptionViewItem, QWidget

from chinadialog_desktop.i18n import N_, _
from chinadialog_desktop.interchange.problems import ProblemList
from chinadialog_desktop.services.datasets.field_labels import field_label
from chinadialog_desktop.services.datasets.kinds import KindSpec
from chinadialog_desktop.services.datasets.mapping import map_columns

HEADER, SAMPLE, TARGET, STATE = range(4)
COLUMN_TITLES = (N_("Column in the file"), N_("First value"), N_("Field"), N_("How"))
NOT_MAPPED = N_("not mapped (kept with the record)")

Index = QModelIndex | QPersistentModelIndex


def auto_fields(headers: Sequence[str], kind: KindSpec, file: str) -> list[str | None]:
    """The fields the import would choose by itself for ``headers`` as ``kind``."""
    return list(map_columns(headers, kind, {}, ProblemList(), file).fields)


class MappingModel(QAbstractTableModel):
    """One row per column of the file; the field column is editable when ``editable``.

    ``user_map()`` gives what the user changed, in the shape ``ImportOptions.user_map``
    takes (``{"Header": "field"}``, ``""`` for "keep as an extra column").
    """

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.kind: KindSpec | None = None
        self.headers: list[str] = []
        self.samples: list[str] = []
        self.auto: list[str | None] = []
        self.fields: list[str | None] = []
        self.editable = True

    def load(
        self,
        kind: KindSpec | None,
        headers: Sequence[str],
        samples: Sequence[str],
        fields: Sequence[str | None],
        *,
        auto: Sequence[str | None] | None = None,
        editable: bool = True,
    ) -> None:
        self.beginResetModel()
        self.kind = kind
        self.headers = list(headers)
        self.samples = [str(s) for s in samples] + [""] * (len(headers) - len(samples))
        self.fields = list(fields)
        self.auto = list(auto) if auto is not None else list(fields)
        self.editable = editable
        self.endResetModel()

    def label(self, field: str) -> str:
        """What the user reads for ``field``: its caption and its name."""
        return field_label(self.kind.key if self.kind is not None else None, field)

    def choices(self) -> list[str]:
        return self.kind.names if self.kind is not None else []

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008, N802
        return 0 if parent.isValid() else len(self.headers)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008, N802
        return 0 if parent.isValid() else len(COLUMN_TITLES)

    def headerData(  # noqa: N802
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        horizontal = orientation == Qt.Orientation.Horizontal
        if horizontal and role == Qt.ItemDataRole.DisplayRole and 0 <= section < len(COLUMN_TITLES):
            return _(COLUMN_TITLES[section])
        return None

    def _state(self, row: int) -> str:
        field = self.fields[row]
        if field != self.auto[row]:
            return _("changed by you")
        if field is None:
            return _("no matching field: kept with the record")
        return _("recognised automatically")

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or not 0 <= index.row() < len(self.headers):
            return None
        row, col = index.row(), index.column()
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.AccessibleTextRole):
            if col == HEADER:
                return self.headers[row] or _("(column {n} without a name)").format(n=row + 1)
            if col == SAMPLE:
                return self.samples[row]
            if col == TARGET:
                field = self.fields[row]
                return self.label(field) if field else _(NOT_MAPPED)
            if col == STATE:
                return self._state(row)
        if role == Qt.ItemDataRole.EditRole and col == TARGET:
            return self.fields[row] or ""
        return None

    def flags(self, index: Index) -> Qt.ItemFlag:
        if not index.isValid():
            return Qt.ItemFlag.NoItemFlags
        flags = Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable
        if self.editable and index.column() == TARGET and self.headers[index.row()].strip():
            flags |= Qt.ItemFlag.ItemIsEditable
        return flags

    def setData(  # noqa: N802
        self, index: Index, value: Any, role: int = Qt.ItemDataRole.EditRole
    ) -> bool:
        if role != Qt.ItemDataRole.EditRole or not (self.flags(index) & Qt.ItemFlag.ItemIsEditable):
            return False
        field = str(value or "") or None
        if field is not None and field not in self.choices():
            return False
        if self.fields[index.row()] == field:
            return True
        self.fields[index.row()] = field
        self.dataChanged.emit(index, self.index(index.row(), STATE))
        return True

    def user_map(self) -> dict[str, str]:
        """What the user changed: header → field, ``""`` for "not mapped"."""
        return {
            header: field or ""
            for header, field, auto in zip(self.headers, self.fields, self.auto, strict=True)
            if header.strip() and field != auto
        }

    def duplicates(self) -> list[str]:
        """Fields chosen for more than one column (of one table the user maps)."""
        if not self.editable:
            return []
        chosen = [f for f in self.fields if f]
        return sorted({f for f in chosen if chosen.count(f) > 1})


class FieldDelegate(QStyledItemDelegate):
    """A combo box with the kind's fields and "not mapped" for the field column."""

    def createEditor(  # noqa: N802
        self, parent: QWidget, option: QStyleOptionViewItem, index: Index
    ) -> QWidget:
        combo = QComboBox(parent)
        combo.setObjectName(f"mappingCombo_{index.row()}")
        model = index.model()
        header = str(model.index(index.row(), HEADER).data() or "")
        combo.setAccessibleName(_("Field for column {header}").format(header=header))
        combo.addItem(_(NOT_MAPPED), "")
        source = model
        while hasattr(source, "sourceModel"):
            source = source.sourceModel()
        if isinstance(source, MappingModel):
            for name in source.choices():
                combo.addItem(source.label(name), name)
        combo.currentIndexChanged.connect(lambda _i, c=combo: self.commitData.emit(c))
        return combo

    def setEditorData(self, editor: QWidget, index: Index) -> None:  # noqa: N802
        assert isinstance(editor, QComboBox)
        value = index.data(Qt.ItemDataRole.EditRole) or ""
        position = editor.findData(value)
        editor.blockSignals(True)
        editor.setCurrentIndex(max(position, 0))
        editor.blockSignals(False)

    def setModelData(self, editor: QWidget, model: Any, index: Index) -> None:  # noqa: N802
        assert isinstance(editor, QComboBox)
        model.setData(index, editor.currentData(), Qt.ItemDataRole.EditRole)
