"""A checker for the machine-checkable rules of PDF/UA-1 (ISO 14289-1) that matter here.

Not a full validator (veraPDF is the reference); it reads the file with pikepdf and
reports, in one line each, what breaks these rules (the machine-checkable
conditions of the Matterhorn Protocol that these documents can break):

* the document is tagged: ``/MarkInfo /Marked true`` and a structure tree;
* every painting operator on a page (text, paths, images, XObjects, shadings) lies in
  marked content that is either an ``/Artifact`` or carries an MCID which the structure
  tree references through the page's ``/StructParents``;
  no artifact inside tagged content and no tagged content inside an artifact;
* structure types are standard ones; heading levels never skip one, beginning
  with H1;
* every ``Table`` has header cells, and every ``TH`` a ``/Scope``;
* every ``Figure`` has ``/Alt``;
* the document's language (``/Lang``), its title shown (``/DisplayDocTitle``) and
  present in XMP as ``dc:title``, the PDF/UA identification ``pdfuaid:part`` 1 in XMP;
* link annotations are in the structure tree (``Link`` with an ``OBJR``) with a
  description (``/Contents``) and pages with annotations use ``/Tabs /S``;
* every font is embedded.
"""

from __future__ import annotations

import io
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

import pikepdf
from pikepdf import Name

STANDARD_TYPES = {
    "Document", "Part", "Art", "Sect", "Div", "BlockQuote", "Caption", "TOC", "TOCI",
    "Index", "NonStruct", "Private", "P", "H", "H1", "H2", "H3", "H4", "H5", "H6", "L",
    "LI", "Lbl", "LBody", "Table", "TR", "TH", "TD", "THead", "TBody", "TFoot", "Span",
    "Quote", "Note", "Reference", "BibEntry", "Code", "Link", "Annot", "Ruby", "RB", "RT",
    "RP", "Warichu", "WT", "WP", "Figure", "Formula", "Form",
}  # fmt: skip
TEXT_SHOW = {"Tj", "TJ", "'", '"'}
PATH_PAINT = {"S", "s", "f", "F", "f*", "B", "B*", "b", "b*"}
OTHER_PAINT = {"sh", "Do", "INLINE IMAGE", "BI"}


@dataclass
class Tree:
    """What the structure tree holds, gathered in one walk."""

    mcids: dict[tuple[int, int], set[int]] = field(default_factory=dict)  # page objgen → MCIDs
    headings: list[int] = field(default_factory=list)
    annotations: set[tuple[int, int]] = field(default_factory=set)  # objgen of OBJR's Obj
    problems: list[str] = field(default_factory=list)


def _name(obj: Any) -> str:
    return str(obj)[1:] if isinstance(obj, Name) else str(obj)


def _kids(elem: Any) -> list[Any]:
    k = elem.get("/K")
    if k is None:
        return []
    return list(k) if isinstance(k, pikepdf.Array) else [k]


def _attributes(elem: Any) -> list[Any]:
    a = elem.get("/A")
    if a is None:
        return []
    items = list(a) if isinstance(a, pikepdf.Array) else [a]
    return [x for x in items if isinstance(x, pikepdf.Dictionary)]


def walk_tree(pdf: pikepdf.Pdf) -> Tree:
    tree = Tree()
    root = pdf.Root.get("/StructTreeRoot")
    if root is None:
        tree.problems.append("no structure tree (/StructTreeRoot)")
        return tree
    role_map = root.get("/RoleMap", pikepdf.Dictionary())

    def visit(elem: Any, page: Any) -> None:
        if not isinstance(elem, pikepdf.Dictionary):
            return
        if elem.get("/Type") == Name.MCR:
            pg = elem.get("/Pg", page)
            tree.mcids.setdefault(pg.objgen, set()).add(int(elem.MCID))
            return
        if elem.get("/Type") == Name.OBJR:
            tree.annotations.add(elem.Obj.objgen)
            return
        raw = _name(elem.get("/S"))
        kind = _name(role_map.get("/" + raw)) if "/" + raw in role_map else raw
        if kind not in STANDARD_TYPES:
            tree.problems.append(f"structure type {raw} is not a standard one")
        page = elem.get("/Pg", page)
        if re.fullmatch(r"H[1-6]", kind):
            tree.headings.append(int(kind[1]))
        if kind == "Figure" and not str(elem.get("/Alt", "")).strip():
            tree.problems.append("a Figure without alternative text (/Alt)")
        if kind == "TH" and not any("/Scope" in a for a in _attributes(elem)):
            tree.problems.append("a table header cell (TH) without /Scope")
        if kind == "Table" and not any(_has_type(e, "TH", role_map) for e in _descendants(elem)):
            tree.problems.append("a Table without header cells (TH)")
        for kid in _kids(elem):
            if isinstance(kid, int):
                if page is None:
                    tree.problems.append("marked content referenced without a page (/Pg)")
                else:
                    tree.mcids.setdefault(page.objgen, set()).add(int(kid))
            else:
                visit(kid, page)

    for kid in _kids(root):
        visit(kid, None)
    if not _kids(root):
        tree.problems.append("the structure tree is empty")
    return tree


def _descendants(elem: Any) -> Iterator[Any]:
    for kid in _kids(elem):
        if isinstance(kid, pikepdf.Dictionary) and "/S" in kid:
            yield kid
            yield from _descendants(kid)


def _has_type(elem: Any, kind: str, role_map: Any) -> bool:
    raw = _name(elem.get("/S"))
    return (_name(role_map.get("/" + raw)) if "/" + raw in role_map else raw) == kind


def content_marks(page: pikepdf.Page) -> tuple[set[int], list[str]]:
    """The MCIDs marked on ``page`` and what is painted outside proper marked content."""
    problems: list[str] = []
    mcids: set[int] = set()
    stack: list[str] = []  # "artifact" | "tagged" | "other" per open BMC/BDC
    unmarked: dict[str, int] = {}
    for instruction in pikepdf.parse_content_stream(page):
        operands, op = instruction.operands, str(instruction.operator)
        if op in ("BMC", "BDC"):
            tag = _name(operands[0])
            props = operands[1] if op == "BDC" and len(operands) > 1 else None
            mcid = None
            if isinstance(props, pikepdf.Dictionary) and "/MCID" in props:
                mcid = int(props.MCID)
            if tag == "Artifact":
                if "tagged" in stack:
                    problems.append("an artifact inside tagged content")
                stack.append("artifact")
            elif mcid is not None:
                if "artifact" in stack:
                    problems.append("tagged content inside an artifact")
                mcids.add(mcid)
                stack.append("tagged")
            else:
                stack.append("other")
        elif op == "EMC":
            if not stack:
                problems.append("EMC without BMC/BDC")
            else:
                stack.pop()
        elif (op in TEXT_SHOW or op in PATH_PAINT or op in OTHER_PAINT) and not (
            "artifact" in stack or "tagged" in stack
        ):
            kind = "text" if op in TEXT_SHOW else "path" if op in PATH_PAINT else op
            unmarked[kind] = unmarked.get(kind, 0) + 1
    if stack:
        problems.append("marked content left open at the end of the page")
    for kind, count in sorted(unmarked.items()):
        problems.append(
            f"{count}× {kind} painted outside marked content (neither tagged nor artifact)"
        )
    return mcids, problems


def _xmp(pdf: pikepdf.Pdf) -> tuple[str, str]:
    meta = pdf.open_metadata(set_pikepdf_as_editor=False, update_docinfo=False)
    return str(meta.get("pdfuaid:part", "")), str(meta.get("dc:title", ""))


def _fonts(resources: Any, seen: set[tuple[int, int]]) -> Iterator[Any]:
    if resources is None:
        return
    for font in dict(resources.get("/Font", {})).values():
        if font.objgen in seen:
            continue
        seen.add(font.objgen)
        yield font
    for xobject in dict(resources.get("/XObject", {})).values():
        if xobject.get("/Subtype") == Name.Form:
            yield from _fonts(xobject.get("/Resources"), seen)


def _embedded(font: Any) -> bool:
    if font.get("/Subtype") == Name.Type3:
        return True
    if font.get("/Subtype") == Name.Type0:
        font = font.DescendantFonts[0]
    descriptor = font.get("/FontDescriptor")
    return descriptor is not None and any(
        k in descriptor for k in ("/FontFile", "/FontFile2", "/FontFile3")
    )


def ua_problems(data: bytes) -> list[str]:
    """One line per broken rule (page numbers from 1); an empty list: all rules hold."""
    problems: list[str] = []
    with pikepdf.open(io.BytesIO(data)) as pdf:
        root = pdf.Root
        mark = root.get("/MarkInfo")
        if mark is None or not bool(mark.get("/Marked", False)):
            problems.append("not marked as tagged (/MarkInfo /Marked true)")
        tree = walk_tree(pdf)
        problems += tree.problems
        previous = 0
        for level in tree.headings:
            if level > previous + 1:
                problems.append(f"heading H{level} follows H{previous or '-'}")
            previous = level
        if not str(root.get("/Lang", "")).strip():
            problems.append("no document language (/Lang)")
        prefs = root.get("/ViewerPreferences")
        if prefs is None or not bool(prefs.get("/DisplayDocTitle", False)):
            problems.append("the title is not shown (/DisplayDocTitle true)")
        part, title = _xmp(pdf)
        if part != "1":
            problems.append("no PDF/UA identification (pdfuaid:part 1) in XMP")
        if not title.strip():
            problems.append("no title (dc:title) in XMP")
        parent_tree = _parent_tree(pdf)
        seen_fonts: set[tuple[int, int]] = set()
        for number, page in enumerate(pdf.pages, start=1):
            mcids, page_problems = content_marks(page)
            problems += [f"page {number}: {p}" for p in page_problems]
            in_tree = tree.mcids.get(page.obj.objgen, set())
            missing = sorted(mcids - in_tree)
            if missing:
                problems.append(
                    f"page {number}: marked content {missing[:5]} not in the structure tree"
                )
            key = page.obj.get("/StructParents")
            if mcids and (key is None or int(key) not in parent_tree):
                problems.append(f"page {number}: no /StructParents entry in the parent tree")
            links = [a for a in page.obj.get("/Annots", []) if a.get("/Subtype") == Name.Link]
            if links and page.obj.get("/Tabs") != Name.S:
                problems.append(f"page {number}: annotations without /Tabs /S")
            for annot in links:
                if annot.objgen not in tree.annotations or "/StructParent" not in annot:
                    problems.append(f"page {number}: a link not in the structure tree")
                if not str(annot.get("/Contents", "")).strip():
                    problems.append(f"page {number}: a link without a description")
            for font in _fonts(page.obj.get("/Resources"), seen_fonts):
                if not _embedded(font):
                    problems.append(f"page {number}: font {font.get('/BaseFont')} not embedded")
    return problems


def _parent_tree(pdf: pikepdf.Pdf) -> set[int]:
    """The keys of the parent tree (a number tree, flat or with kids)."""
    root = pdf.Root.get("/StructTreeRoot")
    if root is None or "/ParentTree" not in root:
        return set()
    keys: set[int] = set()

    def visit(node: Any) -> None:
        nums = node.get("/Nums")
        if nums is not None:
            keys.update(int(nums[i]) for i in range(0, len(nums), 2))
        for kid in node.get("/Kids", []):
            visit(kid)

    visit(root.ParentTree)
    return keys


__all__ = ["content_marks", "ua_problems", "walk_tree"]
