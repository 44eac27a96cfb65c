"""Team mode on a real PostgreSQL server: schema, advisory lock, rights, refusals, backups."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from sqlalchemy import create_engine, inspect

from chinadialog_desktop.cli import main
from chinadialog_desktop.errors import DatabaseNewer, DatabaseRefused
from chinadialog_desktop.persistence import migrate
from chinadialog_desktop.persistence.database import Database
from chinadialog_desktop.persistence.schema import HEAD_REVISION, KNOWN_REVISIONS
from chinadialog_desktop.persistence.server import SCHEMA_LOCK_KEY, parse_target

ROOT = Path(__file__).resolve().parents[2]


def _signature(url: str) -> tuple[dict[str, set[str]], set[str]]:
    engine = create_engine(url)
    try:
        insp = inspect(engine)
        names = [t for t in insp.get_table_names() if not t.startswith("search_")]  # db upgrade's
        tables = {t: {c["name"] for c in insp.get_columns(t)} for t in names}
        indexes = {i["name"] for t in tables for i in insp.get_indexes(t)}
    finally:
        engine.dispose()
    return tables, indexes


def test_the_alembic_migrations_run_on_postgresql_and_give_the_models_schema(
    pg_server, pg_template
):
    """The same migrations as for files, from nothing to head, in one transaction."""
    name = pg_server.create_database("mig")
    try:
        engine = create_engine(pg_server.url(name))
        with engine.begin() as conn:
            migrate.upgrade(conn)
        engine.dispose()
        assert pg_server.sql("SELECT version_num FROM alembic_version", name) == [(HEAD_REVISION,)]
        # db upgrade on an empty database builds from the models: both must agree.
        assert _signature(pg_server.url(name)) == _signature(pg_server.url(pg_template))
    finally:
        pg_server.drop_database(name)


def test_an_older_schema_is_refused_on_open_and_upgraded_by_db_upgrade(pg_server, capsys):
    name = pg_server.create_database("old")
    try:
        engine = create_engine(pg_server.url(name))
        with engine.begin() as conn:
            migrate.upgrade(conn, KNOWN_REVISIONS[-2])
        engine.dispose()
        url = pg_server.plain_url(name)
        with pytest.raises(DatabaseRefused, match="older schema") as refused:
            Database.open(url)
        assert "db upgrade" in str(refused.value)
        assert main(["--lang", "en", "--db", url, "db", "upgrade"]) == 0
        assert f"from schema {KNOWN_REVISIONS[-2]}" in capsys.readouterr().out
        Database.open(url).close()
    finally:
        pg_server.drop_database(name)


def test_a_client_older_than_the_servers_schema_refuses_clearly(pg_server, pg_database, capsys):
    database = parse_target(pg_database).database
    pg_server.sql("UPDATE alembic_version SET version_num = '0999_from_the_future'", database)
    with pytest.raises(DatabaseNewer, match="newer version of ChinaDialog"):
        Database.open(pg_database)
    assert main(["--lang", "de", "--db", pg_database, "list", "partnerships"]) == 1
    err = capsys.readouterr().err
    assert "neueren Version" in err and "Traceback" not in err
    assert pg_server.sql("SELECT version_num FROM alembic_version", database) == [
        ("0999_from_the_future",)
    ]


def test_an_empty_database_is_not_set_up_by_merely_opening_it(pg_server):
    name = pg_server.create_database("empty")
    try:
        with pytest.raises(DatabaseRefused, match="is empty") as refused:
            Database.open(pg_server.plain_url(name))
        assert "db upgrade" in str(refused.value)
        assert pg_server.sql("SELECT count(*) FROM pg_tables WHERE schemaname='public'", name) == [
            (0,)
        ]
    finally:
        pg_server.drop_database(name)


def test_a_database_of_another_program_is_left_alone(pg_server, capsys):
    name = pg_server.create_database("foreign")
    try:
        pg_server.sql("CREATE TABLE kunden (id int)", name)
        url = pg_server.plain_url(name)
        with pytest.raises(DatabaseRefused, match="another program"):
            Database.open(url)
        assert main(["--lang", "en", "--db", url, "db", "upgrade"]) == 1
        assert "another program" in capsys.readouterr().err
        tables = pg_server.sql("SELECT tablename FROM pg_tables WHERE schemaname='public'", name)
        assert tables == [("kunden",)]
    finally:
        pg_server.drop_database(name)


def test_only_a_role_allowed_to_create_tables_may_set_up(pg_server, capsys):
    name = pg_server.create_database("rights")
    try:
        pg_server.sql("CREATE ROLE sachbearbeitung LOGIN")  # no CREATE on public (PostgreSQL 15)
        url = pg_server.plain_url(name, user="sachbearbeitung")
        assert main(["--lang", "de", "--db", url, "db", "upgrade"]) == 1
        err = capsys.readouterr().err
        assert "sachbearbeitung" in err and "nichts geändert" in err.lower()
        assert "Traceback" not in err and "CREATE" not in err
        assert pg_server.sql("SELECT count(*) FROM pg_tables WHERE schemaname='public'", name) == [
            (0,)
        ]
    finally:
        pg_server.drop_database(name)
        pg_server.sql("DROP ROLE IF EXISTS sachbearbeitung")


def _waiting_for_schema_lock(pg_server, database: str) -> bool:
    rows = pg_server.sql(
        "SELECT count(*) FROM pg_locks l JOIN pg_database d ON d.oid = l.database "
        f"WHERE l.locktype = 'advisory' AND NOT l.granted AND d.datname = '{database}' "
        f"AND l.objid = {SCHEMA_LOCK_KEY & 0xFFFFFFFF}"
    )
    return bool(rows[0][0])


def test_db_upgrade_waits_for_the_schema_lock_so_two_never_migrate_at_once(pg_server):
    """A second client's upgrade waits while the lock is held, then finds the work done."""
    import psycopg

    name = pg_server.create_database("lock")
    url = pg_server.plain_url(name)
    holder = psycopg.connect(host="127.0.0.1", port=pg_server.port, user="postgres", dbname=name)
    try:
        holder.execute("SELECT pg_advisory_lock(%s)", (SCHEMA_LOCK_KEY,))
        env = dict(os.environ, PYTHONPATH=str(ROOT), CHINADIALOG_LANG="en")
        second = subprocess.Popen(
            [sys.executable, "-m", "chinadialog_desktop", "--db", url, "db", "upgrade"],
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
            env=env,
        )
        try:
            # Wait on the condition itself (the second client queued for the lock).
            import time

            deadline = time.monotonic() + 120
            while not _waiting_for_schema_lock(pg_server, name):
                assert second.poll() is None, second.communicate()
                assert time.monotonic() < deadline, "the second upgrade never asked for the lock"
                time.sleep(0.05)
            # While it waits, nothing has been created.
            assert pg_server.sql("SELECT to_regclass('alembic_version') IS NULL", name) == [(True,)]
            holder.execute("SELECT pg_advisory_unlock(%s)", (SCHEMA_LOCK_KEY,))
            out, err = second.communicate(timeout=120)
        finally:
            if second.poll() is None:
                second.kill()
                second.wait()
        assert second.returncode == 0, err
        assert "Set up a new team database" in out
        assert pg_server.sql("SELECT version_num FROM alembic_version", name) == [(HEAD_REVISION,)]
    finally:
        holder.close()
        pg_server.drop_database(name)


def test_db_backup_says_plainly_when_pg_dump_is_missing(pg_database, tmp_path, monkeypatch, capsys):
    monkeypatch.setenv("PATH", str(tmp_path))  # a PATH without pg_dump
    out = tmp_path / "x.dump"
    assert main(["--lang", "de", "--db", pg_database, "db", "backup", str(out)]) == 1
    err = capsys.readouterr().err
    assert "pg_dump ist nicht installiert" in err and "Traceback" not in err
    assert not out.exists()


def test_file_only_commands_refuse_a_server_with_one_sentence(pg_database, tmp_path, capsys):
    for args in (["db", "restore", str(tmp_path / "x.sqlite3")], ["db", "backups"]):
        (tmp_path / "x.sqlite3").write_bytes(b"")
        assert main(["--lang", "en", "--db", pg_database, *args]) == 1
        err = capsys.readouterr().err
        assert "database files only" in err and "Traceback" not in err
