"""Search everything on a large file: 10,000 partnerships, 100,000 activities, 20,000 actors.

Usage: ``.venv/bin/python benchmarks/search.py [--partnerships N] [--repeat R] [--keep FILE]``

Builds a synthetic database (German and Chinese names with umlauts, Chinese
characters and tone-marked pinyin), opens it with ``Database.open`` (which
builds the FTS5 index, timed), then times ``services.search.search`` for a set
of queries: each call in its own session, as the search dialog does, median
of R runs after one warm-up. Prints a Markdown table for benchmarks/RESULTS.md.
"""

from __future__ import annotations

import argparse
import random
import shutil
import sqlite3
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

GERMAN = [
    "Köln",
    "München",
    "Düsseldorf",
    "Braunschweig",
    "Göttingen",
    "Lübeck",
    "Würzburg",
    "Mülheim",
    "Nürnberg",
    "Osnabrück",
    "Saarbrücken",
    "Tübingen",
    "Fürth",
    "Gießen",
    "Kiel",
    "Bremen",
    "Hamburg",
    "Wolfsburg",
    "Zwickau",
    "Hannover",
    "Erfurt",
    "Jena",
]
CHINESE = [
    ("Zhuhai", "珠海市", "Zhūhǎi Shì"),
    ("Peking", "北京市", "Běijīng Shì"),
    ("Shanghai", "上海市", "Shànghǎi Shì"),
    ("Qingdao", "青岛市", "Qīngdǎo Shì"),
    ("Wuhan", "武汉市", "Wǔhàn Shì"),
    ("Nanjing", "南京市", "Nánjīng Shì"),
    ("Hefei", "合肥市", "Héféi Shì"),
    ("Changchun", "长春市", "Chángchūn Shì"),
    ("Dalian", "大连市", "Dàlián Shì"),
    ("Chengdu", "成都市", "Chéngdū Shì"),
    ("Suzhou", "苏州市", "Sūzhōu Shì"),
    ("Xiamen", "厦门市", "Xiàmén Shì"),
]
ACTIVITY = [
    "Delegationsbesuch aus {cn}",
    "Unterzeichnung einer Absichtserklärung mit {cn}",
    "Schüleraustausch {de}–{cn}",
    "Fachkonferenz Stadtentwicklung in {cn}",
    "Wirtschaftsforum {de}",
    "Kulturwoche {cn} in {de}",
    "Videokonferenz der Partnerstädte",
]
QUERIES = [
    ("German word", "Delegationsbesuch"),
    ("folded umlaut", "gottingen"),
    ("umlaut as oe", "goettingen"),
    ("pinyin, no tones", "zhuhai"),
    ("pinyin, tone marks", "Qīngdǎo"),
    ("Chinese, 3 chars", "珠海市"),
    ("Chinese, 2 chars", "珠海"),
    ("Chinese, 1 char", "珠"),
    ("two words", "koln wuhan"),
    ("three words, no hit", "zhuhai stadt delegation"),
    ("two letters (word prefix)", "de"),
    ("inside a compound", "austausch"),
    ("rare word", "Sonderprojekt"),
]


_INSERTS = (
    "INSERT INTO actor (id, uuid, created_at, modified_at, version, name_de, name_en, "
    "name_zh, name_pinyin, kind, country, region, notes) VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?)",
    "INSERT INTO partnership (id, uuid, created_at, modified_at, version, title, type, "
    "status, start_precision, end_precision, fields_of_action, description) VALUES "
    "(?,?,?,?,?,?,?,?,?,?,?,?)",
    "INSERT INTO partnership_party (id, uuid, created_at, modified_at, version, "
    "partnership_id, actor_id, role, position) VALUES (?,?,?,?,?,?,?,?,?)",
    "INSERT INTO activity (id, uuid, created_at, modified_at, version, partnership_id, "
    "date, date_precision, kind, title, location, participants, outcome, description) "
    "VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?)",
)


def write_rows(path: Path, *tables: list[tuple[object, ...]]) -> None:
    """Raw rows into a file the app created: actors, partnerships, parties, activities
    (as many of these tables as are given, in this order), in one transaction."""
    con = sqlite3.connect(path)
    with con:
        for sql, rows in zip(_INSERTS, tables, strict=False):
            con.executemany(sql, rows)
    con.close()


def build(path: Path, partnerships: int, seed: int = 7) -> dict[str, int]:
    """Create the schema through the app, then fill it with raw executemany (fast)."""
    from chinadialog_desktop.persistence.database import Database

    Database.open(path).close()
    rnd = random.Random(seed)
    now = "2026-01-01 00:00:00"
    n_actors = 2 * partnerships
    actors, parties, parts, acts = [], [], [], []
    for i in range(1, n_actors + 1):
        if i % 2:
            de = rnd.choice(GERMAN)
            actors.append(
                (
                    i,
                    f"a{i}",
                    now,
                    now,
                    1,
                    f"Stadt {de} {i}",
                    None,
                    None,
                    None,
                    "municipality",
                    "DE",
                    "Niedersachsen",
                    f"Verwaltung von {de}",
                )
            )
        else:
            cn, zh, py = rnd.choice(CHINESE)
            actors.append(
                (
                    i,
                    f"a{i}",
                    now,
                    now,
                    1,
                    f"{cn} {i}",
                    f"City of {cn}",
                    zh,
                    py,
                    "city",
                    "CN",
                    "Guangdong",
                    None,
                )
            )
    for p in range(1, partnerships + 1):
        de_id, cn_id = 2 * p - 1, 2 * p
        de_name = actors[de_id - 1][5].split()[1]
        cn_name = actors[cn_id - 1][5].split()[0]
        parts.append(
            (
                p,
                f"p{p}",
                now,
                now,
                1,
                f"{de_name}–{cn_name} {p}",
                "twin_city",
                "active",
                "year",
                "day",
                "[]",
                f"Partnerschaft seit {1980 + p % 45} mit {cn_name}.",
            )
        )
        parties.append((2 * p - 1, f"pp{2 * p - 1}", now, now, 1, p, de_id, "german", 0))
        parties.append((2 * p, f"pp{2 * p}", now, now, 1, p, cn_id, "chinese", 1))
    for a in range(1, 10 * partnerships + 1):
        p = rnd.randint(1, partnerships)
        de_name = parts[p - 1][5].split("–")[0]
        cn_name = parts[p - 1][5].split("–")[1].split()[0]
        title = rnd.choice(ACTIVITY).format(de=de_name, cn=cn_name)
        if a % 9973 == 0:
            title = "Sonderprojekt Wasserstoff"
        acts.append(
            (
                a,
                f"t{a}",
                now,
                now,
                1,
                p,
                f"20{a % 25:02d}-05-01",
                "day",
                "event",
                title,
                de_name,
                "Oberbürgermeisterin, Ratsmitglieder, Verwaltung",
                "Gemeinsame Erklärung zu Bildung und Kultur",
                None,
            )
        )
    write_rows(path, actors, parts, parties, acts)
    return {"actors": len(actors), "partnerships": len(parts), "activities": len(acts)}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--partnerships", type=int, default=10_000)
    parser.add_argument("--repeat", type=int, default=15)
    parser.add_argument("--keep", type=Path, help="write the database here and keep it")
    args = parser.parse_args()

    folder = Path(tempfile.mkdtemp(prefix="cd-search-"))  # removed at the end
    path = args.keep or folder / "search.sqlite3"
    path.unlink(missing_ok=True)
    t0 = time.perf_counter()
    counts = build(path, args.partnerships)
    t_fill = time.perf_counter() - t0

    from chinadialog_desktop.persistence.database import Database
    from chinadialog_desktop.services.search import search

    t0 = time.perf_counter()
    db = Database.open(path)  # the triggers noted every row: the index is built here
    t_index = time.perf_counter() - t0
    db.close()
    t0 = time.perf_counter()
    db = Database.open(path)
    t_reopen = time.perf_counter() - t0

    print(f"data: {counts}, filled in {t_fill:.1f} s, file {path.stat().st_size / 1e6:.0f} MB")
    print(f"first open (index built): {t_index:.2f} s; next open: {t_reopen * 1000:.0f} ms\n")
    print("| query | kind of query | hits (capped at 200 per kind) | median | max |")
    print("| --- | --- | --- | --- | --- |")
    all_medians = []
    for label, query in QUERIES:
        times = []
        hits = 0
        for run in range(args.repeat + 1):
            t0 = time.perf_counter()
            with db.session() as s:
                results = search(s, query)
            elapsed = time.perf_counter() - t0
            if run:
                times.append(elapsed)
            hits = results.count
        med = statistics.median(times)
        all_medians.append(med)
        worst = max(times) * 1000
        print(f"| `{query}` | {label} | {hits:,} | {med * 1000:.1f} ms | {worst:.1f} ms |")
    print(f"\nmedian over all queries: {statistics.median(all_medians) * 1000:.1f} ms")
    db.close()
    shutil.rmtree(folder, ignore_errors=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
