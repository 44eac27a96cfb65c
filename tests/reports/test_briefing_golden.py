"""Golden test: the sample briefing's text, page by page, against a reviewed reference.

After a deliberate change of content or layout, regenerate the reference with

    UPDATE_GOLDEN=1 .venv/bin/pytest tests/reports/test_briefing_golden.py

then read the diff of tests/reports/golden/*.txt before committing it.
"""

from __future__ import annotations

import os
from pathlib import Path

from helpers.pdf import page_texts

GOLDEN = Path(__file__).resolve().parent / "golden"


def _pages_as_text(data: bytes) -> str:
    parts = []
    for number, text in enumerate(page_texts(data), start=1):
        lines = [line.rstrip() for line in text.splitlines()]
        parts.append(f"===== page {number} =====\n" + "\n".join(lines).strip() + "\n")
    return "\n".join(parts)


def _check(name: str, data: bytes) -> None:
    path = GOLDEN / name
    actual = _pages_as_text(data)
    if os.environ.get("UPDATE_GOLDEN") == "1":
        path.write_text(actual, encoding="utf-8")
    expected = path.read_text(encoding="utf-8")
    assert actual == expected, f"page text differs from {path.name}; see the module docstring"


def test_sample_briefing_matches_the_reviewed_text(export):
    _check("sample-briefing.txt", export(classification="vs_nfd").data)


def test_public_english_briefing_matches_the_reviewed_text(export):
    _check("sample-briefing-public-en.txt", export(public=True, lang="en").data)
