"""The main window's commands by name, in one place.

The window and each part of the app (File menu, Briefing, Datasets, Screening,
Assessment) register their QActions here as they build their menus; whoever needs a
command looks it up by its object name, ``window.commands["actionBackups"]``, instead
of reading an attribute another module set on the window. Which parts exist is written
down in ``extensions.PARTS``, not found by trying to import modules by name.
"""

from __future__ import annotations

from collections.abc import Iterator

from PySide6.QtGui import QAction


class ActionRegistry:
    """Every named command of one main window; a name stands for exactly one action.

    ``shortcut_clashes`` lists the keys a part asked for that an earlier command
    already had (the earlier one keeps them; see ``extensions.install_menus``).
    """

    def __init__(self) -> None:
        self._actions: dict[str, QAction] = {}
        self.shortcut_clashes: list[str] = []

    def register(self, action: QAction) -> QAction:
        """Add ``action`` under its object name; registering it again changes nothing."""
        name = action.objectName()
        if not name:
            raise ValueError("a command is registered under its object name, which is empty")
        known = self._actions.get(name)
        if known is not None and known is not action:
            raise ValueError(f"two commands are named {name}")
        self._actions[name] = action
        return action

    def __getitem__(self, name: str) -> QAction:
        return self._actions[name]

    def get(self, name: str) -> QAction | None:
        return self._actions.get(name)

    def __contains__(self, name: object) -> bool:
        return name in self._actions

    def __iter__(self) -> Iterator[str]:
        return iter(self._actions)

    def __len__(self) -> int:
        return len(self._actions)


__all__ = ["ActionRegistry"]
