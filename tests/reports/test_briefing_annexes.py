"""Anlagen (issue 12, point 6): the dossier's files are listed as Anlagen, PDFs appended after
the briefing with bookmarks "Anlage N: title"; ``briefing --attach FILE`` appends a PDF for one
export; damaged, encrypted and non-PDF files are refused in one German sentence naming them;
the public version appends only files released for it. Read back from real PDFs (pypdf);
the CLI runs for real."""

from __future__ import annotations

import hashlib
import io
import json
from pathlib import Path

import pytest
from helpers.briefing_sample import EPOCH
from helpers.pdf import flat, page_texts, reader
from pypdf import PdfWriter
from reportlab.lib.pagesizes import A4, landscape
from reportlab.pdfgen.canvas import Canvas
from sqlalchemy import func, select

from chinadialog_desktop.cli import main
from chinadialog_desktop.persistence.models import Attachment, BriefingExport

AGREEMENT = "Partnerschaftsvereinbarung Braunschweig–Zhuhai (Beispiel)"


def make_pdf(*pages: str, size: tuple[float, float] = A4) -> bytes:
    """A real PDF with one line of text per page (invariant, so the bytes are stable)."""
    buffer = io.BytesIO()
    canvas = Canvas(buffer, pagesize=size, invariant=1)
    for text in pages:
        canvas.setFont("Helvetica", 14)
        canvas.drawString(72, size[1] / 2, text)
        canvas.showPage()
    canvas.save()
    return buffer.getvalue()


def _store(db, dossier_id, name, data, description="", public_release=False) -> None:
    with db.session() as s:
        s.add(
            Attachment(
                file_name=name,
                media_type="application/pdf" if name.endswith(".pdf") else "text/plain",
                size=len(data),
                sha256=hashlib.sha256(data).hexdigest(),
                data=data,
                description=description,
                dossier_id=dossier_id,
                public_release=public_release,
            )
        )


def _outline(pdf):
    def walk(items):
        for item in items:
            if isinstance(item, list):
                yield from walk(item)
            else:
                yield item

    return {o.title: pdf.get_destination_page_number(o) for o in walk(pdf.outline)}


def _cli(db, dossier_id, out, capsys, monkeypatch, *extra) -> tuple[int, str, str]:
    monkeypatch.setenv("SOURCE_DATE_EPOCH", EPOCH)
    capsys.readouterr()
    code = main(
        ["--lang", "de", "--db", str(db.path), "briefing", str(dossier_id), "-o", str(out)]
        + list(extra)
    )
    captured = capsys.readouterr()
    return code, captured.out, captured.err


def test_a_stored_pdf_is_listed_and_appended_with_its_bookmark(db, dossier_id, export):
    plain = export(record=False)
    _store(
        db,
        dossier_id,
        "Vereinbarung.pdf",
        make_pdf("Vereinbarung, erstes Blatt", "Vereinbarung, zweites Blatt"),
        description=AGREEMENT,
    )
    result = export(record=False)
    pdf = reader(result.data)
    own = plain.page_count
    assert result.page_count == len(pdf.pages) == own + 2
    # Anlage 1: the ratings in detail; 2: the sample's damaged file; 3: this one
    outline = _outline(pdf)
    assert outline[f"Anlage 3: {AGREEMENT}"] == own
    assert (
        outline["Anlage 1: Bewertungen im Einzelnen: Leitplanken-Prüfung Braunschweig–Zhuhai 2026"]
        < own
    )
    texts = page_texts(result.data)
    first, second = flat(texts[own]), flat(texts[own + 1])
    assert "Vereinbarung, erstes Blatt" in first and "Anlage 3" in first  # stamped
    assert "Vereinbarung, zweites Blatt" in second and "Anlage 3" not in second
    # the briefing's own pages count only themselves; the Anlage keeps its own numbering
    assert f"Seite {own} von {own}" in flat(texts[own - 1])
    assert "Seite" not in first
    assert pdf.page_labels[own - 1 : own + 2] == [str(own), "Anlage 3-1", "Anlage 3-2"]
    body = flat("\n".join(texts[:own]))
    assert "3. Vereinbarung.pdf · angehängt, 2 S." in body
    assert "2. Stellungnahme_23-20838-01.pdf · 47 KB" in body  # damaged: listed only


def test_appended_output_is_byte_identical_and_identified_by_its_content(db, dossier_id, export):
    plain = export(record=False)
    _store(db, dossier_id, "Vereinbarung.pdf", make_pdf("Vereinbarung"), AGREEMENT)
    first, second = export(record=False), export(record=False)
    assert first.data == second.data and first.sha256 == second.sha256
    ids = reader(first.data).trailer["/ID"]
    plain_ids = reader(plain.data).trailer["/ID"]
    assert ids[0] == plain_ids[0] and ids[1] != plain_ids[1]
    info = reader(first.data).metadata
    assert info["/Producer"].startswith("ReportLab") and info["/Creator"] == "ChinaDialog Desktop"


def test_a_damaged_stored_pdf_is_named_by_the_checks_and_not_appended(
    db, dossier_id, tmp_path, capsys, monkeypatch
):
    out = tmp_path / "vorlage.pdf"
    code, stdout, _err = _cli(db, dossier_id, out, capsys, monkeypatch, "--no-record", "--json")
    assert code == 0
    checks = [c["text"] for c in json.loads(stdout)["checks"]]
    assert (
        "Anlage 2 („Stellungnahme_23-20838-01.pdf“) ist eine beschädigte oder verschlüsselte "
        "PDF-Datei: Sie wird aufgeführt, aber nicht angehängt." in checks
    )
    assert not [t for t in _outline(reader(out.read_bytes())) if t.startswith("Anlage 2")]


@pytest.mark.parametrize("folder", ["odd #1 ?%", "Anlagen für Rat", "附件"])
def test_attach_appends_pdfs_for_this_export_only(
    db, dossier_id, tmp_path, capsys, monkeypatch, folder
):
    where = tmp_path / folder
    where.mkdir()
    one = where / "Stellungnahme Land #2.pdf"
    one.write_bytes(make_pdf("Stellungnahme des Landes"))
    two = where / "Plan 横版.pdf"
    two.write_bytes(make_pdf("Querformat", size=landscape(A4)))
    out = tmp_path / "mit-anlagen.pdf"
    code, stdout, err = _cli(
        db, dossier_id, out, capsys, monkeypatch, "--attach", str(one), "--attach", str(two)
    )
    assert code == 0, err
    data = out.read_bytes()
    pdf = reader(data)
    outline = _outline(pdf)
    assert outline["Anlage 3: Stellungnahme Land #2.pdf"] == len(pdf.pages) - 2
    assert outline["Anlage 4: Plan 横版.pdf"] == len(pdf.pages) - 1
    assert "Querformat" in page_texts(data)[-1] and "Anlage 4" in page_texts(data)[-1]
    body = flat("\n".join(page_texts(data)))
    assert "3. Stellungnahme Land #2.pdf · angehängt, 1 S." in body
    assert "4. Plan 横版.pdf · angehängt, 1 S." in body
    with db.session() as s:  # recorded with the names, not the local paths
        row = s.scalars(select(BriefingExport).order_by(BriefingExport.id.desc())).first()
        assert row.options["attach"] == [one.name, two.name]
        assert row.page_count == len(pdf.pages)
    # the next export without --attach has no such Anlage
    again = tmp_path / "ohne.pdf"
    assert _cli(db, dossier_id, again, capsys, monkeypatch, "--no-record")[0] == 0
    assert "Stellungnahme Land" not in flat("\n".join(page_texts(again.read_bytes())))


def _encrypted() -> bytes:
    writer = PdfWriter(clone_from=io.BytesIO(make_pdf("geheim")))
    writer.encrypt("geheim")
    buffer = io.BytesIO()
    writer.write(buffer)
    return buffer.getvalue()


@pytest.mark.parametrize(
    ("name", "data", "sentence"),
    [
        (
            "Notiz.txt",
            b"Nur Text, kein PDF.",
            "Fehler: Die Anlage „Notiz.txt“ ist keine PDF-Datei; angehängt werden können nur "
            "PDF-Dateien.",
        ),
        (
            "Kaputt.pdf",
            make_pdf("abgeschnitten")[:300],
            "Fehler: Die Anlage „Kaputt.pdf“ ist eine beschädigte PDF-Datei und kann nicht "
            "angehängt werden.",
        ),
        (
            "Geschützt.pdf",
            _encrypted(),
            "Fehler: Die Anlage „Geschützt.pdf“ ist eine verschlüsselte PDF-Datei und kann nicht "
            "angehängt werden; bitte hängen Sie eine Kopie ohne Kennwortschutz an.",
        ),
    ],
)
def test_a_bad_file_to_attach_is_refused_in_one_sentence_and_nothing_written(
    db, dossier_id, tmp_path, capsys, monkeypatch, name, data, sentence
):
    bad = tmp_path / name
    bad.write_bytes(data)
    out = tmp_path / "nicht.pdf"
    with db.session() as s:
        before = s.scalar(select(func.count()).select_from(BriefingExport))
    code, stdout, err = _cli(db, dossier_id, out, capsys, monkeypatch, "--attach", str(bad))
    assert code == 1
    assert err.strip() == sentence
    assert "Traceback" not in err and stdout == ""
    assert not out.exists() and not list(tmp_path.glob("nicht.pdf*"))
    with db.session() as s:
        assert s.scalar(select(func.count()).select_from(BriefingExport)) == before


def test_a_missing_file_to_attach_is_named(db, dossier_id, tmp_path, capsys, monkeypatch):
    out = tmp_path / "nicht.pdf"
    missing = tmp_path / "fehlt.pdf"
    code, _out, err = _cli(db, dossier_id, out, capsys, monkeypatch, "--attach", str(missing))
    assert code == 1 and err.strip() == f"Fehler: Die anzuhängende Datei {missing} gibt es nicht."
    assert not out.exists()


def test_the_public_version_appends_only_files_released_for_it(db, dossier_id, export):
    # listed by file name: Intern.pdf, then the sample's Stellungnahme…, then Vereinbarung.pdf
    _store(db, dossier_id, "Intern.pdf", make_pdf("Interner Vermerk"), "Vermerk (intern)")
    _store(
        db,
        dossier_id,
        "Vereinbarung.pdf",
        make_pdf("Vereinbarung, erstes Blatt"),
        AGREEMENT,
        public_release=True,
    )
    internal = export(record=False)
    internal_outline = _outline(reader(internal.data))
    assert "Anlage 2: Vermerk (intern)" in internal_outline
    assert f"Anlage 4: {AGREEMENT}" in internal_outline
    public = export(record=False, public=True)
    text = flat("\n".join(page_texts(public.data)))
    assert "Interner Vermerk" not in text and "Intern.pdf" not in text
    assert "Stellungnahme_23-20838-01.pdf" not in text  # not released either
    assert "Vereinbarung, erstes Blatt" in text
    assert "2. Vereinbarung.pdf · angehängt, 1 S." in text  # renumbered
    outline = _outline(reader(public.data))
    assert outline[f"Anlage 2: {AGREEMENT}"] == len(reader(public.data).pages) - 1
    assert "nicht freigegebene Dateien: 3)" in text  # two files, one internal note


def test_a_file_attached_to_a_public_export_is_appended_as_chosen(db, dossier_id, export, tmp_path):
    extra = tmp_path / "Beschluss Ausschuss.pdf"
    extra.write_bytes(make_pdf("Beschluss des Ausschusses"))
    public = export(record=False, public=True, attach=(str(extra),))
    outline = _outline(reader(public.data))
    # the sample's file is not released: the chosen file follows the ratings annex
    assert outline["Anlage 2: Beschluss Ausschuss.pdf"] == public.page_count - 1
    assert "Beschluss des Ausschusses" in page_texts(public.data)[-1]


def test_the_attached_file_is_in_the_preview_bytes_path_too(db, dossier_id, tmp_path):
    """The window renders through prepare_content + render_pdf: the same Anlagen."""
    from chinadialog_desktop.persistence.models import Dossier
    from chinadialog_desktop.services.briefing.export import (
        BriefingOptions,
        prepare_content,
        render_pdf,
    )

    extra = tmp_path / "Beilage.pdf"
    extra.write_bytes(make_pdf("Beilage"))
    with db.session() as s:
        content = prepare_content(
            s, s.get(Dossier, dossier_id), BriefingOptions(attach=(str(extra),))
        )
    data, pages = render_pdf(content)
    assert pages == len(reader(data).pages)
    assert "Anlage 3: Beilage.pdf" in _outline(reader(data))
    assert Path(extra).name in flat("\n".join(page_texts(data)))


def test_an_english_briefing_calls_them_attachments(db, dossier_id, export):
    # listed by file name: Agreement.pdf before the sample's Stellungnahme_….pdf
    _store(db, dossier_id, "Agreement.pdf", make_pdf("Agreement"), "Partnership agreement")
    data = export(record=False, lang="en").data
    pdf = reader(data)
    assert _outline(pdf)["Attachment 2: Partnership agreement"] == len(pdf.pages) - 1
    assert pdf.page_labels[-1] == "Attachment 2-1"
    assert "Attachment 2" in page_texts(data)[-1]
    assert "2. Agreement.pdf · appended, 1 p." in flat("\n".join(page_texts(data)))


def test_changes_between_exports_name_added_replaced_and_removed_anlagen(db, dossier_id, export):
    export()
    _store(db, dossier_id, "Vereinbarung.pdf", make_pdf("Fassung 1"), AGREEMENT)
    second = export(changes=True)
    assert "Anlage neu: Vereinbarung.pdf" in second.changes
    with db.session() as s:
        row = s.scalars(select(Attachment).where(Attachment.file_name == "Vereinbarung.pdf")).one()
        row.data = make_pdf("Fassung 2")
        row.sha256 = hashlib.sha256(row.data).hexdigest()
        s.delete(
            s.scalars(
                select(Attachment).where(Attachment.file_name.startswith("Stellungnahme"))
            ).one()
        )
    third = export(changes=True)
    assert "Anlage ersetzt: Vereinbarung.pdf" in third.changes
    assert "Anlage entfallen: Stellungnahme_23-20838-01.pdf" in third.changes
    assert "Anlage ersetzt: Vereinbarung.pdf" in flat("\n".join(page_texts(third.data)))


def test_a_pdf_of_unknown_type_is_found_by_its_bytes_and_other_files_are_only_listed(
    db, dossier_id, export
):
    scan = make_pdf("Eingescannter Brief")
    with db.session() as s:
        for name, media_type, data in (
            ("Scan_0815", "application/octet-stream", scan),  # no extension, unknown type
            ("Foto.jpg", "image/jpeg", b"\xff\xd8\xff jpeg"),
        ):
            s.add(
                Attachment(
                    file_name=name,
                    media_type=media_type,
                    size=len(data),
                    sha256=hashlib.sha256(data).hexdigest(),
                    data=data,
                    dossier_id=dossier_id,
                )
            )
    result = export(record=False)
    outline = _outline(reader(result.data))
    # listed by name: Foto.jpg (2), Scan_0815 (3), Stellungnahme… (4)
    assert outline["Anlage 3: Scan_0815"] == result.page_count - 1
    assert not any(t.startswith(("Anlage 2", "Anlage 4")) for t in outline)
    text = flat("\n".join(page_texts(result.data)))
    assert "2. Foto.jpg · 1 KB" in text and "3. Scan_0815 · angehängt, 1 S." in text
