"""A marked box of confirmed screening hits, shown on the actor and in the dossier editor."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import UTC, datetime
from html import escape
from typing import TYPE_CHECKING

from PySide6.QtCore import QRect, Qt, Slot
from PySide6.QtGui import QColor, QGuiApplication, QPainter, QPaintEvent, QWindow
from PySide6.QtWidgets import QFrame, QLabel, QVBoxLayout, QWidget

from chinadialog_desktop.i18n import _, format_date

if TYPE_CHECKING:  # the screening code (and rapidfuzz) only when hits are shown
    from chinadialog_desktop.services.screening.runs import HitRow

# A red that stands out on the light (#f3f4f6) and the dark (#26292e) window alike.
ACCENT = QColor("#d93025")
STRIPE = 5


def _when(value: datetime | None) -> str:
    if value is None:
        return ""
    if value.tzinfo is None:
        value = value.replace(tzinfo=UTC)
    local = value.astimezone()
    return f"{format_date(local.date())} {local:%H:%M}"


def hit_html(row: HitRow, with_subject: bool) -> str:
    """One confirmed hit as a few lines of rich text (every value escaped)."""
    from chinadialog_desktop.services.screening.runs import topic_label

    when = format_date(row.list_date) if row.list_date else _("unknown date")
    head = _("{list} (as of {date})").format(list=escape(row.list_name), date=escape(when))
    lines = [f"<b>{head}</b>"]
    name = escape(row.entity_caption)
    if with_subject:
        ours = escape(row.subject_label)
        lines.append(_("{ours} – listed as “{theirs}”").format(ours=ours, theirs=name))
    else:
        lines.append(_("Listed as “{theirs}”").format(theirs=name))
    if row.designations:
        labels = ", ".join(escape(topic_label(t)) for t in row.designations)
        lines.append(_("Legal designation: {topics}").format(topics=f"<b>{labels}</b>"))
    if row.assessments:
        labels = ", ".join(escape(topic_label(t)) for t in row.assessments)
        lines.append(_("Assessment (no legal act): {topics}").format(topics=labels))
    if row.reason:
        lines.append(_("Reason: {reason}").format(reason=escape(row.reason)))
    if row.decided_by or row.decided_at:
        lines.append(
            _("Confirmed by {who} on {when}").format(
                who=escape(row.decided_by or _("unknown")), when=escape(_when(row.decided_at))
            )
        )
    return "<br>".join(lines)


class ConfirmedHitsBox(QFrame):
    """Heading plus one label per hit, a red stripe on the left; hidden while there is none.

    ``fetch`` reads the hits of the record shown (None: no record). Besides
    ``refresh()`` on every record load, the box reads them again when its
    window gets the focus back, e.g. after a hit was confirmed in the
    screening window.
    """

    def __init__(
        self,
        prefix: str,
        with_subject: bool,
        fetch: Callable[[], Sequence[HitRow] | None],
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.with_subject = with_subject
        self.fetch = fetch
        self.rows: list[HitRow] = []
        self.setObjectName(f"{prefix}ConfirmedHits")
        self.setAccessibleName(_("Confirmed hits in reference lists"))
        self.setFrameShape(QFrame.Shape.StyledPanel)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(STRIPE + 10, 6, 8, 8)
        layout.setSpacing(6)
        self.title = QLabel(self)
        self.title.setObjectName(f"{prefix}ConfirmedHitsTitle")
        font = self.title.font()
        font.setBold(True)
        self.title.setFont(font)
        self.title.setWordWrap(True)
        layout.addWidget(self.title)
        self.labels: list[QLabel] = []
        self._layout = layout
        self.setVisible(False)
        app = QGuiApplication.instance()
        if isinstance(app, QGuiApplication):
            app.focusWindowChanged.connect(self._focus_changed)

    def refresh(self) -> None:
        """Read the hits of the record shown again."""
        self.set_hits(self.fetch() or [])

    @Slot(QWindow)
    def _focus_changed(self, window: QWindow | None) -> None:
        parent = self.parentWidget()
        shown = parent is not None and parent.isVisible()
        if shown and window is not None and window is self.window().windowHandle():
            self.refresh()

    def set_hits(self, rows: Sequence[HitRow]) -> None:
        """Show ``rows`` (confirmed hits); with none the box stays hidden."""
        self.rows = list(rows)
        for old in self.labels:
            self._layout.removeWidget(old)
            old.deleteLater()
        self.labels = []
        self.title.setText(
            _("Confirmed hits in reference lists ({n})").format(n=len(self.rows))
            if len(self.rows) > 1
            else _("Confirmed hits in reference lists")
        )
        for n, row in enumerate(self.rows):
            label = QLabel(hit_html(row, self.with_subject), self)
            label.setObjectName(f"{self.objectName()}Hit{n}")
            label.setTextFormat(Qt.TextFormat.RichText)
            label.setWordWrap(True)
            label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
            label.setAccessibleName(_("Confirmed hit: {entity}").format(entity=row.entity_caption))
            self._layout.addWidget(label)
            self.labels.append(label)
        self.setVisible(bool(self.rows))

    def texts(self) -> list[str]:
        """The plain text of every hit shown (for tests and the accessibility tree)."""
        return [label.text() for label in self.labels]

    def paintEvent(self, event: QPaintEvent) -> None:  # noqa: N802
        super().paintEvent(event)
        painter = QPainter(self)
        painter.fillRect(QRect(0, 0, STRIPE, self.height()), ACCENT)
        painter.end()
