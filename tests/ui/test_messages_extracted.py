"""UI texts reach the catalogue: marked for extraction and not hidden inside f-strings."""

from __future__ import annotations

import importlib.util
from pathlib import Path

TOOL = Path(__file__).resolve().parents[2] / "tools" / "i18n.py"


def test_texts_seen_in_english_in_the_german_window_are_extracted():
    spec = importlib.util.spec_from_file_location("chinadialog_i18n_tool_ui", TOOL)
    assert spec is not None and spec.loader is not None
    tool = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(tool)
    ids = {message.id for message in tool.extract() if message.id}
    for text in (
        "Select a record in the list, or create one with Ctrl+N.",  # editor placeholder
        "Sources: {refs}",  # assessment guidance
        "not assessed yet",  # field-of-action tooltip
    ):
        assert text in ids, text
