"""Soft hyphens for words too wide for a table column: where German words may break."""

from __future__ import annotations

import pytest

from chinadialog_desktop.reports.hyphenate import SHY, breaks, hyphenate_markup, soft_hyphenate


@pytest.mark.parametrize(
    ("word", "shown"),
    [
        ("Informationssicherheitsbeauftragte", "In-for-ma-tions-si-cher-heits-be-auf-tragte"),
        ("Oberbürgermeisters", "Ober-bür-ger-meis-ters"),
        ("Verwaltungsbegleitung", "Ver-wal-tungs-be-glei-tung"),
        ("Partnerschaftsvertrag", "Part-ner-schafts-ver-trag"),
        ("Delegationsbesuch", "De-le-ga-tions-be-such"),
        ("Kostenträger", "Kos-ten-trä-ger"),
        ("Braunschweig", "Braun-schweig"),
        ("Tischler", "Tisch-ler"),
        ("Zucker", "Zu-cker"),
        ("Verein", "Ver-ein"),
        ("Sekretär", "Se-kre-tär"),
        ("Beispiel", "Bei-spiel"),
    ],
)
def test_breaks_fall_between_syllables(word, shown):
    assert soft_hyphenate(word).replace(SHY, "-") == shown


@pytest.mark.parametrize("word", ["Rat", "Amt", "Zhuhai-2", "珠海市", "e-mail", ""])
def test_short_words_and_others_are_left_alone(word):
    assert soft_hyphenate(word) == word or breaks(word) == []


def test_no_piece_is_shorter_than_two_letters_before_or_three_after():
    for word in ("beobachten", "Einflussnahme", "Abenteuer"):
        positions = breaks(word)
        edges = [0, *positions, len(word)]
        assert all(b - a >= 2 for a, b in zip(edges, edges[1:], strict=False))
        assert not positions or len(word) - positions[-1] >= 3


def test_markup_keeps_tags_and_entities_and_touches_only_wide_words():
    xml = '<font color="#c62828">Informationssicherheitsbeauftragte</font> &amp; Rat'
    out = hyphenate_markup(xml, lambda w: len(w) > 10)
    assert out.replace(SHY, "") == xml
    assert out.count(SHY) == len(breaks("Informationssicherheitsbeauftragte"))
    assert hyphenate_markup(xml, lambda w: False) == xml
