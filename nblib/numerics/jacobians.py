"""The softmax layer's Jacobian and its neighbours in float64, for exercises 4–6.

Batched over leading axes, neurons on the last axis:

* :func:`softmax_jacobian` — ∂a_j/∂z_k = a_j(δ_jk − a_k), computed so that the strict signs
  survive rounding as long as the entries do not underflow;
* :func:`jacobian_from_activations` — the same formula applied literally to a given ``a``,
  whose diagonal loses its digits when some a_j ≈ 1 (shown in ex5 on purpose);
* :func:`sigmoid_layer_jacobian` — diag(σ′(z)), the local layer of ex6;
* sign-pattern and ulp helpers, and :func:`naive_softmax` (the textbook formula, which
  overflows) for the edge cases.

The same Jacobians in SymPy are in :mod:`nblib.proof.softmax`.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from nblib.numerics.activations import sigmoid_prime
from nblib.numerics.validation import (
    as_count,
    as_float_array,
    require_closed_unit,
    require_finite_result,
    require_size,
)

__all__ = [
    "EPS",
    "jacobian_from_activations",
    "naive_softmax",
    "sigmoid_layer_jacobian",
    "sign_pattern_holds",
    "softmax_jacobian",
    "softmax_sign_pattern",
    "ulps_from_one",
]

#: The gap between 1 and the next float64 above it, 2⁻⁵²: "one ulp of 1".
EPS = float(np.finfo(np.float64).eps)


def _layer(z: Any, name: str, func: str) -> np.ndarray:
    """``z`` as a finite float64 array with at least one axis (the neurons, last), whose
    Jacobians (n entries for each of its entries) fit in
    :data:`~nblib.numerics.validation.MAX_ENTRIES`."""
    arr = as_float_array(z, name, func=func)
    if arr.ndim == 0:
        raise ValueError(
            f"{func}: argument '{name}' needs at least one neuron: got a single number, "
            "pass a 1-d array (or a batch, neurons on the last axis)"
        )
    require_size(arr.size * arr.shape[-1], f"the Jacobians of argument '{name}'", func=func)
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
        Softmax outputs in [0, 1], shape (n,) or (..., n).

    Returns
    -------
    numpy.ndarray
        Shape (..., n, n). The diagonal is a_j·(1 − a_j) as float64 computes it: when a_j
        has rounded to 1.0 it is exactly 0, although the true value is positive. Use
        :func:`softmax_jacobian` (from z) for accurate entries.
    """
    func = "jacobian_from_activations"
    a = require_closed_unit(_layer(a, "a", func), "a", func=func)
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
    func = "softmax_sign_pattern"
    n = as_count(n, "n", func=func, minimum=1)
    require_size(n * n, "the sign pattern", func=func)
    return 2 * np.eye(n, dtype=int) - 1


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
    func = "ulps_from_one"
    x = as_float_array(x, "x", func=func)
    with np.errstate(over="ignore"):  # |x − 1| > 4e292 is more ulps than float64 holds
        out = require_finite_result(np.abs(x - 1.0) / EPS, func=func)
    return out if out.ndim else out[()]


def naive_softmax(z: Any) -> np.ndarray:
    """The textbook formula e^{z_j}/Σ_k e^{z_k}, with no shift: it overflows for z ≳ 709.8.

    Kept for the edge cases that show why :func:`nblib.softmax` subtracts max z first
    (shift invariance, ex6). NumPy's warnings are left on so they can be observed.
    """
    z = _layer(z, "z", "naive_softmax")
    e = np.exp(z)
    return e / e.sum(axis=-1, keepdims=True)
