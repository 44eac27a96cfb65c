"""Benchmark: export and import dossiers, checklist templates and assessments (package and JSON).

Run: ``.venv/bin/python benchmarks/nested_datasets.py``. 300 dossiers (five sections,
three deliberations, two partnerships, four cited sources each) and 600 assessments (every
item of the bundled template answered, half of them signed): export, import into an empty
database, and the re-import that changes nothing.
"""

from __future__ import annotations

import platform
import sys
import tempfile
import time
from datetime import date
from pathlib import Path

from sqlalchemy import select

from chinadialog_desktop.domain.enums import SectionKey
from chinadialog_desktop.persistence.base import utcnow
from chinadialog_desktop.persistence.database import Database
from chinadialog_desktop.persistence.models import (
    Actor,
    Assessment,
    AssessmentAnswer,
    ChecklistTemplate,
    Deliberation,
    Dossier,
    DossierPartnership,
    DossierSection,
    DossierSource,
    Partnership,
    PartnershipParty,
    Source,
)
from chinadialog_desktop.services.assessment.checklists import install_bundled, to_domain
from chinadialog_desktop.services.datasets.export import export_dataset
from chinadialog_desktop.services.datasets.importing import COMMITTED, import_dataset

DOSSIERS = 300
ASSESSMENTS = 600


def fill(db: Database) -> None:
    with db.session() as s:
        install_bundled(s)
        template = s.scalars(select(ChecklistTemplate).order_by(ChecklistTemplate.id)).first()
        assert template is not None
        items = to_domain(template).item_ids()
        sources = [Source(title=f"Quelle {n}", year=2020 + n % 6) for n in range(400)]
        s.add_all(sources)
        partnerships = []
        for n in range(DOSSIERS * 2):
            german = Actor(name_de=f"Kommune {n}", kind="municipality", country="DE")
            chinese = Actor(name_de=f"Stadt {n}", kind="city", country="CN")
            p = Partnership(title=f"Kommune {n} – Stadt {n}")
            p.parties.append(PartnershipParty(actor=german, role="german", position=0))
            p.parties.append(PartnershipParty(actor=chinese, role="chinese", position=1))
            partnerships.append(p)
        s.add_all(partnerships)
        s.flush()
        dossiers = []
        for n in range(DOSSIERS):
            d = Dossier(title=f"Dossier {n}", purpose="Zweck " * 40, file_number=f"DS {n}")
            for pos, key in enumerate(SectionKey):
                d.sections.append(
                    DossierSection(key=key.value, position=pos, body="Absatz. " * 200)
                )
            for pos in range(3):
                d.deliberations.append(
                    Deliberation(position=pos, body=f"Ausschuss {pos}", meeting_on=date(2026, 3, 1))
                )
            for pos in range(2):
                d.partnership_links.append(
                    DossierPartnership(partnership=partnerships[2 * n + pos], position=pos)
                )
            for number in range(1, 5):
                d.source_links.append(
                    DossierSource(source=sources[(n * 4 + number) % 400], number=number)
                )
            dossiers.append(d)
        s.add_all(dossiers)
        s.flush()
        for n in range(ASSESSMENTS):
            a = Assessment(
                title=f"Prüfung {n}",
                template_id=template.id,
                partnership_id=partnerships[n].id,
                status="signed" if n % 2 else "open",
                reviewed_by="Prüferin" if n % 2 else None,
                signed_at=utcnow() if n % 2 else None,
            )
            for k, item in enumerate(items):
                a.answers.append(
                    AssessmentAnswer(
                        item_key=item,
                        answer="yes",
                        evidence="Beleg " * 20,
                        answered_by="Sachbearbeitung",
                        answered_at=utcnow(),
                        source_ids=[sources[(n + k) % 400].uuid],
                    )
                )
            s.add(a)


def timed(label: str, fn, results: list[tuple[str, str]]):  # type: ignore[no-untyped-def]
    start = time.perf_counter()
    value = fn()
    results.append((label, f"{time.perf_counter() - start:.2f} s"))
    return value


def main() -> int:
    results: list[tuple[str, str]] = []
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        source = Database.open(folder / "a.sqlite3")
        fill(source)
        for fmt, name in (("package", "all.zip"), ("json", "all.json")):
            out = folder / name
            with source.session() as s:
                timed(
                    f"export {fmt}",
                    lambda s=s, fmt=fmt, out=out: export_dataset(s, fmt, out, kinds=["all"]),
                    results,
                )
            size = out.stat().st_size / 1e6
            target = Database.open(folder / f"{fmt}.sqlite3")
            first = timed(
                f"import {fmt} into an empty database",
                lambda target=target, out=out: import_dataset(target, out),
                results,
            )
            assert first.status == COMMITTED, first.problems.format()
            again = timed(
                f"re-import {fmt} (no change)",
                lambda target=target, out=out: import_dataset(target, out),
                results,
            )
            assert again.plan is not None and again.plan.totals()["new"] == 0
            results.append((f"{fmt} size", f"{size:.1f} MB"))
            target.close()
        source.close()
    print(f"Python {sys.version.split()[0]}, {platform.platform()}")
    print(f"{DOSSIERS} dossiers, {ASSESSMENTS} assessments, flat records they link")
    for label, value in results:
        print(f"| {label} | {value} |")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
