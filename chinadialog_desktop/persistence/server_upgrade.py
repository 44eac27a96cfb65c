"""``db upgrade`` on a team server: the schema, the search index, the notify and audit triggers.

It stands above ``server`` (addresses, passwords, connecting, schema checks)
and brings together what a server database needs besides the tables: the
Alembic migrations (``migrate``), the search index (``search_index_pg``),
change notifications (``server_notify``) and the audit-trail guard
(``server_audit``). Those depend on ``server``, never the other way round.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import Connection, Engine, text
from sqlalchemy.exc import DBAPIError

from chinadialog_desktop.errors import DatabaseRefused
from chinadialog_desktop.i18n import _
from chinadialog_desktop.persistence import migrate as alembic_runner
from chinadialog_desktop.persistence import (
    search_index_pg,
    server_audit,
    server_notify,
    server_rights,
)
from chinadialog_desktop.persistence.models import Base
from chinadialog_desktop.persistence.schema import HEAD_REVISION, KNOWN_REVISIONS
from chinadialog_desktop.persistence.server import (
    SCHEMA_LOCK_KEY,
    ServerTarget,
    check_revision,
    describe_server_error,
    foreign_tables,
    make_server_engine,
    server_revision,
)


@dataclass(frozen=True)
class Upgraded:
    created: bool
    migrated_from: str | None
    index_built: bool = False  # the search index was (re)built
    rights: bool = False  # db/team/policies.sql was run (the team roles exist)


def upgrade_server(target: ServerTarget, engine: Engine | None = None) -> Upgraded:
    """Create or upgrade the schema in one transaction, under the schema advisory lock.

    A second client running it at the same time waits for the lock and then
    finds the work done. Newer and foreign databases are refused unchanged.
    A member of Verwalten acts as the owner role for it (``server_rights``), and
    once the team roles exist the rights (``db/team/policies.sql``) are applied again.
    """
    own = engine is None
    engine = engine or make_server_engine(target)
    try:
        with engine.begin() as conn:
            conn.execute(text("SELECT pg_advisory_xact_lock(:k)"), {"k": SCHEMA_LOCK_KEY})
            server_rights.become_owner(conn)
            return _upgrade(conn, target)
    except DBAPIError as exc:
        raise (describe_server_error(exc, target) or exc) from exc
    finally:
        if own:
            engine.dispose()


def init_server(target: ServerTarget) -> Upgraded:
    """``team init``: roles.sql, the schema as the owner role, policies.sql; all or nothing.

    Idempotent: on a database already set up it changes nothing (or what a newer
    version of the files adds). Needs a superuser (roles are created cluster-wide).
    """
    engine = make_server_engine(target)
    try:
        with engine.begin() as conn:
            conn.execute(text("SELECT pg_advisory_xact_lock(:k)"), {"k": SCHEMA_LOCK_KEY})
            server_rights.run_file(conn, server_rights.ROLES_SQL)
            owner = server_rights.table_owner(conn)
            if owner not in (None, server_rights.OWNER_ROLE):  # raising undoes the roles too
                raise DatabaseRefused(
                    _(
                        "The tables of {server} belong to another role than {owner}, so "
                        "'team init' cannot set up their rights; nothing was changed. Start "
                        "from an empty database and move the data there with 'db copy'."
                    ).format(server=target.display(), owner=server_rights.OWNER_ROLE)
                )
            server_rights.become_owner(conn)
            return _upgrade(conn, target)
    except DBAPIError as exc:
        raise (describe_server_error(exc, target) or exc) from exc
    finally:
        engine.dispose()


def _upgrade(conn: Connection, target: ServerTarget) -> Upgraded:
    revision = server_revision(conn)
    if revision is None:
        tables = foreign_tables(conn)
        if tables:
            check_revision(target, None, tables)
        Base.metadata.create_all(conn)
        conn.execute(
            text(
                "CREATE TABLE alembic_version (version_num VARCHAR(32) NOT NULL, "
                "CONSTRAINT alembic_version_pkc PRIMARY KEY (version_num))"
            )
        )
        conn.execute(text("INSERT INTO alembic_version VALUES (:r)"), {"r": HEAD_REVISION})
        search_index_pg.ensure(conn)
        server_notify.ensure(conn)
        server_audit.ensure(conn)
        return Upgraded(True, None, rights=server_rights.apply_policies(conn))
    if revision not in KNOWN_REVISIONS:
        check_revision(target, revision, [])
    if revision != HEAD_REVISION:
        alembic_runner.upgrade(conn)
    index_was = search_index_pg.ensure(conn)  # built once; kept current by each commit
    server_notify.ensure(conn)
    server_audit.ensure(conn)
    rights = server_rights.apply_policies(conn)  # also after a rebuilt index (new search_doc)
    built = index_was != "current"
    return Upgraded(False, None if revision == HEAD_REVISION else revision, built, rights)
