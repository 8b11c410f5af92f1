"""The package keeps its rooms: imports run from the areas to the core, never back.

An area (auth/, goals/, media/, ...) may use the core modules beside it (access.py,
extensions.py, text.py, ...) and the services of other areas, but not their views: a view
belongs to its own blueprint. The core imports no area, except the app factory and the
command-line entry points, which put the areas together.
"""

from __future__ import annotations

import ast
from pathlib import Path

PACKAGE = Path(__file__).resolve().parents[1] / "toekomstplan"
AREAS = frozenset(p.name for p in PACKAGE.iterdir() if (p / "__init__.py").exists())
# Where the areas are put together: the app factory, the CLI and the job consumer.
ASSEMBLY = frozenset({"__init__.py", "commands.py", "consumer.py"})
# The core modules that are packages themselves, not product areas.
CORE_PACKAGES = frozenset({"access", "models", "storage"})
PRODUCT_AREAS = AREAS - CORE_PACKAGES


def imported_modules(path: Path) -> list[str]:
    """Return the dotted names (below toekomstplan) that the module at `path` imports."""
    relative = path.relative_to(PACKAGE).with_suffix("")
    package = list(relative.parts[:-1])  # the package the module is in (from .x import)
    names = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.ImportFrom):
            if node.level:
                base = package[: len(package) - (node.level - 1)]
                module = [*base, *(node.module.split(".") if node.module else [])]
            elif node.module and node.module.startswith("toekomstplan"):
                module = node.module.split(".")[1:]
            else:
                continue
            names += [".".join([*module, alias.name]) for alias in node.names]
            names.append(".".join(module))
        elif isinstance(node, ast.Import):
            names += [
                a.name.split(".", 1)[1] for a in node.names if a.name.startswith("toekomstplan.")
            ]
    return [n for n in names if n]


def modules():
    return sorted(PACKAGE.rglob("*.py"))


def area_of(path: Path) -> str | None:
    parts = path.relative_to(PACKAGE).parts
    return parts[0] if len(parts) > 1 else None


def test_the_layout_reader_sees_relative_and_absolute_imports():
    assert "goals.views" in imported_modules(PACKAGE / "__init__.py")
    assert "access" in imported_modules(PACKAGE / "goals" / "views.py")
    assert "goals.services" in imported_modules(PACKAGE / "goals" / "views.py")


def test_no_area_imports_the_views_of_another_area():
    wrong = []
    for path in modules():
        if path.name in ASSEMBLY and area_of(path) is None:
            continue
        own = area_of(path)
        for name in imported_modules(path):
            parts = name.split(".")
            if len(parts) >= 2 and parts[0] in AREAS and parts[1] == "views" and parts[0] != own:
                wrong.append(f"{path.relative_to(PACKAGE)} imports {name}")
    assert wrong == []


def test_the_core_imports_no_product_area():
    wrong = []
    for path in modules():
        core = area_of(path) is None or area_of(path) in CORE_PACKAGES
        if not core or (area_of(path) is None and path.name in ASSEMBLY):
            continue
        for name in imported_modules(path):
            if name.split(".")[0] in PRODUCT_AREAS:
                wrong.append(f"{path.relative_to(PACKAGE)} imports {name}")
    assert wrong == []


def test_no_module_grows_past_about_three_hundred_lines():
    # One idea per module: a file much past 300 lines is two ideas that want their own rooms.
    long = {
        str(p.relative_to(PACKAGE)): n
        for p in modules()
        if (n := len(p.read_text(encoding="utf-8").splitlines())) > 320
    }
    assert long == {}
