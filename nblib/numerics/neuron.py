"""One sigmoid neuron and its cost in float64: exercises 2 and 3, problems 1 and 3, the slowdown.

The neuron computes z = w·x + b and a = σ(z); a cost C(a, y) compares a with the target y.

* floats: :func:`first_float_where` (the first float at which a predicate turns true),
  :func:`textbook_cross_entropy` (the formula exactly as printed, warnings and all);
* costs as functions of a: :func:`swapped_cross_entropy`, :func:`kl_divergence`,
  :func:`cost_prime`, :func:`cost_second`, :func:`cross_entropy_argmin`;
* the neuron: :func:`cost_from_z`, :func:`dcost_dz`, :func:`neuron_cost`,
  :func:`weight_gradient`, :func:`input_with_same_z`, and :func:`weight_gradient_size` (the
  size of ∂C/∂w of one output neuron, for problem 1's explorer).

The chapter's opening demo trains this neuron by gradient descent; that runs through the
network's one backprop, in :func:`nblib.network.curves.neuron_descent`.

Costs are named by a string, one of :data:`COSTS`. The same neuron in SymPy lives in
:mod:`nblib.proof.notation` and :mod:`nblib.proof.claims`; its mpmath oracle in
:mod:`nblib.reports.oracles`.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import numpy as np

from nblib.numerics.activations import (
    sigmoid,
    sigmoid_error,
    sigmoid_parts,
    sigmoid_prime_from_parts,
)
from nblib.numerics.costs import cross_entropy, cross_entropy_from_z, quadratic_cost
from nblib.numerics.validation import (
    as_float_array,
    as_scalar,
    require_closed_unit,
    require_finite_result,
    require_open_unit,
    require_same_shape,
    require_size,
)

__all__ = [
    "COSTS",
    "cost_from_z",
    "cost_prime",
    "cost_second",
    "cross_entropy_argmin",
    "cross_entropy_grid",
    "dcost_dz",
    "first_float_where",
    "input_with_same_z",
    "kl_divergence",
    "neuron_cost",
    "swapped_cross_entropy",
    "textbook_cross_entropy",
    "weight_gradient",
    "weight_gradient_size",
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
    with np.errstate(over="ignore", under="ignore"):  # see _log_ratio
        first = np.where(y > 0, y * _log_ratio(np.where(y > 0, y, 1.0), a), 0.0)
        second = np.where(y < 1, (1.0 - y) * np.log(np.where(y < 1, 1.0 - y, 1.0) / (1.0 - a)),
                          0.0)
    # Rounding can leave −1e-17 where the exact value is +1e-17; the divergence is ≥ 0.
    return _out(np.maximum(first + second, 0.0))


def _log_ratio(p: np.ndarray, q: np.ndarray) -> np.ndarray:
    """ln(p/q) for positive p and q: from the quotient when it is a normal float, else as
    ln p − ln q (p/q overflows or underflows when p and q are far apart, e.g. 1/5e-324).

    The caller ignores overflow and underflow.
    """
    ratio = p / q
    normal = (ratio >= np.finfo(np.float64).tiny) & (ratio <= np.finfo(np.float64).max)
    return np.where(normal, np.log(np.where(normal, ratio, 1.0)), np.log(p) - np.log(q))


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
    # ((a − y)/a)/(1 − a): every intermediate is at most the result in magnitude, so nothing
    # overflows unless the exact value does, and a subnormal a(1 − a) cannot round to 0.
    with np.errstate(over="ignore", under="ignore"):
        out = (a - y) / a / (1.0 - a)
    return _out(require_finite_result(out, func=func))


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
    # (y/a)/a rather than y/a²: a² underflows to 0 for a < 1e-162 (0/0 = NaN at y = 0);
    # both terms are ≥ 0, so the sum overflows only when the exact value does.
    with np.errstate(over="ignore", under="ignore"):
        out = y / a / a + (1.0 - y) / (1.0 - a) / (1.0 - a)
    return _out(require_finite_result(out, func=func))


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
    require_size(y.size * grid.size, "the table of costs", func=func)
    shape = (y.size, grid.size)
    return cross_entropy(np.broadcast_to(grid, shape), np.broadcast_to(y[:, None], shape))


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
    without ever dividing by σ′(z), so it stays exact where σ′ underflows; σ(z) − y keeps
    its relative accuracy where σ(z) rounds to 1 (it is −σ(−z) at y = 1).

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
    return _out(_dcost_dz(z, y, cost))


def _dcost_dz(z: np.ndarray, y: np.ndarray, cost: str) -> np.ndarray:
    """Unchecked ∂C/∂z, with σ(z) − y from :func:`~nblib.numerics.activations.sigmoid_error`
    (accurate where σ(z) rounds to 1)."""
    with np.errstate(under="ignore"):
        a, e, d = sigmoid_parts(z)
        error = sigmoid_error(z, a, y)
        return error * sigmoid_prime_from_parts(e, d) if cost == "quadratic" else error


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
    with np.errstate(over="ignore", invalid="ignore", under="ignore"):
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
        return float(_dcost_dz(np.array(z), np.array(y), cost)) * x


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
    with np.errstate(over="ignore", under="ignore", invalid="ignore"):
        out[via] = x[via] - w[j] * (xj - x[j]) / w[via]
    require_finite_result(out[via], func=func, what=f"the compensating entry x[{via}]")
    out[j] = xj
    return out



def weight_gradient_size(z: Any, y: float, cost: str, x: float = 1.0) -> np.ndarray:
    """|∂C/∂w| = x |a − y| σ′(z) (quadratic) or x |a − y| (cross-entropy), a = σ(z).

    One output neuron with input activation x = a_kᴸ⁻¹; elementwise in ``z``.
    """
    func = "weight_gradient_size"
    if not isinstance(cost, str) or cost not in COSTS:  # a ValueError here, whatever it is
        raise ValueError(f"{func}: argument 'cost' must be one of {COSTS} (got {cost!r})")
    z = as_float_array(z, "z", func=func)
    y = require_closed_unit(as_scalar(y, "y", func=func), "y", func=func)
    x = as_scalar(x, "x", func=func)
    with np.errstate(under="ignore"):
        return np.abs(_dcost_dz(z, np.broadcast_to(y, z.shape), cost)) * abs(x)
