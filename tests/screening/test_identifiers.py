"""Issue 13 point 4: the USCC check character (GB 32100-2015), and identifiers never hide a
name hit."""

from __future__ import annotations

import pytest

from chinadialog_desktop.domain.identifiers import uscc_check_character, uscc_valid
from chinadialog_desktop.domain.matching import DEFAULT_THRESHOLD, Subject, score_pair
from chinadialog_desktop.i18n import set_language
from chinadialog_desktop.services.screening.runs import explanation_lines
from tests.screening.test_hard_cases import _entity

HUAWEI = "914403001922038216"  # published code of Huawei Technologies Co., Ltd.


@pytest.mark.parametrize(
    ("code", "valid"),
    [
        (HUAWEI, True),
        ("9144 0300 1922 0382 16", True),
        ("914403001922038217", False),  # check character changed
        ("91110000100000000X", False),
        ("91110000100000000R", True),  # R is the check character of these seventeen
        ("9111000010000000OR", False),  # O is not in the alphabet
        ("12345", False),
    ],
)
def test_uscc_check_character(code: str, valid: bool) -> None:
    assert uscc_valid(code) is valid


def test_check_character_computed_from_the_first_seventeen() -> None:
    assert uscc_check_character(HUAWEI[:17]) == HUAWEI[17]
    assert uscc_check_character("short") is None


def _listed() -> object:
    e = _entity("huawei", "Huawei Technologies Co., Ltd.", "华为技术有限公司")
    e.identifiers = {"uscCode": [HUAWEI]}
    return e


def _org(code: str) -> Subject:
    return Subject(
        "q", "actor", "Huawei", ("Huawei Technologies Co., Ltd.",), False, "CN", (("uscc", code),)
    )


def test_invalid_code_does_not_hide_the_name_hit_and_is_explained() -> None:
    m = score_pair(_org("914403001922038217"), _listed())  # type: ignore[arg-type]
    assert m.score >= DEFAULT_THRESHOLD
    set_language("de")
    try:
        text = "\n".join(explanation_lines(m.explanation))
    finally:
        set_language("en")
    assert "914403001922038217" in text and "Prüfzeichen" in text


def test_two_different_valid_codes_are_evidence_against() -> None:
    m = score_pair(_org("91110000100000000R"), _listed())  # type: ignore[arg-type]
    assert m.score < DEFAULT_THRESHOLD
    assert any(i["code"] == "identifier_conflict" for i in m.explanation["lowered"])


def test_equal_codes_are_strong_evidence_even_with_other_names() -> None:
    subject = Subject(
        "q", "actor", "Partner", ("Shenzhen Partner GmbH",), False, "CN", (("uscc", HUAWEI),)
    )
    m = score_pair(subject, _listed())  # type: ignore[arg-type]
    assert m.score == 1.0 and m.explanation["identifier"]["value"] == HUAWEI
