"""No machine codes in council text: item codes, list topics, the OS login.

Read back from the real PDF: every checklist item code of the template, every
topic code of a confirmed hit and the login are absent; the person appears by
the name set in the app ("Bearbeitet von").
"""

from __future__ import annotations

import re
from datetime import UTC, date, datetime

import pytest
from helpers.briefing_sample import TEMPLATE
from helpers.pdf import all_text, flat
from sqlalchemy import select

from chinadialog_desktop.persistence.audit import current_user
from chinadialog_desktop.persistence.models import (
    Actor,
    AssessmentAnswer,
    ChecklistItem,
    ChecklistTemplate,
    ReferenceEntity,
    ReferenceList,
    ScreeningHit,
)
from chinadialog_desktop.services.screening.runs import confirm

EDITOR = "Erika Beispiel"
TOPIC_CODES = ["sanction", "export.control", "invest.ban", "corp.public", "role.rca", "xyz.unknown"]


@pytest.fixture
def coded(db, dossier_id):
    with db.session() as s:
        answer = s.scalars(
            select(AssessmentAnswer).where(AssessmentAnswer.item_key == "purpose-02")
        ).one()
        answer.answered_by = current_user()  # what an answer records when no name was set
        lst = ReferenceList(
            list_key="test-eu",
            name="Testliste (Beispiel)",
            list_date=date(2026, 10, 1),
            entity_count=1,
        )
        lst.entities.append(
            ReferenceEntity(
                entity_key="o-1",
                schema="Company",
                caption="Zhuhai Beispiel Holding",
                names=["Zhuhai Beispiel Holding"],
                topics=TOPIC_CODES,
                content_hash="h",
            )
        )
        s.add(lst)
        zhuhai = s.scalars(select(Actor).where(Actor.name_de.like("Zhuhai%"))).first()
        hit = ScreeningHit(
            subject_kind="actor",
            subject_uuid=zhuhai.uuid,
            list_key="test-eu",
            entity_key="o-1",
            entity_hash="h",
            score=0.97,
            status="open",
            screened_at=datetime(2026, 11, 20, tzinfo=UTC),
            explanation={
                "entity": {"caption": "Zhuhai Beispiel Holding", "schema": "Company"},
                "designations": ["sanction", "export.control", "invest.ban"],
                "assessments": ["corp.public", "role.rca", "xyz.unknown"],
            },
        )
        s.add(hit)
        s.flush()
        confirm(s, hit.id, "Registernummer stimmt überein (Beispiel).")  # decided_by: login
        template = s.scalars(
            select(ChecklistTemplate).where(ChecklistTemplate.template_key == TEMPLATE)
        ).first()
        return list(
            s.scalars(
                select(ChecklistItem.item_key).where(ChecklistItem.template_id == template.id)
            )
        )


def _codes_in(text: str, codes: list[str]) -> list[str]:
    return [c for c in codes if re.search(rf"(?<![\w.-]){re.escape(c)}(?![\w-])", text)]


@pytest.mark.parametrize("lang", ["de", "en"])
def test_no_item_code_no_topic_code_and_no_login(coded, export, lang):
    text = flat(all_text(export(lang=lang, editor=EDITOR).data))
    assert _codes_in(text, coded) == []  # purpose-01, supply_chains-01 …
    assert _codes_in(text, [c for c in TOPIC_CODES if "." in c]) == []
    assert not re.search(r"\bsanction\b", text) and "xyz" not in text
    login = current_user()
    assert not re.search(rf"(?<!\w){re.escape(login)}(?!\w)", text), login
    if lang == "de":
        assert "Bearbeitet von Erika Beispiel" in text
        for words in ("sanktioniert", "Exportkontrolle", "Investitionsverbot"):
            assert words in text, words
        assert f"{EDITOR} 20.11.2026" in text  # the answer recorded the login
    else:
        assert "Edited by Erika Beispiel" in text and "investment ban" in text


def test_without_a_name_set_the_login_is_left_out(coded, export):
    text = flat(all_text(export().data))
    login = current_user()
    assert not re.search(rf"(?<!\w){re.escape(login)}(?!\w)", text), login
    assert "Bearbeitet von" not in text


def test_the_export_record_names_the_person_by_the_name_set_in_the_app(
    coded, db, dossier_id, export
):
    from chinadialog_desktop.persistence.models import Dossier
    from chinadialog_desktop.services.briefing.export import export_rows

    result = export(editor=EDITOR)
    assert f"Bearbeitet von {EDITOR}" in flat(all_text(result.data))
    with db.session() as s:
        rows = export_rows(s, s.get(Dossier, dossier_id))
    assert [r["user"] for r in rows if r["id"] == result.export_id] == [EDITOR]
