"""The registers in the briefing: the internal paper shows them, the public one names no one.

The prepared demo dossier (Braunschweig–Zhuhai) has entries in all four registers; the
tests add a visit led by a named person, write a counterpart's name into the summary
and copy an incident's account into the background, then read the real PDF (and the
Word document) back.
"""

from __future__ import annotations

from datetime import date

import pytest
from helpers import docx_readback
from helpers.pdf import all_text, flat
from helpers.pdf_readback import find
from sqlalchemy import select

from chinadialog_desktop.persistence.models import Dossier, DossierSection, Partnership
from chinadialog_desktop.services.records import edit as records

LEAD = "Wang Xiaoming (Beispiel)"
PARTICIPANTS = "Delegation mit Frau Gao Lanfang (Beispiel)"
# Who bore the costs may be a person (a private payer): internal only.
PAYER = "Petra Muster, privat (Beispiel)"
COUNTERPART = "Zhang Beispiel"
COUNTERPART_ZH = "张示例"
INCIDENT_ACCOUNT = (
    "Die Gegenseite regte an, einen Vortrag über Menschenrechte aus dem "
    "Begleitprogramm zu streichen"
)
DECIDED_BY = "Personalamt (Beispiel)"
REPORTED_TO = "Informationssicherheitsbeauftragte der Stadt (Beispiel)"
# Nothing of these may appear anywhere in the public version (text, metadata, bookmarks).
SECRETS = [
    LEAD,
    PAYER,
    "Petra Muster",
    "Wang Xiaoming",
    "Gao Lanfang",
    COUNTERPART,
    COUNTERPART_ZH,
    "Liu Muster",
    "刘样例",
    "Phishing-E-Mail",
    "Menschenrechte aus dem Begleitprogramm",
    DECIDED_BY,
    REPORTED_TO,
    "Stellvertretende Leitung des Büros",
]


@pytest.fixture
def registered(db, dossier_id):
    with db.session() as s:
        dossier = s.get(Dossier, dossier_id)
        partnership = s.scalars(
            select(Partnership).where(Partnership.title == "Braunschweig–Zhuhai")
        ).one()
        records.create(
            s,
            "visit",
            {
                "partnership_id": partnership.id,
                "start_date": date(2025, 3, 10),
                "direction": "outgoing",
                "title": "Fachbesuch Wasserwirtschaft (Beispiel)",
                "place": "Zhuhai",
                "lead": LEAD,
                "participants": PARTICIPANTS,
                "paid_by": PAYER,
            },
        )
        summary = next(x for x in dossier.sections if x.key == "summary")
        summary.body += (
            f"\n\nIm Gespräch mit Herrn {COUNTERPART} ({COUNTERPART_ZH}) ging es um den "
            "Schüleraustausch."
        )
        background = next(x for x in dossier.sections if x.key == "background")
        background.body += f"\n\n{INCIDENT_ACCOUNT} (Beispiel). Das Programm blieb unverändert."
        assert isinstance(summary, DossierSection)
    return dossier_id


def test_the_internal_paper_lists_every_register_with_its_people(registered, export):
    data = export(classification="internal").data
    text = flat(all_text(data))
    for heading in (
        "Register",
        "Delegationsreisen",
        "Geschenke und Bewirtungen",
        "Gesprächskontakte",
        "Vorfälle",
    ):
        assert heading in text, heading
    for shown in (
        LEAD,
        PAYER,
        COUNTERPART,
        COUNTERPART_ZH,
        DECIDED_BY,
        "Phishing-E-Mail",
        "Kurzbeschreibung",
    ):
        assert find(data, shown), shown
    assert "Summe der Werte: erhalten 470,00 €, überreicht 640,00 €." in text
    assert "Stellvertretende Leitung des Büros (Beispiel)" in text  # a government function
    assert "Mitglied der Parteigruppe des Büros (Beispiel)" in text  # a party function


@pytest.mark.parametrize("lang", ["de", "en"])
def test_the_public_paper_names_no_counterpart_and_tells_no_incident(registered, export, lang):
    data = export(public=True, lang=lang).data
    leaked = {secret: find(data, secret) for secret in SECRETS}
    assert {k: v for k, v in leaked.items() if v} == {}
    text = flat(all_text(data))
    if lang == "de":
        assert "eine Gesprächsperson der Partnerseite" in text  # the name in the summary, replaced
        assert "2 Einträge. Einzelheiten enthält nur die interne Fassung." in text
        assert "Fachbesuch Wasserwirtschaft (Beispiel)" in text  # the public columns stay
        assert "Porzellanvase als Gastgeschenk (Beispiel)" in text and "150,00 €" in text
        assert "Das Programm blieb unverändert." in text  # only the repeated account went
    else:
        assert "a counterpart on the partner's side" in text
        assert "2 entries. Details are in the internal version only." in text


def test_the_public_word_document_leaks_nothing_either(registered, export):
    data = export(public=True, fmt="docx").data
    leaked = {secret: docx_readback.find(data, secret) for secret in SECRETS}
    assert {k: v for k, v in leaked.items() if v} == {}
    text = " ".join(docx_readback.visible_text(data).values())
    assert (
        "Geschenke und Bewirtungen" in text and "Porzellanvase als Gastgeschenk (Beispiel)" in text
    )


def test_without_entries_there_is_no_register_chapter(db, dossier_id, export):
    with db.session() as s:
        for kind in ("visit", "gift", "counterpart", "incident"):
            for obj in s.scalars(select(records.model(kind))).all():
                s.delete(obj)
    text = flat(all_text(export(classification="internal").data))
    assert "Einträge in den Registern" not in text and "Summe der Werte" not in text


def test_a_gift_received_without_decision_is_a_gap_before_export(db, dossier_id, export, german):
    with db.session() as s:
        partnership = s.scalars(
            select(Partnership).where(Partnership.title == "Braunschweig–Zhuhai")
        ).one()
        records.create(
            s,
            "gift",
            {
                "partnership_id": partnership.id,
                "date": date(2026, 11, 3),
                "title": "Seidenschal (Beispiel)",
                "direction": "received",
            },
        )
    checks = [c.text for c in export(record=False).checks]
    assert (
        "Über die Annahme von 1 erhaltenen Geschenk oder Einladung ist noch nicht entschieden: "
        "„Seidenschal (Beispiel)“." in checks
    ), checks


def test_a_word_too_wide_for_its_column_breaks_with_a_hyphen_between_syllables(registered, export):
    """Review finding: "Informationssicherheit" / "sbeauftragte" broke without a hyphen."""
    import re

    from chinadialog_desktop.reports.hyphenate import breaks

    word = "Informationssicherheitsbeauftragte"  # in the incidents' "Reported to" column
    text = all_text(export(classification="internal").data)
    pieces = re.findall(r"Informationssicher\S*", text)
    assert pieces, "the word is in the paper"
    assert all(p == word or p.endswith("-") for p in pieces), pieces
    broken = [p for p in pieces if p.endswith("-")]
    assert broken, "too wide for its column: it is broken"
    assert all(len(p) - 1 in breaks(word) for p in broken)  # between syllables
    rest = text.split(broken[0], 1)[1].split()[0]
    assert broken[0][:-1] + rest == word  # continued on the next line
    assert "\u00ad" not in text  # the soft hyphens not used are not in the text
