"""Migration 0013: assessments get a classification; existing ones are 'open', nothing moves."""

from __future__ import annotations

from alembic import command
from sqlalchemy import text

from chinadialog_desktop.cli import main
from chinadialog_desktop.persistence import migrate
from chinadialog_desktop.persistence.database import Database
from chinadialog_desktop.persistence.models import Assessment


def _columns(db: Database) -> set[str]:
    with db.engine.connect() as conn:
        return {str(r[1]) for r in conn.execute(text("PRAGMA table_info(assessment)"))}


def test_a_file_of_0012_keeps_its_assessments_and_they_are_open(tmp_path, capsys):
    path = tmp_path / "Prüfung #1 评估.sqlite3"
    for args in (
        ["demo", "load"],
        ["checklist", "install-bundled"],
        ["assessment", "start", "1", "--dossier", "--template", "1"],
    ):
        assert main(["--lang", "en", "--db", str(path), *args]) == 0
    capsys.readouterr()
    engine = migrate.transactional_engine(path)
    with engine.begin() as conn:
        cfg = migrate.alembic_config()
        cfg.attributes["connection"] = conn
        command.downgrade(cfg, "0012_partnership_file_reference")
        assert "classification" not in {
            str(r[1]) for r in conn.execute(text("PRAGMA table_info(assessment)"))
        }
        before = conn.execute(text("SELECT id, uuid, title, status FROM assessment")).all()
    engine.dispose()
    assert len(before) == 1

    db = Database.open(path)  # backs the file up and upgrades it to the head
    try:
        assert db.opened.migrated_from == "0012_partnership_file_reference"
        assert "classification" in _columns(db)
        with db.session() as s:
            (a,) = s.query(Assessment).all()
            assert (a.id, a.uuid, a.title, a.status) == tuple(before[0])
            assert a.classification == "open"
            a.classification = "vs_nfd"  # a file keeps it as any field (one user: no policies)
        with db.session() as s:
            assert s.query(Assessment).one().classification == "vs_nfd"
    finally:
        db.close()
    assert main(["--lang", "en", "--db", str(path), "db", "verify"]) == 0
