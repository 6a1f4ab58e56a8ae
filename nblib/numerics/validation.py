"""Input checking shared by every public function in :mod:`nblib`.

Bad input raises a ``TypeError`` (wrong kind of thing) or ``ValueError`` (right kind,
wrong value) whose message reads ``"<func>: argument '<name>' <problem>"``, so a
student sees which call and which argument went wrong instead of a silent NaN or a
traceback from deep inside NumPy.
"""

from __future__ import annotations

import math
import numbers
from typing import Any

import numpy as np

__all__ = [
    "MAX_ENTRIES",
    "as_axis",
    "as_count",
    "as_float_array",
    "as_labels",
    "as_scalar",
    "require_closed_unit",
    "require_distribution",
    "require_finite_result",
    "require_interval",
    "require_open_unit",
    "require_same_shape",
    "require_size",
]

#: The most numbers an array made on the caller's behalf may hold (10⁸, 800 MB of float64):
#: a network's parameters, one-hot targets, a batch of Jacobians, a recorded history. A size
#: above it is refused at once by :func:`require_size`, before any memory is asked for.
MAX_ENTRIES = 10**8


def _prefix(func: str, name: str) -> str:
    """Return the common ``"func: argument 'name'"`` message prefix."""
    return f"{func}: argument '{name}'"


def _fmt(value: float) -> str:
    """Format a float as its shortest round-trip form, without a trailing ``.0``.

    Shortest round-trip matters: ``0.9999999999999999`` must not print as ``1``.
    """
    text = repr(float(value))
    return text[:-2] if text.endswith(".0") else text


def _first_index(mask: np.ndarray) -> tuple[int, ...]:
    """Return the index of the first ``True`` entry of ``mask`` (C order)."""
    return tuple(int(i) for i in np.argwhere(mask)[0])


def _at(mask: np.ndarray) -> str:
    """Describe where the first ``True`` of ``mask`` is, e.g. ``" at index (1, 2)"``."""
    if mask.ndim == 0:
        return ""
    index = _first_index(mask)
    return f" at index {index[0]}" if mask.ndim == 1 else f" at index {index}"


def _convert_objects(arr: np.ndarray, name: str, func: str) -> np.ndarray:
    """Convert an object array whose entries are all real numbers to float64.

    Object arrays arise from Python ints too large for int64 or from ``Fraction``s;
    anything else in them (strings, ``None``, nested arrays) is a ``TypeError``.
    """
    for index, item in np.ndenumerate(arr):
        if isinstance(item, bool | np.bool_) or not isinstance(item, numbers.Real):
            where = "" if arr.ndim == 0 else f" at index {index if arr.ndim > 1 else index[0]}"
            raise TypeError(
                f"{_prefix(func, name)} must contain only real numbers, "
                f"but holds a {type(item).__name__} ({item!r}){where}"
            )
    try:
        return arr.astype(np.float64)
    except OverflowError:
        raise ValueError(f"{_prefix(func, name)} contains a number too large for float64") from None


def _refuse_bools(x: Any, prefix: str) -> None:
    """Raise ``TypeError`` if a (nested) sequence of numbers holds a bool.

    NumPy reads ``[0.5, True]`` as ``[0.5, 1.0]``: a mask passed where numbers are meant
    would slip through, so every entry of a sequence is looked at (arrays are judged by
    their dtype instead).
    """
    items = np.asarray(x, dtype=object)
    for index, item in enumerate(items.flat):
        if isinstance(item, bool | np.bool_):
            where = np.unravel_index(index, items.shape)
            at = where[0] if items.ndim == 1 else tuple(int(i) for i in where)
            raise TypeError(
                f"{prefix} holds a bool ({item}) at index {at}; pass numbers "
                "(use float(b) if 0/1 is really meant)"
            )


def as_float_array(x: Any, name: str, *, func: str) -> np.ndarray:
    """Convert ``x`` to a finite, non-empty float64 array.

    Parameters
    ----------
    x : array_like
        Real numbers: a Python or NumPy scalar, a (nested) sequence or an ndarray.
    name, func : str
        Argument and function names used in error messages.

    Returns
    -------
    numpy.ndarray
        ``x`` as float64 (not copied when it already is one); 0-d for scalar input.

    Raises
    ------
    TypeError
        For ``None``, strings, booleans (also inside a list), complex numbers or other
        non-real data. Booleans are refused because passing a mask where numbers are meant is
        almost always a bug; use ``x.astype(float)`` to mean 0/1.
    ValueError
        For ragged sequences, empty arrays, NaN or infinite values; the message
        gives the index of the first offending entry.
    """
    prefix = _prefix(func, name)
    if x is None:
        raise TypeError(f"{prefix} is None; expected a real number or an array of real numbers")
    if isinstance(x, str | bytes):
        raise TypeError(f"{prefix} is a {type(x).__name__} ({x!r}); expected real numbers")
    try:
        arr = np.asarray(x)
    except (ValueError, TypeError) as exc:  # ragged nested lists end up here
        raise ValueError(
            f"{prefix} cannot be turned into a rectangular array of numbers ({exc})"
        ) from None

    kind = arr.dtype.kind
    if kind == "b":
        raise TypeError(
            f"{prefix} is boolean; pass numbers (use .astype(float) if 0/1 is really meant)"
        )
    if kind == "c":
        raise TypeError(f"{prefix} is complex; expected real numbers")
    if kind in "US":
        raise TypeError(f"{prefix} contains strings; expected real numbers")
    if kind == "O":
        arr = _convert_objects(arr, name, func)
    elif kind not in "iuf":
        raise TypeError(f"{prefix} has dtype {arr.dtype}; expected real numbers")
    elif arr.ndim and not isinstance(x, np.ndarray):
        _refuse_bools(x, prefix)

    if arr.size == 0:
        raise ValueError(f"{prefix} is empty (shape {arr.shape}); it needs at least one value")
    # A long double beyond float64's range becomes inf here and is reported below.
    with np.errstate(over="ignore"):
        arr = arr.astype(np.float64, copy=False)
    if not np.isfinite(arr).all():
        nan = np.isnan(arr)
        if nan.any():
            raise ValueError(f"{prefix} contains NaN{_at(nan)}")
        inf = np.isinf(arr)
        raise ValueError(
            f"{prefix} contains infinite values ({_fmt(arr[_first_index(inf)])}{_at(inf)})"
        )
    return arr


def as_labels(x: Any, name: str, *, func: str) -> np.ndarray:
    """Convert class labels to an int64 array: one label (0-d) or a 1-d sequence of labels.

    Parameters
    ----------
    x : int or array_like of int
        The labels; their range is the caller's to check.
    name, func : str
        Argument and function names used in error messages.

    Returns
    -------
    numpy.ndarray
        int64, 0-d or 1-d (possibly empty).

    Raises
    ------
    TypeError
        For anything but integers: floats, booleans (also inside a list), strings, ``None``.
    ValueError
        For more than one dimension, or a label beyond int64.
    """
    prefix = _prefix(func, name)
    kind_error = f"{prefix} must be an integer or a 1-d array of integers"
    if x is None or isinstance(x, str | bytes):
        raise TypeError(f"{kind_error} (got {type(x).__name__})")
    try:
        arr = np.asarray(x)
    except (ValueError, TypeError, OverflowError):
        raise TypeError(f"{kind_error} (got {type(x).__name__} that is not one)") from None
    if arr.dtype.kind == "O":
        for item in arr.flat:
            if isinstance(item, bool | np.bool_) or not isinstance(item, numbers.Integral):
                raise TypeError(f"{kind_error} (it holds a {type(item).__name__})")
        if any(not -(2**63) <= item < 2**63 for item in arr.flat):
            raise ValueError(f"{prefix} holds a label beyond int64")
    elif arr.dtype.kind not in "iu":
        raise TypeError(f"{kind_error} (got dtype {arr.dtype}, shape {arr.shape})")
    elif arr.dtype.kind == "u" and arr.size and arr.max() >= 2**63:
        raise ValueError(f"{prefix} holds a label beyond int64")
    if arr.ndim > 1:
        raise ValueError(f"{prefix} must be 0- or 1-dimensional (got shape {arr.shape})")
    if arr.ndim and not isinstance(x, np.ndarray):
        _refuse_bools(x, prefix)
    return arr.astype(np.int64)


def require_interval(
    x: Any,
    name: str,
    *,
    func: str,
    low: float,
    high: float,
    closed: tuple[bool, bool] = (True, True),
    why: str | None = None,
) -> np.ndarray:
    """Check that every value lies in an interval such as [0, 1] or (0, 1].

    Parameters
    ----------
    x : array_like
        Values to check.
    name, func : str
        Argument and function names used in error messages.
    low, high : float
        Interval ends.
    closed : tuple of bool
        Whether the interval includes ``low`` and ``high`` respectively.
    why : str, optional
        Explanation appended to the error message.

    Returns
    -------
    numpy.ndarray
        ``x`` as a float64 array.

    Raises
    ------
    ValueError
        If some value falls outside; the message gives the min, the max and the
        first offending value with its index.
    """
    arr = as_float_array(x, name, func=func)
    too_low = arr < low if closed[0] else arr <= low
    too_high = arr > high if closed[1] else arr >= high
    bad = too_low | too_high
    if bad.any():
        if closed == (True, True):
            rule = f"between {_fmt(low)} and {_fmt(high)} inclusive"
        elif closed == (False, False):
            rule = f"strictly between {_fmt(low)} and {_fmt(high)}"
        else:
            left = "[" if closed[0] else "("
            right = "]" if closed[1] else ")"
            rule = f"in {left}{_fmt(low)}, {_fmt(high)}{right}"
        message = (
            f"{_prefix(func, name)} must lie {rule} (got min {_fmt(arr.min())}, "
            f"max {_fmt(arr.max())}; first offending value {_fmt(arr[_first_index(bad)])}"
            f"{_at(bad)})"
        )
        raise ValueError(f"{message}: {why}" if why else message)
    return arr


def require_open_unit(a: Any, name: str, *, func: str, hint: str | None = None) -> np.ndarray:
    """Check that every value lies strictly between 0 and 1.

    Parameters
    ----------
    a : array_like
        Values to check, e.g. activations fed to a logarithmic cost.
    name, func : str
        Argument and function names used in error messages.
    hint : str, optional
        Advice appended to the error message (e.g. which function to use instead).

    Returns
    -------
    numpy.ndarray
        ``a`` as a float64 array.

    Raises
    ------
    ValueError
        If some value is ≤ 0 or ≥ 1; the message gives the min and max and explains
        that ln a and ln(1−a) would be infinite.
    """
    why = f"the cost takes ln {name} and ln(1−{name}), which are infinite at 0 and 1"
    if hint:
        why += f"; {hint}"
    return require_interval(a, name, func=func, low=0.0, high=1.0, closed=(False, False), why=why)


def require_closed_unit(y: Any, name: str, *, func: str) -> np.ndarray:
    """Check that every value lies in the closed interval [0, 1].

    Parameters
    ----------
    y : array_like
        Values to check, e.g. target outputs or probabilities.
    name, func : str
        Argument and function names used in error messages.

    Returns
    -------
    numpy.ndarray
        ``y`` as a float64 array.

    Raises
    ------
    ValueError
        If some value is below 0 or above 1.
    """
    return require_interval(y, name, func=func, low=0.0, high=1.0)


def require_distribution(
    y: Any, name: str, *, func: str, axis: int = -1, atol: float = 1e-9
) -> np.ndarray:
    """Check that ``y`` is a probability distribution along ``axis``.

    Parameters
    ----------
    y : array_like
        At least one-dimensional; each slice along ``axis`` is one distribution.
    name, func : str
        Argument and function names used in error messages.
    axis : int
        Axis along which entries must sum to 1.
    atol : float
        Allowed deviation of each sum from 1 (absorbs rounding in the sum).

    Returns
    -------
    numpy.ndarray
        ``y`` as a float64 array.

    Raises
    ------
    ValueError
        If ``y`` is 0-d, has a negative entry, or some slice sums to more than
        ``atol`` away from 1; the message gives the worst sum and where it is.
    """
    arr = as_float_array(y, name, func=func)
    if arr.ndim == 0:
        raise ValueError(
            f"{_prefix(func, name)} must be an array of probabilities, not a single number"
        )
    ax = as_axis(axis, arr.ndim, func=func)
    negative = arr < 0
    if negative.any():
        raise ValueError(
            f"{_prefix(func, name)} must be nonnegative to be a probability distribution "
            f"(got {_fmt(arr[_first_index(negative)])}{_at(negative)})"
        )
    sums = arr.sum(axis=ax)
    deviation = np.abs(sums - 1.0)
    if deviation.max() > atol:
        worst = np.unravel_index(np.argmax(deviation), sums.shape)
        where = ""
        if arr.ndim > 1:
            # Show the offending slice as e.g. y[2, :] so it can be pasted back.
            parts = [str(int(i)) for i in worst]
            parts.insert(ax, ":")
            where = f" for {name}[{', '.join(parts)}]"
        raise ValueError(
            f"{_prefix(func, name)} must sum to 1 along axis {ax} "
            f"(worst sum {_fmt(sums[worst])}{where}, tolerance {atol:g})"
        )
    return arr


def require_same_shape(a: Any, y: Any, names: tuple[str, str] = ("a", "y"), *, func: str) -> None:
    """Check that two arrays have exactly the same shape (no broadcasting).

    Parameters
    ----------
    a, y : array_like
        The two arrays.
    names : tuple of str
        Their argument names, for the error message.
    func : str
        Function name used in the error message.

    Raises
    ------
    ValueError
        If the shapes differ; the message shows both.
    """
    shape_a, shape_y = np.shape(a), np.shape(y)
    if shape_a != shape_y:
        raise ValueError(
            f"{func}: arguments '{names[0]}' and '{names[1]}' must have the same shape "
            f"(got {shape_a} and {shape_y})"
        )


def as_scalar(c: Any, name: str, *, func: str) -> float:
    """Convert ``c`` to a finite Python float.

    Parameters
    ----------
    c : int, float, NumPy real scalar or 0-d array
        The number.
    name, func : str
        Argument and function names used in error messages.

    Returns
    -------
    float

    Raises
    ------
    TypeError
        For arrays with ndim ≥ 1, booleans, complex numbers, strings, ``None``.
    ValueError
        For NaN, ±inf, or an integer too large for float64.
    """
    prefix = _prefix(func, name)
    value = c
    if isinstance(value, np.ndarray):
        if value.ndim != 0:
            raise TypeError(
                f"{prefix} must be a single number, not an array of shape {value.shape}"
            )
        value = value[()]
    if isinstance(value, bool | np.bool_) or not isinstance(value, numbers.Real):
        raise TypeError(f"{prefix} must be a real number (got {type(value).__name__} {value!r})")
    try:
        with np.errstate(over="ignore"):  # a huge long double becomes inf: reported below
            result = float(value)
    except OverflowError:
        raise ValueError(f"{prefix} is too large for float64") from None
    if np.isnan(result):
        raise ValueError(f"{prefix} is NaN")
    if np.isinf(result):
        raise ValueError(f"{prefix} is infinite ({_fmt(result)}); it must be finite")
    return result


def as_count(
    value: Any, name: str, *, func: str, minimum: int, maximum: int | None = None,
    limit: str = "",
) -> int:
    """Convert ``value`` to a Python int in [``minimum``, ``maximum``] (a count, a label, a seed).

    Parameters
    ----------
    value : int or NumPy integer
        The number.
    name, func : str
        Argument and function names used in error messages.
    minimum : int
        The smallest value allowed.
    maximum : int, optional
        The largest value allowed, if any.
    limit : str
        The name of the constant that sets ``maximum`` (e.g. ``"nblib.proof.symbolic.MAX_SIZE"``),
        shown in the message so the reader knows where the limit comes from.

    Returns
    -------
    int

    Raises
    ------
    TypeError
        If ``value`` is not an integer (booleans included).
    ValueError
        If ``value`` is below ``minimum`` or above ``maximum``.
    """
    prefix = _prefix(func, name)
    if isinstance(value, bool | np.bool_) or not isinstance(value, numbers.Integral):
        raise TypeError(f"{prefix} must be an integer (got {type(value).__name__} {value!r})")
    if value < minimum:
        raise ValueError(f"{prefix} must be at least {minimum} (got {_count_text(int(value))})")
    if maximum is not None and value > maximum:
        source = f" ({limit})" if limit else ""
        raise ValueError(f"{prefix} is {_count_text(int(value))}, above the limit of "
                         f"{maximum:,}{source}")
    return int(value)


def _count_text(count: int) -> str:
    """A count for a message: ``"1,000,000"``, or ``"about 10^40"`` when it is long (no
    ``str()`` of a huge int, which Python refuses beyond 4300 digits)."""
    if abs(count) < 10**16:
        return f"{count:,}"
    return f"about {'-' if count < 0 else ''}10^{math.floor(math.log10(abs(count)))}"


def require_size(entries: int, what: str, *, func: str) -> int:
    """Refuse to make an array of more than :data:`MAX_ENTRIES` numbers.

    Parameters
    ----------
    entries : int
        How many numbers the array would hold (a Python int: it cannot overflow).
    what : str
        What the array is, for the message, e.g. ``"the weights and biases of sizes [10, 10]"``.
    func : str
        Function name used in the message.

    Returns
    -------
    int
        ``entries``, unchanged.

    Raises
    ------
    ValueError
        If ``entries`` exceeds the limit; the message names it.
    """
    if entries > MAX_ENTRIES:
        raise ValueError(
            f"{func}: {what} would hold {_count_text(entries)} numbers, above the limit of "
            f"{MAX_ENTRIES:,} (nblib.numerics.validation.MAX_ENTRIES, "
            f"{MAX_ENTRIES * 8 // 10**6} MB of float64)"
        )
    return entries


def as_axis(axis: Any, ndim: int, name: str = "axis", *, func: str) -> int:
    """Check an axis number and normalise it to ``0 <= axis < ndim``.

    Parameters
    ----------
    axis : int
        Axis number, negative values counting from the end.
    ndim : int
        Number of dimensions of the array it refers to.
    name, func : str
        Argument and function names used in error messages.

    Returns
    -------
    int

    Raises
    ------
    TypeError
        If ``axis`` is not an integer (booleans included).
    ValueError
        If ``axis`` is out of range for ``ndim`` dimensions.
    """
    prefix = _prefix(func, name)
    if isinstance(axis, bool | np.bool_) or not isinstance(axis, numbers.Integral):
        raise TypeError(f"{prefix} must be an integer (got {type(axis).__name__} {axis!r})")
    axis = int(axis)
    if ndim == 0:
        raise ValueError(f"{prefix} is {axis}, but a 0-dimensional array has no axes")
    if not -ndim <= axis < ndim:
        raise ValueError(
            f"{prefix} is {axis}, out of range for an array with {ndim} dimension"
            f"{'s' if ndim != 1 else ''} (allowed: {-ndim} to {ndim - 1})"
        )
    return axis % ndim


def require_finite_result(values: np.ndarray, *, func: str, what: str = "the result") -> np.ndarray:
    """Refuse a result that overflowed: its true value lies outside float64's range.

    For a computation written so that it overflows only when the exact value exceeds
    ~1.8e308 in magnitude: then inf would be a wrong answer, and an error says why.

    Parameters
    ----------
    values : numpy.ndarray
        The computed values (NaN must not occur: it would be a bug, and is reported too).
    func : str
        Function name used in the message.
    what : str
        What the values are, for the message.

    Returns
    -------
    numpy.ndarray
        ``values``, unchanged.

    Raises
    ------
    ValueError
        If some value is infinite or NaN; the message gives the index of the first.
    """
    bad = ~np.isfinite(values)
    if bad.any():
        raise ValueError(
            f"{func}: {what} is outside float64's range{_at(bad)}: its exact value exceeds "
            f"{_fmt(np.finfo(np.float64).max)} in magnitude"
        )
    return values
