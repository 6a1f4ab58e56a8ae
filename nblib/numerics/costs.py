"""Cost functions of Chapter 3, per training example.

Elementwise costs (:func:`quadratic_cost`, :func:`cross_entropy`,
:func:`cross_entropy_from_z`, :func:`binary_entropy`) return one value per output
neuron; a network's cost for one example is their sum over the output neurons, and
the book's C averages that over the training examples.  :func:`log_likelihood`
already sums over the neurons along ``axis``.

Return convention: scalar input gives a ``numpy.float64`` scalar, anything else an
``ndarray``.  No function here warns for any valid input.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from nblib.numerics.activations import softplus_parts
from nblib.numerics.validation import (
    as_axis,
    as_float_array,
    require_closed_unit,
    require_distribution,
    require_finite_result,
    require_interval,
    require_open_unit,
    require_same_shape,
)

__all__ = [
    "binary_entropy",
    "cross_entropy",
    "cross_entropy_from_z",
    "log_likelihood",
    "quadratic_cost",
    "softplus",
]

_FROM_Z_HINT = (
    "in float64 a = σ(z) rounds to exactly 1.0 for z ≳ 36.7 (and to 0.0 for z ≲ −745), "
    "so use cross_entropy_from_z(z, y), which takes the weighted input z and is finite "
    "for every finite z"
)


def _pair(a: Any, y: Any, names: tuple[str, str], func: str) -> tuple[np.ndarray, np.ndarray]:
    """Convert two same-shaped arguments to float64 arrays."""
    a = as_float_array(a, names[0], func=func)
    y = as_float_array(y, names[1], func=func)
    require_same_shape(a, y, names, func=func)
    return a, y


def quadratic_cost(a: Any, y: Any) -> np.ndarray | np.float64:
    """Quadratic cost ½(a − y)², elementwise.

    Parameters
    ----------
    a : array_like
        Output activations.
    y : array_like
        Desired outputs, same shape as ``a``.

    Returns
    -------
    numpy.ndarray or numpy.float64
        One value per output neuron; sum them for the example's cost ½‖a − y‖².

    Raises
    ------
    ValueError
        When |a − y| exceeds about 1.9e154 (far outside the range of any activation):
        the cost is then beyond float64's range.
    """
    func = "quadratic_cost"
    a, y = _pair(a, y, ("a", "y"), func)
    with np.errstate(over="ignore", under="ignore"):
        d = a - y  # (½d)·d, not ½(d²): d² may overflow where the cost does not
        out = require_finite_result((0.5 * d) * d, func=func, what="the cost")
    return out if out.ndim else out[()]


def cross_entropy(a: Any, y: Any) -> np.ndarray | np.float64:
    """Cross-entropy −[y ln a + (1 − y) ln(1 − a)], elementwise.

    Parameters
    ----------
    a : array_like
        Output activations, strictly between 0 and 1.
    y : array_like
        Desired outputs in [0, 1], same shape as ``a``.

    Returns
    -------
    numpy.ndarray or numpy.float64
        One value per output neuron; sum them for the example's cost.

    Raises
    ------
    ValueError
        If some a is 0 or 1.  For a = σ(z) that cannot happen in exact arithmetic
        but does in float64; the message points to :func:`cross_entropy_from_z`.
    """
    func = "cross_entropy"
    a, y = _pair(a, y, ("a", "y"), func)
    require_open_unit(a, "a", func=func, hint=_FROM_Z_HINT)
    require_closed_unit(y, "y", func=func)
    with np.errstate(under="ignore"):  # tiny y·ln a may be subnormal: harmless
        out = -(y * np.log(a) + (1.0 - y) * np.log1p(-a))  # log1p: ln(1 − a) stays accurate
    return out if out.ndim else out[()]


def softplus(t: Any) -> np.ndarray | np.float64:
    """Softplus ln(1 + e^t), elementwise and stable for every finite t.

    Parameters
    ----------
    t : array_like
        Any finite real values.

    Returns
    -------
    numpy.ndarray or numpy.float64
        ln(1 + e^t), computed as max(t, 0) + ln(1 + e^{−|t|}): no overflow, no
        warning, and full relative accuracy on both sides.
    """
    t = as_float_array(t, "t", func="softplus")
    with np.errstate(under="ignore"):  # e^{−|t|} → 0 for large |t| is the right limit
        out = softplus_parts(t)[0]
    return out if out.ndim else out[()]


def cross_entropy_from_z(z: Any, y: Any) -> np.ndarray | np.float64:
    """Cross-entropy of a = σ(z), written in terms of the weighted input z.

    Parameters
    ----------
    z : array_like
        Weighted inputs of the output neurons; any finite values.
    y : array_like
        Desired outputs in [0, 1], same shape as ``z``.

    Returns
    -------
    numpy.ndarray or numpy.float64
        y·softplus(−z) + (1 − y)·softplus(z), which equals
        −[y ln σ(z) + (1 − y) ln(1 − σ(z))] since −ln σ(z) = softplus(−z) and
        −ln(1 − σ(z)) = softplus(z).  Finite for every finite z (e.g. (1 − y)·1e300
        at z = 1e300), where :func:`cross_entropy` would need ln 0.
    """
    z, y = _pair(z, y, ("z", "y"), "cross_entropy_from_z")
    require_closed_unit(y, "y", func="cross_entropy_from_z")
    with np.errstate(under="ignore"):
        positive, negative = softplus_parts(z)
        out = y * negative + (1.0 - y) * positive
    return out if out.ndim else out[()]


def log_likelihood(a: Any, y: Any, axis: int = -1) -> np.ndarray | np.float64:
    """Log-likelihood cost −Σ_j y_j ln a_j along ``axis``.

    Parameters
    ----------
    a : array_like
        Softmax outputs: in [0, 1], summing to 1 along ``axis``, and positive wherever
        ``y`` is.
    y : array_like
        Desired outputs, a distribution along ``axis`` (one-hot or soft labels),
        same shape as ``a``.
    axis : int
        Axis holding the output neurons; it is summed away.

    Returns
    -------
    numpy.ndarray or numpy.float64
        The cost of each example; a scalar for 1-d input.  For one-hot y this is
        −ln a_y as in the book.

    Raises
    ------
    ValueError
        If some a_j = 0 where y_j > 0 (ln 0; the message suggests
        :func:`~nblib.numerics.activations.log_softmax`), or if ``a`` or ``y`` is not a distribution
        along ``axis``.
    """
    func = "log_likelihood"
    a, y = _pair(a, y, ("a", "y"), func)
    if a.ndim == 0:
        raise ValueError(
            f"{func}: arguments 'a' and 'y' need at least one output neuron: "
            "got single numbers, pass 1-d arrays"
        )
    axis = as_axis(axis, a.ndim, func=func)
    why = (
        "the cost takes ln a_j, and a softmax output that underflowed to 0 gives ln 0 = −inf; "
        "compute −Σ_j y_j log_softmax(z)_j from the weighted inputs z instead"
    )
    require_interval(a, "a", func=func, low=0.0, high=1.0, closed=(True, True))
    require_distribution(a, "a", func=func, axis=axis)
    require_distribution(y, "y", func=func, axis=axis)
    # Only the entries with y_j > 0 enter the cost: a non-target output that underflowed
    # to 0 is harmless (0·ln 0 = 0), a target output at 0 is an infinite cost.
    needed = y > 0
    require_interval(a[needed], "a", func=func, low=0.0, high=1.0, closed=(False, True),
                     why=why.replace("a_j", "a_j where y_j > 0"))
    with np.errstate(under="ignore", divide="ignore"):
        out = -np.where(needed, y * np.log(np.where(needed, a, 1.0)), 0.0).sum(axis=axis)
    return out if out.ndim else out[()]


def binary_entropy(y: Any) -> np.ndarray | np.float64:
    """Binary entropy H(y) = −y ln y − (1 − y) ln(1 − y), elementwise.

    Parameters
    ----------
    y : array_like
        Probabilities in [0, 1].

    Returns
    -------
    numpy.ndarray or numpy.float64
        H(y) in nats, with H(0) = H(1) = 0 by the convention 0 ln 0 = 0.  It is the
        minimum over a of the cross-entropy, reached at a = y.
    """
    y = require_closed_unit(y, "y", func="binary_entropy")
    # Evaluate the logs only where the argument is positive, so 0 ln 0 = 0 without
    # the divide-by-zero warning and NaN that np.log(0) would bring.
    ln_y = np.log(np.where(y > 0, y, 1.0))
    ln_1my = np.log1p(-np.where(y < 1, y, 0.0))
    with np.errstate(under="ignore"):
        out = 0.0 - (y * ln_y + (1.0 - y) * ln_1my)  # 0.0 − (…) turns −0.0 into +0.0
    return out if out.ndim else out[()]
