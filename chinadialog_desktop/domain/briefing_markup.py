"""The dossier's small text markup, parsed for any briefing writer (PDF, DOCX).

Paragraphs are separated by blank lines; "- " and "1. " start list items;
**bold**, *italic*, links "[text](https://…)" and citations "[3]" are inline; a
backslash before a punctuation mark keeps it literal ("\\*"), as the rich-text editor
(Qt's Markdown writer) stores it. A link is written as its text followed by the address
in brackets: a printed council paper cannot be clicked. Nothing is ever read as HTML.
"""

from __future__ import annotations

import re
from dataclasses import dataclass


@dataclass(frozen=True)
class Run:
    """A piece of inline text; ``cite`` is the number of a cited source ("[3]")."""

    text: str
    bold: bool = False
    italic: bool = False
    cite: int | None = None


@dataclass(frozen=True)
class Block:
    """A paragraph or a list item (``bullet`` "- ", ``number`` "1. ")."""

    kind: str  # para | bullet | number
    runs: tuple[Run, ...]
    number: str | None = None


_INLINE = re.compile(
    r"\\([!-/:-@\[-`{-~])"  # a backslash escape: the mark itself, literal
    r"|\*\*\*(.+?)\*\*\*|\*\*(.+?)\*\*|\*(.+?)\*"
    r"|\[((?:[^\[\]\\]|\\.)+)\]\(<?((?:https?://|mailto:)[^\s()<>]+)>?\)"  # [text](address)
    r"|\[(\d{1,4})\]"
)
_NUMBERED = re.compile(r"^(\d{1,3})[.)]\s+")


def parse_inline(text: str) -> tuple[Run, ...]:
    runs: list[Run] = []
    pos = 0
    for m in _INLINE.finditer(text):
        if m.start() > pos:
            runs.append(Run(text[pos : m.start()]))
        if m.group(1) is not None:  # \* and the like: the mark as text
            runs.append(Run(m.group(1)))
        elif m.group(2) is not None:  # ***bold italic***
            runs.extend(
                Run(r.text, bold=True, italic=True, cite=r.cite) for r in parse_inline(m.group(2))
            )
        elif m.group(3) is not None:
            runs.extend(
                Run(r.text, bold=True, italic=r.italic, cite=r.cite)
                for r in parse_inline(m.group(3))
            )
        elif m.group(4) is not None:
            runs.extend(
                Run(r.text, bold=r.bold, italic=True, cite=r.cite) for r in parse_inline(m.group(4))
            )
        elif m.group(5) is not None:  # a link: its text, then the address to read on paper
            inner = parse_inline(m.group(5))
            runs.extend(inner)
            address = m.group(6)
            shown = "".join(r.text for r in inner)
            if shown not in (address, address.removeprefix("mailto:")):
                runs.append(Run(f" ({address.removeprefix('mailto:')})"))
        else:
            runs.append(Run(m.group(0), cite=int(m.group(7))))
        pos = m.end()
    if pos < len(text):
        runs.append(Run(text[pos:]))
    return tuple(runs)


def parse_markup(body: str) -> list[Block]:
    """Paragraphs (blank-line separated), "- " and "1. " list items, **bold**, *italic*."""
    blocks: list[Block] = []
    para: list[str] = []

    def flush() -> None:
        if para:
            blocks.append(Block("para", parse_inline(" ".join(para))))
            para.clear()

    for raw in body.replace("\r\n", "\n").split("\n"):
        line = raw.strip()
        if not line:
            flush()
            continue
        if line.startswith(("- ", "• ")):
            flush()
            blocks.append(Block("bullet", parse_inline(line[2:].strip())))
            continue
        numbered = _NUMBERED.match(line)
        if numbered:
            flush()
            blocks.append(
                Block("number", parse_inline(line[numbered.end() :]), number=numbered.group(1))
            )
            continue
        if blocks and blocks[-1].kind != "para" and not para and raw[:1] in (" ", "\t"):
            # An indented continuation line belongs to the list item above.
            last = blocks.pop()
            joined = parse_inline(_plain(last.runs) + " " + line)
            blocks.append(Block(last.kind, joined, last.number))
            continue
        para.append(line)
    flush()
    return blocks


def _plain(runs: tuple[Run, ...]) -> str:
    out = []
    for r in runs:
        text = r.text
        if r.bold:
            text = f"**{text}**"
        if r.italic:
            text = f"*{text}*"
        out.append(text)
    return "".join(out)


def cited_numbers(body: str) -> set[int]:
    return {r.cite for b in parse_markup(body) for r in b.runs if r.cite is not None}
