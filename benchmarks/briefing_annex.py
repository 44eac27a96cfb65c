"""Benchmark: appending PDF Anlagen after a briefing (issue 12, point 6).

Times, in one run and one process, medians of ``--repeat`` rounds:
  * read: checking an Anlage before export (``briefing_annexes.pdf_pages``);
  * ours: ``reports.annex.append_annexes`` (bookmark, page labels, stamp, /ID);
  * plain: a plain pypdf concatenation of the same files (the yardstick);
  * export: the whole ``export_briefing`` of the sample dossier with the Anlage,
    beside the same export without it.

    .venv/bin/python benchmarks/briefing_annex.py [--pages 100] [--repeat 3]
"""

from __future__ import annotations

import argparse
import hashlib
import io
import json
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "tests"))

from pypdf import PdfReader, PdfWriter  # noqa: E402
from reportlab.lib.pagesizes import A4  # noqa: E402
from reportlab.pdfgen.canvas import Canvas  # noqa: E402

from chinadialog_desktop.domain.briefing_model import AnnexFile  # noqa: E402
from chinadialog_desktop.persistence.database import Database  # noqa: E402
from chinadialog_desktop.persistence.models import Attachment  # noqa: E402
from chinadialog_desktop.reports.annex import append_annexes  # noqa: E402
from chinadialog_desktop.services.briefing.annexes import pdf_pages  # noqa: E402
from chinadialog_desktop.services.briefing.export import BriefingOptions, export_briefing  # noqa: E402


def annex_pdf(pages: int) -> bytes:
    """A text-heavy PDF of ``pages`` A4 pages (forty lines each)."""
    buffer = io.BytesIO()
    canvas = Canvas(buffer, pagesize=A4, invariant=1)
    for page in range(pages):
        for line in range(40):
            canvas.drawString(
                72, 800 - line * 18, f"Anlage Seite {page + 1}, Zeile {line + 1} " * 3
            )
        canvas.showPage()
    canvas.save()
    return buffer.getvalue()


def timed(fn: object, repeat: int) -> float:
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        fn()  # type: ignore[operator]
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def plain_concat(body: bytes, annex: bytes) -> bytes:
    writer = PdfWriter()
    writer.append(PdfReader(io.BytesIO(body)))
    writer.append(PdfReader(io.BytesIO(annex)))
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--pages", type=int, default=100)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    os.environ["SOURCE_DATE_EPOCH"] = "1795000000"
    from helpers.briefing_sample import AS_OF, prepare

    annex = annex_pdf(args.pages)
    with tempfile.TemporaryDirectory() as tmp:
        db = Database.open(Path(tmp) / "bench.sqlite3")
        with db.session() as s:
            dossier = prepare(s)
            dossier_id = dossier.id
        options = BriefingOptions(as_of=AS_OF)

        def export() -> bytes:
            with db.session() as s:
                from chinadialog_desktop.persistence.models import Dossier

                return export_briefing(
                    s, s.get(Dossier, dossier_id), options, None, record=False
                ).data

        body = export()
        export_without = timed(export, args.repeat)
        with db.session() as s:
            s.add(
                Attachment(
                    file_name="Anlage.pdf",
                    media_type="application/pdf",
                    size=len(annex),
                    sha256=hashlib.sha256(annex).hexdigest(),
                    data=annex,
                    dossier_id=dossier_id,
                )
            )
        export_with = timed(export, args.repeat)
        files = [AnnexFile(3, "Anlage", "Anlage.pdf", annex)]
        figures = {
            "annex_pages": args.pages,
            "body_pages": len(PdfReader(io.BytesIO(body)).pages),
            "read_s": timed(lambda: pdf_pages(annex, "Anlage.pdf"), args.repeat),
            "ours_s": timed(lambda: append_annexes(body, files, "de"), args.repeat),
            "plain_s": timed(lambda: plain_concat(body, annex), args.repeat),
            "export_without_s": export_without,
            "export_with_s": export_with,
        }
        db.close()
    figures["ratio_ours_plain"] = figures["ours_s"] / figures["plain_s"]
    print(json.dumps({k: round(v, 3) if isinstance(v, float) else v for k, v in figures.items()}))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
