"""Every session factory is audited, also one that takes the address of a closed one.

SQLAlchemy's event registry remembers listeners by ``id()`` of their target and
keeps that entry after the target is gone; the audit hooks were installed only
when ``event.contains`` said they were missing, so a new factory at a reused
address wrote records without audit events (a flaky test and a failed
``db verify`` after ``db copy`` showed it).
"""

from __future__ import annotations

import gc

from sqlalchemy import func, select

from chinadialog_desktop.persistence.engine import make_session_factory
from chinadialog_desktop.persistence.models import AuditEvent
from chinadialog_desktop.persistence.models_core import Actor

ROUNDS = 60


def test_each_new_factory_writes_audit_events(db):
    # Everything alive before the loop is left out of the collections below (each one
    # took a second in a worker that had run a few hundred tests); what the loop makes
    # and drops is collected exactly as before.
    gc.freeze()
    try:
        for i in range(ROUNDS):
            factory = make_session_factory(db.engine)
            with factory() as s, s.begin():
                s.add(Actor(name_de=f"Stadt {i} (Beispiel)", kind="municipality", country="DE"))
            del factory
            gc.collect()  # frees the factory's class: the next one may get its address
    finally:
        gc.unfreeze()
    with db.session() as s:
        inserts = s.scalar(
            select(func.count()).where(
                AuditEvent.table_name == "actor", AuditEvent.action == "insert"
            )
        )
    assert inserts == ROUNDS


def test_installing_twice_audits_once(db):
    from chinadialog_desktop.persistence import audit

    factory = make_session_factory(db.engine)
    audit.install(factory)  # already installed by make_session_factory
    with factory() as s, s.begin():
        s.add(Actor(name_de="Stadt Doppelt (Beispiel)", kind="municipality", country="DE"))
    with factory() as s:
        inserts = s.scalar(
            select(func.count()).where(
                AuditEvent.table_name == "actor", AuditEvent.action == "insert"
            )
        )
    assert inserts == 1
