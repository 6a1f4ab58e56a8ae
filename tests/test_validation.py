"""Tests for nblib.numerics.validation: every error path, and that messages name func and
argument."""

from fractions import Fraction

import numpy as np
import pytest

from nblib.numerics.validation import (
    as_axis,
    as_count,
    as_float_array,
    as_scalar,
    require_closed_unit,
    require_distribution,
    require_interval,
    require_open_unit,
    require_same_shape,
)

# --------------------------------------------------------------------------- as_float_array


@pytest.mark.parametrize(
    "value, shape",
    [
        (3, ()),
        (2.5, ()),
        (np.float32(1.5), ()),
        ([1, 2, 3], (3,)),
        ([[1.0, 2.0], [3.0, 4.0]], (2, 2)),
        (np.arange(6, dtype=np.int8).reshape(2, 3), (2, 3)),
        (np.array([1, 2], dtype=np.uint64), (2,)),
        (np.array([0.5], dtype=np.float16), (1,)),
    ],
)
def test_as_float_array_accepts_real_numbers(value, shape):
    out = as_float_array(value, "x", func="f")
    assert out.dtype == np.float64
    assert out.shape == shape
    np.testing.assert_array_equal(out, np.asarray(value, dtype=np.float64))


def test_as_float_array_does_not_copy_float64():
    x = np.array([1.0, 2.0])
    assert as_float_array(x, "x", func="f") is x


def test_as_float_array_accepts_big_python_ints_and_fractions():
    # Python ints beyond int64 and Fractions give object arrays; they are still numbers.
    out = as_float_array([10**30, Fraction(1, 4)], "x", func="f")
    np.testing.assert_array_equal(out, [1e30, 0.25])


@pytest.mark.parametrize(
    "value, problem",
    [
        (None, "is None"),
        ("abc", "is a str"),
        (b"abc", "is a bytes"),
        (np.str_("1.0"), "is a str"),
        (["1", "2"], "contains strings"),
        (True, "is boolean"),
        ([True, False], "is boolean"),
        (np.array([1, 0], dtype=bool), "is boolean"),
        (1 + 2j, "is complex"),
        ([1.0, 2j], "is complex"),
        (
            np.array([1, None], dtype=object),
            r"must contain only real numbers, but holds a NoneType \(None\) at index 1",
        ),
        (np.array([1.0, "x"], dtype=object), r"must contain .* holds a str \('x'\) at index 1"),
        (np.array([1, True], dtype=object), "must contain .* holds a bool"),
        (np.array(["2020-01-01"], dtype="datetime64[D]"), "has dtype datetime64"),
    ],
)
def test_as_float_array_type_errors(value, problem):
    with pytest.raises(TypeError, match=rf"^softmax: argument 'z' {problem}"):
        as_float_array(value, "z", func="softmax")


@pytest.mark.parametrize(
    "value, problem",
    [
        ([], r"is empty \(shape \(0,\)\)"),
        (np.zeros((2, 0)), r"is empty \(shape \(2, 0\)\)"),
        ([[1, 2], [3]], "cannot be turned into a rectangular array"),
        (float("nan"), "contains NaN$"),
        ([1.0, np.nan], "contains NaN at index 1$"),
        ([[0.0, 1.0, 2.0], [3.0, 4.0, np.nan]], r"contains NaN at index \(1, 2\)$"),
        ([0.0, -np.inf], r"contains infinite values \(-inf at index 1\)"),
        ([[np.inf]], r"contains infinite values \(inf at index \(0, 0\)\)"),
        ([10**400], "contains a number too large for float64"),
    ],
)
def test_as_float_array_value_errors(value, problem):
    with pytest.raises(ValueError, match=rf"^softmax: argument 'z' {problem}"):
        as_float_array(value, "z", func="softmax")


def test_nan_is_reported_before_inf():
    with pytest.raises(ValueError, match="contains NaN at index 1"):
        as_float_array([np.inf, np.nan], "z", func="f")


def test_long_double_beyond_float64_is_reported_as_infinite():
    if np.finfo(np.longdouble).max <= np.finfo(np.float64).max:
        pytest.skip("long double is float64 on this platform")
    huge = np.array([np.longdouble(10) ** 400])
    with pytest.raises(ValueError, match="contains infinite values"):
        as_float_array(huge, "z", func="f")


# --------------------------------------------------------------------------- intervals


def test_require_open_unit_accepts_interior_values():
    out = require_open_unit([1e-300, 0.5, 1 - 2**-53], "a", func="cross_entropy")
    assert out.dtype == np.float64


@pytest.mark.parametrize(
    "value, got",
    [
        ([0.0, 0.5], r"got min 0, max 0\.5; first offending value 0 at index 0"),
        ([0.5, 1.0], r"got min 0\.5, max 1; first offending value 1 at index 1"),
        ([-0.5, 2.0], r"got min -0\.5, max 2; first offending value -0\.5 at index 0"),
        (1.0, r"got min 1, max 1; first offending value 1"),
    ],
)
def test_require_open_unit_errors(value, got):
    pattern = (
        rf"^cross_entropy: argument 'a' must lie strictly between 0 and 1 \({got}\): "
        r"the cost takes ln a and ln\(1−a\)"
    )
    with pytest.raises(ValueError, match=pattern):
        require_open_unit(value, "a", func="cross_entropy")


def test_require_open_unit_appends_hint():
    with pytest.raises(ValueError, match=r"infinite at 0 and 1; try something else$"):
        require_open_unit([1.0], "a", func="f", hint="try something else")


def test_min_max_use_shortest_round_trip_form():
    # 1 − 2⁻⁵³ must not be printed as "1", or the message would contradict itself.
    with pytest.raises(ValueError, match=r"max 0\.9999999999999999"):
        require_open_unit([0.0, 1 - 2**-53], "a", func="f")


def test_require_closed_unit():
    np.testing.assert_array_equal(require_closed_unit([0, 1], "y", func="f"), [0.0, 1.0])
    pattern = r"^f: argument 'y' must lie between 0 and 1 inclusive \(got min 0, max 1\.5; "
    with pytest.raises(ValueError, match=pattern):
        require_closed_unit([[0.0, 1.5]], "y", func="f")
    with pytest.raises(ValueError, match=r"first offending value -1e-300 at index 1"):
        require_closed_unit([0.0, -1e-300], "y", func="f")


def test_require_interval_half_open():
    require_interval([1.0, 1e-300], "a", func="f", low=0, high=1, closed=(False, True))
    with pytest.raises(ValueError, match=r"must lie in \(0, 1\] .*: because$"):
        require_interval([0.0], "a", func="f", low=0, high=1, closed=(False, True), why="because")
    with pytest.raises(ValueError, match=r"must lie in \[0, 1\) "):
        require_interval([1.0], "a", func="f", low=0, high=1, closed=(True, False))


def test_interval_checks_validate_type_first():
    with pytest.raises(TypeError, match=r"^f: argument 'a' is boolean"):
        require_open_unit([True], "a", func="f")
    with pytest.raises(ValueError, match=r"^f: argument 'y' contains NaN"):
        require_closed_unit([np.nan], "y", func="f")


# --------------------------------------------------------------------------- distributions


def test_require_distribution_accepts_distributions():
    require_distribution([0.25, 0.75], "y", func="f")
    require_distribution([[1.0, 0.0], [0.5, 0.5]], "y", func="f", axis=1)
    require_distribution([[1.0, 0.5], [0.0, 0.5]], "y", func="f", axis=0)
    require_distribution([1 / 3] * 3, "y", func="f")  # rounding within atol


def test_require_distribution_negative_entry():
    pattern = r"^f: argument 'y' must be nonnegative .*-0\.5 at index 1"
    with pytest.raises(ValueError, match=pattern):
        require_distribution([1.5, -0.5], "y", func="f")


def test_require_distribution_reports_worst_sum_and_slice():
    y = [[0.5, 0.5], [0.9, 0.0], [0.6, 0.5]]
    pattern = (
        r"^f: argument 'y' must sum to 1 along axis 1 "
        r"\(worst sum 1\.1 for y\[2, :\], tolerance 1e-09\)"
    )
    with pytest.raises(ValueError, match=pattern):
        require_distribution(y, "y", func="f")
    with pytest.raises(ValueError, match=r"along axis 0 \(worst sum 2 for y\[:, 0\]"):
        require_distribution(y, "y", func="f", axis=0)


def test_require_distribution_1d_message_and_atol():
    with pytest.raises(ValueError, match=r"\(worst sum 0\.9, tolerance 1e-09\)$"):
        require_distribution([0.4, 0.5], "y", func="f")
    require_distribution([0.4, 0.5], "y", func="f", atol=0.2)


def test_require_distribution_needs_an_axis():
    with pytest.raises(ValueError, match="must be an array of probabilities"):
        require_distribution(1.0, "y", func="f")
    with pytest.raises(ValueError, match="argument 'axis' is 1, out of range"):
        require_distribution([1.0], "y", func="f", axis=1)


# --------------------------------------------------------------------------- shapes


def test_require_same_shape():
    require_same_shape(np.zeros(3), [0, 0, 0], func="f")
    pattern = r"^cost: arguments 'a' and 'y' must have the same shape \(got \(3,\) and \(3, 1\)\)$"
    with pytest.raises(ValueError, match=pattern):
        require_same_shape(np.zeros(3), np.zeros((3, 1)), func="cost")
    with pytest.raises(ValueError, match=r"arguments 'z' and 'y' .* \(got \(\) and \(1,\)\)"):
        require_same_shape(1.0, [1.0], ("z", "y"), func="cost")


# --------------------------------------------------------------------------- scalars


@pytest.mark.parametrize(
    "value, expected",
    [
        (2, 2.0),
        (-1.5, -1.5),
        (np.float32(0.5), 0.5),
        (np.int64(-3), -3.0),
        (np.array(4.0), 4.0),
        (Fraction(1, 8), 0.125),
        (10**30, 1e30),
    ],
)
def test_as_scalar_accepts_real_numbers(value, expected):
    out = as_scalar(value, "c", func="softmax")
    assert type(out) is float
    assert out == expected


@pytest.mark.parametrize(
    "value, problem",
    [
        (None, "must be a real number"),
        ("1.0", "must be a real number"),
        (True, "must be a real number"),
        (np.bool_(False), "must be a real number"),
        (1j, "must be a real number"),
        (np.complex128(1), "must be a real number"),
        ([1.0], "must be a real number"),
        (np.array([1.0]), r"must be a single number, not an array of shape \(1,\)"),
        (np.array("1"), "must be a real number"),
    ],
)
def test_as_scalar_type_errors(value, problem):
    with pytest.raises(TypeError, match=rf"^softmax: argument 'c' {problem}"):
        as_scalar(value, "c", func="softmax")


@pytest.mark.parametrize(
    "value, problem",
    [
        (float("nan"), "is NaN"),
        (np.inf, r"is infinite \(inf\)"),
        (-np.inf, r"is infinite \(-inf\)"),
        (np.array(np.nan), "is NaN"),
        (10**400, "is too large for float64"),
    ],
)
def test_as_scalar_value_errors(value, problem):
    with pytest.raises(ValueError, match=rf"^softmax: argument 'c' {problem}"):
        as_scalar(value, "c", func="softmax")


# --------------------------------------------------------------------------- axes


@pytest.mark.parametrize(
    "axis, ndim, expected", [(0, 1, 0), (-1, 1, 0), (-1, 3, 2), (1, 3, 1), (np.int32(-3), 3, 0)]
)
def test_as_axis_normalises(axis, ndim, expected):
    out = as_axis(axis, ndim, func="softmax")
    assert type(out) is int
    assert out == expected


@pytest.mark.parametrize("axis", [1.0, "0", None, True, np.bool_(True)])
def test_as_axis_type_errors(axis):
    with pytest.raises(TypeError, match=r"^softmax: argument 'axis' must be an integer"):
        as_axis(axis, 2, func="softmax")


def test_as_axis_value_errors():
    pattern = r"^softmax: argument 'axis' is 2, out of range .* 2 dimensions \(allowed: -2 to 1\)$"
    with pytest.raises(ValueError, match=pattern):
        as_axis(2, 2, func="softmax")
    with pytest.raises(ValueError, match="is -3, out of range"):
        as_axis(-3, 2, func="softmax")
    with pytest.raises(ValueError, match="0-dimensional array has no axes"):
        as_axis(0, 0, func="softmax")
    with pytest.raises(ValueError, match=r"^f: argument 'dim' is 1"):
        as_axis(1, 1, "dim", func="f")


# --------------------------------------------------------------------------- counts


@pytest.mark.parametrize("value, minimum", [(0, 0), (3, 1), (np.int64(7), 2)])
def test_as_count_accepts_integers_from_the_minimum(value, minimum):
    out = as_count(value, "n", func="f", minimum=minimum)
    assert type(out) is int and out == value


@pytest.mark.parametrize("value", [1.0, "2", None, True, np.bool_(False)])
def test_as_count_type_errors(value):
    with pytest.raises(TypeError, match=r"^f: argument 'n' must be an integer \(got "):
        as_count(value, "n", func="f", minimum=0)


def test_as_count_value_errors():
    with pytest.raises(ValueError, match=r"^f: argument 'n' must be at least 1 \(got 0\)$"):
        as_count(0, "n", func="f", minimum=1)
