"""Tell the format of a file from its content (its name only as a tie-breaker)."""

from __future__ import annotations

import io
import zipfile
import zlib

from chinadialog_desktop.i18n import _

FORMATS = ("package", "xlsx", "csv", "json", "ftm-jsonl", "gzip")

GZIP = b"\x1f\x8b"
_PEEK = 64 * 1024  # inflated bytes looked at to tell what a gzip file holds


def gunzip_head(data: bytes, size: int = _PEEK) -> bytes | None:
    """The first ``size`` inflated bytes of gzip ``data``; None when it is not readable gzip."""
    try:
        return zlib.decompressobj(16 + zlib.MAX_WBITS).decompress(data, size)
    except zlib.error:
        return None


def _looks_like_ftm(head: bytes, lower: str) -> bool:
    head = head.lstrip(b"\xef\xbb\xbf \t\r\n")
    if not head.startswith(b"{"):
        return False
    first_line = head.split(b"\n", 1)[0]
    return lower.endswith((".jsonl", ".ndjson", ".jsonl.gz", ".ndjson.gz")) or (
        b'"schema"' in first_line and b'"properties"' in first_line
    )


def detect_format(data: bytes, name: str) -> str:
    """``package``, ``xlsx``, ``json``, ``ftm-jsonl``, ``gzip`` (other compressed data), ``csv``.

    A gzip file is a FollowTheMoney list only when its inflated content looks
    like one; a compressed CSV or JSON file is ``gzip`` and is unpacked first.
    """
    lower = name.lower()
    if data[:2] == GZIP:
        head = gunzip_head(data)
        return "ftm-jsonl" if head is not None and _looks_like_ftm(head, lower) else "gzip"
    if data[:4] == b"PK\x03\x04" or data[:4] == b"PK\x05\x06":
        try:
            with zipfile.ZipFile(io.BytesIO(data)) as archive:
                names = set(archive.namelist())
        except (zipfile.BadZipFile, ValueError, OSError, EOFError):
            return "package"  # the package reader reports the damage
        if "[Content_Types].xml" in names and any(n.startswith("xl/") for n in names):
            return "xlsx"
        return "package"
    head = data[:4096].lstrip(b"\xef\xbb\xbf \t\r\n")
    if head.startswith(b"{"):
        return "ftm-jsonl" if _looks_like_ftm(head, lower) else "json"
    if head.startswith(b"[") and lower.endswith(".json"):
        return "json"
    return "csv"


def foreign_content(data: bytes) -> str | None:
    """What the file really is when it is a kind of document no importer reads; else None.

    The answer is a sentence for people: what it is and what to do instead.
    """
    if data.startswith(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"):
        return _(
            "The file is an old Excel 97–2003 workbook (.xls) or another Microsoft Office "
            "97–2003 document, which cannot be read; save it in Excel or LibreOffice as an "
            "Excel workbook (.xlsx) or as CSV and import that."
        )
    if data.startswith(b"%PDF-"):
        return _("The file is a PDF document, not a table; import the table it was made from.")
    if data.lstrip(b"\xef\xbb\xbf").startswith(b"{\\rtf"):
        return _("The file is an RTF text document, not a table; save the table as CSV or .xlsx.")
    if data[:4] == b"PK\x03\x04":
        try:
            with zipfile.ZipFile(io.BytesIO(data)) as archive:
                names = set(archive.namelist())
                mimetype = (
                    archive.read("mimetype")[:100] if "mimetype" in names else b""
                )  # OpenDocument: stored uncompressed and tiny
        except (zipfile.BadZipFile, ValueError, OSError, EOFError, KeyError):
            return None
        if mimetype.startswith(b"application/vnd.oasis.opendocument.spreadsheet"):
            return _(
                "The file is an OpenDocument spreadsheet (.ods); save it in LibreOffice as an "
                "Excel workbook (.xlsx) or as CSV and import that."
            )
        if mimetype.startswith(b"application/vnd.oasis.opendocument"):
            return _("The file is an OpenDocument text or presentation, not a table.")
        if "word/document.xml" in names:
            return _("The file is a Word document (.docx), not a table.")
        if "ppt/presentation.xml" in names:
            return _("The file is a PowerPoint presentation (.pptx), not a table.")
    for magic, what in (
        (b"\x89PNG", "PNG"),
        (b"\xff\xd8\xff", "JPEG"),
        (b"GIF8", "GIF"),
        (b"Rar!", "RAR"),
        (b"7z\xbc\xaf\x27\x1c", "7-Zip"),
        (b"SQLite format 3\x00", "SQLite"),
    ):
        if data.startswith(magic):
            return _("The file is a {what} file, not a table or dataset.").format(what=what)
    return None


def format_words(fmt: str) -> str:
    """A detected format in words, for notes such as "named .xlsx but contains …"."""
    return {
        "csv": _("CSV text"),
        "xlsx": _("an Excel workbook"),
        "json": _("JSON"),
        "package": _("a ZIP data package"),
        "ftm-jsonl": _("a FollowTheMoney list"),
        "gzip": _("gzip-compressed data"),
    }.get(fmt, fmt)


_SUFFIXES = {
    ".xlsx": "xlsx",
    ".xlsm": "xlsx",
    ".csv": "csv",
    ".tsv": "csv",
    ".json": "json",
    ".zip": "package",
    ".jsonl": "ftm-jsonl",
    ".ndjson": "ftm-jsonl",
    ".gz": "gzip",
}


def named_format(name: str) -> tuple[str, str] | None:
    """The file name's suffix and the format it promises, when it promises one."""
    lower = name.lower()
    for suffix, fmt in _SUFFIXES.items():
        if lower.endswith(suffix):
            return suffix, fmt
    return None
