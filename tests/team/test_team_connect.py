"""Connecting to a team server: addresses, passwords (keyring, PGPASSWORD, .pgpass), TLS, outage."""

from __future__ import annotations

import io
import socket
from collections.abc import Iterator

import keyring
import pytest
from helpers.keyring_backend import FileKeyring
from keyring.backends import fail

from chinadialog_desktop.cli import main
from chinadialog_desktop.errors import DatabaseRefused
from chinadialog_desktop.persistence.database import Database
from chinadialog_desktop.persistence.server import (
    ServerUnavailable,
    is_server_url,
    parse_target,
)


@pytest.fixture
def os_keyring(tmp_path) -> Iterator[FileKeyring]:
    before = keyring.get_keyring()
    backend = FileKeyring(tmp_path / "keyring.json")
    keyring.set_keyring(backend)
    yield backend
    keyring.set_keyring(before)


@pytest.fixture
def no_keyring() -> Iterator[None]:
    before = keyring.get_keyring()
    keyring.set_keyring(fail.Keyring())
    yield
    keyring.set_keyring(before)


def test_an_address_is_read_and_shown_without_secrets():
    target = parse_target(
        "postgresql://amt32@db.stadt.example:6543/chinadialog?sslmode=verify-full"
        "&sslrootcert=/etc/ssl/stadt-ca.pem"
    )
    assert (target.host, target.port, target.database, target.user) == (
        "db.stadt.example",
        6543,
        "chinadialog",
        "amt32",
    )
    assert target.sslmode == "verify-full"
    url = target.sqlalchemy_url()
    assert url.drivername == "postgresql+psycopg"
    assert url.query == {"sslmode": "verify-full", "sslrootcert": "/etc/ssl/stadt-ca.pem"}
    assert target.display().startswith("postgresql://amt32@db.stadt.example:6543/chinadialog?")
    assert parse_target("postgres://a@h/d").port == 5432
    assert is_server_url("postgresql://a@h/d") and not is_server_url("/home/a/postgresql.sqlite3")


@pytest.mark.parametrize(
    ("address", "said"),
    [
        ("postgresql://amt32:geheim@h/d", "contains a password"),
        ("postgresql://amt32@h/d?sslmode=sometimes", "TLS mode 'sometimes' is unknown"),
        ("postgresql://amt32@h/d?sslmod=require", "unknown setting 'sslmod'"),
        ("postgresql://h/d", "lacks: user"),
        ("postgresql://amt32@h:port/d", "is not a number"),
    ],
)
def test_an_unusable_address_is_refused_in_one_sentence(address, said, capsys):
    with pytest.raises(DatabaseRefused, match=said) as refused:
        parse_target(address)
    assert "geheim" not in str(refused.value)
    assert main(["--lang", "en", "--db", address, "list", "partnerships"]) == 1
    err = capsys.readouterr().err
    assert said in err and "geheim" not in err and "Traceback" not in err


def _closed_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])  # closed again when the block ends: nobody listens


def test_an_unknown_server_name_is_said_so(capsys):
    """A name no resolver knows (``.invalid`` is reserved for that, RFC 2606)."""
    address = "postgresql://amt32@nohost.invalid:5432/chinadialog?sslmode=verify-full"
    assert main(["--lang", "de", "--db", address, "list", "partnerships"]) == 1
    err = capsys.readouterr().err.strip()
    assert err == (
        "Fehler: Der Servername nohost.invalid ist unbekannt; bitte prüfen Sie die "
        "Schreibweise (es wurde nichts geändert)."
    )


def test_an_unreachable_server_is_one_german_sentence(capsys):
    address = f"postgresql://amt32@127.0.0.1:{_closed_port()}/chinadialog"
    with pytest.raises(ServerUnavailable, match="cannot be reached"):
        Database.open(address)
    assert main(["--lang", "de", "--db", address, "list", "partnerships"]) == 1
    err = capsys.readouterr().err.strip()
    assert err.startswith("Fehler: Der Teamserver") and "nicht erreichbar" in err
    assert err.count("\n") == 0 and "Traceback" not in err and "psycopg" not in err


def test_the_password_comes_from_the_keyring(
    pg_server, pg_database, os_keyring, monkeypatch, capsys
):
    pg_server.create_password_role("amt32_kr", "Kennwort-32")
    pg_server.grant_editing("amt32_kr", parse_target(pg_database).database)
    address = pg_database.replace("postgres@", "amt32_kr@")
    monkeypatch.setattr("sys.stdin", io.StringIO("Kennwort-32\n"))
    assert main(["--lang", "en", "--db", address, "team", "password", "--stdin"]) == 0
    assert "now in the keyring" in capsys.readouterr().out
    assert "Kennwort-32" in os_keyring.path.read_text(encoding="utf-8")
    database = Database.open(address)
    try:
        assert "Kennwort-32" not in repr(database.engine.url) + database.location
    finally:
        database.close()
    assert main(["--lang", "en", "--db", address, "team", "forget-password"]) == 0
    with pytest.raises(ServerUnavailable, match="did not accept the login"):
        Database.open(address)


def test_without_a_keyring_pgpassword_and_pgpass_work_as_with_libpq(
    pg_server, pg_database, no_keyring, tmp_path, monkeypatch, capsys
):
    pg_server.create_password_role("amt32_env", "Kennwort-env")
    pg_server.grant_editing("amt32_env", parse_target(pg_database).database)
    address = pg_database.replace("postgres@", "amt32_env@")
    monkeypatch.delenv("PGPASSWORD", raising=False)
    monkeypatch.setenv("PGPASSFILE", str(tmp_path / "none"))
    # No password anywhere: one sentence that also says there is no keyring.
    assert main(["--lang", "de", "--db", address, "list", "partnerships"]) == 1
    err = capsys.readouterr().err
    assert "Schlüsselbund" in err and "PGPASSWORD" in err and "Traceback" not in err
    assert main(["--lang", "de", "--db", address, "team", "password", "--stdin"]) == 1
    assert "Schlüsselbund" in capsys.readouterr().err
    monkeypatch.setenv("PGPASSWORD", "Kennwort-env")
    Database.open(address).close()
    monkeypatch.delenv("PGPASSWORD")
    target = parse_target(address)
    passfile = tmp_path / "pgpass"
    passfile.write_text(f"127.0.0.1:{target.port}:*:amt32_env:Kennwort-env\n", encoding="utf-8")
    passfile.chmod(0o600)
    monkeypatch.setenv("PGPASSFILE", str(passfile))
    Database.open(address).close()


def test_the_tls_mode_reaches_libpq(pg_database, capsys):
    """The test server speaks no TLS: a client that insists on it must refuse, not fall back."""
    for mode in ("require", "verify-full"):
        address = f"{pg_database}?sslmode={mode}"
        assert main(["--lang", "en", "--db", address, "list", "partnerships"]) == 1
        err = capsys.readouterr().err
        assert "secure connection" in err and f"TLS mode {mode}" in err
    assert main(["--lang", "en", "--db", f"{pg_database}?sslmode=disable", "db", "check"]) == 0


def test_a_server_that_goes_away_is_one_sentence_and_the_edit_is_not_half_saved(pg_server_own):
    """A write while the server is down says so in one sentence; after it is back, it works."""
    from sqlalchemy import func, select

    from chinadialog_desktop.persistence.models import Actor
    from chinadialog_desktop.services import unit
    from chinadialog_desktop.services.records import edit as records

    server, address = pg_server_own
    database = Database.open(address)
    try:
        with database.session() as s:
            records.create(s, "actor", {"name_de": "Braunschweig"})
        server.halt()
        with pytest.raises(ServerUnavailable, match="cannot be reached"), database.session() as s:
            records.create(s, "actor", {"name_de": "Zhuhai"})
        with pytest.raises(ServerUnavailable, match="cannot be reached"):
            unit.read(database, lambda s: s.scalar(select(func.count()).select_from(Actor)))
        server.resume()
        with database.sessions() as s:  # the pool replaces the dead connections by itself
            assert s.scalar(select(func.count()).select_from(Actor)) == 1
        with database.session() as s:
            records.create(s, "actor", {"name_de": "Zhuhai"})
    finally:
        database.close()


@pytest.fixture
def pg_server_own() -> Iterator[tuple[object, str]]:
    """A server this test may stop and start (the session's is shared with other tests)."""
    from helpers.pg_server import PgServer, missing_reason

    from chinadialog_desktop.persistence.server import parse_target
    from chinadialog_desktop.persistence.server_upgrade import upgrade_server

    reason = missing_reason()
    if reason:
        pytest.skip(reason)
    server = PgServer.start()
    try:
        name = server.create_database("outage")
        address = server.plain_url(name)
        upgrade_server(parse_target(address))
        yield server, address
    finally:
        server.stop()
