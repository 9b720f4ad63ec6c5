"""The layout holds: imports point one way (app -> mapview, importers, reports, cli -> incidents -> geo),
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
    "cli": {"geo", "incidents", "reports", "importers", "mapview"},
    "app": {"geo", "incidents", "reports", "importers", "mapview"},
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
