"""Activation functions of Chapter 3: the sigmoid and the softmax.

Every function here is numerically stable for all finite inputs: it neither
overflows nor warns, even for ``|z|`` up to 1e308, and keeps working under a
user's ``np.seterr(all="raise")``.

Return convention for elementwise functions: a 0-d (scalar) input gives a
``numpy.float64`` scalar (usable wherever a Python float is), any other input an
``ndarray`` of the same shape.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from nblib.numerics.validation import (
    as_axis,
    as_float_array,
    as_scalar,
    require_finite_result,
)

__all__ = ["log_softmax", "sigmoid", "sigmoid_prime", "softmax"]


def sigmoid(z: Any) -> np.ndarray | np.float64:
    """Sigmoid σ(z) = 1/(1 + e^{−z}), elementwise.

    Parameters
    ----------
    z : array_like
        Weighted inputs; any finite real values.

    Returns
    -------
    numpy.ndarray or numpy.float64
        σ(z), with the shape of ``z`` (a scalar for scalar input).

    Notes
    -----
    Only e^{−|z|} ≤ 1 is ever computed, as 1/(1 + e^{−|z|}) for z ≥ 0 and
    e^{−|z|}/(1 + e^{−|z|}) for z < 0, so nothing overflows and
    σ(−z) = 1 − σ(z) holds to rounding.  In float64 σ(z) rounds to exactly 1.0
    for z ≳ 36.7 and to 0.0 for z ≲ −745.
    """
    z = as_float_array(z, "z", func="sigmoid")
    with np.errstate(under="ignore"):  # e^{−|z|} → 0 for huge |z| is the right limit
        out = sigmoid_parts(z)[0]
    return out if out.ndim else out[()]


def sigmoid_prime(z: Any) -> np.ndarray | np.float64:
    """Derivative σ′(z) = σ(z)(1 − σ(z)), elementwise.

    Parameters
    ----------
    z : array_like
        Weighted inputs; any finite real values.

    Returns
    -------
    numpy.ndarray or numpy.float64
        σ′(z), with the shape of ``z`` (a scalar for scalar input).

    Notes
    -----
    Computed as e^{−|z|}/(1 + e^{−|z|})², which equals σ(z)(1 − σ(z)) but avoids
    the cancellation in 1 − σ(z) for large z, so it keeps full relative accuracy
    until it underflows (|z| ≳ 745).
    """
    z = as_float_array(z, "z", func="sigmoid_prime")
    with np.errstate(under="ignore"):
        out = sigmoid_prime_from_parts(*sigmoid_parts(z)[1:])
    return out if out.ndim else out[()]


# Unchecked kernels ------------------------------------------------------------------
# Each stable formula of this module is written once, here. The public functions of
# nblib.numerics validate their arguments, then call these; nblib.network calls them
# directly on its own finite float64 arrays, which it validated at its boundary (and where
# validating again would cost more than the arithmetic of one mini-batch). Callers run them
# with underflow ignored.


def sigmoid_parts(z: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Unchecked σ(z) = 1/(1 + e) for z ≥ 0 and e/(1 + e) for z < 0, with e = e^{−|z|}.

    Returns (σ(z), e, 1 + e); the last two give σ′(z) without a second exponential.
    """
    # Explicit buffers: arithmetic on a 0-d array would return a scalar, not an array.
    e = np.minimum(z, -z, out=np.empty_like(z))  # −|z|, exactly
    np.exp(e, out=e)
    d = np.add(e, 1.0, out=np.empty_like(e))
    a = np.where(z >= 0, 1.0, e)
    a /= d
    return a, e, d


def sigmoid_prime_from_parts(e: np.ndarray, d: np.ndarray) -> np.ndarray:
    """Unchecked σ′ = e/(1 + e)² from :func:`sigmoid_parts`; overwrites ``e`` and ``d``.

    Near z = 0 rounding can exceed the exact maximum ¼ by an ulp: the result is clipped.
    """
    np.multiply(d, d, out=d)
    np.divide(e, d, out=e)
    return np.minimum(e, 0.25, out=e)


def sigmoid_error(z: np.ndarray, a: np.ndarray, y: np.ndarray) -> np.ndarray:
    """Unchecked σ(z) − y for targets y in [0, 1], given a = σ(z), with full relative accuracy.

    For y < ½ it is a − y. For y ≥ ½ it is (1 − y) − σ(−z): 1 − y is exact there and σ(−z)
    = 1 − σ(z) comes from its own exponential, so a saturated output (a rounded to 1.0)
    still gives −σ(−z) at y = 1 where a − y would give exactly 0. Either way the only
    rounding before the last subtraction is in σ itself.
    """
    with np.errstate(under="ignore"):
        return np.where(y >= 0.5, (1.0 - y) - sigmoid_parts(-z)[0], a - y)


def softmax_error(a: np.ndarray, y: np.ndarray, axis: int) -> np.ndarray:
    """Unchecked a·Σ_k y_k − y along ``axis`` (a − y for targets summing to 1), accurately.

    Written as a_j Σ_{k≠j} y_k − y_j Σ_{k≠j} a_k, which is the same when Σ_k a_k = 1: the two
    sums over the *other* entries add nonnegative terms, so nothing cancels before the last
    subtraction. For a one-hot y the target's entry is −Σ_{k≠j} a_k, accurate where a_j has
    rounded to 1 (and a_j − 1 would be exactly 0), and every other entry is a_j itself.
    """
    with np.errstate(under="ignore"):
        return a * _sum_of_others(y, axis) - y * _sum_of_others(a, axis)


def _sum_of_others(x: np.ndarray, axis: int) -> np.ndarray:
    """Σ_{k≠j} x_k for every j along ``axis``: the sum before j plus the sum after it."""
    x0 = np.moveaxis(x, axis, 0)
    before = np.zeros_like(x0)
    np.cumsum(x0[:-1], axis=0, out=before[1:])
    after = np.zeros_like(x0)
    np.cumsum(x0[:0:-1], axis=0, out=after[-2::-1])
    return np.moveaxis(before + after, 0, axis)


def softplus_parts(z: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Unchecked (softplus(z), softplus(−z)), softplus(t) = ln(1 + e^t) = −ln σ(−t).

    Both are max(±z, 0) + ln(1 + e^{−|z|}): one exponential of −|z| ≤ 0 serves the two, as in
    :func:`sigmoid_parts`, so nothing overflows and both keep full relative accuracy.
    """
    tail = np.minimum(z, -z, out=np.empty_like(z))  # −|z|, exactly
    np.exp(tail, out=tail)
    np.log1p(tail, out=tail)
    return np.maximum(z, 0.0) + tail, np.maximum(-z, 0.0) + tail


def softmax_of_shifted(t: np.ndarray, axis: int) -> np.ndarray:
    """Unchecked e^{t}/Σ e^{t} along ``axis`` for shifted logits t ≤ 0 (one t = 0).

    Overwrites ``t`` (it is a temporary of the caller's) to spare a large allocation.
    """
    e = np.exp(t, out=t)
    e /= e.sum(axis=axis, keepdims=True)
    return e


def log_softmax_of_shifted(t: np.ndarray, axis: int) -> np.ndarray:
    """Unchecked t − ln Σ e^{t} along ``axis`` for shifted logits t ≤ 0 (one t = 0).

    The sum lies in [1, n], so its logarithm is finite and ≥ 0. Overwrites ``t``.
    """
    t -= np.log(np.exp(t).sum(axis=axis, keepdims=True))
    return t


def shifted(z: np.ndarray, c: float = 1.0, axis: int = -1) -> np.ndarray:
    """Unchecked t = c·(z − z_ext) along ``axis``: every t ≤ 0, with t = 0 at the extreme.

    z_ext is the max of z for c ≥ 0 and the min for c < 0, so that c·z − c·z_ext ≤ 0
    and e^t never overflows.  The shift comes *before* the product: c·z itself may
    overflow (c = 1e6, z = 1e300) while z − z_ext cannot produce inf − inf.
    """
    if c == 0:
        # 0·(−inf) would be NaN when z − z_ext overflows; the limit is plainly 0.
        return np.zeros_like(z)
    extreme = z.max(axis=axis, keepdims=True) if c > 0 else z.min(axis=axis, keepdims=True)
    # Overflow to −inf (e.g. −1e308 − 1e308, or c = 1e300) is the right limit, e^t = 0;
    # underflow only happens for subnormal c and is harmless too.
    with np.errstate(over="ignore", under="ignore"):
        t = z - extreme
        if c != 1.0:  # the usual c = 1 needs no product, and no second 80 MB temporary
            t *= c
        return t


def _validate_softmax_args(z: Any, c: Any, axis: Any, func: str) -> tuple[np.ndarray, float, int]:
    """Validate the arguments shared by :func:`softmax` and :func:`log_softmax`."""
    z = as_float_array(z, "z", func=func)
    if z.ndim == 0:
        raise ValueError(
            f"{func}: argument 'z' needs at least one neuron: got a single number, "
            "pass a 1-d array of weighted inputs"
        )
    c = as_scalar(c, "c", func=func)
    axis = as_axis(axis, z.ndim, func=func)
    return z, c, axis


def softmax(z: Any, c: float = 1.0, axis: int = -1) -> np.ndarray:
    """Softmax a_j = e^{c z_j} / Σ_k e^{c z_k} along ``axis``.

    Parameters
    ----------
    z : array_like
        Weighted inputs, at least one-dimensional; each slice along ``axis`` is one
        layer of neurons.
    c : float
        Finite real factor of any sign.  c = 0 gives the uniform distribution,
        c → +∞ the indicator of the arg-max (1/m on m tied maxima), c → −∞ that of
        the arg-min.
    axis : int
        Axis holding the neurons.

    Returns
    -------
    numpy.ndarray
        Activations with the shape of ``z``; each slice along ``axis`` sums to 1
        within a few ulps.

    Notes
    -----
    Computed as e^{t_j}/Σ_k e^{t_k} with t = c·(z − z_ext) ≤ 0, which never overflows
    and never warns for any finite z and c; entries whose t is below about −745
    underflow to exactly 0 (use :func:`log_softmax` when their logarithm is needed).
    """
    z, c, axis = _validate_softmax_args(z, c, axis, "softmax")
    t = shifted(z, c, axis)
    with np.errstate(under="ignore"):
        # At least one e^t equals 1 (t = 0 at the extreme), so the sum is ≥ 1.
        return softmax_of_shifted(t, axis)


def log_softmax(z: Any, c: float = 1.0, axis: int = -1) -> np.ndarray:
    """Logarithm of :func:`softmax`, ln a_j = t_j − ln Σ_k e^{t_k} with t = c·(z − z_ext).

    Parameters
    ----------
    z : array_like
        Weighted inputs, at least one-dimensional.
    c : float
        Finite real factor of any sign, as in :func:`softmax`.
    axis : int
        Axis holding the neurons.

    Returns
    -------
    numpy.ndarray
        ln a with the shape of ``z``.

    Notes
    -----
    Finite wherever softmax merely underflows to 0 (e.g. z = [0, −1000] gives
    [0, −1000]), which is the cure for ln 0 in the log-likelihood cost.  Where
    c·(z_j − z_ext) itself is beyond −1.8e308 the exact value is not representable
    either, and a ``ValueError`` says so.
    """
    func = "log_softmax"
    z, c, axis = _validate_softmax_args(z, c, axis, func)
    t = shifted(z, c, axis)
    with np.errstate(under="ignore"):
        return require_finite_result(log_softmax_of_shifted(t, axis), func=func)
