"""The editor for one assessment item: answer buttons, evidence, people, dates, sources."""

from __future__ import annotations

from datetime import date
from typing import Any

from PySide6.QtCore import QDate, QEvent, QObject, Qt, QTimer, Signal
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import (
    QButtonGroup,
    QCheckBox,
    QDateEdit,
    QFormLayout,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QPlainTextEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from chinadialog_desktop.domain.checklist import AnswerOption
from chinadialog_desktop.i18n import N_, _, format_date, language
from chinadialog_desktop.services.assessment.workflow import AnswerUpdate
from chinadialog_desktop.ui.common.retranslate import Texts

LONG_ANSWER = 14  # characters: longer answer labels go two to a row, so the pane stays narrow
SAVE_DELAY_MS = 600  # typing in the evidence box is saved after this pause (and on leaving it)
SEVERITY_WORDS = {
    "critical": N_("critical"),
    "high": N_("high"),
    "medium": N_("medium"),
    "low": N_("low"),
}


def _initial(label: str) -> str | None:
    first = label.strip()[:1].upper()
    return first if first.isascii() and first.isalpha() else None


class AnswerKeys:
    """Which key records which answer, for one question.

    Keys mean one thing in the whole checklist: the digits 1–9 and the unique first
    letters of the template's general scale (German J/T/N/U/E) always record the same
    answer code. A question with its own answers gets its own letters for the answers
    the general scale does not have: the label's first letter if it is free, otherwise
    the first free letter from A on. A general key whose answer the question does not
    offer records nothing (``refused``), it never falls through to another answer.
    """

    def __init__(
        self, general: tuple[AnswerOption, ...], options: tuple[AnswerOption, ...], lang: str
    ) -> None:
        self.general: dict[int, str] = {}
        for n, option in enumerate(general[:9]):
            self.general[int(Qt.Key.Key_1) + n] = option.code
        letters: dict[str, list[str]] = {}
        for option in general:
            letter = _initial(option.label.get(lang))
            if letter:
                letters.setdefault(letter, []).append(option.code)
        for letter, codes in letters.items():
            if len(codes) == 1:
                self.general[ord(letter)] = codes[0]
        offered = {option.code for option in options}
        self.codes: dict[int, str] = {k: c for k, c in self.general.items() if c in offered}
        general_codes = {option.code for option in general}
        own = [option for option in options if option.code not in general_codes]
        taken = {chr(k) for k in self.general if ord("A") <= k <= ord("Z")}
        initials = [_initial(option.label.get(lang)) for option in own]
        chosen: dict[str, str] = {}
        for option, letter in zip(own, initials, strict=True):
            if letter and letter not in taken and initials.count(letter) == 1:
                chosen[option.code] = letter
        taken |= set(chosen.values())
        free = [chr(c) for c in range(ord("A"), ord("Z") + 1) if chr(c) not in taken]
        for option in own:
            if option.code not in chosen and free:
                chosen[option.code] = free.pop(0)
        for code, letter in chosen.items():
            self.codes[ord(letter)] = code
        self.labels = {option.code: option.label.get(lang) for option in (*general, *options)}

    def code(self, key: int) -> str | None:
        return self.codes.get(key)

    def refused(self, key: int) -> bool:
        """A general answer key that this question does not accept."""
        return key in self.general and key not in self.codes

    def keys_for(self, code: str) -> str:
        """``"1/J"``, ``"A"`` or ``""``: the keys that record ``code``."""
        digits = [chr(k) for k, c in self.codes.items() if c == code and k < ord("A")]
        letters = [chr(k) for k, c in self.codes.items() if c == code and k >= ord("A")]
        return "/".join(digits + letters)

    def legend(self, options: tuple[AnswerOption, ...]) -> str:
        parts = [
            f"{self.keys_for(o.code)} {self.labels[o.code]}"
            for o in options
            if self.keys_for(o.code)
        ]
        return " · ".join(parts)

    def refusal(self, key: int, options: tuple[AnswerOption, ...]) -> str:
        """One sentence for a general key pressed on a question with its own answers."""
        return _(
            "Key {key} (“{label}”) does not apply to this question; it has its own "
            "answers: {legend}."
        ).format(key=chr(key), label=self.labels[self.general[key]], legend=self.legend(options))


def answer_keys(
    options: tuple[AnswerOption, ...], lang: str, general: tuple[AnswerOption, ...] | None = None
) -> dict[int, str]:
    """Qt key → answer code for a question with ``options`` (see :class:`AnswerKeys`)."""
    return AnswerKeys(options if general is None else general, options, lang).codes


class DateField(QWidget):
    """An optional date: a check box turns it on, the date edit holds the value."""

    sig_changed = Signal(object)  # date | None

    def __init__(self, name: str, label: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName(name)
        row = QHBoxLayout(self)
        row.setContentsMargins(0, 0, 0, 0)
        self.label = label  # message id
        self.check = QCheckBox(self)
        self.check.setObjectName(f"{name}Set")
        self.edit = QDateEdit(self)
        self.edit.setObjectName(f"{name}Date")
        self.edit.setCalendarPopup(True)
        self.retranslate()
        self.edit.setDate(QDate.currentDate())
        self.edit.setEnabled(False)
        row.addWidget(self.check)
        row.addWidget(self.edit, 1)
        self._loading = False
        self.check.toggled.connect(self._toggled)
        self.edit.dateChanged.connect(self._date_changed)

    def retranslate(self) -> None:
        self.check.setText(_("set"))
        self.check.setAccessibleName(_("{what}: set").format(what=_(self.label)))
        self.edit.setAccessibleName(_(self.label))
        self.edit.setDisplayFormat("dd.MM.yyyy" if language() == "de" else "yyyy-MM-dd")

    def value(self) -> date | None:
        if not self.check.isChecked():
            return None
        chosen = self.edit.date()  # QDate.toPython() is typed as object in PySide6's stubs
        return date(chosen.year(), chosen.month(), chosen.day())

    def set_value(self, value: date | None) -> None:
        self._loading = True
        try:
            self.check.setChecked(value is not None)
            self.edit.setEnabled(value is not None and self.isEnabled())
            self.edit.setDate(QDate(value) if value is not None else QDate.currentDate())
        finally:
            self._loading = False

    def _toggled(self, on: bool) -> None:
        self.edit.setEnabled(on)
        if not self._loading:
            self.sig_changed.emit(self.value())

    def _date_changed(self, _value: QDate) -> None:
        if not self._loading and self.check.isChecked():
            self.sig_changed.emit(self.value())


class AnswerEditor(QWidget):
    """Shows one item of the report; every change is sent out at once as ``sig_change``.

    ``sig_answer_key(code)`` fires when an answer key (1–5, J/T/N/U/E) is pressed on
    an answer button, so the view can answer and move on as in the list.
    """

    sig_change = Signal(str, object)  # item id, AnswerUpdate
    sig_answer_key = Signal(str)  # answer code chosen by key
    sig_key_refused = Signal(str)  # a general answer key this question does not take: why

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("answerEditor")
        self.texts = Texts()
        self.texts.set(self, "setAccessibleName", N_("Answer to the selected question"))
        self.item_id: str | None = None
        self.options: tuple[AnswerOption, ...] = ()
        self.general: tuple[AnswerOption, ...] = ()
        self.keys = AnswerKeys((), (), language())
        self.read_only = False
        self.sources: list[tuple[str, str]] = []
        self._loading = False
        self._saved_evidence: str = ""

        layout = QVBoxLayout(self)
        self.question_label = QLabel(self)
        self.question_label.setObjectName("questionLabel")
        self.question_label.setWordWrap(True)
        self.question_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        font = self.question_label.font()
        font.setBold(True)
        font.setPointSizeF(font.pointSizeF() * 1.1)
        self.question_label.setFont(font)
        layout.addWidget(self.question_label)
        self.info_label = QLabel(self)
        self.info_label.setObjectName("itemInfoLabel")
        self.info_label.setWordWrap(True)
        layout.addWidget(self.info_label)
        self.guidance_label = QLabel(self)
        self.guidance_label.setObjectName("guidanceLabel")
        self.guidance_label.setWordWrap(True)
        self.guidance_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        layout.addWidget(self.guidance_label)
        self.na_label = QLabel(self)
        self.na_label.setObjectName("notApplicableLabel")
        self.na_label.setWordWrap(True)
        layout.addWidget(self.na_label)

        self.answer_row = QGridLayout()  # long answers wrap into two columns
        self.answer_group = QButtonGroup(self)
        self.answer_group.setExclusive(False)  # an answer can be taken back: clicked twice
        self.answer_group.idClicked.connect(self._answer_clicked)
        layout.addLayout(self.answer_row)
        self.keys_label = QLabel(self)
        self.keys_label.setObjectName("answerKeysLabel")
        self.keys_label.setWordWrap(True)
        layout.addWidget(self.keys_label)
        self.buttons: dict[str, QPushButton] = {}

        form = QFormLayout()
        self.evidence_edit = QPlainTextEdit(self)
        self.evidence_edit.setObjectName("evidenceEdit")
        self.texts.set(self.evidence_edit, "setAccessibleName", N_("Evidence"))
        self.texts.set(
            self.evidence_edit,
            "setPlaceholderText",
            N_("What the answer rests on: documents, talks, decisions"),
        )
        self.evidence_edit.setTabChangesFocus(True)
        self.evidence_edit.setMaximumHeight(110)
        form.addRow(self._label(N_("&Evidence"), self.evidence_edit), self.evidence_edit)
        self.responsible_edit = QLineEdit(self)
        self.responsible_edit.setObjectName("responsibleEdit")
        self.texts.set(self.responsible_edit, "setAccessibleName", N_("Responsible"))
        form.addRow(self._label(N_("&Responsible"), self.responsible_edit), self.responsible_edit)
        self.due_field = DateField("dueField", N_("Due date"), self)
        form.addRow(self._label(N_("Due date"), self.due_field.check), self.due_field)
        self.review_field = DateField("reviewByField", N_("Review by"), self)
        form.addRow(self._label(N_("Review by"), self.review_field.check), self.review_field)
        self.reconfirm_check = QCheckBox(self)
        self.texts.set(self.reconfirm_check, "setText", N_("Re-confirm in the next assessment"))
        self.reconfirm_check.setObjectName("reconfirmCheck")
        self.texts.set(
            self.reconfirm_check, "setAccessibleName", N_("Re-confirm in the next assessment")
        )
        form.addRow("", self.reconfirm_check)
        self.sources_list = QListWidget(self)
        self.sources_list.setObjectName("sourcesList")
        self.texts.set(self.sources_list, "setAccessibleName", N_("Linked sources"))
        self.sources_list.setMaximumHeight(120)
        form.addRow(self._label(N_("&Sources"), self.sources_list), self.sources_list)
        layout.addLayout(form)
        self.note_label = QLabel(self)
        self.note_label.setObjectName("answerNoteLabel")
        self.note_label.setWordWrap(True)
        layout.addWidget(self.note_label)
        layout.addStretch(1)

        self._evidence_timer = QTimer(self)
        self._evidence_timer.setSingleShot(True)
        self._evidence_timer.setInterval(SAVE_DELAY_MS)
        self._evidence_timer.timeout.connect(self.flush)
        self.evidence_edit.textChanged.connect(self._evidence_typed)
        self.evidence_edit.installEventFilter(self)
        self.responsible_edit.editingFinished.connect(self._responsible_done)
        self.due_field.sig_changed.connect(lambda v: self._send(AnswerUpdate(due_on=v)))
        self.review_field.sig_changed.connect(lambda v: self._send(AnswerUpdate(review_by=v)))
        self.reconfirm_check.toggled.connect(
            lambda on: self._send(AnswerUpdate(reconfirm=bool(on)))
        )
        self.sources_list.itemChanged.connect(self._sources_changed)
        self.show_item(None, None, (), [])

    def _label(self, text: str, buddy: QWidget) -> QLabel:
        label = QLabel(self)
        self.texts.set(label, "setText", text)
        label.setBuddy(buddy)
        return label

    def retranslate(self) -> None:
        """Static texts in the language now active (the item is shown again by the view)."""
        self.texts.apply()
        self.due_field.retranslate()
        self.review_field.retranslate()

    # -- showing -------------------------------------------------------------
    def show_item(
        self,
        item: Any,
        row: dict[str, Any] | None,
        options: tuple[AnswerOption, ...],
        sources: list[tuple[str, str]],
        *,
        read_only: bool = False,
        references: str = "",
        general: tuple[AnswerOption, ...] | None = None,
        number: str = "",
    ) -> None:
        """``item`` is the domain Item, ``row`` its entry in ``assessment_report``;
        ``number`` how people cite the question ("3.2").

        ``general`` is the template's general answer scale (the keys' meaning); by default
        ``options`` themselves.
        """
        self.flush()
        self._loading = True
        self.general = options if general is None else general
        try:
            self._show(item, row, options, sources, read_only, references, number)
        finally:
            self._loading = False

    def _show(
        self,
        item: Any,
        row: dict[str, Any] | None,
        options: tuple[AnswerOption, ...],
        sources: list[tuple[str, str]],
        read_only: bool,
        references: str,
        number: str = "",
    ) -> None:
        lang = language()
        self.item_id = item.id if item is not None else None
        self.read_only = read_only
        self.sources = list(sources)
        for button in list(self.buttons.values()):
            self.answer_group.removeButton(button)
            self.answer_row.removeWidget(button)
            button.setParent(None)  # gone at once, also for findChild
            button.deleteLater()
        self.buttons = {}
        self.options = options
        self.keys = AnswerKeys(self.general, options, lang)
        self.keys_label.clear()
        if item is None or row is None:
            self.question_label.setText(_("Select a question in the list."))
            for label in (self.info_label, self.guidance_label, self.na_label, self.note_label):
                label.clear()
            self.na_label.hide()
            self._set_inputs_enabled(False)
            self.evidence_edit.setPlainText("")
            self.responsible_edit.setText("")
            self.due_field.set_value(None)
            self.review_field.set_value(None)
            self.reconfirm_check.setChecked(False)
            self.sources_list.clear()
            self._saved_evidence = ""
            return
        self.question_label.setText(item.question.get(lang))
        info = [_("Question {number}").format(number=number)] if number else []
        if item.chance:  # the chance side: no severity, never a blocker
            info.append(_("chance question: scored on the chance side, apart from the risks"))
        else:
            info.append(_("severity: {s}").format(s=_(SEVERITY_WORDS[item.severity.value])))
        if item.blocker and item.blocker_answers:
            excluding = ", ".join(
                o.label.get(lang) for o in options if o.code in item.blocker_answers
            )
            info.append(
                _("blocker: the answer {answers} turns the whole assessment red").format(
                    answers=f"„{excluding}“" if lang == "de" else f"“{excluding}”"
                )
            )
        elif item.blocker:
            info.append(_("blocker: a risk answer turns the whole assessment red"))
        self.info_label.setText(" · ".join(info))
        guidance = item.guidance.get(lang)
        if references:
            # Outside the f-string: message extraction does not look inside one.
            cited = _("Sources: {refs}").format(refs=references)
            guidance = f"{guidance}\n{cited}"
        self.guidance_label.setText(guidance)
        greyed = self._show_applicability(item, row)
        longest = max((len(o.label.get(lang)) for o in options), default=0)
        per_row = len(options) if longest <= LONG_ANSWER else 2
        for n, option in enumerate(options):
            keys = self.keys.keys_for(option.code)
            button = QPushButton(f"{keys}  {option.label.get(lang)}".strip(), self)
            button.setObjectName(f"answerButton_{option.code}")
            button.setAccessibleName(_("Answer: {label}").format(label=option.label.get(lang)))
            button.setToolTip(_("Key {keys}").format(keys=keys) if keys else "")
            button.setCheckable(True)
            button.setChecked(row["answer"] == option.code)
            button.installEventFilter(self)
            self.answer_group.addButton(button, n)
            self.answer_row.addWidget(button, n // per_row, n % per_row)
            self.buttons[option.code] = button
        legend = self.keys.legend(options)
        if options != self.general:
            self.keys_label.setText(
                _("This question has its own answers. Keys: {legend}").format(legend=legend)
            )
        elif legend:
            self.keys_label.setText(_("Keys: {legend}").format(legend=legend))
        self._set_inputs_enabled(not read_only)
        for button in self.buttons.values():
            button.setEnabled(not read_only and not greyed)
        self._saved_evidence = row["evidence"] or ""
        self.evidence_edit.setPlainText(self._saved_evidence)
        self.responsible_edit.setText(row["responsible"] or "")
        self.due_field.set_value(date.fromisoformat(row["due_on"]) if row["due_on"] else None)
        self.review_field.set_value(
            date.fromisoformat(row["review_by"]) if row["review_by"] else None
        )
        self.reconfirm_check.setChecked(bool(row["reconfirm"]))
        self.sources_list.clear()
        linked = set(row["source_ids"])
        known = {uuid for uuid, _label in sources}
        for uuid, label in [*sources, *[(u, u) for u in row["source_ids"] if u not in known]]:
            entry = QListWidgetItem(label, self.sources_list)
            entry.setData(Qt.ItemDataRole.UserRole, uuid)
            flags = Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable
            if not read_only:
                flags |= Qt.ItemFlag.ItemIsUserCheckable
            entry.setFlags(flags)
            entry.setCheckState(
                Qt.CheckState.Checked if uuid in linked else Qt.CheckState.Unchecked
            )
        self._show_notes(row)

    def update_item(self, item: Any, row: dict[str, Any]) -> None:
        """The same item after a save: answer, applicability and notes; typed text stays."""
        self._loading = True
        try:
            greyed = self._show_applicability(item, row)
            for code, button in self.buttons.items():
                button.setChecked(row["answer"] == code)
                button.setEnabled(not self.read_only and not greyed)
            self._show_notes(row)
        finally:
            self._loading = False

    def _show_applicability(self, item: Any, row: dict[str, Any]) -> bool:
        applicability = row["applicability"]
        greyed = applicability in ("not_for_type", "dependency")
        if greyed:
            self.na_label.setText(
                _("Does not apply to this type of partnership.")
                if applicability == "not_for_type"
                else _("Asked only when {item} is answered with: {answers}.").format(
                    item=item.depends_on.item, answers=", ".join(item.depends_on.answers)
                )
                if item.depends_on
                else _("Does not apply.")
            )
            self.na_label.show()
        else:
            self.na_label.hide()
        return greyed

    def _show_notes(self, row: dict[str, Any]) -> None:
        notes = []
        if row["answered_by"] or row["answered_at"]:
            when = row["answered_at"][:10] if row["answered_at"] else ""
            notes.append(
                _("Answered by {who} on {when}").format(
                    who=row["answered_by"] or "—",
                    when=format_date(date.fromisoformat(when)) if when else "—",
                )
            )
        if row["stale"]:
            notes.append(_("Stale: the review date has passed; check the answer again."))
        if row["changed_item"]:
            notes.append(
                _("The question or its scale changed in the new template version; answer it again.")
            )
        if row["note"]:
            notes.append(row["note"])
        self.note_label.setText("\n".join(notes))

    def _set_inputs_enabled(self, on: bool) -> None:
        self.evidence_edit.setReadOnly(not on)
        self.responsible_edit.setReadOnly(not on)
        for widget in (self.due_field, self.review_field, self.reconfirm_check):
            widget.setEnabled(on)
        self.due_field.edit.setEnabled(on and self.due_field.check.isChecked())
        self.review_field.edit.setEnabled(on and self.review_field.check.isChecked())

    # -- sending -------------------------------------------------------------
    def _send(self, update: AnswerUpdate) -> None:
        if self._loading or self.item_id is None or self.read_only:
            return
        self.sig_change.emit(self.item_id, update)

    def choose(self, code: str | None) -> None:
        """Answer with ``code`` (None clears the answer)."""
        if code is not None and code not in self.buttons:
            return
        for option_code, button in self.buttons.items():
            button.setChecked(option_code == code)
        self._send(AnswerUpdate(answer=code))

    def _answer_clicked(self, n: int) -> None:
        code = self.options[n].code
        button = self.buttons[code]
        self.choose(code if button.isChecked() else None)

    def _evidence_typed(self) -> None:
        if not self._loading and not self.read_only:
            self._evidence_timer.start()

    def flush(self) -> None:
        """Save typed evidence that is not saved yet."""
        self._evidence_timer.stop()
        if self._loading or self.item_id is None or self.read_only:
            return
        text = self.evidence_edit.toPlainText()
        if text != self._saved_evidence:
            self._saved_evidence = text
            self._send(AnswerUpdate(evidence=text.strip() or None))

    def _responsible_done(self) -> None:
        self._send(AnswerUpdate(responsible=self.responsible_edit.text().strip() or None))

    def _sources_changed(self, _entry: QListWidgetItem) -> None:
        ids = [
            str(self.sources_list.item(n).data(Qt.ItemDataRole.UserRole))
            for n in range(self.sources_list.count())
            if self.sources_list.item(n).checkState() == Qt.CheckState.Checked
        ]
        self._send(AnswerUpdate(source_ids=ids))

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802
        if watched is self.evidence_edit and event.type() == QEvent.Type.FocusOut:
            self.flush()
        elif isinstance(watched, QPushButton) and event.type() == QEvent.Type.KeyPress:
            key = event.key() if isinstance(event, QKeyEvent) else 0
            plain = (
                isinstance(event, QKeyEvent)
                and not event.modifiers() & ~Qt.KeyboardModifier.KeypadModifier
            )
            code = self.keys.code(key)
            if code is not None and plain:
                self.sig_answer_key.emit(code)
                return True
            if plain and self.keys.refused(key):
                self.sig_key_refused.emit(self.keys.refusal(key, self.options))
                return True
        return super().eventFilter(watched, event)


__all__ = ["SAVE_DELAY_MS", "AnswerEditor", "AnswerKeys", "DateField", "answer_keys"]
