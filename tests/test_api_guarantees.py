"""The audit's cases (issue 14), one by one: each now gives the right number or a clear error.

The fuzz suite (test_hostile_input.py) covers the same ground at random; these are the cases
as reported, with the values mathematics gives them.
"""

from __future__ import annotations

import math
import os
import re
import time
import warnings

import numpy as np
import pytest
import sympy as sp

import nblib
from nblib.network.costs import CrossEntropyCost, SigmoidOutput
from nblib.network.network import MAX_EPOCHS, Network
from nblib.numerics.jacobians import jacobian_from_activations
from nblib.numerics.layer import one_hot
from nblib.numerics.neuron import cost_prime, cost_second, kl_divergence
from nblib.numerics.validation import MAX_ENTRIES, as_labels
from nblib.proof.notation import named
from nblib.proof.softmax import check_jacobian_signs, softmax_a, z_vector
from nblib.proof.symbolic import MAX_SIZE
from nblib.reports.checks import describe_bound


@pytest.fixture
def strict():
    """Every warning an error, every floating-point flag an exception."""
    with warnings.catch_warnings(), np.errstate(all="raise"):
        warnings.simplefilter("error")
        yield


# --------------------------------------------------------------------------- strings


CODE = "__import__('os').environ.__setitem__('NBLIB_PWNED', '1')"


@pytest.mark.parametrize("call, name", [
    (lambda: nblib.Derivation(CODE), "Derivation: argument 'start'"),
    (lambda: nblib.Derivation(sp.Integer(1)).step(CODE), "Derivation.step: argument 'expr'"),
    (lambda: nblib.sigma(CODE), "sigma: argument 'args[0]'"),
    (lambda: named("a", CODE), "named: argument 'definition'"),
    (lambda: softmax_a(CODE, 3), "softmax_a: argument 'args[0]'"),
])
def test_strings_are_refused_never_evaluated(call, name, monkeypatch):
    monkeypatch.delenv("NBLIB_PWNED", raising=False)
    with pytest.raises(TypeError, match=rf"^{re.escape(name)} is a str .*never evaluated"):
        call()
    assert "NBLIB_PWNED" not in os.environ


def test_sympy_objects_and_numbers_are_still_taken():
    x = sp.Symbol("x")
    assert nblib.sigma(2).doit() == 1 / (1 + sp.exp(-2))
    assert nblib.Derivation(x + 1).step(1 + x).checked_steps == 1
    with pytest.raises(TypeError, match=r"^Derivation: argument 'start' must be a SymPy "):
        nblib.Derivation([x])


# --------------------------------------------------------------------------- extreme values


def test_extreme_but_valid_values_are_finite_and_right(strict):
    assert cost_second(1e-200, 0.0) == 1.0  # 1/(1 − 1e-200)² rounds to 1
    # −ln(1 − 5e-324) ≈ 5e-324: within the documented absolute accuracy, without a warning.
    assert 0.0 <= kl_divergence(0.0, 5e-324) <= 5e-324
    assert kl_divergence(1.0, 5e-324) == pytest.approx(-math.log(5e-324), rel=1e-15)
    assert cost_prime(1e-300, 0.5) == pytest.approx(-0.5e300, rel=1e-15)  # (a − y)/(a(1 − a))


@pytest.mark.parametrize("call, message", [
    (lambda: cost_prime(1e-310, 1.0), "cost_prime: the result is outside float64's range"),
    (lambda: cost_second(1e-200, 1.0), "cost_second: the result is outside float64's range"),
    (lambda: Network.from_parameters([[[1e200]]], [[0.0]], output="linear")
        .feedforward([[1e200]]), "Network.feedforward: a weighted input"),
    (lambda: Network.from_parameters([[[1e200]]], [[0.0]], output="linear")
        .cost([[1e200]], [[0.0]]), "Network.cost: a weighted input"),
])
def test_values_beyond_float64_are_errors_not_inf(strict, call, message):
    with pytest.raises(ValueError, match=f"^{re.escape(message)}"):
        call()


# --------------------------------------------------------------------------- bad input


@pytest.mark.parametrize("call, message", [
    (lambda: nblib.sigmoid([0.5, True]), "sigmoid: argument 'z' holds a bool (True) at index 1"),
    (lambda: nblib.softmax([[0.5, 1.0], [np.True_, 0.0]]),
     "softmax: argument 'z' holds a bool (True) at index (1, 0)"),
    (lambda: one_hot([0, True], 3), "one_hot: argument 'labels' holds a bool (True) at index 1"),
])
def test_booleans_inside_lists_are_refused(call, message):
    with pytest.raises(TypeError, match=f"^{re.escape(message)}"):
        call()


@pytest.mark.parametrize("call, message", [
    (lambda: jacobian_from_activations([2.0, -1.0]), "jacobian_from_activations: argument 'a'"),
    (lambda: jacobian_from_activations([1e300, 1.0]), "jacobian_from_activations: argument 'a'"),
    (lambda: SigmoidOutput().backward([0.0], [-1.0], [1.0]),
     "SigmoidOutput.backward: argument 'a'"),
    (lambda: CrossEntropyCost().delta([0.0], [-1.0], [1.0]),
     "CrossEntropyCost.delta: argument 'a'"),
])
def test_activations_outside_the_unit_interval_are_refused(call, message):
    with pytest.raises(ValueError, match=f"^{re.escape(message)} must lie between 0 and 1"):
        call()


def test_labels_are_integers():
    np.testing.assert_array_equal(as_labels([2, 0], "labels", func="f"), [2, 0])
    with pytest.raises(TypeError, match=r"^f: argument 'labels' must be an integer or a 1-d"):
        as_labels([0.5], "labels", func="f")
    with pytest.raises(ValueError, match=r"^f: argument 'labels' holds a label beyond int64"):
        as_labels([2**70], "labels", func="f")


@pytest.mark.parametrize("value, message", [
    (float("nan"), "describe_bound: argument 'value' is NaN"),
    (-1.0, "describe_bound: argument 'value' must be nonnegative"),
    (math.inf, "describe_bound: argument 'value' is infinite"),
])
def test_describe_bound_refuses_what_is_no_bound(value, message):
    with pytest.raises(ValueError, match=f"^{re.escape(message)}"):
        describe_bound(value)


# --------------------------------------------------------------------------- sizes


@pytest.mark.parametrize("call, message", [
    (lambda: Network([10**6, 10**6]),
     "Network: the weights and biases of sizes [1000000, 1000000] would hold 1,000,001,000,000"),
    (lambda: one_hot([0], 10**20), "one_hot: the one-hot targets would hold about 10^20"),
    (lambda: one_hot(0, MAX_ENTRIES + 1), "one_hot: the one-hot targets would hold 100,000,001"),
])
def test_arrays_beyond_max_entries_are_refused_at_once(call, message):
    start = time.perf_counter()
    with pytest.raises(ValueError, match=f"^{re.escape(message)} numbers, above the limit"):
        call()
    assert time.perf_counter() - start < 0.5  # before any memory is asked for


def test_one_hot_up_to_the_limit_makes_no_square_matrix():
    # The old np.eye(classes)[label] needed classes² numbers: 80 GB here.
    y = one_hot(3, 100_000)
    assert y.shape == (100_000,) and y[3] == 1.0 and y.sum() == 1.0


def test_epochs_are_bounded():
    net, X = Network([1, 1]), np.zeros((1, 2))
    with pytest.raises(ValueError, match=rf"^Network.train: argument 'epochs' is about 10\^20, "
                                         rf"above the limit of {MAX_EPOCHS:,} "):
        net.train(X, X, 10**20, 1, 0.1)
    with pytest.raises(ValueError, match=r"^Network.descend: argument 'epochs' is 1,000,001"):
        net.descend(X, X, MAX_EPOCHS + 1, 0.1)
    with pytest.raises(ValueError, match=r"^Network.descend: the recorded parameters would "):
        Network([1000, 1000]).descend(np.zeros((1000, 1)), np.zeros((1000, 1)), 1000, 0.1,
                                      parameters=True)


@pytest.mark.parametrize("call", [
    lambda: z_vector(10**6), lambda: softmax_a(1, 10**6),
    lambda: check_jacobian_signs(MAX_SIZE + 1),
])
def test_symbolic_builders_refuse_sizes_above_max_size(call):
    with pytest.raises(ValueError, match=rf"above the limit of {MAX_SIZE} "
                                         r"\(nblib.proof.symbolic.MAX_SIZE\)"):
        call()
