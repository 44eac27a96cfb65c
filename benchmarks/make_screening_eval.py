"""Writes the labelled screening evaluation set tests/fixtures/screening/eval_pairs.jsonl.

The labels follow from how each query was made (a spelling variant of the entity's name is
a match; another person or institution is not), never from the matcher. Run once; the file
is committed so that results stay comparable.
"""

from __future__ import annotations

import json
import random
import sys
from pathlib import Path
from typing import Any

from pypinyin import Style, lazy_pinyin

OUT = Path(__file__).resolve().parents[1] / "tests" / "fixtures" / "screening" / "eval_pairs.jsonl"

# Chinese people (simplified; the traditional form is derived with TRAD below).
PERSONS = [
    "王小明",
    "李伟",
    "张伟",
    "刘洋",
    "陈静",
    "杨帆",
    "赵磊",
    "黄海涛",
    "周杰",
    "吴刚",
    "徐国强",
    "孙丽华",
    "马俊",
    "朱红",
    "胡军",
    "郭鹏飞",
    "何东",
    "高建华",
    "林志龙",
    "罗书学",
    "吕志强",
    "吕红梅",
    "吕建国",
    "郑晓东",
    "谢飞",
    "韩立新",
    "唐龙",
    "冯国华",
    "董学军",
    "萧长春",
    "欧阳振华",
    "司马光明",
]
TRAD = dict(
    zip(
        "王小明伟张刘杨帆赵磊黄海涛杰吴刚国强孙丽华马俊红胡军郭鹏飞东高建龙罗书学吕郑晓谢韩新唐冯董萧长欧阳振马",
        "王曉明偉張劉楊帆趙磊黃海濤傑吳剛國強孫麗華馬俊紅胡軍郭鵬飛東高建龍羅書學呂鄭曉謝韓新唐馮董蕭長歐陽振馬",
        strict=True,
    )
)
# Syllables one letter away from another real syllable: a different name, not a typo.
NEIGHBOUR = {
    "wang": "huang",
    "xiao": "xiang",
    "ming": "min",
    "li": "lu",
    "wei": "wen",
    "zhang": "zhuang",
    "liu": "niu",
    "yang": "yan",
    "chen": "cheng",
    "jing": "jin",
    "fan": "fang",
    "zhao": "zhou",
    "lei": "lai",
    "huang": "guang",
    "hai": "han",
    "tao": "tan",
    "zhou": "zhao",
    "jie": "jia",
    "wu": "hu",
    "gang": "guang",
    "xu": "xue",
    "guo": "gao",
    "qiang": "qiong",
    "sun": "sen",
    "hua": "huo",
    "ma": "mo",
    "jun": "jin",
    "zhu": "zhi",
    "hong": "heng",
    "hu": "he",
    "peng": "pang",
    "fei": "fen",
    "he": "ge",
    "dong": "deng",
    "gao": "guo",
    "jian": "jiang",
    "lin": "ling",
    "zhi": "zhu",
    "long": "lang",
    "luo": "lou",
    "shu": "shi",
    "xue": "xie",
    "lu": "liu",
    "mei": "mai",
    "zheng": "zhen",
    "xie": "xia",
    "han": "hang",
    "xin": "xing",
    "tang": "teng",
    "feng": "fen",
    "chang": "zhang",
    "chun": "chen",
    "ou": "ao",
    "zhen": "zhan",
    "si": "shi",
    "guang": "gang",
}

ORGS: list[dict[str, Any]] = [
    {
        "en": "Huawei Technologies Co., Ltd.",
        "zh": "华为技术有限公司",
        "tw": "華為技術有限公司",
        "short": "Huawei",
        "typo": "Huawai Technologies Co., Ltd.",
        "uscc": "914403001922038216",
    },
    {
        "en": "Hangzhou Hikvision Digital Technology Co., Ltd.",
        "zh": "杭州海康威视数字技术股份有限公司",
        "tw": "杭州海康威視數字技術股份有限公司",
        "short": "Hikvision",
        "typo": "Hangzhou Hikvison Digital Technology Co., Ltd.",
    },
    {
        "en": "Zhejiang Dahua Technology Co., Ltd.",
        "zh": "浙江大华技术股份有限公司",
        "tw": "浙江大華技術股份有限公司",
        "short": "Dahua Technology",
        "typo": "Zhejiang Dahau Technology Co., Ltd.",
    },
    {
        "en": "ZTE Corporation",
        "zh": "中兴通讯股份有限公司",
        "tw": "中興通訊股份有限公司",
        "alias": "Zhongxing Telecommunication Equipment Corporation",
    },
    {
        "en": "Semiconductor Manufacturing International Corporation",
        "zh": "中芯国际集成电路制造有限公司",
        "tw": "中芯國際集成電路製造有限公司",
        "alias": "SMIC",
        "typo": "Semiconductor Manufacturing Internatinal Corporation",
    },
    {
        "en": "Harbin Institute of Technology",
        "zh": "哈尔滨工业大学",
        "tw": "哈爾濱工業大學",
        "typo": "Harbin Insitute of Technology",
    },
    {
        "en": "Harbin Engineering University",
        "zh": "哈尔滨工程大学",
        "tw": "哈爾濱工程大學",
        "typo": "Harbin Enginering University",
    },
    {
        "en": "Beihang University",
        "zh": "北京航空航天大学",
        "tw": "北京航空航天大學",
        "alias": "Beijing University of Aeronautics and Astronautics",
    },
    {
        "en": "Northwestern Polytechnical University",
        "zh": "西北工业大学",
        "tw": "西北工業大學",
        "typo": "Northwestern Polytechnic University",
    },
    {
        "en": "National University of Defense Technology",
        "zh": "国防科技大学",
        "tw": "國防科技大學",
        "typo": "National University of Defence Technology",
    },
    {
        "en": "Nanjing University of Science and Technology",
        "zh": "南京理工大学",
        "tw": "南京理工大學",
    },
    {
        "en": "Nanjing University of Aeronautics and Astronautics",
        "zh": "南京航空航天大学",
        "tw": "南京航空航天大學",
    },
    {
        "en": "University of Electronic Science and Technology of China",
        "zh": "电子科技大学",
        "tw": "電子科技大學",
    },
    {"en": "Sichuan University", "zh": "四川大学", "tw": "四川大學"},
    {
        "en": "Xi'an Jiaotong University",
        "zh": "西安交通大学",
        "tw": "西安交通大學",
        "variants": [
            "Xian Jiaotong University",
            "Xi An Jiaotong University",
            "XI'AN JIAOTONG UNIV.",
        ],
    },
    {"en": "Xidian University", "zh": "西安电子科技大学", "tw": "西安電子科技大學"},
    {
        "en": "iFlytek Co., Ltd.",
        "zh": "科大讯飞股份有限公司",
        "tw": "科大訊飛股份有限公司",
        "short": "iFlytek",
        "typo": "iFlytec Co., Ltd.",
    },
    {
        "en": "Dawning Information Industry Co., Ltd.",
        "zh": "曙光信息产业股份有限公司",
        "tw": "曙光信息產業股份有限公司",
        "weak": "Sugon",
    },
    {
        "en": "Inspur Group Co., Ltd.",
        "zh": "浪潮集团有限公司",
        "tw": "浪潮集團有限公司",
        "short": "Inspur",
    },
    {
        "en": "SZ DJI Technology Co., Ltd.",
        "zh": "深圳市大疆创新科技有限公司",
        "tw": "深圳市大疆創新科技有限公司",
        "short": "DJI Technology",
    },
    {
        "en": "China Electronics Technology Group Corporation",
        "zh": "中国电子科技集团有限公司",
        "tw": "中國電子科技集團有限公司",
        "alias": "CETC",
    },
    {
        "en": "Aviation Industry Corporation of China",
        "zh": "中国航空工业集团有限公司",
        "tw": "中國航空工業集團有限公司",
        "alias": "AVIC",
    },
    {
        "en": "China North Industries Group Corporation Limited",
        "zh": "中国兵器工业集团有限公司",
        "tw": "中國兵器工業集團有限公司",
        "alias": "NORINCO",
    },
    {
        "en": "China Academy of Engineering Physics",
        "zh": "中国工程物理研究院",
        "tw": "中國工程物理研究院",
        "typo": "China Academy of Enginering Physics",
    },
    {
        "en": "Beijing Megvii Technology Co., Ltd.",
        "zh": "北京旷视科技有限公司",
        "tw": "北京曠視科技有限公司",
        "short": "Megvii",
    },
    {
        "en": "SenseTime Group Limited",
        "zh": "商汤集团有限公司",
        "tw": "商湯集團有限公司",
        "short": "SenseTime",
    },
    {
        "en": "Shanghai Yitu Network Technology Co., Ltd.",
        "zh": "上海依图网络科技有限公司",
        "tw": "上海依圖網絡科技有限公司",
        "short": "Yitu Network Technology",
    },
    {
        "en": "CloudWalk Technology Co., Ltd.",
        "zh": "云从科技集团股份有限公司",
        "tw": "雲從科技集團股份有限公司",
        "short": "CloudWalk",
    },
    {
        "en": "China Mobile Communications Group Co., Ltd.",
        "zh": "中国移动通信集团有限公司",
        "tw": "中國移動通信集團有限公司",
    },
    {
        "en": "China Telecom Corporation Limited",
        "zh": "中国电信集团有限公司",
        "tw": "中國電信集團有限公司",
    },
    {
        "en": "China State Shipbuilding Corporation Limited",
        "zh": "中国船舶集团有限公司",
        "tw": "中國船舶集團有限公司",
    },
    {
        "en": "Hytera Communications Corporation Limited",
        "zh": "海能达通信股份有限公司",
        "tw": "海能達通信股份有限公司",
        "short": "Hytera Communications",
    },
    {
        "en": "Yangtze Memory Technologies Co., Ltd.",
        "zh": "长江存储科技有限责任公司",
        "tw": "長江存儲科技有限責任公司",
        "short": "Yangtze Memory Technologies",
    },
    {
        "en": "Shanghai Micro Electronics Equipment Group Co., Ltd.",
        "zh": "上海微电子装备集团股份有限公司",
        "tw": "上海微電子裝備集團股份有限公司",
    },
    {"en": "Tsinghua University", "zh": "清华大学", "tw": "清華大學"},
    {"en": "Peking University", "zh": "北京大学", "tw": "北京大學"},
    {"en": "Beijing Institute of Technology", "zh": "北京理工大学", "tw": "北京理工大學"},
    {"en": "Beijing University of Technology", "zh": "北京工业大学", "tw": "北京工業大學"},
    {
        "en": "Harbin University of Science and Technology",
        "zh": "哈尔滨理工大学",
        "tw": "哈爾濱理工大學",
    },
    {"en": "Nanjing University", "zh": "南京大学", "tw": "南京大學"},
    {
        "en": "China Electronics Corporation",
        "zh": "中国电子信息产业集团有限公司",
        "tw": "中國電子信息產業集團有限公司",
    },
]
# Different institutions with similar names: each pair must NOT match.
ORG_NEIGHBOURS = [
    ("Harbin Institute of Technology", "Harbin Engineering University"),
    ("Harbin Institute of Technology", "Harbin University of Science and Technology"),
    ("Harbin Engineering University", "Harbin University of Science and Technology"),
    ("Beijing Institute of Technology", "Beijing University of Technology"),
    ("Nanjing University", "Nanjing University of Science and Technology"),
    ("Nanjing University", "Nanjing University of Aeronautics and Astronautics"),
    (
        "Nanjing University of Science and Technology",
        "Nanjing University of Aeronautics and Astronautics",
    ),
    ("Beihang University", "Nanjing University of Aeronautics and Astronautics"),
    ("China Electronics Corporation", "China Electronics Technology Group Corporation"),
    ("China Mobile Communications Group Co., Ltd.", "China Telecom Corporation Limited"),
    ("Peking University", "Beijing Institute of Technology"),
    ("Xi'an Jiaotong University", "Xidian University"),
    ("Tsinghua University", "Peking University"),
    ("Zhejiang Dahua Technology Co., Ltd.", "Huawei Technologies Co., Ltd."),
    ("Sichuan University", "University of Electronic Science and Technology of China"),
]
GERMAN = [
    ("Stadt Braunschweig", False, "DE"),
    ("Technische Universität Braunschweig", False, "DE"),
    ("Universität Stuttgart", False, "DE"),
    ("Landeshauptstadt Düsseldorf", False, "DE"),
    ("Huber Maschinenbau GmbH", False, "DE"),
    ("Stadtwerke Duisburg AG", False, "DE"),
    ("Dr. Anna Wagner", True, "DE"),
    ("Thomas Li Müller", True, "DE"),
    ("Hochschule Hannover", False, "DE"),
    ("Wang Automation GmbH", False, "DE"),
]


def trad(text: str) -> str:
    return "".join(TRAD.get(ch, ch) for ch in text)


def split_name(hanzi: str) -> tuple[str, str]:
    family_len = 2 if len(hanzi) == 4 or hanzi[:2] in ("欧阳", "司马") else 1
    return hanzi[:family_len], hanzi[family_len:]


def pinyin(hanzi: str, tones: bool = False) -> list[str]:
    style = Style.TONE if tones else Style.NORMAL
    return [p.replace("v", "ü") if not tones else p for p in lazy_pinyin(hanzi, style=style)]


def cap(parts: list[str]) -> str:
    return "".join(parts).capitalize()


def latin_person(hanzi: str, tones: bool = False) -> str:
    fam, giv = split_name(hanzi)
    return f"{cap(pinyin(fam, tones))} {cap(pinyin(giv, tones))}"


def typo(word: str, rng: random.Random) -> str:
    """Swap two neighbouring letters or drop one, so that the result is no longer pinyin."""
    from chinadialog_desktop.domain.names import segment_pinyin

    for _ in range(50):
        i = rng.randrange(1, len(word) - 1)
        if rng.random() < 0.5:
            cand = word[:i] + word[i + 1] + word[i] + word[i + 2 :]
        else:
            cand = word[:i] + word[i + 1 :]
        if cand.lower() != word.lower() and segment_pinyin(cand.lower()) is None:
            return cand
    raise ValueError(word)


def person_entity(
    key: str, hanzi: str, latin_only: bool = False, zh_only: bool = False
) -> dict[str, Any]:
    names = [latin_person(hanzi)] if not zh_only else []
    if not latin_only:
        names.append(hanzi)
    return {
        "key": key,
        "schema": "Person",
        "names": names,
        "weak_aliases": [],
        "countries": ["CN"],
        "topics": ["sanction"],
        "identifiers": {},
    }


def pair(
    variant: str,
    label: bool,
    query: list[str],
    person: bool,
    entity: dict[str, Any],
    country: str | None = None,
    identifiers: list[list[str]] | None = None,
) -> dict[str, Any]:
    return {
        "variant": variant,
        "label": label,
        "query": {
            "names": query,
            "person": person,
            "country": country,
            "identifiers": identifiers or [],
        },
        "entity": entity,
    }


def main() -> int:
    rng = random.Random(7)
    rows: list[dict[str, Any]] = []
    for n, hz in enumerate(PERSONS):
        key = f"p{n}"
        full = person_entity(key, hz)
        fam, giv = split_name(hz)
        fam_py, giv_py = pinyin(fam), pinyin(giv)
        rows.append(pair("person_tone_marks", True, [latin_person(hz, tones=True)], True, full))
        if len(giv_py) > 1:
            rows.append(
                pair(
                    "person_split_syllables",
                    True,
                    [" ".join(p.capitalize() for p in fam_py + giv_py)],
                    True,
                    full,
                )
            )
            rows.append(
                pair(
                    "person_hyphen_upper",
                    True,
                    [f"{cap(fam_py).upper()} {'-'.join(giv_py).capitalize()}"],
                    True,
                    full,
                )
            )
        rows.append(pair("person_given_first", True, [f"{cap(giv_py)} {cap(fam_py)}"], True, full))
        rows.append(
            pair("person_hanzi_to_latin", True, [hz], True, person_entity(key, hz, latin_only=True))
        )
        if trad(hz) != hz:
            rows.append(
                pair(
                    "person_traditional",
                    True,
                    [trad(hz)],
                    True,
                    person_entity(key, hz, zh_only=True),
                )
            )
        joined = cap(fam_py) + " " + cap(giv_py)
        if len(joined.replace(" ", "")) >= 8:
            rows.append(
                pair("person_typo", True, [cap(fam_py) + " " + typo(cap(giv_py), rng)], True, full)
            )
        if fam == "吕":
            for spelling in ("Lü", "Lv", "Lyu", "Lu"):
                rows.append(
                    pair("person_u_umlaut", True, [f"{spelling} {cap(giv_py)}"], True, full)
                )
        # Near neighbours: one syllable changed into another real syllable.
        syls = fam_py + giv_py
        for i in range(len(syls)):
            other = NEIGHBOUR.get(syls[i])
            if other is None:
                continue
            changed = syls[:i] + [other] + syls[i + 1 :]
            f = cap(changed[: len(fam_py)])
            g = cap(changed[len(fam_py) :])
            rows.append(pair("person_neighbour_syllable", False, [f"{f} {g}"], True, full))
        if len(giv_py) > 1:
            rows.append(
                pair(
                    "person_neighbour_missing_syllable",
                    False,
                    [f"{cap(fam_py)} {giv_py[-1].capitalize()}"],
                    True,
                    full,
                )
            )
        other_hz = PERSONS[(n + 5) % len(PERSONS)]
        rows.append(
            pair(
                "person_neighbour_other_given",
                False,
                [f"{cap(fam_py)} {cap(pinyin(split_name(other_hz)[1]))}"],
                True,
                full,
            )
        )
        if len(hz) >= 3:
            rows.append(
                pair(
                    "person_neighbour_hanzi",
                    False,
                    [hz[:-1] + "红"],
                    True,
                    person_entity(key, hz, zh_only=True),
                )
            )
    rows.append(
        pair(
            "person_neighbour_syllable",
            False,
            ["Lu Wu"],
            True,
            {
                "key": "pliwu",
                "schema": "Person",
                "names": ["Li Wu", "李武"],
                "weak_aliases": [],
                "countries": ["CN"],
                "topics": ["sanction"],
                "identifiers": {},
            },
        )
    )
    by_en = {o["en"]: o for o in ORGS}
    for n, org in enumerate(ORGS):
        key = f"o{n}"
        names = [org["en"], org["zh"]] + ([org["alias"]] if "alias" in org else [])
        ent = {
            "key": key,
            "schema": "Company"
            if "Co" in org["en"] or "Corp" in org["en"] or "Limited" in org["en"]
            else "Organization",
            "names": names,
            "weak_aliases": [org["weak"]] if "weak" in org else [],
            "countries": ["CN"],
            "topics": ["export.control"],
            "identifiers": {"uscCode": [org["uscc"]]} if "uscc" in org else {},
        }
        en_only = {**ent, "names": [org["en"]]}
        zh_only = {**ent, "names": [org["zh"]]}
        rows.append(pair("org_hanzi_to_latin_entity", True, [org["zh"]], False, ent, "CN"))
        rows.append(pair("org_traditional", True, [org["tw"]], False, zh_only, "CN"))
        rows.append(
            pair(
                "org_pinyin_of_hanzi",
                True,
                [" ".join(p.capitalize() for p in lazy_pinyin(org["zh"]))],
                False,
                zh_only,
                "CN",
            )
        )
        bare = org["en"]
        for form in (
            " Co., Ltd.",
            " Corporation Limited",
            " Group Co., Ltd.",
            " Corporation",
            " Limited",
            " Group Limited",
            " Co., Ltd",
        ):
            if bare.endswith(form):
                bare = bare[: -len(form)]
                break
        if bare != org["en"]:
            rows.append(pair("org_legal_form_removed", True, [bare], False, en_only, "CN"))
            rows.append(
                pair("org_legal_form_other", True, [bare.upper() + " CO LTD"], False, en_only, "CN")
            )
        rows.append(
            pair(
                "org_case_punctuation",
                True,
                [org["en"].upper().replace(",", "")],
                False,
                en_only,
                None,
            )
        )
        if "typo" in org:
            rows.append(pair("org_typo", True, [org["typo"]], False, en_only, "CN"))
        if "short" in org:
            rows.append(pair("org_short_name", True, [org["short"]], False, en_only, "CN"))
        for v in org.get("variants", []):
            rows.append(pair("org_apostrophe", True, [v], False, en_only, "CN"))
        if "weak" in org:
            rows.append(pair("org_weak_alias", True, [org["weak"]], False, ent, "CN"))
        rows.append(pair("org_country_differs", True, [org["en"]], False, en_only, "DE"))
    for ours, theirs in ORG_NEIGHBOURS:
        for a, b in ((ours, theirs), (theirs, ours)):
            o = by_en[b]
            ent = {
                "key": f"n-{ORGS.index(o)}",
                "schema": "Organization",
                "names": [o["en"], o["zh"]],
                "weak_aliases": [],
                "countries": ["CN"],
                "topics": ["export.control"],
                "identifiers": {},
            }
            rows.append(pair("org_neighbour", False, [a], False, ent, "CN"))
            rows.append(pair("org_neighbour_hanzi", False, [by_en[a]["zh"]], False, ent, "CN"))
    huawei = by_en["Huawei Technologies Co., Ltd."]
    rows.append(
        pair(
            "identifier_decides",
            True,
            ["Shenzhen Telecom Partner"],
            False,
            {
                "key": "o0-id",
                "schema": "Company",
                "names": [huawei["en"]],
                "weak_aliases": [],
                "countries": ["CN"],
                "topics": ["export.control"],
                "identifiers": {"uscCode": [huawei["uscc"]]},
            },
            "CN",
            [["uscc", "91440300 1922038216"]],
        )
    )
    rows.append(
        pair(
            "identifier_conflict",
            False,
            ["Huawei Technologies Co Ltd"],
            False,
            {
                "key": "o0-other",
                "schema": "Company",
                "names": [huawei["en"]],
                "weak_aliases": [],
                "countries": ["CN"],
                "topics": ["export.control"],
                "identifiers": {"uscCode": [huawei["uscc"]]},
            },
            "CN",
            [["uscc", "91110000100000000X"]],
        )
    )
    # Kind differs: an organisation named like a person on the list.
    rows.append(
        pair(
            "kind_differs",
            False,
            ["Wang Xiaoming Trading"],
            False,
            person_entity("p0", PERSONS[0]),
            "CN",
        )
    )
    for name, person, country in GERMAN:
        target = ORGS[rng.randrange(len(ORGS))] if not person else None
        if person:
            ent = person_entity("g-li", "李伟")
        else:
            assert target is not None
            ent = {
                "key": "g-org",
                "schema": "Organization",
                "names": [target["en"], target["zh"]],
                "weak_aliases": [],
                "countries": ["CN"],
                "topics": ["mil"],
                "identifiers": {},
            }
        rows.append(pair("german_unrelated", False, [name], person, ent, country))
    # Hard cases, labelled by the truth and kept even where the matcher fails them: other
    # romanisations (Wade-Giles, Cantonese, postal), translations, abbreviations, nicknames.
    hard_persons = [
        ("王小明", "Wong Siu Ming"),
        ("张伟", "Chang Wei"),
        ("徐国强", "Hsu Kuo-chiang"),
        ("郑晓东", "Cheng Hsiao-tung"),
        ("欧阳振华", "Au Yeung Chun Wah"),
        ("李伟", "David Li Wei"),
        ("刘洋", "Liu Yang (Jack)"),
    ]
    for hz, query in hard_persons:
        rows.append(
            pair(
                "hard_person_romanisation",
                True,
                [query],
                True,
                person_entity(f"p{PERSONS.index(hz)}", hz),
            )
        )
    # (entity name, our name): the entity carries only that one name, so no alias can help.
    hard_orgs = [
        ("清华大学", "Tsinghua University"),
        ("北京大学", "Peking University"),
        ("Huawei Technologies Co., Ltd.", "华为技术有限公司"),
        ("Harbin Institute of Technology", "HIT"),
        ("Harbin Institute of Technology", "Technische Universität Harbin"),
        ("National University of Defense Technology", "NUDT"),
        ("University of Electronic Science and Technology of China", "UESTC"),
        ("Beihang University", "Beijing Aerospace University"),
        ("Semiconductor Manufacturing International Corporation", "SMIC Ltd."),
        ("China Academy of Engineering Physics", "CAEP"),
    ]
    for n, (theirs, query) in enumerate(hard_orgs):
        ent = {
            "key": f"h-{n}",
            "schema": "Organization",
            "names": [theirs],
            "weak_aliases": [],
            "countries": ["CN"],
            "topics": ["export.control"],
            "identifiers": {},
        }
        rows.append(pair("hard_org_translation_abbreviation", True, [query], False, ent, "CN"))
    OUT.parent.mkdir(parents=True, exist_ok=True)
    with OUT.open("w", encoding="utf-8") as fh:
        for i, row in enumerate(rows):
            fh.write(json.dumps({"id": i, **row}, ensure_ascii=False) + "\n")
    pos = sum(r["label"] for r in rows)
    print(f"{len(rows)} pairs ({pos} matches, {len(rows) - pos} non-matches) → {OUT}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
