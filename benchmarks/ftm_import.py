"""Benchmark: import 200,000 synthetic FollowTheMoney entities (gzipped JSON lines).

Measures, each in a fresh subprocess (time and peak RSS):
  * the real import (``import_reference_list``) into an empty database,
  * re-importing the same file (nothing changes),
  * a minimal pipeline over the same file: gunzip + ``json.loads`` per line +
    the same columns + one ``executemany`` into the same table.
Targets (issue 6): import ≤ 20 s, ≤ 400 MB, ≤ 3× the minimal pipeline.

    .venv/bin/python benchmarks/ftm_import.py [--entities 200000] [--keep DIR]
"""

from __future__ import annotations

import argparse
import gzip
import json
import random
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

SURNAMES = (
    "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐"
    "许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏魏吕丁任沈"
)
GIVEN = "伟芳娜敏静丽强磊军洋勇艳杰娟涛明超秀霞平刚桂英华玉兰文辉建国志红"
PLACES = ["北京", "上海", "深圳", "杭州", "哈尔滨", "西安", "成都", "武汉", "南京", "天津"]
PLACES_EN = [
    "Beijing",
    "Shanghai",
    "Shenzhen",
    "Hangzhou",
    "Harbin",
    "Xi'an",
    "Chengdu",
    "Wuhan",
    "Nanjing",
    "Tianjin",
]
WORDS = ["科技", "电子", "光电", "航空", "精密", "信息", "智能", "材料", "能源", "通信"]
WORDS_EN = [
    "Technology",
    "Electronics",
    "Optoelectronics",
    "Aviation",
    "Precision",
    "Information",
    "Intelligent",
    "Materials",
    "Energy",
    "Communications",
]
TOPICS = [
    ["sanction"],
    ["export.control"],
    ["export.control", "mil"],
    ["mil"],
    ["gov.soe"],
    ["sanction.linked"],
    ["debarment"],
    ["poi"],
]


def entity(rng: random.Random, i: int) -> dict[str, object]:
    p = rng.randrange(len(PLACES))
    w = rng.randrange(len(WORDS))
    topics = TOPICS[rng.randrange(len(TOPICS))]
    common = {
        "datasets": ["synthetic_cn"],
        "first_seen": "2024-03-01T00:00:00",
        "last_seen": "2026-11-01T00:00:00",
        "last_change": f"2025-{1 + i % 12:02d}-{1 + i % 28:02d}T00:00:00",
        "target": True,
    }
    kind = i % 10
    if kind < 6:
        zh = f"{PLACES[p]}{WORDS[w]}{rng.randrange(1000):03d}有限公司"
        en = f"{PLACES_EN[p]} {WORDS_EN[w]} {rng.randrange(1000):03d} Co., Ltd."
        props: dict[str, list[str]] = {
            "name": [zh, en],
            "alias": [f"{WORDS_EN[w]} {i}", f"{PLACES[p]}{WORDS[w]}"],
            "jurisdiction": ["cn"],
            "uscCode": [f"91{rng.randrange(10**15):015d}X"],
            "registrationNumber": [f"{rng.randrange(10**12):012d}"],
            "topics": topics,
            "address": [f"{PLACES_EN[p]}, {rng.randrange(1, 999)} Science Park Road"],
            "sourceUrl": [f"https://example.org/entity/{i}"],
            "program": ["US-BIS-EL"],
        }
        schema = "Company"
    elif kind < 8:
        zh = f"{PLACES[p]}{WORDS[w]}大学"
        props = {
            "name": [zh, f"{PLACES_EN[p]} University of {WORDS_EN[w]} {i}"],
            "alias": [f"{PLACES_EN[p][:2].upper()}U{WORDS_EN[w][0]}{i}"],
            "weakAlias": [f"{PLACES[p]}{WORDS[w][0]}大"],
            "country": ["cn"],
            "topics": topics,
            "address": [f"{rng.randrange(1, 200)} University Road, {PLACES_EN[p]}"],
            "notes": ["Synthetic entity for the import benchmark."],
        }
        schema = "Organization"
    else:
        s, g1, g2 = rng.choice(SURNAMES), rng.choice(GIVEN), rng.choice(GIVEN)
        props = {
            "name": [f"{s}{g1}{g2}", f"Person {i}"],
            "alias": [f"P. {i}"],
            "nationality": ["cn"],
            "birthDate": [f"19{rng.randrange(40, 99)}-0{rng.randrange(1, 9)}-1{rng.randrange(9)}"],
            "passportNumber": [f"E{rng.randrange(10**8):08d}"],
            "position": ["Director of a research institute"],
            "topics": topics,
        }
        schema = "Person"
    return {
        "id": f"syn-{i:07d}",
        "schema": schema,
        "caption": props["name"][0],
        "properties": props,
        **common,
    }


def generate(path: Path, n: int) -> int:
    rng = random.Random(42)
    raw = 0
    with gzip.open(path, "wb", compresslevel=6) as f:
        for i in range(n):
            line = json.dumps(entity(rng, i), ensure_ascii=False).encode("utf-8") + b"\n"
            raw += len(line)
            f.write(line)
    return raw


def phase_import(file: Path, db_path: Path) -> dict[str, object]:
    from chinadialog_desktop.persistence.database import Database
    from chinadialog_desktop.services.screening.reference_lists import import_reference_list

    db = Database.open(db_path)
    t0 = time.perf_counter()
    result = import_reference_list(db, file)
    seconds = time.perf_counter() - t0
    db.close()
    assert result.status == "committed", result.problems.format()
    return {"seconds": seconds, "counts": result.counts}


def phase_minimal(file: Path, db_path: Path) -> dict[str, object]:
    """gunzip + json.loads + the same columns + executemany, nothing else."""
    import sqlite3

    from chinadialog_desktop.persistence.database import Database
    from chinadialog_desktop.services.screening.reference_lists import _INSERT_SQL

    Database.open(db_path).close()  # same schema and indexes
    t0 = time.perf_counter()
    con = sqlite3.connect(db_path)
    con.execute(
        "INSERT INTO reference_list (uuid, created_at, modified_at, version, list_key, "
        "name, category, entity_count) VALUES ('u', '', '', 1, 'k', 'k', 'd', 0)"
    )
    dumps = json.dumps
    rows = []
    now = "2026-01-01 00:00:00.000000"
    with gzip.open(file, "rb") as f:
        for line in f:
            e = json.loads(line)
            p = e["properties"]
            rows.append(
                (
                    1,
                    now,
                    now,
                    e["id"],
                    e["schema"],
                    e["caption"],
                    dumps(p.get("name", []) + p.get("alias", [])),
                    dumps(p.get("weakAlias", [])),
                    dumps(p.get("country", [])),
                    dumps(p.get("topics", [])),
                    dumps({}),
                    dumps(p),
                    e.get("first_seen"),
                    e.get("last_seen"),
                    e.get("last_change"),
                    "",
                )
            )
            if len(rows) >= 5000:
                con.executemany(_INSERT_SQL, rows)
                rows.clear()
    con.executemany(_INSERT_SQL, rows)
    con.commit()
    con.close()
    return {"seconds": time.perf_counter() - t0}


def run_phase(name: str, file: Path, db_path: Path) -> dict[str, object]:
    out = subprocess.run(
        [sys.executable, __file__, "--phase", name, str(file), str(db_path)],
        capture_output=True,
        text=True,
    )
    if out.returncode:
        raise SystemExit(f"phase {name} failed:\n{out.stderr}")
    return json.loads(out.stdout)


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--entities", type=int, default=200_000)
    ap.add_argument("--keep", type=Path, help="folder to keep the generated file in")
    ap.add_argument("--phase", nargs=3, metavar=("NAME", "FILE", "DB"), help=argparse.SUPPRESS)
    args = ap.parse_args()
    if args.phase:
        name, file, db = args.phase
        fn = {"import": phase_import, "minimal": phase_minimal}[name]
        data = fn(Path(file), Path(db))
        data["peak_mb"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
        print(json.dumps(data))
        return 0

    folder = args.keep or Path(tempfile.mkdtemp(prefix="ftm-bench-"))
    folder.mkdir(parents=True, exist_ok=True)
    file = folder / f"synthetic-{args.entities}.ftm.json.gz"
    t0 = time.perf_counter()
    raw = generate(file, args.entities)
    print(
        f"generated {args.entities:,} entities: {raw / 1e6:.1f} MB JSON, "
        f"{file.stat().st_size / 1e6:.1f} MB gzipped ({time.perf_counter() - t0:.1f} s)"
    )
    db = folder / "bench.sqlite3"
    for old in [*folder.glob("bench.sqlite3*"), *folder.glob("minimal.sqlite3*")]:
        old.unlink()
    shutil.rmtree(folder / "backups", ignore_errors=True)
    minimal = run_phase("minimal", file, folder / "minimal.sqlite3")
    first = run_phase("import", file, db)
    again = run_phase("import", file, db)
    ratio = first["seconds"] / minimal["seconds"]  # type: ignore[operator]
    print(f"minimal pipeline : {minimal['seconds']:.2f} s, peak {minimal['peak_mb']:.0f} MB")
    print(
        f"import (new list): {first['seconds']:.2f} s, peak {first['peak_mb']:.0f} MB, "
        f"{ratio:.2f}x minimal  {first['counts']}"
    )
    print(
        f"re-import (no-op): {again['seconds']:.2f} s, peak {again['peak_mb']:.0f} MB  "
        f"{again['counts']}"
    )
    ok = first["seconds"] <= 20 and first["peak_mb"] <= 400 and ratio <= 3  # type: ignore[operator]
    print("targets (<= 20 s, <= 400 MB, <= 3x minimal):", "met" if ok else "NOT met")
    return 0 if ok else 1


if __name__ == "__main__":
    raise SystemExit(main())
