"""The dossier's small markup, as the briefing's writers read it."""

from __future__ import annotations

from chinadialog_desktop.services.briefing.content import Run, cited_numbers, parse_markup


def test_paragraphs_lists_and_inline_styles():
    body = (
        "Erster Absatz mit **fett** und *kursiv*\nüber zwei Zeilen.\n\n"
        "- Punkt eins [2]\n- Punkt **zwei**\n\n"
        "1. Schritt\n2. Schritt mit <b>kein HTML</b>"
    )
    blocks = parse_markup(body)
    assert [b.kind for b in blocks] == ["para", "bullet", "bullet", "number", "number"]
    assert blocks[0].runs == (
        Run("Erster Absatz mit "),
        Run("fett", bold=True),
        Run(" und "),
        Run("kursiv", italic=True),
        Run(" über zwei Zeilen."),
    )
    assert blocks[1].runs[-1] == Run("[2]", cite=2)
    assert blocks[4].number == "2"
    assert blocks[4].runs == (Run("Schritt mit <b>kein HTML</b>"),)


def test_cited_numbers():
    assert cited_numbers("Siehe [1] und [12], nicht [x].") == {1, 12}


def test_html_in_the_text_is_escaped_in_the_pdf_markup():
    from chinadialog_desktop.reports.markup import inline_xml

    xml = inline_xml(parse_markup("<script>&</script> **a<b**")[0].runs)
    assert xml == "&lt;script&gt;&amp;&lt;/script&gt; <b>a&lt;b</b>"


def test_bold_italic_and_a_lone_asterisk():
    runs = parse_markup("***beides*** und 3 * 4 = 12")[0].runs
    assert runs[0] == Run("beides", bold=True, italic=True)
    assert "".join(r.text for r in runs) == "beides und 3 * 4 = 12"


def test_escapes_and_links_as_the_rich_text_editor_stores_them():
    runs = parse_markup(r"5 \* 3 \[4] [3] a\\b \- c")[0].runs
    assert "".join(r.text for r in runs) == r"5 * 3 [4] [3] a\b - c"
    assert [r.cite for r in runs if r.cite] == [3]  # only the unescaped one is a citation
    assert parse_markup(r"\- kein Punkt")[0].kind == "para"
    runs = parse_markup(
        "Siehe [Stadt](https://www.braunschweig.de/) und "
        "[buero@example.org](mailto:buero@example.org)"
    )[0].runs
    assert "".join(r.text for r in runs) == (
        "Siehe Stadt (https://www.braunschweig.de/) und buero@example.org"
    )
    # an address of another kind is not a link: printed as written
    assert parse_markup("[x](javascript:alert(1))")[0].runs == (Run("[x](javascript:alert(1))"),)
