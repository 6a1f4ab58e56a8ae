"""The slope (75) integrated by quadrature, against mpmath's own quadrature and closed forms."""

from __future__ import annotations

import math

import mpmath
import numpy as np
import pytest

from nblib.numerics.quadrature import cost_from_slope


def mp_integral(a: float, y: float, start: float) -> mpmath.mpf:
    """∫ from start to a of (t − y)/(t(1 − t)) dt by mpmath's tanh-sinh quadrature at 40
    digits, split at ½ (the quadrature nodes crowd at the ends, where the slope blows up)."""
    def slope(t):
        return (t - y) / (t * (1 - t))

    points = [start, *([0.5] if min(start, a) < 0.5 < max(start, a) else []), a]
    with mpmath.workdps(40):
        return mpmath.quad(slope, [mpmath.mpf(p) for p in points])


def closed_form(a: float, y: float, start: float) -> float:
    """The cross-entropy's difference −[y ln t + (1 − y) ln(1 − t)] from start to a, in
    math.log1p form (independent of nblib's costs)."""
    def cost(t: float) -> float:
        return -(y * math.log(t) + (1 - y) * math.log1p(-t))

    return cost(a) - cost(start)


@pytest.mark.parametrize(("a", "y", "start"), [
    (0.875, 0.25, 0.5), (0.125, 0.25, 0.5), (0.3, 0.3, 0.7), (0.01, 0.0, 0.5),
    (0.99, 1.0, 0.5), (0.6, 0.9, 0.05), (1e-6, 0.5, 0.5), (1 - 1e-6, 0.5, 0.25),
])
def test_against_mpmath_quadrature(a, y, start):
    expected = mp_integral(a, y, start)
    assert cost_from_slope(a, y, start) == pytest.approx(float(expected), rel=1e-14, abs=1e-15)


def test_a_grid_against_the_closed_form():
    rng = np.random.default_rng(0)
    a = np.concatenate([np.arange(1, 1024) / 1024, rng.uniform(0, 1, 500)])
    for y in (0.0, 0.25, 0.5, 1.0, 0.371):
        got = cost_from_slope(a, np.full_like(a, y))
        want = np.array([closed_form(v, y, 0.5) for v in a])
        np.testing.assert_allclose(got, want, rtol=0, atol=5e-15)


@pytest.mark.parametrize(("a", "y"), [(1e-300, 0.3), (2.0**-1022, 1.0), (5e-324, 0.5),
                                      (1 - 2.0**-53, 0.0), (1 - 2.0**-53, 0.75)])
def test_deep_into_the_ends_including_subnormal_activations(a, y):
    # Up to 1073 dyadic cells, summed pairwise: a few ulps of the result.
    with np.errstate(all="raise"):
        got = cost_from_slope(a, y)
    # ln of a subnormal: math.log is exact enough (5e-324 is a power of two).
    assert got == pytest.approx(closed_form(a, y, 0.5), rel=2e-15)


def test_from_y_the_constant_is_the_binary_entropy():
    a = np.linspace(0.01, 0.99, 99)
    for y in (0.1, 0.5, 0.8):
        entropy = -(y * math.log(y) + (1 - y) * math.log(1 - y))
        want = np.array([closed_form(v, y, 0.5) for v in a]) + math.log(2) - entropy
        np.testing.assert_allclose(cost_from_slope(a, np.full_like(a, y), start=y), want,
                                   atol=5e-15)


def test_zero_at_the_start_and_odd_in_the_limits():
    a, y = np.array([0.2, 0.5, 0.9]), np.array([0.3, 0.3, 0.3])
    assert (cost_from_slope(a, y, start=0.2)[0], cost_from_slope(0.9, 0.3, 0.9)) == (0.0, 0.0)
    forward, backward = cost_from_slope(0.9, 0.3, 0.2), cost_from_slope(0.2, 0.3, 0.9)
    assert forward == pytest.approx(-backward, rel=1e-15)
    # Additive over [0.2, 0.5] and [0.5, 0.9].
    assert forward == pytest.approx(cost_from_slope(0.5, 0.3, 0.2)
                                    + cost_from_slope(0.9, 0.3, 0.5), rel=1e-14)


def test_shapes_and_scalars():
    assert isinstance(cost_from_slope(0.3, 0.5), np.float64)
    out = cost_from_slope(np.full((2, 3), 0.25), np.zeros((2, 3)))
    # Equal entries give equal results, wherever they stand in the array.
    assert out.shape == (2, 3) and np.all(out == cost_from_slope(0.25, 0.0))


@pytest.mark.parametrize(("args", "error", "message"), [
    ((0.0, 0.5), ValueError, "cost_from_slope: argument 'a' must lie strictly between 0 and 1"),
    ((1.0, 0.5), ValueError, "the slope (a − y)/(a(1 − a)) is infinite at 0 and 1"),
    ((0.5, 1.5), ValueError, "cost_from_slope: argument 'y' must lie between 0 and 1"),
    ((0.5, 0.5, 1.0), ValueError, "cost_from_slope: argument 'start' must lie strictly"),
    (([0.5, 0.2], [0.5]), ValueError, "cost_from_slope: arguments 'a' and 'y' must have the same"),
    ((0.5, 0.5, [0.5]), TypeError, "cost_from_slope: argument 'start' must be a real number"),
    (("0.5", 0.5), TypeError, "cost_from_slope: argument 'a'"),
    ((np.nan, 0.5), ValueError, "cost_from_slope: argument 'a'"),
])
def test_bad_input_is_named(args, error, message):
    with pytest.raises(error, match=message.replace("(", r"\(").replace(")", r"\)")):
        cost_from_slope(*args)
