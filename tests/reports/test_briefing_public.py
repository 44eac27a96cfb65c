"""The public version leaks nothing: rich data in, the real PDF read back and searched.

The dossier gets private contacts (one of them a confirmed hit on a listed
person, with the reason "Personalausweiskopie"), the same fact copied into
the evidence column, an internal section and note, a passage marked
[intern]…[/intern], and staff names in every field that holds one. The public
PDF's text, document info, bookmarks and link targets must show none of it;
the internal version must still show all of it.
"""

from __future__ import annotations

import re
from datetime import UTC, date, datetime

import pytest
from helpers.briefing_sample import PARTNERSHIP_UUID
from helpers.pdf_readback import find, visible_strings
from sqlalchemy import select

from chinadialog_desktop.persistence.audit import current_user
from chinadialog_desktop.persistence.models import (
    Activity,
    Actor,
    Assessment,
    AssessmentAnswer,
    Attachment,
    Contact,
    Dossier,
    Partnership,
    ReferenceEntity,
    ReferenceList,
    ScreeningHit,
)
from chinadialog_desktop.services.screening import confirm

CONTACT = "Wang Xiaoming"  # a private person on the partner's side (Beispiel)
CONTACT_ZH = "王小明"
CONTACT_ALIAS = "Xiao-Ming Wang"  # how the reference list also writes him
GERMAN_CONTACT = "Petra Lindner-Beispiel"
LISTED_ORG = "Zhuhai Beispiel Holding"
REASON = "Personalausweiskopie"
EVIDENCE_COPY = "Abgleich per Personalausweiskopie bestätigt."
INLINE_SECRET = "Privatnummer 0151 2345678 (Beispiel)"
INTERNAL_SECTION = "Der Informant aus der Delegation bat um Vertraulichkeit."
NOTE = "Rücksprache mit dem Verfassungsschutz am Telefon."
STAFF = {
    "answered_by": "M. Beispiel (Referat 0150)",
    "reviewed_by": "Karl Prüfer-Beispiel",
    "author": "Sabine Verfasser-Beispiel",
    "responsible": "Jens Zuständig-Beispiel",
}
RELEASED = "Dr. Hanna Dezernentin (Beispiel)"  # named in the header: public


def _enrich(s, dossier_id: int) -> None:
    dossier = s.get(Dossier, dossier_id)
    dossier.author = STAFF["author"]
    dossier.responsible = RELEASED
    partnership = s.scalars(select(Partnership).where(Partnership.uuid == PARTNERSHIP_UUID)).one()
    zhuhai = s.scalars(select(Actor).where(Actor.name_de.like("Zhuhai%"))).first()
    german = next(link.actor for link in partnership.parties if link.role == "german")
    contact = Contact(
        name=CONTACT,
        name_zh=CONTACT_ZH,
        function="Sekretär (Beispiel)",
        actor=zhuhai,
        partnership=partnership,
    )
    s.add_all([contact, Contact(name=GERMAN_CONTACT, actor=german)])
    # An activity, a section and an answer mention the people by name.
    s.add(
        Activity(
            partnership=partnership,
            date=date(2026, 3, 3),
            kind="delegation",
            title=f"Besuch von Herrn {CONTACT} in Braunschweig (Beispiel)",
            location="Braunschweig",
            outcome=f"Gespräch mit {GERMAN_CONTACT}",
        )
    )
    summary = next(sec for sec in dossier.sections if sec.key == "summary")
    summary.body += (
        f"\n\nDie Delegation leitete {CONTACT} ({CONTACT_ZH}). "
        f"Erreichbar über [intern]{INLINE_SECRET}[/intern] das Partnerbüro. "
        f"{INTERNAL_SECTION}\n\nDas Dossier bereitete {STAFF['author']} vor."
    )
    background = next(sec for sec in dossier.sections if sec.key == "background")
    words = INTERNAL_SECTION.split()  # the same sentence, typed over two lines
    background.body += "\n\n" + " ".join(words[:4]) + "\n" + " ".join(words[4:])
    s.add(
        Attachment(
            file_name="Personalausweis_Wang_Xiaoming.pdf",
            media_type="application/pdf",
            size=1000,
            sha256="0" * 64,
            data=b"%PDF-1.4 (Beispiel)",
            description=f"Ausweiskopie {CONTACT_ZH}（示例）",
            dossier_id=dossier.id,
        )
    )
    summary.body += f"\n\n中方联系人{CONTACT_ZH}先生（示例）。"
    risks = next(sec for sec in dossier.sections if sec.key == "risks")
    risks.internal = True
    risks.body += f"\n\n{INTERNAL_SECTION}"
    assessment = s.scalars(select(Assessment)).first()
    assessment.reviewed_by = STAFF["reviewed_by"]
    assessment.reviewed_on = date(2026, 11, 21)
    answer = s.scalars(
        select(AssessmentAnswer).where(
            AssessmentAnswer.assessment_id == assessment.id,
            AssessmentAnswer.item_key == "partner-03",
        )
    ).one()
    answer.answer = "listed"
    answer.evidence = f"Treffer zu {CONTACT} auf der Testliste. {EVIDENCE_COPY} Siehe [1]."
    answer.note = NOTE
    open_item = s.scalars(
        select(AssessmentAnswer).where(
            AssessmentAnswer.assessment_id == assessment.id,
            AssessmentAnswer.item_key == "governance-03",
        )
    ).one()
    open_item.responsible = STAFF["responsible"]
    # A reference list with a listed person and a listed company; both hits confirmed.
    lst = ReferenceList(
        list_key="test-sanctions",
        name="Testliste Sanktionen (Beispiel)",
        list_date=date(2026, 10, 1),
        entity_count=2,
    )
    lst.entities.append(
        ReferenceEntity(
            entity_key="p-1",
            schema="Person",
            caption=CONTACT,
            names=[CONTACT, CONTACT_ALIAS],
            topics=["sanction"],
            content_hash="hp",
        )
    )
    lst.entities.append(
        ReferenceEntity(
            entity_key="o-1",
            schema="Organization",
            caption=LISTED_ORG,
            names=[LISTED_ORG],
            topics=["sanction"],
            content_hash="ho",
        )
    )
    s.add(lst)
    s.flush()
    for subject, kind, key, caption, schema in (
        (contact, "contact", "p-1", CONTACT, "Person"),
        (zhuhai, "actor", "o-1", LISTED_ORG, "Organization"),
    ):
        hit = ScreeningHit(
            subject_kind=kind,
            subject_uuid=subject.uuid,
            list_key="test-sanctions",
            entity_key=key,
            entity_hash="hp" if key == "p-1" else "ho",
            score=0.95,
            status="open",
            screened_at=datetime(2026, 11, 20, tzinfo=UTC),
            explanation={
                "entity": {"caption": caption, "schema": schema},
                "designations": ["EU-Sanktionen (Beispiel)"],
            },
        )
        s.add(hit)
        s.flush()
        confirm(s, hit.id, REASON if key == "p-1" else "Gleiche Registernummer (Beispiel).")


SECRETS = [
    CONTACT,
    CONTACT_ZH,
    CONTACT_ALIAS,
    "Herrn Wang",
    "Xiaoming",
    GERMAN_CONTACT,
    REASON,
    EVIDENCE_COPY,
    INLINE_SECRET,
    INTERNAL_SECTION,
    NOTE,
    "Gleiche Registernummer",
    *STAFF.values(),
    "M. Beispiel",
]


@pytest.fixture
def rich(db, dossier_id):
    with db.session() as s:
        _enrich(s, dossier_id)
    return dossier_id


def _login_appears(data: bytes) -> list[str]:
    login = re.compile(rf"(?<!\w){re.escape(current_user())}(?!\w)", re.IGNORECASE)
    return [place for place, text in visible_strings(data).items() if login.search(text)]


@pytest.mark.parametrize("lang", ["de", "en"])
def test_public_pdf_names_no_private_person_no_staff_and_nothing_internal(rich, export, lang):
    data = export(public=True, lang=lang).data
    leaked = {secret: find(data, secret) for secret in SECRETS}
    assert {k: v for k, v in leaked.items() if v} == {}
    assert _login_appears(data) == []
    text = " ".join(visible_strings(data).values())
    if lang == "de":
        assert "eine Kontaktperson des Partners" in text
        assert "eine gelistete Person" in text
        assert "Namen von Privatpersonen sind durch ihre Rolle ersetzt" in text
    else:
        assert "a contact person of the partner" in text and "a listed person" in text
    # What is public stays: the listed company, the partner city, the released name.
    assert find(data, LISTED_ORG) and find(data, "Zhuhai") and find(data, RELEASED)
    assert find(data, "Testliste Sanktionen (Beispiel)")


def test_internal_pdf_still_shows_everything(rich, export):
    data = export().data
    for secret in [
        CONTACT,
        CONTACT_ZH,
        REASON,
        EVIDENCE_COPY,
        INTERNAL_SECTION,
        NOTE,
        STAFF["answered_by"],
        STAFF["reviewed_by"],
        STAFF["responsible"],
        GERMAN_CONTACT,
    ]:
        assert find(data, secret), secret
    assert find(data, f"[intern: {INLINE_SECRET}]")  # marked, so the author sees it is internal
    assert not find(data, "[/intern]")


def test_public_pdf_metadata_and_bookmarks_name_no_staff(db, rich, export):
    with db.session() as s:
        dossier = s.get(Dossier, rich)
        dossier.lead_office = None  # the info "Author" would fall back to the author's name
        dossier.responsible = None
        dossier.title = f"Partnerschaft Zhuhai: Besuch von {CONTACT}"
        chances = next(sec for sec in dossier.sections if sec.key == "opportunities")
        chances.body += f"\n\nGespräch mit {CONTACT} über Chancen."
    data = export(public=True).data
    places = visible_strings(data)
    assert (
        "Partnerschaft Zhuhai: Besuch von eine Kontaktperson des Partners" in places["info /Title"]
    )
    for secret in SECRETS:
        assert not find(data, secret), secret
    assert STAFF["author"] not in places.get("info /Author", "")


def test_a_staff_name_released_for_the_public_version_appears(rich, export):
    data = export(public=True, public_names=(STAFF["reviewed_by"],)).data
    assert find(data, STAFF["reviewed_by"])
    assert not find(data, STAFF["answered_by"])
