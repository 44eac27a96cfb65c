"""The command line: commands, exit codes and messages without tracebacks."""

from __future__ import annotations

import json
import os
import sqlite3
import subprocess
import sys

import pytest

from chinadialog_desktop import __version__
from chinadialog_desktop.cli import main
from chinadialog_desktop.persistence import lifecycle
from chinadialog_desktop.persistence.schema import HEAD_REVISION


def run(*args: str, cwd=None):
    env = dict(os.environ, CHINADIALOG_LANG="en")
    return subprocess.run(
        [sys.executable, "-m", "chinadialog_desktop", *args],
        capture_output=True,
        text=True,
        cwd=cwd,
        env=env,
        timeout=120,
    )


def test_version_in_a_subprocess_from_another_folder(tmp_path):
    out = run("--version", cwd=tmp_path)
    assert out.returncode == 0
    assert __version__ in out.stdout


def test_wrong_usage_exits_2(capsys):
    with pytest.raises(SystemExit) as exc:
        main(["no-such-command"])
    assert exc.value.code == 2
    assert "no-such-command" in capsys.readouterr().err


def test_db_info_creates_the_database_and_reports_it(tmp_path, capsys):
    path = tmp_path / "sub" / "neu.sqlite3"
    assert main(["--lang", "en", "--db", str(path), "db", "info", "--json"]) == 0
    info = json.loads(capsys.readouterr().out.split("\n", 1)[1])
    assert info["revision"] == HEAD_REVISION
    assert info["journal_mode"] == "wal"
    assert info["counts"]["partnership"] == 0
    assert path.exists()


def test_db_check_ok(tmp_path, capsys):
    path = tmp_path / "a.sqlite3"
    assert main(["--lang", "en", "--db", str(path), "db", "upgrade"]) == 0
    assert main(["--lang", "en", "--db", str(path), "db", "check"]) == 0
    assert "Database is OK" in capsys.readouterr().out


def test_db_check_on_a_damaged_file_fails_cleanly(tmp_path):
    path = tmp_path / "kaputt.sqlite3"
    path.write_bytes(b"SQLite format 3\x00" + b"\x00\x10" + b"\xab" * 5000)
    before = path.read_bytes()
    out = run("--db", str(path), "db", "check")
    assert out.returncode == 1
    assert "Traceback" not in out.stderr
    assert len(out.stderr.strip().splitlines()) == 1
    assert str(path) in out.stderr
    assert path.read_bytes() == before


def test_debug_shows_the_traceback(tmp_path):
    path = tmp_path / "text.sqlite3"
    path.write_text("kein SQLite", encoding="utf-8")
    out = run("--debug", "--db", str(path), "db", "check")
    assert out.returncode == 1
    assert "Traceback" in out.stderr


def test_backup_backups_and_restore(tmp_path, capsys):
    path = tmp_path / "live.sqlite3"
    out_file = tmp_path / "copy.sqlite3"
    assert main(["--lang", "en", "--db", str(path), "db", "backup", str(out_file)]) == 0
    assert lifecycle.inspect_file(out_file).revision == HEAD_REVISION
    assert main(["--lang", "en", "--db", str(path), "db", "backup"]) == 0
    capsys.readouterr()
    assert main(["--lang", "en", "--db", str(path), "db", "backups", "--json"]) == 0
    listed = json.loads(capsys.readouterr().out)
    assert len(listed) == 1 and listed[0]["reason"] == "manual"

    conn = sqlite3.connect(path)
    conn.execute(
        "INSERT INTO source (uuid, created_at, modified_at, version, title) "
        "VALUES ('x', '2024-01-01', '2024-01-01', 1, 'neu')"
    )
    conn.commit()
    conn.close()
    assert main(["--lang", "en", "--db", str(path), "db", "restore", str(out_file)]) == 0
    conn = sqlite3.connect(path)
    assert conn.execute("SELECT count(*) FROM source").fetchone() == (0,)
    conn.close()


def test_restore_of_a_missing_file_exits_1(tmp_path, capsys):
    code = main(["--lang", "en", "--db", str(tmp_path / "a.sqlite3"), "db", "restore", "nix.db"])
    assert code == 1
    assert "not found" in capsys.readouterr().err


def test_db_upgrade_on_an_older_file(tmp_path, capsys):
    from chinadialog_desktop.persistence import migrate
    from chinadialog_desktop.persistence.engine import make_engine, sqlite_url
    from chinadialog_desktop.persistence.schema import KNOWN_REVISIONS

    path = tmp_path / "old.sqlite3"
    engine = make_engine(sqlite_url(path), foreign_keys=False)
    with engine.begin() as conn:
        migrate.upgrade(conn, KNOWN_REVISIONS[0])
    engine.dispose()
    assert main(["--lang", "en", "--db", str(path), "db", "check"]) == 0
    assert "older schema" in capsys.readouterr().out
    assert main(["--lang", "en", "--db", str(path), "db", "upgrade"]) == 0
    assert "Upgraded" in capsys.readouterr().out
    assert lifecycle.inspect_file(path).revision == HEAD_REVISION


def test_list_partnerships_json_and_table(tmp_path, capsys):
    from datetime import date

    from chinadialog_desktop.persistence.database import Database
    from chinadialog_desktop.persistence.models import Actor, Partnership, PartnershipParty

    path = tmp_path / "l.sqlite3"
    db = Database.open(path)
    with db.session() as s:
        p = Partnership(
            title="Braunschweig–Zhuhai", start_date=date(2011, 1, 1), start_precision="year"
        )
        p.parties = [
            PartnershipParty(actor=Actor(name_de="Braunschweig"), role="german"),
            PartnershipParty(
                actor=Actor(name_de="Zhuhai", name_zh="珠海", country="CN"),
                role="chinese",
                position=1,
            ),
        ]
        s.add(p)
    db.close()
    assert main(["--lang", "en", "--db", str(path), "list", "partnerships", "--json"]) == 0
    rows = json.loads(capsys.readouterr().out)
    assert rows[0]["chinese_names_zh"] == "珠海"
    assert rows[0]["start_date"] == "2011-01-01"
    assert main(["--lang", "de", "--db", str(path), "list", "partnerships"]) == 0
    table = capsys.readouterr().out
    assert "珠海" in table and "2011" in table
    assert main(["--lang", "en", "--db", str(path), "list", "actors", "--json"]) == 0
    assert {a["name_de"] for a in json.loads(capsys.readouterr().out)} == {"Braunschweig", "Zhuhai"}
    assert main(["--lang", "en", "--db", str(path), "list", "dossiers", "--json"]) == 0
    assert json.loads(capsys.readouterr().out) == []


def test_newer_database_message(tmp_path, capsys):
    path = tmp_path / "n.sqlite3"
    assert main(["--db", str(path), "db", "upgrade"]) == 0
    conn = sqlite3.connect(path)
    conn.execute("UPDATE alembic_version SET version_num='9999_x'")
    conn.commit()
    conn.close()
    capsys.readouterr()
    assert main(["--lang", "en", "--db", str(path), "list", "actors"]) == 1
    err = capsys.readouterr().err
    assert "newer version" in err and "Traceback" not in err
