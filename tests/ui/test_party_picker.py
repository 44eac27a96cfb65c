""" "Partner hinzufügen" opens a searchable picker instead of adding the first actor (15.9)."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDialogButtonBox, QLabel, QListWidget, QPushButton, QWidget
from sqlalchemy import select

from chinadialog_desktop.persistence.models import Actor, PartnershipParty
from chinadialog_desktop.ui import app as ui_app

ACTORS = [
    ("Aachen (Beispiel)", None, "municipality", "DE"),
    ("Kiel (Beispiel)", None, "municipality", "DE"),
    ("Qingdao (Beispiel)", "青岛", "city", "CN"),
    ("Shànghǎi (Beispiel)", "上海", "city", "CN"),
]


@pytest.fixture
def window(qtbot, tmp_path):
    path = tmp_path / "Partner ü 上海.sqlite3"
    session = ui_app.start(path)
    qtbot.addWidget(session.window)
    with qtbot.waitSignal(session.window.sig_list_filled, timeout=20000):
        pass
    qtbot.waitUntil(session.window.attached, timeout=20000)  # the database took over
    with session.window.workspace.database.session() as s:
        for name, zh, kind, country in ACTORS:
            s.add(Actor(name_de=name, name_zh=zh, kind=kind, country=country))
    session.window.show_page("partnership")
    session.window.action_new.trigger()
    yield session.window
    session.close()


def _parties(window) -> list[tuple[str, str]]:
    with window.workspace.database.sessions() as s:
        rows = s.execute(
            select(Actor.name_de, PartnershipParty.role)
            .join(PartnershipParty.actor)
            .order_by(PartnershipParty.position)
        )
        return [tuple(r) for r in rows]


def _open_picker(qtbot, window):
    panel = window.findChild(QWidget, "partyPanel")
    qtbot.mouseClick(window.findChild(QPushButton, "partyAdd"), Qt.MouseButton.LeftButton)
    picker = panel.picker
    assert picker.isVisible() and picker.focusWidget() is picker.search
    return picker


def _shown(picker) -> list[str]:
    items = picker.findChild(QListWidget, "actorPickerList")
    return [items.item(n).text() for n in range(items.count()) if not items.item(n).isHidden()]


def test_typing_narrows_the_list_and_return_adds_the_chosen_actor(qtbot, window):
    picker = _open_picker(qtbot, window)
    assert len(_shown(picker)) == len(ACTORS)
    assert _parties(window) == []  # nothing is added before a choice
    qtbot.keyClicks(picker.search, "qing")
    assert _shown(picker) == ["Qingdao (Beispiel) (青岛) – CN"]
    qtbot.keyClick(picker.search, Qt.Key.Key_Return)
    assert not picker.isVisible()
    assert _parties(window) == [("Qingdao (Beispiel)", "chinese")]
    # The next picker leaves out the actor that is already a party; tone marks are ignored.
    picker = _open_picker(qtbot, window)
    assert "Qingdao (Beispiel) (青岛) – CN" not in _shown(picker)
    qtbot.keyClicks(picker.search, "shanghai")
    assert _shown(picker) == ["Shànghǎi (Beispiel) (上海) – CN"]
    qtbot.keyClick(picker.search, Qt.Key.Key_Return)
    assert _parties(window) == [
        ("Qingdao (Beispiel)", "chinese"),
        ("Shànghǎi (Beispiel)", "chinese"),
    ]


def test_arrow_keys_choose_and_cancel_adds_nothing(qtbot, window):
    picker = _open_picker(qtbot, window)
    qtbot.keyClicks(picker.search, "beispiel")
    qtbot.keyClick(picker.search, Qt.Key.Key_Down)
    assert picker.chosen() is not None
    qtbot.keyClick(picker.search, Qt.Key.Key_Escape)
    assert not picker.isVisible()
    assert _parties(window) == []
    picker = _open_picker(qtbot, window)
    qtbot.keyClicks(picker.search, "kiel")
    qtbot.keyClick(picker.search, Qt.Key.Key_Return)
    assert _parties(window) == [("Kiel (Beispiel)", "german")]


def test_no_match_says_so_and_ok_stays_off(qtbot, window):
    picker = _open_picker(qtbot, window)
    qtbot.keyClicks(picker.search, "xyz")
    assert _shown(picker) == []
    assert picker.findChild(QLabel, "actorPickerEmpty").isVisible()
    assert picker.chosen() is None
    assert not picker.buttons.button(QDialogButtonBox.StandardButton.Ok).isEnabled()
    qtbot.keyClick(picker.search, Qt.Key.Key_Return)
    assert picker.isVisible()  # Return without a match does nothing
    assert _parties(window) == []


def test_a_missing_partner_is_created_on_the_spot(qtbot, window):
    picker = _open_picker(qtbot, window)
    qtbot.keyClicks(picker.search, "Zhuhai (Beispiel)")
    assert _shown(picker) == []
    create = picker.findChild(QPushButton, "actorPickerCreateCN")
    assert create.isVisible() and "Zhuhai (Beispiel)" in create.text()
    qtbot.mouseClick(create, Qt.MouseButton.LeftButton)
    assert not picker.isVisible()
    assert _parties(window) == [("Zhuhai (Beispiel)", "chinese")]
    with window.workspace.database.sessions() as s:
        actor = s.scalars(select(Actor).where(Actor.name_de == "Zhuhai (Beispiel)")).one()
        assert (actor.country, actor.kind) == ("CN", "city")
    # The German side, the same way; the new actors are in the actor list too.
    picker = _open_picker(qtbot, window)
    qtbot.keyClicks(picker.search, "Musterstadt (Beispiel)")
    qtbot.mouseClick(
        picker.findChild(QPushButton, "actorPickerCreateDE"), Qt.MouseButton.LeftButton
    )
    assert _parties(window)[-1] == ("Musterstadt (Beispiel)", "german")
    assert window.pages["actor"].model.rowCount() == len(ACTORS) + 2
