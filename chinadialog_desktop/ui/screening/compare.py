"""Side-by-side comparison of one hit: our record against the listed entity, and why it matched."""

from __future__ import annotations

from html import escape

from PySide6.QtWidgets import QGridLayout, QLabel, QTextBrowser, QWidget

from chinadialog_desktop.i18n import N_, _, format_date
from chinadialog_desktop.services.screening.runs import (
    EntityDetails,
    HitRow,
    identifier_label,
    schema_label,
    topic_label,
)
from chinadialog_desktop.services.screening.subject import OurSide
from chinadialog_desktop.ui.common.retranslate import Texts
from chinadialog_desktop.ui.screening.model import decision_text, score_text


def _mark(value: str, met: str | None) -> str:
    """The value, escaped; bold if it is the name the matcher used."""
    text = escape(value)
    return f"<b>{text}</b>" if met and value == met else text


def _row(label: str, values: list[str], met: str | None = None) -> str:
    shown = "<br>".join(_mark(v, met) for v in values) if values else "–"
    return f"<tr><td valign='top'><i>{escape(label)}</i>&nbsp;&nbsp;</td><td>{shown}</td></tr>"


def our_html(side: OurSide | None, hit: HitRow) -> str:
    name = hit.explanation.get("name") or {}
    met = name.get("ours")
    if side is None:
        return "<p>" + escape(_("This record no longer exists.")) + "</p>"
    title = _("Actor") if side.kind == "actor" else _("Contact person")
    rows = [
        _row(_("Latin letters"), side.latin, met),
        _row(_("Chinese characters"), side.characters, met),
    ]
    if side.kind == "actor":
        rows.append(_row(_("Pinyin"), side.pinyin, met))
    rows.append(_row(_("Identifiers"), [f"{k}: {v}" for k, v in side.identifiers]))
    rows.append(_row(_("Country"), [side.country] if side.country else []))
    rows.extend(_row(label, [value]) for label, value in side.extra)
    return f"<h3>{escape(title)}</h3><table>{''.join(rows)}</table>"


def their_html(details: EntityDetails | None, hit: HitRow) -> str:
    name = hit.explanation.get("name") or {}
    met = name.get("theirs")
    if details is None:
        return "<p>" + escape(_("This entity is no longer on the list.")) + "</p>"
    when = format_date(details.list_date) if details.list_date else _("unknown date")
    ids = [
        f"{identifier_label(k)}: {v}"
        for k, values in sorted(details.identifiers.items())
        for v in values
    ]
    designations = [topic_label(t) for t in hit.designations]
    assessments = [topic_label(t) for t in hit.assessments]
    other = [topic_label(t) for t in details.topics if t not in hit.designations + hit.assessments]
    rows = [
        _row(_("Names"), details.names, met),
        _row(_("Weak aliases"), details.weak_aliases, met),
        _row(_("Countries"), [c.upper() for c in details.countries]),
        _row(_("Legal designation"), designations),
        _row(_("Assessment (not a legal designation)"), assessments),
    ]
    if other:
        rows.append(_row(_("Other topics"), other))
    rows += [
        _row(_("Identifiers"), ids),
        _row(_("Kind"), [schema_label(details.schema)] if details.schema else []),
        _row(_("Reference list"), [f"{details.list_name}, {when}"]),
        _row(_("Entry"), [details.entity_key]),
    ]
    return f"<h3>{escape(details.caption)}</h3><table>{''.join(rows)}</table>"


def explanation_html(hit: HitRow) -> str:
    items = "".join(f"<li>{escape(line)}</li>" for line in hit.lines)
    decided = decision_text(hit)
    extra = f"<p><b>{escape(decided)}</b></p>" if decided else ""
    head = escape(_("Why this is a hit ({score})").format(score=score_text(hit.score)))
    return f"<p><b>{head}</b></p><ul>{items}</ul>{extra}"


class ComparePanel(QWidget):
    """Our record left, their entity right, the explanation in words below."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("screeningCompare")
        self.texts = Texts()
        layout = QGridLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        self.ours_title = QLabel(self)
        self.ours_title.setObjectName("compareOursTitle")
        self.texts.set(self.ours_title, "setText", N_("Our record"))
        self.theirs_title = QLabel(self)
        self.theirs_title.setObjectName("compareTheirsTitle")
        self.texts.set(self.theirs_title, "setText", N_("On the list"))
        self.ours = self._browser("compareOurs", N_("Our record"))
        self.theirs = self._browser("compareTheirs", N_("Listed entity"))
        self.why = self._browser("compareExplanation", N_("Explanation of the hit"))
        self.why_title = QLabel(self)
        self.why_title.setObjectName("compareExplanationTitle")
        self.texts.set(self.why_title, "setText", N_("Why it matched"))
        for column, (title, browser) in enumerate(
            (
                (self.ours_title, self.ours),
                (self.theirs_title, self.theirs),
                (self.why_title, self.why),
            )
        ):
            title.setBuddy(browser)
            layout.addWidget(title, 0, column)
            layout.addWidget(browser, 1, column)
        layout.setColumnStretch(0, 4)
        layout.setColumnStretch(1, 5)
        layout.setColumnStretch(2, 6)
        self.show_nothing()

    def _browser(self, name: str, accessible: str) -> QTextBrowser:
        browser = QTextBrowser(self)
        browser.setObjectName(name)
        self.texts.set(browser, "setAccessibleName", accessible)
        browser.setOpenLinks(False)
        return browser

    def show_nothing(self) -> None:
        hint = "<p>" + escape(_("Select a hit to compare it side by side.")) + "</p>"
        self.ours.setHtml(hint)
        self.theirs.clear()
        self.why.clear()

    def show_hit(self, hit: HitRow, ours: OurSide | None, theirs: EntityDetails | None) -> None:
        self.ours.setHtml(our_html(ours, hit))
        self.theirs.setHtml(their_html(theirs, hit))
        self.why.setHtml(explanation_html(hit))

    def retranslate(self) -> None:
        self.texts.apply()

    def text(self) -> str:
        """Everything shown, as plain text (for tests and screen readers' summaries)."""
        return "\n".join(b.toPlainText() for b in (self.ours, self.theirs, self.why))
