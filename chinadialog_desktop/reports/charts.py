"""Vector charts for the briefing, drawn with reportlab.graphics."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from reportlab.graphics.shapes import Circle, Drawing, Line, Rect, String
from reportlab.lib.colors import HexColor
from reportlab.pdfbase.pdfmetrics import stringWidth

from chinadialog_desktop.reports.styles import CHART, COLORS, FONT


@dataclass(frozen=True)
class Bar:
    label: str
    percent: float  # 0 … 100
    light: str  # green | yellow | red | grey
    note: str  # e.g. "12/14"


def _fit(text: str, width: float, size: float) -> str:
    if stringWidth(text, FONT, size) <= width:
        return text
    # Three full stops: the font's "…" is a full-width (Chinese) ellipsis.
    while text and stringWidth(text + "...", FONT, size) > width:
        text = text[:-1]
    return text.rstrip() + "..."


def field_chart(bars: Sequence[Bar], width: float, thresholds: tuple[float, float],
                light_names: dict[str, str]) -> Drawing:
    """All fields of action at a glance: a light and a risk-share bar per field."""
    size = CHART["font_size"]
    bar_h = CHART["bar_height"]
    gap = CHART["bar_gap"]
    label_w = CHART["label_width"]
    note_w = 40
    x0 = label_w + 14
    scale_w = width - x0 - note_w
    top_pad = 6
    axis_h = 14
    height = top_pad + len(bars) * (bar_h + gap) + axis_h + 4
    d = Drawing(width, height)
    # The renderer's initial state would otherwise name (unembedded) Helvetica.
    d.initialFontName = FONT
    d.initialFontSize = size
    grid = HexColor(COLORS["grid"])
    text = HexColor(COLORS["text"])
    muted = HexColor(COLORS["muted"])
    base = axis_h + 4
    # scale background, gridlines at 0/25/50/75/100 and the two thresholds
    d.add(Rect(x0, base, scale_w, len(bars) * (bar_h + gap), fillColor=HexColor(COLORS["zebra"]),
               strokeColor=None))
    for pct in (0, 25, 50, 75, 100):
        x = x0 + scale_w * pct / 100
        d.add(Line(x, base, x, height - top_pad + 2, strokeColor=grid, strokeWidth=0.4))
        d.add(String(x, base - 10, f"{pct} %", fontName=FONT, fontSize=size - 0.5,
                     fillColor=muted, textAnchor="middle"))
    for limit, key in zip(thresholds, ("yellow", "red"), strict=True):
        x = x0 + scale_w * limit / 100
        d.add(Line(x, base, x, height - top_pad + 2, strokeColor=HexColor(COLORS[key]),
                   strokeWidth=0.9, strokeDashArray=[2, 2]))
    for i, bar in enumerate(bars):
        y = height - top_pad - (i + 1) * (bar_h + gap) + gap / 2
        colour = HexColor(COLORS.get(bar.light, COLORS["grey"]))
        d.add(String(0, y + bar_h / 2 - size / 2.8, _fit(bar.label, label_w, size),
                     fontName=FONT, fontSize=size, fillColor=text))
        d.add(Circle(label_w + 7, y + bar_h / 2, bar_h / 2.6, fillColor=colour,
                     strokeColor=None))
        w = max(scale_w * min(bar.percent, 100.0) / 100, 0.0)
        if w > 0:
            d.add(Rect(x0, y + 1, w, bar_h - 2, fillColor=colour, strokeColor=None))
        if bar.light == "grey":
            d.add(String(x0 + 3, y + bar_h / 2 - size / 2.8, light_names.get("grey", ""),
                         fontName=FONT, fontSize=size - 0.5, fillColor=muted))
        d.add(String(width, y + bar_h / 2 - size / 2.8, bar.note, fontName=FONT, fontSize=size,
                     fillColor=muted, textAnchor="end"))
    return d
