"""CSV import of partnership registers and actors: encodings, mapping, dry run, merge."""

from __future__ import annotations

import codecs
from datetime import date

import pytest
from sqlalchemy import select

from chinadialog_desktop.persistence.models import Actor, ImportRun, Partnership
from chinadialog_desktop.services.datasets.importing import (
    COMMITTED,
    DRY_RUN,
    NEEDS_DECISION,
    REJECTED,
    ImportOptions,
    import_dataset,
)

REGISTER = (
    "Kommune;Partnerstadt;Art;Unterzeichnet am;Status;Bemerkung;Ansprechpartner\r\n"
    'Duisburg;Wuhan;Städtepartnerschaft;08.10.1982;aktiv;"erste deutsch-chinesische\r\n'
    'Partnerschaft";Frau Müller\r\n'
    "Köln;Peking;Städtepartnerschaft;14.09.1987;aktiv;;\r\n"
    "Kiel;Qingdao;Städtefreundschaft;2002;ausgesetzt;NULL;\r\n"
)

pytestmark = pytest.mark.both_engines


def partnerships(db):
    with db.session() as s:
        rows = s.scalars(select(Partnership).order_by(Partnership.title)).all()
        return [
            (
                p.title,
                p.type,
                p.status,
                p.start_date,
                p.start_precision,
                p.description,
                sorted((x.role, x.actor.name_de) for x in p.parties),
            )
            for p in rows
        ]


@pytest.mark.parametrize(
    ("encoding", "bom", "delimiter", "sep_line"),
    [
        ("utf-8", b"", ";", False),
        ("utf-8", codecs.BOM_UTF8, ";", False),
        ("cp1252", b"", ";", True),
        ("utf-16-le", codecs.BOM_UTF16_LE, "\t", False),
        ("utf-8", b"", ",", False),
        ("utf-8", b"", "\t", True),
    ],
)
def test_register_in_excel_variants(db, write, encoding, bom, delimiter, sep_line):
    text = REGISTER.replace(";", delimiter)
    if sep_line:
        text = f"sep={delimiter}\r\n" + text
    path = write("register.csv", bom + text.encode(encoding))
    result = import_dataset(db, path)
    assert result.status == COMMITTED, result.problems.format()
    assert result.plan is not None
    assert result.plan.counts()["partnerships"]["new"] == 3
    assert result.plan.counts()["actors"]["new"] == 6
    rows = partnerships(db)
    assert rows[0] == (
        "Duisburg – Wuhan",
        "twin_city",
        "active",
        date(1982, 10, 8),
        "day",
        "erste deutsch-chinesische\r\nPartnerschaft\n\n"
        "[Weitere Spalten aus dem Import / Additional imported columns]\n"
        "Ansprechpartner: Frau Müller",
        [("chinese", "Wuhan"), ("german", "Duisburg")],
    )
    kiel = rows[1]
    assert kiel[0] == "Kiel – Qingdao"
    assert kiel[3:6] == (date(2002, 1, 1), "year", "NULL")  # "NULL" stays a string
    assert rows[2][2] == "active"


def test_dry_run_writes_nothing_and_reimport_changes_nothing(db, write, state):
    path = write("register.csv", REGISTER)
    before = state()
    dry = import_dataset(db, path, dry_run=True)
    assert dry.status == DRY_RUN
    assert dry.plan is not None and dry.plan.totals()["new"] == 9
    assert state() == before
    assert import_dataset(db, path).status == COMMITTED
    first = partnerships(db)
    again = import_dataset(db, path)
    assert again.status == COMMITTED
    assert again.plan is not None
    assert again.plan.totals() == {"new": 0, "updated": 0, "unchanged": 3, "conflict": 0}
    assert again.backup_path is None
    assert partnerships(db) == first
    with db.session() as s:
        runs = s.scalars(select(ImportRun).order_by(ImportRun.id)).all()
        assert [r.file_name for r in runs] == ["register.csv", "register.csv"]
        assert runs[0].sha256 == runs[1].sha256 and len(runs[0].sha256) == 64
        assert runs[0].counts["total"]["new"] == 9


def test_newer_file_updates_untouched_records(db, write):
    import_dataset(db, write("v1.csv", REGISTER))
    newer = REGISTER.replace("ausgesetzt", "beendet")
    result = import_dataset(db, write("v2.csv", newer))
    assert result.status == COMMITTED
    assert result.plan is not None
    assert result.plan.totals()["updated"] == 1
    assert [r[2] for r in partnerships(db)][1] == "ended"


def _edit_kiel_locally(db):
    with db.session() as s:
        kiel = s.scalars(select(Partnership).where(Partnership.title == "Kiel – Qingdao")).one()
        kiel.status = "dormant"


def test_local_edit_against_newer_file_is_a_conflict(db, write, state):
    import_dataset(db, write("v1.csv", REGISTER))
    _edit_kiel_locally(db)
    newer = write("v2.csv", REGISTER.replace("ausgesetzt", "beendet"))
    before = state()
    result = import_dataset(db, newer)
    assert result.status == NEEDS_DECISION
    assert result.plan is not None
    [conflict] = result.plan.conflicts()
    assert conflict.label == "Kiel – Qingdao"
    assert [(c.field, c.mine, c.theirs) for c in conflict.changes] == [
        ("status", "dormant", "ended")
    ]
    assert any(p.code == "record.conflict" and p.line == 5 for p in result.problems)
    assert state() == before

    kept = import_dataset(db, newer, ImportOptions(on_conflict="mine"))
    assert kept.status == COMMITTED
    assert [r[2] for r in partnerships(db)][1] == "dormant"
    # The same file again: nothing new in it, so no conflict and no change.
    again = import_dataset(db, newer)
    assert again.status == COMMITTED
    assert again.plan is not None and again.plan.totals()["conflict"] == 0
    assert [r[2] for r in partnerships(db)][1] == "dormant"


def test_take_theirs_for_one_record(db, write):
    import_dataset(db, write("v1.csv", REGISTER))
    _edit_kiel_locally(db)
    newer = write("v2.csv", REGISTER.replace("ausgesetzt", "beendet"))
    plan = import_dataset(db, newer, dry_run=True).plan
    assert plan is not None
    uuid = plan.conflicts()[0].uuid
    result = import_dataset(db, newer, ImportOptions(resolutions={uuid: "theirs"}))
    assert result.status == COMMITTED
    assert [r[2] for r in partnerships(db)][1] == "ended"


def test_re_import_of_unchanged_file_after_local_edit_keeps_the_edit(db, write):
    path = write("v1.csv", REGISTER)
    import_dataset(db, path)
    _edit_kiel_locally(db)
    result = import_dataset(db, path)
    assert result.status == COMMITTED
    assert result.plan is not None and result.plan.totals()["conflict"] == 0
    assert [r[2] for r in partnerships(db)][1] == "dormant"


def test_hand_typed_record_matched_by_name_is_never_overwritten_silently(db, write):
    with db.session() as s:
        s.add(Actor(name_de="Duisburg", region="Nordrhein-Westfalen"))
    csv = "Name;Bundesland;Land\nDuisburg;NRW;Deutschland\n"
    result = import_dataset(db, write("actors.csv", csv), ImportOptions(kind="actors"))
    assert result.status == NEEDS_DECISION
    with db.session() as s:
        assert s.scalars(select(Actor.region)).one() == "Nordrhein-Westfalen"


def test_user_mapping_and_unknown_kind_values(db, write):
    csv = "Ort;Gegenüber;Seit\nBremen;Dalian;1985\n"
    rejected = import_dataset(db, write("a.csv", csv), ImportOptions(kind="partnerships"))
    assert rejected.status == REJECTED
    assert any(p.code == "mapping.missing" for p in rejected.problems)
    options = ImportOptions(
        kind="partnerships", user_map={"Ort": "german_party", "Gegenüber": "chinese_party"}
    )
    result = import_dataset(db, write("a.csv", csv), options)
    assert result.status == COMMITTED, result.problems.format()
    assert partnerships(db)[0][:5] == (
        "Bremen – Dalian",
        "twin_city",
        "active",
        date(1985, 1, 1),
        "year",
    )


def test_bad_values_are_listed_with_line_and_column(db, write, state):
    csv = (
        "Kommune;Partnerstadt;Art;Beginn\n"
        "Duisburg;Wuhan;Städtepartnerschaft;31.02.1982\n"
        "Köln;Peking;Brieffreundschaft;1987\n"
    )
    before = state()
    result = import_dataset(db, write("bad.csv", csv))
    assert result.status == REJECTED
    found = {(p.line, p.column, p.code) for p in result.problems}
    assert found == {(2, 4, "value.invalid"), (3, 3, "value.invalid")}
    assert "31.02.1982" in result.problems.format()
    assert state() == before


def test_german_decimal_and_actor_columns(db, write):
    csv = (
        "Name;Chinesischer Name;Pinyin;Art;Land;Provinz;USCC\n"
        "Stadt Wuhan;武汉市;Wǔhàn Shì;Stadt;China;Hubei;114200000110000007\n"
    )
    result = import_dataset(db, write("actors.csv", csv))
    assert result.status == COMMITTED, result.problems.format()
    with db.session() as s:
        a = s.scalars(select(Actor)).one()
        assert (a.name_de, a.name_zh, a.name_pinyin, a.kind, a.country, a.region) == (
            "Stadt Wuhan",
            "武汉市",
            "Wǔhàn Shì",
            "city",  # "Stadt", as the actor form names a city
            "CN",
            "Hubei",
        )


def test_sources_with_german_headers(db, write):
    from chinadialog_desktop.persistence.models import Source

    csv = (
        "Titel;Herausgeber;Jahr;Link;Abgerufen am;Signatur\n"
        "Kommunen – Kernstück deutscher China-Politik;FES;2.023;https://www.fes.de;19.02.2026;A1\n"
    )
    rejected = import_dataset(db, write("q.csv", csv))
    assert rejected.status == REJECTED
    assert [(p.line, p.column) for p in rejected.problems.errors()] == [(2, 3)]
    result = import_dataset(db, write("q.csv", csv.replace("2.023", "2023")))
    assert result.status == COMMITTED, result.problems.format()
    with db.session() as s:
        src = s.scalars(select(Source)).one()
        assert (src.author, src.year, src.accessed_on) == ("FES", 2023, date(2026, 2, 19))
        assert src.note is not None and src.note.endswith("Signatur: A1")


def test_activities_and_contacts_refer_to_partnerships_and_actors_by_name(db, write, state):
    from chinadialog_desktop.persistence.models import Activity, Contact

    import_dataset(db, write("register.csv", REGISTER))
    activities = (
        "Partnerschaft;Datum;Art;Anlass;Ort\n"
        "Duisburg – Wuhan;10.2022;Delegationsbesuch;40 Jahre Partnerschaft;Wuhan\n"
        "Köln – Peking;14.09.2027;Veranstaltung;40 Jahre;Köln\n"
    )
    result = import_dataset(db, write("aktivitaeten.csv", activities))
    assert result.status == COMMITTED, result.problems.format()
    contacts = "Name;Funktion;Organisation;E-Mail\nFrau Li;Büroleiterin;Wuhan;li@example.cn\n"
    result = import_dataset(db, write("kontakte.csv", contacts))
    assert result.status == COMMITTED, result.problems.format()
    with db.session() as s:
        first = s.scalars(select(Activity).order_by(Activity.date)).first()
        assert first is not None
        assert (first.partnership.title, first.date, first.date_precision, first.kind) == (
            "Duisburg – Wuhan",
            date(2022, 10, 1),
            "month",
            "delegation",
        )
        contact = s.scalars(select(Contact)).one()
        assert contact.actor is not None and contact.actor.name_de == "Wuhan"
    again = import_dataset(db, write("aktivitaeten.csv", activities))
    assert again.plan is not None and again.plan.totals()["unchanged"] == 2
    before = state()
    unknown = "Partnerschaft;Datum;Anlass\nNirgendwo – Nichts;2020;Besuch\n"
    result = import_dataset(db, write("x.csv", unknown), ImportOptions(kind="activities"))
    assert result.status == REJECTED
    assert [p.code for p in result.problems.errors()] == ["record.unknown_reference"]
    assert state() == before


def test_the_windows_own_kind_words_are_read_and_a_bad_kind_is_told_in_words(db, write, german):
    """ "Verein/Verband" as the window shows it is read; a kind nobody knows is answered
    with the window's words, never with stored codes like ``association``."""
    csv = (
        "Name;Art;Land\n"
        "Deutsch-Chinesischer Freundeskreis (Beispiel);Verein/Verband;Deutschland\n"
        "Amt für Partnerschaften (Beispiel);Öffentliche Einrichtung;DE\n"
    )
    result = import_dataset(db, write("actors.csv", csv), ImportOptions(kind="actors"))
    assert result.status == COMMITTED, result.problems.format()
    with db.session() as s:
        assert sorted(s.scalars(select(Actor.kind))) == ["association", "public_body"]
    bad = "Name;Art;Land\nGenossenschaft Nord (Beispiel);Genossenschaft;DE\n"
    rejected = import_dataset(db, write("bad.csv", bad), ImportOptions(kind="actors"))
    assert rejected.status == REJECTED
    text = rejected.problems.format()
    assert "Genossenschaft" in text and "Verein/Verband" in text and "Kommune" in text
    for code in ("municipality", "association", "public_body", "university"):
        assert code not in text, text
    assert " kind" not in text  # nor the field's internal name
