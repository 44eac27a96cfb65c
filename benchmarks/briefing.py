"""Benchmark: a ~100-page briefing (20 partnerships × 50 activities, three assessments).

Times, in one run and one process:
  * content: reading the dossier from SQLite into the briefing content model;
  * layout: our ReportLab layout of that content (TOC, bookmarks, "Seite X von Y", charts);
  * plain: a plain ReportLab script laying out the same content (same font, tables,
    TOC via multiBuild, page numbers via a deferring canvas) as the yardstick;
  * export: the whole export_briefing (content + layout + hash + record).
Peak memory is the process's maximum resident set size.

    .venv/bin/python benchmarks/briefing.py [--repeat 3]
"""

from __future__ import annotations

import argparse
import io
import os
import resource
import statistics
import sys
import tempfile
import time
from datetime import date, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from sqlalchemy import select  # noqa: E402

from chinadialog_desktop.persistence.database import Database  # noqa: E402
from chinadialog_desktop.persistence.models import (  # noqa: E402
    Activity,
    Actor,
    Dossier,
    DossierPartnership,
    DossierSection,
    Partnership,
    PartnershipParty,
)
from chinadialog_desktop.services.assessment import workflow as svc  # noqa: E402
from chinadialog_desktop.services.assessment.checklists import find_template, install_bundled  # noqa: E402
from chinadialog_desktop.services.briefing.content import Briefing, build_content  # noqa: E402
from chinadialog_desktop.services.briefing.export import (  # noqa: E402
    BriefingOptions,
    export_briefing,
    render_pdf,
)

CITIES = [
    ("Suzhou", "苏州市", "Sūzhōu Shì"),
    ("Qingdao", "青岛市", "Qīngdǎo Shì"),
    ("Hefei", "合肥市", "Héféi Shì"),
    ("Wuhan", "武汉市", "Wǔhàn Shì"),
    ("Chengdu", "成都市", "Chéngdū Shì"),
]
KINDS = ["delegation", "agreement", "event", "project", "exchange", "other"]
TEMPLATE = "urn:chinadialog:checklist:leitplanken-kommunal"


def populate(db: Database) -> int:
    with db.session() as s:
        install_bundled(s)
        dossier = Dossier(
            title="Kommunale China-Beziehungen: Gesamtbericht (Benchmark)",
            lead_office="Referat Internationales",
            classification="vs_nfd",
            file_number="26-99999",
        )
        s.add(dossier)
        for key in ("summary", "background", "opportunities", "risks", "recommendation"):
            body = "\n\n".join(
                f"Absatz {i} zu {key}: Die Verwaltung prüft Ziele, Partner und Risiken der "
                f"Zusammenarbeit und berichtet dem Rat regelmäßig [1]. **Wichtig:** Daten "
                f"und Geräte auf Dienstreisen schützen."
                for i in range(4)
            )
            dossier.sections.append(DossierSection(key=key, body=body))
        template = find_template(s, TEMPLATE)
        items = [i.item_key for i in template.items]
        for n in range(20):
            city, zh, pinyin = CITIES[n % len(CITIES)]
            german = Actor(name_de=f"Stadt Beispielstadt {n + 1}", kind="city", country="DE")
            chinese = Actor(
                name_de=f"{city} ({n + 1})",
                name_zh=zh,
                name_pinyin=pinyin,
                kind="city",
                country="CN",
                region="Provinz Beispiel",
            )
            p = Partnership(
                title=f"Beispielstadt {n + 1}–{city}",
                type="twin_city",
                status="active",
                start_date=date(2000 + n % 20, 1, 1),
                start_precision="year",
                fields_of_action=["purpose", "economy", "education_culture"],
            )
            p.parties = [
                PartnershipParty(actor=german, role="german", position=0),
                PartnershipParty(actor=chinese, role="chinese", position=1),
            ]
            start = date(2010, 1, 1)
            p.activities = [
                Activity(
                    date=start + timedelta(days=45 * i),
                    kind=KINDS[i % len(KINDS)],
                    title=f"Vorgang {i + 1}: Austausch zu Stadtentwicklung und Bildung",
                    location="Beispielstadt" if i % 2 else city,
                    outcome="Gespräche über Schulpartnerschaften, Fachkräfte und "
                    "gemeinsame Projekte der beiden Städte; das Protokoll und "
                    "die Teilnehmerliste liegen der Verwaltung vor.",
                )
                for i in range(50)
            ]
            s.add(p)
            dossier.partnership_links.append(DossierPartnership(partnership=p, position=n))
        s.flush()
        for n, p in enumerate(s.scalars(select(Partnership).order_by(Partnership.id)).all()[:3]):
            a = svc.start_assessment(s, template, partnership=p)
            for i, item in enumerate(items):
                code = ("yes", "partly", "no", "unknown")[(i + n) % 4]
                try:
                    svc.answer_item(
                        s,
                        a,
                        item,
                        svc.AnswerUpdate(
                            answer=code,
                            evidence="Beleg aus den Akten der Verwaltung.",
                            answered_by="Benchmark",
                        ),
                    )
                except Exception:  # item with its own scale: answer with its first option
                    domain = svc.to_domain(a.template)
                    first = domain.scale_for(domain.item(item))[0].code
                    svc.answer_item(s, a, item, svc.AnswerUpdate(answer=first))
        return dossier.id


def plain_reportlab(content: Briefing) -> tuple[bytes, int]:
    """The same content through a plain ReportLab script (the yardstick)."""
    from reportlab.lib.pagesizes import A4
    from reportlab.lib.styles import ParagraphStyle
    from reportlab.lib.units import mm
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.ttfonts import TTFont
    from reportlab.pdfgen.canvas import Canvas
    from reportlab.platypus import (
        PageBreak,
        Paragraph,
        SimpleDocTemplate,
        Table,
        TableStyle,
    )
    from reportlab.platypus.tableofcontents import TableOfContents

    font = ROOT / "resources/fonts/wqy-microhei.ttc"
    if "PlainWQY" not in pdfmetrics.getRegisteredFontNames():
        pdfmetrics.registerFont(TTFont("PlainWQY", str(font), subfontIndex=0))
    body = ParagraphStyle("b", fontName="PlainWQY", fontSize=10, leading=14)
    cell = ParagraphStyle("c", fontName="PlainWQY", fontSize=8.5, leading=11)
    h1 = ParagraphStyle("h1", fontName="PlainWQY", fontSize=13.5, leading=17, spaceBefore=12)
    h2 = ParagraphStyle("h2", fontName="PlainWQY", fontSize=11.5, leading=15, spaceBefore=8)

    class Numbered(Canvas):
        def __init__(self, *a, **k):
            super().__init__(*a, **k)
            self._states = []

        def showPage(self):  # noqa: N802
            self._states.append(dict(self.__dict__))
            self._startPage()

        def save(self):
            for st in self._states:
                self.__dict__.update(st)
                self.setFont("PlainWQY", 8)
                self.drawRightString(
                    190 * mm, 10 * mm, f"Seite {self._pageNumber} von {len(self._states)}"
                )
                Canvas.showPage(self)
            Canvas.save(self)

    class Doc(SimpleDocTemplate):
        def afterFlowable(self, f):  # noqa: N802
            if isinstance(f, Paragraph) and f.style.name in ("h1", "h2"):
                self.notify(
                    "TOCEntry", (0 if f.style.name == "h1" else 1, f.getPlainText(), self.page)
                )

    grid = TableStyle(
        [
            ("FONT", (0, 0), (-1, -1), "PlainWQY", 8.5),
            ("GRID", (0, 0), (-1, -1), 0.4, "#c4ccd4"),
            ("VALIGN", (0, 0), (-1, -1), "TOP"),
        ]
    )
    toc = TableOfContents()
    toc.levelStyles = [body, cell]
    toc.tableStyle = TableStyle([("FONT", (0, 0), (-1, -1), "PlainWQY", 10)])
    story: list = [Paragraph(content.header.title, h1), toc, PageBreak()]
    for s in content.sections:
        story.append(Paragraph(s.title, h1))
        story.extend(Paragraph(p, body) for p in s.body.split("\n\n"))
    for p in content.partnerships:
        story.append(Paragraph(p.title, h2))
        story.append(
            Table(
                [
                    [Paragraph(x, cell) for x in (q.side, q.name, q.name_zh, q.pinyin)]
                    for q in p.parties
                ],
                style=grid,
                repeatRows=0,
            )
        )
        rows = [
            [
                Paragraph(a.date, cell),
                Paragraph(a.kind, cell),
                Paragraph(f"{a.title}<br/>{a.location} · {a.outcome}", cell),
            ]
            for a in p.activities
        ]
        story.append(Table(rows, colWidths=[70, 80, 310], style=grid, repeatRows=1))
    for a in content.assessments:
        story.append(Paragraph(a.title, h2))
        story.append(
            Table(
                [[Paragraph(f.title, cell), f"{f.risk_percent:.0f} %", f.light] for f in a.fields],
                style=grid,
            )
        )
        story.append(
            Table(
                [
                    [
                        Paragraph(r.question, cell),
                        Paragraph(r.answer_label, cell),
                        Paragraph(r.evidence, cell),
                        Paragraph(r.answered_by, cell),
                    ]
                    for r in a.ratings
                ],
                colWidths=[190, 60, 140, 70],
                style=grid,
                repeatRows=1,
            )
        )
    buffer = io.BytesIO()
    doc = Doc(buffer, pagesize=A4, initialFontName="PlainWQY")
    doc.multiBuild(story, canvasmaker=Numbered)
    return buffer.getvalue(), doc.page


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    os.environ.setdefault("SOURCE_DATE_EPOCH", "1795000000")
    with tempfile.TemporaryDirectory() as tmp:
        db = Database.open(Path(tmp) / "bench.sqlite3")
        dossier_id = populate(db)
        content_t, layout_t, plain_t, export_t = [], [], [], []
        layout_cpu, plain_cpu = [], []
        pages = plain_pages = 0
        for _ in range(args.repeat):
            with db.session() as s:
                t0 = time.perf_counter()
                content = build_content(s, s.get(Dossier, dossier_id), BriefingOptions())
                content_t.append(time.perf_counter() - t0)
            t0, c0 = time.perf_counter(), time.process_time()
            _, pages = render_pdf(content)
            layout_t.append(time.perf_counter() - t0)
            layout_cpu.append(time.process_time() - c0)
            t0, c0 = time.perf_counter(), time.process_time()
            _, plain_pages = plain_reportlab(content)
            plain_t.append(time.perf_counter() - t0)
            plain_cpu.append(time.process_time() - c0)
            with db.session() as s:
                t0 = time.perf_counter()
                export_briefing(
                    s,
                    s.get(Dossier, dossier_id),
                    BriefingOptions(changes=True),
                    Path(tmp) / "bench.pdf",
                )
                export_t.append(time.perf_counter() - t0)
        db.close()
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    med = statistics.median
    print(f"pages: ours {pages}, plain script {plain_pages}")
    print(f"content (DB → model), median of {args.repeat}: {med(content_t):.2f} s")
    print(
        f"layout (our ReportLab layout):    {med(layout_t):.2f} s wall, {med(layout_cpu):.2f} s CPU"
    )
    print(
        f"plain ReportLab script:           {med(plain_t):.2f} s wall, {med(plain_cpu):.2f} s CPU"
    )
    print(f"ratio layout / plain (CPU):       {med(layout_cpu) / med(plain_cpu):.2f}")
    print(f"whole export (with --changes):    {med(export_t):.2f} s")
    print(f"peak memory (max RSS):            {peak_mb:.0f} MB")
    try:
        import _rl_accel  # noqa: F401

        accel = "with"
    except ImportError:
        accel = "without"
    print(
        f"ReportLab C accelerator (rl-accel): {accel}; load average "
        f"{os.getloadavg()[0]:.1f} on {os.cpu_count()} CPUs"
    )


if __name__ == "__main__":
    main()
