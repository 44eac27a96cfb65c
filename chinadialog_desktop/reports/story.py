"""The briefing's content as a story of flowables, in the order of a council document."""

from __future__ import annotations

from dataclasses import replace
from typing import Any

from reportlab.lib.colors import HexColor
from reportlab.lib.styles import ParagraphStyle
from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.platypus import (
    CondPageBreak,
    Flowable,
    KeepTogether,
    PageBreak,
    Paragraph,
    Spacer,
    Table,
    TableStyle,
)

from chinadialog_desktop.domain.briefing_markup import Block, Run, parse_markup
from chinadialog_desktop.domain.briefing_model import (
    AssessmentSummary,
    Briefing,
    PartnershipFacts,
    Rating,
)
from chinadialog_desktop.domain.briefing_terms import chance_term, light_term, term
from chinadialog_desktop.domain.scoring import (
    CHANCE_HIGH_FROM_PERCENT,
    CHANCE_MEDIUM_FROM_PERCENT,
    RED_FROM_PERCENT,
    YELLOW_FROM_PERCENT,
)
from chinadialog_desktop.reports.charts import (
    chance_bars,
    chance_chart,
    chance_names,
    chart_alt,
    field_chart,
    light_names,
    percent_text,
    risk_bars,
)
from chinadialog_desktop.reports.flowables import Heading, TocSlot
from chinadialog_desktop.reports.hyphenate import hyphenate_markup
from chinadialog_desktop.reports.markup import blocks_to_flowables, plain_xml
from chinadialog_desktop.reports.pdf_tags import TableTags
from chinadialog_desktop.reports.styles import (
    BLOCKER_SYMBOL,
    CELL_SIZE,
    CHANCE_SYMBOLS,
    CHART,
    COLORS,
    FONT,
    FONT_BOLD,
    LIGHT_SYMBOLS,
    PAGE,
    TABLE,
    register_widths,
)


class Story:
    """Turns the briefing content into flowables, numbering chapters as it goes."""

    def __init__(
        self,
        briefing: Briefing,
        styles: dict[str, ParagraphStyle],
        width: float,
        frame_height: float,
        with_toc: bool,
    ) -> None:
        self.b = briefing
        self.with_toc = with_toc
        self.frame_height = frame_height
        self.slot: TocSlot | None = None
        self.lang = briefing.lang
        self.st = styles
        self.width = width
        self.items: list[Flowable] = []
        self._chapter = 0
        self._sub = 0
        self._keys = 0
        self.sources = {s.number for s in briefing.sources}
        # Assessments whose ratings in detail go to an Anlage, numbered before the files.
        self.rating_annexes = [a for a in briefing.assessments if a.ratings]

    # -- helpers
    def t(self, key: str, **values: object) -> str:
        return term(key, self.lang, **values)

    def _key(self) -> str:
        self._keys += 1
        return f"h{self._keys}"

    def h1(self, text: str) -> None:
        self._chapter += 1
        self._sub = 0
        self.items.append(CondPageBreak(PAGE["room_after_h1"]))
        self.items.append(Heading(f"{self._chapter}\u2002{text}", self.st["h1"], 0, self._key()))

    def annex_heading(self, text: str) -> None:
        """An Anlage: a new page, in the contents and bookmarks, without a chapter number."""
        self._sub = 0
        self.items.append(PageBreak())
        self.items.append(Heading(text, self.st["h1"], 0, self._key()))

    def h2(self, text: str, toc: bool = True) -> None:
        self._sub += 1
        label = f"{self._chapter}.{self._sub}\u2002{text}"
        self.items.append(CondPageBreak(PAGE["room_after_h2"]))
        self.items.append(Heading(label, self.st["h2"], 1, self._key(), toc=toc))

    def h3(self, text: str) -> None:
        self.items.append(CondPageBreak(PAGE["room_after_h3"]))
        self.items.append(Heading(text, self.st["h3"], 2, self._key(), toc=False))

    def para(self, xml: str, style: str = "body") -> Paragraph:
        p = Paragraph(xml, self.st[style])
        self.items.append(p)
        return p

    def cell(self, text: str, style: str = "cell") -> Paragraph:
        return Paragraph(plain_xml(text), self.st[style])

    def markup(self, body: str) -> None:
        self.items.extend(blocks_to_flowables(parse_markup(body), self.st, self.sources))

    def table(
        self,
        rows: list[list[Any]],
        widths: list[float],
        head: bool = True,
        extra: list[tuple[Any, ...]] | None = None,
    ) -> Table:
        pad = TABLE["padding"]
        cmds: list[tuple[Any, ...]] = [
            ("FONT", (0, 0), (-1, -1), FONT, CELL_SIZE),
            ("VALIGN", (0, 0), (-1, -1), "TOP"),
            ("LEFTPADDING", (0, 0), (-1, -1), pad),
            ("RIGHTPADDING", (0, 0), (-1, -1), pad),
            ("TOPPADDING", (0, 0), (-1, -1), pad),
            ("BOTTOMPADDING", (0, 0), (-1, -1), pad + 1),
            ("LINEBELOW", (0, 0), (-1, -1), TABLE["grid_width"], HexColor(COLORS["grid"])),
        ]
        if head:
            cmds += [
                ("BACKGROUND", (0, 0), (-1, 0), HexColor(COLORS["header_fill"])),
                (
                    "LINEBELOW",
                    (0, 0),
                    (-1, 0),
                    TABLE["head_rule_width"],
                    HexColor(COLORS["accent"]),
                ),
            ]
            if TABLE["zebra"] and len(rows) > 3:
                cmds.append(("ROWBACKGROUNDS", (0, 1), (-1, -1), [None, HexColor(COLORS["zebra"])]))
        cmds += extra or []
        col_widths = [w * self.width for w in widths]
        rows = [
            [_hyphenated(cell, w - 2 * pad) for cell, w in zip(row, col_widths, strict=False)]
            + row[len(col_widths) :]
            for row in rows
        ]
        table = Table(
            rows,
            colWidths=col_widths,
            repeatRows=1 if head else 0,
            hAlign="LEFT",
            splitByRow=1,
            renderCB=TableTags("data", head_rows=1 if head else 0),
        )
        table.setStyle(TableStyle(cmds))
        self.items.append(table)
        return table

    def light(self, light: str) -> str:
        colour = COLORS.get(light, COLORS["grey"])
        symbol = LIGHT_SYMBOLS.get(light, LIGHT_SYMBOLS["grey"])
        name = plain_xml(light_term(light, self.lang))
        return f'<font color="{colour}">{symbol}</font>\u00a0{name}'

    def chance(self, level: str) -> str:
        """A chance level as a diamond and its word (never colour alone)."""
        colour = COLORS.get(f"chance_{level}", COLORS["grey"])
        symbol = CHANCE_SYMBOLS.get(level, CHANCE_SYMBOLS["none"])
        name = plain_xml(chance_term(level, self.lang))
        return f'<font color="{colour}">{symbol}</font>\u00a0{name}'

    def cites(self, numbers: list[int]) -> str:
        return "".join(
            f'<a href="#src-{n}" color="{COLORS["accent"]}">[{n}]</a>'
            if n in self.sources
            else f"[{n}]"
            for n in numbers
        )

    # -- parts
    def header(self) -> None:
        h = self.b.header
        label = self.st["cell_head"]
        na = self.t("not_given")

        def kv(key: str, value: str) -> list[Any]:
            return [Paragraph(plain_xml(self.t(key)), label), self.cell(value or na)]

        if h.city:
            self.para(plain_xml(h.city), "city")
        if h.department:
            self.para(plain_xml(h.department), "department")
        self.para(plain_xml(h.kind_label), "doc_kind")
        rows = [
            kv("file_number", h.file_number) + kv("date", h.date),
            kv("lead_office", h.lead_office) + kv("publicity", h.publicity),
            kv("responsible", h.responsible or h.author) + kv("document_kind", h.kind_label),
        ]
        if h.editor:
            rows.append(kv("editor", h.editor) + [self.cell(""), self.cell("")])
        self.table(
            rows,
            [0.2, 0.35, 0.17, 0.28],
            head=False,
            extra=[
                ("LINEABOVE", (0, 0), (-1, 0), 1.2, HexColor(COLORS["accent"])),
                ("LINEBELOW", (0, -1), (-1, -1), 1.2, HexColor(COLORS["accent"])),
            ],
        )
        self.items.append(Spacer(1, 10))
        self.items.append(Heading(h.title, self.st["title"], 0, self._key(), toc=False))
        if h.deliberations:
            self.para(plain_xml(self.t("deliberations")), "h3")
            has_status = any(d.status for d in h.deliberations)
            heads = ["body", "meeting_on", "role", "session"] + (["status"] if has_status else [])
            rows = [[Paragraph(plain_xml(self.t(k)), label) for k in heads]]
            for d in h.deliberations:
                row = [
                    self.cell(d.body),
                    self.cell(d.meeting_on or na),
                    self.cell(d.role),
                    self.cell(d.publicity),
                ]
                if has_status:
                    row.append(self.cell(d.status))
                rows.append(row)
            widths = [0.34, 0.13, 0.19, 0.18, 0.16] if has_status else [0.42, 0.15, 0.22, 0.21]
            self.table(rows, widths)
        if self.b.public:
            count = self.b.omitted_internal
            text = self.t("public_version", count=count) if count else self.t("public_version_none")
            if self.b.names_replaced:
                text += " " + self.t("public_names")
            self.notice(text)

    def notice(self, text: str) -> None:
        box = Table(
            [[Paragraph(plain_xml(text), self.st["notice"])]],
            colWidths=[self.width],
            hAlign="LEFT",
            renderCB=TableTags("layout"),
        )
        box.setStyle(
            TableStyle(
                [
                    (
                        "FONT",
                        (0, 0),
                        (-1, -1),
                        FONT,
                        9,
                    ),  # else the table names unembedded Helvetica
                    ("BACKGROUND", (0, 0), (-1, -1), HexColor(COLORS["notice_fill"])),
                    ("LINEBEFORE", (0, 0), (0, -1), 2.5, HexColor(COLORS["notice_border"])),
                    ("LEFTPADDING", (0, 0), (-1, -1), 8),
                    ("TOPPADDING", (0, 0), (-1, -1), 5),
                    ("BOTTOMPADDING", (0, 0), (-1, -1), 6),
                ]
            )
        )
        self.items.append(Spacer(1, 8))
        self.items.append(box)

    def resolution(self) -> None:
        if self.b.header.kind != "decision":
            return
        self.h1(self.t("resolution"))
        start = len(self.items)
        if self.b.resolution:
            self.markup(self.b.resolution)
        else:
            self.para(plain_xml(self.t("no_resolution")), "muted")
        inner = self.items[start:]
        del self.items[start:]
        box = Table([[inner]], colWidths=[self.width], hAlign="LEFT", renderCB=TableTags("layout"))
        box.setStyle(
            TableStyle(
                [
                    (
                        "FONT",
                        (0, 0),
                        (-1, -1),
                        FONT,
                        9,
                    ),  # else the table names unembedded Helvetica
                    ("BOX", (0, 0), (-1, -1), 0.8, HexColor(COLORS["accent"])),
                    ("LEFTPADDING", (0, 0), (-1, -1), 9),
                    ("RIGHTPADDING", (0, 0), (-1, -1), 9),
                    ("TOPPADDING", (0, 0), (-1, -1), 7),
                    ("BOTTOMPADDING", (0, 0), (-1, -1), 4),
                ]
            )
        )
        self.items.append(box)

    def toc(self) -> None:
        if self.with_toc:
            self.slot = TocSlot(self.frame_height)
            self.items.append(self.slot)

    def toc_need(self) -> float:
        """Height of the contents: title plus one line per entry, with a margin for wrapping."""
        height = self.st["toc_title"].leading + self.st["toc_title"].spaceBefore + 4
        for f in self.items:
            if isinstance(f, Heading) and f.in_toc:
                style = self.st["toc1" if f.outline_level == 0 else "toc2"]
                height += style.leading + 1 + (style.spaceBefore + 1 if style.spaceBefore else 0)
        return float(height) * 1.1

    def changes(self) -> None:
        if self.b.changes is None:
            return
        self.h1(self.t("changes"))
        since = self.b.changes_since
        if since is None:
            self.para(plain_xml(self.b.changes_note or self.t("changes_first")))
            return
        if not self.b.changes:
            self.para(plain_xml(self.t("changes_none", date=since)))
            return
        self.para(plain_xml(self.t("changes_intro", date=since)))
        for line in self.b.changes:
            self.items.append(Paragraph(plain_xml(line), self.st["bullet"], bulletText="•"))

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
        label = self.st["cell_head"]
        facts = [("type", p.type), ("status", p.status), ("since", p.since)]
        if p.until:
            facts.append(("until", p.until))
        if p.fields:
            facts.append(("fields", ", ".join(p.fields)))
        labelled = [(self.t(k), v) for k, v in facts] + list(p.more)
        rows = [
            [Paragraph(plain_xml(k), label), self.cell(v or self.t("not_given"))]
            for k, v in labelled
        ]
        self.table(
            rows,
            [0.26, 0.74],
            head=False,
            extra=[
                (
                    "LINEABOVE",
                    (0, 0),
                    (-1, 0),
                    TABLE["head_rule_width"],
                    HexColor(COLORS["accent"]),
                ),
            ],
        )
        if p.description:
            self.items.append(Spacer(1, 5))
            self.markup(p.description)
        if p.parties:
            self.h3(self.t("parties"))
            heads = ["side", "name", "name_zh", "pinyin", "kind"]
            rows = [[Paragraph(plain_xml(self.t(k)), label) for k in heads]]
            for party in p.parties:
                rows.append(
                    [
                        self.cell(party.side),
                        self.cell(party.name),
                        self.cell(party.name_zh, "cell_zh"),
                        self.cell(party.pinyin),
                        self.cell(", ".join(x for x in (party.kind, party.region) if x)),
                    ]
                )
            self.table(rows, [0.12, 0.27, 0.17, 0.22, 0.22])
        self.h3(self.t("timeline"))
        if not p.activities:
            self.para(plain_xml(self.t("no_activities")), "muted")
            return
        rows = [[Paragraph(plain_xml(self.t(k)), label) for k in ("date", "kind", "activity")]]
        for a in p.activities:
            detail = f"<font name='{FONT_BOLD}'>{plain_xml(a.title)}</font>"
            extra = " · ".join(plain_xml(x) for x in (a.location, a.outcome) if x)
            if extra:
                detail += f"<br/><font color='{COLORS['muted']}'>{extra}</font>"
            # Date and kind are short: plain strings spare a paragraph layout per cell.
            rows.append([a.date, a.kind, Paragraph(detail, self.st["cell"])])
        self.table(
            rows,
            [0.15, 0.19, 0.66],
            extra=[
                ("TEXTCOLOR", (0, 1), (1, -1), HexColor(COLORS["text"])),
                ("TOPPADDING", (0, 1), (1, -1), TABLE["padding"] + 1),
            ],
        )

    def assessment_chapter(self) -> None:
        self.h1(self.t("assessment"))
        if not self.b.assessments:
            self.para(plain_xml(self.t("no_assessment")))
            return
        for a in self.b.assessments:
            self.assessment(a)

    def assessment(self, a: AssessmentSummary) -> None:
        self.h2(a.title)
        label = self.st["cell_head"]
        reviewed = ", ".join(x for x in (a.reviewed_by, a.reviewed_on) if x) or self.t(
            "not_reviewed"
        )
        meta = (
            f"{plain_xml(self.t('checklist'))}: {plain_xml(a.checklist)} "
            f"({plain_xml(self.t('version'))} {a.checklist_version}) · "
            f"{plain_xml(self.t('reviewed'))}: {plain_xml(reviewed)} · "
            f"{plain_xml(self.t('as_of'))}: {plain_xml(self.b.header.as_of)}"
        )
        self.para(meta, "muted")
        if a.chances is not None:
            self.both_sides(a)
            # the heading stays with its table, which keeps with its chart
            self.items.append(CondPageBreak(PAGE["room_per_table_row"] * (len(a.fields) + 2)))
            self.h3(self.t("risks"))
        heads = ["field", "answered", "risk", "light"]
        rows = [[Paragraph(plain_xml(self.t(k)), label) for k in heads]]
        for f in [*a.fields, a.overall]:
            bold = f is a.overall
            name = plain_xml(f.title)
            rows.append(
                [
                    Paragraph(f"<b>{name}</b>" if bold else name, self.st["cell"]),
                    self.cell(f"{f.answered}/{f.applicable}"),
                    self.cell(self.percent(f.risk_percent, f.answered)),
                    Paragraph(self.light(f.light), self.st["cell"]),
                ]
            )
        tints = [
            ("BACKGROUND", (3, i), (3, i), HexColor(COLORS[f"{f.light}_tint"]))
            for i, f in enumerate([*a.fields, a.overall], start=1)
        ]
        table = self.table(
            rows,
            [0.55, 0.14, 0.13, 0.18],
            extra=[
                ("LINEABOVE", (0, -1), (-1, -1), 0.9, HexColor(COLORS["accent"])),
                *tints,
            ],
        )
        table.keepWithNext = 1
        bars = risk_bars(a.fields, self.lang)
        if bars:
            names = light_names(self.lang)
            chart = field_chart(bars, self.width, (YELLOW_FROM_PERCENT, RED_FROM_PERCENT), names)
            text = self.t("chart_caption", yellow=YELLOW_FROM_PERCENT, red=RED_FROM_PERCENT)
            chart.__dict__["alt_text"] = chart_alt(bars, names, text, self.lang)  # tagged PDF
            caption = Paragraph(plain_xml(text), self.st["caption"])
            self.items.append(Spacer(1, 8))
            self.items.append(KeepTogether([chart, caption]))
        if a.chances is not None:
            self.chance_fields(a)
        self.h3(self.t("blockers"))
        if a.blockers:
            for r in a.blockers:
                self.items.append(
                    Paragraph(
                        f"{plain_xml(r.question)} – "
                        f"{plain_xml(self.t('answer'))}: <b>{plain_xml(r.answer_label)}</b>",
                        self.st["bullet"],
                        bulletText=BLOCKER_SYMBOL,
                    )
                )
        else:
            self.para(plain_xml(self.t("no_blockers")))
        self.h3(self.t("open_items"))
        if a.open_items:
            for o in a.open_items:
                extra = ""
                if o.responsible:
                    extra = " – " + plain_xml(
                        self.t("responsible_due", who=o.responsible, due=o.due or "–")
                    )
                elif o.due:
                    extra = " – " + plain_xml(self.t("due", due=o.due))
                self.items.append(
                    Paragraph(
                        f"{plain_xml(o.question)}"
                        f"<font color='{COLORS['muted']}'> ({plain_xml(o.field)}){extra}</font>",
                        self.st["bullet"],
                        bulletText="•",
                    )
                )
        else:
            self.para(plain_xml(self.t("no_open_items")))
        if a.ratings:  # four pages of detail belong in an Anlage, not in the body
            number = self.rating_annexes.index(a) + 1
            self.h3(self.t("ratings"))
            self.para(plain_xml(self.t("ratings_in_annex", number=number)))

    def percent(self, value: float, answered: int) -> str:
        return percent_text(value, answered, self.lang)

    def both_sides(self, a: AssessmentSummary) -> None:
        """Risks and chances next to each other: one column per side, the same rows."""
        assert a.chances is not None
        o, c = a.overall, a.chances
        self.h3(self.t("both_sides"))
        label = self.st["cell_head"]
        head = [Paragraph("", label)] + [
            Paragraph(plain_xml(self.t(k)), label) for k in ("risks", "chances")
        ]
        rows = [
            head,
            [
                self.cell(self.t("result")),
                Paragraph(f"<b>{self.light(o.light)}</b>", self.st["cell"]),
                Paragraph(f"<b>{self.chance(c.level)}</b>", self.st["cell"]),
            ],
            [
                self.cell(self.t("share_of_points")),
                self.cell(self.percent(o.risk_percent, o.answered)),
                self.cell(self.percent(c.chance_percent, c.answered)),
            ],
            [
                self.cell(self.t("answered")),
                self.cell(f"{o.answered}/{o.applicable}"),
                self.cell(f"{c.answered}/{c.applicable}"),
            ],
            [
                self.cell(self.t("blocker_count")),
                self.cell(str(o.blockers)),
                self.cell("–"),
            ],
        ]
        table = self.table(
            rows,
            [0.40, 0.30, 0.30],
            extra=[
                ("BACKGROUND", (1, 1), (1, 1), HexColor(COLORS[f"{o.light}_tint"])),
                ("BACKGROUND", (2, 1), (2, 1), HexColor(COLORS[f"chance_{c.level}_tint"])),
            ],
        )
        table.keepWithNext = 1
        self.para(plain_xml(self.t("both_sides_note")), "muted")

    def chance_fields(self, a: AssessmentSummary) -> None:
        """The chance side per field: a table and a chart, like the risks above."""
        assert a.chances is not None
        # heading, table and chart stay together on one page (they are short)
        rows_room = PAGE["room_per_table_row"] * (len(a.chance_fields) + 3)
        chart_room = len(a.chance_fields) * (CHART["bar_height"] + CHART["bar_gap"]) + 70
        self.items.append(CondPageBreak(rows_room + chart_room))
        self.h3(self.t("chances"))
        label = self.st["cell_head"]
        heads = ["chance_field", "answered", "chance_share", "chance_level"]
        rows = [[Paragraph(plain_xml(self.t(k)), label) for k in heads]]
        every = [*a.chance_fields, a.chances]
        for f in every:
            name = plain_xml(f.title)
            rows.append(
                [
                    Paragraph(f"<b>{name}</b>" if f is a.chances else name, self.st["cell"]),
                    self.cell(f"{f.answered}/{f.applicable}"),
                    self.cell(self.percent(f.chance_percent, f.answered)),
                    Paragraph(self.chance(f.level), self.st["cell"]),
                ]
            )
        tints = [
            ("BACKGROUND", (3, i), (3, i), HexColor(COLORS[f"chance_{f.level}_tint"]))
            for i, f in enumerate(every, start=1)
        ]
        table = self.table(
            rows,
            [0.55, 0.14, 0.13, 0.18],
            extra=[("LINEABOVE", (0, -1), (-1, -1), 0.9, HexColor(COLORS["accent"])), *tints],
        )
        table.keepWithNext = 1
        bars = chance_bars(a.chance_fields, self.lang)
        if bars:
            names = chance_names(self.lang)
            limits = (CHANCE_MEDIUM_FROM_PERCENT, CHANCE_HIGH_FROM_PERCENT)
            chart = chance_chart(bars, self.width, limits, names)
            text = self.t(
                "chance_chart_caption",
                medium=CHANCE_MEDIUM_FROM_PERCENT,
                high=CHANCE_HIGH_FROM_PERCENT,
            )
            chart.__dict__["alt_text"] = chart_alt(bars, names, text, self.lang)  # tagged PDF
            caption = Paragraph(plain_xml(text), self.st["caption"])
            self.items.append(Spacer(1, 8))
            self.items.append(KeepTogether([chart, caption]))

    def ratings_table(self, a: AssessmentSummary) -> None:
        label = self.st["cell_head"]
        if a.ratings:
            heads = ["question", "answer", "evidence", "answered_by"]
            rows = [[Paragraph(plain_xml(self.t(k)), label) for k in heads]]
            marks: list[tuple[Any, ...]] = []
            answer_width = 0.13 * self.width - 2 * TABLE["padding"]
            for i, r in enumerate(a.ratings, start=1):
                rows.append(self.rating_row(r, answer_width))
                if r.blocker_hit:
                    marks.append(("LINEBEFORE", (0, i), (0, i), 2.5, HexColor(COLORS["red"])))
            self.table(rows, [0.40, 0.13, 0.31, 0.16], extra=marks)

    def fitted_word(self, word: str, width: float) -> str:
        """``word`` as cell markup; broken with a hyphen at its soft hyphen if too wide."""
        whole = word.replace("\u00ad", "")
        if "\u00ad" not in word or stringWidth(whole, FONT, CELL_SIZE) <= width:
            return plain_xml(whole)
        head, tail = word.split("\u00ad", 1)
        return f"{plain_xml(head)}-<br/>{plain_xml(tail.replace(chr(0xAD), ''))}"

    def rating_row(self, r: Rating, answer_width: float = 1e9) -> list[Any]:
        question = (
            f"<font color='{COLORS['muted']}'>{plain_xml(r.field)}</font><br/>"
            f"{plain_xml(r.question)}"
        )
        colour = COLORS["red"] if r.blocker_hit else (COLORS["text"])
        answer = f"<font color='{colour}'>{plain_xml(r.answer_label)}</font>"
        if r.risk:
            answer = f"<b>{answer}</b>"
        if r.blocker_hit:  # not only a red line: a symbol and the word
            answer += (
                f"<br/><font color='{COLORS['red']}'>{BLOCKER_SYMBOL}</font><br/>"
                f"{self.fitted_word(self.t('blocker_mark'), answer_width)}"
            )
        if r.stale:
            answer += f"<br/><font color='{COLORS['muted']}'>{plain_xml(self.t('stale'))}</font>"
        evidence = plain_xml(r.evidence)
        if r.sources:
            evidence = (evidence + " " if evidence else "") + self.cites(r.sources)
        if r.note:
            evidence += (
                f"<br/><font color='{COLORS['muted']}'>"
                f"{plain_xml(self.t('note'))}: {plain_xml(r.note)}</font>"
            )
        who = "<br/>".join(plain_xml(x) for x in (r.answered_by, r.answered_on) if x)
        return [
            Paragraph(question, self.st["cell"]),
            Paragraph(answer, self.st["cell"]),
            Paragraph(evidence or "–", self.st["cell"]),
            Paragraph(who or "–", self.st["cell"]),
        ]

    def screening(self) -> None:
        rows_in = self.b.screening
        if rows_in is None:
            return
        self.h1(self.t("screening"))
        if not self.b.screening_lists:
            self.para(plain_xml(self.t("screening_no_lists")))
            return
        self.para(
            plain_xml(self.t("screening_lists", lists="; ".join(self.b.screening_lists))), "muted"
        )
        self.screened()
        pending = [r for r in self.b.screened if not r.current]
        if pending:
            self.para(
                plain_xml(
                    self.t("screening_incomplete", count=len(pending), total=len(self.b.screened))
                )
            )
        if not rows_in:
            if not pending:
                self.para(plain_xml(self.t("screening_none")))
            return
        label = self.st["cell_head"]
        with_reason = any(r.reason for r in rows_in)  # the public version has none
        heads = ["screening_subject", "screening_entry", "screening_list"]
        heads += ["screening_reason"] if with_reason else []
        rows = [[Paragraph(plain_xml(self.t(k)), label) for k in heads]]
        for r in rows_in:
            row = [self.cell(r.subject), self.cell(r.entry), self.cell(r.list_name)]
            who = ", ".join(x for x in (r.decided_by, r.decided_on) if x)
            reason = f"{r.reason} ({who})" if who else r.reason
            rows.append(row + [self.cell(reason)] if with_reason else row)
        widths = [0.24, 0.26, 0.2, 0.3] if with_reason else [0.32, 0.38, 0.3]
        self.table(
            rows,
            widths,
            extra=[  # a confirmed hit is a finding
                ("LINEBEFORE", (0, 1), (0, -1), 2.5, HexColor(COLORS["red"])),
            ],
        )

    def screened(self) -> None:
        """Who was checked, against which list version, when; and who was not."""
        if not self.b.screened:
            return
        self.para(plain_xml(self.t("screening_checked")), "h3")  # no bookmark: under a chapter
        label = self.st["cell_head"]
        heads = ["screening_subject", "screening_kind", "screening_on", "screening_against"]
        rows = [[Paragraph(plain_xml(self.t(k)), label) for k in heads]]
        for r in self.b.screened:
            rows.append(
                [
                    self.cell(r.subject),
                    self.cell(r.kind_label),
                    self.cell(r.checked_on or self.t("screening_never")),
                    self.cell(r.lists or "–"),
                ]
            )
        self.table(rows, [0.3, 0.16, 0.14, 0.4])
        self.items.append(Spacer(1, 6))

    def registers(self) -> None:
        """The registers of the paper's partnerships (visits, gifts, contacts, incidents)."""
        if not self.b.registers:
            return
        self.h1(self.t("registers"))
        intro = "registers_intro_public" if self.b.public else "registers_intro"
        self.para(plain_xml(self.t(intro)), "muted")
        label = self.st["cell_head"]
        for r in self.b.registers:
            self.h2(r.title, toc=False)  # the chapter is in the contents; a short one
            if r.rows:
                rows: list[list[Any]] = [[Paragraph(plain_xml(c), label) for c in r.columns]]
                for row in r.rows:
                    rows.append([self.cell(v, "cell_zh" if _cjk(v) else "cell") for v in row])
                self.table(rows, register_widths(r.field_names))
            if r.note:
                self.items.append(Spacer(1, 4))
                self.para(plain_xml(r.note))

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
        """Finanzielle Auswirkungen: "nein" in one sentence, "ja" as a small table of the
        Haushaltsjahr, Produkt/Kostenstelle, einmalig/laufend and Betrag; the free text
        follows as the Erläuterung."""
        b = self.b
        if not (b.financial_effects or b.financial_rows or b.financial_statement):
            return
        self.h1(self.t("financial"))
        if b.financial_statement:
            self.para(plain_xml(b.financial_statement))
        if b.financial_rows:
            label = self.st["cell_head"]
            self.table(
                [
                    [Paragraph(plain_xml(r.label), label), self.cell(r.value)]
                    for r in b.financial_rows
                ],
                [0.3, 0.45],
                head=False,
                extra=[("LINEABOVE", (0, 0), (-1, 0), 0.8, HexColor(COLORS["accent"]))],
            )
            self.items.append(Spacer(1, 6))
        if b.financial_effects:
            blocks = parse_markup(b.financial_effects)
            if b.financial_rows or b.financial_statement:  # the free text as "Erläuterung"
                label = Run(self.t("financial_explanation") + ": ", bold=True)
                if blocks and blocks[0].kind == "para":
                    blocks[0] = replace(blocks[0], runs=(label, *blocks[0].runs))
                else:
                    blocks.insert(0, Block("para", (label,)))
            self.items.extend(blocks_to_flowables(blocks, self.st, self.sources))

    def sources_list(self) -> None:
        if not self.b.sources:
            return
        self.h1(self.t("sources"))
        for s in self.b.sources:
            text = f'<a name="src-{s.number}"/>[{s.number}]\u2003{plain_xml(s.text)}'
            if s.url:
                text += f'. <font color="{COLORS["accent"]}">{plain_xml(s.url)}</font>'
            if s.accessed:
                text += f" ({plain_xml(self.t('accessed', date=s.accessed))})"
            self.items.append(Paragraph(text, self.st["source"]))

    def attachments(self) -> None:
        if not (self.b.attachments or self.rating_annexes):
            return
        self.h1(self.t("attachments"))
        for i, a in enumerate(self.rating_annexes, start=1):
            self.items.append(
                Paragraph(
                    f"<b>{i}.</b> {plain_xml(self.t('annex_ratings', title=a.title))}",
                    self.st["source"],
                )
            )
        for att in self.b.attachments:  # numbered after the rating annexes (briefing_annexes)
            size = max(1, round(att.size / 1024))
            placed = (
                f"{plain_xml(self.t('attachment_appended', pages=att.pages))} · "
                if att.pages
                else ""
            )
            text = (
                f"<b>{att.number}.</b> {plain_xml(att.file_name)}"
                f"<font color='{COLORS['muted']}'> · {placed}"
                f"{plain_xml(self.t('attachment_size', size=size))} · "
                f"SHA-256 {att.sha256[:12]}…</font>"
            )
            if att.description:
                text += "<br/>" + plain_xml(att.description)
            self.items.append(Paragraph(text, self.st["source"]))

    def signature(self) -> None:
        """Where the responsible person signs: a line, their name or office under it."""
        h = self.b.header
        who = h.responsible or h.lead_office
        line = Table(
            [
                [""],
                [Paragraph(plain_xml(who or self.t("signature")), self.st["cell"])],
                [Paragraph(plain_xml(self.t("signature")), self.st["caption"])],
            ],
            colWidths=[self.width * 0.45],
            hAlign="LEFT",
            renderCB=TableTags("layout"),
        )
        line.setStyle(
            TableStyle(
                [
                    (
                        "FONT",
                        (0, 0),
                        (-1, -1),
                        FONT,
                        9,
                    ),  # else the table names unembedded Helvetica
                    ("LINEBELOW", (0, 0), (0, 0), 0.6, HexColor(COLORS["text"])),
                    ("TOPPADDING", (0, 0), (0, 0), 26),
                    ("LEFTPADDING", (0, 0), (-1, -1), 0),
                ]
            )
        )
        self.items.append(Spacer(1, 12))
        self.items.append(KeepTogether([line]))

    def annexes(self) -> None:
        for i, a in enumerate(self.rating_annexes, start=1):
            self.annex_heading(
                self.t("annex_heading", number=i, title=self.t("annex_ratings", title=a.title))
            )
            self.ratings_table(a)

    def build(self) -> list[Flowable]:
        self.header()
        self.resolution()
        self.toc()
        self.changes()
        self.financial()  # where councils place it: before the Sachverhalt
        self.facts()
        self.assessment_chapter()
        self.screening()
        self.registers()
        self.evaluation()
        self.signature()
        self.sources_list()
        self.attachments()
        self.annexes()
        if self.slot is not None:
            self.slot.need = self.toc_need()
        return self.items


def _cjk(text: str) -> bool:
    return any(ord(c) > 0x2E80 for c in text)


def _hyphenated(cell: Any, width: float) -> Any:
    """A cell paragraph whose words wider than its column get soft hyphens (see
    ``reports.hyphenate``): ReportLab then breaks them between syllables with a
    visible hyphen instead of cutting them anywhere without one."""
    if not isinstance(cell, Paragraph) or getattr(cell.style, "wordWrap", None) == "CJK":
        return cell
    style = cell.style

    def too_wide(word: str) -> bool:
        return bool(stringWidth(word, style.fontName, style.fontSize) > width)

    text = hyphenate_markup(cell.text, too_wide)
    return cell if text == cell.text else Paragraph(text, style)
