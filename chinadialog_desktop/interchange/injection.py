"""Guard spreadsheet cells against formula injection (OWASP CSV injection), reversibly."""

from __future__ import annotations

TRIGGERS = ("=", "+", "-", "@", "\t", "\r")


def neutralise(text: str) -> str:
    """Prefix a text that a spreadsheet would run as a formula with ``'``.

    A text that already starts with quotes before a trigger gets one more, so
    ``restore`` gives back exactly what was written (no double escaping).
    """
    if text.startswith(TRIGGERS) or (
        text.startswith("'") and text.lstrip("'").startswith(TRIGGERS)
    ):
        return "'" + text
    return text


def restore(text: str) -> str:
    """Undo ``neutralise`` (only on files our own export wrote)."""
    if text.startswith("'") and text.lstrip("'").startswith(TRIGGERS):
        return text[1:]
    return text
