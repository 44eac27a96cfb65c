"""The window's first list read without SQLAlchemy (services.records.first_page) agrees
with the ORM's list (services.records.lists) on real files: same ids, same order, same rows."""

from __future__ import annotations

from datetime import date

import pytest

from chinadialog_desktop.domain.enums import PartyRole
from chinadialog_desktop.persistence.database import Database
from chinadialog_desktop.persistence.models import Actor, Partnership, PartnershipParty
from chinadialog_desktop.services import demo, unit
from chinadialog_desktop.services.records.first_page import FIRST_QUERY, first_partnership_page
from chinadialog_desktop.services.records.lists import list_ids, list_rows

TITLES = [
    "Zwickau – Jiading (Beispiel)",
    "Ägypten-Freunde (Beispiel)",
    "aachen – Ningbo (Beispiel)",
    "Straße der Partner (Beispiel)",
    "Strasse der Freunde (Beispiel)",
    "Élan – Suzhou (Beispiel)",
    "Übach – Wuxi (Beispiel)",
    "HHLA – Qingdao (Beispiel)",
    "Hamburg – Shanghai (Beispiel)",
    "Hamburg – Shanghai (Beispiel)",  # the same title twice: the id breaks the tie
]


def _fill(path):
    """The demo data plus partnerships that try the sort order and the row building."""
    database = Database.open(path)
    try:
        with database.session() as s:
            demo.load_demo(s)
            german = Actor(name_de="Stadt Übach (Beispiel)", country="DE")
            other = Actor(name_de="Kreis Aue (Beispiel)", country="DE")
            chinese = Actor(name_de="Wuxi (Beispiel)", name_zh="无锡", country="CN")
            for n, title in enumerate(TITLES):
                p = Partnership(
                    title=title,
                    start_date=date(1990 + n, 1 + n, 1) if n % 3 else None,
                    start_precision="year" if n % 2 else "day",
                    fields_of_action=["economy"] if n % 2 else [],
                    file_reference=f"AZ 15.{n} (Beispiel)" if n % 2 else None,
                )
                if n % 4:  # and some without any party
                    p.parties = [
                        PartnershipParty(actor=german, role=PartyRole.GERMAN.value, position=0),
                        PartnershipParty(actor=other, role=PartyRole.GERMAN.value, position=1),
                        PartnershipParty(actor=chinese, role=PartyRole.CHINESE.value, position=2),
                    ]
                s.add(p)
    finally:
        database.close()


def _orm(path, ids_count):
    database = Database.open(path)
    try:
        ids = unit.read(database, lambda s: list_ids(s, "partnership", FIRST_QUERY))
        rows = unit.read(database, lambda s: list_rows(s, "partnership", ids[:ids_count]))
    finally:
        database.close()
    return ids, rows


@pytest.mark.parametrize("count", [1, 12, 100])
def test_first_page_equals_the_orm_list(tmp_path, count):
    path = tmp_path / "Städte #1 (Beispiel).sqlite3"
    _fill(path)
    want_ids, want_rows = _orm(path, count)
    ready = unit.check_file(path)
    try:
        page = first_partnership_page(ready, count)
    finally:
        ready.release()
    assert page is not None
    assert page.ids == want_ids and len(want_ids) == 17 + len(TITLES)
    assert [page.rows[i] for i in page.ids[:count]] == want_rows
    assert set(page.rows) == set(page.ids[:count])


def test_first_page_reads_the_german_order_and_the_rows_fully(tmp_path):
    path = tmp_path / "Ordnung (Beispiel).sqlite3"
    database = Database.open(path)
    with database.session() as s:
        for title in TITLES:
            s.add(Partnership(title=title, file_reference="AZ 1 (Beispiel)"))
    database.close()
    ready = unit.check_file(path)
    try:
        page = first_partnership_page(ready, 100)
    finally:
        ready.release()
    assert page is not None
    titles = [page.rows[i].title for i in page.ids]
    assert titles == [
        "aachen – Ningbo (Beispiel)",
        "Ägypten-Freunde (Beispiel)",
        "Élan – Suzhou (Beispiel)",
        "Hamburg – Shanghai (Beispiel)",
        "Hamburg – Shanghai (Beispiel)",
        "HHLA – Qingdao (Beispiel)",
        "Strasse der Freunde (Beispiel)",
        "Straße der Partner (Beispiel)",
        "Übach – Wuxi (Beispiel)",
        "Zwickau – Jiading (Beispiel)",
    ]
    assert all(dict(page.rows[i].extra)["file_reference"] == "AZ 1 (Beispiel)" for i in page.ids)


def test_an_empty_file_gives_an_empty_first_page(tmp_path):
    path = tmp_path / "leer.sqlite3"
    Database.open(path).close()
    ready = unit.check_file(path)
    try:
        page = first_partnership_page(ready, 100)
    finally:
        ready.release()
    assert page is not None and page.ids == [] and page.rows == {}
