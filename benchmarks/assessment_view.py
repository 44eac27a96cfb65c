"""Assessment view speed: one answer key press until the tree, lights and editor show it.

Installs the bundled checklists into a fresh database with the demo data,
starts an assessment of the largest template (Leitplanken, 44 questions) in
the real AssessmentView offscreen and answers every applicable question by
pressing "1" in the list (save through the service, re-score, repaint).
Reports the median and the slowest key press, and the time to open the
assessment.

    .venv/bin/python benchmarks/assessment_view.py

Target: a key press well under 100 ms, so working through a list by keyboard
never waits.
"""

from __future__ import annotations

import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

TARGET_KEY_MS = 100


def main() -> None:
    from PySide6.QtCore import Qt
    from PySide6.QtGui import QKeyEvent
    from PySide6.QtWidgets import QApplication

    from chinadialog_desktop.persistence.database import Database
    from chinadialog_desktop.services.demo import load_demo
    from chinadialog_desktop.ui.assessment.view import AssessmentView
    from chinadialog_desktop.ui.common import none_guard

    app = QApplication([])
    none_guard.install(app)
    folder = tempfile.mkdtemp()
    db = Database.open(Path(folder) / "bench.sqlite3")
    with db.session() as s:
        load_demo(s)
    view = AssessmentView(db)
    view.show()
    app.processEvents()
    view.install_bundled()
    t0 = time.perf_counter()
    view.start()
    app.processEvents()
    opened_ms = (time.perf_counter() - t0) * 1000
    times = []
    while True:
        item = view.current_item_id()
        row = view.model.item(item) if item else None
        if row is None or not row["open"]:
            break
        t0 = time.perf_counter()
        press = QKeyEvent(
            QKeyEvent.Type.KeyPress, Qt.Key.Key_1, Qt.KeyboardModifier.NoModifier, "1"
        )
        QApplication.sendEvent(view.tree, press)
        view.tree.viewport().repaint()
        app.processEvents()
        times.append((time.perf_counter() - t0) * 1000)
        if view.current_item_id() == item:
            break
    overall = view.report["overall"]
    print(
        f"questions answered by key: {len(times)} "
        f"({overall['answered']} of {overall['applicable']} answered)"
    )
    print(f"start + open assessment: {opened_ms:.0f} ms")
    print(
        f"key press to repainted view: median {statistics.median(times):.1f} ms, "
        f"slowest {max(times):.1f} ms (target < {TARGET_KEY_MS} ms)"
    )
    view.close()
    db.close()


if __name__ == "__main__":
    main()
