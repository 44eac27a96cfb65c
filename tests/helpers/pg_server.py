"""A throwaway PostgreSQL server for the tests: initdb into a temporary folder, pg_ctl start.

Used by the ``pg_server`` / ``db_url`` fixtures in ``tests/conftest.py`` and
importable by any test (``from helpers.pg_server import PgServer``).

* The server binaries are looked up on PATH and in Debian's
  ``/usr/lib/postgresql/<version>/bin``; without them ``find_binaries``
  returns None and the fixtures skip with that reason (CI installs Debian's
  ``postgresql`` package, so there they run).
* PostgreSQL refuses to run as root; when the tests run as root the server
  runs as ``nobody`` (``setpriv``), in a folder owned by that user.
* It listens on 127.0.0.1 on a free port and on a private unix socket folder,
  never on another interface; ``trust`` authentication for the local
  superuser ``postgres`` and, for password tests, ``scram-sha-256`` for
  roles created with a password (see ``pg_hba.conf`` below).
* ``fsync=off``: a test server's data need not survive a power cut (a crash of the
  server process, ``halt()``, keeps every commit: ``synchronous_commit`` stays on).
"""

from __future__ import annotations

import contextlib
import os
import pwd
import shutil
import socket
import subprocess
import tempfile
import uuid
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

PG_USER = "postgres"  # the superuser inside the cluster
# Members of this group role log in with a password (scram-sha-256); all others: trust.
PASSWORD_GROUP = "password_login"


def find_binaries(
    path: str | None = None, lib_root: Path = Path("/usr/lib/postgresql")
) -> Path | None:
    """The folder with initdb, pg_ctl and postgres, or None when PostgreSQL is not installed.

    Looks on ``path`` (default: PATH), then in Debian's ``lib_root/<version>/bin``.
    """
    found = shutil.which("initdb", path=path)
    if found and shutil.which("pg_ctl", path=path):
        return Path(found).resolve().parent  # Debian: symlinks into /usr/lib/postgresql/N/bin
    candidates = sorted(
        lib_root.glob("*/bin/initdb"),
        key=lambda p: int(p.parent.parent.name) if p.parent.parent.name.isdigit() else 0,
    )
    for initdb in reversed(candidates):
        if (initdb.parent / "pg_ctl").exists() and (initdb.parent / "postgres").exists():
            return initdb.parent
    return None


def missing_reason(
    path: str | None = None, lib_root: Path = Path("/usr/lib/postgresql")
) -> str | None:
    """Why the PostgreSQL tests cannot run here, or None when they can."""
    if find_binaries(path, lib_root) is None:
        return (
            "PostgreSQL server binaries (initdb, pg_ctl) not installed; "
            "install Debian's 'postgresql' package to run the team-mode tests"
        )
    if os.geteuid() == 0 and shutil.which("setpriv") is None:
        return "running as root and setpriv (util-linux) is missing to start PostgreSQL as nobody"
    return None


def _free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@dataclass
class PgServer:
    """One running cluster; ``stop()`` ends it and removes its folder."""

    bindir: Path
    base: Path
    port: int
    as_user: str | None  # run the server as this user (we are root), else as ourselves
    _databases: list[str] = field(default_factory=list)
    _options: str = ""

    @property
    def data(self) -> Path:
        return self.base / "data"

    @property
    def socket_dir(self) -> Path:
        return self.base / "sock"

    def _run(self, *args: str, check: bool = True) -> subprocess.CompletedProcess[str]:
        cmd = [str(self.bindir / args[0]), *args[1:]]
        if self.as_user:
            cmd = [
                "setpriv",
                f"--reuid={self.as_user}",
                f"--regid={self._gid()}",
                "--clear-groups",
                *cmd,
            ]
        env = {
            "PATH": os.environ.get("PATH", "/usr/bin:/bin"),
            "LANG": "C.UTF-8",
            "LC_ALL": "C.UTF-8",
        }
        return subprocess.run(
            cmd, check=check, capture_output=True, text=True, env=env, cwd=self.base, timeout=300
        )

    def _gid(self) -> int:
        return pwd.getpwnam(self.as_user).pw_gid if self.as_user else os.getgid()

    @classmethod
    def start(cls, bindir: Path | None = None) -> PgServer:
        bindir = bindir or find_binaries()
        if bindir is None:
            raise RuntimeError(missing_reason() or "PostgreSQL missing")
        # Not under pytest's tmp folder: that one is private to root (0700) and the
        # server user must reach its own folder.
        base = Path(tempfile.mkdtemp(prefix="chinadialog-pg-"))
        as_user = None
        if os.geteuid() == 0:
            as_user = "nobody"
            entry = pwd.getpwnam(as_user)
            os.chmod(base, 0o755)
            os.chown(base, entry.pw_uid, entry.pw_gid)
        server = cls(bindir, base, _free_port(), as_user)
        try:
            server._init_and_start()
        except BaseException:
            server.stop()
            raise
        return server

    def _init_and_start(self) -> None:
        if self.as_user:
            self._run("initdb", "--version")  # fails early if the user cannot run it
        self._run(
            "initdb",
            "-D",
            str(self.data),
            "-U",
            PG_USER,
            "-A",
            "trust",
            "-E",
            "UTF8",
            "--locale=C.UTF-8",
            "--no-sync",
        )
        hba = self.data / "pg_hba.conf"
        # Password roles first: pg_hba.conf is read top-down, the first match wins.
        rules = (
            f"local all +{PASSWORD_GROUP} scram-sha-256\n"
            f"host all +{PASSWORD_GROUP} 127.0.0.1/32 scram-sha-256\n"
            "local all all trust\n"
            "host all all 127.0.0.1/32 trust\n"
        )
        hba.write_text(rules, encoding="utf-8")
        self.socket_dir.mkdir()
        if self.as_user:
            entry = pwd.getpwnam(self.as_user)
            os.chown(self.socket_dir, entry.pw_uid, entry.pw_gid)
            os.chown(hba, entry.pw_uid, entry.pw_gid)
        options = (
            f"-p {self.port} -c listen_addresses=127.0.0.1 -k {self.socket_dir} "
            "-c fsync=off -c full_page_writes=off "
            "-c max_connections=200 -c shared_buffers=32MB"
        )
        self._options = options
        self.resume()
        self.sql(f"CREATE ROLE {PASSWORD_GROUP} NOLOGIN")

    def resume(self) -> None:
        """Start the server (again, after ``halt``) on the same port and data."""
        self._run(
            "pg_ctl", "-D", str(self.data), "-l", str(self.base / "server.log"),
            "-o", self._options, "-w", "-t", "120", "start",
        )  # fmt: skip

    def halt(self) -> None:
        """Stop the server as a crash or a network outage would look to clients (data kept)."""
        self._run("pg_ctl", "-D", str(self.data), "-m", "immediate", "-w", "stop")

    def create_password_role(self, name: str, password: str) -> None:
        """A login role that must give ``password`` (scram-sha-256), as on a real server."""
        self.sql(f"CREATE ROLE \"{name}\" LOGIN PASSWORD '{password}' IN ROLE {PASSWORD_GROUP}")

    def log(self) -> str:
        with contextlib.suppress(OSError):
            return (self.base / "server.log").read_text(encoding="utf-8", errors="replace")
        return ""

    def url(self, database: str = "postgres", user: str = PG_USER) -> str:
        """A SQLAlchemy URL (psycopg 3) for ``database`` over TCP on localhost."""
        return f"postgresql+psycopg://{user}@127.0.0.1:{self.port}/{database}"

    def plain_url(self, database: str = "postgres", user: str = PG_USER) -> str:
        """The URL as a user types it (``postgresql://``), as the app's ``--db`` takes it."""
        return f"postgresql://{user}@127.0.0.1:{self.port}/{database}"

    def sql(self, statement: str, database: str = "postgres") -> list[tuple[object, ...]]:
        """Run one statement as the superuser (autocommit) and return its rows."""
        import psycopg

        with psycopg.connect(
            host="127.0.0.1", port=self.port, user=PG_USER, dbname=database, autocommit=True
        ) as conn:
            cur = conn.execute(statement)  # type: ignore[arg-type]
            return list(cur.fetchall()) if cur.description else []

    def grant_editing(self, role: str, database: str) -> None:
        """What docs/team-mode.md grants an editing role: read and write every table."""
        self.sql(f'GRANT CONNECT ON DATABASE "{database}" TO "{role}"')
        self.sql(
            f'GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA public TO "{role}"',
            database,
        )
        self.sql(f'GRANT USAGE, SELECT ON ALL SEQUENCES IN SCHEMA public TO "{role}"', database)

    def create_database(self, prefix: str = "t", template: str = "template0") -> str:
        """A new database with a unique name (a copy of ``template``); see ``drop_database``."""
        name = f"{prefix}_{uuid.uuid4().hex[:12]}"
        self.sql(f'CREATE DATABASE "{name}" TEMPLATE "{template}" ENCODING \'UTF8\'')
        self._databases.append(name)
        return name

    def drop_database(self, name: str) -> None:
        with contextlib.suppress(Exception):
            self.sql(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        with contextlib.suppress(ValueError):
            self._databases.remove(name)

    def stop(self) -> None:
        if (self.data / "postmaster.pid").exists():
            self._run("pg_ctl", "-D", str(self.data), "-m", "immediate", "-w", "stop", check=False)
        shutil.rmtree(self.base, ignore_errors=True)


def team_server_with_logins(logins: dict[str, list[str]]) -> Iterator[PgServer]:
    """A server of its own with the team roles and one login per entry (name → groups).

    The team roles are cluster-wide and have fixed names, so a module that logs in as
    roles starts its own server: ``yield from team_server_with_logins(LOGINS)`` in a
    module-scoped fixture. Skips when PostgreSQL is not installed.
    """
    import pytest

    from chinadialog_desktop.cli import main

    reason = missing_reason()
    if reason:
        pytest.skip(reason)
    pg = PgServer.start()
    try:
        first = pg.create_database("init")
        assert main(["--lang", "en", "--db", pg.plain_url(first), "team", "init"]) == 0
        for login, groups in logins.items():
            pg.sql(f'CREATE ROLE "{login}" LOGIN IN ROLE {", ".join(groups)}')
        yield pg
    finally:
        pg.stop()
