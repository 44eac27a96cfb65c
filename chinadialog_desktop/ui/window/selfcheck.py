"""The GUI part of ``chinadialog selftest``: start, paint, fill the list, check, quit."""

from __future__ import annotations

import sys
import time
from dataclasses import dataclass, field
from pathlib import Path

from PySide6.QtCore import QMessageLogContext, QTimer, QtMsgType, qInstallMessageHandler
from PySide6.QtGui import QFont, QGuiApplication

from chinadialog_desktop.i18n import _
from chinadialog_desktop.ui.app import GuiSession, start
from chinadialog_desktop.ui.common.fonts import PROBE_TEXT, undrawn_characters
from chinadialog_desktop.ui.window import milestones


@dataclass
class SelfcheckResult:
    platform: str = ""
    first_paint: float | None = None  # seconds after started_at
    list_filled: float | None = None
    rows: int = 0
    problems: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.problems and self.first_paint is not None and self.list_filled is not None


def _quiet_offscreen_warning(mode: QtMsgType, context: QMessageLogContext, message: str) -> None:
    # The offscreen plugin warns about every top-level window; that is not a problem.
    if "does not support propagateSizeHints" in message:
        return
    print(message, file=sys.stderr)


def run_selfcheck(
    database_path: Path,
    *,
    expect_text: str | None = None,
    timeout_s: float = 60.0,
    started_at: float | None = None,
) -> SelfcheckResult:
    """Open the real main window on ``database_path`` and check what it shows.

    Times are measured from ``started_at`` (a ``time.perf_counter()`` value,
    e.g. taken before PySide6 was imported), or from this call.
    """
    result = SelfcheckResult()
    t0 = time.perf_counter() if started_at is None else started_at
    previous_handler = qInstallMessageHandler(_quiet_offscreen_warning)
    session = start(database_path)
    app = session.app
    result.platform = QGuiApplication.platformName()

    def fail(message: str) -> None:
        result.problems.append(message)
        app.exit(1)

    def on_milestone(name: str, when: float) -> None:
        if name == milestones.FIRST_PAINT and result.first_paint is None:
            result.first_paint = when - t0
        elif name == milestones.LIST_FILLED and result.list_filled is None:
            result.list_filled = when - t0
            _inspect(session, result, expect_text)
            app.exit(1 if result.problems else 0)

    def on_timeout() -> None:
        message = _("The window did not show the list within {seconds:.0f} s.")
        fail(message.format(seconds=timeout_s))

    session.on_failure.append(fail)
    unsubscribe = milestones.subscribe(on_milestone)
    watchdog = QTimer(session.window)
    watchdog.setSingleShot(True)
    watchdog.timeout.connect(on_timeout)
    watchdog.start(int(timeout_s * 1000))
    try:
        app.exec()
    finally:
        watchdog.stop()
        unsubscribe()
        session.window.close()
        session.window.deleteLater()
        session.close()
        qInstallMessageHandler(previous_handler)
    return result


def _inspect(session: GuiSession, result: SelfcheckResult, expect_text: str | None) -> None:
    window = session.window
    if not window.isVisible():
        result.problems.append(_("The main window is not visible."))
    image = window.grab().toImage()
    if image.isNull() or image.width() == 0 or image.height() == 0:
        result.problems.append(_("The main window could not be painted."))
    model = window.model
    result.rows = model.rowCount() if model is not None else 0
    if expect_text is not None:
        shown = (
            [
                str(model.index(r, c).data() or "")
                for r in range(result.rows)
                for c in range(model.columnCount())
            ]
            if model is not None
            else []
        )
        if not any(expect_text in text for text in shown):
            result.problems.append(_("The list does not show “{text}”.").format(text=expect_text))
    if not session.fonts.bundled_families:
        result.problems.append(_("The bundled font could not be loaded."))
    else:
        # Drawn, not just mapped: WenQuanYi maps ǎ ǐ ǒ ǔ to blank glyphs.
        missing = undrawn_characters(QFont(session.app.font()), PROBE_TEXT)
        if missing:
            result.problems.append(
                _("The window cannot draw the characters {chars}.").format(chars="".join(missing))
            )
