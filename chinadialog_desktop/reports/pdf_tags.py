"""Tagged PDF (PDF/UA-1): marked content during the layout, the structure tree afterwards.

ReportLab's open-source edition writes no structure tree, so the accessible PDF is made
in two steps:

1. During the layout every piece of content is wrapped in marked content: each
   flowable the frame places (``TaggingFrame``) and each table cell (``TableTags``, the
   table's render callback) gets ``/P <</MCID n>> BDC … EMC`` (``/H1``, ``/LI``, ``/TH``,
   ``/Figure`` …); the running header and footer, the classification marking, table
   backgrounds and rules and the header rows a table repeats on the next page are
   ``/Artifact``. The ``Tagger`` records, in reading order, which page and MCID belong
   to which structure element (``Node``), with the heading level, the table header
   cell's scope and the figure's alternative text.
2. ``add_structure`` (pikepdf) turns those records into ``/StructTreeRoot`` with its
   ``/ParentTree``, sets ``/StructParents`` on the pages, ties every link annotation to a
   ``Link`` element, and marks the document (``/MarkInfo``, ``/Lang``,
   ``/DisplayDocTitle``); ``ua_metadata`` writes the PDF/UA identification into XMP.
"""

from __future__ import annotations

import io
import re
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any

from reportlab.platypus import Flowable, Frame, Paragraph, Spacer
from reportlab.platypus.tables import Table, TableRenderCB

from chinadialog_desktop.reports.canvas import BriefingCanvas
from chinadialog_desktop.reports.fonts import StyledTextObject

MCRef = tuple[int, int]  # (page number from 1, MCID)

# Paragraph styles that are headings without being bookmarks, by their level.
HEADING_STYLES = {"title": 1, "h1": 1, "h2": 2, "h3": 3}
# Paragraph styles whose text is Chinese (the element gets its own /Lang).
CHINESE = "zh"
CHINESE_STYLES = {"cell_zh": CHINESE}
# Runs of Chinese characters (and their full-width punctuation) within other text.
_HAN = re.compile("([\u3000-\u303f\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\uff00-\uffef]+)")
PAGINATION = "/Artifact <</Type /Pagination>> BDC"
LAYOUT = "/Artifact <</Type /Layout>> BDC"


@dataclass(eq=False)
class Node:
    """One structure element: its type, children (elements or marked content), attributes."""

    tag: str
    kids: list[Node | MCRef] = field(default_factory=list)
    alt: str | None = None
    scope: str | None = None  # TH: Column | Row
    bbox: tuple[float, float, float, float] | None = None  # Figure, on its first page
    lang: str | None = None

    def add(self, node: Node) -> Node:
        self.kids.append(node)
        return node


class Tagger:
    """Records the structure while the layout draws; one per PDF build."""

    def __init__(self) -> None:
        self.root = Node("Document")
        self._mcid: dict[int, int] = {}
        self._level = 0  # the last heading's level, so levels never skip one
        self.current: Node | None = None  # the element whose content is being drawn
        # A list item's label (its bullet or number) is drawn first, then its body.
        self._label: Node | None = None
        self._body_next: Node | None = None
        self.toc: Node | None = None  # where the table of contents goes in reading order
        # Link annotations in the order they were made, per page: (element, destination)
        self.links: dict[int, list[tuple[Node | None, str]]] = {}
        self.targets: dict[str, str] = {}  # destination name → its text (link descriptions)

    # -- marked content
    def begin(self, canvas: Any, node: Node) -> None:
        page = canvas.getPageNumber()
        mcid = self._mcid.get(page, 0)
        self._mcid[page] = mcid + 1
        node.kids.append((page, mcid))
        canvas.addLiteral(f"/{node.tag} <</MCID {mcid}>> BDC")

    @staticmethod
    def end(canvas: Any) -> None:
        canvas.addLiteral("EMC")

    @contextmanager
    def marked(self, canvas: Any, node: Node) -> Iterator[None]:
        outer = self.current
        self.begin(canvas, node)
        self.current = node
        try:
            yield
        finally:
            self.current = outer
            self.end(canvas)

    @staticmethod
    @contextmanager
    def artifact(canvas: Any, kind: str = PAGINATION) -> Iterator[None]:
        canvas.addLiteral(kind)
        try:
            yield
        finally:
            canvas.addLiteral("EMC")

    # -- elements
    def heading(self, level: int) -> Node:
        """An ``H1``–``H3``; never deeper than one below the heading before it."""
        level = max(1, min(level, self._level + 1))
        self._level = level
        return Node(f"H{level}")

    def block(self, parent: Node, flowable: Flowable) -> Node | None:
        """The element for a flowable drawn on its own (None: it draws nothing)."""
        if isinstance(flowable, Spacer) or getattr(flowable, "_ZEROSIZE", False):
            return None
        if isinstance(flowable, Paragraph):
            style = getattr(flowable.style, "name", "")
            level = getattr(flowable, "outline_level", None)
            if level is not None:
                node = self.heading(int(level) + 1)
                key = getattr(flowable, "outline_key", None)
                if key:
                    self.targets[key] = flowable.getPlainText()
            elif style in HEADING_STYLES:
                node = self.heading(HEADING_STYLES[style])
            elif getattr(flowable, "bulletText", None) is not None or style == "bullet":
                last = parent.kids[-1] if parent.kids else None
                lst = last if isinstance(last, Node) and last.tag == "L" else parent.add(Node("L"))
                item = lst.add(Node("LI"))
                if getattr(flowable, "bulletText", None) is not None:
                    self._label = item.add(Node("Lbl"))
                return item.add(Node("LBody"))
            else:
                node = Node("P", lang=CHINESE_STYLES.get(style))
            return parent.add(node)
        if type(flowable).__name__ == "Drawing":
            return parent.add(Node("Figure", alt=flowable.__dict__.get("alt_text")))
        return parent.add(Node("Div"))

    @contextmanager
    def drawing(self, parent: Node, flowable: Flowable) -> Iterator[None]:
        """Tag what ``flowable.drawOn`` draws while the block runs.

        The element is made when the flowable draws, so one that does not fit (and is
        split or moved on) leaves nothing behind.
        """
        original = flowable.drawOn

        def draw_on(canvas: Any, x: float, y: float, _sW: float = 0) -> None:  # noqa: N803
            node = self.block(parent, flowable)
            if node is None:
                original(canvas, x, y, _sW)
                return
            if node.tag == "Figure":
                node.bbox = (x, y, x + flowable.width, y + flowable.height)
            first, self._label = (self._label or node), None
            self._body_next = node if first is not node else None
            with self.marked(canvas, first):
                original(canvas, x, y, _sW)
            self._body_next = None

        flowable.__dict__["drawOn"] = draw_on
        try:
            yield
        finally:
            del flowable.__dict__["drawOn"]

    def text_drawn(self, canvas: Any) -> None:
        """After a text object: a list item's label is done, its body follows."""
        body = self._body_next
        if body is not None:
            self._body_next = None
            self.end(canvas)
            self.begin(canvas, body)
            self.current = body

    def link(self, canvas: Any, destination: str) -> None:
        page = canvas.getPageNumber()
        self.links.setdefault(page, []).append((self.current, destination))


def tagger_of(canvas: Any) -> Tagger | None:
    return getattr(canvas, "tagger", None)


class TaggingFrame(Frame):
    """A frame that tags each flowable it places (a table tags its own cells)."""

    def add(self, flowable: Flowable, canv: Any, trySplit: int = 0) -> int:  # noqa: N803
        tagger = tagger_of(canv)
        if tagger is None or isinstance(flowable, Table):
            return int(super().add(flowable, canv, trySplit))
        if type(flowable).__name__ == "TocSlot":  # the contents are drawn here at the end
            node = tagger.root.add(Node("Sect"))
            placed = int(super().add(flowable, canv, trySplit))
            if placed:
                tagger.toc = node
            else:
                tagger.root.kids.remove(node)
            return placed
        with tagger.drawing(tagger.root, flowable):
            return int(super().add(flowable, canv, trySplit))


def _empty(node: Node) -> bool:
    return all(isinstance(k, Node) and _empty(k) for k in node.kids)


class TableTags(TableRenderCB):
    """The render callback of a table: TR/TH/TD (or TOCI, or the cells' own blocks).

    ``kind``: ``data`` (a table of data; header cells are the first ``head_rows`` rows,
    scope Column, and cells in the ``cell_head`` style, scope Row), ``layout`` (a box
    drawn as a table: its contents are paragraphs, not cells) or ``toc``. Repeated
    header rows on a continuation page are artifacts. One callback serves all the parts
    a table is split into, so the parts form one ``Table`` element.
    """

    def __init__(self, kind: str = "data", head_rows: int = 0) -> None:
        self.kind = kind
        self.head_rows = head_rows
        self.node: Node | None = None
        self.parts = 0
        self.rows_done = 0  # rows of the data drawn in earlier parts
        self._tagger: Tagger | None = None
        self._row: Node | None = None
        self._row_index = 0
        self._repeated = False
        self._cell_exit: Callable[[], None] | None = None

    def startTable(self, T: Table) -> None:  # noqa: N802, N803
        self._tagger = tagger = tagger_of(T.canv)
        if tagger is None:
            return
        self.parts += 1
        if self.node is None:
            if self.kind == "toc":
                parent = tagger.toc if tagger.toc is not None else tagger.root
                self.node = parent.add(Node("TOC"))
            elif self.kind == "data":
                self.node = tagger.root.add(Node("Table"))
            else:
                self.node = tagger.root

    def startBG(self, T: Table) -> None:  # noqa: N802, N803
        if self._tagger is not None:
            T.canv.addLiteral(LAYOUT)

    def endBG(self, T: Table) -> None:  # noqa: N802, N803
        if self._tagger is not None:
            T.canv.addLiteral("EMC")

    startLines = startBG  # noqa: N815
    endLines = endBG  # noqa: N815

    def startRow(self, T: Table, rowNo: int) -> None:  # noqa: N802, N803
        if self._tagger is None or self.node is None:
            return
        repeat = T.repeatRows if isinstance(T.repeatRows, int) else len(T.repeatRows)
        self._repeated = self.parts > 1 and rowNo < repeat
        if self._repeated:
            return
        self._row_index = self.rows_done + rowNo - (repeat if self.parts > 1 else 0)
        if self.kind == "data":
            self._row = self.node.add(Node("TR"))
        elif self.kind == "toc":
            self._row = Node("TOCI")
            self.node.add(self._row)
        else:
            self._row = self.node

    def endRow(self, T: Table) -> None:  # noqa: N802, N803
        self._row = None

    def startCell(  # noqa: N802
        self,
        T: Table,  # noqa: N803
        rowNo: int,  # noqa: N803
        colNo: int,  # noqa: N803
        cellval: Any,
        cellstyle: Any,
        pos: Any,
        size: Any,
    ) -> None:
        tagger = self._tagger
        if tagger is None:
            return
        canvas = T.canv
        if self._repeated:
            canvas.addLiteral(PAGINATION)
            self._cell_exit = lambda: canvas.addLiteral("EMC")
            return
        assert self._row is not None
        flowables = _flowables(cellval)
        if self.kind == "layout":
            if flowables is None:
                if str(cellval).strip():
                    node = self._row.add(Node("P"))
                    tagger.begin(canvas, node)
                    self._cell_exit = lambda: tagger.end(canvas)
                return
            contexts = [tagger.drawing(self._row, f) for f in flowables]
            for c in contexts:
                c.__enter__()

            def leave_all() -> None:
                for c in contexts:
                    c.__exit__(None, None, None)

            self._cell_exit = leave_all
            return
        if self.kind == "toc":
            if flowables is not None and all(isinstance(f, Spacer) for f in flowables):
                return  # the space above a chapter's entry
            node = self._row.add(Node("P"))
        else:
            style = ""
            if flowables:
                style = getattr(getattr(flowables[0], "style", None), "name", "")
            if self._row_index < self.head_rows:
                node = self._row.add(Node("TH", scope="Column"))
            elif style == "cell_head":
                node = self._row.add(Node("TH", scope="Row"))
            else:
                node = self._row.add(Node("TD", lang=CHINESE_STYLES.get(style)))
        outer = tagger.current
        tagger.begin(canvas, node)
        tagger.current = node

        def leave() -> None:
            tagger.current = outer
            tagger.end(canvas)

        self._cell_exit = leave

    def endCell(self, T: Table) -> None:  # noqa: N802, N803
        if self._cell_exit is not None:
            self._cell_exit()
            self._cell_exit = None

    def endTable(self, T: Table) -> None:  # noqa: N802, N803
        if self._tagger is None:
            return
        repeat = T.repeatRows if isinstance(T.repeatRows, int) else len(T.repeatRows)
        self.rows_done += T._nrows - (repeat if self.parts > 1 else 0)


def _flowables(cellval: Any) -> list[Flowable] | None:
    if isinstance(cellval, Flowable):
        return [cellval]
    if isinstance(cellval, (list, tuple)):
        return list(cellval)
    return None


class LanguageTextObject(StyledTextObject):
    """Text whose Chinese runs are marked with their language (a ``Span`` with ``/Lang``),
    so a screen reader switches voice for 珠海 inside a German sentence."""

    def _textOut(self, text: str, TStar: int = 0) -> None:  # noqa: N802, N803
        out: Callable[[str, int], None] = super()._textOut
        if not text or not _HAN.search(text):
            out(text, TStar)
            return
        parts = [p for p in _HAN.split(text) if p]
        for i, part in enumerate(parts):
            end = TStar if i == len(parts) - 1 else 0
            if _HAN.fullmatch(part):
                self._code.append(f"/Span <</Lang ({CHINESE})>> BDC")
                out(part, 0)
                self._code.append("EMC")
                if end:
                    out("", end)
            else:
                out(part, end)


class TaggingCanvas(BriefingCanvas):
    """The briefing canvas that marks its page furniture as artifacts and records links."""

    def __init__(self, *args: Any, tagger: Tagger, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.tagger = tagger

    def beginText(self, x=0, y=0, direction=None):  # type: ignore[no-untyped-def]  # noqa: N802
        return LanguageTextObject(self, x, y, direction=direction)

    def drawText(self, aTextObject: Any) -> None:  # noqa: N802, N803
        super().drawText(aTextObject)
        self.tagger.text_drawn(self)

    def _draw_furniture(self, page: int, total: int) -> None:
        with Tagger.artifact(self):
            super()._draw_furniture(page, total)

    def _draw_marking(self, x: float, y: float, text: str, first: bool) -> None:
        """The marking is page furniture, but a reader must learn it once: the top one
        on page 1 is the document's first paragraph (the rest stay artifacts)."""
        if not first:
            super()._draw_marking(x, y, text, first)
            return
        node = Node("P")
        self.tagger.root.kids.insert(0, node)
        self.addLiteral("EMC")  # out of the furniture's artifact
        with self.tagger.marked(self, node):
            super()._draw_marking(x, y, text, first)
        self.addLiteral(PAGINATION)

    def linkRect(  # noqa: N802
        self,
        contents: str,
        destinationname: str,
        Rect: Any = None,  # noqa: N803
        addtopage: int = 1,
        name: str | None = None,
        **kw: Any,
    ) -> Any:
        if addtopage:
            self.tagger.link(self, str(destinationname))
        return super().linkRect(contents, destinationname, Rect, addtopage, name, **kw)

    def linkURL(self, url: str, rect: Any, *args: Any, **kw: Any) -> Any:  # noqa: N802
        self.tagger.link(self, str(url))
        return super().linkURL(url, rect, *args, **kw)


def tag_toc(canvas: Any, toc: Any) -> None:
    """Tag a wrapped ``TableOfContents``: entries as TOCI; dot leaders and page numbers
    (drawn inside the entry's paragraph by ReportLab's callback) as artifacts."""
    tagger = tagger_of(canvas)
    if tagger is None:
        return
    toc._table._renderCB = TableTags("toc")
    name = "drawTOCEntryEnd"
    draw_end = canvas.getNamedCB(name)
    if draw_end is None:
        return

    def entry_end(canv: Any, kind: str, label: str) -> None:
        node = tagger.current
        if node is None:
            draw_end(canv, kind, label)
            return
        tagger.end(canv)  # an artifact never sits inside tagged content
        with Tagger.artifact(canv, LAYOUT):
            draw_end(canv, kind, label)
        tagger.begin(canv, node)

    canvas.setNamedCB(name, entry_end)


def tag_toc_title(canvas: Any, title: Flowable, draw: Callable[[], None]) -> None:
    """Draw the contents' title as a paragraph of the contents' section."""
    tagger = tagger_of(canvas)
    if tagger is None:
        draw()
        return
    parent = tagger.toc if tagger.toc is not None else tagger.root
    with tagger.marked(canvas, parent.add(Node("P"))):
        draw()


# -- after the layout: the structure tree (pikepdf)


def add_structure(pdf: Any, tagger: Tagger, lang: str) -> None:
    """Write ``tagger``'s structure into the open pikepdf ``pdf`` (in place)."""
    from pikepdf import Array, Dictionary, Name, String

    pages = list(pdf.pages)
    page_objs = [p.obj for p in pages]
    parents: dict[int, dict[int, Any]] = {}  # page → MCID → element

    tree_root = pdf.make_indirect(Dictionary(Type=Name.StructTreeRoot))

    def make(node: Node, parent: Any) -> Any:
        elem = pdf.make_indirect(Dictionary(Type=Name.StructElem, S=Name("/" + node.tag), P=parent))
        first_page = next((k[0] for k in node.kids if isinstance(k, tuple)), None)
        if first_page is not None:
            elem.Pg = page_objs[first_page - 1]
        kids = Array()
        for kid in node.kids:
            if isinstance(kid, Node):
                if not _empty(kid):
                    kids.append(make(kid, elem))
                continue
            page, mcid = kid
            parents.setdefault(page, {})[mcid] = elem
            if page == first_page:
                kids.append(mcid)
            else:
                kids.append(Dictionary(Type=Name.MCR, Pg=page_objs[page - 1], MCID=mcid))
        elem.K = kids
        if node.alt is not None:
            elem.Alt = String(node.alt)
        if node.lang:
            elem.Lang = String(node.lang)
        if node.scope:
            elem.A = Dictionary(O=Name.Table, Scope=Name("/" + node.scope))
        elif node.bbox is not None:
            elem.A = Dictionary(
                O=Name.Layout, Placement=Name.Block, BBox=Array([round(v, 2) for v in node.bbox])
            )
        return elem

    document = make(tagger.root, tree_root)
    tree_root.K = Array([document])

    nums = Array()
    key = 0
    for index, page in enumerate(pages, start=1):
        marks = parents.get(index, {})
        page.obj.StructParents = key
        nums.append(key)
        nums.append(Array([marks.get(i) for i in range(max(marks, default=-1) + 1)]))
        key += 1
    descriptions = tagger.targets
    for index, page in enumerate(pages, start=1):
        annots = [a for a in page.obj.get("/Annots", []) if a.get("/Subtype") == Name.Link]
        made = tagger.links.get(index, [])
        if not annots:
            continue
        page.obj.Tabs = Name.S
        for n, annot in enumerate(annots):
            owner, destination = made[n] if n < len(made) else (None, "")
            parent_elem = _elem_for(owner, parents, index) or document
            link = pdf.make_indirect(
                Dictionary(Type=Name.StructElem, S=Name.Link, P=parent_elem, Pg=page.obj)
            )
            link.K = Array([Dictionary(Type=Name.OBJR, Obj=annot, Pg=page.obj)])
            parent_elem.K.append(link)
            annot.StructParent = key
            text = descriptions.get(destination, destination)
            if text and not str(annot.get("/Contents", "")):
                annot.Contents = String(text)
            nums.append(key)
            nums.append(link)
            key += 1
    tree_root.ParentTree = pdf.make_indirect(Dictionary(Nums=nums))
    tree_root.ParentTreeNextKey = key
    root = pdf.Root
    root.StructTreeRoot = tree_root
    root.MarkInfo = Dictionary(Marked=True)
    root.Lang = String(lang)
    prefs = root.get("/ViewerPreferences", Dictionary())
    prefs.DisplayDocTitle = True
    root.ViewerPreferences = prefs


def _elem_for(owner: Node | None, parents: dict[int, dict[int, Any]], page: int) -> Any:
    """The element made for ``owner`` (found by one of its MCIDs on ``page``)."""
    if owner is None:
        return None
    for kid in owner.kids:
        if isinstance(kid, tuple) and kid[0] in parents and kid[1] in parents[kid[0]]:
            return parents[kid[0]][kid[1]]
    return None


def ua_metadata(pdf: Any, title: str, lang: str) -> None:
    """The PDF/UA-1 identification, title and language in the XMP metadata.

    Kept to itself so it can be merged with the PDF/A identification (one XMP packet).
    """
    with pdf.open_metadata(set_pikepdf_as_editor=False, update_docinfo=False) as meta:
        meta["pdfuaid:part"] = "1"
        meta["dc:title"] = title
        meta["dc:language"] = [lang]


def without_ua_claim(data: bytes) -> bytes:
    """``data`` without the PDF/UA identification: for a file whose appended Anlagen are
    not tagged, so that it does not claim what only its own pages are."""
    import pikepdf

    with pikepdf.open(io.BytesIO(data)) as pdf:
        with pdf.open_metadata(set_pikepdf_as_editor=False, update_docinfo=False) as meta:
            if "pdfuaid:part" in meta:
                del meta["pdfuaid:part"]
        out = io.BytesIO()
        pdf.save(
            out,
            deterministic_id=True,
            compress_streams=True,
            object_stream_mode=pikepdf.ObjectStreamMode.generate,
        )
        return out.getvalue()


def tag_pdf(data: bytes, tagger: Tagger, title: str, lang: str) -> bytes:
    """The PDF ``data`` with its structure tree and PDF/UA metadata (reproducible)."""
    import pikepdf

    with pikepdf.open(io.BytesIO(data)) as pdf:
        add_structure(pdf, tagger, lang)
        ua_metadata(pdf, title, lang)
        out = io.BytesIO()
        # The identifier follows the content, so SOURCE_DATE_EPOCH keeps the bytes stable;
        # object streams keep the many small structure elements from doubling the file.
        pdf.save(
            out,
            deterministic_id=True,
            compress_streams=True,
            object_stream_mode=pikepdf.ObjectStreamMode.generate,
        )
        return out.getvalue()


__all__ = [
    "without_ua_claim",
    "Node",
    "TableTags",
    "Tagger",
    "TaggingCanvas",
    "TaggingFrame",
    "add_structure",
    "tag_pdf",
    "ua_metadata",
]
