"""The layout holds: imports point one way (app, cli -> classroom -> mapview, importers, reports -> incidents -> geo),
and nothing below the app imports streamlit."""
from __future__ import annotations

import ast
from pathlib import Path

import pytest

from tests.conftest import REPO_ROOT

# package -> the packages of ours it may import (besides itself)
MAY_IMPORT = {
    "geo": set(),
    "incidents": {"geo"},
    "reports": {"geo", "incidents"},
    "importers": {"geo", "incidents"},
    "mapview": {"geo", "incidents"},
    # the I/O at the edge that takes maps into a classroom (chromium, ffmpeg)
    "classroom": {"geo", "incidents", "mapview"},
    "cli": {"geo", "incidents", "reports", "importers", "mapview", "classroom"},
    "app": {"geo", "incidents", "reports", "importers", "mapview", "classroom"},
}
STREAMLIT = {"streamlit", "streamlit_folium"}
# ``python -m PACKAGE`` entry points hand over to cli: run, never imported.
ENTRY_POINTS = {"__main__.py"}


def imported_packages(path: Path) -> set[str]:
    """The top-level names a module imports (absolute imports only; we use no relative ones)."""
    names: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            names |= {alias.name.split(".")[0] for alias in node.names}
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names.add(node.module.split(".")[0])
    return names


def modules_of(package: str) -> list[Path]:
    return sorted(p for p in (REPO_ROOT / package).rglob("*.py") if p.name not in ENTRY_POINTS)


@pytest.mark.parametrize("package", sorted(MAY_IMPORT))
def test_a_package_imports_only_the_packages_below_it(package):
    ours = set(MAY_IMPORT)
    wrong = {
        str(path.relative_to(REPO_ROOT)): sorted(names)
        for path in modules_of(package)
        if (names := (imported_packages(path) & ours) - MAY_IMPORT[package] - {package})
    }
    assert not wrong, f"{package} may import only {sorted(MAY_IMPORT[package])}: {wrong}"


@pytest.mark.parametrize("package", sorted(set(MAY_IMPORT) - {"app"}))
def test_nothing_below_the_app_imports_streamlit(package):
    wrong = [str(p.relative_to(REPO_ROOT)) for p in modules_of(package) if imported_packages(p) & STREAMLIT]
    assert not wrong, f"only app/ may import streamlit: {wrong}"


# geo/gazetteer's modules, lowest first: each imports only those before it, so none imports
# mentions except the Gazetteer that offers find_mentions, and none imports the package itself.
GAZETTEER_MODULES = ("normalize", "romanise", "directions", "places", "local", "index", "match", "mentions", "gazetteer")


def gazetteer_modules_imported(path: Path) -> set[str]:
    """The geo.gazetteer modules a module imports ("__init__" for the package itself)."""
    names: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        modules = [a.name for a in node.names] if isinstance(node, ast.Import) else (
            [node.module] if isinstance(node, ast.ImportFrom) and node.module else [])
        for module in modules:
            parts = module.split(".")
            if parts[:2] == ["geo", "gazetteer"]:
                names.add(parts[2] if len(parts) > 2 else "__init__")
    return names


@pytest.mark.parametrize("module", GAZETTEER_MODULES)
def test_gazetteer_modules_import_one_way(module):
    below = set(GAZETTEER_MODULES[:GAZETTEER_MODULES.index(module)])
    wrong = gazetteer_modules_imported(REPO_ROOT / "geo" / "gazetteer" / f"{module}.py") - below
    assert not wrong, f"geo/gazetteer/{module}.py may import only {sorted(below)}, not {sorted(wrong)}"


@pytest.mark.parametrize("path", sorted((REPO_ROOT / "geo" / "gazetteer").glob("*.py")), ids=lambda p: p.name)
def test_gazetteer_modules_use_only_public_names_of_each_other(path):
    tree = ast.parse(path.read_text(encoding="utf-8"))
    reached = {node.attr for node in ast.walk(tree) if isinstance(node, ast.Attribute) and node.attr.startswith("_")
               and not node.attr.startswith("__") and not (isinstance(node.value, ast.Name) and node.value.id == "self")}
    imported = {a.name for node in ast.walk(tree) if isinstance(node, ast.ImportFrom) for a in node.names
                if a.name.startswith("_")}
    assert not reached | imported, f"{path.name} reaches into private names: {sorted(reached | imported)}"


def test_pyproject_pins_the_same_versions_as_requirements():
    import tomllib

    project = tomllib.loads((REPO_ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    declared = set(project["dependencies"]) | {pin for pins in project["optional-dependencies"].values() for pin in pins}
    pinned = {line.split("#")[0].strip() for line in (REPO_ROOT / "requirements.txt").read_text().splitlines()}
    assert declared == pinned - {""}
