"""Reading a Word file back: its parts' text, attribute values and XML, from the zip itself."""

from __future__ import annotations

import html
import io
import re
import zipfile

_TAG = re.compile(r"<[^>]+>")
_ATTR = re.compile(r'="([^"]*)"')
_PARAGRAPH_END = re.compile(r"</w:p>|</a:p>|</w:tc>")


def parts(data: bytes) -> dict[str, str]:
    """Every XML part of the package by name, as text."""
    with zipfile.ZipFile(io.BytesIO(data)) as z:
        return {
            name: z.read(name).decode("utf-8")
            for name in z.namelist()
            if name.endswith((".xml", ".rels"))
        }


def visible_text(data: bytes) -> dict[str, str]:
    """What a reader can see or hear per part: text (paragraphs on lines) and attribute values.

    Attribute values include the pictures' alternative text (``descr``); the
    document properties are text of ``docProps/core.xml``.
    """
    out = {}
    for name, xml in parts(data).items():
        text = html.unescape(_TAG.sub("", _PARAGRAPH_END.sub("\n", xml)))
        attrs = " ".join(html.unescape(v) for v in _ATTR.findall(xml))
        out[name] = text + "\n" + attrs
    return out


def find(data: bytes, needle: str) -> list[str]:
    """The parts in which ``needle`` appears (also split over runs of one paragraph)."""
    return [name for name, text in visible_text(data).items() if needle in text]
