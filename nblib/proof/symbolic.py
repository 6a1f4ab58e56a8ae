"""Symbolic building blocks: σ as a named function, and concrete layers of symbols.

The derivations display σ(z) the way the book writes it, while every check sees through
it: ``σ(z).doit()`` is ``1/(1 + e^{-z})``.
"""

from __future__ import annotations

from typing import Any

import sympy as sp

from nblib.numerics.validation import as_count
from nblib.proof.notation import NamedFunction

#: The largest layer the symbolic builders write out neuron by neuron (z_vector, the
#: Jacobians, the written-out sums): SymPy's work grows like n³, and at n = 12 the slowest of
#: them (:func:`nblib.proof.softmax.check_jacobian_signs`) already takes several seconds.
MAX_SIZE = 12


class sigma(NamedFunction):
    """The logistic sigmoid σ(z) = 1/(1 + e^{−z}); shown as σ, checked as its definition."""

    latex_name = r"\sigma"
    text_name = "σ"

    @classmethod
    def definition(cls, z: sp.Expr) -> sp.Expr:
        """1/(1 + e^{−z})."""
        return 1 / (1 + sp.exp(-z))

    def _eval_rewrite_as_exp(self, z, **kwargs) -> sp.Expr:
        return self.definition(z)


def symbols_vector(name: str, n: int, **assumptions) -> sp.Matrix:
    """Column vector of symbols ``name_1 … name_n`` (real unless told otherwise)."""
    if not isinstance(name, str) or not name.isidentifier():
        raise TypeError(f"symbols_vector: argument 'name' must be an identifier such as 'z' "
                        f"(got {name!r:.60})")
    n = as_size(n, "n", "symbols_vector")
    assumptions.setdefault("real", True)
    return sp.Matrix(sp.symbols(f"{name}_1:{n + 1}", **assumptions))


def weight_matrix(rows: int, cols: int, name: str = "w") -> sp.Matrix:
    """Matrix of real symbols ``w_jk``: row j is the output neuron, column k the input."""
    if not isinstance(name, str) or not name.isidentifier():
        raise TypeError(f"weight_matrix: argument 'name' must be an identifier such as 'w' "
                        f"(got {name!r:.60})")
    rows = as_size(rows, "rows", "weight_matrix")
    cols = as_size(cols, "cols", "weight_matrix")
    return sp.Matrix(rows, cols, lambda j, k: sp.Symbol(f"{name}_{j + 1}{k + 1}", real=True))


def weighted_input(w: sp.Matrix, x: sp.Matrix, b: sp.Matrix) -> sp.Matrix:
    """z = w x + b for a layer, checking that the shapes fit."""
    if w.shape[1] != x.shape[0] or w.shape[0] != b.shape[0]:
        raise ValueError(
            f"weighted_input: w is {w.shape[0]}×{w.shape[1]}, x has {x.shape[0]} rows and "
            f"b has {b.shape[0]} rows; need w.cols == len(x) and w.rows == len(b)"
        )
    return w * x + b


def sigmoid_layer(z: sp.Matrix) -> sp.Matrix:
    """Activations σ(z_j) of a sigmoid layer, elementwise."""
    return z.applyfunc(sigma)


def softmax_layer(z: sp.Matrix, c: sp.Expr = sp.S.One) -> sp.Matrix:
    """Activations e^{c z_j} / Σ_k e^{c z_k} of a softmax layer."""
    if len(z) < 1:
        raise ValueError("softmax_layer: z needs at least one neuron")
    denominator = sum(sp.exp(c * zk) for zk in z)
    return z.applyfunc(lambda zj: sp.exp(c * zj) / denominator)


def as_size(n: Any, name: str, func: str) -> int:
    """A concrete layer size: an integer from 1 to :data:`MAX_SIZE` (TypeError, ValueError)."""
    return as_count(n, name, func=func, minimum=1, maximum=MAX_SIZE,
                    limit="nblib.proof.symbolic.MAX_SIZE")
