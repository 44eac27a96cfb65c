"""Whatever the editor refuses, the import refuses with the same words.

The editor's field rules live in ``services.records.validation``; the import used to
accept a web address without ``https://``, a malformed AGS, USCC or e-mail
address, and a partnership whose end lies before its start. Each case here
imports a real CSV file and expects the editor's own message at the right
line and column, and nothing written. Names are invented (Beispiel).
"""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import func, select

from chinadialog_desktop.persistence.models import Actor, Contact, Partnership
from chinadialog_desktop.services.datasets.importing import REJECTED, ImportOptions, import_dataset
from chinadialog_desktop.services.records import validation


def _write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "daten.csv"
    path.write_text(text, encoding="utf-8")
    return path


def _count(db, model) -> int:
    with db.session() as s:
        return int(s.scalar(select(func.count(model.id))))


@pytest.mark.parametrize(
    ("header", "field", "value"),
    [
        ("Website", "website", "www.beispiel-stadt.de"),
        ("AGS", "ags", "0310100"),
        ("USCC", "uscc", "ABC"),
    ],
)
def test_an_actor_field_the_editor_refuses_is_refused_with_its_words(
    db, tmp_path, header, field, value
):
    rows = f"Name;Land;{header}\r\nMusterstadt (Beispiel);DE;\r\nBeispielstadt;DE;{value}\r\n"
    path = _write(tmp_path, rows)
    result = import_dataset(db, path, ImportOptions(kind="actors"))
    editor_says = validation.field_error("actor", field, value)
    assert editor_says is not None
    assert result.status == REJECTED
    [problem] = [p for p in result.problems if editor_says in p.message]
    assert (problem.line, problem.column) == (3, 3)
    assert problem.header == header and problem.message == editor_says
    assert header in problem.location()  # named once, beside the column's number
    assert _count(db, Actor) == 0  # all or nothing


def test_a_valid_web_address_and_codes_pass(db, tmp_path):
    path = _write(
        tmp_path,
        "Name;Land;AGS;Website\r\nBeispielstadt;DE;03101000;https://www.beispiel-stadt.de\r\n",
    )
    assert import_dataset(db, path, ImportOptions(kind="actors")).ok
    assert _count(db, Actor) == 1


def test_a_contact_email_the_editor_refuses_is_refused(db, tmp_path):
    path = _write(tmp_path, "Name;E-Mail\r\nErika Beispiel;erika(at)beispiel\r\n")
    result = import_dataset(db, path, ImportOptions(kind="contacts"))
    editor_says = validation.field_error("contact", "email", "erika(at)beispiel")
    assert result.status == REJECTED
    assert any(editor_says in p.message and p.line == 2 for p in result.problems)
    assert _count(db, Contact) == 0


def test_a_partnership_ending_before_it_starts_is_refused(db, tmp_path):
    path = _write(
        tmp_path,
        "Kommune;Partnerstadt;Beginn;Ende\r\nMusterstadt;Beispielstadt;05.2020;12.03.2019\r\n",
    )
    result = import_dataset(db, path, ImportOptions(kind="partnerships"))
    editor_says = validation.order_error(
        *validation.parse_partial_date("05.2020"), *validation.parse_partial_date("12.03.2019")
    )
    assert editor_says is not None
    assert result.status == REJECTED
    [problem] = [p for p in result.problems if editor_says in p.message]
    assert (problem.line, problem.column) == (2, 4)
    assert _count(db, Partnership) == 0


def test_an_end_in_the_same_year_as_a_month_start_is_read_generously(db, tmp_path):
    """The editor reads "2020" as the whole year: an end "2020" after a start "05.2020" is fine."""
    path = _write(
        tmp_path,
        "Kommune;Partnerstadt;Beginn;Ende\r\nMusterstadt;Beispielstadt;05.2020;2020\r\n",
    )
    result = import_dataset(db, path, ImportOptions(kind="partnerships"))
    assert not [p for p in result.problems if "end lies before" in p.message]


def test_a_uscc_with_a_wrong_check_character_is_refused_as_in_the_editor(db, tmp_path):
    """GB 32100-2015: the 18th character checks the 17 before it (issue 13, point 4)."""
    good, bad = "914403001922038216", "914403001922038217"  # the published code, one altered
    assert validation.field_error("actor", "uscc", good) is None
    editor_says = validation.field_error("actor", "uscc", bad)
    assert editor_says is not None and "GB 32100-2015" in editor_says
    path = _write(tmp_path, f"Name;Land;USCC\r\nBeispiel GmbH;CN;{bad}\r\n")
    result = import_dataset(db, path, ImportOptions(kind="actors"))
    assert result.status == REJECTED
    assert any(editor_says in p.message and p.line == 2 for p in result.problems)
    assert _count(db, Actor) == 0
