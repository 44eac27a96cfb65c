"""The self-test's seconds use the decimal mark of the message language."""

from __future__ import annotations

from chinadialog_desktop.cli.selftest import Seconds
from chinadialog_desktop.i18n import set_language

MESSAGE = "{t:.3f} s"  # as in the self-test's message: a format spec inside a msgid


def test_seconds_with_a_decimal_comma_in_german():
    set_language("de")
    try:
        assert MESSAGE.format(t=Seconds(0.1524)) == "0,152 s"
        assert f"{Seconds(12.5):.1f}" == "12,5"
    finally:
        set_language("de")


def test_seconds_with_a_point_in_english():
    set_language("en")
    try:
        assert MESSAGE.format(t=Seconds(0.1524)) == "0.152 s"
    finally:
        set_language("de")


def test_other_format_specs_are_left_alone():
    set_language("de")
    assert f"{Seconds(1.5)}" == "1.5"
    assert f"{Seconds(1.5):>6}" == "   1.5"
