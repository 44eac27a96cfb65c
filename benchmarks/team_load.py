"""Team mode under load (issue 17, point 9): N officials on one PostgreSQL database.

Usage: ``.venv/bin/python benchmarks/team_load.py [--clients 20] [--minutes 10]
[--partnerships 100000] [--entities 200000] [--hot 200] [--think 1.0] [--json FILE]
[--sqlite-minutes M]``

Builds synthetic data — ``--partnerships`` partnerships between a German and a
Chinese actor each, and a FollowTheMoney reference list of ``--entities``
entities (``benchmarks/ftm_import.py``'s generator) — into an SQLite file and,
copied row for row, into a throwaway PostgreSQL server on 127.0.0.1
(``tests/helpers/pg_server.py``; ``db upgrade`` sets it up). The big list is
imported through the app on both engines (timed), as is one small list (500
entities) per client.

Then ``--clients`` processes work on the server for ``--minutes``, each in a loop
of what an official does, every step through the app's services in its own
session as the window does it:

* ``page``   (40 %): a page of 200 rows of the partnership list, read as the window's
  lazy list model reads it (``unit.read_page`` → ``lists.list_rows``);
* ``save``   (40 %): save a new description of the partnership the client's editor
  opened at its previous save, with the version read then
  (``records.update(expected_version=…)``), and open the next; half of them are among
  ``--hot`` (200) partnerships, so officials really collide;
* ``screen`` (12 %): screen one Chinese actor against every list (stored index);
* ``import``  (8 %): a new version of the client's own small list (per-list locks:
  these run side by side), one in ten times the next version of the big shared list
  (one at a time; the others are told that another user is updating it).

Each client first loads what an app open for a while has loaded (``warm_up``: the
search index's pinyin dictionaries), untimed. Between two steps a client thinks: a
pause drawn from an exponential distribution
with mean ``--think`` seconds (default 1 s; 0: none, every client a closed loop at
full speed). An official reading a list, typing a description and saving does one
such step every few seconds at most; one a second on average is a busy official,
several times a real one's pace, so twenty such clients are a conservative stand-in
for twenty people. The think time is not part of any timed step.

A save refused because the record moved on is the conflict dialog (counted, not
lost). A deadlock or serialisation failure, or a unique key two screenings of the
same actor met at once, is retried up to three times and counted; one that fails
the third time is reported. Lost updates are counted at the end: every successful
save is logged with the version it produced, and each partnership must hold the
value of its highest logged version, no version twice.

The same mix then runs on the SQLite file by one user, in this process, for
``--sqlite-minutes`` (default: ``--minutes``), with the same think time. Prints a
Markdown table (p50, p95, max per operation on both) for benchmarks/RESULTS.md, and
what the machine did meanwhile: the load average (sampled every 10 s), the CPU
seconds of the client processes and of the PostgreSQL server's processes.
"""

from __future__ import annotations

import argparse
import gzip
import json
import multiprocessing
import multiprocessing.connection
import os
import random
import resource
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "benchmarks"))
sys.path.insert(0, str(ROOT / "tests"))

from search import write_rows  # noqa: E402 - benchmarks/search.py, found through sys.path

PAGE = 200
HOT = 200
SMALL = 500
WEIGHTS = (("page", 40), ("save", 40), ("screen", 12), ("import", 8))
TABLES = ("actor", "partnership", "partnership_party")
CITIES_DE = ("Köln", "München", "Göttingen", "Lübeck", "Würzburg", "Nürnberg", "Tübingen")
CITIES_CN = (
    ("Zhuhai", "珠海", "Zhūhǎi"),
    ("Qingdao", "青岛", "Qīngdǎo"),
    ("Wuhan", "武汉", "Wǔhàn"),
    ("Shenzhen", "深圳", "Shēnzhèn"),
    ("Hefei", "合肥", "Héféi"),
)


# --- data -------------------------------------------------------------------------------


def build_file(path: Path, partnerships: int, seed: int = 17) -> None:
    """The schema through the app, then actors, partnerships and parties (raw, fast)."""
    from chinadialog_desktop.persistence.database import Database

    Database.open(path).close()
    rnd = random.Random(seed)
    now = "2026-01-01 00:00:00"
    actors, parts, parties = [], [], []
    for p in range(1, partnerships + 1):
        de, (cn, zh, py) = rnd.choice(CITIES_DE), rnd.choice(CITIES_CN)
        a_de, a_cn = 2 * p - 1, 2 * p
        actors.append(
            (a_de, f"a{a_de}", now, now, 1, f"Stadt {de} {p} (Beispiel)", None, None, None)
            + ("municipality", "DE", None, None)
        )
        actors.append(
            (a_cn, f"a{a_cn}", now, now, 1, f"{cn} {p} (Beispiel)", f"City of {cn}", zh, py)
            + ("city", "CN", "Guangdong", None)
        )
        parts.append(
            (p, f"p{p}", now, now, 1, f"{de}–{cn} {p} (Beispiel)", "twin_city", "active")
            + ("year", "day", "[]", f"Partnerschaft seit {1980 + p % 45} (Beispiel).")
        )
        parties.append((a_de, f"pp{a_de}", now, now, 1, p, a_de, "german", 0))
        parties.append((a_cn, f"pp{a_cn}", now, now, 1, p, a_cn, "chinese", 1))
    write_rows(path, actors, parts, parties)  # benchmarks/search.py: the same INSERTs


def copy_to_server(path: Path, address: str) -> None:
    """The file's rows into the server database as they are (ids kept, sequences moved on),
    as ``db copy`` puts them there (faster: COPY, no checks)."""
    import psycopg

    from chinadialog_desktop.persistence.server import parse_target

    target = parse_target(address)
    src = sqlite3.connect(path)
    with psycopg.connect(
        host=target.host, port=target.port, user=target.user, dbname=target.database
    ) as dst:
        for table in TABLES:
            cur = src.execute(f"SELECT * FROM {table}")  # noqa: S608
            names = [d[0] for d in cur.description]
            with dst.cursor().copy(f"COPY {table} ({', '.join(names)}) FROM STDIN") as copy:
                for row in cur:
                    copy.write_row(row)
            dst.execute(
                f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), "  # noqa: S608
                f"(SELECT max(id) FROM {table}))"
            )
        dst.execute("DELETE FROM search_dirty")  # the copy is not what the runs measure
    src.close()
    # What ``db copy`` to a server does after its commit: the planner's statistics.
    try:
        from chinadialog_desktop.persistence.server import analyze_after_bulk
    except ImportError:  # a tree from before: its copy left them to the background analyser
        return
    from chinadialog_desktop.persistence.server import make_server_engine

    engine = make_server_engine(target)
    analyze_after_bulk(engine)
    engine.dispose()


def write_list(path: Path, ids: range, changed: int = 0) -> Path:
    """Synthetic entities ``ids`` (every ``changed``-th with one name more), gzipped."""
    from ftm_import import entity  # benchmarks/ftm_import.py

    with gzip.open(path, "wt", encoding="utf-8") as out:
        for i in ids:
            data = entity(random.Random(i), i)
            if changed and i % changed == 0:
                names = data["properties"]["name"]  # type: ignore[index]
                names.append(names[-1] + " Holding")
            out.write(json.dumps(data, ensure_ascii=False) + "\n")
    return path


def list_versions(folder: Path, entities: int, clients: int) -> dict[str, list[Path]]:
    """Two versions of the big list (the second: 1 % removed, 1 % changed, 0.5 % new),
    and two of each client's small list (5 % removed, changed and new)."""
    shift = max(1, entities // 100)
    out = {
        "big": [
            write_list(folder / "big1.ftm.json.gz", range(entities)),
            write_list(
                folder / "big2.ftm.json.gz", range(shift, entities + shift // 2), changed=100
            ),
        ]
    }
    for c in range(clients):
        base = 10_000_000 * (c + 1)
        out[f"client{c}"] = [
            write_list(folder / f"c{c}a.ftm.json.gz", range(base, base + SMALL)),
            write_list(
                folder / f"c{c}b.ftm.json.gz", range(base + 25, base + SMALL + 25), changed=20
            ),
        ]
    return out


# --- the officials ----------------------------------------------------------------------


def _cause(exc: BaseException) -> BaseException | None:
    seen: BaseException | None = exc
    import psycopg

    while seen is not None and not isinstance(seen, psycopg.Error):
        seen = getattr(seen, "orig", None) or seen.__cause__
    return seen


def kind_of_failure(exc: BaseException) -> str:
    """``conflict`` (the conflict dialog), ``busy`` (list locked), ``retry`` (deadlock,
    serialisation failure, a unique key met at once), or ``error``."""
    from chinadialog_desktop.errors import ConcurrentEdit
    from chinadialog_desktop.persistence.server import ConcurrentWrite
    from chinadialog_desktop.services.screening.list_locks import ListBusy

    if isinstance(exc, ConcurrentEdit):
        return "conflict"
    if isinstance(exc, ListBusy):
        return "busy"
    if isinstance(exc, ConcurrentWrite):
        return "retry"
    orig = _cause(exc)
    if orig is not None:
        from psycopg import errors as pgerrors

        if isinstance(
            orig,
            pgerrors.DeadlockDetected | pgerrors.SerializationFailure | pgerrors.UniqueViolation,
        ):
            return "retry"
    from sqlalchemy.exc import IntegrityError

    if isinstance(exc, IntegrityError):  # SQLite: cannot happen with one writer
        return "retry"
    return "error"


class Official:
    """One client: its database, its choices, its measurements."""

    def __init__(
        self, url: str, number: int, lists: dict[str, list[Path]], total: int, hot: int = HOT
    ) -> None:
        from chinadialog_desktop.persistence.database import Database

        self.db = Database.open(url)
        self.number = number
        self.rnd = random.Random(1000 + number)
        self.lists = lists
        self.total = total  # partnerships
        self.hot = min(hot, total)  # half of the saves go to partnerships 1 … hot
        self.times: dict[str, list[float]] = {k: [] for k, _w in WEIGHTS}
        self.counts: dict[str, int] = {
            "conflict": 0,
            "busy": 0,
            "retried": 0,
            "reported": 0,
            "error": 0,
        }
        self.saves: list[tuple[int, int, str]] = []  # partnership id, version, value
        self.errors: list[str] = []
        self.seq = 0
        self.editing: tuple[int, int] | None = None  # the partnership open in the editor
        with self.db.session() as s:
            from chinadialog_desktop.services.records import listing

            self.ids = listing.partnership_ids(s)

    def close(self) -> None:
        self.db.close()

    def step(self) -> None:
        op = self.rnd.choices([k for k, _w in WEIGHTS], [w for _k, w in WEIGHTS])[0]
        work: Callable[[], Any] | None = {"page": self.page, "screen": self.screen}.get(op)
        if op == "save":
            work = self.prepared_save()  # the editor's read is not part of the save
        elif op == "import":
            work = self.prepared_import()
        assert work is not None
        for attempt in range(3):
            t0 = time.perf_counter()
            try:
                result = work()
            except Exception as exc:  # noqa: BLE001 - counted by kind, as a user meets it
                kind = kind_of_failure(exc)
                if kind == "retry" and attempt < 2:
                    self.counts["retried"] += 1
                    continue
                if kind == "retry":
                    self.counts["reported"] += 1
                elif kind == "error":
                    self.counts["error"] += 1
                    self.errors.append(f"{op}: {type(exc).__name__}: {exc}"[:300])
                else:
                    self.counts[kind] += 1
                return
            self.times[op].append(time.perf_counter() - t0)
            if op == "save" and result is not None:
                self.saves.append(result)
            return

    def page(self) -> None:
        """A page as the window's list reads it (``workspace_setup.list_loaders``)."""
        from chinadialog_desktop.services import unit
        from chinadialog_desktop.services.records import lists

        start = self.rnd.randrange(max(1, len(self.ids) - PAGE))
        ids = self.ids[start : start + PAGE]
        # unit.read on a tree from before read_page (a baseline), as its window read then
        read = getattr(unit, "read_page", unit.read)
        rows = read(self.db, lambda s: lists.list_rows(s, "partnership", ids))
        assert rows

    def prepared_save(self) -> Callable[[], tuple[int, int, str]]:
        """Save the partnership the editor opened at this client's previous save (other
        steps, and other officials, came in between: the version it read may be stale),
        then open the next one. Only the save is timed, not the editor's read."""
        from chinadialog_desktop.persistence.models import Partnership
        from chinadialog_desktop.services.records import edit as records

        def read() -> tuple[int, int]:
            hot = self.rnd.random() < 0.5
            pid = self.rnd.randint(1, self.hot if hot else self.total)
            with self.db.session() as s:
                return pid, s.get(Partnership, pid).version  # type: ignore[union-attr]

        pid, version = self.editing if self.editing is not None else read()
        self.editing = read()
        self.seq += 1
        value = f"Stand {self.number}-{self.seq} (Beispiel)"

        def save() -> tuple[int, int, str]:
            with self.db.session() as s:
                change = records.update(
                    s, "partnership", pid, "description", value, expected_version=version
                )
                new_version = int(change.version or 0)
            return (pid, new_version, value)

        return save

    def screen(self) -> None:
        from chinadialog_desktop.services.screening import runs

        actor_id = 2 * self.rnd.randint(1, self.total)  # the Chinese side
        with self.db.session() as s:
            runs.run_screening(s, actor_ids=[actor_id], include_contacts=False)

    def prepared_import(self) -> Callable[[], None]:
        """The next version of the own small list, or (one in ten) of the shared big one:
        the version file the list does not hold now."""
        from sqlalchemy import select

        from chinadialog_desktop.persistence.models_reference import ReferenceList
        from chinadialog_desktop.services.screening.reference_lists import import_reference_list

        shared = self.rnd.random() < 0.1
        versions = self.lists["big" if shared else f"client{self.number}"]
        list_key = "gemeinsame_liste" if shared else f"liste_{self.number}"
        with self.db.session() as s:
            now = s.scalar(
                select(ReferenceList.file_name).where(ReferenceList.list_key == list_key)
            )
        path = versions[1] if now == versions[0].name else versions[0]

        def update() -> None:
            result = import_reference_list(self.db, path, list_key=list_key, backup=False)
            assert result.ok, result.problems.format()

        return update


def think(rnd: random.Random, mean: float, until: float) -> None:
    """A pause of an exponentially distributed length (mean ``mean`` s), never past ``until``."""
    if mean > 0:
        time.sleep(max(0.0, min(rnd.expovariate(1 / mean), until - time.time())))


def warm_up() -> None:
    """What an app that has been open a while has loaded: the pinyin dictionaries of the
    search index's text analysis (pypinyin: about 1 s of CPU on this machine; a client's
    first save paid it, 7 s each with 8 clients starting at once on 2 CPUs, which was
    the p95 of a one-minute run). Not timed, as the processes' start is not."""
    from chinadialog_desktop.persistence.search_text import analyse

    analyse(["珠海 (Beispiel)"], [])


def cpu_seconds() -> float:
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime


def run_official(url: str, number: int, lists: dict[str, list[Path]], total: int,
                 until: float, out: str, hot: int = HOT,
                 mean_think: float = 0.0) -> None:  # fmt: skip
    """One client process: work until ``until`` (time.time()), then write its figures."""
    from chinadialog_desktop.i18n import set_language

    set_language("en")
    official = Official(url, number, lists, total, hot)
    warm_up()
    pauses = random.Random(7000 + number)
    cpu0, wall0 = cpu_seconds(), time.time()
    try:
        while time.time() < until:
            official.step()
            think(pauses, mean_think, until)
    finally:
        official.close()
    Path(out).write_text(
        json.dumps(
            {
                "times": official.times,
                "counts": official.counts,
                "saves": official.saves,
                "errors": official.errors[:20],
                "cpu_s": cpu_seconds() - cpu0,
                "wall_s": time.time() - wall0,
            }
        ),
        encoding="utf-8",
    )


def server_cpu_seconds(data: Path) -> float:
    """User + system CPU seconds of the server: the postmaster, its live children, and
    (through the postmaster's cutime/cstime) the children that have ended."""
    tick = os.sysconf("SC_CLK_TCK")
    try:
        postmaster = int((data / "postmaster.pid").read_text().split()[0])
    except (OSError, ValueError, IndexError):
        return float("nan")
    total = 0
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            fields = (entry / "stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        pid, ppid = int(entry.name), int(fields[1])
        if pid == postmaster:
            total += sum(int(x) for x in fields[11:15])  # utime stime cutime cstime
        elif ppid == postmaster:
            total += int(fields[11]) + int(fields[12])
    return total / tick


def commit_of(root: Path) -> str:
    try:
        found = subprocess.run(
            ["git", "-C", str(root), "rev-parse", "--short", "HEAD"],
            capture_output=True, text=True, check=True,
        ).stdout.strip()  # fmt: skip
    except (OSError, subprocess.CalledProcessError):
        found = ""
    return found or "(not a git checkout)"


# --- figures ----------------------------------------------------------------------------


def pct(values: list[float], q: float) -> float:
    if not values:
        return float("nan")
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(q * (len(ordered) - 1))))]


def lost_updates(db: Any, saves: list[tuple[int, int, str]]) -> tuple[int, int]:
    """(lost, checked): a version logged twice, or a partnership not holding the value of
    its highest logged version."""
    from sqlalchemy import select

    from chinadialog_desktop.persistence.models import Partnership

    latest: dict[int, tuple[int, str]] = {}
    seen: set[tuple[int, int]] = set()
    lost = 0
    for pid, version, value in saves:
        if (pid, version) in seen:
            lost += 1
        seen.add((pid, version))
        if pid not in latest or version > latest[pid][0]:
            latest[pid] = (version, value)
    with db.session() as s:
        for i in range(0, len(latest), 500):
            part = sorted(latest)[i : i + 500]
            for pid, version, value in s.execute(
                select(Partnership.id, Partnership.version, Partnership.description).where(
                    Partnership.id.in_(part)
                )
            ):
                if (version, value) != latest[pid]:
                    lost += 1
    return lost, len(latest)


def summary(times: dict[str, list[float]]) -> dict[str, dict[str, float]]:
    return {
        op: {
            "n": len(v),
            "p50_ms": 1000 * statistics.median(v) if v else float("nan"),
            "p95_ms": 1000 * pct(v, 0.95),
            "max_ms": 1000 * max(v) if v else float("nan"),
        }
        for op, v in times.items()
    }


def timed_import(db: Any, path: Path, list_key: str) -> float:
    from chinadialog_desktop.services.screening.reference_lists import import_reference_list

    t0 = time.perf_counter()
    result = import_reference_list(db, path, list_key=list_key, backup=False)
    assert result.ok, result.problems.format()
    return time.perf_counter() - t0


def load_mean(samples: list[float]) -> float:
    """The mean of the load-average samples, a value repeated at once counted once: the
    kernel renews it every 5 s, so a repeat is a sample taken again too soon (before
    commit 33c48f7 the sampling loop spun while the last clients finished)."""
    kept = [x for n, x in enumerate(samples) if n == 0 or x != samples[n - 1]]
    return statistics.fmean(kept)


def summarise(base_path: Path, new_path: Path, out: Path) -> None:
    """Two runs' figures (before/after a change, same options) as one table for
    RESULTS.md (``benchmarks/render_results.py`` renders ``figures`` lists)."""
    base = json.loads(base_path.read_text(encoding="utf-8"))
    new = json.loads(new_path.read_text(encoding="utf-8"))
    targets = {
        ("postgresql", "page", "p95_ms"): "≤ 150 ms",
        ("postgresql", "save", "p95_ms"): "≤ 100 ms",
    }
    names = {"page": "list page (200 rows)", "save": "save", "screen": "screen one actor",
             "import": "list update"}  # fmt: skip
    figures: list[dict[str, Any]] = []

    def figure(
        label: str, old: float | None, now: float | None, unit: str, target: str = ""
    ) -> None:
        ratio = now / old if old and now is not None and old == old and now == now else None
        figures.append({"label": label, "baseline": old, "new": now, "unit": unit,
                        "ratio": ratio, "target": target})  # fmt: skip

    a = base["args"]
    for engine, who in (
        ("postgresql", f"PostgreSQL, {a['clients']} clients"),
        ("sqlite", "SQLite, 1 user"),
    ):
        for op, _w in WEIGHTS:
            for q in ("p50_ms", "p95_ms"):
                figure(
                    f"{who}: {names[op]} {q[:3]}",
                    base[engine]["ops"][op][q],
                    new[engine]["ops"][op][q],
                    "ms",
                    targets.get((engine, op, q), ""),
                )
            figure(
                f"{who}: {names[op]} count",
                base[engine]["ops"][op]["n"],
                new[engine]["ops"][op]["n"],
                "",
            )
    for key, label in (
        ("lost_updates", "lost updates"),
        ("partnerships_saved", "partnerships saved"),
    ):
        figure(f"PostgreSQL: {label}", base["postgresql"][key], new["postgresql"][key], "")
    for key, label in (
        ("conflict", "saves refused as a conflict (the conflict dialog)"),
        ("retried", "deadlocks / serialisation failures / unique clashes retried"),
        ("reported", "… failed a third time, reported"),
        ("busy", "list update refused: shared list busy"),
        ("error", "other errors"),
    ):
        figure(
            f"PostgreSQL: {label}",
            base["postgresql"]["counts"].get(key, 0),
            new["postgresql"]["counts"].get(key, 0),
            "",
        )
    for label, key in (("client CPU (share of the machine)", "client_cpu_share"),
                       ("server CPU (share of the machine)", "server_cpu_share")):  # fmt: skip
        figure(
            f"PostgreSQL run: {label}",
            round(100 * base["postgresql"]["machine"][key], 1),
            round(100 * new["postgresql"]["machine"][key], 1),
            "%",
        )
    intact = base["postgresql"]["audit_chain_intact"], new["postgresql"]["audit_chain_intact"]
    loads = [
        load_mean(run[e]["machine"]["load_average"]["samples"])
        for run in (base, new)
        for e in ("postgresql", "sqlite")
    ]
    summary = {
        "title": f"Team mode under load: {a['clients']} clients × {a['minutes']:g} min on "
        f"PostgreSQL beside 1 user on SQLite (issue 17, point 9)",
        "command": new["command"],
        "date": new["date"],
        "commits": {"baseline": base["commit"], "new": new["commit"]},
        "load_average": loads,
        "cpus": new["cpus"],
        "figures": figures,
        "notes": [
            f"{a['partnerships']:,} partnerships, a {a['entities']:,}-entity list, half of the "
            f"saves among {a['hot']} partnerships, mean think time {a.get('think', 0):g} s; "
            f"PostgreSQL {new['server_version']} (throwaway local server, fsync off). "
            f"Audit chain intact after the run: baseline {intact[0]}, new {intact[1]}. "
            "Load averages: baseline PostgreSQL run, baseline SQLite run, new PostgreSQL run, "
            "new SQLite run (means of 10-s samples). Raw figures: "
            f"`benchmarks/figures/{base_path.name}`, `benchmarks/figures/{new_path.name}`.",
        ],
    }
    out.write_text(json.dumps(summary, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--summarise", nargs=3, type=Path, metavar=("BASE_JSON", "NEW_JSON", "OUT_JSON"),
        help="only write the table of two runs' figures (for render_results.py)",
    )  # fmt: skip
    parser.add_argument("--clients", type=int, default=20)
    parser.add_argument("--minutes", type=float, default=10.0)
    parser.add_argument("--partnerships", type=int, default=100_000)
    parser.add_argument("--entities", type=int, default=200_000)
    parser.add_argument("--sqlite-minutes", type=float, default=None)
    parser.add_argument(
        "--hot", type=int, default=HOT, help="half of the saves go to this many partnerships"
    )
    parser.add_argument(
        "--think", type=float, default=1.0,
        help="mean think time between a client's steps, seconds (exponential; 0: none)",
    )  # fmt: skip
    parser.add_argument("--json", type=Path, help="write the figures here as well")
    parser.add_argument(
        "--commit", help="the tree's commit, when it is not a git checkout (a baseline copy)"
    )
    args = parser.parse_args()
    if args.summarise:
        summarise(*args.summarise)
        return 0

    from helpers.pg_server import PgServer

    from chinadialog_desktop.i18n import set_language
    from chinadialog_desktop.persistence.database import Database
    from chinadialog_desktop.persistence.server import parse_target
    from chinadialog_desktop.persistence.server_upgrade import upgrade_server

    set_language("en")
    folder = Path(tempfile.mkdtemp(prefix="cd-team-load-"))
    t0 = time.perf_counter()
    path = folder / "team.sqlite3"
    build_file(path, args.partnerships)
    lists = list_versions(folder, args.entities, args.clients)
    print(f"data generated in {time.perf_counter() - t0:.0f} s", file=sys.stderr)

    server = PgServer.start()
    figures: dict[str, Any] = {
        "args": vars(args) | {"json": str(args.json)},
        "command": " ".join(["benchmarks/team_load.py", *sys.argv[1:]]),
        "commit": args.commit or commit_of(ROOT),
        "date": time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime()),
        "cpus": os.cpu_count(),
    }
    try:
        address = server.plain_url(server.create_database("load"))
        upgrade_server(parse_target(address))
        copy_to_server(path, address)
        file_db, team_db = Database.open(path), Database.open(address)
        setup = {}
        for name, db in (("sqlite", file_db), ("postgresql", team_db)):
            setup[name] = {"big_import_s": timed_import(db, lists["big"][0], "gemeinsame_liste")}
            t1 = time.perf_counter()
            for c in range(args.clients):
                timed_import(db, lists[f"client{c}"][0], f"liste_{c}")
            setup[name]["small_imports_s"] = time.perf_counter() - t1
        figures["setup"] = setup
        with team_db.engine.connect() as conn:
            figures["server_version"] = conn.exec_driver_sql("SHOW server_version").scalar()
        print(f"set up: {setup}", file=sys.stderr)

        # N officials on the server, at once
        ctx = multiprocessing.get_context("spawn")
        until = time.time() + 60 * args.minutes + 15  # + the processes' start
        outs = [folder / f"client{c}.json" for c in range(args.clients)]
        procs = [
            ctx.Process(
                target=run_official,
                args=(address, c, lists, args.partnerships, until, str(outs[c]), args.hot)
                + (args.think,),
            )
            for c in range(args.clients)
        ]
        server_cpu0, wall0 = server_cpu_seconds(server.data), time.time()
        loads: list[float] = [os.getloadavg()[0]]
        sampled = time.time()
        for p in procs:
            p.start()
        while any(p.is_alive() for p in procs):
            # a sample of the load average every 10 s meanwhile (not join(10) on one
            # process: once that one has ended it returns at once, and this loop spun)
            multiprocessing.connection.wait([p.sentinel for p in procs if p.is_alive()], 10)
            if time.time() - sampled >= 10:
                loads.append(os.getloadavg()[0])
                sampled = time.time()
        for p in procs:
            p.join()
        wall = time.time() - wall0
        server_cpu = server_cpu_seconds(server.data) - server_cpu0
        times: dict[str, list[float]] = {k: [] for k, _w in WEIGHTS}
        counts: dict[str, int] = {}
        saves: list[tuple[int, int, str]] = []
        errors: list[str] = []
        client_cpu = 0.0
        for number, out in enumerate(outs):
            if not out.exists():  # the process died: say so, the others' figures still count
                counts["error"] = counts.get("error", 0) + 1
                errors.append(f"client {number} ended without writing its figures")
                continue
            data = json.loads(out.read_text(encoding="utf-8"))
            client_cpu += data["cpu_s"]
            for op, values in data["times"].items():
                times[op].extend(values)
            for k, v in data["counts"].items():
                counts[k] = counts.get(k, 0) + v
            saves.extend(tuple(x) for x in data["saves"])
            errors.extend(data["errors"])
        lost, checked = lost_updates(team_db, saves)
        from chinadialog_desktop.persistence.audit import verify_chain

        with team_db.engine.connect() as conn:
            chain = verify_chain(conn)
        figures["postgresql"] = {
            "ops": summary(times),
            "counts": counts,
            "lost_updates": lost,
            "partnerships_saved": checked,
            "audit_chain_intact": chain.intact,
            "audit_events": chain.events,
            "errors": errors[:10],
            "machine": {
                "wall_s": wall,
                "client_cpu_s": client_cpu,
                "server_cpu_s": server_cpu,
                # of the machine's capacity: CPU seconds / (wall seconds × CPUs)
                "client_cpu_share": client_cpu / (wall * (os.cpu_count() or 1)),
                "server_cpu_share": server_cpu / (wall * (os.cpu_count() or 1)),
                "load_average": {
                    "min": min(loads),
                    "mean": statistics.fmean(loads),
                    "max": max(loads),
                    "samples": loads,
                },
            },
        }
        team_db.close()

        # one user on the file, the same mix
        minutes = args.sqlite_minutes if args.sqlite_minutes is not None else args.minutes
        file_db.close()
        official = Official(str(path), 0, lists, args.partnerships, args.hot)
        until = time.time() + 60 * minutes
        pauses = random.Random(7000)
        loads = [os.getloadavg()[0]]
        cpu0, wall0, sampled = cpu_seconds(), time.time(), time.time()
        while time.time() < until:
            official.step()
            think(pauses, args.think, until)
            if time.time() - sampled >= 10:
                loads.append(os.getloadavg()[0])
                sampled = time.time()
        sqlite_wall = time.time() - wall0
        sqlite_cpu = cpu_seconds() - cpu0
        single_lost, single_checked = lost_updates(official.db, official.saves)
        figures["sqlite"] = {
            "ops": summary(official.times),
            "counts": official.counts,
            "lost_updates": single_lost,
            "partnerships_saved": single_checked,
            "errors": official.errors[:10],
            "machine": {
                "wall_s": sqlite_wall,
                "client_cpu_s": sqlite_cpu,
                "client_cpu_share": sqlite_cpu / (sqlite_wall * (os.cpu_count() or 1)),
                "load_average": {
                    "min": min(loads),
                    "mean": statistics.fmean(loads),
                    "max": max(loads),
                    "samples": loads,
                },
            },
        }
        official.close()
    finally:
        server.stop()

    if args.json:
        args.json.write_text(json.dumps(figures, indent=2), encoding="utf-8")
    pg, sq = figures["postgresql"], figures["sqlite"]
    print(
        f"{args.clients} clients × {args.minutes:g} min on PostgreSQL "
        f"{figures['server_version']}, 1 user × {minutes:g} min on SQLite "
        f"{sqlite3.sqlite_version}; {args.partnerships:,} partnerships, "
        f"{args.entities:,}-entity list; half of the saves among {args.hot} partnerships; "
        f"mean think time {args.think:g} s; commit {figures['commit']}\n"
    )
    print("| operation | PostgreSQL n | p50 | p95 | max | SQLite (1 user) n | p50 | p95 | max |")
    print("| --- | --- | --- | --- | --- | --- | --- | --- | --- |")
    for op, _w in WEIGHTS:
        a, b = pg["ops"][op], sq["ops"][op]
        print(
            f"| {op} | {a['n']} | {a['p50_ms']:.0f} ms | {a['p95_ms']:.0f} ms | "
            f"{a['max_ms']:.0f} ms | {b['n']} | {b['p50_ms']:.0f} ms | {b['p95_ms']:.0f} ms | "
            f"{b['max_ms']:.0f} ms |"
        )
    print(
        f"\nPostgreSQL: lost updates {pg['lost_updates']} (over {pg['partnerships_saved']} "
        f"partnerships saved); conflicts shown {pg['counts'].get('conflict', 0)}; "
        f"deadlocks/serialisation failures/unique clashes retried "
        f"{pg['counts'].get('retried', 0)}, reported {pg['counts'].get('reported', 0)}; "
        f"list busy {pg['counts'].get('busy', 0)}; other errors {pg['counts'].get('error', 0)}; "
        f"audit chain intact: {pg['audit_chain_intact']}"
    )
    print(f"SQLite: lost updates {sq['lost_updates']}; other errors {sq['counts'].get('error', 0)}")
    for name, part in (("PostgreSQL run", pg), ("SQLite run", sq)):
        m = part["machine"]
        print(
            f"{name}: {m['wall_s']:.0f} s; load average {m['load_average']['min']:.1f}–"
            f"{m['load_average']['max']:.1f} (mean {m['load_average']['mean']:.1f}) on "
            f"{os.cpu_count()} CPUs; client CPU {m['client_cpu_s']:.0f} s "
            f"({100 * m['client_cpu_share']:.0f} % of the machine)"
            + (
                f"; server CPU {m['server_cpu_s']:.0f} s ({100 * m['server_cpu_share']:.0f} %)"
                if "server_cpu_s" in m
                else ""
            )
        )
    print(f"set-up imports: {figures['setup']}")
    for e in pg["errors"] + sq["errors"]:
        print("error:", e)
    ok = pg["lost_updates"] == 0 and sq["lost_updates"] == 0 and pg["audit_chain_intact"]
    return 0 if ok else 1


if __name__ == "__main__":
    raise SystemExit(main())
