"""The packages of backend/mutual form no import cycle, counting every import: at the top,
inside functions, under TYPE_CHECKING, strawberry.lazy references and the schema's list of
domains. The toolkits (kit/, graphql/) import no domain."""

from __future__ import annotations

import ast
from collections import defaultdict
from pathlib import Path

from mutual.config import REPO_ROOT
from mutual.schema import DOMAIN_NAMES

PACKAGE = REPO_ROOT / "backend" / "mutual"
TOOLKITS = {"mutual.kit", "mutual.graphql"}
BASE = {"mutual.config", "mutual.db", *TOOLKITS}


def _module_name(path: Path) -> str:
    parts = path.relative_to(PACKAGE.parent).with_suffix("").parts
    return ".".join(parts).removesuffix(".__init__")


def _package(module: str) -> str:
    return ".".join(module.split(".")[:2])


def _imported(path: Path, module: str) -> list[tuple[str, int, bool]]:
    """(module imported, line, whether inside a function) for every mutual import in a file."""
    tree = ast.parse(path.read_text())
    found: list[tuple[str, int, bool]] = []

    def visit(node: ast.AST, in_function: bool) -> None:
        for child in ast.iter_child_nodes(node):
            inside = in_function or isinstance(child, ast.FunctionDef | ast.AsyncFunctionDef)
            if isinstance(child, ast.Import):
                found.extend((a.name, child.lineno, inside) for a in child.names)
            elif isinstance(child, ast.ImportFrom) and child.module:
                base = child.module
                if child.level:
                    base = ".".join([*module.split(".")[: -child.level], child.module])
                found.append((base, child.lineno, inside))
            elif (
                isinstance(child, ast.Call)
                and isinstance(child.func, ast.Attribute)
                and child.func.attr == "lazy"
                and child.args
                and isinstance(child.args[0], ast.Constant)
            ):
                found.append((str(child.args[0].value), child.lineno, inside))
            visit(child, inside)

    visit(tree, False)
    return [(name, line, inside) for name, line, inside in found if name.startswith("mutual.")]


def _graph() -> tuple[dict[str, set[str]], list[str]]:
    edges: dict[str, set[str]] = defaultdict(set)
    in_functions = []
    for path in sorted(PACKAGE.rglob("*.py")):
        module = _module_name(path)
        for name, line, inside in _imported(path, module):
            if inside:
                in_functions.append(f"{path.relative_to(REPO_ROOT)}:{line} imports {name}")
            if _package(name) != _package(module):
                edges[_package(module)].add(_package(name))
    # mutual/schema.py imports each listed domain by name.
    edges["mutual.schema"].update(f"mutual.{name}" for name in DOMAIN_NAMES)
    return edges, in_functions


def _cycles(edges: dict[str, set[str]]) -> list[list[str]]:
    """Strongly connected components with more than one package (Tarjan)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    found: list[list[str]] = []

    def strong(v: str) -> None:
        index[v] = low[v] = len(index)
        stack.append(v)
        for w in edges.get(v, ()):
            if w not in index:
                strong(w)
                low[v] = min(low[v], low[w])
            elif w in stack:
                low[v] = min(low[v], index[w])
        if low[v] == index[v]:
            component = []
            while True:
                w = stack.pop()
                component.append(w)
                if w == v:
                    break
            if len(component) > 1:
                found.append(sorted(component))

    for v in list(edges):
        if v not in index:
            strong(v)
    return found


def test_the_packages_form_no_import_cycle() -> None:
    edges, _ = _graph()
    assert _cycles(edges) == []


def test_the_cycle_finder_finds_a_cycle() -> None:
    # given a graph where a toolkit imports a domain that imports it
    edges = {"mutual.graphql": {"mutual.roadmap"}, "mutual.roadmap": {"mutual.graphql"}}
    # then
    assert _cycles(edges) == [["mutual.graphql", "mutual.roadmap"]]


def test_the_toolkits_import_no_domain() -> None:
    edges, _ = _graph()
    reached = {toolkit: sorted(edges.get(toolkit, set()) - BASE) for toolkit in TOOLKITS}
    assert reached == {toolkit: [] for toolkit in TOOLKITS}


def test_no_module_of_mutual_is_imported_inside_a_function() -> None:
    _, in_functions = _graph()
    assert in_functions == []


def test_every_domain_folder_is_listed_once() -> None:
    folders = {p.parent.name for p in PACKAGE.glob("*/domain.py")} - {"kit", "graphql"}
    assert sorted(DOMAIN_NAMES) == sorted(folders)
    assert len(set(DOMAIN_NAMES)) == len(DOMAIN_NAMES)
