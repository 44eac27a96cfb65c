"""The main window: sidebar, one list-and-editor page per record kind, menus and shortcuts.

The window paints before the database opens: the pages and their empty
lists exist at once, ``open_workspace`` attaches models and editors later
(this module imports nothing of SQLAlchemy).
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QByteArray, QEvent, QObject, QSettings, QSize, Qt, QTimer, Signal
from PySide6.QtGui import QAction, QCloseEvent, QKeySequence, QPaintEvent
from PySide6.QtWidgets import (
    QHBoxLayout,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QMainWindow,
    QMenu,
    QStackedWidget,
    QTabWidget,
    QToolBar,
    QVBoxLayout,
    QWidget,
)

from chinadialog_desktop import APP_ID, APP_NAME
from chinadialog_desktop.i18n import N_, _, ngettext
from chinadialog_desktop.ui.common.column_fit import MIN_COLUMN_WIDTH, fitting_cap
from chinadialog_desktop.ui.common.retranslate import Texts
from chinadialog_desktop.ui.common.screen_fit import resize_to_fit
from chinadialog_desktop.ui.preferences.settings import (
    AUTHOR_NAME,
    DEFAULT_CLASSIFICATION,
    Settings,
)
from chinadialog_desktop.ui.records.partnership_model import PartnershipTableModel
from chinadialog_desktop.ui.window.action_registry import ActionRegistry
from chinadialog_desktop.ui.window.list_page import ListPage
from chinadialog_desktop.ui.window.message_bar import MessageBar
from chinadialog_desktop.ui.window.pages import COUNTS, DATASET_PAGES, NEW_TITLES, PAGES, PageSpec

if TYPE_CHECKING:
    from chinadialog_desktop.ui.briefing.actions import BriefingActions
    from chinadialog_desktop.ui.files.recent_files import RecentFilesMenu
    from chinadialog_desktop.ui.help.first_steps import FirstSteps
    from chinadialog_desktop.ui.help.handbook import HelpKey
    from chinadialog_desktop.ui.window.steps import Steps

__all__ = ["MIN_COLUMN_WIDTH", "MainWindow", "fitting_cap", "window_settings"]


def window_settings() -> QSettings:
    """Window layout lives apart from the preferences, in its own file, under ``window/``."""
    return QSettings(QSettings.Format.IniFormat, QSettings.Scope.UserScope, APP_ID, "window-state")


class PageMap(Mapping[str, ListPage]):
    """The window's list pages by kind, each built the first time it is asked for.

    The first frame builds only the partnership list (the page on screen); the
    other pages follow when shown or looked up, or all at once when iterated,
    as the workspace does right after the list's first frame. ``peek`` looks
    without building (an unbuilt page has no model and no editor yet).
    """

    def __init__(self, keys: Sequence[str], build: Callable[[str], None]) -> None:
        self._keys = tuple(keys)
        self._build = build
        self._built: dict[str, ListPage] = {}

    def __getitem__(self, key: str) -> ListPage:
        if key not in self._built:
            if key not in self._keys:
                raise KeyError(key)
            self._build(key)
        return self._built[key]

    def __iter__(self) -> Iterator[str]:
        return iter(self._keys)

    def __len__(self) -> int:
        return len(self._keys)

    def __contains__(self, key: object) -> bool:
        return key in self._keys

    def peek(self, key: str) -> ListPage | None:
        return self._built.get(key)

    def built(self) -> list[tuple[str, ListPage]]:
        """The pages built so far, with their keys (those that can hold anything)."""
        return list(self._built.items())

    def add(self, key: str, page: ListPage) -> None:
        self._built[key] = page


class MainWindow(QMainWindow):
    """Shows at once with empty lists; ``open_workspace`` fills them once the data is there.

    ``sig_first_paint`` fires after the first complete frame,
    ``sig_list_filled`` after the first frame that shows the loaded list.
    """

    sig_first_paint = Signal()
    sig_list_filled = Signal()
    # Everything of an opened database is attached (open_workspace's last step has run).
    sig_attached = Signal()
    sig_database_changed = Signal(object)  # the newly opened persistence Database

    def __init__(
        self,
        database_path: Path,
        parent: QWidget | None = None,
        settings: QSettings | None = None,
        preferences: Settings | None = None,
        *,
        rest_after_first_paint: bool = False,
    ) -> None:
        """``rest_after_first_paint``: what the first frame does not show (``build_rest``)
        is left to the caller, who builds it once that frame is on screen (the start)."""
        super().__init__(parent)
        self.database_path = database_path
        self.settings = settings if settings is not None else window_settings()
        self.preferences = preferences if preferences is not None else Settings(parent=self)
        self.model: PartnershipTableModel | None = None
        self.workspace: Any = None
        # What start-up attaches after the list's first frame (editors, other lists, menus).
        self.pending_attach: Any = None
        self.pages = PageMap([spec.key for spec in (*PAGES, *DATASET_PAGES)], self._build_page)
        self._specs = {spec.key: spec for spec in (*PAGES, *DATASET_PAGES)}
        # Stand-ins in the page stack for the pages not built yet (key, or "datasets").
        self._placeholders: dict[str, QWidget] = {}
        self._datasets_tabs: QTabWidget | None = None
        self._painted = False
        self._list_pending = False
        self._dialogs: dict[str, Any] = {}
        self.index_task: Any = None  # the search index upgrade running in the background
        # Every named command, the window's own and those the parts add (extensions.PARTS).
        self.commands = ActionRegistry()
        # What the parts that install themselves keep on the window (set once, by them).
        self.recent_menu: RecentFilesMenu | None = None  # file_actions
        self.first_steps: FirstSteps | None = None  # first_steps
        self.handbook: HelpKey | None = None  # handbook
        self.briefing_actions: BriefingActions | None = None  # briefing_actions
        self._state_before_full_screen = Qt.WindowState.WindowNoState

        self.texts = Texts()
        self.setObjectName("mainWindow")
        self.setWindowTitle(_("Partnerships – {app}").format(app=APP_NAME))
        self.setAccessibleName(_("ChinaDialog Desktop main window"))
        resize_to_fit(self, 1280, 780)

        self._build_actions()
        self._build_central()
        self._build_menu()
        self._build_toolbar()
        self._build_status_bar()
        self._restore_layout()
        self._rest_built = False
        if not rest_after_first_paint:
            self.build_rest()

    def build_rest(self) -> None:
        """The parts of the window its first frame does not show, built once: the File
        menu's commands (New, Open, Recent files, Backups …), Help → Handbook (F1), the
        first-steps panel (hidden until a database is open) and the names of the toolbar's
        buttons (objectName, accessible name)."""
        if self._rest_built:
            return
        self._rest_built = True
        from chinadialog_desktop.ui.files.file_actions import build_file_menu

        build_file_menu(self)
        from chinadialog_desktop.ui.help import first_steps, handbook

        first_steps.install(self)
        handbook.install(self)  # Hilfe → Handbuch, F1 in every window
        self._name_menu_parts()
        # Not before the first frame: asking Qt for a widget it made (a tool button)
        # makes PySide6 set up every widget class of QtWidgets to find its type (~10 ms).
        self._name_tool_buttons()

    # -- construction ----------------------------------------------------
    def _action(
        self, name: str, text: str, keys: Any = None, slot: Any = None, tip: str = ""
    ) -> QAction:
        action = QAction(self)
        self.texts.set(action, "setText", text)
        action.setObjectName(name)
        if keys is not None:
            if isinstance(keys, list):
                action.setShortcuts(keys)
            else:
                action.setShortcut(QKeySequence(keys))
        if tip:
            self.texts.set(action, "setStatusTip", tip)
        if slot is not None:
            action.triggered.connect(slot)
        self.addAction(action)
        return self.commands.register(action)

    def _build_actions(self) -> None:
        self.action_quit = self._action(
            "actionQuit",
            N_("&Quit"),
            QKeySequence.StandardKey.Quit,
            self.close,
            N_("Close ChinaDialog Desktop"),
        )
        self.action_undo = self._action(
            "actionUndo", N_("&Undo"), QKeySequence.StandardKey.Undo, self.undo
        )
        self.action_redo = self._action(
            "actionRedo",
            N_("&Redo"),
            [QKeySequence("Ctrl+Shift+Z"), QKeySequence("Ctrl+Y")],
            self.redo,
        )
        self.action_new = self._action(
            "actionNew",
            N_("&New record"),
            QKeySequence.StandardKey.New,
            self.new_record,
            N_("Create a new record in the list shown"),
        )
        self.action_delete = self._action(
            "actionDelete",
            N_("&Delete"),
            QKeySequence(Qt.Key.Key_Delete),
            self.delete_current,
            N_("Delete the selected record (asks first; can be undone)"),
        )
        self.action_rename = self._action(
            "actionRename", N_("&Edit title"), QKeySequence(Qt.Key.Key_F2), self.rename_current
        )
        self.action_find = self._action(
            "actionFind", N_("&Find …"), QKeySequence.StandardKey.Find, self.open_search
        )
        self.action_settings = self._action(
            "actionSettings",
            N_("&Settings …"),
            QKeySequence.StandardKey.Preferences,
            self.open_settings,
            N_("Language, appearance, author, classification, backups"),
        )
        self.action_about = self._action("actionAbout", N_("&About ChinaDialog Desktop"), None)
        self.action_about.triggered.connect(self.open_about)
        full_keys = [QKeySequence(Qt.Key.Key_F11)]
        full_keys += [
            k
            for k in QKeySequence.keyBindings(QKeySequence.StandardKey.FullScreen)
            if k not in full_keys
        ]
        self.action_full_screen = self._action(
            "actionFullScreen",
            N_("&Full screen"),
            full_keys,
            self.toggle_full_screen,
            N_("Use the whole screen for the window (F11 again to leave)"),
        )
        self.action_full_screen.setCheckable(True)
        for action in (self.action_undo, self.action_redo, self.action_new, self.action_delete):
            action.setEnabled(False)
        self.page_actions: list[QAction] = []
        for n, spec in enumerate((*PAGES, PageSpec("datasets", N_("Datasets"), "datasets"))):
            action = self._action(
                f"actionPage_{spec.key}", spec.title, QKeySequence(f"Ctrl+{n + 1}")
            )
            action.triggered.connect(lambda _c=False, row=n: self.sidebar.setCurrentRow(row))
            self.page_actions.append(action)

    def _build_menu(self) -> None:
        bar = self.menuBar()
        bar.setObjectName("menuBar")
        bar.setAccessibleName(_("Menu bar"))
        self.file_menu = self._menu("fileMenu", N_("&File"), N_("File"))
        self.file_menu.addAction(self.action_quit)  # New, Open … above it: build_rest
        edit = self._menu("editMenu", N_("&Edit"), N_("Edit"))
        for action in (self.action_undo, self.action_redo):
            edit.addAction(action)
        edit.addSeparator()
        for action in (self.action_new, self.action_rename, self.action_delete):
            edit.addAction(action)
        edit.addSeparator()
        edit.addAction(self.action_find)
        edit.addSeparator()
        edit.addAction(self.action_settings)
        self.edit_menu = edit
        view = self._menu("viewMenu", N_("&View"), N_("View"))
        for action in self.page_actions:
            view.addAction(action)
        view.addSeparator()
        view.addAction(self.action_full_screen)
        self.help_menu = self._menu("helpMenu", N_("&Help"), N_("Help"))
        self.help_menu.addAction(self.action_about)
        self._name_menu_parts()

    def _build_toolbar(self) -> None:
        """The everyday commands with their icons and names, above the lists."""
        bar = QToolBar(self)
        bar.setObjectName("mainToolBar")
        self.texts.set(bar, "setWindowTitle", N_("Toolbar"))
        self.texts.set(bar, "setAccessibleName", N_("Toolbar"))
        bar.setMovable(False)
        bar.setFloatable(False)
        bar.setIconSize(QSize(20, 20))
        bar.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextBesideIcon)
        bar.setContextMenuPolicy(Qt.ContextMenuPolicy.PreventContextMenu)
        for action in (self.action_new, self.action_delete):
            bar.addAction(action)
        bar.addSeparator()
        for action in (self.action_undo, self.action_redo):
            bar.addAction(action)
        bar.addSeparator()
        bar.addAction(self.action_find)
        self.addToolBar(Qt.ToolBarArea.TopToolBarArea, bar)
        self.toolbar = bar  # its buttons are named in build_rest
        from chinadialog_desktop.ui.common.icons import apply_window_icons

        apply_window_icons(self)

    # Commands of the other parts, put on the toolbar once they are installed.
    TOOL_ACTIONS = ("actionBriefingPreview", "actionScreening", "actionImportDataset")

    def add_part_tools(self) -> None:
        """Put the installed parts' main commands on the toolbar (once), all with icons."""
        present = set(self.toolbar.actions())
        named = [self.commands.get(name) for name in self.TOOL_ACTIONS]
        found = [action for action in named if action is not None and action not in present]
        if found:
            self.toolbar.addSeparator()
            for action in found:
                self.toolbar.addAction(action)
        self._name_tool_buttons()
        from chinadialog_desktop.ui.common.icons import apply_window_icons

        apply_window_icons(self)

    def _name_tool_buttons(self) -> None:
        """Every button of the toolbar gets an objectName and an accessible name."""
        for action in self.toolbar.actions():
            button = self.toolbar.widgetForAction(action)
            if button is not None and action.objectName():
                button.setObjectName(action.objectName().replace("action", "toolButton", 1))
                button.setAccessibleName(action.iconText())

    def _menu(self, name: str, title: str, accessible: str) -> QMenu:
        menu = self.menuBar().addMenu("")
        menu.setObjectName(name)
        self.texts.set(menu, "setTitle", title)
        self.texts.set(menu, "setAccessibleName", accessible)
        return menu

    def _name_menu_parts(self) -> None:
        """Name the menu bar's overflow menu, which Qt creates when the window gets narrow."""
        for menu in self.menuBar().findChildren(QMenu):
            if not menu.objectName():
                menu.setObjectName("menuBarOverflowMenu")
                menu.setAccessibleName(_("More menus"))

    def resizeEvent(self, event: Any) -> None:  # noqa: N802
        super().resizeEvent(event)
        self._name_menu_parts()

    def _build_central(self) -> None:
        central = QWidget(self)
        central.setObjectName("centralWidget")
        outer = QVBoxLayout(central)
        outer.setContentsMargins(0, 0, 0, 0)
        outer.setSpacing(0)
        self.message_bar = MessageBar(central)
        self.message_bar.sig_reload.connect(self.reload_current)
        outer.addWidget(self.message_bar)
        # Stays while a read-only file is open: why it cannot be edited, what to do.
        self.readonly_banner = QLabel(central)
        self.readonly_banner.setObjectName("readOnlyBanner")
        self.readonly_banner.setWordWrap(True)
        self.readonly_banner.setStyleSheet(
            "#readOnlyBanner { background: #e8f0fe; color: #102a56; border: 1px solid #7a9cd6;"
            " border-radius: 4px; padding: 6px 10px; }"
        )
        self.readonly_banner.hide()
        outer.addWidget(self.readonly_banner)
        row = QHBoxLayout()
        row.setContentsMargins(0, 0, 0, 0)
        row.setSpacing(0)
        outer.addLayout(row, 1)
        self.sidebar = QListWidget(central)
        self.sidebar.setObjectName("sidebar")
        self.sidebar.setAccessibleName(_("Sections of the workspace"))
        self.sidebar.setFixedWidth(150)
        self.sidebar.setSpacing(2)
        font = self.sidebar.font()
        font.setPointSizeF(font.pointSizeF() * 1.08)
        self.sidebar.setFont(font)
        row.addWidget(self.sidebar)
        self.stack = QStackedWidget(central)
        self.stack.setObjectName("pageStack")
        row.addWidget(self.stack, 1)

        # One sidebar row and one place in the stack per page; the pages themselves are
        # built when first needed (PageMap), the partnership list at once: it is on screen.
        for spec in PAGES:
            self._add_sidebar_item(spec.key, spec.title)
            self._add_placeholder(spec.key)
        self._add_sidebar_item("datasets", N_("Datasets"))
        self._add_placeholder("datasets")
        self._build_page("partnership")

        partnerships = self.pages["partnership"]
        self.table = partnerships.table
        self.heading = partnerships.heading
        self.empty_hint = partnerships.empty_hint
        self.empty_hint.setObjectName("emptyHint")
        self.texts.set(
            self.empty_hint,
            "setText",
            N_(
                "No partnerships in this database yet. The first steps below show the order "
                "of the work; Ctrl+N creates a partnership at once."
            ),
        )
        self.sidebar.currentRowChanged.connect(self._page_changed)
        self.sidebar.setCurrentRow(0)
        self.setCentralWidget(central)
        self.table.setFocus()

    def _add_sidebar_item(self, key: str, title: str) -> None:
        item = QListWidgetItem(self.sidebar)
        self.texts.set(item, "setText", title)
        item.setData(Qt.ItemDataRole.UserRole, key)

    def _add_placeholder(self, key: str) -> None:
        holder = QWidget(self.stack)
        holder.setObjectName(f"{key}PagePlaceholder")
        self._placeholders[key] = holder
        self.stack.addWidget(holder)

    def _build_page(self, key: str) -> None:
        """Build the page of ``key`` (for a dataset page: the datasets tabs with both)."""
        if key in {spec.key for spec in DATASET_PAGES}:
            self._build_datasets()
            return
        spec: PageSpec = self._specs[key]
        page = ListPage(
            spec.key,
            spec.prefix,
            spec.title,
            spec.filters,
            table_name="partnershipTable" if spec.key == "partnership" else None,
            parent=self.stack,
        )
        self.pages.add(key, page)
        self._replace_placeholder(key, page)

    def _build_datasets(self) -> None:
        if self._datasets_tabs is not None:
            return
        datasets = QTabWidget(self.stack)
        datasets.setObjectName("datasetsTabs")
        datasets.setAccessibleName(_("Datasets"))
        for spec in DATASET_PAGES:
            page = ListPage(spec.key, spec.prefix, spec.title, spec.filters, parent=datasets)
            datasets.addTab(page, _(spec.title))
            page.setProperty("tabTitle", spec.title)
            self.pages.add(spec.key, page)
        self._datasets_tabs = datasets
        self._replace_placeholder("datasets", datasets)
        datasets.currentChanged.connect(lambda _i: self._update_count())

    def _replace_placeholder(self, key: str, widget: QWidget) -> None:
        """Put ``widget`` where the stand-in of ``key`` is, keeping the page shown."""
        holder = self._placeholders.pop(key)
        index = self.stack.indexOf(holder)
        shown = self.stack.currentIndex()
        self.stack.insertWidget(index, widget)
        self.stack.removeWidget(holder)
        holder.deleteLater()
        if shown == index:
            self.stack.setCurrentIndex(index)

    @property
    def datasets_tabs(self) -> QTabWidget:
        """The Datasets page: its two lists as tabs (built on first use, like every page)."""
        self._build_datasets()
        assert self._datasets_tabs is not None
        return self._datasets_tabs

    def _build_status_bar(self) -> None:
        status = self.statusBar()
        status.setObjectName("statusBar")
        status.setAccessibleName(_("Status bar"))
        self.count_label = QLabel(_("Opening the database …"), status)
        self.count_label.setObjectName("countLabel")
        self.count_label.setAccessibleName(_("Number of records in the list"))
        status.addWidget(self.count_label)
        self.path_label = QLabel(str(self.database_path), status)
        self.path_label.setObjectName("databasePathLabel")
        self.path_label.setAccessibleName(_("Database file"))
        self.path_label.setToolTip(_("Database file: {path}").format(path=self.database_path))
        status.addPermanentWidget(self.path_label)

    # -- pages -------------------------------------------------------------
    def current_page(self) -> ListPage:
        key = self.sidebar.currentItem().data(Qt.ItemDataRole.UserRole)
        if key == "datasets":
            widget = self.datasets_tabs.currentWidget()
            assert isinstance(widget, ListPage)
            return widget
        return self.pages[key]

    def finish_attaching(self) -> None:
        """Attach now what start-up left for after the list's first frame, if anything."""
        pending, self.pending_attach = self.pending_attach, None
        if pending is not None:
            pending()

    def attached(self) -> bool:
        """A database is open and all of it is attached (nothing left for later steps)."""
        return self.workspace is not None and self.pending_attach is None

    def show_page(self, key: str) -> ListPage:
        self.finish_attaching()  # a page asked for before the editors were there
        for row in range(self.sidebar.count()):
            if self.sidebar.item(row).data(Qt.ItemDataRole.UserRole) == key:
                self.sidebar.setCurrentRow(row)
        if key in ("import_run", "reference_list"):
            self.datasets_tabs.setCurrentWidget(self.pages[key])
        return self.current_page()

    def _page_changed(self, row: int) -> None:
        if row < 0:
            return
        self.stack.setCurrentIndex(row)
        page = self.current_page()
        self.setWindowTitle(f"{_(self.sidebar.item(row).text())} – {APP_NAME}")
        self._update_count()
        self._update_actions()
        page.table.setFocus()

    # -- attaching the database ----------------------------------------------
    def show_partnerships(self, model: PartnershipTableModel) -> None:
        """Attach the partnership list model; the view then reads the first visible batch."""
        self.model = model
        page = self.pages["partnership"]
        page.attach(model, None)
        model.modelReset.connect(self._update_count)
        model.rowsInserted.connect(self._update_count)
        model.rowsRemoved.connect(self._update_count)
        self._update_count()
        self._list_pending = True
        # Watched from here, not from the first frame on (see ListPage.attach).
        viewport = self.table.viewport()
        viewport.installEventFilter(self)
        viewport.update()

    def open_workspace(
        self,
        database: Any,
        *,
        rest_after_list: bool = False,
        first_model: PartnershipTableModel | None = None,
        place_choices: dict[tuple[str, str], list[str]] | None = None,
    ) -> Steps:
        """Attach every list and editor to ``database`` (SQLAlchemy is loaded by now).

        The partnership list is attached at once; the rest (``attach_workspace``) all
        at once too, or, with ``rest_after_list``, in short steps once the list is on
        screen, and with ``first_model`` (the partnership list shown before the database
        was opened, which is on screen already) in short steps from now on. Returns the
        steps (``then`` adds to them); ``sig_attached`` follows the last.
        """
        self.build_rest()  # the parts add their commands to the finished menus
        from chinadialog_desktop.ui.window.workspace_setup import attach_workspace

        steps = attach_workspace(
            self, database, first_model=first_model, place_choices=place_choices
        )
        # The search index upgrade, the team server's changes, kept edits: once the rest is there.
        steps.then(lambda: self._follow_database(database))
        steps.sig_done.connect(lambda: self._attached(steps))
        if first_model is None and not rest_after_list:
            steps.finish_now()
            return steps
        # Until they are done, a page or a close that needs everything runs them at once.
        self.pending_attach = steps.finish_now
        if first_model is not None:
            steps.start()
        else:
            self.sig_list_filled.connect(steps.start, Qt.ConnectionType.SingleShotConnection)
        return steps

    def _follow_database(self, database: Any) -> None:
        if self.workspace is None or self.workspace.database is not database:
            return  # closed or replaced meanwhile
        from chinadialog_desktop.ui.search.index_job import upgrade_search_index

        self.index_task = upgrade_search_index(self, database)
        from chinadialog_desktop.ui.window.team_watch import follow_changes

        self.change_follower = follow_changes(self, database)  # team server only
        from chinadialog_desktop.ui.files.offline import offer_kept

        offer_kept(self)  # edits kept while this server was away, from an earlier session too

    def _attached(self, steps: Steps) -> None:
        if self.pending_attach == steps.finish_now:
            self.pending_attach = None
        self.sig_attached.emit()

    def _size_columns(self) -> None:
        self.pages["partnership"].size_columns()

    def _update_count(self, *_args: Any) -> None:
        page = self.current_page()
        model = page.model
        if model is None:
            return
        n = model.rowCount()
        singular, plural = COUNTS[page.kind]
        self.count_label.setText(ngettext(singular, plural, n).format(n=n))
        if page.kind == "partnership":
            self.empty_hint.setVisible(n == 0 and not page.filter_edit.text())
        if self.first_steps is not None:
            self.first_steps.refresh()

    def _update_actions(self) -> None:
        # Nothing to edit: no file, or a read-only one (the banner says why).
        if self.workspace is None or getattr(self.workspace.database, "readonly", False):
            for action in (self.action_new, self.action_delete, self.action_rename):
                action.setEnabled(False)
            return
        editable = self.current_page().editor is not None and self.current_page().kind in (
            NEW_TITLES
        )
        self.action_new.setEnabled(editable or self.current_page().kind == "assessment")
        self.action_delete.setEnabled(editable)
        self.action_rename.setEnabled(editable)

    def show_error(self, message: str) -> None:
        self.count_label.setText(message)

    def show_read_only(self, message: str | None) -> None:
        """The banner over a read-only database (None: the file can be edited)."""
        self.readonly_banner.setText(message or "")
        self.readonly_banner.setAccessibleName(message or "")
        self.readonly_banner.setVisible(bool(message))

    # -- commands ------------------------------------------------------------
    def undo(self) -> None:
        if self.workspace is not None:
            self._flush()
            self.workspace.undo_stack.undo()

    def redo(self) -> None:
        if self.workspace is not None:
            self.workspace.undo_stack.redo()

    def new_record(self) -> None:
        page = self.current_page()
        if self.workspace is not None and page.kind == "assessment":
            from chinadialog_desktop.ui.window.extensions import open_assessment

            open_assessment(self, None, None)  # the assessment window starts one
            return
        if self.workspace is None or page.kind not in NEW_TITLES:
            return
        self._flush()
        page.filter_edit.clear()
        for box in page.filter_boxes.values():
            box.setCurrentIndex(0)
        field, text = NEW_TITLES[page.kind]
        values: dict[str, Any] = {field: _(text)}
        if page.kind == "dossier":  # the preferences say who writes and how it is marked
            values["classification"] = self.preferences.get(DEFAULT_CLASSIFICATION)
            author = self.preferences.get(AUTHOR_NAME)
            if author:
                values["author"] = author
        uuid = self.workspace.create(page.kind, values, _(text))
        if uuid is not None and page.editor is not None:
            page.editor.focus_title()

    def delete_current(self) -> None:
        """Delete what has the focus: a child row (activity, contact …) or the list's record."""
        if self.workspace is None:
            return
        from chinadialog_desktop.ui.records.child_panel import ChildPanel

        widget: QWidget | None = self.focusWidget()
        while widget is not None:
            if isinstance(widget, ChildPanel):
                widget.remove()
                return
            widget = widget.parentWidget()
        page = self.current_page()
        editor = page.editor
        if editor is None or page.kind not in NEW_TITLES or editor.uuid is None:
            return
        from chinadialog_desktop.ui.common import confirm

        title = editor.form.values.get(editor.title_field) or ""
        if confirm.ask_delete(self, str(title)):
            self.workspace.delete(
                page.kind, editor.uuid, editor.version, _("Delete “{what}”").format(what=title)
            )

    def rename_current(self) -> None:
        editor = self.current_page().editor
        if editor is not None and hasattr(editor, "focus_title"):
            editor.focus_title()

    def reload_current(self) -> None:
        """After a conflict: show what is stored now, in the list and the editor."""
        for page in self.pages.values():
            if page.model is not None:
                page.model.refresh()
        page = self.current_page()
        if page.editor is not None:
            page.select_id(page.editor.record_id, notify=False)
            if hasattr(page.editor, "reload"):
                page.editor.reload()

    def open_search(self) -> None:
        from chinadialog_desktop.ui.search.dialog import SearchDialog

        if self.workspace is None:
            self.current_page().filter_edit.setFocus(Qt.FocusReason.ShortcutFocusReason)
            return
        dialog = self._dialogs.get("search")
        if dialog is None:
            dialog = SearchDialog(self.workspace.database, self)
            # The hit itself comes first: a register entry opens its partnership at its tab.
            dialog.sig_open_record.connect(self._note_hit)
            dialog.sig_open.connect(self.open_record)
            self._dialogs["search"] = dialog
        dialog.show()
        dialog.raise_()
        dialog.activateWindow()

    def open_about(self) -> None:
        from chinadialog_desktop.ui.help.about_dialog import AboutDialog

        database = self.workspace.database if self.workspace is not None else None
        path = database.path if database is not None else self.database_path
        dialog = AboutDialog(path, self)
        dialog.exec()

    def _note_hit(self, kind: str, _record_id: int) -> None:
        self._hit_kind: str | None = kind

    def open_record(self, kind: str, record_id: int) -> None:
        """Show record ``record_id`` of ``kind`` (a search result, a link)."""
        from chinadialog_desktop.domain.registers import BY_RECORD_KIND

        hit_kind: str | None = getattr(self, "_hit_kind", None)
        self._hit_kind = None
        target = {"activity": "partnership", "contact": "actor"}.get(kind, kind)
        if target not in self.pages:
            return
        page = self.show_page(target)
        page.filter_edit.clear()
        for box in page.filter_boxes.values():
            box.setCurrentIndex(0)
        page.select_id(record_id)
        register = BY_RECORD_KIND.get(hit_kind or "")
        panels = getattr(page.editor, "registers", None)
        if target == "partnership" and register is not None and panels:
            page.editor.tabs.setCurrentWidget(panels[register.key])

    def export_briefing(
        self, _checked: bool = False, path: Path | None = None, fmt: str = "pdf"
    ) -> Any:
        """Ctrl+P: the dossier shown as a PDF briefing (asks for the file unless given).

        ``fmt="docx"``: as a Word document (File → Export briefing as Word document).
        """
        if self.workspace is None:
            return None
        page = self.pages["dossier"]
        dossier_id = page.editor.record_id if page.editor is not None else None
        if self.current_page() is not page or dossier_id is None:
            self.message_bar.show_error(
                _(
                    "Select a dossier first (page Dossiers); its briefing is exported "
                    "as Word document."
                )
                if fmt == "docx"
                else _("Select a dossier first (page Dossiers); its briefing is exported as PDF.")
            )
            return None
        self._flush()
        from chinadialog_desktop.ui.briefing.export import BriefingExport

        exporter = BriefingExport(self, dossier_id, fmt)
        if not exporter.start(path):
            exporter.deleteLater()
            return None
        self._dialogs["export"] = exporter
        return exporter

    def export_briefing_word(self, _checked: bool = False, path: Path | None = None) -> Any:
        """File → Export briefing as Word document: the dossier shown, as .docx."""
        return self.export_briefing(path=path, fmt="docx")

    def open_settings(self) -> None:
        from chinadialog_desktop.ui.preferences.dialog import SettingsDialog

        SettingsDialog(self.preferences, self).exec()

    def set_database_path(self, path: Path | None, location: str | None = None) -> None:
        """The database shown: a file, or a team server (``path`` None, ``location`` its address).

        ``database_path`` keeps the last file (the folder file dialogs start in).
        """
        if path is not None:
            self.database_path = path
            self.path_label.setText(str(path))
            self.path_label.setToolTip(_("Database file: {path}").format(path=path))
            return
        self.path_label.setText(location or "")
        self.path_label.setToolTip(_("Team server: {server}").format(server=location or ""))

    def _stop_index_upgrade(self) -> None:
        """A search index upgrade still running is cancelled (rolled back), not cut off."""
        task = getattr(self, "index_task", None)
        if task is not None:
            task.stop()
            self.index_task = None

    def close_database(self) -> None:
        """Save what is pending, drop lists, editors and undo history, close the file."""
        self.finish_attaching()  # so that everything attached is also taken down
        if self.workspace is None:
            return
        self._stop_index_upgrade()
        follower = getattr(self, "change_follower", None)
        if follower is not None:
            follower.stop()
            self.change_follower = None
        self._flush()
        workspace, self.workspace = self.workspace, None
        for page in self.pages.values():
            if page.editor is not None:
                page.editor.setParent(None)
                page.editor.deleteLater()
                page.editor = None
            page.table.setModel(None)
            if page.model is not None:
                page.model.deleteLater()
            page.model = None
        self.model = None
        self.message_bar.hide()
        self.show_read_only(None)
        workspace.close()
        workspace.deleteLater()
        workspace.database.close()
        self.count_label.setText(_("No database open"))
        for action in (self.action_undo, self.action_redo):
            action.setEnabled(False)
        self.update_undo_texts()
        self._update_actions()

    def reload_all(self) -> None:
        """Re-read every list and the editor shown (after the demo data was loaded)."""
        for page in self.pages.values():
            if page.model is not None:
                page.model.refresh()
        if self.workspace is not None:
            from chinadialog_desktop.ui.window.workspace_setup import fill_place_filters

            fill_place_filters(self, self.workspace)
        self._update_count()

    def _flush(self) -> None:
        for _key, page in self.pages.built():  # a page not built yet has no editor
            if page.editor is not None:
                page.editor.flush()

    # -- language -----------------------------------------------------------------
    def changeEvent(self, event: QEvent) -> None:  # noqa: N802
        if event.type() == QEvent.Type.LanguageChange:
            self.retranslate_ui()
        super().changeEvent(event)

    def toggle_full_screen(self, _checked: bool = False) -> None:
        """F11: full screen and back to the size the window had (maximised stays maximised)."""
        if self.isFullScreen():
            self.setWindowState(self._state_before_full_screen)
        else:
            self._state_before_full_screen = self.windowState() & ~Qt.WindowState.WindowFullScreen
            self.setWindowState(self.windowState() | Qt.WindowState.WindowFullScreen)
        self.action_full_screen.setChecked(self.isFullScreen())

    def update_undo_texts(self) -> None:
        """“Undo: Edit E-mail” in the menu and tooltip; the toolbar keeps the short word."""
        stack = self.workspace.undo_stack if self.workspace is not None else None
        for action, what, full, short in (
            (self.action_undo, stack.undoText() if stack else "", N_("&Undo: {what}"), N_("Undo")),
            (self.action_redo, stack.redoText() if stack else "", N_("&Redo: {what}"), N_("Redo")),
        ):
            plain = N_("&Undo") if action is self.action_undo else N_("&Redo")
            action.setText(_(full).format(what=what) if what else _(plain))
            action.setIconText(_(short))
            action.setToolTip(action.text().replace("&", ""))
            action.setStatusTip(what)

    def retranslate_ui(self) -> None:
        """Show every text in the language now active (Edit → Settings → Language)."""
        self.texts.apply()
        self.update_undo_texts()
        if self.first_steps is not None:
            self.first_steps.retranslate()
        self.setAccessibleName(_("ChinaDialog Desktop main window"))
        for _key, page in self.pages.built():  # the others are built in the new language
            page.retranslate()
        tabs = self._datasets_tabs
        for index in range(tabs.count() if tabs is not None else 0):
            assert tabs is not None
            tab = tabs.widget(index)
            title = tab.property("tabTitle") if tab is not None else None
            if title:
                tabs.setTabText(index, _(title))
        self.message_bar.retranslate()
        if self.workspace is not None and self.readonly_banner.isVisible():
            self.show_read_only(self.workspace.database.read_only_message())
        self._name_tool_buttons()
        row = self.sidebar.currentRow()
        if row >= 0:
            self.setWindowTitle(f"{self.sidebar.item(row).text()} – {APP_NAME}")
        self._update_count()
        if self.workspace is not None:
            from chinadialog_desktop.ui.window.workspace_setup import rebuild_editors

            rebuild_editors(self)

    # -- window state ----------------------------------------------------------
    def _restore_layout(self) -> None:
        geometry = self.settings.value("window/geometry")
        if isinstance(geometry, QByteArray | bytes):
            self.restoreGeometry(QByteArray(geometry))
        state = self.settings.value("window/state")
        if isinstance(state, QByteArray | bytes):
            self.restoreState(QByteArray(state))
        # The app always opens on the partnerships: the start-up milestones watch that list.
        # The splitters follow once the editors are in (restore_splitters).

    def restore_splitters(self) -> None:
        for key, page in self.pages.items():
            splitter = self.settings.value(f"window/splitter/{key}")
            if isinstance(splitter, QByteArray | bytes):
                by_hand = self.settings.value(f"window/splitter/{key}/by_hand", False, type=bool)
                page.restore_layout(QByteArray(splitter), bool(by_hand))

    def save_layout(self) -> None:
        self.settings.setValue("window/geometry", self.saveGeometry())
        self.settings.setValue("window/state", self.saveState())
        # A page never built keeps the splitter state saved before.
        for key, page in self.pages.built():
            self.settings.setValue(f"window/splitter/{key}", page.layout_state())
            self.settings.setValue(f"window/splitter/{key}/by_hand", page.split_by_hand)
        self.settings.sync()

    def closeEvent(self, event: QCloseEvent) -> None:  # noqa: N802
        exporter = self._dialogs.get("export")
        if exporter is not None:
            exporter.stop()  # a layout still running is cancelled, not cut off
        self._stop_index_upgrade()
        if self.workspace is not None:
            self._flush()  # text typed in the last half second is saved too
        self.save_layout()
        super().closeEvent(event)

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
