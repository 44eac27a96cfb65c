"""Team server connections for the window: build an address, keep a password, say what is wrong.

The window's "Mit Teamserver verbinden …" dialog goes through here (never to
``persistence`` directly); the address it builds is what ``--db`` takes.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any
from urllib.parse import quote

from chinadialog_desktop.persistence.server import (
    SSL_MODES,
    is_server_url,
    keyring_available,
    no_keyring_message,
    parse_target,
    store_password,
)

if TYPE_CHECKING:
    from chinadialog_desktop.persistence.server_upgrade import Upgraded

DEFAULT_PORT = 5432
DEFAULT_SSLMODE = "verify-full"


def server_address(host: str, port: int, database: str, user: str, sslmode: str) -> str:
    """``postgresql://user@host:port/database?sslmode=…``, checked by ``parse_target``."""
    host = host.strip()
    netloc_host = f"[{host}]" if ":" in host else quote(host, safe=".-")
    address = (
        f"postgresql://{quote(user.strip(), safe='')}@{netloc_host}:{int(port)}/"
        f"{quote(database.strip(), safe='')}"
    )
    if sslmode:
        address += f"?sslmode={sslmode}"
    parse_target(address)  # raises a UserError with one sentence when something is missing
    return address


def address_fields(address: str) -> tuple[str, int, str, str, str]:
    """The fields ``server_address`` was built from: host, port, database, user, TLS mode."""
    target = parse_target(address)
    return (
        target.host,
        target.port,
        target.database,
        target.user,
        target.sslmode or DEFAULT_SSLMODE,
    )


def describe(address: str) -> str:
    """How the window names a server connection: ``user@host:port/database``."""
    target = parse_target(address)
    return f"{target.user}@{target.host}:{target.port}/{target.database}"


def watch(database: Any) -> Any:
    """A listener for other clients' changes on ``database``'s server (None for a file).

    ``watcher.poll()`` returns ``RemoteChange`` items (tables, count, user,
    ``own``); ``watcher.close()`` ends it. A server that cannot be reached gives None.
    """
    from chinadialog_desktop.persistence.server_notify import Watcher

    if getattr(database, "server", None) is None:
        return None
    try:
        return Watcher(database.server, database.server_pids)
    except Exception:  # psycopg.OperationalError: lists then refresh only on the user's actions
        return None


def unreachable_message(database: Any) -> str:
    """The one sentence for a team server that cannot be reached (the connection broke)."""
    from chinadialog_desktop.i18n import _

    return _(
        "The team server {server} cannot be reached; what you change now is kept on this "
        "computer until it is back."
    ).format(server=database.server.spoken())


def init_team(address: str) -> Upgraded:
    """``team init``: the roles, the schema and the rights on a new (or set-up) team database.

    Runs ``db/team/roles.sql`` and ``db/team/policies.sql`` exactly as they are in the
    repository, in one transaction with the schema (see ``persistence.server_rights``).
    A role that may not create roles gets one sentence; nothing is changed then.
    """
    from chinadialog_desktop.persistence.server_upgrade import init_server

    return init_server(parse_target(address))


def role_files() -> tuple[Path, Path]:
    """The SQL files ``team init`` runs, for the message that names them."""
    from chinadialog_desktop.persistence.server_rights import POLICIES_SQL, ROLES_SQL

    return ROLES_SQL, POLICIES_SQL


def remember_password(address: str, password: str) -> None:
    """Keep ``password`` in the OS keyring for the address's user and server (NoKeyring if none)."""
    store_password(parse_target(address), password)


__all__ = [
    "DEFAULT_PORT",
    "DEFAULT_SSLMODE",
    "SSL_MODES",
    "describe",
    "init_team",
    "is_server_url",
    "keyring_available",
    "no_keyring_message",
    "remember_password",
    "role_files",
    "server_address",
    "unreachable_message",
    "watch",
]
