"""Tests for nblib.numerics.activations against a 50-digit mpmath oracle and by properties."""

import contextlib
import math
import warnings

import mpmath
import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from nblib.numerics.activations import log_softmax, sigmoid, sigmoid_prime, softmax

EPS = np.finfo(np.float64).eps
FEW = settings(max_examples=200, deadline=None)

finite = st.floats(allow_nan=False, allow_infinity=False)
moderate = st.floats(-10, 10)


@contextlib.contextmanager
def strict():
    """Turn every warning into an error and every floating-point flag into an exception."""
    with warnings.catch_warnings(), np.errstate(all="raise"):
        warnings.simplefilter("error")
        yield


def vectors(elements=finite, max_size=8):
    """Hypothesis strategy for nonempty 1-d float arrays."""
    return st.lists(elements, min_size=1, max_size=max_size).map(np.array)


# --------------------------------------------------------------------------- oracles


def mp_sigmoid(z):
    with mpmath.workdps(50):
        return float(1 / (1 + mpmath.exp(-mpmath.mpf(z))))


def mp_sigmoid_prime(z):
    # σ(z)·σ(−z) rather than σ(z)(1 − σ(z)): 1 − σ(z) would cancel even at 50 digits.
    with mpmath.workdps(50):
        z = mpmath.mpf(z)
        return float(1 / (1 + mpmath.exp(-z)) / (1 + mpmath.exp(z)))


def mp_softmax(z, c):
    with mpmath.workdps(50):
        e = [mpmath.exp(mpmath.mpf(c) * mpmath.mpf(float(zj))) for zj in z]
        total = mpmath.fsum(e)
        return np.array([float(ej / total) for ej in e])


def mp_log_softmax(z, c):
    with mpmath.workdps(50):
        t = [mpmath.mpf(c) * mpmath.mpf(float(zj)) for zj in z]
        top = max(t)
        lse = top + mpmath.log(mpmath.fsum(mpmath.exp(tj - top) for tj in t))
        return np.array([float(tj - lse) for tj in t])


# --------------------------------------------------------------------------- sigmoid


@FEW
@given(st.floats(-700, 700))
def test_sigmoid_matches_mpmath(z):
    assert sigmoid(z) == pytest.approx(mp_sigmoid(z), rel=4 * EPS, abs=0)


@FEW
@given(st.floats(-700, 700))
def test_sigmoid_prime_matches_mpmath(z):
    assert sigmoid_prime(z) == pytest.approx(mp_sigmoid_prime(z), rel=8 * EPS, abs=0)


def test_sigmoid_known_values():
    np.testing.assert_array_equal(sigmoid([0.0, -0.0]), [0.5, 0.5])
    assert sigmoid(1.0) == pytest.approx(1 / (1 + math.exp(-1)), rel=EPS)
    assert sigmoid_prime(0.0) == 0.25


@FEW
@given(finite)
def test_sigmoid_symmetry(z):
    with strict():
        assert abs(sigmoid(-z) - (1.0 - sigmoid(z))) <= 2 * EPS
        assert sigmoid_prime(-z) == sigmoid_prime(z)


@FEW
@given(finite)
def test_sigmoid_range_and_no_warnings(z):
    with strict():
        s, ds = sigmoid(z), sigmoid_prime(z)
    assert 0.0 <= s <= 1.0
    assert 0.0 <= ds <= 0.25


def test_sigmoid_extremes_without_warnings():
    z = np.array([1e300, -1e300, 1.7e308, -1.7e308, 800.0, -800.0, 5e-324, -5e-324])
    with strict():
        s, ds = sigmoid(z), sigmoid_prime(z)
    np.testing.assert_array_equal(s, [1.0, 0.0, 1.0, 0.0, 1.0, 0.0, 0.5, 0.5])
    np.testing.assert_array_equal(ds, [0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.25, 0.25])


def test_sigmoid_rounds_to_one_near_37():
    # The reason cross_entropy_from_z exists: σ(z) is exactly 1.0 in float64 from z ≈ 36.7.
    assert sigmoid(36.0) < 1.0
    assert sigmoid(37.0) == 1.0
    assert sigmoid(-37.0) > 0.0


def test_sigmoid_prime_keeps_relative_accuracy_where_one_minus_sigma_cancels():
    z = 30.0
    naive = sigmoid(z) * (1 - sigmoid(z))  # loses most digits to cancellation
    assert sigmoid_prime(z) == pytest.approx(mp_sigmoid_prime(z), rel=4 * EPS)
    assert naive != pytest.approx(mp_sigmoid_prime(z), rel=1e-6, abs=0)


def test_sigmoid_return_types():
    assert type(sigmoid(1.0)) is np.float64
    assert type(sigmoid_prime(np.float32(1.0))) is np.float64
    out = sigmoid([[1, 2, 3]])
    assert isinstance(out, np.ndarray)
    assert out.shape == (1, 3)
    assert out.dtype == np.float64


def test_sigmoid_does_not_modify_its_input():
    z = np.array([-1.0, 2.0])
    sigmoid(z)
    sigmoid_prime(z)
    np.testing.assert_array_equal(z, [-1.0, 2.0])


@pytest.mark.parametrize("func", [sigmoid, sigmoid_prime])
def test_sigmoid_rejects_bad_input(func):
    name = func.__name__
    with pytest.raises(TypeError, match=rf"^{name}: argument 'z' is a str"):
        func("1.0")
    with pytest.raises(ValueError, match=rf"^{name}: argument 'z' contains NaN at index 1"):
        func([0.0, np.nan])
    with pytest.raises(ValueError, match=rf"^{name}: argument 'z' contains infinite values"):
        func(np.inf)


# --------------------------------------------------------------------------- softmax


@FEW
@given(vectors(moderate), st.floats(-3, 3))
def test_softmax_matches_mpmath(z, c):
    np.testing.assert_allclose(softmax(z, c), mp_softmax(z, c), rtol=1e-13, atol=0)


@FEW
@given(vectors(), st.one_of(st.floats(-1e6, 1e6), finite))
def test_softmax_is_a_distribution_without_warnings(z, c):
    with strict():
        a = softmax(z, c)
    assert a.shape == z.shape
    assert np.all((a >= 0) & (a <= 1))
    assert abs(a.sum() - 1.0) <= (len(z) + 2) * EPS


@FEW
@given(vectors(st.floats(-100, 100)), st.floats(-100, 100), st.floats(-2, 2))
def test_softmax_is_shift_invariant(z, k, c):
    np.testing.assert_allclose(softmax(z + k, c), softmax(z, c), rtol=1e-11, atol=0)


@FEW
@given(
    vectors(st.floats(-20, 20), max_size=6),
    st.data(),
    st.floats(1e-3, 10),
)
def test_softmax_is_monotone(z, data, delta):
    j = data.draw(st.integers(0, len(z) - 1))
    a = softmax(z)
    bumped = z.copy()
    bumped[j] += delta
    b = softmax(bumped)
    slack = 1e-13  # relative rounding allowance; the true changes are weakly monotone
    assert b[j] >= a[j] * (1 - slack)
    others = np.arange(len(z)) != j
    assert np.all(b[others] <= a[others] * (1 + slack))
    if 0 < a[j] < 0.5:  # far from saturation the increase is visible
        assert b[j] > a[j]


def indicator(mask):
    """1/m on the m True entries of mask, 0 elsewhere, as exact floats."""
    return np.where(mask, 1.0 / mask.sum(), 0.0)


tied_vectors = st.tuples(
    st.lists(st.integers(-5, 5), min_size=1, max_size=8),
    st.sampled_from([1e-3, 1.0, 1e300, 3e307]),
).map(lambda pair: np.array(pair[0], dtype=float) * pair[1])


@FEW
@given(tied_vectors)
def test_softmax_tends_to_argmax_indicator(z):
    with strict():
        a = softmax(z, c=1e6)
    np.testing.assert_array_equal(a, indicator(z == z.max()))


@FEW
@given(tied_vectors)
def test_softmax_tends_to_argmin_indicator_for_negative_c(z):
    with strict():
        a = softmax(z, c=-1e6)
    np.testing.assert_array_equal(a, indicator(z == z.min()))


def test_softmax_ties_share_equally():
    np.testing.assert_array_equal(softmax([3.0, 1.0, 3.0, 3.0], c=1e6), [1 / 3, 0, 1 / 3, 1 / 3])
    np.testing.assert_array_equal(softmax([2.0, 2.0]), [0.5, 0.5])


@FEW
@given(vectors(), st.sampled_from([0.0, -0.0, 0]))
def test_softmax_c_zero_is_uniform(z, c):
    with strict():
        a = softmax(z, c)
    np.testing.assert_array_equal(a, np.full(len(z), 1.0 / len(z)))


@pytest.mark.parametrize(
    "z, c",
    [
        ([1e300, -1e300, 0.0], 1e6),
        ([1e300, -1e300, 0.0], -1e6),
        ([1.7e308, -1.7e308], 1.0),
        ([1.7e308, -1.7e308], -1e300),
        ([1.0, 2.0], 1e300),
        ([1.0, 2.0], 5e-324),
        ([-1000.0, 0.0, 1000.0], 1.0),
    ],
)
def test_softmax_extremes_without_warnings(z, c):
    with strict():
        a = softmax(z, c)
    assert np.isfinite(a).all()
    assert abs(a.sum() - 1.0) <= 4 * EPS
    # ln a_j = c·(z_j − z_ext) − ln Σ: finite unless c·(z_j − z_ext) is beyond float64.
    spread = abs(c) * (max(z) - min(z))  # Python floats: inf when it overflows
    with strict():
        if spread < np.finfo(float).max:
            assert np.isfinite(log_softmax(z, c)).all()
        else:
            with pytest.raises(ValueError, match=r"^log_softmax: the result is outside "):
                log_softmax(z, c)


def test_softmax_huge_c_gives_indicator_exactly():
    with strict():
        np.testing.assert_array_equal(softmax([1e300, -1e300, 1e299], c=1e6), [1.0, 0.0, 0.0])
        np.testing.assert_array_equal(softmax([1.0, 2.0], c=1e300), [0.0, 1.0])


def test_softmax_tiny_c_is_nearly_uniform():
    np.testing.assert_array_equal(softmax([1.0, 2.0], c=5e-324), [0.5, 0.5])


def test_softmax_axis():
    z = np.array([[1.0, 2.0, 3.0], [0.0, 0.0, 5.0]])
    rows = softmax(z)
    cols = softmax(z, axis=0)
    for i in range(2):
        np.testing.assert_array_equal(rows[i], softmax(z[i]))
    for j in range(3):
        np.testing.assert_array_equal(cols[:, j], softmax(z[:, j]))
    np.testing.assert_array_equal(softmax(z, axis=np.int64(-2)), cols)


def test_softmax_single_neuron_is_one():
    np.testing.assert_array_equal(softmax([123.0], c=-7), [1.0])


def test_softmax_does_not_modify_its_input():
    z = np.array([3.0, 1.0])
    softmax(z)
    log_softmax(z)
    np.testing.assert_array_equal(z, [3.0, 1.0])


@pytest.mark.parametrize("func", [softmax, log_softmax])
def test_softmax_rejects_bad_input(func):
    name = func.__name__
    with pytest.raises(ValueError, match=rf"^{name}: argument 'z' needs at least one neuron"):
        func(1.0)
    with pytest.raises(ValueError, match=rf"^{name}: argument 'z' is empty"):
        func([])
    with pytest.raises(ValueError, match=rf"^{name}: argument 'z' contains NaN at index \(1, 2\)"):
        func([[0, 0, 0], [0, 0, np.nan]])
    with pytest.raises(TypeError, match=rf"^{name}: argument 'z' is boolean"):
        func([True, False])
    with pytest.raises(TypeError, match=rf"^{name}: argument 'c' must be a real number"):
        func([1.0, 2.0], c="1")
    with pytest.raises(TypeError, match=rf"^{name}: argument 'c' must be a single number"):
        func([1.0, 2.0], c=np.array([1.0, 2.0]))
    with pytest.raises(ValueError, match=rf"^{name}: argument 'c' is infinite"):
        func([1.0, 2.0], c=np.inf)
    with pytest.raises(ValueError, match=rf"^{name}: argument 'c' is NaN"):
        func([1.0, 2.0], c=np.nan)
    with pytest.raises(ValueError, match=rf"^{name}: argument 'axis' is 1, out of range"):
        func([1.0, 2.0], axis=1)
    with pytest.raises(TypeError, match=rf"^{name}: argument 'axis' must be an integer"):
        func([1.0, 2.0], axis=0.0)


# --------------------------------------------------------------------------- log_softmax


@FEW
@given(vectors(moderate), st.floats(-3, 3))
def test_log_softmax_is_log_of_softmax(z, c):
    np.testing.assert_allclose(log_softmax(z, c), np.log(softmax(z, c)), rtol=0, atol=1e-13)


@FEW
@given(vectors(st.floats(-1e4, 1e4)), st.floats(-3, 3))
def test_log_softmax_matches_mpmath_where_softmax_underflows(z, c):
    with strict():
        la = log_softmax(z, c)
    assert np.isfinite(la).all()
    expected = mp_log_softmax(z, c)
    # The shift z − z_ext is rounded, so allow a few ulps of |t| plus a few of ln n.
    np.testing.assert_allclose(la, expected, rtol=8 * EPS, atol=8 * EPS)


def test_log_softmax_is_finite_where_softmax_is_zero():
    with strict():
        a = softmax([0.0, -1000.0])
        la = log_softmax([0.0, -1000.0])
    assert a[1] == 0.0
    np.testing.assert_array_equal(la, [0.0, -1000.0])


def test_log_softmax_refuses_only_when_the_exact_value_is_unrepresentable():
    with strict(), pytest.raises(ValueError, match=r"^log_softmax: the result is outside "
                                                   r"float64's range at index 1"):
        log_softmax([1e308, -1e308])
    with strict():
        np.testing.assert_allclose(log_softmax([1e308, -7e307]), [0.0, -1.7e308], rtol=EPS)


def test_log_softmax_uniform_and_ties():
    np.testing.assert_allclose(log_softmax([5.0, -3.0, 1e300], c=0), [-math.log(3)] * 3, rtol=EPS)
    np.testing.assert_allclose(log_softmax([2.0, 2.0], c=1e6), [-math.log(2)] * 2, rtol=EPS)
