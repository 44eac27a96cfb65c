"""Benchmark: the ~100-page briefing as Word document, beside the PDF of the same dossier.

Uses the data set of ``benchmarks/briefing.py`` (20 partnerships × 50 activities,
three assessments with charts, VS-NfD). Times, in one process and one run, each
the median of ``--repeat``:
  * content: dossier → briefing content model (shared by both writers);
  * PDF: ``render_pdf`` (the yardstick: what File → Export briefing as PDF lays out);
  * DOCX: ``render_docx`` (what File → Export briefing as Word document writes);
  * DOCX in a template: the same into a municipality's template (letterhead, styles);
  * whole Word export: ``export_briefing(fmt="docx")`` (content, checks, file, record).
The first DOCX run (imports of python-docx/lxml, the font for the chart) is
reported on its own. With ``--pages`` LibreOffice counts the Word file's pages
(outside the timing). Peak memory is the process's maximum resident set size.

    .venv/bin/python benchmarks/briefing_docx.py [--repeat 5] [--pages]
"""

from __future__ import annotations

import argparse
import os
import re
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "benchmarks"))

from briefing import populate  # noqa: E402  (benchmarks/briefing.py: the same data set)

from chinadialog_desktop.persistence.database import Database  # noqa: E402
from chinadialog_desktop.persistence.models import Dossier  # noqa: E402
from chinadialog_desktop.services.briefing.content import build_content  # noqa: E402
from chinadialog_desktop.services.briefing.export import (  # noqa: E402
    BriefingOptions,
    export_briefing,
    render_docx,
    render_pdf,
)


def timed(fn):  # type: ignore[no-untyped-def]
    t0, c0 = time.perf_counter(), time.process_time()
    result = fn()
    return result, time.perf_counter() - t0, time.process_time() - c0


def make_template(folder: Path) -> Path:
    import docx

    document = docx.Document()
    document.add_paragraph("Stadtverwaltung Beispielstadt – Der Oberbürgermeister (Beispiel)")
    document.sections[0].header.paragraphs[0].text = "Briefkopf Beispielstadt (Beispiel)"
    path = folder / "vorlage.docx"
    document.save(path)
    return path


def libreoffice_pages(docx_path: Path, folder: Path) -> int | None:
    if shutil.which("soffice") is None or shutil.which("pdfinfo") is None:
        return None
    subprocess.run(
        [
            "soffice",
            f"-env:UserInstallation={(folder / 'lo').as_uri()}",
            "--headless",
            "--convert-to",
            "pdf",
            "--outdir",
            str(folder / "lo-out"),
            str(docx_path),
        ],
        capture_output=True,
        timeout=600,
    )
    pdf = folder / "lo-out" / (docx_path.stem + ".pdf")
    if not pdf.exists():
        return None
    info = subprocess.run(["pdfinfo", str(pdf)], capture_output=True, text=True).stdout
    found = re.search(r"^Pages:\s+(\d+)", info, re.M)
    return int(found.group(1)) if found else None


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--pages", action="store_true", help="count the Word pages (LibreOffice)")
    args = parser.parse_args()
    os.environ.setdefault("SOURCE_DATE_EPOCH", "1795000000")
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        db = Database.open(folder / "bench.sqlite3")
        dossier_id = populate(db)
        template = make_template(folder)
        with db.session() as s:
            content, content_wall, _ = timed(
                lambda: build_content(s, s.get(Dossier, dossier_id), BriefingOptions())
            )
        data, first_wall, first_cpu = timed(lambda: render_docx(content))
        pdf_t, pdf_c, docx_t, docx_c, tmpl_t, export_t = [], [], [], [], [], []
        pages = 0
        size = len(data)
        for _ in range(args.repeat):
            (_pdf, pages), wall, cpu = timed(lambda: render_pdf(content))
            pdf_t.append(wall)
            pdf_c.append(cpu)
            again, wall, cpu = timed(lambda: render_docx(content))
            assert again == data  # byte-identical with SOURCE_DATE_EPOCH
            docx_t.append(wall)
            docx_c.append(cpu)
            _, wall, _ = timed(lambda: render_docx(content, template))
            tmpl_t.append(wall)
            with db.session() as s:
                _, wall, _ = timed(
                    lambda: export_briefing(
                        s,
                        s.get(Dossier, dossier_id),
                        BriefingOptions(),
                        folder / "bench.docx",
                        fmt="docx",
                    )
                )
                export_t.append(wall)
        db.close()
        word_pages = libreoffice_pages(folder / "bench.docx", folder) if args.pages else None
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    med = statistics.median
    print(f"PDF pages: {pages}; Word pages (LibreOffice): {word_pages or 'not counted'}")
    print(f"DOCX size: {size / 1024:.0f} KiB")
    print(f"content (DB → model):             {content_wall:.2f} s")
    print(f"PDF layout (render_pdf):          {med(pdf_t):.2f} s wall, {med(pdf_c):.2f} s CPU")
    print(f"DOCX (render_docx):               {med(docx_t):.2f} s wall, {med(docx_c):.2f} s CPU")
    print(f"DOCX, first run (imports):        {first_wall:.2f} s wall, {first_cpu:.2f} s CPU")
    print(f"DOCX into a template:             {med(tmpl_t):.2f} s wall")
    print(f"whole Word export (record, file): {med(export_t):.2f} s wall")
    print(f"ratio DOCX / PDF (CPU):           {med(docx_c) / med(pdf_c):.2f}")
    print(f"peak memory (max RSS):            {peak_mb:.0f} MB")
    print(
        f"load average {os.getloadavg()[0]:.1f} on {os.cpu_count()} CPUs; median of {args.repeat}"
    )


if __name__ == "__main__":
    main()
