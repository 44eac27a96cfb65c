"""The registers are kinds of the one registry; date order and unique names are its rules.

Issue 10 §1: the four registers (visits, gifts, counterpart contacts, incidents) are
described once in ``domain.kinds`` like every other kind; a kind's date order
(``KindInfo.date_order``) and the rule against two actors with one name are checked with
the same words by the editor's services, the import and the command line. Real SQLite
files, real CSV files. Names are invented (Beispiel).
"""

from __future__ import annotations

import ast
import json
from datetime import date
from pathlib import Path

import jsonschema
import pytest
from sqlalchemy import select

from chinadialog_desktop.cli import main
from chinadialog_desktop.cli.datasets import KIND_NAMES
from chinadialog_desktop.domain.enums import ActorKind, PartnershipType
from chinadialog_desktop.domain.kinds import (
    REGISTER_KINDS,
    REGISTRY,
    Kind,
    list_filters,
    lookup_kind,
    records_schema,
)
from chinadialog_desktop.domain.registers import BY_KEY, REGISTERS
from chinadialog_desktop.i18n import _
from chinadialog_desktop.persistence.database import Database
from chinadialog_desktop.persistence.models import MODELS, Actor, Incident, Partnership, Visit
from chinadialog_desktop.persistence.search_text import (
    KIND_CODES,
    KIND_SINCE,
    REGISTRY_SEARCHED,
    WATCHED,
)
from chinadialog_desktop.services.datasets.export import export_dataset
from chinadialog_desktop.services.datasets.importing import (
    REJECTED,
    ImportOptions,
    import_dataset,
)
from chinadialog_desktop.services.datasets.kinds import KINDS, resolve_kind
from chinadialog_desktop.services.datasets.merge import _REQUIRED
from chinadialog_desktop.services.demo import load_demo
from chinadialog_desktop.services.records import edit as records
from chinadialog_desktop.services.records import lists, validation
from chinadialog_desktop.services.search import search, search_like

# --- the registers are kinds of the registry ---------------------------------------------


def test_each_register_is_a_kind_of_the_registry_with_its_table_and_import_spec():
    assert (
        [r.kind for r in REGISTERS]
        == list(REGISTER_KINDS)
        == [
            Kind.VISIT,
            Kind.GIFT,
            Kind.COUNTERPART,
            Kind.INCIDENT,
        ]
    )
    for register in REGISTERS:
        entry = REGISTRY[register.kind]
        assert register.info is entry and entry.register is not None
        assert MODELS[register.kind].__tablename__ == register.record_kind  # type: ignore[attr-defined]
        spec = KINDS[register.key]
        assert spec.kind is register.kind and spec.names == entry.names
        assert spec.names[:3] == ["uuid", "partnership", "partnership_uuid"]
        # the panel's and the briefing's columns are fields of the register
        assert set(register.columns) | set(register.briefing) <= {f.name for f in register.fields}
        assert validation.REQUIRED[register.record_kind] == register.required
        assert register.key in KIND_NAMES  # the command line's --kind


@pytest.mark.parametrize(
    ("word", "kind"),
    [
        ("Vorfälle", Kind.INCIDENT),
        ("vorfall", Kind.INCIDENT),
        ("incidents", Kind.INCIDENT),
        ("Delegationsreisen", Kind.VISIT),
        ("besuche", Kind.VISIT),
        ("Geschenke und Bewirtungen", Kind.GIFT),
        ("Gesprächskontakte", Kind.COUNTERPART),
        ("counterpart", Kind.COUNTERPART),
    ],
)
def test_a_register_is_named_in_german_or_english_like_any_kind(word, kind):
    assert lookup_kind(word) is kind
    spec = resolve_kind(word)
    assert spec is not None and spec.key == REGISTRY[kind].file_key


def test_the_records_schema_includes_the_registers_and_an_export_fits_it(db, tmp_path):
    schema = records_schema()
    for register in REGISTERS:
        properties = schema["properties"][register.key]["items"]["properties"]
        assert set(properties) == set(REGISTRY[register.kind].names)
    gift = schema["properties"]["gifts"]["items"]["properties"]
    assert gift["value_cents"]["type"] == ["integer", "null"]
    assert None in gift["decision"]["enum"] and "pending" in gift["decision"]["enum"]
    with db.session() as s:
        load_demo(s)
    out = tmp_path / "daten #ä.json"
    with db.session() as s:
        export_dataset(s, "json", out)
    exported = json.loads(out.read_text(encoding="utf-8"))["records"]
    assert all(exported[r.key] for r in REGISTERS)  # the demo has entries in each
    jsonschema.validate({r.key: exported[r.key] for r in REGISTERS}, schema)
    wrong = dict(exported["gifts"][0], value_cents="12,50 €")  # euros, not cents
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.validate({"gifts": [wrong]}, schema)


def test_the_import_s_required_fields_are_the_registry_s():
    for entry in REGISTRY.values():
        if entry.kind in (Kind.ACTOR, Kind.PARTNERSHIP):
            assert entry.file_key not in _REQUIRED  # named by a display name / its parties
            continue
        own = tuple(f.name for f in entry.fields if f.required)
        assert set(_REQUIRED[entry.file_key]) - {"partnership_uuid"} == set(own)


def test_display_names_are_the_registry_s():
    assert validation.DISPLAY_NAMES == {
        "actor": ("name_de", "name_en", "name_pinyin", "name_zh"),
        "contact": ("name", "name_zh"),
    }
    assert validation.display_name("actor", {"name_zh": "珠海市"}) == "珠海市"


# --- date order: one declared rule per kind ----------------------------------------------


def test_date_orders_are_declared_per_kind():
    declared = {
        entry.kind: [(o.first, o.second) for o in entry.date_order] for entry in REGISTRY.values()
    }
    assert declared[Kind.PARTNERSHIP] == [("start_date", "end_date")]
    assert declared[Kind.VISIT] == [("start_date", "end_date")]
    assert declared[Kind.INCIDENT] == [("date", "reported_on")]
    # A gift may be decided on before its date (consent asked for an announced gift, a
    # gift the town gives): no order.
    assert declared[Kind.GIFT] == []
    for entry in REGISTRY.values():
        for order in entry.date_order:
            first, second = entry.field(order.first), entry.field(order.second)
            assert first is not None and first.value_type == "date"
            assert second is not None and second.value_type == "date"


@pytest.mark.parametrize(
    ("kind", "values", "field", "message"),
    [
        (
            "visit",
            {"start_date": date(2024, 5, 10), "end_date": date(2024, 5, 1)},
            "end_date",
            "The end lies before the start.",
        ),
        (
            "incident",
            {"date": date(2024, 5, 10), "reported_on": date(2024, 5, 9)},
            "reported_on",
            "The report lies before the incident.",
        ),
        (
            "partnership",
            {
                "start_date": date(2020, 5, 1),
                "start_precision": "month",
                "end_date": date(2019, 1, 1),
            },
            "end_date",
            "The end lies before the start.",
        ),
    ],
)
def test_a_date_out_of_order_is_one_problem_with_its_kind_s_words(kind, values, field, message):
    assert validation.problems(kind, {"title": "x", "name": "x", **values})[field] == message
    assert validation.order_errors(kind, values) == {field: message}
    assert field in validation.order_fields(kind)


def test_a_gift_decided_before_its_date_is_fine():
    values = {"title": "Tee (Beispiel)", "date": date(2024, 5, 10), "decided_on": date(2024, 5, 2)}
    assert "decided_on" not in validation.problems("gift", values)


def _partnership(db) -> None:
    with db.session() as s:
        s.add(Partnership(title="Kiel–Qingdao (Beispiel)"))


def _csv(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "register #ä 登记.csv"
    path.write_text(text, encoding="utf-8")
    return path


@pytest.mark.parametrize(
    ("kind", "header", "row", "model", "column", "editor_values"),
    [
        (
            "Delegationsreisen",
            "Partnerschaft;Anlass;Von;Bis",
            "Kiel–Qingdao (Beispiel);Besuch (Beispiel);10.05.2024;01.05.2024",
            Visit,
            4,
            ("visit", {"start_date": date(2024, 5, 10), "end_date": date(2024, 5, 1)}),
        ),
        (
            "Vorfälle",
            "Partnerschaft;Kurz;Datum;Gemeldet am",
            "Kiel–Qingdao (Beispiel);Anwerbeversuch (Beispiel);10.05.2024;09.05.2024",
            Incident,
            4,
            ("incident", {"date": date(2024, 5, 10), "reported_on": date(2024, 5, 9)}),
        ),
    ],
)
def test_the_import_refuses_a_register_entry_out_of_order_with_the_editor_s_words(
    db, tmp_path, kind, header, row, model, column, editor_values
):
    _partnership(db)
    path = _csv(tmp_path, f"{header}\r\n{row}\r\n")
    result = import_dataset(db, path, ImportOptions(kind=kind))
    [editor_says] = validation.order_errors(*editor_values).values()
    assert result.status == REJECTED
    [problem] = [p for p in result.problems if p.message == editor_says]
    assert (problem.line, problem.column) == (2, column)
    with db.session() as s:
        assert s.scalars(select(model)).all() == []  # all or nothing


def test_the_command_line_import_says_it_in_german(tmp_path, capsys, monkeypatch):
    monkeypatch.delenv("CHINADIALOG_LANG", raising=False)
    path = tmp_path / "d #1 ä.sqlite3"
    database = Database.open(path)
    try:
        _partnership(database)
    finally:
        database.close()
    sheet = _csv(
        tmp_path,
        "Partnerschaft;Anlass;Von;Bis\r\nKiel–Qingdao (Beispiel);Besuch;10.05.2024;01.05.2024\r\n",
    )
    assert main(["--db", str(path), "import", str(sheet), "--kind", "Delegationsreisen"]) != 0
    out = capsys.readouterr()
    assert "Das Ende liegt vor dem Beginn." in out.out + out.err
    database = Database.open(path)
    try:
        with database.session() as s:
            assert s.scalars(select(Visit)).all() == []
    finally:
        database.close()


# --- two actors with one name ------------------------------------------------------------


def _actors(db, *names: str) -> list[str]:
    uuids = []
    with db.session() as s:
        for name in names:
            uuids.append(records.create(s, "actor", {"name_de": name}).uuid)
    return uuids


def test_a_name_another_actor_has_is_refused_in_any_spelling(db):
    first, second = _actors(db, "Stadt Beispielstadt", "Landkreis Musterkreis")
    with db.session() as s:
        records.update(s, "actor", first, "name_zh", "样例市")
    with db.session() as s:
        said = records.name_error(s, "actor", second, "name_de", "stadt  BEISPIELSTADT")
        assert said == validation.same_name_error("stadt  BEISPIELSTADT")
        assert records.name_error(s, "actor", second, "name_en", "样例市") == (
            validation.same_name_error("样例市")
        )
        # its own name, another name, a field that is no name, a kind whose names repeat
        assert records.name_error(s, "actor", first, "name_de", "Stadt Beispielstadt") is None
        assert records.name_error(s, "actor", second, "name_de", "Stadt Andersort") is None
        assert records.name_error(s, "actor", second, "region", "Stadt Beispielstadt") is None
        assert records.name_error(s, "contact", None, "name", "Stadt Beispielstadt") is None


def test_the_import_refuses_renaming_an_actor_to_another_s_name_with_the_same_words(db, tmp_path):
    first, second = _actors(db, "Stadt Beispielstadt", "Landkreis Musterkreis")
    path = _csv(tmp_path, f"uuid;name_de\r\n{second};Stadt Beispielstadt\r\n")
    result = import_dataset(db, path, ImportOptions(kind="actors"))
    assert result.status == REJECTED
    [problem] = [p for p in result.problems if p.line == 2]
    assert problem.message == validation.same_name_error("Stadt Beispielstadt")
    with db.session() as s:
        assert s.scalars(select(Actor.name_de).order_by(Actor.id)).all() == [
            "Stadt Beispielstadt",
            "Landkreis Musterkreis",
        ]
    # A row naming an actor by its own name (or finding it by name) is still an update.
    again = _csv(tmp_path, f"uuid;name_de;region\r\n{first};Stadt Beispielstadt;Niedersachsen\r\n")
    result = import_dataset(db, again, ImportOptions(kind="actors"))
    assert result.status != REJECTED, result.problems.format()


def test_the_same_name_sentence_is_german_for_german_users(german):
    assert _(
        "Another actor already has the name '{name}'; two actors with one name could "
        "not be told apart. Add what distinguishes them (e.g. the district or the "
        "province)."
    ).startswith("Ein anderer Akteur")
    assert BY_KEY["incidents"].label == REGISTRY[Kind.INCIDENT].plural


# --- lists and search read the registry ----------------------------------------------------


def test_list_filters_are_the_registry_s_fields_with_their_captions_and_vocabularies():
    assert list_filters(Kind.ACTOR) == (
        ("kind", "Kind", ActorKind),
        ("country", "Country", None),
        ("province", "State / province", None),
    )
    # A partnership is filtered by its own type and status and by its parties' country.
    keys = [key for key, _caption, _vocabulary in list_filters(Kind.PARTNERSHIP)]
    assert keys == ["type", "status", "field_of_action", "country", "province"]
    assert list_filters(Kind.PARTNERSHIP)[0] == ("type", "Type", PartnershipType)
    for kind in (Kind.PARTNERSHIP, Kind.ACTOR, Kind.SOURCE):
        assert lists.FILTERS[kind.value] == tuple(k for k, _c, _v in list_filters(kind))


def _one_word_per_searched_field(db, kind: Kind) -> dict[str, str]:
    """A record of ``kind`` with a made-up word in each field the registry marks as
    searched (a partnership for the kinds that belong to one); field → word."""
    entry = REGISTRY[kind]
    words = {f.name: f"wort{kind.value}{i}x" for i, f in enumerate(entry.searched_fields())}
    values: dict = {entry.title_field: f"Beispiel {kind.value}"}
    for f in entry.searched_fields():
        values[f.name] = 2024 if f.value_type == "int" else words[f.name]
    if kind is Kind.SOURCE:
        words.pop("year")
        values["url"] = words["url"] = "https://wortsourcex.example"
    if kind is Kind.ACTOR:  # its codes have their forms
        values["ags"], values["uscc"] = words["ags"], words["uscc"] = (
            "03101000",
            "914403001922038216",
        )
        values["website"] = words["website"] = "https://wortactorx.example"
    for f in entry.fields:  # a required date (an activity's, a register entry's)
        if f.required and f.value_type == "date":
            values[f.name] = date(2024, 5, 1)
    with db.session() as s:
        if entry.parent is not None:
            values["partnership_id"] = records.create(s, "partnership", {"title": "P"}).id
        records.create(s, kind.value, values)
    return words


# Every kind the registry alone describes for the search (the registers included).
_SEARCHED_BY_THE_REGISTRY = [k for k, e in REGISTRY.items() if e.search_subtitle is not None]


def test_the_registers_are_searched_by_the_registry():
    assert set(REGISTER_KINDS) <= set(_SEARCHED_BY_THE_REGISTRY)
    assert list(REGISTRY_SEARCHED) == sorted(_SEARCHED_BY_THE_REGISTRY, key=KIND_CODES.get)


def test_the_index_codes_are_those_index_files_hold():
    """The codes are stored in every index file's rowids: a renumbered kind would show
    an older file's visits as gifts. Now written in the registry, they stay as they were."""
    assert KIND_CODES == {
        "partnership": 1,
        "actor": 2,
        "activity": 3,
        "contact": 4,
        "source": 5,
        "dossier": 6,
        "visit": 7,
        "gift": 8,
        "counterpart": 9,
        "incident": 10,
    }
    # The registers came with version 4: an index of version 3 gets only them.
    assert {k for k, v in KIND_SINCE.items() if v > 1} == set(REGISTER_KINDS)
    assert all(KIND_SINCE[k] == 4 for k in REGISTER_KINDS)
    # Each kind's own table and the tables partnerships and dossiers read beside theirs.
    assert set(WATCHED) == {*KIND_CODES, "partnership_party", "dossier_section"}


@pytest.mark.parametrize("kind", _SEARCHED_BY_THE_REGISTRY)
def test_every_searched_field_finds_its_record_in_the_index_and_the_fallback(db, kind):
    words = _one_word_per_searched_field(db, kind)
    assert words
    for name, word in words.items():
        with db.session() as s:
            found = {g.kind: [h.title for h in g.hits] for g in search(s, word).groups}
        assert found.get(kind.value) == [f"Beispiel {kind.value}"], (name, word)
        if REGISTRY[kind].field(name).value_type == "text":  # type: ignore[union-attr]
            with db.session() as s:
                groups = search_like(s, word).groups
            found = {g.kind: [h.title for h in g.hits] for g in groups}
            assert found.get(kind.value) == [f"Beispiel {kind.value}"], (name, word)


def test_no_module_outside_domain_keeps_a_table_of_the_registers():
    """The registers' own tables (models, captions, import words, required fields) were
    dict literals keyed "visit", "gift" … in several modules; they derive from the registry
    now, and a new one is caught here (two or more register keys in one dict literal)."""
    keys = {k for r in REGISTERS for k in (r.record_kind, r.key)}
    package = Path(__file__).resolve().parents[2] / "chinadialog_desktop"
    offenders = []
    for path in sorted(package.rglob("*.py")):
        if path.parent.name == "domain":
            continue
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Dict):
                found = {
                    k.value for k in node.keys if isinstance(k, ast.Constant) and k.value in keys
                }
                if len(found) >= 2:
                    offenders.append(f"{path.relative_to(package)}:{node.lineno}")
    assert offenders == []


def test_the_service_refuses_a_name_another_actor_has(db):
    """Not only the editor's check: an edit that reaches the service another way (a kept
    edit saved after the team server came back, a command) is held to the same rule."""
    from chinadialog_desktop.errors import UserError
    from chinadialog_desktop.services.records import edit as records_edit

    with db.session() as s:
        records_edit.create(
            s, "actor", {"name_de": "Stadt Nord (Beispiel)", "kind": "municipality"}
        )
        other = records_edit.create(
            s, "actor", {"name_de": "Stadt Süd (Beispiel)", "kind": "municipality"}
        )
    with pytest.raises(UserError, match="stadt nord"), db.session() as s:
        records_edit.update(s, "actor", other.uuid, "name_de", "stadt nord (beispiel)")
    with db.session() as s:
        assert records_edit.get(s, "actor", other.uuid).name_de == "Stadt Süd (Beispiel)"
