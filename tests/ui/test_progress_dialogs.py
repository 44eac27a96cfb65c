"""Every progress dialog is named and accessible in every part, shown or not.

The import wizard's naming test failed under CPU load: a finished job's progress
dialog waits for its deferred delete as a child of the wizard, and its own Cancel
button had neither an object name nor an accessible name. These tests hold each
dialog while its work is still running, so the state the race produced is always there.
"""

from __future__ import annotations

import threading

import pytest
from PySide6.QtWidgets import (
    QAbstractButton,
    QLabel,
    QProgressBar,
    QProgressDialog,
    QWidget,
)

from chinadialog_desktop.i18n import set_language


def _parts(dialog: QProgressDialog) -> list[QWidget]:
    kinds = (QAbstractButton, QLabel, QProgressBar)
    return [w for w in dialog.findChildren(QWidget) if isinstance(w, kinds)]


def _assert_named(dialog: QProgressDialog, name: str) -> None:
    assert dialog.objectName() == name
    assert dialog.accessibleName()
    parts = _parts(dialog)
    assert {type(p) for p in parts} >= {QLabel, QProgressBar}
    buttons = [p for p in parts if isinstance(p, QAbstractButton)]
    assert [b.objectName() for b in buttons] == [f"{name}CancelButton"]
    for part in parts:
        assert part.objectName().startswith(name), part
        assert part.accessibleName(), part.objectName()


@pytest.fixture
def parent(qtbot):
    widget = QWidget()
    qtbot.addWidget(widget)
    widget.show()
    return widget


def test_import_job_dialog_named_while_running_and_cancel_stops_it(qtbot, parent):
    from chinadialog_desktop.ui.datasets.import_pages import start_job

    release = threading.Event()
    outcome: list[object] = []

    def work(progress, cancelled):
        progress(1, 10, "Zeile 1 (Beispiel)")
        while not release.wait(0.01):
            if cancelled():
                return "cancelled"
        return "done"

    job = start_job(
        parent,
        work,
        outcome.append,
        outcome.append,
        title="Import",
        label="Lesen …",
        name="importProgress",
    )
    dialog = job.progress_dialog
    _assert_named(dialog, "importProgress")
    dialog.show()  # as after its minimum duration under load
    qtbot.waitUntil(dialog.isVisible, timeout=10000)
    assert dialog in parent.findChildren(QProgressDialog)
    _assert_named(dialog, "importProgress")
    # Cancelled before its first progress report, the job would stop right there
    # (``Cancelled``); here it is cancelled in its loop and returns normally.
    qtbot.waitUntil(lambda: dialog.value() == 1, timeout=60000)
    dialog.findChild(QAbstractButton, "importProgressCancelButton").click()
    qtbot.waitUntil(lambda: outcome == ["cancelled"], timeout=60000)
    release.set()


def test_screening_job_dialog_named(qtbot, parent):
    from chinadialog_desktop.ui.screening.worker import Job

    release = threading.Event()

    def work(progress, cancelled):
        release.wait(60)
        return 1

    job = Job(parent, "Screening", "Prüfen …", work)
    with qtbot.waitSignal(job.sig_finished, timeout=60000):
        job.start()
        job.dialog.show()
        _assert_named(job.dialog, "screeningProgress")
        release.set()


def test_briefing_dialog_named_in_german(qtbot, parent):
    from chinadialog_desktop.ui.briefing.export import _progress_dialog

    set_language("de")  # the autouse fixture sets English back afterwards
    dialog = _progress_dialog(parent)
    dialog.show()
    _assert_named(dialog, "briefingProgress")
    cancel = dialog.findChild(QAbstractButton, "briefingProgressCancelButton")
    assert cancel.text() == "Abbrechen" and cancel.accessibleName() == "Abbrechen"
    dialog.close()
