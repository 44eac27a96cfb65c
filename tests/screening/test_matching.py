"""Scoring, explanations, identifiers and the candidate index."""

from __future__ import annotations

from datetime import date

import pytest

from chinadialog_desktop.domain.matching import (
    DEFAULT_THRESHOLD,
    Entity,
    MatchIndex,
    Subject,
    compare_names,
    score_pair,
    split_topics,
)
from chinadialog_desktop.domain.names import normalize


def person(*names: str, country: str | None = None) -> Subject:
    return Subject("s-1", "contact", names[0], names, True, country)


def org(*names: str, country: str | None = "CN", uscc: str | None = None) -> Subject:
    ids = (("uscc", uscc),) if uscc else ()
    return Subject("s-2", "actor", names[0], names, False, country, ids)


def entity(
    key: str,
    *names: str,
    schema: str = "Company",
    topics: list[str] | None = None,
    countries: list[str] | None = None,
    weak: list[str] | None = None,
    identifiers: dict[str, list[str]] | None = None,
) -> Entity:
    e = Entity(
        list_key="us_bis",
        entity_key=key,
        schema=schema,
        caption=names[0],
        names=list(names),
        weak_aliases=weak or [],
        countries=["CN"] if countries is None else countries,
        topics=topics or ["export.control"],
        identifiers=identifiers or {},
        content_hash=f"h-{key}",
        list_name="BIS Entity List",
        list_date=date(2025, 3, 1),
    )
    e.prepare()
    return e


def score(ours: str, theirs: str, is_person: bool) -> float:
    return compare_names(normalize(ours, is_person), normalize(theirs, is_person), is_person).score


@pytest.mark.parametrize(
    ("ours", "theirs"),
    [
        ("Wáng Xiǎomíng", "Wang Xiaoming"),
        ("Xiaoming Wang", "Wang Xiaoming"),
        ("Wang Xiao Ming", "Wang Xiaoming"),
        ("WANG Xiao-ming", "Wang Xiaoming"),
        ("王小明", "Wang Xiaoming"),
        ("王曉明", "王小明"),
        ("Lyu Zhiqiang", "Lü Zhiqiang"),
        ("Zhnag Wei", "Zhang Wei"),
        ("Liu Yang (Jack)", "Liu Yang"),
    ],
)
def test_person_variants_match(ours: str, theirs: str) -> None:
    s = person(ours)
    e = entity("p", theirs, schema="Person")
    assert score_pair(s, e).score >= DEFAULT_THRESHOLD


@pytest.mark.parametrize(
    ("ours", "theirs"),
    [
        ("Lu Wu", "Li Wu"),
        ("Zhang Wen", "Zhang Wei"),
        ("Wang Ming", "Wang Xiaoming"),
        ("Wang Xiaoping", "Wang Xiaoming"),
        ("王小红", "王小明"),
    ],
)
def test_pinyin_neighbours_of_people_do_not_match(ours: str, theirs: str) -> None:
    assert score(ours, theirs, True) < DEFAULT_THRESHOLD


@pytest.mark.parametrize(
    ("ours", "theirs"),
    [
        ("华为技术有限公司", "華為技術有限公司"),
        ("Huawei", "Huawei Technologies Co., Ltd."),
        ("Hikvision", "Hangzhou Hikvision Digital Technology Co., Ltd."),
        ("Hikvison Digital Technology", "Hangzhou Hikvision Digital Technology Co., Ltd."),
        ("西安交通大学", "Xi'an Jiaotong University"),
        ("National University of Defence Technology", "National University of Defense Technology"),
    ],
)
def test_organisation_variants_match(ours: str, theirs: str) -> None:
    assert score(ours, theirs, False) >= DEFAULT_THRESHOLD


@pytest.mark.parametrize(
    ("ours", "theirs"),
    [
        ("Nanjing University", "Nanjing University of Science and Technology"),
        ("Harbin Institute of Technology", "Harbin Engineering University"),
        ("Beijing Institute of Technology", "Beijing University of Technology"),
        ("China Electronics Corporation", "China Electronics Technology Group Corporation"),
        ("Dalian Xinglian Aviation", "Dalian Mingtian Aviation Co., Ltd."),
        ("Jinan Xingsheng Communications", "Nanjing Xingsheng Communications Co., Ltd."),
    ],
)
def test_similar_institutions_do_not_match(ours: str, theirs: str) -> None:
    assert score(ours, theirs, False) < DEFAULT_THRESHOLD


def test_explanation_names_the_pair_the_list_and_separates_topics() -> None:
    e = entity(
        "o1",
        "Hangzhou Hikvision Digital Technology Co., Ltd.",
        "杭州海康威视数字技术股份有限公司",
        topics=["export.control", "mil"],
    )
    m = score_pair(org("Hikvision Digital Technology GmbH", "海康威视"), e)
    ex = m.explanation
    assert ex["name"]["ours"] == "Hikvision Digital Technology GmbH"
    assert ex["name"]["theirs"] == "Hangzhou Hikvision Digital Technology Co., Ltd."
    assert "gmbh" in ex["name"]["removed"]
    assert ex["list"] == {
        "key": "us_bis",
        "name": "BIS Entity List",
        "date": "2025-03-01",
        "category": "designation",
    }
    assert ex["designations"] == ["export.control"]
    assert ex["assessments"] == ["mil"]
    assert {"code": "country", "ours": "CN"} in ex["agreed"]
    assert ex["score"] == m.score


def test_country_and_kind_lower_the_score_and_say_so() -> None:
    e = entity("p1", "Wang Xiaoming", schema="Person")
    same = score_pair(person("Wang Xiaoming", country="CN"), e)
    other_country = score_pair(person("Wang Xiaoming", country="DE"), e)
    as_org = score_pair(org("Wang Xiaoming", country="CN"), e)
    assert same.score == 1.0
    assert other_country.score < same.score
    assert [x["code"] for x in other_country.explanation["lowered"]] == ["country_mismatch"]
    assert as_org.score < same.score
    assert [x["code"] for x in as_org.explanation["lowered"]] == ["kind_mismatch"]


def test_weak_alias_counts_less_than_a_name() -> None:
    e = entity("o2", "Dawning Information Industry Co., Ltd.", weak=["Sugon"])
    m = score_pair(org("Sugon"), e)
    assert m.explanation["name"]["weak_alias"] is True
    assert DEFAULT_THRESHOLD <= m.score < 1.0


def test_identifier_decides_on_its_own() -> None:
    e = entity(
        "o3", "Huawei Technologies Co., Ltd.", identifiers={"uscCode": ["914403001922038216"]}
    )
    m = score_pair(org("Shenzhen Partner", uscc="9144 0300 1922 0382 16", country="DE"), e)
    assert m.score == 1.0
    assert m.explanation["identifier"]["theirs_scheme"] == "uscCode"
    assert m.explanation["lowered"] == []


def test_different_credit_codes_lower_a_name_match() -> None:
    e = entity(
        "o4", "Huawei Technologies Co., Ltd.", identifiers={"uscCode": ["914403001922038216"]}
    )
    m = score_pair(org("Huawei Technologies Co Ltd", uscc="91110000100000000R"), e)
    assert m.score < DEFAULT_THRESHOLD
    assert m.explanation["lowered"][0]["code"] == "identifier_conflict"


def test_split_topics_falls_back_to_the_list_category() -> None:
    assert split_topics(["sanction", "gov.soe"], "designation") == (["sanction"], ["gov.soe"])
    assert split_topics([], "assessment") == ([], ["list"])


def _many_entities(n: int) -> list[Entity]:
    out = []
    for i in range(n):
        out.append(entity(f"filler-{i}", f"Shenzhen Filler{i:05d} Trading Co., Ltd."))
    return out


def test_index_scores_only_candidates_and_finds_variants() -> None:
    target = entity("t", "Harbin Institute of Technology", "哈尔滨工业大学", schema="Organization")
    person_target = entity("tp", "Wang Xiaoming", "王小明", schema="Person")
    index = MatchIndex([*_many_entities(3000), target, person_target])
    assert len(index) == 3002
    for query, expected in [
        (org("哈爾濱工業大學"), "t"),
        (org("Harbin Insitute of Technology"), "t"),
        (person("Xiao Ming Wang"), "tp"),
        (person("Wang Xiaoing"), "tp"),
        (org("Partner", uscc="X"), None),
    ]:
        ours = query.normalized()
        cands = index.candidates(query, ours)
        assert len(cands) < 200  # never all 3,002
        hits = [m.entity.entity_key for m in index.screen(query)]
        if expected:
            assert hits[0] == expected
        else:
            assert hits == []


def test_index_finds_entities_by_identifier_alone() -> None:
    target = entity(
        "t", "Huawei Technologies Co., Ltd.", identifiers={"uscCode": ["914403001922038216"]}
    )
    index = MatchIndex([*_many_entities(200), target])
    hits = index.screen(org("Ganz anderer Name GmbH", uscc="914403001922038216"))
    assert [m.entity.entity_key for m in hits] == ["t"]
