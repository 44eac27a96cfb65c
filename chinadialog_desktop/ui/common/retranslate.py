"""Texts that follow a language switch: each widget text is kept with its message id."""

from __future__ import annotations

from typing import Any

from shiboken6 import isValid

from chinadialog_desktop.i18n import _


class Texts:
    """``set(obj, "setText", N_("Title"))`` shows the translation now and after a switch."""

    def __init__(self) -> None:
        self._entries: list[tuple[Any, str, str]] = []

    def set(self, obj: Any, setter: str, message: str) -> str:
        text = _(message)
        getattr(obj, setter)(text)
        self._entries.append((obj, setter, message))
        return text

    def apply(self) -> None:
        """Set every registered text again in the language now active."""
        alive = []
        for obj, setter, message in self._entries:
            if isValid(obj):
                getattr(obj, setter)(_(message))
                alive.append((obj, setter, message))
        self._entries = alive
