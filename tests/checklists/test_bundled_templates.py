"""The templates shipped in resources/checklists: valid, big enough, bilingual, sourced."""

from __future__ import annotations

import json
from pathlib import Path

import jsonschema
import pytest

from chinadialog_desktop.domain.enums import FieldOfAction
from chinadialog_desktop.interchange.checklist_yaml import check_file, plain_document
from chinadialog_desktop.paths import resources_dir
from chinadialog_desktop.services.checklists import bundled_files

ROOT = Path(__file__).resolve().parents[2]
BUNDLED = sorted((ROOT / "resources" / "checklists").glob("*.yaml"))
MINIMUM_ITEMS = {
    "leitplanken-kommunal.yaml": 40,
    "hochschule-forschung.yaml": 20,
    "investitionen-kritis.yaml": 15,
}


def test_the_app_finds_the_same_files():
    assert resources_dir() == ROOT / "resources"
    assert [p.name for p in bundled_files()] == [p.name for p in BUNDLED]
    assert "leitplanken-kommunal.yaml" in [p.name for p in BUNDLED]


@pytest.mark.parametrize("name,minimum", sorted(MINIMUM_ITEMS.items()))
def test_item_count(name, minimum):
    path = ROOT / "resources" / "checklists" / name
    if not path.exists():
        pytest.skip(f"{name} is not (yet) bundled")
    result = check_file(path)
    assert result.issues == []
    assert len(result.template.item_ids()) >= minimum


@pytest.mark.parametrize("path", BUNDLED, ids=lambda p: p.name)
def test_bundled_template_is_complete(path):
    result = check_file(path)
    assert result.issues == [], "\n".join(map(str, result.issues))
    assert result.warnings == [], "\n".join(map(str, result.warnings))
    t = result.template
    assert t.title.de and t.title.en and t.description.de and t.description.en
    ref_ids = {r.id for r in t.references}
    for item in t.items():
        assert item.question.de.strip() and item.question.en.strip(), item.id
        assert item.guidance.de.strip() and item.guidance.en.strip(), item.id
        assert item.question.de != item.question.en, item.id
        assert item.sources and set(item.sources) <= ref_ids, item.id
    for ref in t.references:
        assert ref.url and ref.url.startswith("https://"), ref.id


@pytest.mark.parametrize("path", BUNDLED, ids=lambda p: p.name)
def test_bundled_template_matches_the_json_schema(path):
    schema = json.loads((ROOT / "docs" / "checklist.schema.json").read_text(encoding="utf-8"))
    errors = list(jsonschema.Draft202012Validator(schema).iter_errors(plain_document(path)))
    assert errors == [], [e.message for e in errors[:5]]


def test_guardrails_cover_all_ten_fields_of_action():
    t = check_file(ROOT / "resources" / "checklists" / "leitplanken-kommunal.yaml").template
    assert [s.id for s in t.sections] == [f.value for f in FieldOfAction]
    assert all(len(s.items) >= 4 for s in t.sections)
    assert any(i.blocker for i in t.items())
    assert any(i.depends_on for i in t.items())
    assert any(i.applies_to for i in t.items())
    assert any(i.scale for i in t.items())
