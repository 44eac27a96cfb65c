"""Confirmed screening hits appear in the actor editor and in the dossier editor."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest
from sqlalchemy import select

from chinadialog_desktop.persistence.audit import current_user
from chinadialog_desktop.persistence.database import Database
from chinadialog_desktop.persistence.models import (
    Actor,
    Dossier,
    DossierPartnership,
    Partnership,
    ReferenceEntity,
    ReferenceList,
    ScreeningHit,
)
from chinadialog_desktop.services.screening import runs as screening
from chinadialog_desktop.ui import app as ui_app
from chinadialog_desktop.ui.screening.confirmed_hits import ConfirmedHitsBox

REASON = "Gleiche Registernummer und Anschrift."


def _hit(s, actor: Actor, entity_key: str, topics: list[str]) -> int:
    hit = ScreeningHit(
        subject_kind="actor",
        subject_uuid=actor.uuid,
        list_key="test-sanctions",
        entity_key=entity_key,
        entity_hash="h-" + entity_key,
        score=0.97,
        status="open",
        explanation={
            "entity": {"caption": "Zhuhai Beispiel Holding", "schema": "Organization"},
            "designations": [t for t in topics if t == "sanction"],
            "assessments": [t for t in topics if t != "sanction"],
        },
        screened_at=datetime(2026, 11, 20, tzinfo=UTC),
    )
    s.add(hit)
    s.flush()
    return hit.id


@pytest.fixture
def prepared(tmp_path, filled_db: Database):
    """The sample partnerships, a reference list with two entities and a dossier on Zhuhai."""
    with filled_db.session() as s:
        lst = ReferenceList(
            list_key="test-sanctions",
            name="Testliste Sanktionen",
            list_date=date(2026, 10, 1),
            entity_count=2,
        )
        for key, topics in (("e-1", ["sanction"]), ("e-2", ["mil"])):
            lst.entities.append(
                ReferenceEntity(
                    entity_key=key,
                    schema="Organization",
                    caption="Zhuhai Beispiel Holding",
                    names=["Zhuhai Beispiel Holding"],
                    topics=topics,
                    content_hash="h-" + key,
                )
            )
        s.add(lst)
        zhuhai = s.scalars(select(Actor).where(Actor.name_de == "Zhuhai")).one()
        open_hit = _hit(s, zhuhai, "e-2", ["mil"])  # stays open: never shown
        p_id = s.scalars(select(Partnership.id).where(Partnership.title.like("Braunschweig%")))
        dossier = Dossier(title="Vorlage Zhuhai")
        dossier.partnership_links = [DossierPartnership(partnership_id=p_id.one(), position=0)]
        other = Dossier(title="Vorlage Kiel")
        kiel = s.scalars(select(Partnership.id).where(Partnership.title.like("Kiel%"))).one()
        other.partnership_links = [DossierPartnership(partnership_id=kiel, position=0)]
        s.add_all([dossier, other])
        s.flush()
        ids = {
            "zhuhai": zhuhai.id,
            "anhui": s.scalars(select(Actor.id).where(Actor.name_de == "Provinz Anhui")).one(),
            "dossier": dossier.id,
            "other": other.id,
            "open_hit": open_hit,
        }
    path = filled_db.path
    filled_db.close()
    return path, ids


@pytest.fixture
def window(qtbot, prepared, german):
    path, _ids = prepared
    session = ui_app.start(path)
    qtbot.addWidget(session.window)
    with qtbot.waitSignal(session.window.sig_list_filled, timeout=20000):
        pass
    qtbot.waitUntil(session.window.attached, timeout=20000)  # the database took over
    yield session.window
    session.close()


def _confirm_new_hit(window, actor_id: int) -> None:
    with window.workspace.database.session() as s:
        actor = s.get(Actor, actor_id)
        hit_id = _hit(s, actor, "e-1", ["sanction"])
        screening.confirm(s, hit_id, REASON)


def _box(window, kind: str) -> ConfirmedHitsBox:
    box = window.findChild(ConfirmedHitsBox, f"{kind}ConfirmedHits")
    assert box is not None
    return box


def test_the_actor_shows_its_confirmed_hit_with_list_date_topics_reason_and_reviewer(
    window, prepared
):
    _path, ids = prepared
    window.open_record("actor", ids["zhuhai"])
    box = _box(window, "actor")
    assert window.pages["actor"].editor.record_id == ids["zhuhai"]
    assert box.isHidden() and box.rows == []  # only an open hit so far

    _confirm_new_hit(window, ids["zhuhai"])
    window.show_page("dossier")  # away and back: the record is shown again
    window.show_page("actor")
    assert not box.isHidden()
    assert [r.entity_key for r in box.rows] == ["e-1"]
    (text,) = box.texts()
    assert "Testliste Sanktionen" in text
    assert "01.10.2026" in text
    assert "Zhuhai Beispiel Holding" in text
    assert screening.topic_label("sanction") in text
    assert REASON in text
    assert current_user() in text

    window.open_record("actor", ids["anhui"])  # another actor: nothing to show
    assert box.isHidden() and box.rows == []
    window.open_record("actor", ids["zhuhai"])
    assert not box.isHidden()


def test_the_dossier_shows_the_hits_of_its_partnerships_parties(window, prepared):
    _path, ids = prepared
    _confirm_new_hit(window, ids["zhuhai"])
    window.open_record("dossier", ids["dossier"])
    box = _box(window, "dossier")
    assert window.pages["dossier"].editor.record_id == ids["dossier"]
    assert not box.isHidden()
    (text,) = box.texts()
    assert "Zhuhai" in text.split("Zhuhai Beispiel Holding")[0]  # our party is named
    assert "Testliste Sanktionen" in text and REASON in text

    window.open_record("dossier", ids["other"])  # Kiel – Qingdao: no hit
    assert box.isHidden() and box.rows == []


def test_markup_in_names_and_reasons_is_shown_as_text(window, prepared):
    _path, ids = prepared
    with window.workspace.database.session() as s:
        actor = s.get(Actor, ids["zhuhai"])
        hit_id = _hit(s, actor, "e-1", ["sanction"])
        screening.confirm(s, hit_id, "<b>laut</b> & klar")
    window.open_record("actor", ids["zhuhai"])
    (text,) = _box(window, "actor").texts()
    assert "&lt;b&gt;laut&lt;/b&gt; &amp; klar" in text


def test_a_hit_confirmed_in_another_window_shows_when_the_main_window_has_the_focus_again(
    window, prepared, qapp
):
    _path, ids = prepared
    window.open_record("dossier", ids["dossier"])
    box = _box(window, "dossier")
    assert box.isHidden()
    _confirm_new_hit(window, ids["zhuhai"])  # as the screening window would
    qapp.focusWindowChanged.emit(None)  # focus elsewhere: nothing read
    assert box.isHidden()
    qapp.focusWindowChanged.emit(window.windowHandle())
    assert not box.isHidden()
    assert [r.entity_key for r in box.rows] == ["e-1"]
