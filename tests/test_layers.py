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
