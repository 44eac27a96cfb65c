"""The PDF briefing, read back with pypdf: text, fonts, pages, marking, metadata, versions."""

from __future__ import annotations

import re

import pytest
from helpers.briefing_sample import INTERNAL_NOTE
from helpers.pdf import all_text, flat, page_texts, reader
from pypdf.generic import IndirectObject
from sqlalchemy import select

from chinadialog_desktop.persistence.models import BriefingExport, Dossier, DossierSection

pytestmark = pytest.mark.both_engines


def test_german_umlauts_and_chinese_names_extract(export):
    text = flat(all_text(export().data))
    assert "Städtepartnerschaft Braunschweig–Zhuhai: Sachstand und Leitplanken" in text
    assert "Beschlussvorschlag" not in text  # an information paper has none
    assert "珠海市" in text  # the Chinese party in characters
    assert "Zhūhǎi Shì" in text  # pinyin with the third tone (a stand-in glyph in the font)
    assert "Federführende Stelle" in text
    assert "Zuständigkeit" in text and "Vorberatung" in text and "zur Kenntnis" in text


def test_page_count_is_recorded_and_every_page_says_seite_x_von_y(export, db):
    result = export()
    pages = page_texts(result.data)
    assert result.page_count == len(pages) > 5
    for number, text in enumerate(pages, start=1):
        assert f"Seite {number} von {len(pages)}" in text
    with db.session() as s:
        row = s.get(BriefingExport, result.export_id)
        assert row.page_count == len(pages)
        assert row.sha256 == result.sha256
        assert row.options["lang"] == "de"
        assert row.snapshot["header"]["title"].startswith("Städtepartnerschaft")
        assert row.user


def _outline(pdf, items, depth=0):
    for item in items:
        if isinstance(item, list):
            yield from _outline(pdf, item, depth + 1)
        else:
            yield depth, item.title, pdf.get_destination_page_number(item) + 1


def test_table_of_contents_and_bookmarks(export):
    data = export().data
    pdf = reader(data)
    first = flat(page_texts(data)[0])
    assert "Inhalt" in first
    entries = (
        "1 Finanzielle Auswirkungen",
        "2 Sachverhalt",
        "2.3 Braunschweig–Zhuhai",
        "3 Prüfung nach Leitplanken",
        "5 Register",
        "6 Bewertung",
        "7 Quellen",
        "8 Anlagen",
        "Anlage 1: Bewertungen im Einzelnen",
    )
    for entry in entries:
        assert entry in first, entry
    # every TOC page number is the page its bookmark (and heading) is on
    bookmarks = {
        title.replace("\u2002", " "): page for _, title, page in _outline(pdf, pdf.outline)
    }
    numbers = [int(n) for n in re.findall(r"(?:\.\s+){3,}(\d+)", first)]
    listed = [t for t in bookmarks if t in first and re.match(r"\d|Anlage \d", t)]
    assert numbers == [bookmarks[t] for t in listed]
    assert bookmarks["3 Prüfung nach Leitplanken"] > 1
    page = page_texts(data)[bookmarks["3 Prüfung nach Leitplanken"] - 1]
    assert "3 Prüfung nach Leitplanken" in page.replace("\u2002", " ")


def test_short_briefing_has_no_table_of_contents(db, export):
    with db.session() as s:
        d = s.scalars(select(Dossier).where(Dossier.title.like("Kiel%"))).one()
        kiel = d.id
    from chinadialog_desktop.services.briefing.content import build_content
    from chinadialog_desktop.services.briefing.export import BriefingOptions, render_pdf

    with db.session() as s:
        content = build_content(s, s.get(Dossier, kiel), BriefingOptions())
    data, pages = render_pdf(content)
    assert pages < 5
    assert "Inhalt" not in all_text(data)


def test_marking_on_top_and_bottom_of_every_page(export):
    result = export(classification="vs_nfd")
    for text in page_texts(result.data):
        assert text.count("VS – NUR FÜR DEN DIENSTGEBRAUCH") == 2
    open_version = export(classification="open")
    assert "DIENSTGEBRAUCH" not in all_text(open_version.data)


def _fonts(data: bytes):
    pdf = reader(data)
    seen = {}
    for page in pdf.pages:
        resources = page["/Resources"]
        for ref in resources.get("/Font", {}).values():
            font = ref.get_object()
            seen[font["/BaseFont"]] = font
    return seen


def test_every_font_is_embedded_as_truetype(export):
    fonts = _fonts(export(classification="vs_nfd").data)
    assert fonts, "no fonts found"
    for name, font in fonts.items():
        descendants = font.get("/DescendantFonts")
        target = descendants[0].get_object() if descendants else font
        descriptor = target["/FontDescriptor"]
        if isinstance(descriptor, IndirectObject):
            descriptor = descriptor.get_object()
        assert "/FontFile2" in descriptor, f"{name} is not embedded"
        assert "Helvetica" not in str(name)


@pytest.mark.parametrize("options", [{"public": True}, {"kind": "decision"}])
def test_boxed_parts_name_no_unembedded_font(export, options):
    """The public-version notice and the resolution box are tables of their own."""
    fonts = _fonts(export(**options).data)
    assert fonts
    assert not [name for name in fonts if "Helvetica" in str(name)]


def test_metadata(export):
    pdf = reader(export().data)
    meta = pdf.metadata
    assert meta.title == "Städtepartnerschaft Braunschweig–Zhuhai: Sachstand und Leitplanken"
    assert meta.author == "Referat für Internationales (Beispiel)"
    assert meta.subject == "Informationsvorlage zu Braunschweig–Zhuhai"
    assert "Leitplanken" in meta["/Keywords"] and "Braunschweig–Zhuhai" in meta["/Keywords"]
    assert pdf.trailer["/Root"]["/Lang"] == "de-DE"
    english = reader(export(lang="en").data)
    assert english.trailer["/Root"]["/Lang"] == "en-GB"


def test_public_version_leaves_out_internal_sections_and_notes(db, dossier_id, export):
    with db.session() as s:
        risks = s.scalars(
            select(DossierSection).where(
                DossierSection.dossier_id == dossier_id, DossierSection.key == "risks"
            )
        ).one()
        risks.internal = True
    internal = flat(all_text(export().data))
    public = flat(all_text(export(public=True).data))
    phrase = "Politische Vereinnahmung"
    assert phrase in internal and INTERNAL_NOTE in internal
    assert phrase not in public
    assert INTERNAL_NOTE not in public
    # the section, the note, and the file not released for the public version
    assert "Öffentliche Fassung" in public
    assert "nicht freigegebene Dateien: 3) sind nicht enthalten" in public
    assert "Chancen" in public  # the rest is still there


def test_public_version_cannot_carry_a_marking(export):
    import pytest

    from chinadialog_desktop.errors import UserError

    with pytest.raises(UserError):
        export(public=True, classification="vs_nfd")


def test_two_exports_under_the_same_source_date_epoch_are_identical(export):
    first = export(classification="vs_nfd")
    second = export(classification="vs_nfd")
    assert first.data == second.data
    assert first.sha256 == second.sha256
    assert first.path.read_bytes() == first.data
    # 1795000000 = 2026-11-18 (read from the Info dictionary: the tagged PDF keeps its
    # objects in compressed object streams)
    assert str(reader(first.data).metadata["/CreationDate"]).startswith("D:20261118")


def test_english_briefing(export):
    text = flat(all_text(export(lang="en").data))
    assert "2 Facts" in text and "Guardrail assessment" in text
    assert "Page 1 of" in text
    assert "Twin-city partnership" in text


def test_decision_paper_shows_the_proposed_resolution(db, dossier_id, export):
    with db.session() as s:
        s.get(Dossier, dossier_id).proposed_resolution = (
            "Der Rat nimmt den Sachstand zur Kenntnis und beauftragt die Verwaltung, "
            "**jährlich** zu berichten."
        )
    text = flat(all_text(export(kind="decision").data))
    assert "Beschlussvorlage" in text
    assert "Beschlussvorschlag" in text
    assert "beauftragt die Verwaltung, jährlich zu berichten" in text
    info = flat(all_text(export().data))
    assert "beauftragt die Verwaltung" not in info


def test_citations_link_to_the_source_list(export):
    data = export().data
    pdf = reader(data)
    texts = page_texts(data)
    sources_page = next(
        i
        for i, t in enumerate(texts)
        if "[1] Stadt Braunschweig: Stellungnahme 23-20838-01" in flat(t)
    )
    targets = []
    for index, page in enumerate(pdf.pages):
        for ref in page.get("/Annots", []):
            dest = ref.get_object().get("/Dest")
            if dest is not None and index < sources_page:
                targets.append(pdf.get_page_number(dest[0].get_object()))
    assert sources_page in targets  # "[1]" in the text jumps to the source list


def test_a_bare_dossier_gives_a_short_briefing_without_empty_chapters(db, tmp_path):
    from chinadialog_desktop.services.briefing.export import BriefingOptions, export_briefing

    with db.session() as s:
        d = Dossier(title="Nur ein Titel & <Sonderzeichen>")
        s.add(d)
        s.flush()
        result = export_briefing(s, d, BriefingOptions(kind="decision"), tmp_path / "bare.pdf")
    text = flat(all_text(result.data))
    assert result.page_count == 1
    assert "Nur ein Titel & <Sonderzeichen>" in text
    assert "Beschlussvorschlag" in text and "noch nicht formuliert" in text
    assert "noch keine Prüfung" in text  # the council learns that nothing was checked
    for empty in ("Sachverhalt", "Quellen", "Anlagen", "Bewertung", "Finanzielle"):
        assert empty not in text


def test_bold_is_outlined_and_italic_slanted_without_other_fonts(export):
    pdf = reader(export().data)
    streams = b"".join(p.get_contents().get_data() for p in pdf.pages)
    assert b" 2 Tr " in streams  # bold: fill and stroke
    assert b"1 0 .2 1 " in streams  # italic: sheared text matrix ("*Beispiel*" in the text)
    text = flat(all_text(export().data))
    assert "Die in der Zeitleiste als Beispiel markierten Einträge" in text
