"""Benchmark: the ~100-page briefing as PDF/A-2b and PDF/A-3b, beside the plain PDF.

Uses the data set of ``benchmarks/briefing.py`` (20 partnerships × 50 activities,
three assessments with charts, VS-NfD), plus two stored files for PDF/A-3 (a 1 MB
CSV and a small PDF Anlage with its font embedded). Times, in one process and one
run, the variants interleaved, each the median of ``--repeat``:
  * plain: ``render_pdf`` of the content without PDF/A (the baseline);
  * PDF/A-2b: ``render_pdf`` with ``pdfa=2`` (layout + pikepdf post-processing);
  * PDF/A-3b: ``render_pdf`` with ``pdfa=3`` (also the Anlage appended and both files
    embedded; its plain twin with the same Anlage is timed as well);
  * the post-processing alone (``make_archival`` on the plain bytes).
Target (issue 18): PDF/A adds no more than 30 % to the PDF's time. The benchmark also
checks that two runs give the same bytes (SOURCE_DATE_EPOCH) and, outside the timing,
that the checker of the tests finds nothing in the PDF/A files.

    .venv/bin/python benchmarks/briefing_pdfa.py [--repeat 5]
"""

from __future__ import annotations

import argparse
import hashlib
import io
import os
import resource
import statistics
import sys
import tempfile
import time
from dataclasses import replace
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "benchmarks"))
sys.path.insert(0, str(ROOT / "tests"))

from briefing import populate  # noqa: E402  (benchmarks/briefing.py: the same data set)

from chinadialog_desktop.persistence.database import Database  # noqa: E402
from chinadialog_desktop.persistence.models import Attachment, Dossier  # noqa: E402
from chinadialog_desktop.services.briefing.export import (  # noqa: E402
    BriefingOptions,
    prepare_content,
    render_pdf,
)


def timed(fn):  # type: ignore[no-untyped-def]
    t0, c0 = time.perf_counter(), time.process_time()
    result = fn()
    return result, time.perf_counter() - t0, time.process_time() - c0


def anlage_pdf() -> bytes:
    from reportlab.pdfgen.canvas import Canvas

    from chinadialog_desktop.reports import fonts
    from chinadialog_desktop.reports.styles import FONT

    fonts.register()
    buffer = io.BytesIO()
    canvas = Canvas(buffer, invariant=1, initialFontName=FONT)
    for page in range(3):
        canvas.setFont(FONT, 12)
        canvas.drawString(72, 700, f"Vereinbarung (Beispiel), Blatt {page + 1}")
        canvas.showPage()
    canvas.save()
    return buffer.getvalue()


def add_files(db: Database, dossier_id: int) -> None:
    table = "".join(f"{i};Beispielperson {i};Beispielstadt;2026\n" for i in range(25_000))
    files = [
        ("Vereinbarung.pdf", "application/pdf", anlage_pdf()),
        ("Teilnehmer.csv", "text/csv", table.encode()),
    ]
    with db.session() as s:
        for name, media, data in files:
            s.add(
                Attachment(
                    file_name=name,
                    media_type=media,
                    size=len(data),
                    sha256=hashlib.sha256(data).hexdigest(),
                    data=data,
                    description=f"{name} (Beispiel)",
                    dossier_id=dossier_id,
                )
            )


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()
    os.environ.setdefault("SOURCE_DATE_EPOCH", "1795000000")
    from helpers.pdfa_rules import violations

    from chinadialog_desktop.reports.pdf_archive import make_archival

    with tempfile.TemporaryDirectory() as tmp:
        db = Database.open(Path(tmp) / "bench.sqlite3")
        dossier_id = populate(db)
        with db.session() as s:
            dossier = s.get(Dossier, dossier_id)
            plain = prepare_content(s, dossier, BriefingOptions())
        add_files(db, dossier_id)
        with db.session() as s:
            dossier = s.get(Dossier, dossier_id)
            with_files = prepare_content(s, dossier, BriefingOptions())
            archived3 = prepare_content(s, dossier, BriefingOptions(pdfa=3))
        archived2 = replace(plain, pdfa=2)
        variants = {
            "plain": plain,
            "pdfa2": archived2,
            "plain+files": with_files,
            "pdfa3": archived3,
        }
        render_pdf(plain)  # warm-up: imports, fonts
        make_archival(render_pdf(plain)[0])
        times: dict[str, list[tuple[float, float]]] = {k: [] for k in variants}
        times["post"] = []
        outputs: dict[str, set[bytes]] = {k: set() for k in variants}
        pages: dict[str, int] = {}
        for _ in range(args.repeat):
            for name, content in variants.items():
                (data, count), wall, cpu = timed(lambda c=content: render_pdf(c))
                times[name].append((wall, cpu))
                outputs[name].add(hashlib.sha256(data).digest())
                pages[name] = count
                if name == "plain":
                    plain_bytes = data
            _, wall, cpu = timed(lambda b=plain_bytes: make_archival(b))
            times["post"].append((wall, cpu))
        for name in variants:
            assert len(outputs[name]) == 1, f"{name}: runs gave different bytes"
        pdfa2 = render_pdf(archived2)[0]
        pdfa3 = render_pdf(archived3)[0]
        found = violations(pdfa2, 2) + violations(pdfa3, 3)
        db.close()

    def med(name: str, index: int) -> float:
        return statistics.median(t[index] for t in times[name])

    print(f"pages: {pages}")
    for name in (*variants, "post"):
        print(f"{name:12s} wall {med(name, 0):6.2f} s   cpu {med(name, 1):6.2f} s")
    for archived, base in (("pdfa2", "plain"), ("pdfa3", "plain+files")):
        print(
            f"{archived} / {base}: wall +{100 * (med(archived, 0) / med(base, 0) - 1):.1f} %, "
            f"cpu +{100 * (med(archived, 1) / med(base, 1) - 1):.1f} %"
        )
    print(f"sizes: plain {len(plain_bytes)} B, PDF/A-2b {len(pdfa2)} B, PDF/A-3b {len(pdfa3)} B")
    print(f"checker: {len(found)} violations {found[:3]}")
    print(f"load average: {os.getloadavg()[0]:.1f}")
    print(
        f"peak memory (max RSS): {resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024:.0f} MB"
    )


if __name__ == "__main__":
    main()
