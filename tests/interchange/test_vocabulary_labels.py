"""What the window shows of a vocabulary reads back as the same code in an import."""

from __future__ import annotations

import pytest

from chinadialog_desktop.domain.enums import ActorKind
from chinadialog_desktop.domain.labels import LABELS
from chinadialog_desktop.i18n import in_every_language
from chinadialog_desktop.services.datasets.kinds import _ENUM_SYNONYMS, enum_code


@pytest.mark.parametrize("enum", list(LABELS), ids=lambda e: e.__name__)
def test_every_label_in_every_language_reads_back_as_its_code(enum):
    wrong = [
        (text, code, enum_code(enum, text))
        for code, label in LABELS[enum].items()
        for text in in_every_language(label)
        if enum_code(enum, text) != str(code)
    ]
    assert wrong == []


def test_stadt_is_a_city_as_the_form_says_and_kommune_a_municipality():
    assert enum_code(ActorKind, "Stadt") == ActorKind.CITY
    assert enum_code(ActorKind, "Kommune") == ActorKind.MUNICIPALITY
    assert enum_code(ActorKind, "Gemeinde") == ActorKind.MUNICIPALITY


def test_no_synonym_is_hidden_by_a_label():
    hidden = {
        (enum.__name__, text): enum_code(enum, text)
        for enum, synonyms in _ENUM_SYNONYMS.items()
        for text, code in synonyms.items()
        if enum_code(enum, text) != code
    }
    assert hidden == {}
