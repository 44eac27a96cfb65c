"""Importing a reference list screens what it added, so new hits appear without a full run."""

from __future__ import annotations

import json

import pytest

from chinadialog_desktop.cli import main

ENTITY = {
    "id": "cn-zhuhai-gov",
    "schema": "PublicBody",
    "properties": {
        "name": ["Zhuhai Municipal People's Government", "珠海市人民政府"],
        "alias": ["珠海市"],
        "country": ["cn"],
        "topics": ["gov.muni"],
    },
}


@pytest.mark.both_engines
def test_reflist_import_runs_a_delta_screening(db_url, tmp_path, capsys):
    db = db_url
    assert main(["--lang", "en", "--db", db, "demo", "load"]) == 0
    listing = tmp_path / "list.ftm.json"
    listing.write_text(json.dumps(ENTITY, ensure_ascii=False) + "\n", encoding="utf-8")
    capsys.readouterr()
    assert (
        main(
            [
                "--lang",
                "en",
                "--db",
                db,
                "reflist",
                "import",
                str(listing),
                "--key",
                "test_list",
                "--name",
                "Testliste",
            ]
        )
        == 0
    )
    out = capsys.readouterr().out
    assert "Screening of what changed: " in out
    assert "0 new hits" not in out
    assert main(["--lang", "en", "--db", db, "screen", "hits", "--json"]) == 0
    hits = json.loads(capsys.readouterr().out)
    assert any(h.get("entity_key") == "cn-zhuhai-gov" for h in hits)


@pytest.mark.both_engines
def test_no_screen_option_skips_it(db_url, tmp_path, capsys):
    db = db_url
    listing = tmp_path / "list.ftm.json"
    listing.write_text(json.dumps(ENTITY, ensure_ascii=False) + "\n", encoding="utf-8")
    assert (
        main(
            [
                "--lang",
                "en",
                "--db",
                db,
                "reflist",
                "import",
                str(listing),
                "--key",
                "k",
                "--no-screen",
            ]
        )
        == 0
    )
    assert "Screening of what changed" not in capsys.readouterr().out
