"""A form over one record, built from field specs; each finished edit is emitted at once."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date
from enum import StrEnum
from typing import Any, Protocol, runtime_checkable

from PySide6.QtCore import QEvent, QObject, QSize, Qt, QTimer, Signal
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QFormLayout,
    QGridLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QVBoxLayout,
    QWidget,
)

from chinadialog_desktop.domain.kinds import REGISTRY, Field, Kind
from chinadialog_desktop.domain.labels import LABELS, amount, label, partial_date
from chinadialog_desktop.i18n import _
from chinadialog_desktop.services.records import validation
from chinadialog_desktop.ui.common.form_style import TEXT_DEBOUNCE_MS, error_style
from chinadialog_desktop.ui.records.ref_combo import RefComboBox


@runtime_checkable
class MarkdownField(Protocol):
    """A rich field's text editor (``rich_text.RichTextEdit``, imported only when one is built)."""

    def markdown(self) -> str: ...

    def set_markdown_quietly(self, markdown: str) -> None: ...

    def flush(self) -> None: ...

    def pending(self) -> bool: ...

    def set_pending(self, pending: bool) -> None: ...


@dataclass(frozen=True)
class FieldSpec:
    """One field: ``widget`` is line, text, rich (formatted text stored as Markdown, for
    texts the briefing prints), combo, ref, partial_date, date, year, money (euro
    cents shown as 12.500,00), bool or checks.

    ``precision`` names the column that holds a partial date's precision;
    ``choices`` is an enum for combo and checks; ``options`` loads (value,
    text) pairs for a ref combo (a link to another record).
    """

    name: str
    label: str
    widget: str = "line"
    choices: type[StrEnum] | None = None
    precision: str | None = None
    options: Callable[[], Sequence[tuple[Any, str]]] | None = None
    placeholder: str = ""
    ref_kind: str | None = None  # the kind a ref field links to (its choices follow it)
    label_key: str | None = None  # the loaded value that names the linked record


def specs_for(kind: Kind) -> tuple[FieldSpec, ...]:
    """The editor's fields of a registry kind, in the registry's order, with its captions."""
    return tuple(
        FieldSpec(
            f.name,
            f.caption or f.name,
            f.editor_widget or "line",
            f.vocabulary,
            f.precision,
            placeholder=f.placeholder,
        )
        for f in REGISTRY[kind].editor_fields()
    )


def columns_for(
    kind: Kind, cells: dict[str, Callable[[dict[str, Any]], str]] | None = None
) -> tuple[tuple[str, str, Callable[[dict[str, Any]], str]], ...]:
    """A child panel's columns from the registry's list fields of ``kind``: key, header and
    cell text (codes as labels, partial dates as precise as known; ``cells`` overrides)."""

    def cell(f: Field) -> Callable[[dict[str, Any]], str]:
        if f.value_type == "date":
            precision = f.precision
            return lambda r: partial_date(r.get(f.name), r.get(precision or "") or "day")
        if f.vocabulary is not None and f.value_type == "enum":
            vocabulary = f.vocabulary
            return lambda r: label(vocabulary, r.get(f.name))
        return lambda r: str(r.get(f.name) or "")

    overrides = cells or {}
    return tuple(
        (f.name, f.header, overrides.get(f.name) or cell(f)) for f in REGISTRY[kind].list_fields()
    )


def object_name(prefix: str, name: str) -> str:
    """``("actor", "name_de")`` → ``actorNameDe``: the objectName tests find a field by."""
    return prefix + "".join(part.title() for part in name.split("_"))


class ChecksBox(QWidget):
    """Check boxes in two columns where the editor is wide enough, else in one.

    Its minimum width is one column's, so a narrow editor pane (a 1024 px screen) is not
    pushed wider than the window: the boxes then stand one below the other.
    """

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.grid = QGridLayout(self)
        self.grid.setContentsMargins(0, 0, 0, 0)
        self.checks: list[QCheckBox] = []
        self.columns = 2

    def add(self, check: QCheckBox) -> None:
        self.checks.append(check)
        self._arrange()

    def _widest(self) -> int:
        return max((c.sizeHint().width() for c in self.checks), default=0)

    def _arrange(self) -> None:
        for check in self.checks:
            self.grid.removeWidget(check)
        for n, check in enumerate(self.checks):
            self.grid.addWidget(check, n // self.columns, n % self.columns)

    def minimumSizeHint(self) -> QSize:  # noqa: N802
        hint = super().minimumSizeHint()
        return QSize(self._widest(), hint.height())

    def resizeEvent(self, event: Any) -> None:  # noqa: N802
        wanted = 2 if event.size().width() >= 2 * self._widest() + self.grid.spacing() else 1
        if wanted != self.columns:
            self.columns = wanted
            self._arrange()
        super().resizeEvent(event)


class PlainTextField(QPlainTextEdit):
    """A multi-line field that reports its text after a pause in typing and on leaving."""

    sig_finished = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setTabChangesFocus(True)
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(TEXT_DEBOUNCE_MS)
        self._timer.timeout.connect(self.sig_finished.emit)
        self.textChanged.connect(self._changed)
        self._loading = False

    def set_text_quietly(self, text: str) -> None:
        self._loading = True
        self.setPlainText(text)
        self._loading = False

    def _changed(self) -> None:
        if not self._loading:
            self._timer.start()

    def flush(self) -> None:
        """Report now what is pending (leaving the field, closing the window)."""
        if self._timer.isActive():
            self._timer.stop()
            self.sig_finished.emit()

    def set_pending(self, pending: bool) -> None:
        """Hold back (False) or ask again for (True) the report of typed text."""
        if pending:
            self._timer.start()
        else:
            self._timer.stop()

    def focusOutEvent(self, event: Any) -> None:  # noqa: N802
        self.flush()
        super().focusOutEvent(event)


class RecordForm(QWidget):
    """Edits one record. ``sig_edit(dict)`` carries the fields to save (name → new value).

    Invalid values (a date like 31.02.2020, an empty required field) are
    shown in German under the field and not emitted; everything else on the
    form keeps working.
    """

    sig_edit = Signal(dict)

    def __init__(
        self, kind: str, specs: Sequence[FieldSpec], prefix: str, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.kind = kind
        self.specs = {s.name: s for s in specs}
        self.prefix = prefix
        self.values: dict[str, Any] = {}
        self.options_stale = True  # link choices are re-read only after their records changed
        self.ref_kinds = {s.ref_kind for s in specs if s.ref_kind}
        self.widgets: dict[str, QWidget] = {}
        self.errors: dict[str, QLabel] = {}
        self.frames: dict[str, QWidget] = {}  # a rich field's editor with its toolbar
        # Rejected text per (record uuid, field): it stays in its field with its message
        # until it is fixed or discarded with Esc, also when the record is shown again after
        # another field was saved, or after another record was looked at.
        self.rejected: dict[tuple[Any, str], tuple[str, str]] = {}
        # A check of a value against the other records (a name another actor has), given
        # by the editor that can read them (through the workspace); None: none.
        self.check_against_others: Callable[[str, Any], str | None] | None = None
        self.setObjectName(f"{prefix}Form")
        layout = QFormLayout(self)
        layout.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        layout.setRowWrapPolicy(QFormLayout.RowWrapPolicy.WrapLongRows)
        for spec in specs:
            widget = self._make(spec)
            widget.setObjectName(object_name(prefix, spec.name))
            widget.setAccessibleName(_(spec.label))
            self.widgets[spec.name] = widget
            error = QLabel(self)
            error.setObjectName(widget.objectName() + "Error")
            error.setStyleSheet(error_style(self))
            error.setWordWrap(True)
            error.hide()
            self.errors[spec.name] = error
            box = QWidget(self)
            inner = QVBoxLayout(box)
            inner.setContentsMargins(0, 0, 0, 0)
            inner.setSpacing(2)
            inner.addWidget(self.frames.get(spec.name, widget))
            inner.addWidget(error)
            caption = QLabel(_(spec.label), self)
            caption.setBuddy(widget)
            layout.addRow(caption, box)

    def changeEvent(self, event: Any) -> None:  # noqa: N802
        if event.type() in (
            QEvent.Type.PaletteChange,
            QEvent.Type.ApplicationPaletteChange,
        ):  # the theme switched
            for error in self.errors.values():
                error.setStyleSheet(error_style(self))
        super().changeEvent(event)

    # -- widgets ----------------------------------------------------------
    def _make(self, spec: FieldSpec) -> QWidget:
        if spec.widget == "rich":
            from chinadialog_desktop.ui.records.rich_text import RichTextEditor

            frame = RichTextEditor(object_name(self.prefix, spec.name), _(spec.label), self)
            frame.text.setMinimumHeight(80)
            frame.text.setMaximumHeight(160)
            frame.text.sig_finished.connect(lambda n=spec.name: self._finished(n))
            self.frames[spec.name] = frame
            return frame.text
        if spec.widget == "text":
            text = PlainTextField(self)
            text.setMinimumHeight(64)
            text.setMaximumHeight(120)
            text.sig_finished.connect(lambda n=spec.name: self._finished(n))
            return text
        if spec.widget in ("combo", "ref"):
            combo = RefComboBox(spec.options, self) if spec.widget == "ref" else QComboBox(self)
            # Long titles must not widen the editor: the popup shows them in full.
            combo.setSizeAdjustPolicy(
                QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon
            )
            combo.setMinimumContentsLength(16)
            self._fill_combo(spec, combo)
            combo.activated.connect(lambda _i, n=spec.name: self._finished(n))
            return combo
        if spec.widget == "bool":
            check = QCheckBox(self)
            check.toggled.connect(lambda _on, n=spec.name: self._finished(n))
            return check
        if spec.widget == "checks":
            box = ChecksBox(self)
            assert spec.choices is not None
            for code in spec.choices:
                check = QCheckBox(label(spec.choices, code), box)
                check.setObjectName(f"{object_name(self.prefix, spec.name)}_{code.value}")
                check.setAccessibleName(label(spec.choices, code))
                check.setProperty("code", code.value)
                check.toggled.connect(lambda _on, n=spec.name: self._finished(n))
                box.add(check)
            return box
        line = QLineEdit(self)
        line.setClearButtonEnabled(spec.widget == "line")
        if spec.placeholder:
            line.setPlaceholderText(_(spec.placeholder))
        elif spec.widget == "partial_date":
            line.setPlaceholderText(_("DD.MM.YYYY, MM.YYYY or YYYY"))
        elif spec.widget == "date":
            line.setPlaceholderText(_("DD.MM.YYYY"))
        elif spec.widget == "money":
            line.setPlaceholderText(_("e.g. 12.500,00"))
        line.editingFinished.connect(lambda n=spec.name: self._finished(n))
        line.installEventFilter(self)
        return line

    def _fill_combo(self, spec: FieldSpec, combo: QComboBox) -> None:
        if isinstance(combo, RefComboBox):
            combo.invalidate()
            return
        combo.clear()
        if spec.choices is not None:
            for code in LABELS.get(spec.choices, {}):
                combo.addItem(label(spec.choices, code), str(code))

    def refresh_options(self) -> None:
        """Re-read the choices of link fields (new actors, partnerships, sources)."""
        if not self.options_stale:
            return
        self.options_stale = False
        for spec in self.specs.values():
            if spec.widget == "ref":
                combo = self.widgets[spec.name]
                assert isinstance(combo, QComboBox)
                combo.blockSignals(True)
                self._fill_combo(spec, combo)
                self._show(spec.name, self.values.get(spec.name))
                combo.blockSignals(False)

    # -- loading ----------------------------------------------------------
    def load(self, values: dict[str, Any]) -> None:
        """Show a record (all of its columns); nothing is emitted.

        A value this record's fields rejected earlier is shown again with its message.
        """
        self.values = dict(values)
        for name in self.specs:
            if not self._show_rejected(name):
                self._show(name, values.get(name))
                self.set_error(name, None)
        self._check_order()

    def _key(self, name: str) -> tuple[Any, str]:
        return (self.values.get("uuid"), name)

    def _show_rejected(self, name: str) -> bool:
        rejected = self.rejected.get(self._key(name))
        widget = self.widgets[name]
        if rejected is None or not isinstance(widget, QLineEdit):
            return False
        text, message = rejected
        widget.blockSignals(True)
        widget.setText(text)
        widget.blockSignals(False)
        self.set_error(name, message)
        return True

    def discard(self, name: str) -> bool:
        """Esc in a field holding a rejected value: the saved value comes back."""
        if self.rejected.pop(self._key(name), None) is None:
            return False
        self._show(name, self.values.get(name))
        self.set_error(name, None)
        self._check_order()
        return True

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802
        if (
            event.type() == QEvent.Type.KeyPress
            and isinstance(event, QKeyEvent)
            and event.key() == Qt.Key.Key_Escape
            and not event.modifiers()
        ):
            for name, widget in self.widgets.items():
                if widget is watched and self.discard(name):
                    return True
        return super().eventFilter(watched, event)

    def set_value(self, name: str, value: Any) -> None:
        """A field changed (undo, another editor, or this form's own save): show it.

        A save of this form carries the text the widget holds, so showing it
        changes nothing under the user's cursor; undo and redo must show even
        in the field that has the focus.
        """
        self.values[name] = value
        for spec in self.specs.values():
            if spec.precision == name:
                self._show(spec.name, self.values.get(spec.name))
        if name in self.specs and self._key(name) not in self.rejected:
            self._show(name, value)
            self.set_error(name, None)
        self._check_order()

    def _show(self, name: str, value: Any) -> None:
        spec = self.specs[name]
        widget = self.widgets[name]
        widget.blockSignals(True)
        try:
            if isinstance(widget, PlainTextField):
                if widget.toPlainText() != (value or ""):
                    widget.set_text_quietly(value or "")
            elif spec.widget == "rich" and isinstance(widget, MarkdownField):
                if widget.markdown() != (value or ""):
                    widget.set_markdown_quietly(value or "")
            elif isinstance(widget, RefComboBox):
                widget.set_value(value, self.values.get(spec.label_key or ""))
            elif isinstance(widget, QComboBox):
                index = widget.findData(value)
                widget.setCurrentIndex(index)
            elif isinstance(widget, QCheckBox):
                widget.setChecked(bool(value))
            elif spec.widget == "checks":
                chosen = set(value or ())
                for check in widget.findChildren(QCheckBox):
                    check.blockSignals(True)
                    check.setChecked(check.property("code") in chosen)
                    check.blockSignals(False)
            elif isinstance(widget, QLineEdit):
                text = self._text(spec, value)
                if widget.text() != text:
                    widget.setText(text)
                    widget.setCursorPosition(0)  # show the start of a long title
        finally:
            widget.blockSignals(False)

    def _text(self, spec: FieldSpec, value: Any) -> str:
        if value is None:
            return ""
        if spec.widget == "partial_date":
            precision = self.values.get(spec.precision or "", "day") or "day"
            return partial_date(value, precision)
        if spec.widget == "date" and isinstance(value, date):
            return partial_date(value, "day")
        if spec.widget == "money" and isinstance(value, int):
            return amount(value)
        return str(value)

    # -- editing ----------------------------------------------------------
    def current(self, name: str) -> dict[str, Any]:
        """The widget's value as fields to store; raises InvalidValue."""
        spec = self.specs[name]
        widget = self.widgets[name]
        if isinstance(widget, PlainTextField):
            return {name: widget.toPlainText()}
        if spec.widget == "rich" and isinstance(widget, MarkdownField):
            return {name: widget.markdown()}
        if isinstance(widget, QComboBox):
            return {name: widget.currentData()}
        if isinstance(widget, QCheckBox):
            return {name: widget.isChecked()}
        if spec.widget == "checks":
            return {
                name: [c.property("code") for c in widget.findChildren(QCheckBox) if c.isChecked()]
            }
        assert isinstance(widget, QLineEdit)
        text = widget.text().strip()
        if spec.widget == "partial_date":
            value, precision = validation.parse_partial_date(text)
            result: dict[str, Any] = {name: value}
            if spec.precision:
                result[spec.precision] = precision
            return result
        if spec.widget == "date":
            value, precision = validation.parse_partial_date(text)
            if value is not None and precision != "day":
                raise validation.InvalidValue(_("Please give the full date: DD.MM.YYYY."))
            return {name: value}
        if spec.widget == "year":
            return {name: validation.parse_year(text)}
        if spec.widget == "money":
            return {name: validation.parse_amount(text)}
        return {name: text}

    def _finished(self, name: str) -> None:
        try:
            wanted = self.current(name)
        except validation.InvalidValue as exc:
            self._reject(name, str(exc))
            return
        message = validation.field_error(self.kind, name, wanted.get(name))
        if not message and self.check_against_others is not None:
            message = self.check_against_others(name, wanted.get(name))
        if message:
            self._reject(name, message)
            return
        self.rejected.pop(self._key(name), None)
        self.set_error(name, None)
        changed = {k: v for k, v in wanted.items() if self.values.get(k) != v}
        if not changed:
            return
        self.values.update(changed)
        self._check_order()
        self.sig_edit.emit(changed)

    def unsaved(self) -> dict[str, str]:
        """Text typed into a field and not saved yet (still being typed, or rejected), by
        field: what a reload must not throw away."""
        out: dict[str, str] = {}
        for name, widget in self.widgets.items():
            spec = self.specs[name]
            if isinstance(widget, PlainTextField):
                if widget.toPlainText() != (self.values.get(name) or ""):
                    out[name] = widget.toPlainText()
            elif spec.widget == "rich" and isinstance(widget, MarkdownField):
                if widget.pending() or widget.markdown() != (self.values.get(name) or ""):
                    out[name] = widget.markdown()
            elif isinstance(widget, QLineEdit):
                rejected = self.rejected.get(self._key(name))
                if rejected is not None:
                    out[name] = rejected[0]
                elif widget.text() != self._text(spec, self.values.get(name)):
                    out[name] = widget.text()
        return out

    def text_of(self, name: str) -> str | None:
        """What a text field shows (Markdown for a rich one); None for lists and boxes."""
        widget = self.widgets[name]
        if isinstance(widget, PlainTextField):
            return widget.toPlainText()
        if self.specs[name].widget == "rich" and isinstance(widget, MarkdownField):
            return widget.markdown()
        if isinstance(widget, QLineEdit):
            return widget.text()
        return None

    def hold_pending(self) -> None:
        """Typed text waiting to be saved is not reported (the record is about to be read
        again; ``keep_input`` puts it back)."""
        for widget in self.widgets.values():
            if isinstance(widget, (PlainTextField, MarkdownField)):
                widget.set_pending(False)

    def keep_input(self, name: str, text: str, *, changed: bool) -> None:
        """Put the user's unsaved ``text`` back into field ``name`` after a reload.

        ``changed``: the other client changed this field too; a note then gives the value
        stored now, so the user decides (leaving the field saves the own text, Esc in a line
        field takes the stored one). Otherwise the text simply stays, to be saved as usual.
        """
        widget = self.widgets[name]
        spec = self.specs[name]
        stored = self._text(spec, self.values.get(name)) if spec.widget != "rich" else ""
        note = _(
            "Not saved yet: meanwhile it was changed on the server to “{value}”. Leaving the "
            "field saves your text."
        ).format(value=stored or self.values.get(name) or "")
        if isinstance(widget, QLineEdit):
            if changed:
                message = _("{message} Esc restores the saved value.").format(message=note)
                self.rejected[self._key(name)] = (text, message)
                self._show_rejected(name)
            else:
                widget.blockSignals(True)
                widget.setText(text)
                widget.blockSignals(False)
            return
        if isinstance(widget, PlainTextField):
            widget.set_text_quietly(text)
            widget.set_pending(True)  # saved after the usual pause, or on leaving the field
        elif isinstance(widget, MarkdownField):
            widget.set_markdown_quietly(text)
            widget.set_pending(True)
        if changed:
            self.set_error(name, note)

    def flush(self) -> None:
        for name, widget in self.widgets.items():
            if isinstance(widget, PlainTextField) or (
                name in self.frames and isinstance(widget, MarkdownField)
            ):
                widget.flush()

    def _reject(self, name: str, message: str) -> None:
        widget = self.widgets[name]
        if isinstance(widget, QLineEdit):
            message = _("{message} Esc restores the saved value.").format(message=message)
            self.rejected[self._key(name)] = (widget.text(), message)
        self.set_error(name, message)

    def set_error(self, name: str, message: str | None) -> None:
        error = self.errors[name]
        error.setText(message or "")
        error.setVisible(bool(message))
        self.widgets[name].setAccessibleDescription(message or "")

    def _check_order(self) -> None:
        """Warn (without blocking) where a date lies before the one it follows (the kind's
        declared date order, as the import and the command line check it), or when the
        financial fields contradict each other."""
        if "financial_impact" in self.specs and self._key("financial_impact") not in self.rejected:
            self.set_error("financial_impact", validation.finance_warning(self.values))
        found = validation.order_errors(self.kind, self.values)
        for name in validation.order_fields(self.kind):
            if name in self.specs and self._key(name) not in self.rejected:  # its own stays
                self.set_error(name, found.get(name))

    def focus_first(self) -> None:
        first = next(iter(self.widgets.values()), None)
        if first is not None:
            first.setFocus(Qt.FocusReason.ShortcutFocusReason)
            if isinstance(first, QLineEdit):
                first.selectAll()
