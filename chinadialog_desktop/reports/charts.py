"""Vector charts for the briefing, drawn with reportlab.graphics."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass

from reportlab.graphics.shapes import Circle, Drawing, Line, Polygon, Rect, String
from reportlab.lib.colors import HexColor
from reportlab.pdfbase.pdfmetrics import stringWidth

from chinadialog_desktop.domain.briefing_model import ChanceScore, FieldScore
from chinadialog_desktop.domain.briefing_terms import (
    chance_term,
    format_percent,
    light_term,
    term,
)
from chinadialog_desktop.reports.styles import CHART, COLORS, FONT, LIGHT_PATTERNS


@dataclass(frozen=True)
class Bar:
    label: str
    percent: float  # 0 … 100
    light: str  # green | yellow | red | grey
    note: str  # e.g. "12/14"
    value: str = ""  # the share as printed on the bar, e.g. "42 %" (no break before "%")


def percent_text(value: float, answered: int, lang: str) -> str:
    """A share as the tables and bars print it ("42 %", no break), "–" when nothing is answered."""
    return f"{format_percent(value, lang)}\u00a0%" if answered else "–"


def risk_bars(fields: Sequence[FieldScore], lang: str) -> list[Bar]:
    """The risk chart's bars, one per field of action (the PDF and the Word picture)."""
    return [
        Bar(
            f.title,
            f.risk_percent if f.answered else 0.0,
            f.light,
            f"{f.answered}/{f.applicable}",
            percent_text(f.risk_percent, f.answered, lang) if f.answered else "",
        )
        for f in fields
    ]


def chance_bars(fields: Sequence[ChanceScore], lang: str) -> list[Bar]:
    """The chance chart's bars, one per field of opportunity; ``light`` is the level."""
    return [
        Bar(
            f.title,
            f.chance_percent if f.answered else 0.0,
            f.level,
            f"{f.answered}/{f.applicable}",
            percent_text(f.chance_percent, f.answered, lang) if f.answered else "",
        )
        for f in fields
    ]


def chart_alt(bars: Sequence[Bar], names: dict[str, str], caption: str, lang: str) -> str:
    """The chart in words, for its alternative text (tagged PDF, Word picture):
    caption, then per bar its label, level, share and answered/applicable."""
    values = "; ".join(
        f"{b.label}: {names.get(b.light, b.light)}"
        + (f", {b.value}" if b.value else "")
        + f" ({b.note})"
        for b in bars
    )
    return term("chart_alt", lang, caption=caption, values=values)


def light_names(lang: str) -> dict[str, str]:
    return {k: light_term(k, lang) for k in ("green", "yellow", "red", "grey")}


def chance_names(lang: str) -> dict[str, str]:
    return {k: chance_term(k, lang) for k in ("high", "medium", "low", "none")}


def _fit(text: str, width: float, size: float) -> str:
    if stringWidth(text, FONT, size) <= width:
        return text
    # Three full stops: the font's "…" is a full-width (Chinese) ellipsis.
    while text and stringWidth(text + "...", FONT, size) > width:
        text = text[:-1]
    return text.rstrip() + "..."


def _hatch(d: Drawing, x: float, y: float, w: float, h: float, pattern: str) -> None:
    """Diagonal lines over a bar: "/" for yellow, "x" (both ways) for red."""
    step = 3.2
    ink = HexColor(COLORS["text"]) if pattern == "/" else HexColor("#ffffff")
    directions = (1, -1) if pattern == "x" else (1,)
    for direction in directions:
        c = -h
        while c < w:
            t0, t1 = max(0.0, -c), min(h, w - c)
            if t1 > t0:
                if direction == 1:
                    d.add(
                        Line(
                            x + c + t0, y + t0, x + c + t1, y + t1, strokeColor=ink, strokeWidth=0.6
                        )
                    )
                else:
                    d.add(
                        Line(
                            x + c + t0,
                            y + h - t0,
                            x + c + t1,
                            y + h - t1,
                            strokeColor=ink,
                            strokeWidth=0.6,
                        )
                    )
            c += step


def _marker(d: Drawing, light: str, cx: float, cy: float, r: float, colour: object) -> None:
    """The light's shape: circle (green), triangle (yellow), square (red), ring (grey)."""
    if light == "yellow":
        d.add(
            Polygon(
                [cx - r * 1.15, cy - r * 0.9, cx + r * 1.15, cy - r * 0.9, cx, cy + r * 1.1],
                fillColor=colour,
                strokeColor=None,
            )
        )
    elif light == "red":
        d.add(
            Rect(cx - r * 0.95, cy - r * 0.95, r * 1.9, r * 1.9, fillColor=colour, strokeColor=None)
        )
    elif light == "grey":
        d.add(Circle(cx, cy, r, fillColor=None, strokeColor=colour, strokeWidth=0.9))
    else:
        d.add(Circle(cx, cy, r, fillColor=colour, strokeColor=None))


def _diamond(d: Drawing, light: str, cx: float, cy: float, r: float, colour: object) -> None:
    """The chance side's marker: a diamond, hollow when the field is not rated."""
    points = [cx, cy + r * 1.2, cx + r * 1.1, cy, cx, cy - r * 1.2, cx - r * 1.1, cy]
    if light == "none":
        d.add(Polygon(points, fillColor=None, strokeColor=colour, strokeWidth=0.9))
    else:
        d.add(Polygon(points, fillColor=colour, strokeColor=None))


def chance_chart(
    bars: Sequence[Bar], width: float, thresholds: tuple[float, float], level_names: dict[str, str]
) -> Drawing:
    """All chance fields at a glance: a diamond and a chance-share bar per field.

    ``Bar.light`` is the chance level (high, medium, low, none); the bars are solid
    blues, darker for a higher level, and carry their share printed on them."""
    return field_chart(
        bars,
        width,
        thresholds,
        level_names,
        colour_key="chance_{}",
        threshold_keys=("chance_medium", "chance_high"),
        not_rated="none",
        marker=_diamond,
    )


def field_chart(
    bars: Sequence[Bar],
    width: float,
    thresholds: tuple[float, float],
    light_names: dict[str, str],
    *,
    colour_key: str = "{}",
    threshold_keys: tuple[str, str] = ("yellow", "red"),
    not_rated: str = "grey",
    marker: Callable[[Drawing, str, float, float, float, object], None] | None = None,
) -> Drawing:
    """All fields of action at a glance: a light and a risk-share bar per field."""
    draw_marker = marker or _marker
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
    d.add(
        Rect(
            x0,
            base,
            scale_w,
            len(bars) * (bar_h + gap),
            fillColor=HexColor(COLORS["zebra"]),
            strokeColor=None,
        )
    )
    for pct in (0, 25, 50, 75, 100):
        x = x0 + scale_w * pct / 100
        d.add(Line(x, base, x, height - top_pad + 2, strokeColor=grid, strokeWidth=0.4))
        d.add(
            String(
                x,
                base - 10,
                f"{pct}\u00a0%",
                fontName=FONT,
                fontSize=size - 0.5,
                fillColor=muted,
                textAnchor="middle",
            )
        )
    for limit, key in zip(thresholds, threshold_keys, strict=True):
        x = x0 + scale_w * limit / 100
        d.add(
            Line(
                x,
                base,
                x,
                height - top_pad + 2,
                strokeColor=HexColor(COLORS[key]),
                strokeWidth=0.9,
                strokeDashArray=[2, 2],
            )
        )
    for i, bar in enumerate(bars):
        y = height - top_pad - (i + 1) * (bar_h + gap) + gap / 2
        colour = HexColor(COLORS.get(colour_key.format(bar.light), COLORS["grey"]))
        d.add(
            String(
                0,
                y + bar_h / 2 - size / 2.8,
                _fit(bar.label, label_w, size),
                fontName=FONT,
                fontSize=size,
                fillColor=text,
            )
        )
        draw_marker(d, bar.light, label_w + 7, y + bar_h / 2, bar_h / 2.6, colour)
        w = max(scale_w * min(bar.percent, 100.0) / 100, 0.0)
        if w > 0:
            d.add(Rect(x0, y + 1, w, bar_h - 2, fillColor=colour, strokeColor=None))
            pattern = LIGHT_PATTERNS.get(bar.light, "") if colour_key == "{}" else ""
            if pattern:
                _hatch(d, x0, y + 1, w, bar_h - 2, pattern)
        if bar.value and bar.light != not_rated:
            value_w = stringWidth(bar.value, FONT, size - 0.5)
            inside = x0 + w + 3 + value_w > x0 + scale_w
            d.add(
                Rect(
                    x0 + w - value_w - 4 if inside else x0 + w + 1.5,
                    y + 1.5,
                    value_w + 3,
                    bar_h - 3,
                    fillColor=HexColor("#ffffff"),
                    strokeColor=None,
                )
            )
            d.add(
                String(
                    x0 + w - 2.5 if inside else x0 + w + 3,
                    y + bar_h / 2 - size / 2.8,
                    bar.value,
                    fontName=FONT,
                    fontSize=size - 0.5,
                    fillColor=text,
                    textAnchor="end" if inside else "start",
                )
            )
        if bar.light == not_rated:
            d.add(
                String(
                    x0 + 3,
                    y + bar_h / 2 - size / 2.8,
                    light_names.get(not_rated, ""),
                    fontName=FONT,
                    fontSize=size - 0.5,
                    fillColor=muted,
                )
            )
        d.add(
            String(
                width,
                y + bar_h / 2 - size / 2.8,
                bar.note,
                fontName=FONT,
                fontSize=size,
                fillColor=muted,
                textAnchor="end",
            )
        )
    return d
