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
            [["uscc", "91110000100000000R"]],
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


# ---------------------------------------------------------------------------------------
# Whole-list evaluation (issue 13): every query is screened against ALL entities of one
# list, so a hit on a similar entity (another city's bureau, a firm one character apart)
# counts as a false hit. Bases (a city, a firm, a person) are split into "tune" and
# "test" before any query is made; the default threshold is chosen on "tune" and the
# figures are reported on "test".

WHOLE_OUT = OUT.parent / "eval_whole_list.json"

# Prefecture-level cities (real names; the bodies built from them are invented examples).
CITIES = [
    "济源",
    "西海",
    "洛阳",
    "开封",
    "安阳",
    "新乡",
    "焦作",
    "濮阳",
    "许昌",
    "漯河",
    "三门峡",
    "南阳",
    "商丘",
    "信阳",
    "周口",
    "驻马店",
    "宜昌",
    "襄阳",
    "荆州",
    "黄石",
    "十堰",
    "孝感",
    "株洲",
    "湘潭",
    "衡阳",
    "岳阳",
    "常德",
    "张家界",
    "益阳",
    "郴州",
    "永州",
    "怀化",
    "娄底",
    "柳州",
    "桂林",
    "梧州",
    "北海",
    "钦州",
    "玉林",
    "百色",
    "绵阳",
    "德阳",
    "宜宾",
    "泸州",
    "南充",
    "乐山",
    "遂宁",
    "自贡",
    "攀枝花",
    "芜湖",
    "蚌埠",
    "淮南",
    "马鞍山",
    "淮北",
    "铜陵",
    "安庆",
    "黄山",
    "滁州",
    "阜阳",
    "宿州",
    "六安",
    "亳州",
    "池州",
    "宣城",
    "泉州",
    "漳州",
    "莆田",
    "三明",
    "南平",
    "龙岩",
    "宁德",
    "赣州",
    "九江",
    "景德镇",
    "萍乡",
    "新余",
    "鹰潭",
    "吉安",
    "宜春",
    "抚州",
    "上饶",
    "烟台",
    "潍坊",
    "淄博",
    "枣庄",
    "东营",
    "济宁",
    "泰安",
    "威海",
    "日照",
    "临沂",
    "德州",
    "聊城",
    "滨州",
    "菏泽",
    "吉林",
    "四平",
    "通化",
    "白山",
    "松原",
    "延吉",
    "鞍山",
    "抚顺",
    "本溪",
    "丹东",
    "锦州",
    "营口",
    "阜新",
    "辽阳",
    "盘锦",
    "铁岭",
    "朝阳",
    "葫芦岛",
    "大同",
    "阳泉",
    "长治",
    "晋城",
    "朔州",
    "晋中",
    "运城",
    "忻州",
    "临汾",
    "吕梁",
    "保定",
    "唐山",
    "邯郸",
    "邢台",
    "张家口",
    "承德",
    "沧州",
    "廊坊",
    "衡水",
]
# (characters after the city name, English with {C} for the city in pinyin)
BODIES = [
    ("市公安局", "{C} Municipal Public Security Bureau"),
    ("市人民代表大会常务委员会", "Standing Committee of the {C} Municipal People's Congress"),
    ("市人民政府外事办公室", "Foreign Affairs Office of the {C} Municipal People's Government"),
    ("市国家安全局", "{C} Municipal State Security Bureau"),
    ("市人民政府", "{C} Municipal People's Government"),
]
# Characters that make up trade names (two of them form a name such as 星联 Xinglian).
TRADE_CHARS = """星联华兴明达恒通瑞鑫泰宏盛源信德安凯立新远航宇科晨光海天中润博创智誉佳嘉金银
龙腾飞云峰汇丰隆昌祥和美伟业诚实力迅捷"""
TRADE_CHARS = "".join(TRADE_CHARS.split())
INDUSTRIES = [
    ("科技", "Technology"),
    ("电子", "Electronics"),
    ("贸易", "Trading"),
    ("机械", "Machinery"),
    ("通信", "Communications"),
    ("软件", "Software"),
    ("精密仪器", "Precision Instruments"),
    ("新材料", "New Materials"),
]
COMPANY_PLACES = [
    "深圳",
    "上海",
    "北京",
    "杭州",
    "南京",
    "苏州",
    "无锡",
    "成都",
    "武汉",
    "西安",
    "宁波",
    "青岛",
    "厦门",
    "合肥",
    "长沙",
    "济南",
    "天津",
    "重庆",
    "大连",
    "东莞",
]
# Surnames with the reading they have as a surname (verified: lists of "easily misread
# surnames"): the character's other readings must not make two surnames sound alike.
RARE_SURNAMES = {"沈": "谭", "单": "陈", "解": "谢", "区": "曲", "仇": "丑", "查": "茶", "朴": "濮"}
SURNAMES = [
    "王",
    "李",
    "张",
    "刘",
    "陈",
    "杨",
    "赵",
    "黄",
    "周",
    "吴",
    "徐",
    "孙",
    "胡",
    "朱",
    "高",
    "林",
    "何",
    "郭",
    "马",
    "罗",
    "梁",
    "宋",
    "郑",
    "谢",
    "韩",
    "唐",
    "冯",
    "于",
    "董",
    "萧",
    "程",
    "曹",
    "袁",
    "邓",
    "许",
    "傅",
    "曾",
    "彭",
    "吕",
    "苏",
    "卢",
    "蒋",
    "蔡",
    "贾",
    "丁",
    "魏",
    "薛",
    "叶",
    "阎",
    "余",
    "潘",
    "杜",
    "戴",
    "夏",
    "钟",
    "汪",
    "田",
    "任",
    "姜",
    "范",
    "方",
    "石",
    "姚",
    "谭",
    "廖",
    "邹",
    "熊",
    "金",
    "陆",
    "郝",
    "孔",
    "白",
    "崔",
    "康",
    "毛",
    "邱",
    "秦",
    "江",
    "史",
    "顾",
    "侯",
    "邵",
    "孟",
    "龙",
    "万",
    "段",
    "雷",
    "钱",
    "汤",
    "尹",
    "黎",
    "易",
    "常",
    "武",
    "乔",
    "贺",
    "赖",
    "龚",
    "文",
    "欧阳",
    "司马",
    "上官",
    "诸葛",
]
GIVEN_CHARS = """伟芳娜敏静丽强磊军洋勇艳杰娟涛明超秀霞平刚桂英华玉萍红兰飞国建志文辉力永
健斌宇浩凯鹏鑫波宁晨晓东海林峰梅琳雪丹婷亮成俊帆"""
GIVEN_CHARS = "".join(GIVEN_CHARS.split())


def py(hanzi: str) -> list[str]:
    return lazy_pinyin(hanzi)


def surname_py(fam: str) -> list[str]:
    special = {
        "沈": "shen",
        "单": "shan",
        "解": "xie",
        "区": "ou",
        "仇": "qiu",
        "查": "zha",
        "朴": "piao",
        "曾": "zeng",
        "任": "ren",
        "华": "hua",
        "盖": "ge",
    }
    if fam in special:
        return [special[fam]]
    return py(fam)


def pinyin_typo(word: str, rng: random.Random) -> str | None:
    """Change one letter so that the word is still pinyin ("huawei" → "huawai")."""
    from chinadialog_desktop.domain.names import segment_pinyin

    letters = "aeiounghzcs"
    for _ in range(200):
        i = rng.randrange(1, len(word))
        cand = word[:i] + rng.choice(letters) + word[i + 1 :]
        if cand != word and segment_pinyin(cand) is not None:
            return cand
    return None


def whole_list() -> int:
    rng = random.Random(13)
    entities: list[dict[str, Any]] = []
    queries: list[dict[str, Any]] = []

    def split_of(base: str) -> str:
        return "tune" if random.Random(base).random() < 0.5 else "test"

    def ent(key: str, schema: str, names: list[str], topics: list[str], **kw: Any) -> None:
        entities.append(
            {
                "key": key,
                "schema": schema,
                "names": names,
                "weak_aliases": [],
                "countries": ["CN"],
                "topics": topics,
                "identifiers": kw.get("identifiers", {}),
            }
        )

    def query(
        base: str,
        variant: str,
        names: list[str],
        person: bool,
        expect: list[str],
        country: str | None = "CN",
        identifiers: list[list[str]] | None = None,
    ) -> None:
        queries.append(
            {
                "id": len(queries),
                "split": split_of(base),
                "variant": variant,
                "names": names,
                "person": person,
                "country": country,
                "identifiers": identifiers or [],
                "expect": expect,
            }
        )

    # Public bodies: about half of the cities are on the list, each with 2–3 bodies.
    for n, city in enumerate(CITIES):
        cpy = "".join(py(city)).capitalize()
        listed = n % 2 == 0
        bodies = rng.sample(range(len(BODIES)), 3) if listed else []
        for b, (zh_suffix, en) in enumerate(BODIES):
            key = f"gov-{n}-{b}"
            zh = city + zh_suffix
            en_name = en.format(C=cpy)
            on_list = b in bodies
            if on_list:
                ent(
                    key,
                    "PublicBody",
                    [en_name, zh],
                    ["gov.security"]
                    if "安全" in zh_suffix or "公安" in zh_suffix
                    else ["gov.muni"],
                )
            expect = [key] if on_list else []
            tag = "gov" if on_list else "gov_other_city_or_body"
            query(city, f"{tag}_hanzi", [zh], False, expect)
            query(city, f"{tag}_english", [en_name], False, expect, None)
            if on_list or rng.random() < 0.5:
                query(
                    city, f"{tag}_pinyin", [" ".join(p.capitalize() for p in py(zh))], False, expect
                )
                query(
                    city, f"{tag}_city_word", [en_name.replace("Municipal", "City")], False, expect
                )
    # Companies: place + two-character trade name + industry; a quarter have a listed
    # neighbour one character apart; some are registered in Hong Kong.
    used: set[str] = set()
    for n in range(360):
        place = rng.choice(COMPANY_PLACES)
        trade = "".join(rng.sample(TRADE_CHARS, 2))
        ind_zh, ind_en = rng.choice(INDUSTRIES)
        if "".join(py(trade)) in used:
            continue  # homophones cannot be told apart in Latin letters
        used.add("".join(py(trade)))
        base = f"co-{n}"
        key = base
        hk = n % 9 == 0
        joint = n % 5 == 1
        trade_py = "".join(py(trade)).capitalize()
        if hk:
            zh = f"{trade}{ind_zh}（香港）有限公司"
            en = f"{trade_py} {ind_en} (Hong Kong) Co., Limited"
        else:
            zh = f"{place}{trade}{ind_zh}{'股份' if joint else ''}有限公司"
            en = (
                f"{py(place)[0].capitalize()}{''.join(py(place)[1:])} {trade_py} {ind_en} Co., Ltd."
            )
            if joint:
                en = en.replace("Co., Ltd.", "(Joint-Stock) Co., Ltd.")
        ent(
            key,
            "Company",
            [en, zh],
            [rng.choice(["sanction", "export.control", "invest.ban", "mil"])],
        )
        bare_en = en.split(" Co.,")[0].split(" (")[0]
        query(base, "co_english", [en], False, [key], None)
        query(base, "co_hanzi", [zh], False, [key])
        query(base, "co_pinyin_of_hanzi", [" ".join(p.capitalize() for p in py(zh))], False, [key])
        query(base, "co_legal_form_removed", [bare_en], False, [key])
        query(base, "co_upper_other_form", [bare_en.upper() + " CO LTD"], False, [key], None)
        query(base, "co_without_place", [f"{trade_py} {ind_en}"], False, [key])
        if hk:
            query(base, "co_hk_suffix_missing_hanzi", [f"{trade}{ind_zh}"], False, [key])
            query(
                base, "co_hk_suffix_missing_hanzi_ltd", [f"{trade}{ind_zh}有限公司"], False, [key]
            )
            query(
                base,
                "co_hk_suffix_missing_english",
                [f"{trade_py} {ind_en} Co., Ltd."],
                False,
                [key],
            )
        if joint:
            query(
                base,
                "co_joint_stock_vs_company_limited",
                [f"{bare_en} Company Limited"],
                False,
                [key],
            )
        else:
            query(
                base,
                "co_company_limited_vs_joint_stock",
                [f"{bare_en} (Joint-Stock) Company"],
                False,
                [key],
            )
        try:
            t: str | None = typo(trade_py, rng) if len(trade_py) >= 6 else None
        except ValueError:
            t = None
        if t:
            query(base, "co_typo", [en.replace(trade_py, t)], False, [key])
        pt = pinyin_typo(trade_py.lower(), rng)
        if pt:
            query(
                base, "co_typo_valid_pinyin", [en.replace(trade_py, pt.capitalize())], False, [key]
            )
        # One character of the trade name changed: another firm.
        i = rng.randrange(2)
        other_char = rng.choice(
            [c for c in TRADE_CHARS if c not in trade and py(c) != py(trade[i])]
        )
        other = trade[:i] + other_char + trade[i + 1 :]
        other_py = "".join(py(other)).capitalize()
        if "".join(py(other)) in used:
            continue
        used.add("".join(py(other)))
        if n % 4 == 0:  # the neighbour is listed too: each query must hit its own firm only
            nkey = f"{base}-n"
            ent(
                nkey,
                "Company",
                [en.replace(trade_py, other_py), zh.replace(trade, other)],
                ["export.control"],
            )
            query(
                base, "co_listed_neighbour_english", [en.replace(trade_py, other_py)], False, [nkey]
            )
        else:
            query(base, "co_neighbour_one_character", [zh.replace(trade, other)], False, [])
            query(base, "co_neighbour_one_syllable", [en.replace(trade_py, other_py)], False, [])
    # Persons: unique in pinyin; rare-reading surnames with a homophone of the other reading.
    seen_py: set[str] = set()
    surnames = SURNAMES + list(RARE_SURNAMES) * 3
    n = 0
    while n < 420:
        fam = rng.choice(surnames)
        giv = "".join(rng.sample(GIVEN_CHARS, 1 if rng.random() < 0.35 else 2))
        hz = fam + giv
        fam_py, giv_py = surname_py(fam), py(giv)
        latin = f"{''.join(fam_py).capitalize()} {''.join(giv_py).capitalize()}"
        if latin.lower() in seen_py:
            continue
        seen_py.add(latin.lower())
        n += 1
        base = f"p-{n}"
        key = base
        ent(key, "Person", [latin, hz], [rng.choice(["sanction", "role.pep", "role.rca", "crime"])])
        query(base, "person_latin", [latin], True, [key])
        query(base, "person_hanzi", [hz], True, [key])
        query(
            base,
            "person_given_first",
            [f"{''.join(giv_py).capitalize()} {''.join(fam_py).capitalize()}"],
            True,
            [key],
        )
        query(
            base,
            "person_tone_marks",
            [f"{''.join(pinyin(fam, True)).capitalize()} {''.join(pinyin(giv, True)).capitalize()}"]
            if fam not in RARE_SURNAMES
            else [latin],
            True,
            [key],
        )
        if len(giv_py) > 1:
            query(
                base,
                "person_split_syllables",
                [" ".join(p.capitalize() for p in fam_py + giv_py)],
                True,
                [key],
            )
        if len(latin) >= 9 and len("".join(giv_py)) >= 4:
            query(
                base,
                "person_typo",
                [f"{''.join(fam_py).capitalize()} {typo(''.join(giv_py).capitalize(), rng)}"],
                True,
                [key],
            )
        if fam in RARE_SURNAMES:
            homophone = RARE_SURNAMES[fam] + giv
            alt = f"{''.join(py(RARE_SURNAMES[fam])).capitalize()} {''.join(giv_py).capitalize()}"
            if alt.lower() not in seen_py:
                query(base, "person_rare_surname_reading", [homophone], True, [])
        syls = fam_py + giv_py
        j = rng.randrange(len(syls))
        other = NEIGHBOUR.get(syls[j])
        if other:
            changed = syls[:j] + [other] + syls[j + 1 :]
            fam_alt, giv_alt = changed[: len(fam_py)], changed[len(fam_py) :]
            alt = f"{''.join(fam_alt).capitalize()} {''.join(giv_alt).capitalize()}"
            if alt.lower() not in seen_py:
                query(base, "person_neighbour_syllable", [alt], True, [])
        if len(giv) == 2:
            alt = f"{''.join(fam_py).capitalize()} {giv_py[0].capitalize()}"
            if alt.lower() not in seen_py:
                query(base, "person_missing_syllable", [alt], True, [])
    # A query that happens to spell a listed person's name is no non-match (homonyms).
    listed = {e["names"][0].lower() for e in entities if e["schema"] == "Person"}
    queries = [q for q in queries if q["expect"] or q["names"][0].lower() not in listed]
    for i, q in enumerate(queries):
        q["id"] = i
    data = {"entities": entities, "queries": queries}
    WHOLE_OUT.write_text(json.dumps(data, ensure_ascii=False, indent=0), encoding="utf-8")
    splits = {s: sum(q["split"] == s for q in queries) for s in ("tune", "test")}
    print(f"{len(entities)} entities, {len(queries)} queries {splits} → {WHOLE_OUT}")
    return 0


if __name__ == "__main__":
    sys.exit(whole_list() if "--whole-list" in sys.argv else main())
