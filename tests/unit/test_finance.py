"""The rules of the Finanzielle Auswirkungen (domain.finance): amounts as typed and as printed,
the Haushaltsjahr, and what contradicts what."""

from __future__ import annotations

import pytest

from chinadialog_desktop.domain import finance


@pytest.mark.parametrize(
    ("typed", "cents"),
    [
        ("12.500,00 €", 1_250_000),
        ("12.500", 1_250_000),  # German thousands
        ("12500", 1_250_000),
        ("12 500,5", 1_250_050),
        ("12500.05", 1_250_005),  # an English keyboard's decimal point
        ("12,500.05", 1_250_005),
        ("1.234.567,89 EUR", 123_456_789),
        ("0", 0),
        ("  ", None),
    ],
)
def test_amounts_as_people_type_them(typed, cents):
    assert finance.parse_amount(typed) == cents


@pytest.mark.parametrize("typed", ["-5", "12,345", "1.2.3", "zwölf", "12,5,0", "12.500,001"])
def test_what_is_no_amount_is_refused(typed):
    with pytest.raises(finance.FinanceValueError):
        finance.parse_amount(typed)


def test_amounts_are_printed_the_way_the_language_writes_them():
    assert finance.format_amount(1_250_000, "de") == "12.500,00\u00a0€"
    assert finance.format_amount(123_456_789, "en") == "EUR\u00a01,234,567.89"
    assert finance.format_amount(5, "de") == "0,05\u00a0€"


def test_package_amounts_are_exact_decimals():
    assert finance.amount_from_plain("12500.05") == 1_250_005
    assert finance.amount_from_plain(12500.5) == 1_250_050
    assert finance.amount_from_plain(0) == 0
    assert finance.amount_plain(1_250_005) == "12500.05"
    assert finance.amount_plain(finance.amount_from_plain("0.10")) == "0.10"
    for bad in ("12.500,00", "-1", 0.125, True, [1], "1e3"):
        with pytest.raises(finance.FinanceValueError):
            finance.amount_from_plain(bad)
    with pytest.raises(finance.FinanceValueError):
        finance.amount_from_plain(str(finance.MAX_CENTS))  # euros: above any budget


def test_budget_year_and_amount_limits():
    assert finance.year_error(2027) is None and finance.year_error(None) is None
    assert finance.year_error(finance.FIRST_YEAR - 1) and finance.year_error(finance.LAST_YEAR + 1)
    assert finance.amount_error(-1) and finance.amount_error(finance.MAX_CENTS + 1)
    assert finance.field_error("financial_year", 27) and finance.field_error("title", -1) is None


def test_yes_needs_an_amount_or_an_explanation_and_no_takes_no_details():
    yes = {"financial_impact": "yes"}
    assert [f for f, _m in finance.consistency_problems(yes)] == ["financial_impact"]
    assert finance.consistency_problems({**yes, "financial_amount": 0}) == []
    assert finance.consistency_problems({**yes, "financial_effects": "Aus Budget 2027."}) == []
    no = {"financial_impact": "no"}
    assert finance.consistency_problems(no) == []
    assert finance.consistency_problems({**no, "financial_amount": 0}) == []
    for detail in ({"financial_amount": 100}, {"financial_year": 2027}, {"financial_item": "P"}):
        assert finance.consistency_problems({**no, **detail}), detail
    assert finance.consistency_problems({"financial_amount": 100}) == []  # not stated: a gap
    assert not finance.stated({"financial_amount": 100}) and finance.stated(no)
