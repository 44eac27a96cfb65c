"""Screening runs against a real database: hits, review decisions, re-imports, delta runs."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session

from chinadialog_desktop.cli import main
from chinadialog_desktop.errors import UserError
from chinadialog_desktop.persistence.audit import current_user
from chinadialog_desktop.persistence.database import Database
from chinadialog_desktop.persistence.models_core import (
    Actor,
    Contact,
    Partnership,
    PartnershipParty,
)
from chinadialog_desktop.persistence.models_dossier import Dossier, DossierPartnership
from chinadialog_desktop.persistence.models_reference import (
    ReferenceEntity,
    ReferenceList,
    ScreeningDecision,
    ScreeningHit,
)
from chinadialog_desktop.services.screening import runs as screening

pytestmark = pytest.mark.both_engines

ENTITIES = {
    "E1": dict(
        schema="Company",
        caption="Huawei Technologies Co., Ltd.",
        names=["Huawei Technologies Co., Ltd.", "华为技术有限公司"],
        countries=["cn"],
        topics=["export.control"],
        identifiers={"uscCode": ["914403001922038216"]},
    ),
    "E2": dict(
        schema="Person",
        caption="Wang Xiaoming",
        names=["Wang Xiaoming", "王小明"],
        countries=["cn"],
        topics=["sanction"],
        identifiers={},
    ),
    "E3": dict(
        schema="Organization",
        caption="Harbin Institute of Technology",
        names=["Harbin Institute of Technology", "哈尔滨工业大学"],
        countries=["cn"],
        topics=["export.control", "mil"],
        identifiers={},
    ),
}


def add_list(
    s: Session,
    key: str = "us_bis",
    entities: dict[str, dict] | None = None,
    list_date: date = date(2025, 3, 1),
) -> ReferenceList:
    lst = ReferenceList(
        list_key=key, name="BIS Entity List", list_date=list_date, category="designation"
    )
    s.add(lst)
    s.flush()
    for k, data in (ENTITIES if entities is None else entities).items():
        put_entity(s, lst, k, data)
    return lst


def put_entity(
    s: Session, lst: ReferenceList, key: str, data: dict, hash_: str | None = None
) -> ReferenceEntity:
    e = ReferenceEntity(
        list_id=lst.id,
        entity_key=key,
        weak_aliases=[],
        properties={},
        content_hash=hash_ or f"hash-{key}",
        **data,
    )
    s.add(e)
    s.flush()
    return e


@pytest.fixture
def world(db: Database) -> dict[str, int]:
    """Our side: a Chinese company with a contact, a university, a German city, a dossier."""
    with db.session() as s:
        a1 = Actor(
            name_de="Huawei Technologies", name_zh="华为技术有限公司", kind="company", country="CN"
        )
        a2 = Actor(
            name_de="Harbin Engineering University",
            name_zh="哈尔滨工程大学",
            kind="university",
            country="CN",
        )
        a3 = Actor(name_de="Stadt Braunschweig", kind="municipality", country="DE")
        s.add_all([a1, a2, a3])
        s.flush()
        c1 = Contact(name="Xiaoming Wang", name_zh="王小明", actor_id=a1.id)
        c2 = Contact(name="Lyu Zhiqiang", actor_id=a2.id)
        p = Partnership(
            title="Smart City Braunschweig",
            parties=[
                PartnershipParty(actor_id=a3.id, role="german", position=0),
                PartnershipParty(actor_id=a1.id, role="chinese", position=1),
            ],
        )
        d = Dossier(title="Vorlage Smart City")
        s.add_all([c1, c2, p, d])
        s.flush()
        s.add(DossierPartnership(dossier_id=d.id, partnership_id=p.id))
        add_list(s)
        return {"a1": a1.id, "a2": a2.id, "a3": a3.id, "c1": c1.id, "c2": c2.id, "d": d.id}


def pairs(s: Session) -> dict[tuple[str, str], ScreeningHit]:
    labels = {a.uuid: a.name_de for a in s.scalars(select(Actor))}
    labels.update({c.uuid: c.name for c in s.scalars(select(Contact))})
    return {(labels[h.subject_uuid], h.entity_key): h for h in s.scalars(select(ScreeningHit))}


def test_full_run_stores_explained_hits(db: Database, world: dict[str, int]) -> None:
    seen: list[tuple[int, int]] = []
    with db.session() as s:
        result = screening.run_screening(s, progress=lambda d, t, _m: seen.append((d, t)))
        assert result.subjects == 5 and result.entities == 3 and not result.cancelled
        hits = pairs(s)
        assert set(hits) == {("Huawei Technologies", "E1"), ("Xiaoming Wang", "E2")}
        assert all(h.status == "open" for h in hits.values())
        assert sorted(result.new_hit_ids) == sorted(h.id for h in hits.values())
    assert seen[-1] == (5, 5)
    with db.session() as s:
        rows = screening.hit_rows(s)
        huawei = next(r for r in rows if r.entity_key == "E1")
        assert huawei.list_name == "BIS Entity List" and huawei.list_date == date(2025, 3, 1)
        assert huawei.designations == ["export.control"] and huawei.assessments == []
        text = "\n".join(huawei.lines)
        assert "Huawei Technologies" in text and "BIS Entity List" in text
        assert huawei.explanation["name"]["theirs"] in (
            "Huawei Technologies Co., Ltd.",
            "华为技术有限公司",
        )


def test_university_neighbour_and_german_city_get_no_hit(db: Database, world: dict) -> None:
    with db.session() as s:
        screening.run_screening(s)
        assert not [
            k for k in pairs(s) if k[0] in ("Harbin Engineering University", "Stadt Braunschweig")
        ]


def test_rerun_keeps_hits_and_does_not_report_them_again(db: Database, world: dict) -> None:
    with db.session() as s:
        screening.run_screening(s)
    with db.session() as s:
        again = screening.run_screening(s)
        assert again.new_hit_ids == [] and len(pairs(s)) == 2


def test_decisions_need_a_reason_and_record_who_and_when(db: Database, world: dict) -> None:
    with db.session() as s:
        screening.run_screening(s)
        hit = pairs(s)[("Xiaoming Wang", "E2")]
        with pytest.raises(UserError):
            screening.dismiss(s, hit.id, "  ")
        with pytest.raises(UserError):
            screening.decide(s, hit.id, "maybe", "unsure")
        d = screening.dismiss(s, hit.id, "Geburtsjahr passt nicht")
        assert (d.decision, d.reason, d.decided_by) == (
            "dismissed",
            "Geburtsjahr passt nicht",
            current_user(),
        )
        assert d.decided_at is not None and hit.status == "dismissed"
        row = screening.hit_rows(s, hit_ids=[hit.id])[0]
        assert row.reason == "Geburtsjahr passt nicht" and row.decided_by == current_user()


def test_dismissed_pair_stays_dismissed_after_reimport(db: Database, world: dict) -> None:
    with db.session() as s:
        screening.run_screening(s)
        screening.dismiss(s, pairs(s)[("Xiaoming Wang", "E2")].id, "andere Person")
    # The list is removed and imported again, unchanged: the hits go, the decision stays.
    with db.session() as s:
        s.delete(s.scalar(select(ReferenceList)))
    with db.session() as s:
        gone = screening.run_screening(s)
        assert gone.removed == 2 and pairs(s) == {}
        add_list(s, list_date=date(2025, 6, 1))
    with db.session() as s:
        result = screening.run_screening(s)
        hits = pairs(s)
        assert hits[("Xiaoming Wang", "E2")].status == "dismissed"
        assert hits[("Huawei Technologies", "E1")].status == "open"
        assert result.decisions_reused == 1
        assert result.new_hit_ids == [hits[("Huawei Technologies", "E1")].id]


def test_changed_entity_reopens_a_decided_hit(db: Database, world: dict) -> None:
    with db.session() as s:
        screening.run_screening(s)
        hit_id = pairs(s)[("Xiaoming Wang", "E2")].id
        screening.dismiss(s, hit_id, "andere Person")
    with db.session() as s:
        e2 = s.scalar(select(ReferenceEntity).where(ReferenceEntity.entity_key == "E2"))
        e2.names = ["Wang Xiaoming", "王小明", "Xiaoming Wang"]
        e2.content_hash = "hash-E2-v2"
    with db.session() as s:
        result = screening.run_after_list_update(s, "us_bis", ["E2"])
        hit = pairs(s)[("Xiaoming Wang", "E2")]
        assert hit.status == "open" and hit.entity_hash == "hash-E2-v2"
        assert result.reopened_hit_ids == [hit_id]


def test_delta_run_screens_only_the_changed_entities(db: Database, world: dict) -> None:
    with db.session() as s:
        screening.run_screening(s)
        screening.confirm(s, pairs(s)[("Huawei Technologies", "E1")].id, "USCC stimmt")
    with db.session() as s:
        lst = s.scalar(select(ReferenceList))
        put_entity(
            s,
            lst,
            "E4",
            dict(
                schema="Person",
                caption="Lü Zhiqiang",
                names=["Lü Zhiqiang", "吕志强"],
                countries=["cn"],
                topics=["sanction"],
                identifiers={},
            ),
        )
        # An entity that would match but is not reported as changed is not looked at.
        put_entity(
            s,
            lst,
            "E5",
            dict(
                schema="Person",
                caption="Wang Xiaoming",
                names=["Wang Xiaoming"],
                countries=["cn"],
                topics=["sanction"],
                identifiers={},
            ),
        )
    with db.session() as s:
        result = screening.run_after_list_update(s, "us_bis", ["E4"])
        assert result.entities == 1 and result.subjects == 5
        hits = pairs(s)
        assert ("Lyu Zhiqiang", "E4") in hits and ("Xiaoming Wang", "E5") not in hits
        assert result.new_hit_ids == [hits[("Lyu Zhiqiang", "E4")].id]
        assert hits[("Huawei Technologies", "E1")].status == "confirmed"


def test_delta_run_for_an_edited_actor(db: Database, world: dict) -> None:
    with db.session() as s:
        screening.run_screening(s)
        a3 = s.get(Actor, world["a3"])
        # 18 characters, as the column holds them (a server refuses a longer value;
        # a file took the old test value with a space, 19 characters, silently)
        a3.uscc = "914403001922038216"
        uuid = a3.uuid
    with db.session() as s:
        result = screening.run_delta(s, changed_subjects=[uuid])
        assert result.subjects == 1
        hit = pairs(s)[("Stadt Braunschweig", "E1")]
        assert hit.explanation["identifier"]["theirs_scheme"] == "uscCode"


def test_removed_entity_takes_its_hits_and_findings_with_it(db: Database, world: dict) -> None:
    with db.session() as s:
        screening.run_screening(s)
        screening.confirm(s, pairs(s)[("Huawei Technologies", "E1")].id, "USCC stimmt")
        assert len(screening.confirmed_hits_for_actor(s, world["a1"])) == 1
        s.delete(s.scalar(select(ReferenceEntity).where(ReferenceEntity.entity_key == "E1")))
    with db.session() as s:
        assert screening.confirmed_hits_for_actor(s, world["a1"]) == []
        result = screening.run_after_list_update(s, "us_bis", [], removed_keys=["E1"])
        assert result.removed == 1 and ("Huawei Technologies", "E1") not in pairs(s)
        assert s.scalar(select(ScreeningDecision.reason)) == "USCC stimmt"


def test_confirmed_hits_for_actor_and_dossier(db: Database, world: dict) -> None:
    with db.session() as s:
        screening.run_screening(s)
        hits = pairs(s)
        screening.confirm(s, hits[("Huawei Technologies", "E1")].id, "USCC stimmt")
        screening.confirm(s, hits[("Xiaoming Wang", "E2")].id, "Foto und Funktion")
    with db.session() as s:
        for rows in (
            screening.confirmed_hits_for_actor(s, world["a1"]),
            screening.confirmed_hits_for_dossier(s, world["d"]),
        ):
            assert {r.entity_key for r in rows} == {"E1", "E2"}
            assert {r.reason for r in rows} == {"USCC stimmt", "Foto und Funktion"}
            assert all(r.list_name == "BIS Entity List" for r in rows)
            assert all(r.list_date == date(2025, 3, 1) for r in rows)
        assert screening.confirmed_hits_for_actor(s, world["a2"]) == []


def test_cancel_stops_between_subjects(db: Database, world: dict) -> None:
    calls = {"n": 0}

    def cancel() -> bool:
        calls["n"] += 1
        return calls["n"] > 2

    with db.session() as s:
        result = screening.run_screening(s, cancel=cancel)
        assert result.cancelled and result.subjects == 2


def test_list_filter_and_unknown_list(db: Database, world: dict) -> None:
    with db.session() as s:
        add_list(s, key="other", entities={"X1": ENTITIES["E1"]})
    with db.session() as s:
        result = screening.run_screening(s, list_keys=["other"])
        assert {h.list_key for h in s.scalars(select(ScreeningHit))} == {"other"}
        assert result.entities == 1
        with pytest.raises(UserError):
            screening.run_screening(s, list_keys=["nope"])


def test_explanation_lines_cover_lowering_and_topics() -> None:
    from chinadialog_desktop.i18n import set_language

    set_language("en")
    try:
        lines = screening.explanation_lines(
            {
                "score": 0.7,
                "name": {
                    "ours": "Wang Xiaoming",
                    "theirs": "Wang Xiaoming",
                    "ours_normalised": "wang xiaoming",
                    "theirs_normalised": "wang xiaoming",
                    "similarity": 1.0,
                    "method": "exact",
                    "edits": 0,
                    "order_swapped": True,
                    "weak_alias": False,
                    "transliterated": False,
                    "removed": [],
                    "notes": [],
                },
                "identifier": None,
                "agreed": [],
                "lowered": [
                    {
                        "code": "kind_mismatch",
                        "delta": -0.25,
                        "ours": "organisation",
                        "theirs": "Person",
                    }
                ],
                "list": {"key": "k", "name": "EU", "date": "2025-01-31", "category": "designation"},
                "designations": ["sanction"],
                "assessments": ["mil"],
            }
        )
    finally:
        set_language("de")
    text = "\n".join(lines)
    assert "order of the name parts differs" in text
    assert "The kind differs: ours is a organisation, theirs a Person (-25 points)." in text
    assert "List: EU, as of 2025-01-31." in text
    assert "Legal designation: sanctioned." in text
    assert "Assessment (not a legal designation): military links." in text


def test_cli_screen_confirm_dismiss_and_hits(db: Database, world: dict, capsys) -> None:
    path = db.location
    db.close()
    assert main(["--db", path, "--lang", "en", "screen", "--json"]) == 0
    out = json.loads(capsys.readouterr().out)
    assert len(out["run"]["new_hit_ids"]) == 2
    by_entity = {h["entity_key"]: h for h in out["hits"]}
    assert by_entity["E1"]["list"] == "BIS Entity List"
    assert any("BIS Entity List" in line for line in by_entity["E1"]["explanation"])
    assert (
        main(
            [
                "--db",
                path,
                "--lang",
                "en",
                "screen",
                "dismiss",
                str(by_entity["E2"]["id"]),
                "--reason",
                "andere Person",
            ]
        )
        == 0
    )
    assert "dismissed" in capsys.readouterr().out
    assert (
        main(
            [
                "--db",
                path,
                "--lang",
                "en",
                "screen",
                "confirm",
                str(by_entity["E1"]["id"]),
                "--reason",
                "USCC",
            ]
        )
        == 0
    )
    capsys.readouterr()
    assert main(["--db", path, "screen", "hits", "--status", "dismissed", "--json"]) == 0
    listed = json.loads(capsys.readouterr().out)
    assert [h["entity_key"] for h in listed] == ["E2"] and listed[0]["reason"] == "andere Person"
    assert main(["--db", path, "--lang", "en", "screen", "--actor", str(world["a1"])]) == 0
    text = capsys.readouterr().out
    assert "Huawei Technologies" in text and "confirmed" in text
    assert main(["--db", path, "screen", "--list", "nope"]) == 1
    assert main(["--db", path, "screen", "dismiss", "999", "--reason", "x"]) == 1


def test_with_the_ftm_importer(db: Database, world: dict, tmp_path: Path) -> None:
    from chinadialog_desktop.services.screening.reference_lists import import_reference_list

    def write(entities: list[dict]) -> Path:
        p = tmp_path / f"v{len(entities)}.ftm.json"
        p.write_text(
            "\n".join(json.dumps(e, ensure_ascii=False) for e in entities) + "\n", encoding="utf-8"
        )
        return p

    wang = {
        "id": "cn-wang",
        "schema": "Person",
        "caption": "Wang Xiaoming",
        "properties": {
            "name": ["Wang Xiaoming"],
            "alias": ["王小明"],
            "country": ["cn"],
            "topics": ["sanction"],
        },
    }
    lv = {
        "id": "cn-lv",
        "schema": "Person",
        "caption": "Lü Zhiqiang",
        "properties": {"name": ["Lü Zhiqiang"], "country": ["cn"], "topics": ["sanction"]},
    }
    first = import_reference_list(
        db, write([wang]), list_key="cn_test", name="Testliste", backup=False
    )
    assert first.ok, first.problems
    with db.session() as s:
        screening.run_screening(s, list_keys=["cn_test"])
        screening.dismiss(s, pairs(s)[("Xiaoming Wang", "cn-wang")].id, "andere Person")
    second = import_reference_list(
        db, write([wang, lv]), list_key="cn_test", name="Testliste", backup=False
    )
    assert second.ok and second.changed_keys == ["cn-lv"]
    with db.session() as s:
        result = screening.run_after_list_update(
            s, "cn_test", second.changed_keys, second.removed_keys
        )
        hits = pairs(s)
        assert hits[("Xiaoming Wang", "cn-wang")].status == "dismissed"
        assert result.new_hit_ids == [hits[("Lyu Zhiqiang", "cn-lv")].id]


def test_index_build_reports_progress_and_entity_details(db: Database, world: dict) -> None:
    seen: list[tuple[int, int]] = []
    with db.session() as s:
        index = screening.build_index(s, progress=lambda d, t, _m: seen.append((d, t)))
        assert len(index) == 3 and seen[-1] == (3, 3)
        with pytest.raises(screening.Cancelled):
            screening.build_index(s, cancel=lambda: True)
        details = screening.entity_details(s, "us_bis", "E1")
        assert details is not None
        assert details.identifiers == {"uscCode": ["914403001922038216"]}
        assert details.list_name == "BIS Entity List"
        assert screening.entity_details(s, "us_bis", "nope") is None


def test_the_briefing_shows_a_confirmed_hit(db: Database, world: dict) -> None:
    from chinadialog_desktop.services.briefing.content import BriefingOptions, build_content

    with db.session() as s:
        screening.run_screening(s)
        hits = pairs(s)
        screening.confirm(s, hits[("Huawei Technologies", "E1")].id, "USCC stimmt")
        screening.dismiss(s, hits[("Xiaoming Wang", "E2")].id, "andere Person")
    with db.session() as s:
        briefing = build_content(
            s, s.get(Dossier, world["d"]), BriefingOptions(lang="de", as_of=date(2025, 7, 1))
        )
        assert briefing.screening is not None and len(briefing.screening) == 1
        row = briefing.screening[0]
        assert row.subject == "Huawei Technologies"
        assert row.entry.startswith("Huawei Technologies Co., Ltd.")
        assert "BIS Entity List" in row.list_name and "01.03.2025" in row.list_name
        assert row.reason.startswith("USCC stimmt")


def test_a_shared_index_respects_the_list_filter(db: Database, world: dict) -> None:
    with db.session() as s:
        add_list(s, key="other", entities={"X1": ENTITIES["E1"]})
    with db.session() as s:
        index = screening.build_index(s)
        assert len(index) == 4
        screening.run_screening(s, index=index, list_keys=["other"])
        assert {h.list_key for h in s.scalars(select(ScreeningHit))} == {"other"}
