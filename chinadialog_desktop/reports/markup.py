"""The dossier's small text markup as ReportLab paragraphs (never interpreted as HTML)."""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from xml.sax.saxutils import escape

from reportlab.lib.styles import ParagraphStyle
from reportlab.platypus import Flowable, Paragraph

from chinadialog_desktop.domain.briefing_markup import Block, Run
from chinadialog_desktop.reports.styles import COLORS, FONT_QUOTES, NARROW_FROM_QUOTES_FONT

_NARROW = re.compile(f"[{NARROW_FROM_QUOTES_FONT}]")
_PERCENT = re.compile(r"(?<=\d) (?=%)")  # "25 %": the sign never wraps onto a line of its own


def plain_xml(text: str) -> str:
    """Text made safe for a Paragraph: markup characters escaped, line breaks kept."""
    xml = escape(_PERCENT.sub("\u00a0", text)).replace("\n", "<br/>")
    return _NARROW.sub(lambda m: f'<font name="{FONT_QUOTES}">{m.group(0)}</font>', xml)


def inline_xml(runs: Iterable[Run], sources: set[int] | frozenset[int] = frozenset()) -> str:
    out: list[str] = []
    for run in runs:
        text = plain_xml(run.text)
        if run.cite is not None and run.cite in sources:
            text = f'<a href="#src-{run.cite}" color="{COLORS["accent"]}">{text}</a>'
        if run.italic:
            text = f"<i>{text}</i>"
        if run.bold:
            text = f"<b>{text}</b>"
        out.append(text)
    return "".join(out)


def blocks_to_flowables(
    blocks: Sequence[Block], styles: dict[str, ParagraphStyle], sources: set[int]
) -> list[Flowable]:
    items: list[Flowable] = []
    for block in blocks:
        xml = inline_xml(block.runs, sources)
        if block.kind == "bullet":
            items.append(Paragraph(xml, styles["bullet"], bulletText="•"))
        elif block.kind == "number":
            items.append(Paragraph(xml, styles["bullet"], bulletText=f"{block.number}."))
        else:
            items.append(Paragraph(xml, styles["body"]))
    return items
