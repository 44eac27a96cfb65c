"""db/team/setup.sql as an IT department runs it: who may set up, edit and read, enforced by
the server (through the app and in plain SQL)."""

from __future__ import annotations

import shutil
import subprocess
from collections.abc import Iterator
from pathlib import Path

import psycopg
import pytest
from helpers.pg_server import PgServer, missing_reason

from chinadialog_desktop.cli import main

SETUP_SQL = Path(__file__).resolve().parents[2] / "db" / "team" / "setup.sql"


@pytest.fixture
def team_server() -> Iterator[PgServer]:
    """A server of its own: setup.sql creates cluster-wide roles with fixed names."""
    reason = missing_reason() or (None if shutil.which("psql") else "psql not installed")
    if reason:
        pytest.skip(reason)
    server = PgServer.start()
    try:
        done = subprocess.run(
            ["psql", "-X", "-q", "-v", "ON_ERROR_STOP=1", "-h", "127.0.0.1",
             "-p", str(server.port), "-U", "postgres", "-d", "postgres", "-f", str(SETUP_SQL)],
            capture_output=True, text=True, timeout=120,
        )  # fmt: skip
        assert done.returncode == 0, done.stderr
        server.sql('CREATE ROLE "leser" LOGIN IN ROLE chinadialog_lesen')
        server.sql('CREATE ROLE "bearbeiterin" LOGIN IN ROLE chinadialog_bearbeiten')
        yield server
    finally:
        server.stop()


def _url(server: PgServer, user: str) -> str:
    return server.plain_url("chinadialog", user=user)


def test_the_roles_of_setup_sql_hold_in_the_app_and_in_sql(team_server, capsys):
    # Only the owner role may set the tables up.
    assert main(["--lang", "de", "--db", _url(team_server, "bearbeiterin"), "db", "upgrade"]) == 1
    assert "darf das" in capsys.readouterr().err
    assert (
        main(["--lang", "en", "--db", _url(team_server, "chinadialog_owner"), "db", "upgrade"]) == 0
    )
    assert "Set up a new team database" in capsys.readouterr().out

    # A reader cannot change anything: one sentence, nothing written.
    reader = _url(team_server, "leser")
    assert main(["--lang", "de", "--db", reader, "demo", "load"]) == 1
    err = capsys.readouterr().err
    assert "Ihre Datenbankrolle leser darf das" in err and "Traceback" not in err
    assert team_server.sql("SELECT count(*) FROM partnership", "chinadialog") == [(0,)]
    assert team_server.sql("SELECT count(*) FROM audit_event", "chinadialog") == [(0,)]

    # An editor edits through the app; the audit trail stays whole; the reader sees it.
    editor = _url(team_server, "bearbeiterin")
    assert main(["--lang", "en", "--db", editor, "demo", "load"]) == 0
    assert main(["--lang", "en", "--db", editor, "db", "verify"]) == 0
    capsys.readouterr()
    assert main(["--lang", "en", "--db", reader, "list", "partnerships"]) == 0
    assert "Braunschweig" in capsys.readouterr().out
    # The editor's commits kept the server's search index current; the reader searches it.
    assert team_server.sql("SELECT count(*) FROM search_dirty", "chinadialog") == [(0,)]
    assert main(["--lang", "en", "--db", reader, "search", "Zhūhǎi"]) == 0
    assert "Braunschweig–Zhuhai" in capsys.readouterr().out

    # The trail names the login role, whatever the client sent, and only grows.
    users = team_server.sql('SELECT DISTINCT "user" FROM audit_event', "chinadialog")
    assert users == [("bearbeiterin",)]

    # The same in plain SQL, past the app.
    def as_role(user: str, statement: str) -> None:
        with psycopg.connect(
            host="127.0.0.1", port=team_server.port, user=user, dbname="chinadialog"
        ) as conn:
            conn.execute(statement)  # type: ignore[arg-type]

    with pytest.raises(psycopg.errors.InsufficientPrivilege):
        as_role("leser", "UPDATE partnership SET title = 'x'")
    with pytest.raises(psycopg.errors.InsufficientPrivilege):
        as_role("bearbeiterin", "DROP TABLE audit_event")
    with pytest.raises(psycopg.errors.InsufficientPrivilege):
        as_role("bearbeiterin", "CREATE TABLE eigene (i int)")
    as_role("bearbeiterin", "UPDATE partnership SET status = status")
    for forged in (
        "UPDATE audit_event SET \"user\" = 'leser' WHERE id = 1",
        "UPDATE audit_event SET chain_hash = NULL WHERE id = 1",
        "DELETE FROM audit_event WHERE id = 1",
    ):
        with pytest.raises(psycopg.errors.InsufficientPrivilege):
            as_role("bearbeiterin", forged)
    as_role(
        "bearbeiterin",
        'INSERT INTO audit_event (at, "user", action, table_name, record_uuid) '
        "VALUES (now(), 'leser', 'update', 'actor', 'x')",
    )
    assert team_server.sql(
        "SELECT \"user\" FROM audit_event WHERE record_uuid = 'x'", "chinadialog"
    ) == [("bearbeiterin",)]
