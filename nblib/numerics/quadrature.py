"""The cost rebuilt from its slope: the chapter's equation (75) integrated in a, numerically.

The chapter finds the cross-entropy by integrating ∂C/∂a = (a − y)/(a(1 − a)), its
equation (75), with respect to a. :func:`cost_from_slope` does that integral by quadrature,
never using the closed form, so that comparing the two checks the integration.

How: the slope is singular at a = 0 and a = 1, so [a, ½] is cut at the powers of two
2⁻¹, 2⁻², … into cells [2⁻ᵏ⁻¹, 2⁻ᵏ], each no wider than its distance from 0, and each cell is
integrated by Gauss–Legendre quadrature in the scaled variable τ = 2ᵏ⁺¹t ∈ [1, 2], where the
integrand is bounded and smooth (its nearest singularity, τ = 0, lies a cell's width away):
12 nodes leave an error near 1e-19 of the cell's value. The right half, a > ½, is the left
half mirrored: t ↦ 1 − t turns the slope for target y into minus the slope for 1 − y.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from nblib.numerics.validation import (
    as_scalar,
    require_closed_unit,
    require_interval,
    require_same_shape,
    require_size,
)

__all__ = ["NODES", "cost_from_slope"]

#: Gauss–Legendre nodes per dyadic cell.
NODES = 12
_X, _W = np.polynomial.legendre.leggauss(NODES)

_WHY = "the slope (a − y)/(a(1 − a)) is infinite at 0 and 1, so the integral must stay inside"


def _from_half(u: np.ndarray, y: np.ndarray) -> np.ndarray:
    """∫ from ½ to u of (t − y)/(t(1 − t)) dt for 0 < u ≤ ½ (unchecked; u, y of one shape).

    Cell k (k = 1, 2, …) is [s, 2s] with s = 2⁻ᵏ⁻¹, clipped below at u; in τ = t/s its
    integrand is (sτ − y)/(τ(1 − sτ)), with τ ≥ 1 and sτ ≤ ½: no term can overflow, and a
    subnormal u is scaled up exactly.
    """
    _, exponent = np.frexp(u.min()) if u.size else (0.5, 0)
    cells = -int(exponent)  # u ≥ 2^(exponent − 1): cells k = 1 … −exponent
    pieces = np.zeros((*u.shape, cells))
    for k in range(1, cells + 1):
        s = np.ldexp(1.0, -k - 1)
        low = np.clip(u / s, 1.0, 2.0)  # exact: a division by a power of two
        half = (2.0 - low) / 2.0
        tau = (2.0 + low)[..., None] / 2.0 + half[..., None] * _X
        integrand = (s * tau - y[..., None]) / (tau * (1.0 - s * tau))
        # A sum, not a matrix product: BLAS may round two equal rows differently.
        pieces[..., k - 1] = half * (integrand * _W).sum(axis=-1)
    # Summed pairwise along the last axis: a thousand cells of nearly equal size, added one
    # by one, would round the same way each time and drift by 1e-11.
    return -pieces.sum(axis=-1)  # the integral over [u, ½], taken from ½ down to u


def _from_half_anywhere(u: np.ndarray, y: np.ndarray) -> np.ndarray:
    """∫ from ½ to u of the slope for any 0 < u < 1: the left half as is, the right half
    mirrored (t ↦ 1 − t, y ↦ 1 − y; 1 − u is exact for u ≥ ½)."""
    right = u > 0.5
    return np.where(right, _from_half(np.where(right, 1.0 - u, 0.5), 1.0 - y),
                    _from_half(np.where(right, 0.5, u), y))


def cost_from_slope(a: Any, y: Any, start: float = 0.5) -> np.ndarray | np.float64:
    """C(a) − C(start): the slope ∂C/∂a = (a − y)/(a(1 − a)) integrated from ``start`` to a.

    Equation (75) of the chapter integrated numerically, elementwise (see the module's
    notes): the cross-entropy, up to the constant C(start), without its closed form.

    Parameters
    ----------
    a : array_like
        Activations, strictly between 0 and 1: the upper limits of the integrals.
    y : array_like
        Targets in [0, 1], same shape as ``a``.
    start : float
        The lower limit, strictly between 0 and 1. From ½ the result is
        −[y ln a + (1 − y) ln(1 − a)] − ln 2 for every y; from y it is KL(y‖a).

    Returns
    -------
    numpy.ndarray or numpy.float64
        One integral per entry; a scalar for scalar input. Exactly 0 where a = start.
    """
    func = "cost_from_slope"
    a = require_interval(a, "a", func=func, low=0.0, high=1.0, closed=(False, False),
                         why=_WHY)
    y = require_closed_unit(y, "y", func=func)
    require_same_shape(a, y, ("a", "y"), func=func)
    start = as_scalar(start, "start", func=func)
    require_interval(start, "start", func=func, low=0.0, high=1.0, closed=(False, False),
                     why=_WHY)
    # The deepest end fixes the number of cells; each entry holds one value per cell, and a
    # pass over the cells NODES values per entry.
    deepest = min(float(a.min()), float((1.0 - a).min()), start, 1.0 - start)
    cells = -int(np.frexp(deepest)[1])
    require_size(a.size * (cells + NODES), "the quadrature's cells and nodes", func=func)
    with np.errstate(under="ignore"):  # s·τ is subnormal in the deepest cells: harmless
        out = (_from_half_anywhere(a, y)
               - _from_half_anywhere(np.full(a.shape, start), y))
    return out if out.ndim else out[()]
