"""The briefing speaks the glossary (resources/glossary.yaml): read back from the real PDF.

No deprecated variant appears in the German paper; the fields of action carry the
glossary names, and a blocker is called an Ausschlusskriterium in its mark too.
"""

from __future__ import annotations

import re

from helpers.pdf import all_text, flat
from sqlalchemy import select

from chinadialog_desktop.domain.glossary import glossary
from chinadialog_desktop.persistence.models import AssessmentAnswer


def _with_blocker(db) -> None:
    with db.session() as s:
        s.scalars(
            select(AssessmentAnswer).where(AssessmentAnswer.item_key == "partner-03")
        ).one().answer = "listed"


def _joined(text: str) -> str:
    """The text as read, with words a narrow cell broke at a hyphen joined again."""
    return flat(re.sub(r"(\w)-\s*\n\s*([a-zäöüß])", r"\1\2", text))


def test_the_german_paper_uses_only_the_preferred_terms(db, export):
    _with_blocker(db)
    text = _joined(all_text(export(classification="internal").data))
    g = glossary()
    found = [f"{t.id}: {a.text}" for t, a in g.avoided() if a.regex.search(text)]
    assert found == []
    # the blocker's mark in the ratings says the glossary's word, not a short form
    assert re.search(r"Treffer bestätigt ✖ Ausschlusskriterium", text)
    assert "Nachweis und Quelle" in text
    # the assessed fields under their glossary names, the six of the dialogue among them
    for code in ("research", "security", "economy", "supply_chains", "education_culture"):
        assert g.fields[code].de in text, code
    assert "Forschungssicherheit" not in text


def test_the_english_paper_names_the_fields_as_the_glossary_does(export):
    text = _joined(all_text(export(lang="en").data))
    g = glossary()
    for code in ("purpose", "economy", "education_culture", "governance"):
        assert g.fields[code].en in text, code
    assert "Research security" not in text
