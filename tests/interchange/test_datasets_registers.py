"""The registers travel in dataset packages, JSON and tables like the other kinds."""

from __future__ import annotations

import json

import pytest

from chinadialog_desktop.domain.registers import REGISTERS
from chinadialog_desktop.persistence.database import Database
from chinadialog_desktop.persistence.models import Dossier
from chinadialog_desktop.services.datasets.export import export_dataset
from chinadialog_desktop.services.datasets.importing import COMMITTED, REJECTED, import_dataset
from chinadialog_desktop.services.datasets.kinds import KINDS, resolve_kind
from chinadialog_desktop.services.demo import load_demo
from chinadialog_desktop.services.records import registers

# What an entry is, without the local ids and bookkeeping that differ between databases.
LOCAL = {"id", "partnership_id", "created_at", "modified_at", "version"}


def _registers(db: Database) -> dict[str, list[dict]]:
    with db.session() as s:
        return {
            r.key: sorted(
                (
                    {k: v for k, v in row.items() if k not in LOCAL}
                    for row in registers.entries(s, r)
                ),
                key=lambda row: row["uuid"],
            )
            for r in REGISTERS
        }


@pytest.fixture
def demo(db: Database) -> Database:
    with db.session() as s:
        load_demo(s)
    return db


@pytest.mark.parametrize("fmt", ["package", "json", "xlsx"])
def test_registers_go_out_and_come_back_unchanged(demo, tmp_path, fmt):
    before = _registers(demo)
    assert all(before[r.key] for r in REGISTERS)  # the demo has entries in each
    out = tmp_path / f"register #ä 登记.{'zip' if fmt == 'package' else fmt}"
    with demo.session() as s:
        result = export_dataset(s, fmt, out)
    assert all(result.counts[r.key] == len(before[r.key]) for r in REGISTERS)
    other = Database.open(tmp_path / "leer.sqlite3")
    try:
        first = import_dataset(other, out)
        assert first.status == COMMITTED, first.problems.format()
        assert _registers(other) == before
        again = import_dataset(other, out)  # nothing new the second time
        assert again.status == COMMITTED, again.problems.format()
        counts = again.plan.counts()
        for r in REGISTERS:
            assert counts[r.key]["new"] == 0 and counts[r.key]["updated"] == 0, r.key
        assert _registers(other) == before
    finally:
        other.close()


def test_a_dossier_export_carries_the_registers_of_its_partnerships_only(demo, tmp_path):
    out = tmp_path / "dossier.json"
    with demo.session() as s:
        kiel = s.query(Dossier).filter(Dossier.title.like("Kiel%")).one()
        export_dataset(s, "json", out, dossier_id=kiel.id)
    records = json.loads(out.read_text(encoding="utf-8"))["records"]
    assert all(not records.get(r.key) for r in REGISTERS)  # Kiel has none
    out = tmp_path / "bs.json"
    with demo.session() as s:
        bs = s.query(Dossier).filter(Dossier.title.like("Städtepartnerschaft Braun%")).one()
        export_dataset(s, "json", out, dossier_id=bs.id)
    records = json.loads(out.read_text(encoding="utf-8"))["records"]
    assert {len(records["gifts"]), len(records["incidents"])} == {3, 2}


def test_a_gift_list_with_german_headers_is_imported(demo, write):
    path = write(
        "geschenke.csv",
        "Datum;Partnerschaft;Gegenstand;Richtung;Art;Wert in Cent;Entscheidung;Genehmigt von\r\n"
        "03.05.2025;Braunschweig–Zhuhai;Teeset (Beispiel);erhalten;Geschenk;4500;"
        "Annahme genehmigt;Personalamt (Beispiel)\r\n",
    )
    result = import_dataset(demo, path)
    assert result.status == COMMITTED, result.problems.format()
    with demo.session() as s:
        gifts = [
            g
            for g in registers.entries(s, registers.register_of("gift"))
            if g["title"] == "Teeset (Beispiel)"
        ]
    assert len(gifts) == 1
    gift = gifts[0]
    assert (gift["date"].isoformat(), gift["value_cents"], gift["decision"], gift["direction"]) == (
        "2025-05-03",
        4500,
        "approved",
        "received",
    )
    assert (
        gift["partnership"] == "Braunschweig–Zhuhai"
        and gift["decided_by"] == "Personalamt (Beispiel)"
    )


def test_an_unknown_decision_or_partnership_is_refused_in_one_german_sentence(
    demo, write, state, german
):
    before = state()
    path = write(
        "vorfaelle.csv",
        "Datum;Partnerschaft;Kurz;Art\r\n"
        "03.05.2025;Braunschweig–Zhuhai;Anruf (Beispiel);Bestechung\r\n",
    )
    result = import_dataset(demo, path, dry_run=False)
    assert result.status == REJECTED
    messages = [p.message for p in result.problems.errors()]
    assert any("Bestechung" in m and "Cybervorfall" in m for m in messages), messages
    assert state() == before
    path = write(
        "besuche.csv",
        "Von;Partnerschaft;Anlass\r\n01.06.2025;Nirgendwo–Nichts;Besuch (Beispiel)\r\n",
    )
    result = import_dataset(demo, path)
    assert result.status == REJECTED
    assert any("Nirgendwo–Nichts" in p.message for p in result.problems.errors())
    assert state() == before


def test_the_register_kinds_are_known_by_their_german_names_too():
    assert [
        resolve_kind(name).key
        for name in ("besuche", "geschenke", "gespraechskontakte", "vorfaelle")
    ] == [
        "visits",
        "gifts",
        "counterparts",
        "incidents",
    ]
    assert all(r.key in KINDS for r in REGISTERS)
