"""Search on a team server: the same results as FTS5 on a file, for the same data."""

from __future__ import annotations

from chinadialog_desktop.persistence.database import Database
from chinadialog_desktop.services.demo import load_demo, read_demo
from chinadialog_desktop.services.records import edit as records
from chinadialog_desktop.services.search import search

# The queries of tests/unit/test_search.py and a few more: Latin, pinyin with and without
# tone marks, Chinese of one to three characters, umlauts folded and transliterated,
# substrings inside compounds, several terms, operators typed as text, nothing found.
QUERIES = [
    "Zhuhai", "zhuhai", "ZHUHAI", "Zhūhǎi", "zhu hai", "珠海", "珠海市", "海市", "珠",
    "koln", "Köln", "KÖLN", "koeln", "partnerschaft", "schweig", "北京", "koln peking",
    "koln zhuhai", "xylophonquartett", "Braunschweig", "e koln", "de", 'NEAR( "x* OR - AND',
    '"Köln*" (', "Städtepartnerschaft", "Hochschule", "上海", "shanghai", "Shàng", "wu",
    "Porzellanvase", "张示例", "zhang shili", "phishing", "Vitrine", "Beispiel",
]  # fmt: skip


def _hits(database: Database, query: str) -> dict[str, list[tuple[int, str, str]]]:
    with database.sessions() as s:
        results = search(s, query, limit=500)
    return {
        g.kind: [(h.record_id, h.title, h.snippet) for h in g.hits] + [(-1, str(g.total), "")]
        for g in results.groups
    }


def test_search_on_postgresql_gives_the_same_results_as_on_sqlite(tmp_path, pg_database):
    data = read_demo(None)
    files = Database.open(tmp_path / "demo.sqlite3")
    server = Database.open(pg_database)
    try:
        for database in (files, server):
            with database.session() as s:
                load_demo(s, data)
        differing = [q for q in QUERIES if _hits(files, q) != _hits(server, q)]
        assert differing == []
        assert _hits(server, "Zhūhǎi")["partnership"][0][1] == "Braunschweig–Zhuhai"
        assert {"gift", "counterpart", "incident"} <= set(_hits(server, "Beispiel"))
    finally:
        files.close()
        server.close()


def test_the_server_index_follows_inserts_renames_and_deletes(pg_database):
    database = Database.open(pg_database)
    try:
        with database.session() as s:
            actor = records.create(s, "actor", {"name_de": "Göttingen"})
            p = records.create(s, "partnership", {"title": "Partnerschaft (Beispiel)"})
            records.create(s, "party", {"partnership_id": p.id, "actor_id": actor.id})
        assert "partnership" in _hits(database, "goettingen")
        with database.session() as s:
            records.update(s, "actor", actor.uuid, "name_de", "Hannoversch Münden")
        assert _hits(database, "goettingen") == {}
        assert [h[1] for h in _hits(database, "munden")["partnership"][:-1]] == [
            "Partnerschaft (Beispiel)"
        ]
        with database.session() as s:
            records.delete(s, "partnership", p.uuid)
        assert "partnership" not in _hits(database, "munden")
    finally:
        database.close()
