"""Benchmark: ``chinadialog list partnerships --json`` beside a ``search`` process, and a baseline.

Usage::

    git worktree add /tmp/perf-base <baseline commit>
    .venv/bin/python benchmarks/listing.py --base /tmp/perf-base [--partnerships 50000] [--runs 3]

Builds one file with N synthetic partnerships (a German and a Chinese party
each), then times fresh processes from spawn to exit, alternating run by run:
``list partnerships --json`` and ``search Partnerschaft`` with this tree and
with the baseline tree. Target (issue 16): the listing ≤ 4× a search process
on the same file. Prints medians as a Markdown table; ``--json FILE`` also
writes them.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "benchmarks"))
from tree_build import build_with  # noqa: E402

sys.path.insert(0, str(ROOT))


def build(path: Path, partnerships: int) -> None:
    from sqlalchemy import insert, select

    from chinadialog_desktop.persistence.base import new_uuid, utcnow
    from chinadialog_desktop.persistence.database import Database
    from chinadialog_desktop.persistence.models import Actor, Partnership, PartnershipParty

    db = Database.open(path)
    now = utcnow()
    stamp = {"created_at": now, "modified_at": now, "version": 1}
    german = max(1, partnerships // 100)
    chinese = max(1, partnerships // 10)
    with db.session() as s:
        s.execute(
            insert(Actor),
            [
                {**stamp, "uuid": new_uuid(), "name_de": f"Kommune {n} (Beispiel)",
                 "kind": "municipality", "country": "DE"}
                for n in range(german)
            ]
            + [
                {**stamp, "uuid": new_uuid(), "name_de": f"Stadt {n} (Beispiel)",
                 "name_zh": f"城市{n}", "kind": "city", "country": "CN"}
                for n in range(chinese)
            ],
        )  # fmt: skip
        actors = list(s.scalars(select(Actor.id).order_by(Actor.id)))
        s.execute(
            insert(Partnership),
            [
                {**stamp, "uuid": new_uuid(), "title": f"Partnerschaft {n} (Beispiel)",
                 "type": "twin_city", "status": "active", "fields_of_action": ["culture"]}
                for n in range(partnerships)
            ],
        )  # fmt: skip
        ids = list(s.scalars(select(Partnership.id).order_by(Partnership.id)))
        s.execute(
            insert(PartnershipParty),
            [
                {**stamp, "uuid": new_uuid(), "partnership_id": pid, "actor_id": actor,
                 "role": role, "position": pos}
                for n, pid in enumerate(ids)
                for pos, (role, actor) in enumerate(
                    (("german", actors[n % german]), ("chinese", actors[german + n % chinese]))
                )
            ],
        )  # fmt: skip
    db.close()


def children_cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def timed(tree: Path, db: Path, args: list[str]) -> tuple[float, float]:
    """Wall and CPU seconds of one process from spawn to exit."""
    env = dict(os.environ, PYTHONPATH=str(tree), CHINADIALOG_LANG="en")
    cpu = children_cpu()
    started = time.monotonic()
    out = subprocess.run(
        [sys.executable, "-m", "chinadialog_desktop", "--db", str(db), *args],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
        env=env,
        cwd=tree,
        timeout=600,
    )
    if out.returncode not in (0, 1):
        raise SystemExit(f"{tree} {args}: {out.stderr[-2000:]}")
    return time.monotonic() - started, children_cpu() - cpu


def commit_of(tree: Path) -> str:
    out = subprocess.run(
        ["git", "-C", str(tree), "rev-parse", "--short", "HEAD"], capture_output=True, text=True
    )
    return out.stdout.strip() or "?"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--base", type=Path, required=True, help="code tree of the baseline")
    parser.add_argument("--partnerships", type=int, default=50_000)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--json", type=Path, help="also write the figures here")
    args = parser.parse_args()
    trees = {"baseline": args.base.resolve(), "new": ROOT}
    probes = {
        "list": ["list", "partnerships", "--json"],
        "search": ["search", "Partnerschaft", "--json"],
    }
    seen: dict[str, list[float]] = {
        f"{t}/{p}{c}": [] for t in trees for p in probes for c in ("", "_cpu")
    }
    with tempfile.TemporaryDirectory(prefix="listing-") as tmp:
        # One file per tree, written by that tree's code (a baseline refuses a newer
        # schema; a tree with another index version would otherwise rebuild or upgrade
        # it back and forth inside the timed processes).
        files = {t: Path(tmp) / f"listing-{t}.sqlite3" for t in trees}
        for t, tree in trees.items():
            build_with(tree, "listing", "build", files[t], args.partnerships)
            timed(tree, files[t], probes["search"])  # warm-up (and index version), not counted
        for _ in range(args.runs):
            for t, tree in trees.items():
                for p, probe in probes.items():
                    wall, cpu = timed(tree, files[t], probe)
                    seen[f"{t}/{p}"].append(wall)
                    seen[f"{t}/{p}_cpu"].append(cpu)
    med = {k: statistics.median(v) for k, v in seen.items()}
    commits = {k: commit_of(t) for k, t in trees.items()}
    date = datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC")
    print(
        f"{args.partnerships:,} partnerships, 2 parties each; medians of {args.runs} alternating "
        f"runs, fresh processes, {date}.\n"
    )
    print(
        "| tree | `list partnerships --json` wall / CPU | `search` process wall / CPU "
        "| list / search (CPU) |"
    )
    print("| --- | --- | --- | --- |")
    for t in trees:
        lst, srch = med[f"{t}/list"], med[f"{t}/search"]
        lc, sc = med[f"{t}/list_cpu"], med[f"{t}/search_cpu"]
        print(
            f"| {t} ({commits[t]}) | {lst:.2f} s / {lc:.2f} s | {srch:.2f} s / {sc:.2f} s "
            f"| {lst / srch:.1f}× ({lc / sc:.1f}×) |"
        )
    ratio = med["new/list"] / med["baseline/list"]
    print(f"\nlisting new/baseline: {ratio:.2f}×; target: list ≤ 4× search")
    if args.json:
        args.json.write_text(
            json.dumps(
                {
                    "date": date,
                    "commits": commits,
                    "load_average": round(os.getloadavg()[0], 1),
                    "medians": med,
                    "runs": seen,
                },
                indent=2,
            )
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
