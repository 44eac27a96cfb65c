"""One ranking contract for search: a kind's hits are the same whatever else matched.

Each kind's candidates are its first ``CAP`` hits in record order (one more only
says "more than CAP"); the hits shown are the best ranked of those. The search
reads the index in passes; whether a query is answered by one pass over all
kinds or needs a pass per kind depends on how many hits the *other* kinds have.
Before, the one-pass answer ranked all of a kind's hits and the per-kind answer
only its first ``CAP + 1``, so adding records of another kind changed which
partnerships were shown.
"""

from __future__ import annotations

import pytest
from sqlalchemy import insert

from chinadialog_desktop.persistence.database import Database
from chinadialog_desktop.persistence.models import Actor, Partnership
from chinadialog_desktop.services import search as search_module
from chinadialog_desktop.services.search import CAP, SearchGroup, search

# Enough other hits to make the search read every kind on its own (10 kinds x CAP).
OTHERS = 12 * CAP
CANDIDATES = CAP + 1
# Partnerships: the first CAP + 1 contain the word, those after begin with it (better rank).
EARLY = [f"Projekt Delta {n} (Beispiel)" for n in range(1, CANDIDATES + 1)]
LATE = [f"Delta {n} (Beispiel)" for n in range(CANDIDATES + 1, CANDIDATES + 50)]


def _partnerships(database: Database, query: str) -> SearchGroup:
    with database.session() as s:
        found = {g.kind: g for g in search(s, query, limit=2 * CAP).groups}
    return found["partnership"]


def _shown(group: SearchGroup) -> tuple[int, bool, list[tuple[int, str]]]:
    return group.total, group.more, [(h.record_id, h.title) for h in group.hits]


@pytest.mark.both_engines
@pytest.mark.parametrize("query", ["delta", "de"])  # a trigram term and a word prefix
def test_a_kind_s_hits_do_not_depend_on_how_many_other_records_match(db: Database, query):
    with db.session() as s:
        s.execute(insert(Partnership), [{"title": t} for t in EARLY + LATE])
    alone = _shown(_partnerships(db, query))

    with db.session() as s:  # many matching actors: now each kind is read on its own
        s.execute(
            insert(Actor), [{"name_de": f"Delta Akteur {n} (Beispiel)"} for n in range(OTHERS)]
        )
    crowded = _shown(_partnerships(db, query))

    assert crowded == alone
    total, more, hits = alone
    assert (total, more, len(hits)) == (CAP, True, CAP)
    # The candidates are the first CAP in record order: none of the later ones.
    assert {title for _id, title in hits} == set(EARLY[:CAP])
    # Ranked: equal kind of match, shorter titles first, then by title and record.
    assert [t for _i, t in hits[:3]] == EARLY[:3]


def test_the_passes_give_each_kind_its_first_hits_whatever_their_size(db: Database):
    with db.session() as s:
        s.execute(insert(Partnership), [{"title": t} for t in EARLY + LATE])
        s.execute(
            insert(Actor), [{"name_de": f"Delta Akteur {n} (Beispiel)"} for n in range(OTHERS)]
        )
    with db.session() as s:
        conn = s.connection()
        fetch = search_module._fetcher(conn, search_module.parse_query("delta"))
        answers = [
            search_module._gather(fetch, window) for window in (1, 7, CAP + 1, 3 * CAP, 100 * CAP)
        ]
    assert all(a == answers[0] for a in answers[1:])
    assert {kind: len(rowids) for kind, rowids in answers[0].items()} == {
        "partnership": CANDIDATES,
        "actor": CANDIDATES,
    }
    for rowids in answers[0].values():
        assert rowids == sorted(rowids)
