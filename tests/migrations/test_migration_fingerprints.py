"""Migration 0010: each record's import fingerprints leave the history for their own table."""

from __future__ import annotations

import json

from sqlalchemy import create_engine, text

from chinadialog_desktop.persistence import migrate
from chinadialog_desktop.persistence.database import Database
from chinadialog_desktop.persistence.engine import make_engine, sqlite_url
from chinadialog_desktop.services.datasets.importing import COMMITTED, import_dataset


def _upgrade_to(path, target: str) -> None:
    engine = make_engine(sqlite_url(path), foreign_keys=False)
    with engine.begin() as conn:
        migrate.upgrade(conn, target)
    engine.dispose()


def test_fingerprints_move_out_of_the_history_and_still_decide_conflicts(tmp_path):
    """A file imported before the upgrade: a newer file still updates what nobody edited."""
    path = tmp_path / "alt.sqlite3"
    _upgrade_to(path, "0009_screening_index")
    src = tmp_path / "orte.csv"
    src.write_text("Name;Bundesland\r\nOrt A (Beispiel);Land 1\r\nOrt B (Beispiel);Land 2\r\n")
    # The code before 0010 stored fingerprints in the run's counts; write such a history by hand
    # from what this version computes, then put the fingerprints back where that code kept them.
    new = tmp_path / "neu.sqlite3"
    db = Database.open(new)
    try:
        assert import_dataset(db, src).status == COMMITTED
        with db.engine.connect() as conn:
            pairs = {
                u: [p, a] for u, p, a in conn.execute(text("SELECT * FROM import_fingerprint"))
            }
            actors = conn.execute(
                text(
                    "SELECT uuid, created_at, modified_at, name_de, kind, country, region "
                    "FROM actor"
                )
            ).all()
            run = conn.execute(
                text(
                    "SELECT uuid, started_at, user, file_name, sha256, format, status, counts, "
                    "created_at, modified_at FROM import_run"
                )
            ).one()
    finally:
        db.close()
    counts = {**json.loads(run.counts), "records": pairs}
    engine = create_engine(sqlite_url(path))
    with engine.begin() as conn:
        for a in actors:
            conn.execute(
                text(
                    "INSERT INTO actor (uuid, created_at, modified_at, version, name_de, kind, "
                    "country, region) VALUES (:u, :c, :m, 1, :n, :k, :co, :r)"
                ),
                {
                    "u": a.uuid,
                    "c": a.created_at,
                    "m": a.modified_at,
                    "n": a.name_de,
                    "k": a.kind,
                    "co": a.country,
                    "r": a.region,
                },
            )
        conn.execute(
            text(
                "INSERT INTO import_run (uuid, started_at, user, file_name, sha256, format, "
                "status, counts, created_at, modified_at, version) "
                "VALUES (:u, :s, :us, :f, :h, :fo, :st, :c, :cr, :mo, 1)"
            ),
            {
                "u": run.uuid,
                "s": run.started_at,
                "us": run.user,
                "f": run.file_name,
                "h": run.sha256,
                "fo": run.format,
                "st": run.status,
                "c": json.dumps(counts),
                "cr": run.created_at,
                "mo": run.modified_at,
            },
        )
    engine.dispose()

    db = Database.open(path)  # upgrades to 0010
    try:
        with db.engine.connect() as conn:
            moved = {
                u: [p, a] for u, p, a in conn.execute(text("SELECT * FROM import_fingerprint"))
            }
            history = json.loads(conn.execute(text("SELECT counts FROM import_run")).scalar())
        assert moved == pairs and len(moved) == 2
        assert "records" not in history and history["total"]["new"] == 2
        newer = tmp_path / "orte2.csv"
        newer.write_text("Name;Bundesland\r\nOrt A (Beispiel);Dort\r\nOrt B (Beispiel);Land 2\r\n")
        result = import_dataset(db, newer)
        # Nobody edited Ort A since that import: an update, not a conflict. Without the
        # fingerprints from before the upgrade it could only be a conflict.
        assert result.status == COMMITTED, result.problems.format()
        assert result.plan is not None
        assert result.plan.totals() == {"new": 0, "updated": 1, "unchanged": 1, "conflict": 0}
    finally:
        db.close()
