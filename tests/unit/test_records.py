"""The record operations under the editors and undo: no Qt, real SQLite files."""

from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import func, select

from chinadialog_desktop.errors import ConcurrentEdit, NotFound
from chinadialog_desktop.persistence.database import Database
from chinadialog_desktop.persistence.models import (
    Activity,
    Assessment,
    AuditEvent,
    Contact,
    Dossier,
    DossierSource,
    Partnership,
)
from chinadialog_desktop.services.records import edit as records
from chinadialog_desktop.services.records import validation

pytestmark = pytest.mark.both_engines


def _partnership_with_children(db: Database) -> tuple[str, str]:
    with db.session() as s:
        german = records.create(s, "actor", {"name_de": "Braunschweig", "country": "DE"})
        chinese = records.create(s, "actor", {"name_de": "Zhuhai", "name_zh": "珠海"})
        p = records.create(s, "partnership", {"title": "Braunschweig – Zhuhai"})
        records.create(s, "party", {"partnership_id": p.id, "actor_id": german.id})
        records.create(
            s, "party", {"partnership_id": p.id, "actor_id": chinese.id, "role": "chinese"}
        )
        for n in range(3):
            records.create(
                s,
                "activity",
                {"partnership_id": p.id, "date": date(2020 + n, 1, 1), "title": f"A{n}"},
            )
        records.create(s, "contact", {"name": "Frau Li", "partnership_id": p.id})
        records.create(
            s,
            "attachment",
            {
                "file_name": "mou.pdf",
                "size": 3,
                "sha256": "0" * 64,
                "data": b"pdf",
                "partnership_id": p.id,
            },
        )
        d = records.create(s, "dossier", {"title": "Vorlage"})
        records.create(s, "dossier_partnership", {"dossier_id": d.id, "partnership_id": p.id})
    return p.uuid, d.uuid


def test_create_returns_what_changed_and_the_record_exists(db):
    with db.session() as s:
        change = records.create(s, "actor", {"name_de": "Kiel", "name_zh": "基尔"})
    assert change.action == "create" and change.kind == "actor" and change.version == 1
    with db.sessions() as s:
        actor = records.get(s, "actor", change.uuid)
        assert actor.id == change.id and actor.name_zh == "基尔"


def test_update_records_old_and_new_and_bumps_the_version(db):
    with db.session() as s:
        created = records.create(s, "source", {"title": "Bericht"})
    with db.session() as s:
        change = records.update(s, "source", created.uuid, "year", "2023", expected_version=1)
    assert (change.field, change.old, change.new, change.version) == ("year", None, 2023, 2)
    with db.session() as s:
        cleared = records.update(s, "source", created.id, "year", "")
    assert cleared.new is None and cleared.old == 2023
    with db.sessions() as s:
        events = s.scalars(select(AuditEvent).where(AuditEvent.record_uuid == created.uuid)).all()
    assert [e.action for e in events] == ["insert", "update", "update"]


def test_dates_accept_iso_text(db):
    with db.session() as s:
        p = records.create(s, "partnership", {"title": "X", "start_date": "2011-05-03"})
    with db.sessions() as s:
        assert records.get(s, "partnership", p.id).start_date == date(2011, 5, 3)


def test_a_stale_version_is_a_conflict_and_changes_nothing(db):
    with db.session() as s:
        a = records.create(s, "actor", {"name_de": "Kiel"})
    with db.session() as s:  # another window saves first
        records.update(s, "actor", a.uuid, "notes", "von B", expected_version=1)
    with pytest.raises(ConcurrentEdit), db.session() as s:
        records.update(s, "actor", a.uuid, "notes", "von A", expected_version=1)
    with db.sessions() as s:
        assert records.get(s, "actor", a.uuid).notes == "von B"


def test_two_sessions_loading_the_same_row_collide_on_flush(db):
    """The version column itself (StaleDataError) catches a write between read and flush."""
    with db.session() as s:
        a = records.create(s, "actor", {"name_de": "Kiel"})
    first = db.sessions()
    obj = first.get(records.model("actor"), a.id)
    with db.session() as s:
        records.update(s, "actor", a.id, "notes", "B")
    obj.notes = "A"
    with pytest.raises(ConcurrentEdit):
        records._flush(first)
    first.close()


def test_unknown_fields_and_records_are_refused(db):
    with pytest.raises(NotFound), db.session() as s:
        records.update(s, "actor", "no-such-uuid", "notes", "x")
    with db.session() as s:
        a = records.create(s, "actor", {"name_de": "Kiel"})
    with pytest.raises(records.UserError), db.session() as s:
        records.update(s, "actor", a.id, "version", 7)


def test_delete_and_restore_bring_back_uuid_children_and_links(db):
    p_uuid, d_uuid = _partnership_with_children(db)
    with db.session() as s:
        change = records.delete(s, "partnership", p_uuid)
    with db.sessions() as s:
        assert s.scalar(select(func.count()).select_from(Partnership)) == 0
        assert s.scalar(select(func.count()).select_from(Activity)) == 0
        assert s.scalars(select(Contact.partnership_id)).one() is None
        assert records.get(s, "dossier", d_uuid).partnership_links == []
    with db.session() as s:
        back = records.restore(s, change.snapshot)
    assert back.uuid == p_uuid and back.kind == "partnership"
    with db.sessions() as s:
        p = records.get(s, "partnership", p_uuid)
        assert [a.title for a in p.activities] == ["A0", "A1", "A2"]
        assert sorted(x.actor.name_de for x in p.parties) == ["Braunschweig", "Zhuhai"]
        assert s.scalars(select(Contact.partnership_id)).one() == p.id
        links = records.get(s, "dossier", d_uuid).partnership_links
        assert [link.partnership_id for link in links] == [p.id]
        assert p.id == back.id


def test_restore_after_the_id_was_reused(db, engine_kind):
    with db.session() as s:
        a = records.create(s, "actor", {"name_de": "Kiel"})
    with db.session() as s:
        gone = records.delete(s, "actor", a.uuid)
    with db.session() as s:
        reused = records.create(s, "actor", {"name_de": "Aachen"})
    if engine_kind == "sqlite":
        assert reused.id == a.id  # SQLite hands the free id out again (PostgreSQL never does)
    with db.session() as s:
        back = records.restore(s, gone.snapshot)
    assert back.id != reused.id and back.uuid == a.uuid
    with db.sessions() as s:
        assert s.scalar(select(func.count()).select_from(records.model("actor"))) == 2


def test_an_actor_that_is_a_party_cannot_be_deleted(db):
    _partnership_with_children(db)
    with db.sessions() as s:
        actor_uuid = s.scalars(select(records.model("actor").uuid)).first()
    with pytest.raises(records.InUse), db.session() as s:
        records.delete(s, "actor", actor_uuid)


def test_new_dossier_has_its_five_sections_and_numbers_sources(db):
    with db.session() as s:
        d = records.create(s, "dossier", {"title": "Vorlage"})
        src = records.create(s, "source", {"title": "Quelle"})
        n = records.next_source_number(s, d.id)
        records.create(s, "dossier_source", {"dossier_id": d.id, "source_id": src.id, "number": n})
        assert records.next_source_number(s, d.id) == 2
    with db.sessions() as s:
        dossier = s.get(Dossier, d.id)
        assert [x.key for x in dossier.sections] == [
            "summary",
            "background",
            "opportunities",
            "risks",
            "recommendation",
        ]
        assert s.scalars(select(DossierSource.number)).all() == [1]


def test_deleting_a_partnership_takes_its_assessments_along_and_restores_them(db):
    from chinadialog_desktop.services.assessment import checklists
    from chinadialog_desktop.services.assessment import workflow as assessments

    p_uuid, _d = _partnership_with_children(db)
    with db.session() as s:
        checklists.install_bundled(s)
        partnership = records.get(s, "partnership", p_uuid)
        key = checklists.template_rows(s)[0].key
        assessments.start_assessment(s, checklists.newest_version(s, key), partnership=partnership)
    with db.session() as s:
        change = records.delete(s, "partnership", p_uuid)
    with db.sessions() as s:
        assert s.scalar(select(func.count()).select_from(Assessment)) == 0
    with db.session() as s:
        records.restore(s, change.snapshot)
    with db.sessions() as s:
        assert s.scalar(select(func.count()).select_from(Assessment)) == 1


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("03.05.2011", (date(2011, 5, 3), "day")),
        ("2011-05-03", (date(2011, 5, 3), "day")),
        ("5.2011", (date(2011, 5, 1), "month")),
        ("2011-05", (date(2011, 5, 1), "month")),
        ("2011", (date(2011, 1, 1), "year")),
        ("", (None, "day")),
    ],
)
def test_partial_dates(text, expected):
    assert validation.parse_partial_date(text) == expected


@pytest.mark.parametrize("text", ["31.02.2020", "13.2020", "gestern", "20111", "1.1.11"])
def test_invalid_dates_are_refused_with_a_message(text):
    with pytest.raises(validation.InvalidValue) as err:
        validation.parse_partial_date(text)
    assert str(err.value)


def test_required_fields_and_end_before_start():
    assert validation.required_error("actor", "name_de", "  ")
    assert validation.required_error("actor", "notes", "") is None
    assert validation.order_error(date(2020, 1, 1), "day", date(2019, 12, 31), "day")
    # "2020" as an end means all of 2020: not before a start in March 2020.
    assert validation.order_error(date(2020, 3, 1), "day", date(2020, 1, 1), "year") is None
    assert validation.order_error(date(2020, 3, 1), "day", date(2020, 2, 1), "month")
    found = validation.problems(
        "partnership",
        {"title": "", "start_date": date(2020, 1, 1), "end_date": date(2010, 1, 1)},
    )
    assert set(found) == {"title", "end_date"}


def test_restore_keeps_the_version_so_earlier_undo_steps_still_apply(db):
    with db.session() as s:
        a = records.create(s, "actor", {"name_de": "Kiel"})
    with db.session() as s:
        edited = records.update(s, "actor", a.uuid, "notes", "x", expected_version=1)
    with db.session() as s:
        gone = records.delete(s, "actor", a.uuid, expected_version=edited.version)
    with db.session() as s:
        back = records.restore(s, gone.snapshot)
    with db.sessions() as s:
        assert records.get(s, "actor", back.uuid).version == edited.version == 2
    with db.session() as s:
        records.update(s, "actor", a.uuid, "notes", None, expected_version=2)


@pytest.mark.parametrize(
    ("name", "good", "bad"),
    [
        ("ags", "03101000", "3101000"),
        ("uscc", "91440400MA4W6EXX24", "91440400MA4W6EXX2P"),
        ("country", "CN", "China"),
        ("email", "li@example.org", "li.example.org"),
        ("website", "https://www.zhuhai.gov.cn/", "www.zhuhai.gov.cn"),
        ("url", "http://example.org/a?b=1", "ftp://example.org"),
    ],
)
def test_identifiers_and_addresses_are_checked(name, good, bad):
    assert validation.format_error("actor", name, good) is None
    assert validation.format_error("actor", name, bad)
    assert validation.format_error("actor", name, "") is None  # empty is allowed
    assert validation.field_error("actor", name, bad) == validation.format_error("actor", name, bad)


def test_problems_of_a_whole_record():
    found = validation.problems("actor", {"name_de": "Kiel", "ags": "0100", "country": "DE"})
    assert set(found) == {"ags"}
