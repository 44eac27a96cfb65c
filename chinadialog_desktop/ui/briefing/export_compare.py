"""The recorded exports of a dossier, and what changed between two of them, grouped."""

from __future__ import annotations

import re
from datetime import datetime
from typing import Any

from PySide6.QtCore import (
    QAbstractTableModel,
    QEvent,
    QItemSelectionModel,
    QModelIndex,
    QPersistentModelIndex,
    Qt,
    Signal,
)
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QDialogButtonBox,
    QHeaderView,
    QLabel,
    QPushButton,
    QSplitter,
    QTableView,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from chinadialog_desktop.domain.briefing_terms import TERMS
from chinadialog_desktop.errors import UserError
from chinadialog_desktop.i18n import N_, _, language
from chinadialog_desktop.services.briefing.export import compare_exports, export_rows
from chinadialog_desktop.services.records import edit as records
from chinadialog_desktop.ui.briefing.options import describe
from chinadialog_desktop.ui.common.retranslate import Texts
from chinadialog_desktop.ui.common.screen_fit import resize_to_fit

COLUMNS = (N_("Exported"), N_("By"), N_("Options"), N_("Pages"), N_("SHA-256"), N_("File"))

# Groups of the comparison, in the order of the briefing; a line belongs to the first
# group one of whose templates it matches (the specific templates come first).
GROUPS: tuple[tuple[str, str, tuple[str, ...]], ...] = (
    (
        "assessments",
        N_("Assessments and answers"),
        (
            "chg_assessment_added",
            "chg_assessment_removed",
            "chg_overall",
            "chg_field_light",
            "chg_field_score",
            "chg_answer",
            "chg_evidence",
        ),
    ),
    (
        "text",
        N_("Header and text"),
        (
            "chg_header",
            "chg_body_added",
            "chg_body_removed",
            "chg_body_field",
            "chg_body_order",
            "chg_section_added",
            "chg_section_removed",
            "chg_section_text",
        ),
    ),
    (
        "sources",
        N_("Sources and screening"),
        ("chg_source_added", "chg_source_removed", "chg_screening"),
    ),
    (
        "partnerships",
        N_("Partnerships and activities"),
        (
            "chg_partnership_added",
            "chg_partnership_removed",
            "chg_activity_added",
            "chg_activity_removed",
            "chg_activity_changed",
            "chg_partnership_field",
        ),
    ),
)
GROUP_ORDER = ("text", "partnerships", "assessments", "sources", "other")

AnyIndex = QModelIndex | QPersistentModelIndex


def _pattern(template: str) -> re.Pattern[str]:
    parts = re.split(r"\{\w+\}", template)
    return re.compile(".+?".join(re.escape(p) for p in parts), re.DOTALL)


def group_lines(lines: list[str], lang: str) -> dict[str, list[str]]:
    """The comparison lines by group key (see ``GROUPS``; "other" for the rest), order kept."""
    index = 0 if lang == "de" else 1
    patterns = [(key, _pattern(TERMS[term][index])) for key, _t, terms in GROUPS for term in terms]
    grouped: dict[str, list[str]] = {}
    for line in lines:
        key = next((k for k, p in patterns if p.fullmatch(line)), "other")
        grouped.setdefault(key, []).append(line)
    return grouped


def group_title(key: str) -> str:
    titles = {k: t for k, t, _terms in GROUPS}
    return _(titles.get(key, N_("Other changes")))


def format_moment(iso: str) -> str:
    """A stored UTC moment in local time: 25.11.2026 14:03:27 (ISO-like in English)."""
    moment = datetime.fromisoformat(iso)
    local = moment.astimezone() if moment.tzinfo is not None else moment
    return local.strftime("%d.%m.%Y %H:%M:%S" if language() == "de" else "%Y-%m-%d %H:%M:%S")


class ExportsModel(QAbstractTableModel):
    """The rows of ``export_rows``, newest first."""

    def __init__(self, rows: list[dict[str, Any]], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.rows = rows

    def set_rows(self, rows: list[dict[str, Any]]) -> None:
        self.beginResetModel()
        self.rows = rows
        self.endResetModel()

    def retranslate(self) -> None:
        """Column titles and cell texts in the language now active."""
        self.headerDataChanged.emit(Qt.Orientation.Horizontal, 0, len(COLUMNS) - 1)
        if self.rows:
            self.dataChanged.emit(
                self.index(0, 0), self.index(len(self.rows) - 1, len(COLUMNS) - 1)
            )

    def rowCount(self, parent: AnyIndex = QModelIndex()) -> int:  # noqa: N802, B008
        return 0 if parent.isValid() else len(self.rows)

    def columnCount(self, parent: AnyIndex = QModelIndex()) -> int:  # noqa: N802, B008
        return 0 if parent.isValid() else len(COLUMNS)

    def data(self, index: AnyIndex, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or index.row() >= len(self.rows):
            return None
        row = self.rows[index.row()]
        column = index.column()
        if role == Qt.ItemDataRole.DisplayRole:
            if column == 0:
                return format_moment(row["exported_at"])
            if column == 1:
                return row["user"] or ""
            if column == 2:
                return describe(row["options"] or {})
            if column == 3:
                # A Word export has no page count of its own (0): Word lays the pages out.
                return str(row["page_count"]) if row["page_count"] else "–"
            if column == 4:
                return (row["sha256"] or "")[:12]
            if column == 5:
                return row["file_name"] or _("(printed)")
        if role == Qt.ItemDataRole.ToolTipRole and column == 4:
            return row["sha256"]
        if role == Qt.ItemDataRole.TextAlignmentRole and column == 3:
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        if role == Qt.ItemDataRole.UserRole:
            return row["id"]
        return None

    def headerData(  # noqa: N802
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        if (
            role == Qt.ItemDataRole.DisplayRole
            and orientation == Qt.Orientation.Horizontal
            and 0 <= section < len(COLUMNS)
        ):
            return _(COLUMNS[section])
        return None


class ExportCompareDialog(QDialog):
    """Lists a dossier's exports; "Compare" shows what changed between the two selected.

    With one export selected, it is compared with the export before it.
    ``sig_compared(lines)`` after each comparison.
    """

    sig_compared = Signal(list)

    def __init__(self, window: Any, dossier_id: int) -> None:
        super().__init__(window)
        self.main_window = window
        self.workspace = window.workspace
        self.dossier_id = dossier_id
        self.lines: list[str] = []
        title = self.workspace.read(lambda s: records.get_dossier(s, dossier_id).title)
        self.setObjectName("exportCompare")
        self.title = title
        self.texts = Texts()
        self._shown: tuple[list[str], dict[str, Any], dict[str, Any]] | None = None
        self._lang = language()
        self.texts.set(self, "setAccessibleName", N_("Compare earlier exports"))
        self.setWindowTitle(_("Exports of “{title}”").format(title=title))
        resize_to_fit(self, 900, 640)

        layout = QVBoxLayout(self)
        hint = QLabel(self)
        self.texts.set(
            hint,
            "setText",
            N_(
                "Select two exports to compare them, or one to "
                "compare it with the export before it."
            ),
        )
        hint.setObjectName("exportCompareHint")
        hint.setWordWrap(True)
        layout.addWidget(hint)
        splitter = QSplitter(Qt.Orientation.Vertical, self)
        splitter.setObjectName("exportCompareSplitter")
        layout.addWidget(splitter, 1)
        self.model = ExportsModel([], self)
        self.table = QTableView(splitter)
        self.table.setObjectName("exportTable")
        self.texts.set(self.table, "setAccessibleName", N_("Recorded exports"))
        self.table.setModel(self.model)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.ExtendedSelection)
        self.table.setAlternatingRowColors(True)
        self.table.verticalHeader().hide()
        self.table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        self.table.horizontalHeader().setStretchLastSection(True)
        self.table.selectionModel().selectionChanged.connect(self._selection_changed)
        self.table.doubleClicked.connect(lambda _i: self.compare())
        lower = QWidget(splitter)
        lower.setObjectName("exportCompareResult")
        lower_layout = QVBoxLayout(lower)
        lower_layout.setContentsMargins(0, 0, 0, 0)
        self.result_title = QLabel(lower)
        self.result_title.setObjectName("exportCompareSummary")
        self.result_title.setWordWrap(True)
        self.result_title.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        lower_layout.addWidget(self.result_title)
        self.tree = QTreeWidget(lower)
        self.tree.setObjectName("exportComparison")
        self.texts.set(self.tree, "setAccessibleName", N_("Changes between the two exports"))
        self.tree.setHeaderHidden(True)
        self.tree.setWordWrap(True)
        lower_layout.addWidget(self.tree, 1)
        splitter.addWidget(self.table)
        splitter.addWidget(lower)
        splitter.setSizes([240, 400])

        buttons = QDialogButtonBox(self)
        buttons.setObjectName("exportCompareButtons")
        self.compare_button = QPushButton(self)
        self.texts.set(self.compare_button, "setText", N_("&Compare"))
        self.compare_button.setObjectName("exportCompareButton")
        self.texts.set(self.compare_button, "setAccessibleName", N_("Compare the selected exports"))
        self.compare_button.setDefault(True)
        self.compare_button.clicked.connect(lambda _c=False: self.compare())
        buttons.addButton(self.compare_button, QDialogButtonBox.ButtonRole.ActionRole)
        close = buttons.addButton(QDialogButtonBox.StandardButton.Close)
        close.setObjectName("exportCompareClose")
        self.texts.set(close, "setAccessibleName", N_("Close"))
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)
        self.reload()

    def reload(self) -> None:
        """Read the exports again (e.g. after a new one was recorded)."""
        if self.main_window.workspace is not self.workspace:
            return
        rows = self.workspace.read(
            lambda s: export_rows(s, records.get_dossier(s, self.dossier_id))
        )
        self.model.set_rows(rows)
        if not rows:
            self.result_title.setText(_("This dossier has not been exported yet."))
        self._selection_changed()

    def select(self, *rows: int) -> None:
        """Select the given rows of the list (0 is the newest export)."""
        selection = self.table.selectionModel()
        selection.clearSelection()
        flags = QItemSelectionModel.SelectionFlag.Select | QItemSelectionModel.SelectionFlag.Rows
        for row in rows:
            selection.select(self.model.index(row, 0), flags)

    def _pair(self) -> tuple[int, int] | None:
        """The rows to compare as (older, newer), or None."""
        chosen = sorted({i.row() for i in self.table.selectionModel().selectedRows()})
        if len(chosen) == 2:
            return chosen[1], chosen[0]
        if len(chosen) == 1 and chosen[0] + 1 < self.model.rowCount():
            return chosen[0] + 1, chosen[0]
        return None

    def _selection_changed(self, *_args: Any) -> None:
        self.compare_button.setEnabled(self._pair() is not None)

    def compare(self) -> list[str] | None:
        pair = self._pair()
        if pair is None or self.main_window.workspace is not self.workspace:
            return None
        older, newer = (self.model.rows[r] for r in pair)
        lang = language()
        try:
            lines: list[str] = self.workspace.read(
                lambda s: compare_exports(s, older["id"], newer["id"], lang)
            )
        except UserError as exc:
            self.result_title.setText(str(exc))
            return None
        self.lines = lines
        self._lang = lang
        self._show(lines, lang, older, newer)
        self.sig_compared.emit(lines)
        return lines

    def _show(
        self, lines: list[str], lang: str, older: dict[str, Any], newer: dict[str, Any]
    ) -> None:
        self._shown = (lines, older, newer)
        self.result_title.setText(
            _("From the export of {old} to the export of {new}: {count} changes").format(
                old=format_moment(older["exported_at"]),
                new=format_moment(newer["exported_at"]),
                count=len(lines),
            )
        )
        self.tree.clear()
        if not lines:
            QTreeWidgetItem(self.tree, [_("No changes: both exports say the same.")])
            return
        grouped = group_lines(lines, lang)
        for key in GROUP_ORDER:
            members = grouped.get(key)
            if not members:
                continue
            top = QTreeWidgetItem(self.tree, [f"{group_title(key)} ({len(members)})"])
            font = top.font(0)
            font.setBold(True)
            top.setFont(0, font)
            top.setData(0, Qt.ItemDataRole.UserRole, key)
            for line in members:
                item = QTreeWidgetItem(top, [line])
                item.setToolTip(0, line)
            top.setExpanded(True)

    def changeEvent(self, event: QEvent) -> None:  # noqa: N802
        """A language switch: labels, column titles and the comparison's headings anew.

        The change lines stay in the language they were compared in.
        """
        if event.type() == QEvent.Type.LanguageChange and hasattr(self, "texts"):
            self.texts.apply()
            self.setWindowTitle(_("Exports of “{title}”").format(title=self.title))
            self.model.retranslate()
            if self._shown is not None:
                lines, older, newer = self._shown
                self._show(lines, self._lang, older, newer)
        super().changeEvent(event)

    def group_texts(self) -> dict[str, list[str]]:
        """What the tree shows: group key → its lines (for tests and screen readers)."""
        shown: dict[str, list[str]] = {}
        for i in range(self.tree.topLevelItemCount()):
            top = self.tree.topLevelItem(i)
            if top is None:
                continue
            key = top.data(0, Qt.ItemDataRole.UserRole) or ""
            shown[key] = [
                child.text(0) for child in map(top.child, range(top.childCount())) if child
            ]
        return shown


__all__ = ["ExportCompareDialog", "ExportsModel", "group_lines"]
