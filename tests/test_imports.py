"""The portal's own modules (``portal``, ``staff``, ``public``) import each other in no circle,
and ``portal/services/`` holds nothing outside its domain packages.

Issue 15, "Done when". The import graph is read from the source with ``ast``, not by
importing it: every import counts, at module level, inside a function (which only puts a
circle off until the function runs) or under ``if TYPE_CHECKING:`` (which hides it from the
interpreter, not from the reader). A module depends on each module it names, and on the
packages above that module, whose ``__init__`` runs first; not on its own packages, which
are already running when it is imported, unless it takes a name from one of them.

``ALLOWED`` lists the few imports inside a function that must stay, each with its reason.
"""

from __future__ import annotations

import ast
import textwrap
from collections import deque
from dataclasses import dataclass
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
TOP_PACKAGES = ("portal", "staff", "public")
SERVICES = ROOT / "portal" / "services"

# (importer, imported): imports inside a function left out of the graph.
ALLOWED = {
    ("portal", "staff.routes"): "the app factory (create_app) registers the blueprints when it "
                                "runs: their views import the extensions and models from portal",
    ("portal", "public.routes"): "the same, for the public blueprint",
    ("portal.services.common.outbox", "portal.services.accounts.staff_accounts"):
        "the outbox makes a set-up or reset link only as it sends the mail, so that no usable "
        "link waits in the queue (staff_accounts.link_to_send), and staff accounts queue "
        "their mail through the outbox",
}


@dataclass(frozen=True)
class Import:
    """One import statement's edge: where it is written, and whether inside a function."""

    importer: str
    imported: str
    line: int
    in_function: bool

    def __str__(self) -> str:
        where = ", inside a function" if self.in_function else ""
        return f"{self.importer} imports {self.imported} (line {self.line}{where})"


def portal_modules(root: Path = ROOT, tops: tuple[str, ...] = TOP_PACKAGES) -> dict[str, Path]:
    """Every module of the top packages, by dotted name: the .py files of directories
    that are packages (an ``__init__.py``), so static files and templates are never read."""
    found: dict[str, Path] = {}
    for top in tops:
        packages = [root / top]
        while packages:
            package = packages.pop()
            for path in sorted(package.iterdir()):
                if path.is_dir() and not path.is_symlink() and (path / "__init__.py").exists():
                    packages.append(path)
                elif path.suffix == ".py":
                    parts = path.relative_to(root).with_suffix("").parts
                    found[".".join(parts[:-1] if parts[-1] == "__init__" else parts)] = path
    return found


def _packages_above(name: str) -> list[str]:
    parts = name.split(".")
    return [".".join(parts[:n]) for n in range(1, len(parts))]


def _named(node: ast.Import | ast.ImportFrom, importer: str, is_package: bool,
           modules: dict[str, Path]) -> set[str]:
    """The modules an import statement names: ``from a import b`` names ``a.b`` when it
    is a module, else ``a``."""
    if isinstance(node, ast.Import):
        return {alias.name for alias in node.names}
    base = node.module or ""
    if node.level:
        package = importer.split(".") if is_package else importer.split(".")[:-1]
        package = package[:len(package) - node.level + 1]
        base = ".".join(package + ([node.module] if node.module else []))
    return {f"{base}.{alias.name}" if f"{base}.{alias.name}" in modules else base
            for alias in node.names}


def _functions_lines(tree: ast.AST) -> set[int]:
    lines: set[int] = set()
    for node in ast.walk(tree):
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.Lambda)):
            for inner in ast.walk(node):
                if isinstance(inner, (ast.Import, ast.ImportFrom)):
                    lines.add(inner.lineno)
    return lines


def import_graph(root: Path = ROOT, tops: tuple[str, ...] = TOP_PACKAGES) -> dict[str, dict[str, Import]]:
    """For each module, the portal modules it depends on, each with its first import."""
    modules = portal_modules(root, tops)
    graph: dict[str, dict[str, Import]] = {}
    for importer, path in modules.items():
        tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
        in_functions = _functions_lines(tree)
        own_packages = set(_packages_above(importer))
        edges: dict[str, Import] = {}
        for node in sorted((n for n in ast.walk(tree) if isinstance(n, (ast.Import, ast.ImportFrom))),
                           key=lambda n: n.lineno):
            for named in _named(node, importer, path.name == "__init__.py", modules):
                targets = {named} | (set(_packages_above(named)) - own_packages)
                for target in targets & modules.keys() - {importer}:
                    edges.setdefault(target, Import(importer, target, node.lineno, node.lineno in in_functions))
        graph[importer] = edges
    return graph


def _circles(graph: dict[str, dict[str, Import]]) -> list[list[str]]:
    """The strongly connected groups of two or more modules (Tarjan's algorithm)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    groups: list[list[str]] = []

    def visit(module: str) -> None:
        index[module] = low[module] = len(index)
        stack.append(module)
        for target in graph[module]:
            if target not in index:
                visit(target)
                low[module] = min(low[module], low[target])
            elif target in stack:
                low[module] = min(low[module], index[target])
        if low[module] == index[module]:
            group = []
            while True:
                member = stack.pop()
                group.append(member)
                if member == module:
                    break
            if len(group) > 1:
                groups.append(sorted(group))

    for module in sorted(graph):
        if module not in index:
            visit(module)
    return sorted(groups)


def _one_circle(graph: dict[str, dict[str, Import]], group: list[str]) -> list[Import]:
    """A shortest way round the group, from its first module back to it."""
    start, members = group[0], set(group)
    came_by: dict[str, Import] = {}
    queue = deque([start])
    while queue:
        module = queue.popleft()
        for target, edge in sorted(graph[module].items()):
            if target not in members or target in came_by:
                continue
            came_by[target] = edge
            if target == start:
                path = [edge]
                while path[0].importer != start:
                    path.insert(0, came_by[path[0].importer])
                return path
            queue.append(target)
    raise AssertionError(f"no way round {group}")


def _without_allowed(graph: dict[str, dict[str, Import]]) -> dict[str, dict[str, Import]]:
    return {module: {target: edge for target, edge in edges.items()
                     if not (edge.in_function and (module, target) in ALLOWED)}
            for module, edges in graph.items()}


def test_the_allowed_imports_are_still_there_and_inside_functions():
    graph = import_graph()
    for importer, imported in ALLOWED:
        edge = graph[importer].get(imported)
        assert edge is not None, f"{importer} no longer imports {imported}: take it off ALLOWED"
        assert edge.in_function, f"{edge}: ALLOWED covers only imports inside a function"


def test_no_module_imports_itself_round_a_circle():
    graph = _without_allowed(import_graph())
    circles = _circles(graph)
    report = []
    for group in circles:
        way_round = _one_circle(graph, group)
        report.append(f"{len(group)} modules in a circle: {', '.join(group)}\n    "
                      + "\n    ".join(str(edge) for edge in way_round))
    if circles:
        pytest.fail("import circles:\n" + "\n".join(report), pytrace=False)


def test_the_graph_finds_circles_however_they_are_hidden(tmp_path):
    """A made-up package: a blueprint-like circle at module level, one put off inside a
    function, one under TYPE_CHECKING with a relative import, and two modules that do not
    form one."""
    files = {
        "app/__init__.py": "bp = object()\nfrom app import views\n",
        "app/views.py": "from app import bp\n",
        "app/mail.py": "def send():\n    from app.accounts import link\n",
        "app/accounts.py": "from app import mail\n",
        "app/load/__init__.py": "",
        "app/load/loading.py": "from typing import TYPE_CHECKING\nif TYPE_CHECKING:\n    from .importer import Summary\n",
        "app/load/importer.py": "from app.load.loading import Loader\n",
        "app/dates.py": "",
        "app/rules.py": "from app import dates\nimport app.load.loading\n",
    }
    for name, text in files.items():
        (tmp_path / name).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / name).write_text(textwrap.dedent(text))
    graph = import_graph(tmp_path, ("app",))

    assert _circles(graph) == [
        ["app", "app.views"],
        ["app.accounts", "app.mail"],
        ["app.load.importer", "app.load.loading"],
    ]
    assert str(graph["app.mail"]["app.accounts"]) == "app.mail imports app.accounts (line 2, inside a function)"
    # app.rules needs app.load's __init__ as well as app.load.loading, but not app's own,
    # which is already running when app.rules is imported.
    assert set(graph["app.rules"]) == {"app.dates", "app.load", "app.load.loading"}


def test_services_are_all_in_domain_packages():
    """Issue 15: no module in portal/services/ outside a domain package but ``__init__.py``,
    and every folder there is a package."""
    loose = sorted(path.name for path in SERVICES.glob("*.py") if path.name != "__init__.py")
    assert not loose, f"modules outside a domain package in portal/services/: {loose}"
    folders = sorted(path.name for path in SERVICES.iterdir()
                     if path.is_dir() and path.name != "__pycache__" and not (path / "__init__.py").exists())
    assert not folders, f"folders in portal/services/ that are not packages: {folders}"
