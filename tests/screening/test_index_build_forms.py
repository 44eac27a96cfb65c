"""Forms the list import writes by hand for speed must equal what the library would write.

The content hash decides whether a re-imported entity changed (and so whether a dismissed
hit stays dismissed); its canonical ``[schema, caption, target]`` is written directly
instead of through ``json.dumps``. Syllable-spelt legal forms ("you xian gong si") are
looked up by their first syllable; the properties' JSON comes from the json module's C
encoder, made once. These tests pin each to its definition, and check that the larger
page cache an import writes with is put back afterwards.
"""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

import pytest

from chinadialog_desktop.domain.names import normalize
from chinadialog_desktop.interchange.ftm import content_hash, properties_json
from chinadialog_desktop.persistence.database import Database
from chinadialog_desktop.persistence.rawsql import page_cache
from chinadialog_desktop.services.screening.reference_lists import import_reference_list
from tests.helpers.screening_lists import load_eval, write_ftm


def _by_the_definition(schema: str, caption: str, target: bool | None, props: str) -> str:
    canonical = json.dumps([schema, caption, target], ensure_ascii=False, separators=(",", ":"))
    digest = hashlib.sha256(canonical.encode("utf-8"))
    digest.update(b"\x1f")
    digest.update(props.encode("utf-8"))
    return digest.hexdigest()


@pytest.mark.parametrize(
    "caption",
    [
        "Huawei Technologies Co., Ltd.",
        '"Beispiel" \\ GmbH (Beispiel)',
        "Zeile eins\nZeile zwei\tTab\u2028Trenner\x00",
        "中兴通讯（香港）有限公司",
        "Müller & Söhne 𠀀",
        "",
    ],
)
@pytest.mark.parametrize("target", [True, False, None])
def test_content_hash_is_the_canonical_json_of_schema_caption_target(
    caption: str, target: bool | None
) -> None:
    props = '{"name":["A"]}'
    assert content_hash("Company", caption, target, props) == _by_the_definition(
        "Company", caption, target, props
    )


def test_content_hash_tells_targets_and_captions_apart() -> None:
    props = "{}"
    hashes = {content_hash("Company", c, t, props) for c in ("A", "B") for t in (True, False, None)}
    assert len(hashes) == 6


@pytest.mark.parametrize(
    ("name", "tokens", "removed"),
    [
        # a form in the middle and one at the end, each found where it starts
        ("Shen Zhen Gong Si Yan Jiu Yuan", ("shen", "zhen", "institute"), ("gong si",)),
        ("Ke Ji Gu Fen You Xian Gong Si", ("ke", "ji"), ("gu fen you xian gong si",)),
        # the longer form wins over its shorter start ("gu fen gong si", not "gu" kept)
        ("Hai Kang Gu Fen Gong Si", ("hai", "kang"), ("gu fen gong si",)),
        # a syllable that starts a form but is not followed by the rest stays a word
        ("Ji Xiang Da Hua", ("ji", "xiang", "da", "hua"), ()),
        ("Xi An Jiao Tong Da Xue", ("xi", "an", "jiao", "tong", "university"), ()),
    ],
)
def test_syllable_spelt_forms_are_found_wherever_they_start(
    name: str, tokens: tuple[str, ...], removed: tuple[str, ...]
) -> None:
    n = normalize(name)
    assert n.tokens == tokens
    assert tuple(r for r in n.removed if " " in r) == removed


def test_properties_json_is_the_compact_json_of_the_properties() -> None:
    props = {
        "zz": ['"Beispiel" \\ AG', "Zeile\u2028\x00中"],
        "A": [],
        "b_1": ["Müller (Beispiel)", "é"],
        "name": ["华为技术有限公司"],
    }
    compact = {"ensure_ascii": False, "separators": (",", ":")}
    assert properties_json(props) == json.dumps(props, sort_keys=True, **compact)  # type: ignore[arg-type]
    assert properties_json(props, sort=False) == json.dumps(props, **compact)  # type: ignore[arg-type]
    assert properties_json({}) == "{}"


def _cache_size(db: Database) -> int:
    with db.session() as session:
        return int(session.connection().exec_driver_sql("PRAGMA cache_size").scalar_one())


def test_page_cache_is_set_for_the_block_and_put_back(db: Database) -> None:
    with db.session() as session:
        conn = session.connection()
        before = conn.exec_driver_sql("PRAGMA cache_size").scalar_one()
        with page_cache(conn, 4096):
            assert conn.exec_driver_sql("PRAGMA cache_size").scalar_one() == -4096
        assert conn.exec_driver_sql("PRAGMA cache_size").scalar_one() == before
        with pytest.raises(RuntimeError), page_cache(conn, 8192):
            raise RuntimeError("(Beispiel)")
        assert conn.exec_driver_sql("PRAGMA cache_size").scalar_one() == before


def test_an_import_leaves_the_page_cache_as_it_found_it(db: Database, tmp_path: Path) -> None:
    before = _cache_size(db)
    path = write_ftm(tmp_path / "l.ftm.json", load_eval()["entities"][:50], "cache")
    result = import_reference_list(db, path, backup=False)
    assert result.ok and result.new == 50
    assert _cache_size(db) == before
