"""Finite-difference checks with one-line reports that read the same on every machine.

A notebook cell can end with ``check_gradient(..., resolution=1e-8).assert_ok()``: it
shows a line such as ::

    σ′ against central differences: worst relative error < 1e-08, tolerance 1e-06 ✓

and fails loudly when the check does not pass. The error's own digits vary with the CPU's
rounding, so the line states a bound chosen well above it (see :class:`CheckResult`).
:func:`combine_checks` folds several results into one such line; :func:`check_claim` makes
one of a yes/no claim (an identity SymPy proved, a count, a sign), stating what was found:
``n = 3: 9 of 9 entries reduce to 0, numeric gap < 1e-20 ✓``. :class:`CheckReport`
gathers results, one line each, under a summary line. Everything a notebook cell asserts
is one of these; a table it only shows is a :class:`nblib.reports.table.Table`.
"""

from __future__ import annotations

import reprlib
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass
from typing import Any, overload

import numpy as np

from nblib.numerics.validation import as_float_array, as_scalar, require_same_shape
from nblib.reports.reading import report_html, result_html

__all__ = [
    "KINDS",
    "CheckReport",
    "CheckResult",
    "check_claim",
    "check_gradient",
    "check_jacobian",
    "check_values",
    "combine_checks",
    "describe_bound",
    "numerical_gradient",
    "numerical_jacobian",
    "relative_error",
]

#: What a check's error can measure, named in its report line.
KINDS = ("relative", "absolute", "ulps")

#: Default magnitude below which :func:`relative_error` stops dividing by the values.
DEFAULT_FLOOR = 1e-12


# --------------------------------------------------------------------------- differences


def _positive(value: Any, name: str, func: str) -> float:
    """Return ``value`` as a finite float, raising ValueError unless it is > 0."""
    value = as_scalar(value, name, func=func)
    if value <= 0:
        raise ValueError(f"{func}: argument '{name}' must be positive (got {value!r})")
    return value


def _nonnegative(value: Any, name: str, func: str) -> float:
    """Return ``value`` as a finite float, raising ValueError if it is negative."""
    value = as_scalar(value, name, func=func)
    if value < 0:
        raise ValueError(f"{func}: argument '{name}' must be nonnegative (got {value!r})")
    return value


def _require_callable(f: Any, name: str, func: str) -> None:
    """Raise TypeError unless ``f`` can be called."""
    if not callable(f):
        raise TypeError(f"{func}: argument '{name}' must be a function (got {type(f).__name__})")


def _entry(x: np.ndarray, index: int) -> str:
    """Name the entry at flat ``index`` of ``x``, e.g. ``"x[1, 2]"`` (``"x"`` if 0-d)."""
    if x.ndim == 0:
        return "x"
    return f"x[{', '.join(str(int(i)) for i in np.unravel_index(index, x.shape))}]"


def _where(x: np.ndarray, index: int | None, step: float) -> str:
    """Describe an evaluation point: ``"at x"`` or ``"at x with x[1, 2] shifted by -1e-06"``."""
    if index is None:
        return "at x"
    return f"at x with {_entry(x, index)} shifted by {step:+.3g}"


def _evaluate(
    f: Callable[[np.ndarray], Any], x: np.ndarray, fname: str, func: str, where: str
) -> np.ndarray:
    """Call ``f`` on a copy of ``x`` and check it returned finite real numbers."""
    value = f(x.copy())  # a copy, so an f that modifies its argument cannot corrupt x
    try:
        arr = np.asarray(value)
    except (ValueError, TypeError):
        arr = np.asarray(None)  # ragged output: reported as non-numeric below
    if arr.dtype.kind not in "iuf":
        raise TypeError(
            f"{func}: {fname} must return real numbers, but returned {type(value).__name__} "
            f"{reprlib.repr(value)} {where}"
        )
    arr = arr.astype(np.float64)
    finite = np.isfinite(arr)
    if not finite.all():
        first = tuple(int(i) for i in np.argwhere(~finite)[0])
        entry = f" at index {first}" if first else ""
        raise ValueError(
            f"{func}: {fname} returned a non-finite value ({arr[first]}{entry}) {where}"
        )
    return arr


def _central_differences(
    f: Callable[[np.ndarray], Any], x: Any, h: Any, func: str, *, scalar: bool
) -> np.ndarray:
    """Jacobian of ``f`` at ``x`` by central differences, shape f(x).shape + x.shape."""
    _require_callable(f, "f", func)
    x = as_float_array(x, "x", func=func)
    h = _positive(h, "h", func)
    f0 = _evaluate(f, x, "f", func, _where(x, None, 0.0))
    if scalar and f0.ndim != 0:
        raise ValueError(
            f"{func}: f must return a single number, but returned an array of shape "
            f"{f0.shape}; use numerical_jacobian for vector-valued functions"
        )
    jac = np.empty((*f0.shape, x.size))
    for i in range(x.size):
        # A relative step keeps x_i ± step distinct from x_i even for large |x_i|.
        step = h * max(1.0, abs(float(x.flat[i])))
        x_plus, x_minus = x.copy(), x.copy()
        with np.errstate(over="ignore"):  # reported just below, with the entry named
            x_plus.flat[i] += step
            x_minus.flat[i] -= step
        if not (np.isfinite(x_plus.flat[i]) and np.isfinite(x_minus.flat[i])):
            raise ValueError(
                f"{func}: argument 'x' has {_entry(x, i)} = {float(x.flat[i]):.3g}, too close "
                f"to the float64 limit for a step of ±{step:.3g}"
            )
        f_plus = _evaluate(f, x_plus, "f", func, _where(x, i, step))
        f_minus = _evaluate(f, x_minus, "f", func, _where(x, i, -step))
        if f_plus.shape != f0.shape or f_minus.shape != f0.shape:
            raise ValueError(
                f"{func}: f returned shape {f0.shape} at x but a different shape "
                f"{_where(x, i, step)}"
            )
        # Divide by the distance actually stepped, which rounding may alter slightly.
        jac[..., i] = (f_plus - f_minus) / (x_plus.flat[i] - x_minus.flat[i])
    return jac.reshape(f0.shape + x.shape)


def numerical_derivative(f: Callable[[np.ndarray], Any], x: Any, h: float = 1e-6) -> np.ndarray:
    """Derivative of an elementwise function at every entry of ``x`` by central differences.

    For functions such as σ, where output i depends on input i alone, this takes one pair of
    evaluations for the whole array, and (unlike differencing a sum of outputs) each entry's
    rounding error stays its own.

    Parameters
    ----------
    f : callable
        Elementwise: maps an array to an array of the same shape.
    x : array_like
        Points of evaluation.
    h : float
        Relative step: entry i is moved by ±h·max(1, |x_i|).

    Returns
    -------
    numpy.ndarray
        f′(x_i) with the shape of ``x``.
    """
    func = "numerical_derivative"
    _require_callable(f, "f", func)
    x = as_float_array(x, "x", func=func)
    h = _positive(h, "h", func)
    step = h * np.maximum(1.0, np.abs(x))
    with np.errstate(over="ignore"):
        x_plus, x_minus = x + step, x - step
    if not (np.isfinite(x_plus).all() and np.isfinite(x_minus).all()):
        raise ValueError(f"{func}: argument 'x' has entries too close to the float64 limit "
                         f"for a relative step of {h:g}")
    f_plus = _evaluate(f, x_plus, "f", func, "at x + step")
    f_minus = _evaluate(f, x_minus, "f", func, "at x − step")
    if f_plus.shape != x.shape or f_minus.shape != x.shape:
        raise ValueError(f"{func}: f must be elementwise (output shape {x.shape}), "
                         f"but returned shape {f_plus.shape}")
    # Divide by the distance actually stepped, which rounding may alter slightly.
    return (f_plus - f_minus) / (x_plus - x_minus)


def numerical_gradient(f: Callable[[np.ndarray], Any], x: Any, h: float = 1e-6) -> np.ndarray:
    """Gradient of a scalar-valued function by central differences.

    Parameters
    ----------
    f : callable
        Maps an array shaped like ``x`` to one finite real number.
    x : array_like
        Point of evaluation, any shape.
    h : float
        Relative step: entry i is moved by ±h·max(1, |x_i|).

    Returns
    -------
    numpy.ndarray
        ∂f/∂x_i with the shape of ``x``.  The error is about ε·|f|/h from rounding
        plus h²·|f‴| from truncation, i.e. ~1e-10 for |f| ~ 1 at the default h.

    Raises
    ------
    ValueError
        If ``f`` returns an array or a non-finite value (the message says where).
    """
    return _central_differences(f, x, h, "numerical_gradient", scalar=True)


def numerical_jacobian(f: Callable[[np.ndarray], Any], x: Any, h: float = 1e-6) -> np.ndarray:
    """Jacobian of an array-valued function by central differences.

    Parameters
    ----------
    f : callable
        Maps an array shaped like ``x`` to an array of finite real numbers of fixed
        shape.
    x : array_like
        Point of evaluation, any shape.
    h : float
        Relative step: entry i is moved by ±h·max(1, |x_i|).

    Returns
    -------
    numpy.ndarray
        J with shape ``f(x).shape + x.shape`` and J[i..., j...] = ∂f_i/∂x_j.
    """
    return _central_differences(f, x, h, "numerical_jacobian", scalar=False)


# --------------------------------------------------------------------------- errors


def _errors(actual: np.ndarray, expected: np.ndarray, kind: str, floor: float) -> np.ndarray:
    """Elementwise error of one of :data:`KINDS` between validated, same-shaped float arrays.

    |actual − expected|, divided by max(|actual|, |expected|, floor) for ``"relative"``
    (``"absolute"`` and ``"ulps"`` differ only in what the arrays count).
    """
    # A difference beyond 1.8e308 is honestly inf; over/underflow only near 1e308.
    with np.errstate(over="ignore", under="ignore"):
        difference = np.abs(actual - expected)
        if kind != "relative":
            return difference
        return difference / np.maximum(np.maximum(np.abs(actual), np.abs(expected)), floor)


def relative_error(
    actual: Any, expected: Any, *, floor: float = DEFAULT_FLOOR
) -> np.ndarray | np.float64:
    """Relative error |actual − expected| / max(|actual|, |expected|, floor), elementwise.

    Parameters
    ----------
    actual, expected : array_like
        Same-shaped arrays; symmetric in the two.
    floor : float
        Magnitude below which differences are measured in absolute terms, so that
        comparing 0 with 1e-20 gives 1e-8 rather than 1.  The default 1e-12 is far
        below anything a check in this package looks at.  Central differences carry
        absolute noise of about 1e-10·|f|, so a gradient entry that should be 0
        needs ``floor ≳ noise / tol`` to pass a relative check.

    Returns
    -------
    numpy.ndarray or numpy.float64
        Errors in [0, 2], with the shape of the inputs (a scalar for scalar input).
    """
    func = "relative_error"
    actual = as_float_array(actual, "actual", func=func)
    expected = as_float_array(expected, "expected", func=func)
    require_same_shape(actual, expected, ("actual", "expected"), func=func)
    out = _errors(actual, expected, "relative", _positive(floor, "floor", func))
    return out if out.ndim else out[()]


# --------------------------------------------------------------------------- results


def describe_bound(value: float) -> str:
    """A stated bound or tolerance: ``"1e-08"``, ``"0.000244"``, ``"4"`` (constants, not
    measurements, so they may show any digits they have).

    Raises ``TypeError`` for anything but a real number and ``ValueError`` for NaN, ±inf or
    a negative value: none of them is a bound.
    """
    value = _nonnegative(value, "value", "describe_bound")
    if value.is_integer() and value < 1e15:  # 1e300 is not shown with its 301 digits
        return str(int(value))
    mantissa = f"{value:.0e}"
    return mantissa if float(mantissa) == value else f"{value:.3g}"


def _unit(kind: str) -> str:
    return " ulps" if kind == "ulps" else ""


@dataclass(frozen=True, repr=False)
class CheckResult:
    """Outcome of one numerical check, reported in words that every machine prints alike.

    The measured error moves in its last digits from one CPU to the next, so the report
    never shows its digits (see :mod:`nblib.reports.portable`). It shows a *stated* bound instead:
    ``worst relative error < 1e-08, tolerance 1e-06 ✓``. The check passes when
    ``worst_error <= tolerance``; the bound ``resolution`` is what the report claims, and
    the error must lie strictly below it. Without a resolution the claim is the tolerance
    itself (``below the tolerance 1e-06``). A tolerance of 0 asks for an exact result.

    Parameters
    ----------
    name : str
        What was checked, e.g. ``"σ′ against central differences"``.
    worst_error : float
        Largest error over all entries; ≥ 0 (inf allowed, NaN not).
    tolerance : float
        The check passes when ``worst_error <= tolerance``.
    kind : {"relative", "absolute", "ulps"}
        What the error measures, named in the report line.
    resolution : float, optional
        The bound the report states, ``0 < resolution <= tolerance``; choose it well above
        the error on any machine (the test suite asks for a factor of two of headroom).
    detail : str, optional
        For an exact check only (tolerance 0, no resolution): what was found, in words,
        shown in place of the error part of the line (see :func:`check_claim`).
    """

    name: str
    worst_error: float
    tolerance: float
    kind: str = "relative"
    resolution: float | None = None
    detail: str | None = None

    def __post_init__(self) -> None:
        """Validate the fields and store the numbers as Python floats."""
        func = "CheckResult"
        if not isinstance(self.name, str):
            raise TypeError(f"{func}: argument 'name' must be a str (got {self.name!r})")
        if self.kind not in KINDS:
            raise ValueError(f"{func}: argument 'kind' must be one of {KINDS} (got {self.kind!r})")
        error = self.worst_error
        is_number = isinstance(error, float | int | np.floating | np.integer)
        if isinstance(error, bool) or not (is_number and error >= 0):
            # The comparison is False for NaN, so NaN lands here too.
            raise ValueError(
                f"{func}: argument 'worst_error' must be a nonnegative number (got {error!r})"
            )
        # Frozen dataclass: bypass __setattr__ to normalise NumPy scalars to float.
        object.__setattr__(self, "worst_error", float(error))
        tolerance = _nonnegative(self.tolerance, "tolerance", func)
        object.__setattr__(self, "tolerance", tolerance)
        if self.detail is not None:
            if not (isinstance(self.detail, str) and self.detail):
                raise TypeError(f"{func}: argument 'detail' must be a non-empty str "
                                f"(got {self.detail!r})")
            if tolerance != 0 or self.resolution is not None:
                raise ValueError(f"{func}: a detail replaces the error part of the line, so "
                                 "only an exact check (tolerance 0, no resolution) may have "
                                 "one; a check against a tolerance states its bound")
        if self.resolution is None:
            return
        resolution = _positive(self.resolution, "resolution", func)
        if resolution > tolerance:
            raise ValueError(f"{func}: argument 'resolution' ({resolution:g}) must not exceed "
                             f"the tolerance ({tolerance:g}): the report would claim less "
                             f"than the check asserts")
        object.__setattr__(self, "resolution", resolution)

    @property
    def passed(self) -> bool:
        """Whether the worst error is within the tolerance."""
        return self.worst_error <= self.tolerance

    @property
    def bound(self) -> float:
        """The bound the report states: the resolution, or else the tolerance."""
        return self.tolerance if self.resolution is None else self.resolution

    @property
    def within_bound(self) -> bool:
        """Whether the error lies where the report says (below the bound, or exactly 0)."""
        if self.tolerance == 0:
            return self.worst_error == 0
        return self.worst_error < self.bound or (self.resolution is None and self.passed)

    def error_text(self) -> str:
        """The error part of the line, e.g. ``"worst relative error < 1e-08"`` (or the
        detail, if the check has one)."""
        if self.detail is not None:
            return self.detail
        unit = _unit(self.kind)
        kind = "error" if self.kind == "ulps" else f"{self.kind} error"
        if self.tolerance == 0:
            if self.passed:
                return f"{kind} 0{unit}, as exact as required"
            return f"worst {kind} {self.worst_error:.2g}{unit}, where 0 is required"
        tolerance = f"{describe_bound(self.tolerance)}{unit}"
        if not self.passed:
            return f"worst {kind} {self.worst_error:.2g}{unit}, over the tolerance {tolerance}"
        if self.resolution is None:
            return f"worst {kind} within the tolerance {tolerance}"
        bound = f"{describe_bound(self.resolution)}{unit}"
        if self.within_bound:
            return f"worst {kind} < {bound}, tolerance {tolerance}"
        # Passed, but not as well as the author stated: printed with its digits, which the
        # portability test forbids in stored outputs, so the author restates the bound.
        return (f"worst {kind} {self.worst_error:.2g}{unit}, not below the stated resolution "
                f"{bound}; tolerance {tolerance}")

    def verdict(self) -> str:
        """The result in a few words, for the page: ``"holds exactly"``, the claim's finding,
        or ``"relative error < 1e-08 (tolerance 1e-06)"``."""
        if self.detail is not None:
            return self.detail
        if not self.passed or (self.tolerance and not self.within_bound):
            return self.error_text()
        if self.tolerance == 0:
            return "holds exactly"
        unit = _unit(self.kind)
        kind = "error" if self.kind == "ulps" else f"{self.kind} error"
        tolerance = f"{describe_bound(self.tolerance)}{unit}"
        if self.resolution is None:
            return f"{kind} within {tolerance}"
        return f"{kind} < {describe_bound(self.resolution)}{unit} (tolerance {tolerance})"

    def _repr_html_(self) -> str:
        """One sentence on the page; the printed line one click away."""
        return result_html(self, self.line())

    def line(self) -> str:
        """Return the one-line report, e.g. ``"f: worst relative error < 1e-08, … ✓"``."""
        return f"{self.name}: {self.error_text()} {'✓' if self.passed else '✗'}"

    def __str__(self) -> str:
        """The one-line report."""
        return self.line()

    def __repr__(self) -> str:
        """The one-line report, so a notebook cell ending in a check shows it."""
        return self.line()

    def _repr_pretty_(self, printer: Any, cycle: bool) -> None:
        """Show the one-line report in IPython."""
        printer.text(self.line())

    def assert_ok(self) -> CheckResult:
        """Return ``self`` if the check passed, else raise AssertionError with the line."""
        if not self.passed:
            raise AssertionError(self.line())
        return self


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
    if any(r.detail is not None for r in results):
        raise ValueError("combine_checks: a claim states its own finding and cannot be "
                         "folded into another line")
    if len({(r.tolerance, r.kind, r.resolution) for r in results}) != 1:
        raise ValueError("combine_checks: the results must share one tolerance, kind and "
                         "resolution")
    worst = max(r.worst_error for r in results)
    first = results[0]
    return CheckResult(name, worst, first.tolerance, first.kind, first.resolution)


def check_claim(name: str, holds: Any, detail: str) -> CheckResult:
    """A yes/no claim as a check: ``"{name}: {detail} ✓"``, or ✗ when it does not hold.

    For what a tolerance does not measure: an identity SymPy reduced to 0, the signs of a
    Jacobian, how many outputs moved. The detail says what was found (counts, exact values,
    computed floats through :mod:`nblib.reports.portable`). The claim is an exact check:
    its error is 0 when it holds and 1 when it does not, against a tolerance of 0.

    Parameters
    ----------
    name : str
        What is claimed, e.g. ``"n = 3: ∂a_j/∂z_k = a_j(δ_jk − a_k)"``.
    holds : bool
        Whether it holds (a Python or NumPy bool).
    detail : str
        What was found, e.g. ``"9 of 9 entries reduce to 0"``.
    """
    if not isinstance(holds, bool | np.bool_):
        raise TypeError(f"check_claim: argument 'holds' must be a bool (got {holds!r})")
    return CheckResult(name, 0.0 if holds else 1.0, 0.0, "absolute", detail=detail)


# --------------------------------------------------------------------------- checks


def _tolerance(tol: Any, func: str) -> float:
    """Validate a tolerance: a finite nonnegative number (0 means exact)."""
    return _nonnegative(tol, "tol", func)


def _check_derivative(
    f: Callable[[np.ndarray], Any], derivative: Callable[[np.ndarray], Any], x: Any, name: str,
    tol: Any, h: Any, floor: Any, resolution: float | None, *, scalar: bool,
) -> CheckResult:
    """check_gradient (``scalar``) and check_jacobian: validate, difference, compare."""
    func, label = ("check_gradient", "grad") if scalar else ("check_jacobian", "jac")
    tol = _tolerance(tol, func)
    _require_callable(derivative, label, func)
    floor = _positive(floor, "floor", func)
    numeric = _central_differences(f, x, h, func, scalar=scalar)
    x = as_float_array(x, "x", func=func)
    analytic = _evaluate(derivative, x, label, func, "at x")
    if analytic.shape != numeric.shape:
        wanted = "the shape of x" if scalar else "shape f(x).shape + x.shape ="
        raise ValueError(f"{func}: {label}(x) must have {wanted} {numeric.shape}, "
                         f"but has shape {analytic.shape}")
    worst = float(_errors(analytic, numeric, "relative", floor).max())
    return CheckResult(name, worst, tol, resolution=resolution)


def check_gradient(
    f: Callable[[np.ndarray], Any],
    grad: Callable[[np.ndarray], Any],
    x: Any,
    *,
    name: str,
    tol: float = 1e-6,
    h: float = 1e-6,
    floor: float = DEFAULT_FLOOR,
    resolution: float | None = None,
) -> CheckResult:
    """Compare an analytic gradient with central differences.

    Parameters
    ----------
    f : callable
        Scalar-valued function of an array.
    grad : callable
        Claimed gradient of ``f``; must return an array shaped like ``x``.
    x : array_like
        Point of evaluation.
    name : str
        Label for the report line.
    tol : float
        Largest acceptable worst relative error.
    h : float
        Relative finite-difference step (see :func:`numerical_gradient`).
    floor : float
        Passed to :func:`relative_error`.
    resolution : float, optional
        The bound the report states (see :class:`CheckResult`).

    Returns
    -------
    CheckResult
        Worst relative error over all entries of the gradient.
    """
    return _check_derivative(f, grad, x, name, tol, h, floor, resolution, scalar=True)


def check_jacobian(
    f: Callable[[np.ndarray], Any],
    jac: Callable[[np.ndarray], Any],
    x: Any,
    *,
    name: str,
    tol: float = 1e-6,
    h: float = 1e-6,
    floor: float = DEFAULT_FLOOR,
    resolution: float | None = None,
) -> CheckResult:
    """Compare an analytic Jacobian with central differences.

    Parameters
    ----------
    f : callable
        Array-valued function of an array.
    jac : callable
        Claimed Jacobian; must return shape ``f(x).shape + x.shape``.
    x : array_like
        Point of evaluation.
    name : str
        Label for the report line.
    tol : float
        Largest acceptable worst relative error.
    h : float
        Relative finite-difference step (see :func:`numerical_jacobian`).
    floor : float
        Passed to :func:`relative_error`.
    resolution : float, optional
        The bound the report states (see :class:`CheckResult`).

    Returns
    -------
    CheckResult
        Worst relative error over all entries of the Jacobian.
    """
    return _check_derivative(f, jac, x, name, tol, h, floor, resolution, scalar=False)


def check_values(
    actual: Any,
    expected: Any,
    *,
    name: str,
    tol: float,
    kind: str = "relative",
    floor: float = DEFAULT_FLOOR,
    resolution: float | None = None,
) -> CheckResult:
    """Compare two arrays directly, e.g. a computation against an exact formula.

    Parameters
    ----------
    actual, expected : array_like
        Same-shaped arrays.
    name : str
        Label for the report line.
    tol : float
        Largest acceptable worst error.
    kind : {"relative", "absolute", "ulps"}
        Relative error (see :func:`relative_error`), or |actual − expected| (``"ulps"``
        when the arrays already count units in the last place).
    floor : float
        Passed to :func:`relative_error` when ``kind="relative"``.
    resolution : float, optional
        The bound the report states (see :class:`CheckResult`).

    Returns
    -------
    CheckResult
    """
    func = "check_values"
    tol = _tolerance(tol, func)
    if kind not in KINDS:
        raise ValueError(f"{func}: argument 'kind' must be one of {KINDS} (got {kind!r})")
    actual = as_float_array(actual, "actual", func=func)
    expected = as_float_array(expected, "expected", func=func)
    require_same_shape(actual, expected, ("actual", "expected"), func=func)
    floor = _positive(floor, "floor", func) if kind == "relative" else DEFAULT_FLOOR
    errors = _errors(actual, expected, kind, floor)
    return CheckResult(name, float(errors.max()), tol, kind, resolution)


# --------------------------------------------------------------------------- reports


class CheckReport(Sequence[CheckResult]):
    """An ordered collection of :class:`CheckResult` with a summary line.

    Parameters
    ----------
    results : iterable of CheckResult
        Initial results; more can be added with :meth:`append` and :meth:`extend`.
    """

    def __init__(self, results: Iterable[CheckResult] = ()) -> None:
        """Create a report holding ``results``."""
        self._results: list[CheckResult] = []
        self.extend(results)

    def append(self, result: CheckResult) -> CheckResult:
        """Add one result and return it (so a cell ending in ``append`` shows its line)."""
        if not isinstance(result, CheckResult):
            raise TypeError(
                f"CheckReport.append: argument 'result' must be a CheckResult "
                f"(got {type(result).__name__})"
            )
        self._results.append(result)
        return result

    def extend(self, results: Iterable[CheckResult]) -> None:
        """Add several results in order."""
        for result in results:
            self.append(result)

    @overload
    def __getitem__(self, index: int) -> CheckResult: ...

    @overload
    def __getitem__(self, index: slice) -> CheckReport: ...

    def __getitem__(self, index: int | slice) -> CheckResult | CheckReport:
        """Return one result, or a sub-report for a slice."""
        if isinstance(index, slice):
            return CheckReport(self._results[index])
        return self._results[index]

    def __len__(self) -> int:
        """Number of results."""
        return len(self._results)

    def __iter__(self) -> Iterator[CheckResult]:
        """Iterate over the results in order."""
        return iter(self._results)

    @property
    def failures(self) -> list[CheckResult]:
        """The results that did not pass."""
        return [result for result in self._results if not result.passed]

    @property
    def passed(self) -> bool:
        """Whether every result passed (vacuously true for an empty report)."""
        return not self.failures

    def summary(self) -> str:
        """Return the last line: ``"all N checks passed"`` or ``"K of N checks failed"``."""
        n = len(self._results)
        if n == 0:
            return "no checks"
        checks = "check" if n == 1 else "checks"
        failed = len(self.failures)
        return f"all {n} {checks} passed" if failed == 0 else f"{failed} of {n} {checks} failed"

    def __str__(self) -> str:
        """One line per result, then the summary line."""
        return "\n".join([*(result.line() for result in self._results), self.summary()])

    def __repr__(self) -> str:
        """Same as :meth:`__str__`, so a notebook cell shows the report."""
        return str(self)

    def _repr_pretty_(self, printer: Any, cycle: bool) -> None:
        """Show the report in IPython."""
        printer.text(str(self))

    def _repr_html_(self) -> str:
        """Sentences or a table on the page; the printed report one click away."""
        return report_html(self._results, str(self))

    def assert_ok(self) -> CheckReport:
        """Return ``self`` if every check passed, else raise AssertionError with the report."""
        if not self.passed:
            raise AssertionError(str(self))
        return self
