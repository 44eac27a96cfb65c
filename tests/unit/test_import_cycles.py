"""No import circles in the package: a small walk over every module's imports (ast, no import).

The walk sorts imports into three kinds: at module level, inside a function or method,
and under ``if TYPE_CHECKING:``. All three count. An import inside a function runs later,
but it is a dependency all the same (moving an import into a function is the usual way
to hide a circle, not to break one); an annotation import never runs, but a circle through
it still ties two modules' designs together.

One exception: the annotation import of ``ui.window.main_window`` by the parts the window
installs (``install(window: MainWindow)`` in file_actions, first_steps, the menus of
briefing, datasets, screening and assessment). The window builds itself from them, and
they only name its type; with it the window's parts would need a protocol repeating
the window's whole surface.
"""

from __future__ import annotations

import ast
from pathlib import Path

from helpers.paths import ROOT

PACKAGE = ROOT / "chinadialog_desktop"
MODULE, FUNCTION, TYPING = "module", "function", "typing"

# The one module others may name in annotations although it imports them (see above).
TYPE_ONLY_ALLOWED = "chinadialog_desktop.ui.window.main_window"


def module_name(path: Path, root: Path) -> str:
    parts = list(path.relative_to(root).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def _targets(node: ast.AST, current: str, is_package: bool, known: set[str]) -> list[str]:
    """The package modules an import statement loads (``from x import y``: x.y if a module)."""
    found = []
    if isinstance(node, ast.Import):
        for alias in node.names:
            name = alias.name
            while name and name not in known:
                name = name.rpartition(".")[0]
            if name:
                found.append(name)
    elif isinstance(node, ast.ImportFrom):
        if node.level:
            base = current.split(".") if is_package else current.split(".")[:-1]
            base = base[: len(base) - (node.level - 1)]
            module = ".".join(base + ([node.module] if node.module else []))
        else:
            module = node.module or ""
        for alias in node.names:
            if f"{module}.{alias.name}" in known:
                found.append(f"{module}.{alias.name}")
            elif module in known:
                found.append(module)
    return found


def import_graph(root: Path, package: str) -> dict[str, dict[str, set[str]]]:
    """Per module and kind of import (module, function, typing): the package modules it imports."""
    paths = {module_name(p, root): p for p in sorted((root / package).rglob("*.py"))}
    known = set(paths)
    graph: dict[str, dict[str, set[str]]] = {}
    for name, path in paths.items():
        edges: dict[str, set[str]] = {MODULE: set(), FUNCTION: set(), TYPING: set()}
        is_package = path.name == "__init__.py"

        def visit(
            node: ast.AST,
            where: str,
            name: str = name,
            edges: dict[str, set[str]] = edges,
            is_package: bool = is_package,
        ) -> None:
            for child in ast.iter_child_nodes(node):
                inner = where
                if isinstance(child, ast.If) and "TYPE_CHECKING" in ast.unparse(child.test):
                    inner = TYPING
                elif where == MODULE and isinstance(
                    child, ast.FunctionDef | ast.AsyncFunctionDef | ast.Lambda
                ):
                    inner = FUNCTION
                for target in _targets(child, name, is_package, known):
                    if target != name:
                        edges[inner].add(target)
                visit(child, inner)

        visit(ast.parse(path.read_text(encoding="utf-8")), MODULE)
        graph[name] = edges
    return graph


def circles(graph: dict[str, dict[str, set[str]]], kinds: tuple[str, ...]) -> list[set[str]]:
    """The strongly connected groups of more than one module (Tarjan, iterative)."""
    edges = {m: set().union(*(graph[m][k] for k in kinds)) for m in graph}
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    found: list[set[str]] = []
    counter = 0
    for start in sorted(edges):
        if start in index:
            continue
        work = [(start, iter(sorted(edges[start])))]
        index[start] = low[start] = counter
        counter += 1
        stack.append(start)
        on_stack.add(start)
        while work:
            node, children = work[-1]
            child = next(children, None)
            if child is not None:
                if child not in index:
                    index[child] = low[child] = counter
                    counter += 1
                    stack.append(child)
                    on_stack.add(child)
                    work.append((child, iter(sorted(edges[child]))))
                elif child in on_stack:
                    low[node] = min(low[node], index[child])
                continue
            work.pop()
            if work:
                low[work[-1][0]] = min(low[work[-1][0]], low[node])
            if low[node] == index[node]:
                group = set()
                while True:
                    member = stack.pop()
                    on_stack.discard(member)
                    group.add(member)
                    if member == node:
                        break
                if len(group) > 1:
                    found.append(group)
    return found


def test_no_import_circle_at_run_time():
    graph = import_graph(ROOT, "chinadialog_desktop")
    assert circles(graph, (MODULE,)) == []
    assert circles(graph, (MODULE, FUNCTION)) == []


def test_no_import_circle_through_annotations():
    graph = import_graph(ROOT, "chinadialog_desktop")
    for edges in graph.values():
        edges[TYPING].discard(TYPE_ONLY_ALLOWED)
    assert circles(graph, (MODULE, FUNCTION, TYPING)) == []


def test_the_walk_finds_circles_of_each_kind(tmp_path):
    package = tmp_path / "pkg"
    package.mkdir()
    (package / "__init__.py").write_text("", encoding="utf-8")
    (package / "a.py").write_text("from pkg import b\n", encoding="utf-8")
    (package / "b.py").write_text("def f():\n    from pkg.a import x\n", encoding="utf-8")
    (package / "c.py").write_text(
        "from typing import TYPE_CHECKING\nif TYPE_CHECKING:\n    from . import d\n",
        encoding="utf-8",
    )
    (package / "d.py").write_text("import pkg.c\n", encoding="utf-8")
    (package / "e.py").write_text("import pkg.a\n", encoding="utf-8")  # no circle
    graph = import_graph(tmp_path, "pkg")
    assert graph["pkg.b"][FUNCTION] == {"pkg.a"}
    assert graph["pkg.c"][TYPING] == {"pkg.d"}
    assert circles(graph, (MODULE,)) == []
    assert circles(graph, (MODULE, FUNCTION)) == [{"pkg.a", "pkg.b"}]
    found = circles(graph, (MODULE, FUNCTION, TYPING))
    assert sorted(map(sorted, found)) == [["pkg.a", "pkg.b"], ["pkg.c", "pkg.d"]]
