"""Precision and recall of the screening matcher on the labelled pairs, and what still fails.

.venv/bin/python benchmarks/screening_eval.py [--threshold 0.8] [--show-all]
"""

from __future__ import annotations

import argparse
import json
import sys
from collections import Counter
from pathlib import Path
from typing import Any

from chinadialog_desktop.domain.matching import DEFAULT_THRESHOLD, Entity, Subject, score_pair

DATA = Path(__file__).resolve().parents[1] / "tests" / "fixtures" / "screening" / "eval_pairs.jsonl"


def load_pairs(path: Path = DATA) -> list[dict[str, Any]]:
    with path.open(encoding="utf-8") as fh:
        return [json.loads(line) for line in fh if line.strip()]


def subject_of(row: dict[str, Any]) -> Subject:
    q = row["query"]
    return Subject(
        uuid=f"q{row['id']}",
        kind="contact" if q["person"] else "actor",
        label=q["names"][0],
        names=tuple(q["names"]),
        person=q["person"],
        country=q.get("country"),
        identifiers=tuple((s, v) for s, v in q.get("identifiers", [])),
    )


def entity_of(row: dict[str, Any], list_key: str = "eval") -> Entity:
    e = row["entity"]
    ent = Entity(
        list_key=list_key,
        entity_key=e["key"],
        schema=e["schema"],
        caption=e["names"][0],
        names=list(e["names"]),
        weak_aliases=list(e.get("weak_aliases", [])),
        countries=list(e.get("countries", [])),
        topics=list(e.get("topics", [])),
        identifiers={k: list(v) for k, v in e.get("identifiers", {}).items()},
        content_hash=str(row["id"]),
        list_name="Evaluation",
    )
    ent.prepare()
    return ent


def evaluate(rows: list[dict[str, Any]], threshold: float) -> dict[str, Any]:
    tp = fp = fn = tn = 0
    failures = []
    by_variant: Counter[str] = Counter()
    wrong_variant: Counter[str] = Counter()
    for row in rows:
        m = score_pair(subject_of(row), entity_of(row))
        predicted = m.score >= threshold
        by_variant[row["variant"]] += 1
        if predicted and row["label"]:
            tp += 1
        elif predicted:
            fp += 1
        elif row["label"]:
            fn += 1
        else:
            tn += 1
        if predicted != row["label"]:
            wrong_variant[row["variant"]] += 1
            name = m.explanation.get("name") or {}
            failures.append(
                {
                    "id": row["id"],
                    "variant": row["variant"],
                    "label": row["label"],
                    "score": m.score,
                    "ours": name.get("ours"),
                    "theirs": name.get("theirs"),
                    "method": name.get("method"),
                }
            )
    precision = tp / (tp + fp) if tp + fp else 1.0
    recall = tp / (tp + fn) if tp + fn else 1.0
    return {
        "pairs": len(rows),
        "threshold": threshold,
        "tp": tp,
        "fp": fp,
        "fn": fn,
        "tn": tn,
        "precision": precision,
        "recall": recall,
        "failures": failures,
        "by_variant": dict(by_variant),
        "wrong_by_variant": dict(wrong_variant),
    }


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--threshold", type=float, default=DEFAULT_THRESHOLD)
    ap.add_argument("--json", action="store_true")
    args = ap.parse_args(argv)
    res = evaluate(load_pairs(), args.threshold)
    if args.json:
        json.dump(res, sys.stdout, ensure_ascii=False, indent=2)
        print()
        return 0
    print(f"pairs {res['pairs']}  threshold {res['threshold']:.2f}")
    print(f"TP {res['tp']}  FP {res['fp']}  FN {res['fn']}  TN {res['tn']}")
    print(f"precision {res['precision']:.3f}  recall {res['recall']:.3f}")
    for f in res["failures"]:
        kind = "missed" if f["label"] else "false hit"
        print(
            f"  {kind:9} {f['variant']:34} {f['score']:.3f}  {f['ours']!r} ~ {f['theirs']!r}"
            f" ({f['method']})"
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
