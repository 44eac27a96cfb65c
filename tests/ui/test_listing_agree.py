"""The window's lists and ``chinadialog list … --json`` show the same rows of one file."""

from __future__ import annotations

import json

import pytest

from chinadialog_desktop.cli import main
from chinadialog_desktop.persistence.models import Actor, Dossier, Partnership, PartnershipParty
from chinadialog_desktop.services.records import listing
from chinadialog_desktop.ui.window.workspace_setup import list_model

KINDS = {"partnership": "partnerships", "actor": "actors", "dossier": "dossiers"}


@pytest.fixture
def filled(demo_db):
    db = demo_db
    with db.session() as s:
        town = Actor(name_de="Öhringen (Beispiel)", kind="municipality", country="DE")
        city = Actor(name_de="Ürümqi (Beispiel)", name_zh="乌鲁木齐", kind="city", country="CN")
        p = Partnership(title="öffentliche Partnerschaft (Beispiel)", type="twin_city")
        p.parties = [
            PartnershipParty(actor=town, role="german", position=0),
            PartnershipParty(actor=city, role="chinese", position=1),
        ]
        s.add_all([p, Partnership(title="Ohne Parteien (Beispiel)", type="friendship")])
        s.add(Dossier(title="Ratsvorlage (Beispiel)"))
    return db


def _window_rows(db, kind):
    model = list_model(db, kind)
    return [model.row_at(n) for n in range(model.rowCount())]


@pytest.mark.parametrize("kind", sorted(KINDS))
def test_window_model_rows_are_the_cli_json_rows(qapp, filled, capsys, kind):
    capsys.readouterr()
    assert main(["--db", str(filled.path), "--lang", "en", "list", KINDS[kind], "--json"]) == 0
    cli = json.loads(capsys.readouterr().out)
    window = _window_rows(filled, kind)
    assert window and all(type(r) is type(window[0]) for r in window)
    assert isinstance(window[0], (listing.PartnershipRow, listing.ActorRow, listing.DossierRow))
    # Same records, same fields, same values; the order is each list's own default sort.
    by_id = {r["id"]: r for r in cli}
    assert sorted(by_id) == sorted(r.id for r in window)
    for row in window:
        assert json.loads(json.dumps(row.as_json(), default=str)) == by_id[row.id]


def test_a_changed_party_name_shows_in_both(qapp, filled, capsys):
    with filled.session() as s:
        actor = s.query(Actor).filter_by(name_de="Ürümqi (Beispiel)").one()
        actor.name_de = "Urumtschi (Beispiel)"
    main(["--db", str(filled.path), "--lang", "en", "list", "partnerships", "--json"])
    cli = {r["id"]: r for r in json.loads(capsys.readouterr().out)}
    window = {r.id: r for r in _window_rows(filled, "partnership")}
    changed = [i for i, r in window.items() if "Urumtschi (Beispiel)" in r.chinese_parties]
    assert len(changed) == 1
    assert cli[changed[0]]["chinese_parties"] == window[changed[0]].chinese_parties
