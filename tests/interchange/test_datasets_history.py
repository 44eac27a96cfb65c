"""The import history keeps a summary and the first problems; fingerprints once per record."""

from __future__ import annotations

import hashlib
from io import BytesIO

from helpers.db import failed_runs
from openpyxl import Workbook
from sqlalchemy import select

from chinadialog_desktop.cli import main
from chinadialog_desktop.persistence.models import Actor, ImportFingerprint, ImportRun, Partnership
from chinadialog_desktop.services.datasets.importing import (
    COMMITTED,
    HISTORY_PROBLEMS,
    NEEDS_DECISION,
    REJECTED,
    ImportOptions,
    import_dataset,
)


def _runs(db) -> list[ImportRun]:
    with db.session() as s:
        return list(s.scalars(select(ImportRun).order_by(ImportRun.id)))


def _fingerprints(db) -> dict[str, tuple[str, str]]:
    with db.session() as s:
        rows = s.execute(
            select(
                ImportFingerprint.record_uuid, ImportFingerprint.provided, ImportFingerprint.after
            )
        )
        return {u: (p, a) for u, p, a in rows}


def test_the_history_holds_a_summary_and_fingerprints_live_once_per_record(db, write):
    rows = "".join(f"Ort {i} (Beispiel);Land {i % 5}\r\n" for i in range(50))
    path = write("orte.csv", "Name;Bundesland\r\n" + rows)
    options = ImportOptions(kind="actors")
    assert import_dataset(db, path, options).status == COMMITTED
    after_first = _fingerprints(db)
    assert import_dataset(db, path, options).status == COMMITTED
    first, again = _runs(db)
    assert "records" not in first.counts and "records" not in again.counts
    assert first.counts["total"]["new"] == 50 and again.counts["total"]["unchanged"] == 50
    with db.session() as s:
        assert set(after_first) == set(s.scalars(select(Actor.uuid)))
    assert _fingerprints(db) == after_first  # nothing changed: nothing new to remember
    with db.session() as s:
        s.scalars(select(Actor).where(Actor.name_de == "Ort 7 (Beispiel)")).one().region = "Hier"
    newer = write(
        "orte2.csv",
        "Name;Bundesland\r\n" + rows.replace("Ort 7 (Beispiel);Land 2", "Ort 7 (Beispiel);Dort"),
    )
    result = import_dataset(db, newer, options)
    assert result.status == NEEDS_DECISION  # the base of the first run is still known
    assert result.plan is not None and [c.label for c in result.plan.conflicts()] == [
        "Ort 7 (Beispiel)"
    ]


def test_the_history_keeps_the_first_problems_and_how_many_in_all(db, write):
    wb = Workbook()
    ws = wb.active
    ws.append(["Kommune", "Partnerstadt", "Bemerkung"])
    for i in range(HISTORY_PROBLEMS + 10):
        ws.append([f"Kommune {i} (Beispiel)", f"Stadt {i}", "=1+1"])  # a note per formula
    out = BytesIO()
    wb.save(out)
    result = import_dataset(db, write("register.xlsx", out.getvalue()))
    assert result.status == COMMITTED, result.problems.format()
    assert result.problems.total == HISTORY_PROBLEMS + 10
    [run] = _runs(db)
    lines = run.message.splitlines()
    assert len(lines) == HISTORY_PROBLEMS + 1
    assert lines[-1] == "… and 10 more problems not shown"


def test_csv_with_old_mac_line_ends_still_reads(db, write):
    path = write("r.csv", 'Kommune;Partnerstadt\r"Bonn\rBeuel";Chengdu\rKiel;Qingdao\r')
    result = import_dataset(db, path)
    assert result.status == COMMITTED, result.problems.format()
    with db.session() as s:
        assert sorted(s.scalars(select(Partnership.title))) == [
            "Bonn\rBeuel – Chengdu",
            "Kiel – Qingdao",
        ]


def test_a_rejected_attempt_is_in_the_history_with_file_hash_and_reason(db, write, state):
    bad = write(
        "termine.csv", "Kommune;Partnerstadt;Unterzeichnet am\r\nBonn;Chengdu;31.02.1982\r\n"
    )
    before = state()
    dry = import_dataset(db, bad, dry_run=True)
    assert dry.status == REJECTED
    assert failed_runs(db) == []  # a dry run (the wizard's look at a file) is not an attempt
    result = import_dataset(db, bad)
    assert result.status == REJECTED
    [(name, sha, why)] = failed_runs(db)
    assert (name, sha) == ("termine.csv", hashlib.sha256(bad.read_bytes()).hexdigest())
    assert "termine.csv, line 2, column 3" in why and "31.02.1982" in why
    assert state() == before  # nothing else was written


def test_cli_lists_rejected_attempts(tmp_path, capsys):
    bad = tmp_path / "termine.csv"
    bad.write_text("Kommune;Partnerstadt;Unterzeichnet am\r\nBonn;Chengdu;31.02.1982\r\n", "utf-8")
    db = tmp_path / "c.sqlite3"
    assert main(["--lang", "de", "--db", str(db), "import", str(bad)]) == 1
    capsys.readouterr()
    assert main(["--lang", "de", "--db", str(db), "imports"]) == 0
    out = capsys.readouterr().out
    assert "termine.csv" in out and "Fehlgeschlagen" in out and "Probleme 1, Fehler 1" in out
