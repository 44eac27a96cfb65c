"""Labels for stored enum codes and partially known dates."""

from __future__ import annotations

from datetime import date
from enum import StrEnum

import pytest

from chinadialog_desktop.domain import enums
from chinadialog_desktop.domain.labels import LABELS, label, partial_date
from chinadialog_desktop.i18n import language, set_language

ALL_ENUMS = [
    obj
    for obj in vars(enums).values()
    if isinstance(obj, type) and issubclass(obj, StrEnum) and obj is not StrEnum
]


@pytest.fixture
def lang():
    before = language()
    yield set_language
    set_language(before)


@pytest.mark.parametrize("kind", ALL_ENUMS, ids=lambda k: k.__name__)
def test_every_code_of_every_vocabulary_has_a_label(kind):
    assert kind in LABELS
    assert set(LABELS[kind]) == {m.value for m in kind}
    for member in kind:
        text = label(kind, member.value)
        assert text and text != member.value


def test_same_code_in_two_vocabularies_gets_its_own_label(lang):
    lang("en")
    assert label(enums.ActorKind, "university") == "University"
    assert label(enums.PartnershipType, "university") == "University cooperation"


def test_unknown_and_missing_codes(lang):
    lang("en")
    assert label(enums.PartnershipStatus, "mystery") == "mystery"
    assert label(enums.PartnershipStatus, None) == ""


def test_partial_dates_in_german(lang):
    lang("de")
    d = date(2011, 3, 7)
    assert partial_date(d, "day") == "07.03.2011"
    assert partial_date(d, "month") == "03.2011"
    assert partial_date(d, "year") == "2011"
    assert partial_date(None, "day") == ""


def test_partial_dates_in_english(lang):
    lang("en")
    d = date(2011, 3, 7)
    assert partial_date(d, "day") == "2011-03-07"
    assert partial_date(d, "month") == "2011-03"
    assert partial_date(d, "year") == "2011"
