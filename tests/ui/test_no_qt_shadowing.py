"""No attribute of ours hides a method Qt gives the class (``self.window``, ``self.result`` ...).

An attribute ``self.window = ...`` on a QDialog replaces ``QWidget.window()`` for everyone who
holds the dialog (Qt's own code called from Python, a test, the next helper): the call then
fails far from the assignment. The walk below reads every ``self.<name> = ...`` in the classes
of ``ui/`` that derive from QObject and looks the name up in their Qt base classes.
"""

from __future__ import annotations

import ast
import importlib
import inspect
import pkgutil

from PySide6.QtCore import QObject

import chinadialog_desktop.ui as ui_package


def _shadowing(module) -> list[str]:
    found = []
    tree = ast.parse(inspect.getsource(module))
    for node in ast.walk(tree):
        if not isinstance(node, ast.ClassDef):
            continue
        cls = getattr(module, node.name, None)
        if not (isinstance(cls, type) and issubclass(cls, QObject)):
            continue
        qt_bases = [b for b in cls.__mro__ if b.__module__.startswith(("PySide6", "Shiboken"))]
        for sub in ast.walk(node):
            if (
                isinstance(sub, ast.Attribute)
                and isinstance(sub.ctx, ast.Store)
                and isinstance(sub.value, ast.Name)
                and sub.value.id == "self"
                and any(sub.attr in vars(base) for base in qt_bases)
            ):
                found.append(f"{module.__name__}.{node.name}: self.{sub.attr} (line {sub.lineno})")
    return found


def test_no_ui_class_hides_a_qt_method():
    offenders = []
    for info in pkgutil.walk_packages(ui_package.__path__, ui_package.__name__ + "."):
        offenders += _shadowing(importlib.import_module(info.name))
    assert offenders == []


def test_the_walk_finds_a_hidden_method(tmp_path, monkeypatch):
    source = (
        "from PySide6.QtWidgets import QDialog\n\n"
        "class Bad(QDialog):\n"
        "    def __init__(self):\n"
        "        super().__init__()\n"
        "        self.window = None\n"
        "        self.result = 1\n"
        "        self.fine = 2\n"
    )
    (tmp_path / "shadow_probe.py").write_text(source, encoding="utf-8")
    monkeypatch.syspath_prepend(str(tmp_path))
    found = _shadowing(importlib.import_module("shadow_probe"))
    assert [f.split(": ")[1].split(" ")[0] for f in found] == ["self.window", "self.result"]
