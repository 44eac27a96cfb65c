"""The audit trail on a team server is the server's: who is the login, and rows only grow.

A row trigger on ``audit_event`` (created by ``db upgrade``):

- on INSERT sets ``user`` to the database session's login role
  (``session_user``), whatever the client sent — no client can write an event
  in someone else's name;
- on UPDATE allows only what sealing does: setting ``chain_hash`` once, on an
  unsealed event, with every other column unchanged;
- refuses DELETE.

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


def ensure(conn: Connection) -> None:
    """Create the guard if it is missing (an up-to-date database is left as it is)."""
    from sqlalchemy import text

    found = conn.execute(
        text("SELECT count(*) FROM pg_trigger WHERE tgname = 'chinadialog_audit_guard'")
    ).scalar()
    if found:
        return
    conn.execute(text(_FUNCTION))
    conn.execute(text(_TRIGGER))
