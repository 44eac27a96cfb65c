"""The audit trail on a team server is the server's: who is the login, and rows only grow.

A row trigger on ``audit_event`` (created by ``db upgrade``):

- on INSERT sets ``user`` to the database session's login role
  (``session_user``), whatever the client sent — no client can write an event
  in someone else's name;
- on UPDATE allows only what sealing does: setting ``chain_hash`` once, on an
  unsealed event, with every other column unchanged;
- refuses DELETE.

Two functions run with the owner's rights (``SECURITY DEFINER``) and return no
content, only what sealing and checking need where row-level security hides events
of VS-NfD records from a role (``db/team/policies.sql``):
``chinadialog_audit_last_hash(id)``, the chain hash before an event, and
``chinadialog_audit_total()``, how many events there are.

So the trail is append-only for every role, the owner included (a future
migration that must rewrite events disables the trigger for its transaction).
Tampering past the app is refused by the server, not only detected by
``db verify``. Files (SQLite) keep relying on the hash chain alone.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from sqlalchemy import Connection

_COLUMNS = (
    "id",
    "at",
    '"user"',
    "action",
    "table_name",
    "record_uuid",
    "field",
    "old_value",
    "new_value",
)
_FUNCTION = f"""
CREATE OR REPLACE FUNCTION chinadialog_audit_guard() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'INSERT' THEN
        NEW."user" := session_user;
        RETURN NEW;
    END IF;
    IF TG_OP = 'UPDATE' AND OLD.chain_hash IS NULL AND NEW.chain_hash IS NOT NULL
       AND ({", ".join("NEW." + c for c in _COLUMNS)})
           IS NOT DISTINCT FROM ({", ".join("OLD." + c for c in _COLUMNS)}) THEN
        RETURN NEW;
    END IF;
    RAISE EXCEPTION 'the audit trail can only grow' USING ERRCODE = 'insufficient_privilege';
END
$$
"""
_TRIGGER = (
    "CREATE TRIGGER chinadialog_audit_guard BEFORE INSERT OR UPDATE OR DELETE ON audit_event "
    "FOR EACH ROW EXECUTE FUNCTION chinadialog_audit_guard()"
)


# search_path fixed to the tables' schema (and pg_temp last): a role's own temporary table
# called audit_event cannot stand in for the real one in a function running as the owner.
_LAST_HASH = """
CREATE OR REPLACE FUNCTION chinadialog_audit_last_hash(before_id BIGINT) RETURNS TEXT
    LANGUAGE sql STABLE SECURITY DEFINER SET search_path = {schema}, pg_temp AS $$
    SELECT chain_hash FROM audit_event WHERE id < before_id AND chain_hash IS NOT NULL
    ORDER BY id DESC LIMIT 1
$$
"""
_TOTAL = """
CREATE OR REPLACE FUNCTION chinadialog_audit_total() RETURNS BIGINT
    LANGUAGE sql STABLE SECURITY DEFINER SET search_path = {schema}, pg_temp AS $$
    SELECT count(*) FROM audit_event
$$
"""


def ensure(conn: Connection) -> None:
    """Create the guard and the functions if missing (an up-to-date database is left as it is)."""
    from sqlalchemy import text

    found = conn.execute(
        text("SELECT count(*) FROM pg_trigger WHERE tgname = 'chinadialog_audit_guard'")
    ).scalar()
    if not found:
        conn.execute(text(_FUNCTION))
        conn.execute(text(_TRIGGER))
    if (
        conn.execute(text("SELECT to_regprocedure('chinadialog_audit_last_hash(bigint)')")).scalar()
        is None
    ):
        schema = conn.execute(text("SELECT quote_ident(current_schema())")).scalar()
        conn.execute(text(_LAST_HASH.format(schema=schema)))
        conn.execute(text(_TOTAL.format(schema=schema)))
