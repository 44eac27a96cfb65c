"""``db backup`` on a team server: PostgreSQL's own ``pg_dump``, when it is installed.

The server's backups are the IT department's job (docs/team-mode.md: nightly
``pg_dump``, streaming replication); this is the extra copy an official may
take before a large import. The dump is written in ``pg_dump``'s custom
format (``pg_restore`` reads it) under a temporary name and renamed when
complete, so a cancelled or failed run leaves no half file behind. The
password, when the keyring has one, goes to ``pg_dump`` in its environment
(``PGPASSWORD``), never on the command line, where other users could read it.
"""

from __future__ import annotations

import os
import shutil
import subprocess
from datetime import datetime
from pathlib import Path

from chinadialog_desktop.errors import UserError
from chinadialog_desktop.i18n import _
from chinadialog_desktop.persistence.server import ServerTarget, parse_target, stored_password


def find_pg_dump() -> str | None:
    """``pg_dump`` on the PATH (Debian: package ``postgresql-client``), or None."""
    return shutil.which("pg_dump")


def connection_string(target: ServerTarget) -> str:
    """A libpq keyword/value string (``host=… port=… dbname=…``), without the password."""

    def quoted(value: str) -> str:
        return "'" + value.replace("\\", "\\\\").replace("'", "\\'") + "'"

    pairs = [
        ("host", target.host),
        ("port", str(target.port)),
        ("dbname", target.database),
        ("user", target.user),
        ("application_name", "ChinaDialog Desktop backup"),
        *target.parameters,
    ]
    return " ".join(f"{key}={quoted(value)}" for key, value in pairs)


def default_dump_path(target: ServerTarget) -> Path:
    """``<user data>/backups/<host>-<database>-<moment>.dump``."""
    from chinadialog_desktop.paths import user_data_dir

    stamp = datetime.now().strftime("%Y%m%d-%H%M%S")
    safe = "".join(
        c if c.isalnum() or c in "-_." else "_" for c in f"{target.host}-{target.database}"
    )
    return user_data_dir() / "backups" / f"{safe}-{stamp}.dump"


def dump_server(address: str, out: Path | None = None) -> Path:
    """Write a ``pg_dump`` of the team database to ``out``; UserError with one sentence if not."""
    target = parse_target(address)
    program = find_pg_dump()
    if program is None:
        raise UserError(
            _(
                "pg_dump is not installed, so no backup of {server} was written. Install "
                "PostgreSQL's client programs (Debian/Ubuntu: postgresql-client) or ask your IT "
                "department, whose job the server's backups are."
            ).format(server=target.display())
        )
    out = Path(out) if out is not None else default_dump_path(target)
    out = out.expanduser().resolve()
    try:
        out.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
    except OSError as exc:
        raise UserError(
            _("The backup {path} cannot be written; is its folder writable?").format(path=out)
        ) from exc
    part = out.with_name("." + out.name + ".part")
    env = dict(os.environ)
    password = stored_password(target)
    if password is not None:
        env["PGPASSWORD"] = password
    command = [
        program,
        "--format=custom",
        "--no-password",  # never wait for a prompt nobody sees
        f"--file={part}",
        f"--dbname={connection_string(target)}",
    ]
    try:
        done = subprocess.run(command, env=env, capture_output=True, text=True, check=False)
    except OSError as exc:
        part.unlink(missing_ok=True)
        raise UserError(
            _("pg_dump could not be started ({reason}); no backup was written.").format(
                reason=exc.strerror or exc
            )
        ) from exc
    if done.returncode != 0:
        part.unlink(missing_ok=True)
        raise UserError(_dump_failure(done.stderr, target))
    os.replace(part, out)
    return out


def _dump_failure(stderr: str, target: ServerTarget) -> str:
    """pg_dump's complaint as one sentence (its own text is English and technical)."""
    said = stderr.lower()
    if "server version mismatch" in said or "aborting because of server version" in said:
        return _(
            "The installed pg_dump is older than the server {server}; install the client "
            "programs of the server's PostgreSQL version. No backup was written."
        ).format(server=target.display())
    if "password" in said or "authentication" in said:
        return _(
            "The server {server} did not accept the login of {user} for the backup; no backup "
            "was written."
        ).format(server=target.display(), user=target.user)
    if "permission denied" in said:
        return _(
            "Your database role {user} may not read everything in {server}, so no backup was "
            "written; the IT department's backup role can."
        ).format(server=target.display(), user=target.user)
    if "could not connect" in said or "connection to server" in said:
        return _(
            "The team server {server} cannot be reached; please check the network "
            "connection and try again (nothing was changed)."
        ).format(server=target.display())
    return _("pg_dump could not back up {server}; no backup was written.").format(
        server=target.display()
    )
