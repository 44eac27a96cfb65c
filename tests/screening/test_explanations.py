"""Issue 13 point 2: explanations say what differs, in words, with score and threshold."""

from __future__ import annotations

import re

import pytest

from chinadialog_desktop.domain.matching import MatchIndex, Subject
from chinadialog_desktop.domain.screening_terms import TOPIC_LABELS, topic_label
from chinadialog_desktop.services.screening.runs import explanation_lines
from tests.screening.test_hard_cases import _entity

pytestmark = pytest.mark.usefixtures("german")  # tests/conftest.py


def _lines(ours: str, *theirs: str, person: bool = False, threshold: float = 0.5) -> str:
    listed = _entity("e", *theirs, schema="Person" if person else "PublicBody")
    listed.topics = ["gov.security", "role.rca", "sanction", "export.control", "invest.ban"]
    index = MatchIndex([listed])
    subject = Subject("q", "actor", ours, (ours,), person, "CN")
    matches = index.screen(subject, threshold)
    assert matches, "the pair should score above the low threshold used here"
    return "\n".join(explanation_lines(matches[0].explanation))


def test_other_city_says_which_place_differs() -> None:
    text = _lines(
        "Xihai Municipal Public Security Bureau", "Jiyuan Municipal Public Security Bureau"
    )
    assert "Ortsname weicht ab: Xihai ≠ Jiyuan." in text
    assert "Tippfehler" not in text
    assert "lauten beide" not in text  # the names do not read alike after normalisation


def test_one_letter_pinyin_typo_names_the_two_trade_names() -> None:
    listed = _entity("e", "Changsha Jiayuan New Materials Co., Ltd.")
    subject = Subject("q", "actor", "x", ("Changsha Jinyuan New Materials Co., Ltd.",), False, "CN")
    [match] = MatchIndex([listed]).screen(subject, 0.5)
    text = "\n".join(explanation_lines(match.explanation))
    assert "Der unterscheidende Namensteil weicht ab: Jinyuan ≠ Jiayuan." in text
    assert "beide Schreibungen sind Pinyin" in text


def test_other_body_of_the_same_city_is_named_in_words() -> None:
    text = _lines("济源市国家安全局", "济源市公安局")
    assert "Behörde weicht ab: Amt für Staatssicherheit ≠ Amt für öffentliche Sicherheit." in text


def test_missing_syllable_is_never_called_a_typo() -> None:
    text = _lines("Song Liang", "Song Liangyu", person=True)
    assert "Eine Silbe fehlt" in text
    assert "Tippfehler oder" not in text  # the typo sentence ("… (ein Tippfehler oder …)")


def test_rare_reading_is_not_called_the_same_sound() -> None:
    text = _lines("王诚", "王盛", person=True)
    assert "seltenen Lesung" in text
    assert "lauten in Pinyin gleich" not in text


def test_score_and_threshold_are_shown() -> None:
    text = _lines("Jiyuan City Public Security Bureau", "Jiyuan Municipal Public Security Bureau")
    assert re.search(r"Gesamtwert: \d+ % \(Treffer ab 50 %\)\.", text)


def test_topics_in_words_never_codes() -> None:
    text = _lines("Jiyuan City Public Security Bureau", "Jiyuan Municipal Public Security Bureau")
    for word in ("sanktioniert", "Exportkontrolle", "Investitionsverbot", "Sicherheitsbehörde"):
        assert word in text
    assert "gov.security" not in text and "role.rca" not in text
    assert topic_label("gov.brandnew") == "öffentliche Stelle"
    assert "." not in "".join(topic_label(code) for code in TOPIC_LABELS)
