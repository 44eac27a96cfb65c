"""The heading over the checks before export counts in real German plurals, not "Punkt(e)"."""

from __future__ import annotations

import pytest

from chinadialog_desktop.services.briefing.checks import checks_heading


@pytest.mark.parametrize(
    ("n", "expected"),
    [
        (1, "Prüfung vor dem Export: 1 zu klärender Punkt"),
        (3, "Prüfung vor dem Export: 3 zu klärende Punkte"),
    ],
)
def test_the_checks_heading_in_german(german, n, expected):
    assert checks_heading(n) == expected


def test_the_checks_heading_in_english(english):
    assert checks_heading(1) == "Checks before export: 1 point to clear"
    assert checks_heading(2) == "Checks before export: 2 points to clear"
