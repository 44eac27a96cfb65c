"""Models, durable pragmas, optimistic locking and the audit trail on a real SQLite file
and (``both_engines``) on a PostgreSQL team database."""

from __future__ import annotations

import json
from datetime import date

import pytest
from sqlalchemy import select
from sqlalchemy.orm.exc import StaleDataError

from chinadialog_desktop.domain.enums import PartyRole
from chinadialog_desktop.persistence.database import Database
from chinadialog_desktop.persistence.models import (
    Activity,
    Actor,
    Attachment,
    AuditEvent,
    Dossier,
    DossierSection,
    Partnership,
    PartnershipParty,
)

pytestmark = pytest.mark.both_engines


@pytest.fixture
def database(db_url):
    db = Database.open(db_url)
    yield db
    db.close()


def _braunschweig_zhuhai(s):
    bs = Actor(name_de="Braunschweig", kind="municipality", country="DE", ags="03101000")
    zh = Actor(
        name_de="Zhuhai",
        name_zh="珠海",
        name_pinyin="Zhūhǎi",
        kind="city",
        country="CN",
        region="Guangdong",
    )
    p = Partnership(
        title="Braunschweig–Zhuhai",
        type="twin_city",
        start_date=date(2011, 1, 1),
        start_precision="year",
        fields_of_action=["economy", "education_culture"],
    )
    p.parties = [
        PartnershipParty(actor=bs, role=PartyRole.GERMAN.value, position=0),
        PartnershipParty(actor=zh, role=PartyRole.CHINESE.value, position=1),
    ]
    p.activities = [
        Activity(date=date(2011, 5, 1), kind="agreement", title="Partnerschaftsvertrag")
    ]
    s.add(p)
    return p


def test_pragmas_are_durable(database, engine_kind):
    if engine_kind != "sqlite":
        pytest.skip("SQLite's pragmas; a server keeps its own durability settings")
    with database.session() as s:
        conn = s.connection()
        assert conn.exec_driver_sql("PRAGMA foreign_keys").scalar() == 1
        assert conn.exec_driver_sql("PRAGMA journal_mode").scalar() == "wal"
        assert conn.exec_driver_sql("PRAGMA synchronous").scalar() == 2  # FULL
        assert conn.exec_driver_sql("PRAGMA busy_timeout").scalar() >= 1000


def test_records_get_uuid_timestamps_and_version(database):
    with database.session() as s:
        p = _braunschweig_zhuhai(s)
        s.flush()
        assert len(p.uuid) == 36 and p.version == 1 and p.created_at is not None
    with database.session() as s:
        p = s.scalar(select(Partnership))
        names = {pp.actor.name_zh for pp in p.parties}
        assert "珠海" in names
        p.status = "dormant"
    with database.session() as s:
        assert s.scalar(select(Partnership.version)) == 2


def test_foreign_keys_are_enforced(database):
    from sqlalchemy.exc import IntegrityError

    with pytest.raises(IntegrityError), database.session() as s:
        s.add(Activity(partnership_id=9999, date=date(2020, 1, 1), title="x"))


def test_optimistic_lock_detects_a_concurrent_edit(database):
    with database.session() as s:
        s.add(Actor(name_de="Kiel"))
    first = database.sessions()
    second = database.sessions()
    a1 = first.scalar(select(Actor))
    a2 = second.scalar(select(Actor))
    a1.notes = "eins"
    first.commit()
    a2.notes = "zwei"
    with pytest.raises(StaleDataError):
        second.commit()
    second.rollback()
    first.close()
    second.close()
    with database.session() as s:
        assert s.scalar(select(Actor.notes)) == "eins"


def test_audit_events_for_insert_update_delete(database):
    with database.session() as s:
        a = Actor(name_de="Wolfsburg")
        s.add(a)
    uuid = a.uuid
    with database.session() as s:
        s.scalar(select(Actor)).name_en = "Wolfsburg (EN)"
    with database.session() as s:
        s.delete(s.scalar(select(Actor)))
    with database.session() as s:
        events = list(
            s.scalars(
                select(AuditEvent).where(AuditEvent.record_uuid == uuid).order_by(AuditEvent.id)
            )
        )
    assert [e.action for e in events] == ["insert", "update", "delete"]
    assert json.loads(events[0].new_value)["name_de"] == "Wolfsburg"
    assert events[1].field == "name_en" and events[1].old_value is None
    assert events[1].new_value == "Wolfsburg (EN)"
    assert json.loads(events[2].old_value)["name_en"] == "Wolfsburg (EN)"
    assert all(e.user for e in events)


def test_audit_is_rolled_back_with_the_change(database):
    with pytest.raises(RuntimeError), database.session() as s:
        s.add(Actor(name_de="Nie gespeichert"))
        s.flush()
        raise RuntimeError("abort")
    with database.session() as s:
        assert s.scalar(select(AuditEvent).limit(1)) is None
        assert s.scalar(select(Actor).limit(1)) is None


def test_attachment_bytes_live_in_the_database(database):
    import hashlib

    payload = "Vertrag ü 珠海".encode() * 100
    with database.session() as s:
        s.add(
            Attachment(
                file_name="vertrag.txt",
                media_type="text/plain",
                size=len(payload),
                sha256=hashlib.sha256(payload).hexdigest(),
                data=payload,
            )
        )
    with database.session() as s:
        att = s.scalar(select(Attachment))
        assert att.data == payload
        assert hashlib.sha256(att.data).hexdigest() == att.sha256
        ev = s.scalar(select(AuditEvent).where(AuditEvent.table_name == "attachment"))
        assert f"<{len(payload)} Bytes>" in ev.new_value


def test_deleting_a_dossier_cascades_to_its_sections(database):
    with database.session() as s:
        d = Dossier(title="Sachstand")
        d.sections = [DossierSection(key="summary", body="**Kurz**: ja", position=0)]
        s.add(d)
    with database.session() as s:
        s.delete(s.scalar(select(Dossier)))
    with database.session() as s:
        assert s.scalar(select(DossierSection).limit(1)) is None
