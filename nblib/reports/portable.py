"""How the book shows computed numbers, so that every machine shows the same text.

The rule
--------
Every output that the notebook tests compare shows only what every IEEE-754 machine
computes:

* exact results: integers, counts, booleans, and values the code constructs exactly
  (``2**-52``, ``0.25``, ``1e300``);
* computed floating-point values rounded to at most :data:`MAX_DIGITS` significant digits,
  far above the noise of libm, SIMD and BLAS (which moves the last 1–3 of 16 digits), and
  never on a rounding boundary: :func:`number` refuses a value whose neighbours a billionth
  away would print differently, because another CPU could land on the other side;
* measured errors as a stated bound (``< 1e-08``), never their digits; see
  :class:`nblib.reports.checks.CheckResult`.

``tests/test_portable_outputs.py`` enforces the rule on every stored output, and
``make test`` re-runs every notebook of the catalogue under three CPU settings.
"""

from __future__ import annotations

import math
from collections.abc import Iterable
from typing import Any

import numpy as np

__all__ = ["MAX_DIGITS", "error", "fixed", "number", "numbers", "scientific", "vector"]

#: The most significant digits a computed float may show.
MAX_DIGITS = 6
# A value within this relative distance of a rounding boundary could round the other way on
# another CPU: libm and BLAS differences are ~1e-16 relative, long loops amplify them a little.
_NOISE = 2.0**-30


def _as_float(x: Any, func: str) -> float:
    """``x`` as a Python float; TypeError for anything but a real number."""
    if isinstance(x, bool) or not isinstance(x, int | float | np.integer | np.floating):
        raise TypeError(f"{func}: expected a real number, got {type(x).__name__} {x!r}")
    return float(x)


def _check_digits(digits: Any, func: str) -> None:
    """Refuse a digit count outside 1..MAX_DIGITS, naming the function."""
    if not isinstance(digits, int) or not 1 <= digits <= MAX_DIGITS:
        raise ValueError(f"{func}: argument 'digits' must be an integer from 1 to {MAX_DIGITS} "
                         f"(more digits differ between CPUs); got {digits!r}")


def _stable(x: float, render, func: str, what: str) -> str:
    """``render(x)``, refusing an x so near a rounding boundary that noise could flip it."""
    text = render(x)
    if math.isfinite(x) and x != 0:
        for neighbour in (x * (1 - _NOISE), x * (1 + _NOISE)):
            if render(neighbour) != text:
                raise ValueError(
                    f"{func}: {x!r} lies on a rounding boundary of {what}: another CPU may "
                    f"print {render(neighbour)!r} instead of {text!r}; show fewer digits"
                )
    return text


def number(x: Any, digits: int = 4) -> str:
    """A computed float with ``digits`` significant digits (``format(x, ".4g")``).

    Integers and exactly integral floats below 2⁵³ print as integers; ``inf`` and ``nan``
    as themselves. Subnormal floats (below 2.2e-308) hold only a few bits; the boundary
    check is relative, so they are shown as computed.

    Raises
    ------
    ValueError
        If ``digits`` exceeds :data:`MAX_DIGITS`, or ``x`` lies on a rounding boundary.
    """
    func = "number"
    if isinstance(x, int | np.integer) and not isinstance(x, bool):
        return str(int(x))
    value = _as_float(x, func)
    _check_digits(digits, func)
    if value.is_integer() and abs(value) < 2.0**53 and abs(value) < 10**digits:
        return str(int(value))
    return _stable(value, lambda v: f"{v:.{digits}g}", func, f"{digits} significant digits")


def fixed(x: Any, decimals: int = 4, *, sign: bool = False) -> str:
    """A computed float with ``decimals`` digits after the point (``format(x, ".4f")``;
    ``sign=True`` writes ``+`` before positive values, like ``"+.4f"``).

    Raises
    ------
    ValueError
        If the value would show more than :data:`MAX_DIGITS` significant digits, or lies on
        a rounding boundary.
    """
    func = "fixed"
    value = _as_float(x, func)
    if not isinstance(decimals, int) or decimals < 0:
        raise ValueError(f"{func}: argument 'decimals' must be a nonnegative integer; "
                         f"got {decimals!r}")
    plus = "+" if sign else ""
    text = _stable(value, lambda v: f"{v:{plus}.{decimals}f}", func, f"{decimals} decimals")
    significant = len(text.lstrip("+-").replace(".", "").lstrip("0"))
    if math.isfinite(value) and significant > MAX_DIGITS:
        raise ValueError(f"{func}: {text} shows {significant} significant digits; at most "
                         f"{MAX_DIGITS} are the same on every CPU")
    return text


def scientific(x: Any, digits: int = 3, *, sign: bool = False) -> str:
    """A computed float in scientific notation with ``digits`` significant digits
    (``scientific(x, 3)`` is ``format(x, ".2e")``; ``sign=True`` as in :func:`fixed`).

    Raises
    ------
    ValueError
        If ``digits`` exceeds :data:`MAX_DIGITS`, or ``x`` lies on a rounding boundary.
    """
    func = "scientific"
    value = _as_float(x, func)
    _check_digits(digits, func)
    plus = "+" if sign else ""
    return _stable(value, lambda v: f"{v:{plus}.{digits - 1}e}", func,
                   f"{digits} significant digits")


def numbers(values: Iterable[Any] | np.ndarray, digits: int = 4, sep: str = ", ") -> str:
    """Several computed floats, each as :func:`number` shows it, joined by ``sep``."""
    return sep.join(number(v, digits) for v in np.asarray(values, dtype=float).ravel())


def vector(values: Iterable[Any] | np.ndarray, digits: int = 4) -> str:
    """A 1-d array of computed floats in brackets, e.g. ``[0.2689, 0, 0.7311]``."""
    return f"[{numbers(values, digits)}]"


def error(value: Any, resolution: float, digits: int = 1) -> str:
    """A measured error: ``"< 1e-13"`` below ``resolution``, else the value to ``digits``.

    Errors near rounding level differ from one CPU to the next (``0`` here, ``1.1e-16``
    there), so below the resolution only the bound is shown.
    """
    value = _as_float(value, "error")
    if not value >= 0:
        raise ValueError(f"error: argument 'value' must be a nonnegative number (got {value!r})")
    if value < resolution:
        return f"< {resolution:.0e}"
    return number(value, digits)
