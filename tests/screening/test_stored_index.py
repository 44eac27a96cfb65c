"""The match index stored in the database (issue 13, point 5): the same hits, scores and
explanations as the index built in memory, and a lifecycle tied to the list's version."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import select

from chinadialog_desktop.domain.matching import Match, find_candidates, index_version
from chinadialog_desktop.persistence.database import Database
from chinadialog_desktop.persistence.models_core import Actor
from chinadialog_desktop.persistence.models_reference import (
    ReferenceEntity,
    ReferenceList,
    ScreeningIndexState,
)
from chinadialog_desktop.services.screening import runs as screening
from chinadialog_desktop.services.screening.index import build_list_index
from chinadialog_desktop.services.screening.reference_lists import (
    delete_reference_list,
    import_reference_list,
)
from tests.helpers.db import execute, query
from tests.helpers.screening_lists import dump_index, load_eval, subject_of, write_ftm

pytestmark = pytest.mark.both_engines

INDEX_TABLES = ("screening_index", "screening_key", "screening_near", "screening_entity")
EVAL = load_eval()
# A few hundred queries of every variant: every 20th of the whole-list evaluation set.
QUERIES = EVAL["queries"][::20]


def _same(ms: list[Match]) -> list[tuple[str, str, float, dict]]:
    return [(m.entity.list_key, m.entity.entity_key, m.score, m.explanation) for m in ms]


def _counts(db: Database) -> dict[str, int]:
    return {t: query(db, f"SELECT count(*) FROM {t}")[0][0] for t in INDEX_TABLES}


@pytest.fixture
def eval_db(db: Database, tmp_path: Path) -> Database:
    """The evaluation list split in two lists (so postings of both must be merged)."""
    ents = EVAL["entities"]
    for name, part in (("eval_a", ents[::2]), ("eval_b", ents[1::2])):
        path = write_ftm(tmp_path / f"{name}.ftm.json", part, name)
        result = import_reference_list(db, path, backup=False)
        assert result.status == "committed", result.problems.format()
    return db


def test_stored_index_gives_the_same_hits_scores_and_explanations(eval_db: Database) -> None:
    assert len(QUERIES) >= 300
    with eval_db.session() as s:
        memory = screening.build_memory_index(s)
        stored = screening.build_index(s)
        assert len(stored) == len(memory) == len(EVAL["entities"])
        hits = 0
        for q in QUERIES:
            subject = subject_of(q)
            expected = _same(memory.screen(subject, 0.6))
            assert _same(stored.screen(subject, 0.6)) == expected, q["names"]
            # and the candidates themselves, in the same order
            ours = subject.normalized()
            refs = stored.fetch(find_candidates(stored, subject, ours))
            mem = memory.fetch(memory.candidates(subject, ours))
            assert [e.entity_key for e in refs] == [e.entity_key for e in mem]
            hits += len(expected)
        assert hits > len(QUERIES)  # the comparison saw real hits, not empty lists


def test_one_list_at_a_time_too(eval_db: Database) -> None:
    with eval_db.session() as s:
        memory = screening.build_memory_index(s, ["eval_b"])
        stored = screening.build_index(s, ["eval_b"])
        assert len(stored) == len(memory) > 0
        for q in QUERIES[:80]:
            subject = subject_of(q)
            assert _same(stored.screen(subject)) == _same(memory.screen(subject))


def test_the_import_builds_the_index_in_its_transaction(eval_db: Database) -> None:
    with eval_db.session() as s:
        states = list(s.scalars(select(ScreeningIndexState)))
        assert len(states) == 2
        assert all(x.matcher == index_version() and x.key_count > 0 for x in states)
        assert sum(x.entity_count for x in states) == len(EVAL["entities"])
    counts = _counts(eval_db)
    assert counts["screening_entity"] == len(EVAL["entities"])
    assert counts["screening_key"] > 0 and counts["screening_near"] > 0


def test_a_cancelled_import_leaves_no_index(db: Database, tmp_path: Path) -> None:
    path = write_ftm(tmp_path / "l.ftm.json", EVAL["entities"][:200], "cancelled")
    seen: list[str] = []

    def progress(_done: int, _total: int, message: str) -> None:
        seen.append(message)

    def cancel() -> bool:  # once the index is being built
        return any("screening" in m for m in seen)

    result = import_reference_list(db, path, progress=progress, cancel=cancel, backup=False)
    assert result.status == "cancelled"
    assert any("screening" in m for m in seen)
    assert _counts(db) == dict.fromkeys(INDEX_TABLES, 0)
    with db.session() as s:
        assert s.scalar(select(ReferenceList)) is None


def test_removing_the_list_drops_its_index(eval_db: Database) -> None:
    delete_reference_list(eval_db, "eval_a", backup=False)
    with eval_db.session() as s:
        (state,) = s.scalars(select(ScreeningIndexState))
        left = s.scalar(select(ReferenceList.id).where(ReferenceList.list_key == "eval_b"))
        assert state.list_id == left
    counts = _counts(eval_db)
    assert counts["screening_index"] == 1
    assert counts["screening_entity"] == len(EVAL["entities"][1::2])
    assert query(eval_db, "SELECT count(*) FROM screening_key WHERE list_id != :l", l=left) == [
        (0,)
    ]


def test_a_new_version_of_the_list_rebuilds_its_index(db: Database, tmp_path: Path) -> None:
    ents = EVAL["entities"]
    write_ftm(tmp_path / "v1.ftm.json", ents[:400], "versions")
    assert import_reference_list(db, tmp_path / "v1.ftm.json", backup=False).ok
    changed = [dict(e, names=[*e["names"], e["names"][0] + " Holding"]) for e in ents[:50]]
    write_ftm(tmp_path / "v2.ftm.json", [*changed, *ents[100:400], *ents[400:600]], "versions")
    result = import_reference_list(db, tmp_path / "v2.ftm.json", backup=False)
    assert result.ok and result.updated == 50 and result.removed == 50 and result.new == 200
    with db.session() as s:
        (state,) = s.scalars(select(ScreeningIndexState))
        assert state.entity_count == 550
        memory = screening.build_memory_index(s)
        stored = screening.build_index(s)
        for q in QUERIES[:100]:
            subject = subject_of(q)
            assert _same(stored.screen(subject, 0.6)) == _same(memory.screen(subject, 0.6))
    assert _counts(db)["screening_entity"] == 550
    # The rebuild read the unchanged entities' normalised names instead of redoing them:
    # the index equals one built from scratch, row for row.
    before = dump_index(db)
    with db.session() as s:
        list_id = s.scalar(select(ReferenceList.id))
        assert list_id is not None
        build_list_index(s.connection(), list_id)
    assert dump_index(db) == before


def test_an_index_of_another_matcher_or_list_state_is_rebuilt(eval_db: Database) -> None:
    execute(eval_db, "UPDATE screening_index SET matcher = 'an older matcher'")
    with eval_db.session() as s:
        # an entity added behind the importer's back (the list's state changed)
        lst = s.scalar(select(ReferenceList).where(ReferenceList.list_key == "eval_b"))
        assert lst is not None
        s.add(
            ReferenceEntity(
                list_id=lst.id,
                entity_key="added",
                schema="Company",
                caption="Xinghai Kangda Optics (Beispiel)",
                names=["Xinghai Kangda Optics Co., Ltd."],
                weak_aliases=[],
                countries=["cn"],
                topics=["sanction"],
                identifiers={},
                properties={},
                content_hash="h",
            )
        )
    seen: list[tuple[int, int]] = []
    with eval_db.session() as s:
        stored = screening.build_index(s, progress=lambda d, t, _m: seen.append((d, t)))
        assert seen[-1] == (len(EVAL["entities"]) + 1,) * 2
        assert {x.matcher for x in s.scalars(select(ScreeningIndexState))} == {index_version()}
        [hit] = stored.screen(subject_of(_query("Xinghai Kangda Optics")))
        assert hit.entity.entity_key == "added"
    with eval_db.session() as s:  # built once, kept: nothing to rebuild now
        seen.clear()
        screening.build_index(s, progress=lambda d, t, _m: seen.append((d, t)))
        assert seen == [(len(EVAL["entities"]) + 1,) * 2]


def test_a_list_without_index_is_indexed_on_first_use(eval_db: Database) -> None:
    """As after the upgrade to 0008: lists imported before have no index yet."""
    for table in INDEX_TABLES:
        execute(eval_db, f"DELETE FROM {table}")
    with eval_db.session() as s:
        s.add(Actor(name_de="Jiyuan Municipal Public Security Bureau", kind="authority"))
    with eval_db.session() as s:
        result = screening.run_screening(s)
        assert result.entities == len(EVAL["entities"])
    assert _counts(eval_db)["screening_index"] == 2


def test_nobody_to_screen_loads_nothing_after_an_import(db: Database, tmp_path: Path) -> None:
    path = write_ftm(tmp_path / "l.ftm.json", EVAL["entities"][:100], "quiet")
    result = import_reference_list(db, path, backup=False)
    with db.session() as s:
        run = screening.run_after_list_update(s, "quiet", result.changed_keys)
        assert run.subjects == 0 and run.new_hit_ids == []


def _query(names: str) -> dict:
    return {"id": 0, "names": [names], "person": False, "country": "CN", "identifiers": []}


def test_the_build_pauses_the_collector_and_leaves_no_cycles(eval_db: Database) -> None:
    """The build runs without cyclic garbage collection (a third of its CPU time) and
    switches it back on; as it makes no reference cycles, nothing waits for the collector.
    A collector already off (the window's start pauses it) stays off."""
    import gc

    during: list[bool] = []
    with eval_db.session() as s:
        [list_id] = s.scalars(
            select(ReferenceList.id).where(ReferenceList.list_key == "eval_a")
        ).all()
        conn = s.connection()
        assert gc.isenabled()
        gc.collect()
        build_list_index(conn, list_id, lambda _d, _t: during.append(gc.isenabled()))
        assert gc.isenabled()
        assert gc.collect() == 0  # the build left no unreachable cycles behind
        gc.disable()
        try:
            build_list_index(conn, list_id, lambda _d, _t: during.append(gc.isenabled()))
            assert not gc.isenabled()
        finally:
            gc.enable()
    assert during and not any(during)
