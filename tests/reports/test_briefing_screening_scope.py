"""Screening covers the whole dossier, and the briefing says who was checked against what.

A real screening run over a real list; the PDF is read back.
"""

from __future__ import annotations

from datetime import date

from helpers.briefing_sample import PARTNERSHIP_UUID
from helpers.pdf import all_text, flat
from sqlalchemy import select

from chinadialog_desktop.persistence.models import (
    Actor,
    Contact,
    Partnership,
    ReferenceEntity,
    ReferenceList,
    ScreeningCheck,
    ScreeningHit,
)
from chinadialog_desktop.services.screening import runs as screening

PERSON = "Wang Xiaoming (Beispiel)"


def _list_and_contact(s) -> str:
    lst = ReferenceList(
        list_key="test-eu",
        name="Testliste (Beispiel)",
        list_date=date(2026, 10, 1),
        file_sha256="a" * 64,
        entity_count=1,
    )
    lst.entities.append(
        ReferenceEntity(
            entity_key="p-1",
            schema="Person",
            caption=PERSON,
            names=[PERSON],
            topics=["sanction"],
            content_hash="hp",
        )
    )
    s.add(lst)
    partnership = s.scalars(select(Partnership).where(Partnership.uuid == PARTNERSHIP_UUID)).one()
    contact = Contact(name=PERSON, partnership=partnership)  # on no party's "Partner" tab
    s.add(contact)
    s.flush()
    return contact.uuid


def _checked_on(s, uuid: str) -> str:
    check = s.scalars(select(ScreeningCheck).where(ScreeningCheck.subject_uuid == uuid)).one()
    return check.checked_at.strftime("%d.%m.%Y")


def test_a_confirmed_hit_on_a_contact_is_reported_and_every_subject_is_named(db, export):
    with db.session() as s:
        contact = _list_and_contact(s)
        screening.run_screening(s)
        hit = s.scalars(select(ScreeningHit).where(ScreeningHit.subject_uuid == contact)).one()
        screening.confirm(s, hit.id, "Geburtsdatum stimmt überein (Beispiel).")
        zhuhai = s.scalars(select(Actor).where(Actor.name_de.like("Zhuhai%"))).first()
        day = _checked_on(s, zhuhai.uuid)
    text = flat(all_text(export().data))
    assert "keine bestätigten Treffer" not in text
    assert f"{PERSON} {PERSON} (sanktioniert)" in text  # subject and listed entry
    assert "Geprüft wurden" in text
    for name, kind in (
        ("Stadt Braunschweig", "Beteiligter"),
        ("Zhuhai", "Beteiligter"),
        (PERSON, "Kontaktperson"),
    ):
        assert f"{name} {kind} {day} Testliste (Beispiel) (Stand 01.10.2026)" in text, name
    public = flat(all_text(export(public=True).data))
    assert PERSON not in public
    assert "eine Kontaktperson des Partners Kontaktperson" in public


def test_no_hits_reads_as_such_only_when_everyone_was_screened(db, export):
    with db.session() as s:
        lst = ReferenceList(
            list_key="test-eu",
            name="Testliste (Beispiel)",
            list_date=date(2026, 10, 1),
            file_sha256="a" * 64,
            entity_count=1,
        )
        lst.entities.append(
            ReferenceEntity(
                entity_key="o-1",
                schema="Company",
                caption="Ganz Andere GmbH (Beispiel)",
                names=["Ganz Andere GmbH (Beispiel)"],
                topics=["sanction"],
                content_hash="h",
            )
        )
        s.add(lst)
        s.flush()
        screening.run_screening(s)
    text = flat(all_text(export().data))
    assert "Abgleich aller mit dem Dossier verbundenen Beteiligten und Kontaktpersonen" in text
    assert "ergab keine bestätigten Treffer" in text
    assert "nicht abgeglichen" not in text
    # A contact added after the run, and a newer version of the list: the result is pending.
    with db.session() as s:
        partnership = s.scalars(
            select(Partnership).where(Partnership.uuid == PARTNERSHIP_UUID)
        ).one()
        s.add(Contact(name="Neue Kontaktperson (Beispiel)", partnership=partnership))
    text = flat(all_text(export().data))
    assert "Neue Kontaktperson (Beispiel) Kontaktperson nicht abgeglichen" in text
    assert "keine bestätigten Treffer" not in text
    assert "1 von 5 mit dem Dossier verbundenen Beteiligten und Kontaktpersonen" in text
    with db.session() as s:
        lst = s.scalars(select(ReferenceList)).one()
        lst.list_date, lst.file_sha256 = date(2026, 11, 15), "b" * 64
    text = flat(all_text(export().data))
    assert "Testliste (Beispiel) (Stand 01.10.2026) – ältere Fassung" in text
    assert "Abgeglichen mit: Testliste (Beispiel) (Stand 15.11.2026)" in text
    assert "für sie steht das Ergebnis noch aus" in text
