"""First steps in an empty database: the order of the work, each step a button.

Partner city and partners (actors) → partnership → dossier → assessment → screening →
briefing. The panel sits above the partnership list. It shows while that list is empty
and, once shown, stays until the user hides it (Help → First steps shows it again), so
that the later steps can be followed. A step that needs an earlier one is disabled and
says which; a step that is done carries a check mark.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING

from PySide6.QtCore import Qt
from PySide6.QtGui import QAction
from PySide6.QtWidgets import QBoxLayout, QFrame, QGridLayout, QLabel, QPushButton, QWidget

from chinadialog_desktop.errors import UserError
from chinadialog_desktop.i18n import N_, _
from chinadialog_desktop.services import unit

if TYPE_CHECKING:
    from chinadialog_desktop.ui.window.main_window import MainWindow


@dataclass(frozen=True)
class Step:
    """One step of the panel (with a docstring: without one, ``dataclass`` writes its
    signature as the docstring at import, ~6 ms before the window's first frame)."""

    key: str
    text: str  # message id of the button
    hint: str  # message id of the line beside it
    needs: str | None  # the list that must not be empty first
    needs_text: str  # message id: why the step is not available yet
    done_when: str  # the list whose records mean the step is done


STEPS = (
    Step(
        "actors",
        N_("1. Partner city and partners"),
        N_("Create the Chinese partner city and the German side as actors."),
        None,
        "",
        "actor",
    ),
    Step(
        "partnership",
        N_("2. Partnership"),
        N_("Create the partnership and add both actors as partners."),
        None,
        "",
        "partnership",
    ),
    Step(
        "dossier",
        N_("3. Dossier"),
        N_("Collect what the council needs to know about the partnership."),
        "partnership",
        N_("Create a partnership first (step 2)."),
        "dossier",
    ),
    Step(
        "assessment",
        N_("4. Assessment"),
        N_("Answer the guardrail checklist for the partnership."),
        "partnership",
        N_("Create a partnership first (step 2)."),
        "assessment",
    ),
    Step(
        "screening",
        N_("5. Screening"),
        N_("Compare the names against imported sanctions and reference lists."),
        "actor",
        N_("Create the actors first (step 1)."),
        "",
    ),
    Step(
        "briefing",
        N_("6. Briefing"),
        N_("Preview the council briefing of the dossier, print it or save it as PDF."),
        "dossier",
        N_("Create a dossier first (step 3)."),
        "",
    ),
)


class FirstSteps(QFrame):
    """The guided start; ``window`` gives the actions each step opens."""

    def __init__(self, window: MainWindow, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.window_ = window
        self.setObjectName("firstSteps")
        self.setFrameShape(QFrame.Shape.StyledPanel)
        self.dismissed = False
        self.shown_once = False
        grid = QGridLayout(self)
        self.title = QLabel(self)
        self.title.setObjectName("firstStepsTitle")
        font = self.title.font()
        font.setBold(True)
        self.title.setFont(font)
        self.title.setWordWrap(True)
        grid.addWidget(self.title, 0, 0, 1, 2)
        self.buttons: dict[str, QPushButton] = {}
        self.hints: dict[str, QLabel] = {}
        for row, step in enumerate(STEPS, start=1):
            button = QPushButton(self)
            button.setObjectName(f"firstStep_{step.key}")
            button.clicked.connect(lambda _c=False, key=step.key: self.run(key))
            hint = QLabel(self)
            hint.setWordWrap(True)
            hint.setObjectName(f"firstStepHint_{step.key}")
            grid.addWidget(button, row, 0)
            grid.addWidget(hint, row, 1)
            self.buttons[step.key] = button
            self.hints[step.key] = hint
        last = len(STEPS) + 1
        self.demo_button = QPushButton(self)
        self.demo_button.setObjectName("firstStepsDemo")
        self.demo_button.clicked.connect(self.load_demo)
        self.hide_button = QPushButton(self)
        self.hide_button.setObjectName("firstStepsHide")
        self.hide_button.clicked.connect(self.dismiss)
        grid.addWidget(self.demo_button, last, 0)
        grid.addWidget(self.hide_button, last, 1, Qt.AlignmentFlag.AlignRight)
        grid.setColumnStretch(1, 1)
        self.retranslate()
        self.hide()

    def retranslate(self) -> None:
        self.title.setText(
            _("First steps: the work goes in this order. Each button opens the right editor.")
        )
        self.demo_button.setText(_("Load the sample data"))
        self.demo_button.setToolTip(
            _("Fictitious example records marked “(Beispiel)”, to look around first")
        )
        self.hide_button.setText(_("Hide the first steps"))
        for button in (self.demo_button, self.hide_button):
            button.setAccessibleName(button.text())
        self.refresh()

    def _count(self, kind: str) -> int:
        page = self.window_.pages.peek(kind)  # a page not built yet has no records shown
        return page.model.rowCount() if page is not None and page.model is not None else 0

    def refresh(self) -> None:
        """Check marks, enabled steps and whether the panel shows."""
        open_db = self.window_.workspace is not None
        for step in STEPS:
            button, hint = self.buttons[step.key], self.hints[step.key]
            done = bool(step.done_when) and self._count(step.done_when) > 0
            button.setText(("✓ " if done else "") + _(step.text))
            ready = open_db and (step.needs is None or self._count(step.needs) > 0)
            button.setEnabled(ready)
            text = _(step.hint) if ready or not step.needs_text else _(step.needs_text)
            hint.setText(text)
            button.setAccessibleName(_(step.text))
            button.setAccessibleDescription(text)
        empty = open_db and self._count("partnership") == 0
        self.demo_button.setVisible(empty)
        show = open_db and not self.dismissed and (empty or self.shown_once)
        self.shown_once = self.shown_once or show
        self.setVisible(show)

    def dismiss(self) -> None:
        self.dismissed = True
        self.refresh()
        self.window_.table.setFocus()

    def show_again(self) -> None:
        self.dismissed = False
        self.shown_once = True
        self.window_.show_page("partnership")
        self.refresh()

    def run(self, key: str) -> None:
        """Open the editor or window of step ``key``."""
        window = self.window_
        actions: dict[str, Callable[[], object]] = {
            "actors": lambda: self._new("actor"),
            "partnership": lambda: self._new("partnership"),
            "dossier": lambda: self._new("dossier"),
            "assessment": self._assessment,
            "screening": self._screening,
            "briefing": self._briefing,
        }
        if window.workspace is not None:
            actions[key]()

    def _new(self, kind: str) -> None:
        self.window_.show_page(kind)
        self.window_.new_record()

    def _select_first(self, kind: str) -> None:
        page = self.window_.show_page(kind)
        if page.current_id() is None and page.model is not None and page.model.rowCount():
            page.select_id(page.model.record_id(0))

    def _assessment(self) -> None:
        from chinadialog_desktop.ui.assessment.actions import open_assessment_view

        self._select_first("partnership")
        open_assessment_view(self.window_)

    def _screening(self) -> None:
        from chinadialog_desktop.ui.screening.actions import open_screening

        open_screening(self.window_)

    def _briefing(self) -> None:
        self._select_first("dossier")
        action = self.window_.commands.get("actionBriefingPreview")
        if action is not None:
            action.trigger()

    def load_demo(self) -> None:
        from chinadialog_desktop.services.demo import load_demo

        window = self.window_
        if window.workspace is None:
            return
        try:
            unit.write(window.workspace.database, load_demo)
        except UserError as exc:
            window.show_error(str(exc))
            return
        window.reload_all()
        self.refresh()


def install(window: MainWindow) -> FirstSteps:
    """Put the panel above the partnership list and "First steps" into the Help menu."""
    page = window.pages["partnership"]
    host = page.empty_hint.parentWidget()
    panel = FirstSteps(window, host)
    layout = host.layout() if host is not None else None
    assert isinstance(layout, QBoxLayout)  # the list page stacks the hint in a box layout
    layout.insertWidget(layout.indexOf(page.empty_hint) + 1, panel)
    # Tab follows the screen: filters, the steps above the list, then the list.
    chain = [page.filter_edit, *page.filter_boxes.values()]
    chain += [*panel.buttons.values(), panel.demo_button, panel.hide_button, page.table]
    for before, after in zip(chain, chain[1:], strict=False):
        QWidget.setTabOrder(before, after)
    action = QAction(window)
    action.setObjectName("actionFirstSteps")
    window.texts.set(action, "setText", N_("&First steps"))
    window.texts.set(action, "setStatusTip", N_("Show the first steps above the partnership list"))
    action.triggered.connect(lambda _c=False: panel.show_again())
    window.help_menu.insertAction(window.action_about, action)
    window.addAction(action)
    window.commands.register(action)
    window.first_steps = panel
    return panel


__all__ = ["STEPS", "FirstSteps", "install"]
