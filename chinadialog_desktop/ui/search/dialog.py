"""The "search everything" dialog (Ctrl+F): one box, results grouped by kind, Enter opens.

Wiring (main window)::

    dialog = SearchDialog(database, parent)        # persistence.database.Database
    dialog.sig_open.connect(window.open_record)    # (kind, id) of a record with a page
    dialog.show()

``sig_open(kind, record_id)`` names the record to show: an activity hit opens
its partnership, a contact hit its actor, a register entry (visit, gift, counterpart
contact, incident) its partnership (``services.search.open_target``).
After switching files call ``dialog.set_database(new_database)``; a parent
with a ``sig_database_changed(database)`` signal is followed automatically.
``sig_open_record(kind, record_id)`` carries the hit itself (kind may be
"activity" or "contact"), for a window that can show those directly. After
opening, the dialog hides; showing it again keeps the last query selected.
"""

from __future__ import annotations

import html
from typing import Any

from PySide6.QtCore import QEvent, QModelIndex, QObject, QPersistentModelIndex, Qt, QTimer, Signal
from PySide6.QtGui import (
    QKeyEvent,
    QPainter,
    QPalette,
    QStandardItem,
    QStandardItemModel,
    QTextDocument,
)
from PySide6.QtWidgets import (
    QAbstractItemView,
    QApplication,
    QDialog,
    QHeaderView,
    QLabel,
    QLineEdit,
    QStyle,
    QStyledItemDelegate,
    QStyleOptionViewItem,
    QTreeView,
    QVBoxLayout,
    QWidget,
)

from chinadialog_desktop.i18n import _
from chinadialog_desktop.services import unit
from chinadialog_desktop.services.search import SearchResults, open_target, search
from chinadialog_desktop.ui.common.screen_fit import resize_to_fit

KIND_ROLE = Qt.ItemDataRole.UserRole
ID_ROLE = Qt.ItemDataRole.UserRole + 1
MATCH_ROLE = Qt.ItemDataRole.UserRole + 2  # (start, end) of the match inside the snippet
DEBOUNCE_MS = 150


class SnippetDelegate(QStyledItemDelegate):
    """Draws a snippet with the matched text in bold (plain text, escaped: never markup)."""

    def paint(
        self,
        painter: QPainter,
        option: QStyleOptionViewItem,
        index: QModelIndex | QPersistentModelIndex,
    ) -> None:
        match = index.data(MATCH_ROLE)
        if not match:
            super().paint(painter, option, index)
            return
        opt = QStyleOptionViewItem(option)
        self.initStyleOption(opt, index)
        text, opt.text = opt.text, ""
        style = opt.widget.style() if opt.widget is not None else QApplication.style()
        style.drawControl(QStyle.ControlElement.CE_ItemViewItem, opt, painter, opt.widget)
        start, end = int(match[0]), int(match[1])
        selected = bool(opt.state & QStyle.StateFlag.State_Selected)
        role = QPalette.ColorRole.HighlightedText if selected else QPalette.ColorRole.Text
        colour = opt.palette.color(role).name()
        doc = QTextDocument()
        doc.setDefaultFont(opt.font)
        doc.setDocumentMargin(0)
        doc.setHtml(
            f'<span style="color:{colour}; white-space:pre">{html.escape(text[:start])}'
            f"<b>{html.escape(text[start:end])}</b>{html.escape(text[end:])}</span>"
        )
        rect = style.subElementRect(QStyle.SubElement.SE_ItemViewItemText, opt, opt.widget)
        margin = style.pixelMetric(QStyle.PixelMetric.PM_FocusFrameHMargin, None, opt.widget) + 1
        rect.adjust(margin, 0, -margin, 0)
        painter.save()
        painter.setClipRect(rect)
        painter.translate(rect.left(), rect.top() + (rect.height() - doc.size().height()) / 2)
        doc.drawContents(painter)
        painter.restore()


class SearchDialog(QDialog):
    """Searches as the user types (after a short pause) or at once on Enter."""

    sig_open = Signal(str, int)
    sig_open_record = Signal(str, int)

    def __init__(self, database: Any, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.database = database
        self.results: SearchResults | None = None
        self._searched = ""
        self.setObjectName("searchDialog")
        resize_to_fit(self, 760, 520)

        self.edit = QLineEdit(self)
        self.edit.setObjectName("searchEdit")
        self.edit.setClearButtonEnabled(True)
        self.edit.installEventFilter(self)

        self.model = QStandardItemModel(0, 3, self)
        self.model.setObjectName("searchResultsModel")
        self.tree = QTreeView(self)
        self.tree.setObjectName("searchResults")
        self.tree.setModel(self.model)
        self.tree.setRootIsDecorated(True)
        self.tree.setUniformRowHeights(True)
        self.tree.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.tree.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        header = self.tree.header()
        header.setStretchLastSection(True)
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.Interactive)
        self.tree.setColumnWidth(0, 300)
        self.tree.setColumnWidth(1, 140)
        self.snippets = SnippetDelegate(self.tree)
        self.tree.setItemDelegateForColumn(2, self.snippets)
        self.tree.activated.connect(self._activated)
        self.tree.doubleClicked.connect(self._activated)
        self.tree.installEventFilter(self)

        self.status = QLabel(self)
        self.status.setObjectName("searchStatus")
        self.status.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)

        layout = QVBoxLayout(self)
        layout.addWidget(self.edit)
        layout.addWidget(self.tree, 1)
        layout.addWidget(self.status)

        self.timer = QTimer(self)
        self.timer.setObjectName("searchTimer")
        self.timer.setSingleShot(True)
        self.timer.setInterval(DEBOUNCE_MS)
        self.timer.timeout.connect(self.run_search)
        self.edit.textChanged.connect(lambda _t: self.timer.start())

        self.retranslate_ui()
        # A window that switches files announces it; follow it (see the module docstring).
        changed = getattr(parent, "sig_database_changed", None)
        if changed is not None:
            changed.connect(self.set_database)

    # -- texts -------------------------------------------------------------
    def retranslate_ui(self) -> None:
        self.setWindowTitle(_("Search everything"))
        self.setAccessibleName(_("Search everything"))
        self.edit.setPlaceholderText(
            _("Search partnerships, actors, activities, contacts, sources, dossiers, registers …")
        )
        self.edit.setAccessibleName(_("Search text"))
        self.edit.setToolTip(
            _("Umlauts, pinyin with or without tones and Chinese characters are all found.")
        )
        self.tree.setAccessibleName(_("Search results"))
        self.model.setHorizontalHeaderLabels([_("Title"), _("Details"), _("Found in")])
        self.status.setAccessibleName(_("Search status"))
        if self.results is not None:
            self._show(self.results)

    def changeEvent(self, event: QEvent) -> None:  # noqa: N802
        if event.type() == QEvent.Type.LanguageChange:
            self.retranslate_ui()
        super().changeEvent(event)

    def set_database(self, database: Any) -> None:
        """Search another database from now on (after File → Open); clears the results."""
        self.database = database
        self.results = None
        self._searched = ""
        self.model.removeRows(0, self.model.rowCount())
        self.status.setText("")
        if self.edit.text().strip():
            self.run_search()

    # -- searching -----------------------------------------------------------
    def set_query(self, value: str) -> None:
        """Put ``value`` into the box and search at once (tests, and "search for this")."""
        self.edit.setText(value)
        self.run_search()

    def run_search(self) -> None:
        self.timer.stop()
        value = self.edit.text().strip()
        if value == self._searched and self.results is not None:
            return
        self._searched = value
        if not value:
            self.results = None
            self.model.removeRows(0, self.model.rowCount())
            self.status.setText("")
            return
        self.results = unit.read(self.database, lambda s: search(s, value))
        self._show(self.results)

    def _show(self, results: SearchResults) -> None:
        self.model.removeRows(0, self.model.rowCount())
        for group in results.groups:
            count = f"{group.total}+" if group.more else str(group.total)
            top = QStandardItem(f"{group.label} ({count})")
            font = top.font()
            font.setBold(True)
            top.setFont(font)
            top.setFlags(Qt.ItemFlag.ItemIsEnabled)
            spacer = [QStandardItem(""), QStandardItem("")]
            for cell in spacer:
                cell.setFlags(Qt.ItemFlag.ItemIsEnabled)
            for hit in group.hits:
                cells = [QStandardItem(hit.title), QStandardItem(hit.subtitle)]
                cells.append(QStandardItem(hit.snippet))
                for cell in cells:
                    cell.setFlags(Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable)
                    cell.setToolTip(cell.text())
                cells[0].setData(hit.kind, KIND_ROLE)
                cells[0].setData(hit.record_id, ID_ROLE)
                if hit.match is not None:
                    cells[2].setData(list(hit.match), MATCH_ROLE)
                top.appendRow(cells)
            self.model.appendRow([top, *spacer])
            self.tree.setExpanded(top.index(), True)
        if not results.groups:
            self.status.setText(_("Nothing found for “{query}”.").format(query=results.query))
            return
        shown = sum(len(g.hits) for g in results.groups)
        self.status.setText(
            _("{shown} of {total} hits shown. Enter opens the selected hit.").format(
                shown=shown, total=results.count
            )
        )
        first = self.first_hit()
        if first.isValid():
            self.tree.setCurrentIndex(first)

    def first_hit(self) -> QModelIndex:
        for row in range(self.model.rowCount()):
            top = self.model.index(row, 0)
            if self.model.rowCount(top):
                return self.model.index(0, 0, top)
        return QModelIndex()

    def hits(self) -> dict[str, list[str]]:
        """Group heading → titles shown, as on screen."""
        out = {}
        for row in range(self.model.rowCount()):
            top = self.model.index(row, 0)
            out[str(top.data())] = [
                str(self.model.index(i, 0, top).data()) for i in range(self.model.rowCount(top))
            ]
        return out

    # -- opening ------------------------------------------------------------
    def open_current(self) -> bool:
        """Open the selected hit (or the first one); False if there is none."""
        if self.timer.isActive() or self.edit.text().strip() != self._searched:
            self.run_search()
        index = self.tree.currentIndex().siblingAtColumn(0)
        if not index.isValid() or index.data(KIND_ROLE) is None:
            index = self.first_hit()
        if not index.isValid():
            return False
        self._activated(index)
        return True

    def _activated(self, index: QModelIndex) -> None:
        index = index.siblingAtColumn(0)
        kind = index.data(KIND_ROLE)
        record_id = index.data(ID_ROLE)
        if kind is None or record_id is None:
            self.tree.setExpanded(index, not self.tree.isExpanded(index))
            return
        target = unit.read(self.database, lambda s: open_target(s, str(kind), int(record_id)))
        self.sig_open_record.emit(str(kind), int(record_id))
        if target is not None:
            self.sig_open.emit(target[0], target[1])
        self.hide()

    # -- keys ---------------------------------------------------------------
    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802
        if event.type() == QEvent.Type.KeyPress and isinstance(event, QKeyEvent):
            key = event.key()
            if key in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
                self.open_current()
                return True
            if watched is self.edit and key == Qt.Key.Key_Down:
                if self.timer.isActive():
                    self.run_search()
                self.tree.setFocus(Qt.FocusReason.OtherFocusReason)
                if not self.tree.currentIndex().isValid() and self.first_hit().isValid():
                    self.tree.setCurrentIndex(self.first_hit())
                return True
        return super().eventFilter(watched, event)

    def showEvent(self, event: Any) -> None:  # noqa: N802
        super().showEvent(event)
        self.edit.setFocus(Qt.FocusReason.ShortcutFocusReason)
        self.edit.selectAll()
