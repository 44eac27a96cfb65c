"""Attach an opened database to the main window: list models, editors, undo, messages."""

from __future__ import annotations

import contextlib
import dataclasses
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
from chinadialog_desktop.ui.window.extensions import install_menus, open_assessment
from chinadialog_desktop.ui.window.workspace import Workspace

if TYPE_CHECKING:
    from chinadialog_desktop.ui.window.main_window import MainWindow


def editor_classes() -> dict[str, Any]:
    """The editor of each editable kind (imported on first use: the list comes first)."""
    from chinadialog_desktop.ui.records.actor_editor import ActorEditor
    from chinadialog_desktop.ui.records.dossier_editor import DossierEditor
    from chinadialog_desktop.ui.records.partnership_editor import PartnershipEditor
    from chinadialog_desktop.ui.records.source_editor import SourceEditor

    return {
        "partnership": PartnershipEditor,
        "actor": ActorEditor,
        "dossier": DossierEditor,
        "source": SourceEditor,
    }


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
    rest_after_list: bool = False,
    first_model: PartnershipTableModel | None = None,
) -> Workspace:
    """Fill every page of ``window`` from ``database`` and route all changes through one stack.

    With ``rest_after_list`` (the window's start) only the partnership list is
    attached now; the editors, the other pages and the menus follow as soon as
    the frame showing the list is complete (``sig_list_filled``), so the list is
    on screen without waiting for them. ``first_model``: the partnership list is on
    screen already, read before the database was opened (``ui/window/first_list.py``);
    it reads through ``database`` from now on.
    """
    workspace = Workspace(database, window)
    window.workspace = workspace
    window.show_read_only(database.read_only_message())
    if first_model is not None:
        first_model.set_loaders(*list_loaders(database, "partnership"))
        window._update_count()  # the first steps above the list see the open database now
    else:
        window.show_partnerships(partnership_list_model(database))  # first: it is on screen
    if not rest_after_list:
        _attach_rest(window, workspace)
        return workspace
    done = False

    def finish() -> None:
        nonlocal done
        if done:
            return
        done = True
        window.sig_list_filled.disconnect(finish)
        if window.pending_attach is finish:
            window.pending_attach = None
        if window.workspace is workspace:  # not closed or replaced by another file meanwhile
            _attach_rest(window, workspace)

    # After the list's first frame, or earlier when a page is asked for (show_page).
    window.pending_attach = finish
    window.sig_list_filled.connect(finish)
    return workspace


def _attach_rest(window: MainWindow, workspace: Workspace) -> None:
    """Editors, the other pages' lists, undo, messages and menus (see ``attach_workspace``)."""
    database = workspace.database
    for kind, page in window.pages.items():
        editor = _editor_for(workspace, kind, page.editor_side)
        if kind == "partnership":
            page.set_editor(editor)
            editor.show()  # the page may be on screen already (a layout shows it only later)
            if page.current_id() is not None:  # selected before the editor was there
                editor.load(page.current_id())
        else:
            page.attach(list_model(database, kind), editor)
        workspace.sig_changed.connect(page.on_changes)
        assert page.model is not None  # attached just above
        page.model.modelReset.connect(window._update_count)  # the filter narrowed the list
        page.fill_glossary_choices()
    fill_place_filters(window, workspace)

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
    install_menus(window)
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
    factory = editor_classes().get(kind)
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


def fill_place_filters(window: MainWindow, workspace: Workspace) -> None:
    for kind in ("partnership", "actor"):
        page = window.pages[kind]
        for name in ("country", "province"):
            try:
                values = workspace.read(partial(record_lists.choice_values, kind=kind, name=name))
            except UserError:  # the team server away: the filters stay as they are
                return
            page.set_filter_values(name, [(v, v) for v in values])
