"""The demo dataset: file validation, loading into a real SQLite file, idempotence."""

from __future__ import annotations

import re
from datetime import date
from pathlib import Path
from typing import Any

import pytest
import yaml
from sqlalchemy import func, select

from chinadialog_desktop.domain.enums import PartyRole, SectionKey
from chinadialog_desktop.persistence.database import Database
from chinadialog_desktop.persistence.models import (
    Activity,
    Actor,
    AuditEvent,
    Contact,
    Dossier,
    DossierSource,
    Partnership,
    Source,
)
from chinadialog_desktop.services.demo import (
    DemoData,
    DemoDataError,
    default_demo_path,
    load_demo,
    parse_demo,
    read_demo,
)


@pytest.fixture(scope="module")
def data() -> DemoData:
    return read_demo()


@pytest.fixture
def document() -> dict[str, Any]:
    """The bundled file as a fresh, mutable document for the error tests."""
    return yaml.safe_load(default_demo_path().read_text(encoding="utf-8"))


@pytest.fixture
def loaded(db: Database, data: DemoData) -> Database:
    with db.session() as s:
        load_demo(s, data)
    return db


def _partnership(s: Any, title: str) -> Partnership:
    return s.scalars(select(Partnership).where(Partnership.title == title)).one()


def _count(s: Any, model: type) -> int:
    return int(s.scalar(select(func.count()).select_from(model)))


def _table_counts(db: Database) -> dict[str, int]:
    from chinadialog_desktop.persistence.models import Base

    with db.session() as s:
        return {
            t.name: int(s.scalar(select(func.count()).select_from(t)))
            for t in Base.metadata.sorted_tables
        }


# --------------------------------------------------------------------------- the file


def test_bundled_file_covers_all_seventeen_partnerships(data: DemoData) -> None:
    counts = data.counts()
    assert counts["partnership"] == 17
    assert counts["dossier"] >= 1
    assert counts["source"] >= 17
    assert len({r.uuid for r in data.records}) == len(data.records)


def test_every_partnership_has_a_german_and_a_chinese_party(data: DemoData) -> None:
    from chinadialog_desktop.persistence.models import PartnershipParty

    roles: dict[str, set[str]] = {}
    for party in data.of(PartnershipParty):
        roles.setdefault(party.refs["partnership_id"], set()).add(party.values["role"])
    assert len(roles) == 17
    assert all(r == {PartyRole.GERMAN.value, PartyRole.CHINESE.value} for r in roles.values())


def test_contacts_are_marked_as_fictitious_placeholders(data: DemoData) -> None:
    contacts = data.of(Contact)
    assert contacts
    for c in contacts:
        assert "(Beispiel)" in c.values["name"]
        assert (c.values.get("email") or "@example.org").endswith("@example.org")


# --------------------------------------------------------------------------- loading


def test_load_adds_every_record_and_audits_it(db: Database, data: DemoData) -> None:
    with db.session() as s:
        result = load_demo(s, data)
    assert result.added == data.counts()
    assert result.total_added == len(data.records)
    assert result.already_present == 0
    with db.session() as s:
        assert _count(s, Partnership) == 17
        assert _count(s, Actor) == data.counts()["actor"]
        inserts = s.scalar(
            select(func.count()).select_from(AuditEvent).where(AuditEvent.action == "insert")
        )
        assert inserts == len(data.records)


def test_chinese_names_in_characters_and_pinyin(loaded: Database) -> None:
    with loaded.session() as s:
        zh = {a.name_de: (a.name_zh, a.name_pinyin) for a in s.scalars(select(Actor))}
    assert zh["Zhuhai"] == ("珠海市", "Zhūhǎi Shì")
    assert zh["Provinz Anhui"] == ("安徽省", "Ānhuī Shěng")
    assert zh["Changchun"] == ("长春市", "Chángchūn Shì")
    assert zh["Qingdao"] == ("青岛市", "Qīngdǎo Shì")
    assert zh["COSCO Shipping Ports"][0] == "中远海运港口"
    expected = ("武汉", "大连", "上海", "浙江", "山东", "北京")
    expected += ("重庆", "南昌", "嘉定", "黄山", "合肥")
    for chars in expected:
        assert any(name and chars in name for name, _ in zh.values()), chars


def test_german_municipality_keys(loaded: Database) -> None:
    with loaded.session() as s:
        ags = {a.name_de: a.ags for a in s.scalars(select(Actor).where(Actor.country == "DE"))}
    assert ags["Stadt Braunschweig"] == "03101000"
    assert ags["Landeshauptstadt Kiel"] == "01002000"
    assert all(v is None or re.fullmatch(r"\d{8}", v) for v in ags.values())


def test_kiel_qingdao_stays_a_friendship_after_the_2023_timeline(loaded: Database) -> None:
    """Kiel stopped the upgrade to a twin-city partnership in 2023; the friendship continues."""
    with loaded.session() as s:
        p = _partnership(s, "Kiel–Qingdao")
        assert (p.type, p.status) == ("friendship", "active")
        assert (p.start_date, p.start_precision) == (date(2002, 1, 1), "year")
        timeline = [(a.date, a.date_precision, a.title) for a in p.activities]
    days = {d for d, precision, _ in timeline if precision == "day"}
    assert {date(2023, 3, 8), date(2023, 3, 16)} <= days
    suspended = [t for t in timeline if t[0] == date(2023, 9, 1)]
    assert suspended and suspended[0][1] == "month"
    assert "ausgesetzt" in suspended[0][2] and "Freundschaft bleibt" in suspended[0][2]
    assert [t[0] for t in timeline] == sorted(t[0] for t in timeline)


def test_braunschweig_zhuhai_niedersachsen_anhui_wolfsburg_changchun(loaded: Database) -> None:
    with loaded.session() as s:
        bz = _partnership(s, "Braunschweig–Zhuhai")
        assert (bz.start_date, bz.start_precision) == (date(2011, 6, 1), "month")
        assert any(a.date == date(2026, 2, 19) for a in bz.activities)
        # The documented delegation visit of April 2024 and who led it.
        visit = [a for a in bz.activities if a.date == date(2024, 4, 16)]
        assert visit and visit[0].kind == "delegation"
        assert "Chen Yong" in visit[0].title and "Parteikomitees" in (visit[0].participants or "")
        invented = [a for a in bz.activities if "(Beispiel)" in a.title]
        assert len(invented) == 1 and len(bz.activities) >= 6
        na = _partnership(s, "Niedersachsen–Anhui")
        assert (na.start_date, na.start_precision) == (date(1984, 1, 1), "year")
        assert any("pflegerische" in (a.outcome or "") for a in na.activities)
        wc = _partnership(s, "Wolfsburg–Changchun")
        assert wc.type == "friendship"
        assert (wc.start_date, wc.start_precision) == (date(2006, 6, 12), "day")


def test_corrected_facts_stralsund_cosco_and_todays_university_names(loaded: Database) -> None:
    with loaded.session() as s:
        st = _partnership(s, "Stralsund–Huangshan")
        assert (st.status, st.start_date, st.start_precision) == (
            "active",
            date(2015, 12, 1),
            "month",
        )
        cosco = _partnership(s, "HHLA Container Terminal Tollerort–COSCO Shipping Ports")
        decision = [a for a in cosco.activities if a.date == date(2022, 10, 26)]
        assert decision and "24,9" in (decision[0].outcome or "")
        assert "Einzelfall" in (cosco.description or "")
        names = {a.name_de: a for a in s.scalars(select(Actor))}
    assert names["Universität Hefei"].name_zh == "合肥大学"
    german_universities = [
        a for a in names.values() if a.kind == "university" and a.country == "DE"
    ]
    assert {a.name_de for a in german_universities} >= {
        "Hochschule Hannover",
        "Hochschule Osnabrück",
        "Jade Hochschule",
        "Hochschule Emden/Leer",
        "HAWK Hochschule Hildesheim/Holzminden/Göttingen",
    }
    assert not [a.name_de for a in german_universities if a.name_de.startswith("Fachhochschule")]


def test_every_invented_activity_is_labelled_in_its_title(data: DemoData) -> None:
    """An entry that says it is invented carries "(Beispiel)" in the title, and vice versa.

    The title is what the timeline, the PDF briefing and every list show.
    """
    from chinadialog_desktop.persistence.models import Activity

    for activity in data.of(Activity):
        title = activity.values["title"]
        text = " ".join(str(activity.values.get(k) or "") for k in ("description", "outcome"))
        invented = "Kein belegtes Ereignis" in text or "Beispiel" in text
        assert invented == ("(Beispiel)" in title), title


def test_dossier_sections_sources_and_citations(loaded: Database) -> None:
    with loaded.session() as s:
        title = "Städtepartnerschaft Braunschweig–Zhuhai"
        d = s.scalars(select(Dossier).where(Dossier.title.startswith(title))).one()
        assert d.audience == "council"
        assert [sec.key for sec in d.sections] == [k.value for k in SectionKey]
        assert [link.partnership.title for link in d.partnership_links] == ["Braunschweig–Zhuhai"]
        numbers = [link.number for link in d.source_links]
        assert numbers == list(range(1, len(numbers) + 1))
        cited = {int(n) for sec in d.sections for n in re.findall(r"\[(\d+)\]", sec.body)}
        assert cited == set(numbers)  # every source cited, no citation without a source
        assert all(link.source.url for link in d.source_links)


def test_sources_carry_urls_and_access_dates(loaded: Database) -> None:
    with loaded.session() as s:
        sources = list(s.scalars(select(Source)))
    assert sources
    assert all(src.url and src.url.startswith("http") and src.accessed_on for src in sources)


# --------------------------------------------------------------------------- idempotence


def test_second_load_adds_nothing(loaded: Database, data: DemoData) -> None:
    before = _table_counts(loaded)
    with loaded.session() as s:
        result = load_demo(s, data)
    assert not result.changed
    assert result.total_added == 0
    assert result.already_present == len(data.records)
    assert _table_counts(loaded) == before  # not even an audit event


def test_reload_restores_missing_records_and_keeps_edits(loaded: Database, data: DemoData) -> None:
    with loaded.session() as s:
        kiel = _partnership(s, "Kiel–Qingdao")
        kiel.description = "Eigene Notiz"
        s.delete(kiel.activities[0])
    with loaded.session() as s:
        result = load_demo(s, data)
    assert result.total_added == 1 and result.added["activity"] == 1
    with loaded.session() as s:
        kiel = _partnership(s, "Kiel–Qingdao")
        assert kiel.description == "Eigene Notiz"
        assert len(kiel.activities) == 5


def test_reload_leaves_an_equal_link_under_another_uuid_alone(
    loaded: Database, data: DemoData
) -> None:
    with loaded.session() as s:
        link = s.scalars(select(DossierSource).where(DossierSource.number == 1)).first()
        assert link is not None
        dossier_id, source_id = link.dossier_id, link.source_id
        s.delete(link)
        s.flush()
        s.add(DossierSource(dossier_id=dossier_id, source_id=source_id, number=1))
    with loaded.session() as s:
        result = load_demo(s, data)
    assert result.total_added == 0


# --------------------------------------------------------------------------- broken files


def _error(document: dict[str, Any]) -> str:
    with pytest.raises(DemoDataError) as info:
        parse_demo(document, Path("demo.yaml"))
    return str(info.value)


def _find(items: list[dict[str, Any]], key: str) -> dict[str, Any]:
    return next(item for item in items if item["key"] == key)


def test_unknown_status_names_the_record(document: dict[str, Any]) -> None:
    _find(document["partnerships"], "kiel_qingdao")["status"] = "paused"
    message = _error(document)
    assert "kiel_qingdao" in message and "status" in message and "paused" in message


def test_bad_date_in_a_nested_activity_names_it(document: dict[str, Any]) -> None:
    _find(document["partnerships"], "kiel_qingdao")["activities"][2]["date"] = "2023-13-01"
    message = _error(document)
    assert "kiel_qingdao" in message and "activities[2]" in message and "2023-13-01" in message


def test_duplicate_uuid_is_refused(document: dict[str, Any]) -> None:
    document["actors"][1]["uuid"] = document["actors"][0]["uuid"]
    message = _error(document)
    assert "actors[1]" in message and "actors[0]" in message


def test_reference_to_a_missing_key_is_refused(document: dict[str, Any]) -> None:
    _find(document["partnerships"], "braunschweig_zhuhai")["parties"][1]["actor"] = "zuhai"
    message = _error(document)
    assert "braunschweig_zhuhai" in message and "zuhai" in message


def test_unquoted_number_with_leading_zeros_is_refused(document: dict[str, Any]) -> None:
    _find(document["actors"], "braunschweig")["ags"] = 3101000
    assert "braunschweig" in _error(document)


def test_missing_required_field_and_unknown_field(document: dict[str, Any]) -> None:
    del _find(document["sources"], "src_fes")["title"]
    assert "src_fes" in _error(document) and "title" in _error(document)
    _find(document["sources"], "src_fes")["title"] = "x"
    _find(document["actors"], "kiel")["mayor"] = "someone"
    assert "mayor" in _error(document)


def test_unreadable_files(tmp_path: Path) -> None:
    with pytest.raises(DemoDataError, match="not found"):
        read_demo(tmp_path / "missing.yaml")
    broken = tmp_path / "broken.yaml"
    broken.write_text("format: chinadialog-demo\nactors: [\n", encoding="utf-8")
    with pytest.raises(DemoDataError, match="YAML"):
        read_demo(broken)
    wrong = tmp_path / "wrong.yaml"
    wrong.write_text("format: something-else\nversion: 1\n", encoding="utf-8")
    with pytest.raises(DemoDataError, match="format"):
        read_demo(wrong)


def test_load_uses_the_callers_transaction(db: Database, data: DemoData) -> None:
    with db.sessions() as s:
        load_demo(s, data)
        s.rollback()
    with db.session() as s:
        assert _count(s, Partnership) == 0
        assert _count(s, Activity) == 0


def test_jiading_is_a_district_of_shanghai_not_a_landkreis(loaded: Database) -> None:
    """嘉定区: one of Shanghai's districts (区) since 1993, not a German Landkreis (review)."""
    from chinadialog_desktop.domain.enums import ActorKind
    from chinadialog_desktop.domain.labels import label
    from chinadialog_desktop.i18n import set_language

    with loaded.session() as s:
        jiading = s.scalars(select(Actor).where(Actor.name_zh == "上海市嘉定区")).one()
        kind = jiading.kind
    assert kind == ActorKind.CITY_DISTRICT
    set_language("de")  # the autouse fixture sets English back afterwards
    assert label(ActorKind, kind) == "Stadtbezirk"
    assert label(ActorKind, ActorKind.DISTRICT) == "Landkreis"


def test_a_gift_the_city_gave_has_no_acceptance_decision(loaded: Database) -> None:
    """Approval and handing over concern what was received (§ 42 BeamtStG, § 71 BBG):
    a dinner the city gave cannot have its "acceptance approved" (review finding)."""
    from chinadialog_desktop.domain.enums import GiftDecision, GiftDirection
    from chinadialog_desktop.persistence.models_registers import Gift

    acceptance = {GiftDecision.APPROVED, GiftDecision.HANDED_OVER}
    with loaded.session() as s:
        gifts = [(g.title, g.direction, g.decision) for g in s.scalars(select(Gift))]
    given = [g for g in gifts if g[1] == GiftDirection.GIVEN]
    assert given, "the demo has a gift or hospitality the city gave"
    assert [g for g in given if g[2] in acceptance] == []
    received = [g for g in gifts if g[1] == GiftDirection.RECEIVED]
    assert {g[2] for g in received} >= {GiftDecision.HANDED_OVER, GiftDecision.DECLINED}
