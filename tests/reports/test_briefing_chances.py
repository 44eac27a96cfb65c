"""Risks and chances side by side in the briefing, read back from the real PDF, and the
chance chart legible without colour (rendered in greyscale)."""

from __future__ import annotations

import re

from helpers.pdf import page_texts
from sqlalchemy import select

from chinadialog_desktop.persistence.models import AssessmentAnswer


def _page_with(pages: list[str], text: str) -> str:
    return next(p for p in pages if text in p)


def test_the_overview_sets_risks_and_chances_side_by_side(export):
    pages = page_texts(export().data)
    overview = _page_with(pages, "Risiken und Chancen im Überblick")
    block = overview.split("Risiken und Chancen im Überblick", 1)[1]
    # one row per measure, the risk column first, the chance column beside it
    assert re.search(r"Ergebnis\s+■\s+rot\s+◆\s+mittel", block), block[:400]
    assert re.search(r"Anteil an den möglichen Punkten\s+25\s%\s+56\s%", block)
    assert re.search(r"Beantwortet\s+16/51\s+6/6", block)
    assert re.search(r"Ausschlusskriterien erfüllt\s+0\s+–", block)
    assert "Chancen gleichen keine Risiken aus" in block


def test_the_chance_fields_have_their_table_and_chart(export):
    text = "\n".join(page_texts(export().data))
    # ANSWERS of tests/helpers/briefing_sample.py: realised 3, potential 1, unknown 0,
    # realised 3, planned 2, potential 1 → 10 of 18 = 56 %, medium
    for field, share, level in (
        ("Chance: Austausch und Begegnung", "100", "hoch"),
        ("Chance: Wirtschaft", "33", "mittel"),
        ("Chance: Klima und Umwelt", "0", "gering"),
        ("Chance: Bildung und Wissenschaft", "67", "hoch"),
    ):
        assert re.search(rf"{field}\s+1/1\s+{share}\s%\s+◆\s+{level}", text), field
    assert re.search(r"Chancen\s+6/6\s+56\s%\s+◆\s+mittel", text)
    assert "mittel ab 30 %, hoch ab 60 %" in text.replace("\u00a0", " ")
    # the risk chart keeps its caption with the recalibrated thresholds
    assert "gelb ab 25 %, rot ab 60 %" in text.replace("\u00a0", " ")


def test_english_briefing_names_both_sides(export):
    text = "\n".join(page_texts(export(lang="en").data))
    assert "Risks and chances at a glance" in text
    assert re.search(r"Result\s+■\s+red\s+◆\s+medium", text)
    assert "Field of opportunity" in text


def test_a_confirmed_listing_is_a_blocker_and_the_chances_stay_beside_it(db, export):
    with db.session() as s:
        s.scalars(
            select(AssessmentAnswer).where(AssessmentAnswer.item_key == "partner-03")
        ).one().answer = "listed"
    block = "\n".join(page_texts(export().data)).split("Risiken und Chancen im Überblick", 1)[1]
    assert re.search(r"Ausschlusskriterien erfüllt\s+1\s+–", block)
    assert re.search(r"Ergebnis\s+■\s+rot\s+◆\s+mittel", block)


def test_not_screening_is_no_longer_a_blocker(db, export):
    """Edition 3: "Nicht abgeglichen" is a risk to resolve, not an exclusion criterion."""
    with db.session() as s:
        s.scalars(
            select(AssessmentAnswer).where(AssessmentAnswer.item_key == "partner-03")
        ).one().answer = "unchecked"
    text = "\n".join(page_texts(export().data))
    assert re.search(r"Ausschlusskriterien erfüllt\s+0\s+–", text)
    assert "Kein Ausschlusskriterium ist erfüllt." in text


def test_chance_levels_differ_in_greyscale(tmp_path):
    """The chance chart alone, rendered in grey: a high bar is darker than a medium one,
    a medium one darker than a low one, and none is striped like a risk bar."""
    import pypdfium2 as pdfium
    from reportlab.graphics import renderPDF

    from chinadialog_desktop.reports import fonts
    from chinadialog_desktop.reports.charts import Bar, chance_chart
    from chinadialog_desktop.reports.styles import CHART

    fonts.register()
    levels = ("high", "medium", "low")
    bars = [Bar(level, 80.0, level, "1/1", "80\u00a0%") for level in levels]
    width = 400.0
    path = tmp_path / "chart.pdf"
    renderPDF.drawToFile(chance_chart(bars, width, (30, 60), {}), str(path))
    scale = 3
    pdf = pdfium.PdfDocument(str(path))
    try:
        image = pdf[0].render(scale=scale).to_pil().convert("L")
    finally:
        pdf.close()
    pixels = image.load()
    x0 = CHART["label_width"] + 14
    scale_w = width - x0 - 40
    grey, stripes = {}, {}
    for i, level in enumerate(levels):
        middle = 6 + (i + 0.5) * (CHART["bar_height"] + CHART["bar_gap"])
        y = round(middle * scale)
        # left of the 30 % threshold line, right of the axis
        row = [pixels[round(x * scale), y] for x in range(int(x0 + 4), int(x0 + scale_w * 0.25))]
        grey[level] = sum(row) / len(row)
        stripes[level] = sum(1 for a, b in zip(row, row[1:], strict=False) if abs(a - b) > 40)
    assert grey["high"] + 40 < grey["medium"] and grey["medium"] + 40 < grey["low"], grey
    assert stripes == {"high": 0, "medium": 0, "low": 0}
