"""Lay out a ``Briefing`` as a Word document (.docx) with python-docx.

The same content, in the same order and with the same variants as the PDF
(``story.Story``): the writer gets the finished, already filtered content
model and adds nothing to it. Word specifics:

* chapters are the built-in styles Heading 1–3 ("Überschrift 1–3" in a German
  Word), so the navigation pane and screen readers see the structure; the
  paper's title is the built-in "Title";
* tables repeat their header row on every page (``w:tblHeader``);
* "Seite X von Y" is made of PAGE and NUMPAGES fields in the footer;
* the classification marking stands in every header and footer;
* runs with Chinese characters declare an East-Asian font (``w:eastAsia``);
* the chart is a PNG picture with alternative text.

A municipality's own template (.docx or .dotx: letterhead, styles) can be
given: its content stays at the top, the briefing follows it, its styles are
used, and only the styles it lacks are added. The body is written as
WordprocessingML text (python-docx's object model is slow for long tables)
and parsed once; python-docx does the package, headers, pictures and
properties. With SOURCE_DATE_EPOCH set the file is byte-identical for the
same content and template.
"""

from __future__ import annotations

import io
import re
import zipfile
from collections.abc import Callable
from datetime import datetime
from pathlib import Path
from typing import Any
from xml.sax.saxutils import escape

from docx import Document
from docx.document import Document as DocxDocument
from docx.opc.constants import RELATIONSHIP_TYPE as RT
from docx.opc.oxml import serialize_part_xml
from docx.oxml import parse_xml
from docx.oxml.ns import nsdecls, qn
from docx.shared import Emu

from chinadialog_desktop.domain.briefing_markup import Block, parse_markup
from chinadialog_desktop.domain.briefing_model import (
    AssessmentSummary,
    Briefing,
    PartnershipFacts,
    Rating,
)
from chinadialog_desktop.domain.briefing_terms import (
    chance_term,
    light_term,
    term,
)
from chinadialog_desktop.domain.scoring import (
    CHANCE_HIGH_FROM_PERCENT,
    CHANCE_MEDIUM_FROM_PERCENT,
    RED_FROM_PERCENT,
    YELLOW_FROM_PERCENT,
)
from chinadialog_desktop.reports.errors import BuildCancelled
from chinadialog_desktop.reports.styles import (
    BLOCKER_SYMBOL,
    CHANCE_SYMBOLS,
    COLORS,
    FURNITURE,
    LIGHT_SYMBOLS,
    PAGE,
    register_widths,
)

Progress = Callable[[int, int, str], None]
Cancel = Callable[[], bool]

# Fonts a Word document names. Latin text: Arial, on every office PC. Chinese text:
# Microsoft YaHei (part of Windows since Vista), declared on every run with Chinese
# characters and in the defaults; the font table gives its character set (GB2312), by
# which Word picks a substitute where it is missing. LibreOffice falls back to any
# installed CJK face. The bundled WenQuanYi is not named: no office PC has it.
LATIN_FONT = "Arial"
EAST_ASIAN_FONT = "Microsoft YaHei"
EAST_ASIAN_ALT = "微软雅黑"
EAST_ASIAN_LANG = "zh-CN"
LANGS = {"de": "de-DE", "en": "en-GB"}

TWIPS_PER_MM = 1440 / 25.4
EMU_PER_TWIP = 635
CHART_DPI = 180

_BAD_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")
_CJK = re.compile(
    "[\u2e80-\u9fff\ua960-\ua97f\uac00-\ud7ff\uf900-\ufaff\ufe30-\ufe4f\uff00-\uffef]"
)
_PERCENT = re.compile(r"(?<=\d) (?=%)")  # "25 %": the sign never wraps onto a line of its own
_FIELD = re.compile(r"\{(page|pages)\}")


def _hex(key: str) -> str:
    return COLORS.get(key, key).lstrip("#").upper()


def _esc(text: str) -> str:
    return escape(_BAD_XML.sub("", text))


def _attr(text: str) -> str:
    """Text for an attribute value in double quotes."""
    return escape(_BAD_XML.sub("", text), {'"': "&quot;"})


# --------------------------------------------------------------------------- styles


def _rpr(size: float | None = None, color: str | None = None, bold: bool = False) -> str:
    out = "<w:b/><w:bCs/>" if bold else ""
    if color:
        out += f'<w:color w:val="{_hex(color)}"/>'
    if size:
        half = round(size * 2)
        out += f'<w:sz w:val="{half}"/><w:szCs w:val="{half}"/>'
    return f"<w:rPr>{out}</w:rPr>" if out else ""


def _ppr(
    before: float = 0,
    after: float = 0,
    line: float | None = None,
    keep_next: bool = False,
    outline: int | None = None,
    indent: tuple[float, float] | None = None,
) -> str:
    out = "<w:keepNext/><w:keepLines/>" if keep_next else ""
    spacing = f'w:before="{round(before * 20)}" w:after="{round(after * 20)}"'
    if line:
        spacing += f' w:line="{round(line * 20)}" w:lineRule="atLeast"'
    out += f"<w:spacing {spacing}/>"
    if indent:
        left, hanging = indent
        out += f'<w:ind w:left="{round(left * 20)}" w:hanging="{round(hanging * 20)}"/>'
    if outline is not None:
        out += f'<w:outlineLvl w:val="{outline}"/>'
    return f"<w:pPr>{out}</w:pPr>"


# The ids and names of Word's built-in styles are language-neutral ("Heading1",
# "heading 1"); a German Word shows them as "Überschrift 1".
BUILT_IN: dict[str, tuple[str, str]] = {
    # style id: (name Word knows, pPr + rPr when this writer defines it)
    "Normal": ("Normal", _ppr(after=5, line=13) + _rpr(10, "text")),
    "Title": ("Title", _ppr(before=2, after=10, keep_next=True) + _rpr(17, "text", bold=True)),
    "Heading1": (
        "heading 1",
        _ppr(before=16, after=6, keep_next=True, outline=0) + _rpr(13.5, "accent", bold=True),
    ),
    "Heading2": (
        "heading 2",
        _ppr(before=11, after=4, keep_next=True, outline=1) + _rpr(11.5, "accent", bold=True),
    ),
    "Heading3": (
        "heading 3",
        _ppr(before=8, after=3, keep_next=True, outline=2) + _rpr(10, "text", bold=True),
    ),
    "Caption": ("caption", _ppr(before=2, after=8) + _rpr(8.5, "muted")),
}
OWN: dict[str, tuple[str, str]] = {
    # style id: (name, pPr + rPr); a template may define them to restyle the briefing
    "CDLetterhead": ("ChinaDialog Letterhead", _ppr() + _rpr(12, "text", bold=True)),
    "CDDepartment": ("ChinaDialog Department", _ppr(after=8)),
    "CDDocumentKind": ("ChinaDialog Document Kind", _ppr(after=2) + _rpr(10, "accent", True)),
    "CDSubheading": (
        "ChinaDialog Subheading",
        _ppr(before=8, after=3, keep_next=True) + _rpr(10, "text", bold=True),
    ),
    "CDMuted": ("ChinaDialog Muted", _ppr(after=3) + _rpr(8.5, "muted")),
    "CDTableText": ("ChinaDialog Table Text", _ppr(line=11) + _rpr(8.5)),
    "CDTableHeading": (
        "ChinaDialog Table Heading",
        _ppr(line=11, keep_next=True) + _rpr(8.5, "accent", bold=True),
    ),
    "CDList": ("ChinaDialog List", _ppr(after=3, indent=(14, 11))),
    "CDNotice": ("ChinaDialog Notice", _ppr(before=8, after=4) + _rpr(9)),
    "CDSource": ("ChinaDialog Source", _ppr(after=3, indent=(20, 20)) + _rpr(9)),
    "CDHeader": ("ChinaDialog Running Head", _ppr() + _rpr(FURNITURE["font_size"], "muted")),
    "CDMarking": (
        "ChinaDialog Marking",
        _ppr() + _rpr(FURNITURE["marking_size"] + 1, "marking", bold=True),
    ),
}


def _ensure_styles(doc: DocxDocument, own_template: bool, lang: str) -> None:
    """Add the styles the document lacks; without a template, set the house style."""
    styles = doc.styles.element
    present = {s.get(qn("w:styleId")): s for s in styles.findall(qn("w:style"))}
    defaults = styles.find(qn("w:docDefaults"))
    if defaults is None:
        defaults = parse_xml(f"<w:docDefaults {nsdecls('w')}/>")
        styles.insert(0, defaults)
    rpr_default = defaults.find(qn("w:rPrDefault"))
    if rpr_default is None:
        rpr_default = parse_xml(f"<w:rPrDefault {nsdecls('w')}><w:rPr/></w:rPrDefault>")
        defaults.insert(0, rpr_default)
    rpr = rpr_default.find(qn("w:rPr"))
    if rpr is None:
        rpr = parse_xml(f"<w:rPr {nsdecls('w')}/>")
        rpr_default.append(rpr)
    fonts = rpr.find(qn("w:rFonts"))
    if fonts is None:
        fonts = parse_xml(f"<w:rFonts {nsdecls('w')}/>")
        rpr.insert(0, fonts)
    if not own_template:
        for key in ("asciiTheme", "hAnsiTheme", "eastAsiaTheme", "cstheme"):
            fonts.attrib.pop(qn(f"w:{key}"), None)
        for key in ("ascii", "hAnsi", "cs"):
            fonts.set(qn(f"w:{key}"), LATIN_FONT)
    if not own_template or (
        fonts.get(qn("w:eastAsia")) is None and fonts.get(qn("w:eastAsiaTheme")) is None
    ):
        fonts.attrib.pop(qn("w:eastAsiaTheme"), None)
        fonts.set(qn("w:eastAsia"), EAST_ASIAN_FONT)
    language = rpr.find(qn("w:lang"))
    if language is None:
        language = parse_xml(f"<w:lang {nsdecls('w')}/>")
        rpr.append(language)
    language.set(qn("w:val"), LANGS.get(lang, "de-DE"))
    language.set(qn("w:eastAsia"), EAST_ASIAN_LANG)
    for sid, (name, props) in BUILT_IN.items():
        if sid in present and own_template:
            continue
        if sid in present:  # the bare default template: its look replaced by the house style
            styles.remove(present[sid])
        based = "" if sid == "Normal" else '<w:basedOn w:val="Normal"/>'
        default = ' w:default="1"' if sid == "Normal" else ""
        following = '<w:next w:val="Normal"/>' if sid != "Normal" else ""
        styles.append(
            parse_xml(
                f'<w:style {nsdecls("w")} w:type="paragraph"{default} w:styleId="{sid}">'
                f'<w:name w:val="{name}"/>{based}{following}<w:qFormat/>{props}</w:style>'
            )
        )
    for sid, (name, props) in OWN.items():
        if sid not in present:
            styles.append(
                parse_xml(
                    f'<w:style {nsdecls("w")} w:type="paragraph" w:customStyle="1" '
                    f'w:styleId="{sid}"><w:name w:val="{name}"/>'
                    f'<w:basedOn w:val="Normal"/>{props}</w:style>'
                )
            )


def _declare_east_asian_font(doc: DocxDocument) -> None:
    """Name the Chinese face in the font table (charset GB2312), so Word can substitute it."""
    part = doc.part
    for rel in part.rels.values():
        if rel.reltype == RT.FONT_TABLE and not rel.is_external:
            table = parse_xml(rel.target_part.blob)
            if any(f.get(qn("w:name")) == EAST_ASIAN_FONT for f in table.findall(qn("w:font"))):
                return
            table.append(
                parse_xml(
                    f'<w:font {nsdecls("w")} w:name="{EAST_ASIAN_FONT}">'
                    f'<w:altName w:val="{EAST_ASIAN_ALT}"/>'
                    '<w:panose1 w:val="020B0503020204020204"/><w:charset w:val="86"/>'
                    '<w:family w:val="swiss"/><w:pitch w:val="variable"/></w:font>'
                )
            )
            rel.target_part._blob = serialize_part_xml(table)  # noqa: SLF001  (a plain XML part)
            return


# --------------------------------------------------------------------------- runs


def run(
    text: str,
    bold: bool = False,
    italic: bool = False,
    color: str | None = None,
    size: float | None = None,
) -> str:
    """One run of text; line breaks kept, Chinese characters with the East-Asian font."""
    if not text:
        return ""
    props = ""
    if _CJK.search(text):
        props += f'<w:rFonts w:eastAsia="{EAST_ASIAN_FONT}" w:hint="eastAsia"/>'
    if bold:
        props += "<w:b/><w:bCs/>"
    if italic:
        props += "<w:i/><w:iCs/>"
    if color:
        props += f'<w:color w:val="{_hex(color)}"/>'
    if size:
        props += f'<w:sz w:val="{round(size * 2)}"/><w:szCs w:val="{round(size * 2)}"/>'
    rpr = f"<w:rPr>{props}</w:rPr>" if props else ""
    text = _PERCENT.sub("\u00a0", text)
    body = "<w:br/>".join(
        "<w:tab/>".join(
            f'<w:t xml:space="preserve">{_esc(piece)}</w:t>' if piece else ""
            for piece in line.split("\t")
        )
        for line in text.split("\n")
    )
    return f"<w:r>{rpr}{body}</w:r>"


def para(
    runs: str,
    style: str | None = None,
    keep_next: bool = False,
    page_break: bool = False,
    extra_ppr: str = "",
) -> str:
    ppr = f'<w:pStyle w:val="{style}"/>' if style else ""
    if keep_next:
        ppr += "<w:keepNext/>"
    if page_break:
        ppr += "<w:pageBreakBefore/>"
    ppr += extra_ppr
    return f"<w:p>{f'<w:pPr>{ppr}</w:pPr>' if ppr else ''}{runs}</w:p>"


def _fields(template: str, size: float | None = None, color: str | None = None) -> str:
    """``"Seite {page} von {pages}"`` as runs with PAGE and NUMPAGES fields."""
    out = []
    pos = 0
    for m in _FIELD.finditer(template):
        out.append(run(template[pos : m.start()], size=size, color=color))
        code = "PAGE" if m.group(1) == "page" else "NUMPAGES"
        rpr = run("x", size=size, color=color)
        props = rpr[len("<w:r>") : rpr.index("<w:t")]
        out.append(
            f'<w:r>{props}<w:fldChar w:fldCharType="begin"/></w:r>'
            f'<w:r>{props}<w:instrText xml:space="preserve"> {code} </w:instrText></w:r>'
            f'<w:r>{props}<w:fldChar w:fldCharType="separate"/></w:r>'
            f"<w:r>{props}<w:t>1</w:t></w:r>"
            f'<w:r>{props}<w:fldChar w:fldCharType="end"/></w:r>'
        )
        pos = m.end()
    out.append(run(template[pos:], size=size, color=color))
    return "".join(out)


# --------------------------------------------------------------------------- document


class WordStory:
    """The briefing as WordprocessingML, part by part in the order of ``story.Story``."""

    def __init__(self, doc: DocxDocument, briefing: Briefing, text_width: int) -> None:
        self.doc = doc
        self.b = briefing
        self.lang = briefing.lang
        self.width = text_width  # twips
        self.body = doc.element.body
        self.sect = self.body.find(qn("w:sectPr"))
        self.chunks: list[str] = []
        self._chapter = 0
        self._sub = 0
        # Bookmark and drawing ids must not repeat ids a template already uses.
        self._bookmark = _max_id(doc, qn("w:id"))
        self._shape_id = _max_id(doc, "id")
        self.sources = {s.number for s in briefing.sources}
        self.rating_annexes = [a for a in briefing.assessments if a.ratings]
        self.picture_count = 0

    # -- output
    def flush(self) -> None:
        if not self.chunks:
            return
        holder = parse_xml(f"<w:body {nsdecls('w', 'r')}>{''.join(self.chunks)}</w:body>")
        self.chunks = []
        for child in list(holder):
            if self.sect is not None:
                self.sect.addprevious(child)
            else:
                self.body.append(child)

    def add(self, xml: str) -> None:
        self.chunks.append(xml)

    # -- helpers
    def t(self, key: str, **values: object) -> str:
        return term(key, self.lang, **values)

    def h1(self, text: str) -> None:
        self._chapter += 1
        self._sub = 0
        self.add(para(run(f"{self._chapter}\u2002{text}"), "Heading1"))

    def annex_heading(self, text: str) -> None:
        self._sub = 0
        self.add(para(run(text), "Heading1", page_break=True))

    def h2(self, text: str) -> None:
        self._sub += 1
        self.add(para(run(f"{self._chapter}.{self._sub}\u2002{text}"), "Heading2"))

    def h3(self, text: str) -> None:
        self.add(para(run(text), "Heading3"))

    def p(self, text: str, style: str | None = None) -> None:
        self.add(para(run(text), style))

    def cell(self, runs: str, style: str = "CDTableText") -> str:
        return para(runs, style)

    def text_cell(self, text: str) -> str:
        return para(run(text), "CDTableText")

    def head_cell(self, key: str) -> str:
        return para(run(self.t(key)), "CDTableHeading")

    def inline(self, block: Block) -> str:
        out = []
        for r in block.runs:
            xml = run(r.text, bold=r.bold, italic=r.italic)
            if r.cite is not None and r.cite in self.sources:
                xml = run(r.text, bold=r.bold, italic=r.italic, color="accent")
                xml = f'<w:hyperlink w:anchor="src_{r.cite}" w:history="1">{xml}</w:hyperlink>'
            out.append(xml)
        return "".join(out)

    def markup(self, body: str) -> None:
        for block in parse_markup(body):
            if block.kind == "bullet":
                self.add(para(run("•\t") + self.inline(block), "CDList"))
            elif block.kind == "number":
                self.add(para(run(f"{block.number}.\t") + self.inline(block), "CDList"))
            else:
                self.add(para(self.inline(block)))

    def bullet(self, runs: str, symbol: str = "•", symbol_color: str | None = None) -> None:
        self.add(para(run(symbol, color=symbol_color) + run("\t") + runs, "CDList"))

    def table(
        self,
        rows: list[list[str]],
        widths: list[float],
        head: bool = True,
        fills: dict[tuple[int, int], str] | None = None,
        left_marks: set[int] | None = None,
        rule_above: int | None = None,
        frame: bool = False,
        caption: str = "",
    ) -> None:
        """Rows of cells (paragraph XML); the first row repeats on every page when ``head``.

        ``caption`` names the table for screen readers (Word's table alt text).
        """
        fills = fills or {}
        left_marks = left_marks or set()
        grid = [round(w * self.width) for w in widths]
        grid[-1] = self.width - sum(grid[:-1])
        grid_colour, accent, red = _hex("grid"), _hex("accent"), _hex("red")
        frame_rule = f'w:val="single" w:sz="10" w:space="0" w:color="{accent}"'
        borders = (
            (f"<w:top {frame_rule}/>" if frame else "")
            + f'<w:bottom w:val="single" w:sz="{10 if frame else 3}" w:space="0" '
            f'w:color="{accent if frame else grid_colour}"/>'
            f'<w:insideH w:val="single" w:sz="3" w:space="0" w:color="{grid_colour}"/>'
        )
        out = [
            "<w:tbl><w:tblPr>"
            f'<w:tblW w:w="{self.width}" w:type="dxa"/>'
            f"<w:tblBorders>{borders}</w:tblBorders>"
            '<w:tblLayout w:type="fixed"/>'
            '<w:tblCellMar><w:top w:w="50" w:type="dxa"/><w:left w:w="60" w:type="dxa"/>'
            '<w:bottom w:w="70" w:type="dxa"/><w:right w:w="60" w:type="dxa"/></w:tblCellMar>'
            f'<w:tblLook w:val="{"04A0" if head else "0000"}" w:firstRow="{int(head)}" '
            'w:lastRow="0" w:firstColumn="0" w:lastColumn="0" w:noHBand="1" w:noVBand="1"/>'
            + (f'<w:tblCaption w:val="{_attr(caption)}"/>' if caption else "")
            + "</w:tblPr><w:tblGrid>"
            + "".join(f'<w:gridCol w:w="{w}"/>' for w in grid)
            + "</w:tblGrid>"
        ]
        zebra = head and len(rows) > 3
        for i, row in enumerate(rows):
            is_head = head and i == 0
            trpr = "<w:cantSplit/><w:tblHeader/>" if is_head else "<w:cantSplit/>"
            cells = []
            for j, content in enumerate(row):
                borders_xml = ""
                if rule_above is not None and i == rule_above:
                    borders_xml += (
                        f'<w:top w:val="single" w:sz="7" w:space="0" w:color="{accent}"/>'
                    )
                if j == 0 and i in left_marks:  # a finding: a red line before the row
                    borders_xml += f'<w:left w:val="single" w:sz="20" w:space="0" w:color="{red}"/>'
                if is_head:
                    borders_xml += (
                        f'<w:bottom w:val="single" w:sz="7" w:space="0" w:color="{accent}"/>'
                    )
                fill = (
                    _hex("header_fill")
                    if is_head
                    else fills.get((i, j)) or (_hex("zebra") if zebra and i % 2 == 0 else None)
                )
                tcpr = f'<w:tcW w:w="{grid[j]}" w:type="dxa"/>'
                if borders_xml:
                    tcpr += f"<w:tcBorders>{borders_xml}</w:tcBorders>"
                if fill:
                    tcpr += f'<w:shd w:val="clear" w:color="auto" w:fill="{fill}"/>'
                cells.append(f"<w:tc><w:tcPr>{tcpr}</w:tcPr>{content or para('')}</w:tc>")
            out.append(f"<w:tr><w:trPr>{trpr}</w:trPr>{''.join(cells)}</w:tr>")
        out.append("</w:tbl>")
        self.add("".join(out))
        # Two tables in a row would melt into one: a small paragraph keeps them apart.
        self.add(
            para(
                "",
                extra_ppr='<w:spacing w:before="0" w:after="60" w:line="120" w:lineRule="exact"/>',
            )
        )

    def light(self, light: str) -> str:
        symbol = LIGHT_SYMBOLS.get(light, LIGHT_SYMBOLS["grey"])
        return run(symbol, color=light if light in COLORS else "grey") + run(
            "\u00a0" + light_term(light, self.lang)
        )

    def cites(self, numbers: list[int]) -> str:
        out = []
        for n in numbers:
            if n in self.sources:
                out.append(
                    f'<w:hyperlink w:anchor="src_{n}" w:history="1">'
                    f"{run(f'[{n}]', color='accent')}</w:hyperlink>"
                )
            else:
                out.append(run(f"[{n}]"))
        return "".join(out)

    def notice(self, text: str) -> None:
        ppr = (
            f'<w:pBdr><w:left w:val="single" w:sz="20" w:space="6" '
            f'w:color="{_hex("notice_border")}"/></w:pBdr>'
            f'<w:shd w:val="clear" w:color="auto" w:fill="{_hex("notice_fill")}"/>'
        )
        self.add(para(run(text), "CDNotice", extra_ppr=ppr))

    # -- parts (the order and content of story.Story)
    def header(self) -> None:
        h = self.b.header
        na = self.t("not_given")
        if h.city:
            self.p(h.city, "CDLetterhead")
        if h.department:
            self.p(h.department, "CDDepartment")
        self.p(h.kind_label, "CDDocumentKind")

        def kv(key: str, value: str) -> list[str]:
            return [
                para(run(self.t(key)), "CDTableHeading"),
                self.text_cell(value or na),
            ]

        rows = [
            kv("file_number", h.file_number) + kv("date", h.date),
            kv("lead_office", h.lead_office) + kv("publicity", h.publicity),
            kv("responsible", h.responsible or h.author) + kv("document_kind", h.kind_label),
        ]
        if h.editor:
            rows.append(kv("editor", h.editor) + ["", ""])
        self.table(rows, [0.2, 0.35, 0.17, 0.28], head=False, frame=True, caption=h.kind_label)
        self.add(para(run(h.title), "Title"))
        if h.deliberations:
            self.p(self.t("deliberations"), "CDSubheading")
            has_status = any(d.status for d in h.deliberations)
            heads = ["body", "meeting_on", "role", "session"] + (["status"] if has_status else [])
            rows = [[self.head_cell(k) for k in heads]]
            for d in h.deliberations:
                row = [
                    self.text_cell(d.body),
                    self.text_cell(d.meeting_on or na),
                    self.text_cell(d.role),
                    self.text_cell(d.publicity),
                ]
                if has_status:
                    row.append(self.text_cell(d.status))
                rows.append(row)
            widths = [0.34, 0.13, 0.19, 0.18, 0.16] if has_status else [0.42, 0.15, 0.22, 0.21]
            self.table(rows, widths, caption=self.t("deliberations"))
        if self.b.public:
            count = self.b.omitted_internal
            text = self.t("public_version", count=count) if count else self.t("public_version_none")
            if self.b.names_replaced:
                text += " " + self.t("public_names")
            self.notice(text)

    def resolution(self) -> None:
        if self.b.header.kind != "decision":
            return
        self.h1(self.t("resolution"))
        start = len(self.chunks)
        if self.b.resolution:
            self.markup(self.b.resolution)
        else:
            self.p(self.t("no_resolution"), "CDMuted")
        # One framed box: paragraphs with the same borders are drawn as one frame.
        box = (
            "<w:pBdr>"
            + "".join(
                f'<w:{side} w:val="single" w:sz="6" w:space="6" w:color="{_hex("accent")}"/>'
                for side in ("top", "left", "bottom", "right")
            )
            + "</w:pBdr>"
        )
        for i in range(start, len(self.chunks)):
            self.chunks[i] = _with_ppr(self.chunks[i], box)

    def changes(self) -> None:
        if self.b.changes is None:
            return
        self.h1(self.t("changes"))
        since = self.b.changes_since
        if since is None:
            self.p(self.b.changes_note or self.t("changes_first"))
            return
        if not self.b.changes:
            self.p(self.t("changes_none", date=since))
            return
        self.p(self.t("changes_intro", date=since))
        for line in self.b.changes:
            self.bullet(run(line))

    def facts(self) -> None:
        order = ("summary", "background")
        texts = [s for s in self.b.sections if s.key in order]
        others = [
            s
            for s in self.b.sections
            if s.key not in order + ("opportunities", "risks", "recommendation")
        ]
        if not (texts or others or self.b.partnerships):
            return
        self.h1(self.t("facts"))
        for s in texts + others:
            self.h2(s.title)
            self.markup(s.body)
        for p in self.b.partnerships:
            self.partnership(p)

    def partnership(self, p: PartnershipFacts) -> None:
        self.h2(p.title)
        facts = [("type", p.type), ("status", p.status), ("since", p.since)]
        if p.until:
            facts.append(("until", p.until))
        if p.fields:
            facts.append(("fields", ", ".join(p.fields)))
        labelled = [(self.t(k), v) for k, v in facts] + list(p.more)
        rows = [
            [para(run(k), "CDTableHeading"), self.text_cell(v or self.t("not_given"))]
            for k, v in labelled
        ]
        self.table(rows, [0.26, 0.74], head=False, rule_above=0, caption=p.title)
        if p.description:
            self.markup(p.description)
        if p.parties:
            self.h3(self.t("parties"))
            heads = ["side", "name", "name_zh", "pinyin", "kind"]
            rows = [[self.head_cell(k) for k in heads]]
            for party in p.parties:
                rows.append(
                    [
                        self.text_cell(party.side),
                        self.text_cell(party.name),
                        self.text_cell(party.name_zh),
                        self.text_cell(party.pinyin),
                        self.text_cell(", ".join(x for x in (party.kind, party.region) if x)),
                    ]
                )
            self.table(rows, [0.12, 0.27, 0.17, 0.22, 0.22], caption=self.t("parties"))
        self.h3(self.t("timeline"))
        if not p.activities:
            self.p(self.t("no_activities"), "CDMuted")
            return
        rows = [[self.head_cell(k) for k in ("date", "kind", "activity")]]
        for a in p.activities:
            detail = run(a.title, bold=True)
            extra = " · ".join(x for x in (a.location, a.outcome) if x)
            if extra:
                detail += run("\n" + extra, color="muted")
            rows.append([self.text_cell(a.date), self.text_cell(a.kind), self.cell(detail)])
        self.table(rows, [0.15, 0.19, 0.66], caption=f"{self.t('timeline')}: {p.title}")

    def assessment_chapter(self) -> None:
        self.h1(self.t("assessment"))
        if not self.b.assessments:
            self.p(self.t("no_assessment"))
            return
        for a in self.b.assessments:
            self.assessment(a)

    def assessment(self, a: AssessmentSummary) -> None:
        self.h2(a.title)
        reviewed = ", ".join(x for x in (a.reviewed_by, a.reviewed_on) if x) or self.t(
            "not_reviewed"
        )
        self.p(
            f"{self.t('checklist')}: {a.checklist} ({self.t('version')} {a.checklist_version}) · "
            f"{self.t('reviewed')}: {reviewed} · {self.t('as_of')}: {self.b.header.as_of}",
            "CDMuted",
        )
        if a.chances is not None:
            self.both_sides(a)
            self.h3(self.t("risks"))
        heads = ["field", "answered", "risk", "light"]
        rows = [[self.head_cell(k) for k in heads]]
        fills: dict[tuple[int, int], str] = {}
        scores = [*a.fields, a.overall]
        for i, f in enumerate(scores, start=1):
            rows.append(
                [
                    self.cell(run(f.title, bold=f is a.overall)),
                    self.text_cell(f"{f.answered}/{f.applicable}"),
                    self.text_cell(self.percent(f.risk_percent, f.answered)),
                    self.cell(self.light(f.light)),
                ]
            )
            fills[(i, 3)] = _hex(f"{f.light}_tint") if f"{f.light}_tint" in COLORS else ""
        self.table(
            rows, [0.55, 0.14, 0.13, 0.18], fills=fills, rule_above=len(scores), caption=a.title
        )
        if a.fields:
            self.chart(a)
        if a.chances is not None:
            self.chance_fields(a)
        self.h3(self.t("blockers"))
        if a.blockers:
            for r in a.blockers:
                self.bullet(
                    run(f"{r.question} – {self.t('answer')}: ") + run(r.answer_label, bold=True),
                    BLOCKER_SYMBOL,
                    "red",
                )
        else:
            self.p(self.t("no_blockers"))
        self.h3(self.t("open_items"))
        if a.open_items:
            for o in a.open_items:
                extra = ""
                if o.responsible:
                    extra = " – " + self.t("responsible_due", who=o.responsible, due=o.due or "–")
                elif o.due:
                    extra = " – " + self.t("due", due=o.due)
                self.bullet(run(o.question) + run(f" ({o.field}){extra}", color="muted"))
        else:
            self.p(self.t("no_open_items"))
        if a.ratings:
            number = self.rating_annexes.index(a) + 1
            self.h3(self.t("ratings"))
            self.p(self.t("ratings_in_annex", number=number))

    def chance(self, level: str) -> str:
        """A chance level as a diamond and its word (never colour alone), as in the PDF."""
        symbol = CHANCE_SYMBOLS.get(level, CHANCE_SYMBOLS["none"])
        colour = f"chance_{level}" if f"chance_{level}" in COLORS else "grey"
        return run(symbol, color=colour) + run("\u00a0" + chance_term(level, self.lang))

    def percent(self, value: float, answered: int) -> str:
        from chinadialog_desktop.reports.charts import percent_text

        return percent_text(value, answered, self.lang)

    def both_sides(self, a: AssessmentSummary) -> None:
        """Risks and chances next to each other, as in the PDF."""
        assert a.chances is not None
        o, c = a.overall, a.chances
        self.h3(self.t("both_sides"))
        rows = [
            [self.text_cell(""), self.head_cell("risks"), self.head_cell("chances")],
            [
                self.text_cell(self.t("result")),
                self.cell(self.light(o.light)),
                self.cell(self.chance(c.level)),
            ],
            [
                self.text_cell(self.t("share_of_points")),
                self.text_cell(self.percent(o.risk_percent, o.answered)),
                self.text_cell(self.percent(c.chance_percent, c.answered)),
            ],
            [
                self.text_cell(self.t("answered")),
                self.text_cell(f"{o.answered}/{o.applicable}"),
                self.text_cell(f"{c.answered}/{c.applicable}"),
            ],
            [
                self.text_cell(self.t("blocker_count")),
                self.text_cell(str(o.blockers)),
                self.text_cell("–"),
            ],
        ]
        fills = {
            (1, 1): _hex(f"{o.light}_tint") if f"{o.light}_tint" in COLORS else "",
            (1, 2): _hex(f"chance_{c.level}_tint") if f"chance_{c.level}_tint" in COLORS else "",
        }
        self.table(rows, [0.40, 0.30, 0.30], fills=fills, caption=self.t("both_sides"))
        self.p(self.t("both_sides_note"), "CDMuted")

    def chance_fields(self, a: AssessmentSummary) -> None:
        """The chance side per field: a table and a chart, as in the PDF."""
        from chinadialog_desktop.reports.charts import (
            chance_bars,
            chance_chart,
            chance_names,
            chart_alt,
        )

        assert a.chances is not None
        self.h3(self.t("chances"))
        heads = ["chance_field", "answered", "chance_share", "chance_level"]
        rows = [[self.head_cell(k) for k in heads]]
        fills: dict[tuple[int, int], str] = {}
        every = [*a.chance_fields, a.chances]
        for i, f in enumerate(every, start=1):
            rows.append(
                [
                    self.cell(run(f.title, bold=f is a.chances)),
                    self.text_cell(f"{f.answered}/{f.applicable}"),
                    self.text_cell(self.percent(f.chance_percent, f.answered)),
                    self.cell(self.chance(f.level)),
                ]
            )
            tint = f"chance_{f.level}_tint"
            fills[(i, 3)] = _hex(tint) if tint in COLORS else ""
        self.table(
            rows,
            [0.55, 0.14, 0.13, 0.18],
            fills=fills,
            rule_above=len(every),
            caption=self.t("chances"),
        )
        if not a.chance_fields:
            return
        bars = chance_bars(a.chance_fields, self.lang)
        names = chance_names(self.lang)
        limits = (CHANCE_MEDIUM_FROM_PERCENT, CHANCE_HIGH_FROM_PERCENT)
        caption = self.t(
            "chance_chart_caption", medium=CHANCE_MEDIUM_FROM_PERCENT, high=CHANCE_HIGH_FROM_PERCENT
        )
        self.picture(
            lambda width_pt: chance_chart(bars, width_pt, limits, names),
            caption,
            chart_alt(bars, names, caption, self.lang),
            self.t("chances"),
        )

    def chart(self, a: AssessmentSummary) -> None:
        """The chart of the PDF as a picture, with its data as alternative text."""
        from chinadialog_desktop.reports.charts import (
            chart_alt,
            field_chart,
            light_names,
            risk_bars,
        )

        bars = risk_bars(a.fields, self.lang)
        names = light_names(self.lang)
        caption = self.t("chart_caption", yellow=YELLOW_FROM_PERCENT, red=RED_FROM_PERCENT)
        self.picture(
            lambda width_pt: field_chart(
                bars, width_pt, (YELLOW_FROM_PERCENT, RED_FROM_PERCENT), names
            ),
            caption,
            chart_alt(bars, names, caption, self.lang),
            a.title,
        )

    def picture(self, draw: Callable[[float], Any], caption: str, alt: str, title: str) -> None:
        """A chart drawn for the text width, as a picture with its data as alternative text
        (``charts.chart_alt``, the same words as the tagged PDF's figure)."""
        from chinadialog_desktop.reports import fonts
        from chinadialog_desktop.reports.chart_image import drawing_png

        fonts.register()  # the chart measures its labels with the bundled face
        png, px_w, px_h = drawing_png(draw(self.width / 20), CHART_DPI)
        self.flush()
        cx = self.width * EMU_PER_TWIP
        cy = round(cx * px_h / px_w)
        inline = self.doc.part.new_pic_inline(io.BytesIO(png), Emu(cx), Emu(cy))
        self.picture_count += 1
        doc_pr = inline.docPr
        self._shape_id += 1
        doc_pr.set("id", str(self._shape_id))
        doc_pr.set("name", f"{self.t('field')} {self.picture_count}")
        doc_pr.set("descr", alt)
        doc_pr.set("title", title)
        picture = parse_xml(
            f'<w:p {nsdecls("w")}><w:pPr><w:keepNext/><w:spacing w:before="160" w:after="0"/>'
            "</w:pPr><w:r/></w:p>"
        )
        picture[-1].append(parse_xml(f"<w:drawing {nsdecls('w')}/>"))
        picture[-1][-1].append(inline)
        if self.sect is not None:
            self.sect.addprevious(picture)
        else:
            self.body.append(picture)
        self.p(caption, "Caption")

    def ratings_table(self, a: AssessmentSummary) -> None:
        if not a.ratings:
            return
        heads = ["question", "answer", "evidence", "answered_by"]
        rows = [[self.head_cell(k) for k in heads]]
        marks = set()
        for i, r in enumerate(a.ratings, start=1):
            rows.append(self.rating_row(r))
            if r.blocker_hit:
                marks.add(i)
        self.table(
            rows,
            [0.40, 0.13, 0.31, 0.16],
            left_marks=marks,
            caption=f"{self.t('ratings')}: {a.title}",
        )

    def rating_row(self, r: Rating) -> list[str]:
        question = run(r.field + "\n", color="muted") + run(r.question)
        answer = run(r.answer_label, bold=r.risk, color="red" if r.blocker_hit else "text")
        if r.blocker_hit:
            answer += run("\n" + BLOCKER_SYMBOL, color="red") + run(
                "\u00a0" + self.t("blocker_mark")
            )
        if r.stale:
            answer += run("\n" + self.t("stale"), color="muted")
        evidence = run(r.evidence)
        if r.sources:
            evidence += run(" " if r.evidence else "") + self.cites(r.sources)
        if r.note:
            evidence += run(f"\n{self.t('note')}: {r.note}", color="muted")
        who = "\n".join(x for x in (r.answered_by, r.answered_on) if x)
        return [
            self.cell(question),
            self.cell(answer),
            self.cell(evidence or run("–")),
            self.cell(run(who or "–")),
        ]

    def screening(self) -> None:
        rows_in = self.b.screening
        if rows_in is None:
            return
        self.h1(self.t("screening"))
        if not self.b.screening_lists:
            self.p(self.t("screening_no_lists"))
            return
        self.p(self.t("screening_lists", lists="; ".join(self.b.screening_lists)), "CDMuted")
        self.screened()
        pending = [r for r in self.b.screened if not r.current]
        if pending:
            self.p(self.t("screening_incomplete", count=len(pending), total=len(self.b.screened)))
        if not rows_in:
            if not pending:
                self.p(self.t("screening_none"))
            return
        with_reason = any(r.reason for r in rows_in)
        heads = ["screening_subject", "screening_entry", "screening_list"]
        heads += ["screening_reason"] if with_reason else []
        rows = [[self.head_cell(k) for k in heads]]
        for r in rows_in:
            row = [self.text_cell(r.subject), self.text_cell(r.entry), self.text_cell(r.list_name)]
            who = ", ".join(x for x in (r.decided_by, r.decided_on) if x)
            reason = f"{r.reason} ({who})" if who else r.reason
            rows.append(row + [self.text_cell(reason)] if with_reason else row)
        widths = [0.24, 0.26, 0.2, 0.3] if with_reason else [0.32, 0.38, 0.3]
        self.table(rows, widths, left_marks=set(range(1, len(rows))), caption=self.t("screening"))

    def screened(self) -> None:
        if not self.b.screened:
            return
        self.p(self.t("screening_checked"), "CDSubheading")
        heads = ["screening_subject", "screening_kind", "screening_on", "screening_against"]
        rows = [[self.head_cell(k) for k in heads]]
        for r in self.b.screened:
            rows.append(
                [
                    self.text_cell(r.subject),
                    self.text_cell(r.kind_label),
                    self.text_cell(r.checked_on or self.t("screening_never")),
                    self.text_cell(r.lists or "–"),
                ]
            )
        self.table(rows, [0.3, 0.16, 0.14, 0.4], caption=self.t("screening_checked"))

    def registers(self) -> None:
        if not self.b.registers:
            return
        self.h1(self.t("registers"))
        self.p(self.t("registers_intro_public" if self.b.public else "registers_intro"), "CDMuted")
        for r in self.b.registers:
            self.h2(r.title)
            if r.rows:
                rows = [[para(run(c), "CDTableHeading") for c in r.columns]]
                rows += [[self.text_cell(v) for v in row] for row in r.rows]
                self.table(rows, register_widths(r.field_names), caption=r.title)
            if r.note:
                self.p(r.note)

    def evaluation(self) -> None:
        parts = [
            s for s in self.b.sections if s.key in ("opportunities", "risks", "recommendation")
        ]
        if not parts:
            return
        self.h1(self.t("evaluation"))
        for s in parts:
            self.h2(s.title)
            self.markup(s.body)

    def financial(self) -> None:
        if not self.b.financial_effects:
            return
        self.h1(self.t("financial"))
        self.markup(self.b.financial_effects)

    def signature(self) -> None:
        h = self.b.header
        who = h.responsible or h.lead_office
        line = (
            f'<w:keepNext/><w:pBdr><w:bottom w:val="single" w:sz="5" w:space="1" '
            f'w:color="{_hex("text")}"/></w:pBdr><w:spacing w:before="760" w:after="40"/>'
            f'<w:ind w:right="{round(self.width * 0.55)}"/>'
        )
        self.add(para("", extra_ppr=line))
        self.add(para(run(who or self.t("signature")), "CDTableText", keep_next=True))
        self.p(self.t("signature"), "Caption")

    def sources_list(self) -> None:
        if not self.b.sources:
            return
        self.h1(self.t("sources"))
        for s in self.b.sources:
            self._bookmark += 1
            mark = (
                f'<w:bookmarkStart w:id="{self._bookmark}" w:name="src_{s.number}"/>'
                f'<w:bookmarkEnd w:id="{self._bookmark}"/>'
            )
            runs = mark + run(f"[{s.number}]\t{s.text}")
            if s.url:
                runs += run(". ") + run(s.url, color="accent")
            if s.accessed:
                runs += run(f" ({self.t('accessed', date=s.accessed)})")
            self.add(para(runs, "CDSource"))

    def attachments(self) -> None:
        if not (self.b.attachments or self.rating_annexes):
            return
        self.h1(self.t("attachments"))
        for i, a in enumerate(self.rating_annexes, start=1):
            self.add(
                para(
                    run(f"{i}.", bold=True) + run("\t" + self.t("annex_ratings", title=a.title)),
                    "CDSource",
                )
            )
        first = len(self.rating_annexes) + 1
        for i, att in enumerate(self.b.attachments, start=first):
            size = max(1, round(att.size / 1024))
            runs = (
                run(f"{i}.", bold=True)
                + run("\t" + att.file_name)
                + run(
                    f" · {self.t('attachment_size', size=size)} · SHA-256 {att.sha256[:12]}…",
                    color="muted",
                )
            )
            if att.description:
                runs += run("\n" + att.description)
            self.add(para(runs, "CDSource"))

    def annexes(self) -> None:
        for i, a in enumerate(self.rating_annexes, start=1):
            self.annex_heading(
                self.t("annex_heading", number=i, title=self.t("annex_ratings", title=a.title))
            )
            self.ratings_table(a)

    def build(self, progress: Progress | None, cancel: Cancel | None) -> None:
        steps = [
            self.header,
            self.resolution,
            self.changes,
            self.financial,  # where councils place it: before the Sachverhalt
            self.facts,
            self.assessment_chapter,
            self.screening,
            self.registers,
            self.evaluation,
            self.signature,
            self.sources_list,
            self.attachments,
            self.annexes,
        ]
        for i, step in enumerate(steps):
            if cancel is not None and cancel():
                raise BuildCancelled("cancelled")
            step()
            if progress is not None:
                progress(i + 1, len(steps) + 1, "")
        self.flush()


def _max_id(doc: DocxDocument, attribute: str) -> int:
    """The largest number in ``attribute`` in the body, headers and footers (0 if none)."""
    found = 0
    elements = [doc.element]
    for section in doc.sections:
        for part in (
            section.header,
            section.footer,
            section.first_page_header,
            section.first_page_footer,
            section.even_page_header,
            section.even_page_footer,
        ):
            if not part.is_linked_to_previous:
                elements.append(part._element)  # noqa: SLF001
    for element in elements:
        for node in element.iter():
            value = node.get(attribute)
            if value is not None and value.isdigit():
                found = max(found, int(value))
    return found


def _with_ppr(paragraph: str, extra: str) -> str:
    """Add properties at the end of a paragraph's pPr (the frame of the resolution)."""
    if paragraph.startswith("<w:p><w:pPr>"):
        end = paragraph.index("</w:pPr>")
        return paragraph[:end] + extra + paragraph[end:]
    if paragraph.startswith("<w:p>"):
        return "<w:p><w:pPr>" + extra + "</w:pPr>" + paragraph[len("<w:p>") :]
    return paragraph


# --------------------------------------------------------------------------- page furniture


def _furniture(doc: DocxDocument, briefing: Briefing, text_width: int, own_template: bool) -> None:
    """Marking in every header and footer; running title; "Seite X von Y" as fields.

    A template's headers and footers (a letterhead) keep their content: the marking
    goes above it, the running title and the page line below it. An empty part
    gets a paragraph, as Word requires one.
    """
    h = briefing.header
    running = " · ".join(x for x in (h.file_number, h.title) if x)
    left = " · ".join(x for x in (h.kind_label, h.date) if x)
    page_label = term("page_of", briefing.lang, page="{page}", pages="{pages}")
    marking = (
        para(run(h.marking), "CDMarking", extra_ppr='<w:jc w:val="center"/>') if h.marking else ""
    )
    rule = _hex("rule")
    head_line = para(
        run(running),
        "CDHeader",
        extra_ppr=f'<w:pBdr><w:bottom w:val="single" w:sz="3" w:space="1" w:color="{rule}"/>'
        "</w:pBdr>",
    )
    foot_line = para(
        run(left + "\t") + _fields(page_label),
        "CDHeader",
        extra_ppr=f'<w:pBdr><w:top w:val="single" w:sz="3" w:space="1" w:color="{rule}"/>'
        f'</w:pBdr><w:tabs><w:tab w:val="right" w:pos="{text_width}"/></w:tabs>',
    )
    even_odd = bool(doc.settings.odd_and_even_pages_header_footer)
    for index, section in enumerate(doc.sections):
        if index == 0 and not own_template:
            # Like the PDF: no running title on the first page (the title is on it).
            section.different_first_page_header_footer = True
        parts: list[tuple[Any, bool, bool]] = [
            (section.header, True, False),
            (section.footer, False, False),
        ]
        if section.different_first_page_header_footer:
            parts += [
                (section.first_page_header, True, True),
                (section.first_page_footer, False, True),
            ]
        if even_odd:
            parts += [
                (section.even_page_header, True, False),
                (section.even_page_footer, False, False),
            ]
        for part, is_header, first in parts:
            if part.is_linked_to_previous:
                if index > 0:
                    continue  # it shows the previous section's, which has the marking
                part.is_linked_to_previous = False  # a new part, holding one empty paragraph
            element = part._element  # noqa: SLF001
            if all(not "".join(p.itertext()).strip() for p in element):
                for child in list(element):
                    element.remove(child)
            if is_header:  # the marking on top, the running title below a letterhead
                for node in reversed(_fragment(marking)):
                    element.insert(0, node)
                for node in _fragment("" if first else head_line):
                    element.append(node)
            else:
                for node in _fragment(foot_line + marking):
                    element.append(node)
            if len(element) == 0:  # the first page of an open paper: nothing to show
                element.append(parse_xml(f"<w:p {nsdecls('w')}/>"))


def _fragment(xml: str) -> list[Any]:
    if not xml:
        return []
    return list(parse_xml(f"<w:hdr {nsdecls('w', 'r')}>{xml}</w:hdr>"))


# --------------------------------------------------------------------------- package


def open_template(template: Path | None) -> tuple[DocxDocument, bool]:
    """python-docx's blank document, or the municipality's .docx/.dotx template."""
    if template is None:
        doc = Document()
        pkg = doc.part.package
        for rid, rel in list(pkg.rels.items()):
            if rel.reltype == RT.THUMBNAIL:  # python-docx's own preview picture
                pkg.rels.pop(rid)
        for rid, rel in list(doc.part.rels.items()):
            if rel.reltype.endswith("/stylesWithEffects"):  # a stale copy of the old styles
                doc.part.rels.pop(rid)
        return doc, False
    data = Path(template).read_bytes()
    with zipfile.ZipFile(io.BytesIO(data)) as z:
        types = z.read("[Content_Types].xml")
    if b"wordprocessingml.template.main+xml" in types:  # a .dotx: opened as a document
        data = _replace_member(
            data,
            "[Content_Types].xml",
            types.replace(
                b"wordprocessingml.template.main+xml", b"wordprocessingml.document.main+xml"
            ),
        )
    return Document(io.BytesIO(data)), True


def _replace_member(data: bytes, name: str, content: bytes) -> bytes:
    out = io.BytesIO()
    with (
        zipfile.ZipFile(io.BytesIO(data)) as src,
        zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst,
    ):
        for info in src.infolist():
            dst.writestr(info, content if info.filename == name else src.read(info))
    return out.getvalue()


APP_XML = (
    "<?xml version='1.0' encoding='UTF-8' standalone='yes'?>\n"
    '<Properties xmlns="http://schemas.openxmlformats.org/officeDocument/2006/extended-properties">'
    "<Application>ChinaDialog Desktop</Application><DocSecurity>0</DocSecurity>"
    "<LinksUpToDate>false</LinksUpToDate></Properties>"
)


def _settings(doc: DocxDocument, own_template: bool) -> None:
    """No "spelling checked" claim; without a template, today's Word format (no banner
    "Kompatibilitätsmodus", which python-docx's Word 2010 blank document would show)."""
    settings = doc.settings.element
    proof = settings.find(qn("w:proofState"))
    if proof is not None:  # "spelling checked, clean": not said of a new document
        settings.remove(proof)
    if own_template:
        return  # the municipality's template keeps the format it was saved in
    for setting in settings.iter(qn("w:compatSetting")):
        if setting.get(qn("w:name")) == "compatibilityMode":
            setting.set(qn("w:val"), "15")


def _clip(text: str, limit: int = 255) -> str:
    """A document property fits in 255 characters (the format's limit); longer ones end in "…"."""
    text = _BAD_XML.sub("", text)
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


def _properties(doc: DocxDocument, briefing: Briefing, moment: datetime) -> None:
    """Title, subject, keywords, language, dates; no login, nothing from the template."""
    h = briefing.header
    cp = doc.core_properties
    cp.title = _clip(h.title)
    cp.subject = _clip(briefing.subject)
    cp.keywords = _clip(briefing.keywords)
    cp.author = _clip(h.lead_office or h.author or h.responsible)
    cp.last_modified_by = ""
    cp.category = _clip(h.kind_label)
    cp.comments = ""
    cp.content_status = ""
    cp.identifier = ""
    cp.version = ""
    cp.language = LANGS.get(briefing.lang, "de-DE")
    cp.revision = 1
    naive = moment.replace(tzinfo=None, microsecond=0)
    cp.created = naive
    cp.modified = naive
    printed = cp._element.find(qn("cp:lastPrinted"))  # noqa: SLF001  (a template's)
    if printed is not None:
        cp._element.remove(printed)  # noqa: SLF001
    for part in doc.part.package.parts:
        if str(part.partname) == "/docProps/app.xml":
            part._blob = APP_XML.encode("utf-8")  # noqa: SLF001  (a plain XML part)


def _fixed_zip(data: bytes, moment: datetime) -> bytes:
    """The package again, with one timestamp for every member (byte-identical builds)."""
    stamp = max(moment.timetuple()[:6], (1980, 1, 1, 0, 0, 0))
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as src, zipfile.ZipFile(out, "w") as dst:
        for info in src.infolist():
            member = zipfile.ZipInfo(info.filename, date_time=stamp)
            member.compress_type = zipfile.ZIP_DEFLATED
            member.create_system = 0
            member.external_attr = 0
            dst.writestr(member, src.read(info), compresslevel=6)
    return out.getvalue()


def _text_width(doc: DocxDocument, own_template: bool) -> int:
    section = doc.sections[-1]
    if not own_template:
        section.page_width = Emu(round(210 * TWIPS_PER_MM) * EMU_PER_TWIP)
        section.page_height = Emu(round(297 * TWIPS_PER_MM) * EMU_PER_TWIP)
        section.left_margin = Emu(round(PAGE["margin_left_mm"] * TWIPS_PER_MM) * EMU_PER_TWIP)
        section.right_margin = Emu(round(PAGE["margin_right_mm"] * TWIPS_PER_MM) * EMU_PER_TWIP)
        section.top_margin = Emu(round(PAGE["margin_top_mm"] * TWIPS_PER_MM) * EMU_PER_TWIP)
        section.bottom_margin = Emu(round(PAGE["margin_bottom_mm"] * TWIPS_PER_MM) * EMU_PER_TWIP)
        section.header_distance = Emu(round(10 * TWIPS_PER_MM) * EMU_PER_TWIP)
        section.footer_distance = Emu(round(8 * TWIPS_PER_MM) * EMU_PER_TWIP)
    width = (section.page_width or 0) - (section.left_margin or 0) - (section.right_margin or 0)
    twips = int(width) // EMU_PER_TWIP
    return twips if twips > 1440 else round(165 * TWIPS_PER_MM)


def build_docx(
    briefing: Briefing,
    moment: datetime,
    template: Path | None = None,
    progress: Progress | None = None,
    cancel: Cancel | None = None,
) -> bytes:
    """The briefing as .docx bytes; ``moment`` is the creation date (the export's)."""
    doc, own_template = open_template(template)
    _ensure_styles(doc, own_template, briefing.lang)
    _declare_east_asian_font(doc)
    width = _text_width(doc, own_template)
    WordStory(doc, briefing, width).build(progress, cancel)
    _furniture(doc, briefing, width, own_template)
    _properties(doc, briefing, moment)
    _settings(doc, own_template)
    buffer = io.BytesIO()
    doc.save(buffer)
    data = _fixed_zip(buffer.getvalue(), moment)
    if progress is not None:
        progress(1, 1, "")
    return data


__all__ = ["build_docx", "open_template"]
