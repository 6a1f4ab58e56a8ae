"""Imports inside nblib run one way: each module imports only from its own layer or below.

The layers, lowest first. A new module goes into the lowest layer whose imports it needs;
a test failure here names the upward import. (Issue "One implementation per idea" will
split the mixed helpers into float64 numerics and SymPy proof tools and tighten this map.)
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

NBLIB = Path(__file__).resolve().parent.parent / "nblib"

LAYERS = (
    ("foundation", {"validation", "floats", "portable"}),
    ("float64 numerics", {"activations", "costs", "network_costs", "network", "datasets",
                          "checks"}),
    ("SymPy proof tools", {"equality", "symbolic", "derivation", "exercise"}),
    ("mixed helpers", {"single_neuron", "softmax_jacobian", "softmax_layer"}),
    ("per-notebook proofs", {"proofs"}),
    ("the book", {"book", "errata"}),
    ("interaction", {"yourturn", "explore"}),
)
LAYER = {component: i for i, (_, components) in enumerate(LAYERS) for component in components}
# Known exceptions, each a debt to pay: the learning explorer reuses the proofs' training
# loops (pb1, pb2, slowdown) instead of a training loop of the numerics layer.
KNOWN = {("explore.learning", "proofs")}
# float64 numerics stay free of symbolic algebra.
SYMBOLIC = {"sympy", "mpmath"}


def component(module: str) -> str:
    """``nblib.proofs.ex1`` → ``proofs``; ``nblib.checks`` → ``checks``."""
    return module.split(".")[1]


def modules() -> list[tuple[str, Path]]:
    return sorted((".".join(("nblib", *p.relative_to(NBLIB).with_suffix("").parts)), p)
                  for p in NBLIB.rglob("*.py") if p.name != "__init__.py" or p.parent != NBLIB)


def imports(path: Path) -> set[str]:
    """Every module that a file imports, absolute names (its own package's relative ones too)."""
    found = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            found |= {alias.name for alias in node.names}
        elif isinstance(node, ast.ImportFrom) and node.module:
            found.add(node.module)
    return found


def test_every_module_has_a_layer():
    missing = {component(name) for name, _ in modules()} - set(LAYER)
    assert not missing, f"put these nblib modules into a layer in {__file__}: {missing}"


@pytest.mark.parametrize("name, path", modules(), ids=lambda v: v if isinstance(v, str) else "")
def test_imports_run_one_way(name, path):
    own = component(name)
    for imported in imports(path):
        if imported.split(".")[0] in SYMBOLIC:
            assert LAYER[own] != 1, f"{name} is float64 numerics but imports {imported}"
        if not imported.startswith("nblib."):
            continue
        target = component(imported)
        if (name.removeprefix("nblib."), target) in KNOWN:
            continue
        assert LAYER[target] <= LAYER[own], (
            f"{name} ({LAYERS[LAYER[own]][0]}) imports {imported} from a higher layer "
            f"({LAYERS[LAYER[target]][0]})")


def test_the_known_exceptions_still_exist():
    # An exception that was paid off is removed from KNOWN, so it cannot come back unseen.
    for module, target in KNOWN:
        path = NBLIB.joinpath(*module.split(".")).with_suffix(".py")
        assert any(i.startswith(f"nblib.{target}") for i in imports(path)), (module, target)
