"""A dossier enriched with everything the public version must not show (Beispiel).

Private contacts (one of them a confirmed hit on a listed person, with the
reason "Personalausweiskopie"), the same fact copied into the evidence column,
an internal section and note, a passage marked [intern]…[/intern], and staff
names in every field that holds one. ``SECRETS`` are the strings no public
briefing may contain, in any format (PDF, Word).
"""

from __future__ import annotations

from datetime import UTC, date, datetime

from sqlalchemy import select

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
from chinadialog_desktop.services.screening.runs import confirm
from helpers.briefing_sample import PARTNERSHIP_UUID

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


def enrich(s, dossier_id: int) -> None:
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
