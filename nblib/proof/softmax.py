"""The softmax layer in SymPy, for exercises 4–6: its outputs, its Jacobian, one-line checks.

:class:`softmax_a` (shown as a_j, checked as its definition), and one-line symbolic checks
of whole Jacobians for concrete n (:func:`check_identity`, :func:`check_jacobian_signs`).
:data:`LAYER3_Z` and :class:`layer3_a` are a layer of three neurons in plain symbols, the one
the "Your turn" boxes of ex4–ex6 use: a learner can type z1 or z_1, and a(1) for a_1.
The rewrite hints for sums over a dummy index are in :mod:`nblib.proof.rewrites`; the
Jacobians in float64 in :mod:`nblib.numerics.jacobians`.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable

import mpmath
import numpy as np
import sympy as sp

from nblib.proof.derivation import Derivation
from nblib.proof.equality import DIGITS, NUMERIC_ZERO, symbolic_residual
from nblib.proof.inputs import StrictFunction
from nblib.proof.symbolic import as_size, softmax_layer
from nblib.reports.checks import CheckResult, check_claim, describe_bound

__all__ = [
    "LAYER3_NAMES",
    "LAYER3_Z",
    "Z",
    "check_identity",
    "check_jacobian_signs",
    "jacobian_in_activations",
    "layer3_a",
    "softmax_a",
    "softmax_sum_derivation",
    "symbolic_softmax_jacobian",
    "z_vector",
]

#: The weighted inputs z_1, z_2, …: real entries of one indexed base, for any n.
Z = sp.IndexedBase("z", real=True)
_M = sp.Idx("m")  # the summation index inside a_j's definition


def z_vector(n: int) -> sp.Matrix:
    """The column (z_1, …, z_n) of indexed real symbols."""
    n = as_size(n, "n", "z_vector")
    return sp.Matrix([Z[i] for i in range(1, n + 1)])


class _ShownAsA(StrictFunction):
    """An activation shown as a_j, j its first argument (the layer's definition is the
    subclass's ``doit``)."""

    def _latex(self, printer, exp: str | None = None) -> str:
        base = "a_{" + printer.doprint(self.args[0]) + "}"
        return base if exp is None else "{" + base + "}^{" + exp + "}"

    def _sympystr(self, printer) -> str:
        return "a_" + printer.doprint(self.args[0])


class softmax_a(_ShownAsA):
    """The softmax activation a_j of an n-neuron layer: ``softmax_a(j, n)``.

    Shown as a_j; ``doit()`` gives its definition e^{z_j} / Σ_{m=1}^{n} e^{z_m} (the sum
    written out when n is a number), so every check sees through it.
    """

    nargs = 2

    @classmethod
    def eval(cls, j: sp.Basic, n: sp.Basic) -> None:
        """Refuse a concrete n outside 1..MAX_SIZE: ``doit`` writes its sum out term by term."""
        if n.is_Integer:
            as_size(int(n), "n", "softmax_a")

    def doit(self, deep: bool = True, **hints) -> sp.Expr:
        """Replace a_j by e^{z_j} / Σ_m e^{z_m}."""
        j, n = self.args
        if n.is_Integer:  # written out directly: Sum.doit would be far slower
            total = sp.Add(*(sp.exp(Z[m]) for m in range(1, int(n) + 1)))
        else:
            total = sp.Sum(sp.exp(Z[_M]), (_M, 1, n))
        return sp.exp(Z[j]) / total


#: The weighted inputs of a layer of three neurons as plain real Symbols z_1, z_2, z_3. An
#: indexed entry Z[1] is not a Symbol, so a "Your turn" box cannot offer it to be typed; these
#: it can (as z1 or z_1). Typeset, they look like Z[1], Z[2], Z[3].
LAYER3_Z = sp.symbols("z_1:4", real=True)
#: The names a learner types for them: z1 in SymPy syntax, z_1 or z_{1} in LaTeX.
LAYER3_NAMES = {**{f"z{i}": v for i, v in enumerate(LAYER3_Z, 1)},
                **{f"z_{i}": v for i, v in enumerate(LAYER3_Z, 1)}}


class layer3_a(_ShownAsA):
    """The output a_j of the three-neuron layer :data:`LAYER3_Z`: ``layer3_a(1)`` for a_1.

    Shown as a_j, like :class:`softmax_a`; ``doit()`` gives e^{z_j}/(e^{z_1} + e^{z_2} +
    e^{z_3}). It depends on all three inputs (``free_symbols``), so its derivatives are
    computed from that definition rather than being taken as 0. Only j = 1, 2, 3 is
    accepted: anything else raises a ValueError worded for a learner who typed it.
    """

    @classmethod
    def eval(cls, *args: sp.Basic) -> None:
        if len(args) != 1 or not (args[0].is_Integer and 1 <= int(args[0]) <= 3):
            raise ValueError("a(j) is the output of neuron j of the layer: type a(1), a(2) "
                             "or a(3)")

    @property
    def free_symbols(self) -> set[sp.Basic]:
        return set(LAYER3_Z)

    def doit(self, deep: bool = True, **hints) -> sp.Expr:
        """Replace a_j by e^{z_j} / (e^{z_1} + e^{z_2} + e^{z_3})."""
        (j,) = self.args
        return sp.exp(LAYER3_Z[int(j) - 1]) / sp.Add(*(sp.exp(z) for z in LAYER3_Z))

    def _eval_derivative(self, symbol: sp.Symbol) -> sp.Expr:
        return self.doit().diff(symbol)


def symbolic_softmax_jacobian(n: int) -> sp.Matrix:
    """SymPy's own Jacobian ∂a_j/∂z_k of the n-neuron softmax layer in z_1, …, z_n."""
    z = z_vector(as_size(n, "n", "symbolic_softmax_jacobian"))
    return softmax_layer(z).jacobian(z)


def _plain(exprs: Iterable[sp.Expr]) -> tuple[list[sp.Expr], list[sp.Symbol]]:
    """Replace indexed entries z[i] by plain symbols so lambdify can take them."""
    exprs = list(exprs)
    atoms = sorted(set().union(*(e.atoms(sp.Indexed) for e in exprs)), key=sp.default_sort_key)
    others = sorted(set().union(*(e.free_symbols for e in exprs)) - set(atoms)
                    - {a.base.label for a in atoms}, key=sp.default_sort_key)
    plain = {a: sp.Symbol(f"_x{i}", real=True) for i, a in enumerate(atoms)}
    return [e.xreplace(plain) for e in exprs], [*plain.values(), *others]


def check_identity(
    lhs: sp.Matrix,
    rhs: sp.Matrix,
    *,
    label: str,
    hints: Iterable[Callable[[sp.Expr], sp.Expr]] = (),
    seed: int = 0,
    samples: int = 4,
) -> CheckResult:
    """Check ``lhs == rhs`` entry by entry: a symbolic zero test and a 30-digit witness.

    The symbolic test is :func:`nblib.proof.equality.symbolic_residual` (the derivations' own);
    the numeric one evaluates both sides with mpmath at ``samples`` random points in
    [−3, 3] for every symbol. Cheaper than one Derivation per entry, for reports over n.
    The claim holds when every entry reduces to 0 and the largest relative gap at the points
    is at most :data:`~nblib.proof.equality.NUMERIC_ZERO`: ``label: 9 of 9 entries reduce to
    0, numeric gap < 1e-20 ✓``.
    """
    lhs, rhs = sp.Matrix(lhs), sp.Matrix(rhs)
    if lhs.shape != rhs.shape:
        raise ValueError(f"check_identity: arguments 'lhs' and 'rhs' must have the same "
                         f"shape (got {lhs.shape} and {rhs.shape})")
    hints = tuple(hints)
    zero = sum(symbolic_residual((r - q).doit(), hints)[0] == 0
               for q, r in zip(lhs, rhs, strict=True))
    plain, symbols = _plain([*lhs.doit(), *rhs.doit()])
    # One function for every entry: lambdify's code generation dominates the cost.
    evaluate = sp.lambdify(symbols, plain, modules="mpmath")
    size = len(lhs)
    rng = np.random.default_rng(seed)
    worst = 0.0
    with mpmath.workdps(DIGITS):
        for _ in range(samples):
            values = evaluate(*(mpmath.mpf(float(v)) for v in rng.uniform(-3, 3, len(symbols))))
            for p, q in zip(values[:size], values[size:], strict=True):
                worst = max(worst, float(abs(p - q) / max(mpmath.mpf(1), abs(p), abs(q))))
    close = worst <= NUMERIC_ZERO
    gap = f"< {describe_bound(NUMERIC_ZERO)}" if close else f"{worst:.1e}"
    return check_claim(label, bool(zero == size and close),
                       f"{zero} of {size} entries reduce to 0, numeric gap {gap}")


def check_jacobian_signs(n: int) -> CheckResult:
    """Ask SymPy's assumption system for the sign of every entry of the n-neuron Jacobian.

    Each entry is put over a common denominator first: e^{z_j}(Σ_{m≠j} e^{z_m}) / S² on
    the diagonal and −e^{z_j + z_k} / S² off it, whose signs follow from e^x > 0. The claim
    holds when every diagonal entry is proved > 0 and every other one < 0: ``n = 3:
    ∂a_j/∂z_j > 0 for 3 of 3, ∂a_j/∂z_k < 0 (k ≠ j) for 6 of 6 ✓``.
    """
    n = as_size(n, "n", "check_jacobian_signs")
    jac = symbolic_softmax_jacobian(n)
    positive = sum(bool(sp.factor(jac[j, j]).is_positive) for j in range(n))
    negative = sum(bool(sp.factor(jac[j, k]).is_negative)
                   for j in range(n) for k in range(n) if j != k)
    off = n * (n - 1)
    return check_claim(f"n = {n}", positive == n and negative == off,
                       f"∂a_j/∂z_j > 0 for {positive} of {n}, ∂a_j/∂z_k < 0 (k ≠ j) for "
                       f"{negative} of {off}")


def jacobian_in_activations(n: int) -> sp.Matrix:
    """The matrix a_j(δ_jk − a_k) for an n-neuron layer, written with a_1, …, a_n."""
    n = as_size(n, "n", "jacobian_in_activations")
    a = [softmax_a(j, n) for j in range(1, n + 1)]
    return sp.Matrix(n, n, lambda j, k: a[j] * (sp.KroneckerDelta(j, k) - a[k]))


def softmax_sum_derivation(n: int) -> Derivation:
    """a_1 + … + a_n = 1 for a concrete n, as a checked chain of three steps."""
    n = as_size(n, "n", "softmax_sum_derivation")
    exps = [sp.exp(Z[j]) for j in range(1, n + 1)]
    with sp.evaluate(False):  # keep each line as written: n fractions, then one
        total = sp.Add(*exps)
        fractions = sp.Add(*(e / total for e in exps))
        one_fraction = total / total
    chain = Derivation(sp.Add(*(softmax_a(j, n) for j in range(1, n + 1))),
                       lhs=r"\sum_{j=1}^{" + str(n) + "} a_j")
    chain.step(fractions, "definition (78)")
    chain.step(one_fraction, "common denominator")
    chain.step(sp.S.One, "numerator = denominator")
    return chain

