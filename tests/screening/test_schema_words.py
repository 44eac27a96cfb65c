"""Hit explanations name the listed entity's kind in words, not as a FollowTheMoney schema."""

from __future__ import annotations

from chinadialog_desktop.i18n import set_language
from chinadialog_desktop.services.screening import runs as screening


def _lines(agreed: list[dict], lowered: list[dict]) -> str:
    return "\n".join(
        screening.explanation_lines(
            {
                "score": 0.9,
                "name": None,
                "identifier": None,
                "agreed": agreed,
                "lowered": lowered,
                "list": None,
                "designations": [],
                "assessments": [],
            }
        )
    )


def test_agreed_kind_in_german():
    set_language("de")
    text = _lines([{"code": "kind", "theirs": "Company"}], [])
    assert "(Unternehmen)" in text and "Company" not in text
    text = _lines([{"code": "kind", "theirs": "Organization"}], [])
    assert "(Organisation)" in text and "Organization" not in text


def test_mismatched_kind_in_german():
    set_language("de")
    text = _lines(
        [], [{"code": "kind_mismatch", "delta": -0.25, "ours": "person", "theirs": "PublicBody"}]
    )
    assert "Öffentliche Einrichtung" in text and "PublicBody" not in text


def test_an_unknown_schema_is_shown_as_is():
    set_language("en")
    try:
        assert "(Vessel)" in _lines([{"code": "kind", "theirs": "Vessel"}], [])
    finally:
        set_language("de")
