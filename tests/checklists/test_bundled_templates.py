"""The templates shipped in resources/checklists: valid, big enough, bilingual, sourced."""

from __future__ import annotations

import json
import re
from pathlib import Path

import jsonschema
import pytest

from chinadialog_desktop.domain.checklist import SectionKind
from chinadialog_desktop.domain.enums import FieldOfAction
from chinadialog_desktop.interchange.checklist_yaml import check_file, plain_document
from chinadialog_desktop.paths import resources_dir
from chinadialog_desktop.services.assessment.checklists import bundled_files

ROOT = Path(__file__).resolve().parents[2]
BUNDLED = sorted((ROOT / "resources" / "checklists").glob("*.yaml"))
MINIMUM_ITEMS = {
    "leitplanken-kommunal.yaml": 40,
    "hochschule-forschung.yaml": 20,
    "investitionen-kritis.yaml": 15,
    "vereinbarung-loi-mou.yaml": 15,
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
def test_texts_cite_questions_by_number_never_by_internal_id(path):
    """Guidance read by an official says "Frage 2.3", never "partner-03"."""
    t = check_file(path).template
    ids = set(t.item_ids())
    found = []
    for item in t.items():
        for text in (item.question.de, item.question.en, item.guidance.de, item.guidance.en):
            found += [(item.id, i) for i in ids if re.search(rf"\b{re.escape(i)}\b", text)]
    assert found == []


@pytest.mark.parametrize("path", BUNDLED, ids=lambda p: p.name)
def test_bundled_template_matches_the_json_schema(path):
    schema = json.loads((ROOT / "docs" / "checklist.schema.json").read_text(encoding="utf-8"))
    errors = list(jsonschema.Draft202012Validator(schema).iter_errors(plain_document(path)))
    assert errors == [], [e.message for e in errors[:5]]


def test_guardrails_weigh_six_fields_of_opportunity_after_the_risks():
    t = check_file(ROOT / "resources" / "checklists" / "leitplanken-kommunal.yaml").template
    kinds = [s.kind for s in t.sections]
    first_chance = kinds.index(SectionKind.CHANCE)
    assert all(k is SectionKind.CHANCE for k in kinds[first_chance:])  # a block at the end
    chance = t.sections[first_chance:]
    assert [s.id for s in chance] == [
        "chance_exchange",
        "chance_economy",
        "chance_climate",
        "chance_culture",
        "chance_education",
        "chance_competence",
    ]
    for section in chance:
        assert section.title.de.startswith("Chance: ")
        for item in section.items:
            assert item.chance and not item.risk and not item.blocker, item.id
            assert item.max_chance_points == 3 and item.sources, item.id


def test_blockers_exclude_only_on_answers_that_are_genuine_exclusion_criteria():
    """An open question ("Unklar") or a partial answer is a risk to resolve, not an
    exclusion: every blocker of the guardrails names the answers that exclude."""
    t = check_file(ROOT / "resources" / "checklists" / "leitplanken-kommunal.yaml").template
    blockers = {i.id: i for i in t.items() if i.blocker}
    assert "partner-05" not in blockers  # links of a city government: a matter of degree
    assert {"partner-03", "values-01", "security-01", "economy-02"} <= set(blockers)
    for item in blockers.values():
        assert item.blocker_answers, f"{item.id}: name the answers that exclude"
        assert not {"unknown", "partly", "unchecked"} & set(item.blocker_answers), item.id
        assert all(item.excludes(code) for code in item.blocker_answers)
    assert blockers["partner-03"].blocker_answers == ("listed",)
    assert not blockers["partner-03"].excludes("unchecked")


@pytest.mark.parametrize("path", BUNDLED, ids=lambda p: p.name)
def test_no_bundled_blocker_fires_on_an_open_or_partial_answer(path):
    """In every bundled checklist, "Unklar" or "Teilweise" leaves a question open to resolve;
    only the answers a blocker names exclude."""
    t = check_file(path).template
    for item in (i for i in t.items() if i.blocker):
        assert item.blocker_answers, f"{item.id}: name the answers that exclude"
        for code in ("unknown", "partly", "unchecked"):
            assert not item.excludes(code), (item.id, code)


def test_guardrails_cover_all_ten_fields_of_action():
    t = check_file(ROOT / "resources" / "checklists" / "leitplanken-kommunal.yaml").template
    risk = [s for s in t.sections if s.kind is SectionKind.RISK]
    assert [s.id for s in risk] == [f.value for f in FieldOfAction]
    assert all(len(s.items) >= 4 for s in risk)
    assert any(i.blocker for i in t.items())
    assert any(i.depends_on for i in t.items())
    assert any(i.applies_to for i in t.items())
    assert any(i.scale for i in t.items())


# --------------------------------------------------------------------------- sources and editions

# Sites that re-host other people's documents. A source must point to its publisher
# (or a reputable report on it), never to a copy on one of these.
DOCUMENT_SCRAPERS = (
    "docslib.org",
    "5dok.net",
    "9dok.net",
    "docplayer",
    "docsplayer",
    "doczz",
    "readkong",
    "fdokument",
    "fdocument",
    "expydoc",
    "studylib",
    "pdfcoffee",
    "vdocuments",
    "dokumen.pub",
    "scribd.com",
    "yumpu.com",
    "kipdf",
    "silo.tips",
)

# The published editions of the bundled templates: version → content fingerprint
# (ChecklistTemplate.sha256, independent of layout and comments). A changed template
# needs a higher version (docs/checklist-format.md, "Versions and import"); add the new
# edition here when you publish it. Editions already shipped keep their line.
EDITIONS = {
    "urn:chinadialog:checklist:leitplanken-kommunal": {
        1: "374c8fa128c752e77c299918003a9462620b3d20ed7b3964b5b3ad1f6d462268",
        2: "e3afb54bbae1b39f27a912723761a9dc87a0b3fb2ae6de8cf6ed07453cb65425",
        3: "13e644bdb41725b465e7261a33da6445e6c63ba8676b12e428c2cd84f6c4618a",
        4: "996dd00c059e579e2475376c2fe083a5ad53ee2b1983768fef1dff06878d2169",
    },
    "urn:chinadialog:checklist:hochschule-forschung": {
        1: "6fec6b03dab2d7217d3a836b9f49f8e047a06311143a72603f3a1a3277f4318c",
        2: "df5053a6f33d2f71567979a8ce5a7414e33dbded7570274fd9d840638dd7e015",
        3: "b14a037ef1d79d4306ce1bc757d57977a54ea8970b60806a23cb54770e02c3cb",
        4: "38c2cac1ff5c28547d96218f8fa26e90374ee3bf00c84d08d9055875cda8b618",
    },
    "urn:chinadialog:checklist:investitionen-kritis": {
        1: "affcd98f8afb01b5f6c4dabcb098da38a4c4074af168af5fe97715c400a76e86",
        2: "3238981c81c048917f58e89f32338a6b76a86aa9319a9a97057c09da89e5a70c",
        3: "3c45c5c8c1517d8598b66850262d4e946291f6a4e2d82593fa133a36a0b2b31e",
        4: "53c29a4541bbdad242a705f180ffff7b255e704fefd50cddbf20548347c6cdd7",
        5: "479547e7f75283fb32cbb8b9e0d4b9f388c76e73d8511d00dd67f24579695ca9",
    },
    "urn:chinadialog:checklist:vereinbarung-loi-mou": {
        1: "3c47847ab581f1404e2e6ccb6ab442e6144ba0122b51f94bc043823613818548",
        2: "556eda4fb048c2155feaad9e96af094d49a7ba14360de5327297d7ceeb5a2c29",
        3: "55bc3f124fba36c4ee2a9ad5bbbab44b385701209fc95c58701024d3f682d885",
    },
}


@pytest.mark.parametrize("path", BUNDLED, ids=lambda p: p.name)
def test_every_cited_source_is_in_the_register_with_publisher_year_title_and_address(path):
    t = check_file(path).template
    register = {r.id: r for r in t.references}
    cited = {source for item in t.items() for source in item.sources}
    assert cited, path.name
    for ref_id in sorted(cited):
        ref = register.get(ref_id)
        assert ref is not None, f"{path.name}: {ref_id} is cited but not in the register"
        assert ref.title and ref.title.strip(), ref_id
        assert ref.publisher and ref.publisher.strip(), ref_id
        assert isinstance(ref.year, int) and 1800 <= ref.year <= 2100, ref_id
        assert ref.url and ref.url.startswith(("https://", "http://")), ref_id


def _all_sources() -> list[tuple[str, str, str]]:
    """(where, title, url) of every reference of every bundled template and of the demo data."""
    import yaml

    rows = []
    for path in BUNDLED:
        for ref in check_file(path).template.references:
            rows.append((f"{path.name}:{ref.id}", ref.title, ref.url or ""))
    demo = yaml.safe_load((ROOT / "resources" / "demo" / "demo.yaml").read_text("utf-8"))
    for src in demo["sources"]:
        rows.append((f"demo.yaml:{src['key']}", " ".join(src["title"].split()), src.get("url", "")))
    return rows


def test_no_source_is_hosted_on_a_document_scraper_site():
    hits = [(w, url) for w, _, url in _all_sources() if any(s in url for s in DOCUMENT_SCRAPERS)]
    assert hits == []


def test_one_title_per_document():
    """The same address is cited under one title everywhere; a shared id means one entry."""
    titles: dict[str, set[str]] = {}
    for _, title, url in _all_sources():
        if url:
            titles.setdefault(url.rstrip("/"), set()).add(title)
    assert {u: t for u, t in titles.items() if len(t) > 1} == {}
    by_id: dict[str, set[tuple]] = {}
    for path in BUNDLED:
        for ref in check_file(path).template.references:
            by_id.setdefault(ref.id, set()).add((ref.title, ref.publisher, ref.year, ref.url))
    assert {i: e for i, e in by_id.items() if len(e) > 1} == {}


@pytest.mark.parametrize("path", BUNDLED, ids=lambda p: p.name)
def test_a_changed_template_carries_a_new_version(path):
    t = check_file(path).template
    editions = EDITIONS.get(t.id)
    assert editions, f"{t.id}: record its editions in EDITIONS"
    assert t.version == max(editions), f"{path.name}: version {t.version} is not the newest edition"
    assert editions[t.version] == t.sha256(), (
        f"{path.name} changed without a new version: raise 'version' and record the new "
        f"fingerprint {t.sha256()} as edition {t.version + 1} in EDITIONS"
    )


def _texts(t) -> str:
    parts = [t.title.de, t.title.en, t.description.de, t.description.en]
    for item in t.items():
        parts += [item.question.de, item.question.en, item.guidance.de, item.guidance.en]
    parts += [f"{r.title} {r.publisher or ''}" for r in t.references]
    return "\n".join(parts)


@pytest.mark.parametrize("path", BUNDLED, ids=lambda p: p.name)
def test_names_of_today(path):
    """Ministries by their names after the 2025 reorganisation; KRITIS after the NIS-2 law."""
    text = _texts(check_file(path).template)
    assert "BMWK" not in text and "Wirtschaft und Klimaschutz" not in text
    for line in text.splitlines():
        if "BMBF" in line:
            assert "BMFTR" in line or "Bundesministerium für Forschung, Technologie" in line, line
    assert "BSI-Kritisverordnung" not in text
    assert "interessengeleitet" not in text and "risikoreflektiert" not in text


def test_one_china_item_names_the_prc_principle_not_the_federal_policy():
    t = check_file(ROOT / "resources" / "checklists" / "leitplanken-kommunal.yaml").template
    item = next(i for i in t.items() if i.id == "values-01")
    assert "„Ein-China-Prinzip“" in item.question.de and "Ein-China-Politik" not in item.question.de
    assert "one China principle" in item.question.en
    for text in (item.guidance.de, item.guidance.en):
        assert ("Ein-China-Prinzip" in text and "Ein-China-Politik" in text) or (
            "one China principle" in text and "one China policy" in text
        )


def test_agreement_review_goes_through_the_draft_clause_by_clause():
    """The LoI/MoU review covers each clause area once, and its only exclusion criterion
    is a commitment to the PRC's one China principle (not the Federal Government's policy)."""
    t = check_file(ROOT / "resources" / "checklists" / "vereinbarung-loi-mou.yaml").template
    assert [s.id for s in t.sections] == [
        "zweck",
        "gegenseitigkeit",
        "daten",
        "politik",
        "ausstieg",
        "veroeffentlichung",
        "streit",
        "sprache",
    ]
    assert all(s.items for s in t.sections)
    assert [i.id for i in t.items() if i.blocker] == ["mou-politik-01"]
    item = next(i for i in t.items() if i.blocker)
    assert "„Ein-China-Prinzip“" in item.question.de and "Ein-China-Politik" not in item.question.de
    assert "one China principle" in item.question.en
    assert "Ein-China-Politik" in item.guidance.de and "one China policy" in item.guidance.en
    assert not any(i.applies_to for i in t.items()), "a draft agreement can come from any partner"


def test_new_topics_sit_inside_their_fields_of_action():
    """Issue 14, point 4: each missing topic is a question in the field it belongs to."""
    lk = check_file(ROOT / "resources" / "checklists" / "leitplanken-kommunal.yaml").template
    section_of = {i.id: s.id for s in lk.sections for i in s.items}
    expected = {
        "supply_chains-05": "supply_chains",  # forced labour, LkSG
        "data_cyber-05": "data_cyber",  # donated masks, cameras, smart-city hardware
        "education_culture-05": "education_culture",  # seconded Chinese staff
        "values-06": "values",  # diaspora, transnational repression
        "security-07": "security",  # delegation travel, device hygiene
        "governance-07": "governance",  # gifts and hospitality
        "partner-02": "partner",  # United Front Work Department
        "security-06": "security",  # HinSchG
    }
    assert {k: section_of.get(k) for k in expected} == expected
    assert (
        "Zentralabteilung Vereinigte Arbeitsfront"
        in next(i for i in lk.items() if i.id == "partner-02").guidance.de
    )
    ik = check_file(ROOT / "resources" / "checklists" / "investitionen-kritis.yaml").template
    ik_section = {i.id: s.id for s in ik.sections for i in s.items}
    assert ik_section["ik-abh-04"] == "abhaengigkeit"  # battery and hydrogen
    assert ik_section["ik-beschaffung-01"] == "beschaffung"  # IPI, medical devices
    assert ik_section["ik-beschaffung-02"] == "beschaffung"  # FSR in procurement
