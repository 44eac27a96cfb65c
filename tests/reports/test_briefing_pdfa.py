"""PDF/A for the e-Akte (issue 18, point 2): ``briefing --pdfa`` writes PDF/A-2b, ``--pdfa 3``
PDF/A-3b with the dossier's files embedded as associated files.

Every file is read back with the independent checker ``helpers.pdfa_rules`` (pikepdf and
lxml): it must find nothing in the PDF/A exports (internal, public, English, many Chinese
characters, with Anlagen) and must find the broken rules in the plain briefing and in
PDF/A files broken on purpose, one rule at a time.
"""

from __future__ import annotations

import hashlib
import io
from pathlib import Path

import pikepdf
import pytest
from helpers.briefing_sample import EPOCH
from helpers.pdf import page_texts
from helpers.pdfa_rules import violations
from lxml import etree
from reportlab.lib.pagesizes import A4
from reportlab.pdfgen.canvas import Canvas
from sqlalchemy import select

from chinadialog_desktop.cli import main
from chinadialog_desktop.errors import UserError
from chinadialog_desktop.persistence.models import Attachment, BriefingExport, DossierSection

DC = "{http://purl.org/dc/elements/1.1/}"
RDF = "{http://www.w3.org/1999/02/22-rdf-syntax-ns#}"
PDFAID = "{http://www.aiim.org/pdfa/ns/id/}"
# Invented Chinese text (Beispiel): the partnership's aims, and more distinct characters
# than one font subset of 256 glyphs holds, so the briefing needs several subsets.
CHINESE = (
    "友好城市合作备忘录（示例）：双方同意在文化、教育、青年交流和城市发展领域加强合作。"
    + "".join(chr(0x4E00 + 37 * i) for i in range(320))
)


def _rules(data: bytes) -> set[str]:
    return {v.split(":")[0] for v in violations(data)}


def _xmp(data: bytes) -> etree._Element:
    with pikepdf.open(io.BytesIO(data)) as pdf:
        return etree.fromstring(pdf.Root.Metadata.read_bytes())


def _text(root: etree._Element, tag: str) -> list[str]:
    return [el.text or "" for el in root.iter(tag)] + [
        li.text or "" for el in root.iter(tag) for li in el.iter(f"{RDF}li")
    ]


def _pdf_with_embedded_font(*lines: str) -> bytes:
    """A real one-page PDF whose font is embedded (the app's own), as an Anlage."""
    from chinadialog_desktop.reports import fonts
    from chinadialog_desktop.reports.styles import FONT

    fonts.register()
    buffer = io.BytesIO()
    canvas = Canvas(buffer, pagesize=A4, invariant=1, initialFontName=FONT)
    canvas.setFont(FONT, 14)
    for n, line in enumerate(lines):
        canvas.drawString(72, 700 - 20 * n, line)
    canvas.showPage()
    canvas.save()
    return buffer.getvalue()


def _pdf_with_helvetica(text: str) -> bytes:
    buffer = io.BytesIO()
    canvas = Canvas(buffer, pagesize=A4, invariant=1)
    canvas.setFont("Helvetica", 14)
    canvas.drawString(72, 700, text)
    canvas.showPage()
    canvas.save()
    return buffer.getvalue()


def _store(db, dossier_id, name, data, media_type, description="", public_release=False):
    with db.session() as s:
        s.add(
            Attachment(
                file_name=name,
                media_type=media_type,
                size=len(data),
                sha256=hashlib.sha256(data).hexdigest(),
                data=data,
                description=description,
                dossier_id=dossier_id,
                public_release=public_release,
            )
        )


def _rewrite(data: bytes, change) -> bytes:
    with pikepdf.open(io.BytesIO(data)) as pdf:
        change(pdf)
        out = io.BytesIO()
        pdf.save(out)
    return out.getvalue()


# --- the checker catches what is wrong -------------------------------------------------


def test_the_checker_finds_the_plain_briefing_is_no_pdfa(export):
    found = violations(export(record=False).data)
    rules = {v.split(":")[0] for v in found}
    assert "6.6.4" in rules  # its XMP (the tagged file's) names no PDF/A part
    assert "6.2.3" in rules  # no output intent
    assert "6.2.4.3" in rules  # DeviceRGB without one
    assert "6.3.2" in rules  # the table of contents' links are not printable


@pytest.fixture(scope="module")
def good(export_once) -> bytes:
    """A PDF/A-2 export that passes; the tests break a copy of it (made once: they only read it)."""
    data = export_once(pdfa=2)
    assert violations(data, 2) == []
    return data


@pytest.mark.parametrize(
    ("rule", "change"),
    [
        ("6.6.3", lambda pdf: pdf.docinfo.__setitem__("/Title", "Ein anderer Titel")),
        ("6.6.3", lambda pdf: pdf.docinfo.__setitem__("/ModDate", "D:20300101000000Z")),
        ("6.6.4", lambda pdf: pdf.Root.__delitem__("/Metadata")),
        ("6.2.3", lambda pdf: pdf.Root.__delitem__("/OutputIntents")),
        (
            "6.2.11.4",
            lambda pdf: next(iter(pdf.pages[0].Resources.Font.values())).FontDescriptor.__delitem__(
                "/FontFile2"
            ),
        ),
        (
            "6.2.11.7",
            lambda pdf: next(iter(pdf.pages[0].Resources.Font.values())).__delitem__("/ToUnicode"),
        ),
        (
            "6.2.11.5",
            lambda pdf: next(iter(pdf.pages[0].Resources.Font.values())).__delitem__("/Widths"),
        ),
        (
            "6.6.1",
            lambda pdf: pdf.Root.__setitem__(
                "/OpenAction",
                pikepdf.Dictionary(S=pikepdf.Name.JavaScript, JS=pikepdf.String("app.alert(1)")),
            ),
        ),
        (
            "6.3.2",
            lambda pdf: pdf.pages[0].Annots[0].__setitem__("/F", 2),  # hidden
        ),
        (
            "6.2.10",
            lambda pdf: pdf.pages[0].Resources.__setitem__(
                "/ExtGState", pikepdf.Dictionary(G0=pikepdf.Dictionary(BM=pikepdf.Name("/Glow")))
            ),
        ),
    ],
)
def test_the_checker_catches_each_broken_rule(good, rule, change):
    assert rule in _rules(_rewrite(good, change))


def _pdfuaid_undeclared(pdf):
    """The pdfuaid claim kept, its pdfaExtension declaration taken out of the XMP."""
    root = etree.fromstring(pdf.Root.Metadata.read_bytes())
    for schemas in root.iter("{http://www.aiim.org/pdfa/ns/extension/}schemas"):
        schemas.getparent().remove(schemas)
    pdf.Root.Metadata.write(etree.tostring(root))
    with pdf.open_metadata(set_pikepdf_as_editor=False) as meta:
        meta["pdfuaid:part"] = "1"


def test_the_checker_wants_other_xmp_schemas_declared_and_write_xmp_declares_pdfua(good):
    """PDF/A allows only predefined XMP properties; PDF/UA's pdfuaid:part must be declared
    in a pdfaExtension schema (the hook the tagged PDF of issue 18, point 3 uses)."""
    from chinadialog_desktop.reports.pdf_archive import write_xmp

    assert "6.6.2.3" in _rules(_rewrite(good, _pdfuaid_undeclared))
    declared = _rewrite(good, lambda pdf: write_xmp(pdf, 2, "de-DE", pdfua=1))
    assert violations(declared, 2) == []
    assert _text(_xmp(declared), "{http://www.aiim.org/pdfua/ns/id/}part") == ["1"]


def test_the_checker_catches_encryption_and_unlisted_embedded_files(good):
    with pikepdf.open(io.BytesIO(good)) as pdf:
        out = io.BytesIO()
        pdf.save(out, encryption=pikepdf.Encryption(owner="o", user="", R=4))
    assert "6.1.3" in _rules(out.getvalue())

    def attach(pdf):
        pdf.attachments["daten.csv"] = pikepdf.AttachedFileSpec(pdf, b"a;b\n", filename="daten.csv")
        spec = pdf.attachments["daten.csv"].obj
        if "/AFRelationship" in spec:
            del spec["/AFRelationship"]
        if "/AF" in pdf.Root:  # pikepdf lists a new file in /AF itself
            del pdf.Root["/AF"]
        with pdf.open_metadata(set_pikepdf_as_editor=False) as meta:
            meta["pdfaid:part"] = "3"

    found = violations(_rewrite(good, attach))
    assert any("no valid /AFRelationship" in v for v in found)
    assert any("not listed in the catalogue's /AF" in v for v in found)
    assert any(
        "not itself a PDF/A" in v
        for v in violations(
            _rewrite(
                good,
                lambda pdf: pdf.attachments.__setitem__(
                    "d.csv", pikepdf.AttachedFileSpec(pdf, b"x", filename="d.csv")
                ),
            )
        )
    )


# --- PDF/A exports pass ------------------------------------------------------------------


@pytest.mark.parametrize("public", [False, True])
def test_pdfa2_internal_and_public_versions_pass_the_checker(export, public):
    data = export(record=False, pdfa=2, public=public).data
    assert violations(data, 2) == []
    root = _xmp(data)
    assert _text(root, f"{PDFAID}part") == ["2"]
    assert _text(root, f"{PDFAID}conformance") == ["B"]
    with pikepdf.open(io.BytesIO(data)) as pdf:
        title = str(pdf.docinfo["/Title"])
        assert title.startswith("Städtepartnerschaft Braunschweig–Zhuhai")
        assert not pdf.attachments  # PDF/A-2: nothing embedded
        assert str(pdf.Root.Lang) == "de-DE"
    assert title in _text(root, f"{DC}title")
    assert "de-DE" in _text(root, f"{DC}language")


def test_the_pdfa_has_the_plain_briefings_pages_and_text(export):
    plain = export(record=False)
    archived = export(record=False, pdfa=2)
    assert archived.page_count == plain.page_count
    assert page_texts(archived.data) == page_texts(plain.data)
    assert _pixels(archived.data) == _pixels(plain.data)  # every page looks the same


def _pixels(data: bytes) -> list[bytes]:
    """Every page rendered by PDFium at 36 dpi, as raw pixels."""
    import pypdfium2 as pdfium

    document = pdfium.PdfDocument(data)
    try:
        return [page.render(scale=0.5).to_pil().tobytes() for page in document]
    finally:
        document.close()


def test_an_english_pdfa_declares_its_language(export):
    data = export(record=False, pdfa=2, lang="en").data
    assert violations(data, 2) == []
    assert "en-GB" in _text(_xmp(data), f"{DC}language")


def test_a_dossier_in_many_chinese_characters_passes_with_every_subset_embedded(
    export, db, dossier_id
):
    with db.session() as s:
        section = s.scalars(
            select(DossierSection).where(DossierSection.dossier_id == dossier_id)
        ).first()
        section.body = CHINESE
    data = export(record=False, pdfa=2).data
    assert violations(data, 2) == []
    with pikepdf.open(io.BytesIO(data)) as pdf:
        subsets = {
            str(f.BaseFont)
            for page in pdf.pages
            for f in (page.Resources.get("/Font") or {}).values()
        }
    assert len(subsets) >= 3  # more than one subset of the regular face
    text = "".join(page_texts(data))
    assert "友好城市合作备忘录" in text


def test_pdfa_is_byte_identical_under_source_date_epoch(export, db, dossier_id):
    _store(db, dossier_id, "Liste.csv", b"Name;Ort\nBeispiel;Zhuhai\n", "text/csv")
    for part in (2, 3):
        first = export(record=False, pdfa=part).data
        second = export(record=False, pdfa=part).data
        assert first == second
        assert violations(first, part) == []


# --- PDF/A-3: the dossier's files in the one archived file -------------------------------


def test_pdfa3_embeds_every_listed_file_as_an_associated_file(export, db, dossier_id):
    agreement = _pdf_with_embedded_font("Vereinbarung (Beispiel)", "Zweite Zeile")
    table = b"Name;Ort\nBeispiel GmbH;Zhuhai\n"
    photo = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64  # not read as an image: only embedded
    _store(db, dossier_id, "Vereinbarung.pdf", agreement, "application/pdf", "Vereinbarung")
    _store(db, dossier_id, "Teilnehmer.csv", table, "text/csv", "Teilnehmerliste")
    _store(db, dossier_id, "Foto 北京.png", photo, "", "Foto")
    mine = {"Vereinbarung.pdf", "Teilnehmer.csv", "Foto 北京.png"}
    with db.session() as s:
        stored = set(
            s.scalars(select(Attachment.file_name).where(Attachment.dossier_id == dossier_id))
        )
    assert len(stored) == 4  # the sample's own Stellungnahme, and the three above
    plain = export(record=False)
    result = export(record=False, pdfa=3)
    assert violations(result.data, 3) == []
    assert result.page_count == plain.page_count  # the PDFs' pages are appended as before
    with pikepdf.open(io.BytesIO(result.data)) as pdf:
        files = {name: spec for name, spec in pdf.attachments.items()}
        assert set(files) == stored
        assert files["Vereinbarung.pdf"].get_file().read_bytes() == agreement
        assert files["Teilnehmer.csv"].get_file().read_bytes() == table
        assert files["Foto 北京.png"].get_file().read_bytes() == photo
        relation = {n: str(s.obj.AFRelationship) for n, s in files.items() if n in mine}
        assert relation == {
            "Vereinbarung.pdf": "/Source",  # its pages are in the briefing
            "Teilnehmer.csv": "/Data",
            "Foto 北京.png": "/Data",
        }
        assert str(files["Teilnehmer.csv"].get_file().obj.Subtype) == "/text/csv"
        assert str(files["Foto 北京.png"].get_file().obj.Subtype) == "/image/png"  # by its name
        assert "Anlage" in str(files["Teilnehmer.csv"].obj.Desc)
        assert {o.objgen for o in pdf.Root.AF} == {s.obj.objgen for s in files.values()}
    assert _text(_xmp(result.data), f"{PDFAID}part") == ["3"]


def test_the_public_pdfa3_embeds_only_the_released_files(export, db, dossier_id):
    _store(db, dossier_id, "Intern.csv", b"geheim;1\n", "text/csv", "Interne Liste")
    _store(db, dossier_id, "Presse.csv", b"frei;1\n", "text/csv", "Pressemappe", True)
    data = export(record=False, pdfa=3, public=True).data
    assert violations(data, 3) == []
    with pikepdf.open(io.BytesIO(data)) as pdf:
        assert set(pdf.attachments) == {"Presse.csv"}
    assert b"geheim" not in data


def test_an_anlage_with_fonts_not_embedded_is_refused_for_pdfa(export, db, dossier_id):
    _store(db, dossier_id, "Scan.pdf", _pdf_with_helvetica("Brief (Beispiel)"), "application/pdf")
    assert export(record=False).page_count  # the plain PDF appends it as before
    with pytest.raises(UserError) as refused:
        export(record=False, pdfa=2)
    message = str(refused.value)
    assert "Scan.pdf" in message and "Helvetica" in message and "PDF/A" in message


def test_an_anlage_in_cmyk_is_refused_for_pdfa_and_the_checker_sees_why(export, db, dossier_id):
    from chinadialog_desktop.reports import fonts
    from chinadialog_desktop.reports.styles import FONT

    fonts.register()
    buffer = io.BytesIO()
    canvas = Canvas(buffer, pagesize=A4, invariant=1, initialFontName=FONT)
    canvas.setFillColorCMYK(0, 0.6, 1, 0)  # print-shop orange
    canvas.rect(72, 600, 200, 100, fill=1)
    canvas.showPage()
    canvas.save()
    _store(db, dossier_id, "Flyer.pdf", buffer.getvalue(), "application/pdf")
    assert "6.2.4.3" in _rules(export(record=False).data)  # DeviceCMYK, RGB intent: none
    with pytest.raises(UserError) as refused:
        export(record=False, pdfa=2)
    assert "Flyer.pdf" in str(refused.value) and "CMYK" in str(refused.value)


def _lzw(data: bytes) -> bytes:
    """LZW as PDF's LZWDecode reads it (EarlyChange 1), for an Anlage from an old scanner."""
    table = {bytes([i]): i for i in range(256)}
    free, width, out, acc, bits = 258, 9, bytearray(), 0, 0

    def put(code: int) -> None:
        nonlocal acc, bits
        acc, bits = (acc << width) | code, bits + width
        while bits >= 8:
            bits -= 8
            out.append((acc >> bits) & 0xFF)

    put(256)
    run = b""
    for byte in data:
        longer = run + bytes([byte])
        if longer in table:
            run = longer
            continue
        put(table[run])
        table[longer], free = free, free + 1
        if free + 1 > (1 << width) and width < 12:
            width += 1
        run = bytes([byte])
    if run:
        put(table[run])
    put(257)
    if bits:
        out.append((acc << (8 - bits)) & 0xFF)
    return bytes(out)


def test_an_anlage_with_lzw_compression_comes_out_as_flate(export, db, dossier_id):
    """PDF/A-2 forbids LZW (an old scanner's); the PDF/A step rewrites such streams."""
    anlage = _pdf_with_embedded_font("Altes Schreiben (Beispiel)")
    with pikepdf.open(io.BytesIO(anlage)) as pdf:
        pdf.pages.append(pdf.pages[0])  # the second page: pypdf rewrites the stamped first
        content = pdf.pages[1].Contents.read_bytes()
        stream = pikepdf.Stream(pdf, _lzw(content))
        stream.Filter = pikepdf.Name.LZWDecode
        assert stream.read_bytes() == content  # qpdf reads it back
        pdf.pages[1].Contents = stream
        out = io.BytesIO()
        pdf.save(out, stream_decode_level=pikepdf.StreamDecodeLevel.none, compress_streams=False)
    assert out.getvalue().count(b"/LZWDecode") == 1
    _store(db, dossier_id, "Scan 1998.pdf", out.getvalue(), "application/pdf")
    plain = export(record=False)  # its PDF/UA step already rewrites the streams as Flate
    assert b"/LZWDecode" not in plain.data
    archived = export(record=False, pdfa=2)
    assert violations(archived.data, 2) == []
    assert page_texts(archived.data) == page_texts(plain.data)


def test_javascript_and_launch_actions_of_an_anlage_are_removed(export, db, dossier_id):
    def arm(pdf):
        pdf.Root.OpenAction = pikepdf.Dictionary(
            S=pikepdf.Name.JavaScript, JS=pikepdf.String("app.alert('Beispiel')")
        )
        pdf.pages[0].obj.Annots = pdf.make_indirect(
            pikepdf.Array(
                [
                    pikepdf.Dictionary(
                        Type=pikepdf.Name.Annot,
                        Subtype=pikepdf.Name.Link,
                        Rect=[72, 600, 300, 620],
                        A=pikepdf.Dictionary(S=pikepdf.Name.Launch, F=pikepdf.String("calc.exe")),
                    )
                ]
            )
        )

    armed = _rewrite(_pdf_with_embedded_font("Anlage mit Aktionen (Beispiel)"), arm)
    _store(db, dossier_id, "Aktionen.pdf", armed, "application/pdf")
    plain = export(record=False).data
    assert "6.6.1" in _rules(plain)
    data = export(record=False, pdfa=2).data
    assert violations(data, 2) == []
    assert b"calc.exe" not in data and b"app.alert" not in data
    with pikepdf.open(io.BytesIO(data)) as pdf:
        (link,) = pdf.pages[-1].Annots  # kept, printable, and it does nothing now
        assert "/A" not in link and int(link.F) & 4


# --- the command line ------------------------------------------------------------------


def test_cli_pdfa_writes_a_checked_file_and_records_it(
    db, dossier_id, tmp_path, monkeypatch, capsys
):
    monkeypatch.setenv("SOURCE_DATE_EPOCH", EPOCH)
    out = tmp_path / "Vorlage #1 – 珠海.pdf"
    base = ["--lang", "de", "--db", str(db.path), "briefing", str(dossier_id), "-o", str(out)]
    assert main([*base, "--pdfa"]) == 0
    assert violations(out.read_bytes(), 2) == []
    assert main([*base, "--pdfa", "3"]) == 0
    assert violations(out.read_bytes(), 3) == []
    with db.session() as s:
        rows = s.scalars(select(BriefingExport).order_by(BriefingExport.id)).all()
        assert [r.options.get("pdfa") for r in rows[-2:]] == [2, 3]
    capsys.readouterr()
    assert main(["--lang", "de", "--db", str(db.path), "briefing", "exports", str(dossier_id)]) == 0
    listing = capsys.readouterr().out
    assert "PDF/A-2b" in listing and "PDF/A-3b" in listing


def test_cli_pdfa_refuses_word_and_other_parts(db, dossier_id, tmp_path, capsys):
    docx = tmp_path / "v.docx"
    code = main(
        [
            "--lang",
            "de",
            "--db",
            str(db.path),
            "briefing",
            str(dossier_id),
            "-o",
            str(docx),
            "--pdfa",
        ]
    )
    assert code == 2 and not docx.exists()
    assert "--pdfa" in capsys.readouterr().err
    with pytest.raises(SystemExit):
        main(
            [
                "--db",
                str(db.path),
                "briefing",
                str(dossier_id),
                "-o",
                str(tmp_path / "x.pdf"),
                "--pdfa",
                "1",
            ]
        )


def test_the_profile_is_the_bundled_cc0_srgb_profile():
    from chinadialog_desktop.paths import resources_dir
    from chinadialog_desktop.reports.pdf_archive import srgb_profile

    icc = srgb_profile()
    assert icc[36:40] == b"acsp" and icc[16:20] == b"RGB " and icc[12:16] == b"mntr"
    assert icc[8] == 2  # ICC version 2: read by every PDF/A validator
    notes = (resources_dir() / "color" / "README.md").read_text(encoding="utf-8")
    assert "CC0" in notes and (resources_dir() / "color" / "LICENSE-CC0-1.0.txt").is_file()
    assert Path(resources_dir() / "color" / "sRGB-v2-magic.icc").read_bytes() == icc


# --- PDF/A and PDF/UA together ---------------------------------------------------------


@pytest.mark.parametrize("public", [False, True])
def test_a_pdfa_is_still_tagged_and_says_so_in_declared_xmp(export, public):
    """The archive copy keeps the structure tree and its PDF/UA identification, and the
    pdfuaid schema is declared, as PDF/A requires for a schema it does not predefine."""
    from helpers.pdf_ua_rules import ua_problems

    data = export(record=False, pdfa=2, public=public).data
    assert violations(data, 2) == []
    assert ua_problems(data) == []
    assert _text(_xmp(data), "{http://www.aiim.org/pdfua/ns/id/}part") == ["1"]


def test_a_briefing_with_untagged_anlagen_claims_no_pdfua(export, tmp_path):
    """Appended Anlagen are not tagged: neither the plain file nor the PDF/A says PDF/UA."""
    extra = tmp_path / "anlage.pdf"
    extra.write_bytes(_pdf_with_embedded_font("Stellungnahme (Beispiel)"))
    plain = export(record=False, attach=(str(extra),)).data
    archived = export(record=False, pdfa=2, attach=(str(extra),)).data
    for data in (plain, archived):
        assert _text(_xmp(data), "{http://www.aiim.org/pdfua/ns/id/}part") == []
    assert violations(archived, 2) == []
    without = export(record=False).data
    assert _text(_xmp(without), "{http://www.aiim.org/pdfua/ns/id/}part") == ["1"]
