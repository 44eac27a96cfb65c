"""The registers through the services: create, edit, order, read as people read them, undo."""

from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import select

from chinadialog_desktop.domain.registers import BY_KEY, REGISTERS
from chinadialog_desktop.errors import NotFound
from chinadialog_desktop.persistence.models import Partnership
from chinadialog_desktop.services.records import edit as records
from chinadialog_desktop.services.records import registers, validation


@pytest.fixture
def partnership_id(db) -> int:
    with db.session() as s:
        p = Partnership(title="Braunschweig–Zhuhai (Beispiel)")
        s.add(p)
        s.flush()
        return p.id


def test_every_register_is_a_record_kind_with_required_fields(db, partnership_id):
    with db.session() as s:
        for register in REGISTERS:
            values = {"partnership_id": partnership_id, **registers.default_values(register)}
            change = records.create(s, register.record_kind, values)
            assert change.parent == {"partnership_id": partnership_id}
            (row,) = registers.entries(s, register, [partnership_id])
            assert row["partnership"] == "Braunschweig–Zhuhai (Beispiel)"
            for name in register.required:
                assert validation.field_error(register.record_kind, name, "") is not None


def test_entries_come_in_date_order_and_read_in_german(db, partnership_id, german):
    gift = BY_KEY["gifts"]
    with db.session() as s:
        for day, title, cents in (
            (date(2025, 5, 3), "Tee (Beispiel)", 4500),
            (date(2024, 4, 16), "Vase (Beispiel)", 15000),
        ):
            records.create(
                s,
                "gift",
                {
                    "partnership_id": partnership_id,
                    "date": day,
                    "title": title,
                    "value_cents": cents,
                },
            )
        rows = registers.entries(s, gift)
    assert [r["title"] for r in rows] == ["Vase (Beispiel)", "Tee (Beispiel)"]
    shown = {f.name: registers.text(f, rows[0][f.name]) for f in gift.fields}
    assert shown["date"] == "16.04.2024"
    assert shown["value_cents"] == "150,00\u00a0€"
    assert shown["decision"] == "Entscheidung offen"
    assert shown["direction"] == "Erhalten"
    # the briefing's language need not be the window's
    assert registers.text(gift.field("decision"), "declined", "en") == "Declined or returned"
    assert registers.text(gift.field("value_cents"), 15000, "en") == "EUR\u00a0150.00"


def test_a_visit_ending_before_it_starts_is_a_problem(partnership_id):
    found = validation.problems(
        "visit",
        {
            "title": "Reise (Beispiel)",
            "start_date": date(2025, 3, 10),
            "end_date": date(2025, 3, 1),
        },
    )
    assert found == {"end_date": "The end lies before the start."}


def test_deleting_a_partnership_takes_its_registers_and_undo_brings_them_back(db, partnership_id):
    with db.session() as s:
        records.create(
            s,
            "incident",
            {
                "partnership_id": partnership_id,
                "date": date(2026, 9, 2),
                "title": "Phishing (Beispiel)",
                "kind": "cyber",
            },
        )
        records.create(
            s,
            "counterpart",
            {
                "partnership_id": partnership_id,
                "name": "Zhang (Beispiel)",
                "party_function": "Parteisekretär (Beispiel)",
            },
        )
        change = records.delete(s, "partnership", partnership_id)
    with db.session() as s:
        assert all(registers.entries(s, r) == [] for r in REGISTERS)
        assert change.snapshot is not None
        records.restore(s, change.snapshot)
    with db.session() as s:
        (incident,) = registers.entries(s, BY_KEY["incidents"])
        (person,) = registers.entries(s, BY_KEY["counterparts"])
        assert (incident["kind"], person["party_function"]) == (
            "cyber",
            "Parteisekretär (Beispiel)",
        )
        assert s.scalars(select(Partnership)).one().title == "Braunschweig–Zhuhai (Beispiel)"


def test_an_unknown_register_or_entry_is_named_in_a_sentence(db, german):
    with pytest.raises(NotFound, match="souvenirs"):
        registers.register_of("souvenirs")
    with (
        db.session() as s,
        pytest.raises(NotFound, match="Im Register „Vorfälle“ gibt es keinen Eintrag mit der ID 7"),
    ):
        registers.entry(s, BY_KEY["incidents"], 7)


def test_a_gift_decision_is_kept_in_the_audit_trail(db, partnership_id):
    """Who changed an acceptance decision, and from what to what: the chained audit log."""
    from chinadialog_desktop.persistence.models import AuditEvent

    with db.session() as s:
        change = records.create(
            s,
            "gift",
            {"partnership_id": partnership_id, "date": date(2026, 4, 1), "title": "Tee (Beispiel)"},
        )
    with db.session() as s:
        records.update(s, "gift", change.uuid, "decision", "declined")
    with db.session() as s:
        events = s.scalars(
            select(AuditEvent).where(
                AuditEvent.table_name == "gift",
                AuditEvent.record_uuid == change.uuid,
                AuditEvent.field == "decision",
            )
        ).all()
    assert [(e.old_value, e.new_value) for e in events][-1] == ("pending", "declined")
