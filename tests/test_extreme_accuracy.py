"""Accuracy at the extremes, against mpmath at 400 digits: the output errors where output units
saturate, and the one-neuron derivatives and divergence for activations near 0 and 1.

The bounds are the formulas' own rounding, a few ulps of the quantities they add, so each
property fails if a subtraction such as a − y (a rounded to 1.0) creeps back in.
"""

from __future__ import annotations

import mpmath
import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from nblib.network.costs import CrossEntropyCost, LogLikelihoodCost
from nblib.network.network import Network
from nblib.numerics.activations import sigmoid, softmax
from nblib.numerics.layer import layer_gradients
from nblib.numerics.neuron import cost_prime, cost_second, dcost_dz, kl_divergence

EPS = np.finfo(np.float64).eps
TINY = np.finfo(np.float64).tiny
FEW = settings(max_examples=60, deadline=None, derandomize=True, database=None)
# σ(800) − 1 ≈ −e^{−800} ≈ −1e-348: the reference needs some 370 digits before it cancels.
DIGITS = 400

# Weighted inputs from moderate to far past saturation (σ rounds to 1.0 from z ≈ 36.7).
zs = st.floats(-800, 800) | st.sampled_from([36.8, 40.0, 100.0, 700.0, 745.0, -745.0, 0.0])
targets = st.sampled_from([0.0, 1.0]) | st.floats(0, 1)
activations = (st.floats(1e-300, 1 - 2**-53) | st.sampled_from([5e-324, 1e-310, 1e-200,
                                                                1 - 2**-53, 0.5]))


def _sigma(z: float) -> mpmath.mpf:
    """σ(z) at the working precision."""
    return 1 / (1 + mpmath.exp(-mpmath.mpf(z)))


def _close(computed: float, exact: mpmath.mpf, scale: mpmath.mpf, ulps: float) -> bool:
    """|computed − exact| within ``ulps`` units of ``scale`` (or below the subnormal range)."""
    return abs(mpmath.mpf(computed) - exact) <= ulps * EPS * scale + TINY


@FEW
@given(z=zs, y=targets)
def test_sigmoid_cross_entropy_delta_keeps_relative_accuracy(z, y):
    # δ = σ(z) − y. Its rounding error is a few ulps of the terms it subtracts: (1 − y) and
    # σ(−z) for y ≥ ½, σ(z) and y below; for y = 0 or 1 that is a relative error.
    with mpmath.workdps(DIGITS):
        exact = _sigma(z) - mpmath.mpf(y)
        scale = (1 - mpmath.mpf(y)) + _sigma(-z) if y >= 0.5 else mpmath.mpf(y) + _sigma(z)
        net = Network.from_parameters([[[1.0]]], [[0.0]], cost="cross_entropy")
        for computed in (CrossEntropyCost().delta([z], [sigmoid(z)], [y])[0],
                         net.output_error([[z]], [[y]])[0, 0], dcost_dz(z, y)):
            assert _close(float(computed), exact, scale, 4), (z, y, computed, exact)


def test_saturated_sigmoid_output_error_is_not_rounded_to_zero():
    # At z = 40, σ(z) rounds to 1.0, so a − y is exactly 0 for y = 1; the error is −e^{−40}.
    delta = Network.from_parameters([[[1.0]]], [[0.0]], cost="cross_entropy").output_error(
        [[40.0]], [[1.0]])
    assert sigmoid(40.0) == 1.0
    with mpmath.workdps(DIGITS):
        assert _close(float(delta[0, 0]), -_sigma(-40.0), _sigma(-40.0), 2)


logits = st.lists(st.floats(-800, 800), min_size=2, max_size=5)


@FEW
@given(z=logits, data=st.data())
def test_softmax_log_likelihood_delta_keeps_relative_accuracy(z, data):
    # δ = a − y for one-hot y: every entry to a few ulps of itself, the target's too (it is
    # −Σ of the other outputs, which a_target − 1 would round to 0 once a_target is 1.0).
    target = data.draw(st.integers(0, len(z) - 1))
    y = np.eye(len(z))[target]
    with mpmath.workdps(DIGITS):
        e = [mpmath.exp(mpmath.mpf(v) - max(z)) for v in z]
        exact = [v / sum(e) - mpmath.mpf(t) for v, t in zip(e, y, strict=True)]
    a = softmax(z)
    w = np.eye(len(z))  # z = w·x + b with x = z, b = 0: exactly z
    # Besides a few ulps per output, e^{z_j − max z} inherits the rounding of z_j − max z,
    # half an ulp of a number up to the spread of z: relative |t|·ε/2 (softmax's own limit).
    ulps = 4 * len(z) + (max(z) - min(z))
    for computed in (LogLikelihoodCost().delta(z, a, y),
                     layer_gradients(w, np.zeros(len(z)), np.array(z), target)[1]):
        for got, want in zip(computed, exact, strict=True):
            assert _close(float(got), want, abs(want), ulps), (z, target, computed)


@FEW
@given(a=activations, y=targets)
def test_cost_derivatives_of_a_against_mpmath(a, y):
    # C′(a) = (a − y)/(a(1 − a)) and C″(a) = y/a² + (1 − y)/(1 − a)², or a clear error when
    # the exact value is beyond float64 (never inf or NaN).
    with mpmath.workdps(DIGITS):
        ma, my = mpmath.mpf(a), mpmath.mpf(y)
        first = (ma - my) / (ma * (1 - ma))
        second = my / ma**2 + (1 - my) / (1 - ma) ** 2
    for func, exact in ((cost_prime, first), (cost_second, second)):
        if abs(exact) > np.finfo(np.float64).max:
            try:
                func(a, y)
            except ValueError as exc:
                assert str(exc).startswith(f"{func.__name__}: the result is outside float64")
            else:
                raise AssertionError(f"{func.__name__}({a!r}, {y!r}) accepted {exact}")
        else:
            assert _close(float(func(a, y)), exact, abs(exact), 4), (func, a, y)


@FEW
@given(a=activations, y=targets)
def test_kl_divergence_against_mpmath(a, y):
    # As documented, absolutely accurate: to a few ulps of 1 or of its terms, whichever is
    # larger (ln((1 − y)/(1 − a)) near 1 keeps only an absolute accuracy, and the terms may
    # cancel).
    with mpmath.workdps(DIGITS):
        ma, my = mpmath.mpf(a), mpmath.mpf(y)
        first = my * mpmath.log(my / ma) if y > 0 else mpmath.mpf(0)
        second = (1 - my) * mpmath.log((1 - my) / (1 - ma)) if y < 1 else mpmath.mpf(0)
        scale = 1 + abs(first) + abs(second)
    assert _close(float(kl_divergence(y, a)), first + second, scale, 8), (a, y)
