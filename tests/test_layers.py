"""The direction of imports (design.md: main → bot.app + handlers.routes → handlers → bot → storage)
holds: a lower layer never imports a higher one, so each can be read and tested on its own."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
# Each package, and the top-level packages it must never import.
FORBIDDEN = {
    "storage": {"bot", "handlers", "telegram", "main"},
    "bot": {"handlers", "main", "playground", "emulator"},
    "handlers": {"main", "playground", "emulator"},
}


def imported_packages(path: Path) -> set[str]:
    """The top-level packages a module imports, wherever the import statement is."""
    packages = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            packages |= {alias.name.split(".")[0] for alias in node.names}
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            packages.add(node.module.split(".")[0])
    return packages


@pytest.mark.parametrize("package", sorted(FORBIDDEN))
def test_no_layer_imports_one_above_it(package):
    offences = {str(path.relative_to(ROOT)): sorted(imported_packages(path) & FORBIDDEN[package])
                for path in sorted((ROOT / package).rglob("*.py"))}
    assert {module: names for module, names in offences.items() if names} == {}


def _module_graph() -> dict[str, set[str]]:
    """Every module of the code packages and the modules of those packages it imports."""
    modules = {}
    for package in FORBIDDEN:
        for path in (ROOT / package).rglob("*.py"):
            parts = path.relative_to(ROOT).with_suffix("").parts
            modules[".".join(parts[:-1] if parts[-1] == "__init__" else parts)] = path
    graph = {}
    for name, path in modules.items():
        targets = set()
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Import):
                targets |= {alias.name for alias in node.names}
            elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
                targets.add(node.module)
                targets |= {f"{node.module}.{alias.name}" for alias in node.names}
        graph[name] = {t for t in targets if t in modules and t != name}
    return graph


def test_no_module_imports_one_that_imports_it_back():
    graph, circles = _module_graph(), []

    def visit(name: str, path: list[str]) -> None:
        for target in graph[name]:
            if target in path:
                circles.append([*path[path.index(target):], target])
            elif target not in seen:
                seen.add(target)
                visit(target, [*path, target])

    for start in sorted(graph):
        seen = {start}
        visit(start, [start])
    # A package's __init__ importing its own modules is how a package is assembled, not a circle.
    circles = [c for c in circles if not all(m.startswith(c[0] + ".") or m == c[0] for m in c)]
    assert circles == []


REPOSITORIES = ("registrations", "drafts", "users", "centers", "activities", "coordinators", "audit", "db")


def test_handlers_talk_to_services_only():
    """Handlers reach what is stored through services (reads for display too), never a repository."""
    reached = {}
    for path in sorted((ROOT / "handlers").rglob("*.py")):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Attribute) and node.attr in REPOSITORIES \
                    and isinstance(node.value, ast.Attribute) and node.value.attr == "services":
                reached.setdefault(str(path.relative_to(ROOT)), set()).add(node.attr)
    assert reached == {}
