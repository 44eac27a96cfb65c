"""Export → import into an empty database gives the same records; formula guards round-trip."""

from __future__ import annotations

import csv
import io
import json
import zipfile
from datetime import date

import pytest
from openpyxl import load_workbook

from chinadialog_desktop.interchange.injection import neutralise, restore
from chinadialog_desktop.persistence.database import Database
from chinadialog_desktop.persistence.models import Actor, Partnership, PartnershipParty
from chinadialog_desktop.services.datasets.export import export_dataset, kind_rows
from chinadialog_desktop.services.datasets.importing import COMMITTED, import_dataset
from chinadialog_desktop.services.datasets.kinds import KINDS
from chinadialog_desktop.services.datasets.state import canonical
from chinadialog_desktop.services.demo import load_demo

pytestmark = pytest.mark.both_engines

HOSTILE_TEXTS = [
    '=HYPERLINK("http://x","klick")',
    "+49 531 470",
    "-5",
    "@SUM(A1)",
    "\tTab",
    "'=already quoted",
    "''=twice",
    "'plain quote",
    "NULL",
    "<script>alert(1)</script>",
    "Robert'); DROP TABLE actor;--",
    "Zeile 1\nZeile 2",
]


def _snapshot(db: Database) -> dict[str, list[dict[str, object]]]:
    with db.session() as s:
        return {
            key: sorted(
                ({k: canonical(v) for k, v in row.items()} for row in kind_rows(s, spec)),
                key=lambda r: str(r["uuid"]),
            )
            for key, spec in KINDS.items()
        }


def _fill(db: Database) -> None:
    with db.session() as s:
        load_demo(s)
        german = Actor(name_de="Teststadt", notes="Notiz", kind="municipality", country="DE")
        s.add(german)
        for n, text in enumerate(HOSTILE_TEXTS):
            a = Actor(
                name_de=f"Akteur {n}", notes=text, region=text[:200], country="CN", kind="company"
            )
            p = Partnership(
                title=f"Partnerschaft {n}",
                description=text,
                start_date=date(2001, 5, 1),
                start_precision="month",
                fields_of_action=["economy", "values"],
            )
            p.parties.append(PartnershipParty(actor=german, role="german", position=0))
            p.parties.append(PartnershipParty(actor=a, role="chinese", position=1))
            s.add_all([a, p])


@pytest.mark.parametrize("fmt", ["package", "xlsx", "json"])
def test_export_then_import_into_empty_database_gives_the_same_records(tmp_path, db, fmt):
    _fill(db)
    original = _snapshot(db)
    assert len(original["partnerships"]) > len(HOSTILE_TEXTS)
    assert original["sources"] and original["activities"] and original["contacts"]
    out = tmp_path / f"export.{fmt}"
    with db.session() as s:
        result = export_dataset(s, fmt, out)
    assert result.counts == {k: len(v) for k, v in original.items()}
    empty = Database.open(tmp_path / "empty.sqlite3")
    try:
        imported = import_dataset(empty, out)
        assert imported.status == COMMITTED, imported.problems.format()
        assert _snapshot(empty) == original
        again = import_dataset(empty, out)
        assert again.plan is not None
        assert again.plan.totals()["unchanged"] == sum(len(v) for v in original.values())
    finally:
        empty.close()


def test_csv_exports_of_each_kind_round_trip(tmp_path, db):
    _fill(db)
    original = _snapshot(db)
    empty = Database.open(tmp_path / "empty.sqlite3")
    try:
        for kind in KINDS:
            out = tmp_path / f"{kind}.csv"
            with db.session() as s:
                export_dataset(s, "csv", out, kinds=[kind])
            assert out.read_bytes().startswith(b"\xef\xbb\xbf")
            imported = import_dataset(empty, out)
            assert imported.status == COMMITTED, imported.problems.format()
        assert _snapshot(empty) == original
    finally:
        empty.close()


def test_csv_cells_are_neutralised_and_numbers_are_not(tmp_path, db):
    _fill(db)
    out = tmp_path / "actors.csv"
    with db.session() as s:
        export_dataset(s, "csv", out, kinds=["actors"])
    rows = list(csv.DictReader(io.StringIO(out.read_bytes().decode("utf-8-sig")), delimiter=";"))
    notes = {r["notes"] for r in rows}
    assert '\'=HYPERLINK("http://x","klick")' in notes
    assert "'-5" in notes and "'+49 531 470" in notes and "'@SUM(A1)" in notes
    assert "'''=twice" in notes and "'plain quote" in notes
    for row in rows:
        for value in row.values():
            assert not value.startswith(("=", "+", "-", "@", "\t", "\r"))


def test_xlsx_cells_are_typed_and_never_formulas(tmp_path, db):
    _fill(db)
    out = tmp_path / "all.xlsx"
    with db.session() as s:
        export_dataset(s, "xlsx", out)
    wb = load_workbook(out)  # full mode: formulas would show as data_type "f"
    ws = wb["partnerships"]
    header = [c.value for c in ws[1]]
    col = header.index("start_date") + 1
    kinds = {ws.cell(row=r, column=col).data_type for r in range(2, ws.max_row + 1)}
    assert "d" in kinds or "n" in kinds
    assert all(c.data_type != "f" for row in ws.iter_rows() for c in row)


def test_package_manifest_lists_checksums(tmp_path, db):
    _fill(db)
    out = tmp_path / "p.zip"
    with db.session() as s:
        export_dataset(s, "package", out, title="Register", publisher="Kreis")
    with zipfile.ZipFile(out) as z:
        manifest = json.loads(z.read("manifest.json"))
        assert manifest["schema_version"] == "1.0"
        for entry in manifest["files"]:
            import hashlib

            assert hashlib.sha256(z.read(entry["path"])).hexdigest() == entry["sha256"]


@pytest.mark.parametrize("text", [*HOSTILE_TEXTS, "", "'", "'''", "=", "\r\n", "a=b"])
def test_neutralise_is_undone_exactly(text):
    guarded = neutralise(text)
    assert not guarded.startswith(("=", "+", "-", "@", "\t", "\r"))
    assert restore(guarded) == text


def test_dossier_export_holds_only_what_the_dossier_links(tmp_path, db):
    from sqlalchemy import select

    from chinadialog_desktop.persistence.models import Dossier, DossierPartnership

    _fill(db)
    with db.session() as s:
        dossier = s.scalars(select(Dossier).order_by(Dossier.id)).first()
        assert dossier is not None
        linked = {
            link.partnership.uuid
            for link in s.scalars(
                select(DossierPartnership).where(DossierPartnership.dossier_id == dossier.id)
            )
        }
        assert linked
        out = tmp_path / "dossier.json"
        result = export_dataset(s, "json", out, dossier_id=dossier.id)
    document = json.loads(out.read_text(encoding="utf-8"))
    exported = {p["uuid"] for p in document["records"]["partnerships"]}
    assert exported == linked
    assert result.counts["partnerships"] == len(linked)
    parties = {
        u
        for p in document["records"]["partnerships"]
        for u in (p["german_party_uuid"], p["chinese_party_uuid"])
        if u
    }
    assert parties <= {a["uuid"] for a in document["records"]["actors"]}
