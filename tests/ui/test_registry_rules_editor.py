"""The editor applies the registry's record rules with the import's words (issue 10 §1).

Real window, real SQLite file (an odd path), real key strokes: a name another actor has
is refused and nothing is stored; a register entry whose dates are out of the order its
kind declares shows the sentence the import gives. Names are invented (Beispiel).
"""

from __future__ import annotations

from datetime import date

import pytest
from helpers.window import started_window, type_line, w
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLabel, QPushButton, QWidget
from sqlalchemy import select

from chinadialog_desktop.persistence.models import Actor
from chinadialog_desktop.services.records import validation


@pytest.fixture
def window(qtbot, tmp_path, german):
    with started_window(qtbot, tmp_path / "Regeln #1 ä 规则.sqlite3") as started:
        yield started


def actor_names(window) -> list[str]:
    with window.workspace.database.sessions() as s:
        return list(s.scalars(select(Actor.name_de).order_by(Actor.id)))


def test_a_name_another_actor_has_is_refused_as_the_import_refuses_it(window, qtbot):
    window.show_page("actor")
    window.action_new.trigger()
    type_line(qtbot, window, "actorNameDe", "Stadt Beispielstadt")
    type_line(qtbot, window, "actorNameZh", "样例市")
    window.action_new.trigger()
    type_line(qtbot, window, "actorNameDe", "stadt beispielstadt ")  # the same, folded
    error = w(window, QLabel, "actorNameDeError")
    assert error.isVisibleTo(window)
    assert error.text().startswith(validation.same_name_error("stadt beispielstadt"))
    assert error.text().startswith("Ein anderer Akteur heißt bereits")
    assert actor_names(window)[0] == "Stadt Beispielstadt"
    assert actor_names(window)[1] != "stadt beispielstadt"  # nothing stored
    # Another of its names counts too: the first actor's characters as an English name.
    type_line(qtbot, window, "actorNameEn", "样例市")
    assert (
        w(window, QLabel, "actorNameEnError")
        .text()
        .startswith(validation.same_name_error("样例市"))
    )
    # What distinguishes them is accepted and stored; the message goes.
    type_line(qtbot, window, "actorNameDe", "Stadt Beispielstadt (Landkreis Muster)")
    assert not error.isVisibleTo(window)
    assert actor_names(window) == ["Stadt Beispielstadt", "Stadt Beispielstadt (Landkreis Muster)"]


def new_partnership(qtbot, window, title):
    window.show_page("partnership")
    window.action_new.trigger()
    type_line(qtbot, window, "partnershipTitle", title)


@pytest.mark.parametrize(
    ("register", "first", "second", "record"),
    [
        (
            "visit",
            "StartDate",
            "EndDate",
            {"start_date": date(2024, 5, 10), "end_date": date(2024, 5, 1)},
        ),
        (
            "incident",
            "Date",
            "ReportedOn",
            {"date": date(2024, 5, 10), "reported_on": date(2024, 5, 9)},
        ),
    ],
)
def test_a_register_date_out_of_order_shows_the_import_s_sentence(
    window, qtbot, register, first, second, record
):
    new_partnership(qtbot, window, "Kiel–Qingdao (Beispiel)")
    qtbot.mouseClick(w(window, QPushButton, f"{register}Add"), Qt.MouseButton.LeftButton)
    earlier, later = (f"{d.day:02d}.{d.month:02d}.{d.year}" for d in sorted(record.values()))
    type_line(qtbot, window, f"{register}{first}", later)
    type_line(qtbot, window, f"{register}{second}", earlier)
    error = w(window, QLabel, f"{register}{second}Error")
    [said] = validation.order_errors(register, record).values()  # what the import says
    assert not error.isHidden() and error.text() == said  # (its tab need not be in front)
    assert said in ("Das Ende liegt vor dem Beginn.", "Die Meldung liegt vor dem Vorfall.")
    type_line(qtbot, window, f"{register}{second}", later)  # in order: the message goes
    assert error.isHidden()


def test_the_party_picker_creates_no_second_actor_of_one_name(window, qtbot):
    """An actor already a party is not offered again; typing its name offers to create it,
    which the one rule refuses (with the editor's sentence), and nothing is added."""
    window.show_page("actor")
    window.action_new.trigger()
    type_line(qtbot, window, "actorNameDe", "Qingdao (Beispiel)")
    new_partnership(qtbot, window, "Kiel–Qingdao (Beispiel)")
    panel = window.findChild(QWidget, "partyPanel")
    qtbot.mouseClick(w(window, QPushButton, "partyAdd"), Qt.MouseButton.LeftButton)
    qtbot.keyClicks(panel.picker.search, "Qingdao")
    qtbot.keyClick(panel.picker.search, Qt.Key.Key_Return)  # the one there: now a party
    qtbot.mouseClick(w(window, QPushButton, "partyAdd"), Qt.MouseButton.LeftButton)
    picker = panel.picker
    qtbot.keyClicks(picker.search, "Qingdao (Beispiel)")
    create = picker.findChild(QPushButton, "actorPickerCreateCN")
    assert create.isVisible()
    with qtbot.waitSignal(window.workspace.sig_error, timeout=5000) as said:
        qtbot.mouseClick(create, Qt.MouseButton.LeftButton)
    assert said.args == [validation.same_name_error("Qingdao (Beispiel)")]
    assert actor_names(window) == ["Qingdao (Beispiel)"]
