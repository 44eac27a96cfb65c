"""Turn the briefing's PDF into PDF/A-2b or PDF/A-3b for the e-Akte (issue 18, point 2).

One entry point, ``make_archival(data, part, lang, files)``: it post-processes the bytes
ReportLab (and the Anlagen step) wrote, with pikepdf, and returns new bytes:

- XMP metadata built from the Info dictionary (``write_xmp``: dc:title, dc:creator,
  dc:description, dc:language, pdf:Keywords, pdf:Producer, xmp:CreatorTool, xmp dates)
  with the PDF/A identification (pdfaid:part 2 or 3, conformance B); the Info dictionary
  is then written back from the XMP, so the two always agree;
- an output intent (GTS_PDFA1) with the embedded sRGB ICC profile from
  ``resources/color``;
- nothing PDF/A forbids: no JavaScript, no Launch/Sound/Movie/… actions, no additional
  actions; every annotation printable and not hidden;
- PDF/A-3 only: the given files embedded as associated files (/AF on the catalogue,
  /AFRelationship, MIME subtype, in the EmbeddedFiles name tree).

Fonts: the briefing's own fonts are TrueType subsets ReportLab embeds with widths and a
ToUnicode map (``reports.fonts``); no standard-14 font is used. An appended Anlage is
checked by ``obstacles`` before this step (``services.briefing.export``).

Reproducible: no clock is read; dates come from the Info dictionary (the epoch under
SOURCE_DATE_EPOCH) or ``moment``, and the file identifier is derived from the content.
"""

from __future__ import annotations

import io
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from datetime import datetime
from functools import cache
from typing import Any

PARTS = (2, 3)
CONFORMANCE = "B"
ICC_FILE = "sRGB-v2-magic.icc"
OUTPUT_CONDITION = "sRGB IEC61966-2.1"
PRODUCER_SUFFIX = "pikepdf (PDF/A)"

# Actions PDF/A-2 and PDF/A-3 forbid (ISO 19005-2, 6.5.1); GoTo, GoToR, URI, Named … stay.
FORBIDDEN_ACTIONS = frozenset(
    {
        "/Launch",
        "/Sound",
        "/Movie",
        "/ResetForm",
        "/ImportData",
        "/JavaScript",
        "/Hide",
        "/SetOCGState",
        "/Rendition",
        "/Trans",
        "/GoTo3DView",
        "/GoToE",
    }
)
ALLOWED_NAMED = frozenset({"/NextPage", "/PrevPage", "/FirstPage", "/LastPage"})
# Annotation types PDF/A forbids (6.3.1); FileAttachment only in PDF/A-3 … kept out of both.
FORBIDDEN_ANNOTATIONS = frozenset({"/Sound", "/Movie", "/Screen", "/3D", "/FileAttachment"})
RELATIONSHIPS = frozenset({"Source", "Data", "Alternative", "Supplement", "Unspecified"})


@dataclass(frozen=True)
class ArchiveFile:
    """A file embedded in a PDF/A-3 as an associated file."""

    file_name: str
    data: bytes
    media_type: str = "application/octet-stream"
    description: str = ""
    relationship: str = "Data"  # a dossier's files are the data the briefing speaks of


@cache
def srgb_profile() -> bytes:
    """The bundled sRGB ICC profile (CC0; see resources/color/README.md)."""
    from chinadialog_desktop.paths import resources_dir

    return (resources_dir() / "color" / ICC_FILE).read_bytes()


def make_archival(
    data: bytes,
    part: int = 2,
    lang: str | None = None,
    files: Sequence[ArchiveFile] = (),
    moment: datetime | None = None,
    pdfua: int | None = None,
) -> bytes:
    """``data`` as PDF/A-``part``b; ``files`` are embedded only with ``part`` 3.

    ``lang``: the document's language for dc:language (default: the catalogue's /Lang,
    which the layout set). ``moment``: the date given to embedded files (default: the
    document's creation date). ``pdfua``: also identify a tagged file as PDF/UA-``pdfua``
    (``write_xmp``).
    """
    import pikepdf

    if part not in PARTS:
        raise ValueError(f"PDF/A part {part} is not supported")
    with pikepdf.open(io.BytesIO(data)) as pdf:
        _remove_forbidden(pdf)
        _add_output_intent(pdf)
        if part == 3 and files:
            _embed(pdf, files, moment)
        write_xmp(pdf, part, lang or str(pdf.Root.get("/Lang", "")) or "de-DE", pdfua)
        out = io.BytesIO()
        pdf.save(  # decoding "generalized" (the default): LZW streams come out as Flate
            out,
            min_version="1.7",
            deterministic_id=True,
            compress_streams=True,
            object_stream_mode=pikepdf.ObjectStreamMode.preserve,
        )
    return out.getvalue()


def write_xmp(pdf: Any, part: int, lang: str, pdfua: int | None = None) -> None:
    """Build the XMP packet from the Info dictionary, add the PDF/A identification,
    and write the Info dictionary back from it (one fact, one place).

    ``pdfua``: also identify the file as PDF/UA-``pdfua`` (pdfuaid:part); PDF/A
    allows only predefined XMP properties, so the pdfuaid schema is then declared
    in a pdfaExtension schema as well.
    """
    import pikepdf

    info = pdf.docinfo
    producer = str(info.get("/Producer", "") or "")
    if PRODUCER_SUFFIX not in producer:
        info["/Producer"] = f"{producer}; {PRODUCER_SUFFIX}" if producer else PRODUCER_SUFFIX
    if "/Trapped" in info:  # ReportLab's "/False": optional, and without an XMP twin here
        del info["/Trapped"]
    if "/ModDate" not in info and "/CreationDate" in info:
        info["/ModDate"] = info["/CreationDate"]
    with pdf.open_metadata(set_pikepdf_as_editor=False, update_docinfo=True) as meta:
        meta.load_from_docinfo(info, delete_missing=True, raise_failure=True)
        meta["dc:language"] = [lang]
        meta["dc:format"] = "application/pdf"
        if "xmp:ModifyDate" in meta:  # the metadata were written when the file was
            meta["xmp:MetadataDate"] = meta["xmp:ModifyDate"]
        meta["pdfaid:part"] = str(part)
        meta["pdfaid:conformance"] = CONFORMANCE
        if pdfua is not None:
            meta["pdfuaid:part"] = str(pdfua)
        elif "pdfuaid:part" in meta:  # a claim only a tagged file throughout may make
            del meta["pdfuaid:part"]
    if pdfua is not None:
        _declare_schema(pdf, PDFUA_SCHEMA)
    pdf.Root.Metadata[pikepdf.Name.Type] = pikepdf.Name.Metadata


# (schema name, namespace URI, prefix, [(property, value type, description)])
Schema = tuple[str, str, str, list[tuple[str, str, str]]]
PDFUA_SCHEMA: Schema = (
    "PDF/UA Universal Accessibility Schema",
    "http://www.aiim.org/pdfua/ns/id/",
    "pdfuaid",
    [("part", "Integer", "Indicates, which part of ISO 14289 standard is followed")],
)
_EXT = {
    "rdf": "http://www.w3.org/1999/02/22-rdf-syntax-ns#",
    "pdfaExtension": "http://www.aiim.org/pdfa/ns/extension/",
    "pdfaSchema": "http://www.aiim.org/pdfa/ns/schema#",
    "pdfaProperty": "http://www.aiim.org/pdfa/ns/property#",
}


def _declare_schema(pdf: Any, schema: Schema) -> None:
    """Declare a non-predefined XMP schema in a pdfaExtension description (6.6.2.3)."""
    from lxml import etree  # type: ignore[import-untyped]

    name, uri, prefix, properties = schema
    stream = pdf.Root.Metadata
    root = etree.fromstring(stream.read_bytes())
    rdf = root.find(f"{{{_EXT['rdf']}}}RDF")
    assert rdf is not None

    def el(parent: Any, ns: str, tag: str, text: str | None = None, **attrs: str) -> Any:
        child = etree.SubElement(parent, f"{{{_EXT[ns]}}}{tag}", nsmap=_EXT)
        for key, value in attrs.items():
            child.set(f"{{{_EXT['rdf']}}}{key}", value)
        child.text = text
        return child

    description = el(rdf, "rdf", "Description", about="")
    entry = el(el(el(description, "pdfaExtension", "schemas"), "rdf", "Bag"), "rdf", "li")
    entry.set(f"{{{_EXT['rdf']}}}parseType", "Resource")
    el(entry, "pdfaSchema", "schema", name)
    el(entry, "pdfaSchema", "namespaceURI", uri)
    el(entry, "pdfaSchema", "prefix", prefix)
    sequence = el(el(entry, "pdfaSchema", "property"), "rdf", "Seq")
    for prop, value_type, text in properties:
        item = el(sequence, "rdf", "li", parseType="Resource")
        el(item, "pdfaProperty", "name", prop)
        el(item, "pdfaProperty", "valueType", value_type)
        el(item, "pdfaProperty", "category", "internal")
        el(item, "pdfaProperty", "description", text)
    body = etree.tostring(root, encoding="utf-8")
    head = '<?xpacket begin="\ufeff" id="W5M0MpCehiHzreSzNTczkc9d"?>\n'.encode()
    stream.write(head + body + b'\n<?xpacket end="w"?>')


def _add_output_intent(pdf: Any) -> None:
    import pikepdf

    profile = pdf.make_stream(srgb_profile())
    profile[pikepdf.Name.N] = 3
    intent = pikepdf.Dictionary(
        Type=pikepdf.Name.OutputIntent,
        S=pikepdf.Name.GTS_PDFA1,
        OutputConditionIdentifier=pikepdf.String(OUTPUT_CONDITION),
        Info=pikepdf.String(OUTPUT_CONDITION),
        RegistryName=pikepdf.String("http://www.color.org"),
        DestOutputProfile=profile,
    )
    pdf.Root.OutputIntents = pikepdf.Array([pdf.make_indirect(intent)])


def _walk(obj: Any, seen: set[tuple[int, int]]) -> Iterator[Any]:
    """Every dictionary reachable from ``obj`` (each indirect object once)."""
    import pikepdf

    containers = (pikepdf.Dictionary, pikepdf.Array, pikepdf.Stream)
    stack = [obj]
    while stack:
        item = stack.pop()
        if not isinstance(item, containers):
            continue
        if item.is_indirect:
            key = item.objgen
            if key in seen:
                continue
            seen.add(key)
        if isinstance(item, pikepdf.Stream):
            item = item.stream_dict
        if isinstance(item, pikepdf.Dictionary):
            yield item
            stack.extend(v for k, v in item.items() if k != "/Parent")
        elif isinstance(item, pikepdf.Array):
            stack.extend(item)


def _remove_forbidden(pdf: Any) -> None:
    """Drop JavaScript, forbidden actions and annotations; make annotations printable."""
    import pikepdf

    root = pdf.Root
    for key in ("/AA", "/AcroForm"):  # the briefing has no form; an Anlage's form is dead
        if key in root and (key == "/AA" or not root[key].get("/Fields")):
            del root[key]
    if "/Names" in root and "/JavaScript" in root.Names:
        del root.Names["/JavaScript"]
    for page in pdf.pages:
        obj = page.obj
        if "/AA" in obj:
            del obj["/AA"]
        annots = obj.get("/Annots")
        if annots is None:
            continue
        kept = pikepdf.Array()
        for annot in annots:
            if str(annot.get("/Subtype", "")) in FORBIDDEN_ANNOTATIONS:
                continue
            flags = int(annot.get("/F", 0))
            annot.F = (flags | 4) & ~(1 | 2 | 32)  # Print on; Invisible, Hidden, NoView off
            kept.append(annot)
        obj.Annots = kept
    seen: set[tuple[int, int]] = set()
    for item in _walk(root, seen):  # a link or bookmark that would act forbiddenly does nothing
        if "/AA" in item and item.get("/Type") != "/Catalog":
            del item["/AA"]
        for key in ("/A", "/OpenAction"):
            if _forbidden(item.get(key)):
                del item[key]
        chained = item.get("/Next")
        if isinstance(chained, pikepdf.Array):
            item.Next = pikepdf.Array([a for a in chained if not _forbidden(a)])
        elif _forbidden(chained):
            del item["/Next"]
    form = root.get("/AcroForm")
    if form is not None and "/NeedAppearances" in form:
        del form["/NeedAppearances"]


def _forbidden(action: Any) -> bool:
    """An action PDF/A forbids (6.5.1): JavaScript, Launch, …, or a Named one beyond paging."""
    import pikepdf

    if not isinstance(action, pikepdf.Dictionary):
        return False
    kind = str(action.get("/S", ""))
    if kind == "/Named":
        return str(action.get("/N", "")) not in ALLOWED_NAMED
    return kind in FORBIDDEN_ACTIONS


def _embed(pdf: Any, files: Sequence[ArchiveFile], moment: datetime | None) -> None:
    """The files as associated files of the document (PDF/A-3, 6.8)."""
    import pikepdf

    when = moment or _creation(pdf)
    stamp = when.strftime("D:%Y%m%d%H%M%S") + "+00'00'" if when else ""
    af = pikepdf.Array()
    used: set[str] = set()
    for file in files:
        if file.relationship not in RELATIONSHIPS:
            raise ValueError(f"unknown AFRelationship {file.relationship!r}")
        name = _unique(file.file_name or "Anlage", used)
        spec = pikepdf.AttachedFileSpec(
            pdf,
            file.data,
            description=file.description,
            filename=name,
            mime_type=file.media_type or "application/octet-stream",
            creation_date=stamp,
            mod_date=stamp,
            relationship=pikepdf.Name("/" + file.relationship),
        )
        pdf.attachments[name] = spec
        af.append(pdf.attachments[name].obj)
    pdf.Root.AF = af


def _unique(name: str, used: set[str]) -> str:
    """The file's name, numbered when two files share one ("a.pdf", "a (2).pdf")."""
    stem, dot, ext = name.rpartition(".")
    if not dot:
        stem, ext = name, ""
    candidate, n = name, 1
    while candidate in used:
        n += 1
        candidate = f"{stem} ({n}){dot}{ext}"
    used.add(candidate)
    return candidate


def _creation(pdf: Any) -> datetime | None:
    from pikepdf.models.metadata import decode_pdf_date

    text = str(pdf.docinfo.get("/CreationDate", "") or "")
    try:
        return decode_pdf_date(text) if text else None
    except ValueError:
        return None


@dataclass(frozen=True)
class Obstacles:
    """What keeps a PDF's pages out of a PDF/A with an sRGB output intent."""

    fonts: tuple[str, ...] = ()  # fonts used without being embedded (6.2.11.4)
    cmyk: bool = False  # DeviceCMYK without a DefaultCMYK profile (6.2.4.3)

    def __bool__(self) -> bool:
        return bool(self.fonts or self.cmyk)


def obstacles(data: bytes) -> Obstacles:
    """Check a PDF whose pages are to be appended to a PDF/A (an Anlage).

    Not a validator: the rules an office's ordinary PDF breaks most often and this step
    cannot mend (fonts not embedded, print-shop CMYK); LZW compression (6.1.7.2) it
    mends itself, as qpdf rewrites such streams with Flate. The output is checked whole
    in the tests and, on the administration's machines, by veraPDF.
    """
    import pikepdf

    fonts: set[str] = set()
    cmyk = False
    with pikepdf.open(io.BytesIO(data)) as pdf:
        seen: set[tuple[int, int]] = set()
        for page in pdf.pages:
            for item in _walk(page.obj, seen):
                if item.get("/Type") == "/Font" or "/BaseFont" in item:
                    subtype = str(item.get("/Subtype", ""))
                    if subtype in ("/Type3", "/Type0"):  # Type 0: its descendant is checked
                        continue
                    descriptor = item.get("/FontDescriptor")
                    if descriptor is None or not any(
                        k in descriptor for k in ("/FontFile", "/FontFile2", "/FontFile3")
                    ):
                        fonts.add(str(item.get("/BaseFont", "?")).lstrip("/"))
                elif any(
                    str(v) == "/DeviceCMYK" for k, v in item.items() if k != "/DefaultCMYK"
                ) or _uses_cmyk_space(item):
                    cmyk = True
            if not cmyk:
                cmyk = _draws_cmyk(page)
    return Obstacles(tuple(sorted(fonts)), cmyk)


def _uses_cmyk_space(item: Any) -> bool:
    import pikepdf

    spaces = item.get("/ColorSpace")
    if not isinstance(spaces, pikepdf.Dictionary) or "/DefaultCMYK" in spaces:
        return False
    return any(
        str(v) == "/DeviceCMYK" or (isinstance(v, pikepdf.Array) and "/DeviceCMYK" in map(str, v))
        for v in spaces.values()
    )


def _draws_cmyk(page: Any) -> bool:
    """The page's own content sets a CMYK colour (k, K) without a DefaultCMYK space."""
    import pikepdf

    spaces = page.obj.get("/Resources", {}).get("/ColorSpace", {})
    if "/DefaultCMYK" in spaces:
        return False
    try:
        instructions = pikepdf.parse_content_stream(page, "k K")
        return any(str(getattr(i, "operator", "")) in ("k", "K") for i in instructions)
    except pikepdf.PdfError:
        return False


__all__ = [
    "ArchiveFile",
    "PARTS",
    "make_archival",
    "Obstacles",
    "obstacles",
    "srgb_profile",
    "PDFUA_SCHEMA",
    "write_xmp",
]
