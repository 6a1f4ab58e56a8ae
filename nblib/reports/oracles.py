"""Oracles for accuracy checks: float64 results computed again with mpmath at high precision.

An oracle is slow and exact enough that its float64 rounding is the only error left, so a
check can hold a fast formula to a few ulps of it.
"""

from __future__ import annotations

from typing import Any

import mpmath
import numpy as np

from nblib.numerics.neuron import _out, _z_and_y

__all__ = ["cross_entropy_reference"]


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
