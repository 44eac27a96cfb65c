"""Screening speed with 200,000 synthetic reference entities, against a plain fuzzy matcher.

    .venv/bin/python benchmarks/screening_speed.py [--entities 200000] [--actors 500] [--db]

Measures, in one run: building the index; one name (median over the evaluation queries);
500 actors; the same 500 actors with rapidfuzz ``process.extract`` over every name (the
"plain fuzzy matcher"); and whether the index loses any match that scoring every pair
finds on the evaluation set. ``--db`` also times loading the entities from a SQLite file
through the screening service.
"""

from __future__ import annotations

import argparse
import random
import statistics
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

from rapidfuzz import fuzz, process

sys.path.insert(0, str(Path(__file__).resolve().parent))

from screening_eval import entity_of, load_pairs, subject_of  # noqa: E402

from chinadialog_desktop.domain.matching import (  # noqa: E402
    DEFAULT_THRESHOLD,
    Entity,
    MatchIndex,
    Subject,
    score_pair,
)
from chinadialog_desktop.domain.names import normalize  # noqa: E402

FAMILY = (
    "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏魏吕丁任沈"
    "姚卢姜崔钟谭陆汪范金石廖贾夏韦付方白邹孟熊秦邱江尹薛闫段雷侯龙史陶黎贺顾毛郝龚邵万钱严覃武戴莫孔向汤"
)
GIVEN = (
    "伟芳娜敏静丽强磊军洋勇艳杰娟涛明超秀霞平刚桂英华建国文辉玲红志宏斌鹏飞海峰波宇晨浩"
    "鑫凯琳颖雪梅兰春燕晓东亮林小龙云新立成博学德光荣永宁安康健俊振兴旭阳佳欣怡婷雅琪"
    "思源泽宸子轩浩然梓涵诗雨嘉豪一鸣天佑家乐"
)
PLACES = [
    "北京",
    "上海",
    "深圳",
    "广州",
    "杭州",
    "南京",
    "武汉",
    "成都",
    "西安",
    "天津",
    "重庆",
    "苏州",
    "青岛",
    "大连",
    "厦门",
    "合肥",
    "长沙",
    "郑州",
    "济南",
    "沈阳",
]
BRAND = "华中兴联科海天宏信达恒通瑞泰金盛新远创博润安德鑫源电智汇航星光明东方"
INDUSTRY = [
    ("科技", "Technology"),
    ("电子", "Electronics"),
    ("通信", "Communications"),
    ("软件", "Software"),
    ("机械", "Machinery"),
    ("航空", "Aviation"),
    ("材料", "Materials"),
    ("能源", "Energy"),
    ("生物", "Biotech"),
    ("仪器", "Instruments"),
    ("光电", "Optoelectronics"),
    ("贸易", "Trading"),
]
LEGAL = [
    ("有限公司", "Co., Ltd."),
    ("股份有限公司", "Co., Ltd."),
    ("集团有限公司", "Group Co., Ltd."),
]
TOPICS = [
    ["sanction"],
    ["export.control"],
    ["mil"],
    ["export.control", "mil"],
    ["gov.soe"],
    ["sanction.linked"],
]


def _py(chars: str, cache: dict[str, str]) -> list[str]:
    from pypinyin import lazy_pinyin

    out = []
    for ch in chars:
        if ch not in cache:
            cache[ch] = lazy_pinyin(ch)[0].replace("v", "u")
        out.append(cache[ch])
    return out


def synthetic_entities(n: int, seed: int = 1) -> list[Entity]:
    rng = random.Random(seed)
    cache: dict[str, str] = {}
    out = []
    for i in range(n):
        if i % 2 == 0:
            fam = rng.choice(FAMILY)
            giv = "".join(rng.choice(GIVEN) for _ in range(rng.choice((1, 2, 2))))
            hz = fam + giv
            latin = f"{_py(fam, cache)[0].capitalize()} {''.join(_py(giv, cache)).capitalize()}"
            names, schema = [latin, hz], "Person"
        else:
            place = rng.choice(PLACES)
            brand = "".join(rng.sample(BRAND, 2))
            ind_zh, ind_en = rng.choice(INDUSTRY)
            leg_zh, leg_en = rng.choice(LEGAL)
            hz = place + brand + ind_zh + leg_zh
            brand_py = "".join(_py(brand, cache)).capitalize()
            latin = f"{''.join(_py(place, cache)).capitalize()} {brand_py} {ind_en} {leg_en}"
            names, schema = [latin, hz], "Company"
        out.append(
            Entity(
                list_key=f"synthetic-{i % 4}",
                entity_key=f"s{i}",
                schema=schema,
                caption=names[0],
                names=names,
                weak_aliases=[],
                countries=["CN"],
                topics=rng.choice(TOPICS),
                identifiers={},
                content_hash=str(i),
                list_name="Synthetic",
            )
        )
    return out


def synthetic_actors(n: int, seed: int = 2) -> list[Subject]:
    """Actors as a municipality would hold them: German, Chinese in characters and pinyin."""
    rng = random.Random(seed)
    cache: dict[str, str] = {}
    out = []
    for i in range(n):
        if i % 3 == 0:
            out.append(
                Subject(
                    f"a{i}",
                    "actor",
                    f"Stadt Beispiel {i}",
                    (f"Stadt Beispiel {i}", f"City of Example {i}"),
                    False,
                    "DE",
                )
            )
            continue
        place = rng.choice(PLACES)
        brand = "".join(rng.sample(BRAND, 2))
        ind_zh, ind_en = rng.choice(INDUSTRY)
        hz = place + brand + ind_zh + "有限公司"
        py = f"{''.join(_py(place, cache)).capitalize()} {''.join(_py(brand, cache)).capitalize()}"
        out.append(Subject(f"a{i}", "actor", py, (f"{py} {ind_en} GmbH", hz, py), False, "CN"))
    return out


def timed(fn: Any) -> tuple[Any, float]:
    t0 = time.perf_counter()
    res = fn()
    return res, time.perf_counter() - t0


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--entities", type=int, default=200_000)
    ap.add_argument("--actors", type=int, default=500)
    ap.add_argument(
        "--baseline-actors",
        type=int,
        default=50,
        help="actors also screened with the plain matcher (it needs about a second each)",
    )
    ap.add_argument("--db", action="store_true", help="also time loading from a SQLite file")
    args = ap.parse_args(argv)

    pairs = load_pairs()
    eval_entities = {}
    for row in pairs:
        ent = entity_of(row, list_key="eval")
        ent.entity_key = f"eval-{row['id']}"
        eval_entities[row["id"]] = ent
    synthetic, t_gen = timed(lambda: synthetic_entities(args.entities))
    all_entities = synthetic + list(eval_entities.values())
    print(
        f"entities: {len(all_entities):,} ({args.entities:,} synthetic + {len(pairs)} "
        f"evaluation); generated in {t_gen:.1f} s"
    )

    def build() -> MatchIndex:
        for e in all_entities:
            e.prepare()
        return MatchIndex(all_entities)

    index, t_build = timed(build)
    print(f"index build (normalise + keys): {t_build:.1f} s")

    # No loss of recall: every evaluation pair that scoring the pair alone accepts must also
    # come out of the indexed search over all entities.
    subjects = {row["id"]: subject_of(row) for row in pairs}
    per_name = []
    lost = []
    found_pairwise = found_indexed = 0
    for row in pairs:
        subject = subjects[row["id"]]
        ent = eval_entities[row["id"]]
        t0 = time.perf_counter()
        matches = index.screen(subject, DEFAULT_THRESHOLD)
        per_name.append(time.perf_counter() - t0)
        if not row["label"]:
            continue
        pairwise = score_pair(subject, ent).score >= DEFAULT_THRESHOLD
        indexed = any(m.entity is ent for m in matches)
        found_pairwise += pairwise
        found_indexed += indexed
        if pairwise and not indexed:
            lost.append(row)
    positives = sum(1 for r in pairs if r["label"])
    print(
        f"one name: median {statistics.median(per_name) * 1000:.1f} ms, "
        f"95th percentile {sorted(per_name)[int(len(per_name) * 0.95)] * 1000:.1f} ms "
        f"({len(per_name)} evaluation queries)"
    )
    print(
        f"recall on the evaluation set: pairwise {found_pairwise / positives:.3f}, "
        f"indexed over all entities {found_indexed / positives:.3f}; "
        f"lost by the index: {len(lost)}"
    )
    for row in lost:
        print(f"  lost: {row['variant']} {row['query']['names']} ~ {row['entity']['names']}")

    actors = synthetic_actors(args.actors)
    hits_ours: list[int] = []
    _, t_ours = timed(lambda: hits_ours.extend(len(index.screen(a)) for a in actors))
    print(
        f"{len(actors)} actors, indexed: {t_ours:.2f} s "
        f"({t_ours / len(actors) * 1000:.1f} ms each, {sum(hits_ours)} hits)"
    )

    # The plain fuzzy matcher: every normalised name of every entity, rapidfuzz WRatio
    # (its default scorer), the best 10 per query name above 80.
    choices: list[str] = []
    for e in all_entities:
        choices.extend(" ".join(n.tokens) for n in (*e.norm, *e.norm_weak))

    sample = actors[: args.baseline_actors]
    _, t_ours_sample = timed(lambda: [index.screen(a) for a in sample])

    def plain() -> int:
        found = 0
        for a in sample:
            for name in a.names:
                q = " ".join(normalize(name, a.person).tokens)
                if q:
                    found += len(
                        process.extract(q, choices, scorer=fuzz.WRatio, score_cutoff=80, limit=10)
                    )
        return found

    n_plain, t_plain = timed(plain)
    print(
        f"first {len(sample)} actors: indexed {t_ours_sample:.2f} s; plain rapidfuzz WRatio "
        f"over {len(choices):,} names {t_plain:.2f} s ({n_plain} candidates ≥ 80)"
    )
    print(f"speed-up: {t_plain / t_ours_sample:.1f}×")

    if args.db:
        time_db(all_entities, actors)
    return 0


def time_db(entities: list[Entity], actors: list[Subject]) -> None:
    from sqlalchemy import insert

    from chinadialog_desktop.persistence.database import Database
    from chinadialog_desktop.persistence.models_core import Actor
    from chinadialog_desktop.persistence.models_reference import ReferenceEntity, ReferenceList
    from chinadialog_desktop.services.screening import runs as screening

    with tempfile.TemporaryDirectory() as tmp:
        db = Database.open(Path(tmp) / "bench.sqlite3")
        try:
            with db.session() as s:
                lst = ReferenceList(list_key="bench", name="Bench", category="designation")
                s.add(lst)
                s.flush()
                rows = [
                    {
                        "list_id": lst.id,
                        "entity_key": e.entity_key + e.list_key,
                        "schema": e.schema,
                        "caption": e.caption,
                        "names": e.names,
                        "weak_aliases": e.weak_aliases,
                        "countries": e.countries,
                        "topics": e.topics,
                        "identifiers": e.identifiers,
                        "properties": {},
                        "content_hash": e.content_hash,
                        "uuid": f"u{i}",
                        "version": 1,
                    }
                    for i, e in enumerate(entities)
                ]
                for i in range(0, len(rows), 20_000):
                    s.execute(insert(ReferenceEntity), rows[i : i + 20_000])
            with db.session() as s:
                idx, t_load = timed(lambda: screening.build_index(s))
            print(f"service build_index from SQLite ({len(idx):,} entities): {t_load:.1f} s")
            with db.session() as s:
                for a in actors:
                    zh = next((n for n in a.names if not n.isascii()), None)
                    s.add(
                        Actor(
                            name_de=a.names[0],
                            name_zh=zh,
                            country=a.country or "DE",
                            kind="company" if a.country == "CN" else "municipality",
                        )
                    )
            with db.session() as s:
                res, t_run = timed(lambda: screening.run_screening(s, index=idx))
            print(
                f"service run_screening, {res.subjects} actors against the built index, "
                f"hits stored with their audit trail: {t_run:.2f} s "
                f"({len(res.new_hit_ids)} hits)"
            )
        finally:
            db.close()


if __name__ == "__main__":
    sys.exit(main())
