"""The public version leaks nothing: rich data in, the real PDF read back and searched.

The dossier gets everything a public version must not show (``helpers.briefing_rich``:
private contacts, a listed person, internal passages and notes, staff names). The
public PDF's text, document info, bookmarks and link targets must show none of it;
the internal version must still show all of it.
"""

from __future__ import annotations

import re

import pytest
from helpers.briefing_rich import (
    CONTACT,
    CONTACT_ZH,
    EVIDENCE_COPY,
    GERMAN_CONTACT,
    INLINE_SECRET,
    INTERNAL_SECTION,
    LISTED_ORG,
    NOTE,
    REASON,
    RELEASED,
    SECRETS,
    STAFF,
    enrich,
)
from helpers.pdf_readback import find, visible_strings

from chinadialog_desktop.persistence.audit import current_user
from chinadialog_desktop.persistence.models import Dossier


@pytest.fixture
def rich(db, dossier_id):
    with db.session() as s:
        enrich(s, dossier_id)
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
