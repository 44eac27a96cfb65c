"""The briefing's look as data: page, colours, paragraph and table styles.

Values are plain numbers (points unless the key ends in ``_mm``) and hex
colours, so a layout change is a change of data, not of code.
"""

from __future__ import annotations

from typing import Any

FONT = "CDSans"  # WenQuanYi Micro Hei, registered by reports.fonts
FONT_BOLD = "CDSans-Bold"  # the same face, drawn with a thin outline (no bold cut exists)
FONT_ITALIC = "CDSans-Italic"  # the same face, slanted by the text matrix
FONT_BOLD_ITALIC = "CDSans-BoldItalic"
# The proportional face has full-width (Chinese) curly quotes: "Niedersachsen “" and
# "partner’ s" would gape. The monospaced sibling's quotes are narrow and centred.
FONT_QUOTES = "CDSans-Quotes"
NARROW_FROM_QUOTES_FONT = "“”‘’…"

PAGE: dict[str, Any] = {
    "size": "A4",
    "margin_left_mm": 25,
    "margin_right_mm": 20,
    "margin_top_mm": 24,
    "margin_bottom_mm": 22,
    "toc_from_pages": 5,  # a table of contents once the briefing runs this long
    # A heading starts a new page unless this much room is left below it, so no
    # heading is left alone at the foot of a page (keepWithNext would move a
    # whole long table along with it).
    "room_after_h1": 140,
    "room_after_h2": 110,
    "room_after_h3": 70,
    # A heading above a table that is kept with what follows it needs room for the
    # table: this much per row of one line.
    "room_per_table_row": 17,
}

COLORS: dict[str, str] = {
    "text": "#1a1a1a",
    "muted": "#5c5c5c",
    "accent": "#1f4e79",  # headings, rules
    "rule": "#9aa7b4",
    "grid": "#c4ccd4",
    "header_fill": "#e6ecf2",
    "zebra": "#f5f7f9",
    "marking": "#b00020",
    "notice_fill": "#fff6db",
    "notice_border": "#d9a400",
    "green": "#2e7d32",
    "yellow": "#f2b705",
    "red": "#c62828",
    "grey": "#9e9e9e",
    # cell backgrounds behind a traffic light's name
    "green_tint": "#dcefdc",
    "yellow_tint": "#fdf0c4",
    "red_tint": "#f8d7d7",
    "grey_tint": "#ececec",
    # The chance side: one blue, darker for a higher level, so the levels stay apart in
    # greyscale (the level's word is always printed beside it, too).
    "chance_high": "#1f4e79",
    "chance_medium": "#5b8cc0",
    "chance_low": "#bcd2ea",
    "chance_none": "#9e9e9e",
    "chance_high_tint": "#d3e1ef",
    "chance_medium_tint": "#e3edf7",
    "chance_low_tint": "#f1f6fb",
    "chance_none_tint": "#ececec",
}

# Paragraph styles: ReportLab ParagraphStyle keywords; "parent" inherits.
PARAGRAPHS: dict[str, dict[str, Any]] = {
    "body": {"fontSize": 10, "leading": 14, "spaceAfter": 5, "textColor": "text"},
    "small": {"parent": "body", "fontSize": 8.5, "leading": 11, "spaceAfter": 0},
    "muted": {"parent": "small", "textColor": "muted"},
    "cell": {"parent": "body", "fontSize": 8.5, "leading": 11, "spaceAfter": 0},
    "cell_zh": {"parent": "cell", "wordWrap": "CJK"},
    "cell_head": {"parent": "cell", "fontName": "bold", "textColor": "accent"},
    "bullet": {"parent": "body", "leftIndent": 14, "bulletIndent": 3, "spaceAfter": 3},
    # Letterhead: Stadt on the first line, Dezernat/Amt below, as on a council paper.
    "city": {"parent": "body", "fontName": "bold", "fontSize": 12, "leading": 15, "spaceAfter": 0},
    "department": {"parent": "body", "spaceAfter": 8},
    "doc_kind": {
        "parent": "body",
        "fontSize": 10,
        "textColor": "accent",
        "fontName": "bold",
        "spaceAfter": 2,
    },
    "title": {
        "parent": "body",
        "fontName": "bold",
        "fontSize": 17,
        "leading": 22,
        "spaceBefore": 2,
        "spaceAfter": 10,
        "textColor": "text",
    },
    "h1": {
        "parent": "body",
        "fontName": "bold",
        "fontSize": 13.5,
        "leading": 17,
        "spaceBefore": 16,
        "spaceAfter": 6,
        "textColor": "accent",
    },
    "h2": {
        "parent": "body",
        "fontName": "bold",
        "fontSize": 11.5,
        "leading": 15,
        "spaceBefore": 11,
        "spaceAfter": 4,
        "textColor": "accent",
    },
    "h3": {
        "parent": "body",
        "fontName": "bold",
        "fontSize": 10,
        "leading": 13,
        "spaceBefore": 8,
        "spaceAfter": 3,
        "textColor": "text",
    },
    "caption": {"parent": "muted", "spaceBefore": 2, "spaceAfter": 8},
    "notice": {"parent": "body", "fontSize": 9, "leading": 12, "spaceAfter": 0},
    "resolution": {"parent": "body", "fontSize": 10.5, "leading": 15},
    "toc_title": {"parent": "h1", "spaceBefore": 22},
    "toc1": {
        "parent": "body",
        "fontSize": 10,
        "leading": 15,
        "leftIndent": 0,
        "firstLineIndent": 0,
        "spaceBefore": 5,
        "spaceAfter": 0,
    },
    "toc2": {
        "parent": "body",
        "fontSize": 9,
        "leading": 13,
        "leftIndent": 16,
        "firstLineIndent": 0,
        "textColor": "muted",
        "spaceAfter": 0,
    },
    "source": {
        "parent": "small",
        "leftIndent": 20,
        "firstLineIndent": -20,
        "spaceAfter": 3,
        "fontSize": 9,
        "leading": 12,
    },
}

# Page furniture (running header, footer, marking).
FURNITURE: dict[str, Any] = {
    "font_size": 7.5,
    "marking_size": 9,
    "header_offset_mm": 12,  # baseline of the running header from the top edge
    "footer_offset_mm": 11,  # baseline of the footer from the bottom edge
    "marking_offset_mm": 6,  # baseline of the marking from the top/bottom edge
}

CELL_SIZE = 8.5  # font size of table cells

TABLE: dict[str, Any] = {
    "padding": 3,
    "grid_width": 0.4,
    "head_rule_width": 0.9,
    "zebra": True,
}

CHART: dict[str, Any] = {
    "bar_height": 11,
    "bar_gap": 5,
    "label_width": 150,
    "height_extra": 30,
    "font_size": 7.5,
}

# Each traffic light also has a shape (table symbol and chart marker) and a bar
# pattern, so the briefing reads the same printed in black and white.
LIGHT_SYMBOLS = {"green": "●", "yellow": "▲", "red": "■", "grey": "○"}
# A chance level is never drawn like a traffic light: a diamond, hollow when not rated.
CHANCE_SYMBOLS = {"high": "◆", "medium": "◆", "low": "◆", "none": "◇"}
LIGHT_PATTERNS = {"green": "", "yellow": "/", "red": "x", "grey": ""}
BLOCKER_SYMBOL = "✖"

# Relative column widths of a register table: dates and vocabularies narrow, titles wide.
_REGISTER_WEIGHTS = {
    **dict.fromkeys(("date", "start_date", "last_met", "decided_on", "reported_on"), 1.25),
    **dict.fromkeys(("direction", "kind", "value_cents"), 1.15),
    "place": 1.3,
    **dict.fromkeys(("title", "name", "measures", "partnership"), 2.0),
}


def register_widths(names: list[str]) -> list[float]:
    """Shares of the text width for a register table's columns (field names)."""
    weights = [_REGISTER_WEIGHTS.get(n, 1.6) for n in names]
    total = sum(weights) or 1.0
    return [w / total for w in weights]
