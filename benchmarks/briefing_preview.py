"""Benchmark: the briefing preview's page pictures and printing, on the ~100-page briefing.

Uses the data set of ``benchmarks/briefing.py`` (20 partnerships × 50 activities,
three assessments). Times, in one process:
  * layout: ``render_pdf`` (what the preview's worker thread runs);
  * screen: one page rasterised with pypdfium2 to a QImage at 96 dpi (100 % zoom)
    and at 192 dpi (the same on a 2× high-DPI screen), median over all pages;
  * print: every page drawn on a PDF-format QPrinter at 300 dpi (``print_pages``,
    what a real printer gets);
  * print to file: half of the pages written as a vector PDF (``pdf_subset``).
Peak memory is the process's maximum resident set size.

    QT_QPA_PLATFORM=offscreen .venv/bin/python benchmarks/briefing_preview.py
"""

from __future__ import annotations

import os
import resource
import statistics
import sys
import tempfile
import time
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "benchmarks"))

from briefing import populate  # noqa: E402
from PySide6.QtPrintSupport import QPrinter  # noqa: E402
from PySide6.QtWidgets import QApplication  # noqa: E402

from chinadialog_desktop.persistence.database import Database  # noqa: E402
from chinadialog_desktop.persistence.models import Dossier  # noqa: E402
from chinadialog_desktop.services.briefing.export import (  # noqa: E402
    BriefingOptions,
    prepare_content,
    render_pdf,
)
from chinadialog_desktop.ui.briefing.preview import (  # noqa: E402
    pdf_subset,
    print_pages,
    render_page,
)
from chinadialog_desktop.ui.common import none_guard  # noqa: E402


def main() -> None:
    app = QApplication.instance() or QApplication([])
    none_guard.install(app)
    import pypdfium2 as pdfium

    with tempfile.TemporaryDirectory() as folder:
        db = Database.open(Path(folder) / "bench.sqlite3")
        dossier_id = populate(db)
        with db.sessions() as s:
            content = prepare_content(s, s.get(Dossier, dossier_id), BriefingOptions())
        db.close()
        start = time.perf_counter()
        data, pages = render_pdf(content)
        layout = time.perf_counter() - start

        document = pdfium.PdfDocument(data)
        timings: dict[int, list[float]] = {96: [], 192: []}
        for dpi, samples in timings.items():
            for index in range(pages):
                start = time.perf_counter()
                image = render_page(document, index, dpi)
                samples.append(time.perf_counter() - start)
                assert not image.isNull()
        document.close()
        before_print = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024

        printer = QPrinter(QPrinter.PrinterMode.HighResolution)
        printer.setOutputFormat(QPrinter.OutputFormat.PdfFormat)
        target = Path(folder) / "printed.pdf"
        printer.setOutputFileName(str(target))
        start = time.perf_counter()
        printed = print_pages(data, printer, list(range(pages)))
        printing = time.perf_counter() - start
        size = target.stat().st_size
        start = time.perf_counter()
        subset = pdf_subset(data, list(range(0, pages, 2)))
        to_file = time.perf_counter() - start

    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"pages: {pages}")
    print(f"layout (worker thread): {layout:.2f} s")
    for dpi, samples in timings.items():
        print(
            f"page picture at {dpi} dpi: median {statistics.median(samples) * 1000:.0f} ms, "
            f"max {max(samples) * 1000:.0f} ms"
        )
    print(
        f"print {printed} pages at 300 dpi to a PDF printer: {printing:.1f} s "
        f"({printing / printed * 1000:.0f} ms a page), {size / 1e6:.0f} MB"
    )
    print(
        f"print to file, every second page as vector PDF: {to_file * 1000:.0f} ms, "
        f"{len(subset) / 1e6:.1f} MB (whole briefing {len(data) / 1e6:.1f} MB)"
    )
    print(f"peak memory: {before_print:.0f} MB before printing, {peak:.0f} MB after")


if __name__ == "__main__":
    main()
