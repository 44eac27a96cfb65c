"""``db copy``: a file to a team server and back, whole, checked, all-or-nothing (issue 17.6)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from helpers.pg_server import PgServer

from chinadialog_desktop.cli import main
from chinadialog_desktop.persistence.engine import make_engine
from chinadialog_desktop.persistence.models import Base
from chinadialog_desktop.persistence.server import make_server_engine, parse_target
from chinadialog_desktop.services.dbcopy import NOT_COPIED, copy_database, table_hash

ROOT = Path(__file__).resolve().parents[2]


def cli(*args: str) -> int:
    return main(["--lang", "en", *args])


def hashes(location: str | Path) -> dict[str, tuple[int, str]]:
    """Row count and content hash of every table, computed independently of the copy."""
    if str(location).startswith("postgresql://"):
        engine = make_server_engine(parse_target(str(location)))
    else:
        engine = make_engine(Path(location), readonly=True)
    try:
        with engine.connect() as conn:
            return {
                t.name: (c.rows, c.sha256)
                for t in Base.metadata.sorted_tables
                if t.name not in NOT_COPIED  # a file copy records its own origin there
                for c in [table_hash(conn, t)]
            }
    finally:
        engine.dispose()


def server_rows(pg_server: PgServer, url: str, sql: str) -> list[tuple[object, ...]]:
    return pg_server.sql(sql, database=url.rsplit("/", 1)[1].split("?")[0])


@pytest.fixture
def pg_server_empty_url(pg_server: PgServer) -> Iterator[str]:
    """A server database without any tables: the copy sets up its schema itself."""
    name = pg_server.create_database("copy")
    try:
        yield pg_server.plain_url(name)
    finally:
        pg_server.drop_database(name)


@pytest.fixture
def demo_file(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> Path:
    folder = tmp_path / "Ämter #1"
    folder.mkdir()
    path = folder / "Stadt Süd#ä.sqlite3"
    assert cli("--db", str(path), "demo", "load") == 0
    # one attachment, bytes in the database, travels with the copy
    from chinadialog_desktop.persistence.database import Database
    from chinadialog_desktop.persistence.models_core import Attachment, Partnership

    database = Database.open(path)
    try:
        with database.session() as s:
            p = s.query(Partnership).first()
            assert p is not None
            data = bytes(range(256)) * 40
            import hashlib

            s.add(
                Attachment(
                    file_name="Vertrag (Beispiel).pdf",
                    size=len(data),
                    sha256=hashlib.sha256(data).hexdigest(),
                    data=data,
                    partnership_id=p.id,
                )
            )
    finally:
        database.close()
    capsys.readouterr()
    return path


def test_round_trip_file_server_file(demo_file, pg_server, pg_server_empty_url, tmp_path, capsys):
    source = hashes(demo_file)
    assert source["audit_event"][0] > 100 and source["attachment"][0] == 1

    assert cli("db", "copy", str(demo_file), pg_server_empty_url) == 0
    assert "counts and hashes match" in capsys.readouterr().out
    assert hashes(pg_server_empty_url) == source
    # the copied events keep their recorded user, the server's trigger did not rewrite them
    users = server_rows(pg_server, pg_server_empty_url, 'SELECT DISTINCT "user" FROM audit_event')
    assert ("postgres",) not in users
    assert cli("--db", pg_server_empty_url, "db", "verify") == 0
    assert "Audit trail intact" in capsys.readouterr().out
    assert cli("--db", pg_server_empty_url, "db", "check") == 0
    # search finds the copied records on the server
    assert cli("--db", pg_server_empty_url, "search", "Zhuhai") == 0
    assert "Zhuhai" in capsys.readouterr().out
    # new records and events get ids past the copied ones (the sequences were set),
    # and the chain goes on from the copied events
    from chinadialog_desktop.persistence.database import Database
    from chinadialog_desktop.persistence.models_core import Actor

    database = Database.open(pg_server_empty_url)
    try:
        with database.session() as s:
            s.add(Actor(name_de="Landkreis Neu (Beispiel)", kind="municipality", country="DE"))
            s.flush()
    finally:
        database.close()
    assert cli("--db", pg_server_empty_url, "db", "verify") == 0
    assert "Audit trail intact" in capsys.readouterr().out

    back = tmp_path / "zurück #2 %41" / "Kopie ö#?.sqlite3"
    copied = hashes(pg_server_empty_url)
    assert cli("db", "copy", pg_server_empty_url, str(back), "--json") == 0
    report = json.loads(capsys.readouterr().out)
    assert {t["table"]: (t["rows"], t["sha256"]) for t in report["tables"]} == copied
    assert report["audit_events"] == copied["audit_event"][0]
    assert hashes(back) == copied
    assert cli("--db", str(back), "db", "verify") == 0
    assert "Audit trail intact" in capsys.readouterr().out
    assert cli("--db", str(back), "db", "check") == 0
    assert not list(back.parent.glob("*.copy-part*"))


def test_file_to_server_to_file_equals_source(demo_file, pg_server_empty_url, tmp_path, capsys):
    copy_database(str(demo_file), pg_server_empty_url)
    back = tmp_path / "back.sqlite3"
    copy_database(pg_server_empty_url, str(back))
    assert hashes(back) == hashes(demo_file)


def test_non_empty_target_refused_unless_replace(demo_file, pg_server_empty_url, tmp_path, capsys):
    copy_database(str(demo_file), pg_server_empty_url)
    before = hashes(pg_server_empty_url)
    assert cli("db", "copy", str(demo_file), pg_server_empty_url) == 1
    err = capsys.readouterr().err
    assert "already holds data; nothing was copied" in err and "--replace" in err
    assert "Traceback" not in err
    assert hashes(pg_server_empty_url) == before

    other = tmp_path / "other.sqlite3"
    assert cli("--db", str(other), "demo", "load") == 0
    other_before = other.read_bytes()
    assert cli("db", "copy", str(demo_file), str(other)) == 1
    assert "--replace" in capsys.readouterr().err
    assert other.read_bytes() == other_before

    assert cli("db", "copy", "--replace", str(demo_file), str(other)) == 0
    assert hashes(other) == hashes(demo_file)
    assert cli("db", "copy", "--replace", str(demo_file), pg_server_empty_url) == 0
    assert hashes(pg_server_empty_url) == hashes(demo_file)


def test_refusal_in_german(demo_file, tmp_path, capsys):
    target = tmp_path / "t.sqlite3"
    copy_database(str(demo_file), str(target))
    assert main(["--lang", "de", "db", "copy", str(demo_file), str(target)]) == 1
    err = capsys.readouterr().err
    assert "enthält bereits Daten" in err and "--replace" in err


def test_older_server_schema_refused(demo_file, pg_server, pg_server_empty_url, capsys):
    from chinadialog_desktop.persistence.server_upgrade import upgrade_server

    upgrade_server(parse_target(pg_server_empty_url))
    db = pg_server_empty_url.rsplit("/", 1)[1]
    pg_server.sql("UPDATE alembic_version SET version_num = '0001_initial'", database=db)
    assert cli("db", "copy", str(demo_file), pg_server_empty_url) == 1
    assert "db upgrade" in capsys.readouterr().err


def _killed_copy(source: str, target: str, fault: str) -> subprocess.CompletedProcess[str]:
    env = dict(os.environ, CHINADIALOG_FAULT=fault, PYTHONPATH=str(ROOT))
    return subprocess.run(
        [sys.executable, "-m", "chinadialog_desktop", "--lang", "en", "db", "copy", source, target],
        env=env,
        capture_output=True,
        text=True,
        timeout=600,
    )


def test_killed_copy_to_server_leaves_it_empty(demo_file, pg_server, pg_server_empty_url):
    done = _killed_copy(str(demo_file), pg_server_empty_url, "copy-table:5")
    assert done.returncode == -9, done.stderr
    for table in ("partnership", "actor", "audit_event"):
        assert server_rows(pg_server, pg_server_empty_url, f"SELECT count(*) FROM {table}") == [
            (0,)
        ]
    # killed just before the commit: still nothing
    done = _killed_copy(str(demo_file), pg_server_empty_url, "copy-before-commit:1")
    assert done.returncode == -9, done.stderr
    assert server_rows(pg_server, pg_server_empty_url, "SELECT count(*) FROM audit_event") == [(0,)]
    # and the next copy goes through without --replace
    copy_database(str(demo_file), pg_server_empty_url)
    assert hashes(pg_server_empty_url) == hashes(demo_file)


def test_killed_copy_to_file_leaves_nothing(demo_file, pg_server_empty_url, tmp_path):
    copy_database(str(demo_file), pg_server_empty_url)
    target = tmp_path / "neu #ü.sqlite3"
    for fault in ("copy-table:7", "copy-before-rename:1"):
        done = _killed_copy(pg_server_empty_url, str(target), fault)
        assert done.returncode == -9, done.stderr
        assert not target.exists()
    copy_database(pg_server_empty_url, str(target))
    assert not list(tmp_path.glob("*.copy-part*"))
    assert hashes(target) == hashes(demo_file)


def test_failing_copy_is_undone_on_server(demo_file, pg_server, pg_server_empty_url, capsys):
    """A row the server refuses half-way (a constraint added by the administrator): nothing kept."""
    from chinadialog_desktop.persistence.server_upgrade import upgrade_server

    upgrade_server(parse_target(pg_server_empty_url))
    db = pg_server_empty_url.rsplit("/", 1)[1]
    pg_server.sql(
        "ALTER TABLE activity ADD CONSTRAINT no_copy CHECK (id < 0) NOT VALID", database=db
    )
    assert cli("db", "copy", str(demo_file), pg_server_empty_url) == 1
    err = capsys.readouterr().err
    assert "Traceback" not in err and "INSERT" not in err, err
    assert len(err.strip().splitlines()) == 1, err
    for table in ("partnership", "actor", "audit_event", "activity"):
        assert server_rows(pg_server, pg_server_empty_url, f"SELECT count(*) FROM {table}") == [
            (0,)
        ]


def test_copy_from_server_refused_when_rows_are_hidden(
    demo_file, pg_server, pg_server_empty_url, tmp_path, capsys
):
    """A role that row-level security keeps from some dossiers would copy a part only: refused."""
    copy_database(str(demo_file), pg_server_empty_url)
    db = pg_server_empty_url.rsplit("/", 1)[1]
    pg_server.sql("ALTER TABLE dossier ENABLE ROW LEVEL SECURITY", database=db)
    role = "copy_reader_" + db[-6:]
    pg_server.sql(f'CREATE ROLE "{role}" LOGIN')
    pg_server.grant_editing(role, db)
    out = tmp_path / "teil.sqlite3"
    assert cli("db", "copy", pg_server.plain_url(db, user=role), str(out)) == 1
    err = capsys.readouterr().err
    assert "Row-level security" in err and "dossier" in err and "Traceback" not in err
    assert not out.exists()
    # the owner (here the superuser) sees every row and copies all of them
    assert cli("db", "copy", pg_server_empty_url, str(out)) == 0
    assert hashes(out) == hashes(demo_file)


def test_file_open_elsewhere_is_not_replaced(demo_file, tmp_path, capsys):
    from chinadialog_desktop.persistence.database import Database

    target = tmp_path / "offen.sqlite3"
    copy_database(str(demo_file), str(target))
    before = hashes(target)
    database = Database.open(target)  # a window has it open
    try:
        assert cli("db", "copy", "--replace", str(demo_file), str(target)) == 1
        assert "open in another ChinaDialog window" in capsys.readouterr().err
    finally:
        database.close()
    assert hashes(target) == before
    assert cli("db", "copy", "--replace", str(demo_file), str(target)) == 0
    assert len(list((tmp_path / "backups").glob("offen-*-restore.sqlite3"))) == 1


def test_copy_is_one_moment_while_another_window_writes(demo_file, tmp_path):
    """The copy reads all tables in one snapshot: an edit made half-way is not half in it."""
    from chinadialog_desktop.persistence.database import Database
    from chinadialog_desktop.persistence.models_core import Actor

    before = hashes(demo_file)
    target = tmp_path / "Kopie.sqlite3"
    gate = tmp_path / "gate"
    gate.mkdir()
    env = dict(
        os.environ,
        CHINADIALOG_FAULT="copy-table:1:pause",  # after actor, before audit_event,
        CHINADIALOG_FAULT_DIR=str(gate),
        PYTHONPATH=str(ROOT),
    )
    child = subprocess.Popen(
        [sys.executable, "-m", "chinadialog_desktop", "--lang", "en", "db", "copy"]
        + [str(demo_file), str(target)],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        while not (gate / "copy-table.reached").exists():  # the copy is half-way
            assert child.poll() is None, child.communicate()
            time.sleep(0.02)
        database = Database.open(demo_file)  # another window adds an actor meanwhile
        try:
            with database.session() as s:
                s.add(Actor(name_de="Neu (Beispiel)", kind="municipality", country="DE"))
                s.flush()
        finally:
            database.close()
        (gate / "copy-table.go").touch()
        out, err = child.communicate(timeout=600)
    finally:
        if child.poll() is None:
            child.kill()
            child.wait()
    assert child.returncode == 0, err
    assert hashes(target) == before
    assert hashes(demo_file)["actor"][0] == before["actor"][0] + 1
