"""Issue 17.5 (last sentence): imports and reference-list updates lock only what they change.

A second process really is in the middle of importing a new version of one list (it
holds that list's advisory lock and has written half its rows); meanwhile this process
updates another list, saves an actor and is refused — in one German sentence, with
nothing changed — when it tries to update the same list. When the first import
commits, everything is there and the audit chain is unbroken.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import psycopg
import pytest
from sqlalchemy import func, select

from chinadialog_desktop.cli import main
from chinadialog_desktop.persistence.audit import verify_chain
from chinadialog_desktop.persistence.database import Database
from chinadialog_desktop.persistence.models import Actor
from chinadialog_desktop.persistence.models_reference import ReferenceEntity, ReferenceList
from chinadialog_desktop.persistence.server import (
    new_reference_list_lock_key,
    parse_target,
    reference_list_lock_key,
)
from chinadialog_desktop.services.records import edit as records
from chinadialog_desktop.services.screening.list_locks import ListBusy
from chinadialog_desktop.services.screening.reference_lists import (
    delete_reference_list,
    import_reference_list,
)

ROOT = Path(__file__).resolve().parents[2]

# Imports a file and stops once it adds entities (its list locked, rows written, not
# committed) until the file named third exists; it notes the moment in the second file.
PAUSED_IMPORT = """
import sys, time
from pathlib import Path
from typing import Any
from chinadialog_desktop.i18n import set_language
from chinadialog_desktop.persistence.database import Database
from chinadialog_desktop.services.screening.reference_lists import import_reference_list
set_language("en")  # the progress messages below are matched in English
url, source, mark, release = sys.argv[1], Path(sys.argv[2]), Path(sys.argv[3]), Path(sys.argv[4])
def progress(done, total, message):
    if message.startswith("Adding") and not mark.exists():
        mark.write_text("paused", encoding="utf-8")
        while not release.exists():
            time.sleep(0.05)
database = Database.open(url)
result = import_reference_list(database, source, progress=progress, backup=False)
database.close()
print(result.status, result.new, result.updated, result.removed)
"""


def _listing(path: Path, dataset: str, count: int, tag: str = "") -> Path:
    rows = [
        {
            "id": f"{dataset}-{n}",
            "schema": "Company",
            "datasets": [dataset],
            "properties": {"name": [f"Beispiel {dataset} Werk {n}{tag} (Beispiel)"]},
        }
        for n in range(count)
    ]
    path.write_text("\n".join(json.dumps(r, ensure_ascii=False) for r in rows) + "\n", "utf-8")
    return path


def _wait_for(path: Path, process: subprocess.Popen[str]) -> None:
    deadline = time.monotonic() + 300  # a safety net for a busy machine, not a timing claim
    while not path.exists():
        assert process.poll() is None, process.communicate()
        assert time.monotonic() < deadline, "the first import never reached its rows"
        time.sleep(0.05)


def _entities(db: Database, list_key: str) -> int:
    with db.session() as s:
        return int(
            s.scalar(
                select(func.count())
                .select_from(ReferenceEntity)
                .join(ReferenceList)
                .where(ReferenceList.list_key == list_key)
            )
            or 0
        )


def test_two_officials_update_two_lists_at_once_and_not_the_same_one(
    pg_database: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    db = Database.open(pg_database)
    try:
        assert import_reference_list(db, _listing(tmp_path / "a1.json", "liste_a", 40)).ok
        assert import_reference_list(db, _listing(tmp_path / "b1.json", "liste_b", 40)).ok
        with db.session() as s:
            actor = records.create(s, "actor", {"name_de": "Stadtwerke (Beispiel)"})
        mark, release = tmp_path / "paused", tmp_path / "release"
        first = subprocess.Popen(
            [
                sys.executable,
                "-c",
                PAUSED_IMPORT,
                pg_database,
                str(_listing(tmp_path / "a2.json", "liste_a", 300, " neu")),
                str(mark),
                str(release),
            ],
            env=dict(os.environ, PYTHONPATH=str(ROOT)),
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        try:
            _wait_for(mark, first)
            # The same list: refused at once, in one German sentence, nothing changed.
            before = _entities(db, "liste_a")
            third = _listing(tmp_path / "a3.json", "liste_a", 10, " dritte")
            code = main(["--lang", "de", "--db", pg_database, "reflist", "import", str(third)])
            err = capsys.readouterr().err
            assert code == 1
            assert "Referenzliste „liste_a“ wird gerade von einer anderen Person aktualisiert" in (
                err
            )
            assert "Traceback" not in err and "SELECT" not in err
            assert err.strip().count("\n") == 0  # one sentence, one line
            assert _entities(db, "liste_a") == before == 40
            with pytest.raises(ListBusy):
                delete_reference_list(db, "liste_a")
            # Another list, and an ordinary save, go through while the import runs.
            other = import_reference_list(
                db, _listing(tmp_path / "b2.json", "liste_b", 60, " neu"), backup=False
            )
            assert (other.status, other.new, other.updated) == ("committed", 20, 40)
            with db.session() as s:
                records.update(s, "actor", actor.uuid, "notes", "gespeichert während des Imports")
            assert first.poll() is None  # the first import is still open all along
        finally:
            release.write_text("go", encoding="utf-8")
            out, err = first.communicate(timeout=300)
        assert first.returncode == 0, err
        assert out.split() == ["committed", "260", "40", "0"]  # new, updated, removed
        assert _entities(db, "liste_a") == 300 and _entities(db, "liste_b") == 60
        with db.session() as s:
            assert s.scalar(select(Actor.notes)) == "gespeichert während des Imports"
        # Now the list is free again: the update that was refused goes through.
        again = import_reference_list(db, third, backup=False, replace=True)
        assert (again.status, again.removed) == ("committed", 290)
        with db.engine.connect() as conn:
            report = verify_chain(conn)
        assert report.intact, report.breaks[:3]
    finally:
        db.close()


def test_a_list_being_created_is_held_by_its_key_and_freed_when_its_holder_dies(
    pg_database: str, tmp_path: Path
) -> None:
    """Another connection holds the lock of a list still being created (no uuid yet), then
    of an existing list; when that connection ends, as when a client is killed, the
    locks go with it."""
    target = parse_target(pg_database)
    listing = _listing(tmp_path / "neu.json", "neue_liste", 20)
    db = Database.open(pg_database)
    holder = psycopg.connect(
        host=target.host, port=target.port, user=target.user, dbname=target.database
    )
    try:
        holder.execute("SELECT pg_advisory_lock(%s)", (new_reference_list_lock_key("neue_liste"),))
        with pytest.raises(ListBusy, match="neue_liste"):
            import_reference_list(db, listing, backup=False)
        with db.session() as s:
            assert s.scalar(select(func.count()).select_from(ReferenceList)) == 0
        holder.close()  # the other client is gone: its locks with it
        assert import_reference_list(db, listing, backup=False).status == "committed"
        with db.session() as s:
            uuid = s.scalar(select(ReferenceList.uuid))
        assert uuid is not None
        holder = psycopg.connect(
            host=target.host, port=target.port, user=target.user, dbname=target.database
        )
        holder.execute("SELECT pg_advisory_lock(%s)", (reference_list_lock_key(uuid),))
        with pytest.raises(ListBusy, match="neue_liste"):
            import_reference_list(db, _listing(tmp_path / "v2.json", "neue_liste", 5))
        assert _entities(db, "neue_liste") == 20
    finally:
        holder.close()
        db.close()


def test_a_deadlock_between_two_officials_is_one_sentence_and_the_other_save_stands(
    pg_database: str,
) -> None:
    """Two sessions update two actors in opposite order: the server breaks the deadlock by
    rolling one back, which says so in one sentence (and may be tried again); the other
    commits. Never "the server cannot be reached", never SQL."""
    import threading

    from sqlalchemy import text

    from chinadialog_desktop.persistence.server import ConcurrentWrite

    first, second = Database.open(pg_database), Database.open(pg_database)
    try:
        with first.session() as s:
            ids = [
                records.create(s, "actor", {"name_de": f"Amt {n} (Beispiel)"}).id for n in (1, 2)
            ]
        both_hold_one = threading.Barrier(2, timeout=120)
        outcome: dict[str, BaseException | None] = {}

        def writer(name: str, db: Database, order: list[int]) -> None:
            try:
                with db.session() as s:
                    for n, actor_id in enumerate(order):
                        s.execute(
                            text("UPDATE actor SET notes = :v WHERE id = :i"),
                            {"v": name, "i": actor_id},
                        )
                        if n == 0:
                            both_hold_one.wait()
                outcome[name] = None
            except BaseException as exc:  # noqa: BLE001 - the outcome is what we test
                outcome[name] = exc

        threads = [
            threading.Thread(target=writer, args=("A", first, ids)),
            threading.Thread(target=writer, args=("B", second, ids[::-1])),
        ]
        for t in threads:
            t.start()
        for t in threads:
            t.join(timeout=300)
        failed = [e for e in outcome.values() if e is not None]
        assert len(outcome) == 2 and len(failed) == 1, outcome
        assert isinstance(failed[0], ConcurrentWrite), repr(failed[0])
        assert str(failed[0]).startswith("Another user changed the same data")
        winner = next(k for k, e in outcome.items() if e is None)
        with first.session() as s:
            assert set(s.scalars(select(Actor.notes))) == {winner}
    finally:
        first.close()
        second.close()


def test_two_officials_screening_one_actor_at_once_clash_in_one_sentence_then_agree(
    pg_database: str, tmp_path: Path
) -> None:
    """Both note the same check (subject, list) in the same moment: the second insert
    waits for the first commit, is refused by the unique key, and says so in one sentence
    (no SQL); tried again, it updates the row the first one wrote."""
    import threading

    from chinadialog_desktop.persistence.models_reference import ScreeningCheck
    from chinadialog_desktop.persistence.server import ConcurrentWrite
    from chinadialog_desktop.services.screening.checks import record_checks

    first, second = Database.open(pg_database), Database.open(pg_database)
    try:
        assert import_reference_list(first, _listing(tmp_path / "l.json", "liste", 5)).ok
        with first.session() as s:
            uuid = records.create(s, "actor", {"name_de": "Hefei (Beispiel)"}).uuid
        outcome: list[BaseException | None] = []
        with first.session() as s:
            record_checks(s, [uuid])  # written, not committed yet

            def other() -> None:
                try:
                    with second.session() as s2:
                        record_checks(s2, [uuid])
                    outcome.append(None)
                except BaseException as exc:  # noqa: BLE001 - the outcome is what we test
                    outcome.append(exc)

            thread = threading.Thread(target=other)
            thread.start()
            deadline = time.monotonic() + 300
            while not _waiting_for_a_lock(first):  # the other insert waits for ours
                assert thread.is_alive() and time.monotonic() < deadline, outcome
                time.sleep(0.05)
        thread.join(timeout=300)
        [error] = outcome
        assert isinstance(error, ConcurrentWrite), repr(error)
        assert "INSERT" not in str(error) and "screening_check" not in str(error)
        with second.session() as s2:  # tried again: no clash, the row is updated
            record_checks(s2, [uuid])
        with first.session() as s:
            assert s.scalar(select(func.count()).select_from(ScreeningCheck)) == 1
    finally:
        first.close()
        second.close()


def _waiting_for_a_lock(db: Database) -> bool:
    with db.engine.connect() as conn:
        return bool(
            conn.exec_driver_sql(
                "SELECT count(*) FROM pg_stat_activity WHERE wait_event_type = 'Lock' "
                "AND datname = current_database()"
            ).scalar()
        )


def test_the_screening_window_says_a_busy_list_was_not_imported(
    pg_database: str, qtbot: Any, german: None
) -> None:
    """The window's import of a list another official is updating: one German sentence that
    the list was not imported (not that a screening failed), and the list is unchanged."""
    from PySide6.QtWidgets import QLabel

    from chinadialog_desktop.ui.screening.view import ScreeningDialog

    ftm = ROOT / "tests" / "fixtures" / "ftm"
    target = parse_target(pg_database)
    db = Database.open(pg_database)
    dialog = ScreeningDialog(db)
    qtbot.addWidget(dialog)
    holder = psycopg.connect(
        host=target.host, port=target.port, user=target.user, dbname=target.database
    )
    try:
        dialog.show()
        with qtbot.waitSignal(dialog.sig_job_finished, timeout=120_000):
            assert dialog.import_list(ftm / "china_v1.ftm.json") is not None
        with db.session() as s:
            uuid, key = s.execute(select(ReferenceList.uuid, ReferenceList.list_key)).one()
        before = _entities(db, key)
        holder.execute("SELECT pg_advisory_lock(%s)", (reference_list_lock_key(uuid),))
        with qtbot.waitSignal(dialog.sig_job_finished, timeout=120_000):
            assert dialog.import_list(ftm / "china_v2.ftm.json") is not None
        message = dialog.findChild(QLabel, "reasonMessage")
        assert message.isVisible()
        text = message.text()
        assert text.startswith("Die Liste wurde nicht importiert: ")
        assert "wird gerade von einer anderen Person aktualisiert" in text
        assert "Abgleich" not in text and "\n" not in text and "Traceback" not in text
        assert _entities(db, key) == before
    finally:
        holder.close()
        dialog.stop()
        dialog.close()
        db.close()
