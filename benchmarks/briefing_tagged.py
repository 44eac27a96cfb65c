"""Benchmark: what tagging (PDF/UA-1) adds to a ~100-page briefing's PDF.

The dossier of ``benchmarks/briefing.py`` (20 partnerships × 50 activities, three
assessments); its content is built once, then laid out untagged and tagged in turn
(alternating, so load on the shared machine falls on both alike), in one process.
"tagged" is the whole ``build_pdf`` with marked content and the structure tree added
by pikepdf; "structure" is the pikepdf step alone (inside "tagged").

    .venv/bin/python benchmarks/briefing_tagged.py [--repeat 5]
"""

from __future__ import annotations

import argparse
import io
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "benchmarks"))

from briefing import populate  # noqa: E402

from chinadialog_desktop.persistence.database import Database  # noqa: E402
from chinadialog_desktop.persistence.models import Dossier  # noqa: E402
from chinadialog_desktop.reports import pdf_tags  # noqa: E402
from chinadialog_desktop.reports.pdf import build_pdf  # noqa: E402
from chinadialog_desktop.services.briefing.content import build_content  # noqa: E402
from chinadialog_desktop.services.briefing.export import BriefingOptions  # noqa: E402


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--public", action="store_true", help="the public variant")
    args = parser.parse_args()
    os.environ.setdefault("SOURCE_DATE_EPOCH", "1795000000")
    with tempfile.TemporaryDirectory() as tmp:
        db = Database.open(Path(tmp) / "bench.sqlite3")
        dossier_id = populate(db)
        with db.session() as s:
            if args.public:  # the benchmark dossier is VS-NfD: no public version of that
                s.get(Dossier, dossier_id).classification = "open"
                s.flush()
            content = build_content(
                s, s.get(Dossier, dossier_id), BriefingOptions(public=args.public)
            )
        db.close()

    structure: list[float] = []
    original = pdf_tags.tag_pdf

    def timed_tag_pdf(*a: object, **k: object) -> bytes:
        c0 = time.process_time()
        try:
            return original(*a, **k)  # type: ignore[arg-type]
        finally:
            structure.append(time.process_time() - c0)

    pdf_tags.tag_pdf = timed_tag_pdf  # type: ignore[assignment]
    import chinadialog_desktop.reports.pdf as pdf_module

    pdf_module.tag_pdf = timed_tag_pdf  # type: ignore[assignment]

    wall: dict[bool, list[float]] = {False: [], True: []}
    cpu: dict[bool, list[float]] = {False: [], True: []}
    sizes: dict[bool, int] = {}
    pages: dict[bool, int] = {}
    build_pdf(content, io.BytesIO(), tagged=True)  # warm-up: fonts, imports
    structure.clear()
    for _ in range(args.repeat):
        for tagged in (False, True):
            out = io.BytesIO()
            t0, c0 = time.perf_counter(), time.process_time()
            pages[tagged] = build_pdf(content, out, tagged=tagged)
            wall[tagged].append(time.perf_counter() - t0)
            cpu[tagged].append(time.process_time() - c0)
            sizes[tagged] = len(out.getvalue())
    med = statistics.median
    variant = "public" if args.public else "internal"
    print(f"{variant} variant, pages: untagged {pages[False]}, tagged {pages[True]}")
    for tagged in (False, True):
        name = "tagged  " if tagged else "untagged"
        print(
            f"{name}: {med(wall[tagged]):.2f} s wall, {med(cpu[tagged]):.2f} s CPU "
            f"(median of {args.repeat}), {sizes[tagged] / 1024:.0f} KB"
        )
    print(f"structure tree (pikepdf) alone: {med(structure):.2f} s CPU")
    print(
        f"tagged / untagged: {med(cpu[True]) / med(cpu[False]):.2f} CPU, "
        f"{med(wall[True]) / med(wall[False]):.2f} wall (target ≤ 1.30)"
    )
    print(f"load average {os.getloadavg()[0]:.1f} on {os.cpu_count()} CPUs")


if __name__ == "__main__":
    main()
