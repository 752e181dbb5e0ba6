"""Import boundaries: only nnlab/ui/ talks to Streamlit, and nothing else in nnlab depends on nnlab.ui."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
PACKAGE = ROOT / "nnlab"
UI = PACKAGE / "ui"
SOURCES = sorted(PACKAGE.rglob("*.py"))


def module_name(path: Path, root: Path = ROOT) -> str:
    """Dotted module name of a file under `root` (a package's __init__ is the package)."""
    parts = list(path.relative_to(root).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def imported_modules(path: Path, root: Path = ROOT) -> set[str]:
    """Every module a file imports, relative imports resolved, `from a import b` counted as a and a.b."""
    tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    package = module_name(path, root).split(".")
    if path.name != "__init__.py":
        package = package[:-1]
    found: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = package[: len(package) - (node.level - 1)]
                module = ".".join([*base, node.module] if node.module else base)
            else:
                module = node.module or ""
            found.add(module)
            found.update(f"{module}.{alias.name}" for alias in node.names)
        elif isinstance(node, ast.Call) and _is_dynamic_import(node.func) and node.args:
            first = node.args[0]
            if isinstance(first, ast.Constant) and isinstance(first.value, str):
                found.add(first.value)
    return found


def _is_dynamic_import(func: ast.expr) -> bool:
    name = func.attr if isinstance(func, ast.Attribute) else getattr(func, "id", "")
    return name in ("import_module", "__import__")


def is_under(path: Path, folder: Path) -> bool:
    return folder in path.parents


def imports_package(modules: set[str], package: str) -> bool:
    return any(m == package or m.startswith(package + ".") for m in modules)


def test_the_scan_sees_the_package():
    names = {p.relative_to(PACKAGE).as_posix() for p in SOURCES}
    assert {"spec.py", "train.py", "models.py", "data/toy.py", "__main__.py"} <= names


def test_the_scanner_resolves_every_import_form(tmp_path):
    # A throwaway file laid out like nnlab/data/x.py, so relative imports resolve the same way.
    (tmp_path / "nnlab" / "data").mkdir(parents=True)
    source = tmp_path / "nnlab" / "data" / "x.py"
    source.write_text(
        "import streamlit as st\n"
        "from ..ui import widgets\n"
        "from .. import ui\n"
        "import importlib\n"
        "importlib.import_module('altair')\n"
    )
    modules = imported_modules(source, root=tmp_path)
    assert imports_package(modules, "streamlit")
    assert "nnlab.ui.widgets" in modules and "nnlab.ui" in modules
    assert "altair" in modules


@pytest.mark.parametrize("path", SOURCES, ids=lambda p: p.relative_to(PACKAGE).as_posix())
def test_only_nnlab_ui_imports_streamlit(path):
    if is_under(path, UI):
        return
    assert not imports_package(imported_modules(path), "streamlit"), f"{path} imports streamlit outside nnlab/ui"


@pytest.mark.parametrize("path", SOURCES, ids=lambda p: p.relative_to(PACKAGE).as_posix())
def test_nothing_outside_nnlab_ui_imports_it(path):
    if is_under(path, UI):
        return
    assert not imports_package(imported_modules(path), "nnlab.ui"), f"{path} imports nnlab.ui"
