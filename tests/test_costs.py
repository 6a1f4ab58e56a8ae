"""Tests for nblib.numerics.costs against hand-computed values and a 50-digit mpmath oracle."""

import contextlib
import math
import warnings

import mpmath
import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from nblib.numerics.activations import log_softmax, sigmoid, softmax
from nblib.numerics.costs import (
    binary_entropy,
    cross_entropy,
    cross_entropy_from_z,
    log_likelihood,
    quadratic_cost,
    softplus,
)
from nblib.reports.checks import numerical_gradient

EPS = np.finfo(np.float64).eps
FEW = settings(max_examples=200, deadline=None)

finite = st.floats(allow_nan=False, allow_infinity=False)
unit = st.floats(0, 1)
open_unit = st.floats(0, 1, exclude_min=True, exclude_max=True)


@contextlib.contextmanager
def strict():
    """Turn every warning into an error and every floating-point flag into an exception."""
    with warnings.catch_warnings(), np.errstate(all="raise"):
        warnings.simplefilter("error")
        yield


# --------------------------------------------------------------------------- oracles


def mp_softplus(t):
    with mpmath.workdps(50):
        return mpmath.log1p(mpmath.exp(mpmath.mpf(t)))


def mp_cross_entropy_from_z(z, y):
    # −[y ln σ(z) + (1 − y) ln(1 − σ(z))] with ln σ(z) = −ln(1 + e^{−z}), at 50 digits.
    with mpmath.workdps(50):
        y = mpmath.mpf(y)
        return float(y * mp_softplus(-z) + (1 - y) * mp_softplus(z))


def mp_cross_entropy(a, y):
    with mpmath.workdps(50):
        a, y = mpmath.mpf(a), mpmath.mpf(y)
        # log1p: at 50 digits 1 − a would still round to 1 for a ≲ 1e-50.
        return float(-(y * mpmath.log(a) + (1 - y) * mpmath.log1p(-a)))


def mp_binary_entropy(y):
    with mpmath.workdps(50):
        y = mpmath.mpf(y)
        first = y * mpmath.log(y) if y > 0 else 0
        second = (1 - y) * mpmath.log1p(-y) if y < 1 else 0
        return float(-(first + second))


# --------------------------------------------------------------------------- quadratic


def test_quadratic_cost_values():
    np.testing.assert_array_equal(quadratic_cost([0.5, 1.0, 0.0], [0.0, 1.0, 2.0]), [0.125, 0, 2])
    assert quadratic_cost(3, 1) == 2.0
    assert type(quadratic_cost(3, 1)) is np.float64
    assert quadratic_cost([[0.2]], [[0.1]]).shape == (1, 1)


def test_quadratic_cost_sums_to_half_squared_norm():
    a, y = np.array([0.1, 0.7, 0.2]), np.array([0.0, 1.0, 0.0])
    assert quadratic_cost(a, y).sum() == pytest.approx(0.5 * np.linalg.norm(a - y) ** 2)


def test_quadratic_cost_beyond_float64_is_a_clear_error_without_warning():
    # ½(2e300)² = 2e600: not a float64, so an error says so rather than returning inf.
    with strict(), pytest.raises(ValueError, match=r"^quadratic_cost: the cost is outside "
                                                   r"float64's range"):
        quadratic_cost(1e300, -1e300)
    with strict():
        assert quadratic_cost(9e153, -9e153) == pytest.approx(1.62e308)


def test_quadratic_cost_errors():
    with pytest.raises(ValueError, match=r"^quadratic_cost: arguments 'a' and 'y' must have the"):
        quadratic_cost([1.0, 2.0], [1.0])
    with pytest.raises(TypeError, match=r"^quadratic_cost: argument 'y' is None"):
        quadratic_cost([1.0], None)
    with pytest.raises(ValueError, match=r"^quadratic_cost: argument 'a' contains NaN"):
        quadratic_cost([np.nan], [1.0])


# --------------------------------------------------------------------------- cross-entropy


def test_cross_entropy_hand_values():
    assert cross_entropy(0.5, 0.5) == pytest.approx(math.log(2), rel=EPS)
    assert cross_entropy(0.3, 1) == pytest.approx(-math.log(0.3), rel=EPS)
    assert cross_entropy(0.3, 0) == pytest.approx(-math.log(0.7), rel=EPS)
    out = cross_entropy([0.9, 0.1], [1.0, 0.0])
    np.testing.assert_allclose(out, [-math.log(0.9)] * 2, rtol=2 * EPS)


@FEW
@given(open_unit, unit)
def test_cross_entropy_matches_mpmath(a, y):
    with strict():
        c = cross_entropy(a, y)
    assert c == pytest.approx(mp_cross_entropy(a, y), rel=1e-14, abs=0)


@FEW
@given(open_unit, open_unit)
def test_cross_entropy_is_at_least_binary_entropy(a, y):
    # Gibbs' inequality: the cost is smallest, and equal to H(y), at a = y.
    assert cross_entropy(a, y) >= binary_entropy(y) * (1 - 1e-14)
    assert cross_entropy(y, y) == pytest.approx(binary_entropy(y), rel=1e-14, abs=0)


def test_sigma_40_rounds_to_one_and_cross_entropy_points_to_from_z():
    a = sigmoid(40.0)
    assert a == 1.0  # exact in float64, although σ(40) < 1 in exact arithmetic
    pattern = (
        r"^cross_entropy: argument 'a' must lie strictly between 0 and 1 \(got min 1, max 1"
        r".*ln a and ln\(1−a\).*cross_entropy_from_z"
    )
    with pytest.raises(ValueError, match=pattern):
        cross_entropy(a, 0)
    assert cross_entropy_from_z(40.0, 0) == pytest.approx(40.0, rel=EPS)


@pytest.mark.parametrize("a", [0.0, 1.0, -0.1, 1.5])
def test_cross_entropy_rejects_a_outside_open_unit(a):
    with pytest.raises(ValueError, match=r"cross_entropy_from_z"):
        cross_entropy([0.5, a], [0.0, 1.0])


def test_cross_entropy_other_errors():
    with pytest.raises(ValueError, match=r"^cross_entropy: argument 'y' must lie between 0 and 1"):
        cross_entropy([0.5], [1.5])
    with pytest.raises(ValueError, match=r"^cross_entropy: arguments 'a' and 'y' must have"):
        cross_entropy([0.5, 0.5], [1.0])
    with pytest.raises(TypeError, match=r"^cross_entropy: argument 'y' is boolean"):
        cross_entropy([0.5], [True])


# --------------------------------------------------------------------------- from z


@FEW
@given(st.floats(-5, 5), unit)
def test_cross_entropy_from_z_agrees_with_cross_entropy_of_sigmoid(z, y):
    # Only for moderate z: beyond, cross_entropy(σ(z)) itself loses digits to rounding in σ.
    expected = cross_entropy(sigmoid(z), y)
    assert cross_entropy_from_z(z, y) == pytest.approx(expected, rel=1e-12, abs=0)


@FEW
@given(st.floats(-700, 700), unit)
def test_cross_entropy_from_z_matches_mpmath(z, y):
    with strict():
        c = cross_entropy_from_z(z, y)
    assert c == pytest.approx(mp_cross_entropy_from_z(z, y), rel=1e-14, abs=0)


@FEW
@given(finite, unit)
def test_cross_entropy_from_z_is_finite_everywhere(z, y):
    with strict():
        c = cross_entropy_from_z(z, y)
    assert np.isfinite(c)
    assert c >= 0


@pytest.mark.parametrize("y", [0.0, 0.25, 0.5, 1.0])
def test_cross_entropy_from_z_at_huge_z(y):
    with strict():
        out = cross_entropy_from_z([1e300, -1e300, 1.7e308, -1.7e308], [y] * 4)
    # softplus(t) = t exactly for huge t and 0 for hugely negative t.
    expected = [(1 - y) * 1e300, y * 1e300, (1 - y) * 1.7e308, y * 1.7e308]
    np.testing.assert_array_equal(out, expected)


@pytest.mark.parametrize("z", [-3.0, -0.5, 0.0, 0.7, 4.0])
@pytest.mark.parametrize("y", [0.0, 0.3, 1.0])
def test_gradient_in_z_is_sigma_minus_y(z, y):
    # The point of Chapter 3: ∂C/∂z = σ(z) − y, with no σ′(z) factor to slow learning.
    grad = numerical_gradient(lambda v: cross_entropy_from_z(v, y), z)
    assert grad == pytest.approx(sigmoid(z) - y, abs=1e-9)


def test_cross_entropy_from_z_errors():
    with pytest.raises(ValueError, match=r"^cross_entropy_from_z: argument 'y' must lie between"):
        cross_entropy_from_z([0.0], [-0.5])
    with pytest.raises(ValueError, match=r"^cross_entropy_from_z: arguments 'z' and 'y' must"):
        cross_entropy_from_z([0.0, 1.0], [[0.0, 1.0]])
    with pytest.raises(ValueError, match=r"^cross_entropy_from_z: argument 'z' contains infinite"):
        cross_entropy_from_z([np.inf], [0.0])


# --------------------------------------------------------------------------- softplus


@FEW
@given(st.floats(-700, 700))
def test_softplus_matches_mpmath(t):
    assert softplus(t) == pytest.approx(float(mp_softplus(t)), rel=4 * EPS, abs=0)


def test_softplus_extremes_without_warnings():
    with strict():
        out = softplus([1e300, -1e300, 1.7e308, -1.7e308, 0.0, 800.0, -800.0])
    np.testing.assert_array_equal(out[:4], [1e300, 0.0, 1.7e308, 0.0])
    assert out[4] == pytest.approx(math.log(2), rel=EPS)
    assert out[5] == 800.0
    assert out[6] == 0.0  # e^{−800} underflows; that is the correctly rounded result
    assert type(softplus(1.0)) is np.float64


def test_softplus_errors():
    with pytest.raises(TypeError, match=r"^softplus: argument 't' is complex"):
        softplus(1j)


# --------------------------------------------------------------------------- log-likelihood


def test_log_likelihood_one_hot_is_minus_log_of_target():
    a = [0.7, 0.2, 0.1]
    assert log_likelihood(a, [0, 1, 0]) == pytest.approx(-math.log(0.2), rel=EPS)
    assert type(log_likelihood(a, [0, 1, 0])) is np.float64


def test_log_likelihood_soft_labels_and_batches():
    a = np.array([[0.7, 0.2, 0.1], [0.25, 0.25, 0.5]])
    y = np.array([[0.5, 0.5, 0.0], [0.0, 0.0, 1.0]])
    expected = [-(0.5 * math.log(0.7) + 0.5 * math.log(0.2)), math.log(2)]
    np.testing.assert_allclose(log_likelihood(a, y), expected, rtol=2 * EPS)
    np.testing.assert_allclose(log_likelihood(a.T, y.T, axis=0), expected, rtol=2 * EPS)


@FEW
@given(st.lists(st.floats(-20, 20), min_size=2, max_size=6), st.data())
def test_log_likelihood_of_softmax_matches_log_softmax(z, data):
    target = data.draw(st.integers(0, len(z) - 1))
    y = np.eye(len(z))[target]
    expected = -log_softmax(z)[target]
    assert log_likelihood(softmax(z), y) == pytest.approx(expected, rel=1e-12, abs=1e-15)


def test_log_likelihood_rejects_zero_target_activation_and_suggests_log_softmax():
    a = softmax([0.0, -1000.0])  # the second entry underflows to 0
    assert a[1] == 0.0
    pattern = r"^log_likelihood: argument 'a' must lie in \(0, 1\] \(got min 0.*log_softmax"
    with pytest.raises(ValueError, match=pattern):
        log_likelihood(a, [0.0, 1.0])


def test_log_likelihood_ignores_underflowed_non_target_activation():
    # 0·ln 0 = 0: the cost of the first class is −ln 1 = 0, with no warning.
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        assert log_likelihood(softmax([0.0, -1000.0]), [1.0, 0.0]) == 0.0
        assert log_likelihood([0.25, 0.0, 0.75], [0.5, 0.0, 0.5]) == pytest.approx(
            -(0.5 * math.log(0.25) + 0.5 * math.log(0.75)), rel=EPS)


def test_log_likelihood_errors():
    pattern = r"^log_likelihood: argument 'a' must lie between 0 and 1 inclusive"
    with pytest.raises(ValueError, match=pattern):
        log_likelihood([1.5, -0.5], [1.0, 0.0])
    pattern = r"^log_likelihood: argument 'a' must sum to 1 along axis 0 \(worst sum 0\.9"
    with pytest.raises(ValueError, match=pattern):
        log_likelihood([0.5, 0.4], [1.0, 0.0])
    pattern = r"^log_likelihood: argument 'y' must sum to 1 along axis 1 \(worst sum 2 for y\[1,"
    with pytest.raises(ValueError, match=pattern):
        log_likelihood([[0.5, 0.5], [0.5, 0.5]], [[1.0, 0.0], [1.0, 1.0]])
    with pytest.raises(ValueError, match=r"^log_likelihood: argument 'y' must be nonnegative"):
        log_likelihood([0.5, 0.5], [1.5, -0.5])
    with pytest.raises(ValueError, match=r"^log_likelihood: arguments 'a' and 'y' must have"):
        log_likelihood([0.5, 0.5], [1.0, 0.0, 0.0])
    with pytest.raises(ValueError, match=r"^log_likelihood: arguments 'a' and 'y' need at least"):
        log_likelihood(1.0, 1.0)
    with pytest.raises(ValueError, match=r"^log_likelihood: argument 'axis' is 1, out of range"):
        log_likelihood([1.0], [1.0], axis=1)


# --------------------------------------------------------------------------- binary entropy


def test_binary_entropy_known_values():
    out = binary_entropy([0.0, 0.5, 1.0])
    np.testing.assert_array_equal(out, [0.0, math.log(2), 0.0])
    assert not np.signbit(out).any()  # +0, not −0
    assert type(binary_entropy(0.0)) is np.float64


@FEW
@given(unit)
def test_binary_entropy_matches_mpmath(y):
    with strict():
        h = binary_entropy(y)
    assert h == pytest.approx(mp_binary_entropy(y), rel=1e-14, abs=0)
    assert 0.0 <= h <= math.log(2) * (1 + EPS)


def test_binary_entropy_tiny_and_subnormal_without_warnings():
    with strict():
        out = binary_entropy([5e-324, 1e-300, 1 - 2**-53])
    assert (out > 0).all()


def test_binary_entropy_errors():
    with pytest.raises(ValueError, match=r"^binary_entropy: argument 'y' must lie between 0 and 1"):
        binary_entropy([0.5, 1.0000000000000002])
    with pytest.raises(TypeError, match=r"^binary_entropy: argument 'y' is None"):
        binary_entropy(None)
