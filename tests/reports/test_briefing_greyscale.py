"""Legible without colour: values on the bars, a shape per light, a mark for blockers.

Read back from the real PDF (text), and the chart page rendered in greyscale.
"""

from __future__ import annotations

import re

from helpers.pdf import page_texts
from sqlalchemy import select

from chinadialog_desktop.persistence.models import AssessmentAnswer


def _with_blocker(db) -> None:
    with db.session() as s:
        s.scalars(
            select(AssessmentAnswer).where(AssessmentAnswer.item_key == "partner-03")
        ).one().answer = "listed"


def test_values_shapes_and_blocker_marks_are_in_the_text(db, export):
    _with_blocker(db)
    pages = page_texts(export().data)
    chart = next(p for p in pages if "Risikoanteil je Handlungsfeld" in p)
    # every answered field's share is printed on its bar (the table went to the Anlage)
    for value in ("38", "12", "67"):
        assert re.search(rf"(?<!\d){value}\s%", chart), value
    text = "\n".join(pages)
    # each traffic light has its shape beside its word (in the ratings, now in the Anlage)
    for symbol, word in (("▲", "gelb"), ("■", "rot"), ("○", "nicht bewertet")):
        assert re.search(rf"{symbol}\s{word}", text), word
    assert re.search(r"Treffer\s+bestätigt\s*✖\s*Ausschluss-?\s*kriterium", text)
    assert "✖" in text.split("Ausschlusskriterien (kritisch beantwortet)")[1][:400]


def test_a_percent_sign_never_starts_a_line(export):
    for page in page_texts(export(lang="en").data) + page_texts(export().data):
        assert not any(line.strip().startswith("%") for line in page.splitlines())


def test_red_yellow_and_green_bars_differ_in_greyscale(tmp_path):
    """The chart alone, written to a PDF and rendered in grey: a green bar is one flat
    grey, the yellow and red ones are striped (hatched), so they never look alike."""
    import pypdfium2 as pdfium
    from reportlab.graphics import renderPDF

    from chinadialog_desktop.reports import fonts
    from chinadialog_desktop.reports.charts import Bar, field_chart
    from chinadialog_desktop.reports.styles import CHART

    fonts.register()
    lights = ("green", "yellow", "red")
    bars = [Bar(light, 80.0, light, "1/1", "80\u00a0%") for light in lights]
    width = 400.0
    drawing = field_chart(bars, width, (20, 50), {})
    path = tmp_path / "chart.pdf"
    renderPDF.drawToFile(drawing, str(path))
    scale = 3
    pdf = pdfium.PdfDocument(str(path))
    try:
        image = pdf[0].render(scale=scale).to_pil().convert("L")
    finally:
        pdf.close()
    pixels = image.load()
    x0 = CHART["label_width"] + 14
    scale_w = width - x0 - 40
    stripes = {}
    for i, light in enumerate(lights):
        middle = 6 + (i + 0.5) * (CHART["bar_height"] + CHART["bar_gap"])  # from the top
        y = round(middle * scale)
        row = [pixels[round(x * scale), y] for x in range(int(x0 + 4), int(x0 + scale_w * 0.6))]
        stripes[light] = sum(1 for a, b in zip(row, row[1:], strict=False) if abs(a - b) > 40)
    assert stripes["green"] == 0
    assert stripes["yellow"] > 10 and stripes["red"] > 10
