"""The main window: the list of partnerships on the open database."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from PySide6.QtCore import QEvent, QObject, QTimer, Signal
from PySide6.QtGui import QAction, QKeySequence, QPaintEvent
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHeaderView,
    QLabel,
    QMainWindow,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from chinadialog_desktop import APP_NAME
from chinadialog_desktop.i18n import _, ngettext
from chinadialog_desktop.ui.partnership_model import PartnershipTableModel

MIN_COLUMN_WIDTH = 90


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


class MainWindow(QMainWindow):
    """Shows at once with an empty list; ``show_partnerships`` fills it once the data is there.

    ``sig_first_paint`` fires after the first complete frame,
    ``sig_list_filled`` after the first frame that shows the loaded list.
    """

    sig_first_paint = Signal()
    sig_list_filled = Signal()

    def __init__(self, database_path: Path, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.database_path = database_path
        self.model: PartnershipTableModel | None = None
        self._painted = False
        self._list_pending = False

        self.setObjectName("mainWindow")
        self.setWindowTitle(_("Partnerships – {app}").format(app=APP_NAME))
        self.setAccessibleName(_("ChinaDialog Desktop main window"))
        self.resize(1120, 680)

        self._build_menu()
        self._build_central()
        self._build_status_bar()

    # -- construction ----------------------------------------------------
    def _build_menu(self) -> None:
        bar = self.menuBar()
        bar.setObjectName("menuBar")
        bar.setAccessibleName(_("Menu bar"))
        file_menu = bar.addMenu(_("&File"))
        file_menu.setObjectName("fileMenu")
        file_menu.setAccessibleName(_("File"))
        self.action_quit = QAction(_("&Quit"), self)
        self.action_quit.setObjectName("actionQuit")
        self.action_quit.setShortcut(QKeySequence(QKeySequence.StandardKey.Quit))
        self.action_quit.setStatusTip(_("Close ChinaDialog Desktop"))
        self.action_quit.triggered.connect(self.close)
        file_menu.addAction(self.action_quit)

    def _build_central(self) -> None:
        central = QWidget(self)
        central.setObjectName("centralWidget")
        layout = QVBoxLayout(central)
        layout.setContentsMargins(8, 8, 8, 0)

        self.heading = QLabel(_("Partnerships"), central)
        self.heading.setObjectName("partnershipsHeading")
        font = self.heading.font()
        font.setPointSizeF(font.pointSizeF() * 1.25)
        font.setBold(True)
        self.heading.setFont(font)
        layout.addWidget(self.heading)

        self.empty_hint = QLabel(central)
        self.empty_hint.setObjectName("emptyHint")
        self.empty_hint.setWordWrap(True)
        self.empty_hint.setText(
            _(
                "No partnerships in this database yet. To try the app with sample data, "
                "run: chinadialog demo load"
            )
        )
        self.empty_hint.hide()
        layout.addWidget(self.empty_hint)

        self.table = QTableView(central)
        self.table.setObjectName("partnershipTable")
        self.table.setAccessibleName(_("Partnerships"))
        self.table.setAccessibleDescription(
            _("List of partnerships: title, German party, Chinese party, type, status, since")
        )
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setAlternatingRowColors(True)
        self.table.setWordWrap(False)
        self.table.verticalHeader().hide()
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        header.setStretchLastSection(True)
        self.heading.setBuddy(self.table)
        layout.addWidget(self.table, 1)
        self.table.viewport().installEventFilter(self)
        self.setCentralWidget(central)
        self.table.setFocus()

    def _build_status_bar(self) -> None:
        status = self.statusBar()
        status.setObjectName("statusBar")
        status.setAccessibleName(_("Status bar"))
        self.count_label = QLabel(_("Opening the database …"), status)
        self.count_label.setObjectName("countLabel")
        self.count_label.setAccessibleName(_("Number of partnerships"))
        status.addWidget(self.count_label)
        self.path_label = QLabel(str(self.database_path), status)
        self.path_label.setObjectName("databasePathLabel")
        self.path_label.setAccessibleName(_("Database file"))
        self.path_label.setToolTip(_("Database file: {path}").format(path=self.database_path))
        status.addPermanentWidget(self.path_label)

    # -- filling ---------------------------------------------------------
    def show_partnerships(self, model: PartnershipTableModel) -> None:
        """Attach the list model; the view then reads the first visible batch."""
        self.model = model
        model.setParent(self)
        self.table.setModel(model)
        model.modelReset.connect(self._update_count)
        model.rowsInserted.connect(self._update_count)
        model.rowsRemoved.connect(self._update_count)
        self._size_columns()
        self._update_count()
        self._list_pending = True
        self.table.viewport().update()

    def _size_columns(self) -> None:
        """Fit the columns to their contents, narrowing the widest ones to fit the window."""
        header = self.table.horizontalHeader()
        header.setStretchLastSection(False)  # sized by hand, the last column would not stretch
        # Only the rows in view are measured, so this stays cheap for long lists.
        self.table.resizeColumnsToContents()
        widths = [header.sectionSize(c) for c in range(header.count())]
        cap = fitting_cap(widths, self.table.viewport().width(), MIN_COLUMN_WIDTH)
        if cap is not None:
            for section, width in enumerate(widths):
                if width > cap:
                    header.resizeSection(section, cap)
        header.setStretchLastSection(True)

    def _update_count(self, *_args: Any) -> None:
        n = self.model.rowCount() if self.model is not None else 0
        self.count_label.setText(ngettext("{n} partnership", "{n} partnerships", n).format(n=n))
        self.empty_hint.setVisible(n == 0)

    def show_error(self, message: str) -> None:
        self.count_label.setText(message)

    # -- milestones ------------------------------------------------------
    def paintEvent(self, event: QPaintEvent) -> None:  # noqa: N802
        super().paintEvent(event)
        if not self._painted:
            self._painted = True
            # Children paint after their parent; the frame is complete once the
            # event loop is idle again.
            QTimer.singleShot(0, self.sig_first_paint.emit)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802
        if (
            self._list_pending
            and event.type() == QEvent.Type.Paint
            and watched is self.table.viewport()
        ):
            self._list_pending = False
            QTimer.singleShot(0, self.sig_list_filled.emit)
        return super().eventFilter(watched, event)
