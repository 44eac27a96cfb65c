"""Everything build.spec names exists: icons, data folders, the distributions it copies metadata of.

PyInstaller does not fail on a missing icon (``icon=... if ICON.is_file() else None``): the
bundle would simply have none. So the names in the spec are read here, as text, and looked up.
"""

from __future__ import annotations

import ast
import re
from importlib import metadata

from helpers.paths import ROOT

SPEC = (ROOT / "build.spec").read_text(encoding="utf-8")


def _root_paths() -> list[tuple[str, ...]]:
    """Every ``ROOT / "a" / "b" / (...)`` in the spec, as the tuple of its string parts."""
    found = []
    for node in ast.walk(ast.parse(SPEC)):
        if not (isinstance(node, ast.BinOp) and isinstance(node.op, ast.Div)):
            continue
        parts: list[ast.expr] = []
        left: ast.expr = node
        while isinstance(left, ast.BinOp) and isinstance(left.op, ast.Div):
            parts.insert(0, left.right)
            left = left.left
        if isinstance(left, ast.Name) and left.id == "ROOT":
            found.append(
                tuple(ast.literal_eval(p) if isinstance(p, ast.Constant) else p for p in parts)
            )
    return found


def test_the_icons_the_bundle_gets_exist():
    # The whole expression, whose last part is the choice (its sub-expressions are walked too).
    icons = [p for p in _root_paths() if p[:2] == ("resources", "icons") and len(p) == 3]
    assert icons, "build.spec names no icon"
    for parts in icons:
        folder = ROOT.joinpath(*[p for p in parts if isinstance(p, str)])
        # The last part chooses by platform: ("chinadialog.icns" if IS_MAC else "chinadialog.ico")
        assert isinstance(parts[-1], ast.AST), parts
        names = [n.value for n in ast.walk(parts[-1]) if isinstance(n, ast.Constant)]
        assert set(names) == {"chinadialog.icns", "chinadialog.ico"}
        for name in names:
            assert (folder / name).is_file(), folder / name


def test_every_file_named_in_the_spec_exists():
    """Quoted file names (icons, the SVG the icons are made from, the tool that makes them)."""
    named = set(re.findall(r"\b((?:resources|tools|db)/[\w./-]+\.\w+)\b", SPEC))
    assert "resources/icons/app/chinadialog.svg" in named
    for rel in named:
        assert (ROOT / rel).is_file(), rel


def test_the_data_folders_exist_and_hold_files():
    folders = re.findall(r'_tree\("([^"]+)"\)', SPEC)
    assert set(folders) == {"resources", "db"}
    for folder in folders:
        assert any(p.is_file() for p in (ROOT / folder).rglob("*")), folder
    assert (ROOT / "db" / "env.py").is_file()
    assert any((ROOT / "db" / "versions").glob("0001_*.py"))


def test_every_distribution_whose_metadata_the_about_dialog_needs_is_installed():
    block = re.search(r"ABOUT_DISTRIBUTIONS = \((.*?)\)", SPEC, re.S)
    assert block is not None
    names = re.findall(r'"([\w.-]+)"', block.group(1))
    assert "pyside6-essentials" in names
    for name in names:
        assert metadata.distribution(name).version, name
