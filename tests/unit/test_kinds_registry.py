"""The registry of record kinds (``domain.kinds``) is the one source its users derive from.

Names are invented (Beispiel).
"""

from __future__ import annotations

import ast
import json
from pathlib import Path

import jsonschema
import pytest
from sqlalchemy import String

import chinadialog_desktop
from chinadialog_desktop.domain.folding import fold
from chinadialog_desktop.domain.kinds import REGISTRY, Kind, Rule, lookup_kind, records_schema
from chinadialog_desktop.paths import records_schema_file
from chinadialog_desktop.persistence.models import MODELS
from chinadialog_desktop.services.datasets.export import export_dataset
from chinadialog_desktop.services.datasets.importing import REJECTED, ImportOptions, import_dataset
from chinadialog_desktop.services.datasets.kinds import KINDS, resolve_kind
from chinadialog_desktop.services.datasets.mapping import lookup
from chinadialog_desktop.services.demo import load_demo
from chinadialog_desktop.services.records import validation

PACKAGE = Path(chinadialog_desktop.__file__).parent


def test_every_stored_field_is_a_column_of_its_table_with_its_length():
    for kind, model in MODELS.items():
        columns = model.__table__.c  # type: ignore[attr-defined]
        for field in REGISTRY[kind].stored_fields():
            assert field.name in columns, (kind, field.name)
            column_type = columns[field.name].type
            if field.max_length is not None and isinstance(column_type, String):
                assert column_type.length == field.max_length, (kind, field.name)


def test_the_import_and_export_specs_are_the_registry():
    for entry in REGISTRY.values():
        spec = KINDS[entry.file_key]
        assert spec.names == entry.names
        assert spec.model is MODELS[entry.kind]
        assert spec.title_field == entry.title_field
        assert [f.caption for f in spec.fields] == [f.caption for f in entry.fields]


def test_required_fields_of_the_editor_are_the_registry_s():
    for entry in REGISTRY.values():
        assert validation.REQUIRED[entry.kind.value] == tuple(
            f.name for f in entry.fields if f.required
        )


@pytest.mark.parametrize(
    ("word", "kind"),
    [
        ("actors", Kind.ACTOR),
        ("Akteure", Kind.ACTOR),
        ("akteur", Kind.ACTOR),
        ("Partnerschaften", Kind.PARTNERSHIP),
        ("partnership", Kind.PARTNERSHIP),
        ("Aktivitäten", Kind.ACTIVITY),
        ("Aktivitaeten", Kind.ACTIVITY),
        ("Quellen", Kind.SOURCE),
        ("Kontakte", Kind.CONTACT),
        ("Kontakt", Kind.CONTACT),
    ],
)
def test_german_and_english_words_name_a_kind(word, kind):
    assert lookup_kind(word) is kind
    spec = resolve_kind(word)
    assert spec is not None and spec.key == REGISTRY[kind].file_key


def test_words_that_are_no_kind_name_none():
    assert lookup_kind("dossier") is None
    assert lookup_kind("mixed") is None
    assert resolve_kind("") is None


@pytest.mark.parametrize(
    ("kind", "header", "field"),
    [
        ("partnerships", "Kommune (DE)", "german_party"),
        ("partnerships", "Partner (CN)", "chinese_party"),
        ("partnerships", "Partnerstadt", "chinese_party"),
        ("actors", "Chinesischer Name", "name_zh"),
        ("actors", "Name (Chinesisch)", "name_zh"),
        ("actors", "Kommune (DE)", "name_de"),
        ("contacts", "Chinesischer Name", "name_zh"),
        ("contacts", "Name (Chinesisch)", "name_zh"),
    ],
)
def test_headers_people_write_map_to_their_field(kind, header, field):
    assert lookup(KINDS[kind])[fold(header)] == field


# One bad value per rule and per length limit the registry declares, for the kinds an
# import of one flat table creates on its own (with the name column they need).
_BAD = {
    Rule.AGS: "0310100",
    Rule.URL: "www.beispiel-stadt.de",
    Rule.EMAIL: "erika(at)beispiel",
    Rule.COUNTRY: "XYZ",
}
_NAME_COLUMN = {Kind.ACTOR: "name_de", Kind.CONTACT: "name", Kind.SOURCE: "title"}


def _cases() -> list[tuple[Kind, str, str]]:
    cases = []
    for kind, name_column in _NAME_COLUMN.items():
        for field in REGISTRY[kind].fields:
            if field.name == name_column or not field.stored:
                continue
            if field.rule in _BAD:
                cases.append((kind, field.name, _BAD[field.rule]))
            elif field.rule is Rule.USCC:
                cases.append((kind, field.name, "ABC"))
                cases.append((kind, field.name, "914403001922038217"))  # wrong check character
            elif field.max_length is not None and field.value_type == "text":
                cases.append((kind, field.name, "x" * (field.max_length + 1)))
    return cases


@pytest.mark.parametrize(("kind", "name", "value"), _cases())
def test_what_the_editor_refuses_the_import_refuses_with_the_same_words(
    db, tmp_path, kind, name, value
):
    editor_says = validation.field_error(kind.value, name, value)  # the editor's check
    assert editor_says is not None
    name_column = _NAME_COLUMN[kind]
    path = tmp_path / "daten.csv"
    path.write_text(
        f"{name_column};{name}\r\nBeispiel (gut);\r\nBeispiel (schlecht);{value}\r\n",
        encoding="utf-8",
    )
    result = import_dataset(db, path, ImportOptions(kind=REGISTRY[kind].file_key))
    assert result.status == REJECTED
    [problem] = [p for p in result.problems if p.line == 3]
    assert problem.message == editor_says
    assert (problem.column, problem.header) == (2, name)


def test_the_editor_refuses_an_over_long_name_as_the_import_does():
    field = REGISTRY[Kind.ACTOR].field("name_de")
    assert field is not None and field.max_length == 300
    assert validation.field_error("actor", "name_de", "x" * 300) is None
    assert "300" in str(validation.field_error("actor", "name_de", "x" * 301))


def test_a_json_export_fits_the_records_schema(db, tmp_path):
    with db.session() as s:
        load_demo(s)
    out = tmp_path / "daten.json"
    with db.session() as s:
        export_dataset(s, "json", out)
    document = json.loads(out.read_text(encoding="utf-8"))
    schema = records_schema()
    jsonschema.Draft202012Validator.check_schema(schema)
    records = {k: v for k, v in document["records"].items() if k in schema["properties"]}
    assert set(records) == {entry.file_key for entry in REGISTRY.values()}
    jsonschema.validate(records, schema)
    actor = dict(records["actors"][0], website="www.beispiel-stadt.de")
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.validate({"actors": [actor]}, schema)


def test_the_published_records_schema_is_the_registrys(db, tmp_path):
    """The schema shipped in the app's resources and its copy in docs/ are written from the
    registry (tools/records_schema.py): a stale copy fails here, and a JSON export fits the
    file as shipped."""
    shipped = records_schema_file()
    docs = Path(__file__).resolve().parents[2] / "docs" / shipped.name
    published = json.loads(shipped.read_text(encoding="utf-8"))
    assert published == json.loads(json.dumps(records_schema())), "run tools/records_schema.py"
    assert docs.read_bytes() == shipped.read_bytes(), "run tools/records_schema.py"
    with db.session() as s:
        load_demo(s)
    out = tmp_path / "daten.json"
    with db.session() as s:
        export_dataset(s, "json", out)
    records = json.loads(out.read_text(encoding="utf-8"))["records"]
    jsonschema.validate(
        {k: v for k, v in records.items() if k in published["properties"]}, published
    )


# --- nothing outside domain/ writes the registry's data again --------------------------


def _registry_pairs() -> dict[Kind, set[tuple[str, str]]]:
    return {
        entry.kind: {
            (f.name, caption)
            for f in entry.fields
            for caption in (f.caption, f.list_caption)
            if caption is not None
        }
        for entry in REGISTRY.values()
    }


def _kind_keys() -> set[str]:
    return {k for entry in REGISTRY.values() for k in (entry.kind.value, entry.file_key)}


def _kind_facts() -> set[str]:
    """What the registry says of a kind in words: names, file key, title field, icon."""
    return {
        text
        for entry in REGISTRY.values()
        for text in (entry.singular, entry.plural, entry.file_key, entry.title_field, entry.icon)
    }


def _text(node: ast.AST | None) -> str | None:
    """A string literal, also inside N_(…)."""
    if isinstance(node, ast.Call) and getattr(node.func, "id", None) == "N_" and node.args:
        node = node.args[0]
    return node.value if isinstance(node, ast.Constant) and isinstance(node.value, str) else None


def _caption_pairs(node: ast.AST) -> set[tuple[str, str]]:
    """("field", N_("Caption")) pairs of a tuple, a call's first two arguments or a dict."""
    items: list[tuple[ast.AST | None, ast.AST]] = []
    if isinstance(node, ast.Dict):
        items = list(zip(node.keys, node.values, strict=True))
    elif isinstance(node, ast.Tuple) and len(node.elts) >= 2:
        items = [(node.elts[0], node.elts[1])]
    elif isinstance(node, ast.Call) and len(node.args) >= 2:
        items = [(node.args[0], node.args[1])]
    found = set()
    for key, value in items:
        if (
            isinstance(key, ast.Constant)
            and isinstance(key.value, str)
            and isinstance(value, ast.Call)
            and getattr(value.func, "id", None) == "N_"
            and value.args
            and isinstance(value.args[0], ast.Constant)
        ):
            found.add((key.value, str(value.args[0].value)))
    return found


def test_no_module_outside_domain_repeats_the_registry_s_tables():
    """A caption table of a kind (three or more of its fields with the registry's captions),
    or a table of three or more kinds with their names, file keys, title fields or icons,
    belongs in ``domain.kinds``, not in a copy. (Tables of per-list behaviour keyed by
    kind, such as search SQL or filters, are not registry data and are not flagged.)"""
    pairs = _registry_pairs()
    kind_keys, kind_facts = _kind_keys(), _kind_facts()
    offenders = []
    for path in sorted(PACKAGE.rglob("*.py")):
        if path.parent.name == "domain":
            continue
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            if isinstance(node, ast.Dict):  # {"actors": N_("Actors"), "sources": …}
                facts = {
                    _text(k)
                    for k, v in zip(node.keys, node.values, strict=True)
                    if _text(k) in kind_keys and _text(v) in kind_facts
                }
                if len(facts) >= 3:
                    offenders.append(f"{path.relative_to(PACKAGE)}:{node.lineno} kinds")
            if isinstance(node, ast.Tuple | ast.List | ast.Dict):
                children = node.values if isinstance(node, ast.Dict) else node.elts
                found: set[tuple[str, str]] = set()
                for child in children:
                    found |= _caption_pairs(child)
                if isinstance(node, ast.Dict):
                    found |= _caption_pairs(node)
                for kind, known in pairs.items():
                    if len(found & known) >= 3:
                        offenders.append(f"{path.relative_to(PACKAGE)}:{node.lineno} {kind}")
    assert offenders == []


def test_the_table_check_finds_a_copied_caption_table():
    """The check above is not blind: a copy of the old actor editor's table is found."""
    copied = ast.parse(
        'SPECS = (FieldSpec("name_de", N_("Name (German)")), '
        'FieldSpec("name_en", N_("Name (English)")), '
        'FieldSpec("ags", N_("Municipality key (AGS)")))'
    )
    tuple_node = next(n for n in ast.walk(copied) if isinstance(n, ast.Tuple))
    found: set[tuple[str, str]] = set()
    for child in tuple_node.elts:
        found |= _caption_pairs(child)
    assert len(found & _registry_pairs()[Kind.ACTOR]) == 3
