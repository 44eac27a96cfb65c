"""The whole-list evaluation set (tests/fixtures/screening) as FollowTheMoney files and
subjects, for tests and benchmarks that screen it through a real database."""

from __future__ import annotations

import functools
import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

from chinadialog_desktop.domain.matching import Subject
from chinadialog_desktop.persistence.database import Database

ROOT = Path(__file__).resolve().parents[2]
EVAL_WHOLE_LIST = ROOT / "tests" / "fixtures" / "screening" / "eval_whole_list.json"


def load_eval(path: Path = EVAL_WHOLE_LIST) -> dict[str, Any]:
    data: dict[str, Any] = json.loads(path.read_text(encoding="utf-8"))
    return data


def ftm_row(e: dict[str, Any], dataset: str) -> dict[str, Any]:
    """One evaluation entity as a FollowTheMoney entity of ``dataset``."""
    props: dict[str, list[str]] = {"name": list(e["names"])}
    if e["weak_aliases"]:
        props["weakAlias"] = list(e["weak_aliases"])
    if e["countries"]:
        props["country"] = [c.lower() for c in e["countries"]]
    if e["topics"]:
        props["topics"] = list(e["topics"])
    for scheme, values in e["identifiers"].items():
        props[scheme] = list(values)
    return {
        "id": e["key"],
        "schema": e["schema"],
        "caption": e["names"][0],
        "properties": props,
        "datasets": [dataset],
    }


def write_ftm(path: Path, entities: list[dict[str, Any]], dataset: str) -> Path:
    with path.open("w", encoding="utf-8") as f:
        for e in entities:
            f.write(json.dumps(ftm_row(e, dataset), ensure_ascii=False) + "\n")
    return path


def subject_of(q: dict[str, Any], names: list[str] | None = None) -> Subject:
    names = list(q["names"]) if names is None else names
    return Subject(
        uuid=f"q{q['id']}",
        kind="contact" if q["person"] else "actor",
        label=names[0],
        names=tuple(names),
        person=q["person"],
        country=q["country"],
        identifiers=tuple((s, v) for s, v in q["identifiers"]),
    )


def dump_index(db: Path | Database) -> dict[str, object]:
    """The stored screening index of a database (a file's path, or an open file or team
    database), order-free: the ids under each key, the words under each one-letter
    deletion, the stored names and the state's counts."""
    import sqlite3

    from helpers.db import query

    if isinstance(db, Database):
        rows: Callable[[str], list[tuple[Any, ...]]] = functools.partial(query, db)
        closing = None
    else:  # a file, read as it lies on disk (a test may have killed its writer)
        closing = sqlite3.connect(db)
        rows = lambda sql: closing.execute(sql).fetchall()  # noqa: E731
    try:
        return {
            "keys": sorted(
                (k, df, sorted(map(int, ids.split(","))))
                for k, df, ids in rows("SELECT key, df, ids FROM screening_key")
            ),
            "near": sorted(
                (v, sorted(w.split(" ")))
                for v, w in rows("SELECT variant, words FROM screening_near")
            ),
            "names": sorted(rows("SELECT entity_id, names FROM screening_entity")),
            "state": rows(
                "SELECT list_id, entity_count, key_count, matcher, stamp FROM screening_index "
                "ORDER BY list_id"
            ),
        }
    finally:
        if closing is not None:
            closing.close()
