"""Attach an opened database to the main window: list models, editors, undo, messages."""

from __future__ import annotations

import contextlib
import dataclasses
import importlib
from collections.abc import Callable
from functools import partial
from typing import TYPE_CHECKING, Any

from PySide6.QtWidgets import QHBoxLayout, QPushButton

from chinadialog_desktop.domain.kinds import REGISTRY, Kind
from chinadialog_desktop.errors import UserError
from chinadialog_desktop.i18n import N_, _
from chinadialog_desktop.services import unit
from chinadialog_desktop.services.records import lists as record_lists
from chinadialog_desktop.services.records.lists import ListQuery
from chinadialog_desktop.ui.records.details_view import DetailsView
from chinadialog_desktop.ui.records.list_columns import HEADER_TIPS, HEADERS, cells_for, colours_for
from chinadialog_desktop.ui.records.partnership_model import PartnershipTableModel
from chinadialog_desktop.ui.records.table_model import RecordTableModel
from chinadialog_desktop.ui.window.extensions import PARTS, install_part, open_assessment
from chinadialog_desktop.ui.window.steps import Steps
from chinadialog_desktop.ui.window.workspace import Workspace

if TYPE_CHECKING:
    from chinadialog_desktop.ui.window.main_window import MainWindow


# The editor of each editable kind: module and class, imported when its page is attached
# (the list comes first, and each editor in a step of its own, see attach_workspace).
EDITORS = {
    "partnership": ("chinadialog_desktop.ui.records.partnership_editor", "PartnershipEditor"),
    "actor": ("chinadialog_desktop.ui.records.actor_editor", "ActorEditor"),
    "dossier": ("chinadialog_desktop.ui.records.dossier_editor", "DossierEditor"),
    "source": ("chinadialog_desktop.ui.records.source_editor", "SourceEditor"),
}


def editor_class(kind: str) -> Any:
    """The editor class of ``kind`` (None: the page shows a DetailsView)."""
    found = EDITORS.get(kind)
    if found is None:
        return None
    return getattr(importlib.import_module(found[0]), found[1])


DETAILS_HINTS = {
    "assessment": N_(
        "Open an assessment (button below, double click or Ctrl+Shift+A) to answer and "
        "sign it off; here you see its state and traffic light."
    ),
    "import_run": N_("Every import of a dataset file, with its result."),
    "reference_list": N_("Sanctions and reference lists imported for the screening."),
}
DEFAULT_SORT = {
    **{
        kind.value: (REGISTRY[kind].default_sort[0], False)
        for kind in (Kind.PARTNERSHIP, Kind.ACTOR, Kind.SOURCE)
    },
    "dossier": ("title", False),
    "assessment": ("title", False),
    "import_run": ("started_at", True),
    "reference_list": ("name", False),
}


class ListIds:
    """``load_ids(query)`` for one list, keeping the text-less order between keystrokes.

    Typing in the filter box then costs one unsorted text match, narrowed
    against the cached order, instead of a sorted query each time. The model
    calls ``invalidate`` whenever records come or go.
    """

    def __init__(self, database: Any, kind: str) -> None:
        self.database = database
        self.kind = kind
        self._order: tuple[Any, list[int]] | None = None
        self._last: list[int] = []

    def __call__(self, query: ListQuery) -> list[int]:
        base = dataclasses.replace(query, text="")
        if self._order is not None and self._order[0] == base and not query.text:
            return list(self._order[1])
        # The team server away (the message bar says so): the list stays as it was.
        with contextlib.suppress(UserError):
            self._last = unit.read(self.database, lambda s: self._ids(s, base, query.text))
        return list(self._last)

    def _ids(self, session: Any, base: ListQuery, text: str) -> list[int]:
        """The cached order (read again when the sort or filters changed), narrowed by
        ``text``; one session, so order and matches are read from the same state."""
        if self._order is None or self._order[0] != base:
            self._order = (base, record_lists.list_ids(session, self.kind, base))
        if not text:
            return list(self._order[1])
        matched = record_lists.matching_ids(session, self.kind, text)
        return [i for i in self._order[1] if i in matched]

    def invalidate(self) -> None:
        self._order = None


def list_loaders(database: Any, kind: str) -> tuple[Any, Any]:
    """``load_ids(query)`` and ``load_rows(ids)`` for one list, each in a short session."""

    def load_rows(ids: list[int]) -> list[Any]:
        try:
            return unit.read_page(database, lambda s: record_lists.list_rows(s, kind, ids))
        except UserError:  # the team server away: blank rows, read again when it is back
            return []

    return ListIds(database, kind), load_rows


def partnership_list_model(database: Any) -> PartnershipTableModel:
    load_ids, load_rows = list_loaders(database, "partnership")
    sort, descending = DEFAULT_SORT["partnership"]
    return PartnershipTableModel(load_ids, load_rows, ListQuery(sort=sort, descending=descending))


def list_model(database: Any, kind: str) -> RecordTableModel:
    if kind == "partnership":
        return partnership_list_model(database)
    load_ids, load_rows = list_loaders(database, kind)
    sort, descending = DEFAULT_SORT[kind]
    query = ListQuery(sort=sort, descending=descending)
    # The other pages read their ids when first shown, not at start-up.
    return RecordTableModel(
        HEADERS[kind],
        cells_for(kind),
        load_ids,
        load_rows,
        query,
        colour=colours_for(kind),
        lazy=True,
        tips=HEADER_TIPS.get(kind),
    )


def attach_workspace(
    window: MainWindow,
    database: Any,
    *,
    first_model: PartnershipTableModel | None = None,
    place_choices: dict[tuple[str, str], list[str]] | None = None,
) -> Steps:
    """Attach ``database``'s partnership list to ``window`` now; the rest (every other
    page with its list and editor, the place filters, undo, messages and the parts'
    menus) as steps not started yet, returned for the caller to run (``MainWindow.
    open_workspace``): at once, or one per turn of the event loop once the list is on
    screen, so that the GUI thread is never blocked long while the user may scroll.

    ``first_model``: the partnership list is on screen already, read before the
    database was opened (``ui/window/first_list.py``); it reads through ``database``
    from now on. ``place_choices``: the place filters' values read already (on the
    worker thread that opened the database, ``ui/window/take_over.py``).
    """
    workspace = Workspace(database, window)
    window.workspace = workspace
    window.show_read_only(database.read_only_message())
    if first_model is not None:
        first_model.set_loaders(*list_loaders(database, "partnership"))
        window._update_count()  # the first steps above the list see the open database now
    else:
        window.show_partnerships(partnership_list_model(database))  # first: it is on screen
    steps = Steps(workspace)

    def step(fn: Callable[[], None]) -> None:
        # Not for a workspace closed or replaced by another file meanwhile.
        steps.then(lambda: fn() if window.workspace is workspace else None)

    for kind in window.pages:
        step(partial(editor_class, kind))  # its module first, in a step of its own
        step(partial(_attach_page, window, workspace, kind))
    step(partial(fill_place_filters, window, workspace, place_choices))
    step(partial(_connect_workspace, window, workspace))
    for part in PARTS:  # the parts' menus, in the menu bar's order
        step(partial(install_part, window, part))
    step(partial(_finish_window, window))
    return steps


def _attach_page(window: MainWindow, workspace: Workspace, kind: str) -> None:
    """One page (built now if it was not) with its list model and editor."""
    page = window.pages[kind]
    editor = _editor_for(workspace, kind, page.editor_side)
    if kind == "partnership":
        page.set_editor(editor)
        editor.show()  # the page may be on screen already (a layout shows it only later)
        if page.current_id() is not None:  # selected before the editor was there
            editor.load(page.current_id())
    else:
        page.attach(list_model(workspace.database, kind), editor)
    workspace.sig_changed.connect(page.on_changes)
    assert page.model is not None  # attached just above
    page.model.modelReset.connect(window._update_count)  # the filter narrowed the list
    page.fill_glossary_choices()


def _connect_workspace(window: MainWindow, workspace: Workspace) -> None:
    """Undo and redo, the messages, the assessment buttons."""
    stack = workspace.undo_stack
    stack.canUndoChanged.connect(window.action_undo.setEnabled)
    stack.canRedoChanged.connect(window.action_redo.setEnabled)
    # The menu says what Ctrl+Z and Ctrl+Shift+Z will undo and redo.
    stack.undoTextChanged.connect(lambda _text: window.update_undo_texts())
    stack.redoTextChanged.connect(lambda _text: window.update_undo_texts())
    window.update_undo_texts()
    workspace.sig_changed.connect(lambda _c: window._update_count())
    workspace.sig_changed.connect(lambda _c: window.message_bar.hide())
    workspace.sig_conflict.connect(window.message_bar.show_conflict)
    workspace.sig_error.connect(window.message_bar.show_error)
    from chinadialog_desktop.ui.files.offline import server_away

    workspace.sig_offline.connect(lambda message: server_away(window, message))
    _assessment_buttons(window)


def _finish_window(window: MainWindow) -> None:
    window.add_part_tools()
    window._update_actions()
    window.restore_splitters()


def _assessment_buttons(window: MainWindow, *, connect_table: bool = True) -> None:
    """The Checklists page opens the assessment window: button, double click, Ctrl+N.

    ``connect_table=False`` when only the details view is new (language switch): the
    list's double click is connected already.
    """
    page = window.pages["assessment"]
    details = page.editor

    def selected() -> tuple[int | None, Any]:
        record_id = page.current_id()
        if record_id is None:
            return None, None
        rows = window.workspace.read(lambda s: record_lists.list_rows(s, "assessment", [record_id]))
        return record_id, rows[0].partnership_id if rows else None

    open_button = QPushButton(_("Open assessment …"), details)
    open_button.setObjectName("openAssessmentButton")
    open_button.setAccessibleName(_("Open the selected assessment"))
    open_button.clicked.connect(lambda: open_assessment(window, *selected()))
    new_button = QPushButton(_("New assessment …"), details)
    new_button.setObjectName("newAssessmentButton")
    new_button.setAccessibleName(_("Start a new assessment"))
    new_button.clicked.connect(lambda: open_assessment(window, None, None))
    row = QHBoxLayout()
    row.addWidget(open_button)
    row.addWidget(new_button)
    row.addStretch(1)
    details.form.addRow(row)
    if connect_table:
        page.table.doubleClicked.connect(lambda _index: open_assessment(window, *selected()))


def _editor_for(workspace: Workspace, kind: str, parent: Any) -> Any:
    factory = editor_class(kind)
    if factory is not None:
        return factory(workspace, parent)
    return DetailsView(workspace, kind, DETAILS_HINTS[kind], parent)


def rebuild_editors(window: MainWindow) -> None:
    """New editors in the language now active, showing the same records."""
    workspace = window.workspace
    for page in window.pages.values():
        old = page.editor
        if old is None:
            continue
        old.flush()
        record_id = getattr(old, "record_id", None) or page.current_id()
        editor = _editor_for(workspace, page.kind, page.editor_side)
        page.set_editor(editor)
        old.setParent(None)
        old.deleteLater()
        if page.kind == "assessment":
            _assessment_buttons(window, connect_table=False)
        editor.load(record_id)


def fill_place_filters(
    window: MainWindow,
    workspace: Workspace,
    choices: dict[tuple[str, str], list[str]] | None = None,
) -> None:
    """The place filters' choices: ``choices`` if read already, else read now."""
    if choices is None:
        try:
            choices = workspace.read(record_lists.place_choices)
        except UserError:  # the team server away: the filters stay as they are
            return
    for (kind, name), values in choices.items():
        window.pages[kind].set_filter_values(name, [(v, v) for v in values])
