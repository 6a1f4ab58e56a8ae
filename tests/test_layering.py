"""Imports inside nblib run one way: each module imports only from its own package or below.

The packages form layers, lowest first. A new module goes into the package whose job it
does, in the lowest layer whose imports it needs; a test failure here names the import that
runs upward, or the library a layer must not use.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

NBLIB = Path(__file__).resolve().parent.parent / "nblib"

# (package, what it holds), lowest first. Packages on one line share a layer and may not
# import each other.
LAYERS = (
    ({"numerics"}, "float64 numerics"),
    ({"reports"}, "checks and reports"),
    ({"network"}, "networks"),
    ({"proof"}, "SymPy proof tools"),
    ({"proofs"}, "per-notebook proofs"),
    ({"book"}, "the book"),
    ({"yourturn", "explore"}, "interaction"),
)
LAYER = {package: i for i, (packages, _) in enumerate(LAYERS) for package in packages}
# Libraries a package must not import: float64 code stays free of symbolic algebra, and the
# reports may use mpmath's oracles but no SymPy.
BANNED = {"numerics": {"sympy", "mpmath"}, "network": {"sympy", "mpmath"}, "reports": {"sympy"}}
# Lower packages that a package must not import although they lie below it: the figures
# draw float64 numerics only, never the proofs or the book.
FORBIDDEN = {"explore": {"proof", "proofs", "book"}}


def package(module: str) -> str:
    """``nblib.proofs.ex1`` → ``proofs``; ``nblib.numerics.costs`` → ``numerics``."""
    return module.split(".")[1]


def modules() -> list[tuple[str, Path]]:
    """Every module of nblib by dotted name, the top-level ``nblib/__init__.py`` aside."""
    return sorted((".".join(("nblib", *p.relative_to(NBLIB).with_suffix("").parts)), p)
                  for p in NBLIB.rglob("*.py") if p.name != "__init__.py" or p.parent != NBLIB)


def imports(path: Path) -> set[str]:
    """Every module that a file imports, by absolute name (``from nblib import x`` → nblib.x)."""
    found = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            found |= {alias.name for alias in node.names}
        elif isinstance(node, ast.ImportFrom) and node.module == "nblib":
            found |= {f"nblib.{alias.name}" for alias in node.names}
        elif isinstance(node, ast.ImportFrom) and node.module:
            found.add(node.module)
    return found


def describe(name: str) -> str:
    """A package with its layer, for a failure message: ``proof (SymPy proof tools)``."""
    return f"{name} ({LAYERS[LAYER[name]][1]})"


def test_every_module_has_a_layer():
    missing = {package(name) for name, _ in modules()} - set(LAYER)
    assert not missing, f"put these nblib packages into a layer in {__file__}: {missing}"


def test_no_module_lies_directly_in_nblib():
    # Every module belongs to a package of a layer; a flat nblib/<module>.py has none.
    flat = sorted(p.name for p in NBLIB.glob("*.py") if p.name != "__init__.py")
    assert not flat, f"move these modules into a package of nblib: {flat}"


@pytest.mark.parametrize("name, path", modules(), ids=lambda v: v if isinstance(v, str) else "")
def test_imports_run_one_way(name, path):
    own = package(name)
    for imported in sorted(imports(path)):
        library = imported.split(".")[0]
        assert library not in BANNED.get(own, set()), (
            f"{name} is in {describe(own)}, which must not import {library} ({imported})")
        if library != "nblib" or imported == "nblib":
            continue
        target = package(imported)
        assert target not in FORBIDDEN.get(own, set()), (
            f"{name} imports {imported}: {own} must not import {sorted(FORBIDDEN[own])}")
        assert target == own or LAYER[target] < LAYER[own], (
            f"{name} in {describe(own)} imports {imported} from "
            f"{'the same layer' if LAYER[target] == LAYER[own] else 'a higher layer'}: "
            f"{describe(target)}")
