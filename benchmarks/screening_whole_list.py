"""Screening quality against a whole list: every query against ALL entities (issue 13).

Each query of tests/fixtures/screening/eval_whole_list.json (made by
``benchmarks/make_screening_eval.py --whole-list``) is screened against every entity of
the list through the real index; a hit on an entity other than the expected one is a
false hit, an expected entity not hit is a miss. The set is split by base (a city, a
firm, a person) into "tune" (used to choose the default threshold) and "test" (held
out, reported). The baseline (a git commit, by default ``main``) runs the same file in
the same run from an exported copy of its source tree.

PYTHONPATH=$PWD .venv/bin/python benchmarks/screening_whole_list.py [--baseline main] [--split test]
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import tarfile
import tempfile
import time
from collections import defaultdict
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
DATA = ROOT / "tests" / "fixtures" / "screening" / "eval_whole_list.json"
THRESHOLDS = [0.70, 0.75, 0.80, 0.82, 0.85, 0.88, 0.90, 0.92, 0.95]
FLOOR = 0.60


def run_matcher(path: Path = DATA, split: str = "all") -> list[dict[str, Any]]:
    """Every query screened against the whole list: its hits ≥ FLOOR with their scores."""
    from chinadialog_desktop.domain.matching import Entity, MatchIndex, Subject

    data = json.loads(path.read_text(encoding="utf-8"))
    entities = []
    for e in data["entities"]:
        ent = Entity(
            list_key="eval",
            entity_key=e["key"],
            schema=e["schema"],
            caption=e["names"][0],
            names=list(e["names"]),
            weak_aliases=list(e["weak_aliases"]),
            countries=list(e["countries"]),
            topics=list(e["topics"]),
            identifiers={k: list(v) for k, v in e["identifiers"].items()},
            content_hash=e["key"],
            list_name="Evaluation",
        )
        ent.prepare()
        entities.append(ent)
    index = MatchIndex(entities)
    out = []
    for q in data["queries"]:
        if split != "all" and q["split"] != split:
            continue
        subject = Subject(
            uuid=f"q{q['id']}",
            kind="contact" if q["person"] else "actor",
            label=q["names"][0],
            names=tuple(q["names"]),
            person=q["person"],
            country=q["country"],
            identifiers=tuple((s, v) for s, v in q["identifiers"]),
        )
        hits = [(m.entity.entity_key, m.score) for m in index.screen(subject, FLOOR)]
        out.append({"id": q["id"], "hits": hits})
    return out


def run_matcher_stored(split: str = "all") -> list[dict[str, Any]]:
    """The same queries through the index stored in a real database (issue 13, point 5):
    the list imported as FollowTheMoney (which builds its index), then screened from it."""
    sys.path.insert(0, str(ROOT))
    from chinadialog_desktop.persistence.database import Database
    from chinadialog_desktop.services.screening import runs as screening
    from chinadialog_desktop.services.screening.reference_lists import import_reference_list
    from tests.helpers.screening_lists import load_eval, subject_of, write_ftm

    data = load_eval()
    out = []
    with tempfile.TemporaryDirectory(prefix="screening-stored-") as tmp:
        ftm = write_ftm(Path(tmp) / "eval.ftm.json", data["entities"], "eval")
        db = Database.open(Path(tmp) / "eval.sqlite3")
        try:
            result = import_reference_list(db, ftm, backup=False)
            assert result.status == "committed", result.problems.format()
            with db.session() as s:
                index = screening.build_index(s)
                for q in data["queries"]:
                    if split != "all" and q["split"] != split:
                        continue
                    hits = [
                        (m.entity.entity_key, m.score) for m in index.screen(subject_of(q), FLOOR)
                    ]
                    out.append({"id": q["id"], "hits": hits})
        finally:
            db.close()
    return out


def figures(
    queries: list[dict[str, Any]], results: list[dict[str, Any]], threshold: float, split: str
) -> dict[str, Any]:
    hits_of = {r["id"]: r["hits"] for r in results}
    queries = [q for q in queries if q["id"] in hits_of]
    total = {"tp": 0, "fp": 0, "fn": 0}
    per_variant: dict[str, dict[str, int]] = defaultdict(
        lambda: {"tp": 0, "fp": 0, "fn": 0, "n": 0}
    )
    wrong: list[dict[str, Any]] = []
    for q in queries:
        if split != "all" and q["split"] != split:
            continue
        hit = {k: s for k, s in hits_of[q["id"]] if s >= threshold}
        expect = set(q["expect"])
        tp = len(expect & hit.keys())
        fp = len(hit.keys() - expect)
        fn = len(expect - hit.keys())
        v = per_variant[q["variant"]]
        v["n"] += 1
        for k, val in (("tp", tp), ("fp", fp), ("fn", fn)):
            total[k] += val
            v[k] += val
        if fp or fn:
            wrong.append(
                {
                    "id": q["id"],
                    "variant": q["variant"],
                    "names": q["names"],
                    "expect": sorted(expect),
                    "hits": sorted(hit.items(), key=lambda kv: -kv[1])[:3],
                    "best_expected": max(
                        (s for k, s in hits_of[q["id"]] if k in expect), default=None
                    ),
                }
            )
    return {
        "threshold": threshold,
        **total,
        **_pr(total),
        "variants": dict(per_variant),
        "wrong": wrong,
    }


def _pr(c: dict[str, int]) -> dict[str, float]:
    p = c["tp"] / (c["tp"] + c["fp"]) if c["tp"] + c["fp"] else 1.0
    r = c["tp"] / (c["tp"] + c["fn"]) if c["tp"] + c["fn"] else 1.0
    return {"precision": round(p, 4), "recall": round(r, 4)}


def baseline_results(ref: str, split: str) -> dict[str, Any]:
    """Run the matcher of git commit ``ref`` on the same file in a subprocess."""
    with tempfile.TemporaryDirectory(prefix="screening-baseline-") as tmp:
        archive = subprocess.run(
            ["git", "-C", str(ROOT), "archive", ref, "chinadialog_desktop"],
            check=True,
            capture_output=True,
        ).stdout
        tar_path = Path(tmp) / "src.tar"
        tar_path.write_bytes(archive)
        with tarfile.open(tar_path) as tar:
            tar.extractall(tmp, filter="data")
        proc = subprocess.run(
            [sys.executable, __file__, "--raw", "--split", split],
            check=True,
            capture_output=True,
            text=True,
            cwd=tmp,
            env={"PYTHONPATH": tmp, "PATH": "/usr/bin:/bin"},
        )
        return json.loads(proc.stdout)  # type: ignore[no-any-return]


def _commit(ref: str) -> str:
    return subprocess.run(
        ["git", "-C", str(ROOT), "rev-parse", "--short", ref],
        check=True,
        capture_output=True,
        text=True,
    ).stdout.strip()


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawTextHelpFormatter)
    ap.add_argument(
        "--raw", action="store_true", help="print the hits as JSON (used for the baseline)"
    )
    ap.add_argument("--baseline", default="main", help="git commit to compare with ('' for none)")
    ap.add_argument("--split", default="test", choices=["tune", "test", "all"])
    ap.add_argument("--show", type=float, default=None, help="list wrong results at this threshold")
    ap.add_argument("--variants", action="store_true", help="per-variant table at the default")
    ap.add_argument(
        "--stored",
        action="store_true",
        help="also screen through the index stored in a database; must equal the in-memory run",
    )
    args = ap.parse_args(argv)
    if args.raw:
        started = time.perf_counter()
        results = run_matcher(split=args.split)
        json.dump({"seconds": time.perf_counter() - started, "results": results}, sys.stdout)
        return 0
    from chinadialog_desktop.domain.matching import DEFAULT_THRESHOLD

    data = json.loads(DATA.read_text(encoding="utf-8"))
    queries = data["queries"]
    n_split = sum(1 for q in queries if args.split == "all" or q["split"] == args.split)
    print(f"{len(data['entities'])} entities, {n_split} queries in split {args.split!r}")
    started = time.perf_counter()
    runs = [("this tree", _commit("HEAD") + "+", run_matcher(split=args.split))]
    seconds = {"this tree": time.perf_counter() - started}
    if args.stored:
        started = time.perf_counter()
        stored = run_matcher_stored(split=args.split)
        seconds["stored index (import + queries)"] = time.perf_counter() - started
        same = stored == runs[0][2]
        print(f"stored index gives the same hits and scores as the in-memory index: {same}")
        runs.append(("stored index", _commit("HEAD") + "+", stored))
    if args.baseline:
        raw = baseline_results(args.baseline, args.split)
        seconds["baseline"] = raw["seconds"]
        runs.insert(0, ("baseline", _commit(args.baseline), raw["results"]))
    print("| run | threshold | TP | FP | FN | precision | recall |")
    print("|---|---|---|---|---|---|---|")
    for name, commit, res in runs:
        for t in THRESHOLDS:
            f = figures(queries, res, t, args.split)
            mark = " (default)" if name == "this tree" and abs(t - DEFAULT_THRESHOLD) < 1e-9 else ""
            print(
                f"| {name} {commit} | {t:.2f}{mark} | {f['tp']} | {f['fp']} | {f['fn']} |"
                f" {f['precision']:.3f} | {f['recall']:.3f} |"
            )
    print(
        "\nIndex build and screening of the split's queries, in-process (noisy on a shared"
        " machine): " + ", ".join(f"{k} {v:.1f} s" for k, v in seconds.items())
    )
    if args.variants:
        base = figures(queries, runs[0][2], DEFAULT_THRESHOLD, args.split)["variants"]
        cur = figures(queries, runs[-1][2], DEFAULT_THRESHOLD, args.split)["variants"]
        print(f"\nPer variant at {DEFAULT_THRESHOLD:.2f} ({runs[0][0]} → {runs[-1][0]}):")
        print("| variant | queries | FP | FN | precision | recall |")
        print("|---|---|---|---|---|---|")
        for v in sorted(cur):
            b, c = base.get(v, {}), cur[v]
            pb, pc = _pr(b) if b else {}, _pr(c)
            print(
                f"| {v} | {c['n']} | {b.get('fp', '–')} → {c['fp']} |"
                f" {b.get('fn', '–')} → {c['fn']} |"
                f" {pb.get('precision', 0):.3f} → {pc['precision']:.3f} |"
                f" {pb.get('recall', 0):.3f} → {pc['recall']:.3f} |"
            )
    if args.show is not None:
        for w in figures(queries, runs[-1][2], args.show, args.split)["wrong"]:
            print(
                f"  {w['variant']:38} {w['names']} expect {w['expect']} (best {w['best_expected']})"
                f" hits {w['hits']}"
            )
    return 0


if __name__ == "__main__":
    sys.exit(main())
