"""The softmax layer's Jacobian and its neighbours: numerics and symbolic pieces for ex4–ex6.

NumPy side (float64, batched over leading axes, neurons on the last axis):

* :func:`softmax_jacobian` — ∂a_j/∂z_k = a_j(δ_jk − a_k), computed so that the strict signs
  survive rounding as long as the entries do not underflow;
* :func:`jacobian_from_activations` — the same formula applied literally to a given ``a``,
  whose diagonal loses its digits when some a_j ≈ 1 (shown in ex5 on purpose);
* :func:`sigmoid_layer_jacobian` — diag(σ′(z)), the local layer of ex6;
* sign-pattern and ulp helpers, and :func:`naive_softmax` (the textbook formula, which
  overflows) for the edge cases;
* :class:`TextReport` — a table or list a notebook cell shows in one call, with a verdict
  it can assert (for loops over layer sizes and printed comparisons).

SymPy side: :class:`softmax_a` (shown as a_j, checked as its definition), rewrite hints for
sums over a dummy index, and one-line symbolic checks of whole Jacobians for concrete n.
:data:`LAYER3_Z` and :class:`layer3_a` are a layer of three neurons in plain symbols, the one
the "Your turn" boxes of ex4–ex6 use: a learner can type z1 or z_1, and a(1) for a_1.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any

import mpmath
import numpy as np
import sympy as sp

from nblib.activations import sigmoid_prime
from nblib.derivation import Derivation
from nblib.equality import DIGITS, NUMERIC_ZERO, pull_constants_out_of_sums, symbolic_residual
from nblib.symbolic import softmax_layer
from nblib.validation import as_float_array

__all__ = [
    "EPS",
    "LAYER3_NAMES",
    "LAYER3_Z",
    "IdentityCheck",
    "SignCheck",
    "TextReport",
    "Z",
    "check_identity",
    "check_jacobian_signs",
    "distinct_indices",
    "in_range_pieces",
    "jacobian_from_activations",
    "jacobian_in_activations",
    "layer3_a",
    "naive_softmax",
    "rename_sum_indices",
    "sift_kronecker_sums",
    "sifted",
    "sigmoid_layer_jacobian",
    "sign_pattern_holds",
    "softmax_a",
    "softmax_jacobian",
    "softmax_sign_pattern",
    "softmax_sum_derivation",
    "symbolic_softmax_jacobian",
    "ulps_from_one",
    "z_vector",
]

#: The gap between 1 and the next float64 above it, 2⁻⁵²: "one ulp of 1".
EPS = float(np.finfo(np.float64).eps)


# --------------------------------------------------------------------------- NumPy


def _layer(z: Any, name: str, func: str) -> np.ndarray:
    """``z`` as a finite float64 array with at least one axis (the neurons, last)."""
    arr = as_float_array(z, name, func=func)
    if arr.ndim == 0:
        raise ValueError(
            f"{func}: argument '{name}' needs at least one neuron: got a single number, "
            "pass a 1-d array (or a batch, neurons on the last axis)"
        )
    return arr


def _diagonal(values: np.ndarray) -> np.ndarray:
    """Batched diagonal matrices: shape (..., n) → (..., n, n)."""
    n = values.shape[-1]
    out = np.zeros((*values.shape, n))
    index = np.arange(n)
    out[..., index, index] = values
    return out


def softmax_jacobian(z: Any) -> np.ndarray:
    """Jacobian ∂a_j/∂z_k = a_j(δ_jk − a_k) of the softmax layer a = softmax(z).

    Parameters
    ----------
    z : array_like
        Weighted inputs, shape (n,) or a batch (..., n) with the neurons on the last axis.

    Returns
    -------
    numpy.ndarray
        Shape (..., n, n) with ``J[..., j, k] = ∂a_j/∂z_k``.

    Notes
    -----
    With t = z − max z and e = e^t, the entries are e_j·(Σ_{m≠j} e_m)/S² on the diagonal
    and −e_j e_k/S² off it (S = Σ e). The sum over m ≠ j is added up directly rather than
    taken as 1 − a_j, so a diagonal entry keeps full relative accuracy even when a_j rounds
    to 1; an entry is 0 only when it underflows. Nothing overflows for any finite z.
    """
    z = _layer(z, "z", "softmax_jacobian")
    n = z.shape[-1]
    with np.errstate(over="ignore", under="ignore"):  # z − max may be −inf: e^{−inf} = 0
        t = z - z.max(axis=-1, keepdims=True)
        e = np.exp(t)
        total = e.sum(axis=-1, keepdims=True)  # ≥ 1: the largest e is exactly 1
        others = np.where(np.eye(n, dtype=bool), 0.0, e[..., None, :]).sum(axis=-1)
        a = e / total
        jac = -(a[..., :, None] * a[..., None, :])
        index = np.arange(n)
        jac[..., index, index] = a * (others / total)
    return jac


def jacobian_from_activations(a: Any) -> np.ndarray:
    """The formula a_j(δ_jk − a_k) evaluated literally from given activations ``a``.

    Parameters
    ----------
    a : array_like
        Softmax outputs, shape (n,) or (..., n).

    Returns
    -------
    numpy.ndarray
        Shape (..., n, n). The diagonal is a_j·(1 − a_j) as float64 computes it: when a_j
        has rounded to 1.0 it is exactly 0, although the true value is positive. Use
        :func:`softmax_jacobian` (from z) for accurate entries.
    """
    a = _layer(a, "a", "jacobian_from_activations")
    eye = np.eye(a.shape[-1])
    with np.errstate(under="ignore"):
        return a[..., :, None] * (eye - a[..., None, :])


def sigmoid_layer_jacobian(z: Any) -> np.ndarray:
    """Jacobian of a sigmoid layer a_j = σ(z_j): the diagonal matrix diag(σ′(z_j)).

    Parameters
    ----------
    z : array_like
        Weighted inputs, shape (n,) or (..., n).

    Returns
    -------
    numpy.ndarray
        Shape (..., n, n): σ′(z_j) on the diagonal, exactly 0 elsewhere (a_j depends on
        z_j alone).
    """
    z = _layer(z, "z", "sigmoid_layer_jacobian")
    return _diagonal(np.asarray(sigmoid_prime(z)))


def softmax_sign_pattern(n: int) -> np.ndarray:
    """The sign pattern ex5 claims for an n-neuron softmax: +1 on the diagonal, −1 elsewhere."""
    if isinstance(n, bool) or not isinstance(n, int | np.integer) or n < 1:
        raise ValueError(f"softmax_sign_pattern: argument 'n' must be a positive integer "
                         f"(got {n!r})")
    return 2 * np.eye(int(n), dtype=int) - 1


def sign_pattern_holds(jac: Any) -> np.ndarray | np.bool_:
    """Whether each Jacobian has strictly the softmax sign pattern (a zero entry fails).

    Parameters
    ----------
    jac : array_like
        Square matrices, shape (n, n) or (..., n, n).

    Returns
    -------
    numpy.ndarray or numpy.bool_
        One boolean per matrix (a scalar for a single matrix).
    """
    jac = as_float_array(jac, "jac", func="sign_pattern_holds")
    if jac.ndim < 2 or jac.shape[-1] != jac.shape[-2]:
        raise ValueError(f"sign_pattern_holds: argument 'jac' must hold square matrices "
                         f"on its last two axes (got shape {jac.shape})")
    expected = softmax_sign_pattern(jac.shape[-1])
    return np.all(np.sign(jac) == expected, axis=(-2, -1))


def ulps_from_one(x: Any) -> np.ndarray | np.float64:
    """|x − 1| in units of 2⁻⁵² (the spacing of float64 just above 1), elementwise.

    Just below 1 the spacing is 2⁻⁵³, so the largest float below 1 is 0.5 ulps away.
    """
    x = as_float_array(x, "x", func="ulps_from_one")
    out = np.abs(x - 1.0) / EPS
    return out if out.ndim else out[()]


def naive_softmax(z: Any) -> np.ndarray:
    """The textbook formula e^{z_j}/Σ_k e^{z_k}, with no shift: it overflows for z ≳ 709.8.

    Kept for the edge cases that show why :func:`nblib.softmax` subtracts max z first
    (shift invariance, ex6). NumPy's warnings are left on so they can be observed.
    """
    z = _layer(z, "z", "naive_softmax")
    e = np.exp(z)
    return e / e.sum(axis=-1, keepdims=True)


# --------------------------------------------------------------------------- reports


@dataclass(frozen=True)
class TextReport:
    """Lines of text that one notebook cell shows, with a verdict the cell can assert.

    For what is not a tolerance check (that is :class:`nblib.checks.CheckReport`'s job): a
    table over layer sizes, a comparison of two formulas, the warnings of an edge case.
    ``passed`` says whether every claim the lines make holds; the maker of the report
    computes it, so ``report.assert_ok()`` at the end of a cell shows the lines and stops
    the notebook if a claim failed.
    """

    lines: tuple[str, ...]
    passed: bool = True

    def __post_init__(self) -> None:
        """Validate the fields; store the lines as a tuple."""
        lines = self.lines
        try:  # a tuple first, so that a generator is read once
            lines = None if isinstance(lines, str) else tuple(lines)
        except TypeError:
            lines = None
        if lines is None or not all(isinstance(line, str) for line in lines):
            raise TypeError("TextReport: argument 'lines' must be a sequence of str "
                            f"(got {self.lines!r})")
        if not isinstance(self.passed, bool | np.bool_):
            raise TypeError(f"TextReport: argument 'passed' must be a bool (got {self.passed!r})")
        object.__setattr__(self, "lines", tuple(lines))
        object.__setattr__(self, "passed", bool(self.passed))

    def __str__(self) -> str:
        return "\n".join(self.lines)

    __repr__ = __str__

    def _repr_pretty_(self, printer: Any, cycle: bool) -> None:
        printer.text(str(self))

    def assert_ok(self) -> TextReport:
        """Return ``self`` if every claim held, else raise AssertionError with the lines."""
        if not self.passed:
            raise AssertionError(str(self))
        return self


# --------------------------------------------------------------------------- SymPy

#: The weighted inputs z_1, z_2, …: real entries of one indexed base, for any n.
Z = sp.IndexedBase("z", real=True)
_M = sp.Idx("m")  # the summation index inside a_j's definition


def z_vector(n: int) -> sp.Matrix:
    """The column (z_1, …, z_n) of indexed real symbols."""
    if isinstance(n, bool) or not isinstance(n, int) or n < 1:
        raise ValueError(f"z_vector: argument 'n' must be a positive integer (got {n!r})")
    return sp.Matrix([Z[i] for i in range(1, n + 1)])


class softmax_a(sp.Function):
    """The softmax activation a_j of an n-neuron layer: ``softmax_a(j, n)``.

    Shown as a_j; ``doit()`` gives its definition e^{z_j} / Σ_{m=1}^{n} e^{z_m} (the sum
    written out when n is a number), so every check sees through it.
    """

    nargs = 2

    def doit(self, deep: bool = True, **hints) -> sp.Expr:
        """Replace a_j by e^{z_j} / Σ_m e^{z_m}."""
        j, n = self.args
        if n.is_Integer:  # written out directly: Sum.doit would be far slower
            total = sp.Add(*(sp.exp(Z[m]) for m in range(1, int(n) + 1)))
        else:
            total = sp.Sum(sp.exp(Z[_M]), (_M, 1, n))
        return sp.exp(Z[j]) / total

    def _latex(self, printer, exp: str | None = None) -> str:
        base = "a_{" + printer.doprint(self.args[0]) + "}"
        return base if exp is None else "{" + base + "}^{" + exp + "}"

    def _sympystr(self, printer) -> str:
        return "a_" + printer.doprint(self.args[0])


#: The weighted inputs of a layer of three neurons as plain real Symbols z_1, z_2, z_3. An
#: indexed entry Z[1] is not a Symbol, so a "Your turn" box cannot offer it to be typed; these
#: it can (as z1 or z_1). Typeset, they look like Z[1], Z[2], Z[3].
LAYER3_Z = sp.symbols("z_1:4", real=True)
#: The names a learner types for them: z1 in SymPy syntax, z_1 or z_{1} in LaTeX.
LAYER3_NAMES = {**{f"z{i}": v for i, v in enumerate(LAYER3_Z, 1)},
                **{f"z_{i}": v for i, v in enumerate(LAYER3_Z, 1)}}


class layer3_a(sp.Function):
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

    def _latex(self, printer, exp: str | None = None) -> str:
        base = "a_{" + printer.doprint(self.args[0]) + "}"
        return base if exp is None else "{" + base + "}^{" + exp + "}"

    def _sympystr(self, printer) -> str:
        return "a_" + printer.doprint(self.args[0])


def rename_sum_indices(expr: sp.Expr) -> sp.Expr:
    """Zero-test hint: pull constants out of sums, give every (non-nested) sum the same
    dummy index, then cancel.

    Σ_j e^{z_j} and Σ_k e^{z_k} are the same number, but SymPy compares them as different
    expressions; renaming the bound index makes them identical.
    """
    expr = pull_constants_out_of_sums(expr)
    canonical = sp.Dummy("i")

    def rename(s: sp.Sum) -> sp.Expr:
        if len(s.limits) != 1 or s.function.has(sp.Sum):
            return s
        index, lo, hi = s.limits[0]
        return sp.Sum(s.function.xreplace({index: canonical}), (canonical, lo, hi))

    return sp.cancel(expr.replace(lambda e: isinstance(e, sp.Sum), rename))


def sifted(expr: sp.Expr) -> sp.Expr:
    """Evaluate Σ_m f(m)·δ_{km} as f(k) (the sifting property, valid for k in the range)."""

    def sift(s: sp.Sum) -> sp.Expr:
        if len(s.limits) != 1:
            return s
        index = s.limits[0][0]
        factors = sp.Mul.make_args(s.function)
        for f in factors:
            if isinstance(f, sp.KroneckerDelta) and index in f.args:
                other = f.args[0] if f.args[1] == index else f.args[1]
                rest = sp.Mul(*[g for g in factors if g is not f])
                return rest.xreplace({index: other})
        return s

    return expr.replace(lambda e: isinstance(e, sp.Sum), sift)


def _in_range_condition(condition: sp.Basic) -> bool:
    """True if ``condition`` only says that indices lie in 1..n (i ≥ 1, i ≤ n, n ≥ i)."""
    parts = condition.args if isinstance(condition, sp.And) else (condition,)
    for part in parts:
        if isinstance(part, sp.GreaterThan):
            big, small = part.lhs, part.rhs
        elif isinstance(part, sp.LessThan):
            big, small = part.rhs, part.lhs
        else:
            return False
        index_at_least_one = isinstance(big, sp.Idx) and small == 1
        index_at_most_top = isinstance(small, sp.Idx) and isinstance(big, sp.Symbol)
        if not (index_at_least_one or index_at_most_top):
            return False
    return True


def in_range_pieces(expr: sp.Expr) -> sp.Expr:
    """Replace each Piecewise by its piece for "every index in 1..n", where it has one.

    SymPy evaluates Σ_m f(m)·δ_{km} as "f(k) if 1 ≤ k ≤ n, else something"; in a layer of
    n neurons every index is in range, so that piece is the value.
    """

    def pick(p: sp.Piecewise) -> sp.Expr:
        for piece in p.args:
            if piece.cond is not sp.true and _in_range_condition(piece.cond):
                return piece.expr
        return p

    return expr.replace(lambda e: isinstance(e, sp.Piecewise), pick)


def sift_kronecker_sums(expr: sp.Expr) -> sp.Expr:
    """Zero-test hint: Σ_m f(m)·δ_{km} → f(k) (:func:`sifted`, :func:`in_range_pieces`),
    then cancel. Valid when every index lies in 1..n."""
    return sp.cancel(in_range_pieces(sifted(expr)))


def symbolic_softmax_jacobian(n: int) -> sp.Matrix:
    """SymPy's own Jacobian ∂a_j/∂z_k of the n-neuron softmax layer in z_1, …, z_n."""
    z = z_vector(n)
    return softmax_layer(z).jacobian(z)


def _plain(exprs: Iterable[sp.Expr]) -> tuple[list[sp.Expr], list[sp.Symbol]]:
    """Replace indexed entries z[i] by plain symbols so lambdify can take them."""
    exprs = list(exprs)
    atoms = sorted(set().union(*(e.atoms(sp.Indexed) for e in exprs)), key=sp.default_sort_key)
    others = sorted(set().union(*(e.free_symbols for e in exprs)) - set(atoms)
                    - {a.base.label for a in atoms}, key=sp.default_sort_key)
    plain = {a: sp.Symbol(f"_x{i}", real=True) for i, a in enumerate(atoms)}
    return [e.xreplace(plain) for e in exprs], [*plain.values(), *others]


@dataclass(frozen=True)
class IdentityCheck:
    """Entrywise check that two matrices of expressions are equal, reported on one line.

    ``symbolic`` counts entries whose difference SymPy reduced to 0; ``numeric_gap`` is
    the largest relative gap at random points evaluated with 30 digits.
    """

    label: str
    entries: int
    symbolic: int
    numeric_gap: float

    @property
    def passed(self) -> bool:
        """Both tests agree that every entry is equal."""
        return self.symbolic == self.entries and self.numeric_gap <= NUMERIC_ZERO

    def __str__(self) -> str:
        mark = "✓" if self.passed else "✗"
        gap = "< 1e-20" if self.numeric_gap <= NUMERIC_ZERO else f"{self.numeric_gap:.1e}"
        return (f"{self.label}: {self.symbolic} of {self.entries} entries reduce to 0, "
                f"numeric gap {gap} {mark}")

    __repr__ = __str__

    def _repr_pretty_(self, printer: Any, cycle: bool) -> None:
        printer.text(str(self))


def check_identity(
    lhs: sp.Matrix,
    rhs: sp.Matrix,
    *,
    label: str,
    hints: Iterable[Callable[[sp.Expr], sp.Expr]] = (),
    seed: int = 0,
    samples: int = 4,
) -> IdentityCheck:
    """Check ``lhs == rhs`` entry by entry: a symbolic zero test and a 30-digit witness.

    The symbolic test is :func:`nblib.equality.symbolic_residual` (the derivations' own);
    the numeric one evaluates both sides with mpmath at ``samples`` random points in
    [−3, 3] for every symbol. Cheaper than one Derivation per entry, for tables over n.
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
    return IdentityCheck(label, len(lhs), int(zero), worst)


@dataclass(frozen=True)
class SignCheck:
    """How many Jacobian entries SymPy proves positive (diagonal) and negative (off it)."""

    n: int
    positive_diagonal: int
    negative_off_diagonal: int

    @property
    def passed(self) -> bool:
        """Every diagonal entry is > 0 and every off-diagonal entry < 0."""
        return (self.positive_diagonal == self.n
                and self.negative_off_diagonal == self.n * (self.n - 1))

    def __str__(self) -> str:
        mark = "✓" if self.passed else "✗"
        return (f"n = {self.n}: ∂a_j/∂z_j > 0 for {self.positive_diagonal} of {self.n}, "
                f"∂a_j/∂z_k < 0 (k ≠ j) for {self.negative_off_diagonal} of "
                f"{self.n * (self.n - 1)} {mark}")

    __repr__ = __str__

    def _repr_pretty_(self, printer: Any, cycle: bool) -> None:
        printer.text(str(self))


def check_jacobian_signs(n: int) -> SignCheck:
    """Ask SymPy's assumption system for the sign of every entry of the n-neuron Jacobian.

    Each entry is put over a common denominator first: e^{z_j}(Σ_{m≠j} e^{z_m}) / S² on
    the diagonal and −e^{z_j + z_k} / S² off it, whose signs follow from e^x > 0.
    """
    jac = symbolic_softmax_jacobian(n)
    positive = sum(bool(sp.factor(jac[j, j]).is_positive) for j in range(n))
    negative = sum(bool(sp.factor(jac[j, k]).is_negative)
                   for j in range(n) for k in range(n) if j != k)
    return SignCheck(n, positive, negative)


def jacobian_in_activations(n: int) -> sp.Matrix:
    """The matrix a_j(δ_jk − a_k) for an n-neuron layer, written with a_1, …, a_n."""
    a = [softmax_a(j, n) for j in range(1, _size(n, "jacobian_in_activations") + 1)]
    return sp.Matrix(n, n, lambda j, k: a[j] * (sp.KroneckerDelta(j, k) - a[k]))


def softmax_sum_derivation(n: int) -> Derivation:
    """a_1 + … + a_n = 1 for a concrete n, as a checked chain of three steps."""
    _size(n, "softmax_sum_derivation")
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


def _size(n: Any, func: str) -> int:
    """A layer size: a positive Python or NumPy integer."""
    if isinstance(n, bool) or not isinstance(n, int | np.integer) or n < 1:
        raise ValueError(f"{func}: argument 'n' must be a positive integer (got {n!r})")
    return int(n)


def distinct_indices(j: sp.Basic, k: sp.Basic) -> Callable[[sp.Expr], sp.Expr]:
    """Zero-test hint for j ≠ k: set δ_jk = 0, then apply :func:`sift_kronecker_sums`."""
    if not all(isinstance(i, sp.Idx | sp.Symbol) for i in (j, k)):
        raise TypeError("distinct_indices: arguments 'j' and 'k' must be SymPy indices")

    def hint(expr: sp.Expr) -> sp.Expr:
        return sift_kronecker_sums(expr.subs(sp.KroneckerDelta(j, k), 0))

    return hint
