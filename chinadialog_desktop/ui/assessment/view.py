"""The Prüfung window: choose or start an assessment, work through its items, sign it off."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from typing import Any

from PySide6.QtCore import QEvent, QModelIndex, QObject, Qt, Signal
from PySide6.QtGui import QIcon, QKeyEvent, QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QDialog,
    QGridLayout,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QMessageBox,
    QPushButton,
    QScrollArea,
    QSplitter,
    QTreeView,
    QVBoxLayout,
    QWidget,
)

from chinadialog_desktop.domain.checklist import Template
from chinadialog_desktop.domain.enums import Classification
from chinadialog_desktop.domain.labels import label
from chinadialog_desktop.domain.scoring import ChanceLevel
from chinadialog_desktop.errors import NotFound, UserError
from chinadialog_desktop.i18n import N_, _, format_date, language, ngettext
from chinadialog_desktop.services import unit
from chinadialog_desktop.services.assessment import checklists
from chinadialog_desktop.services.assessment import window as window_data
from chinadialog_desktop.services.assessment import workflow as svc
from chinadialog_desktop.ui.assessment.answer_editor import AnswerEditor, AnswerKeys
from chinadialog_desktop.ui.assessment.model import (
    FLAGS_ROLE,
    ITEM_ID_ROLE,
    AssessmentTreeModel,
    chance_key,
    light_pixmap,
    light_word,
    progress_text,
)
from chinadialog_desktop.ui.assessment.signoff import SignOffDialog
from chinadialog_desktop.ui.common.retranslate import Texts
from chinadialog_desktop.ui.common.screen_fit import resize_to_fit

FILTERS = (
    ("all", N_("All questions")),
    ("open", N_("Open")),
    ("blocker", N_("Blockers")),
    ("stale", N_("Stale")),
    ("changed", N_("Changed in the template")),
)
STATUS_WORDS = {"open": N_("open"), "signed": N_("signed"), "superseded": N_("superseded")}


def _iso_date(text: str | None) -> str:
    return format_date(date.fromisoformat(text[:10])) if text else "—"


class AssessmentView(QDialog):
    """A window of its own (not modal): one assessment at a time, saved as it is answered."""

    # The id of the assessment shown, after it was opened or changed (answer, sign-off,
    # revision, upgrade): lists of assessments behind the window can repaint their lights.
    sig_assessment_changed = Signal(int)

    def __init__(
        self,
        database: Any,
        parent: QWidget | None = None,
        *,
        partnership_id: int | None = None,
        today: date | None = None,
        reviewer: str = "",
        workspace: Any = None,
    ) -> None:
        """``workspace``: the main window's; answers then go through its undo stack and
        change signal (without one, e.g. a view on its own, they are saved directly)."""
        super().__init__(parent)
        self.database = database
        self.workspace = workspace
        self.today = today
        self.reviewer = reviewer
        self.assessment_id: int | None = None
        self.report: dict[str, Any] | None = None
        self.template: Template | None = None
        self._template_db_id: int | None = None
        self._sources: list[tuple[str, str]] = []
        self._confirm: QMessageBox | None = None
        self.sign_dialog: SignOffDialog | None = None
        self.texts = Texts()
        self.setObjectName("assessmentView")
        self.setAccessibleName(_("Assessment"))
        self.setWindowTitle(_("Assessment"))
        self.setWindowFlag(Qt.WindowType.Window, True)
        self.setModal(False)
        resize_to_fit(self, 1180, 760)
        self._build()
        self.reload_choices(partnership_id)

    # -- construction ----------------------------------------------------
    def _named(self, widget: Any, name: str, accessible: str) -> Any:
        """``accessible`` is a message id: the name follows a language switch."""
        widget.setObjectName(name)
        self.texts.set(widget, "setAccessibleName", accessible)
        return widget

    def _button(self, text: str) -> QPushButton:
        button = QPushButton(self)
        self.texts.set(button, "setText", text)
        return button

    def _label(self, text: str) -> QLabel:
        label = QLabel(self)
        self.texts.set(label, "setText", text)
        return label

    def _build(self) -> None:
        layout = QVBoxLayout(self)
        choose = QGridLayout()
        cells: list[tuple[QLabel, QComboBox]] = []
        self.partnership_combo = self._named(QComboBox(self), "partnershipCombo", N_("Partnership"))
        self.partnership_combo.setMinimumContentsLength(24)
        self.assessment_combo = self._named(
            QComboBox(self), "assessmentCombo", N_("Existing assessments")
        )
        self.assessment_combo.setMinimumContentsLength(24)
        self.template_combo = self._named(
            QComboBox(self), "templateCombo", N_("Checklist template and version")
        )
        self.template_combo.setMinimumContentsLength(24)
        self.install_button = self._named(
            self._button(N_("Install the bundled checklists")),
            "installBundledButton",
            N_("Install the bundled checklists"),
        )
        self.start_button = self._named(
            self._button(N_("&Start assessment")), "startAssessmentButton", N_("Start assessment")
        )
        for text, widget in (
            (N_("&Partnership:"), self.partnership_combo),
            (N_("&Assessment:"), self.assessment_combo),
            (N_("&Template:"), self.template_combo),
        ):
            # As wide as the window allows, never as wide as the longest title (small screens).
            widget.setSizeAdjustPolicy(
                QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon
            )
            widget.setMinimumContentsLength(16)
            caption = self._label(text)
            caption.setBuddy(widget)
            cells.append((caption, widget))
        # Two rows, so that a 1024 px screen holds them: partnership and assessment above,
        # template and the buttons below.
        for column, (caption, widget) in enumerate(cells[:2]):
            choose.addWidget(caption, 0, 2 * column)
            choose.addWidget(widget, 0, 2 * column + 1)
        choose.addWidget(cells[2][0], 1, 0)
        choose.addWidget(cells[2][1], 1, 1)
        row_buttons = QHBoxLayout()
        row_buttons.addWidget(self.install_button)
        row_buttons.addWidget(self.start_button)
        row_buttons.addStretch(1)
        choose.addLayout(row_buttons, 1, 2, 1, 2)
        choose.setColumnStretch(1, 1)
        choose.setColumnStretch(3, 1)
        layout.addLayout(choose)

        header = QHBoxLayout()
        self.title_label = self._named(QLabel(self), "assessmentTitleLabel", N_("Assessment"))
        font = self.title_label.font()
        font.setBold(True)
        font.setPointSizeF(font.pointSizeF() * 1.15)
        self.title_label.setFont(font)
        self.title_label.setWordWrap(True)
        header.addWidget(self.title_label, 1)
        self.overall_light = self._named(QLabel(self), "overallLightIcon", N_("Overall light"))
        self.overall_label = self._named(QLabel(self), "overallLightLabel", N_("Overall light"))
        self.progress_label = self._named(QLabel(self), "progressLabel", N_("Progress"))
        header.addWidget(self.overall_light)
        header.addWidget(self.overall_label)
        # The chance side beside the risks (docs/checklist-format.md, "Scoring: both sides").
        self.chance_icon = self._named(QLabel(self), "chanceLevelIcon", N_("Chances"))
        self.chance_label = self._named(QLabel(self), "chanceLevelLabel", N_("Chances"))
        header.addSpacing(12)
        header.addWidget(self.chance_icon)
        header.addWidget(self.chance_label)
        header.addSpacing(16)
        header.addWidget(self.progress_label)
        layout.addLayout(header)

        self.status_label = self._named(QLabel(self), "assessmentStatusLabel", N_("Status"))
        self.status_label.setWordWrap(True)
        status_row = QHBoxLayout()
        status_row.addWidget(self.status_label, 1)
        # Who may see it (on a team server VS-NfD is for cleared roles only): also of a
        # signed assessment, since it says who may read it, not what was signed.
        self.classification_combo = self._named(
            QComboBox(self), "assessmentClassificationCombo", N_("Classification")
        )
        for level in Classification:
            self.classification_combo.addItem(label(Classification, level.value), level.value)
        classification_label = self._label(N_("C&lassification:"))
        classification_label.setBuddy(self.classification_combo)
        status_row.addWidget(classification_label)
        status_row.addWidget(self.classification_combo)
        layout.addLayout(status_row)
        self.message_label = self._named(QLabel(self), "assessmentMessageLabel", N_("Message"))
        self.message_label.setWordWrap(True)
        self.message_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        layout.addWidget(self.message_label)
        self.message_label.hide()

        strip = QHBoxLayout()
        # The fields of action as people cite them ("3 · Politische und Wertekonflikte"),
        # each with its light: choosing one shows its first question.
        self.field_combo = self._named(
            QComboBox(self), "assessmentFieldCombo", N_("Field of action")
        )
        self.field_combo.setSizeAdjustPolicy(
            QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon
        )
        self.field_combo.setMinimumContentsLength(28)
        self.field_combo.activated.connect(self._field_chosen)
        self.overview_label = self._label(N_("&Field of action:"))
        self.overview_label.setBuddy(self.field_combo)
        strip.addWidget(self.overview_label)
        strip.addWidget(self.field_combo, 1)
        strip.addSpacing(16)
        self.filter_combo = self._named(QComboBox(self), "assessmentFilter", N_("Show"))
        for key, text in FILTERS:
            self.filter_combo.addItem(_(text), key)
        filter_label = self._label(N_("Sh&ow:"))
        filter_label.setBuddy(self.filter_combo)
        strip.addWidget(filter_label)
        strip.addWidget(self.filter_combo)
        layout.addLayout(strip)

        splitter = QSplitter(Qt.Orientation.Horizontal, self)
        splitter.setObjectName("assessmentSplitter")
        self.model = AssessmentTreeModel(self)
        self.tree = self._named(
            QTreeView(splitter), "assessmentTree", N_("Questions by field of action")
        )
        self.tree.setModel(self.model)
        self.tree.setUniformRowHeights(True)
        self.tree.setAlternatingRowColors(False)
        self.tree.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.tree.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.tree.header().setStretchLastSection(True)
        self.tree.header().setSectionResizeMode(0, QHeaderView.ResizeMode.Interactive)
        self.tree.setColumnWidth(0, 380)
        self.tree.setColumnWidth(1, 110)
        self.tree.installEventFilter(self)
        scroll = QScrollArea(splitter)
        self.editor_scroll = scroll
        scroll.setObjectName("answerEditorScroll")
        scroll.setWidgetResizable(True)
        scroll.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.editor = AnswerEditor(scroll)
        scroll.setWidget(self.editor)
        splitter.addWidget(self.tree)
        splitter.addWidget(scroll)
        splitter.setStretchFactor(0, 3)
        splitter.setStretchFactor(1, 2)
        layout.addWidget(splitter, 1)

        buttons = QHBoxLayout()
        self.sign_button = self._named(
            self._button(N_("Sign &off …")), "signOffButton", N_("Sign off")
        )
        self.revise_button = self._named(
            self._button(N_("&Change (opens a new revision)")),
            "newRevisionButton",
            N_("Change: open a new revision"),
        )
        self.newest_button = self._named(
            self._button(N_("Show the &newest revision")),
            "newestRevisionButton",
            N_("Show the newest revision"),
        )
        self.next_button = self._named(
            self._button(N_("New assessment from the &previous one")),
            "nextCycleButton",
            N_("New assessment from the previous one"),
        )
        self.upgrade_button = self._named(
            self._button(N_("Switch to the new template &version")),
            "upgradeButton",
            N_("Switch to the new template version"),
        )
        self.archive_button = self._named(
            self._button(N_("Archive &note …")), "archiveNoteButton", N_("Archive note")
        )
        self.close_button = self._named(
            self._button(N_("Close")), "closeAssessmentButton", N_("Close")
        )
        for button in (
            self.sign_button,
            self.revise_button,
            self.newest_button,
            self.next_button,
            self.upgrade_button,
            self.archive_button,
        ):
            buttons.addWidget(button)
        buttons.addStretch(1)
        buttons.addWidget(self.close_button)
        layout.addLayout(buttons)

        self.partnership_combo.currentIndexChanged.connect(self._partnership_changed)
        self.assessment_combo.activated.connect(self._assessment_chosen)
        self.install_button.clicked.connect(self.install_bundled)
        self.start_button.clicked.connect(self.start)
        self.filter_combo.currentIndexChanged.connect(self.apply_filter)
        self.tree.selectionModel().currentChanged.connect(self._current_changed)
        self.editor.sig_change.connect(self.apply_change)
        self.editor.sig_answer_key.connect(self.answer_current)
        self.editor.sig_key_refused.connect(lambda text: self.show_message(text, error=True))
        self.sign_button.clicked.connect(self.request_sign_off)
        self.revise_button.clicked.connect(self.open_new_revision)
        self.newest_button.clicked.connect(self.show_newest_revision)
        self.next_button.clicked.connect(self.request_next_cycle)
        self.upgrade_button.clicked.connect(self.request_upgrade)
        self.archive_button.clicked.connect(self.show_archive_note)
        self.close_button.clicked.connect(self.close)
        self.classification_combo.activated.connect(self._classification_chosen)
        find_next = QShortcut(QKeySequence("Ctrl+Down"), self)
        find_next.activated.connect(self.select_next_open)
        if self.workspace is not None:
            self._connect_workspace()
        self._update_buttons()

    def _connect_workspace(self) -> None:
        """Ctrl+Z / Ctrl+Shift+Z here undo and redo the main window's steps (a text field
        being typed in keeps its own undo); changes from anywhere repaint this window."""
        workspace = self.workspace
        undo = QShortcut(QKeySequence(QKeySequence.StandardKey.Undo), self)
        undo.setObjectName("assessmentUndo")
        undo.activated.connect(self.undo)
        for keys in ("Ctrl+Shift+Z", "Ctrl+Y"):
            redo = QShortcut(QKeySequence(keys), self)
            redo.activated.connect(self.redo)
        workspace.sig_changed.connect(self._on_changes)
        workspace.sig_error.connect(self._on_refused)
        workspace.sig_conflict.connect(self._on_refused)

    def undo(self) -> None:
        if self.workspace is not None:
            self.editor.flush()
            self.workspace.undo_stack.undo()

    def redo(self) -> None:
        if self.workspace is not None:
            self.workspace.undo_stack.redo()

    def _on_changes(self, changes: list[Any]) -> None:
        if self.assessment_id is not None and any(
            c.kind == "assessment" and c.id == self.assessment_id for c in changes
        ):
            self.refresh()

    def _on_refused(self, message: str) -> None:
        if self.isVisible():
            self.show_message(message, error=True)

    # -- choices -------------------------------------------------------------
    def reload_choices(self, partnership_id: int | None = None) -> None:
        """Fill the partnership and template choices from the database."""
        found = unit.read(self.database, window_data.choices)
        partnerships, templates = found.partnerships, found.templates
        keep = (
            partnership_id if partnership_id is not None else self.partnership_combo.currentData()
        )
        self.partnership_combo.blockSignals(True)
        self.partnership_combo.clear()
        for pid, title in partnerships:
            self.partnership_combo.addItem(title, pid)
        row = self.partnership_combo.findData(keep) if keep is not None else -1
        self.partnership_combo.setCurrentIndex(max(row, 0) if partnerships else -1)
        self.partnership_combo.blockSignals(False)
        lang = language()
        kept_template = self.template_combo.currentData()
        self.template_combo.clear()
        for t in templates:
            title = t.title_en if lang == "en" and t.title_en else t.title_de
            latest = "" if t.latest else _(" (older version)")
            self.template_combo.addItem(
                _("{title} – version {version}{latest}").format(
                    title=title, version=t.version, latest=latest
                ),
                t.id,
            )
        row = self.template_combo.findData(kept_template) if kept_template is not None else -1
        if row < 0:
            preferred = [n for n, t in enumerate(templates) if t.latest]
            row = next(
                (n for n in preferred if templates[n].key.endswith("leitplanken-kommunal")),
                preferred[0] if preferred else -1,
            )
        self.template_combo.setCurrentIndex(row)
        self.install_button.setVisible(not templates)
        self._partnership_changed()

    def _partnership_changed(self, *_args: Any) -> None:
        pid = self.partnership_combo.currentData()
        self.assessment_combo.clear()
        if pid is None:
            self._update_buttons()
            return
        today = self._today()
        rows = unit.read(self.database, lambda s: window_data.assessments_of(s, pid, today))
        self.assessment_combo.addItem(_("— choose an assessment —"), None)
        for r in reversed(rows):
            self.assessment_combo.addItem(
                QIcon(light_pixmap(r["light"])),
                _("{title} · revision {rev} · {status}").format(
                    title=r["title"], rev=r["revision"], status=_(STATUS_WORDS[r["status"]])
                ),
                r["id"],
            )
        if self.assessment_id is not None:
            row = self.assessment_combo.findData(self.assessment_id)
            if row >= 0:
                self.assessment_combo.setCurrentIndex(row)
        self._update_buttons()

    def show_partnership(
        self, partnership_id: int | None, assessment_id: int | None = None
    ) -> None:
        """Show ``assessment_id``, or the partnership's current assessment (Ctrl+Shift+A).

        The current assessment is the newest one that is not superseded by a revision. A
        partnership without one shows the start row with the focus on "Start assessment".
        """
        self.reload_choices(partnership_id)
        if assessment_id is None and partnership_id is not None:
            today = self._today()
            rows = unit.read(
                self.database, lambda s: window_data.assessments_of(s, partnership_id, today)
            )
            current = [r for r in rows if r["status"] != "superseded"]
            assessment_id = current[-1]["id"] if current else None
        if assessment_id is not None:
            self.open_assessment(int(assessment_id))
            if self.report is not None:
                self.show_message("")
                self.select_next_open(include_current=True)
                self.tree.setFocus()
                return
        self.assessment_id = None
        self.refresh()
        self._partnership_changed()
        self._show_overview()
        self._show_editor()
        if partnership_id is not None and self.partnership_combo.currentData() == partnership_id:
            self.show_message(
                _(
                    "“{title}” has no assessment yet. Choose a checklist template and press "
                    "“Start assessment”."
                ).format(title=self.partnership_combo.currentText())
            )
        focus = self.start_button if self.start_button.isEnabled() else self.install_button
        focus.setFocus()

    def _assessment_chosen(self, row: int) -> None:
        assessment_id = self.assessment_combo.itemData(row)
        if assessment_id is not None:
            self.open_assessment(int(assessment_id))

    def install_bundled(self) -> None:
        try:
            outcomes = unit.write(self.database, checklists.install_bundled)
        except UserError as exc:
            self.show_message(str(exc), error=True)
            return
        imported = [o for o in outcomes if o.status == "imported"]
        self.show_message(_("{n} checklist templates installed.").format(n=len(imported)))
        self.reload_choices()

    def _start_hint(self) -> str:
        """Which keys answer, derived from the template's general scale."""
        general = self.template.answer_scale if self.template is not None else ()
        keys = AnswerKeys(general, general, language())
        return _(
            "Assessment started. Keys answer the selected question and move on: {legend}. "
            "Questions with their own answers show their keys below the question."
        ).format(legend=keys.legend(general))

    def start(self) -> None:
        pid = self.partnership_combo.currentData()
        tid = self.template_combo.currentData()
        if pid is None or tid is None:
            self.show_message(_("Choose a partnership and a checklist template first."), error=True)
            return
        new_id = self._write(lambda s: window_data.start(s, tid, pid))
        if new_id is not None:
            self.open_assessment(new_id)
            self.show_message(self._start_hint())
            self.select_next_open(include_current=True)
            self.tree.setFocus()

    # -- showing an assessment -----------------------------------------------
    def _today(self) -> date:
        return self.today or date.today()

    def open_assessment(self, assessment_id: int) -> None:
        if assessment_id != self.assessment_id:
            self.show_message("")  # what was said was about the other assessment
        self.assessment_id = assessment_id
        self.model.set_report(None)
        self.refresh()
        if self.report is None:
            return
        partnership = self.report["partnership"]
        pid = partnership["id"] if partnership else None
        row = self.partnership_combo.findData(pid) if pid is not None else -1
        if row >= 0 and row != self.partnership_combo.currentIndex():
            self.partnership_combo.setCurrentIndex(row)  # refills the assessment list
        else:
            self._partnership_changed()
        first = self.model.index(0, 0)
        if first.isValid() and not self.tree.currentIndex().isValid():
            self.tree.expandAll()
            child = self.model.index(0, 0, first)
            self.tree.setCurrentIndex(child if child.isValid() else first)

    def refresh(self) -> None:
        """Read the assessment again and show it; the selected question stays selected."""
        if self.assessment_id is None:
            self.report = None
            self.model.set_report(None)
            self._show_header()
            return
        current = self.current_item_id()
        try:
            self._read(self.assessment_id)
        except NotFound as exc:  # deleted meanwhile (with its partnership, in the main window)
            self.assessment_id = None
            self.report = None
            self.model.set_report(None)
            self._show_header()
            self._show_overview()
            self._show_editor()
            self._update_buttons()
            self.show_message(str(exc), error=True)
            return
        expanded = self.model.rowCount() == 0
        self.model.set_report(self.report)
        if expanded:
            self.tree.expandAll()
        if current is not None:
            index = self.model.index_of(current)
            if index.isValid() and self.tree.currentIndex() != index:
                self.tree.setCurrentIndex(index)
        self._show_header()
        self._show_overview()
        self._show_editor()
        self.apply_filter()
        self._update_buttons()
        self.sig_assessment_changed.emit(self.assessment_id)

    def _read(self, assessment_id: int) -> None:
        today, lang, known = self._today(), language(), self._template_db_id
        found = unit.read(
            self.database, lambda s: window_data.view(s, assessment_id, today, lang, known)
        )
        self.report = found.report
        if found.template is not None:
            self.template = found.template
            self._template_db_id = found.template_id
        self._sources = found.sources

    def closeEvent(self, event: Any) -> None:  # noqa: N802
        self.editor.flush()  # typed evidence is saved before the window goes
        super().closeEvent(event)

    def read_only(self) -> bool:
        return self.report is None or self.report["status"] != "open"

    def _show_header(self) -> None:
        report = self.report
        if report is None:
            self.title_label.setText(_("No assessment open. Choose one above or start one."))
            self.overall_light.clear()
            self.overall_label.clear()
            self.chance_icon.clear()
            self.chance_label.clear()
            self.progress_label.clear()
            self.status_label.clear()
            self.setWindowTitle(_("Assessment"))
            return
        template = report["template"]
        self.title_label.setText(
            _("{title} · revision {rev}").format(title=report["title"], rev=report["revision"])
        )
        self.setWindowTitle(_("Assessment: {title}").format(title=report["title"]))
        overall = report["overall"]
        self.overall_light.setPixmap(light_pixmap(overall["light"], 18))
        self.overall_light.setToolTip(light_word(overall["light"]))
        n_blockers = len(overall["blockers"])
        blockers = (
            " · " + ngettext("{n} blocker", "{n} blockers", n_blockers).format(n=n_blockers)
            if n_blockers
            else ""
        )
        self.overall_label.setText(
            _("Overall: {light}{blockers}").format(
                light=light_word(overall["light"]), blockers=blockers
            )
        )
        chances = report["chances"]
        if report["chance_sections"]:
            key = chance_key(chances["level"])
            self.chance_icon.setPixmap(light_pixmap(key, 18))
            self.chance_icon.setToolTip(light_word(key))
            self.chance_label.setText(
                _("Chances: {level} ({percent} %)").format(
                    level=label(ChanceLevel, chances["level"]),
                    percent=round(chances["chance_percent"]),
                )
                if chances["answered"]
                else _("Chances: {level}").format(level=label(ChanceLevel, chances["level"]))
            )
        else:  # a template without a chance side
            self.chance_icon.clear()
            self.chance_label.clear()
        extra = []
        if overall["stale_items"]:
            extra.append(_("{n} stale").format(n=len(overall["stale_items"])))
        if overall["changed_items"]:
            extra.append(_("{n} changed in the template").format(n=len(overall["changed_items"])))
        answered = overall["answered"] + chances["answered"]  # both sides
        applicable = overall["applicable"] + chances["applicable"]
        self.progress_label.setText(" · ".join([progress_text(answered, applicable), *extra]))
        status = report["status"]
        if status == "signed":
            text = _(
                "Signed by {who} on {on}. The assessment is frozen and shown read-only; "
                "“Change” opens revision {next}."
            ).format(
                who=report["reviewed_by"],
                on=_iso_date(report["reviewed_on"]),
                next=report["revision"] + 1,
            )
        elif status == "superseded":
            text = _(
                "Revision {rev}, signed by {who} on {on}, was superseded by assessment "
                "{newer}. It stays as it was signed (read-only)."
            ).format(
                rev=report["revision"],
                who=report["reviewed_by"] or "—",
                on=_iso_date(report["reviewed_on"]),
                newer=report["superseded_by"] or "—",
            )
        else:
            text = _("Open: every change is saved at once.")
            if report["previous_id"] and report["revision"] > 1:
                text += " " + _("Revision {rev} of signed assessment {prev}.").format(
                    rev=report["revision"], prev=report["previous_id"]
                )
        text = (
            _("Template: {template}, version {v}.").format(
                template=template["title"], v=template["version"]
            )
            + " "
            + text
        )
        if template["newer_version"]:
            text += " " + _("Version {v} of the template is available.").format(
                v=template["newer_version"]
            )
        if report["classification"] != Classification.OPEN.value:
            text = label(Classification, report["classification"]) + ". " + text
        self.status_label.setText(text)

    def _show_overview(self) -> None:
        """Fill the field-of-action choice: number · title, light as icon and in the tooltip."""
        overview = self.model.overview()
        combo = self.field_combo
        combo.blockSignals(True)
        if [combo.itemData(i) for i in range(combo.count())] != [o[0] for o in overview]:
            combo.clear()
            for section_id, _title, _light in overview:
                combo.addItem("", section_id)
        for row, (_section_id, _title, light) in enumerate(overview):
            caption = self.model.section_caption(row)
            combo.setItemText(row, caption)
            combo.setItemIcon(row, QIcon(light_pixmap(light, 14)))
            tip = _("{field}: {light}").format(field=caption, light=light_word(light))
            combo.setItemData(row, tip, Qt.ItemDataRole.ToolTipRole)
            combo.setItemData(row, tip, Qt.ItemDataRole.AccessibleTextRole)
        combo.blockSignals(False)
        self._follow_section()

    def _field_chosen(self, row: int) -> None:
        section_id = self.field_combo.itemData(row)
        if section_id:
            self.select_section(section_id)

    def _follow_section(self) -> None:
        """The field-of-action choice shows the field of the question shown."""
        index = self.tree.currentIndex()
        while index.isValid() and index.parent().isValid():
            index = index.parent()
        combo = self.field_combo
        row = index.row() if index.isValid() else -1
        if 0 <= row < combo.count():
            combo.blockSignals(True)
            combo.setCurrentIndex(row)
            combo.blockSignals(False)
            combo.setToolTip(str(combo.itemData(row, Qt.ItemDataRole.ToolTipRole) or ""))

    def select_section(self, section_id: str) -> None:
        index = self.model.section_index(section_id)
        if index.isValid():
            self.tree.expand(index)
            child = self.model.index(0, 0, index)
            self.tree.setCurrentIndex(child if child.isValid() else index)
            self.tree.scrollTo(index, QAbstractItemView.ScrollHint.PositionAtTop)
            self.tree.setFocus()

    def current_item_id(self) -> str | None:
        index = self.tree.currentIndex()
        return index.data(ITEM_ID_ROLE) if index.isValid() else None

    def _current_changed(self, _current: QModelIndex, _previous: QModelIndex) -> None:
        self._show_editor()
        self._follow_section()

    def _show_editor(self) -> None:
        item_id = self.current_item_id()
        row = self.model.item(item_id) if item_id else None
        if not item_id or row is None or self.template is None:
            self.editor.show_item(None, None, (), [])
            return
        item = self.template.item(item_id)
        refs = []
        for ref_id in item.sources:
            ref = self.template.reference(ref_id)
            if ref is not None:
                refs.append(", ".join(str(p) for p in (ref.title, ref.publisher, ref.year) if p))
        if (
            self.editor.item_id == item_id
            and self.editor.read_only == self.read_only()
            and self.editor.buttons
            and self.editor.sources == self._sources
        ):
            self.editor.update_item(item, row)  # after a save: keep what is being typed
            return
        if self.editor.item_id != item_id:  # another question: start at its text, not mid-form
            self.editor_scroll.verticalScrollBar().setValue(0)
        self.editor.show_item(
            item,
            row,
            self.template.scale_for(item),
            self._sources,
            read_only=self.read_only(),
            references="; ".join(refs),
            general=self.template.answer_scale,
            number=self.model.number(item_id),
        )

    def apply_filter(self, *_args: Any) -> None:
        key = self.filter_combo.currentData() or "all"
        root = QModelIndex()
        for s_row in range(self.model.rowCount()):
            section = self.model.index(s_row, 0)
            visible = 0
            for i_row in range(self.model.rowCount(section)):
                flags = set(self.model.index(i_row, 0, section).data(FLAGS_ROLE) or ())
                show = key == "all" or key in flags or (key == "blocker" and "blocker_hit" in flags)
                self.tree.setRowHidden(i_row, section, not show)
                visible += show
            self.tree.setRowHidden(s_row, root, key != "all" and visible == 0)

    def _update_buttons(self) -> None:
        report = self.report
        status = report["status"] if report else None
        has_template = self.template_combo.count() > 0
        self.start_button.setEnabled(
            self.partnership_combo.currentData() is not None and has_template
        )
        self.sign_button.setEnabled(status == "open")
        self.classification_combo.setEnabled(report is not None)
        if report is not None:
            self.classification_combo.setCurrentIndex(
                max(0, self.classification_combo.findData(report["classification"]))
            )
        self.revise_button.setVisible(status == "signed")
        self.newest_button.setVisible(status == "superseded")
        self.next_button.setEnabled(report is not None and status != "superseded")
        self.archive_button.setVisible(bool(report and report["archive_note"]))
        newer = report["template"]["newer_version"] if report else None
        self.upgrade_button.setVisible(bool(newer) and status != "superseded")
        if newer:
            self.upgrade_button.setText(_("Switch to template &version {v}").format(v=newer))

    # -- changes -------------------------------------------------------------
    def show_message(self, text: str, *, error: bool = False) -> None:
        self.message_label.setText(text)
        self.message_label.setVisible(bool(text))
        self.message_label.setProperty("error", error)
        font = self.message_label.font()
        font.setBold(error)
        self.message_label.setFont(font)

    def _write(self, work: Callable[[Any], Any]) -> Any:
        """Run ``work(session)`` as one unit of work; a refused change is shown, not raised."""
        try:
            return unit.write(self.database, work)
        except UserError as exc:
            self.show_message(str(exc), error=True)
            return None

    def apply_change(self, item_id: str, update: svc.AnswerUpdate) -> bool:
        """Save one change of one answer through the service, then show the new state."""
        if self.assessment_id is None:
            return False
        assessment_id = self.assessment_id
        if self.workspace is not None:
            # Saved as an undoable step; the change signal repaints this window.
            outcome = self.workspace.answer(
                assessment_id, item_id, update, self._change_text(item_id, update)
            )
            if outcome is None:
                return False
            if not outcome.new_revision:
                return True
        else:
            outcome = self._write(
                lambda s: svc.answer_item(s, svc.get_assessment(s, assessment_id), item_id, update)
            )
        if outcome is None:
            return False
        if outcome.new_revision:
            self.assessment_id = outcome.assessment_id
            self.show_message(
                _(
                    "The signed revision stays as it was; the change went into the "
                    "new revision {rev}."
                ).format(rev=outcome.revision)
            )
            self._partnership_changed()
        self.refresh()
        return True

    def _change_text(self, item_id: str, update: svc.AnswerUpdate) -> str:
        """What the Edit menu says it would undo: the question by the number people cite."""
        number = self.model.number(item_id)
        if update.answer is not svc.UNSET:
            return _("Change the answer to question {number}").format(number=number)
        return _("Change the details of question {number}").format(number=number)

    def answer_current(self, code: str) -> bool:
        """Answer the selected question with ``code`` and select the next applicable one."""
        item_id = self.current_item_id()
        if item_id is None or self.read_only():
            return False
        row = self.model.item(item_id)
        if row is None or row["applicability"] in ("not_for_type", "dependency"):
            return False
        if not self.apply_change(item_id, svc.AnswerUpdate(answer=code)):
            return False
        self.select_next(item_id)
        return True

    def select_next(self, after: str) -> None:
        ids = self.model.item_ids()
        start = ids.index(after) + 1 if after in ids else 0
        for item_id in ids[start:]:
            row = self.model.item(item_id)
            if row is not None and row["applicability"] in ("applicable", "answered_na"):
                index = self.model.index_of(item_id)
                if not self.tree.isRowHidden(index.row(), index.parent()):
                    self.tree.setCurrentIndex(index)
                    self.tree.scrollTo(index)
                    return

    def select_next_open(self, *, include_current: bool = False) -> None:
        """Ctrl+Down: the next question without an answer (wrapping round)."""
        ids = self.model.item_ids()
        current = self.current_item_id()
        start = ids.index(current) + (0 if include_current else 1) if current in ids else 0
        for item_id in ids[start:] + ids[:start]:
            row = self.model.item(item_id)
            if row is not None and row["open"]:
                self.tree.setCurrentIndex(self.model.index_of(item_id))
                self.tree.setFocus()
                return

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802
        if (
            watched is self.tree
            and isinstance(event, QKeyEvent)
            and event.type() == QEvent.Type.KeyPress
            and not event.modifiers() & ~Qt.KeyboardModifier.KeypadModifier
        ):
            item_id = self.current_item_id()
            if item_id is not None and self.template is not None:
                options = self.template.scale_for(self.template.item(item_id))
                keys = AnswerKeys(self.template.answer_scale, options, language())
                code = keys.code(event.key())
                if code is not None:
                    self.answer_current(code)
                    return True
                if keys.refused(event.key()):
                    self.show_message(keys.refusal(event.key(), options), error=True)
                    return True
        return super().eventFilter(watched, event)

    # -- sign-off, revisions, cycles, upgrades -------------------------------
    def request_sign_off(self) -> SignOffDialog | None:
        if self.report is None or self.report["status"] != "open":
            return None
        self.editor.flush()
        dialog = SignOffDialog(
            self,
            title=self.report["title"],
            revision=self.report["revision"],
            open_items=len(self.report["overall"]["open_items"]),
            reviewer=self.reviewer,
            today=self._today(),
        )
        dialog.accepted.connect(lambda: self._sign(dialog))
        dialog.finished.connect(lambda _r: self._dispose(dialog))
        self.sign_dialog = dialog
        dialog.open()
        return dialog

    def _sign(self, dialog: SignOffDialog) -> None:
        assessment_id = self.assessment_id
        if assessment_id is None:
            return
        reviewer, on, allow_open = dialog.reviewer(), dialog.review_date(), dialog.allow_open()
        done = self._write(
            lambda s: svc.sign(
                s,
                svc.get_assessment(s, assessment_id),
                reviewer,
                on,
                allow_open=allow_open,
                today=self._today(),
            )
        )
        if done is not None:
            self.show_message(
                _("Signed off by {who}. The assessment is now read-only.").format(who=reviewer)
            )
        self.refresh()
        self._partnership_changed()

    def set_classification(self, level: Classification) -> bool:
        """Classify the assessment shown through the service; a refusal (on a team server:
        a role not cleared for VS-NfD) is said in one sentence and changes nothing."""
        assessment_id = self.assessment_id
        if assessment_id is None or self.report is None:
            return False
        if self.report["classification"] == level.value:
            return True

        def classify(session: Any) -> bool:
            svc.classify(session, svc.get_assessment(session, assessment_id), level)
            return True

        done = self._write(classify)
        self.refresh()  # shows what is stored, also after a refusal
        if done is None:
            return False
        self.show_message(
            _("The assessment is now classified: {level}.").format(
                level=label(Classification, level.value)
            )
        )
        return True

    def _classification_chosen(self, row: int) -> None:
        value = self.classification_combo.itemData(row)
        if value is not None:
            self.set_classification(Classification(value))

    def open_new_revision(self) -> None:
        if self.report is None or self.report["status"] != "signed":
            return
        assessment_id = self.assessment_id
        if assessment_id is None:
            return
        revision = self._write(
            lambda s: svc.open_revision(s, svc.get_assessment(s, assessment_id)).id
        )
        if revision is not None:
            old = self.report["revision"]
            self.assessment_id = revision
            self.refresh()
            self._partnership_changed()
            self.show_message(
                _(
                    "Revision {new} opened for changes; signed revision {old} stays as it was."
                ).format(new=old + 1, old=old)
            )

    def show_newest_revision(self) -> None:
        if self.report is None or not self.report["superseded_by"]:
            return
        self.open_assessment(int(self.report["superseded_by"]))

    def show_archive_note(self) -> QMessageBox | None:
        """Template upgrades and the answers to removed questions, as the service noted them."""
        if self.report is None or not self.report["archive_note"]:
            return None
        box = QMessageBox(
            QMessageBox.Icon.Information,
            _("Archive note"),
            self.report["archive_note"],
            QMessageBox.StandardButton.Close,
            self,
        )
        box.setObjectName("archiveNoteBox")
        box.setAccessibleName(_("Archive note"))
        box.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        box.finished.connect(lambda _r: self._dispose(box))
        box.open()
        return box

    def _ask(self, name: str, text: str, on_yes: Callable[[], None]) -> QMessageBox:
        box = QMessageBox(
            QMessageBox.Icon.Question,
            _("Assessment"),
            text,
            QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No,
            self,
        )
        box.setObjectName(name)
        box.setAccessibleName(_("Question"))
        box.setDefaultButton(QMessageBox.StandardButton.Yes)
        yes = box.button(QMessageBox.StandardButton.Yes)
        yes.setObjectName(f"{name}Yes")
        box.button(QMessageBox.StandardButton.No).setObjectName(f"{name}No")
        box.finished.connect(lambda _r: on_yes() if box.clickedButton() is yes else None)
        box.finished.connect(lambda _r: self._dispose(box))
        self._confirm = box
        box.open()
        return box

    @staticmethod
    def _dispose(dialog: QWidget) -> None:
        """A closed question is gone at once for findChild, and deleted later."""
        dialog.setObjectName("")
        dialog.deleteLater()

    def request_next_cycle(self) -> QMessageBox | None:
        if self.report is None:
            return None
        self.editor.flush()
        keep = sum(1 for i in self.report["items"] if i["reconfirm"] and i["answer"])
        return self._ask(
            "nextCycleConfirm",
            _(
                "Start a new assessment from this one? {n} answers marked “re-confirm” are carried "
                "over to be confirmed again; all other questions start open."
            ).format(n=keep),
            self.next_cycle,
        )

    def next_cycle(self) -> None:
        assessment_id = self.assessment_id
        if assessment_id is None:
            return
        new_id = self._write(lambda s: svc.next_cycle(s, svc.get_assessment(s, assessment_id)).id)
        if new_id is not None:
            self.open_assessment(new_id)
            self.show_message(
                _("New assessment {id} started from the previous one.").format(id=new_id)
            )

    def request_upgrade(self) -> QMessageBox | None:
        if self.report is None or not self.report["template"]["newer_version"]:
            return None
        self.editor.flush()
        return self._ask(
            "upgradeConfirm",
            _(
                "Switch this assessment to version {v} of the template? Answers are kept by "
                "question; changed questions are marked, new ones are open, answers to removed "
                "questions go into the archive note."
            ).format(v=self.report["template"]["newer_version"]),
            self.upgrade,
        )

    def upgrade(self) -> None:
        assessment_id = self.assessment_id
        if assessment_id is None:
            return
        report = self._write(lambda s: svc.upgrade(s, svc.get_assessment(s, assessment_id)))
        if report is None:
            return
        self.assessment_id = report.assessment_id
        self.refresh()
        self._partnership_changed()
        text = _(
            "Now on template version {v}: {carried} answers kept, {changed} questions "
            "changed (marked), {new} new, {removed} removed (in the archive note)."
        ).format(
            v=report.to_version,
            carried=len(report.carried),
            changed=len(report.changed),
            new=len(report.new),
            removed=len(report.removed),
        )
        if report.new_revision:
            text += " " + _("The signed revision stays as it was.")
        self.show_message(text)

    def changeEvent(self, event: QEvent) -> None:  # noqa: N802
        super().changeEvent(event)
        if event.type() == QEvent.Type.LanguageChange:
            self.retranslate()

    def retranslate(self) -> None:
        """Show every text in the language now active, also the template's own texts."""
        self.texts.apply()
        self.setAccessibleName(_("Assessment"))
        for row, (_key, text) in enumerate(FILTERS):
            self.filter_combo.setItemText(row, _(text))
        for row in range(self.classification_combo.count()):
            value = self.classification_combo.itemData(row)
            self.classification_combo.setItemText(row, label(Classification, value))
        self.editor.retranslate()
        self.model.retranslate()
        try:
            self.reload_choices()
            if self.report is not None:
                self.editor.item_id = None  # shown again from scratch, in the new language
                self.refresh()
            else:
                self._show_header()
        except UserError as exc:  # e.g. the team server away while the language changes
            self.show_message(str(exc), error=True)


__all__ = ["FILTERS", "AssessmentView"]
