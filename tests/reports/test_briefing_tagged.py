"""The accessible (tagged, PDF/UA-1) briefing, checked by ``helpers.pdf_ua_rules``.

Every PDF briefing is tagged; these tests read the written files back with pikepdf,
poppler (``pdfinfo -struct-text``, ``pdftoppm``) and pypdf.
"""

from __future__ import annotations

import io
import shutil
import subprocess
from datetime import date, timedelta
from pathlib import Path

import pikepdf
import pytest
from helpers.briefing_sample import AS_OF, EPOCH, PARTNERSHIP_UUID
from helpers.pdf import all_text, flat, page_texts
from helpers.pdf_ua_rules import ua_problems
from sqlalchemy import select

from chinadialog_desktop.persistence.models import Activity, Dossier, Partnership
from chinadialog_desktop.reports.pdf import build_pdf
from chinadialog_desktop.services.briefing.export import BriefingOptions, prepare_content


def _elements(data: bytes) -> list[dict[str, object]]:
    """The structure elements in reading order: type, text of /Alt, /Lang, /Scope, depth."""
    out: list[dict[str, object]] = []
    with pikepdf.open(io.BytesIO(data)) as pdf:

        def visit(elem: pikepdf.Object, depth: int) -> None:
            if not isinstance(elem, pikepdf.Dictionary) or "/S" not in elem:
                return
            attrs = elem.get("/A")
            out.append(
                {
                    "type": str(elem.S)[1:],
                    "alt": str(elem.get("/Alt", "")),
                    "lang": str(elem.get("/Lang", "")),
                    "scope": str(attrs.get("/Scope", ""))[1:] if attrs is not None else "",
                    "depth": depth,
                    "kids": [k for k in elem.get("/K", []) if isinstance(k, pikepdf.Dictionary)],
                }
            )
            for kid in elem.get("/K", []):
                visit(kid, depth + 1)

        for kid in pdf.Root.StructTreeRoot.K:
            visit(kid, 0)
    return out


def _untagged(db, dossier_id: int, monkeypatch: pytest.MonkeyPatch, **options: object) -> bytes:
    monkeypatch.setenv("SOURCE_DATE_EPOCH", EPOCH)
    with db.session() as s:
        content = prepare_content(
            s, s.get(Dossier, dossier_id), BriefingOptions(as_of=AS_OF, **options)
        )
    out = io.BytesIO()
    build_pdf(content, out, tagged=False)
    return out.getvalue()


def test_the_checker_fails_on_the_untagged_pdf(db, dossier_id, monkeypatch):
    problems = ua_problems(_untagged(db, dossier_id, monkeypatch, public=True))
    text = "\n".join(problems)
    assert "no structure tree" in text
    assert "not marked as tagged" in text
    assert "text painted outside marked content" in text
    assert "path painted outside marked content" in text
    assert "pdfuaid:part 1" in text
    assert "a link not in the structure tree" in text


def test_public_briefing_is_tagged_and_passes_the_pdf_ua_rules(export):
    result = export(public=True)
    assert ua_problems(result.data) == []
    assert export(public=True).data == result.data  # reproducible under SOURCE_DATE_EPOCH
    elements = _elements(result.data)
    types = [e["type"] for e in elements]
    assert types[0] == "Document"
    assert {"H1", "H2", "H3", "P", "Table", "TR", "TH", "TD", "L", "LI", "Lbl", "LBody"} <= set(
        types
    )
    assert {"Figure", "TOC", "TOCI", "Link"} <= set(types)
    # the title is the first heading, the chapters follow as H1
    headings = [e for e in elements if str(e["type"]).startswith("H")]
    assert headings[0]["type"] == "H1"
    with pikepdf.open(io.BytesIO(result.data)) as pdf:
        assert str(pdf.Root.Lang) == "de-DE"
        assert bool(pdf.Root.ViewerPreferences.DisplayDocTitle)
        meta = pdf.open_metadata()
        assert meta["pdfuaid:part"] == "1"
        assert "Braunschweig–Zhuhai" in str(meta["dc:title"])
        assert str(pdf.docinfo.Title) == str(meta["dc:title"])


def test_internal_briefing_with_chinese_and_charts_passes(export):
    result = export(classification="vs_nfd")
    assert ua_problems(result.data) == []
    elements = _elements(result.data)
    figures = [e for e in elements if e["type"] == "Figure"]
    assert len(figures) == 2  # the risk chart and the chance chart
    risk_alt, chance_alt = (str(f["alt"]) for f in figures)
    assert risk_alt.startswith("Balkendiagramm. Risikoanteil je Handlungsfeld")
    assert "Zweck und Gegenseitigkeit: gelb, 38\u00a0% (5/5)" in risk_alt
    assert "Chance: Kultur" in chance_alt
    scopes = {e["scope"] for e in elements if e["type"] == "TH"}
    assert scopes == {"Column", "Row"}
    assert any(e["type"] == "TD" and e["lang"] == "zh" for e in elements)
    # Chinese inside German text is marked with its language ("Zhuhai (珠海, …)")
    with pikepdf.open(io.BytesIO(result.data)) as pdf:
        spans = [
            str(operands[1].Lang)
            for page in pdf.pages
            for operands, op in pikepdf.parse_content_stream(page)
            if str(op) == "BDC" and str(operands[0]) == "/Span"
        ]
    assert spans and set(spans) == {"zh"}
    # the marking and the running header are artifacts: not in the text of any element,
    # but still on the page
    assert "DIENSTGEBRAUCH" in flat(all_text(result.data)).upper()


def test_english_briefing_names_its_language(export):
    result = export(lang="en", public=True)
    assert ua_problems(result.data) == []
    with pikepdf.open(io.BytesIO(result.data)) as pdf:
        assert str(pdf.Root.Lang) == "en-GB"
        assert pdf.open_metadata()["dc:language"] == {"en-GB"}


@pytest.mark.skipif(shutil.which("pdfinfo") is None, reason="poppler-utils not installed")
def test_poppler_reads_the_structure_in_reading_order(export):
    result = export(public=True)
    out = subprocess.run(
        ["pdfinfo", "-struct-text", str(result.path)],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    lines = [line.strip() for line in out.splitlines()]
    assert lines[0] == "Document"
    h1 = [lines[i + 1] for i, line in enumerate(lines) if line.startswith("H1")]
    assert h1[0].startswith('"Städtepartnerschaft Braunschweig–Zhuhai')
    assert h1[1:4] == [
        '"1 Finanzielle Auswirkungen"',
        '"2 Sachverhalt"',
        '"3 Prüfung nach Leitplanken"',
    ]
    assert "TOC" in lines and '"2.1 Zusammenfassung"' in lines
    # page furniture is no element: "Seite 1 von" appears nowhere in the structure
    assert "Seite 1 von" not in out


@pytest.mark.skipif(shutil.which("pdftoppm") is None, reason="poppler-utils not installed")
def test_tagging_changes_nothing_on_the_page(db, dossier_id, monkeypatch, tmp_path):
    untagged = _untagged(db, dossier_id, monkeypatch, public=True)
    with db.session() as s:
        content = prepare_content(
            s, s.get(Dossier, dossier_id), BriefingOptions(as_of=AS_OF, public=True)
        )
    tagged = io.BytesIO()
    build_pdf(content, tagged)
    images = []
    for name, data in (("untagged", untagged), ("tagged", tagged.getvalue())):
        path = tmp_path / f"{name}.pdf"
        path.write_bytes(data)
        pixels = subprocess.run(
            ["pdftoppm", "-r", "40", "-gray", str(path)], capture_output=True, check=True
        ).stdout
        images.append(pixels)
    assert len(images[0]) > 10_000
    assert images[0] == images[1]
    texts = [
        subprocess.run(
            ["pdftotext", "-layout", str(tmp_path / f"{name}.pdf"), "-"],
            capture_output=True,
            check=True,
        ).stdout
        for name in ("untagged", "tagged")
    ]
    assert b"Braunschweig" in texts[0] and texts[0] == texts[1]


def test_a_table_over_several_pages_is_one_table_with_one_header_row(db, dossier_id, export):
    with db.session() as s:
        p = s.scalars(select(Partnership).where(Partnership.uuid == PARTNERSHIP_UUID)).one()
        for i in range(90):
            p.activities.append(
                Activity(
                    date=date(2010, 1, 1) + timedelta(days=30 * i),
                    kind="exchange",
                    title=f"Austausch {i + 1} (Beispiel)",
                    location="Braunschweig",
                )
            )
        count = len(p.activities)
    result = export(public=True)
    assert ua_problems(result.data) == []
    elements = _elements(result.data)
    tables = [e for e in elements if e["type"] == "Table"]
    rows = max(len(t["kids"]) for t in tables)  # the timeline, the longest table
    assert rows == count + 1  # its header once; repeated on later pages as an artifact
    # the repeated header is still printed on the continuation pages
    pages_with_header = [t for t in page_texts(result.data) if "Datum" in t and "Vorgang" in t]
    assert len(pages_with_header) >= 2


@pytest.fixture(scope="module")
def public_pdf(export_once) -> bytes:
    """The public briefing (as ``export(public=True)``), made once: the tests break copies."""
    return export_once(public=True)


@pytest.mark.parametrize(
    ("damage", "expected"),
    [
        ("alt", "a Figure without alternative text"),
        ("scope", "without /Scope"),
        ("heading", "heading H3 follows H1"),
        ("lang", "no document language"),
        ("title", "the title is not shown"),
        ("artifact", "painted outside marked content"),
    ],
)
def test_the_checker_finds_each_broken_rule(public_pdf, tmp_path: Path, damage, expected):
    """Break one rule in a passing file: the checker names it (so it can fail)."""
    data = public_pdf
    with pikepdf.open(io.BytesIO(data)) as pdf:
        elems = _all_elems(pdf)
        if damage == "alt":
            del next(e for e in elems if str(e.S) == "/Figure").Alt
        elif damage == "scope":
            del next(e for e in elems if str(e.S) == "/TH").A
        elif damage == "heading":
            next(e for e in elems if str(e.S) == "/H2").S = pikepdf.Name.H3
        elif damage == "lang":
            del pdf.Root.Lang
        elif damage == "title":
            del pdf.Root.ViewerPreferences.DisplayDocTitle
        else:  # the page furniture's artifact markers taken away
            page = pdf.pages[1]
            kept = [
                (operands, op)
                for operands, op in pikepdf.parse_content_stream(page)
                if not (str(op) == "BDC" and str(operands[0]) == "/Artifact")
            ]
            page.Contents = pdf.make_stream(pikepdf.unparse_content_stream(_balance(kept)))
        out = io.BytesIO()
        pdf.save(out)
    problems = ua_problems(out.getvalue())
    assert any(expected in p for p in problems), problems


def _balance(ops: list[tuple[object, object]]) -> list[tuple[object, object]]:
    """Remove EMCs that no longer close anything."""
    depth = 0
    out = []
    for operands, op in ops:
        name = str(op)
        if name in ("BDC", "BMC"):
            depth += 1
        elif name == "EMC":
            if depth == 0:
                continue
            depth -= 1
        out.append((operands, op))
    return out


def _all_elems(pdf: pikepdf.Pdf) -> list[pikepdf.Dictionary]:
    found: list[pikepdf.Dictionary] = []

    def visit(elem: pikepdf.Object) -> None:
        if isinstance(elem, pikepdf.Dictionary) and "/S" in elem:
            found.append(elem)
            for kid in elem.get("/K", []):
                visit(kid)

    for kid in pdf.Root.StructTreeRoot.K:
        visit(kid)
    return found


def test_appended_anlagen_keep_the_briefings_own_pages_tagged(export, tmp_path):
    """A PDF Anlage is appended as it is (untagged here): the briefing's own pages keep
    their structure; only the Anlage's pages break the rules, and the checker says so."""
    from reportlab.pdfgen.canvas import Canvas

    extra = tmp_path / "anlage.pdf"
    canvas = Canvas(str(extra), invariant=1)
    canvas.drawString(72, 720, "Stellungnahme (Beispiel)")
    canvas.showPage()
    canvas.save()
    tagged = tmp_path / "getaggt.pdf"  # a tagged PDF of its own: its keys must not stay
    tagged.write_bytes(export(record=False, lang="en").data)
    result = export(record=False, public=True, attach=(str(extra), str(tagged)))
    problems = ua_problems(result.data)
    assert problems  # not PDF/UA as a whole: the Anlagen are not tagged
    with pikepdf.open(io.BytesIO(result.data)) as pdf:
        own = next(i for i, p in enumerate(pdf.pages) if "/StructParents" not in p.obj)
        assert own > 5
        assert all("/StructParents" not in p.obj for p in pdf.pages[own:])
        for page in pdf.pages[own:]:
            assert all("/StructParent" not in a for a in page.obj.get("/Annots", []))
    claim = "no PDF/UA identification (pdfuaid:part 1) in XMP"
    assert claim in problems  # the file does not claim what only its own pages are
    pages = [p for p in problems if p != claim]
    assert all(int(p.split()[1].rstrip(":")) > own for p in pages), pages
    elements = _elements(result.data)
    assert elements[0]["type"] == "Document" and len(elements) > 400


def test_the_pdf_figures_say_what_the_word_pictures_say(export):
    """One description per chart (charts.chart_alt), in the PDF and in the Word file."""
    from docx import Document

    pdf_alts = [e["alt"] for e in _elements(export(record=False).data) if e["type"] == "Figure"]
    document = Document(io.BytesIO(export(record=False, fmt="docx").data))
    word_alts = [s._inline.docPr.get("descr") for s in document.inline_shapes]
    assert pdf_alts == word_alts and len(pdf_alts) == 2


@pytest.mark.skipif(shutil.which("pdfinfo") is None, reason="poppler-utils not installed")
def test_the_classification_marking_is_read_once_first(export):
    """On every page the marking is furniture (an artifact); a screen reader meets it once,
    as the document's first paragraph."""
    result = export(classification="vs_nfd")
    out = subprocess.run(
        ["pdfinfo", "-struct-text", str(result.path)], capture_output=True, text=True, check=True
    ).stdout
    lines = [line.strip() for line in out.splitlines()]
    assert lines[:3] == ["Document", "P (block)", '"VS – NUR FÜR DEN DIENSTGEBRAUCH"']
    assert out.count("DIENSTGEBRAUCH") == 1
    assert result.page_count > 5 and ua_problems(result.data) == []


def test_the_command_line_writes_a_tagged_pdf_to_an_odd_path(tmp_path, capsys, monkeypatch):
    """``chinadialog briefing DOSSIER -o OUT.pdf --public``: tagged, in a folder named
    with ``#``, umlauts and Chinese characters."""
    from chinadialog_desktop.cli import main

    monkeypatch.setenv("SOURCE_DATE_EPOCH", EPOCH)
    db = str(tmp_path / "cli.sqlite3")
    assert main(["--db", db, "demo", "load"]) == 0
    out = tmp_path / "Räte #2 珠海" / "vorlage öffentlich.pdf"
    assert main(["--db", db, "briefing", "Kiel", "-o", str(out), "--public"]) == 0
    capsys.readouterr()
    assert ua_problems(out.read_bytes()) == []
