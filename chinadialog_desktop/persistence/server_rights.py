"""Rights on a team server, enforced by PostgreSQL: the roles and what each may see and do.

The SQL is in two files of the repository, for the app and for a database
administrator alike (one fact, one place; the app runs them unchanged):

- ``db/team/roles.sql``: the group roles of the app roles (Lesen, Bearbeiten,
  Abzeichnen, Verwalten), the clearance group for VS-NfD, the owner of the
  tables, and the rights on the database and its schema. Needs a superuser.
- ``db/team/policies.sql``: grants on the tables, row-level security for VS-NfD
  dossiers and assessments (and what hangs off them), the trigger that lets
  only Abzeichnen sign off, and the one that keeps the answers of a signed
  assessment as they were signed. Runs as the owner of the tables.

``chinadialog team init`` runs both (``server_upgrade.init_server``);
``db upgrade`` runs ``policies.sql`` again after every schema change once the
roles exist, so new tables get their rights. A server without these roles
(a single administrator's test database) works as before, without them.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from chinadialog_desktop.paths import install_root

if TYPE_CHECKING:
    from sqlalchemy import Connection

OWNER_ROLE = "chinadialog_owner"
CLEARED_ROLE = "chinadialog_vsnfd"
# App role (as the window and the documentation name it) → PostgreSQL group role.
APP_ROLES: dict[str, str] = {
    "Lesen": "chinadialog_lesen",
    "Bearbeiten": "chinadialog_bearbeiten",
    "Abzeichnen": "chinadialog_abzeichnen",
    "Verwalten": "chinadialog_verwalten",
}
ALL_ROLES = (*APP_ROLES.values(), CLEARED_ROLE, OWNER_ROLE)
# The HINT of the sign-off trigger's refusal (policies.sql), so the app can say what it was.
SIGN_OFF_HINT = "chinadialog:sign-off"
# ... and of the trigger that keeps the answers of a signed assessment as they were signed.
SIGNED_ANSWERS_HINT = "chinadialog:signed-answers"


def sql_file(name: str) -> Path:
    """``db/team/NAME`` (beside the migrations; bundled with the app)."""
    return install_root() / "db" / "team" / name


ROLES_SQL = sql_file("roles.sql")
POLICIES_SQL = sql_file("policies.sql")


def run_file(conn: Connection, path: Path) -> None:
    """Run an SQL file as it is, in ``conn``'s transaction (several statements, no parameters)."""
    driver = conn.connection.driver_connection
    assert driver is not None
    driver.execute(path.read_text(encoding="utf-8"))


def roles_set_up(conn: Connection) -> bool:
    """True when every role of roles.sql exists on this server."""
    from sqlalchemy import text

    found = conn.execute(
        text("SELECT count(*) FROM pg_roles WHERE rolname = ANY(:names)"),
        {"names": list(ALL_ROLES)},
    ).scalar()
    return found == len(ALL_ROLES)


def become_owner(conn: Connection) -> bool:
    """Act as the owner role until the transaction ends, when the login may (Verwalten).

    Tables a migration creates then belong to the owner, so the default privileges
    of roles.sql apply to them. False (nothing changed) without the roles, or in a
    database they were not set up for.
    """
    from sqlalchemy import text

    # Only in a database roles.sql has set up (the owner may create in it): a superuser's
    # 'db upgrade' of another database on the same server stays its own.
    may = conn.execute(
        text(
            "SELECT current_user <> :owner AND pg_has_role(current_user, :owner, 'MEMBER') "
            "AND has_database_privilege(:owner, current_database(), 'CREATE') "
            "FROM pg_roles WHERE rolname = :owner"
        ),
        {"owner": OWNER_ROLE},
    ).scalar()
    if not may:
        return False
    conn.execute(text(f"SET LOCAL ROLE {OWNER_ROLE}"))
    return True


def table_owner(conn: Connection) -> str | None:
    """The role owning the ChinaDialog tables (their schema stamp), None without tables."""
    from sqlalchemy import text

    found = conn.execute(
        text(
            "SELECT r.rolname FROM pg_class c JOIN pg_roles r ON r.oid = c.relowner "
            "WHERE c.oid = to_regclass('alembic_version')"
        )
    ).scalar()
    return None if found is None else str(found)


def apply_policies(conn: Connection) -> bool:
    """Run policies.sql in a database roles.sql has set up, as the tables' owner; whether it ran.

    Idempotent. Another role's ``db upgrade`` of an up-to-date database stays a no-op.
    """
    from sqlalchemy import text

    if not roles_set_up(conn):
        return False
    owns = conn.execute(
        text(
            "SELECT pg_has_role(current_user, c.relowner, 'USAGE') "
            "AND has_database_privilege(:owner, current_database(), 'CREATE') "
            "FROM pg_class c WHERE c.oid = to_regclass('dossier')"
        ),
        {"owner": OWNER_ROLE},
    ).scalar()
    if not owns:
        return False
    run_file(conn, POLICIES_SQL)
    return True
