"""The Word briefing, read back with python-docx and from its XML; converted with LibreOffice.

Same content, order and variants as the PDF (public, classification, changes);
built-in heading styles; repeated table header rows; PAGE/NUMPAGES fields; the
marking in every header and footer; the East-Asian font; the chart's alternative
text; a municipality's template; byte-identical output with SOURCE_DATE_EPOCH.
"""

from __future__ import annotations

import io
import re
import shutil
import subprocess
import zipfile
from datetime import UTC, datetime

import docx
import pytest
from helpers.briefing_rich import (
    CONTACT,
    CONTACT_ZH,
    INTERNAL_SECTION,
    LISTED_ORG,
    NOTE,
    REASON,
    RELEASED,
    SECRETS,
    STAFF,
    enrich,
)
from helpers.briefing_sample import EPOCH
from helpers.docx_readback import find, parts, visible_text
from helpers.pdf import reader
from sqlalchemy import select

from chinadialog_desktop.errors import UserError
from chinadialog_desktop.persistence.audit import current_user
from chinadialog_desktop.persistence.models import BriefingExport, DossierSection
from chinadialog_desktop.services.briefing.export import format_of

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"


def _document(data: bytes) -> docx.document.Document:
    return docx.Document(io.BytesIO(data))


def _headings(document) -> list[tuple[int, str]]:
    """(level, text) of every paragraph in a built-in heading style, in document order."""
    out = []
    for p in document.paragraphs:
        m = re.fullmatch(r"Heading ([1-3])", p.style.name)
        if m:
            out.append((int(m.group(1)) - 1, p.text))
    return out


def _pdf_outline(data: bytes) -> list[tuple[int, str]]:
    pdf = reader(data)

    def walk(items, depth=0):
        for item in items:
            if isinstance(item, list):
                yield from walk(item, depth + 1)
            else:
                yield depth, item.title

    return list(walk(pdf.outline))


def test_same_headings_in_the_same_order_as_the_pdf_in_built_in_heading_styles(export):
    options = {"classification": "vs_nfd", "kind": "decision"}
    pdf = export(record=False, **options)
    word = export(record=False, fmt="docx", **options)
    document = _document(word.data)
    title = next(p for p in document.paragraphs if p.style.name == "Title")
    outline = _pdf_outline(pdf.data)
    assert outline[0] == (0, title.text)  # the PDF bookmarks the title first
    assert _headings(document) == outline[1:]
    assert [h for h in _headings(document) if h[0] == 0][:3] == [
        (0, "1\u2002Beschlussvorschlag"),
        (0, "2\u2002Finanzielle Auswirkungen"),
        (0, "3\u2002Sachverhalt"),
    ]
    # Word's own styles (Word shows "Überschrift 1–3"): outline levels for the navigation pane.
    styles = parts(word.data)["word/styles.xml"]
    for level in (1, 2, 3):
        style = re.search(rf'<w:style [^>]*w:styleId="Heading{level}".*?</w:style>', styles, re.S)
        assert style is not None
        assert f'<w:name w:val="heading {level}"/>' in style.group(0)
        assert f'<w:outlineLvl w:val="{level - 1}"/>' in style.group(0)
    assert word.page_count == 0 and word.format == "docx"


def test_tables_repeat_their_header_row_and_text_and_chinese_come_through(export):
    document = _document(export(record=False, fmt="docx").data)
    timeline = next(t for t in document.tables if t.rows[0].cells[0].text == "Datum")
    first_row = timeline.rows[0]._tr
    assert first_row.find(f"{W}trPr/{W}tblHeader") is not None
    assert all(r._tr.find(f"{W}trPr/{W}tblHeader") is None for r in timeline.rows[1:])
    assert len(timeline.rows) > 5
    caption = timeline._tbl.tblPr.find(f"{W}tblCaption")  # the table's name for screen readers
    assert caption is not None and caption.get(f"{W}val").startswith("Zeitleiste: ")
    text = "\n".join(p.text for p in document.paragraphs)
    assert "Städtepartnerschaft Braunschweig–Zhuhai: Sachstand und Leitplanken" in text
    cells = " ".join(c.text for t in document.tables for r in t.rows for c in r.cells)
    assert "珠海市" in cells and "Zhūhǎi Shì" in cells and "Federführende Stelle" in cells
    # Every run with Chinese characters names an East-Asian font; so do the defaults.
    body = parts(export(record=False, fmt="docx").data)["word/document.xml"]
    runs = re.findall(r"<w:r>.*?</w:r>", body, re.S)
    assert not re.search(r"<w:t[ >][^<]*\t", body)  # tabs are <w:tab/>, as Word writes them
    chinese = [r for r in runs if re.search("[\u4e00-\u9fff]", r)]
    assert chinese and all('w:eastAsia="Microsoft YaHei"' in r for r in chinese)
    styles = parts(export(record=False, fmt="docx").data)["word/styles.xml"]
    defaults = re.search(r"<w:docDefaults>.*?</w:docDefaults>", styles, re.S).group(0)
    assert 'w:eastAsia="Microsoft YaHei"' in defaults and 'w:val="de-DE"' in defaults
    fonts = parts(export(record=False, fmt="docx").data)["word/fontTable.xml"]
    assert 'w:name="Microsoft YaHei"' in fonts and 'w:charset w:val="86"' in fonts


def test_footer_has_page_fields_and_every_header_and_footer_the_marking(export):
    data = export(record=False, fmt="docx", classification="vs_nfd").data
    document = _document(data)
    section = document.sections[0]
    assert section.different_first_page_header_footer  # no running title on page 1
    marking = "VS – NUR FÜR DEN DIENSTGEBRAUCH"
    for part in (
        section.header,
        section.first_page_header,
        section.footer,
        section.first_page_footer,
    ):
        assert marking in [p.text for p in part.paragraphs]
    assert "Städtepartnerschaft" in section.header.paragraphs[1].text
    assert all("Städtepartnerschaft" not in p.text for p in section.first_page_header.paragraphs)
    footer = section.footer._element.xml
    instructions = [i.text.strip() for i in section.footer._element.iter(f"{W}instrText")]
    assert instructions == ["PAGE", "NUMPAGES"]
    assert "Seite " in footer and " von " in footer
    # An open paper carries no marking at all.
    open_paper = _document(export(record=False, fmt="docx").data).sections[0]
    assert marking not in " ".join(p.text for p in open_paper.header.paragraphs)
    assert "NUR FÜR DEN" not in " ".join(p.text for p in open_paper.footer.paragraphs)
    for part in (open_paper.header, open_paper.first_page_header, open_paper.first_page_footer):
        assert len(part.paragraphs) >= 1  # Word wants a paragraph in every header and footer


def test_the_chart_is_a_picture_with_its_data_as_alternative_text(export):
    data = export(record=False, fmt="docx").data
    document = _document(data)
    # the risk chart, then the chance chart, as in the PDF
    assert len(document.inline_shapes) == 2
    risks, chances = (s._inline.docPr.get("descr") for s in document.inline_shapes)
    alt = risks
    assert alt.startswith("Balkendiagramm. Risikoanteil je Handlungsfeld")
    assert "Gesamt" not in alt  # the chart shows the fields only, as in the PDF
    assert re.search(r"\d+\u00a0% \(\d+/\d+\)", alt)
    assert chances.startswith("Balkendiagramm. Chancenanteil je Chancenfeld")
    assert re.search(r": (hoch|mittel|gering), \d+\u00a0% \(\d+/\d+\)", chances)
    with zipfile.ZipFile(io.BytesIO(data)) as z:
        png = z.read("word/media/image1.png")
    assert png.startswith(b"\x89PNG")
    caption = next(p for p in document.paragraphs if p.style.name == "Caption")
    assert caption.text.startswith("Risikoanteil je Handlungsfeld")


def test_properties_name_no_login_and_the_file_is_byte_identical(export):
    first = export(record=False, fmt="docx", lang="en")
    second = export(record=False, fmt="docx", lang="en")
    assert first.data == second.data
    props = _document(first.data).core_properties
    assert props.title == "Städtepartnerschaft Braunschweig–Zhuhai: Sachstand und Leitplanken"
    assert props.language == "en-GB"
    assert props.author != current_user() and props.last_modified_by == ""
    assert props.created == props.modified == datetime.fromtimestamp(int(EPOCH), UTC)
    app = parts(first.data)["docProps/app.xml"]
    assert "ChinaDialog Desktop" in app and "python-docx" not in str(parts(first.data))
    with zipfile.ZipFile(io.BytesIO(first.data)) as z:
        stamps = {info.date_time for info in z.infolist()}
        names = z.namelist()
    assert stamps == {datetime.fromtimestamp(int(EPOCH), UTC).timetuple()[:6]}
    assert "docProps/thumbnail.jpeg" not in names  # python-docx's own preview picture
    settings = parts(first.data)["word/settings.xml"]
    assert (
        'w:name="compatibilityMode" w:uri="http://schemas.microsoft.com/office/word" w:val="15"'
        in settings
    )
    assert "proofState" not in settings


def test_long_titles_and_markup_characters_in_names_come_through(db, dossier_id, export):
    from chinadialog_desktop.persistence.models import Dossier

    title = ("Partnerschaft mit einem sehr langen Titel (Beispiel) " * 8).strip()
    odd = 'Partnerschaft "A & B" <Beispiel>'  # quotes and markup characters, also in attributes
    with db.session() as s:
        dossier = s.get(Dossier, dossier_id)
        dossier.title = title
        dossier.partnership_links[0].partnership.title = odd
    document = _document(export(record=False, fmt="docx").data)
    assert any(p.text.endswith(odd) for p in document.paragraphs if p.style.name == "Heading 2")
    captions = [t._tbl.tblPr.find(f"{W}tblCaption") for t in document.tables]
    assert odd in [c.get(f"{W}val") for c in captions if c is not None]
    assert document.core_properties.title == title[:254].rstrip() + "…"
    assert next(p for p in document.paragraphs if p.style.name == "Title").text == title


@pytest.fixture
def rich(db, dossier_id):
    with db.session() as s:
        enrich(s, dossier_id)
    return dossier_id


@pytest.mark.parametrize("lang", ["de", "en"])
def test_public_word_version_names_nobody_and_shows_nothing_internal(rich, export, lang):
    data = export(record=False, fmt="docx", public=True, lang=lang).data
    leaked = {secret: find(data, secret) for secret in SECRETS}
    assert {k: v for k, v in leaked.items() if v} == {}
    login = re.compile(rf"(?<!\w){re.escape(current_user())}(?!\w)", re.IGNORECASE)
    assert [n for n, text in visible_text(data).items() if login.search(text)] == []
    assert find(data, LISTED_ORG) and find(data, RELEASED)
    if lang == "de":
        assert find(data, "eine Kontaktperson des Partners")
        assert find(data, "Namen von Privatpersonen sind durch ihre Rolle ersetzt")


def test_internal_word_version_still_shows_everything(rich, export):
    data = export(record=False, fmt="docx").data
    for secret in (CONTACT, CONTACT_ZH, REASON, INTERNAL_SECTION, NOTE, STAFF["reviewed_by"]):
        assert find(data, secret), secret


def test_change_list_is_the_same_as_in_the_pdf(db, dossier_id, export):
    export(fmt="docx")  # a Word export counts as the last briefing, like a PDF
    with db.session() as s:
        summary = s.scalars(
            select(DossierSection).where(
                DossierSection.dossier_id == dossier_id, DossierSection.key == "summary"
            )
        ).one()
        summary.body += "\n\nNeuer Absatz (Beispiel)."
    pdf = export(record=False, changes=True)
    word = export(changes=True, fmt="docx")
    assert word.changes == pdf.changes == ["Abschnitt „Zusammenfassung“ überarbeitet"]
    text = "\n".join(p.text for p in _document(word.data).paragraphs)
    assert "1\u2002Änderungen seit der letzten Vorlage" in text
    assert "Abschnitt „Zusammenfassung“ überarbeitet" in text
    with db.session() as s:
        rows = s.scalars(select(BriefingExport).order_by(BriefingExport.id)).all()
        assert [r.options.get("format") for r in rows] == ["docx", "docx"]
        assert rows[-1].sha256 == word.sha256 and rows[-1].file_name.endswith(".docx")


def _template(path, suffix=".docx"):
    """A municipality's template (Beispiel): letterhead text, a header, its own heading font."""
    from docx.oxml import parse_xml
    from docx.oxml.ns import nsdecls
    from PIL import Image

    document = docx.Document()
    letterhead = document.add_paragraph(
        "Stadtverwaltung Musterstadt – Der Oberbürgermeister (Beispiel)"
    )
    # Word's own bookmark (id 1) and a logo in the header (drawing id 1), as templates have.
    letterhead._p.insert(
        0, parse_xml(f'<w:bookmarkStart {nsdecls("w")} w:id="1" w:name="_GoBack"/>')
    )
    letterhead._p.append(parse_xml(f'<w:bookmarkEnd {nsdecls("w")} w:id="1"/>'))
    header = document.sections[0].header
    header.paragraphs[0].text = "Briefkopf Musterstadt (Beispiel)"
    logo = io.BytesIO()
    Image.new("RGB", (40, 20), (31, 78, 121)).save(logo, "PNG")
    header.add_paragraph().add_run().add_picture(logo)
    heading = document.styles["Heading 1"]
    heading.font.name = "Times New Roman"
    out = path / f"vorlage{suffix}"
    document.save(out)
    if suffix == ".dotx":  # a Word template: the same package under another content type
        raw = io.BytesIO()
        with zipfile.ZipFile(out) as src, zipfile.ZipFile(raw, "w") as dst:
            for info in src.infolist():
                content = src.read(info)
                if info.filename == "[Content_Types].xml":
                    content = content.replace(b"document.main+xml", b"template.main+xml")
                dst.writestr(info, content)
        out.write_bytes(raw.getvalue())
    return out


@pytest.mark.parametrize("suffix", [".docx", ".dotx"])
def test_a_municipal_template_keeps_its_letterhead_and_styles(export, tmp_path, suffix):
    template = _template(tmp_path, suffix)
    data = export(record=False, fmt="docx", docx_template=template, classification="internal").data
    document = _document(data)
    texts = [p.text for p in document.paragraphs if p.text]
    assert texts[0] == "Stadtverwaltung Musterstadt – Der Oberbürgermeister (Beispiel)"
    assert texts.index("Städtepartnerschaft Braunschweig–Zhuhai: Sachstand und Leitplanken") > 0
    assert document.styles["Heading 1"].font.name == "Times New Roman"  # the template's
    assert document.styles["ChinaDialog Table Text"] is not None  # ours, added
    header = [p.text for p in document.sections[0].header.paragraphs]
    assert header[0] == "NUR FÜR DEN INTERNEN GEBRAUCH"
    assert header[1] == "Briefkopf Musterstadt (Beispiel)"  # the letterhead, then the title
    assert header[-1].endswith("Städtepartnerschaft Braunschweig–Zhuhai: Sachstand und Leitplanken")
    xml = parts(data)
    starts = re.findall(r'<w:bookmarkStart [^>]*w:id="(\d+)"', xml["word/document.xml"])
    assert len(starts) == len(set(starts)) > 1  # the template's and the sources'
    drawings = [
        i
        for name, x in xml.items()
        if name.startswith("word/")
        for i in re.findall(r'<wp:docPr id="(\d+)"', x)
    ]
    assert len(drawings) == len(set(drawings)) == 3  # the logo and the two charts
    assert _headings(document)[0] == (0, "1\u2002Finanzielle Auswirkungen")


def test_a_damaged_template_is_refused_and_nothing_is_written_or_recorded(db, export, tmp_path):
    bad = tmp_path / "kaputt.docx"
    bad.write_bytes(b"PK\x03\x04 not really a zip (Beispiel)")
    with pytest.raises(UserError, match="kaputt.docx"):
        export(fmt="docx", docx_template=bad)
    assert not list(tmp_path.glob("briefing-*"))
    with db.session() as s:
        assert s.scalars(select(BriefingExport)).all() == []


def test_format_follows_the_extension_and_a_contradiction_is_refused():
    assert format_of("a.DOCX") == "docx" and format_of("a.pdf") == "pdf"
    assert format_of("ohne-endung") == "pdf" and format_of("ohne-endung", "docx") == "docx"
    with pytest.raises(UserError, match="x.pdf"):
        format_of("x.pdf", "docx")


@pytest.mark.slow
@pytest.mark.skipif(
    shutil.which("soffice") is None or shutil.which("pdfinfo") is None,
    reason="LibreOffice (soffice; Debian: libreoffice-writer-nogui) or pdfinfo not installed",
)
def test_libreoffice_opens_and_paginates_the_word_file(export, tmp_path):
    result = export(record=False, fmt="docx", classification="vs_nfd", kind="decision")
    source = tmp_path / "Vorlage #1 ä 北京.docx"  # an odd path, as users name files
    source.write_bytes(result.data)
    profile = tmp_path / "lo-profile"  # its own profile: no clash with another soffice
    done = subprocess.run(
        [
            "soffice",
            f"-env:UserInstallation={profile.as_uri()}",
            "--headless",
            "--convert-to",
            "pdf",
            "--outdir",
            str(tmp_path / "out"),
            str(source),
        ],
        capture_output=True,
        text=True,
        timeout=300,
    )
    pdf = tmp_path / "out" / "Vorlage #1 ä 北京.pdf"
    assert pdf.exists(), done.stderr
    info = subprocess.run(["pdfinfo", str(pdf)], capture_output=True, text=True, check=True)
    pages = int(re.search(r"^Pages:\s+(\d+)", info.stdout, re.M).group(1))
    assert pages > 1
    text = subprocess.run(
        ["pdftotext", "-layout", str(pdf), "-"], capture_output=True, text=True, check=True
    ).stdout
    flat = " ".join(text.split())
    assert "Städtepartnerschaft Braunschweig–Zhuhai" in flat
    assert f"Seite 1 von {pages}" in flat and f"Seite {pages} von {pages}" in flat
    assert flat.count("VS – NUR FÜR DEN DIENSTGEBRAUCH") >= 2 * pages


def test_cli_writes_word_by_extension_and_lists_it(tmp_path, capsys, monkeypatch):
    from chinadialog_desktop.cli import main

    monkeypatch.setenv("SOURCE_DATE_EPOCH", EPOCH)
    db = str(tmp_path / "cli.sqlite3")
    assert main(["--db", db, "demo", "load"]) == 0
    capsys.readouterr()
    out = tmp_path / "Vorlage #1 北京.docx"
    assert main(["--db", db, "--lang", "de", "briefing", "Zhuhai", "-o", str(out)]) == 0
    assert "Word-Dokument" in capsys.readouterr().out
    assert _document(out.read_bytes()).core_properties.language == "de-DE"
    assert (
        main(["--db", db, "--lang", "de", "briefing", "Zhuhai", "-o", "x.pdf", "--format", "docx"])
        == 1
    )
    assert "x.pdf" in capsys.readouterr().err
    assert main(["--db", db, "--lang", "de", "briefing", "exports", "Zhuhai"]) == 0
    listing = capsys.readouterr().out
    assert "Word" in listing and "Vorlage #1 北京.docx" in listing


def test_a_cancelled_word_export_writes_and_records_nothing(db, dossier_id, tmp_path):
    from chinadialog_desktop.persistence.models import Dossier
    from chinadialog_desktop.reports.errors import BuildCancelled
    from chinadialog_desktop.services.briefing.export import BriefingOptions, export_briefing

    out = tmp_path / "abgebrochen.docx"
    seen = []
    with pytest.raises(BuildCancelled), db.session() as s:
        export_briefing(
            s,
            s.get(Dossier, dossier_id),
            BriefingOptions(),
            out,
            progress=lambda done, total, message: seen.append((done, total)),
            cancel=lambda: len(seen) >= 3,
            fmt="docx",
        )
    assert len(seen) == 3 and all(0 < d <= t for d, t in seen)
    assert not out.exists() and not list(tmp_path.glob("*.part"))
    with db.session() as s:
        assert s.scalars(select(BriefingExport)).all() == []
