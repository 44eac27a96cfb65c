"""The "Abgleich mit Referenzlisten" block: no lists, no hits, a confirmed hit."""

from __future__ import annotations

from datetime import UTC, date, datetime

from helpers.pdf import all_text, flat
from sqlalchemy import select

from chinadialog_desktop.persistence.models import (
    Actor,
    ReferenceEntity,
    ReferenceList,
    ScreeningHit,
)
from chinadialog_desktop.services.screening.runs import confirm


def _add_list(s) -> ReferenceList:
    lst = ReferenceList(
        list_key="test-sanctions",
        name="Testliste Sanktionen",
        list_date=date(2026, 10, 1),
        entity_count=1,
    )
    lst.entities.append(
        ReferenceEntity(
            entity_key="e-1",
            schema="Organization",
            caption="Zhuhai Beispiel Holding",
            names=["Zhuhai Beispiel Holding"],
            topics=["sanction"],
            content_hash="h1",
        )
    )
    s.add(lst)
    s.flush()
    return lst


def test_without_reference_lists_the_briefing_says_no_screening_took_place(export):
    text = flat(all_text(export().data))
    assert "Abgleich mit Referenzlisten" in text
    assert "keine Referenzlisten" in text


def test_lists_but_no_confirmed_hit(db, export):
    from chinadialog_desktop.services.screening.runs import run_screening

    with db.session() as s:
        _add_list(s)
    text = flat(all_text(export().data))
    assert "Abgeglichen mit: Testliste Sanktionen (Stand 01.10.2026)" in text
    assert "keine bestätigten Treffer" not in text  # nobody was screened yet
    assert "nicht abgeglichen" in text
    with db.session() as s:
        run_screening(s)
    text = flat(all_text(export().data))
    assert "keine bestätigten Treffer" in text and "nicht abgeglichen" not in text


def test_a_confirmed_hit_is_listed_and_shows_up_as_a_change(db, export):
    first = export()
    with db.session() as s:
        _add_list(s)
        zhuhai = s.scalars(select(Actor).where(Actor.name_de.like("Zhuhai%"))).first()
        hit = ScreeningHit(
            subject_kind="actor",
            subject_uuid=zhuhai.uuid,
            list_key="test-sanctions",
            entity_key="e-1",
            entity_hash="h1",
            score=0.93,
            status="open",
            explanation={
                "entity": {"caption": "Zhuhai Beispiel Holding", "schema": "Organization"},
                "designations": ["sanction"],
            },
            screened_at=datetime(2026, 11, 20, tzinfo=UTC),
        )
        s.add(hit)
        s.flush()
        confirm(s, hit.id, "Gleiche Anschrift und Registernummer.")
    second = export(changes=True)
    text = flat(all_text(second.data))
    assert "Zhuhai Beispiel Holding (sanktioniert)" in text
    assert "Gleiche Anschrift und Registernummer." in text
    assert "Testliste Sanktionen" in text
    assert any(line.startswith("Abgleich: ") for line in second.changes)
    assert first.sha256 != second.sha256
