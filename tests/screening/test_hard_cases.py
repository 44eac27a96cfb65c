"""Issue 13: each class of false hit and miss found by screening against a whole list.

Every query is screened against a small list that holds its hard neighbours as well, through
the real index, so a hit on the neighbour fails the test just as it would mislead an official.
Names are invented examples (Beispiel).
"""

from __future__ import annotations

from datetime import date

import pytest

from chinadialog_desktop.domain.matching import DEFAULT_THRESHOLD, Entity, MatchIndex, Subject


def _entity(key: str, *names: str, schema: str = "Company") -> Entity:
    e = Entity(
        list_key="eval",
        entity_key=key,
        schema=schema,
        caption=names[0],
        names=list(names),
        weak_aliases=[],
        countries=["CN"],
        topics=["sanction"],
        identifiers={},
        content_hash=f"h-{key}",
        list_name="Beispielliste",
        list_date=date(2026, 1, 1),
    )
    e.prepare()
    return e


LIST = [
    _entity(
        "psb-jiyuan", "Jiyuan Municipal Public Security Bureau", "济源市公安局", schema="PublicBody"
    ),
    _entity(
        "psb-xihai", "Xihai Municipal Public Security Bureau", "西海市公安局", schema="PublicBody"
    ),
    _entity(
        "npc-jiyuan",
        "Standing Committee of the Jiyuan Municipal People's Congress",
        "济源市人民代表大会常务委员会",
        schema="PublicBody",
    ),
    _entity(
        "mss-fuyang",
        "Fuyang Municipal State Security Bureau",
        "阜阳市国家安全局",
        schema="PublicBody",
    ),
    _entity("co-xinglian", "Shenzhen Xinglian Technology Co., Ltd.", "深圳市星联科技有限公司"),
    _entity("co-jiayuan", "Changsha Jiayuan New Materials Co., Ltd.", "长沙嘉源新材料有限公司"),
    _entity("co-jinyuan", "Changsha Jinyuan New Materials Co., Ltd.", "长沙金源新材料有限公司"),
    _entity("co-huawei", "Huawei Technologies Co., Ltd.", "华为技术有限公司"),
    _entity("co-hk", "Ruitong Trading (Hong Kong) Co., Limited", "瑞通贸易（香港）有限公司"),
    _entity("co-js", "Ningbo Hengda Machinery (Joint-Stock) Co., Ltd.", "宁波恒达机械股份有限公司"),
    _entity("p-shen", "Shen Wei", "沈伟", schema="Person"),
    _entity("p-songly", "Song Liangyu", "宋亮宇", schema="Person"),
    _entity("p-li", "Li Na", "李娜", schema="Person"),
    _entity("p-ouyang", "Ouyang Jun", "欧阳军", schema="Person"),
]
INDEX = MatchIndex(LIST)


def _hits(name: str, is_person: bool = False) -> list[str]:
    subject = Subject("q", "contact" if is_person else "actor", name, (name,), is_person, "CN")
    return [m.entity.entity_key for m in INDEX.screen(subject, DEFAULT_THRESHOLD)]


@pytest.mark.parametrize(
    "name",
    [
        "西海市人民代表大会常务委员会",  # same body, other city (characters)
        "Standing Committee of the Xihai Municipal People's Congress",  # … in English
        "Puyang Municipal Public Security Bureau",  # city not on the list
        "Fuyang Municipal Public Security Bureau",  # same city, other body
        "Jiyuan Municipal State Security Bureau",
        "Weiyuan Municipal Public Security Bureau",  # place one letter off: another place
    ],
)
def test_public_body_of_another_city_or_kind_is_no_hit(name: str) -> None:
    assert _hits(name) == []


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("济源市公安局", "psb-jiyuan"),
        ("Jiyuan City Public Security Bureau", "psb-jiyuan"),
        ("Ji Yuan Shi Gong An Ju", "psb-jiyuan"),
        ("Standing Committee of the Jiyuan Municipal People's Congress", "npc-jiyuan"),
    ],
)
def test_public_body_of_the_same_city_is_found_alone(name: str, expected: str) -> None:
    assert _hits(name) == [expected]


@pytest.mark.parametrize(
    "name",
    [
        "深圳市明联科技有限公司",  # one character of eight differs
        "Shenzhen Xingmei Technology Co., Ltd.",  # one syllable differs in pinyin
        "Shenzhen Xing Technology Co., Ltd.",  # a syllable missing
    ],
)
def test_trade_name_one_character_or_syllable_apart_is_no_hit(name: str) -> None:
    assert _hits(name) == []


def test_exact_trade_name_hits_only_its_firm_not_the_one_letter_neighbour() -> None:
    assert _hits("Changsha Jinyuan New Materials Co., Ltd.") == ["co-jinyuan"]
    assert _hits("Changsha Jiayuan New Materials") == ["co-jiayuan"]


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("Huawai Technologies Co., Ltd.", "co-huawei"),  # typo that is good pinyin
        ("Shenzhen Xinglain Technology", "co-xinglian"),  # typo that is no pinyin
        ("瑞通贸易", "co-hk"),  # "（香港）有限公司" missing
        ("瑞通贸易有限公司", "co-hk"),
        ("Ruitong Trading Co., Ltd.", "co-hk"),
        ("Ningbo Hengda Machinery Company Limited", "co-js"),  # "(Joint-Stock)" missing
        ("Xinglian Technology", "co-xinglian"),  # place left out
    ],
)
def test_misses_now_found(name: str, expected: str) -> None:
    assert expected in _hits(name)


def test_rare_surname_reading_does_not_make_two_surnames_alike() -> None:
    # 沈 can be read tán, but as a surname it is Shěn: 谭伟 (Tán Wěi) is someone else.
    assert _hits("谭伟", is_person=True) == []
    assert _hits("沈伟", is_person=True) == ["p-shen"]


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("Wei Shen", ["p-shen"]),  # given name first
        ("Na Li", ["p-li"]),  # short name swapped
        ("Li Na", ["p-li"]),
        ("Jun Ouyang", ["p-ouyang"]),  # compound surname last
        ("Song Liang", []),  # a syllable missing: another person
        ("Li Nan", []),  # one-character given name changed: another person
        ("Lu Na", []),
    ],
)
def test_person_name_order_short_and_missing_syllable(name: str, expected: list[str]) -> None:
    assert _hits(name, is_person=True) == expected
