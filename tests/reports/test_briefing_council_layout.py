"""The Vorlage as councils lay it out (part of issue 12, point 6), read back from the PDF:
financial effects before the Sachverhalt, a signature line, and the ratings in detail
as an Anlage of their own instead of pages of the body."""

from __future__ import annotations

from helpers.briefing_sample import ANSWERS
from helpers.pdf import flat, page_texts, reader


def _outline(items):
    for item in items:
        if isinstance(item, list):
            yield from _outline(item)
        else:
            yield item


def test_financial_effects_come_before_the_facts_and_the_paper_is_signed(export):
    text = flat("\n".join(page_texts(export().data)))
    body = text.split("Inhalt", 1)[1]
    assert body.index("Finanzielle Auswirkungen Keine unmittelbaren") < body.index(
        "Sachverhalt 2.1"
    )
    # the signature block: the responsible office, "Unterschrift" under the line,
    # after the evaluation and before the sources
    signed = body.index("Leitung Referat für Internationales (Beispiel) Unterschrift")
    assert body.rindex("Empfehlung") < signed < body.rindex("7 Quellen")


def test_the_ratings_in_detail_are_an_anlage(export):
    data = export().data
    pages = page_texts(data)
    pdf = reader(data)
    annex = next(o for o in _outline(pdf.outline) if o.title.startswith("Anlage 1"))
    assert annex.title == (
        "Anlage 1: Bewertungen im Einzelnen: Leitplanken-Prüfung Braunschweig–Zhuhai 2026"
    )
    start = pdf.get_destination_page_number(annex)
    body = flat("\n".join(pages[:start]))
    assert "Die Bewertungen jeder Frage mit Nachweis stehen in Anlage 1." in body
    assert ANSWERS["purpose-01"][1] not in body  # evidence: only in the Anlage
    annex_text = flat("\n".join(pages[start:]))
    assert annex_text.startswith("Anlage 1: Bewertungen im Einzelnen")  # on its own page
    assert ANSWERS["purpose-01"][1] in annex_text
    listing = body.split("7 Anlagen")[-1]
    assert "1. Bewertungen im Einzelnen: Leitplanken-Prüfung" in listing
    assert "2. Stellungnahme_23-20838-01.pdf" in listing
