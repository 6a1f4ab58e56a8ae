"""A softmax output layer in float64, for Problems 4–6.

:func:`inverse_softmax` (ln a + C), :func:`entropy`, :func:`softmax_limit` (the c → ±∞ and
c → 0 limits of e^{c z_j}/Σ_k e^{c z_k}, ties included), :func:`one_hot`, and a layer
z = w x + b under the log-likelihood cost C = −ln a_ỹ: :func:`layer_cost` and
:func:`layer_gradients` (equations (81) and (82)). The checks of those gradients against
central differences are in :mod:`nblib.reports.layer`; the notation the proofs write the
layer in, in :mod:`nblib.proof.notation`.
"""

from __future__ import annotations

import numbers
from typing import Any

import numpy as np

from nblib.numerics.activations import log_softmax, softmax, softmax_error
from nblib.numerics.validation import (
    as_axis,
    as_count,
    as_float_array,
    as_labels,
    as_scalar,
    require_distribution,
    require_size,
)

__all__ = [
    "entropy",
    "inverse_softmax",
    "layer_cost",
    "layer_gradients",
    "one_hot",
    "softmax_limit",
]


# --------------------------------------------------------------------------- distributions


def _distribution(a: Any, func: str, axis: Any) -> tuple[np.ndarray, int]:
    """Validate a probability distribution along ``axis`` (at least 1-d)."""
    a = require_distribution(a, "a", func=func, axis=axis)
    return a, as_axis(axis, a.ndim, func=func)


def inverse_softmax(a: Any, constant: float = 0.0, axis: int = -1) -> np.ndarray:
    """Weighted inputs z = ln a + C that a softmax layer maps to ``a`` (Problem 4).

    Parameters
    ----------
    a : array_like
        Softmax outputs: positive, summing to 1 along ``axis``.
    constant : float
        The free constant C; every choice gives back ``a`` under softmax.
    axis : int
        Axis holding the neurons.

    Returns
    -------
    numpy.ndarray
        ln a + C, with the shape of ``a``.

    Raises
    ------
    ValueError
        If ``a`` is not a distribution, or some a_j = 0: an output that underflowed to 0
        has lost its weighted input (ln 0 = −inf); take ``log_softmax(z)`` instead.
    """
    func = "inverse_softmax"
    a, axis = _distribution(a, func, axis)
    constant = as_scalar(constant, "constant", func=func)
    zero = a == 0
    if zero.any():
        where = tuple(int(i) for i in np.argwhere(zero)[0])
        raise ValueError(
            f"{func}: argument 'a' has a_j = 0 at index {where if a.ndim > 1 else where[0]}: "
            "ln 0 = −inf, so that weighted input cannot be recovered (the output underflowed); "
            "compute log_softmax(z) from the weighted inputs instead"
        )
    return np.log(a) + constant


def entropy(a: Any, axis: int = -1) -> np.ndarray | np.float64:
    """Entropy H(a) = −Σ_j a_j ln a_j of a distribution, in nats, with 0 ln 0 = 0.

    Parameters
    ----------
    a : array_like
        Probabilities summing to 1 along ``axis``.
    axis : int
        Axis holding the outcomes; it is summed away.

    Returns
    -------
    numpy.ndarray or numpy.float64
        H in [0, ln n]: ln n for the uniform distribution on n outcomes, ln m for 1/m on m
        of them, 0 for a certainty.  A scalar for 1-d input.
    """
    a, axis = _distribution(a, "entropy", axis)
    positive = a > 0
    # Take logs only where a > 0, so 0 ln 0 = 0 without a divide-by-zero warning.
    with np.errstate(under="ignore"):
        terms = np.where(positive, a * np.log(np.where(positive, a, 1.0)), 0.0)
        out = 0.0 - terms.sum(axis=axis)  # 0.0 − (…) turns −0.0 into +0.0
    return out if out.ndim else out[()]


def softmax_limit(z: Any, c: float, axis: int = -1) -> np.ndarray:
    """The limit of softmax(z, c) = e^{c z_j}/Σ_k e^{c z_k} as c → +∞, −∞ or 0 (Problem 6).

    Parameters
    ----------
    z : array_like
        Weighted inputs, at least one-dimensional.
    c : float
        ``np.inf``: 1/m on the m maximal inputs, 0 elsewhere (the arg-max indicator when
        the maximum is unique); ``-np.inf``: the same on the minimal inputs; ``0``: the
        uniform distribution 1/n.
    axis : int
        Axis holding the neurons.

    Returns
    -------
    numpy.ndarray
        The limiting distribution, with the shape of ``z``. Ties are exact float64 ties.
    """
    func = "softmax_limit"
    if isinstance(c, bool | np.bool_) or not isinstance(c, numbers.Real):
        raise TypeError(f"{func}: argument 'c' must be np.inf, -np.inf or 0 "
                        f"(got {type(c).__name__} {c!r})")
    if c not in (np.inf, -np.inf, 0):  # compared exactly: float(10**400) would overflow
        raise ValueError(f"{func}: argument 'c' must be np.inf, -np.inf or 0 (got {c!r}); "
                         "for a finite c use nblib.softmax(z, c)")
    z = as_float_array(z, "z", func=func)
    if z.ndim == 0:
        raise ValueError(f"{func}: argument 'z' needs at least one neuron: pass a 1-d array")
    axis = as_axis(axis, z.ndim, func=func)
    if c == 0:
        chosen = np.ones_like(z)
    else:
        extreme = z.max(axis=axis, keepdims=True) if c > 0 else z.min(axis=axis, keepdims=True)
        chosen = (z == extreme).astype(np.float64)
    return chosen / chosen.sum(axis=axis, keepdims=True)


# --------------------------------------------------------------------------- targets


def one_hot(labels: Any, classes: int) -> np.ndarray:
    """Desired outputs y with a 1 at each label (counting from 0) and 0 elsewhere.

    One label gives the vector of shape (classes,), e.g. ``one_hot(2, 4)`` is
    ``[0, 0, 1, 0]``; a 1-d array of m labels gives the targets of shape (classes, m),
    column i for ``labels[i]``.
    """
    func = "one_hot"
    classes = as_count(classes, "classes", func=func, minimum=1)
    if isinstance(labels, numbers.Integral):  # one label (a bool is refused as no integer)
        label = as_count(labels, "labels", func=func, minimum=0)
        if label >= classes:
            raise ValueError(f"{func}: argument 'labels' must lie in 0..{classes - 1} "
                             f"(got {label})")
        labels = np.array(label)
    else:
        labels = as_labels(labels, "labels", func=func)
        if labels.size and (labels.min() < 0 or labels.max() >= classes):
            raise ValueError(f"{func}: argument 'labels' must lie in 0..{classes - 1} "
                             f"(got min {labels.min()}, max {labels.max()})")
    require_size(classes * max(labels.size, 1), "the one-hot targets", func=func)
    out = np.zeros((classes, labels.size))
    out[labels.ravel(), np.arange(labels.size)] = 1.0
    return out.reshape(classes, *labels.shape)


# --------------------------------------------------------------------------- the layer


def _layer(
    w: Any, b: Any, x: Any, target: Any, func: str
) -> tuple[np.ndarray, np.ndarray, np.ndarray, int]:
    """Validate a softmax layer's weights, biases, input and target class."""
    w = as_float_array(w, "w", func=func)
    b = as_float_array(b, "b", func=func)
    x = as_float_array(x, "x", func=func)
    if w.ndim != 2:
        raise ValueError(f"{func}: argument 'w' must be a matrix (outputs × inputs), "
                         f"got shape {w.shape}")
    if b.shape != (w.shape[0],) or x.shape != (w.shape[1],):
        raise ValueError(
            f"{func}: w has shape {w.shape}, so b needs shape {(w.shape[0],)} and x shape "
            f"{(w.shape[1],)}; got b {b.shape} and x {x.shape}"
        )
    if isinstance(target, bool | np.bool_) or not isinstance(target, numbers.Integral):
        raise TypeError(f"{func}: argument 'target' must be an integer class index "
                        f"(got {type(target).__name__} {target!r})")
    if not 0 <= target < w.shape[0]:
        raise ValueError(f"{func}: argument 'target' must be in 0..{w.shape[0] - 1} "
                         f"(got {target})")
    return w, b, x, int(target)


def _weighted_input(w: np.ndarray, b: np.ndarray, x: np.ndarray, func: str) -> np.ndarray:
    """z = w x + b, refusing an overflow to inf rather than returning it."""
    with np.errstate(over="ignore", invalid="ignore"):
        z = w @ x + b
    if not np.isfinite(z).all():
        raise ValueError(f"{func}: the weighted input w x + b overflows float64")
    return z


def layer_cost(w: Any, b: Any, x: Any, target: int) -> np.float64:
    """Log-likelihood cost C = −ln a_ỹ of a softmax layer z = w x + b, a = softmax(z).

    Parameters
    ----------
    w : array_like
        Weights, shape (outputs, inputs): w[j, k] = w_jk.
    b : array_like
        Biases, shape (outputs,).
    x : array_like
        The layer's input a^{L−1}, shape (inputs,).
    target : int
        The class ỹ with y_ỹ = 1 (counting from 0).

    Returns
    -------
    numpy.float64
        C, computed as −log_softmax(z)[ỹ]: finite even where a_ỹ underflows to 0.
    """
    w, b, x, target = _layer(w, b, x, target, "layer_cost")
    return -log_softmax(_weighted_input(w, b, x, "layer_cost"))[target]


def layer_gradients(w: Any, b: Any, x: Any, target: int) -> tuple[np.ndarray, np.ndarray]:
    """∂C/∂w and ∂C/∂b of :func:`layer_cost` by equations (82) and (81).

    Returns
    -------
    (numpy.ndarray, numpy.ndarray)
        ∂C/∂w_jk = x_k (a_j − y_j), shaped like ``w``, and ∂C/∂b_j = a_j − y_j, shaped
        like ``b``. For the target j = ỹ, a_j − 1 is computed as −Σ_{k≠j} a_k, which keeps
        its relative accuracy where a_ỹ rounds to 1.
    """
    w, b, x, target = _layer(w, b, x, target, "layer_gradients")
    a = softmax(_weighted_input(w, b, x, "layer_gradients"))
    with np.errstate(under="ignore"):
        delta = softmax_error(a, one_hot(target, len(a)), axis=0)
        return np.outer(delta, x), delta
