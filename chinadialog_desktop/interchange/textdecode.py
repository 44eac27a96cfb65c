"""Decode the bytes of a text file: BOMs, UTF-8, Windows-1252 and UTF-16 as Excel writes them."""

from __future__ import annotations

import codecs
import re
from dataclasses import dataclass
from typing import Any

from chinadialog_desktop.i18n import _, ngettext
from chinadialog_desktop.interchange.problems import Problem

_ALIASES = {
    "utf8": "utf-8",
    "utf-8-sig": "utf-8",
    "cp1252": "windows-1252",
    "windows1252": "windows-1252",
    "latin1": "windows-1252",  # what people call Latin-1 is almost always Windows-1252
    "iso-8859-1": "windows-1252",
    "utf16": "utf-16",
}


_UTF8_SEQUENCE = re.compile(rb"[\xc2-\xdf][\x80-\xbf]|[\xe0-\xef][\x80-\xbf]{2}")


@dataclass(frozen=True)
class Decoded:
    text: str | None
    encoding: str | None
    problem: Problem | None = None


def normalise_encoding(name: str) -> str:
    key = name.strip().lower().replace("_", "-")
    return _ALIASES.get(key, _ALIASES.get(key.replace("-", ""), key))


def _position(data: bytes, offset: int) -> tuple[int, int]:
    """Line and column (1-based, in bytes) of a byte offset."""
    line = data.count(b"\n", 0, offset) + 1
    start = data.rfind(b"\n", 0, offset) + 1
    return line, offset - start + 1


def _utf16_without_bom(sample: bytes) -> str | None:
    """UTF-16 with no BOM shows a zero in every other byte of ASCII text."""
    if len(sample) < 4:
        return None
    even = sample[0::2].count(0)
    odd = sample[1::2].count(0)
    half = len(sample) // 2
    if odd > half * 0.6 and even == 0:
        return "utf-16-le"
    if even > half * 0.6 and odd == 0:
        return "utf-16-be"
    return None


def decode(data: bytes, file: str, declared: str | None = None) -> Decoded:
    """Decode ``data``; a problem names the first bad byte's line and column.

    Order: a BOM wins; then a declared encoding (package manifest) must fit
    exactly; then strict UTF-8; then Windows-1252, whose five undefined bytes
    are still rejected. NUL characters are refused in every encoding.
    """
    encoding: str
    body = data
    if data.startswith(codecs.BOM_UTF8):
        encoding, body = "utf-8", data[3:]
    elif data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        encoding = "utf-16"
    elif declared:
        encoding = normalise_encoding(declared)
    else:
        encoding = _utf16_without_bom(data[:4096]) or ""
    candidates = [encoding] if encoding else ["utf-8", "windows-1252"]
    if not encoding and b"\x00" in data:
        line, col = _position(data, data.index(b"\x00"))
        return Decoded(None, None, _nul_problem(file, line, col, _lines_with(data, b"\x00")))
    if not encoding:
        try:
            body.decode("utf-8")
        except UnicodeDecodeError:
            if _UTF8_SEQUENCE.search(body):
                # Valid UTF-8 elsewhere: a damaged UTF-8 file, not Windows-1252. Decoding it
                # as Windows-1252 would turn every umlaut into mojibake without a word.
                candidates = ["utf-8"]
    last_error: UnicodeDecodeError | None = None
    used = ""
    for candidate in candidates:
        try:
            text = body.decode(candidate)
            used = candidate
            break
        except LookupError:
            return Decoded(
                None,
                None,
                Problem(
                    _("Unknown text encoding '{encoding}'.").format(encoding=candidate),
                    file=file,
                    code="text.encoding_unknown",
                ),
            )
        except UnicodeDecodeError as exc:
            last_error = exc
            used = candidate
    else:
        assert last_error is not None
        offset = last_error.start + (len(data) - len(body))
        line, col = _position(data, offset)
        return Decoded(
            None,
            None,
            Problem(
                _("Byte 0x{byte:02X} is not valid {encoding} text.").format(
                    byte=data[offset], encoding=used
                )
                + _affected(_bad_lines(data, offset, used)),
                file=file,
                line=line,
                column=col,
                code="text.invalid_byte",
            ),
        )
    if text.startswith("\ufeff"):
        text = text[1:]
    nul = text.find("\x00")
    if nul >= 0:
        line = text.count("\n", 0, nul) + 1
        col = nul - (text.rfind("\n", 0, nul) + 1) + 1
        return Decoded(None, None, _nul_problem(file, line, col, _lines_with(text, "\x00")))
    return Decoded(text, used)


def _lines_with(data: Any, needle: Any) -> int:
    """How many lines hold ``needle`` at least once (bytes or text; no copies)."""
    newline = b"\n" if isinstance(data, bytes) else "\n"
    count = 0
    at = data.find(needle)
    while at >= 0:
        count += 1
        end = data.find(newline, at)
        if end < 0:
            break
        at = data.find(needle, end)
    return count


def _bad_lines(data: bytes, first: int, encoding: str) -> int:
    """Lines with bytes that are not valid ``encoding``, from the one holding ``first`` on.

    Counted line by line (UTF-8 and Windows-1252 never continue a character
    across a line end); 0 for UTF-16, whose bytes cannot be cut at newlines.
    """
    if encoding.startswith("utf-16"):
        return 0
    count = 1
    start = data.find(b"\n", first)
    view = memoryview(data)
    while start >= 0:
        end = data.find(b"\n", start + 1)
        chunk = view[start + 1 : end if end >= 0 else len(data)]
        try:
            str(chunk, encoding)
        except UnicodeDecodeError:
            count += 1
        start = end
    return count


def _affected(lines: int) -> str:
    """ " 3 lines in all are affected; this is the first." — nothing for one line."""
    if lines <= 1:
        return ""
    return " " + ngettext(
        "{count} line in all is affected; this is the first.",
        "{count} lines in all are affected; this is the first.",
        lines,
    ).format(count=lines)


def _nul_problem(file: str, line: int, column: int, lines: int = 1) -> Problem:
    return Problem(
        _("The file contains a NUL byte; it is not a text file or it is damaged.")
        + _affected(lines),
        file=file,
        line=line,
        column=column,
        code="text.nul",
    )
