"""A new version of a list that changes a few entities updates the stored index for those
alone (issue 13, point 5): the result equals an index built from scratch, row for row, and
gives the same hits, scores and explanations."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import select

from chinadialog_desktop.domain.matching import Match, Subject
from chinadialog_desktop.persistence.database import Database
from chinadialog_desktop.persistence.models_reference import ReferenceList
from chinadialog_desktop.services.screening import runs as screening
from chinadialog_desktop.services.screening.index import build_list_index
from chinadialog_desktop.services.screening.reference_lists import import_reference_list
from tests.helpers.db import query
from tests.helpers.screening_lists import dump_index, load_eval, subject_of, write_ftm

pytestmark = pytest.mark.both_engines

EVAL = load_eval()
ENTS: list[dict[str, Any]] = EVAL["entities"]
QUERIES = EVAL["queries"][::20]
PREPARING = "Preparing the list for screening …"


def _entity(key: str, names: list[str], **extra: Any) -> dict[str, Any]:
    return {
        "key": key,
        "schema": extra.get("schema", "Company"),
        "names": names,
        "weak_aliases": extra.get("weak_aliases", []),
        "countries": ["CN"],
        "topics": ["sanction"],
        "identifiers": extra.get("identifiers", {}),
    }


# Words found nowhere else in the evaluation list (Beispiel data).
GONE = _entity("gone-1", ["Zorvexatron Optics Co., Ltd. (Beispiel)"])
STAYS = _entity("stays-1", ["Kelmorandi Photonics Co., Ltd. (Beispiel)"])
STAYS_TOO = _entity("stays-2", ["Kelmorandi Precision Co., Ltd. (Beispiel)"])
RENAMED_FROM = _entity("renamed-1", ["Vostrelli Lasers Co., Ltd. (Beispiel)"], identifiers={})
RENAMED_TO = _entity(
    "renamed-1",
    ["Quirantel Lasers Co., Ltd. (Beispiel)", "夸兰特激光有限公司"],
    identifiers={"registrationNumber": ["91440300MA5F0XYZ7K"]},
)
ADDED = _entity("added-1", ["Brellinox Materials Co., Ltd. (Beispiel)"], weak_aliases=["Brelinox"])


def _versions(tmp_path: Path) -> tuple[Path, Path, dict[str, int]]:
    v1 = [*ENTS[:900], GONE, STAYS, STAYS_TOO, RENAMED_FROM]
    # Changed: 20 gain a name, 10 an alias and a registration number, one is renamed.
    more = [dict(e, names=[*e["names"], e["names"][0] + " Holding"]) for e in ENTS[:20]]
    fewer = [
        dict(
            e,
            weak_aliases=[f"Alias {n} (Beispiel)"],
            identifiers={"registrationNumber": [f"REG{n:06d}"]},
        )
        for n, e in enumerate(ENTS[20:30])
    ]
    v2 = [
        *more,
        *fewer,
        *ENTS[30:860],  # ENTS[860:900] removed
        *ENTS[900:940],  # new
        STAYS_TOO,  # STAYS and GONE removed: "kelmorandi" stays, "zorvexatron" goes
        RENAMED_TO,
        ADDED,
    ]
    counts = {"updated": 20 + 10 + 1, "removed": 40 + 2, "new": 40 + 1}
    return (
        write_ftm(tmp_path / "v1.ftm.json", v1, "monthly"),
        write_ftm(tmp_path / "v2.ftm.json", v2, "monthly"),
        counts,
    )


def _same(ms: list[Match]) -> list[tuple[str, str, float, dict[str, Any]]]:
    return [(m.entity.list_key, m.entity.entity_key, m.score, m.explanation) for m in ms]


def _subject(name: str) -> Subject:
    return Subject("s", "actor", name, (name,), False, "CN")


def _near(db: Database, word: str) -> int:
    sql = "SELECT count(*) FROM screening_near WHERE ' ' || words || ' ' LIKE :p"
    return int(query(db, sql, p=f"% {word} %")[0][0])


def test_a_few_changes_update_the_index_like_a_full_build(db: Database, tmp_path: Path) -> None:
    v1, v2, counts = _versions(tmp_path)
    assert import_reference_list(db, v1, backup=False).ok
    assert _near(db, "zorvexatron") == len("zorvexatron")
    steps: list[tuple[int, int]] = []

    def progress(done: int, total: int, message: str) -> None:
        if message == PREPARING:
            steps.append((done, total))

    result = import_reference_list(db, v2, backup=False, progress=progress)
    assert result.status == "committed", result.problems.format()
    assert {k: getattr(result, k) for k in counts} == counts
    # Only the changed and the new entities were keyed, not the whole list.
    assert steps[-1] == (counts["updated"] + counts["new"],) * 2
    assert _near(db, "zorvexatron") == 0  # no entity carries it any more
    assert _near(db, "kelmorandi") == len("kelmorandi")  # STAYS_TOO still does
    assert _near(db, "vostrelli") == 0 and _near(db, "quirantel") > 0
    assert _near(db, "brelinox") > 0  # a weak alias is a word of the list, too

    updated = dump_index(db)
    with db.session() as s:
        stored = screening.build_index(s)  # current: nothing rebuilt
        memory = screening.build_memory_index(s)
        names = ["Quirantel Lasers", "夸兰特激光", "Vostrelli Lasers", "Zorvexatron Optics"]
        names += ["Kelmorandi Photonics", "Brellinox Materials", "Brelinox"]
        names += [e["names"][0] for e in [*ENTS[:30], *ENTS[860:940]]]
        subjects = [subject_of(q) for q in QUERIES] + [_subject(n) for n in names]
        hits = [_same(stored.screen(subject, 0.6)) for subject in subjects]
        assert hits == [_same(memory.screen(subject, 0.6)) for subject in subjects]
        by_name = dict(zip(names, hits[len(QUERIES) :], strict=True))
        assert [h[1] for h in by_name["Quirantel Lasers"]][:1] == ["renamed-1"]
        assert not any(h[1] == "renamed-1" for h in by_name["Vostrelli Lasers"])
        assert not by_name["Zorvexatron Optics"]
        assert [h[1] for h in by_name["Brelinox"]][:1] == ["added-1"]
        by_id = stored.screen(
            Subject(
                "s", "actor", "x", ("Andere Firma",), False, "CN", (("uscc", "91440300MA5F0XYZ7K"),)
            )
        )
        assert [m.entity.entity_key for m in by_id][:1] == ["renamed-1"]
    # The same index as one built from scratch for this version, row for row.
    with db.session() as s:
        list_id = s.scalar(select(ReferenceList.id))
        assert list_id is not None
        build_list_index(s.connection(), list_id)
    rebuilt = dump_index(db)
    assert {k: v for k, v in updated.items() if k != "state"} == {
        k: v for k, v in rebuilt.items() if k != "state"
    }
    assert [r[:4] for r in updated["state"]] == [r[:4] for r in rebuilt["state"]]  # type: ignore[index]


def test_the_same_version_again_leaves_the_index_alone(db: Database, tmp_path: Path) -> None:
    v1, _v2, _counts = _versions(tmp_path)
    assert import_reference_list(db, v1, backup=False).ok
    before = dump_index(db)
    again = import_reference_list(db, v1, backup=False)
    assert again.ok and again.unchanged == len(ENTS[:900]) + 4
    assert dump_index(db) == before


def test_many_changes_rebuild_the_whole_index(db: Database, tmp_path: Path) -> None:
    """Past a third of the list, keying everything is as quick as patching: the import
    rebuilds (reusing the unchanged entities' names) — with the same result."""
    assert import_reference_list(
        db, write_ftm(tmp_path / "a.ftm.json", ENTS[:300], "big"), backup=False
    ).ok
    steps: list[tuple[int, int]] = []

    def progress(done: int, total: int, message: str) -> None:
        if message == PREPARING:
            steps.append((done, total))

    v2 = write_ftm(tmp_path / "b.ftm.json", ENTS[150:600], "big")
    assert import_reference_list(db, v2, backup=False, progress=progress, replace=True).ok
    assert steps[-1] == (450, 450)
    updated = dump_index(db)
    with db.session() as s:
        list_id = s.scalar(select(ReferenceList.id))
        assert list_id is not None
        build_list_index(s.connection(), list_id)
    assert dump_index(db)["keys"] == updated["keys"]


def test_the_delta_screening_reads_only_the_changed_entities_in_list_order(
    db: Database, tmp_path: Path
) -> None:
    """After an update only the changed entities are loaded (more than one block of keys,
    from two lists), in the order of their ids, as the whole list would give them."""
    for name, part in (("list_a", ENTS[:600]), ("list_b", ENTS[600:])):
        assert import_reference_list(db, write_ftm(tmp_path / f"{name}.json", part, name)).ok
    wanted = {
        "list_a": [e["key"] for e in ENTS[:600]][::-1] + ["not-in-the-list"],
        "list_b": [e["key"] for e in ENTS[600::3]],
    }
    with db.session() as s:
        everything = screening.load_entities(s)
        some = screening.load_entities(s, entity_keys=wanted)
    chosen = {(lk, k) for lk, keys in wanted.items() for k in keys}
    expected = [e for e in everything if (e.list_key, e.entity_key) in chosen]
    assert len(expected) == 600 + len(ENTS[600::3])
    assert [(e.list_key, e.entity_key, e.norm) for e in some] == [
        (e.list_key, e.entity_key, e.norm) for e in expected
    ]
