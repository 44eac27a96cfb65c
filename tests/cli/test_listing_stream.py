"""``list partnerships --json`` streams one joined query and says what the full listing says."""

from __future__ import annotations

import json

import pytest
from sqlalchemy import event, select

from chinadialog_desktop.cli import main
from chinadialog_desktop.persistence.models import Actor, Partnership, PartnershipParty
from chinadialog_desktop.services.demo import load_demo
from chinadialog_desktop.services.records import listing


def _extra(s) -> None:
    """Titles whose order depends on case folding, and a partnership with no parties."""
    city = Actor(name_de="Ürümqi (Beispiel)", name_zh="乌鲁木齐", kind="city", country="CN")
    town = Actor(name_de="Öhringen (Beispiel)", kind="municipality", country="DE")
    for title in ("öffentliche Partnerschaft (Beispiel)", "Österreich-Test (Beispiel)", "aachen"):
        p = Partnership(title=title, type="twin_city", fields_of_action=["culture", "economy"])
        p.parties = [
            PartnershipParty(actor=town, role="german", position=0),
            PartnershipParty(actor=city, role="chinese", position=1),
        ]
        s.add(p)
    s.add(Partnership(title="Ohne Parteien (Beispiel)", type="friendship"))


def _orm_rows(s) -> list[dict]:
    """What the ORM objects say, by the one sort key of titles (German dictionary order,
    ``domain.collation``, in Python): an oracle independent of the SQL."""
    from chinadialog_desktop.domain.collation import sort_key

    def names(p, role, attr="name_de"):
        parties = sorted(p.parties, key=lambda x: (x.position, x.id))
        return ", ".join(
            getattr(x.actor, attr) for x in parties if x.role == role and getattr(x.actor, attr)
        )

    rows = []
    for p in sorted(s.scalars(select(Partnership)), key=lambda p: (sort_key(p.title), p.id)):
        rows.append(
            {
                "id": p.id,
                "uuid": p.uuid,
                "title": p.title,
                "german_parties": names(p, "german"),
                "chinese_parties": names(p, "chinese"),
                "chinese_names_zh": names(p, "chinese", "name_zh"),
                "type": p.type,
                "status": p.status,
                "start_date": p.start_date.isoformat() if p.start_date else None,
                "start_precision": p.start_precision,
                "end_date": p.end_date.isoformat() if p.end_date else None,
                "fields_of_action": list(p.fields_of_action or ()),
                # the registry's further list columns (an Aktenzeichen …), as stored
                **{str(f.list_column): getattr(p, f.name) for f in listing.PARTNERSHIP_EXTRAS},
            }
        )
    return rows


@pytest.mark.both_engines  # the team server's key is SQL, the file's the Python function
def test_streamed_rows_equal_what_the_records_say(db):
    with db.session() as s:
        load_demo(s)
        _extra(s)
    with db.session() as s:
        expected = _orm_rows(s)
        streamed = [r.as_json() for r in listing.iter_partnership_rows(s, batch=3)]
    assert streamed == expected
    assert len(expected) > 10


@pytest.mark.both_engines
def test_a_page_of_ids_gives_the_streamed_rows_in_the_order_asked(db):
    """The window's batches (any ids, any order) and the CLI's stream build the same rows."""
    with db.session() as s:
        load_demo(s)
        _extra(s)
    with db.session() as s:
        streamed = list(listing.iter_partnership_rows(s))
        ids = [r.id for r in streamed][::-1] + [10_000_000]  # reversed, and one unknown id
        page = listing.partnership_rows(s, ids)
    assert page == streamed[::-1]


def test_cli_json_is_one_query_and_valid_json(db, capsys):
    with db.session() as s:
        load_demo(s)
        _extra(s)
    with db.session() as s:
        expected = _orm_rows(s)
    statements: list[str] = []

    def count(_conn, _cursor, statement, *_args):
        if "FROM partnership" in statement:
            statements.append(statement)

    event.listen(db.engine.__class__, "before_cursor_execute", count)
    try:
        assert main(["--db", str(db.path), "--lang", "en", "list", "partnerships", "--json"]) == 0
    finally:
        event.remove(db.engine.__class__, "before_cursor_execute", count)
    out = capsys.readouterr().out
    assert json.loads(out) == json.loads(json.dumps(expected, default=str))
    assert len(statements) == 1, statements


def test_cli_json_of_an_empty_file_is_an_empty_array(db, capsys):
    assert main(["--db", str(db.path), "--lang", "en", "list", "partnerships", "--json"]) == 0
    assert json.loads(capsys.readouterr().out) == []
