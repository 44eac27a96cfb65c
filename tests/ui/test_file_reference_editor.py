"""The Aktenzeichen of a partnership in the window: edited in the editor, shown in the list.

It comes from one registry entry (``domain.kinds``) and one migration; nothing in ``ui/``
names it. Names are invented (Beispiel).
"""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLabel, QLineEdit
from sqlalchemy import select

from chinadialog_desktop.persistence.models import Partnership
from chinadialog_desktop.services.records import validation
from chinadialog_desktop.ui import app as ui_app


@pytest.fixture
def window(qtbot, tmp_path):
    session = ui_app.start(tmp_path / "Aktenzeichen (Beispiel).sqlite3")
    qtbot.addWidget(session.window)
    with qtbot.waitSignal(session.window.sig_list_filled, timeout=20000):
        pass
    qtbot.waitUntil(session.window.attached, timeout=20000)  # the database took over
    yield session.window
    session.close()


def _type(qtbot, line: QLineEdit, text: str) -> None:
    line.setFocus()
    line.selectAll()
    qtbot.keyClicks(line, text)
    qtbot.keyClick(line, Qt.Key.Key_Tab)


def _stored(window) -> str | None:
    with window.workspace.database.sessions() as s:
        return s.scalars(select(Partnership.file_reference)).one()


def test_typed_in_the_editor_saved_and_listed(qtbot, window):
    window.show_page("partnership")
    window.action_new.trigger()
    line = window.findChild(QLineEdit, "partnershipFileReference")
    assert line is not None
    _type(qtbot, line, "AZ 32-14/2026 (Beispiel)")
    assert _stored(window) == "AZ 32-14/2026 (Beispiel)"
    model = window.pages["partnership"].table.model()
    headers = [
        model.headerData(c, Qt.Orientation.Horizontal, Qt.ItemDataRole.DisplayRole)
        for c in range(model.columnCount())
    ]
    assert "File ref." in headers  # shortened for the list, named in full in its tooltip
    column = headers.index("File ref.")
    tip = model.headerData(column, Qt.Orientation.Horizontal, Qt.ItemDataRole.ToolTipRole)
    assert tip == "File reference"
    qtbot.waitUntil(
        lambda: (
            model.data(model.index(0, column), Qt.ItemDataRole.DisplayRole)
            == "AZ 32-14/2026 (Beispiel)"
        ),
        timeout=20000,
    )


def test_an_over_long_reference_is_refused_with_the_import_s_words(qtbot, window):
    window.show_page("partnership")
    window.action_new.trigger()
    line = window.findChild(QLineEdit, "partnershipFileReference")
    value = "AZ " + "9" * 64
    _type(qtbot, line, value)
    error = window.findChild(QLabel, "partnershipFileReferenceError")
    assert error is not None and error.isVisibleTo(window)
    assert error.text().startswith(validation.field_error("partnership", "file_reference", value))
    assert _stored(window) is None
