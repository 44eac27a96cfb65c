"""Name normalisation: scripts, pinyin spellings, word order, legal forms."""

from __future__ import annotations

import pytest

from chinadialog_desktop.domain.names import (
    normalize,
    normalize_identifier,
    segment_pinyin,
    strip_marks,
)


def tokens(name: str, person: bool = False) -> tuple[str, ...]:
    return normalize(name, person).tokens


def test_tone_marks_and_case_are_dropped() -> None:
    assert strip_marks("Wáng Xiǎomíng") == "wang xiaoming"
    assert tokens("WÁNG Xiǎomíng", person=True) == ("wang", "xiaoming")


@pytest.mark.parametrize("spelling", ["Lü Wei", "Lv Wei", "Lyu Wei", "Lu Wei", "LÜ WEI"])
def test_u_umlaut_spellings_are_one(spelling: str) -> None:
    assert tokens(spelling, person=True) == ("lu", "wei")


def test_v_and_yu_inside_a_joined_name() -> None:
    assert tokens("Xiaolv", person=True) == ("xiaolu",)
    assert segment_pinyin("nyuer") == ("nu", "er")


def test_hyphen_joins_and_apostrophe_splits() -> None:
    assert tokens("Wang Xiao-ming", person=True) == ("wang", "xiaoming")
    assert tokens("Xi'an Jiaotong University") == ("xi", "an", "jiaotong", "university")
    assert normalize("Xi'an Jiaotong University").joined == normalize("Xian Jiaotong Univ.").joined


def test_segmentation_prefers_fewest_syllables_and_rejects_english() -> None:
    assert segment_pinyin("xiaoming") == ("xiao", "ming")
    assert segment_pinyin("zhongguancun") == ("zhong", "guan", "cun")
    assert segment_pinyin("technology") is None
    assert segment_pinyin("zhnag") is None


def test_simplified_and_traditional_characters_become_pinyin() -> None:
    simp = normalize("华为技术有限公司")
    trad = normalize("華為技術有限公司")
    assert simp.tokens == trad.tokens == ("hua", "wei", "ji", "shu")
    assert simp.transliterated and trad.transliterated
    assert "有限公司" in simp.removed


def test_phrase_readings_of_polyphonic_characters() -> None:
    assert tokens("重庆") == ("chong", "qing")
    assert tokens("长春") == ("chang", "chun")


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("Huawei Technologies Co., Ltd.", ("huawei", "technology")),
        ("HUAWEI TECHNOLOGIES CO LTD", ("huawei", "technology")),
        ("Huawei Technologies GmbH", ("huawei", "technology")),
        ("Inspur Group Co., Ltd.", ("inspur",)),
        ("Siemens AG", ("siemens",)),
        ("Zhejiang Dahua Jishu Gufen Youxian Gongsi", ("zhejiang", "dahua", "jishu")),
        ("Hua Wei Ji Shu You Xian Gong Si", ("hua", "wei", "ji", "shu")),
        ("浪潮集团有限公司", ("lang", "chao")),
    ],
)
def test_legal_forms_and_group_words_are_removed(name: str, expected: tuple[str, ...]) -> None:
    assert tokens(name) == expected


def test_university_is_kept_and_spelt_one_way() -> None:
    assert tokens("四川大学") == ("si", "chuan", "university")
    assert tokens("Sichuan Daxue") == ("sichuan", "university")
    assert tokens("Si Chuan Da Xue") == ("si", "chuan", "university")
    assert tokens("Universität Stuttgart") == ("university", "stuttgart")
    assert normalize("四川大学").joined == normalize("Sichuan University").joined


def test_a_name_made_only_of_legal_words_is_kept() -> None:
    assert tokens("Holding AG") == ("holding", "ag")


def test_person_names_keep_words_companies_would_lose() -> None:
    assert tokens("Dr. Li Group", person=True) == ("li", "group")


def test_identifiers_compare_without_spaces_and_case() -> None:
    assert normalize_identifier("9144 0300-1922 03821x") == "91440300192203821X"


def test_postal_spellings_of_places_are_pinyin() -> None:
    assert normalize("Peking University").joined == normalize("北京大学").joined
    assert normalize("Tsinghua University").joined == normalize("清华大学").joined
    assert normalize("Harbin Institute").joined == normalize("哈尔滨 Institute").joined


# Plain ASCII names and identifiers take a shorter way through normalisation (no NFKC,
# no scan for Chinese characters or legal forms); the long way must give the same. A
# trailing no-break space sends the same name the long way (NFKC makes it a space, and
# strip() drops it), a trailing "ä" the same identifier (it stays, upper-cased).
_ASCII_NAMES = [
    "Huawei Technologies Co., Ltd.",
    "ZTE (Hong Kong) Limited",
    "ZTE (HK) Ltd",
    "Zhongxing Tongxun (Xiang Gang) Youxian Gongsi",
    "Jiyuan Municipal Public Security Bureau",
    "Harbin Institute of Technology (HIT)",
    "Hikvision Digital Technology (joint-stock) Company Limited",
    "Dr. Wang Xiao-ming",
    "Xi'an Aero-Engine Group",
    "Holding AG",
    "of the",
    "P. 199999",
    "  Liu Yang (Jack)  ",
    "Stadtwerke Muenchen GmbH",
    "Lyu Zhiqiang",
    "(hk)",
    "",
]


@pytest.mark.parametrize("name", _ASCII_NAMES)
@pytest.mark.parametrize("person", [False, True])
def test_ascii_names_normalise_as_the_long_way_does(name: str, person: bool) -> None:
    short, long = normalize(name, person), normalize(name + "\u00a0", person)
    assert name.isascii() and not (name + "\u00a0").isascii()
    assert (short.tokens, short.hanzi, short.readings, short.pinyin) == (
        long.tokens,
        long.hanzi,
        long.readings,
        long.pinyin,
    )
    assert (short.removed, short.transliterated) == (long.removed, long.transliterated)


@pytest.mark.parametrize(
    "value", ["91110000-10000 1234X", "hrb 12345 b", " e40960147 ", "a-b_c.d/e", "", "---"]
)
def test_ascii_identifiers_clean_as_the_long_way_does(value: str) -> None:
    assert normalize_identifier(value + "ä") == normalize_identifier(value) + "Ä"
