"""Time loading/validating the bundled checklists, importing them, and scoring an assessment."""

from __future__ import annotations

import statistics
import sys
import tempfile
import time
from datetime import date
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from chinadialog_desktop.interchange.checklist_yaml import check_file  # noqa: E402
from chinadialog_desktop.persistence.database import Database  # noqa: E402
from chinadialog_desktop.persistence.models import Partnership  # noqa: E402
from chinadialog_desktop.services.assessment import workflow as svc  # noqa: E402
from chinadialog_desktop.services.assessment.checklists import (  # noqa: E402
    bundled_files,
    find_template,
    install_bundled,
)

KEY = "urn:chinadialog:checklist:leitplanken-kommunal"


def median_ms(fn, runs: int = 7) -> float:
    fn()
    times = []
    for _ in range(runs):
        t = time.perf_counter()
        fn()
        times.append(time.perf_counter() - t)
    return 1000 * statistics.median(times)


def main() -> None:
    files = bundled_files()
    for path in files:
        print(f"validate {path.name}: {median_ms(lambda p=path: check_file(p)):.1f} ms")
    with tempfile.TemporaryDirectory() as tmp:
        db = Database.open(Path(tmp) / "bench.sqlite3")
        t = time.perf_counter()
        with db.session() as s:
            install_bundled(s)
        print(
            f"install-bundled ({len(files)} templates, first time): "
            f"{1000 * (time.perf_counter() - t):.1f} ms"
        )
        with db.session() as s:
            p = Partnership(title="Bench", type="twin_city")
            s.add(p)
            s.flush()
            a = svc.start_assessment(s, find_template(s, KEY), partnership=p)
            for item in find_template(s, KEY).items:
                scale = item.answer_scale or find_template(s, KEY).answer_scale
                svc.answer_item(s, a, item.item_key, svc.AnswerUpdate(answer=scale[0]["code"]))
            aid = a.id

        def report() -> None:
            with db.session() as s:
                svc.assessment_report(s, svc.get_assessment(s, aid), date.today())

        print(f"assessment show (49 items answered, scores and lights): {median_ms(report):.1f} ms")
        db.close()


if __name__ == "__main__":
    main()
