"""The demo dossier Braunschweig–Zhuhai with a filled-in guardrail assessment.

Used by the briefing tests (and their golden text). The published sample,
docs/sample-briefing.pdf, is not made here but by tools/make_sample_briefing.sh from
``demo load`` and CLI commands only.
"""

from __future__ import annotations

from datetime import date

from sqlalchemy import select
from sqlalchemy.orm import Session

from chinadialog_desktop.persistence.models import (
    Attachment,
    Deliberation,
    Dossier,
    Partnership,
    Source,
)
from chinadialog_desktop.services.assessment import workflow as svc
from chinadialog_desktop.services.assessment.checklists import find_template, install_bundled
from chinadialog_desktop.services.demo import load_demo

DOSSIER_UUID = "efa91fd3-c1f1-48fc-87ff-4749170aea8c"
PARTNERSHIP_UUID = "5ff5af0a-7593-4243-9f4d-5426c8c19460"
TEMPLATE = "urn:chinadialog:checklist:leitplanken-kommunal"
# The day and SOURCE_DATE_EPOCH the briefing tests export at (reproducible output).
AS_OF = date(2026, 11, 25)
# The letterhead of the sample paper: the first lines of its first page.
CITY = "Stadt Braunschweig (Beispiel)"
DEPARTMENT = "Dezernat I – Referat für Internationales (Beispiel)"
EPOCH = "1795000000"
INTERNAL_NOTE = "Rückfrage beim Innenministerium läuft (nur intern)."

# item → (answer, evidence); sources are attached to a few of them.
ANSWERS: dict[str, tuple[str, str]] = {
    # Invented example answers: every evidence text says so, in the app and in the PDF.
    "purpose-01": ("partly", "Ziele nur im Ratsbeschluss allgemein beschrieben (Beispiel)."),
    "purpose-02": ("yes", "Austauschprogramme in beide Richtungen (Beispiel)."),
    "purpose-03": ("no", "Nutzen für die Stadt nicht schriftlich benannt (Beispiel)."),
    "purpose-04": ("yes", "Vereinbarung sieht Überprüfung und Kündigung vor (Beispiel)."),
    "purpose-05": ("partly", "Bericht an den Rat bisher nur anlassbezogen (Beispiel)."),
    "partner-01": (
        "yes",
        "Ansprechstellen und Entscheidungswege im Partnerschaftskonzept dokumentiert (Beispiel).",
    ),
    "partner-02": ("unknown", ""),
    "partner-03": ("clear", "Kein Eintrag in den importierten Sanktionslisten (Beispiel)."),
    "values-01": ("yes", "Gemeinsame Erklärungen enthalten keine Formel zu Taiwan (Beispiel)."),
    "values-02": ("partly", "Hinweis des Verfassungsschutzes liegt vor (Beispiel)."),
    "security-01": ("yes", "Keine Weitergabe von Technik oder Wissen geplant (Beispiel)."),
    "security-02": ("partly", "Reisegeräte nur teilweise eingeführt (Beispiel)."),
    "economy-01": (
        "yes",
        "Keine Investitionen der Partnerseite in städtische Unternehmen (Beispiel).",
    ),
    "education_culture-01": (
        "yes",
        "Keine Anwerbung von Fachkräften über die Partnerschaft (Beispiel).",
    ),
    "governance-01": ("partly", "Land informiert, Auswärtiges Amt noch nicht (Beispiel)."),
    "governance-02": ("no", "Keine regelmäßige Berichterstattung an den Rat (Beispiel)."),
    # The chance side (invented examples, labelled like the rest).
    "chance_exchange-01": ("realised", "Bürgerreise und Vereinsbesuche 2025 (Beispiel)."),
    "chance_economy-01": ("potential", "Kontakte der Wirtschaftsförderung angefragt (Beispiel)."),
    "chance_climate-01": ("unknown", ""),
    "chance_culture-01": ("realised", "Ausstellung im Rathaus 2025, frei gestaltet (Beispiel)."),
    "chance_education-01": ("planned", "Schulpartnerschaft für 2027 vereinbart (Beispiel)."),
    "chance_competence-01": ("potential", "Hospitation angeboten, noch nicht genutzt (Beispiel)."),
}


def prepare(session: Session) -> Dossier:
    """Load the demo data and complete the Braunschweig–Zhuhai dossier for a briefing."""
    load_demo(session)
    install_bundled(session)
    dossier = session.scalars(select(Dossier).where(Dossier.uuid == DOSSIER_UUID)).one()
    dossier.file_number = "26-24517 (Beispiel)"
    dossier.responsible = "Leitung Referat für Internationales (Beispiel)"
    dossier.document_date = date(2026, 11, 16)  # neither AS_OF nor the EPOCH day
    dossier.city, dossier.department = CITY, DEPARTMENT
    dossier.financial_effects = (
        "Keine unmittelbaren Auswirkungen auf den Haushalt. Die Prüfung erfolgt im "
        "Rahmen der vorhandenen Personalmittel."
    )
    for i, d in enumerate(dossier.deliberations):
        d.meeting_on = date(2026, 12, 2 + 8 * i)
    partnership = session.scalars(
        select(Partnership).where(Partnership.uuid == PARTNERSHIP_UUID)
    ).one()
    template = find_template(session, TEMPLATE)
    assessment = svc.start_assessment(
        session,
        template,
        partnership=partnership,
        title="Leitplanken-Prüfung Braunschweig–Zhuhai 2026",
    )
    sources = {s.number: s.source.uuid for s in dossier.source_links}
    for item, (code, evidence) in ANSWERS.items():
        source_ids = (
            [sources[1]]
            if item.startswith("purpose")
            else ([sources[7]] if item.startswith("security") else [])
        )
        svc.answer_item(
            session,
            assessment,
            item,
            svc.AnswerUpdate(
                answer=code,
                evidence=evidence or None,
                source_ids=source_ids,
                answered_by="M. Beispiel (Referat 0150)",
                note=INTERNAL_NOTE if item == "governance-01" else None,
            ),
        )
    for row in assessment.answers:  # a fixed moment, so the sample is reproducible
        row.answered_at = row.answered_at.replace(2026, 11, 20, 10, 0, 0, 0)
    svc.answer_item(
        session,
        assessment,
        "governance-03",
        svc.AnswerUpdate(responsible="Referat 0150", due_on=date(2027, 1, 31)),
    )
    session.add(
        Attachment(
            file_name="Stellungnahme_23-20838-01.pdf",
            media_type="application/pdf",
            size=48_213,
            sha256="9f2c4e1a7b3d5f60a1b2c3d4e5f60718293a4b5c6d7e8f90a1b2c3d4e5f60718",
            data=b"%PDF-1.4 sample",
            description="Stellungnahme der Verwaltung (2023)",
            dossier_id=dossier.id,
        )
    )
    session.flush()
    return dossier


def add_extra_source(session: Session, dossier: Dossier) -> Source:
    src = Source(author="Beispiel", title="Nachgereichte Quelle", year=2026)
    session.add(src)
    session.flush()
    return src


def deliberation_count(dossier: Dossier) -> int:
    return len([d for d in dossier.deliberations if isinstance(d, Deliberation)])
