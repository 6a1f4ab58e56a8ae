"""One sigmoid neuron and its cost: helpers for exercises 2 and 3 and problem 3.

The neuron computes z = w·x + b and a = σ(z); a cost C(a, y) compares a with the target y.

* floats: :func:`first_float_where` (the first float at which a predicate turns true),
  :func:`textbook_cross_entropy` (the formula exactly as printed, warnings and all);
* costs as functions of a: :func:`swapped_cross_entropy`, :func:`kl_divergence`,
  :func:`cost_prime`, :func:`cost_second`, :func:`cross_entropy_argmin`;
* the neuron: :func:`cost_from_z`, :func:`dcost_dz`, :func:`neuron_cost`,
  :func:`weight_gradient`, :func:`input_with_same_z`;
* symbolic: :class:`Softplus` and :class:`WeightedInput` (displayed as the book writes
  them, checked as their definitions), :class:`Equivalence` (a checked "⇔") and
  :class:`Positivity` (a checked "> 0" on 0 < a < 1).

Costs are named by a string, one of :data:`COSTS`.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, Sequence
from typing import Any

import mpmath
import numpy as np
import sympy as sp

from nblib.activations import sigmoid, sigmoid_prime
from nblib.checks import CheckResult
from nblib.costs import cross_entropy, cross_entropy_from_z, quadratic_cost
from nblib.derivation import CHECK, Derivation, StepError
from nblib.equality import Domain, reevaluated
from nblib.validation import (
    as_float_array,
    as_scalar,
    require_closed_unit,
    require_open_unit,
    require_same_shape,
)

__all__ = [
    "COSTS",
    "Equivalence",
    "Positivity",
    "Softplus",
    "WeightedInput",
    "combine_checks",
    "cost_from_z",
    "cost_prime",
    "cost_second",
    "cross_entropy_argmin",
    "cross_entropy_grid",
    "cross_entropy_reference",
    "dcost_dz",
    "first_float_where",
    "input_with_same_z",
    "kl_divergence",
    "neuron_cost",
    "subs_hint",
    "swapped_cross_entropy",
    "textbook_cross_entropy",
    "unit_interval_substitution",
    "weight_gradient",
]

#: The costs the helpers know, by name.
COSTS = ("quadratic", "cross_entropy")

_SIGN_BIT = np.uint64(1 << 63)


def _cost_name(cost: Any, func: str) -> str:
    """Validate a cost name."""
    if not isinstance(cost, str):
        raise TypeError(f"{func}: argument 'cost' must be a str, one of {COSTS} "
                        f"(got {type(cost).__name__})")
    if cost not in COSTS:
        raise ValueError(f"{func}: argument 'cost' must be one of {COSTS} (got {cost!r})")
    return cost


def _out(x: np.ndarray) -> np.ndarray | np.float64:
    """Scalar for 0-d results, array otherwise (the package's return convention)."""
    return x if x.ndim else x[()]


# --------------------------------------------------------------------------- floats


def _float_key(x: float) -> int:
    """An integer that orders float64 values as the reals do (−0.0 and 0.0 share key 0)."""
    bits = int(np.array(x, dtype=np.float64).view(np.uint64))
    magnitude = bits & ~int(_SIGN_BIT)
    return -magnitude if bits & int(_SIGN_BIT) else magnitude


def _key_float(key: int) -> float:
    """The float64 whose :func:`_float_key` is ``key``."""
    bits = np.uint64(-key) | _SIGN_BIT if key < 0 else np.uint64(key)
    return float(np.array(bits, dtype=np.uint64).view(np.float64))


def first_float_where(predicate: Callable[[float], Any], lo: float, hi: float) -> float:
    """The smallest float64 x in (lo, hi] at which ``predicate(x)`` is true.

    The predicate must be false at ``lo``, true at ``hi`` and switch only once in between
    (false, then true). Bisection runs over the float64 values themselves, not over the
    reals, so the answer is exact: the float just below it gives false.

    Parameters
    ----------
    predicate : callable
        Maps a Python float to something truthy.
    lo, hi : float
        Finite bounds with lo < hi.

    Returns
    -------
    float

    Raises
    ------
    ValueError
        If lo ≥ hi, or the predicate is not false at ``lo`` and true at ``hi``.
    """
    func = "first_float_where"
    if not callable(predicate):
        raise TypeError(f"{func}: argument 'predicate' must be a function "
                        f"(got {type(predicate).__name__})")
    lo, hi = as_scalar(lo, "lo", func=func), as_scalar(hi, "hi", func=func)
    if not lo < hi:
        raise ValueError(f"{func}: arguments 'lo' and 'hi' need lo < hi (got {lo!r}, {hi!r})")
    if predicate(lo) or not predicate(hi):
        raise ValueError(f"{func}: the predicate must be false at lo = {lo!r} and true at "
                         f"hi = {hi!r}")
    low, high = _float_key(lo), _float_key(hi)
    while high - low > 1:
        middle = (low + high) // 2
        if predicate(_key_float(middle)):
            high = middle
        else:
            low = middle
    return _key_float(high)


def textbook_cross_entropy(a: Any, y: Any) -> np.ndarray | np.float64:
    """−[y ln a + (1 − y) ln(1 − a)] exactly as printed, with no guard at a ∈ {0, 1}.

    This is the formula a reader would type; it exists to show what float64 does with it.
    At a = 1.0 it takes ln 0 and NumPy warns "divide by zero"; the result is inf when the
    coefficient of the infinite logarithm is positive and nan when it is 0 (0 · (−inf)).
    Use :func:`nblib.cross_entropy_from_z` for computing.

    Parameters
    ----------
    a : array_like
        Activations in [0, 1].
    y : array_like
        Targets in [0, 1], same shape as ``a``.
    """
    func = "textbook_cross_entropy"
    a = require_closed_unit(a, "a", func=func)
    y = require_closed_unit(y, "y", func=func)
    require_same_shape(a, y, ("a", "y"), func=func)
    return _out(-(y * np.log(a) + (1 - y) * np.log(1 - a)))


# --------------------------------------------------------------------------- costs of a


def _log_terms(coefficient: np.ndarray, argument: np.ndarray) -> np.ndarray:
    """coefficient · ln(argument) with 0 · ln 0 = 0 and c · ln 0 = −inf for c > 0, quietly."""
    safe = np.where(argument > 0, argument, 1.0)
    with np.errstate(under="ignore"):
        product = coefficient * np.log(safe)
    return np.where(argument > 0, product, np.where(coefficient > 0, -np.inf, 0.0))


def swapped_cross_entropy(a: Any, y: Any) -> np.ndarray | np.float64:
    """The swapped form −[a ln y + (1 − a) ln(1 − y)], elementwise, +inf where it takes ln 0.

    Parameters
    ----------
    a : array_like
        Activations in [0, 1].
    y : array_like
        Targets in [0, 1], same shape as ``a``.

    Returns
    -------
    numpy.ndarray or numpy.float64
        The value, +inf wherever y = 0 with a < 1 or y = 1 with a > 0 (the logarithm of 0
        with a nonzero coefficient), using 0 · ln 0 = 0 otherwise. No warnings.
    """
    func = "swapped_cross_entropy"
    a = require_closed_unit(a, "a", func=func)
    y = require_closed_unit(y, "y", func=func)
    require_same_shape(a, y, ("a", "y"), func=func)
    total = _log_terms(a, y) + _log_terms(1.0 - a, 1.0 - y)
    return _out(0.0 - total)


def kl_divergence(y: Any, a: Any) -> np.ndarray | np.float64:
    """Kullback–Leibler divergence of Bernoulli(a) from Bernoulli(y), elementwise.

    KL(y‖a) = y ln(y/a) + (1 − y) ln((1 − y)/(1 − a)), with 0 ln 0 = 0.

    Parameters
    ----------
    y : array_like
        Targets in [0, 1].
    a : array_like
        Activations strictly between 0 and 1, same shape as ``y``.

    Returns
    -------
    numpy.ndarray or numpy.float64
        Values ≥ 0, exactly 0 where a == y. It equals cross_entropy(a, y) − H(y); the
        two terms cancel to first order near a = y, so its accuracy is absolute (≈ 1e-16
        times the size of the terms), not relative.
    """
    func = "kl_divergence"
    y = require_closed_unit(y, "y", func=func)
    a = require_open_unit(a, "a", func=func)
    require_same_shape(y, a, ("y", "a"), func=func)
    first = np.where(y > 0, y * np.log(np.where(y > 0, y, 1.0) / a), 0.0)
    second = np.where(y < 1, (1.0 - y) * np.log(np.where(y < 1, 1.0 - y, 1.0) / (1.0 - a)), 0.0)
    # Rounding can leave −1e-17 where the exact value is +1e-17; the divergence is ≥ 0.
    return _out(np.maximum(first + second, 0.0))


def _a_and_y(a: Any, y: Any, func: str, cost: str) -> tuple[np.ndarray, np.ndarray]:
    """Validate activations and targets for a derivative of ``cost`` with respect to a."""
    if cost == "cross_entropy":
        a = require_open_unit(a, "a", func=func)
    else:
        a = as_float_array(a, "a", func=func)
    y = require_closed_unit(y, "y", func=func)
    require_same_shape(a, y, ("a", "y"), func=func)
    return a, y


def cost_prime(a: Any, y: Any, cost: str = "cross_entropy") -> np.ndarray | np.float64:
    """∂C/∂a, elementwise: a − y (quadratic) or (a − y)/(a(1 − a)) (cross-entropy).

    Parameters
    ----------
    a : array_like
        Activations; strictly inside (0, 1) for the cross-entropy.
    y : array_like
        Targets in [0, 1], same shape as ``a``.
    cost : {"quadratic", "cross_entropy"}
    """
    func = "cost_prime"
    cost = _cost_name(cost, func)
    a, y = _a_and_y(a, y, func, cost)
    if cost == "quadratic":
        return _out(a - y)
    return _out((a - y) / (a * (1.0 - a)))


def cost_second(a: Any, y: Any, cost: str = "cross_entropy") -> np.ndarray | np.float64:
    """∂²C/∂a², elementwise: 1 (quadratic) or y/a² + (1 − y)/(1 − a)² (cross-entropy).

    Parameters
    ----------
    a : array_like
        Activations; strictly inside (0, 1) for the cross-entropy.
    y : array_like
        Targets in [0, 1], same shape as ``a``.
    cost : {"quadratic", "cross_entropy"}
    """
    func = "cost_second"
    cost = _cost_name(cost, func)
    a, y = _a_and_y(a, y, func, cost)
    if cost == "quadratic":
        return _out(np.ones_like(a))
    return _out(y / a**2 + (1.0 - y) / (1.0 - a) ** 2)


def cross_entropy_argmin(y: Any, grid: Any) -> np.ndarray | np.float64:
    """For each target y, the grid point a at which the cross-entropy C(a) is smallest.

    Parameters
    ----------
    y : array_like
        Targets in [0, 1].
    grid : array_like
        One-dimensional grid of activations strictly inside (0, 1).

    Returns
    -------
    numpy.ndarray or numpy.float64
        argmin over the grid of cross_entropy(grid, y), with the shape of ``y``.
    """
    func = "cross_entropy_argmin"
    y = require_closed_unit(y, "y", func=func)
    grid = _grid(grid, func)
    costs = cross_entropy_grid(y.reshape(-1), grid)
    return _out(grid[np.argmin(costs, axis=1)].reshape(y.shape))


def _grid(grid: Any, func: str) -> np.ndarray:
    grid = require_open_unit(grid, "grid", func=func)
    if grid.ndim != 1:
        raise ValueError(f"{func}: argument 'grid' must be one-dimensional "
                         f"(got shape {grid.shape})")
    return grid


def cross_entropy_grid(y: Any, grid: Any) -> np.ndarray:
    """The cross-entropy for every pair (target, activation): rows y, columns a.

    Parameters
    ----------
    y : array_like
        One-dimensional targets in [0, 1].
    grid : array_like
        One-dimensional activations strictly inside (0, 1).

    Returns
    -------
    numpy.ndarray
        Shape (len(y), len(grid)); entry [i, k] is cross_entropy(grid[k], y[i]).
    """
    func = "cross_entropy_grid"
    y = require_closed_unit(y, "y", func=func)
    if y.ndim != 1:
        raise ValueError(f"{func}: argument 'y' must be one-dimensional (got shape {y.shape})")
    grid = _grid(grid, func)
    shape = (y.size, grid.size)
    return cross_entropy(np.broadcast_to(grid, shape), np.broadcast_to(y[:, None], shape))


def cross_entropy_reference(z: Any, y: Any, digits: int = 40) -> np.ndarray | np.float64:
    """C(σ(z), y) = y ln(1 + e^{−z}) + (1 − y) ln(1 + e^{z}) with mpmath, rounded to float64.

    An oracle for accuracy checks: ``digits`` significant digits, no overflow for any
    finite z (mpmath's exponent range is unbounded).

    Parameters
    ----------
    z : array_like
        Weighted inputs, any finite values.
    y : array_like
        Targets in [0, 1], same shape as ``z``.
    digits : int
        Working precision in decimal digits (at least 20).
    """
    func = "cross_entropy_reference"
    z, y = _z_and_y(z, y, func)
    if isinstance(digits, bool) or not isinstance(digits, int) or digits < 20:
        raise ValueError(f"{func}: argument 'digits' must be an integer ≥ 20 (got {digits!r})")
    out = np.empty_like(z)
    with mpmath.workdps(digits):
        for index, (zi, yi) in enumerate(zip(z.flat, y.flat, strict=True)):
            t, target = mpmath.mpf(float(zi)), mpmath.mpf(float(yi))
            value = (target * mpmath.log1p(mpmath.exp(-t))
                     + (1 - target) * mpmath.log1p(mpmath.exp(t)))
            out.flat[index] = float(value)
    return _out(out)


def combine_checks(results: Iterable[CheckResult], name: str) -> CheckResult:
    """One report line for several checks of the same kind: the worst error, one tolerance.

    Parameters
    ----------
    results : iterable of CheckResult
        At least one; all with the same tolerance, kind of error and stated resolution.
    name : str
        Label for the combined line.
    """
    results = list(results)
    if not results or not all(isinstance(r, CheckResult) for r in results):
        raise TypeError("combine_checks: argument 'results' must be a non-empty list of "
                        "CheckResult")
    if len({(r.tolerance, r.kind, r.resolution) for r in results}) != 1:
        raise ValueError("combine_checks: the results must share one tolerance, kind and "
                         "resolution")
    worst = max(r.worst_error for r in results)
    first = results[0]
    return CheckResult(name, worst, first.tolerance, first.kind, first.resolution)


# --------------------------------------------------------------------------- the neuron


def _z_and_y(z: Any, y: Any, func: str) -> tuple[np.ndarray, np.ndarray]:
    z = as_float_array(z, "z", func=func)
    y = require_closed_unit(y, "y", func=func)
    require_same_shape(z, y, ("z", "y"), func=func)
    return z, y


def cost_from_z(z: Any, y: Any, cost: str = "cross_entropy") -> np.ndarray | np.float64:
    """C(σ(z), y) computed from the weighted input, elementwise and finite for every z.

    Parameters
    ----------
    z : array_like
        Weighted inputs, any finite values.
    y : array_like
        Targets in [0, 1], same shape as ``z``.
    cost : {"quadratic", "cross_entropy"}
        The cross-entropy goes through :func:`nblib.cross_entropy_from_z` (softplus form).
    """
    func = "cost_from_z"
    cost = _cost_name(cost, func)
    z, y = _z_and_y(z, y, func)
    if cost == "quadratic":
        return quadratic_cost(sigmoid(z), y)
    return cross_entropy_from_z(z, y)


def dcost_dz(z: Any, y: Any, cost: str = "cross_entropy") -> np.ndarray | np.float64:
    """∂C/∂z = ∂C/∂a · σ′(z), elementwise: the factor every weight's gradient shares.

    Quadratic: (σ(z) − y) σ′(z). Cross-entropy: σ(z) − y (the σ′ cancels), computed
    without ever dividing by σ′(z), so it stays exact where σ′ underflows.

    Parameters
    ----------
    z : array_like
        Weighted inputs, any finite values.
    y : array_like
        Targets in [0, 1], same shape as ``z``.
    cost : {"quadratic", "cross_entropy"}
    """
    func = "dcost_dz"
    cost = _cost_name(cost, func)
    z, y = _z_and_y(z, y, func)
    if cost == "quadratic":
        with np.errstate(under="ignore"):
            return _out(np.asarray((sigmoid(z) - y) * sigmoid_prime(z)))
    return _out(np.asarray(sigmoid(z) - y))


def _neuron(
    w: Any, x: Any, b: Any, y: Any, func: str
) -> tuple[np.ndarray, np.ndarray, float, float, float]:
    """Validate one neuron's weights, input, bias and target; return them with z."""
    w = as_float_array(w, "w", func=func)
    x = as_float_array(x, "x", func=func)
    if w.ndim != 1:
        raise ValueError(f"{func}: argument 'w' must be one-dimensional (got shape {w.shape})")
    require_same_shape(w, x, ("w", "x"), func=func)
    b = as_scalar(b, "b", func=func)
    y = float(require_closed_unit(as_scalar(y, "y", func=func), "y", func=func))
    with np.errstate(over="ignore", invalid="ignore"):
        z = float(np.dot(w, x) + b)
    if not np.isfinite(z):
        raise ValueError(f"{func}: the weighted input w·x + b overflows float64")
    return w, x, b, y, z


def neuron_cost(w: Any, x: Any, b: float, y: float, cost: str = "cross_entropy") -> float:
    """The cost C(σ(w·x + b), y) of one neuron on one example.

    Parameters
    ----------
    w, x : array_like
        Weights and input, one-dimensional, same length.
    b : float
        Bias.
    y : float
        Target in [0, 1].
    cost : {"quadratic", "cross_entropy"}
    """
    func = "neuron_cost"
    cost = _cost_name(cost, func)
    *_, y, z = _neuron(w, x, b, y, func)
    return float(cost_from_z(z, y, cost))


def weight_gradient(w: Any, x: Any, b: float, y: float,
                    cost: str = "cross_entropy") -> np.ndarray:
    """∂C/∂w_j = ∂C/∂a · σ′(z) · x_j for every j, as one array.

    Parameters
    ----------
    w, x : array_like
        Weights and input, one-dimensional, same length.
    b : float
        Bias.
    y : float
        Target in [0, 1].
    cost : {"quadratic", "cross_entropy"}

    Returns
    -------
    numpy.ndarray
        The gradient: the factor :func:`dcost_dz` (the same for every j) times x. An
        entry with x_j = 0 is exactly 0.
    """
    func = "weight_gradient"
    cost = _cost_name(cost, func)
    _, x, _, y, z = _neuron(w, x, b, y, func)
    with np.errstate(under="ignore"):
        return float(dcost_dz(z, y, cost)) * x


def input_with_same_z(x: Any, w: Any, j: int, xj: float, via: int) -> np.ndarray:
    """A new input with entry j set to ``xj`` and entry ``via`` moved so that w·x is unchanged.

    Parameters
    ----------
    x, w : array_like
        Input and weights, one-dimensional, same length.
    j : int
        The entry to set.
    xj : float
        Its new value.
    via : int
        The entry that compensates, x_via − w_j (xj − x_j)/w_via; needs w_via ≠ 0.

    Returns
    -------
    numpy.ndarray
        The new input. In exact arithmetic w·x is the same; in float64 it agrees to
        rounding (exactly, when all the numbers involved are short binary fractions).
    """
    func = "input_with_same_z"
    x = as_float_array(x, "x", func=func)
    w = as_float_array(w, "w", func=func)
    if x.ndim != 1:
        raise ValueError(f"{func}: argument 'x' must be one-dimensional (got shape {x.shape})")
    require_same_shape(x, w, ("x", "w"), func=func)
    for name, index in (("j", j), ("via", via)):
        if isinstance(index, bool | np.bool_) or not isinstance(index, int | np.integer):
            raise TypeError(f"{func}: argument '{name}' must be an integer "
                            f"(got {type(index).__name__})")
        if not 0 <= index < x.size:
            raise ValueError(f"{func}: argument '{name}' is {index}, out of range for an "
                             f"input of length {x.size}")
    if j == via:
        raise ValueError(f"{func}: arguments 'j' and 'via' must differ (both are {j})")
    if w[via] == 0:
        raise ValueError(f"{func}: argument 'w' has w[{via}] = 0, so input {via} cannot "
                         "compensate; choose another 'via'")
    xj = as_scalar(xj, "xj", func=func)
    out = x.copy()
    out[via] = x[via] - w[j] * (xj - x[j]) / w[via]
    out[j] = xj
    return out


# --------------------------------------------------------------------------- symbolic


class Softplus(sp.Function):
    """softplus(t) = ln(1 + e^t); shown by name, checked as its definition."""

    nargs = 1

    def doit(self, deep: bool = True, **hints: Any) -> sp.Expr:
        """Replace softplus by its definition."""
        (t,) = self.args
        if deep:
            t = t.doit(deep=deep, **hints)
        return sp.log(1 + sp.exp(t))

    def fdiff(self, argindex: int = 1) -> sp.Expr:
        """softplus′(t) = e^t/(1 + e^t) = σ(t)."""
        (t,) = self.args
        return sp.exp(t) / (1 + sp.exp(t))

    def _latex(self, printer: Any, exp: str | None = None) -> str:
        power = f"^{{{exp}}}" if exp else ""
        return (r"\operatorname{softplus}" + power + r"\left(" + printer.doprint(self.args[0])
                + r"\right)")

    def _sympystr(self, printer: Any) -> str:
        return "softplus(" + printer.doprint(self.args[0]) + ")"


_NAMED_INPUTS: dict[str, type] = {}


class WeightedInput(sp.Function):
    """The weighted input z = Σ_i w_i x_i + b, shown as z, checked as the sum it stands for.

    Wrap the sum once (``z = WeightedInput(w1*x1 + … + b)``) and derivatives with respect
    to the weights still see through it, while every line of a derivation reads "σ(z)".
    :meth:`named` makes a variant shown under another name, e.g. z′ for a second input.
    """

    nargs = 1
    display = "z"

    @classmethod
    def named(cls, display: str) -> type[WeightedInput]:
        """A weighted input shown as ``display`` (LaTeX) instead of z."""
        if not isinstance(display, str) or not display:
            raise TypeError("WeightedInput.named: argument 'display' must be a non-empty str")
        if display not in _NAMED_INPUTS:  # one class per name, so equal names are equal
            _NAMED_INPUTS[display] = type(f"WeightedInput{len(_NAMED_INPUTS) + 1}", (cls,),
                                          {"display": display})
        return _NAMED_INPUTS[display]

    def doit(self, deep: bool = True, **hints: Any) -> sp.Expr:
        """Replace z by the sum it stands for."""
        (total,) = self.args
        return total.doit(deep=deep, **hints) if deep else total

    def fdiff(self, argindex: int = 1) -> sp.Expr:
        """z is the identity applied to the sum, so its derivative is 1."""
        return sp.S.One

    def _latex(self, printer: Any, exp: str | None = None) -> str:
        return f"{self.display}^{{{exp}}}" if exp else self.display

    def _sympystr(self, printer: Any) -> str:
        return self.display


_BOUND = sp.Symbol("u_bound")


def subs_hint(expr: sp.Expr) -> sp.Expr:
    """A rewrite for :class:`~nblib.derivation.Derivation`'s ``hints``: equal ``Subs`` made equal.

    Differentiating C(σ(z), y) for an undefined C gives ∂C/∂a as a ``Subs`` whose bound
    variable is a fresh dummy and whose point is left unevaluated, so two copies of the same
    ∂C/∂a do not cancel and the zero test falls through to a slow ``simplify``. This renames
    every single-variable ``Subs``'s bound variable to one fixed symbol, evaluates its point,
    and cancels.
    """

    def rename(s: sp.Subs) -> sp.Expr:
        (variable,), (point,) = s.variables, s.point
        return sp.Subs(s.expr.xreplace({variable: _BOUND}), _BOUND, point.doit())

    return sp.cancel(sp.sympify(expr).replace(
        lambda e: isinstance(e, sp.Subs) and len(e.variables) == 1, rename))


def unit_interval_substitution(symbols: Iterable[sp.Symbol]) -> dict[sp.Symbol, sp.Expr]:
    """Map each symbol s to 1/(1 + t_s) with t_s > 0, which runs over exactly (0, 1).

    SymPy cannot assume "0 < a < 1" directly; after this substitution its sign rules can
    reason about a and 1 − a = t_a/(1 + t_a) as positive quantities.
    """
    out = {}
    for s in symbols:
        if not isinstance(s, sp.Symbol):
            raise TypeError(f"unit_interval_substitution: expected SymPy symbols, got {s!r}")
        out[s] = 1 / (1 + sp.Symbol(f"t_{{{s.name}}}", positive=True))
    return out


def _sign_on_unit_interval(expr: sp.Expr, unit: Mapping[sp.Symbol, sp.Expr]) -> tuple[sp.Expr,
                                                                                      str]:
    """Rewrite ``expr`` with the substitution and ask SymPy for its sign."""
    rewritten = sp.factor(sp.together(sp.sympify(expr).subs(unit)))
    if rewritten.is_positive:
        return rewritten, "positive"
    if rewritten.is_negative:
        return rewritten, "negative"
    return rewritten, "unknown"


def _ranges(unit: Mapping[sp.Symbol, sp.Expr]) -> str:
    return r",\ ".join(f"0 < {sp.latex(s)} < 1" for s in unit)


def _reason(text: str) -> str:
    """A reason as LaTeX: words in \\text{…}, ``$…$`` segments kept as mathematics."""
    parts = text.split("$")
    if len(parts) % 2 == 0:
        raise ValueError(f"reason {text!r} has an unmatched '$'")
    return " ".join(part if i % 2 else r"\text{" + part + "}"
                    for i, part in enumerate(parts) if part)


def _difference(lhs: sp.Expr, rhs: sp.Expr) -> sp.Expr:
    """lhs − rhs kept as written (just lhs when rhs is 0)."""
    if rhs == 0:
        return lhs
    with sp.evaluate(False):
        return lhs - rhs


def _pair_of(pair: Sequence[sp.Expr], name: str) -> tuple[sp.Expr, sp.Expr]:
    if isinstance(pair, sp.Basic) or len(pair) != 2:
        raise TypeError(f"Equivalence: argument '{name}' must be a pair (lhs, rhs)")
    return sp.sympify(pair[0]), sp.sympify(pair[1])


class Equivalence(Derivation):
    """A checked step "P ⇔ Q" between two equations P: L₁ = R₁ and Q: L₂ = R₂.

    It holds because L₂ − R₂ = f · (L₁ − R₁) for a factor f that is never 0 on the domain:
    then one difference is zero exactly when the other is. Both facts are checked: the
    identity as a one-step :class:`~nblib.derivation.Derivation` (symbolic zero test and
    30-digit numbers), the sign of f by SymPy after :func:`unit_interval_substitution`.
    It counts as two checked steps.

    Parameters
    ----------
    before, after : (lhs, rhs) pairs of SymPy expressions
        The equations P and Q, written as the source writes them (build them under
        ``sp.evaluate(False)`` to keep that form).
    factor : SymPy expression
        f, with L₂ − R₂ = f (L₁ − R₁).
    reason : str
        What the step does, e.g. "multiply both sides by $a(1-a)$".
    unit_symbols : iterable of symbols
        Symbols that live in (0, 1), for the sign of f.
    domains : mapping
        Sampling intervals for the numeric check.

    Raises
    ------
    StepError
        If the identity fails or cannot be decided, or the sign of f cannot be shown.
    """

    def __init__(
        self,
        before: Sequence[sp.Expr],
        after: Sequence[sp.Expr],
        factor: sp.Expr,
        *,
        reason: str,
        unit_symbols: Iterable[sp.Symbol] = (),
        domains: Mapping[sp.Basic, Domain] | None = None,
    ) -> None:
        self.before, self.after = _pair_of(before, "before"), _pair_of(after, "after")
        self.factor = sp.sympify(factor)
        self.reason = reason
        _reason(reason)  # an unmatched '$' is reported before any work is done
        with sp.evaluate(True):  # the checks need SymPy's automatic simplification
            super().__init__(_difference(*self.after), domains=domains)
            with sp.evaluate(False):
                scaled = self.factor * _difference(*self.before)
            self.step(scaled, reason)
            self.unit = unit_interval_substitution(unit_symbols)
            self.factor_form, self.factor_sign = _sign_on_unit_interval(self.factor, self.unit)
        if self.factor_sign == "unknown":
            raise StepError(f"equivalence ({reason!r}): cannot show that the factor "
                            f"{sp.sstr(self.factor)} is never 0 on the domain")

    @property
    def checked_steps(self) -> int:
        """The identity and the sign of the factor."""
        return super().checked_steps + 1

    def _repr_latex_(self) -> str:
        def eq(pair: tuple[sp.Expr, sp.Expr]) -> str:
            return f"{sp.latex(pair[0], order='none')} = {sp.latex(pair[1], order='none')}"

        head = f"$${eq(self.before)} \\iff {eq(self.after)}$$"
        relation = "> 0" if self.factor_sign == "positive" else "< 0"
        start, scaled = self.steps[0].expr, self.steps[1].expr
        rows = [
            f"{sp.latex(start, order='none')} &= {sp.latex(scaled, order='none')} "
            f"&& {_reason(self.reason)} && {CHECK}",
        ]
        if self.factor.is_number:
            rows.append(f"{sp.latex(self.factor)} &\\ne 0 && && {CHECK}")
        else:
            subs = r",\ ".join(f"{sp.latex(k)} = {sp.latex(v)}" for k, v in self.unit.items())
            rows.append(f"{sp.latex(self.factor)} &= {sp.latex(self.factor_form)} {relation} "
                        f"&& {_reason('for ')}{_ranges(self.unit)}\\ ({subs}) && {CHECK}")
        return head + "\n\n" + r"$$\begin{aligned}" + r"\\ ".join(rows) + r"\end{aligned}$$"

    def __str__(self) -> str:
        return (f"{sp.sstr(self.before[0])} = {sp.sstr(self.before[1])}  <=>  "
                f"{sp.sstr(self.after[0])} = {sp.sstr(self.after[1])}   [{self.reason}] ✓; "
                f"factor {sp.sstr(self.factor)} is {self.factor_sign} ✓")

    __repr__ = __str__


class Positivity(Derivation):
    """A checked claim "expr > 0 whenever every listed symbol lies in (0, 1)".

    The expression is rewritten with :func:`unit_interval_substitution` (a = 1/(1 + t_a)
    with t_a > 0, and so on); the rewriting is checked as a one-step
    :class:`~nblib.derivation.Derivation` in the new variables, and SymPy must then find
    the rewritten form positive. It counts as two checked steps.

    Parameters
    ----------
    expr : SymPy expression
    unit_symbols : iterable of symbols
        Symbols that live in (0, 1).
    lhs : str
        LaTeX for what the expression is, e.g. ``"C''(a)"``.

    Raises
    ------
    StepError
        If SymPy cannot show the rewritten expression positive.
    """

    def __init__(self, expr: sp.Expr, unit_symbols: Iterable[sp.Symbol], *, lhs: str = "") -> None:
        self.label = lhs
        with sp.evaluate(True):  # the checks need SymPy's automatic simplification
            self.expr = reevaluated(sp.sympify(expr))
            self.unit = unit_interval_substitution(unit_symbols)
            self.form, sign = _sign_on_unit_interval(self.expr, self.unit)
            if sign != "positive":
                raise StepError(f"Positivity: SymPy cannot show {sp.sstr(self.expr)} > 0 "
                                f"(rewritten: {sp.sstr(self.form)})")
            super().__init__(self.expr.subs(self.unit), lhs=lhs or None)
            self.step(self.form, "rewrite with " + ", ".join(
                f"${sp.latex(k)} = {sp.latex(v)}$" for k, v in self.unit.items()))

    @property
    def checked_steps(self) -> int:
        """The rewriting and the sign."""
        return super().checked_steps + 1

    @property
    def holds(self) -> bool:
        """True: the constructor raises otherwise."""
        return True

    def _repr_latex_(self) -> str:
        subs = r",\ ".join(f"{sp.latex(k)} = {sp.latex(v)}" for k, v in self.unit.items())
        head = f"{self.label} &= " if self.label else "& "
        rows = [
            f"{head}{sp.latex(self.expr)} && && ",
            f"&= {sp.latex(self.form)} && {_reason('with ')}{subs} && {CHECK}",
            f"&> 0 && {_reason('every factor is positive: ')}{_ranges(self.unit)} && {CHECK}",
        ]
        return r"$$\begin{aligned}" + r"\\ ".join(rows) + r"\end{aligned}$$"

    def __str__(self) -> str:
        return f"{sp.sstr(self.expr)} = {sp.sstr(self.form)} > 0 ✓"

    __repr__ = __str__
