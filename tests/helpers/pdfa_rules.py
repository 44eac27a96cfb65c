"""A checker for the machine-checkable PDF/A-2b and PDF/A-3b rules that matter for briefings.

veraPDF, the reference validator, cannot be installed here; this reads a file with pikepdf
and lxml (independently of the code that writes it) and returns the rules it breaks, each
as "clause: what, where" (clauses of ISO 19005-2/-3). An empty list: none of these broken.

Checked: file header and trailer identifier (6.1.2, 6.1.3); no encryption (6.1.3); no LZW
compression (6.1.7.2); the XMP
packet with the PDF/A identification, its Info dictionary twin (6.6.2, 6.6.4); an output
intent with an ICC profile whose components match (6.2.2, 6.2.3); device colours only as the
output intent allows (6.2.4.3); every font embedded with widths and a ToUnicode map, no
standard-14 font unembedded (6.2.11); no JavaScript, forbidden actions or additional actions
(6.5, 6.6.1); annotations printable, not hidden, of allowed types (6.3); transparency only
with standard blend modes and an output intent (6.2.10); no PostScript, transfer functions
or alternate images (6.2.5, 6.2.8, 6.2.9); embedded files with /AFRelationship, a MIME
subtype, listed in /AF (PDF/A-3, 6.8), and none at all in a PDF/A-2 unless PDF/A itself.

Not checked (veraPDF does): the font programs' inner consistency (widths against glyph
advances, .notdef use, cmap tables), the ICC profile's inner tags, every XMP schema.
"""

from __future__ import annotations

import io
import re
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta, timezone
from typing import Any

import pikepdf
from lxml import etree

NS = {
    "x": "adobe:ns:meta/",
    "rdf": "http://www.w3.org/1999/02/22-rdf-syntax-ns#",
    "dc": "http://purl.org/dc/elements/1.1/",
    "xmp": "http://ns.adobe.com/xap/1.0/",
    "pdf": "http://ns.adobe.com/pdf/1.3/",
    "pdfaid": "http://www.aiim.org/pdfa/ns/id/",
}
STANDARD_14 = {
    "Times-Roman",
    "Times-Bold",
    "Times-Italic",
    "Times-BoldItalic",
    "Helvetica",
    "Helvetica-Bold",
    "Helvetica-Oblique",
    "Helvetica-BoldOblique",
    "Courier",
    "Courier-Bold",
    "Courier-Oblique",
    "Courier-BoldOblique",
    "Symbol",
    "ZapfDingbats",
}
FORBIDDEN_ACTIONS = {
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
}
ALLOWED_NAMED = {"/NextPage", "/PrevPage", "/FirstPage", "/LastPage"}
FORBIDDEN_ANNOTS = {"/Sound", "/Movie", "/Screen", "/3D"}
BLEND_MODES = {
    "/Normal",
    "/Compatible",
    "/Multiply",
    "/Screen",
    "/Overlay",
    "/Darken",
    "/Lighten",
    "/ColorDodge",
    "/ColorBurn",
    "/HardLight",
    "/SoftLight",
    "/Difference",
    "/Exclusion",
    "/Hue",
    "/Saturation",
    "/Color",
    "/Luminosity",
}
AF_RELATIONSHIPS = {"/Source", "/Data", "/Alternative", "/Supplement", "/Unspecified"}
# Info key → (XMP property, kind): "alt" a language alternative, "seq" an ordered list.
INFO_XMP = {
    "/Title": ("dc:title", "alt"),
    "/Author": ("dc:creator", "seq"),
    "/Subject": ("dc:description", "alt"),
    "/Keywords": ("pdf:Keywords", "text"),
    "/Creator": ("xmp:CreatorTool", "text"),
    "/Producer": ("pdf:Producer", "text"),
    "/CreationDate": ("xmp:CreateDate", "date"),
    "/ModDate": ("xmp:ModifyDate", "date"),
}
# The schemas PDF/A-2 and -3 predefine (XMP 2005 and the PDF/A identification); any other
# property must be declared in a pdfaExtension schema (6.6.2.3).
PREDEFINED = {
    "http://purl.org/dc/elements/1.1/",
    "http://ns.adobe.com/xap/1.0/",
    "http://ns.adobe.com/xap/1.0/rights/",
    "http://ns.adobe.com/xap/1.0/mm/",
    "http://ns.adobe.com/xap/1.0/bj/",
    "http://ns.adobe.com/xap/1.0/t/pg/",
    "http://ns.adobe.com/xmp/1.0/DynamicMedia/",
    "http://ns.adobe.com/pdf/1.3/",
    "http://ns.adobe.com/photoshop/1.0/",
    "http://ns.adobe.com/camera-raw-settings/1.0/",
    "http://ns.adobe.com/exif/1.0/",
    "http://ns.adobe.com/exif/1.0/aux/",
    "http://ns.adobe.com/tiff/1.0/",
    "http://www.aiim.org/pdfa/ns/id/",
    "http://www.aiim.org/pdfa/ns/extension/",
}
ICC_SPACES = {b"RGB ": 3, b"GRAY": 1, b"CMYK": 4}


def violations(data: bytes, part: int | None = None) -> list[str]:
    """The rules ``data`` breaks; ``part``: the PDF/A part it must claim (None: 2 or 3)."""
    found: list[str] = []
    _header(data, found)
    with pikepdf.open(io.BytesIO(data)) as pdf:
        if "/Encrypt" in pdf.trailer or pdf.is_encrypted:
            found.append("6.1.3: the file is encrypted")
        ids = pdf.trailer.get("/ID")
        if not isinstance(ids, pikepdf.Array) or len(ids) != 2:
            found.append("6.1.3: the trailer has no file identifier /ID")
        claimed = _xmp(pdf, part, found)
        intent_space = _output_intent(pdf, found)
        _fonts_and_colours(pdf, intent_space, found)
        _actions_and_annotations(pdf, found)
        _embedded_files(pdf, claimed, found)
    return found


def _header(data: bytes, found: list[str]) -> None:
    if not re.match(rb"%PDF-1\.[0-7]\r?\n", data[:10]):
        found.append("6.1.2: the header is not %PDF-1.n")
    second = data.split(b"\n", 2)[1] if data.count(b"\n") > 1 else b""
    if not (second.startswith(b"%") and sum(b > 127 for b in second[1:5]) == 4):
        found.append("6.1.2: the second line is not a comment with four binary bytes")


def _xmp(pdf: pikepdf.Pdf, part: int | None, found: list[str]) -> int | None:
    """Check the metadata stream; returns the claimed part (None: no identification)."""
    meta = pdf.Root.get("/Metadata")
    if not isinstance(meta, pikepdf.Stream):
        found.append("6.6.2.1: the catalogue has no XMP metadata stream")
        found.append("6.6.4: no PDF/A identification (no XMP)")
        return None
    if meta.get("/Type") != "/Metadata" or meta.get("/Subtype") != "/XML":
        found.append("6.6.2.1: the metadata stream is not /Type /Metadata /Subtype /XML")
    if "/Filter" in meta:
        found.append("6.6.2.1: the metadata stream is compressed")
    raw = meta.read_bytes()
    if re.search(rb"<\?xpacket[^>]*\bbytes=", raw):
        found.append("6.6.2.1: the xpacket header has a bytes attribute")
    try:
        root = etree.fromstring(raw)
    except etree.XMLSyntaxError as exc:
        found.append(f"6.6.2.1: the XMP packet is not well-formed XML ({exc})")
        return None
    part_text = _prop(root, "pdfaid:part")
    conformance = _prop(root, "pdfaid:conformance")
    claimed = int(part_text) if part_text and part_text.isdigit() else None
    if claimed not in (2, 3):
        found.append(f"6.6.4: no PDF/A-2 or PDF/A-3 identification (pdfaid:part {part_text!r})")
    elif part is not None and claimed != part:
        found.append(f"6.6.4: pdfaid:part is {claimed}, not {part}")
    if conformance not in ("A", "B", "U"):
        found.append(f"6.6.4: pdfaid:conformance is {conformance!r}, not A, B or U")
    declared = {
        el.text for el in root.iter("{http://www.aiim.org/pdfa/ns/schema#}namespaceURI") if el.text
    }
    for desc in root.iter(f"{{{NS['rdf']}}}Description"):
        names = [child.tag for child in desc if isinstance(child.tag, str)]
        names += [key for key in desc.attrib if not key.startswith(f"{{{NS['rdf']}}}")]
        for name in names:
            uri = name[1:].split("}")[0] if name.startswith("{") else ""
            if uri not in PREDEFINED and uri not in declared:
                found.append(f"6.6.2.3: the XMP property {name} is neither predefined nor declared")
    info = pdf.trailer.get("/Info")
    for key, (prop, kind) in INFO_XMP.items():
        value = info.get(key) if isinstance(info, pikepdf.Dictionary) else None
        if value is None:
            continue
        twin = _prop(root, prop, kind)
        if kind == "date":
            same = twin is not None and _pdf_date(str(value)) == _xmp_date(twin)
        else:
            same = twin == str(value)
        if not same:
            found.append(f"6.6.3: Info {key} {str(value)!r} does not match XMP {prop} {twin!r}")
    return claimed


def _prop(root: Any, name: str, kind: str = "text") -> str | None:
    """A property's value, as an element or an attribute of rdf:Description."""
    prefix, local = name.split(":")
    tag = f"{{{NS[prefix]}}}{local}"
    for desc in root.iter(f"{{{NS['rdf']}}}Description"):
        if tag in desc.attrib:
            return str(desc.attrib[tag])
        element = desc.find(tag)
        if element is None:
            continue
        if kind == "alt":
            items = element.findall(".//rdf:li", NS)
            chosen = [
                li
                for li in items
                if li.get("{http://www.w3.org/XML/1998/namespace}lang") == "x-default"
            ]
            return (chosen or items)[0].text or "" if items else None
        if kind == "seq":
            items = element.findall(".//rdf:li", NS)
            return ", ".join(li.text or "" for li in items) if items else None
        return element.text or ""
    return None


def _pdf_date(text: str) -> datetime | None:
    match = re.match(
        r"D:(\d{4})(\d{2})?(\d{2})?(\d{2})?(\d{2})?(\d{2})?([Z+-])?(\d{2})?'?(\d{2})?", text
    )
    if match is None:
        return None
    y, mo, d, h, mi, s, sign, th, tm = match.groups()
    offset = timedelta(hours=int(th or 0), minutes=int(tm or 0))
    zone = timezone(-offset if sign == "-" else offset) if sign else UTC
    return datetime(
        int(y), int(mo or 1), int(d or 1), int(h or 0), int(mi or 0), int(s or 0), tzinfo=zone
    )


def _xmp_date(text: str) -> datetime | None:
    try:
        moment = datetime.fromisoformat(text.replace("Z", "+00:00"))
    except ValueError:
        return None
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


def _output_intent(pdf: pikepdf.Pdf, found: list[str]) -> str | None:
    """Check the output intents; returns the profile's colour space (b"RGB " …) or None."""
    intents = pdf.Root.get("/OutputIntents")
    profiles = []
    for intent in intents if isinstance(intents, pikepdf.Array) else []:
        if intent.get("/S") == "/GTS_PDFA1" and "/DestOutputProfile" in intent:
            profiles.append(intent.DestOutputProfile)
        if "/OutputConditionIdentifier" not in intent:
            found.append("6.2.3: an output intent has no OutputConditionIdentifier")
    if not profiles:
        found.append("6.2.3: no GTS_PDFA1 output intent with an ICC profile")
        return None
    if len({p.objgen for p in profiles}) > 1:
        found.append("6.2.3: output intents with different profiles")
    profile = profiles[0]
    icc = profile.read_bytes()
    if len(icc) < 128 or icc[36:40] != b"acsp" or int.from_bytes(icc[:4], "big") != len(icc):
        found.append("6.2.3: the output intent's ICC profile is not a valid profile")
        return None
    space = icc[16:20]
    if icc[12:16] not in (b"mntr", b"prtr"):
        found.append(f"6.2.3: the ICC profile's class {icc[12:16]!r} is not mntr or prtr")
    if ICC_SPACES.get(space) != int(profile.get("/N", 0)):
        found.append(f"6.2.3: the ICC profile's /N does not match its colour space {space!r}")
    return {b"RGB ": "RGB", b"CMYK": "CMYK", b"GRAY": "Gray"}.get(space)


def _resources(pdf: pikepdf.Pdf) -> Iterator[tuple[str, Any, Any]]:
    """(where, resources, content holder) of every page, form XObject, pattern and
    annotation appearance, each once."""
    seen: set[tuple[int, int]] = set()

    def visit(where: str, holder: Any, resources: Any) -> Iterator[tuple[str, Any, Any]]:
        if holder.is_indirect:
            if holder.objgen in seen:
                return
            seen.add(holder.objgen)
        resources = resources if isinstance(resources, pikepdf.Dictionary) else None
        yield where, resources, holder
        if resources is None:
            return
        for kind in ("/XObject", "/Pattern"):
            for name, obj in (resources.get(kind) or {}).items():
                if isinstance(obj, pikepdf.Stream) and obj.get("/Subtype") != "/Image":
                    yield from visit(f"{where} {name}", obj, obj.get("/Resources"))
        for name, font in (resources.get("/Font") or {}).items():
            if font.get("/Subtype") == "/Type3":
                for glyph, proc in (font.get("/CharProcs") or {}).items():
                    yield from visit(f"{where} {name}{glyph}", proc, font.get("/Resources"))

    for number, page in enumerate(pdf.pages, start=1):
        yield from visit(f"page {number}", page.obj, page.obj.get("/Resources"))
        for annot in page.obj.get("/Annots") or []:
            appearance = annot.get("/AP")
            for state in (appearance or {}).values():
                streams = [state] if isinstance(state, pikepdf.Stream) else list(state.values())
                for stream in streams:
                    yield from visit(f"page {number} annotation", stream, stream.get("/Resources"))


def _fonts_and_colours(pdf: pikepdf.Pdf, intent: str | None, found: list[str]) -> None:
    checked: set[tuple[int, int]] = set()
    transparency = False
    for where, resources, holder in _resources(pdf):
        if resources is not None:
            for name, font in (resources.get("/Font") or {}).items():
                if font.objgen not in checked:
                    checked.add(font.objgen)
                    _font(f"{where} font {name}", font, found)
            for name, state in (resources.get("/ExtGState") or {}).items():
                if "/TR" in state or state.get("/TR2", "/Default") != "/Default":
                    found.append(f"6.2.5: {where} graphics state {name} has a transfer function")
                blend = state.get("/BM")
                modes = list(blend) if isinstance(blend, pikepdf.Array) else [blend]
                for mode in (m for m in modes if m is not None):
                    if str(mode) not in BLEND_MODES:
                        found.append(f"6.2.10: {where} uses the blend mode {mode}")
                    elif str(mode) not in ("/Normal", "/Compatible"):
                        transparency = True
                if state.get("/SMask", "/None") != "/None":
                    transparency = True
                if float(state.get("/CA", 1)) < 1 or float(state.get("/ca", 1)) < 1:
                    transparency = True
            for name, obj in (resources.get("/XObject") or {}).items():
                subtype = obj.get("/Subtype")
                if subtype == "/PS" or obj.get("/Subtype2") == "/PS":
                    found.append(f"6.2.9: {where} has a PostScript XObject {name}")
                if "/OPI" in obj or "/Ref" in obj:
                    found.append(f"6.2.9: {where} XObject {name} has /OPI or /Ref")
                if subtype == "/Image":
                    if "/Alternates" in obj or obj.get("/Interpolate") is True:
                        found.append(f"6.2.8: {where} image {name} has Alternates/Interpolate")
                    if "/SMask" in obj:
                        transparency = True
                    _colour_space(
                        f"{where} image {name}", obj.get("/ColorSpace"), intent, resources, found
                    )
                if obj.get("/Group", {}).get("/S") == "/Transparency":
                    transparency = True
            for name, space in (resources.get("/ColorSpace") or {}).items():
                _colour_space(f"{where} colour space {name}", space, intent, resources, found)
        if isinstance(holder, pikepdf.Stream) or "/Contents" in holder:
            _content_colours(where, holder, intent, resources, found)
        group = holder.get("/Group")
        if isinstance(group, pikepdf.Dictionary) and group.get("/S") == "/Transparency":
            transparency = True
    if transparency and intent is None:
        found.append("6.2.10: transparency is used without an output intent")


def _font(where: str, font: Any, found: list[str]) -> None:
    subtype = font.get("/Subtype")
    base = str(font.get("/BaseFont", "")).lstrip("/")
    if subtype == "/Type3":
        return
    if "/ToUnicode" not in font:
        found.append(f"6.2.11.7: {where} ({base}) has no ToUnicode map")
    if subtype == "/Type0":
        descendants = font.get("/DescendantFonts") or []
        if len(descendants) != 1:
            found.append(f"6.2.11.4: {where} ({base}) has no descendant font")
            return
        cid = descendants[0]
        if "/W" not in cid and "/DW" not in cid:
            found.append(f"6.2.11.5: {where} ({base}) has no widths")
        _embedded(where, base, cid.get("/FontDescriptor"), found)
        return
    first, last = font.get("/FirstChar"), font.get("/LastChar")
    widths = font.get("/Widths")
    if widths is None or first is None or last is None or len(widths) != int(last) - int(first) + 1:
        found.append(f"6.2.11.5: {where} ({base}) has no widths for FirstChar..LastChar")
    _embedded(where, base, font.get("/FontDescriptor"), found)


def _embedded(where: str, base: str, descriptor: Any, found: list[str]) -> None:
    files = (
        [descriptor.get(k) for k in ("/FontFile", "/FontFile2", "/FontFile3")] if descriptor else []
    )
    program = next((f for f in files if isinstance(f, pikepdf.Stream)), None)
    if program is None:
        standard = " (a standard-14 font)" if base.split("+")[-1] in STANDARD_14 else ""
        found.append(f"6.2.11.4: {where} ({base}) is not embedded{standard}")
    elif not program.read_bytes():
        found.append(f"6.2.11.4: {where} ({base}) has an empty font program")


def _colour_space(
    where: str, space: Any, intent: str | None, resources: Any, found: list[str]
) -> None:
    name = str(space[0] if isinstance(space, pikepdf.Array) else space) if space is not None else ""
    _device(where, name, intent, resources, found)


def _device(where: str, name: str, intent: str | None, resources: Any, found: list[str]) -> None:
    """6.2.4.3: DeviceRGB/DeviceCMYK only with a matching output intent or a Default space."""
    if name == "/DeviceRGB":
        default = "/DefaultRGB"
        ok = intent == "RGB"
    elif name == "/DeviceCMYK":
        default = "/DefaultCMYK"
        ok = intent == "CMYK"
    else:
        return
    spaces = resources.get("/ColorSpace") if resources is not None else None
    if not ok and not (spaces and default in spaces):
        found.append(f"6.2.4.3: {where} uses {name[1:]} without a matching output intent")


def _content_colours(
    where: str, holder: Any, intent: str | None, resources: Any, found: list[str]
) -> None:
    ops = {"rg": "/DeviceRGB", "RG": "/DeviceRGB", "k": "/DeviceCMYK", "K": "/DeviceCMYK"}
    reported: set[str] = set()
    try:
        instructions = pikepdf.parse_content_stream(holder)
    except pikepdf.PdfError as exc:
        found.append(f"6.1: {where} has a content stream that cannot be read ({exc})")
        return
    for instruction in instructions:
        if isinstance(instruction, pikepdf.ContentStreamInlineImage):
            continue
        op = str(instruction.operator)
        space = ops.get(op)
        if op in ("cs", "CS") and instruction.operands:
            space = str(instruction.operands[0])
        if space and space not in reported:
            before = len(found)
            _device(where, space, intent, resources, found)
            if len(found) > before:
                reported.add(space)


def _actions_and_annotations(pdf: pikepdf.Pdf, found: list[str]) -> None:
    root = pdf.Root
    for key in ("/AA", "/NeedsRendering"):
        if key in root:
            found.append(f"6.6.1: the catalogue has {key}")
    names = root.get("/Names")
    if isinstance(names, pikepdf.Dictionary) and "/JavaScript" in names:
        found.append("6.6.1: the catalogue's name tree holds JavaScript")
    form = root.get("/AcroForm")
    if isinstance(form, pikepdf.Dictionary):
        if form.get("/NeedAppearances") is True:
            found.append("6.4.1: the form has NeedAppearances true")
        if "/XFA" in form:
            found.append("6.4.2: the form has XFA")
    for number, page in enumerate(pdf.pages, start=1):
        if "/AA" in page.obj:
            found.append(f"6.6.2: page {number} has additional actions")
        for annot in page.obj.get("/Annots") or []:
            subtype = str(annot.get("/Subtype", ""))
            where = f"page {number} {subtype[1:]} annotation"
            if subtype in FORBIDDEN_ANNOTS:
                found.append(f"6.3.1: {where} is of a forbidden type")
            flags = int(annot.get("/F", 0))
            if not flags & 4 or flags & (1 | 2 | 32):
                found.append(f"6.3.2: {where} is not printable, or hidden (F={flags})")
            if "/AA" in annot:
                found.append(f"6.6.2: {where} has additional actions")
            if subtype not in ("/Link", "/Popup") and "/AP" not in annot:
                rect = [float(v) for v in annot.get("/Rect", [0, 0, 0, 0])]
                if rect[2] - rect[0] and rect[3] - rect[1]:
                    found.append(f"6.3.3: {where} has no appearance stream")
    for item in _dictionaries(pdf):
        filters = item.get("/Filter")
        names = list(filters) if isinstance(filters, pikepdf.Array) else [filters]
        if "/LZWDecode" in [str(f) for f in names if f is not None]:
            found.append("6.1.7.2: a stream is LZW-compressed")
        kind = str(item.get("/S", "")) if item.get("/Type", "/Action") == "/Action" else ""
        if kind in FORBIDDEN_ACTIONS or "/JS" in item:
            found.append(f"6.6.1: a forbidden action {kind or '/JS'}")
        elif kind == "/Named" and str(item.get("/N", "")) not in ALLOWED_NAMED:
            found.append(f"6.6.1: a named action {item.get('/N')}")


def _dictionaries(pdf: pikepdf.Pdf) -> Iterator[Any]:
    """Every dictionary reachable from the trailer, direct or indirect, each once."""
    containers = (pikepdf.Dictionary, pikepdf.Array, pikepdf.Stream)
    seen: set[tuple[int, int]] = set()
    stack: list[Any] = [pdf.trailer]
    while stack:
        item = stack.pop()
        if not isinstance(item, containers):
            continue
        if item.is_indirect:
            if item.objgen in seen:
                continue
            seen.add(item.objgen)
        if isinstance(item, pikepdf.Stream):
            item = item.stream_dict
        if isinstance(item, pikepdf.Dictionary):
            yield item
            stack.extend(item.values())
        else:
            stack.extend(item)


def _embedded_files(pdf: pikepdf.Pdf, claimed: int | None, found: list[str]) -> None:
    specs = list(pdf.attachments.items())
    af = pdf.Root.get("/AF")
    listed = {o.objgen for o in af} if isinstance(af, pikepdf.Array) else set()
    for name, spec in specs:
        obj = spec.obj
        where = f"embedded file {name!r}"
        if claimed == 2:
            stream = obj.EF.F
            if b"pdfaid" not in stream.read_bytes()[:1_000_000]:
                found.append(f"6.8: {where} in a PDF/A-2 is not itself a PDF/A")
            continue
        if str(obj.get("/AFRelationship", "")) not in AF_RELATIONSHIPS:
            found.append(f"6.8: {where} has no valid /AFRelationship")
        if obj.objgen not in listed:
            found.append(f"6.8: {where} is not listed in the catalogue's /AF")
        if "/F" not in obj or "/UF" not in obj:
            found.append(f"6.8: {where} lacks /F or /UF")
        stream = obj.get("/EF", {}).get("/F")
        if not isinstance(stream, pikepdf.Stream) or "/Subtype" not in stream:
            found.append(f"6.8: {where} has no MIME type (/Subtype)")
    if listed and not specs:
        found.append("6.8: /AF lists files but none is embedded")


__all__ = ["violations"]
