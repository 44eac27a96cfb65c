"""House rules that hold for every module: Qt only in the UI, no network, locks complete."""

from __future__ import annotations

import ast
import re
import subprocess
import sys
import tomllib
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
PACKAGE = ROOT / "chinadialog_desktop"
QT_ALLOWED = {"ui"}
QT_ALLOWED_FILES = {"cli/gui.py", "cli/selftest.py"}
NETWORK_MODULES = {
    "socket",
    "http",
    "urllib.request",
    "requests",
    "httpx",
    "urllib3",
    "aiohttp",
    "ftplib",
    "smtplib",
    "PySide6.QtNetwork",
}


def _imports(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    names = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names.update(a.name for a in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names.add(node.module)
    return names


def _modules():
    for path in sorted(PACKAGE.rglob("*.py")):
        yield path.relative_to(PACKAGE).as_posix(), path


def test_no_module_outside_ui_imports_qt():
    offenders = []
    for rel, path in _modules():
        if rel.split("/")[0] in QT_ALLOWED or rel in QT_ALLOWED_FILES:
            continue
        if any(n == "PySide6" or n.startswith("PySide6.") for n in _imports(path)):
            offenders.append(rel)
    assert offenders == [], f"Qt imported outside ui/: {offenders}"


def test_the_boundary_check_catches_an_offender(tmp_path):
    bad = tmp_path / "bad.py"
    bad.write_text("from PySide6.QtCore import QObject\n", encoding="utf-8")
    assert "PySide6.QtCore" in _imports(bad)


def test_core_runs_without_qt():
    """Importing the CLI and every service must not load PySide6."""
    code = (
        "import sys, pkgutil, importlib, chinadialog_desktop\n"
        "for m in pkgutil.walk_packages(chinadialog_desktop.__path__, 'chinadialog_desktop.'):\n"
        "    if '.ui' in m.name or m.name.endswith(('cli.gui', 'cli.selftest', '__main__')):\n"
        "        continue\n"
        "    importlib.import_module(m.name)\n"
        "print(any(k.startswith('PySide6') for k in sys.modules))\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "False"


def test_no_network_code_in_the_package():
    offenders = []
    for rel, path in _modules():
        for name in _imports(path):
            if name in NETWORK_MODULES or any(name.startswith(m + ".") for m in NETWORK_MODULES):
                offenders.append(f"{rel}: {name}")
    assert offenders == []


def test_every_dependency_is_pinned_in_the_locks():
    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]

    def pinned(lock: str) -> set[str]:
        text = (ROOT / "requirements" / lock).read_text(encoding="utf-8")
        return {
            m.group(1).lower().replace("_", "-")
            for m in re.finditer(r"^([A-Za-z0-9_.\-]+)==", text, re.M)
        }

    def names(specs: list[str]) -> set[str]:
        return {re.split(r"[<>=!~\[; ]", s, maxsplit=1)[0].lower().replace("_", "-") for s in specs}

    assert names(project["dependencies"]) <= pinned("app.lock")
    deps_dev = project["dependencies"] + project["optional-dependencies"]["dev"]
    assert names(deps_dev) <= pinned("dev.lock")
    assert "pyside6-essentials" in pinned("app.lock") and "pyside6" not in pinned("app.lock")
    assert "defusedxml" in pinned("app.lock")


# The window reaches the data only through services/ (``services.unit`` runs a
# function of the session). Files still on the old road would be listed here while
# being moved (the test fails when one no longer needs its place); none is left.
DATABASE_ROAD_TO_MOVE: set[str] = set()


def _database_access(path: Path) -> list[str]:
    """Imports of SQLAlchemy or persistence/, and sessions opened, anywhere in the file."""
    found = []
    tree = ast.parse(path.read_text(encoding="utf-8"))
    for node in ast.walk(tree):
        names: list[str] = []
        if isinstance(node, ast.Import):
            names = [a.name for a in node.names]
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names = [node.module]
        found += [
            n
            for n in names
            if n.split(".")[0] == "sqlalchemy" or n.startswith("chinadialog_desktop.persistence")
        ]
        if (
            isinstance(node, ast.Call)
            and isinstance(node.func, ast.Attribute)
            and node.func.attr in ("session", "sessions")
        ):
            found.append(f"line {node.lineno}: .{node.func.attr}()")
    return found


def test_the_window_reaches_the_data_only_through_services():
    offenders = {}
    for rel, path in _modules():
        found = _database_access(path) if rel.startswith("ui/") else []
        if found and rel not in DATABASE_ROAD_TO_MOVE:
            offenders[rel] = found
    assert offenders == {}, f"ui/ touches the database directly: {offenders}"


def test_the_list_of_files_to_move_only_shrinks():
    moved = [rel for rel in DATABASE_ROAD_TO_MOVE if not _database_access(PACKAGE / rel)]
    assert moved == [], f"no longer touch the database, drop them from the list: {moved}"


def test_the_database_road_check_catches_an_offender(tmp_path):
    bad = tmp_path / "bad.py"
    bad.write_text(
        "def f(db):\n    from sqlalchemy import select\n"
        "    with db.session() as s:\n        pass\n",
        encoding="utf-8",
    )
    assert _database_access(bad) == ["sqlalchemy", "line 3: .session()"]


# Layers below services/: the PDF writer renders the database-free briefing model
# (domain/briefing_model, briefing_markup, briefing_terms); domain/ knows no storage.
DATABASE_FREE = {"reports": "the PDF writer", "domain": "the domain model"}
STORAGE_PREFIXES = ("chinadialog_desktop.services", "chinadialog_desktop.persistence", "sqlalchemy")


def _storage_imports(path: Path) -> list[str]:
    """Imports (at any depth, also inside functions) of services/, persistence/ or SQLAlchemy."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    found = []
    for node in ast.walk(tree):
        names: list[str] = []
        if isinstance(node, ast.Import):
            names = [a.name for a in node.names]
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names = [node.module] + [f"{node.module}.{a.name}" for a in node.names]
        found += [
            n for n in names if n.split(".")[0] == "sqlalchemy" or n.startswith(STORAGE_PREFIXES)
        ]
        if (
            isinstance(node, ast.Call)
            and isinstance(node.func, ast.Attribute)
            and node.func.attr == "import_module"
            and node.args
            and isinstance(node.args[0], ast.Constant)
            and str(node.args[0].value).startswith(STORAGE_PREFIXES)
        ):
            found.append(str(node.args[0].value))
    return sorted(set(found))


def test_reports_and_domain_do_not_reach_services_or_the_database():
    offenders = {}
    for rel, path in _modules():
        if rel.split("/")[0] in DATABASE_FREE and (found := _storage_imports(path)):
            offenders[rel] = found
    assert offenders == {}, f"imports services/ or the database: {offenders}"


def test_the_storage_check_catches_an_offender(tmp_path):
    bad = tmp_path / "bad.py"
    bad.write_text(
        "import importlib\n"
        "from chinadialog_desktop.services.briefing.content import Briefing\n"
        "def f():\n"
        "    from chinadialog_desktop import persistence\n"
        "    importlib.import_module('chinadialog_desktop.services.screening.runs')\n",
        encoding="utf-8",
    )
    assert _storage_imports(bad) == [
        "chinadialog_desktop.persistence",
        "chinadialog_desktop.services.briefing.content",
        "chinadialog_desktop.services.briefing.content.Briefing",
        "chinadialog_desktop.services.screening.runs",
    ]
