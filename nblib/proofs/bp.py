"""Backpropagation for sigmoid hidden layers, a softmax output layer and the cross-entropy cost.

Follows the second source (``shared/seeds/001_a9bb2ad2fa157a61.txt``) line by line:

* the sigmoid's slope σ′ = a(1 − a) (its six-line chain, the "+−1" step included);
* the softmax layer: its outputs sum to 1, ∂a_i/∂z_i = a_i(1 − a_i) and ∂a_j/∂z_i = −a_j a_i
  (each by its quotient-rule lines, on a layer of n = 3 neurons, then for general n);
* the output error: δ_i = −Σ_j (y_j/a_j) ∂a_j/∂z_i, the split sum, and δ_i = a_i Σ_j y_j − y_i,
  which is a_i − y_i exactly when Σ_j y_j = 1;
* BP2–BP4, for which the source gives an instruction instead of equations: "plug relation
  (delta_sigmoid) into BP2 as δ^{l+1}". Read as written that instruction is wrong (the
  relation σ′(z^l) = a^l(1 − a^l) is BP2's factor σ′(z^l), not δ^{l+1}); the derivation
  ``bp2_instruction`` records it as a source error and the numeric checks show both readings
  against finite differences.

The numeric half uses :class:`nblib.network.network.Network` (one column per example): its
one backprop takes the source's readings as arguments (``output_error="a_minus_y"``,
``hidden="as_written"``), and every variant is measured against central differences.

:data:`EXERCISE` declares the output error δ^L_1 once, for :func:`output_error` and for the
notebook's "Your turn" box.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import numpy as np
import sympy as sp

from nblib.network.costs import LogLikelihoodCost
from nblib.network.network import Network
from nblib.numerics.activations import log_softmax, sigmoid, sigmoid_prime, softmax
from nblib.proof.derivation import Derivation, Remark
from nblib.proof.exercise import Exercise
from nblib.proof.notation import named, named_symbol
from nblib.proof.rewrites import index_in_range
from nblib.proof.symbolic import sigma
from nblib.reports.checks import (
    CheckReport,
    CheckResult,
    check_claim,
    check_gradient,
    check_jacobian,
    check_values,
    numerical_derivative,
    numerical_jacobian,
    relative_error,
)
from nblib.reports.portable import fixed, number, scientific
from nblib.reports.table import Table

# --------------------------------------------------------------------------- notation


class _Shown(sp.Symbol):
    """A real symbol named like ``z_1``, so that a learner can type it, and shown, ordered and
    sampled exactly as the plain Symbol ``z^L_1`` would be."""

    _twin: sp.Symbol = sp.S.Zero

    def _sympystr(self, printer: Any) -> str:
        return printer._print(self._twin)

    def _latex(self, printer: Any, exp: str | None = None) -> str:
        return printer._print(self._twin)

    def sort_key(self, order: Any = None) -> tuple:
        return self._twin.sort_key(order)

    @classmethod
    def class_key(cls) -> tuple:
        return sp.Symbol.class_key()


_SHOWN: dict[int, type[_Shown]] = {}


def _typed_inputs(n: int) -> list[sp.Symbol]:
    """z^L_1..z^L_n as Symbols named z_1..z_n (one class each, so each is one object)."""
    inputs = []
    for k in range(1, n + 1):
        cls = _SHOWN.get(k)
        if cls is None:
            cls = _SHOWN[k] = type(f"ShownZ{k}", (_Shown,),
                                   {"_twin": sp.Symbol(f"z^L_{k}", real=True)})
        inputs.append(cls(f"z_{k}", real=True))
    return inputs


def _output_layer(n: int, z: list[sp.Symbol] | None = None
                  ) -> tuple[list[sp.Symbol], list[sp.Expr], sp.Expr]:
    """Weighted inputs z^L_1..z^L_n, activations a^L_j (named, checked as e^{z_j}/Σ e^{z_k}), Σ.

    ``z`` replaces the inputs (the exercise's typeable ones, shown the same way).
    """
    z = z or [sp.Symbol(f"z^L_{k}", real=True) for k in range(1, n + 1)]
    total = sp.Add(*(sp.exp(v) for v in z))
    a = [named(f"a^{{L}}_{{{k}}}", sp.exp(z[k - 1]) / total, f"a^L_{k}") for k in range(1, n + 1)]
    return z, a, total


def _targets(n: int) -> list[sp.Symbol]:
    """Targets y_1..y_n: free symbols (any y ≥ 0, not only one-hot)."""
    return [sp.Symbol(f"y_{k}", nonnegative=True) for k in range(1, n + 1)]


def _partial(a_j: sp.Expr, j: int, z_i: sp.Symbol, i: int) -> sp.Expr:
    """∂a^L_j/∂z^L_i, shown by name and checked as the derivative of the definition."""
    return named(rf"\frac{{\partial a^L_{{{j}}}}}{{\partial z^L_{{{i}}}}}",
                 sp.Derivative(a_j, z_i), f"da^L_{j}/dz^L_{i}")


# --------------------------------------------------------------------------- derivations


def _a_general(index: sp.Symbol) -> sp.Expr:
    """a_index of an n-neuron softmax layer, shown by name."""
    return named(f"a_{{{index}}}", sp.exp(Z[index]) / TOTAL_N, f"a_{index}")


def _distinct_in_range(expr: sp.Expr) -> sp.Expr:
    """Zero-test hint: i and j are different neurons of the layer (δ_ij = 0, 1 ≤ i, j ≤ n)."""
    expr = expr.doit().replace(
        lambda e: isinstance(e, sp.KroneckerDelta) and set(e.args) == {I_, J_},
        lambda e: sp.S.Zero)
    return index_in_range({I_: N, J_: N})(expr)


def _typed_output_layer() -> tuple[list[sp.Symbol], list[sp.Symbol], list[sp.Symbol], sp.Symbol]:
    """The layer of :func:`output_error` with names a learner can type (z_k, a_k, y_k, C_x),
    shown as the source writes them (z^L_k, a^L_k): a^L_k and C_x are Symbols checked as
    their definitions."""
    z, a, _ = _output_layer(3, _typed_inputs(3))
    y = _targets(3)
    typed = [named_symbol(f"a^{{L}}_{{{k}}}", a_k.definition, f"a^L_{k}", name=f"a_{k}")
             for k, a_k in enumerate(a, 1)]
    cost = named_symbol("C_x", -sp.Add(*(y[j] * sp.log(a[j]) for j in range(3))), "C_x")
    return z, typed, y, cost


def _output_error_of_size(n: int) -> Callable[[], Derivation]:
    """The builder of δ_1 = a_1 Σ_j y_j − y_1, straight from the cost, for n softmax outputs."""

    def build() -> Derivation:
        z, a, _ = _output_layer(n)
        y = _targets(n)
        cost = -sp.Add(*(y[j] * sp.log(a[j]) for j in range(n)))
        d = Derivation(sp.Derivative(cost, z[0]), lhs=r"\delta^L_1",
                       domains=dict.fromkeys(y, Y_DOMAIN), title=f"n = {n}")
        return d.step(a[0] * sp.Add(*y) - y[0], "the steps above, for n outputs")

    build.__name__ = build.__qualname__ = f"output_error_{n}_outputs"
    build.__doc__ = f"δ_1 = a_1 Σ_j y_j − y_1 straight from the cost, for {n} softmax outputs."
    return build


def output_error_sizes(sizes: tuple[int, ...] = (2, 4, 5)) -> list[Derivation]:
    """δ_1 = a_1 Σ_j y_j − y_1 straight from the cost, for softmax layers of other sizes."""
    return [(OUTPUT_ERROR_SIZES.get(n) or _output_error_of_size(n))() for n in sizes]


def output_error_sizes_summary(sizes: tuple[int, ...] = (2, 4, 5)) -> Table:
    """One row per layer size of :func:`output_error_sizes`: the result and its check."""
    rows = []
    for d in output_error_sizes(sizes):
        mark = "✓" if all(s.verdict is None or s.verdict.equal for s in d.steps) else "✗"
        rows.append((f"{d.title}:", f"δ^L_1 = {sp.sstr(d.result)}",
                     f"({d.checked_steps} step checked {mark})"))
    return Table((), tuple(rows), align="lll")


def _tiny_network() -> dict[str, Any]:
    """A 2-2-2 network of symbols: sigmoid hidden layer 2, softmax output layer 3."""
    x = [sp.Symbol(f"x_{k}", real=True) for k in (1, 2)]
    w2 = sp.Matrix(2, 2, lambda j, k: sp.Symbol(f"w^2_{j + 1}{k + 1}", real=True))
    b2 = sp.Matrix([sp.Symbol(f"b^2_{k}", real=True) for k in (1, 2)])
    w3 = sp.Matrix(2, 2, lambda j, k: sp.Symbol(f"w^3_{j + 1}{k + 1}", real=True))
    b3 = sp.Matrix([sp.Symbol(f"b^3_{k}", real=True) for k in (1, 2)])
    y = _targets(2)
    return {"x": x, "w2": w2, "b2": b2, "w3": w3, "b3": b3, "y": y}


def _tiny_layers(net: dict[str, Any], z2: list[sp.Expr]) -> dict[str, Any]:
    """Activations, errors and cost of the tiny network for hidden weighted inputs ``z2``."""
    a2 = [named(f"a^{{2}}_{{{k + 1}}}", sigma(z2[k]), f"a^2_{k + 1}") for k in range(2)]
    z3 = net["w3"] * sp.Matrix(a2) + net["b3"]
    total = z3.applyfunc(sp.exp)
    total = total[0] + total[1]
    a3 = [named(f"a^{{3}}_{{{k + 1}}}", sp.exp(z3[k]) / total, f"a^3_{k + 1}") for k in range(2)]
    y = net["y"]
    cost = -(y[0] * sp.log(a3[0]) + y[1] * sp.log(a3[1]))
    # BP1 in its general form (any y ≥ 0), then BP2 with σ′(z²) = a²(1 − a²).
    d3 = [named(f"\\delta^{{3}}_{{{k + 1}}}", a3[k] * (y[0] + y[1]) - y[k], f"δ^3_{k + 1}")
          for k in range(2)]
    w3 = net["w3"]
    d2 = [named(f"\\delta^{{2}}_{{{j + 1}}}",
                (w3[0, j] * d3[0] + w3[1, j] * d3[1]) * a2[j] * (1 - a2[j]), f"δ^2_{j + 1}")
          for j in range(2)]
    return {"a2": a2, "a3": a3, "cost": cost, "d3": d3, "d2": d2}


def _any_cost_of_hidden_layer() -> tuple[list[sp.Symbol], sp.Matrix, sp.Matrix, sp.Expr, list]:
    """Layer 2 of any network: z² = w² x + b², and a cost C(z²_1, z²_2) that is an undefined
    function (whatever the layers above compute); δ²_j = ∂C/∂z²_j."""
    x = [sp.Symbol(f"x_{k}", real=True) for k in (1, 2)]
    w2 = sp.Matrix(2, 2, lambda j, k: sp.Symbol(f"w^2_{j + 1}{k + 1}", real=True))
    b2 = sp.Matrix([sp.Symbol(f"b^2_{k}", real=True) for k in (1, 2)])
    zeta = sp.symbols("zeta_1:3", real=True)
    cost = sp.Function("C")
    z2 = w2 * sp.Matrix(x) + b2
    deltas = [named(f"\\delta^{{2}}_{{{k + 1}}}",
                    sp.Subs(sp.Derivative(cost(*zeta), zeta[k]), zeta, tuple(z2)),
                    f"δ^2_{k + 1}") for k in range(2)]
    return x, w2, b2, cost(*z2), deltas


# --- begin cells exported from notebooks/14_bp_softmax_backprop.ipynb
#: Sampling interval for targets in the numeric spot checks of the derivations.
Y_DOMAIN = (0.05, 1.0)


def sigmoid_slope() -> Derivation:
    """σ′ = a(1 − a) for a sigmoid neuron, along the source's six lines."""
    z = sp.Symbol("z^l_i", real=True)
    a = named("a^{l}_{i}", sigma(z), "a^l_i")
    den = 1 + sp.exp(-z)
    with sp.evaluate(False):  # keep the source's lines as printed, "1 + e^{-z} - 1" included
        split = (1 / den) * (sp.exp(-z) / den)
        plus_minus_one = (1 / den) * ((den - 1) / den)
        separated = (1 / den) * (1 - 1 / den)
    d = Derivation(sp.Derivative(a, z), lhs=r"\frac{d a^l_i}{d z^l_i}")
    d.step(sp.Derivative(1 / den, z), "definition of $a$ (source, line 1)")
    d.step(sp.exp(-z) / den**2, "derivative of $1/u$ with $u = 1 + e^{-z}$ (source, line 2)")
    d.step(split, "split the square (source, line 3)")
    d.step(plus_minus_one, "add and subtract 1 (source, line 4)")
    d.step(separated, "separate the fraction (source, line 5)")
    return d.step(a * (1 - a), "definition of $a$ (source, line 6)")


def softmax_sums_to_one() -> Derivation:
    """Σ_i a_i = 1 on a layer of three softmax neurons, as the source writes it."""
    z, a, total = _output_layer(3)
    with sp.evaluate(False):
        terms = sp.Add(*(sp.exp(v) / total for v in z))
        together = sp.Add(*(sp.exp(v) for v in z)) / total
    d = Derivation(sp.Add(*a, evaluate=False), lhs=r"\sum_i a^L_i")
    d.step(terms, "definition of $a$ (source, line 1)")
    d.step(together, "common denominator (source, line 2)")
    return d.step(sp.S.One, "numerator = denominator (source, line 3)")


def softmax_diagonal() -> Derivation:
    """∂a_1/∂z_1 = a_1(1 − a_1) on three softmax neurons, by the source's quotient-rule lines."""
    z, a, total = _output_layer(3)
    e1 = sp.exp(z[0])
    with sp.evaluate(False):
        quotient = (total * e1 - e1**2) / total**2
        factored = e1 * (total - e1) / total**2
        split = (e1 / total) * (total / total - e1 / total)
    d = Derivation(sp.Derivative(a[0], z[0]), lhs=r"\frac{\partial a^L_1}{\partial z^L_1}")
    d.step(sp.Derivative(e1 / total, z[0]), "definition of $a$ (source, line 1)")
    d.step(quotient, "quotient rule (source, line 2)")
    d.step(factored, "factor out $e^{z_1}$ (source, line 3)")
    d.step(split, "split the fraction (source, line 4)")
    return d.step(a[0] * (1 - a[0]), "definition of $a$ (source, line 5)")


def softmax_off_diagonal() -> Derivation:
    """∂a_2/∂z_1 = −a_2 a_1 on three softmax neurons, by the source's quotient-rule lines."""
    z, a, total = _output_layer(3)
    e1, e2 = sp.exp(z[0]), sp.exp(z[1])
    with sp.evaluate(False):
        quotient = -e2 * e1 / total**2
        split = -(e2 / total) * (e1 / total)
    d = Derivation(sp.Derivative(a[1], z[0]), lhs=r"\frac{\partial a^L_2}{\partial z^L_1}")
    d.step(sp.Derivative(e2 / total, z[0]), "definition of $a$ (source, line 1)")
    d.step(quotient, "quotient rule: the numerator does not depend on $z_1$ (source, line 2)")
    d.step(split, "split the fraction (source, line 3)")
    return d.step(-a[1] * a[0], "definition of $a$ (source, line 4)")


# General n: an indexed layer z[1..n] with neurons i and j.
N = sp.Symbol("n", integer=True, positive=True)
I_, J_, K_ = sp.symbols("i j k", integer=True, positive=True)
Z = sp.IndexedBase("z", real=True)
TOTAL_N = sp.Sum(sp.exp(Z[K_]), (K_, 1, N))


def softmax_diagonal_general() -> Derivation:
    """∂a_i/∂z_i = a_i(1 − a_i) for a layer of any size n (checked numerically at n = 3, 4)."""
    a_i = _a_general(I_)
    d = Derivation(sp.Derivative(a_i, Z[I_]), lhs=r"\frac{\partial a_i}{\partial z_i}",
                   integers=[{N: 3, I_: 1}, {N: 4, I_: 3}], hints=[index_in_range({I_: N})])
    return d.step(a_i * (1 - a_i), r"quotient rule, $\partial \sum_k e^{z_k} / \partial z_i"
                                   r" = e^{z_i}$, definition of $a_i$")


def softmax_off_diagonal_general() -> Derivation:
    """∂a_j/∂z_i = −a_j a_i for j ≠ i in a layer of any size n (numerically at n = 3, 4)."""
    a_i, a_j = _a_general(I_), _a_general(J_)
    d = Derivation(sp.Derivative(a_j, Z[I_]), lhs=r"\frac{\partial a_j}{\partial z_i}",
                   integers=[{N: 3, I_: 1, J_: 2}, {N: 4, I_: 3, J_: 1}],
                   hints=[_distinct_in_range], assumptions=r"$j \neq i$")
    return d.step(-a_j * a_i, r"quotient rule ($e^{z_j}$ does not depend on $z_i$), "
                              "definition of $a$")


def one_hot_cost() -> Derivation:
    """C_x = −Σ_i y_i ln a_i = −ln a_2 for the one-hot target y = (0, 1, 0), as the source says."""
    _, a, _ = _output_layer(3)
    y = (0, 1, 0)
    with sp.evaluate(False):
        written = -sp.Add(*(sp.Mul(y[i], sp.log(a[i])) for i in range(3)))
    d = Derivation(written, lhs="C_x", reason="definition, with $y = (0, 1, 0)$")
    return d.step(-sp.log(a[1]), "only the hot entry $y_2 = 1$ survives (source)")


def output_error() -> Derivation:
    """δ^L_1 = a_1 Σ_j y_j − y_1 on three softmax outputs, along the source's lines.

    The targets are left free (any y ≥ 0): every line up to the last holds without the
    one-hot assumption, which the source only uses at the very end. It starts and ends where
    :data:`EXERCISE` says: the "Your turn" box checks a learner's lines against the same
    declaration.
    """
    z, a, _ = _output_layer(3, _Z)
    y = _targets(3)
    da = [_partial(a[j], j + 1, z[0], 1) for j in range(3)]
    with sp.evaluate(False):
        written_cost = -sp.Add(*(y[j] * sp.log(a[j]) for j in range(3)))
        linear = -sp.Add(*(y[j] * sp.Derivative(sp.log(a[j]), z[0]) for j in range(3)))
        log_rule = -sp.Add(*(y[j] / a[j] * da[j] for j in range(3)))
        split = -(y[0] / a[0]) * da[0] - sp.Add(y[1] / a[1] * da[1], y[2] / a[2] * da[2])
        applied = (-(y[0] / a[0]) * (a[0] * (1 - a[0]))
                   + sp.Add(y[1] / a[1] * (a[1] * a[0]), y[2] / a[2] * (a[2] * a[0])))
        cancelled = -y[0] * (1 - a[0]) + sp.Add(y[1] * a[0], y[2] * a[0])
        expanded = -y[0] + a[0] * y[0] + a[0] * sp.Add(y[1], y[2])
        grouped = a[0] * (y[0] + sp.Add(y[1], y[2])) - y[0]
    d = EXERCISE.derivation()
    d.step(sp.Derivative(written_cost, z[0]), r"definition of $C_x$ (source, line 1)")
    d.step(linear, "the derivative of a sum (source, line 2)")
    d.step(log_rule,
           r"$\partial \ln a / \partial z = (\partial a / \partial z)/a$ (source, line 3)")
    d.step(split, r"split the sum: $j = 1$ and $j \neq 1$ (source, line 4)")
    d.step(applied, r"$\partial a_1/\partial z_1 = a_1(1 - a_1)$, "
                    r"$\partial a_j/\partial z_1 = -a_j a_1$ (source, line 5)")
    d.step(cancelled, "cancel $a_j$ (source, line 6)")
    d.step(expanded, "multiply out (source, line 7)")
    d.step(grouped, "factor out $a_1$ (source, line 8)")
    return d.step(EXERCISE.target, r"$y_1 + \sum_{j \neq 1} y_j = \sum_j y_j$ (source, line 9)")


# BP1 on three softmax outputs as an exercise: the learner's "Your turn" and output_error
# share it. The learner types z1, a1, y1 and C_x (or z_1, a_1, y_1 in LaTeX).
_Z, _A, _Y, _COST = _typed_output_layer()


with sp.evaluate(False):  # the source's last line, a_1 (y_1 + y_2 + y_3) − y_1
    _SUMMED = _A[0] * sp.Add(*_Y) - _Y[0]


EXERCISE = Exercise(
    id="bp",
    statement="δ^L_1 = ∂C_x/∂z^L_1 = a^L_1 (y_1 + y_2 + y_3) − y_1",
    symbols={**{f"{name}{k}": s for k, s in enumerate(_Z, 1) for name in ("z", "z_")},
             **{f"{name}{k}": s for k, s in enumerate(_A, 1) for name in ("a", "a_")},
             **{f"{name}{k}": s for k, s in enumerate(_Y, 1) for name in ("y", "y_")},
             "C_x": _COST},
    functions={"exp": sp.exp, "log": sp.log, "ln": sp.log, "Derivative": sp.Derivative},
    start=sp.Derivative(_COST, _Z[0]),
    target=_SUMMED,
    lhs=r"\delta^L_1",
    reason=r"definition of $\delta$",
    domains=dict.fromkeys(_Y, Y_DOMAIN),
    worked=output_error,
)


def output_error_gap() -> Derivation:
    """δ_1 − (a_1 − y_1) = a_1(Σ_j y_j − 1): zero for every output exactly when Σ y = 1."""
    _, a, _ = _output_layer(3)
    y = _targets(3)
    with sp.evaluate(False):
        start = (a[0] * sp.Add(*y) - y[0]) - (a[0] - y[0])
    d = Derivation(start, lhs=r"\delta^L_1 - (a^L_1 - y_1)", reason="the general form above",
                   domains=dict.fromkeys(y, Y_DOMAIN))
    return d.step(a[0] * (sp.Add(*y) - 1), "$y_1$ cancels, factor out $a_1$")


def output_error_one_hot() -> Derivation:
    """With targets that sum to 1 (one-hot or soft, y_3 = 1 − y_1 − y_2): δ_1 = a_1 − y_1."""
    _, a, _ = _output_layer(3)
    y = _targets(3)
    y3 = named("y_{3}", 1 - y[0] - y[1], "y_3")
    with sp.evaluate(False):
        start = a[0] * (y[0] + y[1] + y3) - y[0]
    d = Derivation(start, lhs=r"\delta^L_1", reason="the general form, with $y_3 = 1 - y_1 - y_2$",
                   domains={y[0]: (0.0, 0.5), y[1]: (0.0, 0.5)})
    return d.step(a[0] - y[0], r"$\sum_j y_j = 1$ (source, last line)")


OUTPUT_ERROR_SIZES = {n: _output_error_of_size(n) for n in (2, 4, 5)}
# BP2 in a layer l with one neuron j = 1 shown, feeding a layer l + 1 of two neurons.
_W = [sp.Symbol(f"w^{{l+1}}_{{{k}1}}", real=True) for k in (1, 2)]
_D = [sp.Symbol(f"\\delta^{{l+1}}_{{{k}}}", real=True) for k in (1, 2)]
_A_L = sp.Symbol("a^l_1", positive=True)
_A_NEXT = [sp.Symbol(f"a^{{l+1}}_{{{k}}}", positive=True) for k in (1, 2)]


def bp2_instruction() -> Derivation:
    """The source's instruction for BP2 as written (✗), and the relation in its right place.

    BP2 reads δ^l_1 = (Σ_k w^{l+1}_{k1} δ^{l+1}_k) σ′(z^l_1). The source says to plug
    σ′ = a(1 − a) in "as δ^{l+1}"; that replaces the error arriving from layer l + 1 by the
    slope of layer l + 1, and the cost drops out. The relation belongs in the factor σ′(z^l).
    Here σ′(z^l_1) stands for a^l_1(1 − a^l_1), proved in :func:`sigmoid_slope`.
    """
    slope = named(r"\sigma'(z^l_1)", _A_L * (1 - _A_L), "σ'(z^l_1)")
    with sp.evaluate(False):
        start = (_W[0] * _D[0] + _W[1] * _D[1]) * slope
        as_written = (_W[0] * (_A_NEXT[0] * (1 - _A_NEXT[0]))
                      + _W[1] * (_A_NEXT[1] * (1 - _A_NEXT[1]))) * slope
        corrected = (_W[0] * _D[0] + _W[1] * _D[1]) * (_A_L * (1 - _A_L))
    d = Derivation(start, lhs=r"\delta^l_1", reason="BP2",
                   domains=dict.fromkeys([*_A_NEXT, _A_L], (0.05, 0.95)))
    return d.source_error(
        as_written, "source: relation (delta sigmoid), σ′ = a(1 − a), into BP2 "
                    "as $\\delta^{l+1}$",
        correction=corrected,
        correction_reason=r"the relation is BP2's factor: $\sigma'(z^l_1) = a^l_1(1 - a^l_1)$",
        # [delta sigmoid] stands for the source's reference to its equation (delta_sigmoid).
        quote=r"We just need to plug the relations derived in this chapter into the general "
              r"equations (e.g. relation [delta sigmoid] into BP2 as $\delta_j^{l+1}$).")


def bp2_tiny_network() -> Derivation:
    """On the 2-2-2 network, BP2 with σ′(z²) = a²(1 − a²) as its factor is ∂C/∂z²_1."""
    net = _tiny_network()
    z2 = [sp.Symbol(f"z^2_{k}", real=True) for k in (1, 2)]
    layers = _tiny_layers(net, z2)
    d3, a2, w3 = layers["d3"], layers["a2"], net["w3"]
    with sp.evaluate(False):
        bp2 = (w3[0, 0] * d3[0] + w3[1, 0] * d3[1]) * (a2[0] * (1 - a2[0]))
    d = Derivation(sp.Derivative(layers["cost"], z2[0]), lhs=r"\frac{\partial C}{\partial z^2_1}",
                   domains=dict.fromkeys(net["y"], Y_DOMAIN))
    return d.step(bp2, r"chain rule: BP1 for $\delta^3$, "
                       r"BP2 with $\sigma'(z^2_1) = a^2_1(1-a^2_1)$")


def bp3_any_cost() -> Derivation:
    """BP3, ∂C/∂b²_1 = δ²_1, for any cost of the layer's weighted inputs."""
    _, _, b2, cost, deltas = _any_cost_of_hidden_layer()
    d = Derivation(sp.Derivative(cost, b2[0]), lhs=r"\frac{\partial C}{\partial b^2_1}")
    return d.step(deltas[0], r"BP3: $\partial z^2_1/\partial b^2_1 = 1$")


def bp4_any_cost() -> Derivation:
    """BP4, ∂C/∂w²_12 = x_2 δ²_1 (x = a¹), for any cost of the layer's weighted inputs."""
    x, w2, _, cost, deltas = _any_cost_of_hidden_layer()
    d = Derivation(sp.Derivative(cost, w2[0, 1]), lhs=r"\frac{\partial C}{\partial w^2_{12}}")
    return d.step(x[1] * deltas[0], r"BP4: $\partial z^2_1/\partial w^2_{12} = x_2$")
# --- end of exported cells (edit them in the notebook, then run `make export`)


DERIVATIONS = (
    sigmoid_slope,
    softmax_sums_to_one,
    softmax_diagonal,
    softmax_off_diagonal,
    softmax_diagonal_general,
    softmax_off_diagonal_general,
    one_hot_cost,
    output_error,
    output_error_gap,
    output_error_one_hot,
    *OUTPUT_ERROR_SIZES.values(),
    bp2_instruction,
    bp2_tiny_network,
    bp3_any_cost,
    bp4_any_cost,
)


# --------------------------------------------------------------------------- numerics

#: The random network of the numeric checks: two sigmoid hidden layers, softmax output.
SIZES = (4, 5, 6, 3)
BATCH = 7
SEED = 14
#: Gradient entries below FLOOR·max(1, |C|) are compared in absolute terms (nblib.reports.checks).
FLOOR = 1e-3


def _source_cost(net: Network, X: np.ndarray, Y: np.ndarray) -> float:
    """The source's cost −Σ_i y_i ln a^L_i, averaged over the examples, written out here from
    log_softmax(z^L) (finite where a^L_i underflows)."""
    _, zs = net.forward(X)
    return float(np.mean(-np.sum(Y * log_softmax(zs[-1], axis=0), axis=0)))


def random_network(seed: int = SEED, scale: float = 1.0,
                   targets: str = "distributions") -> Network:
    """The checks' network, sizes :data:`SIZES`, softmax outputs, log-likelihood cost.

    ``scale`` multiplies every weight and bias: 8 drives hidden neurons into saturation.
    ``targets="nonnegative"`` lets the cost take any y ≥ 0, as the source's does.
    """
    net = Network(list(SIZES), output="softmax",
                  cost=LogLikelihoodCost("softmax", targets=targets), seed=seed)
    net.set_flat_parameters(net.flat_parameters() * scale)
    return net


def random_batch(kind: str, seed: int = SEED, m: int = BATCH) -> tuple[np.ndarray, np.ndarray]:
    """Inputs (4, m) and targets (3, m) of one kind.

    ``kind`` is "one_hot" (y at 0 and 1), "soft" (random distributions), or "not_summing_to_1"
    (every column y = (½, ½, ½), Σy = 3/2).
    """
    rng = np.random.default_rng(seed)
    X = rng.normal(0.0, 1.0, (SIZES[0], m))
    n_out = SIZES[-1]
    if kind == "one_hot":
        Y = np.eye(n_out)[:, rng.integers(0, n_out, m)]
    elif kind == "soft":
        Y = rng.dirichlet(np.ones(n_out), m).T
    elif kind == "not_summing_to_1":
        Y = np.full((n_out, m), 0.5)
    else:
        raise ValueError("random_batch: argument 'kind' must be 'one_hot', 'soft' or "
                         f"'not_summing_to_1' (got {kind!r})")
    return X, Y


def derivative_checks(seed: int = SEED) -> CheckReport:
    """σ′ = a(1 − a), ∂a_i/∂z_i = a_i(1 − a_i), ∂a_j/∂z_i = −a_j a_i against central differences.

    Random z, saturated sigmoids (|z| up to 40), huge softmax inputs (|z| ~ 1000) and ties.
    """
    rng = np.random.default_rng(seed)
    z = np.concatenate([rng.normal(0.0, 4.0, 200), [-40.0, -20.0, 0.0, 20.0, 40.0]])
    a = sigmoid(z)
    layers = [rng.normal(0.0, 3.0, 3) for _ in range(4)]
    layers += [np.array([1000.0, 999.0, -1000.0]), np.full(3, 2.5), np.array([6.0, 6.0, -2.0])]

    def formula(v: np.ndarray) -> np.ndarray:
        s = softmax(v)
        return np.diag(s) - np.outer(s, s)  # a_i(1 − a_i) on the diagonal, −a_j a_i off it

    # Entries below 1e-4 (outputs near 0) are compared in absolute terms: central
    # differences of a ≈ 1 carry absolute noise of ~1e-11.
    jac = [check_jacobian(softmax, formula, v, tol=1e-6, floor=1e-4,
                          name=f"softmax Jacobian at z = ({', '.join(f'{t:g}' for t in v)})")
           for v in layers[4:]]
    random_worst = max(float(relative_error(formula(v), numerical_jacobian(softmax, v),
                                            floor=1e-4).max()) for v in layers[:4])
    return CheckReport([
        check_values(a * (1 - a), numerical_derivative(sigmoid, z), kind="absolute", tol=1e-9,
                     name="σ′ = a(1 − a) against central differences, |z| ≤ 40"),
        CheckResult("softmax Jacobian, 4 random layers (a_i(1 − a_i) and −a_j a_i)",
                    random_worst, 1e-6),
        *jac,
    ])


def output_error_checks(seed: int = SEED) -> CheckReport:
    """δᴸ against central differences of the cost in zᴸ, for three kinds of target.

    The general form aᴸ Σy − y matches for every kind; aᴸ − y matches for one-hot and soft
    targets, and for y = (½, ½, ½) it misses by exactly aᴸ(Σy − 1).
    """
    rng = np.random.default_rng(seed)
    results = []
    for kind in ("one_hot", "soft", "not_summing_to_1"):
        _, Y = random_batch(kind, seed)
        for col in range(3):
            z = rng.normal(0.0, 3.0, SIZES[-1])
            y = Y[:, col]

            def cost(v: np.ndarray, y: np.ndarray = y) -> float:
                return float(-np.sum(y * log_softmax(v)))

            numeric = check_gradient(cost, lambda v, y=y: softmax(v) * y.sum() - y, z,
                                     name="", tol=1e-6, floor=1e-4)
            results.append((kind, "general", numeric.worst_error))
            a = softmax(z)
            fd = np.array([(cost(z + h) - cost(z - h)) / 2e-6 for h in np.eye(3) * 1e-6])
            results.append((kind, "gap", float(np.abs((a - y) - fd + a * (y.sum() - 1)).max())))
            results.append((kind, "miss", float(np.abs((a - y) - fd).max())))
            if kind != "not_summing_to_1":
                results.append((kind, "a_minus_y",
                                float(relative_error(a - y, fd, floor=1e-4).max())))
    names = {"one_hot": "one-hot y", "soft": "soft y", "not_summing_to_1": "y = (½, ½, ½)"}
    report = []
    for kind in names:
        worst = {rule: max(e for k, r, e in results if k == kind and r == rule)
                 for rule in ("general", "a_minus_y", "gap", "miss")
                 if any(k == kind and r == rule for k, r, _ in results)}
        report.append(CheckResult(f"{names[kind]}: δᴸ = aᴸ Σy − y against central differences",
                                  worst["general"], 1e-6))
        if "a_minus_y" in worst:
            report.append(CheckResult(f"{names[kind]}: δᴸ = aᴸ − y against central differences",
                                      worst["a_minus_y"], 1e-6))
        else:
            report.append(CheckResult(
                f"{names[kind]}: aᴸ − y is off by up to {fixed(worst['miss'], 2)}, "
                "which is exactly aᴸ(Σy − 1)",
                worst["gap"], 1e-8, kind="absolute"))
    return CheckReport(report)


def network_gradient_checks(seed: int = SEED) -> CheckReport:
    """Network.backprop (vectorised over a mini-batch) against central differences.

    One-hot and soft targets on the random network, a saturated network (weights × 8) and
    one whose output layer is zero (all outputs tie at ⅓); plus the soft-target cost of
    nblib's LogLikelihoodCost against −Σ y ln a computed here.
    """
    results = []
    cases = [("one-hot y", random_network(seed), "one_hot", 1e-6),
             ("soft y", random_network(seed), "soft", 1e-6),
             ("one-hot y, saturated (weights × 8)", random_network(seed, 8.0), "one_hot", 1e-6)]
    tied = random_network(seed)
    tied.weights[-1][:] = 0.0
    tied.biases[-1][:] = 0.0
    cases.append(("soft y, tied outputs (wᴸ = 0, bᴸ = 0)", tied, "soft", 1e-6))
    for label, net, kind, tol in cases:
        X, Y = random_batch(kind, seed)
        f, grad = net.gradient_check_functions(X, Y)
        theta = net.flat_parameters()
        # Central differences carry absolute noise of ~1e-10·|C| (rounding in C over a step
        # of 1e-6), so entries below FLOOR·max(1, |C|) are compared in absolute terms.
        floor = FLOOR * max(1.0, abs(f(theta)))
        results.append(check_gradient(f, grad, theta, tol=tol, floor=floor,
                                      name=f"Network.backprop, {label}, batch of {BATCH}"))
    net = random_network(seed)
    X, Y = random_batch("soft", seed)
    results.append(check_values(net.cost(X, Y), _source_cost(net, X, Y), tol=1e-15,
                                name="LogLikelihoodCost on soft y is −Σ y ln a"))
    per_example = np.mean([net.flat_gradient(X[:, [i]], Y[:, [i]]) for i in range(BATCH)], axis=0)
    results.append(check_values(net.flat_gradient(X, Y), per_example, tol=1e-12,
                                resolution=1e-13,
                                name="batch gradient = mean of the per-example gradients"))
    return CheckReport(results)


def instruction_checks(seed: int = SEED) -> CheckReport:
    """BP2 with σ′(zˡ) = aˡ(1 − aˡ) as its factor (Network.backprop) against finite
    differences, and why the source's literal reading cannot be right: its hidden gradients
    ignore y."""
    net = random_network(seed)
    X, Y = random_batch("one_hot", seed)
    f, grad = net.gradient_check_functions(X, Y)
    theta = net.flat_parameters()
    floor = FLOOR * max(1.0, abs(f(theta)))
    written = net.backprop(X, Y, hidden="as_written")
    _, Y_other = random_batch("one_hot", seed + 1)
    written_other = net.backprop(X, Y_other, hidden="as_written")
    hidden_w = np.concatenate([g.ravel() for g in written[0][:-1]])
    hidden_w_other = np.concatenate([g.ravel() for g in written_other[0][:-1]])
    return CheckReport([
        check_gradient(f, grad, theta, tol=1e-6, floor=floor,
                       name="BP2 with σ′ = a(1 − a) as its factor"),
        check_values(hidden_w, hidden_w_other, kind="absolute", tol=0.0,
                     name="as written: hidden-layer gradients identical for two different y"),
    ])


#: The labels of the two readings of the BP2 instruction, and of the two output errors:
#: (wrong, right).
INSTRUCTION_LABELS = ("as written: δ^{l+1} → a^{l+1}(1 − a^{l+1})",
                      "corrected: σ′(z^l) = a^l(1 − a^l)")
OUTPUT_ERROR_LABELS = ("δᴸ = aᴸ − y", "δᴸ = aᴸ Σy − y")
#: What a comparison claims: the wrong variant is off by at least TOO_LARGE in every layer
#: listed, the right one within TOLERANCE in every layer.
TOO_LARGE, TOLERANCE = 0.1, 1e-6


def _comparison(labels: tuple[str, str], layers: tuple[str, ...],
                wrong: tuple[float, ...], right: tuple[float, ...]) -> CheckReport:
    """Two backprop variants against central differences, layer by layer, as checks.

    The error of a layer's weight gradient g is max |g − g_fd| / max |g_fd| (normwise, so
    tiny entries do not turn finite-difference noise into large relative errors). For the
    wrong variant a claim per layer, with its error to two digits (far above any rounding,
    so every CPU prints the same); for the right one a check against :data:`TOLERANCE`.
    """
    wrong_label, right_label = labels
    return CheckReport([
        *(check_claim(f"{wrong_label}, {layer}", error >= TOO_LARGE,
                      f"error {number(error, 2)}, off by at least {TOO_LARGE:g}")
          for layer, error in zip(layers, wrong, strict=True)),
        *(CheckResult(f"{right_label}, {layer}", error, TOLERANCE)
          for layer, error in zip(layers, right, strict=True)),
    ])


def _layer_errors(net: Network, X: np.ndarray, Y: np.ndarray,
                  variants: dict[str, dict[str, str]]) -> dict[str, tuple[float, ...]]:
    """Normwise error of every layer's weight gradient, per reading of Network.backprop,
    against central differences of the network's cost (step 1e-6·max(1, |θ_i|))."""
    f, _ = net.gradient_check_functions(X, Y)
    theta = net.flat_parameters()
    numeric = np.empty_like(theta)
    for i in range(theta.size):
        step = 1e-6 * max(1.0, abs(theta[i]))
        up, down = theta.copy(), theta.copy()
        up[i] += step
        down[i] -= step
        numeric[i] = (f(up) - f(down)) / (up[i] - down[i])
    scratch = net.copy()
    scratch.set_flat_parameters(numeric)
    errors = {}
    for name, readings in variants.items():
        grad_w, _ = net.backprop(X, Y, **readings)
        errors[name] = tuple(
            float(np.abs(g - n).max() / np.abs(n).max())
            for g, n in zip(grad_w, scratch.weights, strict=True))
    return errors


def _layer_names(net: Network) -> tuple[str, ...]:
    """The book's names of the weight matrices: w², w³, …, wᴸ."""
    return tuple(f"w^{i + 2}" for i in range(len(net.weights)))


def instruction_comparison(seed: int = SEED) -> CheckReport:
    """Both readings of the source's BP2 instruction against central differences.

    Only the hidden layers' gradients differ between the readings (the output layer's
    comes from BP1 alone), so those are the ones compared.
    """
    net = random_network(seed)
    X, Y = random_batch("one_hot", seed)
    errors = _layer_errors(net, X, Y, {"written": {"hidden": "as_written"},
                                       "corrected": {"hidden": "bp2"}})
    hidden = slice(0, len(net.weights) - 1)
    return _comparison(INSTRUCTION_LABELS, _layer_names(net)[hidden],
                       errors["written"][hidden], errors["corrected"][hidden])


def output_error_comparison(seed: int = SEED) -> CheckReport:
    """For targets y = (½, ½, ½), which do not sum to 1: backprop started from δᴸ = aᴸ − y
    against backprop started from the cost's δᴸ = aᴸ Σy − y, every layer against central
    differences of −Σ y ln a (the log-likelihood cost taking any y ≥ 0)."""
    net = random_network(seed, targets="nonnegative")
    X, Y = random_batch("not_summing_to_1", seed)
    errors = _layer_errors(net, X, Y, {"a - y": {"output_error": "a_minus_y"},
                                       "general": {"output_error": "cost"}})
    return _comparison(OUTPUT_ERROR_LABELS, _layer_names(net), errors["a - y"], errors["general"])


def hidden_locality(seed: int = SEED) -> CheckReport:
    """The property BP2 assumes of the hidden layers: a sigmoid layer's Jacobian is diagonal
    (z_i moves a_i only); the softmax layer's is not."""
    rng = np.random.default_rng(seed)
    z = rng.normal(0.0, 2.0, 4)
    sig_jac = numerical_jacobian(sigmoid, z)
    soft_jac = numerical_jacobian(softmax, z)
    a = softmax(z)
    off = ~np.eye(4, dtype=bool)
    return CheckReport([
        check_values(sig_jac[off], np.zeros(12), kind="absolute", tol=0.0,
                     name="sigmoid layer: ∂a_j/∂z_i = 0 for j ≠ i (exactly)"),
        check_values(np.diag(sig_jac), sigmoid_prime(z), tol=1e-8,
                     resolution=1e-9, name="sigmoid layer: ∂a_i/∂z_i = σ′(z_i)"),
        check_values(soft_jac[off], -np.outer(a, a)[off], tol=1e-7,
                     name=f"softmax layer: ∂a_j/∂z_i = −a_j a_i for j ≠ i, none zero "
                          f"(smallest |a_j a_i| = {scientific(np.outer(a, a)[off].min())})"),
    ])


CHECKS = (derivative_checks, hidden_locality, output_error_checks, output_error_comparison,
          network_gradient_checks, instruction_comparison, instruction_checks)


# The source's imprecision, for the errata page --------------------------------------------
def all_inputs_remark() -> Remark:
    """Source, before splitting δ: "a_j depends on all z_j", where all z_k is meant."""
    return Remark(
        notebook="bp",
        where=r"backprop · output error $\delta^L$ · source, before the split into two cases",
        source_says=r"since the activation $a^L_j$ depends on all $z^L_j$, … we must split the "
                    r"sum.",
        what_holds=r"$a^L_j$ depends on every weighted input of its layer, $z^L_k$ for all $k$ "
                   r'(the index $j$ is fixed there, so "all $z_j$" names one input): '
                   r"$\partial a_j/\partial z_i = -a_j a_i \ne 0$ for $i \ne j$. That is what "
                   r"forces the sum over outputs in $\delta^L_i$ to be split into the case "
                   r"$j = i$ and the cases $j \ne i$.",
        evidence=(softmax_off_diagonal(),),
    )


REMARKS = (all_inputs_remark,)
