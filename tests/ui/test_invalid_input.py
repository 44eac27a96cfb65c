"""An invalid value stays visible with its message until fixed or discarded (issue 15, point 6)."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLabel, QLineEdit, QPushButton
from sqlalchemy import select

from chinadialog_desktop.persistence.models import Actor, Contact
from chinadialog_desktop.services.records import validation
from chinadialog_desktop.ui import app as ui_app


@pytest.fixture
def window(qtbot, tmp_path):
    path = tmp_path / "Kontakte #1 (Beispiel).sqlite3"
    session = ui_app.start(path)
    qtbot.addWidget(session.window)
    with qtbot.waitSignal(session.window.sig_list_filled, timeout=20000):
        pass
    qtbot.waitUntil(session.window.attached, timeout=20000)  # the database took over
    yield session.window
    session.close()


def _find(window, cls, name):
    widget = window.findChild(cls, name)
    assert widget is not None, name
    return widget


def _type(qtbot, line: QLineEdit, text: str, leave=Qt.Key.Key_Tab) -> None:
    line.setFocus()
    line.selectAll()
    qtbot.keyClicks(line, text)
    qtbot.keyClick(line, leave)


def _contact(window):
    with window.workspace.database.sessions() as s:
        c = s.scalars(select(Contact)).one()
        return c.email, c.phone


@pytest.fixture
def contact(qtbot, window):
    """A new actor with one contact, made through the window; its e-mail saved once."""
    window.show_page("actor")
    window.action_new.trigger()
    qtbot.mouseClick(_find(window, QPushButton, "actorContactAdd"), Qt.MouseButton.LeftButton)
    email = _find(window, QLineEdit, "actorContactEmail")
    _type(qtbot, email, "buero@example.org")
    assert _contact(window)[0] == "buero@example.org"
    return email


def test_an_invalid_email_survives_saving_another_field(qtbot, window, contact):
    email = contact
    error = _find(window, QLabel, "actorContactEmailError")
    _type(qtbot, email, "buero(at)example")
    assert error.isVisibleTo(window)
    assert error.text().startswith(validation.field_error("contact", "email", "buero(at)example"))
    _type(qtbot, _find(window, QLineEdit, "actorContactPhone"), "+49 531 000000")
    assert _contact(window) == ("buero@example.org", "+49 531 000000")  # the phone is saved
    # The rejected address and its message are still there, not the stored one.
    assert email.text() == "buero(at)example"
    assert error.isVisibleTo(window)
    assert "Esc" in error.text()
    # Another actor and back: still there.
    window.show_page("actor")
    window.action_new.trigger()
    first = window.pages["actor"]
    with window.workspace.database.sessions() as s:
        first_id = s.scalars(select(Actor.id).order_by(Actor.id)).first()
    first.select_id(first_id)
    email = _find(window, QLineEdit, "actorContactEmail")
    assert email.text() == "buero(at)example"
    assert _find(window, QLabel, "actorContactEmailError").isVisibleTo(window)
    # Fixed: saved, the message goes.
    _type(qtbot, email, "info@example.org")
    assert _contact(window)[0] == "info@example.org"
    assert not _find(window, QLabel, "actorContactEmailError").isVisibleTo(window)


def test_esc_discards_the_invalid_value_and_shows_the_saved_one(qtbot, window, contact):
    email = contact
    _type(qtbot, email, "kein-at-zeichen")
    error = _find(window, QLabel, "actorContactEmailError")
    assert error.isVisibleTo(window)
    email.setFocus()
    qtbot.keyClick(email, Qt.Key.Key_Escape)
    assert email.text() == "buero@example.org"
    assert not error.isVisibleTo(window)
    assert _contact(window)[0] == "buero@example.org"
    # Esc without a rejected value does nothing to the field.
    qtbot.keyClick(email, Qt.Key.Key_Escape)
    assert email.text() == "buero@example.org"
