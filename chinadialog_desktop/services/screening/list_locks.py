"""One reference list held for a transaction: per-list locks on a team server."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from chinadialog_desktop.errors import UserError
from chinadialog_desktop.i18n import _
from chinadialog_desktop.persistence import rawsql
from chinadialog_desktop.persistence.models_reference import ReferenceList
from chinadialog_desktop.persistence.server import (
    new_reference_list_lock_key,
    reference_list_lock_key,
    try_lock,
)


class ListBusy(UserError):
    """Another official is importing, updating or removing this reference list right now."""


def lock_list(session: Session, list_key: str) -> None:
    """Hold this reference list (and no other) for the session's transaction.

    On a team server two officials may update two different lists at once; a second
    update of the same list is refused at once, in one sentence, instead of waiting
    minutes behind the first (or, worse, interleaving with it). The lock is a
    transaction-level advisory lock keyed by the list's uuid (a list being created has
    none yet: then by its key, and by its uuid as well once it turns out to exist), so
    it ends with the commit, the rollback, or the death of the client. On SQLite it
    does nothing: the file's write lock already lets one writer in at a time.
    """
    conn = session.connection()
    if not rawsql.is_server(conn):
        return
    query = select(ReferenceList.uuid, ReferenceList.name).where(ReferenceList.list_key == list_key)
    found = session.execute(query).first()
    if found is None:
        if not try_lock(conn, new_reference_list_lock_key(list_key)):
            raise ListBusy(_busy(list_key))
        found = session.execute(query).first()  # created meanwhile and committed?
    if found is not None and not try_lock(conn, reference_list_lock_key(found[0])):
        raise ListBusy(_busy(found[1]))


def _busy(name: str) -> str:
    return _(
        "Another user is updating the reference list '{name}' right now; nothing was "
        "changed, please try again in a few minutes."
    ).format(name=name)
