"""One sort order for names and titles: the window's lists and the command line agree.

Review finding: the window put "HHLA …" before "Hamburg …" (capitals first in the code
table), the command line the other way round. German dictionary order (DIN 5007-1):
case does not count, ä sorts as a, ß as ss, accents are ignored.
"""

from __future__ import annotations

import json

import pytest

from chinadialog_desktop.cli import main
from chinadialog_desktop.domain.collation import sort_key
from chinadialog_desktop.services.records import edit as records
from chinadialog_desktop.services.records.lists import ListQuery, list_ids, list_rows

TITLES = [
    "HHLA Terminal–Beispiel (Beispiel)",
    "Hamburg–Beispiel (Beispiel)",
    "Zürich–Beispiel (Beispiel)",
    "Zwickau–Beispiel (Beispiel)",
    "Äbtissin–Beispiel (Beispiel)",
    "Aachen–Beispiel (Beispiel)",
    "Straße–Beispiel (Beispiel)",
    "Strasbourg–Beispiel (Beispiel)",
    "école–Beispiel (Beispiel)",
    "Essen–Beispiel (Beispiel)",
]
EXPECTED = [
    "Aachen–Beispiel (Beispiel)",
    "Äbtissin–Beispiel (Beispiel)",
    "école–Beispiel (Beispiel)",
    "Essen–Beispiel (Beispiel)",
    "Hamburg–Beispiel (Beispiel)",
    "HHLA Terminal–Beispiel (Beispiel)",
    "Strasbourg–Beispiel (Beispiel)",
    "Straße–Beispiel (Beispiel)",
    "Zürich–Beispiel (Beispiel)",
    "Zwickau–Beispiel (Beispiel)",
]


def test_the_sort_key_is_german_dictionary_order():
    assert sorted(TITLES, key=sort_key) == EXPECTED
    assert sort_key("Straße") == sort_key("STRASSE") == "strasse"
    assert sort_key("Köln") == "koln"
    assert sort_key(None) == ""


@pytest.mark.both_engines
def test_the_window_and_the_command_line_sort_alike(db, db_url, capsys):
    with db.session() as s:
        for title in TITLES:
            records.create(s, "partnership", {"title": title})
            records.create(s, "actor", {"name_de": title.split("–")[0]})
    with db.session() as s:  # the window's lists: default order and sorted by the column
        window = [r.title for r in list_rows(s, "partnership", list_ids(s, "partnership"))]
        clicked = list_ids(s, "partnership", ListQuery(sort="title"))
        backwards = list_ids(s, "partnership", ListQuery(sort="title", descending=True))
        actors = [r.name_de for r in list_rows(s, "actor", list_ids(s, "actor"))]
    assert window == EXPECTED
    assert backwards == clicked[::-1]
    assert actors == [t.split("–")[0] for t in EXPECTED]

    assert main(["--db", db_url, "list", "partnerships", "--json"]) == 0
    cli = [row["title"] for row in json.loads(capsys.readouterr().out)]
    assert cli == EXPECTED
    assert main(["--db", db_url, "list", "actors", "--json"]) == 0
    cli_actors = [row["name_de"] for row in json.loads(capsys.readouterr().out)]
    assert cli_actors == actors


SORTED_LISTS = {  # list → its sort index (persistence.collation.sort_index, migration 0014)
    "partnership": "ix_partnership_title_sort",
    "actor": "ix_actor_name_de_sort",
    "assessment": "ix_assessment_title_sort",
}


def _plan(session, sql: str, params) -> str:
    """How the database would run ``sql`` (the index it walks, whether it sorts)."""
    conn = session.connection()
    if conn.dialect.name == "sqlite":
        rows = conn.exec_driver_sql(f"EXPLAIN QUERY PLAN {sql}", params).fetchall()
        return "\n".join(str(r[-1]) for r in rows)
    # A handful of rows is cheaper to sort than to look up: ask for the plan a big
    # table gets (a plan with a Sort node is still chosen if no index matches).
    conn.exec_driver_sql("SET LOCAL enable_seqscan = off")
    conn.exec_driver_sql("SET LOCAL enable_sort = off")
    rows = conn.exec_driver_sql(f"EXPLAIN {sql}", params).fetchall()
    return "\n".join(str(r[0]) for r in rows)


@pytest.mark.both_engines
@pytest.mark.parametrize("descending", [False, True])
def test_the_default_orders_are_read_from_the_sort_indexes(db, descending):
    """The lists' own SELECTs (as sent) walk the index instead of sorting every key.

    Fails when the ORDER BY expression and the migrated index expression part (a
    changed rule needs a new migration), or when a later table rebuild drops an index.
    """
    from sqlalchemy import event

    sent: list[tuple[str, object]] = []

    def record(_conn, _cursor, statement, parameters, _context, _many):
        sent.append((statement, parameters))

    event.listen(db.engine, "before_cursor_execute", record)
    try:
        for kind, index in SORTED_LISTS.items():
            with db.session() as s:
                sent.clear()
                list_ids(s, kind, ListQuery(sort="", descending=descending))
                ((sql, params),) = [(q, p) for q, p in sent if "ORDER BY" in q]
                plan = _plan(s, sql, params)
            assert index in plan, plan
            assert "TEMP B-TREE" not in plan and "Sort" not in plan, plan
    finally:
        event.remove(db.engine, "before_cursor_execute", record)
