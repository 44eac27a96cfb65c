"""The workspace list queries: filters, SQL sorting, and the narrowing shortcut, without Qt."""

from __future__ import annotations

import pytest

from chinadialog_desktop.services import demo
from chinadialog_desktop.services.records.lists import (
    COLUMNS,
    FILTERS,
    ListQuery,
    choice_values,
    list_ids,
    list_rows,
    matching_ids,
)


@pytest.fixture
def demo_db(db):
    with db.session() as s:
        demo.load_demo(s)
    return db


TEXTS = ["Zhuhai", "珠海", "wolfsburg", "Stadt", "Qīngdǎo", "zz-none", "%"]


@pytest.mark.parametrize("text", TEXTS)
def test_matching_ids_narrow_the_text_less_order_exactly(demo_db, text):
    with demo_db.sessions() as s:
        for sort in ("title", "chinese", "since"):
            full = list_ids(s, "partnership", ListQuery(text=text, sort=sort))
            base = list_ids(s, "partnership", ListQuery(sort=sort))
            matched = matching_ids(s, "partnership", text)
            assert [i for i in base if i in matched] == full


def test_chinese_and_latin_names_find_the_same_partnership(demo_db):
    with demo_db.sessions() as s:
        by_hanzi = list_ids(s, "partnership", ListQuery(text="珠海"))
        by_name = list_ids(s, "partnership", ListQuery(text="zhuhai"))
        rows = list_rows(s, "partnership", by_hanzi)
    assert by_hanzi == by_name and len(by_hanzi) == 1
    assert rows[0].title == "Braunschweig–Zhuhai"
    assert rows[0].chinese_names_zh == "珠海市"


def test_wildcards_in_the_filter_text_are_literal(demo_db):
    with demo_db.sessions() as s:
        assert list_ids(s, "partnership", ListQuery(text="%")) == []
        assert list_ids(s, "actor", ListQuery(text="_")) == []


def test_choice_filters_combine(demo_db):
    with demo_db.sessions() as s:
        provinces = choice_values(s, "partnership", "province")
        assert "Guangdong" in provinces
        ids = list_ids(s, "partnership", ListQuery(filters=(("province", "Guangdong"),)))
        titles = {r.title for r in list_rows(s, "partnership", ids)}
        assert "Braunschweig–Zhuhai" in titles
        both = list_ids(
            s,
            "partnership",
            ListQuery(filters=(("province", "Guangdong"), ("status", "ended"))),
        )
        assert set(both) <= set(ids)
        research = list_ids(s, "partnership", ListQuery(filters=(("field_of_action", "research"),)))
        for row in list_rows(s, "partnership", research):
            assert row.id in research


@pytest.mark.parametrize("kind", sorted(COLUMNS))
def test_every_list_sorts_by_every_column_in_both_directions(demo_db, kind):
    with demo_db.sessions() as s:
        all_ids = sorted(list_ids(s, kind))
        for column in COLUMNS[kind]:
            for descending in (False, True):
                ids = list_ids(s, kind, ListQuery(sort=column, descending=descending))
                assert sorted(ids) == all_ids
    assert kind in FILTERS


def test_sort_order_is_by_the_stored_value(demo_db):
    with demo_db.sessions() as s:
        ids = list_ids(s, "source", ListQuery(sort="year", descending=True))
        years = [r.year for r in list_rows(s, "source", ids) if r.year is not None]
    assert years == sorted(years, reverse=True)
