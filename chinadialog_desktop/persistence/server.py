"""Team mode: one ChinaDialog database on a PostgreSQL server (psycopg 3).

A *database target* is either a file (the single-user default, SQLite) or a
server connection written as a URL, ``postgresql://user@host:port/database``
(query parameters such as ``sslmode=verify-full`` and ``sslrootcert=…`` go
to libpq unchanged). :func:`parse_target` tells them apart; everything that
opens a database goes through ``Database.open``, which calls
:func:`open_server` for a server.

Passwords are never part of the URL we keep, print or store: they come from
the operating system's keyring (``keyring``; service ``ChinaDialog Desktop``,
user name ``user@host:port``), or, as with every libpq program, from
``PGPASSWORD`` or ``~/.pgpass`` (libpq reads those itself when we pass none).

Schema on a server:

* Opening never changes the schema. A database without our tables or with an
  older schema is refused with a sentence naming ``db upgrade``; on a shared
  server the schema moves only when someone decides to (the IT department,
  with a role allowed to change tables), never because one client was
  updated. A newer schema is refused as with SQLite files.
* ``db upgrade`` (``server_upgrade.upgrade_server``) runs in one transaction (DDL is
  transactional in PostgreSQL) under a transaction-level advisory lock, so
  two clients never migrate at once; the second waits and finds it done. A
  new database is created from the models and stamped, exactly as a new
  SQLite file is; an older one runs the same Alembic migrations as files do.
* A role that may not create or alter the tables gets one sentence saying so.
"""

from __future__ import annotations

import hashlib
import zlib
from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any
from urllib.parse import urlsplit

from chinadialog_desktop.errors import DatabaseNewer, DatabaseRefused, UserError
from chinadialog_desktop.i18n import _
from chinadialog_desktop.persistence.schema import HEAD_REVISION, KNOWN_REVISIONS
from chinadialog_desktop.persistence.server_url import SERVER_SCHEMES
from chinadialog_desktop.persistence.server_url import is_server_url as is_server_url

if TYPE_CHECKING:
    from sqlalchemy import URL, Connection, Engine

KEYRING_SERVICE = "ChinaDialog Desktop"
# Seconds libpq waits for the server to answer before giving up (a laptop off the network).
CONNECT_TIMEOUT_S = 10
# Advisory lock keys (bigint): one for schema changes, one that orders audit-trail writers.
SCHEMA_LOCK_KEY = zlib.crc32(b"chinadialog:schema")
AUDIT_LOCK_KEY = zlib.crc32(b"chinadialog:audit")
# libpq parameters a URL may carry; anything else is refused (a typo must not pass silently).
ALLOWED_PARAMETERS = frozenset(
    {
        "sslmode",
        "sslrootcert",
        "sslcert",
        "sslkey",
        "sslcrl",
        "connect_timeout",
        "application_name",
        "target_session_attrs",
        "options",
    }
)
SSL_MODES = ("disable", "allow", "prefer", "require", "verify-ca", "verify-full")


class ServerUnavailable(UserError):
    """The server could not be reached or refused the login; nothing was changed."""


class ConcurrentWrite(UserError):
    """The server broke a deadlock or a serialisation conflict by rolling this transaction
    back; nothing was changed, and the same work may simply be tried again."""


class NoKeyring(UserError):
    """The operating system offers no keyring to keep a password in."""


@dataclass(frozen=True)
class ServerTarget:
    """A PostgreSQL database as the user named it; never holds a password."""

    host: str
    port: int
    database: str
    user: str
    parameters: tuple[tuple[str, str], ...] = ()

    @property
    def sslmode(self) -> str | None:
        return dict(self.parameters).get("sslmode")

    def display(self) -> str:
        """``postgresql://user@host:port/database`` (with the TLS mode): safe to show and keep."""
        text = f"postgresql://{self.user}@{_host_for_url(self.host)}:{self.port}/{self.database}"
        if self.parameters:
            text += "?" + "&".join(f"{k}={v}" for k, v in self.parameters)
        return text

    def keyring_user(self) -> str:
        return f"{self.user}@{self.host}:{self.port}"

    def spoken(self) -> str:
        """``host:port``: how a message names the server (no scheme, no settings)."""
        return f"{self.host}:{self.port}"

    def sqlalchemy_url(self) -> URL:
        from sqlalchemy import URL

        return URL.create(
            "postgresql+psycopg",
            username=self.user,
            host=self.host,
            port=self.port,
            database=self.database,
            query=dict(self.parameters),
        )

    def __str__(self) -> str:
        return self.display()


def _host_for_url(host: str) -> str:
    return f"[{host}]" if ":" in host else host


def parse_target(text: str) -> ServerTarget:
    """Read ``postgresql://user@host:port/database?sslmode=…``; raise UserError when unusable.

    A password in the URL is refused: it would end up in the shell history,
    the process list and the recent-files list.
    """
    from urllib.parse import parse_qsl, unquote

    parts = urlsplit(text)
    if parts.scheme.lower() not in SERVER_SCHEMES:
        raise DatabaseRefused(_("{url} is not a PostgreSQL address.").format(url=text))
    if parts.password is not None:
        raise DatabaseRefused(
            _(
                "The server address contains a password; please leave it out. ChinaDialog "
                "takes the password from the keyring ('chinadialog team password'), from "
                "PGPASSWORD or from ~/.pgpass."
            )
        )
    try:
        port = parts.port or 5432
    except ValueError:
        raise DatabaseRefused(
            _("The port in the server address {url} is not a number.").format(url=text)
        ) from None
    host = unquote(parts.hostname or "")
    database = unquote(parts.path.lstrip("/"))
    user = unquote(parts.username or "")
    missing = [
        name
        for name, value in ((_("host"), host), (_("database"), database), (_("user"), user))
        if not value
    ]
    if missing:
        raise DatabaseRefused(
            _(
                "The server address {url} lacks: {parts}. Write it as "
                "postgresql://user@host:port/database."
            ).format(url=_without_password(text), parts=", ".join(missing))
        )
    params = tuple(parse_qsl(parts.query, keep_blank_values=True))
    for key, value in params:
        if key not in ALLOWED_PARAMETERS:
            raise DatabaseRefused(
                _("The server address has the unknown setting '{key}'.").format(key=key)
            )
        if key == "sslmode" and value not in SSL_MODES:
            raise DatabaseRefused(
                _("The TLS mode '{mode}' is unknown; possible are: {modes}.").format(
                    mode=value, modes=", ".join(SSL_MODES)
                )
            )
    return ServerTarget(host, port, database, user, params)


def _without_password(text: str) -> str:
    parts = urlsplit(text)
    if parts.password is None:
        return text
    netloc = parts.netloc.replace(":" + parts.password + "@", "@")
    return parts._replace(netloc=netloc).geturl()


# -- passwords ---------------------------------------------------------------------------


def _keyring() -> Any | None:
    """The OS keyring backend, or None when there is none (headless Linux, for example)."""
    try:
        import keyring
        from keyring.backends import fail
    except ImportError:
        return None
    backend = keyring.get_keyring()
    if isinstance(backend, fail.Keyring) or getattr(backend, "priority", 1) <= 0:
        return None
    return backend


def keyring_available() -> bool:
    return _keyring() is not None


def no_keyring_message() -> str:
    return _(
        "This system offers no keyring for passwords; give the password through "
        "PGPASSWORD or in ~/.pgpass instead."
    )


def stored_password(target: ServerTarget) -> str | None:
    """The password kept in the keyring for this user and server, or None."""
    backend = _keyring()
    if backend is None:
        return None
    try:
        value = backend.get_password(KEYRING_SERVICE, target.keyring_user())
    except Exception:  # a locked or broken keyring: libpq's own sources may still help
        return None
    return str(value) if value else None


def store_password(target: ServerTarget, password: str) -> None:
    """Keep ``password`` in the OS keyring (never in a file of ours); NoKeyring if there is none."""
    backend = _keyring()
    if backend is None:
        raise NoKeyring(no_keyring_message())
    backend.set_password(KEYRING_SERVICE, target.keyring_user(), password)


def forget_password(target: ServerTarget) -> bool:
    backend = _keyring()
    if backend is None:
        raise NoKeyring(no_keyring_message())
    try:
        backend.delete_password(KEYRING_SERVICE, target.keyring_user())
    except Exception:  # keyring.errors.PasswordDeleteError: there was none
        return False
    return True


# -- connecting --------------------------------------------------------------------------


def make_server_engine(target: ServerTarget) -> Engine:
    """An engine for the server; the password (if the keyring has one) only in connect_args."""
    from sqlalchemy import create_engine, event

    connect_args: dict[str, Any] = {"application_name": "ChinaDialog Desktop"}
    params = dict(target.parameters)
    if "connect_timeout" not in params:
        connect_args["connect_timeout"] = CONNECT_TIMEOUT_S
    password = stored_password(target)
    if password is not None:
        connect_args["password"] = password
    engine = create_engine(
        target.sqlalchemy_url(),
        connect_args=connect_args,
        pool_size=5,
        max_overflow=5,
    )
    check_on_checkout(engine)  # a connection the server dropped is replaced, not reported

    @event.listens_for(engine, "connect")
    def _custom_plans(dbapi_conn: Any, _record: Any) -> None:
        # psycopg prepares a statement run five times; PostgreSQL may then plan it once for
        # any pattern, and a generic plan cannot use the trigram index for LIKE '%…%' (a
        # search took 400 ms instead of 5). Plan every execution for its own values.
        with dbapi_conn.cursor() as cur:
            cur.execute("SET plan_cache_mode = force_custom_plan")
        dbapi_conn.commit()

    return engine


# A pooled connection idle longer than this is pinged before use (a round trip); one
# used more recently only if the server has sent it something unasked (as it does when it
# ends a connection: shut down, restarted, the backend terminated), which costs no trip.
PING_AFTER_IDLE_S = 10.0
_CHECKED_IN = "chinadialog_checked_in"  # pool record info: when the connection came back


def check_on_checkout(engine: Engine) -> None:
    """What ``pool_pre_ping`` does, without its round trip on every checkout.

    Each unit of work takes a connection from the pool; SQLAlchemy's pre-ping asks the
    server first, every time (a save or a list page paid one more round trip for it).
    Here a connection is asked only when it has been idle for ``PING_AFTER_IDLE_S`` or
    its socket holds input nobody asked for (a dropped connection reads as end of file
    at once); a failed ping discards the pool's connections and a new one is made, as
    with pre-ping. A connection that dies unnoticed in between fails its statement,
    which the app reports as the server being away (and the pool starts afresh).
    """
    import time

    from sqlalchemy import event
    from sqlalchemy import exc as sa_exc

    @event.listens_for(engine, "checkin")
    def _returned(dbapi_conn: Any, record: Any) -> None:
        if dbapi_conn is not None:
            record.info[_CHECKED_IN] = time.monotonic()

    @event.listens_for(engine, "checkout")
    def _still_there(dbapi_conn: Any, record: Any, _proxy: Any) -> None:
        since = record.info.pop(_CHECKED_IN, None)
        if since is None:  # a new connection
            return
        if time.monotonic() - since < PING_AFTER_IDLE_S and not _unasked_input(dbapi_conn):
            return
        try:
            engine.dialect.do_ping(dbapi_conn)
        except Exception as exc:
            if isinstance(exc, engine.dialect.loaded_dbapi.Error) and engine.dialect.is_disconnect(
                exc, dbapi_conn, None
            ):
                raise sa_exc.InvalidatePoolError() from exc
            raise


def _unasked_input(dbapi_conn: Any) -> bool:
    """True when an idle connection's socket can be read (input or end of file), or its
    state cannot be told: then it is pinged."""
    import select

    try:
        if dbapi_conn.closed:
            return True
        fd = dbapi_conn.pgconn.socket
        if hasattr(select, "poll"):
            poller = select.poll()
            poller.register(fd, select.POLLIN | select.POLLERR | select.POLLHUP)
            return bool(poller.poll(0))
        return bool(select.select([fd], [], [fd], 0)[0])
    except Exception:  # no socket (closed), or an fd select cannot take
        return True


# A bulk write is followed by ANALYZE on a server when it changed at least this many
# rows, and at least this share of the rows it wrote into (a first import, a rewrite).
ANALYZE_AFTER_ROWS = 5000
ANALYZE_AFTER_SHARE = 0.2


def analyze_after_bulk(
    engine: Engine,
    tables: Sequence[str] | None = None,
    *,
    changed: int | None = None,
    total: int | None = None,
) -> bool:
    """Refresh the planner's statistics after a bulk write was committed (a team server).

    Fresh tables have none, and PostgreSQL's background analyser comes only after a
    while: until then it plans for almost empty tables and reads a list page by
    scanning all partnerships' parties (40 ms instead of 10 at 50,000). So ``db copy``
    to a server (``changed`` None: everything is new) runs ANALYZE on the whole
    database (``tables`` None) right after its commit, and an import analyses the
    ``tables`` it wrote when it changed ``ANALYZE_AFTER_ROWS`` rows or more and at
    least ``ANALYZE_AFTER_SHARE`` of the ``total`` there now (a list's next version that
    changed 2 % keeps the statistics it had: the plans would not change). Tables the
    role may not analyse (not their owner) are passed over by the server; a failure
    changes nothing already committed and is not reported: the background analyser
    catches up. True when it ran. Nothing on SQLite.
    """
    if engine.dialect.name != "postgresql":
        return False
    if changed is not None and (
        changed < ANALYZE_AFTER_ROWS or changed < ANALYZE_AFTER_SHARE * (total or 0)
    ):
        return False
    from sqlalchemy import text
    from sqlalchemy.exc import DBAPIError

    statement = "ANALYZE" + (" " + ", ".join(f'"{t}"' for t in tables) if tables else "")
    try:
        with engine.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
            conn.execute(text(statement))
    except DBAPIError:
        return False
    return True


def describe_server_error(exc: BaseException, target: ServerTarget) -> UserError | None:
    """One German/English sentence for a failed connection or a refused statement (no SQL)."""
    import psycopg
    from psycopg import errors as pgerrors

    orig: BaseException | None = exc
    while orig is not None and not isinstance(orig, psycopg.Error):
        orig = getattr(orig, "orig", None) or orig.__cause__
    if orig is None:
        return None
    where = target.spoken()
    text = str(orig).lower()
    from chinadialog_desktop.persistence.server_rights import SIGN_OFF_HINT, SIGNED_ANSWERS_HINT

    if isinstance(orig, pgerrors.InsufficientPrivilege) and orig.diag.message_hint == SIGN_OFF_HINT:
        return DatabaseRefused(
            _(
                "Only members of the group Abzeichnen may sign off an assessment; the server "
                "{server} refused it for your database role {user}, nothing was changed."
            ).format(user=target.user, server=where)
        )
    if (
        isinstance(orig, pgerrors.InsufficientPrivilege)
        and orig.diag.message_hint == SIGNED_ANSWERS_HINT
    ):
        return DatabaseRefused(
            _(
                "The answers of a signed assessment stay as they were signed, so the server "
                "{server} refused to change them; nothing was changed (a change goes into a "
                "new revision of the assessment)."
            ).format(server=where)
        )
    if isinstance(orig, pgerrors.InsufficientPrivilege) and "row-level security" in text:
        return DatabaseRefused(
            _(
                "Your database role {user} is not cleared for VS-NfD on {server}, so it may not "
                "save this record as VS-NfD; nothing was changed."
            ).format(user=target.user, server=where)
        )
    if isinstance(orig, pgerrors.InsufficientPrivilege):
        return DatabaseRefused(
            _(
                "Your database role {user} may not do this on {server}; nothing was changed. "
                "Please ask your IT department for the right."
            ).format(user=target.user, server=where)
        )
    if isinstance(
        orig,
        pgerrors.TransactionRollback | pgerrors.SerializationFailure | pgerrors.DeadlockDetected,
    ):
        return ConcurrentWrite(_concurrent_write_message())
    if isinstance(orig, pgerrors.InvalidCatalogName) or (
        "database" in text and "does not exist" in text
    ):
        return ServerUnavailable(
            _(
                "The database {database} does not exist on the server {host}; please check "
                "the name or ask your IT department to create it."
            ).format(database=target.database, host=target.host)
        )
    if "no password supplied" in text or "password authentication failed" in text:
        hint = (
            _("Store the password with 'chinadialog team password'.")
            if keyring_available()
            else no_keyring_message()
        )
        return ServerUnavailable(
            _("The server {server} did not accept the login of {user}. {hint}").format(
                server=where, user=target.user, hint=hint
            )
        )
    if "certificate" in text or "ssl" in text or "tls" in text:
        return ServerUnavailable(
            _(
                "The secure connection to {server} could not be established (TLS mode "
                "{mode}); please check the server's certificate with your IT department."
            ).format(server=where, mode=target.sslmode or "prefer")
        )
    if (
        "translate host name" in text
        or "name or service not known" in text
        or ("failed to resolve host" in text)
    ):
        return ServerUnavailable(
            _(
                "The server name {host} is unknown; please check how it is written "
                "(nothing was changed)."
            ).format(host=target.host)
        )
    if isinstance(orig, psycopg.OperationalError):
        return ServerUnavailable(
            _(
                "The team server {server} cannot be reached; please check the network "
                "connection and try again (nothing was changed)."
            ).format(server=where)
        )
    return None


def _concurrent_write_message() -> str:
    return _(
        "Another user changed the same data at the same moment; nothing was saved, "
        "please try again."
    )


def describe_concurrent_insert(exc: BaseException) -> UserError | None:
    """A unique key the server refused in the app's ordinary work, as one sentence.

    The services look a key up before they insert it; the server refusing it anyway
    means another client inserted the same key in the same moment (two officials
    screening one actor at once). Tried again, the services find the row and go on.
    Not for ``db copy``, where a refused row is the data's fault and named by table.
    """
    import psycopg
    from psycopg import errors as pgerrors

    orig: BaseException | None = exc
    while orig is not None and not isinstance(orig, psycopg.Error):
        orig = getattr(orig, "orig", None) or orig.__cause__
    if isinstance(orig, pgerrors.UniqueViolation):
        return ConcurrentWrite(_concurrent_write_message())
    return None


def _translated(exc: BaseException, target: ServerTarget) -> BaseException:
    return describe_server_error(exc, target) or exc


# -- the schema on the server ------------------------------------------------------------


def server_revision(conn: Connection) -> str | None:
    """The schema stamp, or None when the database has no ChinaDialog tables yet."""
    from sqlalchemy import text

    found = conn.execute(text("SELECT to_regclass('alembic_version')")).scalar()
    if found is None:
        return None
    return conn.execute(text("SELECT version_num FROM alembic_version")).scalar()


def foreign_tables(conn: Connection) -> list[str]:
    from sqlalchemy import text

    return [
        str(r[0])
        for r in conn.execute(
            text(
                "SELECT tablename FROM pg_tables WHERE schemaname = current_schema() "
                "ORDER BY tablename"
            )
        )
    ]


def check_revision(target: ServerTarget, revision: str | None, tables: list[str]) -> None:
    """Refuse a database that is empty, foreign, older or newer than this version."""
    if revision is None:
        if tables:
            raise DatabaseRefused(
                _(
                    "The database {server} holds tables of another program, not a ChinaDialog "
                    "database; it was left unchanged."
                ).format(server=target.display())
            )
        raise DatabaseRefused(
            _(
                "The database {server} is empty. To set it up, run 'chinadialog --db "
                '"{server}" db upgrade\' with a role allowed to create tables.'
            ).format(server=target.display())
        )
    if revision == HEAD_REVISION:
        return
    if revision in KNOWN_REVISIONS:
        raise DatabaseRefused(
            _(
                "The database {server} has an older schema ({revision}) than this version of "
                "ChinaDialog. Your IT department upgrades it with 'chinadialog --db "
                '"{server}" db upgrade\'; it was left unchanged.'
            ).format(server=target.display(), revision=revision)
        )
    raise DatabaseNewer(
        _(
            "The database {server} was set up by a newer version of ChinaDialog (schema "
            "{revision}). Please update the app; the database was left unchanged."
        ).format(server=target.display(), revision=revision)
    )


def inspect_server(engine: Engine, target: ServerTarget) -> str | None:
    """The server's schema revision (None: empty database); connection errors translated."""
    from sqlalchemy.exc import DBAPIError

    try:
        with engine.connect() as conn:
            revision = server_revision(conn)
            if revision is None and foreign_tables(conn):
                check_revision(target, None, foreign_tables(conn))
            return revision
    except DBAPIError as exc:
        raise _translated(exc, target) from exc


# conn.info key: (the transaction, the last event id before its turn) of the connection's
# current turn. conn.info outlives the transaction; the weak reference tells whose it was.
_AUDIT_TURN = "chinadialog_audit_turn"


def lock_audit_writers(conn: Connection) -> None:
    """Serialise audit-trail writers on a server until this transaction ends.

    The hash chain is sealed in id order; with one writer at a time between
    its first audit row and its commit, ids follow commit order, as SQLite's
    single write lock guarantees for files. A no-op on SQLite.

    The first turn of a transaction also notes the last event id then (in the same
    round trip): the events above it are this transaction's to seal
    (``audit_turn_after``); a transaction that never took the turn wrote none.
    """
    import weakref

    from sqlalchemy import text

    if conn.dialect.name != "postgresql":
        return
    transaction = conn.get_transaction()
    held = conn.info.get(_AUDIT_TURN)
    if transaction is None or (held is not None and held[0]() is transaction):
        # Taken again all the same: a savepoint rolled back since may have released it.
        conn.execute(text("SELECT pg_advisory_xact_lock(:k)"), {"k": AUDIT_LOCK_KEY})
        return
    last = conn.execute(
        text("SELECT pg_advisory_xact_lock(:k), (SELECT coalesce(max(id), 0) FROM audit_event)"),
        {"k": AUDIT_LOCK_KEY},
    ).one()[1]
    conn.info[_AUDIT_TURN] = (weakref.ref(transaction), int(last))


def holds_audit_turn(conn: Connection) -> bool:
    """Whether this connection's transaction has taken the audit writers' turn already."""
    held = conn.info.get(_AUDIT_TURN)
    return held is not None and held[0]() is conn.get_transaction()


def take_audit_turn(conn: Connection) -> None:
    """Take the turn for a transaction that has written no event yet (``holds_audit_turn``
    is False): its events will be the ones it inserts from now on, so the last id before
    them need not be asked for (``audit.write_queue_server`` inserts and seals them)."""
    from sqlalchemy import text

    conn.execute(text("SELECT pg_advisory_xact_lock(:k)"), {"k": AUDIT_LOCK_KEY})


def audit_turn_after(conn: Connection) -> int | None:
    """The last event id before this transaction took the audit turn; None if it did not."""
    held = conn.info.pop(_AUDIT_TURN, None)
    if held is None or held[0]() is not conn.get_transaction():
        return None
    return int(held[1])


def reference_list_lock_key(list_uuid: str) -> int:
    """The advisory lock key (bigint) of one reference list, derived from its uuid."""
    return _lock_key("chinadialog:reference-list:" + list_uuid)


def new_reference_list_lock_key(list_key: str) -> int:
    """The advisory lock key of a list not created yet (no uuid yet): from its list key."""
    return _lock_key("chinadialog:new-reference-list:" + list_key)


def _lock_key(name: str) -> int:
    # 64 bits of a hash: two lists share a lock only by a one-in-10^19 chance (and then
    # merely take turns); the schema and audit keys above are 32-bit CRCs, never hit.
    return int.from_bytes(
        hashlib.blake2b(name.encode(), digest_size=8).digest(), "big", signed=True
    )


def try_lock(conn: Connection, key: int) -> bool:
    """Take the advisory lock ``key`` until this transaction ends, without waiting.

    True when taken (or on SQLite, where the file's write lock already serialises
    writers); False when another connection holds it. Released by commit or rollback,
    and by the server when a client dies: a killed import never leaves a list locked.
    """
    from sqlalchemy import text

    if conn.dialect.name != "postgresql":
        return True
    return bool(conn.execute(text("SELECT pg_try_advisory_xact_lock(:k)"), {"k": key}).scalar())
