"""A database with a few partnerships, written through the ORM, for the window tests."""

from __future__ import annotations

from datetime import date

import pytest

from chinadialog_desktop.persistence.database import Database
from chinadialog_desktop.persistence.models import Actor, Partnership, PartnershipParty

# title, German party, Chinese party, characters, type, status, start, precision
SAMPLES = [
    (
        "Braunschweig – Zhuhai",
        "Braunschweig",
        "Zhuhai",
        "珠海",
        "twin_city",
        "active",
        date(2011, 1, 1),
        "year",
    ),
    (
        "Niedersachsen – Anhui",
        "Land Niedersachsen",
        "Provinz Anhui",
        "安徽省",
        "land_province",
        "active",
        date(1984, 5, 10),
        "day",
    ),
    (
        "Wolfsburg – Changchun",
        "Wolfsburg",
        "Changchun",
        "长春",
        "friendship",
        "dormant",
        date(2009, 6, 1),
        "month",
    ),
    ("Kiel – Qingdao", "Kiel", "Qingdao", "青岛", "twin_city", "suspended", None, "day"),
]


def _add_partnership(database: Database, sample: tuple) -> int:
    title, german, chinese, zh, ptype, status, start, precision = sample
    with database.session() as s:
        p = Partnership(
            title=title, type=ptype, status=status, start_date=start, start_precision=precision
        )
        p.parties = [
            PartnershipParty(
                actor=Actor(name_de=german, kind="municipality", country="DE"),
                role="german",
                position=0,
            ),
            PartnershipParty(
                actor=Actor(name_de=chinese, name_zh=zh, kind="city", country="CN"),
                role="chinese",
                position=1,
            ),
        ]
        s.add(p)
        s.flush()
        return p.id


@pytest.fixture
def add_partnership():
    """``add_partnership(database, sample_tuple) -> id``, through the ORM."""
    return _add_partnership


@pytest.fixture
def samples() -> list[tuple]:
    return list(SAMPLES)


@pytest.fixture
def filled_db(db: Database) -> Database:
    for sample in SAMPLES:
        _add_partnership(db, sample)
    return db


@pytest.fixture(autouse=True)
def none_stays_alive():
    """PySide6 6.12 on CPython 3.11 drops a reference to None per void call (see none_guard)."""
    from chinadialog_desktop.ui.common import none_guard

    none_guard.top_up()
