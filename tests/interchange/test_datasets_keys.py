"""Matching keys keep every script: Cyrillic, Hangul, kana, Arabic, emoji, all CJK ideographs.

Two different names must never share a key, and a name without letters or
digits (its key is empty) never matches anything: such a row is a problem
("no letters or digits"), because a record that nothing can recognise would
be created again on every re-import.

Place names are real cities; the partnerships between them are invented
(Beispiel) and say so in their notes.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import select

from chinadialog_desktop.cli import main
from chinadialog_desktop.domain.folding import fold, name_key
from chinadialog_desktop.interchange.problems import ProblemList
from chinadialog_desktop.persistence.database import Database
from chinadialog_desktop.persistence.models import Actor, Partnership, Source
from chinadialog_desktop.services.datasets.importing import (
    COMMITTED,
    REJECTED,
    ImportOptions,
    import_dataset,
)
from chinadialog_desktop.services.datasets.kinds import KINDS
from chinadialog_desktop.services.datasets.mapping import map_columns

OTHER_SCRIPTS = [
    "Москва",  # Cyrillic
    "Санкт-Петербург",
    "서울",  # Hangul
    "부산",
    "おおさか",  # hiragana
    "ヨコハマ",  # katakana
    "القاهرة",  # Arabic
    "دبي",
    "🐼",  # emoji
    "🐉",
    "𠀀城",  # CJK Extension B
    "𠀁城",
    "㐀城",  # CJK Extension A
]


def test_keys_of_other_scripts_are_distinct_and_not_empty():
    keys = [fold(name) for name in OTHER_SCRIPTS]
    assert all(keys), keys
    assert len(set(keys)) == len(OTHER_SCRIPTS)


@pytest.mark.parametrize(
    ("a", "b"),
    [
        ("München", "Muenchen"),
        ("MÜNCHEN", "münchen"),
        ("Straße", "STRASSE"),
        ("ＭＯＳＫＡＵ", "Moskau"),  # full-width forms (NFKC)
        ("ｵｵｻｶ", "オオサカ"),  # half-width katakana
        ("\uf900", "\u8c48"),  # a CJK compatibility ideograph and its unified form
        ("Mu\u0308nchen", "München"),  # decomposed umlaut
        ("Санкт-Петербург", "санкт петербург"),
        ("Köln – Peking", "Koeln - Peking"),
        ("❤️ Verein", "❤ verein"),  # the emoji variation selector is not content
        ("Soft\u00adhyphen", "Softhyphen"),
    ],
)
def test_spellings_that_are_the_same_name(a, b):
    assert fold(a) == fold(b) != ""


@pytest.mark.parametrize("text", ["", "   ", "!!!", "—", "…", "?", "-/-", "\u200b", "€"])
def test_names_without_letters_have_no_key(text):
    assert fold(text) == ""
    assert name_key(text) is None


def test_headers_still_map():
    headers = ["Kommune", "Partnerstadt", "Unterzeichnet am", "NAME_DE", "？？", ""]
    mapping = map_columns(headers, KINDS["partnerships"], {}, ProblemList(), "x.csv")
    assert mapping.fields[:3] == ("german_party", "chinese_party", "start_date")
    assert mapping.fields[4:] == (None, None)


def _actors(db: Database) -> dict[str, str]:
    with db.session() as s:
        return {a.name_de: a.uuid for a in s.scalars(select(Actor))}


def _pairs(db: Database) -> dict[str, tuple[str, str]]:
    """Partnership title → (German partner's UUID, Chinese partner's UUID)."""
    with db.session() as s:
        result = {}
        for p in s.scalars(select(Partnership)):
            parties = {x.role: x.actor.uuid for x in p.parties}
            result[p.title] = (parties.get("german", ""), parties.get("chinese", ""))
        return result


def _actor_file(tmp_path: Path, names: list[str]) -> Path:
    path = tmp_path / "akteure.csv"
    rows = "".join(f"{name};DE;(Beispiel)\r\n" for name in names)
    path.write_text("Name;Land;Bemerkung\r\n" + rows, encoding="utf-8")
    return path


REGISTER = (
    "Kommune;Partnerstadt;Bemerkung\r\n"
    "서울;北京;(Beispiel)\r\n"
    "Москва;上海;(Beispiel)\r\n"
    "おおさか;广州;(Beispiel)\r\n"
    "القاهرة;深圳;(Beispiel)\r\n"
    "🐼;成都;(Beispiel)\r\n"
    "𠀀城;𠀁城;(Beispiel)\r\n"
)


def test_each_partnership_gets_its_own_german_partner(db, tmp_path):
    """The bug: every non-Latin name folded to "", so one actor was taken for all."""
    german = ["Москва", "서울", "おおさか", "القاهرة", "🐼", "𠀀城"]
    assert import_dataset(db, _actor_file(tmp_path, german), ImportOptions(kind="actors")).ok
    actors = _actors(db)
    assert sorted(actors) == sorted(german)
    register = tmp_path / "register.csv"
    register.write_text(REGISTER, encoding="utf-8")
    result = import_dataset(db, register)
    assert result.status == COMMITTED, result.problems.format()
    assert result.plan is not None
    assert result.plan.counts()["actors"]["new"] == 6  # only the Chinese partners are new
    pairs = _pairs(db)
    after = _actors(db)
    for line in REGISTER.splitlines()[1:]:
        g, c, _note = line.split(";")
        assert pairs[f"{g} – {c}"] == (actors[g], after[c]), line
    assert len(after) == 12

    again = import_dataset(db, register)
    assert again.status == COMMITTED
    assert again.plan is not None
    assert again.plan.totals() == {"new": 0, "updated": 0, "unchanged": 6, "conflict": 0}


def test_one_foreign_name_is_not_taken_for_another(db, tmp_path):
    """With one non-Latin actor in the database, the old key linked every such name to it."""
    assert import_dataset(db, _actor_file(tmp_path, ["Москва"]), ImportOptions(kind="actors")).ok
    moscow = _actors(db)["Москва"]
    register = tmp_path / "register.csv"
    register.write_text("Kommune;Partnerstadt\r\n서울;北京\r\n", encoding="utf-8")
    assert import_dataset(db, register).status == COMMITTED
    seoul, beijing = _pairs(db)["서울 – 北京"]
    assert seoul != moscow
    assert _actors(db)["서울"] == seoul


def test_actors_in_many_scripts_stay_distinct_records(db, tmp_path):
    result = import_dataset(db, _actor_file(tmp_path, OTHER_SCRIPTS), ImportOptions(kind="actors"))
    assert result.status == COMMITTED, result.problems.format()
    assert sorted(_actors(db)) == sorted(OTHER_SCRIPTS)
    again = import_dataset(db, _actor_file(tmp_path, OTHER_SCRIPTS), ImportOptions(kind="actors"))
    assert again.plan is not None
    assert again.plan.totals()["unchanged"] == len(OTHER_SCRIPTS)


def test_a_partner_without_letters_is_a_problem_and_nothing_is_written(db, tmp_path, state):
    with db.session() as s:
        s.add(Actor(name_de="…", country="DE"))  # typed by hand: a placeholder
    register = tmp_path / "register.csv"
    register.write_text("Kommune;Partnerstadt\r\nBonn;Chengdu\r\n???;北京\r\n", encoding="utf-8")
    before = state()
    result = import_dataset(db, register)
    assert result.status == REJECTED
    [problem] = [p for p in result.problems if p.is_error]
    assert problem.code == "record.no_letters"
    assert (problem.file, problem.line) == ("register.csv", 3)
    assert "'???' has no letters or digits" in problem.message
    assert state() == before


@pytest.mark.parametrize("name", ["!!!", "—", "…"])
def test_an_actor_without_letters_never_matches_another(db, tmp_path, name):
    with db.session() as s:
        s.add(Actor(name_de="???", country="DE"))
    result = import_dataset(db, _actor_file(tmp_path, [name]), ImportOptions(kind="actors"))
    assert result.status == REJECTED
    assert [p.code for p in result.problems if p.is_error] == ["record.no_letters"]
    assert list(_actors(db)) == ["???"]


def test_a_title_without_letters_is_recognised_by_its_uuid_only(db, tmp_path):
    with db.session() as s:
        s.add(Source(title="…"))
    sources = tmp_path / "quellen.csv"
    sources.write_text("title;author\r\n!!!;Stadtarchiv (Beispiel)\r\n", encoding="utf-8")
    result = import_dataset(db, sources, ImportOptions(kind="sources"))
    assert result.status == REJECTED
    assert [p.code for p in result.problems if p.is_error] == ["record.no_letters"]
    uuid = "0190d2b4-7b1c-7c3e-8a4e-1f2a3b4c5d6e"
    sources.write_text(f"uuid;title;author\r\n{uuid};!!!;Archiv (Beispiel)\r\n", encoding="utf-8")
    first = import_dataset(db, sources, ImportOptions(kind="sources"))
    assert first.status == COMMITTED, first.problems.format()
    again = import_dataset(db, sources, ImportOptions(kind="sources"))
    assert again.plan is not None and again.plan.totals()["unchanged"] == 1
    with db.session() as s:
        assert sorted(s.scalars(select(Source.title))) == ["!!!", "…"]


def test_cli_links_the_right_partner_and_rejects_a_name_without_letters(tmp_path, capsys):
    db_path = tmp_path / "Städte 东京" / "db.sqlite3"
    db_path.parent.mkdir()
    actors = _actor_file(tmp_path, ["Москва", "서울"])

    def cli(*args: str) -> int:
        return main(["--lang", "en", "--db", str(db_path), *args])

    assert cli("import", str(actors), "--kind", "actors") == 0
    register = tmp_path / "register.csv"
    register.write_text("Kommune;Partnerstadt\r\n서울;北京\r\nМосква;上海\r\n", encoding="utf-8")
    assert cli("import", str(register)) == 0
    capsys.readouterr()
    db = Database.open(db_path)
    try:
        names = _actors(db)
        pairs = _pairs(db)
    finally:
        db.close()
    assert pairs["서울 – 北京"][0] == names["서울"]
    assert pairs["Москва – 上海"][0] == names["Москва"]
    assert len(names) == 4

    bad = tmp_path / "bad.csv"
    bad.write_text("Kommune;Partnerstadt\r\n서울;北京\r\n-;上海\r\n", encoding="utf-8")
    assert cli("import", str(bad)) == 1
    err = capsys.readouterr().err
    assert "bad.csv, line 3" in err
    assert "'-' has no letters or digits" in err


def test_a_partnership_title_without_letters_needs_its_partners(db, tmp_path):
    register = tmp_path / "register.csv"
    register.write_text("title;status\r\n???;aktiv\r\n", encoding="utf-8")
    result = import_dataset(db, register, ImportOptions(kind="partnerships"))
    assert result.status == REJECTED
    assert [p.code for p in result.problems if p.is_error] == ["record.no_letters"]
    register.write_text("title;Kommune;Partnerstadt\r\n???;Bonn;Chengdu\r\n", encoding="utf-8")
    first = import_dataset(db, register, ImportOptions(kind="partnerships"))
    assert first.status == COMMITTED, first.problems.format()
    again = import_dataset(db, register, ImportOptions(kind="partnerships"))
    assert again.plan is not None
    assert again.plan.totals() == {"new": 0, "updated": 0, "unchanged": 1, "conflict": 0}
